/* cvode_ref.c — the time-accurate reference `cvode` (nlif_cvode.h): the 1D NNLIF by the method of
 * lines (SG or Maxwellian finite volumes, implicit-in-N outflow re-injected at V_R in the same
 * right-hand side), integrated by CVODE BDF with tight tolerances. CVODE's Newton matrices I − γJ
 * live in a custom SUNMatrix (tridiagonal + one dense column) and are factored by a custom
 * SUNLinearSolver (type DIRECT) that calls the suite's bordered tridiagonal solver (bordered.c).
 *
 * Not a paper's scheme: an independent, time-accurate solution of its own semi-discretisation,
 * used as the reference of t-refinement studies and as a fourth solution on the smooth cases.
 *
 * A synaptic delay d > 0 (MATHEMATICS.md §1.4): the drift reads N(t − d) by cubic Hermite interpolation
 * of N at CVODE's accepted steps (core/nlif_delay.h), CVODE steps one at a time with its step ≤ d.
 *
 * This file is the scheme (options, allocation and CVODE's set-up, advancing, the profile); the
 * semi-discretisation is in cvode_mol.c, the matrix and the linear solver in cvode_linsol.c.
 */
#include "cvode_impl.h"

#include "../exact/nlif_density.h"
#include "../exact/nlif_exact.h"

#include <cvode/cvode.h>
#include <cvode/cvode_ls.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const nlif_option_spec cvode_options[] = {
    {"flux", NLIF_OPT_ENUM, "sg", 0, 0, "sg|maxwellian", 1,
     "face flux: Scharfetter–Gummel/Bernoulli, or the Maxwellian harmonic-mean form of spap"},
    {"outflow", NLIF_OPT_ENUM, "flux", 0, 0, "flux|one_sided", 1,
     "last face: the face flux with p_n = 0 (N = κ(bN+I)p_{n−1}, solved for N), or a p_{n−1}/Δv"},
    {"rtol", NLIF_OPT_DOUBLE, "1e-10", 1e-14, 1e-2, NULL, 0, "CVODE relative tolerance"},
    {"atol", NLIF_OPT_DOUBLE, "1e-12", 1e-20, 1.0, NULL, 0, "CVODE absolute tolerance (density units)"},
    {"max_order", NLIF_OPT_INT, "5", 1, 5, NULL, 0, "maximum BDF order"},
    {"max_steps", NLIF_OPT_INT, "10000", 1, 1e12, NULL, 0,
     "maximum CVODE steps per output interval run.dt (more: status failed, CV_TOO_MUCH_WORK; the catalogue's runs take under 1 on average)"},
    {"blowup_indicator", NLIF_OPT_DOUBLE, "0.5", 1e-6, 1e6, NULL, 1,
     "stop with status blowup when b p_{n-1} reaches this (CVODE root finding): the method of lines cannot pass a blow-up"},
    {NULL, 0, NULL, 0, 0, NULL, 0, NULL},
};

static void cv_err_handler(int code, const char *module, const char *function, char *msg, void *user)
{
    cvref *s = user;
    snprintf(s->last_msg, sizeof s->last_msg, "%s %s (%d): %s", module, function, code, msg);
}

/* ---- the scheme interface ---------------------------------------------------------------------- */

static void cvode_free(void *state)
{
    cvref *s = state;
    if (!s)
        return;
    if (s->mem)
        CVodeFree(&s->mem);
    nlif_cvei_free(s); /* two populations: its linear solver, after CVODE */
    if (s->LS)
        SUNLinSolFree(s->LS);
    if (s->A)
        SUNMatDestroy(s->A);
    if (s->y)
        N_VDestroy(s->y);
    if (s->dky)
        N_VDestroy(s->dky);
    if (s->ctx)
        SUNContext_Free(&s->ctx);
    free(s->v);
    free(s->alpha);
    free(s->pout);
    free(s->src);
    nlif_delay_free(&s->delay);
    free(s);
}

