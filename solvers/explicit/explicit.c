/* explicit.c — the classical explicit scheme (MATHEMATICS.md §5c): solver object, the semi-discrete
 * right-hand side, the third-order TVD Runge–Kutta step with its CFL step, blow-up detection, and the
 * scheme type "explicit". A reconstruction of the finite-difference solver of Cáceres–Carrillo–Tao
 * (J. Comput. Phys. 230, 2011) used before structure-preserving schemes: every choice is an option.
 *
 * Semi-discretisation on the nodes v_i (explicit.h), in flux form
 *     dp_i/dt = −(F_{i+1/2} − F_{i−1/2})/Δv + δ_{i r} N/Δv,
 *     F_{j+1/2} = WENO5(f⁺)_{j+1/2} + WENO5(f⁻)_{j+1/2} − a (p_{j+1} − p_j)/Δv,
 * f^± = (h p ± α p)/2 the Lax–Friedrichs splitting of the drift flux h p, h = −v + bN + I(t),
 * p = 0 at the ghost nodes beyond V_F (p_n = 0) and below V_min, F_{−1/2} = 0 (zero flux) or the
 * same formula with p_{−1} = 0 (Dirichlet), and N = a0 g/(1 − a1 g), g the one-sided slope of p at
 * V_F. Nothing ties the outflow F_{n−1/2} to the re-injected N: the scheme is not mass-exact (by
 * design of the method; the defect is measured, §5c), and WENO is not positivity-preserving.
 * With a synaptic delay d > 0 (MATHEMATICS.md §1.4) h = −v + b N(τ − d) + I(τ) at each stage time τ.
 * With a refractory period τ_R > 0 (MATHEMATICS.md §1.5) the node V_R receives R/τ_R instead of N, and R
 * is one more unknown of the same Runge–Kutta stages, dR/dt = N − R/τ_R: the stages move mass between p and
 * R exactly (the outflow defect above is the only one), and R ≥ 0 while Δt ≤ τ_R (each stage is a forward
 * Euler step R(1 − Δt/τ_R) + Δt N of a convex combination; the step is capped at τ_R).
 * Two populations (MATHEMATICS.md §1.6): a second object for I, both in the same stages (explicit_ei.c).
 */
#include "explicit.h"

#include "../../core/nlif_mms.h"
#include "../../exact/nlif_density.h"
#include "../../exact/nlif_exact.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const nlif_option_spec ex_options[] = {
    {"cfl_adv", NLIF_OPT_DOUBLE, "0.5", 1e-6, 10, NULL, 1, "advective CFL number: dt <= cfl_adv * dv / max|h|, h = -v + bN + I"},
    {"cfl_diff", NLIF_OPT_DOUBLE, "0.4", 1e-6, 10, NULL, 1,
     "diffusive CFL number: dt <= cfl_diff * dv^2 / a(N) (forward Euler and SSP-RK3 are stable to 0.5)"},
    {"dt_mode", NLIF_OPT_ENUM, "max", 0, 0, "max|cfl|fixed", 1,
     "max: dt = min(run.dt, CFL step), the case's dt is a maximum; cfl: the CFL step, run.dt ignored; "
     "fixed: run.dt, CFL not enforced (an unstable run ends as a blow-up)"},
    {"splitting", NLIF_OPT_ENUM, "global", 0, 0, "global|local", 1,
     "Lax-Friedrichs splitting constant alpha: max|h| over the grid (global) or over the face's six-node stencil (local)"},
    {"weno_eps", NLIF_OPT_DOUBLE, "1e-6", 1e-40, 1, NULL, 1, "epsilon of the Jiang-Shu WENO weights"},
    {"ghost_vf", NLIF_OPT_ENUM, "odd", 0, 0, "odd|zero", 1,
     "WENO values at the ghost nodes beyond V_F: odd reflection p_{n+k} = -p_{n-k} (smooth through p(V_F) = 0), or zero "
     "(WENO then favours the flat zero stencil: the drift flux at the outflow face is first order)"},
    {"rate_order", NLIF_OPT_INT, "2", 1, 3, NULL, 1, "order of the one-sided difference for -dp/dv at V_F that gives N"},
    {"vmin_boundary", NLIF_OPT_ENUM, "zero_flux", 0, 0, "zero_flux|dirichlet", 1,
     "at V_min: no flux through the face (zero_flux) or p = 0 at the ghost node (dirichlet: mass leaves)"},
    {"rate_coupling", NLIF_OPT_ENUM, "stage", 0, 0, "stage|frozen", 1,
     "N (in bN and a(N)) recomputed from each Runge-Kutta stage's density (stage), or N of the step's start for all stages (frozen)"},
    {"source", NLIF_OPT_ENUM, "node", 0, 0, "node", 1, "the re-injection N delta(v - V_R) is N/dv at the node V_R"},
    {"blowup_indicator", NLIF_OPT_DOUBLE, "0.5", 0, 1e6, NULL, 1,
     "blow-up: stop when b*p_{n-1} reaches this (the MFE criterion of MATHEMATICS.md 5 is b p(V_F-) = 1; as spap and cvode); 0: off"},
    {"rate_max", NLIF_OPT_DOUBLE, "1e3", 1e-3, 1e300, NULL, 1, "blow-up: stop when N exceeds this"},
    {"density_max", NLIF_OPT_DOUBLE, "1e4", 1e-3, 1e300, NULL, 1, "blow-up: stop when max p exceeds this"},
    {"dt_floor", NLIF_OPT_DOUBLE, "1e-9", 0, 1, NULL, 1, "blow-up: stop when the CFL step falls below this"},
    {"max_steps", NLIF_OPT_DOUBLE, "2e7", 1, 1e12, NULL, 0,
     "refuse a run whose CFL step at t = 0 needs more steps than this to t_final (cost guard, not a numerical choice)"},
    {NULL, 0, NULL, 0, 0, NULL, 0, NULL},
};

