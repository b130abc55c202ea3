/* nlif_mms.c — the manufactured family `kink_quadratic` (MATHEMATICS.md §6b; nlif_mms.h).
 *
 * p_m = c0 + c1 x + c2 x² on [V_min, V_R], d1 y + d2 y² + d3 y³ on [V_R, V_F], with
 * x = (v − V_min)/L1, y = (V_F − v)/L2. The primary time function is the slope at the threshold,
 * g(t) = g0 (1 + A sin(ωt + φ)), so that N_m = a0 g/(1 − a1 g) (N = a(N) g) is explicit; then
 *   p(V_F) = 0                       built in (y = 0),
 *   d1 = L2 g                        (−∂_v p(V_F) = g),
 *   d2 = L2² (V_F − μ) g / (2a)      (S(V_F) = 0: a ∂_vv p = (V_F − μ) g at V_F, as without a source),
 *   c1 = L1 κ c0, κ = (−V_min + μ)/a (zero flux at V_min: (−V_min + μ) p = a ∂_v p),
 * and c0, c2, d3 solve three linear equations: continuity at V_R, the flux jump
 * ∂_v p(V_R+) − ∂_v p(V_R−) = −N_m/a = −g, and mass 1. Their time derivatives solve the same system
 * differentiated (A ċ = ṙ − Ȧ c): everything is closed form.
 * With a synaptic delay d (§1.4) μ = b D + I, D the drift's rate: the history N_h before d, N_m(t − d)
 * after (the case gives N_h = N_m(0) and ġ(0) = 0: D is C¹). With a refractory period τ_R (§1.5, a1 = 0)
 * the jump is the re-injected R_m/τ_R and the mass 1 − R_m, R_m the closed-form solution of
 * dR/dt = N_m − R/τ_R. Both leave ∫ S dv = 0.
 */
#include "nlif_mms.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double input_rate_of_change(const nlif_input *in, double t)
{
    return in->type == NLIF_INPUT_SINE ? in->amplitude * in->omega * cos(in->omega * t + in->phase) : 0.0;
}

/* Cramer's rule for a 3×3 system; −1 if singular. */
static int solve3(const double A[3][3], const double r[3], double x[3])
{
    double det = A[0][0] * (A[1][1] * A[2][2] - A[1][2] * A[2][1]) - A[0][1] * (A[1][0] * A[2][2] - A[1][2] * A[2][0]) +
                 A[0][2] * (A[1][0] * A[2][1] - A[1][1] * A[2][0]);
    if (!(fabs(det) > 1e-300) || !isfinite(det))
        return -1;
    for (int k = 0; k < 3; k++) {
        double B[3][3];
        memcpy(B, A, sizeof B);
        for (int i = 0; i < 3; i++)
            B[i][k] = r[i];
        x[k] = (B[0][0] * (B[1][1] * B[2][2] - B[1][2] * B[2][1]) - B[0][1] * (B[1][0] * B[2][2] - B[1][2] * B[2][0]) +
                B[0][2] * (B[1][0] * B[2][1] - B[1][1] * B[2][0])) / det;
    }
    return 0;
}

/* g(t) = g0 (1 + A sin(ωt + φ)) and N_m = a0 g/(1 − a1 g) with their time derivatives; −1 where the
 * family is not defined (g ≤ 0 or a1 g ≥ 1). */
typedef struct family_rate {
    double g, gd, n, nd, ndd;
} family_rate;

static int rate_at(const nlif_case *cs, double t, family_rate *r)
{
    const nlif_model *mod = &cs->model;
    const nlif_manufactured *f = &cs->manufactured;
    double s = sin(f->omega * t + f->phase), co = cos(f->omega * t + f->phase);
    double g = f->slope * (1 + f->amplitude * s), gd = f->slope * f->amplitude * f->omega * co;
    double gdd = -f->slope * f->amplitude * f->omega * f->omega * s;
    double q = 1 - mod->a1 * g;
    if (!(g > 0) || !(q > 0))
        return -1;
    r->g = g, r->gd = gd;
    r->n = mod->a0 * g / q;
    double dN = mod->a0 / (q * q), d2N = 2 * mod->a0 * mod->a1 / (q * q * q);
    r->nd = dN * gd;
    r->ndd = d2N * gd * gd + dN * gdd;
    return 0;
}