static double mass_of(const cvref *s, const double *p, double *minp)
{
    double m = 0, lo = INFINITY;
    for (int i = 0; i < s->n; i++) {
        m += p[i];
        if (p[i] < lo)
            lo = p[i];
    }
    *minp = lo;
    return m * s->dv;
}

static int record(cvref *s, nlif_error *err)
{
    const double *p = NV_DATA_S(s->y);
    double minp, mass = mass_of(s, p, &minp), mx = 0;
    for (int i = 0; i < s->n; i++)
        if (fabs(p[i]) > mx)
            mx = fabs(p[i]);
    nlif_traj_note_max(s->traj, mx);
    if (s->cs.model.tau_ref > 0 ? nlif_traj_record_refractory(s->traj, s->t, s->rate, s->fired, mass + p[s->n], minp, p[s->n])
                                : nlif_traj_record(s->traj, s->t, s->rate, s->fired, mass, minp))
        return nlif_fail(err, NLIF_ENOMEM, "cvode: trajectory");
    return NLIF_OK;
}

/* The next time CVODE must not step over: input discontinuities (pulse edges) and t_final. */
double nlif_cvode_next_stop(const cvref *s, double t)
{
    double best = INFINITY, cand[4] = {s->cs.run.t_final, NAN, NAN, NAN};
    if (s->cs.input.type == NLIF_INPUT_PULSE)
        cand[1] = s->cs.input.t0, cand[2] = s->cs.input.t1;
    if (s->delayed) /* the drift jumps from the history to N(0) at t = d */
        cand[3] = s->cs.model.delay;
    for (int i = 0; i < 4; i++)
        if (cand[i] > t * (1 + 1e-14) + 1e-300 && cand[i] < best)
            best = cand[i];
    return best;
}

void nlif_cvode_restart_at_stop(cvref *s, double tret)
{
    if (tret < s->cs.run.t_final * (1 - 1e-14))
        CVodeReInit(s->mem, tret, s->y);
    s->tstop = nlif_cvode_next_stop(s, tret);
    if (isfinite(s->tstop))
        CVodeSetStopTime(s->mem, s->tstop);
}

/* The blow-up indicator b p_{n−1} − θ as a CVODE root function: near a blow-up CVODE's steps
 * shrink without end, so the reference stops there (status blowup), like spap. */
static int blowup_root(sunrealtype t, N_Vector y, sunrealtype *g, void *user)
{
    (void)t;
    const cvref *s = user;
    g[0] = s->b > 0 ? s->b * NV_DATA_S(y)[s->n - 1] - s->blowup_indicator : -1.0;
    return 0;
}

/* The history sample at t (the state in s->y is CVODE's at t): N(t) = κ(b N(t − d) + I(t)) p_{n−1}
 * and dN/dt = κ' (b dN(t − d)/dt + I'(t)) p_{n−1} + κ dp_{n−1}/dt (I' by a central difference). */
static int push_history(cvref *s, double t, nlif_error *err)
{
    const nlif_input *in = &s->cs.input;
    double plast = NV_DATA_S(s->y)[s->n - 1], kap, dkap, e = 1e-7 * (1 + t);
    s->nd = nlif_delay_at(&s->delay, t - s->cs.model.delay);
    double N = nlif_cvode_firing_rate(s, plast, nlif_input_current(in, t), &kap, &dkap);
    double dI = (nlif_input_current(in, t + e) - nlif_input_current(in, t - e)) / (2 * e), dp = 0.0;
    if (t > 0 && CVodeGetDky(s->mem, t, 1, s->dky) == CV_SUCCESS)
        dp = NV_DATA_S(s->dky)[s->n - 1];
    else /* at t = 0 (no step yet) or no derivative: that sample is joined linearly */
        dp = NAN;
    double dN = dkap * (s->b * nlif_delay_slope_at(&s->delay, t - s->cs.model.delay) + dI) * plast + kap * dp;
    return nlif_delay_push(&s->delay, t, N, t > 0 ? dN : NAN, err);
}

