/* orchestrate.c — plan and judge over the check registry (MATHEMATICS.md §6). The orchestrator knows
 * no check by name: the checks are type objects (harness/checks/nlif_check.h, one per file, a
 * registry).
 * 1. Plan (verify only). For each case of the selection and each scheme: either the capability it
 *    lacks that the case needs (nlif_scheme_not_applicable: one n.a. cell), or the run at the case's
 *    default resolution plus the jobs of every check the case states (or that is always judged) whose
 *    capabilities the scheme has: seeds of a random scheme, refinement ladders, the ε sweep. Checks
 *    of the Monte Carlo column ("mc") plan per case. The jobs run in verify_run.c.
 * 2. Judge what is on disk (verify and judge). A check the scheme lacks a capability for is n.a.,
 *    naming it; every other check judges from the result files under OUT against the case's bound,
 *    the same for every scheme: pass / FAIL with the measured figure, the bound and where it comes
 *    from. A stated check without a bound FAILs ("no bound"). --strict counts the n.a. of stated
 *    checks as failures. The job record (in memory for verify, OUT/jobs.json for judge) says which
 *    files a failed job left behind: they are not judged.
 * 3. The verdict record OUT/verdicts.json (io/nlif_verdicts.h) and JUnit XML (verify_junit.c); the
 *    table is the command's to print (cli/cmd_verify.c).
 */
#include "nlif_verify.h"

#include "../case/nlif_fresh.h"
#include "../checks/nlif_check.h"
#include "../host/nlif_solver_ext.h"
#include "../judge/judge_state.h"
#include "../../io/nlif_identity.h"
#include "../../io/nlif_results.h"
#include "../../io/nlif_verdicts.h"

#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* What each cell was judged from: the files the checks read (nlif_judged_note) since FROM are the
 * inputs of every cell written since cell FIRST; their identities go once into v->inputs. */

static void attach_inputs(nlif_verify *v, size_t first, int from)
{
    json_t *paths = json_array();
    for (int i = from; i < nlif_judged_mark(); i++) {
        const nlif_identity *id = nlif_judged_get(i);
        json_array_append_new(paths, json_string(id->path));
        if (!json_object_get(v->input_seen, id->path)) {
            json_object_set_new(v->input_seen, id->path, json_true());
            json_array_append_new(v->inputs, nlif_identity_json(id));
        }
    }
    for (size_t k = first; k < json_array_size(v->cells); k++) {
        json_t *c = json_array_get(v->cells, k);
        json_object_set(c, "inputs", paths);
        if (nlif_judged_overflow())
            json_object_set_new(c, "inputs_complete", json_false());
    }
    json_decref(paths);
}

/* Whether check ct applies to the case at all: always judged, or stated by the case. */
static int applies(const nlif_check_type *ct, const nlif_case *cs)
{
    return ct->always || nlif_case_states(cs, ct->name);
}

static void plan_pair(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    char stem[256];
    snprintf(stem, sizeof stem, "%s.%s", cs->name, st->name);
    nlif_verify_run_job(v, cs, st, stem, NULL);
    for (int i = 0; nlif_checks[i]; i++) {
        const nlif_check_type *ct = nlif_checks[i];
        if (!ct->per_case && ct->plan && applies(ct, cs) && !(ct->needs & ~st->flags))
            ct->plan(v, cs, st);
    }
}

int nlif_verify_plan(nlif_verify *v, nlif_error *err)
{
    if (nlif_verify_overrides_write(v, err) || nlif_verify_fresh_write(v, err))
        return err->code;
    for (int c = 0; c < v->n_cases; c++) {
        /* the Monte Carlo column has nothing for a fresh instance: stored data are the catalogue case's */
        int fresh = nlif_fresh_name(v->cases[c].name, NULL, 0);
        for (int i = 0; nlif_checks[i] && v->want_mc && !fresh; i++)
            if (nlif_checks[i]->per_case && nlif_checks[i]->plan && applies(nlif_checks[i], &v->cases[c]))
                nlif_checks[i]->plan(v, &v->cases[c], NULL);
        for (int s = 0; s < v->n_use; s++)
            if (v->pair[c][s] && !nlif_scheme_not_applicable(v->use[s], &v->cases[c]))
                plan_pair(v, &v->cases[c], v->use[s]);
    }
    return NLIF_OK;
}

/* The seconds of the cells from FIRST on (JUnit test case times, verdicts.json "seconds"): the wall
 * time spent judging them, shared; the status cell, which judges the run itself, adds the run's CPU. */
