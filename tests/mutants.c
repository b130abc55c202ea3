/* mutants.c — the mutant catalogue (mutants.h): the wrapper scheme and the table of mutants.
 *
 * The wrapper owns the real scheme's state and a private trajectory the real scheme records into.
 * After each advance it forwards the new samples, events, statistics and status to the harness's
 * trajectory through the ordinary nlif_traj_* calls, with the mutant's one change applied, so that
 * mass drift, minimum density and every figure are accumulated by the same code as for a real
 * scheme. MATHEMATICS.md §6 ("The mutant catalogue") lists every mutant, the check meant to catch it
 * and the measured figure against the bound.
 */
#include "mutants.h"
#include "mutants_cases.h"

#include "../solvers/dilated/dilated.h"
#include "../solvers/spap/spap.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct nlif_mutant_state {
    const nlif_mutant *m;
    const nlif_optset *opt;    /* the real scheme's options (valid during alloc) */
    void *in;                  /* the real scheme's state */
    nlif_case cs;              /* the case the real scheme runs (a modified copy for some mutants) */
    nlif_trajectory priv;      /* what the real scheme records */
    nlif_trajectory *out;      /* what the harness sees */
    size_t n_fwd, ev_fwd;      /* samples and events forwarded so far */
    double prev_fired;         /* explicit re-injection: the mass that fired in the previous step */
    int nan_done;
    gsl_rng *rng;
    /* a copy of the profile (frozen density) or a scratch copy (negative cell) */
    nlif_profile keep;
    double *kv, *kp, *kw, *krho;
    /* the profile handed out by the stale-snapshot mutant (the kept one is overwritten meanwhile) */
    nlif_profile shown;
    double *sv, *sp, *sw, *srho;
};

/* ------------------------------------------------------------------------------------------------ */
/* The wrapper. */

static int forward(nlif_mutant_state *ms, nlif_error *err)
{
    const nlif_mutant *m = ms->m;
    nlif_trajectory *in = &ms->priv, *out = ms->out;
    for (; ms->n_fwd < in->n; ms->n_fwd++) {
        nlif_sample s = in->s[ms->n_fwd];
        if (m->edit_sample)
            m->edit_sample(ms, &s);
        int rc = in->s_i ? nlif_traj_record_populations(out, s.t, s.rate, s.fired, s.mass, s.min_density, in->s_i[ms->n_fwd])
                 : in->refractory ? nlif_traj_record_refractory(out, s.t, s.rate, s.fired, s.mass, s.min_density,
                                                               in->refractory[ms->n_fwd])
                                  : nlif_traj_record(out, s.t, s.rate, s.fired, s.mass, s.min_density);
        if (rc)
            return nlif_fail(err, NLIF_ENOMEM, "%s: trajectory sample", m->name);
    }
    nlif_traj_note_max(out, in->max_density);
    for (; ms->ev_fwd < in->n_ev; ms->ev_fwd++) {
        nlif_event e = in->ev[ms->ev_fwd];
        if (m->edit_event)
            m->edit_event(ms, &e);
        if (nlif_traj_event(out, e.kind, e.t, e.value))
            return nlif_fail(err, NLIF_ENOMEM, "%s: event", m->name);
    }
    for (int i = 0; i < in->n_stat; i++)
        nlif_traj_stat(out, in->stat[i].name, in->stat[i].value);
    if (in->status != NLIF_STATUS_OK && out->status == NLIF_STATUS_OK)
        nlif_traj_set_status(out, in->status, in->status_time, "%s", in->cause);
    return NLIF_OK;
}

static void mut_free(void *state)
{
    nlif_mutant_state *ms = state;
    if (!ms)
        return;
    if (ms->in)
        ms->m->wraps->free(ms->in);
    nlif_traj_free(&ms->priv);
    gsl_rng_free(ms->rng);
    free(ms->kv);
    free(ms->kp);
    free(ms->kw);
    free(ms->krho);
    free(ms->sv);
    free(ms->sp);
    free(ms->sw);
    free(ms->srho);
    free(ms);
}

