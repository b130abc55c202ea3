/* verify.c — `nlif verify`: every scheme on every case, every check judged (MATHEMATICS.md §6).
 *
 * The orchestrator: it plans, runs, judges and prints, and knows no check by name. The checks are
 * type objects (harness/checks/nlif_check.h, one per file, a registry).
 * 1. Plan. For each case of the catalogue (filtered) and each scheme of the registry (filtered):
 *    either the capability it lacks that the case needs (nlif_scheme_not_applicable: one n.a. cell),
 *    or the run at the case's default resolution plus the jobs of every check the case states (or
 *    that is always judged) whose capabilities the scheme has: seeds of a random scheme, refinement
 *    ladders, the ε sweep. Checks of the Monte Carlo column ("mc") plan per case. Jobs are child
 *    `nlif` processes, -j at a time: a crash is a verdict.
 * 2. Judge. A check the scheme lacks a capability for is n.a., naming it; every other check judges
 *    from the result files against the case's bound, the same for every scheme: pass / FAIL with the
 *    measured figure, the bound and where it comes from. A stated check without a bound FAILs
 *    ("no bound"). --strict counts the n.a. of stated checks as failures.
 * 3. ci/known_failures: listed failures stay FAIL but do not fail the run; a listed one that passes
 *    is an error of its own.
 * 4. results/verify/verdicts.json (format: nlif_verify.h), the verdict table on stdout; exit 1 if
 *    anything failed.
 */
#include "nlif_verify.h"

#include "checks/nlif_check.h"
#include "verify_data.h"

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

static const char *const verdict_name[] = {"pass", "FAIL", "n.a."};

#define MAX_JOBS 2048
#define OUT NLIF_VERIFY_OUT

#define MAX_KNOWN 128

/* ci/known_failures: "case scheme check  reason" — a figure a scheme is known not to meet. Such a
 * cell stays FAIL in every table and report (with the reason); only unknown failures make verify
 * exit 1, and a known failure that passes is an error of its own (the list must not go stale). */
typedef struct known_failure {
    char cs[64], scheme[32], check[48], reason[400];
    int seen;
} known_failure;

struct nlif_verify {
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
};
typedef struct nlif_verify verify_ctx;

/* ------------------------------------------------------------------------------------------------ */
/* Cells. */

static void vcell(verify_ctx *v, const char *cs, const char *scheme, const char *check, int verdict, double measured,
                  const char *bound, const char *source, const char *run, const char *fmt, va_list ap)
{
    char reason[1400] = "";
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
    json_array_append_new(v->cells, json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:o, s:b}", "case", cs, "scheme",
                                              scheme, "check", check, "verdict", verdict_name[verdict], "measured",
                                              nlif_json_number(measured), "bound", bound ? bound : "", "source",
                                              source ? source : "", "reason", reason, "run",
                                              run ? json_string(run) : json_null(), "known_failure", known));
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

nlif_job *nlif_verify_job(nlif_verify *v, const char *label, const char *stem)
{
    if (v->n_jobs == MAX_JOBS || nlif_verify_find_job(v, stem))
        return NULL;
    nlif_job *j = &v->jobs[v->n_jobs++];
    memset(j, 0, sizeof *j);
    snprintf(j->label, sizeof j->label, "%s", label);
    snprintf(j->stdout_path, sizeof j->stdout_path, OUT "/logs/%s.out", stem);
    snprintf(j->stderr_path, sizeof j->stderr_path, OUT "/logs/%s.err", stem);
    return j;
}

const nlif_job *nlif_verify_find_job(const nlif_verify *v, const char *stem)
{
    char path[512];
    snprintf(path, sizeof path, OUT "/logs/%s.out", stem);
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
    nlif_job_arg(j, OUT "/runs");
    nlif_job_arg(j, "--stem");
    nlif_job_arg(j, "%s", stem);
    return j;
}

/* ------------------------------------------------------------------------------------------------ */
/* Plan and judge one (case, scheme) pair, and one case's Monte Carlo column. */

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

