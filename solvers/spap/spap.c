/* spap.c — Scheme 1, the structure-preserving asymptotic-preserving scheme [SPAP] (MATHEMATICS.md §1.2,
 * §3): the solver object, one time step, and the scheme type of the registry.
 *
 * One step from t^k to t^{k+1} = t^k + Δt, coefficients frozen at N^k (semi-implicit):
 *   1. learning transport in w (conservative upwind, explicit or implicit):  q = p^k − Δt D_w(G^k),
 *      and the slice masses it implies (the exactly known ρ_j^{k+1});
 *   2. per slice j: (I + (Δt/ε) A_j(N^k)) p_j^{k+1} = q_j — Maxwellian fluxes, implicit outflow and
 *      re-injection at V_R (spap_linalg.c); then the slice-mass guard rescales p_j^{k+1} to ρ_j^{k+1};
 *   3. N_j^{k+1} = c_out p_{n−1,j}^{k+1}, N^{k+1} = Σ_j Δw N_j^{k+1}; blow-up indicators.
 * A manufactured case (MATHEMATICS.md §6b) adds Δt times the cell means of its source S(·, t^{k+1})
 * (core/nlif_mms.h) to the right-hand side of step 2; without one the step is unchanged.
 * The 1D model is one slice w = b with ε = 1 and no transport; a(N) = a0 + a1 N^k is frozen too.
 * A synaptic delay d > 0 (MATHEMATICS.md §1.4, 1D full mode) freezes the drift at N(t^k − d), read from
 * the history of N^k (core/nlif_delay.h); the step is otherwise the same, so mass and positivity hold
 * as without it.
 * Mode "limit" replaces step 2 by the ε = 0 limit (spap_limit.c). A refractory period (1D) replaces the
 * re-injection of step 2 by the implicit refractory state (spap_refractory.c).
 */
#include "spap.h"

#include "../../core/nlif_mms.h"
#include "../../exact/nlif_density.h"
#include "../../exact/nlif_exact.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const nlif_option_spec spap_options[] = {
    {"outflow", NLIF_OPT_ENUM, "maxwellian", 0, 0, "maxwellian|one_sided", 1,
     "outflow through the last face: (a/Δv)(M_{n−1/2}/M_{n−1}) p_{n−1} or a p_{n−1}/Δv (both order 2 in N as measured: N is set by the interior flux and the mass, MATHEMATICS.md 6)"},
    {"w_transport", NLIF_OPT_ENUM, "explicit", 0, 0, "explicit|implicit", 1,
     "learning flux, conservative upwind in w: explicit (CFL Δt·max|K|/Δw ≤ 1) or implicit (no condition)"},
    {"mode", NLIF_OPT_ENUM, "full", 0, 0, "full|limit", 0,
     "full SP-AP scheme, or the ε = 0 limit scheme (each slice set to ρ_j × discrete stationary profile)"},
    {"mass_guard", NLIF_OPT_BOOL, "on", 0, 1, NULL, 1,
     "rescale each slice to its exactly known mass ρ_j^{k+1} after the solve (guard for Δt/ε ≫ 1)"},
    {"blowup_indicator", NLIF_OPT_DOUBLE, "0.5", 1e-6, 1e6, NULL, 1,
     "stop with status blowup when max(w)·Σ_j Δw p_{n−1,j} (1D: b·p_{n−1}, cascade at 1) reaches this"},
    {"noise_indicator", NLIF_OPT_DOUBLE, "0.99", 1e-6, 1, NULL, 1,
     "a1 > 0: stop with status blowup when a1·g reaches this, g = −∂_v p(V_F) discrete"},
    {"rate_cap", NLIF_OPT_DOUBLE, "1e4", 1e-6, 1e300, NULL, 1, "stop with status blowup when N exceeds this"},
    {NULL, 0, NULL, 0, 0, NULL, 0, NULL},
};