/* ------------------------------------------------------------------------------------------ */

/* With the zero-flux wall the node V_min has the half cell [V_min, V_min + Δv/2]: the trapezoid rule
 * (p_n = 0). With the Dirichlet wall node 0 is an interior node of a full cell. */
double nlif_ex_mass(const nlif_explicit *s, const double *p)
{
    double m = nlif_sum(p, s->n);
    if (s->vmin_bc == NLIF_EX_VMIN_ZERO_FLUX && s->n > 1)
        m -= 0.5 * p[0];
    return m * s->dv;
}

double nlif_ex_rate(const nlif_explicit *s, const double *p)
{
    const nlif_model *m = &s->cs.model;
    double g = nlif_ex_boundary_slope(p, s->n, s->dv, s->rate_order);
    if (m->a1 == 0)
        return m->a0 * g;
    if (!(m->a1 * g < 1)) /* a(N) N = a0 g / (1 − a1 g) has no finite solution: the noise blow-up */
        return NAN;
    return m->a0 * g / (1 - m->a1 * g);
}

static double drift_max(const nlif_explicit *s, double mu)
{
    /* h = −v + μ is linear in v: its largest modulus on [V_min, V_F] is at an end */
    return fmax(fabs(-s->cs.model.v_min + mu), fabs(-s->cs.model.v_f + mu));
}

/* The rate the drift reads at time t: N itself, or with a delay N(t − d) from the history. */
static double drift_rate(const nlif_explicit *s, double rate, double t)
{
    return s->delayed ? nlif_delay_at(&s->delay, t - s->cs.model.delay) : rate;
}

double nlif_ex_cfl_step(const nlif_explicit *s, double rate, double t)
{
    const nlif_model *m = &s->cs.model;
    double mu = m->b * drift_rate(s, rate, t) + nlif_input_current(&s->cs.input, t);
    if (s->cross != 0) /* two populations: the other one's term (explicit_ei.c) */
        mu += s->cross;
    double al = drift_max(s, mu), a = nlif_noise(m, rate);
    double dt_adv = al > 0 ? s->cfl_adv * s->dv / al : INFINITY;
    double dt_diff = s->cfl_diff * s->dv * s->dv / a;
    return fmin(dt_adv, dt_diff);
}

