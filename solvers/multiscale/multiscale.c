/* multiscale.c — Scheme 2, the multiscale macro/micro switching solver [MS] (MATHEMATICS.md §4): the
 * solver object, the switching logic and the scheme type "multiscale"; the micro phase is micro.c.
 *
 * Macro phase (macro.c): one backward-Euler Fokker–Planck step per Δt (with macro_noise =
 * finite_size the rate in the drift carries the finite network's fluctuation, MATHEMATICS.md §4). After each step the switch
 * test: the macro rate N > N_up, or the blow-up indicator b p_{n−1} ≥ θ_up (b p_{n−1} = 1 is the
 * cascade threshold of the density at the last node, MATHEMATICS.md §5), or an instantaneous input (kick)
 * inside the step (Choice: kicks are resolved by the particles). A step that crosses is not
 * accepted: the crossing is located by bisection on the step length from the last accepted state
 * (tolerance switch_tol), the state just before the crossing is accepted and the particles are drawn
 * from it (rebuild.c) — the switch happens exactly there, not at the end of the step.
 *
 * Micro phase: the particle kernel of the Monte Carlo reference (reference/particles.h: Euler–
 * Maruyama, Brownian bridge, exact in-step cascades, conventions A/B) with N_p = run.particles and
 * Δt = micro_dt (default run.mc_dt: the Monte Carlo reference's step, so that the micro phase is the
 * reference's particle system), on the grid kΔt of the Monte Carlo reference. A step shorter than Δt
 * (after a switch at an off-grid time; before an off-grid t_end, since advance lands exactly on it) is
 * taken here with the same mathematics (Euler–Maruyama + bridge of its own Philox stream, then the
 * kernel's cascade on the result). After each step: back to macro when the windowed rate N̂ over calm_window W has
 * stayed below N_down, the window lies inside this micro phase, no single-step cascade above
 * calm_cascade occurred in it, and the rebuilt density is below hysteresis × both thresholds.
 *
 * Results: one sample per accepted step (micro: the step's rate spikes/(N_p h), mass 1 — particles
 * are conserved — and minimum density 0, that of a histogram), MFEs of the micro phases (a step with
 * K/N_p ≥ run.mfe_level: time of the step's end, or the kick time for the kick's cascade — the Monte
 * Carlo convention), events switch_micro / switch_macro, and statistics: time in each description,
 * number of switches, particles, CPU seconds of each part.
 */
#include "multiscale_impl.h"