/* R_m(t) and Ṙ_m(t) of the refractory family: the exact solution of dR/dt = N_m − R/τ_R from
 * R(0) = initial.refractory, for N_m = a0 g0 (1 + A sin(ωt + φ)) (a1 = 0, nlif_mms_validate_terms):
 *   R_m = R0 e + a0 g0 [τ(1 − e) + A τ (sin(ωt+φ) − ωτ cos(ωt+φ) − e (sin φ − ωτ cos φ))/(1 + ω²τ²)],
 * e = exp(−t/τ); Ṙ_m = N_m − R_m/τ by the equation itself. */
static void refractory_mass(const nlif_case *cs, double t, double rate, double *R, double *R_dot)
{
    const nlif_manufactured *f = &cs->manufactured;
    double tau = cs->model.tau_ref, e = exp(-t / tau), wt = f->omega * tau, n0 = cs->model.a0 * f->slope;
    double osc = sin(f->omega * t + f->phase) - wt * cos(f->omega * t + f->phase) - e * (sin(f->phase) - wt * cos(f->phase));
    *R = cs->initial.refractory * e + n0 * (tau * (1 - e) + f->amplitude * tau * osc / (1 + wt * wt));
    *R_dot = rate - *R / tau;
}

int nlif_mms_at(const nlif_case *cs, double t, nlif_mms_state *m)
{
    const nlif_model *mod = &cs->model;
    memset(m, 0, sizeof *m);
    m->t = t;
    double L1 = mod->v_r - mod->v_min, L2 = mod->v_f - mod->v_r;
    m->l1 = L1, m->l2 = L2;
    family_rate fr;
    if (rate_at(cs, t, &fr) || (mod->tau_ref > 0 && mod->a1 != 0)) /* R_m is closed form for a1 = 0 only */
        return -1;
    double g = fr.g, gd = fr.gd;
    m->g = g, m->g_dot = gd;
    m->rate = fr.n, m->rate_dot = fr.nd, m->rate_ddot = fr.ndd;
    /* the drift's rate (§1.4): N_m(t), or with a delay d the history N_h before d and N_m(t − d) after */
    m->drift_rate = m->rate, m->drift_rate_dot = m->rate_dot;
    if (mod->delay > 0) {
        family_rate past;
        if (t < mod->delay)
            m->drift_rate = mod->delay_history, m->drift_rate_dot = 0.0;
        else if (rate_at(cs, t - mod->delay, &past))
            return -1;
        else
            m->drift_rate = past.n, m->drift_rate_dot = past.nd;
    }
    m->a = nlif_noise(mod, m->rate);
    m->mu = mod->b * m->drift_rate + nlif_input_current(&cs->input, t);
    double a_dot = mod->a1 * m->rate_dot, mu_dot = mod->b * m->drift_rate_dot + input_rate_of_change(&cs->input, t);
    double h0 = -mod->v_min + m->mu, kappa = h0 / m->a, kappa_dot = mu_dot / m->a - h0 * a_dot / (m->a * m->a);
    double d1 = L2 * g, d1_dot = L2 * gd;
    double w = mod->v_f - m->mu, d2 = L2 * L2 * w * g / (2 * m->a);
    double d2_dot = L2 * L2 / 2 * (-mu_dot * g / m->a + w * (gd / m->a - g * a_dot / (m->a * m->a)));
    /* unknowns (c0, c2, d3): continuity, flux jump, mass. The jump of ∂_v p at V_R is −(re-injected
     * rate)/a: −N_m/a = −g without a refractory state (the row's right-hand side −2d2/L2), −R_m/(τ_R a)
     * with one, whose density holds 1 − R_m. */
    double jump = 0.0, jump_dot = 0.0, mass = 1.0, mass_dot = 0.0;
    if (mod->tau_ref > 0) {
        refractory_mass(cs, t, m->rate, &m->refr, &m->refr_dot);
        jump = m->refr / (mod->tau_ref * m->a) - g;
        jump_dot = m->refr_dot / (mod->tau_ref * m->a) - m->refr * a_dot / (mod->tau_ref * m->a * m->a) - gd;
        mass = 1.0 - m->refr, mass_dot = -m->refr_dot;
    }
    const double A[3][3] = {{1 + L1 * kappa, 1, -1}, {kappa, 2 / L1, 3 / L2}, {L1 * (1 + L1 * kappa / 2), L1 / 3, L2 / 4}};
    const double r[3] = {d1 + d2, -2 * d2 / L2 + jump, mass - L2 * (d1 / 2 + d2 / 3)};
    double x[3], xd[3];
    if (solve3(A, r, x))
        return -1;
    /* A ċ = ṙ − Ȧ c, Ȧ = κ̇ (first column (L1, 1, L1²/2)) */
    const double rd[3] = {d1_dot + d2_dot - kappa_dot * L1 * x[0], -2 * d2_dot / L2 + jump_dot - kappa_dot * x[0],
                          mass_dot - L2 * (d1_dot / 2 + d2_dot / 3) - kappa_dot * L1 * L1 / 2 * x[0]};
    if (solve3(A, rd, xd))
        return -1;
    m->c[0] = x[0], m->c[1] = L1 * kappa * x[0], m->c[2] = x[1], m->c[3] = d1, m->c[4] = d2, m->c[5] = x[2];
    m->c_dot[0] = xd[0], m->c_dot[1] = L1 * (kappa_dot * x[0] + kappa * xd[0]), m->c_dot[2] = xd[1];
    m->c_dot[3] = d1_dot, m->c_dot[4] = d2_dot, m->c_dot[5] = xd[2];
    return 0;
}

