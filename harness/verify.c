/* verify.c — `nlif verify`: every scheme on every case, every check judged (MATHEMATICS.md §6).
 *
 * 1. For each case of the catalogue (filtered) and each scheme of the registry (filtered): either a
 *    the capability it lacks that the case needs (nlif_scheme_not_applicable), or
 *    jobs: the run at the case's default resolution, extra seeds for random schemes compared with
 *    Monte Carlo, the refinement ladders of the order checks (`nlif converge`), the ε sweep of the
 *    AP check. Jobs are child `nlif` processes, -j at a time: a crash is a verdict.
 * 2. Every check is judged from the result files: pass / FAIL / n.a., with the measured figure, the
 *    bound and where the bound comes from. The bound is the case's, the same for every scheme; a
 *    stated check without a bound FAILs ("no bound"); n.a. only for a capability the scheme lacks,
 *    named in the cell (--strict: a failure too).
 * 3. Regression baselines (ci/baselines/CASE.SCHEME.json): key figures with tolerances.
 * 4. results/verify/verdicts.json (format: nlif_verify.h), the verdict table on stdout; exit 1 if
 *    anything failed.
 */
#include "nlif_verify.h"

#include "verify_data.h"

#include "../reference/nlif_density.h"
#include "../reference/nlif_exact.h"
#include "../solvers/core/nlif_scheme.h"
#include "nlif_case.h"
#include "nlif_cli.h"
#include "nlif_jobs.h"
#include "nlif_results.h"

#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { PASS = 0, FAIL = 1, NA = 2 };
static const char *const verdict_name[] = {"pass", "FAIL", "n.a."};

#define MAX_JOBS 2048
#define OUT "results/verify"

#define MAX_KNOWN 128

/* ci/known_failures: "case scheme check  reason" — a figure a scheme is known not to meet. Such a
 * cell stays FAIL in every table and report (with the reason); only unknown failures make verify
 * exit 1, and a known failure that passes is an error of its own (the list must not go stale). */
typedef struct known_failure {
    char cs[64], scheme[32], check[48], reason[400];
    int seen;
} known_failure;

typedef struct verify_ctx {
    int full;
    known_failure known[MAX_KNOWN];
    int n_known, n_known_failed, n_stale;
    json_t *cells, *convergence, *runs, *choices;
    int count[3];
    nlif_job *jobs;
    int n_jobs;
    int update_baselines;
    int strict;  /* --strict: an n.a. of a stated check (a capability the scheme lacks) is a failure */
    const char *why;
    const char *mc_args[8];  /* extra arguments of the live Monte Carlo runs (--mc-arg) */
    int n_mc_args;
} verify_ctx;

static void cell(verify_ctx *v, const char *cs, const char *scheme, const char *check, int verdict, double measured,
                 const char *bound, const char *source, const char *run, const char *fmt, ...)
    __attribute__((format(printf, 10, 11)));

static void cell(verify_ctx *v, const char *cs, const char *scheme, const char *check, int verdict, double measured,
                 const char *bound, const char *source, const char *run, const char *fmt, ...)
{
    char reason[1400] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(reason, sizeof reason, fmt, ap);
        va_end(ap);
    }
    /* --strict: every n.a. but the regression baseline and the Monte Carlo data column counts. */
    if (v->strict && verdict == NA && strcmp(check, "baseline") && strcmp(scheme, "mc")) {
        verdict = FAIL;
        char tmp[1400];
        snprintf(tmp, sizeof tmp, "--strict: n.a. counts as a failure: %s", reason);
        snprintf(reason, sizeof reason, "%s", tmp);
    }
    int known = 0;
    for (int k = 0; k < v->n_known; k++) {
        known_failure *kf = &v->known[k];
        if (strcmp(kf->cs, cs) || strcmp(kf->scheme, scheme) || strcmp(kf->check, check))
            continue;
        kf->seen = 1;
        if (verdict == FAIL) {
            known = 1;
            v->n_known_failed++;
            snprintf(reason + strlen(reason), sizeof reason - strlen(reason), " [known failure: %s]", kf->reason);
        } else if (verdict == PASS) {
            v->n_stale++;
            snprintf(reason + strlen(reason), sizeof reason - strlen(reason),
                     " [listed in ci/known_failures but passes now: remove the line]");
        }
    }
    json_array_append_new(v->cells, json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:b}", "case", cs, "scheme",
                                              scheme, "check", check, "verdict", verdict_name[verdict], "measured",
                                              nlif_json_number(measured), "bound", bound ? bound : "", "source",
                                              source ? source : "", "reason", reason, "run",
                                              run ? json_string(run) : json_null(), "known_failure", known));
    v->count[verdict]++;
}

/* ------------------------------------------------------------------------------------------------ */
/* The case's expectations. */

static int has_check(const nlif_case *cs, const char *check)
{
    char buf[NLIF_TEXT_MAX], *save = NULL;
    snprintf(buf, sizeof buf, "%s", cs->expect.checks);
    for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save))
        if (!strcmp(t, check))
            return 1;
    return 0;
}

/* The n.a. text of a check that needs capability FLAG, which the scheme lacks. */
static const char *lacks(unsigned flag, char *out, size_t len)
{
    snprintf(out, len, "lacks capability %s (%s)", nlif_capability_name(flag), nlif_capability_meaning(flag));
    return out;
}

/* ------------------------------------------------------------------------------------------------ */
/* Jobs. */

static nlif_job *new_job(verify_ctx *v, const char *label, const char *stem)
{
    if (v->n_jobs == MAX_JOBS)
        return NULL;
    nlif_job *j = &v->jobs[v->n_jobs++];
    memset(j, 0, sizeof *j);
    snprintf(j->label, sizeof j->label, "%s", label);
    snprintf(j->stdout_path, sizeof j->stdout_path, OUT "/logs/%s.out", stem);
    snprintf(j->stderr_path, sizeof j->stderr_path, OUT "/logs/%s.err", stem);
    return j;
}

static const nlif_job *find_job(const verify_ctx *v, const char *stem)
{
    char path[512];
    snprintf(path, sizeof path, OUT "/logs/%s.out", stem);
    for (int i = 0; i < v->n_jobs; i++)
        if (!strcmp(v->jobs[i].stdout_path, path))
            return &v->jobs[i];
    return NULL;
}

/* The last line of a job's stderr (why it failed). */
static void job_error(const nlif_job *j, char *out, size_t len)
{
    snprintf(out, len, "exit code %d", j ? j->exit_code : -1);
    if (!j)
        return;
    FILE *f = fopen(j->stderr_path, "r");
    if (!f)
        return;
    char line[1024], last[1024] = "";
    while (fgets(line, sizeof line, f))
        if (line[0] != '\n')
            snprintf(last, sizeof last, "%s", line);
    fclose(f);
    last[strcspn(last, "\n")] = '\0';
    if (last[0])
        snprintf(out, len, "exit code %d: %s", j->exit_code, last);
}

#define EPS_LEVELS 11
static const double ap_eps[EPS_LEVELS] = {1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12};

/* Seeds of a random scheme compared with Monte Carlo: 8 in both modes, so that quick and full agree
 * (3 seeds are too few to resolve the multiscale bias on periodic_mfe_b2). */
static int random_seeds(const verify_ctx *v)
{
    (void)v;
    return 8;
}