/* Weight of a slice in N = Σ_j Δw N_j and in the total mass: Δw, or 1 for the 1D model. */
static double slice_weight(const spap *s) { return s->cs.structure.enabled ? s->dw : 1.0; }

double spap_outflow_coefficient(const spap *s, double a, const double *alpha)
{
    double c = a / s->dv;
    return s->outflow == SPAP_OUTFLOW_MAXWELLIAN ? c * alpha[s->n - 1] : c;
}

double spap_slice_coefficients(spap *s, int j, double rate, double t)
{
    return spap_slice_coefficients_delayed(s, j, rate, rate, t);
}

double spap_slice_coefficients_delayed(spap *s, int j, double rate, double drift_rate, double t)
{
    double a = nlif_noise(&s->cs.model, rate);
    double mu = s->w[j] * drift_rate + nlif_input_current(&s->cs.input, t);
    spap_face_coefficients(s->n, s->cs.model.v_min, s->dv, a, mu, s->alpha, s->beta);
    /* Node 0 sits on the zero-flux wall V_min: its control volume is the half cell [V_min, V_min + Δv/2]
     * and its unknown u_0 is that half cell's mass over Δv (nlif_initial_project), so the density there
     * is 2u_0 and the face-1/2 coefficient of column 0 doubles (MATHEMATICS.md §1.3; column sums stay 0,
     * still an M-matrix). The closed-form stationary profile reads the same α. */
    if (s->n > 1)
        s->alpha[0] *= 2.0;
    return a;
}

/* Sum, min and max of the state; the mass is Σ_j W Δv Σ_i p_ij. (Plain comparisons, not fmin/fmax:
 * they vectorise; a NaN would show in the rate check anyway.) */
static void measure(const spap *s, double *mass, double *pmin, double *pmax)
{
    double m = 0, lo = INFINITY, hi = 0;
    for (int j = 0; j < s->nw; j++) {
        const double *pj = s->p + (size_t)j * s->n;
        double sj = 0;
        for (int i = 0; i < s->n; i++) {
            double x = pj[i];
            sj += x;
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
        }
        m += sj;
    }
    *mass = m * s->dv * slice_weight(s);
    *pmin = lo;
    *pmax = hi;
}

static double total_rate(const spap *s)
{
    double r = 0;
    for (int j = 0; j < s->nw; j++)
        r += s->rate_w[j];
    return r * slice_weight(s);
}

/* Check the blow-up indicators after a step; set the status and return 1 to stop. */
static int check_blowup(spap *s)
{
    const nlif_model *m = &s->cs.model;
    int n = s->n;
    double N = s->rate;
    if (!isfinite(N)) {
        nlif_traj_set_status(s->traj, NLIF_STATUS_FAILED, s->t, "firing rate is not finite (N = %g)", N);
        return 1;
    }
    double wmax = -INFINITY, plast = 0;
    for (int j = 0; j < s->nw; j++) {
        wmax = fmax(wmax, s->w[j]);
        plast += s->p[(size_t)j * n + n - 1];
    }
    double ind = wmax * plast * slice_weight(s);
    if (ind >= s->theta_b) {
        nlif_traj_set_status(s->traj, NLIF_STATUS_BLOWUP, s->t,
                             "discrete blow-up indicator %s·p_{n-1} = %.6g reached %.6g (N = %.6g)",
                             s->cs.structure.enabled ? "max w" : "b", ind, s->theta_b, N);
        return 1;
    }
    if (m->a1 > 0) {
        /* g = −∂_v p(V_F) in discrete form: N^{k+1} = a(N^k) g. */
        double g = N / nlif_noise(m, s->last_rate_for_a);
        if (m->a1 * g >= s->theta_noise) {
            nlif_traj_set_status(s->traj, NLIF_STATUS_BLOWUP, s->t,
                                 "rate-dependent noise: a1·g = %.6g reached %.6g (N = %.6g)", m->a1 * g,
                                 s->theta_noise, N);
            return 1;
        }
    }
    if (N > s->rate_cap) {
        nlif_traj_set_status(s->traj, NLIF_STATUS_BLOWUP, s->t, "firing rate N = %.6g exceeded the cap %.6g", N,
                             s->rate_cap);
        return 1;
    }
    return 0;
}