int nlif_ex_rhs(nlif_explicit *s, const double *p, double t, double rate_fixed, double *out, double *rate)
{
    const nlif_model *m = &s->cs.model;
    const int n = s->n;
    const double dv = s->dv;
    double N = isfinite(rate_fixed) ? rate_fixed : nlif_ex_rate(s, p);
    *rate = N;
    if (isnan(N))
        return NLIF_EX_RHS_NOISE;
    if (!isfinite(N))
        return NLIF_EX_RHS_NONFINITE;
    const double a = nlif_noise(m, N), mu0 = m->b * drift_rate(s, N, t) + nlif_input_current(&s->cs.input, t);
    const double mu = s->cross != 0 ? mu0 + s->cross : mu0; /* two populations: the other one's term */
    /* padded arrays: index k = i + 3 for the nodes i = −3..n+2; p_n = 0, p = 0 below V_min, and beyond
     * V_F the ghost values of ghost_vf. The diffusion uses only p_{n−1} and p_n = 0. */
    double *pp = s->pp, *hp = s->hp;
    pp[0] = pp[1] = pp[2] = pp[n + 3] = 0.0;
    memcpy(pp + 3, p, (size_t)n * sizeof *p);
    for (int i = n + 1; i <= n + 2; i++)
        pp[i + 3] = s->ghost_odd ? -p[2 * n - i] : 0.0;
    for (int k = 0; k < n + 6; k++)
        hp[k] = -(m->v_min + (k - 3) * dv) + mu;
    const double al_global = drift_max(s, mu);
    if (s->lf == NLIF_EX_LF_GLOBAL)
        nlif_ex_faces_global(pp, hp, al_global, a, dv, s->weno_eps, n, s->fp, s->fm, s->face);
    /* the local splitting: α of each face's own stencil; face j + 1/2 for j = −1..n−1 at face[j + 1]; its stencil is the nodes j−2..j+3 = padded j+1..j+6 */
    for (int j = -1; j < n && s->lf == NLIF_EX_LF_LOCAL; j++) {
        const int k = j + 3; /* padded index of node j */
        double al = 0;
        for (int q = k - 2; q <= k + 3; q++)
            al = fmax(al, fabs(hp[q]));
        double fpl[6], fmi[6];
        for (int q = 0; q < 6; q++) {
            double f = hp[k - 2 + q] * pp[k - 2 + q], u = al * pp[k - 2 + q];
            fpl[q] = 0.5 * (f + u);
            fmi[q] = 0.5 * (f - u);
        }
        double adv = nlif_ex_weno5(fpl[0], fpl[1], fpl[2], fpl[3], fpl[4], s->weno_eps) +
                     nlif_ex_weno5(fmi[5], fmi[4], fmi[3], fmi[2], fmi[1], s->weno_eps);
        s->face[j + 1] = adv - a * (pp[k + 1] - pp[k]) / dv;
    }
    if (s->vmin_bc == NLIF_EX_VMIN_ZERO_FLUX)
        s->face[0] = 0.0;
    for (int i = 0; i < n; i++)
        out[i] = -(s->face[i + 1] - s->face[i]) / dv;
    out[s->r] += (s->tau_ref > 0 ? s->stage_refr / s->tau_ref : N) / dv;
    if (s->src) { /* a manufactured case: the cell means of its source at the stage's time (MATHEMATICS.md §6b) */
        nlif_mms_cell_sources(&s->cs, t, dv, n, s->src);
        for (int i = 0; i < n; i++)
            out[i] += s->src[i];
    }
    if (s->vmin_bc == NLIF_EX_VMIN_ZERO_FLUX && n > 1)
        out[0] *= 2.0; /* the node on the wall balances the half cell [V_min, V_min + Δv/2] */
    for (int i = 0; i < n; i++)
        if (!isfinite(out[i]))
            return NLIF_EX_RHS_NONFINITE;
    return NLIF_EX_RHS_OK;
}

/* ------------------------------------------------------------------------------------------ */

static void ex_free(void *state)
{
    nlif_explicit *s = state;
    if (!s)
        return;
    free(s->v);
    free(s->p);
    free(s->p1);
    free(s->p2);
    free(s->L);
    free(s->hp);
    free(s->pp);
    free(s->face);
    free(s->fp);
    free(s->fm);
    free(s->src);
    nlif_delay_free(&s->delay);
    if (s->pop_i)
        ex_free(s->pop_i);
    free(s);
}

/* The grid's arrays and the work arrays of the right-hand side (n cells); the source's on a
 * manufactured case. */