static void plan(verify_ctx *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    char stem[256], label[256];
    nlif_job *j;
    snprintf(stem, sizeof stem, "%s.%s", cs->name, st->name);
    snprintf(label, sizeof label, "%s", st->name);
    if ((j = new_job(v, label, stem))) {
        nlif_job_arg(j, "run");
        nlif_job_arg(j, "%s", cs->path);
        nlif_job_arg(j, "--scheme");
        nlif_job_arg(j, "%s", st->name);
        nlif_job_arg(j, "--out");
        nlif_job_arg(j, OUT "/runs");
        nlif_job_arg(j, "--stem");
        nlif_job_arg(j, "%s", stem);
    }
    if ((st->flags & NLIF_IS_RANDOM) && (has_check(cs, "mfe_mc") || has_check(cs, "rate_mc")))
        for (int s = 2; s <= random_seeds(v); s++) {
            snprintf(stem, sizeof stem, "%s.%s.seed%d", cs->name, st->name, s);
            if ((j = new_job(v, label, stem))) {
                nlif_job_arg(j, "run");
                nlif_job_arg(j, "%s", cs->path);
                nlif_job_arg(j, "--scheme");
                nlif_job_arg(j, "%s", st->name);
                nlif_job_arg(j, "--seed");
                nlif_job_arg(j, "%llu", (unsigned long long)(cs->run.seed + (uint64_t)s - 1));
                nlif_job_arg(j, "--out");
                nlif_job_arg(j, OUT "/runs");
                nlif_job_arg(j, "--stem");
                nlif_job_arg(j, "%s", stem);
            }
        }
    static const char *const dirs[] = {"v", "t", "w"};
    for (int d = 0; d < 3; d++) {
        char check[16];
        snprintf(check, sizeof check, "order_%s", dirs[d]);
        if (!has_check(cs, check) || (d == 1 && !(st->flags & NLIF_HAS_TIME_STEP)))
            continue;
        snprintf(stem, sizeof stem, "%s.%s.%s", cs->name, st->name, check);
        if ((j = new_job(v, label, stem))) {
            nlif_job_arg(j, "converge");
            nlif_job_arg(j, "%s", cs->path);
            nlif_job_arg(j, "--scheme");
            nlif_job_arg(j, "%s", st->name);
            nlif_job_arg(j, "--refine");
            nlif_job_arg(j, "%s", dirs[d]);
            nlif_job_arg(j, "--levels");
            nlif_job_arg(j, "%d", v->full ? cs->expect.levels : 4);
            if (d == 2) { /* w: Δt kept (explicit upwind stays within CFL), reference one halving finer */
                nlif_job_arg(j, "--fixed-dt");
                nlif_job_arg(j, "--ref-halvings");
                nlif_job_arg(j, "1");
            }
            nlif_job_arg(j, "--json");
            nlif_job_arg(j, "--out");
            nlif_job_arg(j, OUT "/converge");
        }
    }
    if (has_check(cs, "ap") && (st->flags & NLIF_SUPPORTS_STRUCTURED) && st->limit_option) {
        for (int e = -1; e < EPS_LEVELS; e++) {
            if (!v->full && e >= 0 && e % 2)
                continue; /* --quick: every other ε */
            if (e < 0)
                snprintf(stem, sizeof stem, "%s.%s.ap_limit", cs->name, st->name);
            else
                snprintf(stem, sizeof stem, "%s.%s.ap_eps%d", cs->name, st->name, e);
            if (!(j = new_job(v, label, stem)))
                continue;
            nlif_job_arg(j, "run");
            nlif_job_arg(j, "%s", cs->path);
            nlif_job_arg(j, "--scheme");
            nlif_job_arg(j, "%s", st->name);
            if (e < 0) {
                nlif_job_arg(j, "--opt");
                nlif_job_arg(j, "%s", st->limit_option);
            } else {
                nlif_job_arg(j, "--set");
                nlif_job_arg(j, "structure.epsilon=%.17g", ap_eps[e]);
            }
            nlif_job_arg(j, "--out");
            nlif_job_arg(j, OUT "/runs");
            nlif_job_arg(j, "--stem");
            nlif_job_arg(j, "%s", stem);
        }
    }
}

/* The live Monte Carlo run of a case (check mc_stationary). */
static void plan_mc(verify_ctx *v, const nlif_case *cs)
{
    char stem[256];
    snprintf(stem, sizeof stem, "%s.mc", cs->name);
    nlif_job *j = new_job(v, "mc", stem);
    if (!j)
        return;
    nlif_job_arg(j, "mc");
    nlif_job_arg(j, "%s", cs->path);
    nlif_job_arg(j, "--threads");
    nlif_job_arg(j, "1");
    nlif_job_arg(j, "--out");
    nlif_job_arg(j, OUT "/mc");
    for (int i = 0; i < v->n_mc_args; i++)
        nlif_job_arg(j, "%s", v->mc_args[i]);
}

/* ------------------------------------------------------------------------------------------------ */
/* Judging. */

static void judge_baseline(verify_ctx *v, const nlif_case *cs, const nlif_scheme_type *st, const json_t *run,
                           const char *runpath);

/* mfe_mc of a random scheme (issue 5; MATHEMATICS.md 6): the mean over its n seeds of every MFE time and
 * size against the Monte Carlo mean, in standard errors of the difference sqrt(SE_scheme² + SE_MC²),
 * judged family-wise at 95%, with the drift figure (the mean period) over K >= 3 MFEs. The MFEs
 * compared are those every Monte Carlo realisation has; a seed without one of them fails. */
