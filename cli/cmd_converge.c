/* cmd_converge.c — `nlif converge CASE --scheme S --refine v|t|w|vt`: one convergence study (converge.c),
 * printed as a table and written to DIR/CASE.SCHEME.DIR.json with provenance. */
#include "../harness/case/nlif_case.h"
#include "../harness/checks/nlif_check.h"
#include "nlif_cli.h"
#include "../harness/runs/nlif_converge.h"
#include "../io/nlif_results.h"
#include "../harness/host/nlif_solver_ext.h"
#include "../io/nlif_resultfmt.h"

#include <math.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: nlif converge CASE --scheme S --refine v|t|w|vt [--levels K] [--coarsest H]\n"
            "                [--reference auto|exact|finest|cvode] [--ref-halvings J] [--ref-opt name=value]...\n"
            "                [--fixed-dt]\n"
            "                [--opt name=value]... [--set section.key=value]... [--json] [--out DIR]\n\n"
            "Convergence study of scheme S on CASE: K levels (default 4) with the refined step halving from\n"
            "H (default: the case's run.dv, run.dt or run.dw). Errors at every level: L1 in v of p at t_final\n"
            "(w: L1 in w of the weight marginal), and max in time of |N - N_ref|, against\n"
            "  exact   the OU Gaussian (v; b = 0, constant I, V_F and V_min far) or the linear learning\n"
            "          rule's characteristics (w, for p; N against the finest run);\n"
            "  finest  one extra run at h_ref = h_(K-1)/2^J (the default where there is no exact solution;\n"
            "          J = --ref-halvings, default 3 in v, 4 in t, 2 in w: with J = 1 the errors\n"
            "          C(h^q - h_ref^q) bias a first-order fit to ~1.3);\n"
            "  cvode   (t only) the CVODE method-of-lines reference on the same Δv grid; its options by\n"
            "          --ref-opt (flux=sg|maxwellian, outflow=flux|one_sided, rtol, atol; use\n"
            "          flux=maxwellian with spap so that the spatial error cancels).\n"
            "--fixed-dt (w) keeps the case's dt on every level instead of scaling it with dw.\n"
            "--refine vt (work-precision): dv and dt halve together at the case's dt/dv (H is the coarsest\n"
            "dv), against the same scheme J = 2 halvings finer: the whole error at each cost; no order is\n"
            "expected (MATHEMATICS.md 6, \"Work and precision\").\n"
            "Steps not refined: v vs finest keeps Δt fixed (the time error cancels); v vs exact scales Δt\n"
            "as Δv^(q_v/q_t); t keeps Δv fixed; w scales Δt with Δw (fixed CFL) and keeps Δv.\n"
            "Prints per level: h, error p, ratio, error N, ratio, CPU seconds, status; the fitted orders\n"
            "(least-squares log-log slopes over the levels that reached t_final) against the scheme's\n"
            "expected orders. Writes DIR/CASE.SCHEME.REFINE.json (default DIR results/converge).\n"
            "Exit 0 when the study ran (judging the orders is `nlif verify`'s job); 2 on bad input;\n"
            "3 on a numerical failure. With one --solver MANIFEST.ini (SOLVERS.md), --scheme defaults to it;\n"
            "the program runs once per level, the level's resolution in its problem.\n\nschemes:");
    for (int i = 0; nlif_schemes[i]; i++)
        fprintf(f, " %s", nlif_schemes[i]->name);
    fprintf(f, "\n");
}

static void print_table(const nlif_convergence *c, const char *path)
{
    printf("case %s, scheme %s, refine %s, reference %s", c->case_name, c->scheme, nlif_refine_name(c->dir),
           c->reference);
    if (strcmp(c->reference_rate, c->reference))
        printf(" (N: %s)", c->reference_rate);
    if (isfinite(c->ref_h))
        printf(" at h = %g = h_%d/2^%d (status %s, cpu %.3f s)", c->ref_h, c->n_levels - 1, c->ref_halvings,
               nlif_status_name((nlif_status)c->ref_status), c->ref_cpu_seconds);
    printf("\n  %s\n  error p: %s\n", c->note, c->measure_p);
    printf("  %5s %12s %12s %12s %12s %8s %12s %8s %9s %9s  %s\n", "level", "h", "dv", "dt", "error p", "ratio",
           "error N", "ratio", "at t", "cpu s", "status");
    for (int k = 0; k < c->n_levels; k++) {
        const nlif_conv_level *l = &c->lev[k];
        printf("  %5d %12.5g %12.5g %12.5g %12.4e %8.3f %12.4e %8.3f %9.4g %9.3f  %s\n", k, l->h, l->dv, l->dt,
               l->err_p, l->ratio_p, l->err_rate, l->ratio_rate, l->err_rate_t, l->cpu_seconds,
               nlif_status_name((nlif_status)l->status));
    }
    printf("  fitted order: p %.3f (expected %g), N %.3f (expected %g)\n", c->order_p, c->expected_p, c->order_rate,
           c->expected_rate);
    printf("  results: %s\n", path);
}