int spap_step(spap *s, double h, nlif_error *err)
{
    if (s->two)
        return spap_ei_step(s, h, err); /* two populations (spap_ei.c) */
    int n = s->n, nw = s->nw;
    double rate_old = s->rate, t_new = s->t + h;
    /* the drift's rate: N^k, or with a delay N(t^k − d) from the history (a(N) keeps N^k) */
    double rate_drift = s->delayed ? nlif_delay_at(&s->delay, s->t - s->cs.model.delay) : rate_old;
    s->last_rate_for_a = rate_old;
    if (s->mode == SPAP_MODE_LIMIT) {
        int rc = spap_limit_step(s, h, rate_old, err);
        if (rc)
            return rc;
    } else {
        int transport = s->cs.structure.enabled && nw > 1 && s->cs.structure.rule != NLIF_RULE_NONE;
        double *target = s->p;
        if (transport) {
            spap_w_transport(s, h, rate_old);
            target = s->q;
        }
        if (s->src) { /* the manufactured source at the new time level, as backward Euler takes it */
            nlif_mms_cell_sources(&s->cs, t_new, s->dv, n, s->src);
            for (int i = 0; i < n; i++)
                target[i] += h * s->src[i];
            s->mass_slice[0] += h * nlif_sum(s->src, n); /* ∫ S = 0: round-off, kept for the guard */
        }
        double lam = h / (s->eps * s->dv);
        /* With the guard on, its scaling pass also measures the scaled values (the mass is summed
         * from the stored numbers, in the order measure() uses), which saves a pass per step. */
        double m_sum = 0, m_lo = INFINITY, m_hi = 0;
        for (int j = 0; j < nw; j++) {
            double *xj = target + (size_t)j * n;
            double a = spap_slice_coefficients_delayed(s, j, rate_old, rate_drift, t_new);
            double c_out = spap_outflow_coefficient(s, a, s->alpha);
            double sum = s->tau_ref > 0 ? spap_refractory_solve(s, h, lam * a / s->dv, lam * c_out, c_out, xj)
                                        : spap_solve_slice(n, s->r, lam * a / s->dv, s->alpha, s->beta, lam * c_out, xj, s->work);
            if (s->mass_guard) {
                double want = s->mass_slice[j];
                if (fabs(want - sum) * s->dv > s->renorm_max)
                    s->renorm_max = fabs(want - sum) * s->dv;
                double f = sum > 0 && want > 0 ? want / sum : 1.0, sj = 0;
                for (int i = 0; i < n; i++) {
                    double x = xj[i] * f;
                    xj[i] = x;
                    sj += x;
                    m_lo = x < m_lo ? x : m_lo;
                    m_hi = x > m_hi ? x : m_hi;
                }
                m_sum += sj;
            }
            s->rate_w[j] = c_out * xj[n - 1];
        }
        s->measured = s->mass_guard;
        s->m_mass = m_sum * s->dv * slice_weight(s);
        s->m_lo = m_lo;
        s->m_hi = m_hi;
        if (transport) {
            double *tmp = s->p;
            s->p = s->q;
            s->q = tmp;
        }
    }
    s->t = t_new;
    s->rate = total_rate(s);
    s->fired += h * s->rate;
    double mass = s->m_mass, pmin = s->m_lo, pmax = s->m_hi;
    if (!s->measured || s->mode == SPAP_MODE_LIMIT)
        measure(s, &mass, &pmin, &pmax);
    s->measured = 0;
    nlif_traj_note_max(s->traj, pmax);
    if (s->tau_ref > 0 ? nlif_traj_record_refractory(s->traj, s->t, s->rate, s->fired, mass + s->refr, pmin, s->refr)
                       : nlif_traj_record(s->traj, s->t, s->rate, s->fired, mass, pmin))
        return nlif_fail(err, NLIF_ENOMEM, "spap: trajectory sample at t = %g", s->t);
    if (s->delayed && nlif_delay_push(&s->delay, s->t, s->rate, NAN, err))
        return NLIF_ENOMEM;
    if (check_blowup(s))
        s->stopped = 1;
    return NLIF_OK;
}

