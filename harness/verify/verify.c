/* verify.c — `nlif verify`: every scheme on every case, every check judged (MATHEMATICS.md §6); and
 * the judging half that `nlif judge` (cmd_judge.c) shares.
 *
 * The orchestrator: it plans, runs, judges and prints, and knows no check by name. The checks are
 * type objects (harness/checks/nlif_check.h, one per file, a registry). Two halves, kept apart:
 * 1. Plan and run (verify only). For each case of the selection (--cases) and each scheme (--schemes):
 *    either the capability it lacks that the case needs (nlif_scheme_not_applicable: one n.a. cell),
 *    or the run at the case's default resolution plus the jobs of every check the case states (or
 *    that is always judged) whose capabilities the scheme has: seeds of a random scheme, refinement
 *    ladders, the ε sweep. Checks of the Monte Carlo column ("mc") plan per case. Jobs are child
 *    `nlif` processes, -j at a time: a crash is a verdict. What was planned and how every job ended
 *    is recorded in OUT/jobs.json (format: nlif_verify.h).
 * 2. Judge what is on disk (verify and judge). A check the scheme lacks a capability for is n.a.,
 *    naming it; every other check judges from the result files under OUT against the case's bound,
 *    the same for every scheme: pass / FAIL with the measured figure, the bound and where it comes
 *    from. A stated check without a bound FAILs ("no bound"). --strict counts the n.a. of stated
 *    checks as failures. The job record (in memory for verify, OUT/jobs.json for judge) says which
 *    files a failed job left behind: they are not judged.
 * 3. ci/known_failures: listed failures stay FAIL but do not fail the run; a listed one that passes
 *    is an error of its own.
 * 4. OUT/verdicts.json (format: nlif_verify.h), the verdict table on stdout (or the record with
 *    --json), JUnit XML with --junit; exit 1 if anything failed.
 */
#include "nlif_verify.h"

#include "../checks/nlif_check.h"
#include "../judge/verify_data.h"

#include "../../core/nlif_scheme.h"
#include "../case/nlif_case.h"
#include "../../cli/nlif_cli.h"
#include "../../io/nlif_identity.h"
#include "../runs/nlif_jobs.h"
#include "../../io/nlif_results.h"
#include "../runs/nlif_resume.h"

#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const verdict_name[] = {"pass", "FAIL", "n.a."};

#define MAX_JOBS 2048
#define MAX_KNOWN 128
#define MAX_SCHEMES 32

/* ci/known_failures: "case scheme check  reason" — a figure a scheme is known not to meet. Such a
 * cell stays FAIL in every table and report (with the reason); only unknown failures make verify
 * exit 1, and a known failure that passes is an error of its own (the list must not go stale). */
typedef struct known_failure {
    char cs[64], scheme[32], check[48], reason[400];
    int seen;
} known_failure;

struct nlif_verify {
    const char *command; /* "verify" or "judge", for messages */
    int full;
    known_failure known[MAX_KNOWN];
    int n_known, n_known_failed, n_stale, known_loaded;
    json_t *cells, *convergence, *runs, *choices;
    int n_reused; /* jobs --resume reused */
    json_t *inputs, *input_seen; /* the identity of every file judged from (nlif_identity.h), once each */
    int count[3];
    nlif_job *jobs;
    int n_jobs;
    int on_disk; /* judging files no job of this process wrote and no job record describes */
    int update_baselines;
    int strict;  /* --strict: an n.a. of a stated check (a capability the scheme lacks) is a failure */
    const char *why;
    const char *mc_args[8];  /* extra arguments of the live Monte Carlo runs (--mc-arg) */
    int n_mc_args;
    char out[1024], runs_dir[1100], converge_dir[1100], mc_dir[1100], logs_dir[1100];
    /* the selection: cases x schemes (pair[c][s]: judged), and the Monte Carlo column */
    nlif_case *cases;
    int n_cases;
    const nlif_scheme_type *use[MAX_SCHEMES];
    int n_use;
    unsigned char (*pair)[MAX_SCHEMES];
    int want_mc;
    double wall;
};
typedef struct nlif_verify verify_ctx;

/* ------------------------------------------------------------------------------------------------ */
/* Cells. */