static int mut_alloc(int k, void **state, const nlif_case *cs, const nlif_optset *opt,
                     nlif_trajectory *traj, nlif_error *err)
{
    const nlif_mutant *m = &nlif_mutants[k];
    *state = NULL;
    nlif_mutant_state *ms = calloc(1, sizeof *ms);
    if (!ms || !(ms->rng = gsl_rng_alloc(gsl_rng_mt19937))) {
        free(ms);
        return nlif_fail(err, NLIF_ENOMEM, "%s: state", m->name);
    }
    gsl_rng_set(ms->rng, (unsigned long)cs->run.seed);
    ms->m = m;
    ms->opt = opt;
    ms->cs = *cs;
    ms->out = traj;
    nlif_traj_init(&ms->priv);
    if (m->edit_case)
        m->edit_case(&ms->cs);
    int rc = m->wraps->alloc(&ms->in, &ms->cs, opt, &ms->priv, err);
    if (!rc && m->on_alloc && m->on_alloc(ms))
        rc = nlif_fail(err, NLIF_ENOMEM, "%s: set-up", m->name);
    if (!rc)
        rc = forward(ms, err);
    if (rc) {
        mut_free(ms);
        return rc;
    }
    *state = ms;
    return NLIF_OK;
}

static double last_t(const nlif_trajectory *tr) { return tr->n ? tr->s[tr->n - 1].t : 0.0; }
static double last_fired(const nlif_trajectory *tr) { return tr->n ? tr->s[tr->n - 1].fired : 0.0; }

static int mut_advance(void *state, double t_end, nlif_error *err)
{
    nlif_mutant_state *ms = state;
    const nlif_mutant *m = ms->m;
    if (m->stop_fraction > 0 && t_end > m->stop_fraction * ms->cs.run.t_final)
        t_end = m->stop_fraction * ms->cs.run.t_final; /* ...and says nothing: the status stays ok */
    if (!m->after_step) {
        int rc = m->wraps->advance(ms->in, t_end, err);
        return rc ? rc : forward(ms, err);
    }
    /* Step by step (one case Δt at a time), operating on the state between steps. */
    while (ms->priv.status == NLIF_STATUS_OK && last_t(&ms->priv) < t_end) {
        double t0 = last_t(&ms->priv), f0 = last_fired(&ms->priv);
        double target = t0 + ms->cs.run.dt;
        if (target > t_end - 1e-12 * (1.0 + fabs(t_end)))
            target = t_end;
        int rc = m->wraps->advance(ms->in, target, err);
        if (rc)
            return rc;
        m->after_step(ms, last_fired(&ms->priv) - f0);
        if ((rc = forward(ms, err)))
            return rc;
        if (!(last_t(&ms->priv) > t0))
            break; /* no progress: the real scheme stopped */
    }
    return NLIF_OK;
}

static int mut_profile(void *state, nlif_profile *out)
{
    nlif_mutant_state *ms = state;
    int rc = ms->m->wraps->profile(ms->in, out);
    if (!rc && ms->m->edit_profile)
        ms->m->edit_profile(ms, out);
    return rc;
}

/* ------------------------------------------------------------------------------------------------ */
/* What the mutants change (the case edits: mutants_cases.c). */


/* the real scheme's state (dilated: its solver object is declared in solvers/dilated/dilated.h) */
static int leak_flipped(nlif_mutant_state *ms)
{
    ((dil_solver *)ms->in)->leak = -1.0; /* transport drift +v + bN + I */
    return 0;
}

/* Take mass from cell V_R of a dilated state (never below zero). */
static void take_from_reset_cell(dil_solver *s, double mass)
{
    double have = s->p[s->r] * s->dv;
    s->p[s->r] = (have - fmin(have, mass)) / s->dv;
}

static void reinjection_lost(nlif_mutant_state *ms, double fired)
{
    take_from_reset_cell(ms->in, fired);
}

static void explicit_reinjection(nlif_mutant_state *ms, double fired)
{
    /* re-inject what fired in the previous step instead of what fired in this one */
    dil_solver *s = ms->in;
    if (ms->prev_fired >= fired)
        s->p[s->r] += (ms->prev_fired - fired) / s->dv;
    else
        take_from_reset_cell(s, fired - ms->prev_fired);
    ms->prev_fired = fired;
}

static void lost_half_cell(nlif_mutant_state *ms, double fired)
{
    /* half the re-injected outflow is lost, and a renormalisation puts the grid back to its mass */
    dil_solver *s = ms->in;
    double before = nlif_sum(s->p, s->n);
    take_from_reset_cell(s, 0.5 * fired);
    double fix = dil_renormalise(s->p, s->n, before) * s->dv;
    if (fix > s->renorm_max)
        s->renorm_max = fix;
}