static void judge_mfe_random(verify_ctx *v, const nlif_case *cs, const nlif_scheme_type *st, const mc_data *mc, json_t *const *runs,
                             int n, const char *runpath)
{
    const json_t *mcm = json_object_get(mc->summary, "mfe");
    int k = 0, n_mc = (int)json_array_size(mcm);
    while (k < n_mc && k < 512 && nlif_vd_num(json_array_get(mcm, k), "count") >= nlif_vd_num(mc->summary, "realisations"))
        k++;
    const char *src = "MATHEMATICS.md 6 (family-wise; calibration reference/data/dtstudy/TABLE.md); reference/data Monte Carlo; "
                      "allowances: case expect";
    char missing[300] = "";
    for (int i = 0; i < n && !*missing; i++) {
        int have = (int)json_array_size(json_object_get(runs[i], "mfe"));
        if (have < k)
            snprintf(missing, sizeof missing, "seed %d has %d MFEs, every Monte Carlo realisation at least %d", i + 1, have, k);
    }
    if (k == 0 || n < 2 || *missing) {
        cell(v, cs->name, st->name, "mfe_mc", FAIL, NAN, "family-wise 95% over the MFE figures of >= 2 seeds", src, runpath, "%s",
             *missing ? missing : k ? "fewer than 2 seeds to average" : "no complete Monte Carlo MFE to compare");
        return;
    }
    double *buf = malloc(sizeof *buf * (size_t)(2 * n * k + 8 * k));
    if (!buf) {
        cell(v, cs->name, st->name, "mfe_mc", FAIL, NAN, "", src, runpath, "out of memory");
        return;
    }
    double *t = buf, *s = t + n * k, *tm = s + n * k, *tse = tm + k, *sm = tse + k, *sse = sm + k;
    double *tz = sse + k, *sz = tz + k, *t95 = sz + k, *s95 = t95 + k;
    for (int q = 0; q < k; q++) {
        const json_t *m = json_array_get(mcm, q);
        tm[q] = nlif_vd_num(m, "t_mean"), tse[q] = nlif_vd_num(m, "t_se");
        sm[q] = nlif_vd_num(m, "size_mean"), sse[q] = nlif_vd_num(m, "size_se");
        for (int i = 0; i < n; i++) {
            const json_t *e = json_array_get(json_object_get(runs[i], "mfe"), q);
            t[i * k + q] = nlif_vd_num(e, "t"), s[i * k + q] = nlif_vd_num(e, "size");
        }
    }
    char path[700];
    snprintf(path, sizeof path, "%s/reference/data/%s/%s_mfe.csv", nlif_root(), cs->name, cs->name);
    double *mct = NULL;
    int r = 0;
    if (nlif_vd_load_mc_mfe_times(path, k, &mct, &r))
        mct = NULL, r = 0;
    nlif_mfe_judgement j;
    nlif_vd_judge_mfe_random(t, s, n, k, tm, tse, sm, sse, (int)nlif_vd_num(mc->summary, "realisations"), mct, r, cs->expect.mfe_t_allow,
                             cs->expect.mfe_size_allow, tz, sz, t95, s95, &j);
    char detail[1024] = "", dtext[400], bound[256];
    for (int q = 0; q < k && strlen(detail) < 800; q++) {
        if (!(tz[q] <= t95[q]))
            snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "; MFE %d time z %.2f > %.2f", q + 1, tz[q], t95[q]);
        if (!(sz[q] <= s95[q]))
            snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "; MFE %d size z %.2f > %.2f", q + 1, sz[q], s95[q]);
    }
    if (j.kdrift)
        snprintf(dtext, sizeof dtext,
                 "drift: mean period over MFE 1-%d %.5f +- %.5f (%d seeds) vs MC %.5f +- %.5f (%d realisations), z %.2f <= %.2f (t, %.1f df)%s",
                 j.kdrift, j.period, j.period_se, n, j.mc_period, j.mc_period_se, r, j.zdrift, j.drift_bound, j.drift_df,
                 j.zdrift <= j.drift_bound ? "" : " (FAIL)");
    else
        snprintf(dtext, sizeof dtext, "drift not judged (%s)", k < 3 ? "fewer than 3 MFEs" : "no per-realisation Monte Carlo MFE times");
    snprintf(bound, sizeof bound, "family-wise 95%%: every MFE figure within its Bonferroni Welch-t bound (%s of the 5%%)%s",
             j.kdrift ? "2.5%" : "all", j.kdrift ? ", the drift within its 2.5% bound" : "");
    double worst = j.zworst / j.worst_bound;
    char dfbuf[40] = "normal: SE 0 on both sides";
    if (isfinite(j.worst_df))
        snprintf(dfbuf, sizeof dfbuf, "t, %.1f df", j.worst_df);
    cell(v, cs->name, st->name, "mfe_mc", j.pass ? PASS : FAIL, j.kdrift ? fmax(worst, j.zdrift / j.drift_bound) : worst, bound, src,
         runpath,
         "%d figures (the time and size of %d MFE%s), mean over %d seeds vs the MC mean; z = (|difference| - allowance (%g, %g)) / SE "
         "of the difference. %d figure%s over the bound; the closest: MFE %d %s, z %.2f vs %.2f (%s). %s. "
         "Per-figure 95%% (the issue's reading, Welch t; information): %d of %d inside%s",
         j.nfig, j.nfig / 2, j.nfig == 2 ? "" : "s", n, cs->expect.mfe_t_allow, cs->expect.mfe_size_allow, j.fails, j.fails == 1 ? "" : "s",
         j.kworst, j.what == 't' ? "time" : "size", j.zworst, j.worst_bound, dfbuf, dtext, j.in95, j.nfig, detail);
    free(mct);
    free(buf);
}