/* ---- the scheme object --------------------------------------------------------------------- */

static void spap_free(void *state)
{
    spap *s = state;
    if (!s)
        return;
    free(s->v);
    free(s->w);
    free(s->p);
    free(s->q);
    free(s->mass_slice);
    free(s->rate_w);
    free(s->alpha);
    free(s->beta);
    free(s->work);
    free(s->prof);
    free(s->kf);
    free(s->winvd);
    free(s->wmult);
    free(s->wsup);
    free(s->wtmp);
    free(s->pmarg);
    free(s->rho);
    free(s->src);
    nlif_delay_free(&s->delay);
    free(s->zr);
    free(s->p_i);
    free(s->pmarg_i);
    free(s);
}

/* N^0 from the initial density: the outflow coefficient depends on N through μ (and a), so iterate
 * N ← Σ_j W c_out(N) p_{n−1,j} (a contraction of factor O(Δv) for a1 = 0). */
static void initial_rate(spap *s)
{
    double N = 0;
    for (int it = 0; it < 100; it++) {
        double Nn = 0;
        for (int j = 0; j < s->nw; j++) {
            /* with a delay the drift at t = 0 reads the history N(−d) */
            double a = spap_slice_coefficients_delayed(s, j, N, s->delayed ? s->cs.model.delay_history : N, 0.0);
            s->rate_w[j] = spap_outflow_coefficient(s, a, s->alpha) * s->p[(size_t)j * s->n + s->n - 1];
            Nn += s->rate_w[j];
        }
        Nn *= slice_weight(s);
        int done = fabs(Nn - N) <= 1e-15 * fabs(Nn);
        N = Nn;
        if (done || !isfinite(N))
            break;
    }
    s->rate = N;
}

/* The checked entry of spap_alloc: everything the work routines trust, and the grid it gives. */
typedef struct spap_grid {
    int n, r, nw;
    double dw, eps;
} spap_grid;