#include <Random123/philox.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const nlif_option_spec ms_options[] = {
    {"rate_up", NLIF_OPT_DOUBLE, "20", 1e-6, 1e300, NULL, 1, "macro -> micro when the macro rate N exceeds this (N_up)"},
    {"theta_up", NLIF_OPT_DOUBLE, "0.5", 1e-6, 1e6, NULL, 1,
     "macro -> micro when the blow-up indicator b*p_{n-1} reaches this (the cascade threshold is 1)"},
    {"switch_tol", NLIF_OPT_DOUBLE, "1e-6", 1e-15, 1, NULL, 1,
     "time tolerance of the bisection that locates the macro -> micro crossing inside the step"},
    {"rate_down", NLIF_OPT_DOUBLE, "2", 0, 1e300, NULL, 1,
     "micro -> macro when the windowed particle rate stays below this (N_down < N_up)"},
    {"calm_window", NLIF_OPT_DOUBLE, "0.01", 1e-9, 1e9, NULL, 1,
     "window W of the particle rate and of the no-cascade condition (inside the micro phase)"},
    {"calm_cascade", NLIF_OPT_DOUBLE, "0.01", 0, 1, NULL, 1, "micro -> macro only if no step cascade K/N_p above this in the window"},
    {"hysteresis", NLIF_OPT_DOUBLE, "0.5", 0, 1, NULL, 1,
     "micro -> macro only if the rebuilt density has b*p_{n-1} and N below hysteresis x (theta_up, rate_up)"},
    {"bandwidth_cells", NLIF_OPT_DOUBLE, "1", 0, 1e6, NULL, 1,
     "Gaussian kernel bandwidth of the micro -> macro rebuild in cells dv (0: Silverman 0.9 min(sd, IQR/1.34) N_p^-1/5, "
     "which widens the density by h^2 and shortens the b = 3 MFE period by 0.3%)"},
    {"layer_cells", NLIF_OPT_INT, "3", 0, 1e6, NULL, 1,
     "cells next to V_F set to the boundary layer (N^/a)(V_F - v) in the rebuild"},
    {"sampling", NLIF_OPT_ENUM, "stratified", 0, 0, "stratified|midpoint", 1,
     "macro -> micro: inverse piecewise-linear CDF at (i + u_i)/N_p, u_i uniform (randomised) or 1/2"},
    {"micro_dt", NLIF_OPT_DOUBLE, "0", 0, 1e3, NULL, 1,
     "time step of the micro (particle) phase; 0: the case's run.mc_dt, the Monte Carlo reference's step"},
    {"bridge", NLIF_OPT_BOOL, "on", 0, 1, NULL, 1, "Brownian-bridge correction in the micro phase (as the Monte Carlo reference)"},
    {"mass_guard", NLIF_OPT_BOOL, "on", 0, 1, NULL, 1,
     "after each macro step rescale p to its exactly known mass 1 (removes the rounding drift of the solve)"},
    {"rate_iterations", NLIF_OPT_INT, "1", 0, 100, NULL, 1,
     "macro step: re-freeze a(N) and bN at the new rate this many times (0: semi-implicit, N at the old level)"},
    {"macro_noise", NLIF_OPT_ENUM, "none", 0, 0, "none|finite_size", 1,
     "macro phase: the mean-field drift b N (none), or b (N + xi) with xi the finite-network rate fluctuation, "
     "Gaussian of variance N/(N_p dt) per step (finite_size; a mesoscopic extension of the reconstruction, MATHEMATICS.md §7, item 12)"},
    {"kick", NLIF_OPT_ENUM, "micro", 0, 0, "micro", 1,
     "an instantaneous input is resolved by the particles: the macro phase switches at the kick time"},
    {NULL, 0, NULL, 0, 0, NULL, 0, NULL},
};


double nlif_ms_bisect(double h, double tol, int (*crossed)(void *ctx, double s), void *ctx, int *evaluations)
{
    double lo = 0, hi = h;
    int ev = 0;
    while (hi - lo > tol) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi)
            break; /* no representable point between: tol below the spacing of doubles */
        ev++;
        if (crossed(ctx, mid))
            hi = mid;
        else
            lo = mid;
    }
    if (evaluations)
        *evaluations = ev;
    return lo;
}

/* ------------------------------------------------------------------ macro phase */

static int indicator_crossed(const ms_state *s, const double *p, double rate)
{
    const int n = s->mac.n;
    if (!isfinite(rate) || rate > s->rate_up)
        return 1;
    return s->cs.model.b * p[n - 1] >= s->theta_up;
}

/* One trial macro step of length h from the accepted state into s->trial; returns its rate. With
 * rate_iterations = m > 0 the coefficients (a(N), μ = bN + I) are re-frozen m times at the rate of
 * the previous solve (Picard iteration towards the step implicit in N). */
static double macro_trial(ms_state *s, double h)
{
    double input = nlif_input_current(&s->cs.input, s->t + h);
    /* finite_size: the rate the network feeds back is N + ξ, ξ ~ N(0, N/(N_p h)) (the diffusion
     * approximation of a Poisson spike count of mean N_p N h); one normal per step, so that the
     * bisection's shorter trials see the same Brownian path (variance of the integral ∝ h). */
    if (s->macro_noise && s->rate > 0)
        input += s->cs.model.b * s->noise_z * sqrt(s->rate / ((double)s->np * h));
    double rate = nlif_ms_macro_step(&s->mac, s->p, s->trial, s->rate, input, h);
    for (int it = 0; it < s->rate_iterations && isfinite(rate); it++)
        rate = nlif_ms_macro_step(&s->mac, s->p, s->trial, rate, input, h);
    return rate;
}