/* Which piece v is on: left (x) if v < V_R, or at V_R from the left. */
static int left_of(const nlif_model *mod, double v, int side) { return v < mod->v_r || (v == mod->v_r && side < 0); }

static double poly(const double *c, const nlif_model *mod, double l1, double l2, double v, int side)
{
    if (left_of(mod, v, side)) {
        double x = (v - mod->v_min) / l1;
        return c[0] + x * (c[1] + x * c[2]);
    }
    double y = (mod->v_f - v) / l2;
    return y * (c[3] + y * (c[4] + y * c[5]));
}

double nlif_mms_density(const nlif_mms_state *m, const nlif_model *mod, double v)
{
    return poly(m->c, mod, m->l1, m->l2, v, -1);
}

double nlif_mms_slope(const nlif_mms_state *m, const nlif_model *mod, double v, int side)
{
    if (left_of(mod, v, side))
        return (m->c[1] + 2 * m->c[2] * (v - mod->v_min) / m->l1) / m->l1;
    double y = (mod->v_f - v) / m->l2;
    return -(m->c[3] + y * (2 * m->c[4] + 3 * y * m->c[5])) / m->l2;
}

double nlif_mms_curvature(const nlif_mms_state *m, const nlif_model *mod, double v, int side)
{
    if (left_of(mod, v, side))
        return 2 * m->c[2] / (m->l1 * m->l1);
    return (2 * m->c[4] + 6 * m->c[5] * (mod->v_f - v) / m->l2) / (m->l2 * m->l2);
}

/* ∫_{V_min}^{v} of the polynomial with coefficients c (p_m, or ∂_t p_m with c_dot). */
static double cumulative(const double *c, const nlif_model *mod, double l1, double l2, double v)
{
    if (v <= mod->v_r) {
        double x = (v - mod->v_min) / l1;
        return l1 * x * (c[0] + x * (c[1] / 2 + x * c[2] / 3));
    }
    double y = (mod->v_f - v) / l2;
    double y2 = y * y;
    return l1 * (c[0] + c[1] / 2 + c[2] / 3) + l2 * (c[3] / 2 * (1 - y2) + c[4] / 3 * (1 - y2 * y) + c[5] / 4 * (1 - y2 * y2));
}

double nlif_mms_cumulative(const nlif_mms_state *m, const nlif_model *mod, double v)
{
    return cumulative(m->c, mod, m->l1, m->l2, v);
}