static int spap_check(const nlif_case *cs, const nlif_optset *opt, spap_grid *g, nlif_error *err)
{
    const nlif_model *m = &cs->model;
    const nlif_structure *st = &cs->structure;
    /* checked entry: everything the work routines trust */
    if (cs->input.type == NLIF_INPUT_KICK)
        return nlif_fail(err, NLIF_EINVAL, "spap: instantaneous input (kick) is not supported");
    if (!(m->a0 > 0) || m->a1 < 0)
        return nlif_fail(err, NLIF_EINVAL, "spap: noise a0 = %g, a1 = %g (need a0 > 0, a1 ≥ 0)", m->a0, m->a1);
    if (!(cs->run.dt > 0))
        return nlif_fail(err, NLIF_EINVAL, "spap: run.dt = %g must be positive", cs->run.dt);
    if (nlif_grid_nodes(m, cs->run.dv, &g->n, &g->r))
        return nlif_fail(err, NLIF_EINVAL, "spap: Δv = %g does not put V_R = %g and V_F = %g on nodes from V_min = %g",
                         cs->run.dv, m->v_r, m->v_f, m->v_min);
    if (g->n < 3 || g->r < 0 || g->r >= g->n)
        return nlif_fail(err, NLIF_EINVAL, "spap: grid with %d cells and V_R at node %d (need n ≥ 3, 0 ≤ r < n)", g->n, g->r);
    int mode = nlif_opt_enum(opt, "mode");
    if (m->tau_ref > 0 && (mode != SPAP_MODE_FULL || st->enabled))
        return nlif_fail(err, NLIF_EINVAL, "spap: a refractory period needs mode = full on the 1D model");
    if (cs->manufactured.enabled && (mode != SPAP_MODE_FULL || st->enabled))
        return nlif_fail(err, NLIF_EINVAL, "spap: the manufactured source needs mode = full on the 1D model (the limit "
                         "mode has no right-hand side to add it to)");
    if (m->populations == 2 && (mode != SPAP_MODE_FULL || !(m->a0_i > 0) || m->a1_i < 0))
        return nlif_fail(err, NLIF_EINVAL, "spap: two populations need mode = full and a0_I > 0, a1_I >= 0");
    if (m->delay > 0 && (mode != SPAP_MODE_FULL || st->enabled))
        return nlif_fail(err, NLIF_EINVAL, "spap: a synaptic delay needs mode = full on the 1D model (the limit mode "
                         "and the weight classes read N undelayed)");
    g->nw = 1;
    g->dw = 1.0;
    g->eps = 1.0;
    if (st->enabled) {
        if (!(st->w_max > st->w_min))
            return nlif_fail(err, NLIF_EINVAL, "spap: structure w range [%g, %g] is empty", st->w_min, st->w_max);
        if (!(cs->run.dw > 0))
            return nlif_fail(err, NLIF_EINVAL, "spap: run.dw = %g must be positive", cs->run.dw);
        g->nw = (int)lround((st->w_max - st->w_min) / cs->run.dw);
        if (g->nw < 1)
            g->nw = 1;
        g->dw = (st->w_max - st->w_min) / g->nw;
        g->eps = st->epsilon;
        if (mode == SPAP_MODE_FULL && !(g->eps > 0))
            return nlif_fail(err, NLIF_EINVAL, "spap: structure.epsilon = %g must be positive (or use --opt mode=limit)",
                             g->eps);
    }
    if ((double)g->n * g->nw > 1e8)
        return nlif_fail(err, NLIF_EINVAL, "spap: grid of %d × %d points is too large", g->n, g->nw);
    int wtransport = nlif_opt_enum(opt, "w_transport");
    if (st->enabled && st->rule == NLIF_RULE_LINEAR && wtransport == SPAP_W_EXPLICIT && g->nw > 1) {
        double kmax = st->rate * fmax(fabs(st->w_star - st->w_min), fabs(st->w_max - st->w_star));
        double cfl = cs->run.dt * kmax / g->dw;
        if (cfl > 1.0)
            return nlif_fail(err, NLIF_EINVAL,
                             "spap: explicit upwind in w needs Δt·max|K|/Δw ≤ 1, here %g (Δt = %g, max|K| = %g, Δw = %g);"
                             " reduce run.dt or use --opt w_transport=implicit",
                             cfl, cs->run.dt, kmax, g->dw);
    }

    return NLIF_OK;
}