static int cvode_alloc(void **state, const nlif_case *cs, const nlif_optset *opt, nlif_trajectory *traj,
                       nlif_error *err)
{
    *state = NULL;
    if (cs->structure.enabled)
        return nlif_fail(err, NLIF_EINVAL, "cvode: the reference is for the 1D model only");
    if (cs->model.a1 != 0.0)
        return nlif_fail(err, NLIF_EINVAL, "cvode: rate-dependent noise a1 > 0 is not supported");
    if (cs->input.type == NLIF_INPUT_KICK)
        return nlif_fail(err, NLIF_EINVAL, "cvode: instantaneous input (kick) is not supported");
    cvref *s = calloc(1, sizeof *s);
    if (!s)
        return nlif_fail(err, NLIF_ENOMEM, "cvode: state");
    s->cs = *cs;
    s->traj = traj;
    s->flux = nlif_opt_enum(opt, "flux");
    s->outflow = nlif_opt_enum(opt, "outflow");
    s->rtol = nlif_opt_double(opt, "rtol");
    s->atol = nlif_opt_double(opt, "atol");
    s->max_order = (int)nlif_opt_int(opt, "max_order");
    s->max_steps = nlif_opt_int(opt, "max_steps");
    s->blowup_indicator = nlif_opt_double(opt, "blowup_indicator");
    s->dv = cs->run.dv;
    s->a = cs->model.a0;
    s->b = cs->model.b;
    int rc = nlif_grid_nodes(&cs->model, s->dv, &s->n, &s->r);
    if (rc) {
        cvode_free(s);
        return nlif_fail(err, rc, "cvode: V_R and V_F must be nodes of the Δv = %g grid", s->dv);
    }
    int n = s->n;
    if (n < 2) {
        cvode_free(s);
        return nlif_fail(err, NLIF_EINVAL, "cvode: %d cells: the grid is too coarse", n);
    }
    s->v = malloc((n + 1) * sizeof *s->v);
    if (cs->model.populations == 2) { /* two populations (MATHEMATICS.md §1.6): cvode_ei.c */
        if (!s->v || (rc = nlif_cvei_alloc(s, err))) {
            cvode_free(s);
            return s->v ? rc : nlif_fail(err, NLIF_ENOMEM, "cvode: grid of %d cells", n);
        }
        *state = s;
        return NLIF_OK;
    }
    s->alpha = malloc(4 * (size_t)n * sizeof *s->alpha);
    s->pout = malloc((n + 1) * sizeof *s->pout);
    if (cs->manufactured.enabled)
        s->src = malloc(n * sizeof *s->src);
    if (!s->v || !s->alpha || !s->pout || (cs->manufactured.enabled && !s->src)) {
        cvode_free(s);
        return nlif_fail(err, NLIF_ENOMEM, "cvode: grid of %d cells", n);
    }
    s->beta = s->alpha + n;
    s->dalpha = s->alpha + 2 * (size_t)n;
    s->dbeta = s->alpha + 3 * (size_t)n;
    nlif_grid_fill(&cs->model, s->dv, n, s->r, s->v);

    int refr = cs->model.tau_ref > 0; /* one more unknown: the refractory mass R = y[n] */
    if (SUNContext_Create(NULL, &s->ctx) || !(s->y = N_VNew_Serial(n + refr, s->ctx)) ||
        !(s->A = nlif_cvode_bmat_new(n, refr ? s->r : -1, s->ctx)) || !(s->LS = nlif_cvode_blin_new(s->ctx)) ||
        !(s->mem = CVodeCreate(CV_BDF, s->ctx))) {
        cvode_free(s);
        return nlif_fail(err, NLIF_ENOMEM, "cvode: SUNDIALS objects for %d cells", n);
    }
    /* Initial data: the one projection of the initial law (MATHEMATICS.md §1.3). */
    double *p = NV_DATA_S(s->y);
    if ((rc = nlif_initial_project(cs, s->dv, n, p, err)) || (refr && (rc = nlif_initial_refractory(cs, &p[n], err)))) {
        cvode_free(s);
        nlif_error_prefix(err, "cvode: initial density");
        return rc;
    }

    double input = nlif_input_current(&cs->input, 0.0);
    s->rate_guess = 0.0;
    s->delayed = cs->model.delay > 0;
    s->nd = cs->model.delay_history;
    if (s->delayed && (rc = nlif_delay_init(&s->delay, cs->model.delay, cs->model.delay_history, 256, err))) {
        cvode_free(s);
        return rc;
    }
    if (s->delayed && !(s->dky = N_VClone(s->y))) {
        cvode_free(s);
        return nlif_fail(err, NLIF_ENOMEM, "cvode: a vector of %d cells", n);
    }
    s->rate = nlif_cvode_firing_rate(s, p[n - 1], input, NULL, NULL);
    if (!isfinite(s->rate)) {
        cvode_free(s);
        return nlif_fail(err, NLIF_EINVAL, "cvode: the initial density is past the blow-up threshold");
    }
    s->rate_guess = s->rate;
    s->tstop = nlif_cvode_next_stop(s, 0.0);
    if (CVodeInit(s->mem, nlif_cvode_rhs, 0.0, s->y) || CVodeSStolerances(s->mem, s->rtol, s->atol) ||
        CVodeSetUserData(s->mem, s) || CVodeSetErrHandlerFn(s->mem, cv_err_handler, s) ||
        CVodeSetLinearSolver(s->mem, s->LS, s->A) || CVodeSetJacFn(s->mem, nlif_cvode_jac) ||
        CVodeSetMaxOrd(s->mem, s->max_order) || CVodeSetMaxNumSteps(s->mem, s->max_steps) ||
        CVodeRootInit(s->mem, 1, blowup_root) ||
        (isfinite(s->tstop) && CVodeSetStopTime(s->mem, s->tstop)) ||
        (s->delayed && (CVodeSetMaxStep(s->mem, cs->model.delay) || push_history(s, 0.0, err)))) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", s->last_msg);
        cvode_free(s);
        return nlif_fail(err, NLIF_ENUMERIC, "cvode: setting up CVODE failed: %s", msg);
    }
    if ((rc = record(s, err))) {
        cvode_free(s);
        return rc;
    }
    *state = s;
    return NLIF_OK;
}