static int trial_crossed(void *ctx, double h)
{
    ms_state *s = ctx;
    if (nlif_input_kick_between(&s->cs.input, s->t, s->t + h))
        return 1;
    double rate = macro_trial(s, h);
    s->bis_rate = rate;
    return indicator_crossed(s, s->trial, rate);
}

static int record_macro(ms_state *s)
{
    double lo = INFINITY, hi = 0;
    for (int i = 0; i < s->mac.n; i++) {
        if (s->p[i] < lo)
            lo = s->p[i];
        if (s->p[i] > hi)
            hi = s->p[i];
    }
    nlif_traj_note_max(s->tr, hi);
    return nlif_traj_record(s->tr, s->t, s->rate, s->fired, nlif_ms_macro_mass(&s->mac, s->p), lo);
}

static void accept_trial(ms_state *s, double h, double rate)
{
    if (s->mass_guard) {
        /* The step conserves mass exactly in exact arithmetic (zero column sums); in floating point
         * the elimination leaves a small bias per step that accumulates over 1e4 steps to ~1e-12. */
        double mass = nlif_ms_macro_mass(&s->mac, s->trial), c = 1.0 / mass;
        if (fabs(mass - 1.0) > s->renorm_max)
            s->renorm_max = fabs(mass - 1.0);
        for (int i = 0; i < s->mac.n; i++)
            s->trial[i] *= c;
    }
    double *tmp = s->p;
    s->p = s->trial;
    s->trial = tmp;
    s->t += h;
    s->rate = rate;
    s->fired += rate * h;
    s->time_in[PHASE_MACRO] += h;
}

static void window_reset(ms_state *s)
{
    memset(s->ring_spikes, 0, (size_t)s->wsteps * sizeof *s->ring_spikes);
    memset(s->ring_dt, 0, (size_t)s->wsteps * sizeof *s->ring_dt);
    s->wpos = s->wfill = 0;
    s->wspikes = s->wtime = 0;
}

/* Macro → micro at s->t from the accepted density s->p. */
static int switch_to_micro(ms_state *s, nlif_error *err)
{
    nlif_ms_cpu_charge(s, CPU_MACRO);
    const int n = s->mac.n;
    double indicator = s->cs.model.b * s->p[n - 1];
    /* The sampler reads point densities: 2u_0 at the wall (MATHEMATICS.md §1.3); its trapezoid CDF then
     * holds the grid's mass exactly. s->prof is scratch until the next profile. */
    memcpy(s->prof, s->p, (size_t)(n + 1) * sizeof *s->prof);
    if (n > 1)
        s->prof[0] *= 2;
    nlif_ms_sample(s->mac.v, s->prof, n + 1, s->work, s->np, s->jitter, s->cs.run.seed, s->n_samplings++, s->x);
    int rc = nlif_particles_set_voltages(s->ps, s->x, NULL, s->np, err);
    if (rc)
        return rc;
    nlif_particles_set_time(s->ps, s->t, s->kstep);
    window_reset(s);
    s->micro_start = s->last_big = s->t;
    s->retry_at = s->t;
    s->phase = PHASE_MICRO;
    s->n_to_micro++;
    nlif_ms_cpu_charge(s, CPU_SWITCH);
    return nlif_traj_event(s->tr, "switch_micro", s->t, indicator) ? nlif_fail(err, NLIF_ENOMEM, "multiscale: events")
                                                                    : NLIF_OK;
}