static void judge_run(verify_ctx *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    char stem[256], path[512], runpath[512], err_text[1200], bound[128], na[200];
    snprintf(stem, sizeof stem, "%s.%s", cs->name, st->name);
    snprintf(runpath, sizeof runpath, OUT "/runs/%s.json", stem);
    const nlif_job *j = find_job(v, stem);
    json_t *run = j && (j->exit_code == 0 || j->exit_code == 3) ? nlif_vd_load_json(runpath) : NULL;
    if (!run) {
        job_error(j, err_text, sizeof err_text);
        cell(v, cs->name, st->name, "run", FAIL, NAN, "the run completes", "", NULL, "%s", err_text);
        return;
    }
    json_array_append_new(v->runs, json_pack("{s:s, s:s, s:s, s:s, s:s}", "case", cs->name, "scheme", st->name,
                                             "summary", runpath, "series",
                                             (snprintf(path, sizeof path, OUT "/runs/%s.series.csv", stem), path),
                                             "snapshots", OUT "/runs/"));
    {   /* fix the snapshots path (the pack above copies strings at call time) */
        json_t *last = json_array_get(v->runs, json_array_size(v->runs) - 1);
        snprintf(path, sizeof path, OUT "/runs/%s.snapshots.csv", stem);
        json_object_set_new(last, "snapshots", json_string(path));
    }
    nlif_choices_merge(v->choices, st->name, json_object_get(run, "choices"));
    const char *status = json_string_value(json_object_get(run, "status"));
    /* A blow-up of the solution (expect.blowup) is passed by a scheme with capability mfe and stops
     * one without it; with no blow-up every scheme reaches t_final. */
    const char *want = cs->expect.blowup && !(st->flags & NLIF_SUPPORTS_MFE) ? "blowup" : "ok";
    snprintf(bound, sizeof bound, "status %s", want);
    const char *cause = json_string_value(json_object_get(run, "cause"));
    cell(v, cs->name, st->name, "status", status && !strcmp(status, want) ? PASS : FAIL, nlif_vd_num(run, "stop_time"), bound,
         cs->expect.blowup ? (st->flags & NLIF_SUPPORTS_MFE ? "case expect.blowup; capability mfe: passes it"
                                                           : "case expect.blowup; no capability mfe: stops at it")
                           : "the run reaches t_final", runpath, "status %s%s%s",
         status ? status : "?", cause ? ": " : "", cause ? cause : "");

    double drift = nlif_vd_num(run, "mass_drift");
    snprintf(bound, sizeof bound, "<= %g", cs->expect.mass_drift);
    cell(v, cs->name, st->name, "mass", drift <= cs->expect.mass_drift ? PASS : FAIL, drift, bound,
         "MATHEMATICS.md 6 (mass, all parts)", runpath, NULL);

    /* A scheme that renormalises its mass reports the largest correction: it may only remove
     * round-off, or the renormalisation would hide a conservation defect from the mass check. */
    double guard = nlif_vd_num(json_object_get(run, "stats"), "mass_renormalisation_max");
    if (isfinite(guard)) {
        snprintf(bound, sizeof bound, "<= %g", cs->expect.mass_drift);
        cell(v, cs->name, st->name, "mass_guard", guard <= cs->expect.mass_drift ? PASS : FAIL, guard, bound,
             "MATHEMATICS.md 6: a renormalisation may only remove round-off", runpath,
             "largest mass correction applied by the scheme's renormalisation");
    }

    double minp = nlif_vd_num(run, "min_density"), maxp = nlif_vd_num(run, "max_density");
    double floor_ = -1e-15 * (isfinite(maxp) && maxp > 0 ? maxp : 1);
    snprintf(bound, sizeof bound, ">= %.3g (rounding floor -1e-15 max p)", floor_);
    cell(v, cs->name, st->name, "positivity", minp >= floor_ ? PASS : FAIL, minp, bound, "MATHEMATICS.md 6", runpath,
         minp < 0 && minp >= floor_ ? "negative values within the rounding floor (reported)" : NULL);

    if (has_check(cs, "stationary_rate")) {
        if (!(cs->expect.rate_tol > 0))
            cell(v, cs->name, st->name, "stationary_rate", FAIL, NAN, "no bound", "", runpath,
                 "no bound: the case states the check but no expect.rate_tol");
        else {
            double tol = cs->expect.rate_tol, roots[NLIF_MAX_ROOTS];
            int nr = 0;
            nlif_error e = {0};
            int rc = nlif_stationary_rates(&cs->model, cs->input.i0, roots, NLIF_MAX_ROOTS, &nr, &e);
            double rate = nlif_vd_num(run, "final_rate");
            if (rc || cs->expect.stationary_root >= nr)
                cell(v, cs->name, st->name, "stationary_rate", FAIL, rate, "", "", runpath,
                     "no exact stationary root %d: %s", cs->expect.stationary_root, rc ? e.msg : "too few roots");
            else {
                double exact = roots[cs->expect.stationary_root];
                snprintf(bound, sizeof bound, "|N - %.9g| <= %g", exact, tol);
                cell(v, cs->name, st->name, "stationary_rate", fabs(rate - exact) <= tol ? PASS : FAIL,
                     fabs(rate - exact), bound, cs->expect.source,
                     runpath, "final rate %.9g, exact %.9g", rate, exact);
            }
        }
    }

    const json_t *mfe = json_object_get(run, "mfe");
    if (has_check(cs, "jump")) {
        nlif_error e = {0};
        double exact = nlif_vd_initial_jump(cs, &e);
        const json_t *first = json_array_get(mfe, 0);
        double size = first ? nlif_vd_num(first, "size") : NAN;
        snprintf(bound, sizeof bound, "|size - %.6g| <= %g", exact, cs->expect.jump_tol);
        if (!(st->flags & NLIF_SUPPORTS_MFE))
            cell(v, cs->name, st->name, "jump", NA, NAN, bound, "", runpath, "%s", lacks(NLIF_SUPPORTS_MFE, na, sizeof na));
        else
            cell(v, cs->name, st->name, "jump", first && fabs(size - exact) <= cs->expect.jump_tol ? PASS : FAIL,
                 first ? fabs(size - exact) : NAN, bound, "exact jump of the initial data (MATHEMATICS.md 2)", runpath,
                 "%s: size %.6g at t = %.6g", first ? "first MFE" : "no MFE recorded", first ? size : NAN,
                 first ? nlif_vd_num(first, "t") : NAN);
    }

    mc_data mc;
    int have_mc = (has_check(cs, "blowup_time") || has_check(cs, "mfe_mc") || has_check(cs, "rate_mc")) &&
                  nlif_vd_load_mc(cs->name, &mc) == 0;
    if (has_check(cs, "blowup_time")) {
        /* When the solution first blows up: where a scheme without capability mfe stops, or a
         * scheme with it has its first MFE; against the first Monte Carlo MFE, same bound. */
        int passes = !!(st->flags & NLIF_SUPPORTS_MFE);
        const json_t *first = json_array_get(mfe, 0);
        if (!have_mc)
            cell(v, cs->name, st->name, "blowup_time", FAIL, NAN, "", "", runpath,
                 "no stored Monte Carlo data for %s (reference/data/%s/): the case states a check without its reference",
                 cs->name, cs->name);
        else {
            const json_t *m1 = json_array_get(json_object_get(mc.summary, "mfe"), 0);
            double tb = passes ? (first ? nlif_vd_num(first, "t") : NAN) : nlif_vd_num(run, "blowup_time");
            double tm = m1 ? nlif_vd_num(m1, "t_mean") : NAN;
            snprintf(bound, sizeof bound, "|t_blowup - t_MFE1| <= %g", cs->expect.blowup_tol);
            cell(v, cs->name, st->name, "blowup_time", fabs(tb - tm) <= cs->expect.blowup_tol ? PASS : FAIL,
                 fabs(tb - tm), bound, "case expect.blowup_tol; Monte Carlo reference/data", runpath,
                 "%s at %.6g, first Monte Carlo MFE at %.6g", passes ? "first MFE" : "blow-up (the run stops)", tb, tm);
        }
    }
    if (has_check(cs, "mfe_mc") || has_check(cs, "rate_mc")) {
        /* Random schemes: the MFE list and N(t) of every seed. */
        int seeds = (st->flags & NLIF_IS_RANDOM) ? random_seeds(v) : 1;
        json_t *runs[16] = {run};
        series ser[16];
        int n_ok = 1;
        for (int s = 2; s <= seeds; s++) {
            char p[512];
            snprintf(p, sizeof p, OUT "/runs/%s.%s.seed%d.json", cs->name, st->name, s);
            if ((runs[n_ok] = nlif_vd_load_json(p)))
                n_ok++;
        }
        if (!(st->flags & NLIF_SUPPORTS_MFE) && has_check(cs, "mfe_mc"))
            cell(v, cs->name, st->name, "mfe_mc", NA, NAN, "", "", runpath, "%s", lacks(NLIF_SUPPORTS_MFE, na, sizeof na));
        else if (has_check(cs, "mfe_mc") && !have_mc)
            cell(v, cs->name, st->name, "mfe_mc", FAIL, NAN, "", "", runpath,
                 "no stored Monte Carlo data for %s: the case states a check without its reference", cs->name);
        else if (has_check(cs, "mfe_mc") && (st->flags & NLIF_IS_RANDOM))
            judge_mfe_random(v, cs, st, &mc, runs, n_ok, runpath);
        else if (has_check(cs, "mfe_mc")) {
            /* Deterministic schemes: every MFE time and size inside the Monte Carlo spread (2.5-97.5% of
             * realisations), widened by the case's allowances. */
            const json_t *mcm = json_object_get(mc.summary, "mfe");
            int n_mc = (int)json_array_size(mcm), inside = 0, total = 0;
            char detail[1024] = "";
            for (int k = 0; k < n_mc; k++) {
                const json_t *m = json_array_get(mcm, k);
                /* Only MFEs every realisation has are complete references. */
                if (nlif_vd_num(m, "count") < nlif_vd_num(mc.summary, "realisations"))
                    continue;
                total += 2;
                const json_t *e = json_array_get(json_object_get(run, "mfe"), k);
                if (!e) {
                    snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "MFE %d missing; ", k + 1);
                    continue;
                }
                double tm = nlif_vd_num(e, "t"), sm = nlif_vd_num(e, "size");
                const json_t *tq = json_object_get(m, "t_q95"), *sq = json_object_get(m, "size_q95");
                double tlo = json_number_value(json_array_get(tq, 0)), thi = json_number_value(json_array_get(tq, 1));
                double slo = json_number_value(json_array_get(sq, 0)), shi = json_number_value(json_array_get(sq, 1));
                double ta = cs->expect.mfe_t_allow, sa = cs->expect.mfe_size_allow;
                int ti = tm >= tlo - ta && tm <= thi + ta, si = sm >= slo - sa && sm <= shi + sa;
                inside += ti + si;
                if ((!ti || !si) && strlen(detail) < 800) { /* only what is outside */
                    snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "MFE %d:", k + 1);
                    if (!ti)
                        snprintf(detail + strlen(detail), sizeof detail - strlen(detail), " t %.5g not in [%.5g, %.5g]", tm, tlo, thi);
                    if (!si)
                        snprintf(detail + strlen(detail), sizeof detail - strlen(detail), " size %.5g not in [%.5g, %.5g]", sm, slo, shi);
                    snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "; ");
                }
            }
            snprintf(bound, sizeof bound, "every MFE time and size inside the MC 2.5-97.5%% range +- (%g, %g)", cs->expect.mfe_t_allow,
                     cs->expect.mfe_size_allow);
            cell(v, cs->name, st->name, "mfe_mc", total > 0 && inside == total ? PASS : FAIL, total ? (double)inside / total : NAN,
                 bound, "MATHEMATICS.md 6; reference/data Monte Carlo; allowances: case expect", runpath,
                 "%d of %d MFE times and sizes inside (allowances included); %s%s", inside, total,
                 total ? "" : "no complete Monte Carlo MFE to compare; ", detail);
        }
        if (has_check(cs, "rate_mc")) {
            if (!have_mc || mc.nbins < 2)
                cell(v, cs->name, st->name, "rate_mc", FAIL, NAN, "", "", runpath,
                     "no stored Monte Carlo rate series for %s: the case states a check without its reference", cs->name);
            else {
                int ok = 0;
                for (int r = 0; r < n_ok; r++) {
                    char p[512];
                    if (r == 0)
                        snprintf(p, sizeof p, OUT "/runs/%s.series.csv", stem);
                    else
                        snprintf(p, sizeof p, OUT "/runs/%s.%s.seed%d.series.csv", cs->name, st->name, r + 1);
                    ok += nlif_vd_load_series(p, &ser[ok]) == 0;
                }
                int in = 0, nb = 0;
                double l1 = 0, l1_runs = 0; /* of the mean over seeds; the mean over seeds of each run's */
                double t_end = ok ? ser[0].t[ser[0].n - 1] : 0;
                for (int b = 0; b < mc.nbins && ok; b++) {
                    double a = mc.t_mid[b] - 0.5 * mc.bin, c = mc.t_mid[b] + 0.5 * mc.bin;
                    if (c > t_end + 1e-12)
                        break;
                    double rate = 0, rr[16];
                    for (int r = 0; r < ok; r++) {
                        rr[r] = (nlif_vd_fired_at(&ser[r], c) - nlif_vd_fired_at(&ser[r], a)) / mc.bin;
                        rate += rr[r];
                        l1_runs += fabs(rr[r] - mc.mean[b]) * mc.bin / ok;
                    }
                    rate /= ok;
                    /* a random scheme's mean over its seeds has its own standard error: the band is
                     * combined, as the interval of mfe_mc */
                    nb++;
                    in += fabs(rate - mc.mean[b]) <= nlif_vd_rate_band(mc.se[b], rr, ok, !!(st->flags & NLIF_IS_RANDOM)) + 1e-12;
                    l1 += fabs(rate - mc.mean[b]) * mc.bin;
                }
                /* The L1-in-time distance of one run's N(t) to the Monte Carlo mean against the spread
                 * between Monte Carlo realisations: the mean distance of one realisation to the mean of
                 * the others (l1_loo_mean of the stored data, over its whole [0, t_final]). Judged when
                 * the run covers the Monte Carlo interval. */
                double spread = nlif_vd_num(mc.summary, "l1_loo_mean");
                int covered = nb == mc.nbins, l1_judged = covered && isfinite(spread);
                int l1_ok = !l1_judged || l1_runs <= spread;
                char l1_text[200];
                if (l1_judged)
                    snprintf(l1_text, sizeof l1_text, "; L1 of a run to the MC mean %.4g (mean over %d run%s) vs the MC spread %.4g%s", l1_runs,
                             ok, ok == 1 ? "" : "s", spread, l1_ok ? "" : " (larger: FAIL)");
                else
                    snprintf(l1_text, sizeof l1_text, "; L1 of a run to the MC mean %.4g (%s)", l1_runs,
                             covered ? "no stored MC spread l1_loo_mean" : "run shorter than the MC interval: not judged");
                for (int r = 0; r < ok; r++)
                    nlif_vd_free_series(&ser[r]);
                double frac = nb ? (double)in / nb : NAN;
                snprintf(bound, sizeof bound, ">= %.3g of bins within MC mean +- 3 SE%s, and L1 to the MC mean <= the MC spread",
                         cs->expect.mc_inside, (st->flags & NLIF_IS_RANDOM) && ok > 1 ? " (combined with the SE over seeds)" : "");
                if (!nb && cs->expect.blowup && !(st->flags & NLIF_SUPPORTS_MFE))
                    cell(v, cs->name, st->name, "rate_mc", NA, NAN, bound, "", runpath,
                         "%s: the run stopped at the blow-up, t = %.4g, before the first Monte Carlo bin ended",
                         lacks(NLIF_SUPPORTS_MFE, na, sizeof na), t_end);
                else if (!nb)
                    cell(v, cs->name, st->name, "rate_mc", FAIL, NAN, bound, "", runpath,
                         "the run stopped at t = %.4g (status %s), before the first Monte Carlo bin ended", t_end,
                         status ? status : "?");
                else
                    cell(v, cs->name, st->name, "rate_mc", frac >= cs->expect.mc_inside && l1_ok ? PASS : FAIL, frac, bound,
                         "MATHEMATICS.md 6; case expect.mc_inside; reference/data l1_loo_mean", runpath,
                         "%d of %d bins inside (up to t = %.4g); L1-in-time distance of the mean over runs %.4g%s", in, nb,
                         t_end, l1, l1_text);
            }
        }
        for (int r = 1; r < n_ok; r++)
            json_decref(runs[r]);
    }
    if (have_mc)
        nlif_vd_free_mc(&mc);

    static const char *const dirs[] = {"v", "t", "w"};
    for (int d = 0; d < 3; d++) {
        char check[16], cstem[256];
        snprintf(check, sizeof check, "order_%s", dirs[d]);
        if (!has_check(cs, check))
            continue;
        if (d == 1 && !(st->flags & NLIF_HAS_TIME_STEP)) {
            cell(v, cs->name, st->name, check, NA, NAN, "", "", NULL, "%s", lacks(NLIF_HAS_TIME_STEP, na, sizeof na));
            continue;
        }
        snprintf(cstem, sizeof cstem, "%s.%s.%s", cs->name, st->name, check);
        const nlif_job *cj = find_job(v, cstem);
        json_t *conv = cj && cj->exit_code == 0 ? nlif_vd_load_json(cj->stdout_path) : NULL;
        if (!conv) {
            job_error(cj, err_text, sizeof err_text);
            cell(v, cs->name, st->name, check, FAIL, NAN, "", "", NULL, "convergence study failed: %s", err_text);
            continue;
        }
        json_array_append(v->convergence, conv);
        static const char *const kinds[2][3] = {{"p", "order_p", "expected_p"}, {"N", "order_rate", "expected_rate"}};
        int judged = 0;
        for (int k = 0; k < 2; k++) {
            double obs = nlif_vd_num(conv, kinds[k][1]), exp_ = nlif_vd_num(conv, kinds[k][2]);
            if (isnan(exp_))
                continue;
            char name[32];
            snprintf(name, sizeof name, "%s(%s)", check, kinds[k][0]);
            if (d == 2 && k == 1)
                continue; /* the w order is judged on rho(w) against the exact characteristic solution; N is
                           * compared with a run one halving finer, which biases its fit upwards */
            snprintf(bound, sizeof bound, "%.3g +- %g", exp_, cs->expect.order_tol);
            cell(v, cs->name, st->name, name, fabs(obs - exp_) <= cs->expect.order_tol ? PASS : FAIL, obs, bound,
                 "the scheme's expected order; MATHEMATICS.md 6", NULL, "reference: %s",
                 json_string_value(json_object_get(conv, "reference")) ? json_string_value(json_object_get(conv, "reference")) : "?");
            judged++;
        }
        if (!judged)
            cell(v, cs->name, st->name, check, FAIL, NAN, "no bound", "", NULL,
                 "no bound: %s declares no expected order in this direction (nlif_scheme_type.order_*)", st->name);
        json_decref(conv);
    }

    if (has_check(cs, "ap") && !(st->flags & NLIF_SUPPORTS_STRUCTURED)) /* else judged in judge_ap */
        cell(v, cs->name, st->name, "ap", NA, NAN, "", "", NULL, "%s", lacks(NLIF_SUPPORTS_STRUCTURED, na, sizeof na));
    else if (has_check(cs, "ap") && !st->limit_option)
        cell(v, cs->name, st->name, "ap", NA, NAN, "", "", NULL,
             "declares no epsilon = 0 limit mode (nlif_scheme_type.limit_option): nothing to compare the sweep with");
    judge_baseline(v, cs, st, run, runpath);
    json_decref(run);
}

