/* oscillation.c — check `oscillation`: the sustained oscillation of a delayed network and its onset
 * (MATHEMATICS.md 2.1, 6, "Oscillation under a delay").
 *
 * Cells oscillation(P) and oscillation(A): the period and the amplitude of N(t) over the late window
 * [expect.osc_from, t_final] of the solver's own series — averaged by the trapezoid over the bins of
 * the stored Monte Carlo data, so that both are read through the same bins — against the same figures
 * of the Monte Carlo mean. One definition for both (nlif_osc_figures): the amplitude is the RMS of
 * the binned N about its mean over the window; the period is the mean spacing of the upward
 * crossings of that mean (linear between bin centres; a crossing counts only after N has been below
 * the mean by half the amplitude since the last one, so noise at the crossing cannot count twice).
 * Bound, for each figure F: osc_z s_F SE_MC(F) (the bins' SE propagated to F; s_F = expect.osc_se_scale_p or
 * _a, at least the spread of F over independent Monte Carlo sets over SE_MC, which the bins' correlation
 * in time makes larger than 1 for the amplitude) plus the grid and time-step
 * allowance of a first-order scheme at the case's Δv, Δt, computed from the problem (cvode at the
 * case's resolution, never the judged scheme): |F(V_F + Δv) − F(V_F)|/2 (a half-cell shift of the
 * threshold) + |F(d + Δt/2) − F(d)| (the delay read half a step late). A solver that does not
 * oscillate has an amplitude near 0 (FAIL with it) and fewer than two crossings (FAIL, no period).
 *
 * Cell oscillation(onset): the solver at d = onset_lo d_c and onset_hi d_c (d_c, ω_c from the linear
 * stability of exact/delay_onset.c), started in the stationary state with a history 0.9 N∞, to
 * onset_t: the growth rate σ of the envelope of |N − N∞| (least-squares slope of the log of its
 * maximum over windows of 1.5 × 2π/ω_c from onset_t/5 on) must be negative below and positive above;
 * the simulated onset (σ = 0, linear in d between the two) is printed beside d_c.
 */
#include "nlif_check.h"

#include "../../exact/nlif_delay_onset.h"
#include "../../reference/nlif_cvode.h"
#include "../case/nlif_case.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ONSET_KICK 0.9     /* the history N_h = 0.9 N∞: a 10% kick, in the linear regime */
#define ONSET_WINDOW 1.5   /* envelope windows of 1.5 periods 2π/ω_c: each holds a whole oscillation */
#define MAX_BINS 100000

int nlif_osc_figures(const double *t, const double *y, const double *se, int n, nlif_osc_figures_t *f)
{
    memset(f, 0, sizeof *f);
    f->period = f->period_se = f->amp_se = NAN;
    if (n < 3)
        return -1;
    double m = 0, a2 = 0;
    for (int i = 0; i < n; i++)
        m += y[i] / n;
    for (int i = 0; i < n; i++)
        a2 += (y[i] - m) * (y[i] - m) / n;
    f->mean = m;
    f->amp = sqrt(a2);
    if (se) { /* dA = Σ (y_i − m) dy_i / (n A): the bins' errors, independent */
        double v = 0;
        for (int i = 0; i < n; i++)
            v += (y[i] - m) * (y[i] - m) * se[i] * se[i];
        f->amp_se = f->amp > 0 ? sqrt(v) / (n * f->amp) : NAN;
    }
    double first = NAN, last = NAN, se_first = 0, se_last = 0;
    int armed = 0;
    for (int i = 1; i < n && f->amp > 0; i++) {
        if (y[i - 1] < m - 0.5 * f->amp)
            armed = 1;
        if (!armed || !(y[i - 1] < m && y[i] >= m))
            continue;
        double slope = (y[i] - y[i - 1]) / (t[i] - t[i - 1]);
        double tc = t[i - 1] + (m - y[i - 1]) / slope;
        double sc = se ? 0.5 * (se[i - 1] + se[i]) / slope : 0; /* dt_c = dy / slope */
        if (!f->crossings++)
            first = tc, se_first = sc;
        last = tc, se_last = sc;
        armed = 0;
    }
    if (f->crossings >= 2) {
        f->period = (last - first) / (f->crossings - 1);
        f->period_se = se ? sqrt(se_first * se_first + se_last * se_last) / (f->crossings - 1) : NAN;
    }
    f->t_first = first;
    return 0;
}

