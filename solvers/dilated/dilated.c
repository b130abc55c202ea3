/* dilated.c — Scheme 3, the time-dilated scheme (MATHEMATICS.md §5): solver object, the rate equation,
 * one backward-Euler step in τ, the advance loop and the scheme type.
 *
 * One τ-step with M frozen (M from the rate equation on the current density):
 *     (I + Δτ A(M)) p^{k+1} = p^k + (re-injected Gaussian escapes at V_R)
 * A is (1 − M) × the physical SG operator (the Péclet number Δv(−v + I + bN)/a of a face is the
 * same in τ and t), with the outflow α_{n−1} p_{n−1} re-injected into cell r at the new level. A has
 * zero column sums and non-positive off-diagonals: mass exact and p ≥ 0 for every Δτ. Physical time
 * advances by (1 − M)Δτ ≥ 0, so t(τ) never decreases. The matrix is tridiagonal plus the entry
 * (r, n−1): one Thomas factorisation, two solves (rhs and e_r), and a scalar for p_{n−1}.
 *
 * Long-time rate, order 2 in Δv: the discrete stationary state does not depend on Δτ (backward
 * Euler's fixed point is the kernel of A). Its flux is piecewise constant (0 below V_R, N above), and
 * the SG flux is exact for a constant flux under a drift frozen on each face interval, so p_i is the
 * exact stationary profile of a problem whose drift is replaced by its midpoint value on each
 * [v_i, v_{i+1}] — an O(Δv) perturbation with zero cell mean, O(Δv²) on integrals. N is fixed by
 * Δv Σ p_i = 1, a trapezoid rule (p_n = 0, kink of p∞ at the node V_R): O(Δv²). Measured: ratios
 * 3.9–4.0 per halving on relax_* and bistable_low. The limit is the rate of the problem truncated at
 * V_min (zero flux), ~3e-5 relative above the exact (−∞, V_F] rate for V_min = −4.
 */
#include "dilated.h"

#include "../../exact/nlif_density.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Options (every Choice of MATHEMATICS.md §5 is one of these and is printed with the results). */

static const nlif_option_spec dil_options[] = {
    {"clock", NLIF_OPT_ENUM, "dilated", 0, 0, "dilated|physical", 1,
     "dτ = (1+N)dt with fixed Δτ = run.dt [DZ] (dilated), or fixed Δt = run.dt (physical)"},
    {"criterion", NLIF_OPT_ENUM, "density", 0, 0, "density|rate", 1,
     "MFE phase iff b·p_{n-1} >= 1 (density, mesh-independent) or N >= rate_threshold (rate)"},
    {"rate_threshold", NLIF_OPT_DOUBLE, "1000", 1, 1e300, NULL, 0,
     "rate above which criterion=rate starts an MFE phase"},
    {"kappa", NLIF_OPT_DOUBLE, "3", 0, 1e6, NULL, 1,
     "project a moving Gaussian onto the grid once sigma >= kappa*dv"},
    {"tail_sd", NLIF_OPT_DOUBLE, "8", 0, 50, NULL, 1,
     "also project it when mean + tail_sd*sigma comes within one cell of V_F"},
    {"gaussians", NLIF_OPT_BOOL, "true", 0, 1, NULL, 1,
     "carry the post-MFE Dirac as a moving OU Gaussian (false: drop it into cell V_R at once)"},
    {"mfe_cfl", NLIF_OPT_DOUBLE, "0.5", 1e-3, 1e3, NULL, 0,
     "b*dtau/dv of the implicit upwind transport in the MFE phase"},
    {"mfe_exact_end", NLIF_OPT_BOOL, "true", 0, 1, NULL, 1,
     "shorten the last MFE step so that the queue empties exactly at its end (secant on the step)"},
    {"runaway_mass", NLIF_OPT_DOUBLE, "1.5", 1e-6, 1e6, NULL, 1,
     "convention B: an MFE that fires more than this mass (some neurons twice) is a runaway"},
    {NULL, 0, NULL, 0, 0, NULL, 0, NULL},
};

