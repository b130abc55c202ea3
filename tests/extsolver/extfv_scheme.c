/* extfv_scheme.c — the scheme of extfv: the 1D NNLIF equation (MATHEMATICS.md §1)
 *
 *     ∂_t p + ∂_v[(−v + bN + I(t)) p] − a ∂_vv p = N δ(v − V_R),  p(V_F) = 0,  N = −a ∂_v p(V_F),
 *     a = a0 + a1 N,   convention A,
 *
 * by vertex-centred finite volumes on nlif's nodes v_i = V_min + iΔv, i = 0..n (v_n = V_F):
 *
 * - The unknowns q_i are the densities at the nodes i = 0..n−1; q_n = 0 (absorbing V_F). Node i ≥ 1
 *   owns [v_i − Δv/2, v_i + Δv/2]; node 0 owns the half cell [V_min, V_min + Δv/2] on the zero-flux
 *   wall (MATHEMATICS.md §1.3), so the problem's unknown u_0 (that half cell's mass over Δv) is the
 *   density q_0/2, and the mass is the trapezoid rule Δv (q_0/2 + q_1 + … + q_{n−1}) of what is
 *   written.
 * - Interior faces: central flux F = h (q_i + q_{i+1})/2 − a (q_{i+1} − q_i)/Δv, h = −v + bN + I at the
 *   face (second order; monotone while |h| Δv / a < 2, 0.08 at the catalogue's Δv = 0.02).
 * - Outflow: N = −a ∂_v p(V_F) by the second-order one-sided difference with q_n = 0,
 *   N = a (4 q_{n−1} − q_{n−2}) / (2Δv); it is also the flux leaving node n−1 (the flux at
 *   V_F − Δv/2 differs from N by O(Δv²), since ∂_v J = −∂_t p = 0 at V_F), and it re-enters node i_r:
 *   the mass is conserved exactly by construction.
 * - Time: variable-step BDF2 (the first step backward Euler), linearly implicit: a and the drift use N
 *   extrapolated from the last two steps and I at the new time; the rate written is the one of the
 *   new state, N = a0 g / (1 − a1 g) with g the one-sided −∂_v p. Each interval between snapshot
 *   times is cut into equal steps no longer than Δt, so the steps land on every snapshot time and on
 *   t_final, and the BDF2 step ratio stays near 1.
 * - The linear system is tridiagonal plus the rank-one re-injection: two Thomas solves and one
 *   scalar (Sherman–Morrison), then the update is redone in flux form so that the mass moves only
 *   between neighbours (its drift is round-off).
 * - A synaptic delay d (MATHEMATICS.md §1.4): the drift at the new time reads N(t − d) linearly between
 *   the accepted steps (the series' rows), N_h before 0 (second order, as BDF2); a(N) keeps N. A step
 *   ends at t = d, where the drift jumps from b N_h to b N(0), and BDF2 restarts there.
 * - A refractory period τ_R (§1.5): one more unknown R, BDF2 as the density, the outflow N entering R
 *   and R/τ_R re-entering node i_r instead of N; eliminating N' = c_y + θh (R'/τ_R) c_z (the two Thomas
 *   solves) gives R' by one scalar equation, and ∫p + R is conserved.
 * The defects that change the scheme (mass_leak, a0_as_sigma, reset_at_one, drop_coupling,
 * clip_negative's coarse advection) are marked where they act. */
#include "extfv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RATE_CAP 1e4 /* a blow-up of N in finite time: this scheme cannot pass one (no capability mfe) */

typedef struct {
    const xf_problem *pb;
    int n, r;                     /* unknowns 0..n−1; re-injection node */
    double dv, a0, a1, b;         /* the model as this run uses it (some defects change it) */
    double *q, *q_old, *q_new, *w; /* now, one step back, the solve; control volume widths */
    double *lo, *di, *up, *y, *z, *cp, *flux, *div, *div_old;
    double *src;                  /* a manufactured problem: the source's integral over each volume */
    int with_source;
    double rate, rate_old, h_old; /* N now and one step back; the last step */
    double R, R_old, R_new;       /* the refractory mass now, one step back, the solve's (0 without) */
    const xf_record *rec;         /* the accepted steps: the delayed drift's history of N */
    long hist;                    /* where the last delayed lookup found its interval */
    int history;                  /* 1 once a step was taken: BDF2 may use q_old */
    double *mem;                  /* the one allocation every array lives in */
} xf_scheme;

