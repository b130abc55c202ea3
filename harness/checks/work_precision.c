/* work_precision.c — the work–precision data of `nlif verify --full` (no verdict: data for the
 * report's diagrams, its headline and its table of error and cost per scheme; MATHEMATICS.md §6,
 * "Work and precision").
 *
 * Every applicable scheme on every case with an error measure, Δv and Δt refined together (the
 * case's ratio Δt/Δv kept), four levels: about 8, 4, 2 and 1 times the default steps (the factors that
 * keep V_R and V_F on the grid; below). The measure is the case's, against one reference common to
 * every scheme:
 *   long-time rate  (the case states stationary_rate): |N_final − N_exact|, the exact stationary root
 *                   (MATHEMATICS.md §2);
 *   MFE             (the case states mfe_mc): max over the MFEs every Monte Carlo realisation has of
 *                   |t*_k − t̄*_k| and of |Δ_k − Δ̄_k| against the stored Monte Carlo means; (states
 *                   jump, no Monte Carlo data) |Δ_1 − Δ_exact| of the initial data; a run that stops
 *                   at a blow-up or misses an MFE has no error (its status is recorded);
 *   calm            (neither, no blow-up, no ε sweep): L1 error of p(t_final) and max-in-time error of
 *                   N(t) against cvode at Δv/8 (the accuracy check's reference run, one per case:
 *                   nlif_accuracy_distance); a calm case without it (a1 > 0, structured) against each
 *                   scheme's own run two halvings finer (`nlif converge --refine vt`, 2 or 3 levels),
 *                   which its record says.
 * Each level's CPU seconds are the run's own, the least of up to 5 solves for a run under 10 ms; a
 * random scheme's level is the mean over NLIF_RANDOM_SEEDS seeds with a 95% interval. In --quick
 * nothing is planned or recorded.
 * The target error of each measure, for the report's "cost to reach the target", is the case's own
 * bound where it states one (rate_tol; mfe_t_allow, mfe_size_allow; jump_tol), else 1e-3 (calm
 * measures of O(1) quantities: p and N). Against Monte Carlo the record also holds the largest
 * standard error of the Monte Carlo means compared ("reference_se"): errors below it are noise.
 * The records go into verdicts.json's "convergence" array with "purpose": "work_precision".
 *
 * Monte Carlo is a curve of its own on the MFE cases (check work_precision_mc, the "mc" column):
 * `nlif mc` with 8 realisations of N_p = 500, 2000, 8000 particles at the case's Δt, the MFE errors
 * of its means against the stored reference (100,000 particles, a smaller Δt) vs its CPU seconds,
 * with the 95% interval of the worst mean.
 */
#include "nlif_check.h"

#include "../case/nlif_fresh.h"