static int ex_arrays(nlif_explicit *s, int n, nlif_error *err)
{
    size_t sz = (size_t)(n + 1) * sizeof(double), szp = (size_t)(n + 6) * sizeof(double);
    s->v = malloc(sz);
    s->p = malloc(sz);
    s->p1 = malloc(sz);
    s->p2 = malloc(sz);
    s->L = malloc(sz);
    s->face = malloc(sz);
    s->hp = malloc(szp);
    s->pp = malloc(szp);
    s->fp = malloc(szp);
    s->fm = malloc(szp);
    if (s->cs.manufactured.enabled && !(s->src = malloc(sz)))
        return nlif_fail(err, NLIF_ENOMEM, "explicit: source array");
    if (!s->v || !s->p || !s->p1 || !s->p2 || !s->L || !s->face || !s->hp || !s->pp || !s->fp || !s->fm)
        return nlif_fail(err, NLIF_ENOMEM, "explicit: grid of %d cells", n);
    return NLIF_OK;
}

/* A second object with arrays of its own and the same grid and options (population I, explicit_ei.c). */
static nlif_explicit *ex_twin(const nlif_explicit *s)
{
    nlif_explicit *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    *t = *s;
    t->v = t->p = t->p1 = t->p2 = t->L = t->face = t->hp = t->pp = t->fp = t->fm = t->src = NULL;
    t->pop_i = NULL;
    memset(&t->delay, 0, sizeof t->delay);
    if (ex_arrays(t, s->n, NULL)) {
        ex_free(t);
        return NULL;
    }
    memcpy(t->v, s->v, (size_t)(s->n + 1) * sizeof(double));
    return t;
}

/* Two populations: I's object (explicit_ei.c), held by s; on failure nothing of it is left. */
static int ex_second_population(nlif_explicit *s, const nlif_case *cs, nlif_error *err)
{
    nlif_explicit *si = ex_twin(s);
    if (!si)
        return nlif_fail(err, NLIF_ENOMEM, "explicit: population I's grid of %d cells", s->n);
    int rc = nlif_ex_ei_setup(s, si, cs, err);
    if (rc && !s->pop_i)
        ex_free(si);
    return rc;
}

static void put_stats(nlif_explicit *s)
{
    nlif_trajectory *tr = s->traj;
    nlif_traj_stat(tr, "steps", (double)s->steps);
    nlif_traj_stat(tr, "cfl_limited_steps", (double)s->cfl_limited);
    nlif_traj_stat(tr, "dt_min", s->steps ? s->dt_min : NAN);
    nlif_traj_stat(tr, "dt_max", s->steps ? s->dt_max : NAN);
    nlif_traj_stat(tr, "stage_rate_max", s->stage_rate_max);
}

/* Record the sample at s->t; *pmax is the largest density value (for the blow-up tests). */
static int record(nlif_explicit *s, double *pmax, nlif_error *err)
{
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < s->n; i++) {
        lo = fmin(lo, s->p[i]);
        hi = fmax(hi, s->p[i]);
    }
    nlif_traj_note_max(s->traj, hi);
    *pmax = fmax(0.0, hi); /* as before: the blow-up tests compare a non-negative maximum */
    double mass = nlif_ex_mass(s, s->p);
    if (s->tau_ref > 0 ? nlif_traj_record_refractory(s->traj, s->t, s->rate, s->fired, mass + s->refr, lo, s->refr)
                       : nlif_traj_record(s->traj, s->t, s->rate, s->fired, mass, lo))
        return nlif_fail(err, NLIF_ENOMEM, "explicit: trajectory sample at t = %g", s->t);
    return NLIF_OK;
}

static const char *rhs_cause(int code)
{
    return code == NLIF_EX_RHS_NOISE ? "a1 g reached 1 (the noise a(N) = a0 + a1 N has no finite rate, MATHEMATICS.md 1)"
                                     : "non-finite rate or density";
}