static void judge_ap(verify_ctx *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    char lim[512], bound[128];
    snprintf(lim, sizeof lim, OUT "/runs/%s.%s.ap_limit.snapshots.csv", cs->name, st->name);
    double le[EPS_LEVELS], ld[EPS_LEVELS];
    int n = 0;
    char detail[1024] = "";
    for (int e = 0; e < EPS_LEVELS; e++) {
        char p[512];
        snprintf(p, sizeof p, OUT "/runs/%s.%s.ap_eps%d.snapshots.csv", cs->name, st->name, e);
        double d = nlif_vd_profile_distance(p, lim);
        if (isnan(d))
            continue;
        snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "eps %.0e: %.3e; ", ap_eps[e], d);
        if (d > 0) {
            le[n] = log(ap_eps[e]);
            ld[n++] = log(d);
        }
    }
    double slope = NAN;
    if (n >= 3) {
        double mx = 0, my = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < n; i++)
            mx += le[i] / n, my += ld[i] / n;
        for (int i = 0; i < n; i++)
            sxx += (le[i] - mx) * (le[i] - mx), sxy += (le[i] - mx) * (ld[i] - my);
        slope = sxy / sxx;
    }
    snprintf(bound, sizeof bound, "slope 1 +- 0.05 over eps = 1e-2 .. 1e-12");
    cell(v, cs->name, st->name, "ap", fabs(slope - 1) <= 0.05 ? PASS : FAIL, slope, bound,
         "issue 4; MATHEMATICS.md 6 (asymptotic preservation)", NULL, "%s(%d levels) %s", n < 3 ? "too few levels; " : "", n,
         detail);
}