#include "../../exact/nlif_exact.h"
#include "../case/nlif_case.h"
#include "../../io/nlif_results.h"
#include "../../io/nlif_resultfmt.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Runs: four levels, factors F, 4, 2, 1 of the default steps (F about 8: the first of 8, 10, 6, 12,
 * 16, 20 above the second factor that keeps V_R and V_F on the grid; the second 4, else 5, 3, 2.5).
 * A level finer than the default would cost 4 to 8 times the default run (8 for an explicit scheme
 * under its diffusive CFL step), which verify --full cannot afford on every case; the report reads the
 * cost to reach a case's bound, which every scheme that passes the bound meets by the default level.
 * A run shorter than 10 ms is solved again and timed as the least of up to 5 solves (nlif run
 * --repeat-under): the timer and the machine's noise are of the order of a millisecond. A random
 * scheme (NLIF_IS_RANDOM) runs NLIF_RANDOM_SEEDS seeds at every level: its point is the seed mean with
 * a 95% interval (Student's t), and the report fits no slope to it. */
#define WP_LEVELS 4
#define WP_DEFAULT_LEVEL 3
#define WP_REPEAT_UNDER 0.01
#define WP_MAX_MEASURES 2

enum { WP_NONE = 0, WP_RATE, WP_MFE, WP_JUMP, WP_CALM_REF, WP_CALM };

static int kind_of(const nlif_case *cs)
{
    if (nlif_fresh_name(cs->name, NULL, 0)) /* a problem drawn at run time: judged, not a point of the diagrams */
        return WP_NONE;
    if (nlif_case_states(cs, "stationary_rate"))
        return WP_RATE;
    if (nlif_case_states(cs, "mfe_mc"))
        return WP_MFE;
    if (nlif_case_states(cs, "jump"))
        return WP_JUMP;
    if (cs->expect.blowup || nlif_case_states(cs, "ap"))
        return WP_NONE;
    /* a calm case: against the common time-accurate reference where there is one (cvode at Δv/8, the
     * accuracy check's), else against the scheme's own run two halvings finer */
    return nlif_accuracy_has_reference(cs) ? WP_CALM_REF : WP_CALM;
}

/* The error a level must reach: the case's bound KEY (another check's: nlif_check_bound), or 1e-3
 * when the case states none. */
static double target(const nlif_case *cs, const char *key)
{
    double b = nlif_check_bound(cs, key);
    return b > 0 ? b : 1e-3;
}

/* Whether Δv = f dv keeps V_R and V_F on grid nodes from V_min (the case format's own rule). */
static int on_grid(const nlif_case *cs, double f)
{
    double dv = f * cs->run.dv, a = (cs->model.v_r - cs->model.v_min) / dv, b = (cs->model.v_f - cs->model.v_r) / dv;
    return fabs(a - round(a)) < 1e-9 * fmax(1, a) && fabs(b - round(b)) < 1e-9 * fmax(1, b);
}

/* The factor of level k on the default steps (above). */
static double factor(const nlif_case *cs, int k)
{
    static const double second[] = {4, 5, 3, 2.5}, first[] = {8, 10, 6, 12, 16, 20};
    if (k >= WP_DEFAULT_LEVEL - 1)
        return ldexp(1.0, WP_DEFAULT_LEVEL - k);
    double f1 = 4; /* off the grid: the run is refused with the reason, the level recorded as missing */
    for (int i = 0; i < 4; i++)
        if (on_grid(cs, second[i])) {
            f1 = second[i];
            break;
        }
    if (k == WP_DEFAULT_LEVEL - 2)
        return f1;
    for (int i = 0; i < 6; i++)
        if (first[i] > f1 && on_grid(cs, first[i]))
            return first[i];
    return 2 * f1;
}

/* Calm cases without a common reference (a converge ladder of halvings): the coarsest level 4 or 2
 * times the default steps, the largest that keeps V_R and V_F on the grid; the default is the finest. */
static int calm_halvings(const nlif_case *cs)
{
    return on_grid(cs, 4) ? 2 : 1;
}

static int seeds_of(const nlif_scheme_type *st) { return st->flags & NLIF_IS_RANDOM ? NLIF_RANDOM_SEEDS : 1; }

/* The run of level k and seed s (1: the case's seed): its stem; the default level's are verify's own. */
static void level_stem(const nlif_case *cs, const nlif_scheme_type *st, int k, int s, char *out, size_t len)
{
    if (k == WP_DEFAULT_LEVEL)
        snprintf(out, len, s > 1 ? "%s.%s.seed%d" : "%s.%s", cs->name, st->name, s);
    else
        snprintf(out, len, s > 1 ? "%s.%s.wp%d.seed%d" : "%s.%s.wp%d", cs->name, st->name, k, s);
}

static void plan(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    int kind = kind_of(cs);
    if (!nlif_verify_full(v) || kind == WP_NONE)
        return;
    char stem[256];
    if (kind == WP_CALM) {
        int m = calm_halvings(cs);
        snprintf(stem, sizeof stem, "%s.%s.wp", cs->name, st->name);
        nlif_plan_converge(v, cs, st, stem,
                           &(nlif_converge_args){.refine = "vt", .levels = m + 1, .coarsest = ldexp(cs->run.dv, m), .ref_halvings = 2});
        return;
    }
    nlif_plan_seeds(v, cs, st); /* the default level's seeds (planned once with the Monte Carlo checks') */
    for (int k = 0; k < WP_LEVELS; k++)
        for (int s = 1; k != WP_DEFAULT_LEVEL && s <= seeds_of(st); s++) {
            level_stem(cs, st, k, s, stem, sizeof stem);
            nlif_verify_run_job(v, cs, st, stem,
                                &(nlif_run_args){.dv = cs->run.dv * factor(cs, k), .dt = cs->run.dt * factor(cs, k),
                                                 .seeded = s > 1, .seed = cs->run.seed + (uint64_t)s - 1,
                                                 .repeat_under = WP_REPEAT_UNDER});
        }
}

/* The measures of a kind, in record order; their number. */
static int measures_of(int kind, const char **m)
{
    switch (kind) {
    case WP_RATE: m[0] = "err_final_rate"; return 1;
    case WP_JUMP: m[0] = "err_mfe_size"; return 1;
    case WP_MFE: m[0] = "err_mfe_t", m[1] = "err_mfe_size"; return 2;
    default: m[0] = "err_p", m[1] = "err_rate"; return 2;
    }
}

/* The errors of one run (summary RUN at PATH, level factor F) against the case's reference, in the
 * order of measures_of (NAN where it has none); the MFEs compared (WP_MFE). */
static int level_errors(const nlif_check_ctx *c, int kind, const json_t *run, const char *path, double f, double exact,
                        double *e)
{
    const char *status = json_string_value(json_object_get(run, "status"));
    int ok = status && !strcmp(status, "ok"), n = 0;
    e[0] = e[1] = NAN;
    if (kind == WP_RATE) {
        e[0] = ok ? fabs(nlif_vd_num(run, "final_rate") - exact) : NAN;
        return 0;
    }
    if (kind == WP_CALM_REF) {
        char why[1600];
        if (ok)
            nlif_accuracy_distance(c->v, c->cs, path, c->cs->run.dv * f, &e[0], &e[1], why, sizeof why);
        return 0;
    }
    const json_t *mfe = json_object_get(run, "mfe");
    if (kind == WP_JUMP) {
        const json_t *first = json_array_get(mfe, 0);
        e[0] = first ? fabs(nlif_vd_num(first, "size") - exact) : NAN;
        return 0;
    }
    /* WP_MFE: the complete Monte Carlo MFEs (every realisation has them) */
    const json_t *mcm = json_object_get(c->mc->summary, "mfe");
    double et = 0, es = 0, reals = nlif_vd_num(c->mc->summary, "realisations");
    for (size_t k = 0; k < json_array_size(mcm); k++) {
        const json_t *m = json_array_get(mcm, k);
        if (nlif_vd_num(m, "count") < reals)
            break;
        const json_t *x = json_array_get(mfe, k);
        if (!x || !ok)
            return 0;
        et = fmax(et, fabs(nlif_vd_num(x, "t") - nlif_vd_num(m, "t_mean")));
        es = fmax(es, fabs(nlif_vd_num(x, "size") - nlif_vd_num(m, "size_mean")));
        n++;
    }
    if (n)
        e[0] = et, e[1] = es;
    return n;
}

/* Level k of the record: every seed's run, its errors; a random scheme's point is the seed mean with
 * the half width of its 95% interval ("<measure>_ci95", Student's t with S − 1 degrees of freedom),
 * its CPU the mean of the seeds' (each the least of its repeats). */
static json_t *level(const nlif_check_ctx *c, int kind, int k, double exact)
{
    const nlif_case *cs = c->cs;
    const char *ms[WP_MAX_MEASURES];
    int nm = measures_of(kind, ms), S = seeds_of(c->st), got = 0, compared = -1;
    double f = factor(cs, k), sum[WP_MAX_MEASURES] = {0}, sq[WP_MAX_MEASURES] = {0}, cpu = 0, all = 1;
    json_t *lev = json_pack("{s:i, s:o, s:o, s:o}", "level", k, "h", nlif_json_number(cs->run.dv * f), "dv",
                            nlif_json_number(cs->run.dv * f), "dt", nlif_json_number(cs->run.dt * f));
    char why[1200] = "", status[64] = "?";
    for (int s = 1; s <= S; s++) {
        char stem[256], path[1400];
        level_stem(cs, c->st, k, s, stem, sizeof stem);
        snprintf(path, sizeof path, "%s/%s.json", nlif_verify_dir(c->v, "runs"), stem);
        if (k == WP_DEFAULT_LEVEL && s == 1)
            snprintf(path, sizeof path, "%s", c->runpath);
        json_t *run = k == WP_DEFAULT_LEVEL && s == 1 ? json_incref((json_t *)c->run) : nlif_vd_load_run(path, why, sizeof why);
        if (!run)
            continue;
        double e[WP_MAX_MEASURES];
        int n = level_errors(c, kind, run, path, f, exact, e);
        compared = compared < 0 ? n : (n < compared ? n : compared);
        const char *st = json_string_value(json_object_get(run, "status"));
        if (st && strcmp(st, "ok") && !strcmp(status, "?")) { /* the first seed that stopped says where */
            snprintf(status, sizeof status, "%s", st);
            json_object_set_new(lev, "stop_time", nlif_json_number(nlif_vd_num(run, "stop_time")));
        }
        cpu += nlif_vd_num(run, "cpu_seconds");
        for (int q = 0; q < nm; q++)
            sum[q] += e[q], sq[q] += e[q] * e[q], all = isfinite(e[q]) ? all : 0;
        got++;
        json_decref(run);
    }
    if (got < S) {
        json_object_set_new(lev, "status", json_string("missing"));
        json_object_set_new(lev, "cause", json_string(why));
        return lev;
    }
    json_object_set_new(lev, "status", json_string(strcmp(status, "?") ? status : "ok"));
    json_object_set_new(lev, "cpu_seconds", nlif_json_number(cpu / S));
    if (kind == WP_MFE)
        json_object_set_new(lev, "mfe_compared", json_integer(compared > 0 ? compared : 0));
    if (S > 1)
        json_object_set_new(lev, "seeds", json_integer(S));
    for (int q = 0; q < nm; q++) {
        double mean = all ? sum[q] / S : NAN, var = S > 1 ? fmax(0, (sq[q] - S * mean * mean) / (S - 1)) : 0;
        json_object_set_new(lev, ms[q], nlif_json_number(mean));
        if (S > 1) {
            char key[64];
            snprintf(key, sizeof key, "%s_ci95", ms[q]);
            json_object_set_new(lev, key, nlif_json_number(all ? gsl_cdf_tdist_Pinv(0.975, S - 1) * sqrt(var / S) : NAN));
        }
    }
    return lev;
}

/* A calm case without a common reference: the scheme's converge ladder against its own finer run. */
static void judge_calm(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    char stem[256], why[1200], path[1400];
    snprintf(stem, sizeof stem, "%s.%s.wp", cs->name, c->st->name);
    const nlif_job *j = nlif_verify_find_job(c->v, stem);
    nlif_converge_study_path(c->v, cs, c->st, "vt", path, sizeof path); /* as the order checks read theirs */
    json_t *conv = (j ? j->exit_code == 0 : nlif_verify_on_disk(c->v)) ? nlif_vd_load_study(path, why, sizeof why) : NULL;
    if (!conv)
        return; /* the report says which case and scheme have no work–precision data */
    json_object_set_new(conv, "purpose", json_string("work_precision"));
    json_object_set_new(conv, "default_level", json_integer(calm_halvings(cs)));
    json_object_set_new(conv, "measures", json_pack("[s, s]", "err_p", "err_rate"));
    json_object_set_new(conv, "targets", json_pack("{s:f, s:f}", "err_p", 1e-3, "err_rate", 1e-3));
    json_object_set_new(conv, "target_source", json_string("1e-3 (no bound stated by the case)"));
    json_object_set_new(conv, "note", json_string("no common time-accurate reference for this case (cvode needs a1 = 0 and "
                                                  "one population): each scheme against its own run two halvings finer"));
    nlif_verify_add_convergence(c->v, conv);
    json_decref(conv);
}

/* The targets of a kind: the case's bounds, else 1e-3. */
static json_t *targets_of(const nlif_case *cs, int kind)
{
    if (kind == WP_RATE)
        return json_pack("{s:o}", "err_final_rate", nlif_json_number(target(cs, "rate_tol")));
    if (kind == WP_JUMP)
        return json_pack("{s:o}", "err_mfe_size", nlif_json_number(target(cs, "jump_tol")));
    if (kind == WP_MFE)
        return json_pack("{s:o, s:o}", "err_mfe_t", nlif_json_number(target(cs, "mfe_t_allow")), "err_mfe_size",
                         nlif_json_number(target(cs, "mfe_size_allow")));
    return json_pack("{s:f, s:f}", "err_p", 1e-3, "err_rate", 1e-3);
}

static void judge(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    int kind = kind_of(cs);
    if (!nlif_verify_full(c->v) || kind == WP_NONE)
        return;
    if (kind == WP_CALM) {
        judge_calm(c);
        return;
    }
    double exact = NAN;
    char ref[300] = "";
    if (kind == WP_RATE) {
        double roots[NLIF_MAX_ROOTS];
        int nr = 0;
        nlif_error e = {0};
        if (nlif_stationary_rates(&cs->model, cs->input.i0, roots, NLIF_MAX_ROOTS, &nr, &e) ||
            (int)nlif_check_bound(cs, "stationary_root") >= nr)
            return;
        exact = roots[(int)nlif_check_bound(cs, "stationary_root")];
        snprintf(ref, sizeof ref, "exact stationary rate %.9g (MATHEMATICS.md 2)", exact);
    } else if (kind == WP_CALM_REF) {
        snprintf(ref, sizeof ref, "cvode at dv/8 (MATHEMATICS.md 5b), one run for every scheme");
    } else if (kind == WP_JUMP || !c->mc) {
        nlif_error e = {0};
        exact = nlif_vd_initial_jump(cs, &e);
        if (!isfinite(exact))
            return;
        kind = WP_JUMP;
        snprintf(ref, sizeof ref, "exact jump %.6g of the initial data (MATHEMATICS.md 2)", exact);
    } else
        snprintf(ref, sizeof ref, "Monte Carlo means (%s, %.0f realisations of %.0f particles)", c->mc->path,
                 nlif_vd_num(c->mc->summary, "realisations"), nlif_vd_num(c->mc->summary, "particles"));
    json_t *levels = json_array();
    for (int k = 0; k < WP_LEVELS; k++)
        json_array_append_new(levels, level(c, kind, k, exact));
    json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o}", "case", cs->name, "scheme", c->st->name, "refine", "vt",
                            "purpose", "work_precision", "reference", ref, "default_level", WP_DEFAULT_LEVEL, "levels",
                            levels);
    const char *ms[WP_MAX_MEASURES];
    int nm = measures_of(kind, ms);
    json_object_set_new(rec, "measures", nm == 1 ? json_pack("[s]", ms[0]) : json_pack("[s, s]", ms[0], ms[1]));
    char note[300];
    snprintf(note, sizeof note, "dv and dt refined together (the case's dt/dv); levels %gx, %gx, 2x and 1x (the default) the "
             "case's steps (V_R and V_F on the grid); a run under %g s timed as the least of up to 5 solves%s",
             factor(cs, 0), factor(cs, 1), WP_REPEAT_UNDER,
             seeds_of(c->st) > 1 ? "; a random scheme: the mean of its seeds with a 95% interval" : "");
    json_object_set_new(rec, "note", json_string(note));
    if (seeds_of(c->st) > 1)
        json_object_set_new(rec, "random", json_true());
    json_object_set_new(rec, "targets", targets_of(cs, kind));
    if (kind == WP_MFE) {
        double tse = 0, sse = 0, reals = nlif_vd_num(c->mc->summary, "realisations");
        const json_t *mcm = json_object_get(c->mc->summary, "mfe");
        for (size_t k = 0; k < json_array_size(mcm) && nlif_vd_num(json_array_get(mcm, k), "count") >= reals; k++)
            tse = fmax(tse, nlif_vd_num(json_array_get(mcm, k), "t_se")),
            sse = fmax(sse, nlif_vd_num(json_array_get(mcm, k), "size_se"));
        json_object_set_new(rec, "reference_se", json_pack("{s:o, s:o}", "err_mfe_t", nlif_json_number(tse), "err_mfe_size",
                                                           nlif_json_number(sse)));
    }
    json_object_set_new(rec, "target_source", json_string(kind == WP_RATE   ? "the case's rate_tol"
                                                          : kind == WP_JUMP ? "the case's jump_tol"
                                                          : kind == WP_MFE  ? "the case's mfe_t_allow, mfe_size_allow"
                                                                            : "1e-3 (no bound stated by the case)"));
    nlif_verify_add_convergence(c->v, rec);
    json_decref(rec);
}