static void vcell(verify_ctx *v, const char *cs, const char *scheme, const char *check, int verdict, double measured,
                  const char *bound, const char *source, const char *run, const char *fmt, va_list ap)
{
    char reason[1400] = "", runpath[1400];
    if (fmt)
        vsnprintf(reason, sizeof reason, fmt, ap);

    /* --strict: every n.a. but the regression baseline and the Monte Carlo data column counts. */
    if (v->strict && verdict == NLIF_NA && strcmp(check, "baseline") && strcmp(scheme, "mc")) {
        verdict = NLIF_FAIL;
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
        if (verdict == NLIF_FAIL) {
            known = 1;
            v->n_known_failed++;
            snprintf(reason + strlen(reason), sizeof reason - strlen(reason), " [known failure: %s]", kf->reason);
        } else if (verdict == NLIF_PASS) {
            v->n_stale++;
            snprintf(reason + strlen(reason), sizeof reason - strlen(reason),
                     " [listed in ci/known_failures but passes now: remove the line]");
        }
    }
    /* a reason or a path may carry a file name's bytes, a cut one half a character: the record is
     * JSON, UTF-8 only (json_pack refuses anything else, and the cell would be lost) */
    nlif_utf8_sanitize(reason);
    if (run) {
        snprintf(runpath, sizeof runpath, "%s", run);
        nlif_utf8_sanitize(runpath);
        run = runpath;
    }
    json_array_append_new(v->cells, json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:b}", "case", cs, "scheme",
                                              scheme, "check", check, "verdict", verdict_name[verdict], "measured",
                                              nlif_json_number(measured), "bound", bound ? bound : "", "source",
                                              source ? source : "", "reason", reason, "run",
                                              run ? json_string(run) : json_null(), "known_failure", known));
    /* what the cell was judged from: set by attach_inputs; none for a cell judged from no file */
    json_object_set_new(json_array_get(v->cells, json_array_size(v->cells) - 1), "inputs", json_array());
    v->count[verdict]++;
}


void nlif_verdict(nlif_verify *v, const char *cs, const char *scheme, const char *check, int verdict, double measured,
                  const char *bound, const char *source, const char *run, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vcell(v, cs, scheme, check, verdict, measured, bound, source, run, fmt, ap);
    va_end(ap);
}