double nlif_osc_growth(const double *t, const double *x, int n, double rest, double from, double len, int *windows)
{
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int k = 0;
    double t_end = n ? t[n - 1] : 0;
    for (double a = from; a + len <= t_end + 1e-12; a += len) {
        double e = 0;
        for (int i = 0; i < n; i++)
            if (t[i] >= a && t[i] < a + len)
                e = fmax(e, fabs(x[i] - rest));
        if (!(e > 0))
            return *windows = k, NAN;
        double xm = a + 0.5 * len, ly = log(e);
        sx += xm, sy += ly, sxx += xm * xm, sxy += xm * ly, k++;
    }
    *windows = k;
    if (k < 2)
        return NAN;
    return (k * sxy - sx * sy) / (k * sxx - sx * sx);
}

/* ∫_a^e N dt / (e − a) of a series: the trapezoid of its samples, linear between them. */
static double cum_at(const series *s, const double *cum, double x)
{
    if (x <= s->t[0])
        return 0;
    if (x >= s->t[s->n - 1])
        return cum[s->n - 1];
    int lo = 0, hi = s->n - 1;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (s->t[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    double h = s->t[hi] - s->t[lo], u = x - s->t[lo];
    double slope = h > 0 ? (s->rate[hi] - s->rate[lo]) / h : 0;
    return cum[lo] + s->rate[lo] * u + 0.5 * slope * u * u;
}

/* The figures of a run's series on the bins of the Monte Carlo data inside [from, end of the run]:
 * 0, or -1 with why. */
static int run_figures(const char *path, const mc_data *mc, double from, nlif_osc_figures_t *f, char *why, size_t wl)
{
    series s;
    if (nlif_vd_load_series(path, &s)) {
        snprintf(why, wl, "no readable series %s", path);
        return -1;
    }
    double *cum = malloc(sizeof *cum * s.n), *t = malloc(sizeof *t * mc->nbins), *y = malloc(sizeof *y * mc->nbins);
    int n = 0, rc = -1;
    if (cum && t && y) {
        cum[0] = 0;
        for (int i = 1; i < s.n; i++)
            cum[i] = cum[i - 1] + 0.5 * (s.rate[i] + s.rate[i - 1]) * (s.t[i] - s.t[i - 1]);
        for (int b = 0; b < mc->nbins; b++) {
            double a = mc->t_mid[b] - 0.5 * mc->bin, e = mc->t_mid[b] + 0.5 * mc->bin;
            if (a < from - 1e-9 || e > s.t[s.n - 1] + 1e-9)
                continue;
            t[n] = mc->t_mid[b];
            y[n++] = (cum_at(&s, cum, e) - cum_at(&s, cum, a)) / mc->bin;
        }
        rc = nlif_osc_figures(t, y, NULL, n, f);
        if (rc)
            snprintf(why, wl, "%s: %d bins of the Monte Carlo data in [%g, %g] (at least 3)", path, n, from, s.t[s.n - 1]);
    }
    free(cum), free(t), free(y);
    nlif_vd_free_series(&s);
    return rc;
}

/* The Monte Carlo figures with their standard errors, on the same bins. */
static int mc_figures(const mc_data *mc, double from, double to, nlif_osc_figures_t *f)
{
    double t[MAX_BINS], y[MAX_BINS], se[MAX_BINS];
    int n = 0;
    for (int b = 0; b < mc->nbins && n < MAX_BINS; b++)
        if (mc->t_mid[b] - 0.5 * mc->bin >= from - 1e-9 && mc->t_mid[b] + 0.5 * mc->bin <= to + 1e-9)
            t[n] = mc->t_mid[b], y[n] = mc->mean[b], se[n++] = mc->se[b];
    return nlif_osc_figures(t, y, se, n, f);
}

static double window_from(const nlif_case *cs)
{
    double from = nlif_check_bound(cs, "osc_from");
    return from > 0 ? from : 0.5 * cs->run.t_final;
}

/* ---- the jobs ---- */

/* The allowance runs: cvode at the case's resolution, as the case is, with V_F + Δv, with d + Δt/2. */
static const char *const allow_what[3] = {"base", "v_f", "delay"};

static void allow_stem(const nlif_case *cs, int k, char *out, size_t len)
{
    snprintf(out, len, "%s.osc_%s", cs->name, allow_what[k]);
}

/* The onset of the case's model: 0, or -1 with why (no delay, not inhibitory, no root). */
static int onset_of(const nlif_case *cs, nlif_delay_onset *o, char *why, size_t wl)
{
    nlif_error e = {0};
    if (!(cs->model.delay > 0))
        return snprintf(why, wl, "the case has no synaptic delay"), -1;
    if (cs->input.type != NLIF_INPUT_CONSTANT && cs->input.type != NLIF_INPUT_NONE)
        return snprintf(why, wl, "the linear stability of MATHEMATICS.md 2.1 needs a constant input"), -1;
    if (nlif_delay_onset_compute(&cs->model, cs->input.i0, cs->run.dv, o, &e))
        return snprintf(why, wl, "%s", e.msg), -1;
    if (o->n_roots < 1 || !isfinite(o->d_c))
        return snprintf(why, wl, "|b G(i omega)| < 1 for every omega: stable for every delay, no onset"), -1;
    return 0;
}

static void onset_stem(const nlif_case *cs, const nlif_scheme_type *st, int hi, char *out, size_t len)
{
    snprintf(out, len, "%s.%s.onset_%s", cs->name, st->name, hi ? "hi" : "lo");
}

static void plan(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    char stem[256], tf[64], snap[64], set[64];
    for (int k = 0; k < 3; k++) { /* one set per case: planned once, whatever the scheme */
        allow_stem(cs, k, stem, sizeof stem);
        if (k == 1)
            snprintf(set, sizeof set, "model.v_f=%.17g", cs->model.v_f + cs->run.dv);
        else
            snprintf(set, sizeof set, "model.delay=%.17g", cs->model.delay + 0.5 * cs->run.dt);
        nlif_verify_run_job(v, cs, &nlif_scheme_cvode, stem, &(nlif_run_args){.sets = {k ? set : NULL}});
    }
    nlif_delay_onset o;
    char why[256], delay[64], hist[64];
    if (onset_of(cs, &o, why, sizeof why))
        return;
    double t = nlif_check_bound(cs, "onset_t");
    snprintf(tf, sizeof tf, "run.t_final=%.17g", t);
    snprintf(snap, sizeof snap, "run.snapshots=%.17g", t);
    snprintf(hist, sizeof hist, "model.delay_history=%.17g", ONSET_KICK * o.rate);
    for (int hi = 0; hi < 2; hi++) {
        onset_stem(cs, st, hi, stem, sizeof stem);
        snprintf(delay, sizeof delay, "model.delay=%.17g", nlif_check_bound(cs, hi ? "onset_hi" : "onset_lo") * o.d_c);
        nlif_verify_run_job(v, cs, st, stem,
                            &(nlif_run_args){.sets = {"initial.type=stationary", delay, hist, tf, snap, NULL}});
    }
}

/* ---- the judgement ---- */

static int run_missing(const nlif_check_ctx *c, const char *stem, const char *cell)
{
    char path[1400];
    snprintf(path, sizeof path, "%s/%s.series.csv", nlif_verify_dir(c->v, "runs"), stem);
    if (nlif_verify_find_job(c->v, stem) || !nlif_verify_on_disk(c->v) || access(path, F_OK) == 0)
        return 0;
    nlif_check_no_claim(c, cell, "no run %s on disk (nlif verify runs it)", path);
    return 1;
}

/* Why the run of STEM has no usable series: the job's error, or the reader's. */
static void run_failed(const nlif_check_ctx *c, const char *stem, const char *why, char *out, size_t len)
{
    const nlif_job *j = nlif_verify_find_job(c->v, stem);
    if (j && j->exit_code)
        nlif_verify_job_error(j, out, len);
    else
        snprintf(out, len, "%s", why);
}

/* The allowance of the period and the amplitude: 0, or -1 with why. */
static int allowance(const nlif_check_ctx *c, double from, double *allow_p, double *allow_a, char *why, size_t wl)
{
    nlif_osc_figures_t f[3];
    for (int k = 0; k < 3; k++) {
        char stem[256], path[1400], w[1200];
        allow_stem(c->cs, k, stem, sizeof stem);
        snprintf(path, sizeof path, "%s/%s.series.csv", nlif_verify_dir(c->v, "runs"), stem);
        if (run_figures(path, c->mc, from, &f[k], w, sizeof w)) {
            run_failed(c, stem, w, why, wl);
            return -1;
        }
    }
    *allow_p = 0.5 * fabs(f[1].period - f[0].period) + fabs(f[2].period - f[0].period);
    *allow_a = 0.5 * fabs(f[1].amp - f[0].amp) + fabs(f[2].amp - f[0].amp);
    if (!isfinite(*allow_p) || !isfinite(*allow_a)) {
        snprintf(why, wl, "cvode at the case's resolution does not oscillate on [%g, t_final] (period %g, %g, %g)", from,
                 f[0].period, f[1].period, f[2].period);
        return -1;
    }
    return 0;
}

static void judge_figures(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    const mc_data *mc = c->mc;
    double from = window_from(cs), z = nlif_check_bound(cs, "osc_z");
    double scale_p = nlif_check_bound(cs, "osc_se_scale_p"), scale_a = nlif_check_bound(cs, "osc_se_scale_a");
    if (!mc || mc->nbins < 3) {
        for (int k = 0; k < 2; k++)
            nlif_check_cell(c, k ? "oscillation(A)" : "oscillation(P)", NLIF_FAIL, NAN, "", "",
                            "no usable stored Monte Carlo rate series for %s (%s): the case states a check without its reference",
                            cs->name, c->mc_why);
        return;
    }
    char stem[256], why[1400] = "";
    for (int k = 0; k < 3; k++) {
        allow_stem(cs, k, stem, sizeof stem);
        if (run_missing(c, stem, "oscillation(P)") || run_missing(c, stem, "oscillation(A)"))
            return;
    }
    nlif_osc_figures_t m, r;
    double allow_p, allow_a;
    if (mc_figures(mc, from, cs->run.t_final, &m) || !isfinite(m.period)) {
        for (int k = 0; k < 2; k++)
            nlif_check_cell(c, k ? "oscillation(A)" : "oscillation(P)", NLIF_FAIL, NAN, "", "reference/data",
                            "the stored Monte Carlo mean has no period on [%g, %g] (%d crossings): no reference", from,
                            cs->run.t_final, m.crossings);
        return;
    }
    if (allowance(c, from, &allow_p, &allow_a, why, sizeof why)) {
        for (int k = 0; k < 2; k++)
            nlif_check_cell(c, k ? "oscillation(A)" : "oscillation(P)", NLIF_FAIL, NAN, "", "MATHEMATICS.md 6",
                            "no grid allowance: %s", why);
        return;
    }
    char path[1400];
    snprintf(path, sizeof path, "%.*s.series.csv", (int)strlen(c->runpath) - 5, c->runpath);
    int rc = run_figures(path, mc, from, &r, why, sizeof why);
    double se_p = scale_p * m.period_se, se_a = scale_a * m.amp_se;
    double bp = z * se_p + allow_p, ba = z * se_a + allow_a;
    double dp = fabs(r.period - m.period), da = fabs(r.amp - m.amp);
    char bound[200], detail[600];
    snprintf(detail, sizeof detail,
             "on [%g, %g], %d Monte Carlo bins of %g; Monte Carlo: period %.5f +- %.5f, amplitude (RMS) %.5f +- %.5f, "
             "mean %.5f; solver: period %.5f (%d upward crossings), amplitude %.5f, mean %.5f",
             from, cs->run.t_final, (int)((cs->run.t_final - from) / mc->bin + 0.5), mc->bin, m.period, m.period_se,
             m.amp, m.amp_se, m.mean, r.period, r.crossings, r.amp, r.mean);
    const char *src = "MATHEMATICS.md 6 (oscillation); reference/data SE; cvode at the case's dv, dt for the allowance";
    if (rc) {
        for (int k = 0; k < 2; k++)
            nlif_check_cell(c, k ? "oscillation(A)" : "oscillation(P)", NLIF_FAIL, NAN, "", src, "%s", why);
        return;
    }
    snprintf(bound, sizeof bound, "<= %.3g = %g x SE_MC %.3g (x %g) + allowance %.3g", bp, z, m.period_se, scale_p, allow_p);
    if (r.crossings < 2)
        nlif_check_cell(c, "oscillation(P)", NLIF_FAIL, NAN, bound, src,
                        "no oscillation: %d upward crossing%s of the mean, no period (Monte Carlo %.5f); %s", r.crossings,
                        r.crossings == 1 ? "" : "s", m.period, detail);
    else
        nlif_check_cell(c, "oscillation(P)", dp <= bp ? NLIF_PASS : NLIF_FAIL, dp, bound, src,
                        "|period - MC| = %.3g, %.3g of the bound; %s", dp, dp / bp, detail);
    nlif_check_reference(c, m.period);
    snprintf(bound, sizeof bound, "<= %.3g = %g x SE_MC %.3g (x %g) + allowance %.3g", ba, z, m.amp_se, scale_a, allow_a);
    nlif_check_cell(c, "oscillation(A)", da <= ba ? NLIF_PASS : NLIF_FAIL, da, bound, src,
                    "%s|amplitude - MC| = %.3g, %.3g of the bound; %s", r.amp < 0.1 * m.amp ? "no oscillation: " : "", da,
                    da / ba, detail);
    nlif_check_reference(c, m.amp);
}

/* The growth rate of the envelope of run STEM about N∞: 0, or -1 with why. */
static int onset_growth(const nlif_check_ctx *c, const char *stem, const nlif_delay_onset *o, double *sigma, char *why,
                        size_t wl)
{
    char path[1400], w[1200];
    snprintf(path, sizeof path, "%s/%s.series.csv", nlif_verify_dir(c->v, "runs"), stem);
    series s;
    if (nlif_vd_load_series(path, &s)) {
        snprintf(w, sizeof w, "no readable series %s", path);
        run_failed(c, stem, w, why, wl);
        return -1;
    }
    int k = 0;
    double t_end = s.t[s.n - 1], onset_t = nlif_check_bound(c->cs, "onset_t"), moved = 0;
    *sigma = nlif_osc_growth(s.t, s.rate, s.n, o->rate, 0.2 * onset_t, ONSET_WINDOW * o->period, &k);
    for (int i = 0; i < s.n; i++)
        moved = fmax(moved, fabs(s.rate[i] - o->rate));
    nlif_vd_free_series(&s);
    if (moved < 1e-6 * o->rate) { /* a growth rate of round-off is no growth rate */
        snprintf(why, wl, "%s: N stays within %.3g of N_inf = %.6f: the history's kick (%g N_inf) did not move it", stem,
                 moved, o->rate, ONSET_KICK);
        return -1;
    }
    if (!isfinite(*sigma)) {
        snprintf(why, wl, "%s: no growth rate (%d envelope windows of %.4g up to t = %g; at least 2, each with N != N_inf)",
                 stem, k, ONSET_WINDOW * o->period, t_end);
        return -1;
    }
    return 0;
}

static void judge_onset(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    nlif_delay_onset o;
    char why[1400], stem[2][256], bound[200];
    if (onset_of(cs, &o, why, sizeof why)) {
        nlif_check_no_claim(c, "oscillation(onset)", "no linear-stability onset for this case: %s", why);
        return;
    }
    double f[2] = {nlif_check_bound(cs, "onset_lo"), nlif_check_bound(cs, "onset_hi")}, sigma[2];
    for (int hi = 0; hi < 2; hi++) {
        onset_stem(cs, c->st, hi, stem[hi], sizeof stem[hi]);
        if (run_missing(c, stem[hi], "oscillation(onset)"))
            return;
    }
    snprintf(bound, sizeof bound, "growth rate < 0 at d = %g d_c, > 0 at %g d_c; d_c = %.6f (linear stability)", f[0],
             f[1], o.d_c);
    for (int hi = 0; hi < 2; hi++)
        if (onset_growth(c, stem[hi], &o, &sigma[hi], why, sizeof why)) {
            nlif_check_cell(c, "oscillation(onset)", NLIF_FAIL, NAN, bound, "MATHEMATICS.md 2.1", "%s", why);
            return;
        }
    int pass = sigma[0] < 0 && sigma[1] > 0;
    double d_sim = pass ? f[0] * o.d_c + (f[1] - f[0]) * o.d_c * (-sigma[0]) / (sigma[1] - sigma[0]) : NAN;
    char zero[96] = "";
    if (pass)
        snprintf(zero, sizeof zero, "; zero of the growth rate (linear in d) at d = %.6f", d_sim);
    nlif_check_cell(c, "oscillation(onset)", pass ? NLIF_PASS : NLIF_FAIL, d_sim, bound,
                    "MATHEMATICS.md 2.1 (exact/delay_onset.c)",
                    "%slinear stability d_c = %.6f (omega_c = %.6f); simulated bracket [%.6f, %.6f]: envelope growth rate %.4g "
                    "at d = %.6f, %.4g at d = %.6f%s",
                    pass ? "" : sigma[1] <= 0 ? "no onset: the oscillation decays above d_c; "
                                              : "the oscillation grows below d_c; ",
                    o.d_c, o.omega, f[0] * o.d_c, f[1] * o.d_c, sigma[0], f[0] * o.d_c, sigma[1], f[1] * o.d_c, zero);
    nlif_check_reference(c, o.d_c);
}

static void judge(const nlif_check_ctx *c)
{
    judge_figures(c);
    judge_onset(c);
}

static const nlif_expect_spec keys[] = {
    {"osc_from", 0, "0", 0, HUGE_VAL, 0, "oscillation: start of the late window of N(t) (0: t_final/2)"},
    {"osc_z", 0, "3", 0, 100, 1, "oscillation: standard errors of the Monte Carlo figure in the bound"},
    {"osc_se_scale_p", 0, "1", 1, 100, 0, "oscillation: the period's SE_MC scaled by this (its spread over independent Monte Carlo sets / SE)"},
    {"osc_se_scale_a", 0, "1", 1, 100, 0, "oscillation: the amplitude's SE_MC scaled by this (its spread over independent Monte Carlo sets / SE)"},
    {"onset_lo", 0, "0.9", 0, 1, 1, "oscillation(onset): the delay below the onset, in units of d_c"},
    {"onset_hi", 0, "1.1", 1, 100, 1, "oscillation(onset): the delay above the onset, in units of d_c"},
    {"onset_t", 0, "10", 0, 1e4, 1, "oscillation(onset): the horizon of the two onset runs"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

const nlif_check_type nlif_check_oscillation = {
    .name = "oscillation",
    .title = "period and amplitude of N(t) against the Monte Carlo; the onset against the linear stability",
    .uses_mc = 1,
    .plan = plan,
    .judge = judge,
    .expect = keys,
};