/* ---- Monte Carlo over N_p (the "mc" column) ---- */

#define WP_MC_LEVELS 3
static const double wp_mc_particles[WP_MC_LEVELS] = {500, 2000, 8000};
#define WP_MC_REALISATIONS 8

static void plan_mc(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    (void)st;
    if (!nlif_verify_full(v) || kind_of(cs) != WP_MFE)
        return;
    for (int k = 0; k < WP_MC_LEVELS; k++) {
        char stem[256];
        snprintf(stem, sizeof stem, "%s.mc.wp%d", cs->name, k);
        nlif_job *j = nlif_verify_job(v, "mc", stem);
        if (!j)
            continue;
        char out[1400];
        snprintf(out, sizeof out, "%s/%s", nlif_verify_dir(v, "mc"), stem);
        nlif_mc_argv(j, &(nlif_mc_args){.case_path = cs->path, .particles = wp_mc_particles[k],
                                        .realisations = WP_MC_REALISATIONS, .threads = 1, .out = out});
    }
}

/* The half width of a 95% interval [lo, hi] member of o (NAN without one). */
static double half_width(const json_t *o, const char *key)
{
    const json_t *ci = json_object_get(o, key);
    return json_array_size(ci) == 2 ? 0.5 * (json_number_value(json_array_get(ci, 1)) - json_number_value(json_array_get(ci, 0)))
                                     : NAN;
}

