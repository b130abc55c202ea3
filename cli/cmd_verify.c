/* cmd_verify.c — `nlif verify`: every scheme on every case, every check judged (MATHEMATICS.md §6):
 * the command line (an option table), the help text, and the printing that `nlif judge` (cmd_judge.c)
 * shares — the verdict table on stdout, or the verdict record with --json. The work is
 * harness/verify/'s (nlif_verify.h): select, plan and run, judge; the checks are harness/checks/'s.
 */
#include "nlif_cli.h"

#include "../harness/case/nlif_fresh.h"
#include "../harness/checks/nlif_check.h"
#include "../harness/runs/nlif_converge.h"
#include "../harness/runs/nlif_jobs.h"
#include "../harness/verify/nlif_verify.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------------------------------------ */
/* Printing (verify and judge). */

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int count(const json_t *record, const char *key)
{
    return (int)json_integer_value(json_object_get(json_object_get(record, "summary"), key));
}

/* The verdict table of RECORD (io/nlif_verdicts.h) on stdout, with the closing lines CI reads. */
static void print_table(const char *command, const json_t *record, const char *path)
{
    printf("%-22s %-11s %-22s %-5s %-12s %s\n", "case", "scheme", "check", "", "measured", "bound / reason");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(record, "cells"), i, c)
    {
        double m = nlif_vd_num(c, "measured");
        char mtext[32] = "";
        if (isfinite(m))
            snprintf(mtext, sizeof mtext, "%.4g", m);
        const char *bound = str(c, "bound"), *reason = str(c, "reason");
        printf("%-22s %-11s %-22s %-5s %-12s %s%s%s\n", str(c, "case"), str(c, "scheme"), str(c, "check"), str(c, "verdict"),
               mtext, bound, bound[0] && reason[0] ? " — " : "", reason);
    }
    int pass = count(record, "pass"), fail = count(record, "fail"), na = count(record, "na");
    int known = count(record, "known_failures"), stale = count(record, "stale_known_failures");
    printf("\n%s (%s): %d pass, %d FAIL (%d of them known: ci/known_failures), %d n.a. — %d jobs, %.1f s wall; "
           "verdicts: %s\n",
           command, str(record, "mode"), pass, fail, known, na, (int)json_integer_value(json_object_get(record, "jobs")),
           nlif_vd_num(record, "wall_seconds"), path ? path : "(not written)");
    if (stale)
        printf("%s: %d known failure(s) pass now: remove them from ci/known_failures\n", command, stale);
    /* The closing line CI reads: failures that are not listed as known, n.a. cells as skipped. */
    printf("%s: %d passed, %d failed, %d skipped\n", command, pass, fail - known + stale, na);
}