static void one_sided_rate(nlif_mutant_state *ms, double fired)
{
    /* reports N by the one-sided difference a p_{n-1}/Δv (first order) while its own outflow flux
     * is the Maxwellian one of MATHEMATICS.md §3 (second order), which moves the mass */
    (void)fired;
    const spap *s = ms->in;
    if (ms->priv.n > ms->n_fwd)
        ms->priv.s[ms->priv.n - 1].rate = nlif_noise(&s->cs.model, s->rate) * s->p[s->n - 1] / s->dv;
}

/* what the real scheme recorded */
static void rate_zero(nlif_mutant_state *ms, nlif_sample *s)
{
    (void)ms;
    s->rate = 0.0;
}
static void rate_biased(nlif_mutant_state *ms, nlif_sample *s)
{
    (void)ms;
    s->rate *= 1.01;
}
static void rate_noise(nlif_mutant_state *ms, nlif_sample *s) { s->rate += gsl_ran_gaussian(ms->rng, 1e-3); }
static void nan_midway(nlif_mutant_state *ms, nlif_sample *s)
{
    if (!ms->nan_done && s->t >= 0.5 * ms->cs.run.t_final) {
        s->rate = s->mass = s->min_density = NAN; /* a NaN in p reaches N, the mass and min p alike */
        ms->nan_done = 1;
    }
}
static void mfe_too_small(nlif_mutant_state *ms, nlif_event *e)
{
    (void)ms;
    if (!strcmp(e->kind, "mfe"))
        e->value *= 0.98;
}
static void mfe_late(nlif_mutant_state *ms, nlif_event *e)
{
    if (!strcmp(e->kind, "mfe"))
        e->t += 3.0 * ms->cs.run.dt;
}
static void mfe_forgets_queue(nlif_mutant_state *ms, nlif_event *e)
{
    /* the size forgets the mass that was already beyond V_F when the MFE began (after a kick) */
    if (!strcmp(e->kind, "mfe"))
        e->value -= ((const dil_solver *)ms->in)->pre_queue;
}

/* what the profile shows */
static double *dup(const double *x, int n)
{
    double *y = n > 0 ? malloc((size_t)n * sizeof *y) : NULL;
    if (y)
        memcpy(y, x, (size_t)n * sizeof *y);
    return y;
}

static int keep_profile(nlif_mutant_state *ms)
{
    nlif_profile p;
    if (ms->m->wraps->profile(ms->in, &p))
        return -1;
    ms->keep = p;
    ms->keep.v = ms->kv = dup(p.v, p.n);
    ms->keep.p = ms->kp = dup(p.p, p.n);
    ms->keep.w = ms->kw = dup(p.w, p.nw);
    ms->keep.rho = ms->krho = dup(p.rho, p.nw);
    return (p.n > 0 && !(ms->kv && ms->kp)) || (p.nw > 0 && !(ms->kw && ms->krho));
}

static void frozen_density(nlif_mutant_state *ms, nlif_profile *p)
{
    double t = p->t;
    *p = ms->keep; /* the density of t = 0, whatever the time */
    p->t = t;
}

/* A solver that knows the catalogue's answers: from half the run on it reports the exact stationary
 * rate of the catalogue case its problem is named after (as the case's source states it), whatever the
 * problem's parameters. It passes every catalogue case; a fresh instance (CASE~fK, MATHEMATICS.md 6)
 * is another problem with another rate. */
static void stored_rate(nlif_mutant_state *ms, nlif_sample *s)
{
    static const struct {
        const char *name;
        double rate;
    } stored[] = {{"relax_driven", 0.764787}, {"relax_excitatory", 0.134779}, {"relax_inhibitory", 0.100206},
                  {"relax_linear", 0.11998}, {"bistable_low", 0.192367},     {"noisy_rate", 0.157323}};
    size_t n = strcspn(ms->cs.name, "~");
    for (size_t i = 0; i < sizeof stored / sizeof stored[0]; i++)
        if (strlen(stored[i].name) == n && !strncmp(ms->cs.name, stored[i].name, n) && s->t >= 0.5 * ms->cs.run.t_final)
            s->rate = stored[i].rate;
}

/* The list-append aliasing of a Python solver (snapshots.append(p) of the one array the scheme
 * updates in place): every snapshot shows the final state. A wrapper learns the final state before
 * the first snapshot by running a second instance of the real scheme to t_final at alloc. */