double nlif_mms_flux(const nlif_mms_state *m, const nlif_model *mod, double v, int side)
{
    return (-v + m->mu) * poly(m->c, mod, m->l1, m->l2, v, side) - m->a * nlif_mms_slope(m, mod, v, side);
}

double nlif_mms_source_point(const nlif_mms_state *m, const nlif_model *mod, double v)
{
    double p = poly(m->c, mod, m->l1, m->l2, v, 0), pt = poly(m->c_dot, mod, m->l1, m->l2, v, 0);
    double pv = nlif_mms_slope(m, mod, v, 0), pvv = nlif_mms_curvature(m, mod, v, 0);
    /* ∂_t p + ∂_v[(−v + μ) p] − a ∂_vv p */
    return pt - p + (-v + m->mu) * pv - m->a * pvv;
}

/* Face f_j of the grid (j = 0..n): V_min, V_min + (j − 1/2)Δv, V_F. */
static double face(const nlif_model *mod, double dv, int n, int j)
{
    return j == 0 ? mod->v_min : j == n ? mod->v_f : mod->v_min + (j - 0.5) * dv;
}

void nlif_mms_cell_sources(const nlif_case *cs, double t, double dv, int n, double *out)
{
    nlif_mms_state m;
    const nlif_model *mod = &cs->model;
    if (nlif_mms_at(cs, t, &m)) {
        for (int i = 0; i < n; i++)
            out[i] = NAN;
        return;
    }
    /* ∫_cell S = [∂_t P + F] between the cell's faces, minus the re-injected rate in the cell of V_R (the
     * flux jump is the scheme's re-injection, not the source's): N_m, or R_m/τ_R with a refractory
     * period. At the ends: F(V_min) = 0 (zero flux), F(V_F) = N_m and ∂_t P(V_F) = d/dt ∫ p_m = 0, or
     * −Ṙ_m with a refractory period (the density holds 1 − R_m), hold by construction and are used as
     * such, so the sum over the cells telescopes to 0 up to round-off (N_m − Ṙ_m = R_m/τ_R). */
    int refr = mod->tau_ref > 0;
    double top = refr ? m.rate - m.refr_dot : m.rate, back = refr ? m.refr / mod->tau_ref : m.rate;
    double lo = 0.0;
    for (int i = 0; i < n; i++) {
        double hi;
        if (i + 1 == n)
            hi = top;
        else {
            double f = face(mod, dv, n, i + 1);
            hi = cumulative(m.c_dot, mod, m.l1, m.l2, f) + nlif_mms_flux(&m, mod, f, 0);
        }
        int holds_vr = face(mod, dv, n, i) < mod->v_r && mod->v_r < face(mod, dv, n, i + 1);
        out[i] = (hi - lo - (holds_vr ? back : 0.0)) / dv;
        lo = hi;
    }
}

/* p_m(v_i, t) at the n nodes below V_F (NAN where the family is not defined). */
static void interior_nodes(const nlif_case *cs, double t, double dv, int n, double *out)
{
    nlif_mms_state m;
    const nlif_model *mod = &cs->model;
    int ok = nlif_mms_at(cs, t, &m) == 0;
    for (int i = 0; i < n; i++)
        out[i] = ok ? nlif_mms_density(&m, mod, i == 0 ? mod->v_min : mod->v_min + i * dv) : NAN;
}

void nlif_mms_profile(const nlif_case *cs, double t, double dv, int n, double *out)
{
    interior_nodes(cs, t, dv, n, out);
    out[n] = 0.0; /* p_m(V_F) = 0 */
}

void nlif_mms_initial(const nlif_case *cs, double dv, int n, double *u)
{
    interior_nodes(cs, 0.0, dv, n, u); /* n unknowns: no entry for V_F (the caller's array has n) */
    u[0] *= 0.5; /* node 0 holds the half cell at the wall: its unknown is half the density there (§1.3) */
    double mass = nlif_sum(u, n) * dv;
    if (cs->model.tau_ref > 0) /* the density holds 1 − R(0) (§1.5) */
        mass /= 1.0 - cs->initial.refractory;
    for (int i = 0; i < n; i++)
        u[i] /= mass;
}

