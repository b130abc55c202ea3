/* cmd_converge.c — `nlif converge CASE --scheme S --refine v|t|w|vt`: one convergence study (converge.c),
 * printed as a table and written to DIR/CASE.SCHEME.DIR.json with provenance. */
#include "../harness/case/nlif_case.h"
#include "../harness/judge/verify_data.h"
#include "../harness/checks/nlif_check.h"
#include "nlif_cli.h"
#include "../harness/runs/nlif_converge.h"
#include "../io/nlif_results.h"
#include "../harness/host/nlif_solver_ext.h"
#include "../io/nlif_resultfmt.h"
#include "../reports/nlif_study.h"

#include <math.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: nlif converge CASE --scheme S --refine v|t|w|vt [--levels K] [--coarsest H]\n"
            "                [--reference auto|exact|finest|cvode] [--ref-halvings J] [--ref-opt name=value]...\n"
            "                [--fixed-dt] [--no-rate]\n"
            "                [--opt name=value]... [--set section.key=value]... [--json] [--out DIR]\n"
            "                [--plot] [--tex]\n"
            "       nlif converge CASE --from STUDY.json [--plot] [--tex] [--out DIR] [--set section.key=value]...\n\n"
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
            "--no-rate (w against the exact rule) measures p only: no reference run for N (err_rate null,\n"
            "reference_rate none); refused where p has no exact reference.\n"
            "--refine vt (work-precision): dv and dt halve together at the case's dt/dv (H is the coarsest\n"
            "dv), against the same scheme J = 2 halvings finer: the whole error at each cost; no order is\n"
            "expected (MATHEMATICS.md 6, \"Work and precision\").\n"
            "Steps not refined: v vs finest keeps Δt fixed (the time error cancels); v vs exact scales Δt\n"
            "as Δv^(q_v/q_t); t keeps Δv fixed; w scales Δt with Δw (fixed CFL) and keeps Δv.\n"
            "Prints per level (as deal.II's ConvergenceTable and PETSc's convergence estimator): h, the step\n"
            "not refined, the steps the run took, then for p and for N the error, the ratio e_(k-1)/e_k, the\n"
            "local order log(e_(k-1)/e_k)/log(h_(k-1)/h_k) and the local order the scheme's claimed order\n"
            "implies there (against the finest run: corrected for its own error, MATHEMATICS.md 6); CPU\n"
            "seconds, status; then the fitted orders (least squares over the levels with an error) and the\n"
            "order check's verdict, computed by the check's own code with the case's expect.order_tol: '*'\n"
            "marks a drift (a local order more than order_tol below the claim after an earlier pair reached\n"
            "it). A pair without an order is n.a. with the reason: errors at round-off, a level that\n"
            "stopped, or a dt ladder whose finer run did not take about twice the steps (a scheme held at its\n"
            "own CFL step: the error is flat); the fit then starts after it, or is n.a.\n"
            "Writes DIR/CASE.SCHEME.REFINE.json (default DIR results/converge); --plot also the log-log figure\n"
            "DIR/CASE.SCHEME.REFINE.png and .pdf (gnuplot; its script .gp and data .dat beside: the scheme's\n"
            "colour and markers, a slope triangle of the claimed order, no title), --tex the table as a\n"
            "booktabs table DIR/CASE.SCHEME.REFINE.tex to \\input (the preamble needs booktabs); every\n"
            "file written is listed. --from STUDY.json draws the table and files of a study written before\n"
            "(by converge, or verify's DIR/converge/), running nothing, into STUDY.json's folder or --out\n"
            "DIR; CASE (with --set) gives order_tol and must be the study's case.\n"
            "Exit 0 when the study ran (judging the orders is `nlif verify`'s job); 2 on bad input;\n"
            "3 on a numerical failure. With one --solver MANIFEST.ini (SOLVERS.md), --scheme defaults to it;\n"
            "the program runs once per level, the level's resolution in its problem.\n\nschemes:");
    for (int i = 0; nlif_schemes[i]; i++)
        fprintf(f, " %s", nlif_schemes[i]->name);
    fprintf(f, "\n");
}