/* One SSP-RK3 step of length h (Shu–Osher). Returns NLIF_EX_RHS_* (the state is untouched unless OK). */
static int rk3_step(nlif_explicit *s, double h, double *rate_new, double *fired_inc)
{
    const int n = s->n;
    double *p = s->p, *p1 = s->p1, *p2 = s->p2, *L = s->L;
    double N0, N1, N2, tau = s->tau_ref, R0 = s->refr, R1, R2; /* R: read only when tau > 0 */
    s->stage_refr = R0;
    int rc = nlif_ex_rhs(s, p, s->t, NAN, L, &N0);
    if (rc)
        return rc;
    const double frozen = s->coupling == NLIF_EX_RATE_FROZEN ? N0 : NAN;
    for (int i = 0; i < n; i++)
        p1[i] = p[i] + h * L[i];
    s->stage_refr = R1 = tau > 0 ? R0 + h * (N0 - R0 / tau) : 0.0;
    if ((rc = nlif_ex_rhs(s, p1, s->t + h, frozen, L, &N1)))
        return rc;
    for (int i = 0; i < n; i++)
        p2[i] = 0.75 * p[i] + 0.25 * (p1[i] + h * L[i]);
    s->stage_refr = R2 = tau > 0 ? 0.75 * R0 + 0.25 * (R1 + h * (N1 - R1 / tau)) : 0.0;
    if ((rc = nlif_ex_rhs(s, p2, s->t + 0.5 * h, frozen, L, &N2)))
        return rc;
    for (int i = 0; i < n; i++)
        p1[i] = p[i] / 3 + 2.0 / 3 * (p2[i] + h * L[i]); /* p1 now holds p^{k+1} */
    double N = nlif_ex_rate(s, p1);
    if (isnan(N))
        return NLIF_EX_RHS_NOISE;
    for (int i = 0; i < n; i++)
        if (!isfinite(p1[i]))
            return NLIF_EX_RHS_NONFINITE;
    s->stage_rate_max = fmax(s->stage_rate_max, fmax(N0, fmax(N1, N2)));
    /* the fired mass is the RK3 quadrature of the re-injected rate: weights 1/6, 1/6, 2/3 */
    *fired_inc = h * (N0 / 6 + N1 / 6 + 2 * N2 / 3);
    *rate_new = N;
    memcpy(p, p1, (size_t)n * sizeof *p);
    if (tau > 0)
        s->refr = R0 / 3 + 2.0 / 3 * (R2 + h * (N2 - R2 / tau));
    return NLIF_EX_RHS_OK;
}

static int ex_advance(void *state, double t_end, nlif_error *err)
{
    nlif_explicit *s = state;
    if (!s)
        return nlif_fail(err, NLIF_EINVAL, "explicit: advance on a NULL state");
    if (!(t_end >= s->t))
        return nlif_fail(err, NLIF_EINVAL, "explicit: advance to t = %g before the current time %g", t_end, s->t);
    nlif_trajectory *tr = s->traj;
    int rc = NLIF_OK;
    if (s->pop_i) { /* two populations (explicit_ei.c) */
        rc = nlif_ex_ei_advance(s, t_end, err);
        put_stats(s);
        return rc;
    }
    /* appended to a blow-up cause when the step exceeded the CFL step (dt_mode = fixed) */
    static const char unstable[] = "; the step exceeded the CFL step (dt_mode = fixed): likely a numerical instability";
    while (tr->status == NLIF_STATUS_OK && s->t < t_end) {
        double cfl = nlif_ex_cfl_step(s, s->rate, s->t), h;
        if (s->dt_mode == NLIF_EX_DT_FIXED)
            h = s->dt_case;
        else {
            if (!(cfl >= s->dt_floor)) {
                nlif_traj_set_status(tr, NLIF_STATUS_BLOWUP, s->t,
                                     "the CFL step %.3g fell below dt_floor = %g (N = %.6g)", cfl, s->dt_floor, s->rate);
                break;
            }
            h = s->dt_mode == NLIF_EX_DT_CFL ? cfl : fmin(s->dt_case, cfl);
            if (s->tau_ref > 0 && h > s->tau_ref) /* R ≥ 0 needs Δt ≤ τ_R (never binding at the catalogue's) */
                h = s->tau_ref;
            if (h < s->dt_case || s->dt_mode == NLIF_EX_DT_CFL)
                s->cfl_limited++;
        }
        /* land exactly on t_end; a remainder of rounding (of a sum of steps) is absorbed into this
         * step rather than taken as a step of 1e-12 */
        int land = nlif_step_to(s->t, t_end, h, &h);
        double rate_new, inc;
        int code = rk3_step(s, h, &rate_new, &inc);
        if (code) {
            nlif_traj_set_status(tr, NLIF_STATUS_BLOWUP, s->t, "in the step to t = %.6g: %s (N = %.6g)%s", s->t + h,
                                 rhs_cause(code), s->rate, h > cfl * (1 + 1e-5) ? unstable : "");
            break;
        }
        s->t = land ? t_end : s->t + h;
        s->rate = rate_new;
        s->fired += inc;
        s->steps++;
        s->dt_min = fmin(s->dt_min, h);
        s->dt_max = fmax(s->dt_max, h);
        double pmax;
        if ((rc = record(s, &pmax, err)) || (s->delayed && (rc = nlif_delay_push(&s->delay, s->t, s->rate, NAN, err))))
            break;
        const int over = h > cfl * (1 + 1e-5); /* dt_mode = fixed beyond the CFL step */
        const double ind = s->cs.model.b * s->p[s->n - 1];
        if (s->indicator > 0 && ind >= s->indicator)
            nlif_traj_set_status(tr, NLIF_STATUS_BLOWUP, s->t,
                                 "b p_{n-1} = %.4g reached blowup_indicator = %g: a multiple firing event forms "
                                 "(MATHEMATICS.md 5); this scheme cannot pass it (N = %.6g)%s",
                                 ind, s->indicator, s->rate, over ? unstable : "");
        else if (s->rate > s->rate_max)
            nlif_traj_set_status(tr, NLIF_STATUS_BLOWUP, s->t, "N = %.6g exceeds rate_max = %g (max p %.4g)%s", s->rate,
                                 s->rate_max, pmax, over ? unstable : "");
        else if (pmax > s->density_max)
            nlif_traj_set_status(tr, NLIF_STATUS_BLOWUP, s->t, "max p = %.6g exceeds density_max = %g (N = %.4g)%s", pmax,
                                 s->density_max, s->rate, over ? unstable : "");
    }
    put_stats(s);
    return rc;
}