void nlif_check_cell(const nlif_check_ctx *c, const char *check, int verdict, double measured, const char *bound,
                     const char *source, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vcell(c->v, c->cs->name, c->st ? c->st->name : "mc", check, verdict, measured, bound, source, c->runpath, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------------------------------------ */
/* Services to the checks (nlif_check.h). */

int nlif_verify_full(const nlif_verify *v)
{
    return v->full;
}

int nlif_verify_on_disk(const nlif_verify *v)
{
    return v->on_disk;
}

const char *nlif_verify_dir(const nlif_verify *v, const char *what)
{
    if (!strcmp(what, "runs"))
        return v->runs_dir;
    if (!strcmp(what, "converge"))
        return v->converge_dir;
    if (!strcmp(what, "mc"))
        return v->mc_dir;
    return v->logs_dir;
}

int nlif_verify_mc_args(const nlif_verify *v, const char *const **args)
{
    *args = v->mc_args;
    return v->n_mc_args;
}

void nlif_verify_add_convergence(nlif_verify *v, json_t *conv)
{
    json_array_append(v->convergence, conv);
}

const char *nlif_verify_update_why(const nlif_verify *v)
{
    return v->update_baselines ? (v->why ? v->why : "") : NULL;
}

/* A job of stem STEM in the table, its logs under OUT/logs (no process yet: exit code -1). */
static nlif_job *add_job(verify_ctx *v, const char *stem)
{
    if (v->n_jobs == MAX_JOBS || nlif_verify_find_job(v, stem))
        return NULL;
    nlif_job *j = &v->jobs[v->n_jobs++];
    memset(j, 0, sizeof *j);
    j->exit_code = -1;
    snprintf(j->label, sizeof j->label, "%s", stem);
    snprintf(j->stdout_path, sizeof j->stdout_path, "%s/%s.out", v->logs_dir, stem);
    snprintf(j->stderr_path, sizeof j->stderr_path, "%s/%s.err", v->logs_dir, stem);
    return j;
}

nlif_job *nlif_verify_job(nlif_verify *v, const char *label, const char *stem)
{
    (void)label; /* the stem names the job in progress lines and in OUT/jobs.json */
    return add_job(v, stem);
}

const nlif_job *nlif_verify_find_job(const nlif_verify *v, const char *stem)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/%s.out", v->logs_dir, stem);
    for (int i = 0; i < v->n_jobs; i++)
        if (!strcmp(v->jobs[i].stdout_path, path))
            return &v->jobs[i];
    return NULL;
}

void nlif_verify_job_error(const nlif_job *j, char *out, size_t len)
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

nlif_job *nlif_verify_run_job(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st, const char *stem)
{
    nlif_job *j = nlif_verify_job(v, st->name, stem);
    if (!j)
        return NULL;
    nlif_job_arg(j, "run");
    nlif_job_arg(j, "%s", cs->path);
    nlif_job_arg(j, "--scheme");
    nlif_job_arg(j, "%s", st->name);
    nlif_job_arg(j, "--out");
    nlif_job_arg(j, "%s", v->runs_dir);
    nlif_job_arg(j, "--stem");
    nlif_job_arg(j, "%s", stem);
    return j;
}

/* ------------------------------------------------------------------------------------------------ */
/* The state, the selection. */

nlif_verify *nlif_verify_new(const char *command, const char *out, int flat)
{
    verify_ctx *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->command = command;
    v->jobs = calloc(MAX_JOBS, sizeof *v->jobs);
    v->cases = calloc(NLIF_MAX_CASES, sizeof *v->cases);
    v->pair = calloc(NLIF_MAX_CASES, sizeof *v->pair);
    v->cells = json_array();
    v->convergence = json_array();
    v->runs = json_array();
    v->choices = json_object();
    v->inputs = json_array();
    v->input_seen = json_object();
    if (!v->jobs || !v->cases || !v->pair) {
        nlif_verify_free(v);
        return NULL;
    }
    snprintf(v->out, sizeof v->out, "%s", out);
    /* flat: a folder of result files written by any code (judge), everything in it */
    snprintf(v->runs_dir, sizeof v->runs_dir, "%s%s", out, flat ? "" : "/runs");
    snprintf(v->converge_dir, sizeof v->converge_dir, "%s%s", out, flat ? "" : "/converge");
    snprintf(v->mc_dir, sizeof v->mc_dir, "%s%s", out, flat ? "" : "/mc");
    snprintf(v->logs_dir, sizeof v->logs_dir, "%s/logs", out);
    return v;
}

void nlif_verify_free(nlif_verify *v)
{
    if (!v)
        return;
    json_decref(v->cells);
    json_decref(v->convergence);
    json_decref(v->runs);
    json_decref(v->choices);
    json_decref(v->inputs);
    json_decref(v->input_seen);
    free(v->jobs);
    free(v->cases);
    free(v->pair);
    free(v);
}

void nlif_verify_set_flags(nlif_verify *v, int full, int strict, int on_disk)
{
    v->full = full, v->strict = strict, v->on_disk = on_disk;
}

/* Whether entry E of a --cases list (a name, a glob, or tag:T) selects case cs. */
static int entry_matches(const char *e, const nlif_case *cs)
{
    if (!strncmp(e, "tag:", 4)) {
        for (int t = 0; t < cs->n_tags; t++)
            if (!strcmp(cs->tags[t], e + 4))
                return 1;
        return 0;
    }
    return fnmatch(e, cs->name, 0) == 0;
}

int nlif_verify_select_cases(nlif_verify *v, const nlif_case *cand, int n_cand, const char *list)
{
    char buf[2048], *save = NULL;
    snprintf(buf, sizeof buf, "%s", list && list[0] ? list : "*");
    char *entries[128];
    int n_e = 0;
    for (char *t = strtok_r(buf, ",", &save); t && n_e < 128; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        if (!*t)
            continue;
        if (!strcmp(t, "tag:")) {
            fprintf(stderr, "nlif %s: --cases: 'tag:' needs a tag name (nlif list shows the tags)\n", v->command);
            return NLIF_EXIT_USAGE;
        }
        entries[n_e++] = t;
    }
    if (!n_e) {
        fprintf(stderr, "nlif %s: --cases '%s': no entry (a name, a glob or tag:TAG, comma-separated)\n", v->command, list);
        return NLIF_EXIT_USAGE;
    }
    for (int e = 0; e < n_e; e++) {
        int hits = 0;
        for (int c = 0; c < n_cand; c++)
            hits += entry_matches(entries[e], &cand[c]);
        if (!hits) {
            fprintf(stderr, "nlif %s: --cases: '%s' matches no case%s (a name, a glob or tag:TAG; nlif list shows the "
                            "cases and their tags)\n", v->command, entries[e], v->on_disk ? " on disk" : " of the catalogue");
            return NLIF_EXIT_USAGE;
        }
    }
    v->n_cases = 0;
    for (int c = 0; c < n_cand && v->n_cases < NLIF_MAX_CASES; c++) {
        int want = 0;
        for (int e = 0; e < n_e && !want; e++)
            want = entry_matches(entries[e], &cand[c]);
        if (want)
            v->cases[v->n_cases++] = cand[c];
    }
    return 0;
}

/* Whether the comma-separated LIST names NAME. */
static int list_has(const char *list, const char *name)
{
    char buf[512], *save = NULL;
    snprintf(buf, sizeof buf, "%s", list);
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (!strcmp(t, name))
            return 1;
    return 0;
}

int nlif_verify_select_schemes(nlif_verify *v, const char *list)
{
    v->n_use = 0;
    v->want_mc = !list || list_has(list, "mc");
    if (list) {
        char buf[512], *save = NULL;
        snprintf(buf, sizeof buf, "%s", list);
        for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
            if (strcmp(t, "mc") && !nlif_scheme_find(t)) {
                fprintf(stderr, "nlif %s: unknown scheme '%s' (nlif list shows the registered schemes)\n", v->command, t);
                return NLIF_EXIT_USAGE;
            }
    }
    for (int s = 0; nlif_schemes[s] && v->n_use < MAX_SCHEMES; s++)
        if (!list || list_has(list, nlif_schemes[s]->name))
            v->use[v->n_use++] = nlif_schemes[s];
    return 0;
}

void nlif_verify_set_mc(nlif_verify *v, int want_mc)
{
    v->want_mc = want_mc;
}

int nlif_verify_want_mc(const nlif_verify *v)
{
    return v->want_mc;
}

void nlif_verify_mark_pair(nlif_verify *v, const char *cs, const char *scheme)
{
    for (int c = 0; c < v->n_cases; c++)
        for (int s = 0; s < v->n_use; s++)
            if ((!cs || !strcmp(v->cases[c].name, cs)) && (!scheme || !strcmp(v->use[s]->name, scheme)))
                v->pair[c][s] = 1;
}

/* What each cell was judged from: the files the checks read (nlif_judged_note) since FROM are the
 * inputs of every cell written since cell FIRST; their identities go once into v->inputs. */

static void attach_inputs(verify_ctx *v, size_t first, int from)
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

/* ------------------------------------------------------------------------------------------------ */
/* Plan and run (verify). */

/* Whether check ct applies to the case at all: always judged, or stated by the case. */
static int applies(const nlif_check_type *ct, const nlif_case *cs)
{
    return ct->always || nlif_case_states(cs, ct->name);
}

static void plan_pair(verify_ctx *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    char stem[256];
    snprintf(stem, sizeof stem, "%s.%s", cs->name, st->name);
    nlif_verify_run_job(v, cs, st, stem);
    for (int i = 0; nlif_checks[i]; i++) {
        const nlif_check_type *ct = nlif_checks[i];
        if (!ct->per_case && ct->plan && applies(ct, cs) && !(ct->needs & ~st->flags))
            ct->plan(v, cs, st);
    }
}

static void plan(verify_ctx *v)
{
    for (int c = 0; c < v->n_cases; c++) {
        for (int i = 0; nlif_checks[i] && v->want_mc; i++)
            if (nlif_checks[i]->per_case && nlif_checks[i]->plan && applies(nlif_checks[i], &v->cases[c]))
                nlif_checks[i]->plan(v, &v->cases[c], NULL);
        for (int s = 0; s < v->n_use; s++)
            if (v->pair[c][s] && !nlif_scheme_not_applicable(v->use[s], &v->cases[c]))
                plan_pair(v, &v->cases[c], v->use[s]);
    }
}

/* The stem of a job: its stdout log's name without the folder and ".out". */
static const char *job_stem(const nlif_job *j, char *out, size_t len)
{
    const char *b = strrchr(j->stdout_path, '/');
    b = b ? b + 1 : j->stdout_path;
    size_t n = strlen(b);
    snprintf(out, len, "%.*s", (int)(n > 4 ? n - 4 : n), b);
    return out;
}

/* OUT/jobs.json: what was planned and how every job ended (format: nlif_verify.h). */
static int write_plan(const verify_ctx *v, nlif_error *err)
{
    json_t *cases = json_array(), *schemes = json_array(), *jobs = json_array();
    for (int c = 0; c < v->n_cases; c++)
        json_array_append_new(cases, json_string(v->cases[c].name));
    for (int s = 0; s < v->n_use; s++)
        json_array_append_new(schemes, json_string(v->use[s]->name));
    for (int i = 0; i < v->n_jobs; i++) {
        char stem[300];
        json_array_append_new(jobs, json_pack("{s:s, s:s, s:i, s:f}", "stem", job_stem(&v->jobs[i], stem, sizeof stem),
                                              "command", v->jobs[i].argc ? v->jobs[i].argv[0] : "", "exit_code",
                                              v->jobs[i].exit_code, "wall_seconds", v->jobs[i].wall_seconds));
    }
    json_t *p = json_pack("{s:s, s:i, s:o, s:s, s:o, s:o, s:b, s:o}", "format", "nlif-verify-jobs", "format_version", 1,
                          "provenance", nlif_provenance_json(), "mode", v->full ? "full" : "quick", "cases", cases,
                          "schemes", schemes, "mc_column", v->want_mc, "jobs", jobs);
    char path[1200];
    snprintf(path, sizeof path, "%s/jobs.json", v->out);
    int rc = nlif_write_json(path, p, err);
    json_decref(p);
    return rc;
}

int nlif_verify_load_plan(nlif_verify *v, const char *path, char names[][NLIF_NAME_MAX], int *n_names, char *schemes,
                          size_t schemes_len, nlif_error *err)
{
    json_error_t je;
    json_t *p = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!p)
        return nlif_fail(err, NLIF_EINVAL, "%s:%d: %s", path, je.line, je.text);
    int rc = NLIF_OK;
    const json_t *cases = json_object_get(p, "cases"), *sch = json_object_get(p, "schemes"), *jobs = json_object_get(p, "jobs");
    const char *fmt = json_string_value(json_object_get(p, "format")), *mode = json_string_value(json_object_get(p, "mode"));
    if (!fmt || strcmp(fmt, "nlif-verify-jobs") || json_integer_value(json_object_get(p, "format_version")) != 1 ||
        !json_is_array(cases) || !json_is_array(sch) || !json_is_array(jobs) || !mode ||
        !json_is_boolean(json_object_get(p, "mc_column"))) {
        rc = nlif_fail(err, NLIF_EINVAL, "%s:1: not a verify job record of format version 1 (format \"nlif-verify-jobs\", "
                                         "mode, cases, schemes, mc_column, jobs: nlif_verify.h)", path);
        goto done;
    }
    v->full = !strcmp(mode, "full");
    v->want_mc = json_is_true(json_object_get(p, "mc_column"));
    *n_names = 0;
    size_t i;
    const json_t *x;
    json_array_foreach(cases, i, x)
    {
        const char *n = json_string_value(x);
        if (!n || !n[0] || strlen(n) >= NLIF_NAME_MAX || *n_names == NLIF_MAX_CASES) {
            rc = nlif_fail(err, NLIF_EINVAL, "%s:1: cases[%zu]: not a case name (or more than %d cases)", path, i, NLIF_MAX_CASES);
            goto done;
        }
        snprintf(names[(*n_names)++], NLIF_NAME_MAX, "%s", n);
    }
    schemes[0] = '\0';
    json_array_foreach(sch, i, x)
    {
        const char *n = json_string_value(x);
        if (!n || !n[0] || strchr(n, ',')) {
            rc = nlif_fail(err, NLIF_EINVAL, "%s:1: schemes[%zu]: not a scheme name", path, i);
            goto done;
        }
        snprintf(schemes + strlen(schemes), schemes_len - strlen(schemes), "%s%s", schemes[0] ? "," : "", n);
    }
    json_array_foreach(jobs, i, x)
    {
        const char *stem = json_string_value(json_object_get(x, "stem"));
        const json_t *code = json_object_get(x, "exit_code");
        if (!stem || !stem[0] || strchr(stem, '/') || !json_is_integer(code)) {
            rc = nlif_fail(err, NLIF_EINVAL, "%s:1: jobs[%zu]: needs a stem (no '/') and an integer exit_code", path, i);
            goto done;
        }
        nlif_job *j = add_job(v, stem);
        if (!j) {
            rc = nlif_fail(err, NLIF_EINVAL, "%s:1: jobs[%zu]: stem %s twice, or more than %d jobs", path, i, stem, MAX_JOBS);
            goto done;
        }
        j->exit_code = (int)json_integer_value(code);
        j->wall_seconds = nlif_vd_num(x, "wall_seconds");
    }
done:
    json_decref(p);
    return rc;
}