static double current(const xf_problem *pb, double t)
{
    switch (pb->input) {
    case XF_IN_CONSTANT: return pb->i0;
    case XF_IN_SINE: return pb->i0 + pb->amplitude * sin(pb->omega * t + pb->phase);
    case XF_IN_PULSE: return t >= pb->t0 && t <= pb->t1 ? pb->i0 : 0.0;
    default: return 0.0;
    }
}

/* g = −∂_v p(V_F), second order one-sided, and N = a(N) g solved for N; NAN when a1 g ≥ 1 (blow-up). */
static double rate_of(const xf_scheme *s, const double *q)
{
    int n = s->n;
    double g = (4.0 * q[n - 1] - q[n - 2]) / (2.0 * s->dv);
    if (s->a1 * g >= 1.0)
        return NAN;
    return s->a0 * g / (1.0 - s->a1 * g);
}

/* N(τ) of the past: N_h before 0 (§1.4), else linear between the accepted steps; the last known rate
 * for τ beyond them (a delay shorter than the step). */
static double past_rate(xf_scheme *s, double tau)
{
    const xf_record *rec = s->rec;
    long n = rec->n_rows, k = s->hist;
    if (tau < 0)
        return s->pb->delay_history;
    if (n < 2 || tau >= rec->t[n - 1])
        return rec->rate[n - 1];
    if (k > n - 2)
        k = n - 2;
    while (k > 0 && rec->t[k] > tau)
        k--;
    while (rec->t[k + 1] < tau)
        k++;
    s->hist = k;
    double w = (tau - rec->t[k]) / (rec->t[k + 1] - rec->t[k]);
    return rec->rate[k] + w * (rec->rate[k + 1] - rec->rate[k]);
}

/* The rate the drift reads at time t: N(t − d) with a delay, else the frozen rate. */
static double drift_rate(xf_scheme *s, double rate_star, double t)
{
    return s->pb->delay > 0 ? past_rate(s, t - s->pb->delay) : rate_star;
}

/* Thomas: solve T x = rhs (T = lo, di, up), using cp as workspace; x may alias nothing. */
static void thomas(const xf_scheme *s, const double *rhs, double *x)
{
    int n = s->n;
    double *cp = s->cp;
    double m = s->di[0];
    cp[0] = s->up[0] / m;
    x[0] = rhs[0] / m;
    for (int i = 1; i < n; i++) {
        m = s->di[i] - s->lo[i] * cp[i - 1];
        cp[i] = i < n - 1 ? s->up[i] / m : 0.0;
        x[i] = (rhs[i] - s->lo[i] * x[i - 1]) / m;
    }
    for (int i = n - 2; i >= 0; i--)
        x[i] -= cp[i] * x[i + 1];
}

/* The fluxes of state q at the frozen coefficients: flux[i] = F_{i+1/2}, i = 0..n−2; returns F_out. */
static double fluxes(xf_scheme *s, const double *q, double rate_star, double t_new, double *flux)
{
    const xf_problem *pb = s->pb;
    double a = s->a0 + s->a1 * rate_star, drift = s->b * drift_rate(s, rate_star, t_new) + current(pb, t_new);
    for (int i = 0; i < s->n - 1; i++) {
        double h = -(pb->nodes[i] + 0.5 * s->dv) + drift;
        flux[i] = 0.5 * h * (q[i] + q[i + 1]) - a * (q[i + 1] - q[i]) / s->dv;
    }
    return a * (4.0 * q[s->n - 1] - q[s->n - 2]) / (2.0 * s->dv);
}

/* div_i = (F_{i−1/2} − F_{i+1/2} + δ_{i,r} B) / w_i: the right-hand side of dq_i/dt, B the re-injected
 * rate: F_out, or R/τ_R with a refractory period (BACK, NAN without one). */
static void divergence(xf_scheme *s, const double *q, double rate_star, double t, double back, double *div)
{
    int n = s->n;
    double out = fluxes(s, q, rate_star, t, s->flux), in = isnan(back) ? out : back;
    for (int i = 0; i < n; i++)
        div[i] = ((i > 0 ? s->flux[i - 1] : 0.0) - (i < n - 1 ? s->flux[i] : out) + (i == s->r ? in : 0.0)) /
                 s->w[i];
}