/* ------------------------------------------------------------------------------------------ */
/* The rate equation  M = (1 − M)(a/Δv) B(−Pe_F(M)) p_{n−1}, solved for N = M/(1 − M) ≥ 0:
 *     f(N) = N − (a/Δv) B(−Δv(−v_F' + I + bN)/a) p_{n−1}.
 * (a/Δv)B(−Pe) is convex and increasing in N with slope → b p_{n−1}, so f has exactly one root
 * when b p_{n−1} < 1 (f(0) ≤ 0, f → +∞) and we bracket and bisect it (monotone, cannot fail).
 * Bisection is in N, geometric while the bracket spans a large ratio, so that 1 − M = 1/(1 + N)
 * keeps full relative accuracy even when N is huge just before an MFE. */
static double rate_residual(double n_rate, double p_last, double v_face, double input, double a, double b,
                            double dv)
{
    double pe = dv * (-v_face + input + b * n_rate) / a;
    return n_rate - a / dv * dil_bernoulli(-pe) * p_last;
}

double dil_rate(double p_last, double v_face, double input, double a, double b, double dv)
{
    if (!(p_last > 0))
        return 0.0;
    if (b * p_last >= 1.0)
        return INFINITY;
    double lo = 0.0, hi = 1.0;
    while (rate_residual(hi, p_last, v_face, input, a, b, dv) < 0) {
        lo = hi;
        hi *= 2.0;
        if (!isfinite(hi))
            return INFINITY;
    }
    for (int it = 0; it < 400; it++) {
        double mid = (lo > 0 && hi > 4.0 * lo) ? sqrt(lo * hi) : 0.5 * (lo + hi);
        if (!(mid > lo && mid < hi))
            break;
        if (rate_residual(mid, p_last, v_face, input, a, b, dv) < 0)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* ------------------------------------------------------------------------------------------ */

double dil_renormalise(double *p, int n, double target)
{
    /* The defect is a few ulp of the total: add it to the largest cell (a scale factor 1 ± 1e-17
     * is not representable and would bias every step by an ulp). */
    double now = nlif_sum(p, n);
    int imax = 0;
    for (int i = 1; i < n; i++)
        if (p[i] > p[imax])
            imax = i;
    double fixed = p[imax] + (target - now);
    if (fixed >= 0)
        p[imax] = fixed;
    return fabs(target - now);
}

double dil_grid_mass(const dil_solver *s) { return nlif_sum(s->p, s->n) * s->dv; }

double dil_mass(const dil_solver *s)
{
    double m = dil_grid_mass(s) + s->queue + (s->dirac + s->dirac_c);
    for (int k = 0; k < s->n_g; k++)
        m += s->g[k].mass - s->g[k].fired;
    return m;
}

int dil_record(dil_solver *s, double rate, nlif_error *err)
{
    double mn = s->queue < s->dirac ? s->queue : s->dirac, mx = 0;
    for (int i = 0; i < s->n; i++) {
        if (s->p[i] < mn)
            mn = s->p[i];
        if (s->p[i] > mx)
            mx = s->p[i];
    }
    for (int k = 0; k < s->n_g; k++)
        if (s->g[k].mass - s->g[k].fired < mn)
            mn = s->g[k].mass - s->g[k].fired;
    nlif_traj_note_max(s->traj, mx);
    if (nlif_traj_record(s->traj, s->t, rate, s->fired, dil_mass(s), mn))
        return nlif_fail(err, NLIF_ENOMEM, "dilated: trajectory sample");
    return NLIF_OK;
}

static void remove_gaussian(dil_solver *s, int k)
{
    s->g[k] = s->g[--s->n_g];
}

void dil_project_all(dil_solver *s)
{
    while (s->n_g > 0) {
        dil_gaussian_project(&s->g[s->n_g - 1], s->v[0], s->dv, s->n, s->p);
        s->n_g--;
        s->n_projected++;
    }
}

/* Project the Gaussians that are wide enough or whose tail nears V_F. */
static void project_ready(dil_solver *s)
{
    const nlif_model *m = &s->cs.model;
    for (int k = s->n_g - 1; k >= 0; k--) {
        double sd = sqrt(s->g[k].var);
        if (sd >= s->kappa * s->dv || s->g[k].mean + s->tail_sd * sd >= m->v_f - s->dv) {
            dil_gaussian_project(&s->g[k], s->v[0], s->dv, s->n, s->p);
            remove_gaussian(s, k);
            s->n_projected++;
        }
    }
}

/* The face coefficients for frozen M (in τ units): J_{i+1/2} = alpha_i p_i − beta_i p_{i+1}. */
static void face(const dil_solver *s, int i, double M, double input, double *alpha, double *beta)
{
    double vf = s->v[i] + 0.5 * s->dv;
    double c = (1.0 - M) * (-s->leak * vf + input) + s->b * M;
    double d = s->a * (1.0 - M);
    dil_sg_coeffs(c, d, s->dv, alpha, beta);
}

/* One backward-Euler τ-step with M frozen; src (mass) is re-injected at V_R. Returns the mass that
 * fired through V_F in the step. Works on s->p in place; O(n), no allocation. */
static double tau_step(dil_solver *s, double M, double input, double dtau, double src)
{
    int n = s->n, r = s->r;
    double lam = dtau / s->dv;
    double *sub = s->sub, *diag = s->diag, *sup = s->sup;
    double beta_prev = 0.0, alpha_prev = 0.0, alpha_out = 0.0;
    for (int i = 0; i < n; i++) {
        double al, be;
        face(s, i, M, input, &al, &be);
        if (i == 0 && n > 1)
            al *= 2.0; /* the half control volume at the wall: density 2u_0 at V_min (MATHEMATICS.md §1.3) */
        if (i == n - 1) {   /* last face: p_n = 0, only the outflow α p_{n−1} */
            be = 0.0;
            alpha_out = al;
        }
        diag[i] = 1.0 + lam * (al + beta_prev);
        sub[i] = -lam * alpha_prev;   /* coefficient of p_{i−1} in row i */
        sup[i] = -lam * be;           /* coefficient of p_{i+1} in row i */
        alpha_prev = al;
        beta_prev = be;
    }
    /* Thomas: forward elimination on the rhs p + src e_r and on e_r together. */
    double *cp = s->cp, *y = s->y, *z = s->z;
    s->p[r] += src / s->dv;
    double before = nlif_sum(s->p, n);   /* the outflow re-enters: the grid keeps this mass */
    double den = diag[0];
    cp[0] = sup[0] / den;
    y[0] = s->p[0] / den;
    z[0] = (r == 0) / den;
    for (int i = 1; i < n; i++) {
        den = diag[i] - sub[i] * cp[i - 1];
        cp[i] = sup[i] / den;
        y[i] = (s->p[i] - sub[i] * y[i - 1]) / den;
        z[i] = ((i == r) - sub[i] * z[i - 1]) / den;
    }
    for (int i = n - 2; i >= 0; i--) {
        y[i] -= cp[i] * y[i + 1];
        z[i] -= cp[i] * z[i + 1];
    }
    /* p = y + (λ α_out x) z with x = p_{n−1}: x = y_{n−1}/(1 − λ α_out z_{n−1}). */
    double g = lam * alpha_out;
    double x = y[n - 1] / (1.0 - g * z[n - 1]);
    for (int i = 0; i < n; i++)
        s->p[i] = y[i] + g * x * z[i];
    s->p[n - 1] = x;
    double fix = dil_renormalise(s->p, n, before) * s->dv;
    if (fix > s->renorm_max)
        s->renorm_max = fix;
    return dtau * alpha_out * s->p[n - 1];
}

/* Shift the grid density by the instantaneous kick (mass-exact linear split between the two cells
 * the shifted cell overlaps); mass pushed beyond V_F goes to the queue (it fires at t0). */
static void apply_kick(dil_solver *s, double shift)
{
    int n = s->n;
    /* beyond the grid either way every cell lands in the first cell or the queue: clamp before the
     * cast, so that a kick of any size is an int shift */
    double q = fmax(-(n + 2.0), fmin(n + 2.0, shift / s->dv));
    int k = (int)floor(q);
    double f = q - k;
    double *tmp = s->save;
    for (int i = 0; i < n; i++)
        tmp[i] = 0.0;
    double over = 0.0;
    for (int i = 0; i < n; i++) {
        double m = s->p[i] * s->dv;
        int j0 = i + k, j1 = i + k + 1;
        double m0 = m * (1.0 - f), m1 = m * f;
        if (j0 >= n) over += m0; else if (j0 < 0) tmp[0] += m0 / s->dv; else tmp[j0] += m0 / s->dv;
        if (j1 >= n) over += m1; else if (j1 < 0) tmp[0] += m1 / s->dv; else tmp[j1] += m1 / s->dv;
    }
    memcpy(s->p, tmp, n * sizeof *tmp);
    s->queue += over;
}

static int mfe_due(const dil_solver *s, double rate)
{
    if (s->queue > 0)
        return 1;
    if (s->criterion_density)
        return s->b * s->p[s->n - 1] >= 1.0;
    return !(rate < s->rate_threshold);
}

static int dil_advance_work(dil_solver *s, double t_end, nlif_error *err)
{
    const nlif_model *m = &s->cs.model;
    const nlif_input *in = &s->cs.input;
    double v_face = s->v[s->n - 1] + 0.5 * s->dv;
    while (s->traj->status == NLIF_STATUS_OK && s->t < t_end) {
        /* The kick falls in (t_prev, t0]: we land on t0 exactly, then shift. */
        if (in->type == NLIF_INPUT_KICK && !s->kick_done && s->t >= in->t0) {
            dil_project_all(s);
            apply_kick(s, in->kick);
            s->kick_done = 1;
            if (nlif_traj_event(s->traj, "kick", s->t, in->kick))
                return nlif_fail(err, NLIF_ENOMEM, "dilated: event");
        }
        double input = nlif_input_current(in, s->t);
        double rate = dil_rate(s->p[s->n - 1], v_face, input, s->a, s->b, s->dv);
        if (mfe_due(s, rate)) {
            int rc = dil_mfe_phase(s, err);
            if (rc)
                return rc;
            continue;
        }
        s->rate = rate;
        double M = rate / (1.0 + rate), one_m = 1.0 / (1.0 + rate);
        double t_stop = t_end;
        if (in->type == NLIF_INPUT_KICK && !s->kick_done && in->t0 > s->t && in->t0 < t_stop)
            t_stop = in->t0;
        double dtau = s->clock_dilated ? s->dtau : s->dt / one_m;
        double dt = one_m * dtau;
        int land = nlif_step_to(s->t, t_stop, dt, &dt);
        if (land)
            dtau = dt / one_m;
        /* Moving Gaussians: exact OU step with N frozen; their new mass beyond V_F fires and is
         * re-injected at V_R with the grid's own outflow. */
        double escaped = 0.0;
        for (int k = 0; k < s->n_g; k++) {
            dil_gaussian_step(&s->g[k], s->b * rate + input, s->a, dt);
            double above = dil_gaussian_mass_above(&s->g[k], m->v_f);
            if (above > s->g[k].fired) {
                escaped += above - s->g[k].fired;
                s->g[k].fired = above;
            }
        }
        double out = tau_step(s, M, input, dtau, escaped);
        s->t = land ? t_stop : s->t + dt;
        s->tau += dtau;
        s->tau_steps++;
        s->fired += out + escaped;
        project_ready(s);
        double n_step = dt > 0 ? (out + escaped) / dt : rate;
        int rc = dil_record(s, n_step, err);
        if (rc)
            return rc;
        if (!isfinite(s->p[s->n - 1])) {
            nlif_traj_set_status(s->traj, NLIF_STATUS_FAILED, s->t, "dilated: non-finite density");
            return NLIF_OK;
        }
    }
    return NLIF_OK;
}

static void put_stats(dil_solver *s)
{
    nlif_trajectory *tr = s->traj;
    nlif_traj_stat(tr, "mass_grid", dil_grid_mass(s));
    nlif_traj_stat(tr, "mass_renormalisation_max", s->renorm_max);
    nlif_traj_stat(tr, "mass_queue", s->queue);
    nlif_traj_stat(tr, "mass_dirac", s->dirac);
    double mg = 0;
    for (int k = 0; k < s->n_g; k++)
        mg += s->g[k].mass - s->g[k].fired;
    nlif_traj_stat(tr, "mass_gaussians", mg);
    nlif_traj_stat(tr, "gaussians_alive", s->n_g);
    nlif_traj_stat(tr, "gaussians_projected", (double)s->n_projected);
    nlif_traj_stat(tr, "mfe_count", (double)s->n_mfe);
    nlif_traj_stat(tr, "tau_steps", (double)s->tau_steps);
    nlif_traj_stat(tr, "mfe_steps", (double)s->mfe_steps);
    nlif_traj_stat(tr, "tau", s->tau);
    nlif_traj_stat(tr, "cells", s->n);
}

/* ------------------------------------------------------------------------------------------ */
/* Scheme-type callbacks: checked entry (alloc validates) over the work routines. */

static void dil_free(void *state)
{
    dil_solver *s = state;
    if (!s)
        return;
    free(s->v);
    free(s->p);
    free(s->sub);
    free(s->diag);
    free(s->sup);
    free(s->cp);
    free(s->y);
    free(s->z);
    free(s->save);
    free(s->pre);
    free(s->prof);
    free(s);
}

static int dil_alloc(void **state, const nlif_case *cs, const nlif_optset *opt, nlif_trajectory *traj,
                     nlif_error *err)
{
    *state = NULL;
    const nlif_model *m = &cs->model;
    if (cs->structure.enabled)
        return nlif_fail(err, NLIF_EINVAL, "dilated: structured networks are not supported");
    if (m->a1 != 0)
        return nlif_fail(err, NLIF_EINVAL, "dilated: a1 > 0 is not supported (a = a0 only)");
    if (!(m->a0 > 0))
        return nlif_fail(err, NLIF_EINVAL, "dilated: model.a0 must be > 0 (got %g)", m->a0);
    if (!(cs->run.dt > 0))
        return nlif_fail(err, NLIF_EINVAL, "dilated: run.dt must be > 0 (got %g)", cs->run.dt);
    int n, r;
    if (nlif_grid_nodes(m, cs->run.dv, &n, &r) || n < 4 || r < 1 || r >= n)
        return nlif_fail(err, NLIF_EINVAL, "dilated: run.dv = %g does not put V_min, V_R, V_F on nodes", cs->run.dv);
    if (opt->spec != dil_options)
        return nlif_fail(err, NLIF_EINVAL, "dilated: option set is not the dilated scheme's");

    dil_solver *s = calloc(1, sizeof *s);
    if (!s)
        return nlif_fail(err, NLIF_ENOMEM, "dilated: solver");
    s->cs = *cs;
    s->traj = traj;
    s->n = n;
    s->r = r;
    s->dv = (m->v_f - m->v_min) / n;
    s->dt = cs->run.dt;
    s->dtau = cs->run.dt;
    s->a = m->a0;
    s->b = m->b;
    s->leak = 1.0;
    s->clock_dilated = nlif_opt_enum(opt, "clock") == 0;
    s->criterion_density = nlif_opt_enum(opt, "criterion") == 0;
    s->rate_threshold = nlif_opt_double(opt, "rate_threshold");
    s->kappa = nlif_opt_double(opt, "kappa");
    s->tail_sd = nlif_opt_double(opt, "tail_sd");
    s->use_gaussians = nlif_opt_bool(opt, "gaussians");
    s->mfe_cfl = nlif_opt_double(opt, "mfe_cfl");
    s->mfe_exact_end = nlif_opt_bool(opt, "mfe_exact_end");
    s->runaway_mass = nlif_opt_double(opt, "runaway_mass");
    s->last_mfe_t = NAN;
    size_t sz = (size_t)(n + 1) * sizeof(double);
    s->v = malloc(sz);
    s->p = malloc(sz);
    s->sub = malloc(sz);
    s->diag = malloc(sz);
    s->sup = malloc(sz);
    s->cp = malloc(sz);
    s->y = malloc(sz);
    s->z = malloc(sz);
    s->save = malloc(sz);
    s->pre = calloc((size_t)n + 1, sizeof(double));
    s->prof = calloc((size_t)n + 1, sizeof(double));
    if (!s->pre || !s->prof || !s->v || !s->p || !s->sub || !s->diag || !s->sup || !s->cp || !s->y || !s->z || !s->save) {
        dil_free(s);
        return nlif_fail(err, NLIF_ENOMEM, "dilated: grid of %d cells", n);
    }
    nlif_grid_fill(m, s->dv, n, r, s->v);

    /* Initial law: the one projection (MATHEMATICS.md §1.3); p = 0 is imposed at V_F. */
    int rc = nlif_initial_project(cs, s->dv, n, s->p, err);
    if (rc) {
        dil_free(s);
        nlif_error_prefix(err, "dilated: initial law");
        return rc;
    }
    s->p[n] = 0.0;

    double input = nlif_input_current(&cs->input, 0.0);
    double rate = dil_rate(s->p[n - 1], s->v[n - 1] + 0.5 * s->dv, input, s->a, s->b, s->dv);
    s->rate = isfinite(rate) ? rate : 0.0;
    rc = dil_record(s, isfinite(rate) ? rate : 0.0, err);
    if (rc) {
        dil_free(s);
        return rc;
    }
    put_stats(s);
    *state = s;
    return NLIF_OK;
}

static int dil_advance(void *state, double t_end, nlif_error *err)
{
    dil_solver *s = state;
    if (!s)
        return nlif_fail(err, NLIF_EINVAL, "dilated: advance on a NULL state");
    if (!(t_end >= s->t))
        return nlif_fail(err, NLIF_EINVAL, "dilated: advance to t = %g before the current time %g", t_end, s->t);
    int rc = dil_advance_work(s, t_end, err);
    put_stats(s);
    return rc;
}

static int dil_profile(void *state, nlif_profile *out)
{
    dil_solver *s = state;
    memset(out, 0, sizeof *out);
    out->t = s->t;
    out->n = s->n + 1;
    out->v = s->v;
    memcpy(s->prof, s->p, (size_t)(s->n + 1) * sizeof *s->prof);
    if (s->n > 1)
        s->prof[0] *= 2.0; /* the density at the wall: node 0 holds the half cell (MATHEMATICS.md §1.3) */
    out->p = s->prof;
    int k = 0;
    if (s->dirac > 0 && k < NLIF_PROFILE_MAX_ATOMS) {
        out->atom_v[k] = s->cs.model.v_r;
        out->atom_mass[k++] = s->dirac;
    }
    if (s->queue > 0 && k < NLIF_PROFILE_MAX_ATOMS) {
        out->atom_v[k] = s->cs.model.v_f;
        out->atom_mass[k++] = s->queue;
    }
    for (int j = 0; j < s->n_g && k < NLIF_PROFILE_MAX_ATOMS; j++) {
        out->atom_v[k] = s->g[j].mean;
        out->atom_mass[k++] = s->g[j].mass - s->g[j].fired;
    }
    out->n_atoms = k;
    return NLIF_OK;
}

const nlif_scheme_type nlif_scheme_dilated = {
    .name = "dilated",
    .title = "time-dilated scheme through multiple firing events (SG fluxes, MFE phase, moving Gaussians)",
    .source = "Dou, Tao, Xue, Zhou, arXiv:2603.18475 (2026); Dou, Zhou, arXiv:2206.06972 — reconstruction",
    .flags = NLIF_SUPPORTS_1D | NLIF_SUPPORTS_MFE | NLIF_SUPPORTS_CONVENTION_B | NLIF_SUPPORTS_KICK | NLIF_HAS_TIME_STEP,
    .order_t = 1.0,
    .order_v_density = 2.0,
    .order_v_rate = 2.0,
    .order_w = NAN,
    .options = dil_options,
    .alloc = dil_alloc,
    .advance = dil_advance,
    .profile = dil_profile,
    .free = dil_free,
};