/* ------------------------------------------------------------------------------------------------ */
/* Judge what is on disk (verify and judge). */

/* The files noted before MC_END are the case's Monte Carlo data: inputs of the checks that read it. */
static void judge_pair(verify_ctx *v, const nlif_case *cs, const nlif_scheme_type *st, const mc_data *mc, int mc_end)
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
            nlif_verdict(v, cs->name, st->name, ct->name, NLIF_NA, NAN, "", "", runpath, "%s", nlif_lacks(f, na, sizeof na));
        } else
            ct->judge(&c);
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

static void judge(verify_ctx *v)
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
            if (na)
                nlif_verdict(v, cs->name, v->use[s]->name, "applies", NLIF_NA, NAN, "",
                             "the case's needs / the scheme's capabilities", NULL, "%s", na);
            else
                judge_pair(v, cs, v->use[s], have_mc ? &mc : NULL, mc_end);
        }
        nlif_check_ctx cc = {.v = v, .cs = cs, .mc = have_mc ? &mc : NULL, .mc_why = mc_why};
        for (int i = 0; nlif_checks[i] && v->want_mc; i++)
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

static int load_known(verify_ctx *v, nlif_error *err)
{
    if (v->known_loaded++)
        return NLIF_OK;
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
/* Output: the record, the table (JUnit XML: verify_junit.c). */

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void print_table(const verify_ctx *v, const char *record)
{
    printf("%-22s %-11s %-22s %-5s %-12s %s\n", "case", "scheme", "check", "", "measured", "bound / reason");
    size_t i;
    json_t *c;
    json_array_foreach(v->cells, i, c)
    {
        double m = nlif_vd_num(c, "measured");
        char mtext[32] = "";
        if (isfinite(m))
            snprintf(mtext, sizeof mtext, "%.4g", m);
        const char *bound = str(c, "bound"), *reason = str(c, "reason");
        printf("%-22s %-11s %-22s %-5s %-12s %s%s%s\n", str(c, "case"), str(c, "scheme"), str(c, "check"), str(c, "verdict"),
               mtext, bound, bound[0] && reason[0] ? " — " : "", reason);
    }
    printf("\n%s (%s): %d pass, %d FAIL (%d of them known: ci/known_failures), %d n.a. — %d jobs, %.1f s wall; "
           "verdicts: %s\n",
           v->command, v->full ? "full" : "quick", v->count[NLIF_PASS], v->count[NLIF_FAIL], v->n_known_failed,
           v->count[NLIF_NA], v->n_jobs, v->wall, record ? record : "(not written)");
    if (v->n_stale)
        printf("%s: %d known failure(s) pass now: remove them from ci/known_failures\n", v->command, v->n_stale);
    /* The closing line CI reads: failures that are not listed as known, n.a. cells as skipped. */
    printf("%s: %d passed, %d failed, %d skipped\n", v->command, v->count[NLIF_PASS],
           v->count[NLIF_FAIL] - v->n_known_failed + v->n_stale, v->count[NLIF_NA]);
}

int nlif_verify_judge_and_report(nlif_verify *v, const char *record, int json, const char *junit)
{
    nlif_error err = {0};
    struct timespec w0, w1;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    if (load_known(v, &err))
        return nlif_cli_report(v->command, &err);
    judge(v);
    clock_gettime(CLOCK_MONOTONIC, &w1);
    v->wall += (w1.tv_sec - w0.tv_sec) + 1e-9 * (w1.tv_nsec - w0.tv_nsec);
    json_t *out = json_pack("{s:o, s:s, s:f, s:{s:i, s:i, s:i, s:i, s:i}, s:O, s:O, s:O, s:O, s:i}", "provenance",
                            nlif_provenance_json(), "mode", v->full ? "full" : "quick", "wall_seconds", v->wall, "summary",
                            "pass", v->count[NLIF_PASS], "fail", v->count[NLIF_FAIL], "na", v->count[NLIF_NA], "known_failures",
                            v->n_known_failed, "stale_known_failures", v->n_stale, "cells", v->cells, "convergence",
                            v->convergence, "runs", v->runs, "choices", v->choices, "jobs", v->n_jobs);
    json_object_set_new(out, "jobs_reused", json_integer(v->n_reused));
    json_object_set(out, "inputs", v->inputs);
    int rc = record ? nlif_write_json(record, out, &err) : NLIF_OK;
    if (!rc && junit) {
        char suite[64];
        snprintf(suite, sizeof suite, "nlif %s", v->command);
        rc = nlif_verify_junit(junit, suite, v->full ? "full" : "quick", v->cells, v->wall, &err);
    }
    if (json) {
        json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        putchar('\n');
    } else
        print_table(v, record);
    int failed = v->count[NLIF_FAIL] > v->n_known_failed || v->n_stale > 0;
    json_decref(out);
    if (rc)
        return nlif_cli_report(v->command, &err);
    return failed ? NLIF_EXIT_VERIFY : 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* The command. */

void nlif_verify_print_checks(FILE *f)
{
    for (int i = 0; nlif_checks[i]; i++) {
        const nlif_check_type *ct = nlif_checks[i];
        char caps[160] = "";
        for (unsigned fl = 1; fl; fl <<= 1)
            if ((ct->needs & fl) && nlif_capability_name(fl))
                snprintf(caps + strlen(caps), sizeof caps - strlen(caps), "%s%s", caps[0] ? ", " : "; needs ",
                         nlif_capability_name(fl));
        fprintf(f, "  %-16s %s%s%s%s\n", ct->name, ct->always ? "(always) " : "", ct->per_case ? "(Monte Carlo column) " : "",
                ct->title, caps);
    }
}

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif verify [--quick|--full] [--cases LIST] [--schemes LIST] [-j N] [--out DIR] [--json]\n"
               "                   [--junit FILE] [--strict] [--update-baselines --why TEXT] [--mc-arg ARG]... [--resume]\n\n"
               "Run every case of the catalogue (default) through every scheme (comma-separated LIST, default all\n"
               "registered; 'mc' names the Monte Carlo reference column), judge every check the case\n"
               "states (cases/README.md, [expect]) plus mass, positivity, status and the regression\n"
               "baseline (ci/baselines/), print the verdict table (case x scheme x check: pass / FAIL /\n"
               "n.a. with the measured figure and the bound), write DIR/verdicts.json, DIR/jobs.json (the jobs\n"
               "and how they ended) and the result files of every run, and exit 1 if any check failed.\n"
               "--cases LIST: comma-separated case names, globs (fnmatch: 'periodic_*') and tags ('tag:relax');\n"
               "a case matching any entry is run; an entry that matches no case is an error (exit 2).\n"
               "Every bound is the case's, the same for every scheme (MATHEMATICS.md 6): a stated check\n"
               "without a bound FAILs ('no bound'); a check is n.a. only for a capability the scheme does\n"
               "not declare (nlif list shows them), and the cell names it. --strict counts those n.a.\n"
               "cells as failures too (for a solver meant to do all of it).\n"
               "--quick (default) uses 4-level ladders and every other epsilon; --full the case's own\n"
               "ladders and the work-precision ladders (check work_precision: data for the report, no\n"
               "verdict). -j N runs N jobs at once (1 to 64; default: the number of processors).\n"
               "--out DIR: everything verify writes goes under DIR (runs/, converge/, mc/, logs/, plan.json and\n"
               "journal.jsonl (--resume), jobs.json,\n"
               "verdicts.json, the lock; default results/verify); two verify runs in two folders never meet.\n"
               "--junit FILE: JUnit XML for CI, one testcase per cell (classname CASE.SCHEME, name CHECK):\n"
               "FAIL a <failure> 'measured M, bound B: reason' (type known_failure, and the message says so,\n"
               "for a failure listed in ci/known_failures), n.a. <skipped> with the reason.\n"
               "--json prints the verdict record instead of the table. Progress: one line per finished job on\n"
               "stderr ('[k/n] STEM: COMMAND, S s, exit E'), or a single updating line when stderr is a terminal.\n"
               "--update-baselines rewrites ci/baselines from this run and records --why. --mc-arg passes ARG\n"
               "to the live Monte Carlo runs (check mc_stationary).\n"
               "ci/known_failures lists figures a scheme is known not to meet ('case scheme check reason'):\n"
               "they stay FAIL in the table and the report, but only other failures (or a listed one that\n"
               "passes now) make verify exit 1.\n"
               "DIR is locked while verify writes it: a second verify there exits 2 at once,\n"
               "naming the pid. SIGINT/SIGTERM end the running jobs first; the jobs also end when verify\n"
               "is killed outright. `nlif judge DIR` judges the folder again without running anything.\n"
               "Every cell records the files it was judged from, and verdicts.json their identities (path,\n"
               "run id, FNV-1a 64 hash of the content): nlif report refuses a verdict whose file changed.\n"
               "--resume finishes an interrupted verify of the folder: verify writes DIR/plan.json at its\n"
               "start (program commit and executable hash, mode, every case file's hash, every job's\n"
               "arguments) and appends each finished job to DIR/journal.jsonl with the identity of every\n"
               "file it wrote. --resume refuses another plan (exit 2, naming the difference: run without\n"
               "--resume to start over), reuses every job whose files are as the journal recorded, runs the\n"
               "others and judges everything again: the verdicts of an uninterrupted run. Without a plan in\n"
               "the folder it runs everything.\n"
               "Over MPI (mpirun -np K bin/nlif-mpi verify ...): every process plans the same jobs and takes\n"
               "the next one no process has taken yet, -j at a time (default: this machine's processors\n"
               "shared among its processes of the job); rank 0 locks the folder, judges and writes the\n"
               "same verdicts as one process. The processes need one shared file system (the folder is\n"
               "checked); a process that dies ends every process, and no verdict file is written. Only\n"
               "rank 0 keeps the journal, and --resume is for one process.\n\n"
               "The checks (harness/checks/; a case states the others in expect.checks):\n");
    nlif_verify_print_checks(f);
}