/* The initial data (MATHEMATICS.md §1.3), the initial rate and the first sample of the trajectory. */
static int spap_initial(spap *s, const nlif_case *cs, nlif_trajectory *traj, nlif_error *err)
{
    const nlif_structure *st = &cs->structure;
    int n = s->n, nw = s->nw;
    double dw = s->dw, eps = s->eps;
    if (s->two)
        return spap_ei_initial(s, cs, err);
    /* Initial data: the one projection of the voltage law (MATHEMATICS.md §1.3) times the
     * mass-exact cell means of the weight law. */
    int rc = nlif_initial_project(cs, s->dv, n, s->prof, err);
    if (rc) {
        nlif_error_prefix(err, "spap: initial density");
        return rc;
    }
    nlif_density dens;
    if (st->enabled) {
        rc = nlif_weight_density_init(&dens, st, err);
        if (rc) {
            nlif_error_prefix(err, "spap: initial weight law");
            return rc;
        }
        nlif_density_cell_means(&dens, st->w_min + 0.5 * dw, dw, nw, s->rho);
        nlif_density_free(&dens);
        double rs = 0;
        for (int j = 0; j < nw; j++)
            rs += s->rho[j];
        if (!(rs > 0)) {
            return nlif_fail(err, NLIF_EINVAL, "spap: the initial weight law has no mass on [%g, %g]", st->w_min,
                             st->w_max);
        }
        for (int j = 0; j < nw; j++)
            s->rho[j] /= rs * dw;
    } else
        s->rho[0] = 1.0;
    for (int j = 0; j < nw; j++) {
        double *pj = s->p + (size_t)j * n, ms = 0;
        for (int i = 0; i < n; i++) {
            pj[i] = s->rho[j] * s->prof[i];
            ms += pj[i];
        }
        s->mass_slice[j] = ms;
    }
    if (s->tau_ref > 0 && (rc = nlif_initial_refractory(cs, &s->refr, err)))
        return rc;
    s->mass_total = s->mass_slice[0] + s->refr / s->dv; /* the conserved Σp + R/Δv (spap_refractory.c) */
    initial_rate(s);
    if (!isfinite(s->rate)) {
        return nlif_fail(err, NLIF_ENUMERIC, "spap: the initial firing rate is not finite");
    }
    s->fired = 0;
    double mass, pmin, pmax;
    measure(s, &mass, &pmin, &pmax);
    nlif_traj_note_max(traj, pmax);
    if (s->tau_ref > 0 ? nlif_traj_record_refractory(traj, 0.0, s->rate, 0.0, mass + s->refr, pmin, s->refr)
                       : nlif_traj_record(traj, 0.0, s->rate, 0.0, mass, pmin)) {
        return nlif_fail(err, NLIF_ENOMEM, "spap: trajectory");
    }
    if (s->delayed && (rc = nlif_delay_push(&s->delay, 0.0, s->rate, NAN, err)))
        return rc;
    nlif_traj_stat(traj, "n_cells_v", n);
    nlif_traj_stat(traj, "n_cells_w", nw);
    nlif_traj_stat(traj, "dv", s->dv);
    if (st->enabled) {
        nlif_traj_stat(traj, "dw", dw);
        nlif_traj_stat(traj, "epsilon", eps);
        nlif_traj_stat(traj, "dt_over_eps", s->dt / eps);
        if (st->rule != NLIF_RULE_NONE)
            nlif_traj_stat(traj, "cfl_w", 0.0);
    }
    return NLIF_OK;
}

static int spap_alloc(void **state, const nlif_case *cs, const nlif_optset *opt, nlif_trajectory *traj,
                      nlif_error *err)
{
    *state = NULL;
    const nlif_model *m = &cs->model;
    spap_grid g;
    int rc = spap_check(cs, opt, &g, err);
    if (rc)
        return rc;
    spap *s = calloc(1, sizeof *s);
    if (!s)
        return nlif_fail(err, NLIF_ENOMEM, "spap: solver object");
    s->cs = *cs;
    s->traj = traj;
    s->outflow = nlif_opt_enum(opt, "outflow");
    s->wtransport = nlif_opt_enum(opt, "w_transport");
    s->mode = nlif_opt_enum(opt, "mode");
    s->mass_guard = nlif_opt_bool(opt, "mass_guard");
    s->theta_b = nlif_opt_double(opt, "blowup_indicator");
    s->theta_noise = nlif_opt_double(opt, "noise_indicator");
    s->rate_cap = nlif_opt_double(opt, "rate_cap");
    s->n = g.n;
    s->r = g.r;
    s->nw = g.nw;
    s->dv = (m->v_f - m->v_min) / g.n;
    s->dw = g.dw;
    s->dt = cs->run.dt;
    s->eps = g.eps;
    s->delayed = m->delay > 0;
    if (s->delayed && (rc = nlif_delay_init(&s->delay, m->delay, m->delay_history,
                                            (size_t)fmin(m->delay / s->dt + 4, 1e7), err))) {
        spap_free(s);
        return rc;
    }
    s->tau_ref = m->tau_ref;
    s->two = m->populations == 2;
    if ((rc = spap_arrays(s, err)) || (rc = spap_initial(s, cs, traj, err))) {
        spap_free(s);
        return rc;
    }
    *state = s;
    return NLIF_OK;
}