static int ex_alloc(void **state, const nlif_case *cs, const nlif_optset *opt, nlif_trajectory *traj, nlif_error *err)
{
    *state = NULL;
    const nlif_model *m = &cs->model;
    if (opt->spec != ex_options)
        return nlif_fail(err, NLIF_EINVAL, "explicit: option set is not the explicit scheme's");
    if (cs->structure.enabled)
        return nlif_fail(err, NLIF_EINVAL, "explicit: structured networks are not supported (1D model only)");
    if (cs->input.type == NLIF_INPUT_KICK)
        return nlif_fail(err, NLIF_EINVAL, "explicit: instantaneous input (kick) is not supported");
    if (!(m->a0 > 0))
        return nlif_fail(err, NLIF_EINVAL, "explicit: model.a0 must be > 0 (got %g)", m->a0);
    if (!(cs->run.dt > 0))
        return nlif_fail(err, NLIF_EINVAL, "explicit: run.dt must be > 0 (got %g)", cs->run.dt);
    int n, r;
    if (nlif_grid_nodes(m, cs->run.dv, &n, &r) || n < 4 || r < 1 || r >= n)
        return nlif_fail(err, NLIF_EINVAL, "explicit: run.dv = %g does not put V_min, V_R, V_F on nodes of >= 4 cells",
                         cs->run.dv);
    nlif_explicit *s = calloc(1, sizeof *s);
    int rc;
    if (!s)
        return nlif_fail(err, NLIF_ENOMEM, "explicit: solver");
    s->cs = *cs;
    s->traj = traj;
    s->n = n;
    s->r = r;
    s->dv = (m->v_f - m->v_min) / n;
    s->dt_case = cs->run.dt;
    s->cfl_adv = nlif_opt_double(opt, "cfl_adv");
    s->cfl_diff = nlif_opt_double(opt, "cfl_diff");
    s->dt_mode = nlif_opt_enum(opt, "dt_mode");
    s->lf = nlif_opt_enum(opt, "splitting");
    s->weno_eps = nlif_opt_double(opt, "weno_eps");
    s->ghost_odd = nlif_opt_enum(opt, "ghost_vf") == 0;
    s->rate_order = (int)nlif_opt_int(opt, "rate_order");
    s->vmin_bc = nlif_opt_enum(opt, "vmin_boundary");
    if (cs->manufactured.enabled && s->vmin_bc != NLIF_EX_VMIN_ZERO_FLUX) {
        free(s);
        return nlif_fail(err, NLIF_EINVAL, "explicit: a manufactured case has zero flux at V_min (allowed: "
                         "vmin_boundary = zero_flux)");
    }
    s->coupling = nlif_opt_enum(opt, "rate_coupling");
    s->rate_max = nlif_opt_double(opt, "rate_max");
    s->indicator = nlif_opt_double(opt, "blowup_indicator");
    s->density_max = nlif_opt_double(opt, "density_max");
    s->dt_floor = nlif_opt_double(opt, "dt_floor");
    s->max_steps = (long)nlif_opt_double(opt, "max_steps");
    s->dt_min = INFINITY;
    if ((rc = ex_arrays(s, n, err))) {
        ex_free(s);
        return rc;
    }
    nlif_grid_fill(m, s->dv, n, r, s->v);

    /* The initial law by the one projection of every grid scheme (nlif_initial_project,
     * MATHEMATICS.md §1.3): exact cell means, the half cell at V_F given to node n − 1. */
    rc = nlif_initial_project(cs, s->dv, n, s->p, err);
    if (rc) {
        ex_free(s);
        nlif_error_prefix(err, "explicit: initial law");
        return rc;
    }
    s->p[n] = 0.0;
    /* The unknowns are point values of the density. At the zero-flux wall the projection's u_0 is the
     * mass of the half cell over Δv, so the density at V_min is 2u_0 (MATHEMATICS.md §1.3). */
    if (s->vmin_bc == NLIF_EX_VMIN_ZERO_FLUX && n > 1)
        s->p[0] *= 2.0;

    double rate = nlif_ex_rate(s, s->p);
    if (!isfinite(rate)) {
        ex_free(s);
        return nlif_fail(err, NLIF_EINVAL, "explicit: the initial density has a1 g >= 1 at V_F: no finite initial rate");
    }
    s->rate = rate;
    s->delayed = m->delay > 0;
    s->tau_ref = m->tau_ref;
    if ((s->delayed && ((rc = nlif_delay_init(&s->delay, m->delay, m->delay_history, 64, err)) ||
                        (rc = nlif_delay_push(&s->delay, 0.0, rate, NAN, err)))) ||
        (s->tau_ref > 0 && (rc = nlif_initial_refractory(cs, &s->refr, err)))) {
        ex_free(s);
        return rc;
    }
    if (m->populations == 2 && (rc = ex_second_population(s, cs, err))) {
        ex_free(s);
        return rc;
    }
    rate = s->rate;
    /* cost guard: the number of steps the initial CFL step implies (LAPACKE-style refusal up front,
     * rather than an hours-long run: the diffusive step scales like dv^2) */
    double h0 = nlif_ex_cfl_step(s, rate, 0.0);
    if (s->dt_mode == NLIF_EX_DT_MAX)
        h0 = fmin(h0, s->dt_case);
    else if (s->dt_mode == NLIF_EX_DT_FIXED)
        h0 = s->dt_case;
    double need = cs->run.t_final / h0;
    if (need > (double)s->max_steps) {
        const double dv = s->dv;
        const long max_steps = s->max_steps;
        ex_free(s);
        return nlif_fail(err, NLIF_EINVAL,
                         "explicit: dv = %g needs the CFL step %.3g, %.3g steps to t_final = %g, more than max_steps = %ld "
                         "(the diffusive CFL step scales like dv^2; raise max_steps to run it)",
                         dv, h0, need, cs->run.t_final, max_steps);
    }
    double pmax0;
    if ((rc = s->pop_i ? nlif_ex_ei_record(s, &pmax0, err) : record(s, &pmax0, err))) {
        ex_free(s);
        return rc;
    }
    put_stats(s);
    *state = s;
    return NLIF_OK;
}