int nlif_cmd_verify(int argc, char **argv)
{
    const char *pattern = NULL, *schemes = NULL, *out_dir = NLIF_VERIFY_OUT, *junit = NULL, *why = NULL;
    const char *mc_args[8];
    int json = 0, resume = 0, full = 0, strict = 0, update = 0, n_mc_args = 0;
    long jobs_at_once = sysconf(_SC_NPROCESSORS_ONLN);
    if (nlif_jobs_world) /* the processes of an MPI run on one machine share its processors */
        jobs_at_once = jobs_at_once / nlif_jobs_world->local_size > 1 ? jobs_at_once / nlif_jobs_world->local_size : 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (nlif_cli_is_help(a)) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--quick"))
            full = 0;
        else if (!strcmp(a, "--full"))
            full = 1;
        else if (!strcmp(a, "--json"))
            json = 1;
        else if (!strcmp(a, "--strict"))
            strict = 1;
        else if (!strcmp(a, "--resume"))
            resume = 1;
        else if (!strcmp(a, "--cases") && next)
            pattern = argv[++i];
        else if (!strcmp(a, "--schemes") && next)
            schemes = argv[++i];
        else if ((!strcmp(a, "--out") || !strcmp(a, "--junit")) && next) {
            if (!next[0]) {
                fprintf(stderr, "nlif verify: %s needs a non-empty value\n", a);
                return NLIF_EXIT_USAGE;
            }
            *(!strcmp(a, "--out") ? &out_dir : &junit) = argv[++i];
        } else if (!strcmp(a, "-j") && next) {
            if (nlif_cli_long("verify", "-j", argv[++i], &jobs_at_once))
                return NLIF_EXIT_USAGE;
            if (jobs_at_once < 1 || jobs_at_once > 64) {
                fprintf(stderr, "nlif verify: -j %ld: need 1 to 64 jobs at once\n", jobs_at_once);
                return NLIF_EXIT_USAGE;
            }
        } else if (!strcmp(a, "--update-baselines"))
            update = 1;
        else if (!strcmp(a, "--why") && next)
            why = argv[++i];
        else if (!strcmp(a, "--mc-arg") && next && n_mc_args < 8)
            mc_args[n_mc_args++] = argv[++i];
        else {
            fprintf(stderr, "nlif verify: unexpected argument '%s'\n", a);
            usage(stderr);
            return NLIF_EXIT_USAGE;
        }
    }
    if (update && (!why || !why[0])) {
        fprintf(stderr, "nlif verify: --update-baselines needs --why TEXT (recorded in every baseline file)\n");
        return NLIF_EXIT_USAGE;
    }
    if (strlen(out_dir) > 900) {
        fprintf(stderr, "nlif verify: --out: the folder name is longer than 900 characters\n");
        return NLIF_EXIT_USAGE;
    }
    verify_ctx *v = nlif_verify_new("verify", out_dir, 0);
    if (!v)
        return nlif_cli_report("verify", &(nlif_error){NLIF_ENOMEM, "verify state"});
    nlif_verify_set_flags(v, full, strict, 0);
    v->update_baselines = update, v->why = why;
    for (int i = 0; i < n_mc_args; i++)
        v->mc_args[v->n_mc_args++] = mc_args[i];
    int rc = nlif_verify_select_schemes(v, schemes);
    nlif_error err = {0};
    /* Cases: the catalogue, every case loaded (tags), then selected. */
    static char names[NLIF_MAX_CASES][NLIF_NAME_MAX];
    nlif_case *all = calloc(NLIF_MAX_CASES, sizeof *all);
    int n_names = 0;
    if (!rc && !all)
        rc = nlif_cli_report("verify", &(nlif_error){NLIF_ENOMEM, "case table"});
    if (!rc && nlif_catalogue(names, NLIF_MAX_CASES, &n_names, &err))
        rc = nlif_cli_report("verify", &err);
    for (int i = 0; !rc && i < n_names; i++) {
        if (nlif_case_load(&all[i], names[i], NULL, 0, &err))
            rc = nlif_cli_report("verify", &err);
        /* children get the absolute path of the case file */
        snprintf(all[i].path, sizeof all[i].path, "%s/cases/%s.ini", nlif_root(), names[i]);
    }
    if (!rc)
        rc = nlif_verify_select_cases(v, all, n_names, pattern);
    free(all);
    if (!rc)
        nlif_verify_mark_pair(v, NULL, NULL);
    /* Over MPI (bin/nlif-mpi; nlif_jobs.h): rank 0 prepares and locks the folder, keeps the journal,
     * judges and writes; every process runs a share of the jobs. */
    const nlif_jobs_comm *world = nlif_jobs_world;
    int lead = !world || world->rank == 0;
    if (!rc && world && resume) {
        fprintf(stderr, "nlif verify: --resume is for one process, not over MPI (run bin/nlif verify --resume)\n");
        rc = NLIF_EXIT_USAGE;
    }
    char sub[1200];
    static const char *const subdirs[] = {"logs", "runs", "converge", "mc", NULL};
    if (!rc && lead && (nlif_mkdir_p(out_dir, &err) || nlif_dir_lock(out_dir, "nlif verify", &err)))
        rc = nlif_cli_report("verify", &err);
    for (int i = 0; !rc && lead && subdirs[i]; i++) {
        snprintf(sub, sizeof sub, "%s/%s", out_dir, subdirs[i]);
        if (nlif_mkdir_p(sub, &err))
            rc = nlif_cli_report("verify", &err);
    }
    /* a malformed ci/known_failures is refused before anything runs */
    if (!rc && lead && load_known(v, &err))
        rc = nlif_cli_report("verify", &err);
    if (world && (rc = nlif_jobs_world_join(world, out_dir, rc, &err)) && err.code)
        nlif_cli_report("verify", &err);
    if (rc) {
        nlif_verify_free(v);
        return rc;
    }
    struct timespec w0, w1;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    plan(v);
    /* The plan and the journal of finished jobs (nlif_resume.h): --resume reuses what an interrupted
     * verify of the same plan finished. */
    const char *case_paths[NLIF_MAX_CASES];
    for (int c = 0; c < v->n_cases; c++)
        case_paths[c] = v->cases[c].path;
    json_t *plan_rec = nlif_plan_json(v->full ? "full" : "quick", case_paths, v->n_cases, v->jobs, v->n_jobs);
    nlif_journal journal = {.fd = -1};
    int no_plan = 0;
    int jrc = lead ? nlif_journal_open(&journal, out_dir, plan_rec, resume, v->jobs, v->n_jobs, &v->n_reused, &no_plan, &err) : 0;
    json_decref(plan_rec);
    if (jrc) {
        nlif_verify_free(v);
        return nlif_cli_report("verify", &err);
    }
    if (resume && no_plan)
        fprintf(stderr, "nlif verify: --resume: no plan in %s (nothing to resume): every job runs\n", out_dir);
    else if (resume)
        fprintf(stderr, "nlif verify: --resume: %d of %d jobs reused, %d to run\n", v->n_reused, v->n_jobs,
                v->n_jobs - v->n_reused);
    int progress = isatty(2) ? NLIF_PROGRESS_TERMINAL : NLIF_PROGRESS_LINES;
    if (!world)
        nlif_jobs_run_each(v->jobs, v->n_jobs, (int)jobs_at_once, progress, nlif_journal_job_done, &journal);
    else if (nlif_jobs_run_shared(v->jobs, v->n_jobs, (int)jobs_at_once, lead ? progress : NLIF_PROGRESS_NONE, world, out_dir,
                                  lead ? nlif_journal_job_done : NULL, &journal, &err)) {
        nlif_journal_close(&journal);
        nlif_verify_free(v);
        return nlif_cli_report("verify", &err);
    }
    nlif_journal_close(&journal);
    if (!lead) { /* rank 0 judges from the shared folder */
        nlif_verify_free(v);
        return 0;
    }
    clock_gettime(CLOCK_MONOTONIC, &w1);
    v->wall = (w1.tv_sec - w0.tv_sec) + 1e-9 * (w1.tv_nsec - w0.tv_nsec);
    if (write_plan(v, &err)) {
        nlif_verify_free(v);
        return nlif_cli_report("verify", &err);
    }
    char record[1200];
    snprintf(record, sizeof record, "%s/verdicts.json", out_dir);
    rc = nlif_verify_judge_and_report(v, record, json, junit);
    nlif_verify_free(v);
    return rc;
}