static void judge_pair(verify_ctx *v, const nlif_case *cs, const nlif_scheme_type *st, const mc_data *mc)
{
    char stem[256], runpath[512], path[512], err_text[1200];
    snprintf(stem, sizeof stem, "%s.%s", cs->name, st->name);
    snprintf(runpath, sizeof runpath, OUT "/runs/%s.json", stem);
    const nlif_job *j = nlif_verify_find_job(v, stem);
    err_text[0] = '\0';
    json_t *run = j && (j->exit_code == 0 || j->exit_code == 3) ? nlif_vd_load_run(runpath, err_text, sizeof err_text) : NULL;
    if (!run) {
        if (!err_text[0])
            nlif_verify_job_error(j, err_text, sizeof err_text);
        nlif_verdict(v, cs->name, st->name, "run", NLIF_FAIL, NAN, "the run completes", "", NULL, "%s", err_text);
        return;
    }
    json_t *rec = json_pack("{s:s, s:s, s:s}", "case", cs->name, "scheme", st->name, "summary", runpath);
    snprintf(path, sizeof path, OUT "/runs/%s.series.csv", stem);
    json_object_set_new(rec, "series", json_string(path));
    snprintf(path, sizeof path, OUT "/runs/%s.snapshots.csv", stem);
    json_object_set_new(rec, "snapshots", json_string(path));
    json_array_append_new(v->runs, rec);
    nlif_choices_merge(v->choices, st->name, json_object_get(run, "choices"));
    nlif_check_ctx c = {.v = v, .cs = cs, .st = st, .run = run, .runpath = runpath, .mc = mc};
    for (int i = 0; nlif_checks[i]; i++) {
        const nlif_check_type *ct = nlif_checks[i];
        if (ct->per_case || !applies(ct, cs))
            continue;
        unsigned missing = ct->needs & ~st->flags;
        if (missing) {
            char na[200];
            unsigned f = missing & -missing; /* the first missing capability */
            nlif_verdict(v, cs->name, st->name, ct->name, NLIF_NA, NAN, "", "", runpath, "%s", nlif_lacks(f, na, sizeof na));
        } else
            ct->judge(&c);
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
               "ladders. -j N runs N jobs at once (1 to 64; default:\n"
               "the number of processors). --update-baselines rewrites ci/baselines from this run and\n"
               "records --why. --mc-arg passes ARG to the live Monte Carlo runs (check mc_stationary).\n"
               "ci/known_failures lists figures a scheme is known not to meet ('case scheme check reason'):\n"
               "they stay FAIL in the table and the report, but only other failures (or a listed one that\n"
               "passes now) make verify exit 1.\n"
               "results/verify/ is locked while verify writes it: a second verify there exits 2 at once,\n"
               "naming the pid. SIGINT/SIGTERM end the running jobs first; the jobs also end when verify\n"
               "is killed outright.\n"
               "Over MPI (mpirun -np K bin/nlif-mpi verify ...): every process plans the same jobs and takes\n"
               "the next one no process has taken yet, -j at a time (default: this machine's processors\n"
               "shared among its processes of the job); rank 0 locks the folder, judges and writes the\n"
               "same verdicts as one process. The processes need one shared file system (the folder is\n"
               "checked); a process that dies ends every process, and no verdict file is written.\n"
               "\nThe checks (harness/checks/; a case states the others in expect.checks):\n");
    for (int i = 0; nlif_checks[i]; i++) {
        const nlif_check_type *ct = nlif_checks[i];
        char caps[160] = "";
        for (unsigned f = 1; f; f <<= 1)
            if ((ct->needs & f) && nlif_capability_name(f))
                snprintf(caps + strlen(caps), sizeof caps - strlen(caps), "%s%s", caps[0] ? ", " : "; needs ",
                         nlif_capability_name(f));
        fprintf(f, "  %-16s %s%s%s%s\n", ct->name, ct->always ? "(always) " : "", ct->per_case ? "(Monte Carlo column) " : "",
                ct->title, caps);
    }
}