/* One macro step towards t_end; may end the phase (switch to micro at the located crossing). */
static int macro_step(ms_state *s, double t_end, nlif_error *err)
{
    double h = s->dt;
    if (s->macro_noise) {
        philox4x32_key_t key = {{(uint32_t)s->cs.run.seed, (uint32_t)(s->cs.run.seed >> 32)}};
        philox4x32_ctr_t c = {{(uint32_t)s->n_macro, (uint32_t)(s->n_macro >> 32), 0x4d4eu /* "MN" */, 0}};
        philox4x32_ctr_t r = philox4x32(c, key);
        double u1 = ((double)r.v[0] + 0.5) * 0x1p-32, u2 = ((double)r.v[1] + 0.5) * 0x1p-32;
        s->noise_z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
        s->n_macro++;
    }
    /* land exactly on t_end; a remainder of rounding joins the last step */
    int land = nlif_step_to(s->t, t_end, s->dt, &h);
    if (trial_crossed(s, h)) {
        int ev = 0;
        double lo = nlif_ms_bisect(h, s->tol, trial_crossed, s, &ev);
        s->bisections += ev;
        if (lo > 0) {
            double rate = macro_trial(s, lo);
            accept_trial(s, lo, rate);
            int rc = record_macro(s);
            if (rc)
                return nlif_fail(err, rc, "multiscale: trajectory");
        }
        return switch_to_micro(s, err);
    }
    accept_trial(s, h, s->bis_rate); /* trial_crossed(h) left the step's result in s->trial */
    if (land)
        s->t = t_end;
    int rc = record_macro(s);
    return rc ? nlif_fail(err, rc, "multiscale: trajectory") : NLIF_OK;
}

/* Histogram of the particles on the macro cells into out (density), p_n = 0. */
static void particle_histogram(ms_state *s, const double *x, double *out)
{
    const int n = s->mac.n;
    memset(out, 0, (size_t)(n + 1) * sizeof *out);
    for (long j = 0; j < s->np; j++) {
        int i = (int)floor((x[j] - s->mac.v[0]) / s->mac.dv + 0.5);
        out[i < 0 ? 0 : (i >= n ? n - 1 : i)] += 1;
    }
    double c = 1.0 / ((double)s->np * s->mac.dv);
    for (int i = 0; i < n; i++)
        out[i] *= c;
}

/* ------------------------------------------------------------------ scheme interface */

static void ms_free(void *state)
{
    ms_state *s = state;
    if (!s)
        return;
    nlif_ms_macro_free(&s->mac);
    free(s->p);
    free(s->trial);
    free(s->work);
    free(s->prof);
    free(s->x);
    free(s->ring_spikes);
    free(s->ring_dt);
    nlif_particles_free(s->ps);
    free(s);
}

static void publish_stats(ms_state *s)
{
    nlif_trajectory *tr = s->tr;
    if (s->mass_guard)
        nlif_traj_stat(tr, "mass_renormalisation_max", s->renorm_max);
    nlif_traj_stat(tr, "time_macro", s->time_in[PHASE_MACRO]);
    nlif_traj_stat(tr, "time_micro", s->time_in[PHASE_MICRO]);
    nlif_traj_stat(tr, "switches", (double)(s->n_to_micro + s->n_to_macro));
    nlif_traj_stat(tr, "switches_to_micro", (double)s->n_to_micro);
    nlif_traj_stat(tr, "switches_to_macro", (double)s->n_to_macro);
    nlif_traj_stat(tr, "particles", (double)s->np);
    nlif_traj_stat(tr, "micro_dt", s->dt_micro);
    nlif_traj_stat(tr, "cpu_macro_seconds", s->cpu[CPU_MACRO]);
    nlif_traj_stat(tr, "cpu_micro_seconds", s->cpu[CPU_MICRO]);
    nlif_traj_stat(tr, "cpu_switch_seconds", s->cpu[CPU_SWITCH]);
    nlif_traj_stat(tr, "bisection_evaluations", (double)s->bisections);
    nlif_traj_stat(tr, "partial_micro_steps", (double)s->partial_steps);
    nlif_traj_stat(tr, "last_rebuild_bandwidth", s->bandwidth_used);
    nlif_traj_stat(tr, "in_micro_at_end", s->phase == PHASE_MICRO ? 1.0 : 0.0);
}