/* One step of length h to t_new: fills s->q_new and returns its rate (NAN on a blow-up). The step is
 * c0 q' + c1 q + c2 q_old = h [θ div(q') + (1 − θ) div(q)]: BDF2 (θ = 1), its first step and
 * clip_negative's Crank–Nicolson (θ = 1/2). */
static double step(xf_scheme *s, double h, double t_new)
{
    const xf_problem *pb = s->pb;
    int n = s->n, bdf2 = s->history && pb->defect != XF_CLIP_NEGATIVE;
    /* DEFECT clip_negative: Crank–Nicolson, second order but not L-stable: the stiff modes that the
     * incompatible data at V_F excite decay with a factor near −1 per step, and the density goes
     * negative there (what it writes is then clipped, extfv_defects.c). */
    double theta = pb->defect == XF_CLIP_NEGATIVE ? 0.5 : 1.0;
    double om = bdf2 ? h / s->h_old : 0.0;
    double c0 = bdf2 ? (1 + 2 * om) / (1 + om) : 1.0, c1 = bdf2 ? -(1 + om) : -1.0;
    double c2 = bdf2 ? om * om / (1 + om) : 0.0;
    double rate_star = bdf2 ? s->rate + om * (s->rate - s->rate_old) : s->rate;
    if (rate_star < 0)
        rate_star = 0;
    double tau = pb->tau_ref;
    if (theta < 1)
        divergence(s, s->q, s->rate, t_new - h, tau > 0 ? s->R / tau : NAN, s->div_old);
    double a = s->a0 + s->a1 * rate_star, drift = s->b * drift_rate(s, rate_star, t_new) + current(pb, t_new);
    double th = theta * h, gam = a / (2.0 * s->dv);
    if (s->with_source) /* the source at the new time, as the operator (MATHEMATICS.md §6b) */
        xf_mms_cell_sources(pb, n, s->r, t_new, s->src);
    for (int i = 0; i < n; i++) {
        s->di[i] = c0 * s->w[i];
        s->lo[i] = s->up[i] = 0.0;
        s->y[i] = -s->w[i] * (c1 * s->q[i] + c2 * s->q_old[i]) + h * s->src[i]; /* rhs, solved in place below */
        if (theta < 1)
            s->y[i] += (1 - theta) * h * s->w[i] * s->div_old[i];
    }
    for (int i = 0; i < n - 1; i++) { /* face i+1/2: F = al q_i − be q_{i+1} */
        double hf = -(pb->nodes[i] + 0.5 * s->dv) + drift;
        double al = 0.5 * hf + a / s->dv, be = a / s->dv - 0.5 * hf;
        s->di[i] += th * al;
        s->up[i] = -th * be;
        s->lo[i + 1] = -th * al;
        s->di[i + 1] += th * be;
    }
    s->di[n - 1] += 4.0 * th * gam; /* the outflow γ (4 q_{n−1} − q_{n−2}) leaves node n−1 */
    s->lo[n - 1] -= th * gam;
    memcpy(s->q_new, s->y, (size_t)n * sizeof(double));
    thomas(s, s->q_new, s->y);
    memset(s->q_new, 0, (size_t)n * sizeof(double));
    s->q_new[s->r] = 1.0;
    thomas(s, s->q_new, s->z);
    double cy = gam * (4.0 * s->y[n - 1] - s->y[n - 2]), cz = gam * (4.0 * s->z[n - 1] - s->z[n - 2]);
    double back = cy / (1.0 - th * cz), back_div = NAN; /* what re-enters at V_R: N' */
    if (tau > 0) { /* R/τ_R instead: c0 R' + c1 R + c2 R_old = θh (N' − R'/τ) + (1 − θ)h (N − R/τ) */
        double rhs = -(c1 * s->R + c2 * s->R_old) + th * cy + (theta < 1 ? (1 - theta) * h * (s->rate - s->R / tau) : 0.0);
        s->R_new = rhs / (c0 + th / tau - th * th * cz / tau);
        back = back_div = s->R_new / tau;
    }
    for (int i = 0; i < n; i++)
        s->q_new[i] = s->y[i] + th * back * s->z[i];
    /* The same state in flux form: each flux leaves one node and enters its neighbour. */
    divergence(s, s->q_new, rate_star, t_new, back_div, s->div);
    for (int i = 0; i < n; i++) {
        double d = theta * s->div[i] + (theta < 1 ? (1 - theta) * s->div_old[i] : 0.0) + s->src[i] / s->w[i];
        s->q_new[i] = (-(c1 * s->q[i] + c2 * s->q_old[i]) + h * d) / c0;
    }
    if (pb->defect == XF_MASS_LEAK) /* DEFECT: 0.5% of the mass lost over the run */
        for (int i = 0; i < n; i++)
            s->q_new[i] *= 1.0 - 0.005 * h / pb->t_final;
    return rate_of(s, s->q_new);
}

