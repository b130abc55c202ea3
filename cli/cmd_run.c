/* cmd_run.c — `nlif run CASE --scheme S`: one scheme on one case, results written with provenance. */
#include "../harness/case/nlif_case.h"
#include "../harness/checks/nlif_check.h"
#include "nlif_cli.h"
#include "../io/nlif_results.h"
#include "../harness/runs/nlif_run.h"
#include "../harness/host/nlif_solver_ext.h"

#include <math.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif run CASE --scheme S [--dv H] [--dt K] [--dw W] [--seed S] [--opt name=value]...\n"
               "                [--set section.key=value]... [--out DIR] [--stem NAME] [--json]\n\n"
               "Run scheme S on CASE (catalogue name or .ini path) at the case's default resolution (or the\n"
               "one given), write DIR/STEM.json, .series.csv, .snapshots.csv (default DIR results/run,\n"
               "STEM CASE.S) in the result format of RESULTS.md (written as a whole, one run id in every\n"
               "file), and print a summary (the JSON summary with --json).\n"
               "Exit 0 when the run reached t_final or stopped with a status the scheme reports\n"
               "(blowup, runaway: see \"status\"); 3 on a numerical failure; 2 on bad input. A run that ends\n"
               "in an error writes no result set and removes the one an earlier run left at DIR/STEM.\n"
               "S may be an external solver given by --solver MANIFEST.ini (SOLVERS.md); with one --solver,\n"
               "--scheme defaults to it, and every failure of the program is a numerical failure (exit 3).\n"
               "--repeat-under S: a run shorter than S CPU seconds is solved again, up to 5 times in all or 0.1 s of CPU,\n"
               "and cpu_seconds is the least of them (\"cpu_repeats\" says how many): a timer's resolution and the\n"
               "machine's noise are of the order of a millisecond (the work-precision levels of verify --full).\n\nschemes:\n");
    for (int i = 0; nlif_schemes[i]; i++) {
        const nlif_scheme_type *s = nlif_schemes[i];
        fprintf(f, "  %-11s %s\n              reconstructs %s\n              options:\n", s->name, s->title, s->source);
        nlif_option_spec_print(f, s->options, "                ");
    }
    if (!nlif_schemes[0])
        fprintf(f, "  (none registered yet)\n");
}

/* The command line of nlif run as typed. */
typedef struct run_args {
    const char *name, *scheme, *out, *stem;
    const char *sets[64], *opts[64];
    int n_sets, n_opts, json, helped;
    double dv, dt, dw; /* NAN: the case's */
    double repeat_under; /* --repeat-under S (0: one solve) */
    uint64_t seed;
    int have_seed;
} run_args;

enum { RUN_JSON = 256, RUN_SCHEME, RUN_DV, RUN_DT, RUN_DW, RUN_SEED, RUN_OPT, RUN_SET, RUN_OUT, RUN_STEM, RUN_REPEAT };

static const struct option run_flags[] = {
    {"help", no_argument, NULL, NLIF_CLI_HELP},
    {"json", no_argument, NULL, RUN_JSON},
    {"scheme", required_argument, NULL, RUN_SCHEME},
    {"dv", required_argument, NULL, RUN_DV},
    {"dt", required_argument, NULL, RUN_DT},
    {"dw", required_argument, NULL, RUN_DW},
    {"seed", required_argument, NULL, RUN_SEED},
    {"opt", required_argument, NULL, RUN_OPT},
    {"set", required_argument, NULL, RUN_SET},
    {"out", required_argument, NULL, RUN_OUT},
    {"stem", required_argument, NULL, RUN_STEM},
    {"repeat-under", required_argument, NULL, RUN_REPEAT},
    {0, 0, 0, 0}};

/* One flag C with its value (NULL when missing: refused as unexpected, as is a 65th --opt), or the
 * positional CASE: 0, or the exit code after the refusal. Room is kept in sets for the resolution
 * flags, which become run.* overrides. */
static int run_flag(run_args *a, int c, const nlif_cli_flags *p)
{
    const char *f = p->flag, *v = p->value;
    if (c == RUN_JSON) {
        a->json = 1;
        return 0;
    }
    if (c == NLIF_CLI_POSITIONAL && v[0] != '-' && !a->name) {
        a->name = v;
        return 0;
    }
    if (v && c != NLIF_CLI_POSITIONAL && c != NLIF_CLI_UNKNOWN)
        switch (c) {
        case RUN_SCHEME: a->scheme = v; return 0;
        case RUN_DV: return nlif_cli_double("run", f, v, &a->dv);
        case RUN_DT: return nlif_cli_double("run", f, v, &a->dt);
        case RUN_DW: return nlif_cli_double("run", f, v, &a->dw);
        case RUN_SEED: a->have_seed = 1; return nlif_cli_u64("run", f, v, &a->seed);
        case RUN_OUT: a->out = v; return 0;
        case RUN_STEM: a->stem = v; return 0;
        case RUN_REPEAT: return nlif_cli_double("run", f, v, &a->repeat_under);
        case RUN_OPT:
            if (a->n_opts < 64) {
                a->opts[a->n_opts++] = v;
                return 0;
            }
            break;
        case RUN_SET:
            if (a->n_sets < 60) {
                a->sets[a->n_sets++] = v;
                return 0;
            }
            break;
        }
    fprintf(stderr, "nlif run: unexpected argument '%s'\n", f);
    return NLIF_EXIT_USAGE;
}

