/* work_precision.c — the work–precision data of `nlif verify --full` (no verdict: data for the
 * report's diagrams and its table of error and cost per scheme; MATHEMATICS.md §6, "Work and
 * precision").
 *
 * Every applicable scheme on every case with an error measure, Δv and Δt refined together (the
 * case's ratio Δt/Δv kept): the default steps times 4, 2 and 1 — where 4 Δv would
 * take V_R or V_F off the grid, the first of 5, 3, 2.5 that keeps them on it. The measure is the
 * case's:
 *   long-time rate  (the case states stationary_rate): |N_final − N_exact|, the exact stationary root
 *                   (MATHEMATICS.md §2), at each level;
 *   MFE             (the case states mfe_mc): max over the MFEs every Monte Carlo realisation has of
 *                   |t*_k − t̄*_k| and of |Δ_k − Δ̄_k| against the stored Monte Carlo means; (states
 *                   jump, no Monte Carlo data) |Δ_1 − Δ_exact| of the initial data; a run that stops
 *                   at a blow-up or misses an MFE has no error (its status is recorded);
 *   calm            (neither, no blow-up, no ε sweep): `nlif converge --refine vt` from 4 (else 2)
 *                   times the default steps down to the default, against the same scheme J = 2
 *                   halvings finer than the default (converge.c): L1 error of p(t_final) and
 *                   max-in-time error of N(t).
 * Each level's CPU seconds are the run's own. In --quick nothing is planned or recorded.
 * The target error of each measure, for the report's "cost to reach the target", is the case's own
 * bound where it states one (rate_tol; mfe_t_allow, mfe_size_allow; jump_tol), else 1e-3 (calm
 * measures of O(1) quantities: p and N). Against Monte Carlo the record also holds the largest
 * standard error of the Monte Carlo means compared ("reference_se"): errors below it are noise.
 * The records go into verdicts.json's "convergence" array with "purpose": "work_precision".
 *
 * Monte Carlo is a curve of its own on the MFE cases (check work_precision_mc, the "mc" column):
 * `nlif mc` with 8 realisations of N_p = 500, 2000, 8000 particles at the case's Δt, the MFE errors
 * of its means against the stored reference (100,000 particles, a smaller Δt) vs its CPU seconds.
 */
#include "nlif_check.h"

#include "../case/nlif_fresh.h"

#include "../../exact/nlif_exact.h"
#include "../case/nlif_case.h"
#include "../../io/nlif_results.h"
#include "../../io/nlif_resultfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Runs: factors 4, 2, 1 of the default steps. A level finer than the default would cost 4 to 8 times
 * the default run (8 for an explicit scheme under its diffusive CFL step: 40 s of CPU for explicit on
 * relax_excitatory), which verify --full cannot afford on every case; the report reads the cost to
 * reach a case's bound, which every scheme that passes the bound meets by the default level. */
#define WP_LEVELS 3
#define WP_DEFAULT_LEVEL 2

enum { WP_NONE = 0, WP_RATE, WP_MFE, WP_JUMP, WP_CALM };

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
    return WP_CALM;
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

/* The factor of level k on the default steps: 4 (or 5, 3, 2.5: the first on the grid), 2, 1. */
static double factor(const nlif_case *cs, int k)
{
    static const double coarsest[] = {4, 5, 3, 2.5};
    if (k > 0)
        return ldexp(1.0, WP_DEFAULT_LEVEL - k);
    for (int i = 0; i < 4; i++)
        if (on_grid(cs, coarsest[i]))
            return coarsest[i];
    return 4; /* the run is refused with the reason, and the level is recorded as missing */
}

/* Calm cases (a converge ladder of halvings): the coarsest level 4 or 2 times the default steps, the
 * largest that keeps V_R and V_F on the grid; the default is the finest level. */
static int calm_halvings(const nlif_case *cs)
{
    return on_grid(cs, 4) ? 2 : 1;
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
    for (int k = 0; k < WP_LEVELS; k++) {
        if (k == WP_DEFAULT_LEVEL)
            continue; /* the run at the default resolution is verify's own */
        snprintf(stem, sizeof stem, "%s.%s.wp%d", cs->name, st->name, k);
        nlif_verify_run_job(v, cs, st, stem,
                            &(nlif_run_args){.dv = cs->run.dv * factor(cs, k), .dt = cs->run.dt * factor(cs, k)});
    }
}