static void put_stats(cvref *s)
{
    long v;
    if (!CVodeGetNumSteps(s->mem, &v))
        nlif_traj_stat(s->traj, "cvode_steps", (double)v);
    if (!CVodeGetNumRhsEvals(s->mem, &v))
        nlif_traj_stat(s->traj, "cvode_rhs_evals", (double)v);
    if (!CVodeGetNumJacEvals(s->mem, &v))
        nlif_traj_stat(s->traj, "cvode_jac_evals", (double)v);
    if (!CVodeGetNumLinSolvSetups(s->mem, &v))
        nlif_traj_stat(s->traj, "cvode_lin_setups", (double)v);
    if (!CVodeGetNumNonlinSolvIters(s->mem, &v))
        nlif_traj_stat(s->traj, "cvode_newton_iters", (double)v);
    if (!CVodeGetNumErrTestFails(s->mem, &v))
        nlif_traj_stat(s->traj, "cvode_err_test_fails", (double)v);
}

/* CVODE's steps so far into *used; 1 (status failed, with the count and the time) when they reach the
 * run's step budget (traj->max_samples), which bounds CVODE's internal steps too. */
static int budget_spent(cvref *s, double tret, long *used)
{
    CVodeGetNumSteps(s->mem, used);
    if (!s->traj->max_samples || (size_t)*used < s->traj->max_samples)
        return 0;
    put_stats(s);
    nlif_traj_set_status(s->traj, NLIF_STATUS_FAILED, tret,
                         "step budget exhausted: %ld CVODE steps by t = %.6g (run.max_steps, run.max_memory)", *used,
                         tret);
    s->traj->budget_exhausted = 1;
    return 1;
}