static int spap_advance(void *state, double t_end, nlif_error *err)
{
    spap *s = state;
    while (!s->stopped && s->t < t_end) {
        double h;
        /* land exactly on t_end; a remainder of rounding is merged into the last step */
        int last = nlif_step_to(s->t, t_end, s->dt, &h);
        int rc = spap_step(s, h, err);
        if (rc)
            return rc;
        if (last) {
            s->t = t_end; /* exactly, not t + h rounded */
            s->traj->s[s->traj->n - 1].t = t_end;
        }
    }
    if (s->mass_guard)
        nlif_traj_stat(s->traj, "mass_renormalisation_max", s->renorm_max);
    return NLIF_OK;
}

static int spap_profile(void *state, nlif_profile *out)
{
    spap *s = state;
    if (s->two)
        return spap_ei_profile(s, out);
    int n = s->n;
    memset(out, 0, sizeof *out);
    for (int i = 0; i < n; i++) {
        double acc = 0;
        for (int j = 0; j < s->nw; j++)
            acc += s->p[(size_t)j * n + i];
        s->pmarg[i] = acc * slice_weight(s);
    }
    if (n > 1)
        s->pmarg[0] *= 2.0; /* the density at the wall: node 0 holds the half cell (MATHEMATICS.md §1.3) */
    s->pmarg[n] = 0.0;
    out->t = s->t;
    out->n = n + 1;
    out->v = s->v;
    out->p = s->pmarg;
    if (s->cs.structure.enabled) {
        for (int j = 0; j < s->nw; j++) {
            double acc = 0;
            for (int i = 0; i < n; i++)
                acc += s->p[(size_t)j * n + i];
            s->rho[j] = acc * s->dv;
        }
        out->nw = s->nw;
        out->w = s->w;
        out->rho = s->rho;
    }
    return NLIF_OK;
}

/* spap claims better than a case's common first-order bound: its stationary rate within 1e-4 of the
 * exact root at Δv = 0.02 (second order in Δv, MATHEMATICS.md §3; tests/test_spap.c). */
static const nlif_scheme_claim spap_claims[] = {
    {"stationary_rate", 1e-4, "spap's stated accuracy at dv = 0.02: second order in dv (MATHEMATICS.md 3)"},
    {NULL, 0, NULL},
};

const nlif_scheme_type nlif_scheme_spap = {
    .name = "spap",
    .title = "structure-preserving asymptotic-preserving finite volumes (Maxwellian flux, GTH solve)",
    .source = "He, Hu, Zhou, SIAM J. Sci. Comput. 2022, arXiv:2109.04667 (reconstruction, MATHEMATICS.md §3)",
    .flags = NLIF_SUPPORTS_1D | NLIF_SUPPORTS_STRUCTURED | NLIF_SUPPORTS_NOISE_RATE | NLIF_HAS_TIME_STEP |
             NLIF_SUPPORTS_SOURCE | NLIF_SUPPORTS_DELAY | NLIF_SUPPORTS_REFRACTORY | NLIF_SUPPORTS_POPULATIONS,
    .order_t = 1.0,
    .order_v_density = 2.0,
    .order_v_rate = 2.0,
    .order_w = 1.0,
    .options = spap_options,
    .limit_option = "mode=limit", /* the ε = 0 limit scheme (spap_limit.c) */
    .claims = spap_claims,
    .alloc = spap_alloc,
    .advance = spap_advance,
    .profile = spap_profile,
    .free = spap_free,
};