/* ------------------------------------------------------------------------------------------------ */
/* Regression baselines. */

typedef struct figure {
    const char *name;
    double rtol, atol;
} figure;

/* Deterministic code on the same inputs: differences come from compilers and libm only. */
static const figure figures[] = {
    {"final_rate", 1e-6, 1e-10}, {"mass_drift", 0, 1e-12}, {"blowup_time", 1e-6, 1e-9},
    {"mfe_count", 0, 0},         {"mfe1_t", 1e-6, 1e-9},   {"mfe1_size", 1e-6, 1e-9},
    {NULL, 0, 0},
};

static double figure_value(const json_t *run, const char *name)
{
    const json_t *mfe = json_object_get(run, "mfe");
    if (!strcmp(name, "mfe_count"))
        return (double)json_array_size(mfe);
    if (!strcmp(name, "mfe1_t"))
        return json_array_size(mfe) ? nlif_vd_num(json_array_get(mfe, 0), "t") : NAN;
    if (!strcmp(name, "mfe1_size"))
        return json_array_size(mfe) ? nlif_vd_num(json_array_get(mfe, 0), "size") : NAN;
    return nlif_vd_num(run, name);
}

static void judge_baseline(verify_ctx *v, const nlif_case *cs, const nlif_scheme_type *st, const json_t *run,
                           const char *runpath)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/ci/baselines/%s.%s.json", nlif_root(), cs->name, st->name);
    json_t *base = nlif_vd_load_json(path);
    if (v->update_baselines) {
        json_t *figs = json_object();
        for (const figure *f = figures; f->name; f++) {
            double x = figure_value(run, f->name);
            json_object_set_new(figs, f->name, json_pack("{s:o, s:f, s:f}", "value", nlif_json_number(x), "rtol", f->rtol,
                                                         "atol", f->atol));
        }
        json_t *out = json_pack("{s:s, s:s, s:o, s:s, s:o, s:o}", "case", cs->name, "scheme", st->name, "figures", figs,
                                "why", v->why ? v->why : "", "provenance", nlif_provenance_json(), "options",
                                json_deep_copy(json_object_get(run, "options")));
        nlif_error e = {0};
        char dir[4200];
        snprintf(dir, sizeof dir, "%s/ci/baselines", nlif_root());
        if (nlif_mkdir_p(dir, &e) || nlif_write_json(path, out, &e))
            cell(v, cs->name, st->name, "baseline", FAIL, NAN, "", "", runpath, "cannot write %s: %s", path, e.msg);
        else
            cell(v, cs->name, st->name, "baseline", PASS, NAN, "rewritten", "--update-baselines", runpath, "rewritten: %s",
                 v->why ? v->why : "");
        json_decref(out);
        json_decref(base);
        return;
    }
    if (!base) {
        cell(v, cs->name, st->name, "baseline", NA, NAN, "", "", runpath,
             "no baseline yet (nlif verify --update-baselines --why TEXT records one)");
        return;
    }
    const json_t *figs = json_object_get(base, "figures");
    int bad = 0;
    char detail[1024] = "";
    double worst = 0;
    for (const figure *f = figures; f->name; f++) {
        const json_t *b = json_object_get(figs, f->name);
        if (!b)
            continue;
        double old = nlif_vd_num(b, "value"), now = figure_value(run, f->name), rtol = nlif_vd_num(b, "rtol"), atol = nlif_vd_num(b, "atol");
        int same = (isnan(old) && isnan(now)) || fabs(now - old) <= rtol * fmax(fabs(old), fabs(now)) + atol;
        if (isfinite(old) && isfinite(now))
            worst = fmax(worst, fabs(now - old));
        if (!same) {
            bad = 1;
            snprintf(detail + strlen(detail), sizeof detail - strlen(detail),
                     "%s moved: baseline %.12g, now %.12g (tolerance rtol %g, atol %g); ", f->name, old, now, rtol, atol);
        }
    }
    cell(v, cs->name, st->name, "baseline", bad ? FAIL : PASS, worst, "every figure within its tolerance", "ci/baselines",
         runpath, "%s", bad ? detail : "figures unchanged");
    json_decref(base);
}