/* The delayed model (MATHEMATICS.md §1.4): CVODE one step at a time, never past the output time (its
 * stop time), each accepted step pushed into the history of N that the next steps' drift reads. The
 * step budget, the blow-up root and discontinuities (pulse edges, t = d) as in cvode_advance. */
static int advance_delayed(cvref *s, double t_end, nlif_error *err)
{
    double dt = s->cs.run.dt;
    while (s->t < t_end) {
        double h, tout = nlif_step_to(s->t, t_end, dt, &h) ? t_end : s->t + h;
        double tret = s->t;
        while (tret < tout) {
            long used = 0;
            if (budget_spent(s, tret, &used))
                return NLIF_OK;
            double stop = fmin(s->tstop, tout);
            CVodeSetStopTime(s->mem, stop);
            int flag = CVode(s->mem, stop, s->y, &tret, CV_ONE_STEP);
            if (flag == CV_ROOT_RETURN) {
                put_stats(s);
                nlif_traj_set_status(s->traj, NLIF_STATUS_BLOWUP, tret,
                                     "discrete blow-up indicator b p_{n-1} reached %g at t = %.6g", s->blowup_indicator, tret);
                return NLIF_OK;
            }
            if (flag < 0) {
                char *name = CVodeGetReturnFlagName(flag);
                put_stats(s);
                nlif_traj_set_status(s->traj, NLIF_STATUS_FAILED, tret, "CVODE %s at t = %.6g (delayed drift): %s",
                                     name ? name : "error", tret, s->last_msg);
                free(name);
                return NLIF_OK;
            }
            int rc = push_history(s, tret, err);
            if (rc)
                return rc;
            if (flag == CV_TSTOP_RETURN && tret >= s->tstop * (1 - 1e-14)) {
                /* a discontinuity of the right-hand side: restart the multistep method there */
                if (tret < s->cs.run.t_final * (1 - 1e-14))
                    CVodeReInit(s->mem, tret, s->y);
                s->tstop = nlif_cvode_next_stop(s, tret);
            }
            if (flag == CV_TSTOP_RETURN && tret >= tout * (1 - 1e-14))
                break;
        }
        double N = s->delay.n[(s->delay.head + s->delay.count - 1) % s->delay.cap]; /* N(tout), just pushed */
        s->fired += 0.5 * (s->rate + N) * (tout - s->t);
        s->rate = N;
        s->t = tout;
        int rc = record(s, err);
        if (rc)
            return rc;
    }
    put_stats(s);
    return NLIF_OK;
}