int nlif_cli_verdicts(const char *command, nlif_verify *v, const char *record, int json, const char *junit)
{
    nlif_error err = {0};
    json_t *out = NULL;
    int failed = 0;
    int rc = nlif_verify_judge(v, record, junit, &out, &failed, &err);
    if (!out)
        return nlif_cli_report(command, &err);
    if (json) {
        json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
        putchar('\n');
    } else
        print_table(command, out, record);
    json_decref(out);
    if (rc)
        return nlif_cli_report(command, &err);
    return failed ? NLIF_EXIT_VERIFY : 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* The command. */

void nlif_cli_print_checks(FILE *f)
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
    fprintf(f, "usage: nlif verify [--quick|--full|--smoke] [--cases LIST] [--schemes LIST] [-j N] [--out DIR] [--json]\n"
               "                   [--junit FILE] [--strict] [--update-baselines --why TEXT] [--mc-arg ARG]... [--resume]\n"
               "                   [--fresh K] [--seed N] [--fresh-at CASE:NAME=VALUE[,NAME=VALUE...]]...\n"
               "                   [--set SECTION.KEY=VALUE]... [--levels K]\n\n"
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
               "verdict). --smoke: the smoke tier for a solver's CI (MATHEMATICS.md 6, \"The smoke tier\"):\n"
               "--quick's judging on the few cases that together let every check see every model parameter\n"
               "the mutant catalogue misreads, with one fresh instance per stationary case (--fresh K\n"
               "overrides; --cases LIST replaces the cases); it catches every mutant of the catalogue\n"
               "(tests/test_mutants.c). Its cases:\n  %s\n"
               "-j N runs N jobs at once (1 to 64; default: the number of processors).\n"
               "--out DIR: everything verify writes goes under DIR (runs/, converge/, mc/, logs/, plan.json and\n"
               "journal.jsonl (--resume), jobs.json,\n"
               "verdicts.json, the lock; default results/verify); two verify runs in two folders never meet.\n"
               "--junit FILE: JUnit XML for CI, one testcase per cell (classname CASE.SCHEME, name CHECK):\n"
               "FAIL a <failure> 'measured M, bound B: reason' (type known_failure, and the message says so,\n"
               "for a failure listed in ci/known_failures), n.a. <skipped> with the reason.\n"
               "--json prints the verdict record instead of the table. Progress: one line per finished job on\n"
               "stderr ('[k/n] STEM: COMMAND, S s, exit E'), or a single updating line when stderr is a terminal.\n"
               "Fresh instances (MATHEMATICS.md 6): around every selected case judged by stationary_rate against\n"
               "its exact root, K problems are drawn at run time (--fresh K, 0 to 6; default 2 with --quick, 4\n"
               "with --full, 1 with --smoke; 0 switches them off): a0, a1, b, V_R, the constant input i0 and the initial mean\n"
               "and sd uniform within +-20%% of the case's values (a floor of 0.5 for b, V_R, i0 and the mean;\n"
               "V_R on a grid node), kept only inside the valid region (as many stationary roots as the case,\n"
               "its root a factor 2 from any other, V_F - mu >= 0.25 there; a draw outside is redrawn from the\n"
               "same stream, up to 100 times, then refused: exit 2). Each is a case of its own, CASE~fK, run by\n"
               "every scheme and judged by stationary_rate (the exact root and the case's bound (dv/2) N\n"
               "|V_F - mu| / a computed for it on the spot), status, mass and positivity; its run reads\n"
               "DIR/cases/CASE~fK.ini (no [expect]: no reference value), its parameters are in DIR/fresh.json\n"
               "and in verdicts.json (members seed and fresh_instances). --seed N draws them from seed N\n"
               "(the same seed, the same problems); without it the seed comes from the clock and is printed\n"
               "on stderr ('fresh instances: seed S (repeat with --seed S)'); --resume takes DIR/fresh.json's.\n"
               "--fresh-at CASE:NAME=VALUE,... adds the instance CASE~xK with those parameters (names a0, a1,\n"
               "b, v_r, i0, mean, sd; the others the case's); outside the valid region it is refused with the\n"
               "reason (exit 2). Over MPI the draws need --seed.\n"
               "--set SECTION.KEY=VALUE (as nlif run --set; up to 32) is applied to every selected case, the catalogue's\n"
               "files left alone: the checks judge the overridden case (its bounds included: --set expect.order_tol=0.2)\n"
               "and its runs read DIR/cases/CASE.ini; a key or value a case refuses is an error (exit 2).\n"
               "--levels K (2 to 10) gives every convergence study of the order checks K levels, in place of 4\n"
               "(--quick) or the case's expect.levels (--full). Both are recorded in verdicts.json (members sets and\n"
               "levels), and --resume refuses a plan made with others. `nlif judge DIR` judges the catalogue's cases:\n"
               "give it an overridden case with --case DIR/cases/CASE.ini.\n"
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
               "The checks (harness/checks/; a case states the others in expect.checks):\n", nlif_verify_smoke_cases());
    nlif_cli_print_checks(f);
}


/* The command line of verify. */
typedef struct verify_args {
    const char *pattern, *schemes, *out_dir, *junit, *why;
    const char *mc_args[8];
    int json, resume, full, smoke, strict, update, n_mc_args;
    long jobs_at_once;
    long fresh;   /* --fresh K; -1: the mode's default (2 quick, 4 full, 1 smoke) */
    int seeded;   /* --seed N given */
    unsigned long long seed;
    const char *fresh_at[8];
    int n_fresh_at;
    const char *sets[NLIF_VERIFY_MAX_SETS + 1]; /* --set KEY=VALUE (one more than allowed: refused there) */
    int n_sets;
    long levels;  /* --levels K; 0: the mode's */
} verify_args;

enum { OPT_QUICK = 256, OPT_FULL, OPT_JSON, OPT_STRICT, OPT_RESUME, OPT_CASES, OPT_SCHEMES, OPT_OUT, OPT_JUNIT,
       OPT_UPDATE, OPT_WHY, OPT_MC_ARG, OPT_FRESH, OPT_SEED, OPT_FRESH_AT, OPT_SET, OPT_LEVELS, OPT_SMOKE };

static const struct option verify_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"quick", no_argument, NULL, OPT_QUICK},
    {"full", no_argument, NULL, OPT_FULL},
    {"smoke", no_argument, NULL, OPT_SMOKE},
    {"json", no_argument, NULL, OPT_JSON},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"resume", no_argument, NULL, OPT_RESUME},
    {"cases", required_argument, NULL, OPT_CASES},
    {"schemes", required_argument, NULL, OPT_SCHEMES},
    {"out", required_argument, NULL, OPT_OUT},
    {"junit", required_argument, NULL, OPT_JUNIT},
    {"update-baselines", no_argument, NULL, OPT_UPDATE},
    {"why", required_argument, NULL, OPT_WHY},
    {"mc-arg", required_argument, NULL, OPT_MC_ARG},
    {"fresh", required_argument, NULL, OPT_FRESH},
    {"seed", required_argument, NULL, OPT_SEED},
    {"fresh-at", required_argument, NULL, OPT_FRESH_AT},
    {"set", required_argument, NULL, OPT_SET},
    {"levels", required_argument, NULL, OPT_LEVELS},
    {NULL, 0, NULL, 0},
};