static int ex_profile(void *state, nlif_profile *out)
{
    nlif_explicit *s = state;
    memset(out, 0, sizeof *out);
    out->t = s->t;
    out->n = s->n + 1;
    out->v = s->v;
    out->p = s->p;
    out->p_i = s->pop_i ? s->pop_i->p : NULL; /* two populations: I's density on the same nodes */
    return NLIF_OK;
}

const nlif_scheme_type nlif_scheme_explicit = {
    .name = "explicit",
    .title = "classical explicit scheme: WENO5 Lax-Friedrichs drift, central diffusion, SSP-RK3, CFL step",
    .source = "Caceres, Carrillo, Tao, J. Comput. Phys. 230 (2011); Caceres, Carrillo, Perthame (2011) — reconstruction",
    .flags = NLIF_SUPPORTS_1D | NLIF_SUPPORTS_NOISE_RATE | NLIF_HAS_TIME_STEP | NLIF_SUPPORTS_SOURCE | NLIF_SUPPORTS_DELAY |
             NLIF_SUPPORTS_REFRACTORY | NLIF_SUPPORTS_POPULATIONS,
    .order_t = 3.0,
    .order_v_density = 2.0,
    .order_v_rate = 2.0,
    .order_w = NAN,
    .options = ex_options,
    .alloc = ex_alloc,
    .advance = ex_advance,
    .profile = ex_profile,
    .free = ex_free,
};