/* Output samples every run.dt (the last one shortened to land on t_end); CVODE interpolates. */
static int cvode_advance(void *state, double t_end, nlif_error *err)
{
    cvref *s = state;
    if (s->traj->status != NLIF_STATUS_OK)
        return NLIF_OK;
    if (s->ei)
        return nlif_cvei_advance(s, t_end, err);
    if (s->delayed)
        return advance_delayed(s, t_end, err);
    double dt = s->cs.run.dt;
    while (s->t < t_end) {
        /* land exactly on t_end; a remainder of rounding joins the last step */
        double h, tout = nlif_step_to(s->t, t_end, dt, &h) ? t_end : s->t + h;
        double tret = s->t;
        while (tret < tout) {
            /* the run's step budget (traj->max_samples) also bounds CVODE's internal steps */
            long used = 0;
            if (budget_spent(s, tret, &used))
                return NLIF_OK;
            if (s->traj->max_samples)
                CVodeSetMaxNumSteps(s->mem, (long)fmin((double)s->max_steps, (double)(s->traj->max_samples - (size_t)used)));
            int flag = CVode(s->mem, tout, s->y, &tret, CV_NORMAL);
            if (flag == CV_TOO_MUCH_WORK && s->traj->max_samples) {
                CVodeGetNumSteps(s->mem, &used);
                if ((size_t)used >= s->traj->max_samples)
                    continue; /* the budget, reported above */
            }
            if (flag == CV_ROOT_RETURN) {
                put_stats(s);
                nlif_traj_set_status(s->traj, NLIF_STATUS_BLOWUP, tret,
                                     "discrete blow-up indicator b p_{n-1} reached %g at t = %.6g", s->blowup_indicator, tret);
                return NLIF_OK;
            }
            if (flag == CV_TSTOP_RETURN) {
                /* an input discontinuity: restart the multistep method from the state there (its
                 * history is of the other side; stepping on with it fails the error test at hmin) */
                nlif_cvode_restart_at_stop(s, tret);
                if (tout - tret <= 1e-12 * (1.0 + fabs(tout)))
                    break; /* the stop is the output time up to rounding: the state is there */
                continue;
            }
            if (flag < 0) {
                char *name = CVodeGetReturnFlagName(flag);
                double ind = s->b * NV_DATA_S(s->y)[s->n - 1];
                put_stats(s);
                nlif_traj_set_status(s->traj, ind >= 0.5 ? NLIF_STATUS_BLOWUP : NLIF_STATUS_FAILED, tret,
                                     "CVODE %s at t = %.6g (b p_{n-1} = %.3g): %s", name ? name : "error", tret,
                                     ind, s->last_msg);
                free(name);
                return NLIF_OK;
            }
        }
        const double *p = NV_DATA_S(s->y);
        double N = nlif_cvode_firing_rate(s, p[s->n - 1], nlif_input_current(&s->cs.input, tout), NULL, NULL);
        if (!isfinite(N)) {
            nlif_traj_set_status(s->traj, NLIF_STATUS_BLOWUP, tout,
                                 "no finite rate solves N = κ(bN + I) p_{n-1} (b p_{n-1} = %.3g)",
                                 s->b * p[s->n - 1]);
            return NLIF_OK;
        }
        /* E(t): trapezoid on the output samples (a diagnostic; O(dt²)). */
        s->fired += 0.5 * (s->rate + N) * (tout - s->t);
        s->rate = N;
        s->rate_guess = N;
        s->t = tout;
        int rc = record(s, err);
        if (rc)
            return rc;
    }
    put_stats(s);
    return NLIF_OK;
}

static int cvode_profile(void *state, nlif_profile *out)
{
    cvref *s = state;
    if (s->ei)
        return nlif_cvei_profile(s, out);
    memset(out, 0, sizeof *out);
    memcpy(s->pout, NV_DATA_S(s->y), s->n * sizeof *s->pout);
    if (s->n > 1)
        s->pout[0] *= 2.0; /* the density at the wall: node 0 holds the half cell (MATHEMATICS.md §1.3) */
    s->pout[s->n] = 0.0;
    out->t = s->t;
    out->n = s->n + 1;
    out->v = s->v;
    out->p = s->pout;
    return NLIF_OK;
}

/* cvode claims what spap claims: its semi-discretisation is spap's (MATHEMATICS.md §5b), with time
 * integrated to rtol 1e-10. */
static const nlif_scheme_claim cvode_claims[] = {
    {"stationary_rate", 1e-4, "the spap semi-discretisation at dv = 0.02, time to rtol 1e-10 (MATHEMATICS.md 5b)"},
    {NULL, 0, NULL},
};

const nlif_scheme_type nlif_scheme_cvode = {
    .name = "cvode",
    .title = "method-of-lines reference (SG/Maxwellian finite volumes), CVODE BDF, bordered tridiagonal solves",
    .source = "time-accurate reference of the suite (MATHEMATICS.md §5b; not a paper's scheme)",
    .flags = NLIF_SUPPORTS_1D | NLIF_SUPPORTS_SOURCE | NLIF_SUPPORTS_DELAY | NLIF_SUPPORTS_REFRACTORY | NLIF_SUPPORTS_POPULATIONS,
    .order_t = NAN, /* adaptive: the time error is held below rtol, there is no Δt to refine */
    .order_v_density = 2.0,
    .order_v_rate = 2.0,
    .order_w = NAN,
    .options = cvode_options,
    .claims = cvode_claims,
    .alloc = cvode_alloc,
    .advance = cvode_advance,
    .profile = cvode_profile,
    .free = cvode_free,
};
