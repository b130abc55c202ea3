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

int nlif_cmd_problem(int argc, char **argv)
{
    const char *name = NULL, *scheme = NULL, *out = "results/run";
    const char *sets[64], *opts[64];
    int n_sets = 0, n_opts = 0;
    char buf[4][64];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        int rc = 0;
        double x;
        uint64_t seed;
        if (nlif_cli_is_help(a)) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--scheme") && next)
            scheme = argv[++i];
        else if ((!strcmp(a, "--dv") || !strcmp(a, "--dt") || !strcmp(a, "--dw")) && next && n_sets < 60) {
            int k = a[3] == 'v' ? 0 : a[3] == 't' ? 1 : 2;
            if (!(rc = nlif_cli_double("problem", a, argv[++i], &x))) {
                snprintf(buf[k], sizeof buf[k], "run.d%c=%.17g", a[3], x);
                sets[n_sets++] = buf[k];
            }
        } else if (!strcmp(a, "--seed") && next && n_sets < 60) {
            if (!(rc = nlif_cli_u64("problem", a, argv[++i], &seed))) {
                snprintf(buf[3], sizeof buf[3], "run.seed=%llu", (unsigned long long)seed);
                sets[n_sets++] = buf[3];
            }
        } else if (!strcmp(a, "--opt") && next && n_opts < 64)
            opts[n_opts++] = argv[++i];
        else if (!strcmp(a, "--set") && next && n_sets < 60)
            sets[n_sets++] = argv[++i];
        else if (!strcmp(a, "--out") && next)
            out = argv[++i];
        else if (a[0] != '-' && !name)
            name = a;
        else {
            fprintf(stderr, "nlif problem: unexpected argument '%s'\n", a);
            usage(stderr);
            return NLIF_EXIT_USAGE;
        }
        if (rc)
            return rc;
    }
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
    if (nlif_checks_load_case(&cs, name, sets, n_sets, &err))
        return nlif_cli_report("problem", &err);
    nlif_optset opt;
    if (st) {
        int orc = nlif_cli_scheme_options("problem", st, &cs, opts, n_opts, &opt);
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