static void accept(xf_scheme *s, double h, double rate)
{
    double *t = s->q_old;
    s->q_old = s->q;
    s->q = s->q_new;
    s->q_new = t;
    s->rate_old = s->rate;
    s->rate = rate;
    s->h_old = h;
    s->history = 1;
    s->R_old = s->R;
    s->R = s->R_new;
}

static double mass_of(const xf_scheme *s)
{
    double m = s->R; /* the total: ∫p + R */
    for (int i = 0; i < s->n; i++)
        m += s->w[i] * s->q[i];
    return m;
}

static double min_of(const xf_scheme *s, double *max)
{
    double lo = s->q[0], hi = s->q[0];
    for (int i = 1; i < s->n; i++) {
        lo = fmin(lo, s->q[i]);
        hi = fmax(hi, s->q[i]);
    }
    if (max)
        *max = fmax(*max, hi);
    return lo;
}

static int snapshot(xf_scheme *s, xf_record *rec, double t)
{
    s->q[s->n] = 0.0;
    return xf_record_snapshot(rec, s->n + 1, t, s->q);
}

static int setup(xf_scheme *s, const xf_problem *pb)
{
    int n = pb->nv - 1;
    s->pb = pb;
    s->n = n;
    s->dv = pb->dv;
    s->a0 = pb->defect == XF_A0_AS_SIGMA ? pb->a0 * pb->a0 : pb->a0; /* DEFECT a0_as_sigma: a0² */
    s->a1 = pb->a1;
    s->b = pb->defect == XF_DROP_COUPLING ? 0.0 : pb->b; /* DEFECT drop_coupling: b ignored */
    s->r = pb->i_r;
    if (pb->defect == XF_RESET_AT_ONE) /* DEFECT reset_at_one: the node nearest v = 1, whatever V_R */
        s->r = (int)lround((1.0 - pb->v_min) / pb->dv);
    if (s->r < 1 || s->r > n - 2)
        s->r = pb->i_r;
    double *mem = s->mem = calloc(14 * (size_t)(n + 1), sizeof(double));
    if (!mem)
        return -1;
    double **arr[] = {&s->q, &s->q_old, &s->q_new, &s->w, &s->lo, &s->di, &s->up, &s->y, &s->z, &s->cp, &s->flux, &s->div, &s->div_old, &s->src};
    /* DEFECT source_dropped: a manufactured problem solved without its source */
    s->with_source = pb->manufactured && pb->defect != XF_SOURCE_DROPPED;
    for (int k = 0; k < 14; k++)
        *arr[k] = mem + (size_t)k * (n + 1);
    for (int i = 0; i < n; i++) {
        s->w[i] = i == 0 ? 0.5 * pb->dv : pb->dv;
        s->q[i] = i == 0 ? 2.0 * pb->initial[0] : pb->initial[i]; /* the density at V_min is 2 u_0 */
    }
    s->rate = s->rate_old = rate_of(s, s->q);
    s->R = s->R_old = s->R_new = pb->tau_ref > 0 ? pb->refractory0 : 0.0;
    return 0;
}

static const char *unsupported(const xf_problem *pb)
{
    if (pb->structured)
        return "structured networks (p(v, w)) are not supported by this 1D solver";
    if (pb->input == XF_IN_KICK)
        return "kick input is not supported";
    if (pb->convention_b)
        return "convention B is not supported";
    if (pb->n_atoms)
        return "point masses in the initial law are not supported";
    return NULL;
}

/* Stop the run: status and cause, at time t. */
static void stop(xf_record *rec, const char *status, double t, const char *cause)
{
    rec->status = status;
    rec->stop_time = t;
    snprintf(rec->cause_buf, sizeof rec->cause_buf, "%s", cause);
    rec->cause = rec->cause_buf;
}