static int keep_final_profile(nlif_mutant_state *ms)
{
    nlif_trajectory tr;
    nlif_traj_init(&tr);
    tr.max_samples = ms->priv.max_samples;
    void *twin = NULL;
    nlif_error e = {0};
    int rc = ms->m->wraps->alloc(&twin, &ms->cs, ms->opt, &tr, &e);
    if (!rc)
        rc = ms->m->wraps->advance(twin, ms->cs.run.t_final, &e);
    void *real = ms->in;
    if (!rc) {
        ms->in = twin; /* keep_profile reads the state it is given through ms->in */
        rc = keep_profile(ms);
        ms->in = real;
    }
    if (twin)
        ms->m->wraps->free(twin);
    nlif_traj_free(&tr);
    return rc;
}

static double *dup_into(double **buf, const double *x, int n)
{
    free(*buf);
    *buf = dup(x, n);
    return *buf;
}

/* A snapshot one behind: the state of the previous snapshot time (the first: the initial state), as
 * a loop that appends before it steps shows. The current state is kept for the next one. */
static void stale_profile(nlif_mutant_state *ms, nlif_profile *p)
{
    double t = p->t;
    nlif_profile cur = *p;
    ms->shown = ms->keep;
    ms->shown.v = dup_into(&ms->sv, ms->keep.v, ms->keep.n);
    ms->shown.p = dup_into(&ms->sp, ms->keep.p, ms->keep.n);
    ms->shown.w = dup_into(&ms->sw, ms->keep.w, ms->keep.nw);
    ms->shown.rho = dup_into(&ms->srho, ms->keep.rho, ms->keep.nw);
    ms->keep = cur;
    ms->keep.v = dup_into(&ms->kv, cur.v, cur.n);
    ms->keep.p = dup_into(&ms->kp, cur.p, cur.n);
    ms->keep.w = dup_into(&ms->kw, cur.w, cur.nw);
    ms->keep.rho = dup_into(&ms->krho, cur.rho, cur.nw);
    *p = ms->shown;
    p->t = t;
}

static void negative_cell(nlif_mutant_state *ms, nlif_profile *p)
{
    if (p->n < 2 || !ms->kp)
        return;
    memcpy(ms->kp, p->p, (size_t)p->n * sizeof *ms->kp);
    ms->kp[p->n / 2] = -1e-8; /* one cell, far below the rounding floor −1e-15 max p */
    p->p = ms->kp;
}

/* ------------------------------------------------------------------------------------------------ */
/* The catalogue. */

#define SPAP (&nlif_scheme_spap)
#define DILATED (&nlif_scheme_dilated)