/* Parse argv into a. 0 to go on, -1 after --help (exit 0), else the exit code. */
static int parse_args(int argc, char **argv, verify_args *a)
{
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, verify_options, 0);
    p.shorts = "j:";
    for (int opt; (opt = nlif_cli_flags_next(&p)) != -1;) {
        const char *v = p.value;
        if (opt == 'h') {
            usage(stdout);
            return -1;
        }
        if (opt == NLIF_CLI_UNKNOWN || opt == NLIF_CLI_POSITIONAL || (!v && (opt == OPT_CASES || opt == OPT_SCHEMES ||
                opt == OPT_OUT || opt == OPT_JUNIT || opt == OPT_WHY || opt == OPT_MC_ARG || opt == 'j' || opt == OPT_FRESH ||
                opt == OPT_SEED || opt == OPT_FRESH_AT || opt == OPT_SET || opt == OPT_LEVELS)) ||
            (opt == OPT_MC_ARG && a->n_mc_args == 8) || (opt == OPT_FRESH_AT && a->n_fresh_at == 8)) {
            /* an unknown flag, one without its value, a ninth --mc-arg or --fresh-at */
            fprintf(stderr, "nlif verify: unexpected argument '%s'\n", p.flag);
            usage(stderr);
            return NLIF_EXIT_USAGE;
        }
        switch (opt) {
        case OPT_QUICK: a->full = 0, a->smoke = 0; break;
        case OPT_FULL: a->full = 1, a->smoke = 0; break;
        case OPT_SMOKE: a->full = 0, a->smoke = 1; break; /* --quick's judging on the smoke cases */
        case OPT_JSON: a->json = 1; break;
        case OPT_STRICT: a->strict = 1; break;
        case OPT_RESUME: a->resume = 1; break;
        case OPT_CASES: a->pattern = v; break;
        case OPT_SCHEMES: a->schemes = v; break;
        case OPT_OUT:
        case OPT_JUNIT:
            if (!v[0]) {
                fprintf(stderr, "nlif verify: %s needs a non-empty value\n", opt == OPT_OUT ? "--out" : "--junit");
                return NLIF_EXIT_USAGE;
            }
            *(opt == OPT_OUT ? &a->out_dir : &a->junit) = v;
            break;
        case 'j':
            if (nlif_cli_long("verify", "-j", v, &a->jobs_at_once))
                return NLIF_EXIT_USAGE;
            if (a->jobs_at_once < 1 || a->jobs_at_once > 64) {
                fprintf(stderr, "nlif verify: -j %ld: need 1 to 64 jobs at once\n", a->jobs_at_once);
                return NLIF_EXIT_USAGE;
            }
            break;
        case OPT_UPDATE: a->update = 1; break;
        case OPT_WHY: a->why = v; break;
        case OPT_MC_ARG: a->mc_args[a->n_mc_args++] = v; break;
        case OPT_FRESH_AT: a->fresh_at[a->n_fresh_at++] = v; break;
        case OPT_SET:
            if (a->n_sets <= NLIF_VERIFY_MAX_SETS)
                a->sets[a->n_sets++] = v;
            break;
        case OPT_LEVELS:
            if (nlif_cli_long("verify", "--levels", v, &a->levels) || a->levels < 2 || a->levels > NLIF_MAX_LEVELS) {
                fprintf(stderr, "nlif verify: --levels %s (allowed: 2..%d levels per convergence study)\n", v, NLIF_MAX_LEVELS);
                return NLIF_EXIT_USAGE;
            }
            break;
        case OPT_FRESH:
            if (nlif_cli_long("verify", "--fresh", v, &a->fresh))
                return NLIF_EXIT_USAGE;
            if (a->fresh < 0 || a->fresh > NLIF_FRESH_MAX) {
                fprintf(stderr, "nlif verify: --fresh %ld: need 0 to %d instances per case\n", a->fresh, NLIF_FRESH_MAX);
                return NLIF_EXIT_USAGE;
            }
            break;
        case OPT_SEED: {
            long seed;
            if (nlif_cli_long("verify", "--seed", v, &seed))
                return NLIF_EXIT_USAGE;
            if (seed < 0) {
                fprintf(stderr, "nlif verify: --seed %ld: need a whole number >= 0\n", seed);
                return NLIF_EXIT_USAGE;
            }
            a->seeded = 1, a->seed = (unsigned long long)seed;
            break;
        }
        }
    }
    if (a->update && a->n_sets) {
        fprintf(stderr, "nlif verify: --update-baselines records the catalogue's cases: not with --set\n");
        return NLIF_EXIT_USAGE;
    }
    if (a->update && (!a->why || !a->why[0])) {
        fprintf(stderr, "nlif verify: --update-baselines needs --why TEXT (recorded in every baseline file)\n");
        return NLIF_EXIT_USAGE;
    }
    if (strlen(a->out_dir) > 900) {
        fprintf(stderr, "nlif verify: --out: the folder name is longer than 900 characters\n");
        return NLIF_EXIT_USAGE;
    }
    return 0;
}