double nlif_mms_profile_error(const nlif_case *cs, double t, const double *v, const double *p, int nodes)
{
    const nlif_model *mod = &cs->model;
    int n = nodes - 1;
    if (n < 2 || fabs(v[0] - mod->v_min) > 1e-9 || fabs(v[n] - mod->v_f) > 1e-9)
        return NAN;
    double dv = (mod->v_f - mod->v_min) / n;
    int nn, r;
    if (nlif_grid_nodes(mod, dv, &nn, &r) || nn != n)
        return NAN;
    /* node by node: a snapshot read from a file may hold any number of nodes, so no array of that size */
    nlif_mms_state m;
    if (nlif_mms_at(cs, t, &m))
        return NAN;
    double e = fabs(p[n]); /* p_m(V_F) = 0 */
    for (int i = 0; i < n; i++)
        e += fabs(p[i] - nlif_mms_density(&m, mod, i == 0 ? mod->v_min : mod->v_min + i * dv));
    return e * dv;
}

double nlif_mms_rate(const nlif_case *cs, double t)
{
    nlif_mms_state m;
    return nlif_mms_at(cs, t, &m) ? NAN : m.rate;
}

/* Points of the quadratures of the bounds (the family is a pair of quadratics in v and smooth in t:
 * these resolve it far below the bounds' own accuracy, which is their leading term only). */
#define BOUND_V 2000
#define BOUND_T 400

/* ||∂_tt p_m(t)||_1 by the central difference of the closed-form ∂_t p_m. */
static double ptt_norm(const nlif_case *cs, double t)
{
    const nlif_model *mod = &cs->model;
    double d = 1e-5 * (1 + fabs(t)), acc = 0, dv = (mod->v_f - mod->v_min) / BOUND_V;
    nlif_mms_state a, b;
    if (nlif_mms_at(cs, t + d, &a) || nlif_mms_at(cs, t - d, &b))
        return NAN;
    for (int i = 0; i < BOUND_V; i++) {
        double v = mod->v_min + (i + 0.5) * dv;
        acc += fabs(poly(a.c_dot, mod, a.l1, a.l2, v, 0) - poly(b.c_dot, mod, b.l1, b.l2, v, 0));
    }
    return acc * dv / (2 * d);
}

double nlif_mms_bound_p(const nlif_case *cs, double t)
{
    const nlif_model *mod = &cs->model;
    nlif_mms_state m;
    if (nlif_mms_at(cs, t, &m))
        return NAN;
    double tv = 0, prev = nlif_mms_density(&m, mod, mod->v_min);
    for (int i = 1; i <= BOUND_V; i++) {
        double p = nlif_mms_density(&m, mod, mod->v_min + (mod->v_f - mod->v_min) * i / BOUND_V);
        tv += fabs(p - prev);
        prev = p;
    }
    double time = 0, h = t / BOUND_T;
    for (int k = 0; k <= BOUND_T && t > 0; k++)
        time += (k == 0 || k == BOUND_T ? 0.5 : 1.0) * ptt_norm(cs, k * h) * h;
    return 0.5 * cs->run.dv * tv + 0.5 * cs->run.dt * time;
}

double nlif_mms_bound_rate_space(const nlif_case *cs, double t)
{
    const nlif_model *mod = &cs->model;
    nlif_mms_state m;
    if (nlif_mms_at(cs, t, &m))
        return NAN;
    double q = 1 - mod->a1 * m.g, dNdg = mod->a0 / (q * q);
    return 0.5 * cs->run.dv * dNdg * fabs(nlif_mms_curvature(&m, mod, mod->v_f, 0));
}

double nlif_mms_bound_rate_time(const nlif_case *cs, double t)
{
    double time = 0, h = t / BOUND_T;
    for (int k = 0; k <= BOUND_T && t > 0; k++) {
        nlif_mms_state mk;
        if (nlif_mms_at(cs, k * h, &mk))
            return NAN;
        time += (k == 0 || k == BOUND_T ? 0.5 : 1.0) * fabs(mk.rate_ddot) * h;
    }
    return 0.5 * cs->run.dt * time;
}