const nlif_mutant nlif_mutants[] = {
    /* the model the real scheme is given */
    {.name = "m_reset_off_node", .wraps = SPAP, .wrong = "re-injection one node above V_R",
     .check = "stationary_rate", .cases = "relax_driven,relax_linear", .edit_case = nlif_mcase_reset_one_node_up},
    {.name = "m_half_diffusion", .wraps = SPAP, .wrong = "half the diffusion (a0/2)",
     .check = "stationary_rate", .cases = "relax_linear,relax_driven", .edit_case = nlif_mcase_half_diffusion},
    {.name = "m_no_coupling", .wraps = SPAP, .wrong = "coupling b ignored (b = 0)",
     .check = "stationary_rate", .cases = "relax_excitatory,relax_threshold", .edit_case = nlif_mcase_coupling_ignored},
    {.name = "m_leak_flipped", .wraps = DILATED, .wrong = "the leak's sign flipped in the transport (+v + bN + I)",
     .check = "stationary_rate", .cases = "relax_linear,relax_driven", .on_alloc = leak_flipped},
    {.name = "m_learning_reversed", .wraps = SPAP, .wrong = "learning velocity K with the wrong sign",
     .check = "order_w(p)", .cases = "learning_linear,learning_contract", .edit_case = nlif_mcase_learning_reversed},
    {.name = "m_epsilon_ignored", .wraps = SPAP, .wrong = "epsilon ignored (always 1): AP broken",
     .check = "ap", .cases = "ap_sweep", .also = "hebbian_gauss", .edit_case = nlif_mcase_epsilon_ignored},
    {.name = "m_one_sided_rate", .wraps = SPAP, .wrong = "N reported as a p_{n-1}/dv (first order), claims order 2",
     .check = "order_v(N)", .cases = "smooth_short,smooth_sine,smooth_inhibitory", .also = "relax_linear,relax_driven", .after_step = one_sided_rate},
    /* parameter misuse (MATHEMATICS.md 6): one parameter of the case read wrong */
    {.name = "m_a0_squared", .wraps = SPAP, .wrong = "a0 read as a standard deviation (a = a0^2)",
     .check = "stationary_rate", .cases = "relax_geometry,relax_threshold,noisy_inhibitory", .edit_case = nlif_mcase_a0_squared},
    {.name = "m_reset_at_one", .wraps = SPAP, .wrong = "the reset hard-coded at V_R = 1",
     .check = "stationary_rate", .cases = "relax_geometry,relax_threshold", .edit_case = nlif_mcase_reset_at_one},
    {.name = "m_threshold_at_two", .wraps = DILATED, .wrong = "the threshold hard-coded at V_F = 2",
     .check = "stationary_rate", .cases = "relax_threshold", .also = "jump_gaussian", .edit_case = nlif_mcase_threshold_at_two},
    {.name = "m_threshold_at_two_mfe", .wraps = DILATED, .wrong = "the threshold hard-coded at V_F = 2",
     .check = "jump", .cases = "jump_gaussian", .also = "relax_threshold", .edit_case = nlif_mcase_threshold_at_two},
    {.name = "m_wall_at_minus_four", .wraps = DILATED, .wrong = "the wall hard-coded at V_min = -4",
     .check = "jump", .cases = "jump_gaussian,jump_wall", .edit_case = nlif_mcase_wall_at_minus_four},
    {.name = "m_a1_ignored", .wraps = SPAP, .wrong = "rate-dependent noise a1 ignored (a = a0)",
     .check = "stationary_rate", .cases = "noisy_rate,noisy_inhibitory", .edit_case = nlif_mcase_a1_ignored},
    {.name = "m_refractory_lost", .wraps = SPAP, .wrong = "the refractory mass never returns (tau_ref read as 1e12)",
     .check = "stationary_rate", .cases = "refractory_relax,refractory_excitatory", .also = "mms_refractory", .edit_case = nlif_mcase_refractory_lost},
    {.name = "m_refractory_instant", .wraps = SPAP, .wrong = "the refractory mass returns at once (tau_ref read as 0)",
     .check = "stationary_rate", .cases = "refractory_relax,refractory_excitatory", .also = "mms_refractory", .edit_case = nlif_mcase_refractory_instant},
    {.name = "m_b_squared", .wraps = SPAP, .wrong = "connectivity read as b^2",
     .check = "stationary_rate", .cases = "relax_excitatory,relax_threshold,noisy_inhibitory", .edit_case = nlif_mcase_b_squared},
    {.name = "m_b_squared_mfe", .wraps = DILATED, .wrong = "connectivity read as b^2",
     .check = "jump", .cases = "jump_gaussian", .also = "relax_excitatory,kick_second", .edit_case = nlif_mcase_b_squared},
    {.name = "m_input_ignored", .wraps = SPAP, .wrong = "the constant input i0 ignored",
     .check = "stationary_rate", .cases = "relax_driven,relax_geometry,relax_threshold,noisy_inhibitory",
     .edit_case = nlif_mcase_input_ignored},
    {.name = "m_input_squared", .wraps = SPAP, .wrong = "the constant input read as i0^2",
     .check = "stationary_rate", .cases = "relax_driven,relax_threshold", .edit_case = nlif_mcase_input_squared},
    {.name = "m_pulse_never_on", .wraps = SPAP, .wrong = "pulse end read as its start (t1 = t0): no pulse",
     .check = "stationary_rate", .cases = "pulse_on", .also = "transient_pulse,transient_pulse_late", .edit_case = nlif_mcase_pulse_never_on},
    {.name = "m_kick_halved", .wraps = DILATED, .wrong = "the kick's size halved",
     .check = "jump", .cases = "kick_input,kick_second,kick_late", .edit_case = nlif_mcase_kick_halved},
    {.name = "m_kick_at_one", .wraps = DILATED, .wrong = "the kick's time hard-coded at t = 1",
     .check = "jump(t)", .cases = "kick_second,kick_late", .edit_case = nlif_mcase_kick_at_one},
    {.name = "m_delay_ignored", .wraps = SPAP, .wrong = "the synaptic delay read as 0 (the drift reads N(t))",
     .check = "accuracy(p)", .cases = "delay_damped,delay_periodic", .also = "mms_delay", .edit_case = nlif_mcase_delay_ignored},
    {.name = "m_history_ignored", .wraps = SPAP, .wrong = "the delay's history of N read as 0 (a silent network before t = 0)",
     .check = "accuracy(p)", .cases = "delay_periodic", .also = "delay_damped,mms_delay", .edit_case = nlif_mcase_history_ignored},
    {.name = "m_epsilon_squared", .wraps = SPAP, .wrong = "epsilon read as epsilon^2",
     .check = "ap", .cases = "ap_sweep", .edit_case = nlif_mcase_epsilon_squared},
    {.name = "m_learning_rate_ignored", .wraps = SPAP, .wrong = "the linear rule's rate ignored (read as 0: no learning)",
     .check = "order_w(p)", .cases = "learning_linear,learning_contract", .edit_case = nlif_mcase_learning_rate_ignored},
    {.name = "m_w_star_zero", .wraps = SPAP, .wrong = "the learning target w* hard-coded at 0",
     .check = "order_w(p)", .cases = "learning_contract", .edit_case = nlif_mcase_w_star_zero},
    {.name = "m_hebbian_beta_ignored", .wraps = SPAP, .wrong = "the Hebbian decay beta ignored (read as 0)",
     .check = "learning_limit(rho)", .cases = "hebbian_uniform,hebbian_gauss,learning_hebbian", .edit_case = nlif_mcase_hebbian_beta_ignored},
    {.name = "m_hebbian_alpha_squared", .wraps = SPAP, .wrong = "the Hebbian rate alpha read as alpha^2",
     .check = "learning_limit(rho)", .cases = "hebbian_uniform,hebbian_gauss,learning_hebbian", .edit_case = nlif_mcase_hebbian_alpha_squared},
    {.name = "m_w_range_fixed", .wraps = SPAP, .wrong = "the weight range hard-coded at [w_min, w_max] = [0, 1]",
     .check = "learning_limit(rho)", .cases = "hebbian_uniform,hebbian_gauss", .edit_case = nlif_mcase_w_range_fixed},
    {.name = "m_sd_as_variance", .wraps = DILATED, .wrong = "the initial sd read as a variance (sd^2)",
     .check = "jump", .cases = "jump_gaussian", .also = "single_mfe", .edit_case = nlif_mcase_sd_for_variance},
    {.name = "m_mean_ignored", .wraps = DILATED, .wrong = "the initial mean ignored (0)",
     .check = "jump", .cases = "jump_gaussian,jump_wall", .edit_case = nlif_mcase_mean_ignored},
    /* the real scheme's state between its steps */
    {.name = "m_reinjection_lost", .wraps = DILATED, .wrong = "the fired mass is not re-injected at V_R",
     .check = "mass", .cases = "relax_linear,relax_driven", .after_step = reinjection_lost},
    {.name = "m_explicit_reinjection", .wraps = DILATED, .wrong = "re-injects the previous step's outflow",
     .check = "mass", .cases = "relax_linear,relax_driven", .after_step = explicit_reinjection},
    {.name = "m_lost_half_cell", .wraps = DILATED,
     .wrong = "half the re-injected outflow lost, a renormalisation hides it", .check = "mass_guard",
     .cases = "relax_linear,relax_driven", .after_step = lost_half_cell},
    /* what the real scheme records */
    {.name = "m_rate_zero", .wraps = SPAP, .wrong = "N reported as 0 (p correct)", .check = "stationary_rate",
     .cases = "relax_linear,relax_driven", .edit_sample = rate_zero},
    {.name = "m_rate_biased", .wraps = SPAP, .wrong = "N reported 1% high", .check = "stationary_rate",
     .cases = "relax_driven,relax_linear,relax_excitatory,relax_inhibitory,bistable_low,noisy_rate,relax_geometry,relax_threshold,noisy_inhibitory,pulse_on", .edit_sample = rate_biased},
    {.name = "m_rate_noise", .wraps = SPAP, .wrong = "N reported with noise of SD 1e-3", .check = "order_t(N)",
     .cases = "smooth_short,smooth_sine,smooth_inhibitory", .edit_sample = rate_noise},
    {.name = "m_nan_step", .wraps = SPAP, .wrong = "a NaN at one step (N, mass, min p)", .check = "run",
     .cases = "relax_linear,relax_driven", .edit_sample = nan_midway},
    {.name = "m_stops_early", .wraps = SPAP, .wrong = "stops at 0.9 t_final and reports ok", .check = "status",
     .cases = "relax_linear,relax_driven", .stop_fraction = 0.9},
    {.name = "m_mfe_small", .wraps = DILATED, .wrong = "every MFE size 2% too small", .check = "jump",
     .cases = "cascade_example,jump_gaussian", .edit_event = mfe_too_small},
    {.name = "m_mfe_late", .wraps = DILATED, .wrong = "every MFE time three steps late", .check = "jump(t)",
     .cases = "kick_input,kick_second,kick_late", .edit_event = mfe_late},
    {.name = "m_wrong_jump", .wraps = DILATED, .wrong = "MFE size forgets the mass already beyond V_F",
     .check = "jump", .cases = "kick_input,kick_second,kick_late", .edit_event = mfe_forgets_queue},
    /* what the profile shows */
    {.name = "m_frozen_density", .wraps = SPAP, .wrong = "the profile is the initial density at every time",
     .check = "order_t(p)", .cases = "smooth_short,smooth_sine,smooth_inhibitory", .on_alloc = keep_profile,
     .edit_profile = frozen_density},
    {.name = "m_negative_cell", .wraps = SPAP, .wrong = "one profile cell at -1e-8", .check = "positivity",
     .cases = "relax_linear,relax_driven", .on_alloc = keep_profile, .edit_profile = negative_cell},
    /* snapshots of the wrong time on the MFE cases, where no cvode reference judges them (snapshot_mc) */
    {.name = "m_snap_final", .wraps = DILATED, .wrong = "every snapshot is the final state (list-append aliasing)",
     .check = "snapshot_mc", .cases = "single_mfe,periodic_mfe_b3,kick_input", .also = "relax_linear", .on_alloc = keep_final_profile,
     .edit_profile = frozen_density},
    {.name = "m_snap_stale", .wraps = DILATED, .wrong = "every snapshot one behind (the previous snapshot time's state)",
     .check = "snapshot_mc", .cases = "single_mfe,periodic_mfe_b3,kick_input", .also = "relax_linear", .on_alloc = keep_profile,
     .edit_profile = stale_profile},
    /* caught only on a problem drawn at run time: test_mutants runs verify on relax_driven with a fixed seed */
    {.name = "m_stored_rate", .wraps = SPAP, .wrong = "N reported as the catalogue case's stored exact rate",
     .check = "stationary_rate", .cases = "relax_driven~f1,relax_linear~f1", .edit_sample = stored_rate},
    /* the input's time dependence misread: seen on the transients by accuracy (every snapshot, N(t)) */
    {.name = "m_phase_ignored", .wraps = SPAP, .wrong = "the sine input's phase ignored (0)", .check = "accuracy(p)",
     .cases = "transient_phase", .edit_case = nlif_mcase_phase_ignored},
    {.name = "m_pulse_from_zero", .wraps = DILATED, .wrong = "the pulse's start read as t = 0", .check = "accuracy(p)",
     .cases = "transient_pulse,transient_pulse_late", .also = "pulse_on", .edit_case = nlif_mcase_pulse_from_zero},
    {.name = "m_pulse_too_long", .wraps = SPAP, .wrong = "the pulse's end read one pulse width late", .check = "accuracy(p)",
     .cases = "transient_pulse,transient_pulse_late", .edit_case = nlif_mcase_pulse_end_as_start},
    /* a manufactured case (MATHEMATICS.md 6b): the exact solution exists only with the source */
    {.name = "m_source_dropped", .wraps = SPAP, .wrong = "the manufactured source term S dropped", .check = "mms(p)",
     .cases = "mms_base", .also = "mms_delay,mms_refractory", .edit_case = nlif_mcase_source_dropped},
    {.name = "m_delay_halved", .wraps = SPAP, .wrong = "the synaptic delay read as d/2",
     .check = "oscillation(P)", .cases = "delay_periodic", .also = "delay_damped,mms_delay", .edit_case = nlif_mcase_delay_halved},
    {.name = "m_ei_swapped", .wraps = SPAP, .wrong = "the populations E and I swapped (noise, reset, input, initial law, couplings)",
     .check = "stationary_rate", .cases = "ei_stationary,ei_inhibition", .edit_case = nlif_mcase_ei_swapped},
    {.name = "m_ei_reset_shared", .wraps = SPAP, .wrong = "population I re-injected at E's reset (V_R,I read as V_R)",
     .check = "stationary_rate(I)", .cases = "ei_inhibition", .also = "ei_noisy", .edit_case = nlif_mcase_ei_reset_shared},
    {.name = NULL},
};