/* The fresh instances of the selection (MATHEMATICS.md 6): the seed given, or --resume's (OUT/fresh.json),
 * or drawn from the clock and printed so that the run can be repeated. 0 or an exit code. */
static int add_fresh(nlif_verify *v, const verify_args *a, nlif_error *err)
{
    nlif_verify_fresh f = {.per_case = a->fresh >= 0 ? (int)a->fresh : a->full ? 4 : a->smoke ? 1 : 2, .seed = a->seed, .n_at = a->n_fresh_at};
    memcpy(f.at, a->fresh_at, sizeof f.at);
    int from_clock = !a->seeded && !(a->resume && nlif_verify_fresh_seed(a->out_dir, &f.seed) == 0);
    if (from_clock) {
        struct timespec t;
        clock_gettime(CLOCK_REALTIME, &t);
        f.seed = ((unsigned long long)t.tv_sec * 1000003ull ^ (unsigned long long)t.tv_nsec ^ (unsigned long long)getpid()) %
                 1000000ull;
    }
    int rc = nlif_verify_add_fresh(v, &f, err);
    if (rc && err->code)
        return nlif_cli_report("verify", err);
    if (!rc && from_clock && nlif_jobs_world && nlif_verify_fresh_count(v)) {
        fprintf(stderr, "nlif verify: over MPI the fresh instances need --seed N (every process must draw the same), "
                        "or --fresh 0\n");
        return NLIF_EXIT_USAGE;
    }
    if (!rc && nlif_verify_fresh_count(v))
        fprintf(stderr, "fresh instances: seed %llu (repeat with --seed %llu): %d problem(s) drawn around the stationary "
                        "cases\n", f.seed, f.seed, nlif_verify_fresh_count(v));
    return rc;
}

int nlif_cmd_verify(int argc, char **argv)
{
    verify_args a = {.out_dir = NLIF_VERIFY_OUT, .jobs_at_once = sysconf(_SC_NPROCESSORS_ONLN), .fresh = -1};
    if (nlif_jobs_world) /* the processes of an MPI run on one machine share its processors */
        a.jobs_at_once = a.jobs_at_once / nlif_jobs_world->local_size > 1 ? a.jobs_at_once / nlif_jobs_world->local_size : 1;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    nlif_verify *v = nlif_verify_new("verify", a.out_dir, 0);
    if (!v)
        return nlif_cli_report("verify", &(nlif_error){NLIF_ENOMEM, "verify state"});
    nlif_verify_set_flags(v, a.full, a.strict, 0);
    nlif_verify_set_run(v, a.update, a.why, a.mc_args, a.n_mc_args);
    nlif_error err = {0};
    rc = nlif_verify_set_overrides(v, a.sets, a.n_sets, (int)a.levels);
    if (!rc)
        rc = nlif_verify_select_schemes(v, a.schemes);
    if (a.smoke && !a.pattern)
        a.pattern = nlif_verify_smoke_cases();
    if (!rc && (rc = nlif_verify_select_catalogue(v, a.pattern, &err)) && err.code)
        rc = nlif_cli_report("verify", &err);
    if (!rc)
        rc = add_fresh(v, &a, &err);
    if (!rc)
        nlif_verify_mark_pair(v, NULL, NULL);
    /* over MPI every process runs (and learns the selection's outcome of every other) */
    int judge_here = 0;
    nlif_error run_err = {0};
    if ((rc = nlif_verify_run(v, rc, a.resume, (int)a.jobs_at_once, &judge_here, &run_err)) && run_err.code)
        rc = nlif_cli_report("verify", &run_err);
    if (!rc && judge_here) {
        char record[1200];
        snprintf(record, sizeof record, "%s/verdicts.json", a.out_dir);
        rc = nlif_cli_verdicts("verify", v, record, a.json, a.junit);
    }
    nlif_verify_free(v);
    return rc;
}