static int load_known(verify_ctx *v, nlif_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/ci/known_failures", nlif_root());
    FILE *f = fopen(path, "r");
    if (!f)
        return NLIF_OK;
    char line[1024];
    int ln = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        line[strcspn(line, "\n")] = '\0';
        char *p = line;
        while (*p == ' ')
            p++;
        if (!*p || *p == '#')
            continue;
        if (v->n_known == MAX_KNOWN) {
            fclose(f);
            return nlif_fail(err, NLIF_EINVAL, "%s:%d: more than %d known failures", path, ln, MAX_KNOWN);
        }
        known_failure *k = &v->known[v->n_known];
        int used = 0;
        if (sscanf(p, "%63s %31s %47s %n", k->cs, k->scheme, k->check, &used) != 3 || !p[used]) {
            fclose(f);
            return nlif_fail(err, NLIF_EINVAL, "%s:%d: not 'case scheme check reason' (the reason is required)", path, ln);
        }
        snprintf(k->reason, sizeof k->reason, "%s", p + used);
        v->n_known++;
    }
    fclose(f);
    return NLIF_OK;
}

/* ------------------------------------------------------------------------------------------------ */

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif verify [--quick|--full] [--cases PATTERN] [--schemes LIST] [-j N] [--json] [--strict]\n"
               "                   [--update-baselines --why TEXT] [--mc-arg ARG]...\n\n"
               "Run every case of the catalogue (glob PATTERN on the name, default all) through every\n"
               "scheme (comma-separated LIST, default all registered; 'mc' names the Monte Carlo\n"
               "reference column), judge every check the case\n"
               "states (cases/README.md, [expect]) plus mass, positivity, status and the regression\n"
               "baseline (ci/baselines/), print the verdict table (case x scheme x check: pass / FAIL /\n"
               "n.a. with the measured figure and the bound), write results/verify/verdicts.json and the\n"
               "result files of every run, and exit 1 if any check failed.\n"
               "Every bound is the case's, the same for every scheme (MATHEMATICS.md 6): a stated check\n"
               "without a bound FAILs ('no bound'); a check is n.a. only for a capability the scheme does\n"
               "not declare (nlif list shows them), and the cell names it. --strict counts those n.a.\n"
               "cells as failures too (for a solver meant to do all of it).\n"
               "--quick (default) uses 4-level ladders and every other epsilon; --full the case's own\n"
               "ladders. -j N runs N jobs at once (default:\n"
               "the number of processors). --update-baselines rewrites ci/baselines from this run and\n"
               "records --why. --mc-arg passes ARG to the live Monte Carlo runs (check mc_stationary).\n"
               "ci/known_failures lists figures a scheme is known not to meet ('case scheme check reason'):\n"
               "they stay FAIL in the table and the report, but only other failures (or a listed one that\n"
               "passes now) make verify exit 1.\n");
}