/* One alloc per mutant: the scheme interface's alloc does not say which type it belongs to. */
#define MUT_ALLOC(k)                                                                                    \
    static int mut_alloc_##k(void **s, const nlif_case *c, const nlif_optset *o, nlif_trajectory *t,    \
                             nlif_error *e)                                                             \
    {                                                                                                   \
        return mut_alloc(k, s, c, o, t, e);                                                          \
    }
MUT_ALLOC(0) MUT_ALLOC(1) MUT_ALLOC(2) MUT_ALLOC(3) MUT_ALLOC(4) MUT_ALLOC(5) MUT_ALLOC(6) MUT_ALLOC(7)
MUT_ALLOC(8) MUT_ALLOC(9) MUT_ALLOC(10) MUT_ALLOC(11) MUT_ALLOC(12) MUT_ALLOC(13) MUT_ALLOC(14) MUT_ALLOC(15)
MUT_ALLOC(16) MUT_ALLOC(17) MUT_ALLOC(18) MUT_ALLOC(19) MUT_ALLOC(20) MUT_ALLOC(21) MUT_ALLOC(22) MUT_ALLOC(23)
MUT_ALLOC(24) MUT_ALLOC(25) MUT_ALLOC(26) MUT_ALLOC(27) MUT_ALLOC(28) MUT_ALLOC(29) MUT_ALLOC(30) MUT_ALLOC(31)
MUT_ALLOC(32) MUT_ALLOC(33) MUT_ALLOC(34) MUT_ALLOC(35) MUT_ALLOC(36) MUT_ALLOC(37) MUT_ALLOC(38) MUT_ALLOC(39)
MUT_ALLOC(40) MUT_ALLOC(41) MUT_ALLOC(42) MUT_ALLOC(43) MUT_ALLOC(44) MUT_ALLOC(45) MUT_ALLOC(46) MUT_ALLOC(47)
MUT_ALLOC(48) MUT_ALLOC(49) MUT_ALLOC(50) MUT_ALLOC(51) MUT_ALLOC(52) MUT_ALLOC(53) MUT_ALLOC(54) MUT_ALLOC(55)
MUT_ALLOC(56) MUT_ALLOC(57) MUT_ALLOC(58) MUT_ALLOC(59) MUT_ALLOC(60) MUT_ALLOC(61) MUT_ALLOC(62) MUT_ALLOC(63)