/* The errors of one run summary against the case's reference (NAN where it has none). */
static void level_errors(const nlif_check_ctx *c, int kind, const json_t *run, double exact, json_t *lev)
{
    const char *status = json_string_value(json_object_get(run, "status"));
    if (kind == WP_RATE) {
        double e = status && !strcmp(status, "ok") ? fabs(nlif_vd_num(run, "final_rate") - exact) : NAN;
        json_object_set_new(lev, "err_final_rate", nlif_json_number(e));
        return;
    }
    const json_t *mfe = json_object_get(run, "mfe");
    if (kind == WP_JUMP) {
        const json_t *first = json_array_get(mfe, 0);
        json_object_set_new(lev, "err_mfe_size", nlif_json_number(first ? fabs(nlif_vd_num(first, "size") - exact) : NAN));
        return;
    }
    /* WP_MFE: the complete Monte Carlo MFEs (every realisation has them) */
    const json_t *mcm = json_object_get(c->mc->summary, "mfe");
    double et = 0, es = 0, reals = nlif_vd_num(c->mc->summary, "realisations");
    int n = 0;
    for (size_t k = 0; k < json_array_size(mcm); k++) {
        const json_t *m = json_array_get(mcm, k);
        if (nlif_vd_num(m, "count") < reals)
            break;
        const json_t *e = json_array_get(mfe, k);
        if (!e || strcmp(status ? status : "", "ok")) {
            et = es = NAN;
            break;
        }
        et = fmax(et, fabs(nlif_vd_num(e, "t") - nlif_vd_num(m, "t_mean")));
        es = fmax(es, fabs(nlif_vd_num(e, "size") - nlif_vd_num(m, "size_mean")));
        n++;
    }
    json_object_set_new(lev, "err_mfe_t", nlif_json_number(n ? et : NAN));
    json_object_set_new(lev, "err_mfe_size", nlif_json_number(n ? es : NAN));
    json_object_set_new(lev, "mfe_compared", json_integer(n));
}