/* The command line of nlif converge as typed. */
typedef struct converge_args {
    const char *name, *scheme, *out, *refine, *reference, *from;
    const char *sets[64], *opts[64], *ref_opts[64];
    int n_sets, n_opts, n_ref_opts, json, fixed_dt, no_rate, plot, tex, out_given;
    long levels, halvings;
    double coarsest; /* NAN: the case's step */
} converge_args;

enum { CV_JSON = 256, CV_SCHEME, CV_REFINE, CV_LEVELS, CV_COARSEST, CV_FIXED_DT, CV_REF_HALVINGS, CV_REFERENCE,
       CV_REF_OPT, CV_OPT, CV_SET, CV_OUT, CV_PLOT, CV_TEX, CV_FROM, CV_NO_RATE };

static const struct option converge_flags[] = {
    {"help", no_argument, NULL, NLIF_CLI_HELP},
    {"json", no_argument, NULL, CV_JSON},
    {"scheme", required_argument, NULL, CV_SCHEME},
    {"refine", required_argument, NULL, CV_REFINE},
    {"levels", required_argument, NULL, CV_LEVELS},
    {"coarsest", required_argument, NULL, CV_COARSEST},
    {"fixed-dt", no_argument, NULL, CV_FIXED_DT},
    {"no-rate", no_argument, NULL, CV_NO_RATE},
    {"ref-halvings", required_argument, NULL, CV_REF_HALVINGS},
    {"reference", required_argument, NULL, CV_REFERENCE},
    {"ref-opt", required_argument, NULL, CV_REF_OPT},
    {"opt", required_argument, NULL, CV_OPT},
    {"set", required_argument, NULL, CV_SET},
    {"out", required_argument, NULL, CV_OUT},
    {"plot", no_argument, NULL, CV_PLOT},
    {"tex", no_argument, NULL, CV_TEX},
    {"from", required_argument, NULL, CV_FROM},
    {0, 0, 0, 0}};

/* Append V to a list of at most 64: 0, or 1 when full (the flag is then refused as unexpected). */
static int append(const char **list, int *n, const char *v)
{
    if (*n >= 64)
        return 1;
    list[(*n)++] = v;
    return 0;
}

static int unexpected(const char *arg)
{
    fprintf(stderr, "nlif converge: unexpected argument '%s'\n", arg);
    return NLIF_EXIT_USAGE;
}

/* One flag C with its value (NULL when missing: refused as unexpected), or the positional CASE: 0,
 * or the exit code after the refusal. */
static int converge_flag(converge_args *a, int c, const nlif_cli_flags *p)
{
    const char *f = p->flag, *v = p->value;
    if (c == CV_JSON || c == CV_FIXED_DT || c == CV_PLOT || c == CV_TEX || c == CV_NO_RATE) {
        *(c == CV_JSON       ? &a->json
          : c == CV_FIXED_DT ? &a->fixed_dt
          : c == CV_PLOT     ? &a->plot
          : c == CV_NO_RATE  ? &a->no_rate
                             : &a->tex) = 1;
        return 0;
    }
    if (c == NLIF_CLI_POSITIONAL && v[0] != '-' && !a->name) {
        a->name = v;
        return 0;
    }
    if (v && c != NLIF_CLI_POSITIONAL && c != NLIF_CLI_UNKNOWN)
        switch (c) {
        case CV_SCHEME: a->scheme = v; return 0;
        case CV_REFINE: a->refine = v; return 0;
        case CV_LEVELS: return nlif_cli_long("converge", f, v, &a->levels);
        case CV_COARSEST: return nlif_cli_double("converge", f, v, &a->coarsest);
        case CV_REF_HALVINGS: return nlif_cli_long("converge", f, v, &a->halvings);
        case CV_REFERENCE: a->reference = v; return 0;
        case CV_OUT: a->out = v, a->out_given = 1; return 0;
        case CV_FROM: a->from = v; return 0;
        case CV_REF_OPT: return append(a->ref_opts, &a->n_ref_opts, v) ? unexpected(f) : 0;
        case CV_OPT: return append(a->opts, &a->n_opts, v) ? unexpected(f) : 0;
        case CV_SET: return append(a->sets, &a->n_sets, v) ? unexpected(f) : 0;
        }
    return unexpected(f);
}
/* What a study gives besides its JSON: the order table on stdout (or the JSON with --json), and with
 * --plot / --tex the figure and the LaTeX table in DIR (reports/nlif_study.h), every file named. The
 * tolerance is the order check's for the case (expect.order_tol): what the table flags is what verify
 * fails. */