static void judge_mc(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    if (!nlif_verify_full(c->v) || kind_of(cs) != WP_MFE || !c->mc)
        return;
    const json_t *ref = json_object_get(c->mc->summary, "mfe");
    double reals = nlif_vd_num(c->mc->summary, "realisations");
    json_t *levels = json_array();
    for (int k = 0; k < WP_MC_LEVELS; k++) {
        char dir[1400];
        snprintf(dir, sizeof dir, "%s/%s.mc.wp%d", nlif_verify_dir(c->v, "mc"), cs->name, k);
        nlif_error e = {0};
        nlif_rf_table rate;
        json_t *sum = nlif_rf_mc_read(dir, cs->name, &rate, &e);
        json_t *lev = json_pack("{s:i, s:f, s:f, s:i}", "level", k, "h", wp_mc_particles[k], "particles", wp_mc_particles[k],
                                "realisations", WP_MC_REALISATIONS);
        if (!sum) {
            json_object_set_new(lev, "status", json_string("missing"));
            json_object_set_new(lev, "cause", json_string(e.msg));
            json_array_append_new(levels, lev);
            continue;
        }
        nlif_rf_table_free(&rate);
        json_object_set_new(lev, "status", json_string("ok"));
        json_object_set_new(lev, "dt", nlif_json_number(nlif_vd_num(sum, "dt")));
        json_object_set_new(lev, "cpu_seconds", nlif_json_number(nlif_vd_num(sum, "cpu_seconds")));
        const json_t *own = json_object_get(sum, "mfe");
        double et = 0, es = 0, ct = NAN, cz = NAN; /* the worst MFE's error, and its mean's 95% half width */
        int n = 0;
        for (size_t q = 0; q < json_array_size(ref); q++) {
            const json_t *m = json_array_get(ref, q), *o = json_array_get(own, q);
            if (nlif_vd_num(m, "count") < reals)
                break;
            if (!o || nlif_vd_num(o, "count") < WP_MC_REALISATIONS) { /* a realisation without this MFE */
                n = 0;
                break;
            }
            double dt_ = fabs(nlif_vd_num(o, "t_mean") - nlif_vd_num(m, "t_mean"));
            double ds_ = fabs(nlif_vd_num(o, "size_mean") - nlif_vd_num(m, "size_mean"));
            if (!n || dt_ > et)
                et = dt_, ct = half_width(o, "t_ci95");
            if (!n || ds_ > es)
                es = ds_, cz = half_width(o, "size_ci95");
            n++;
        }
        json_object_set_new(lev, "err_mfe_t", nlif_json_number(n ? et : NAN));
        json_object_set_new(lev, "err_mfe_size", nlif_json_number(n ? es : NAN));
        json_object_set_new(lev, "err_mfe_t_ci95", nlif_json_number(n ? ct : NAN));
        json_object_set_new(lev, "err_mfe_size_ci95", nlif_json_number(n ? cz : NAN));
        json_object_set_new(lev, "mfe_compared", json_integer(n));
        json_decref(sum);
        json_array_append_new(levels, lev);
    }
    char refs[600];
    snprintf(refs, sizeof refs, "Monte Carlo means (%s, %.0f realisations of %.0f particles)", c->mc->path, reals,
             nlif_vd_num(c->mc->summary, "particles"));
    json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o}", "case", cs->name, "scheme", "mc", "refine", "particles",
                            "purpose", "work_precision", "reference", refs, "default_level", WP_MC_LEVELS - 1, "levels",
                            levels);
    json_object_set_new(rec, "measures", json_pack("[s, s]", "err_mfe_t", "err_mfe_size"));
    json_object_set_new(rec, "random", json_true());
    json_object_set_new(rec, "targets", json_pack("{s:o, s:o}", "err_mfe_t",
                                                  nlif_json_number(target(cs, "mfe_t_allow")),
                                                  "err_mfe_size",
                                                  nlif_json_number(target(cs, "mfe_size_allow"))));
    json_object_set_new(rec, "target_source", json_string("the case's mfe_t_allow, mfe_size_allow"));
    json_object_set_new(rec, "note", json_string("nlif mc, 8 realisations of 500, 2000, 8000 particles at the case's dt; "
                                                 "the default level is the largest"));
    nlif_verify_add_convergence(c->v, rec);
    json_decref(rec);
}

const nlif_check_type nlif_check_work_precision_mc = {
    .name = "work_precision_mc",
    .title = "(--full only; data, no verdict) Monte Carlo MFE errors vs CPU seconds over N_p, for the report",
    .always = 1,
    .per_case = 1,
    .plan = plan_mc,
    .judge = judge_mc,
};

const nlif_check_type nlif_check_work_precision = {
    .name = "work_precision",
    .title = "(--full only; data, no verdict) error vs CPU seconds over dv, dt halving together, for the report",
    .always = 1,
    /* the Monte Carlo data come with the case's own mfe_mc check (uses_mc is for stated checks) */
    .plan = plan,
    .judge = judge,
};
