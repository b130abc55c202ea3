/* cmd_problem.c — `nlif problem CASE`: the problem JSON an external solver receives (SOLVERS.md). */
#include "../harness/case/nlif_case.h"
#include "../harness/checks/nlif_check.h"
#include "nlif_cli.h"
#include "../harness/host/nlif_solver_ext.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif problem CASE [--dv H] [--dt K] [--dw W] [--seed S] [--set section.key=value]...\n"
               "                [--solver MANIFEST [--scheme NAME] [--opt name=value]...] [--out DIR]\n\n"
               "Print the problem JSON that an external solver receives for a run of CASE at the case's\n"
               "resolution (or the one given): the model, input, grid with its nodes, the initial density\n"
               "projected on the grid, dt, t_final, the snapshot times, and, with --solver, the solver's\n"
               "options (defaults, the case's [options], then --opt) and limits. output.dir is DIR made\n"
               "absolute (default results/run), output.stem CASE.NAME. SOLVERS.md describes every member.\n"
               "Exit 0, or 2 on bad input.\n");
}

/* The command line of nlif problem as typed; the resolution flags become run.* overrides in sets. */
typedef struct problem_args {
    const char *name, *scheme, *out;
    const char *sets[64], *opts[64];
    int n_sets, n_opts;
    char buf[4][64]; /* run.dv, run.dt, run.dw, run.seed */
} problem_args;

enum { PB_SCHEME = 256, PB_DV, PB_DT, PB_DW, PB_SEED, PB_OPT, PB_SET, PB_OUT };

static const struct option problem_flags[] = {
    {"help", no_argument, NULL, NLIF_CLI_HELP},
    {"scheme", required_argument, NULL, PB_SCHEME},
    {"dv", required_argument, NULL, PB_DV},
    {"dt", required_argument, NULL, PB_DT},
    {"dw", required_argument, NULL, PB_DW},
    {"seed", required_argument, NULL, PB_SEED},
    {"opt", required_argument, NULL, PB_OPT},
    {"set", required_argument, NULL, PB_SET},
    {"out", required_argument, NULL, PB_OUT},
    {0, 0, 0, 0}};

/* One flag C with its value (NULL when missing: refused as unexpected, as are a full list and a second
 * CASE), or the positional CASE: 0, or the exit code after the refusal. */
static int problem_flag(problem_args *a, int c, const nlif_cli_flags *p)
{
    const char *f = p->flag, *v = p->value;
    int rc = 0;
    if (c == NLIF_CLI_POSITIONAL && v[0] != '-' && !a->name) {
        a->name = v;
        return 0;
    }
    if (v && c != NLIF_CLI_POSITIONAL && c != NLIF_CLI_UNKNOWN) {
        int room = a->n_sets < 60;
        if (c == PB_SCHEME) {
            a->scheme = v;
            return 0;
        } else if ((c == PB_DV || c == PB_DT || c == PB_DW) && room) {
            int k = c - PB_DV;
            double x;
            if (!(rc = nlif_cli_double("problem", f, v, &x))) {
                snprintf(a->buf[k], sizeof a->buf[k], "run.d%c=%.17g", "vtw"[k], x);
                a->sets[a->n_sets++] = a->buf[k];
            }
            return rc;
        } else if (c == PB_SEED && room) {
            uint64_t seed;
            if (!(rc = nlif_cli_u64("problem", f, v, &seed))) {
                snprintf(a->buf[3], sizeof a->buf[3], "run.seed=%llu", (unsigned long long)seed);
                a->sets[a->n_sets++] = a->buf[3];
            }
            return rc;
        } else if (c == PB_OPT && a->n_opts < 64) {
            a->opts[a->n_opts++] = v;
            return 0;
        } else if (c == PB_SET && room) {
            a->sets[a->n_sets++] = v;
            return 0;
        } else if (c == PB_OUT) {
            a->out = v;
            return 0;
        }
    }
    fprintf(stderr, "nlif problem: unexpected argument '%s'\n", f);
    usage(stderr);
    return NLIF_EXIT_USAGE;
}

int nlif_cmd_problem(int argc, char **argv)
{
    problem_args a = {.out = "results/run"};
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, problem_flags, 0);
    for (int c; (c = nlif_cli_flags_next(&p)) != -1;) {
        if (c == NLIF_CLI_HELP) {
            usage(stdout);
            return 0;
        }
        int rc = problem_flag(&a, c, &p);
        if (rc)
            return rc;
    }
    const char *name = a.name, *scheme = a.scheme, *out = a.out;
    int n_opts = a.n_opts;
    if (!name) {
        usage(stderr);
        return NLIF_EXIT_USAGE;
    }
    if (!scheme)
        scheme = nlif_solver_default_scheme();
    const nlif_scheme_type *st = scheme ? nlif_scheme_find(scheme) : NULL;
    double timeout = 600, max_bytes = 512.0 * 1048576;
    if (scheme && (!st || nlif_solver_limits(st, &timeout, &max_bytes))) {
        fprintf(stderr, "nlif problem: --scheme %s: not an external solver given by --solver MANIFEST\n", scheme);
        return NLIF_EXIT_USAGE;
    }
    if (!st && n_opts) {
        fprintf(stderr, "nlif problem: --opt needs the solver (--solver MANIFEST)\n");
        return NLIF_EXIT_USAGE;
    }
    nlif_case cs;
    nlif_error err = {0};
    if (nlif_checks_load_case(&cs, name, a.sets, a.n_sets, &err))
        return nlif_cli_report("problem", &err);
    nlif_optset opt;
    if (st) {
        int orc = nlif_cli_scheme_options("problem", st, &cs, a.opts, n_opts, &opt);
        if (orc)
            return orc;
    }
    char dir[PATH_MAX + 1024], cwd[PATH_MAX], stem[2 * NLIF_NAME_MAX + 2];
    if (out[0] == '/' || !getcwd(cwd, sizeof cwd))
        snprintf(dir, sizeof dir, "%s", out);
    else
        snprintf(dir, sizeof dir, "%s/%s", cwd, out);
    snprintf(stem, sizeof stem, "%s.%s", cs.name, st ? st->name : "solver");
    json_t *j = nlif_problem_json(&cs, st ? &opt : NULL, dir, stem, timeout, max_bytes, &err);
    if (!j || nlif_problem_dump(stdout, j, &err)) {
        json_decref(j);
        return nlif_cli_report("problem", &err);
    }
    json_decref(j);
    return 0;
}