static int product(const converge_args *a, const nlif_case *cs, const json_t *j, const char *json_path, const char *dir)
{
    double tol = nlif_check_bound(cs, "order_tol");
    if (a->json) {
        json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
        putchar('\n');
    } else
        nlif_study_table(stdout, j, tol);
    FILE *list = a->json ? stderr : stdout;
    fprintf(list, "  results: %s\n", json_path);
    nlif_error err = {0};
    nlif_study_options so = {tol, dir, a->plot, a->tex};
    if ((a->plot || a->tex) && nlif_study_write(j, &so, list, &err))
        return nlif_cli_report("converge", &err);
    return 0;
}

/* --from FILE: the product of a study written before (by converge or verify), nothing run. The case
 * named on the command line gives the tolerance and must be the study's. */
static int from_file(const converge_args *a)
{
    nlif_case cs;
    nlif_error err = {0};
    char why[1200] = "", dir[4096];
    if (nlif_checks_load_case(&cs, a->name, a->sets, a->n_sets, &err))
        return nlif_cli_report("converge", &err);
    json_t *j = nlif_vd_load_study(a->from, why, sizeof why);
    if (!j) {
        fprintf(stderr, "nlif converge: --from %s: %s\n", a->from, why[0] ? why : "not a convergence study");
        return NLIF_EXIT_USAGE;
    }
    const char *study_case = json_string_value(json_object_get(j, "case"));
    if (!study_case || strcmp(study_case, cs.name)) {
        fprintf(stderr, "nlif converge: --from %s is a study of case %s, not of %s\n", a->from,
                study_case ? study_case : "(none)", cs.name);
        json_decref(j);
        return NLIF_EXIT_USAGE;
    }
    snprintf(dir, sizeof dir, "%s", a->from);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    int rc = product(a, &cs, j, a->from, a->out_given ? a->out : dir);
    json_decref(j);
    return rc;
}

int nlif_cmd_converge(int argc, char **argv)
{
    converge_args a = {.out = "results/converge", .reference = "auto", .levels = 4, .coarsest = NAN};
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, converge_flags, 0);
    for (int c; (c = nlif_cli_flags_next(&p)) != -1;) {
        if (c == NLIF_CLI_HELP) {
            usage(stdout);
            return 0;
        }
        int rc = converge_flag(&a, c, &p);
        if (rc)
            return rc;
    }
    if (a.from && a.name)
        return a.out_given && nlif_mkdir_p(a.out, &(nlif_error){0}) ? NLIF_EXIT_USAGE : from_file(&a);
    const char *name = a.name, *scheme = a.scheme, *out = a.out, *refine = a.refine;
    const char *const *ref_opts = a.ref_opts;
    long levels = a.levels, halvings = a.halvings;
    double coarsest = a.coarsest;
    int n_ref_opts = a.n_ref_opts;
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
    const nlif_scheme_type *st = nlif_cli_scheme("converge", scheme);
    if (!st)
        return NLIF_EXIT_USAGE;
    nlif_case cs;
    nlif_error err = {0};
    if (nlif_checks_load_case(&cs, name, a.sets, a.n_sets, &err))
        return nlif_cli_report("converge", &err);
    nlif_optset opt;
    int orc = nlif_cli_scheme_options("converge", st, &cs, a.opts, a.n_opts, &opt);
    if (orc)
        return orc;
    if (halvings < 0 || halvings > 12) {
        fprintf(stderr, "nlif converge: --ref-halvings %ld (allowed: 1..12, 0 = default)\n", halvings);
        return NLIF_EXIT_USAGE;
    }
    nlif_converge_settings set = {a.reference, coarsest, ref_opts, n_ref_opts, (int)halvings, a.fixed_dt, a.no_rate};
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
    rc = product(&a, &cs, j, path, out);
    json_decref(j);
    return rc;
}