/* The largest cell Péclet number |h| Δv / a of the new state's drift: beyond 2 the central flux is no
 * longer monotone, and a rate that drives it there is blowing up (N ~ 2a / (b Δv), far beyond any
 * stationary rate): the run stops with status blowup rather than write oscillations. */
static double peclet(xf_scheme *s, double rate, double t)
{
    const xf_problem *pb = s->pb;
    double drift = s->b * drift_rate(s, rate, t) + current(pb, t), a = s->a0 + s->a1 * rate;
    double hi = fmax(fabs(-pb->v_min + drift), fabs(-pb->v_f + drift));
    return isfinite(hi) && a > 0 ? hi * s->dv / a : INFINITY;
}

/* March from t to target in equal steps of at most dt; 0, 1 when the run stopped, −1 out of memory. */
static int march(xf_scheme *s, xf_record *rec, double *t, double target, double m0, double *fired)
{
    const xf_problem *pb = s->pb;
    double start = *t;
    long m = (long)ceil((target - start) / pb->dt * (1 - 1e-9));
    if (m < 1)
        m = 1;
    double h_eq = (target - start) / m;
    for (long k = 1; k <= m; k++) {
        double t_new = k == m ? target : start + k * h_eq, h = t_new - *t;
        double rate = step(s, h, t_new);
        int finite = isfinite(rate);
        for (int i = 0; finite && i < s->n; i++)
            finite = isfinite(s->q_new[i]);
        double pe = peclet(s, rate, t_new);
        if (!finite || rate > RATE_CAP || pe > 2.0) {
            char why[200];
            snprintf(why, sizeof why,
                     "N = %g at t = %.17g (cell Peclet number %.3g > 2 or N > %g or a1 g >= 1): a blow-up this "
                     "scheme cannot pass", rate, t_new, pe, RATE_CAP);
            stop(rec, finite || isnan(rate) ? "blowup" : "failed", *t, why);
            return 1;
        }
        *fired += 0.5 * h * (rate + s->rate);
        accept(s, h, rate);
        *t = t_new;
        rec->steps++;
        double mass = mass_of(s), lo = min_of(s, &rec->max_density);
        rec->mass_drift = fmax(rec->mass_drift, fabs(mass - m0));
        rec->min_density = fmin(rec->min_density, lo);
        if (xf_record_row(rec, *t, rate, *fired, mass, lo, s->R))
            return -1;
    }
    return 0;
}

int xf_solve(const xf_problem *pb, xf_record *rec)
{
    clock_t c0 = clock();
    xf_scheme s = {0};
    if (setup(&s, pb))
        return -1;
    s.rec = rec;
    double t = 0.0, fired = 0.0, m0 = mass_of(&s);
    rec->status = "ok";
    rec->max_density = -INFINITY;
    rec->min_density = min_of(&s, &rec->max_density);
    int rc = xf_record_row(rec, 0.0, s.rate, 0.0, m0, rec->min_density, s.R);
    const char *why = unsupported(pb);
    if (why)
        stop(rec, "failed", 0.0, why);
    for (int k = 0; !rc && !why && k <= pb->n_snaps; k++) {
        double target = k < pb->n_snaps ? pb->snaps[k] : pb->t_final;
        if (k == pb->n_snaps && pb->n_snaps && pb->snaps[k - 1] >= pb->t_final * (1 - 1e-12))
            break; /* the last snapshot time is t_final: one snapshot */
        double d = pb->delay; /* the drift jumps at t = d (from N_h to N(0)): a step ends there, and BDF2
                               * restarts after it instead of reaching back across the jump (first order) */
        if (d > 0 && t < d * (1 - 1e-12) && d < target * (1 - 1e-12)) {
            rc = march(&s, rec, &t, d, m0, &fired);
            s.history = 0;
        }
        if (!rc && target > t * (1 + 1e-12) && target > 0)
            rc = march(&s, rec, &t, target, m0, &fired);
        if (rc)
            break;
        rc = snapshot(&s, rec, t);
    }
    if (rc == 1) { /* stopped early: the state where it stopped is the last snapshot */
        rc = rec->n_snap_out && rec->snap_t[rec->n_snap_out - 1] >= t ? 0 : snapshot(&s, rec, t);
    } else if (!rc && why)
        rc = snapshot(&s, rec, 0.0);
    rec->t_end = t;
    rec->cpu_seconds = (double)(clock() - c0) / CLOCKS_PER_SEC;
    free(s.mem);
    return rc < 0 ? -1 : 0;
}