int nlif_cmd_converge(int argc, char **argv)
{
    const char *name = NULL, *scheme = NULL, *out = "results/converge", *refine = NULL, *reference = "auto";
    const char *sets[64], *opts[64], *ref_opts[64];
    int n_sets = 0, n_opts = 0, n_ref_opts = 0, json = 0;
    long levels = 4, halvings = 0;
    int fixed_dt = 0;
    double coarsest = NAN;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        int rc = 0;
        if (nlif_cli_is_help(a)) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--json"))
            json = 1;
        else if (!strcmp(a, "--scheme") && next)
            scheme = argv[++i];
        else if (!strcmp(a, "--refine") && next)
            refine = argv[++i];
        else if (!strcmp(a, "--levels") && next)
            rc = nlif_cli_long("converge", a, argv[++i], &levels);
        else if (!strcmp(a, "--coarsest") && next)
            rc = nlif_cli_double("converge", a, argv[++i], &coarsest);
        else if (!strcmp(a, "--fixed-dt"))
            fixed_dt = 1;
        else if (!strcmp(a, "--ref-halvings") && next)
            rc = nlif_cli_long("converge", a, argv[++i], &halvings);
        else if (!strcmp(a, "--reference") && next)
            reference = argv[++i];
        else if (!strcmp(a, "--ref-opt") && next && n_ref_opts < 64)
            ref_opts[n_ref_opts++] = argv[++i];
        else if (!strcmp(a, "--opt") && next && n_opts < 64)
            opts[n_opts++] = argv[++i];
        else if (!strcmp(a, "--set") && next && n_sets < 64)
            sets[n_sets++] = argv[++i];
        else if (!strcmp(a, "--out") && next)
            out = argv[++i];
        else if (a[0] != '-' && !name)
            name = a;
        else {
            fprintf(stderr, "nlif converge: unexpected argument '%s'\n", a);
            return NLIF_EXIT_USAGE;
        }
        if (rc)
            return rc;
    }
    if (!scheme) /* one --solver and no --scheme: the solver */
        scheme = nlif_solver_default_scheme();
    if (!name || !scheme || !refine) {
        usage(stderr);
        return NLIF_EXIT_USAGE;
    }
    nlif_refine dir;
    if (nlif_refine_parse(refine, &dir)) {
        fprintf(stderr, "nlif converge: --refine '%s' (allowed: v, t, w, vt)\n", refine);
        return NLIF_EXIT_USAGE;
    }
    if (levels < 2 || levels > NLIF_MAX_LEVELS) {
        fprintf(stderr, "nlif converge: --levels %ld (allowed: 2..%d)\n", levels, NLIF_MAX_LEVELS);
        return NLIF_EXIT_USAGE;
    }
    if (!isnan(coarsest) && !(coarsest > 0)) {
        fprintf(stderr, "nlif converge: --coarsest %g (allowed: > 0)\n", coarsest);
        return NLIF_EXIT_USAGE;
    }
    const nlif_scheme_type *st = nlif_scheme_find(scheme);
    if (!st) {
        fprintf(stderr, "nlif converge: unknown scheme '%s' (allowed:", scheme);
        for (int i = 0; nlif_schemes[i]; i++)
            fprintf(stderr, " %s", nlif_schemes[i]->name);
        fprintf(stderr, ")\n");
        return NLIF_EXIT_USAGE;
    }
    nlif_case cs;
    nlif_error err = {0};
    if (nlif_checks_load_case(&cs, name, sets, n_sets, &err))
        return nlif_cli_report("converge", &err);
    nlif_optset opt;
    int orc = nlif_cli_scheme_options("converge", st, &cs, opts, n_opts, &opt);
    if (orc)
        return orc;
    if (halvings < 0 || halvings > 12) {
        fprintf(stderr, "nlif converge: --ref-halvings %ld (allowed: 1..12, 0 = default)\n", halvings);
        return NLIF_EXIT_USAGE;
    }
    nlif_converge_settings set = {reference, coarsest, ref_opts, n_ref_opts, (int)halvings, fixed_dt};
    nlif_convergence conv;
    int rc = nlif_converge_ex(st, &cs, &opt, dir, (int)levels, &set, &conv, &err);
    if (rc)
        return nlif_cli_report("converge", &err);

    json_t *j = nlif_convergence_json(&conv);
    json_object_set_new(j, "options", nlif_optset_json(&opt));
    json_object_set_new(j, "choices", nlif_choices_json(&cs, &opt));
    json_t *ro = json_array();
    for (int i = 0; i < n_ref_opts; i++)
        json_array_append_new(ro, json_string(ref_opts[i]));
    json_object_set_new(j, "reference_options", ro);
    json_object_set_new(j, "provenance", nlif_provenance_json());
    json_object_set_new(j, "case_spec", nlif_case_json(&cs));
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s.%s.json", out, cs.name, st->name, nlif_refine_name(dir));
    /* a result set of one file (RESULTS.md): format version and run id, written then renamed */
    char stem[1024];
    snprintf(stem, sizeof stem, "%s.%s.%s", cs.name, st->name, nlif_refine_name(dir));
    nlif_rf_set rs;
    if ((rc = nlif_mkdir_p(out, &err)) || (rc = nlif_rf_set_begin(&rs, out, stem, &err)) ||
        (rc = nlif_rf_set_json(&rs, ".json", j, &err)) || (rc = nlif_rf_set_commit(&rs, &err))) {
        json_decref(j);
        return nlif_cli_report("converge", &err);
    }
    if (json) {
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
        putchar('\n');
    } else
        print_table(&conv, path);
    json_decref(j);
    return 0;
}