typedef int (*alloc_fn)(void **, const nlif_case *, const nlif_optset *, nlif_trajectory *, nlif_error *);
static const alloc_fn allocs[] = {
    mut_alloc_0, mut_alloc_1, mut_alloc_2, mut_alloc_3, mut_alloc_4, mut_alloc_5, mut_alloc_6,
    mut_alloc_7, mut_alloc_8, mut_alloc_9, mut_alloc_10, mut_alloc_11, mut_alloc_12, mut_alloc_13,
    mut_alloc_14, mut_alloc_15, mut_alloc_16, mut_alloc_17, mut_alloc_18, mut_alloc_19, mut_alloc_20,
    mut_alloc_21, mut_alloc_22, mut_alloc_23, mut_alloc_24, mut_alloc_25, mut_alloc_26, mut_alloc_27,
    mut_alloc_28, mut_alloc_29, mut_alloc_30, mut_alloc_31, mut_alloc_32, mut_alloc_33, mut_alloc_34,
    mut_alloc_35, mut_alloc_36, mut_alloc_37, mut_alloc_38, mut_alloc_39, mut_alloc_40, mut_alloc_41,
    mut_alloc_42, mut_alloc_43, mut_alloc_44, mut_alloc_45, mut_alloc_46, mut_alloc_47, mut_alloc_48,
    mut_alloc_49, mut_alloc_50, mut_alloc_51, mut_alloc_52, mut_alloc_53, mut_alloc_54, mut_alloc_55,
    mut_alloc_56, mut_alloc_57, mut_alloc_58, mut_alloc_59, mut_alloc_60, mut_alloc_61, mut_alloc_62,
    mut_alloc_63,
};

int nlif_mutants_register(void)
{
    static nlif_scheme_type types[sizeof allocs / sizeof allocs[0]];
    static char titles[sizeof allocs / sizeof allocs[0]][160];
    for (int k = 0; nlif_mutants[k].name; k++) {
        const nlif_mutant *m = &nlif_mutants[k];
        if (k == (int)(sizeof allocs / sizeof allocs[0]))
            return -1; /* more mutants than allocs: add MUT_ALLOC lines */
        types[k] = *m->wraps; /* its capabilities, expected orders and options: what it claims */
        types[k].name = m->name;
        snprintf(titles[k], sizeof titles[k], "MUTANT of %s: %s", m->wraps->name, m->wrong);
        types[k].title = titles[k];
        types[k].alloc = allocs[k];
        types[k].advance = mut_advance;
        types[k].profile = mut_profile;
        types[k].free = mut_free;
        if (nlif_scheme_register(&types[k]))
            return -1;
    }
    return 0;
}