static void time_cells(nlif_verify *v, size_t first, double seconds, const json_t *run)
{
    size_t n = json_array_size(v->cells);
    for (size_t i = first; i < n; i++) {
        json_t *c = json_array_get(v->cells, i);
        double s = seconds / (double)(n - first);
        if (!strcmp(json_string_value(json_object_get(c, "check")), "status") && json_is_number(json_object_get(run, "cpu_seconds")))
            s += json_number_value(json_object_get(run, "cpu_seconds"));
        json_object_set_new(c, "seconds", json_real(s));
    }
}

/* The files noted before MC_END are the case's Monte Carlo data: inputs of the checks that read it. */
static void judge_pair(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st, const mc_data *mc, int mc_end)
{
    char stem[256], runpath[1400], path[1400], err_text[1200];
    nlif_judged_truncate(mc_end);
    size_t first = json_array_size(v->cells);
    snprintf(stem, sizeof stem, "%s.%s", cs->name, st->name);
    snprintf(runpath, sizeof runpath, "%s/%s.json", v->runs_dir, stem);
    const nlif_job *j = nlif_verify_find_job(v, stem);
    err_text[0] = '\0';
    /* a job that failed may leave an older result set behind: judge only what a finished job wrote
     * (or, without a job record, what is there) */
    int produced = j ? j->exit_code == 0 || j->exit_code == 3 : v->on_disk;
    json_t *run = produced ? nlif_vd_load_run(runpath, err_text, sizeof err_text) : NULL;
    if (!run) { /* a run that failed and wrote no result set: what it said (an external solver's FILE:LINE) */
        if (!err_text[0] || (j && j->exit_code != 0 && access(runpath, F_OK) != 0))
            nlif_verify_job_error(j, err_text, sizeof err_text);
        nlif_verdict(v, cs->name, st->name, "run", NLIF_FAIL, NAN, "the run completes", "", NULL, "%s", err_text);
        attach_inputs(v, first, mc_end);
        return;
    }
    int run_end = nlif_judged_mark();
    json_t *rec = json_pack("{s:s, s:s, s:s}", "case", cs->name, "scheme", st->name, "summary", runpath);
    snprintf(path, sizeof path, "%s/%s.series.csv", v->runs_dir, stem);
    json_object_set_new(rec, "series", json_string(path));
    snprintf(path, sizeof path, "%s/%s.snapshots.csv", v->runs_dir, stem);
    json_object_set_new(rec, "snapshots", json_string(path));
    static const char *const cpu[] = {"cpu_seconds", "calibration_seconds", NULL};
    for (int k = 0; cpu[k]; k++) /* what `nlif compare` and the JUnit file time it by */
        if (json_is_number(json_object_get(run, cpu[k])))
            json_object_set(rec, cpu[k], json_object_get(run, cpu[k]));
    json_array_append_new(v->runs, rec);
    nlif_choices_merge(v->choices, st->name, json_object_get(run, "choices"));
    nlif_check_ctx c = {.v = v, .cs = cs, .st = st, .run = run, .runpath = runpath, .mc = mc};
    for (int i = 0; nlif_checks[i]; i++) {
        const nlif_check_type *ct = nlif_checks[i];
        if (ct->per_case || !applies(ct, cs))
            continue;
        unsigned missing = ct->needs & ~st->flags;
        first = json_array_size(v->cells);
        if (missing) {
            char na[200];
            unsigned f = missing & -missing; /* the first missing capability */
            nlif_verdict_lacks(v, cs->name, st->name, ct->name, nlif_capability_name(f), runpath, "%s",
                               nlif_lacks(f, na, sizeof na));
        } else {
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            ct->judge(&c);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            time_cells(v, first, (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec), run);
        }
        /* a check that reads the Monte Carlo data was judged from it too */
        attach_inputs(v, first, ct->uses_mc ? 0 : mc_end);
        nlif_judged_truncate(run_end);
    }
    json_decref(run);
}

/* Whether any check the case states reads its stored Monte Carlo data. */
static int uses_mc(const nlif_case *cs)
{
    for (int i = 0; nlif_checks[i]; i++)
        if (nlif_checks[i]->uses_mc && nlif_case_states(cs, nlif_checks[i]->name))
            return 1;
    return 0;
}