int nlif_cmd_verify(int argc, char **argv)
{
    verify_ctx v;
    memset(&v, 0, sizeof v);
    const char *pattern = "*", *schemes = NULL;
    int json = 0;
    long jobs_at_once = sysconf(_SC_NPROCESSORS_ONLN);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (nlif_cli_is_help(a)) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--quick"))
            v.full = 0;
        else if (!strcmp(a, "--full"))
            v.full = 1;
        else if (!strcmp(a, "--json"))
            json = 1;
        else if (!strcmp(a, "--strict"))
            v.strict = 1;
        else if (!strcmp(a, "--cases") && next)
            pattern = argv[++i];
        else if (!strcmp(a, "--schemes") && next)
            schemes = argv[++i];
        else if (!strcmp(a, "-j") && next) {
            if (nlif_cli_long("verify", "-j", argv[++i], &jobs_at_once) || jobs_at_once < 1)
                return NLIF_EXIT_USAGE;
        } else if (!strcmp(a, "--update-baselines"))
            v.update_baselines = 1;
        else if (!strcmp(a, "--why") && next)
            v.why = argv[++i];
        else if (!strcmp(a, "--mc-arg") && next && v.n_mc_args < 8)
            v.mc_args[v.n_mc_args++] = argv[++i];
        else {
            fprintf(stderr, "nlif verify: unexpected argument '%s'\n", a);
            usage(stderr);
            return NLIF_EXIT_USAGE;
        }
    }
    if (v.update_baselines && (!v.why || !v.why[0])) {
        fprintf(stderr, "nlif verify: --update-baselines needs --why TEXT (recorded in every baseline file)\n");
        return NLIF_EXIT_USAGE;
    }
    /* Schemes: the registry, filtered; unknown names refused. */
    const nlif_scheme_type *use[32];
    int n_use = 0;
    for (int s = 0; nlif_schemes[s] && n_use < 32; s++) {
        if (schemes) {
            char buf[512], *save = NULL;
            int want = 0;
            snprintf(buf, sizeof buf, "%s", schemes);
            for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
                want |= !strcmp(t, nlif_schemes[s]->name);
            if (!want)
                continue;
        }
        use[n_use++] = nlif_schemes[s];
    }
    if (schemes) {
        char buf[512], *save = NULL;
        snprintf(buf, sizeof buf, "%s", schemes);
        for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
            if (strcmp(t, "mc") && !nlif_scheme_find(t)) {
                fprintf(stderr, "nlif verify: unknown scheme '%s'\n", t);
                return NLIF_EXIT_USAGE;
            }
    }
    static char names[NLIF_MAX_CASES][NLIF_NAME_MAX];
    static nlif_case cases[NLIF_MAX_CASES];
    int n_names = 0, n_cases = 0;
    nlif_error err = {0};
    if (nlif_catalogue(names, NLIF_MAX_CASES, &n_names, &err))
        return nlif_cli_report("verify", &err);
    for (int i = 0; i < n_names; i++) {
        if (fnmatch(pattern, names[i], 0))
            continue;
        if (nlif_case_load(&cases[n_cases], names[i], NULL, 0, &err))
            return nlif_cli_report("verify", &err);
        /* children get the absolute path of the case file */
        char p[NLIF_TEXT_MAX];
        snprintf(p, sizeof p, "%s/cases/%s.ini", nlif_root(), names[i]);
        snprintf(cases[n_cases].path, sizeof cases[n_cases].path, "%s", p);
        n_cases++;
    }
    if (!n_cases) {
        fprintf(stderr, "nlif verify: no case matches '%s'\n", pattern);
        return NLIF_EXIT_USAGE;
    }
    if (nlif_mkdir_p(OUT "/logs", &err) || nlif_mkdir_p(OUT "/runs", &err) || nlif_mkdir_p(OUT "/converge", &err) ||
        nlif_mkdir_p(OUT "/mc", &err))
        return nlif_cli_report("verify", &err);
    if (load_known(&v, &err))
        return nlif_cli_report("verify", &err);
    v.jobs = calloc(MAX_JOBS, sizeof *v.jobs);
    v.cells = json_array();
    v.convergence = json_array();
    v.runs = json_array();
    v.choices = json_object();
    if (!v.jobs)
        return nlif_cli_report("verify", &(nlif_error){NLIF_ENOMEM, "job table"});
    struct timespec w0, w1;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    /* "mc" in --schemes selects the Monte Carlo reference column. */
    int want_mc = !schemes;
    if (schemes) {
        char buf[512], *save = NULL;
        snprintf(buf, sizeof buf, "%s", schemes);
        for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
            want_mc |= !strcmp(t, "mc");
    }
    /* Plan. */
    for (int c = 0; c < n_cases; c++)
        if (want_mc && has_check(&cases[c], "mc_stationary"))
            plan_mc(&v, &cases[c]);
    static char na_text[NLIF_MAX_CASES][32][256];
    for (int c = 0; c < n_cases; c++)
        for (int s = 0; s < n_use; s++) {
            const char *why = nlif_scheme_not_applicable(use[s], &cases[c]);
            snprintf(na_text[c][s], sizeof na_text[c][s], "%s", why ? why : "");
            if (!why)
                plan(&v, &cases[c], use[s]);
        }
    nlif_jobs_run(v.jobs, v.n_jobs, (int)jobs_at_once, isatty(2));
    /* Judge. */
    for (int c = 0; c < n_cases; c++) {
        for (int s = 0; s < n_use; s++) {
            if (na_text[c][s][0])
                cell(&v, cases[c].name, use[s]->name, "applies", NA, NAN, "", "the case's needs / the scheme's capabilities", NULL, "%s",
                     na_text[c][s]);
            else {
                judge_run(&v, &cases[c], use[s]);
                if (has_check(&cases[c], "ap") && (use[s]->flags & NLIF_SUPPORTS_STRUCTURED) && use[s]->limit_option)
                    judge_ap(&v, &cases[c], use[s]);
            }
        }
        if (want_mc && has_check(&cases[c], "mc_stationary")) {
            char path[600], bound[160], err_text[1200], stem[256];
            snprintf(stem, sizeof stem, "%s.mc", cases[c].name);
            snprintf(path, sizeof path, OUT "/mc/%s.json", cases[c].name);
            const nlif_job *j = find_job(&v, stem);
            json_t *mc = j && j->exit_code == 0 ? nlif_vd_load_json(path) : NULL;
            double roots[NLIF_MAX_ROOTS];
            int nr = 0;
            nlif_error e = {0};
            if (!mc) {
                job_error(j, err_text, sizeof err_text);
                cell(&v, cases[c].name, "mc", "stationary_rate", FAIL, NAN, "the Monte Carlo run completes", "", NULL, "%s",
                     err_text);
            } else if (nlif_stationary_rates(&cases[c].model, cases[c].input.i0, roots, NLIF_MAX_ROOTS, &nr, &e) ||
                       cases[c].expect.stationary_root >= nr) {
                cell(&v, cases[c].name, "mc", "stationary_rate", FAIL, NAN, "", "", path, "no exact stationary root: %s", e.msg);
            } else {
                double exact = roots[cases[c].expect.stationary_root], m = nlif_vd_num(mc, "rate_final_mean"),
                       se = nlif_vd_num(mc, "rate_final_se");
                snprintf(bound, sizeof bound, "|N - %.6g| <= 3 SE = %.3g", exact, 3 * se);
                const json_t *bridge = json_object_get(mc, "bridge");
                cell(&v, cases[c].name, "mc", "stationary_rate", fabs(m - exact) <= 3 * se ? PASS : FAIL,
                     (m - exact) / se, bound, "issue 3; MATHEMATICS.md 1.1 (bridge correction: O(dt) bias)", path,
                     "measured in SE: rate %.6g +- %.2g (N_p %g, R %g, dt %g, bridge %s)", m, se, nlif_vd_num(mc, "particles"),
                     nlif_vd_num(mc, "realisations"), nlif_vd_num(mc, "dt"), json_is_true(bridge) ? "on" : "off");
            }
            json_decref(mc);
        }
        /* The Monte Carlo reference column: the stored data the case's checks rely on. */
        int needs_mc = has_check(&cases[c], "rate_mc") || has_check(&cases[c], "mfe_mc") || has_check(&cases[c], "blowup_time");
        mc_data mc;
        if (!want_mc)
            ;
        else if (!needs_mc)
            cell(&v, cases[c].name, "mc", "data", NA, NAN, "", "", NULL, "no check of this case uses Monte Carlo data");
        else if (nlif_vd_load_mc(cases[c].name, &mc))
            cell(&v, cases[c].name, "mc", "data", FAIL, NAN, "stored data present", "reference/data (issue 3)", NULL,
                 "the case's checks need reference/data/%s/%s.json, which is missing", cases[c].name, cases[c].name);
        else {
            const json_t *prov = json_object_get(mc.summary, "provenance");
            cell(&v, cases[c].name, "mc", "data", prov ? PASS : FAIL, nlif_vd_num(mc.summary, "particles"),
                 "stored data with provenance", "reference/data (issue 3)", NULL, "N_p %g, R %g, dt %g, seed %g, commit %s",
                 nlif_vd_num(mc.summary, "particles"), nlif_vd_num(mc.summary, "realisations"), nlif_vd_num(mc.summary, "dt"),
                 nlif_vd_num(mc.summary, "seed"), prov ? json_string_value(json_object_get(prov, "commit")) : "?");
            nlif_vd_free_mc(&mc);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &w1);
    double wall = (w1.tv_sec - w0.tv_sec) + 1e-9 * (w1.tv_nsec - w0.tv_nsec);
    json_t *out = json_pack("{s:o, s:s, s:f, s:{s:i, s:i, s:i, s:i, s:i}, s:o, s:o, s:o, s:o, s:i}", "provenance",
                            nlif_provenance_json(), "mode", v.full ? "full" : "quick", "wall_seconds", wall, "summary",
                            "pass", v.count[PASS], "fail", v.count[FAIL], "na", v.count[NA], "known_failures",
                            v.n_known_failed, "stale_known_failures", v.n_stale, "cells", v.cells,
                            "convergence", v.convergence, "runs", v.runs, "choices", v.choices, "jobs", v.n_jobs);
    int rc = nlif_write_json(NLIF_VERDICTS_PATH, out, &err);
    if (json) {
        json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        putchar('\n');
    } else {
        printf("%-22s %-11s %-22s %-5s %-12s %s\n", "case", "scheme", "check", "", "measured", "bound / reason");
        size_t i;
        json_t *c;
        json_array_foreach(v.cells, i, c)
        {
            const char *verdict = json_string_value(json_object_get(c, "verdict"));
            double m = nlif_vd_num(c, "measured");
            char mtext[32] = "";
            if (isfinite(m))
                snprintf(mtext, sizeof mtext, "%.4g", m);
            const char *bound = json_string_value(json_object_get(c, "bound"));
            const char *reason = json_string_value(json_object_get(c, "reason"));
            printf("%-22s %-11s %-22s %-5s %-12s %s%s%s\n", json_string_value(json_object_get(c, "case")),
                   json_string_value(json_object_get(c, "scheme")), json_string_value(json_object_get(c, "check")),
                   verdict, mtext, bound, bound[0] && reason[0] ? " — " : "", reason);
        }
        printf("\nverify (%s): %d pass, %d FAIL (%d of them known: ci/known_failures), %d n.a. — %d jobs, %.1f s wall; "
               "verdicts: %s\n",
               v.full ? "full" : "quick", v.count[PASS], v.count[FAIL], v.n_known_failed, v.count[NA], v.n_jobs, wall,
               NLIF_VERDICTS_PATH);
        if (v.n_stale)
            printf("verify: %d known failure(s) pass now: remove them from ci/known_failures\n", v.n_stale);
        /* The closing line CI reads: failures that are not listed as known, n.a. cells as skipped. */
        printf("verify: %d passed, %d failed, %d skipped\n", v.count[PASS], v.count[FAIL] - v.n_known_failed + v.n_stale,
               v.count[NA]);
    }
    int failed = v.count[FAIL] > v.n_known_failed || v.n_stale > 0;
    json_decref(out);
    free(v.jobs);
    if (rc)
        return nlif_cli_report("verify", &err);
    return failed ? NLIF_EXIT_VERIFY : 0;
}