static void judge(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    int kind = kind_of(cs);
    if (!nlif_verify_full(c->v) || kind == WP_NONE)
        return;
    char stem[256], why[1200];
    if (kind == WP_CALM) {
        snprintf(stem, sizeof stem, "%s.%s.wp", cs->name, c->st->name);
        const nlif_job *j = nlif_verify_find_job(c->v, stem);
        char path[1400]; /* the study file, as the order checks read theirs (also for `nlif judge`) */
        nlif_converge_study_path(c->v, cs, c->st, "vt", path, sizeof path);
        json_t *conv = (j ? j->exit_code == 0 : nlif_verify_on_disk(c->v)) ? nlif_vd_load_study(path, why, sizeof why) : NULL;
        if (!conv)
            return; /* the report says which case and scheme have no work–precision data */
        json_object_set_new(conv, "purpose", json_string("work_precision"));
        json_object_set_new(conv, "default_level", json_integer(calm_halvings(cs)));
        json_object_set_new(conv, "measures", json_pack("[s, s]", "err_p", "err_rate"));
        json_object_set_new(conv, "targets", json_pack("{s:f, s:f}", "err_p", 1e-3, "err_rate", 1e-3));
        json_object_set_new(conv, "target_source", json_string("1e-3 (no bound stated by the case)"));
        nlif_verify_add_convergence(c->v, conv);
        json_decref(conv);
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
    for (int k = 0; k < WP_LEVELS; k++) {
        char path[1400];
        if (k == WP_DEFAULT_LEVEL)
            snprintf(path, sizeof path, "%s", c->runpath);
        else
            snprintf(path, sizeof path, "%s/%s.%s.wp%d.json", nlif_verify_dir(c->v, "runs"), cs->name, c->st->name, k);
        json_t *run = k == WP_DEFAULT_LEVEL ? json_incref((json_t *)c->run) : nlif_vd_load_run(path, why, sizeof why);
        json_t *lev = json_pack("{s:i, s:o, s:o, s:o}", "level", k, "h", nlif_json_number(cs->run.dv * factor(cs, k)), "dv",
                                nlif_json_number(cs->run.dv * factor(cs, k)), "dt", nlif_json_number(cs->run.dt * factor(cs, k)));
        if (run) {
            const char *status = json_string_value(json_object_get(run, "status"));
            json_object_set_new(lev, "status", json_string(status ? status : "?"));
            json_object_set_new(lev, "cpu_seconds", nlif_json_number(nlif_vd_num(run, "cpu_seconds")));
            if (status && strcmp(status, "ok"))
                json_object_set_new(lev, "stop_time", nlif_json_number(nlif_vd_num(run, "stop_time")));
            level_errors(c, kind, run, exact, lev);
            json_decref(run);
        } else {
            json_object_set_new(lev, "status", json_string("missing"));
            json_object_set_new(lev, "cause", json_string(why));
        }
        json_array_append_new(levels, lev);
    }
    json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o}", "case", cs->name, "scheme", c->st->name, "refine", "vt",
                            "purpose", "work_precision", "reference", ref, "default_level", WP_DEFAULT_LEVEL, "levels",
                            levels);
    json_object_set_new(rec, "measures", kind == WP_RATE  ? json_pack("[s]", "err_final_rate")
                                         : kind == WP_JUMP ? json_pack("[s]", "err_mfe_size")
                                                           : json_pack("[s, s]", "err_mfe_t", "err_mfe_size"));
    json_object_set_new(rec, "note",
                        json_string("dv and dt refined together (the case's dt/dv); levels 4x (or 5x, 3x, 2.5x: V_R and "
                                    "V_F on the grid), 2x and 1x (the default) the case's steps"));
    json_t *targets = json_object();
    if (kind == WP_RATE)
        json_object_set_new(targets, "err_final_rate", nlif_json_number(target(cs, "rate_tol")));
    else if (kind == WP_JUMP)
        json_object_set_new(targets, "err_mfe_size", nlif_json_number(target(cs, "jump_tol")));
    else {
        json_object_set_new(targets, "err_mfe_t", nlif_json_number(target(cs, "mfe_t_allow")));
        json_object_set_new(targets, "err_mfe_size",
                            nlif_json_number(target(cs, "mfe_size_allow")));
        double tse = 0, sse = 0, reals = nlif_vd_num(c->mc->summary, "realisations");
        const json_t *mcm = json_object_get(c->mc->summary, "mfe");
        for (size_t k = 0; k < json_array_size(mcm) && nlif_vd_num(json_array_get(mcm, k), "count") >= reals; k++)
            tse = fmax(tse, nlif_vd_num(json_array_get(mcm, k), "t_se")),
            sse = fmax(sse, nlif_vd_num(json_array_get(mcm, k), "size_se"));
        json_object_set_new(rec, "reference_se", json_pack("{s:o, s:o}", "err_mfe_t", nlif_json_number(tse), "err_mfe_size",
                                                           nlif_json_number(sse)));
    }
    json_object_set_new(rec, "targets", targets);
    json_object_set_new(rec, "target_source", json_string(kind == WP_RATE   ? "the case's rate_tol"
                                                          : kind == WP_JUMP ? "the case's jump_tol"
                                                                            : "the case's mfe_t_allow, mfe_size_allow"));
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
        double et = 0, es = 0;
        int n = 0;
        for (size_t q = 0; q < json_array_size(ref); q++) {
            const json_t *m = json_array_get(ref, q), *o = json_array_get(own, q);
            if (nlif_vd_num(m, "count") < reals)
                break;
            if (!o || nlif_vd_num(o, "count") < WP_MC_REALISATIONS) { /* a realisation without this MFE */
                n = 0;
                break;
            }
            et = fmax(et, fabs(nlif_vd_num(o, "t_mean") - nlif_vd_num(m, "t_mean")));
            es = fmax(es, fabs(nlif_vd_num(o, "size_mean") - nlif_vd_num(m, "size_mean")));
            n++;
        }
        json_object_set_new(lev, "err_mfe_t", nlif_json_number(n ? et : NAN));
        json_object_set_new(lev, "err_mfe_size", nlif_json_number(n ? es : NAN));
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