static void judge(nlif_verify *v)
{
    for (int c = 0; c < v->n_cases; c++) {
        const nlif_case *cs = &v->cases[c];
        mc_data mc;
        char mc_why[1200] = "";
        nlif_judged_truncate(0);
        int have_mc = uses_mc(cs) && nlif_vd_load_mc_why(cs, &mc, mc_why, sizeof mc_why) == 0;
        if (!have_mc && !mc_why[0])
            snprintf(mc_why, sizeof mc_why, "missing");
        int mc_end = nlif_judged_mark();
        for (int s = 0; s < v->n_use; s++) {
            if (!v->pair[c][s])
                continue;
            const char *na = nlif_scheme_not_applicable(v->use[s], cs);
            char cap[32] = "";
            if (na && sscanf(na, "lacks capability %31[a-z0-9_]", cap) == 1)
                nlif_verdict_lacks(v, cs->name, v->use[s]->name, "applies", cap, NULL, "%s", na);
            else if (na)
                nlif_verdict(v, cs->name, v->use[s]->name, "applies", NLIF_NA, NAN, "",
                             "the case's needs / the scheme's capabilities", NULL, "%s", na);
            else
                judge_pair(v, cs, v->use[s], have_mc ? &mc : NULL, mc_end);
        }
        nlif_check_ctx cc = {.v = v, .cs = cs, .mc = have_mc ? &mc : NULL, .mc_why = mc_why};
        int fresh = nlif_fresh_name(cs->name, NULL, 0); /* no Monte Carlo column (nlif_verify_plan) */
        for (int i = 0; nlif_checks[i] && v->want_mc && !fresh; i++)
            if (nlif_checks[i]->per_case && applies(nlif_checks[i], cs)) {
                nlif_judged_truncate(mc_end);
                size_t first = json_array_size(v->cells);
                nlif_checks[i]->judge(&cc);
                attach_inputs(v, first, 0);
            }
        if (have_mc)
            nlif_vd_free_mc(&mc);
    }
}

int nlif_verify_judge(nlif_verify *v, const char *record, const char *junit, json_t **out, int *failed, nlif_error *err)
{
    struct timespec w0, w1;
    *out = NULL;
    *failed = 0;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    if (nlif_verify_load_known(v, err))
        return nlif_exit_code(err->code);
    judge(v);
    clock_gettime(CLOCK_MONOTONIC, &w1);
    v->wall += (w1.tv_sec - w0.tv_sec) + 1e-9 * (w1.tv_nsec - w0.tv_nsec);
    nlif_verdicts_summary s = {.mode = v->full ? "full" : "quick", .wall_seconds = v->wall, .known_failures = v->n_known_failed,
                               .stale_known_failures = v->n_stale, .jobs = v->n_jobs, .jobs_reused = v->n_reused};
    memcpy(s.count, v->count, sizeof s.count);
    /* what varies from run to run (times) is kept beside the cells and runs, not in them: two
     * verifications of one tree give identical cells and runs */
    json_t *seconds = json_array(), *cpu = json_array(), *c;
    size_t i;
    json_array_foreach(v->cells, i, c)
    {
        json_array_append(seconds, json_is_number(json_object_get(c, "seconds")) ? json_object_get(c, "seconds") : json_null());
        json_object_del(c, "seconds");
    }
    json_array_foreach(v->runs, i, c)
    {
        json_array_append_new(cpu, json_pack("{s:s, s:s, s:O?, s:O?}", "case", json_string_value(json_object_get(c, "case")), "scheme",
                                             json_string_value(json_object_get(c, "scheme")), "cpu_seconds",
                                             json_object_get(c, "cpu_seconds"), "calibration_seconds",
                                             json_object_get(c, "calibration_seconds")));
        json_object_del(c, "cpu_seconds");
        json_object_del(c, "calibration_seconds");
    }
    *out = nlif_verdicts_json(&s, v->cells, v->convergence, v->runs, v->choices, v->inputs);
    json_object_set_new(*out, "cell_seconds", seconds);
    json_object_set_new(*out, "cpu", cpu);
    json_t *iso = json_object(); /* the isolation line of each external solver, as verify printed it */
    char text[1200];
    for (int i = 0; i < v->n_use; i++)
        if (!nlif_solver_isolation(v->use[i], text, sizeof text))
            json_object_set_new(iso, v->use[i]->name, json_string(text));
    json_object_set_new(*out, "isolation", iso);
    json_t *hashes = json_object(); /* what tells a case edit from a solver's change (`nlif compare`) */
    for (int c = 0; c < v->n_cases; c++) {
        char h[NLIF_HASH_TEXT];
        nlif_case_hash(&v->cases[c], h);
        json_object_set_new(hashes, v->cases[c].name, h[0] ? json_string(h) : json_null());
    }
    json_object_set_new(*out, "case_hashes", hashes);
    nlif_verify_fresh_into(v, *out);
    nlif_verify_overrides_into(v, *out);
    int rc = record ? nlif_verdicts_write(record, *out, err) : NLIF_OK;
    if (!rc && junit) {
        char suite[64];
        snprintf(suite, sizeof suite, "nlif %s", v->command);
        rc = nlif_verify_junit(junit, suite, v->full ? "full" : "quick", v->cells, seconds, v->wall, err);
    }
    *failed = v->count[NLIF_FAIL] > v->n_known_failed || v->n_stale > 0;
    return rc ? nlif_exit_code(err->code) : 0;
}