double nlif_mms_bound_rate(const nlif_case *cs, double t)
{
    return nlif_mms_bound_rate_space(cs, t) + nlif_mms_bound_rate_time(cs, t);
}

int nlif_mms_validate(const nlif_case *cs, char *why, size_t len)
{
    const nlif_model *mod = &cs->model;
    const nlif_manufactured *f = &cs->manufactured;
    double T = cs->run.t_final;
    /* g(t) ranges over g0 (1 ± A) when a full period fits in [0, T], else over what it reaches */
    for (int k = 0; k <= 4 * BOUND_T; k++) {
        double t = T * k / (4 * BOUND_T);
        nlif_mms_state m;
        if (nlif_mms_at(cs, t, &m)) {
            snprintf(why, len, "the family is not defined at t = %g: g = %g must be > 0 and a1 g < 1, and the "
                     "linear system regular (allowed: slope > 0, |amplitude| < 1, a1 slope (1 + |amplitude|) < 1)",
                     t, f->slope * (1 + f->amplitude * sin(f->omega * t + f->phase)));
            return -1;
        }
        if (mod->tau_ref > 0 && !(m.refr >= 0 && m.refr < 1)) {
            snprintf(why, len, "R_m(%g) = %g is outside [0, 1) (allowed: a family whose refractory mass stays in "
                     "[0, 1) on [0, t_final]: a smaller slope or tau_ref)", t, m.refr);
            return -1;
        }
        for (int i = 0; i < BOUND_V; i++) {
            double v = mod->v_min + (mod->v_f - mod->v_min) * i / BOUND_V;
            double p = nlif_mms_density(&m, mod, v);
            if (!(p > 0)) {
                snprintf(why, len, "p_m(%g, %g) = %g is not positive (allowed: a family positive on [V_min, V_F) "
                         "for t in [0, t_final]: a smaller amplitude or slope, or V_min nearer V_R)", v, t, p);
                return -1;
            }
        }
    }
    return 0;
}

int nlif_mms_validate_terms(const nlif_case *cs, const char **section, const char **key, char *why, size_t len)
{
    const nlif_model *mod = &cs->model;
    const nlif_manufactured *f = &cs->manufactured;
    family_rate r0;
    if (rate_at(cs, 0.0, &r0)) /* nlif_mms_validate says more */
        return 0;
    if (mod->delay > 0) {
        /* p_m depends on the drift's rate D through μ: D must be continuous at t = d (else p_m jumps in t and
         * no bounded S makes it a solution) and C¹ there (else S jumps, and a scheme of order > 1 in t that
         * samples S at t = d from the wrong side is first order), so N_h = N_m(0) and dN_m/dt(0) = 0. */
        if (!(fabs(mod->delay_history - r0.n) <= 1e-9 * (1 + r0.n))) {
            *section = "model", *key = "delay_history";
            return snprintf(why, len, "model.delay_history = %.17g with a manufactured family (allowed: N_m(0) = "
                            "%.17g, the family's rate at t = 0, so that the drift's rate is continuous at t = "
                            "delay)", mod->delay_history, r0.n), -1;
        }
        if (!(fabs(r0.gd) <= 1e-9 * f->slope * (1 + f->omega))) {
            *section = "manufactured", *key = "phase";
            return snprintf(why, len, "manufactured.phase = %g leaves dg/dt(0) = %g with model.delay = %g (allowed: "
                            "cos(phase) = 0, e.g. phase = 1.5707963267948966, so that the drift's rate is C1 at "
                            "t = delay)", f->phase, r0.gd, mod->delay), -1;
        }
    }
    if (mod->tau_ref > 0 && mod->a1 != 0) {
        *section = "model", *key = "a1";
        return snprintf(why, len, "model.a1 = %g with model.tau_ref and a manufactured family (allowed: a1 = 0: "
                        "R_m is closed form for N_m linear in g)", mod->a1), -1;
    }
    return 0;
}

const char *nlif_mms_family_name(nlif_mms_family f)
{
    (void)f;
    return "kink_quadratic";
}