int nlif_cmd_verify(int argc, char **argv)
{
    verify_ctx v;
    memset(&v, 0, sizeof v);
    const char *pattern = "*", *schemes = NULL;
    int json = 0;
    long jobs_at_once = sysconf(_SC_NPROCESSORS_ONLN);
    if (nlif_jobs_world) /* the processes of an MPI run on one machine share its processors */
        jobs_at_once = jobs_at_once / nlif_jobs_world->local_size > 1 ? jobs_at_once / nlif_jobs_world->local_size : 1;
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
            if (nlif_cli_long("verify", "-j", argv[++i], &jobs_at_once))
                return NLIF_EXIT_USAGE;
            if (jobs_at_once < 1 || jobs_at_once > 64) {
                fprintf(stderr, "nlif verify: -j %ld: need 1 to 64 jobs at once\n", jobs_at_once);
                return NLIF_EXIT_USAGE;
            }
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
    /* Over MPI (bin/nlif-mpi; nlif_jobs.h): rank 0 prepares and locks the folder, judges and writes;
     * every process runs a share of the jobs. */
    const nlif_jobs_comm *world = nlif_jobs_world;
    int lead = !world || world->rank == 0, st = 0;
    if (lead && (nlif_mkdir_p(OUT, &err) || nlif_dir_lock(OUT, "nlif verify", &err) || nlif_mkdir_p(OUT "/logs", &err) ||
                 nlif_mkdir_p(OUT "/runs", &err) || nlif_mkdir_p(OUT "/converge", &err) || nlif_mkdir_p(OUT "/mc", &err) ||
                 load_known(&v, &err)))
        st = nlif_cli_report("verify", &err);
    if (world && (st = nlif_jobs_world_join(world, OUT, st, &err)) && err.code)
        nlif_cli_report("verify", &err);
    if (st)
        return st;
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
    static char na_text[NLIF_MAX_CASES][32][256];
    for (int c = 0; c < n_cases; c++) {
        for (int i = 0; nlif_checks[i] && want_mc; i++)
            if (nlif_checks[i]->per_case && nlif_checks[i]->plan && applies(nlif_checks[i], &cases[c]))
                nlif_checks[i]->plan(&v, &cases[c], NULL);
        for (int s = 0; s < n_use; s++) {
            const char *why = nlif_scheme_not_applicable(use[s], &cases[c]);
            snprintf(na_text[c][s], sizeof na_text[c][s], "%s", why ? why : "");
            if (!why)
                plan_pair(&v, &cases[c], use[s]);
        }
    }
    if (!world)
        nlif_jobs_run(v.jobs, v.n_jobs, (int)jobs_at_once, isatty(2));
    else if (nlif_jobs_run_shared(v.jobs, v.n_jobs, (int)jobs_at_once, lead && isatty(2), world, OUT, &err))
        return nlif_cli_report("verify", &err);
    if (!lead) { /* rank 0 judges from the shared folder */
        free(v.jobs);
        json_decref(v.cells);
        json_decref(v.convergence);
        json_decref(v.runs);
        json_decref(v.choices);
        return 0;
    }
    /* Judge. */
    for (int c = 0; c < n_cases; c++) {
        mc_data mc;
        char mc_why[1200] = "";
        int have_mc = uses_mc(&cases[c]) && nlif_vd_load_mc_why(cases[c].name, &mc, mc_why, sizeof mc_why) == 0;
        for (int s = 0; s < n_use; s++) {
            if (na_text[c][s][0])
                nlif_verdict(&v, cases[c].name, use[s]->name, "applies", NLIF_NA, NAN, "",
                             "the case's needs / the scheme's capabilities", NULL, "%s", na_text[c][s]);
            else
                judge_pair(&v, &cases[c], use[s], have_mc ? &mc : NULL);
        }
        nlif_check_ctx cc = {.v = &v, .cs = &cases[c], .mc = have_mc ? &mc : NULL, .mc_why = mc_why};
        for (int i = 0; nlif_checks[i] && want_mc; i++)
            if (nlif_checks[i]->per_case && applies(nlif_checks[i], &cases[c]))
                nlif_checks[i]->judge(&cc);
        if (have_mc)
            nlif_vd_free_mc(&mc);
    }
    clock_gettime(CLOCK_MONOTONIC, &w1);
    double wall = (w1.tv_sec - w0.tv_sec) + 1e-9 * (w1.tv_nsec - w0.tv_nsec);
    json_t *out = json_pack("{s:o, s:s, s:f, s:{s:i, s:i, s:i, s:i, s:i}, s:o, s:o, s:o, s:o, s:i}", "provenance",
                            nlif_provenance_json(), "mode", v.full ? "full" : "quick", "wall_seconds", wall, "summary",
                            "pass", v.count[NLIF_PASS], "fail", v.count[NLIF_FAIL], "na", v.count[NLIF_NA], "known_failures",
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
               v.full ? "full" : "quick", v.count[NLIF_PASS], v.count[NLIF_FAIL], v.n_known_failed, v.count[NLIF_NA], v.n_jobs, wall,
               NLIF_VERDICTS_PATH);
        if (v.n_stale)
            printf("verify: %d known failure(s) pass now: remove them from ci/known_failures\n", v.n_stale);
        /* The closing line CI reads: failures that are not listed as known, n.a. cells as skipped. */
        printf("verify: %d passed, %d failed, %d skipped\n", v.count[NLIF_PASS], v.count[NLIF_FAIL] - v.n_known_failed + v.n_stale,
               v.count[NLIF_NA]);
    }
    int failed = v.count[NLIF_FAIL] > v.n_known_failed || v.n_stale > 0;
    json_decref(out);
    free(v.jobs);
    if (rc)
        return nlif_cli_report("verify", &err);
    return failed ? NLIF_EXIT_VERIFY : 0;
}