/* A run shorter than UNDER CPU seconds solved again (its results are the first solve's; a solve is
 * deterministic, a random scheme's too, with its seed) until 5 solves or 0.1 s of CPU: cpu_seconds
 * becomes the least. The number of solves. */
static int repeat_short(const nlif_scheme_type *st, const nlif_case *cs, const nlif_optset *opt, nlif_run_result *res,
                        double under)
{
    int n = 1;
    double total = res->cpu_seconds;
    while (under > 0 && res->cpu_seconds < under && n < 5 && total < 0.1) {
        nlif_run_result again;
        nlif_error e = {0};
        int rc = nlif_run_scheme(st, cs, opt, &again, &e);
        if (!rc) {
            total += again.cpu_seconds;
            res->cpu_seconds = fmin(res->cpu_seconds, again.cpu_seconds);
            n++;
        }
        nlif_run_result_free(&again);
        if (rc)
            break;
    }
    return n;
}

int nlif_cmd_run(int argc, char **argv)
{
    run_args a = {.out = "results/run", .dv = NAN, .dt = NAN, .dw = NAN};
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, run_flags, 0);
    for (int c; (c = nlif_cli_flags_next(&p)) != -1;) {
        if (c == NLIF_CLI_HELP) {
            usage(stdout);
            return 0;
        }
        int rc = run_flag(&a, c, &p);
        if (rc)
            return rc;
    }
    const char *name = a.name, *scheme = a.scheme, *out = a.out, *stem = a.stem;
    const char **sets = a.sets, *const *opts = a.opts;
    int n_sets = a.n_sets, n_opts = a.n_opts;
    if (!scheme) /* one --solver and no --scheme: the solver */
        scheme = nlif_solver_default_scheme();
    if (!name || !scheme) {
        usage(stderr);
        return NLIF_EXIT_USAGE;
    }
    const nlif_scheme_type *st = nlif_cli_scheme("run", scheme);
    if (!st)
        return NLIF_EXIT_USAGE;
    char iso[1200];
    if (!nlif_solver_isolation(st, iso, sizeof iso)) /* an external solver: where it runs (SOLVERS.md) */
        fprintf(stderr, "isolation %s: %s\n", st->name, iso);
    /* The resolution flags are overrides of the run section: same validation as the case file. */
    char buf[4][64];
    if (!isnan(a.dv))
        snprintf(buf[0], sizeof buf[0], "run.dv=%.17g", a.dv), sets[n_sets++] = buf[0];
    if (!isnan(a.dt))
        snprintf(buf[1], sizeof buf[1], "run.dt=%.17g", a.dt), sets[n_sets++] = buf[1];
    if (!isnan(a.dw))
        snprintf(buf[2], sizeof buf[2], "run.dw=%.17g", a.dw), sets[n_sets++] = buf[2];
    if (a.have_seed)
        snprintf(buf[3], sizeof buf[3], "run.seed=%llu", (unsigned long long)a.seed), sets[n_sets++] = buf[3];
    nlif_case cs;
    nlif_error err = {0};
    if (nlif_checks_load_case(&cs, name, sets, n_sets, &err))
        return nlif_cli_report("run", &err);
    nlif_optset opt;
    int orc = nlif_cli_scheme_options("run", st, &cs, opts, n_opts, &opt);
    if (orc)
        return orc;
    char stembuf[256];
    if (!stem) {
        snprintf(stembuf, sizeof stembuf, "%s.%s", cs.name, st->name);
        stem = stembuf;
    }
    nlif_run_result res;
    int rc = nlif_run_scheme(st, &cs, &opt, &res, &err);
    if (rc) {
        /* No result set: one an earlier run left at DIR/STEM would contradict this run (verify would
         * judge it), so it goes, the summary first. */
        static const char *const suffix[] = {".json", ".series.csv", ".snapshots.csv"};
        for (int i = 0; i < 3; i++) {
            char path[4200];
            snprintf(path, sizeof path, "%s/%s%s", out, stem, suffix[i]);
            remove(path);
        }
        nlif_run_result_free(&res);
        return nlif_cli_report("run", &err);
    }
    int repeats = repeat_short(st, &cs, &opt, &res, a.repeat_under);
    json_t *summary = nlif_run_summary(st, &cs, &opt, &res);
    if (repeats > 1)
        json_object_set_new(summary, "cpu_repeats", json_integer(repeats));
    rc = nlif_run_write(out, stem, summary, &res, &err);
    if (rc) {
        json_decref(summary);
        nlif_run_result_free(&res);
        return nlif_cli_report("run", &err);
    }
    if (a.json) {
        json_dumpf(summary, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
        putchar('\n');
    } else {
        const nlif_trajectory *tr = &res.traj;
        printf("case %s, scheme %s, dv %g, dt %g%s: status %s", cs.name, st->name, cs.run.dv, cs.run.dt,
               cs.structure.enabled ? "" : "", nlif_status_name(tr->status));
        if (tr->status != NLIF_STATUS_OK)
            printf(" at t = %.6g (%s)", tr->status_time, tr->cause);
        printf("\n  final rate %.9g, mass drift %.3g, min density %.3g, MFEs %zu, steps %zu, cpu %.3f s\n",
               nlif_run_final_rate(tr), tr->mass_drift, tr->min_density, nlif_traj_count_events(tr, "mfe"), tr->n,
               res.cpu_seconds);
        printf("  results: %s/%s.{json,series.csv,snapshots.csv}\n", out, stem);
    }
    int code = res.traj.status == NLIF_STATUS_FAILED ? NLIF_EXIT_NUMERIC : 0;
    json_decref(summary);
    nlif_run_result_free(&res);
    return code;
}