static int ms_alloc(void **state, const nlif_case *cs, const nlif_optset *opt, nlif_trajectory *traj,
                    nlif_error *err)
{
    *state = NULL;
    if (cs->structure.enabled)
        return nlif_fail(err, NLIF_EINVAL, "multiscale: structured networks are not supported (1D only)");
    if (cs->run.particles < 1)
        return nlif_fail(err, NLIF_EINVAL, "multiscale: run.particles = %ld must be >= 1", cs->run.particles);
    if (!(cs->run.dt > 0))
        return nlif_fail(err, NLIF_EINVAL, "multiscale: run.dt = %g must be > 0", cs->run.dt);
    ms_state *s = calloc(1, sizeof *s);
    if (!s)
        return nlif_fail(err, NLIF_ENOMEM, "multiscale: out of memory");
    s->cs = *cs;
    s->tr = traj;
    s->rate_up = nlif_opt_double(opt, "rate_up");
    s->theta_up = nlif_opt_double(opt, "theta_up");
    s->tol = nlif_opt_double(opt, "switch_tol");
    s->rate_down = nlif_opt_double(opt, "rate_down");
    s->window = nlif_opt_double(opt, "calm_window");
    s->calm_cascade = nlif_opt_double(opt, "calm_cascade");
    s->hysteresis = nlif_opt_double(opt, "hysteresis");
    s->bandwidth = nlif_opt_double(opt, "bandwidth_cells") * cs->run.dv; /* 0: Silverman */
    s->layer = (int)nlif_opt_int(opt, "layer_cells");
    s->jitter = nlif_opt_enum(opt, "sampling") == 0;
    s->bridge = nlif_opt_bool(opt, "bridge");
    s->mass_guard = nlif_opt_bool(opt, "mass_guard");
    s->rate_iterations = (int)nlif_opt_int(opt, "rate_iterations");
    s->macro_noise = nlif_opt_enum(opt, "macro_noise") == 1;
    if (!(s->rate_down < s->rate_up)) {
        double down = s->rate_down, up = s->rate_up;
        ms_free(s);
        return nlif_fail(err, NLIF_EINVAL, "multiscale: option rate_down = %g must be below rate_up = %g", down, up);
    }
    int rc = nlif_ms_macro_init(&s->mac, &cs->model, cs->run.dv, err);
    if (rc) {
        ms_free(s);
        return rc;
    }
    const int n = s->mac.n;
    s->np = cs->run.particles;
    s->dt = cs->run.dt;
    s->dt_micro = nlif_opt_double(opt, "micro_dt") > 0 ? nlif_opt_double(opt, "micro_dt") : cs->run.mc_dt;
    double wsteps = fmax(1.0, round(s->window / s->dt_micro));
    if (!(wsteps <= 1e7)) {
        double w = s->window, h = s->dt_micro;
        ms_free(s);
        return nlif_fail(err, NLIF_EINVAL, "multiscale: option calm_window = %g holds %.3g particle steps of %g "
                                           "(allowed: at most 1e7; a smaller calm_window or a larger micro_dt)", w, wsteps, h);
    }
    s->wsteps = (int)wsteps;
    s->p = calloc((size_t)n + 1, sizeof *s->p);
    s->trial = calloc((size_t)n + 1, sizeof *s->trial);
    s->work = calloc((size_t)n + 1, sizeof *s->work);
    s->prof = calloc((size_t)n + 1, sizeof *s->prof);
    s->x = malloc((size_t)s->np * sizeof *s->x);
    s->ring_spikes = calloc((size_t)s->wsteps, sizeof *s->ring_spikes);
    s->ring_dt = calloc((size_t)s->wsteps, sizeof *s->ring_dt);
    if (!s->p || !s->trial || !s->work || !s->prof || !s->x || !s->ring_spikes || !s->ring_dt) {
        ms_free(s);
        return nlif_fail(err, NLIF_ENOMEM, "multiscale: out of memory for %ld particles", cs->run.particles);
    }
    nlif_particles_params pp;
    nlif_particles_params_from_case(&pp, cs);
    pp.dt = s->dt_micro;
    pp.bridge = s->bridge;
    if ((rc = nlif_particles_alloc(&s->ps, &pp, err)) || (rc = nlif_ms_macro_initial(&s->mac, cs, s->p, err))) {
        ms_free(s);
        return rc;
    }
    /* N(0) = a(N) g with g = p_{n−1}/Δv: N = a0 g/(1 − a1 g) */
    double g = s->p[n - 1] / s->mac.dv;
    s->rate = cs->model.a1 * g < 1 ? cs->model.a0 * g / (1 - cs->model.a1 * g) : INFINITY;
    s->cpu_mark = nlif_ms_cpu_now();
    if ((rc = record_macro(s))) {
        ms_free(s);
        return nlif_fail(err, rc, "multiscale: trajectory");
    }
    if (indicator_crossed(s, s->p, s->rate) && (rc = switch_to_micro(s, err))) {
        ms_free(s);
        return rc;
    }
    publish_stats(s);
    *state = s;
    return NLIF_OK;
}

static int ms_advance(void *state, double t_end, nlif_error *err)
{
    ms_state *s = state;
    s->cpu_mark = nlif_ms_cpu_now();
    int rc = NLIF_OK;
    while (s->t < t_end && s->tr->status == NLIF_STATUS_OK) {
        if (s->phase == PHASE_MACRO) {
            rc = macro_step(s, t_end, err);
            if (!rc && s->phase == PHASE_MACRO && !(isfinite(s->rate))) {
                nlif_traj_set_status(s->tr, NLIF_STATUS_FAILED, s->t, "macro rate is not finite");
                break;
            }
        } else {
            rc = nlif_ms_micro_step(s, t_end, err);
        }
        if (rc)
            break;
    }
    nlif_ms_cpu_charge(s, s->phase == PHASE_MACRO ? CPU_MACRO : CPU_MICRO);
    publish_stats(s);
    return rc;
}

static int ms_profile(void *state, nlif_profile *out)
{
    ms_state *s = state;
    const int n = s->mac.n;
    memset(out, 0, sizeof *out);
    if (s->phase == PHASE_MACRO)
        memcpy(s->prof, s->p, (size_t)(n + 1) * sizeof *s->prof);
    else
        particle_histogram(s, nlif_particles_voltages(s->ps), s->prof);
    if (n > 1)
        s->prof[0] *= 2; /* the density at the wall: node 0 holds the half cell (MATHEMATICS.md §1.3) */
    out->t = s->t;
    out->n = n + 1;
    out->v = s->mac.v;
    out->p = s->prof;
    return 0;
}

const nlif_scheme_type nlif_scheme_multiscale = {
    .name = "multiscale",
    .title = "multiscale macro/micro switching: Maxwellian-flux Fokker-Planck while calm, particles through blow-ups",
    .source = "Du, Xie, Zhou, SIAM MMS 2024, arXiv:2305.05915 (reconstruction, MATHEMATICS.md §4)",
    .flags = NLIF_SUPPORTS_1D | NLIF_SUPPORTS_NOISE_RATE | NLIF_SUPPORTS_MFE | NLIF_SUPPORTS_CONVENTION_B |
             NLIF_SUPPORTS_KICK | NLIF_IS_RANDOM | NLIF_HAS_TIME_STEP,
    .order_t = 1.0,
    /* A one-sided outflow reads as order 1 in v for N; the discrete stationary
     * balance makes it 2 (MATHEMATICS.md §7, item 9; measured 1.995 on smooth_short, also for spap
     * with outflow=one_sided). The declared orders are the derived ones. */
    .order_v_density = 2.0,
    .order_v_rate = 2.0,
    .order_w = NAN,
    .options = ms_options,
    .alloc = ms_alloc,
    .advance = ms_advance,
    .profile = ms_profile,
    .free = ms_free,
};
