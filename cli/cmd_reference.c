/* cmd_reference.c — `nlif reference`: the exact references of MATHEMATICS.md §2 from the command line.
 *
 *   nlif reference stationary   every stationary rate of a model (roots of N·I(N) = 1)
 *   nlif reference jump         the physical jump size Δ of a piecewise-linear density
 *   nlif reference catalogue    the references that apply to every case of the catalogue
 *                               (cli/cmd_reference_catalogue.c)
 *   nlif reference delay        the onset of oscillation of a delayed case (cli/cmd_reference_delay.c)
 *
 * The numbers come from reference/ (nlif_exact.h); this file only parses, validates and prints.
 * Text output is for people (6 decimals, at least 6 significant digits); --json prints full
 * precision with the parameters and the provenance.
 */
#include "../exact/nlif_density.h"
#include "../exact/nlif_exact.h"
#include "../harness/case/nlif_case.h"
#include "nlif_cli.h"
#include "../io/nlif_results.h"
#include "reference_cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


/* ---------------------------------------------------------------------------------------------- */
/* Shared helpers                                                                                  */

/* A rate with 6 decimals and at least 6 significant digits (0.134775, 2.289126, 0.0123456);
 * scientific notation outside [1e-4, 1e6). */
const char *nlif_ref_fmt_rate(double x, char *buf, size_t len)
{
    if (!isfinite(x) || x == 0)
        snprintf(buf, len, "%g", x);
    else if (fabs(x) < 1e-4 || fabs(x) >= 1e6)
        snprintf(buf, len, "%.5e", x);
    else {
        int dec = 5 - (int)floor(log10(fabs(x)));
        snprintf(buf, len, "%.*f", dec > 6 ? dec : 6, x);
    }
    return buf;
}

void nlif_ref_dump_json(json_t *j)
{
    json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    putchar('\n');
    json_decref(j);
}

json_t *nlif_ref_rates_json(const double *r, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_real(r[i]));
    return a;
}

json_t *nlif_ref_model_json(const nlif_model *m, double input)
{
    json_t *j = json_pack("{s:f, s:f, s:f, s:f, s:f, s:f}", "a0", m->a0, "a1", m->a1, "b", m->b, "v_f", m->v_f, "v_r",
                          m->v_r, "input", input);
    json_object_set_new(j, "v_min", isfinite(m->v_min) ? json_real(m->v_min) : json_string("-inf"));
    if (m->tau_ref > 0)
        json_object_set_new(j, "tau_ref", json_real(m->tau_ref));
    return j;
}

void nlif_ref_print_model(const nlif_model *m, double input)
{
    printf("model: a0 = %g, a1 = %g, b = %g, V_F = %g, V_R = %g, V_min = %g, I = %g", m->a0, m->a1, m->b, m->v_f,
           m->v_r, m->v_min, input);
    if (m->tau_ref > 0)
        printf(", tau_ref = %g", m->tau_ref);
    printf("\n");
}

/* ---------------------------------------------------------------------------------------------- */
/* nlif reference stationary                                                                       */

static void usage_stationary(FILE *f)
{
    fprintf(f,
            "usage: nlif reference stationary [--a0 A] [--a1 A1] [--b B] [--vf V] [--vr V] [--vmin V] [--input I]\n"
            "                                 [--tau-ref T] [--json]\n\n"
            "Every stationary firing rate N > 0 of the NNLIF model with constant input I, noise\n"
            "a(N) = a0 + a1 N, connectivity b and the zero-flux wall at V_min: all roots of N*I(N) = 1 with\n"
            "  I(N) = sqrt(pi/2) * int_{y_R}^{y_F} e^{y^2/2} [erfc(-y/sqrt 2) - erfc(-y_min/sqrt 2)] dy,\n"
            "  y = (V - b N - I)/sqrt(a(N))   (--vmin -inf: no wall, sqrt(pi/2) int erfcx(-y/sqrt 2) dy)\n"
            "(MATHEMATICS.md 2). Roots are bracketed on a log grid in N (1e-8 to 1e3, extended when a root\n"
            "lies beyond) and refined by Brent's method to 1e-14; close pairs near a fold are found by\n"
            "minimising |N*I(N) - 1| between grid points. With a refractory period T > 0 the roots are\n"
            "those of N*I(N) = 1 - T N (the density holds 1 - T N, the refractory state T N), all below 1/T.\n\n"
            "  --a0 A      noise a0 > 0           (default 1)\n"
            "  --a1 A1     rate-dependent noise   (default 0)\n"
            "  --b B       connectivity           (default 0)\n"
            "  --vf V      threshold V_F          (default 2)\n"
            "  --vr V      reset V_R < V_F        (default 1)\n"
            "  --vmin V    wall V_min < V_R       (default -4, the catalogue's; -inf: none)\n"
            "  --input I   constant input current (default 0)\n"
            "  --tau-ref T refractory period T >= 0 (default 0: none; MATHEMATICS.md 1.5)\n"
            "  --json      full precision, parameters and provenance as JSON\n\n"
            "Text output: one 'stationary rate: N' line per root (6 decimals, at least 6 significant\n"
            "digits), or 'no stationary state exists for b = ...'. Exit codes: 0 ok (also when no\n"
            "stationary state exists), 2 bad usage, 3 numerical failure.\n");
}

static int cmd_stationary(int argc, char **argv)
{
    const char *cmd = "reference stationary";
    nlif_model m = {.a0 = 1, .a1 = 0, .b = 0, .v_f = 2, .v_r = 1, .v_min = -4, .convention = NLIF_CONVENTION_A};
    double input = 0;
    int json = 0;
    /* val: 256 + the index in target[] of the parameter the flag sets, or 'j' for --json */
    static const struct option flags[] = {
        {"help", no_argument, NULL, NLIF_CLI_HELP}, {"json", no_argument, NULL, 'j'},
        {"a0", required_argument, NULL, 256},       {"a1", required_argument, NULL, 257},
        {"b", required_argument, NULL, 258},        {"vf", required_argument, NULL, 259},
        {"vr", required_argument, NULL, 260},       {"input", required_argument, NULL, 261},
        {"vmin", required_argument, NULL, 262},     {"tau-ref", required_argument, NULL, 263},
        {0, 0, 0, 0}};
    double *target[] = {&m.a0, &m.a1, &m.b, &m.v_f, &m.v_r, &input, &m.v_min, &m.tau_ref};
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, flags, 0);
    for (int c; (c = nlif_cli_flags_next(&p)) != -1;) {
        if (c == NLIF_CLI_HELP) {
            usage_stationary(stdout);
            return NLIF_EXIT_OK;
        } else if (c == 'j')
            json = 1;
        else if (c == 262 && p.value && !strcmp(p.value, "-inf"))
            m.v_min = -INFINITY;
        else if (c >= 256 && c <= 263) {
            int rc = nlif_cli_double(cmd, p.flag, p.value, target[c - 256]);
            if (rc)
                return rc;
        } else {
            fprintf(stderr, "nlif %s: unknown argument '%s'\n\n", cmd, p.flag);
            usage_stationary(stderr);
            return NLIF_EXIT_USAGE;
        }
    }
    if (!(m.a0 > 0) || m.a1 < 0 || !(m.v_r < m.v_f) || !(m.v_min < m.v_r) || !(m.tau_ref >= 0)) {
        fprintf(stderr, "nlif %s: need a0 > 0, a1 >= 0, V_min < V_R < V_F, tau_ref >= 0 (got a0 = %g, a1 = %g, V_min = "
                        "%g, V_R = %g, V_F = %g, tau_ref = %g)\n", cmd, m.a0, m.a1, m.v_min, m.v_r, m.v_f, m.tau_ref);
        return NLIF_EXIT_USAGE;
    }
    double roots[NLIF_MAX_ROOTS];
    int n = 0;
    nlif_error err = {0};
    if (nlif_stationary_rates(&m, input, roots, NLIF_MAX_ROOTS, &n, &err))
        return nlif_cli_report(cmd, &err);
    double limit = nlif_rate_limit_product(&m);
    if (json) {
        json_t *res = json_array();
        for (int i = 0; i < n; i++)
            json_array_append_new(res, json_real(nlif_rate_residual(&m, input, roots[i])));
        json_t *j = json_pack("{s:s, s:o, s:b, s:i, s:o, s:o, s:o, s:s, s:o}", "reference", "stationary", "parameters",
                              nlif_ref_model_json(&m, input), "exists", n > 0, "n_rates", n, "stationary_rates",
                              nlif_ref_rates_json(roots, n), "residuals", res, "limit_N_times_I", nlif_json_number(limit),
                              "method",
                              m.tau_ref > 0 ? "all roots of N*I(N) = 1 - tau_ref N (MATHEMATICS.md 2): log-grid brackets + "
                                              "Brent (1e-14), fold pairs by minimising the residual; I(N) by erfcx/Dawson + "
                                              "GSL qag (1e-13)" :
                              "all roots of N*I(N) = 1 (MATHEMATICS.md 2): log-grid brackets + Brent (1e-14), "
                              "fold pairs by minimising |N*I - 1|; I(N) by erfcx/Dawson + GSL qag (1e-13)",
                              "provenance", nlif_provenance_json());
        nlif_ref_dump_json(j);
        return NLIF_EXIT_OK;
    }
    nlif_ref_print_model(&m, input);
    char buf[64];
    if (n == 0) {
        printf("no stationary state exists for b = %g (a0 = %g, a1 = %g, V_F = %g, V_R = %g, I = %g): "
               "N*I(N) = 1 has no root N > 0",
               m.b, m.a0, m.a1, m.v_f, m.v_r, input);
        if (isfinite(limit))
            printf(" (N*I(N) -> (V_F - V_R)/b = %g < 1 as N -> infinity)", limit);
        printf("\n");
        return NLIF_EXIT_OK;
    }
    if (n > 1)
        printf("%d stationary states:\n", n);
    for (int i = 0; i < n; i++)
        printf("stationary rate: %s\n", nlif_ref_fmt_rate(roots[i], buf, sizeof buf));
    return NLIF_EXIT_OK;
}

/* ---------------------------------------------------------------------------------------------- */
/* nlif reference jump                                                                             */

static void usage_jump(FILE *f)
{
    fprintf(f,
            "usage: nlif reference jump --b B --table \"v p, v p, ...\" [--vf V] [--vr V] [--json]\n\n"
            "The physical jump size of a multiple firing event (MATHEMATICS.md 2, Delarue-Inglis-Rubenthaler-Tanre):\n"
            "  Delta = inf{ s > 0 : int_{V_F - b s}^{V_F} p(v) dv < s }\n"
            "for the piecewise-linear density through the table points (v non-decreasing; a repeated v is\n"
            "a jump of p; p = 0 outside the table; the table is used as given, not normalised). Exact: a\n"
            "quadratic root on each linear piece. Mass at or above V_F fires first. Delta never exceeds\n"
            "the total mass, and equals it when the cascade takes everything.\n\n"
            "  --b B        connectivity (required)\n"
            "  --table T    the density, e.g. \"0 0, 0 0.5, 1 0.5, 1 0, 1.9 0, 1.9 5, 2 5\" (required)\n"
            "  --vf V       threshold V_F (default 2)\n"
            "  --vr V       reset V_R, where the fired mass goes (default 1)\n"
            "  --json       full precision, the post-jump density and provenance as JSON\n\n"
            "Exit codes: 0 ok, 2 bad usage or table, 3 numerical failure.\n");
}

/* "v p, v p, ..." into arrays (at most max points); prints the problem and returns 2 on error. */
static int parse_table(const char *cmd, const char *text, double *v, double *p, int max, int *n)
{
    *n = 0;
    const char *s = text;
    while (*s) {
        char *end;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*n >= max) {
            fprintf(stderr, "nlif %s: --table: more than %d points\n", cmd, max);
            return NLIF_EXIT_USAGE;
        }
        double x = strtod(s, &end), y;
        if (end == s)
            goto bad;
        s = end;
        y = strtod(s, &end);
        if (end == s)
            goto bad;
        s = end;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s && *s != ',')
            goto bad;
        if (!isfinite(x) || !isfinite(y) || y < 0) {
            fprintf(stderr, "nlif %s: --table point %d: (%g, %g) must be finite with p >= 0\n", cmd, *n + 1, x, y);
            return NLIF_EXIT_USAGE;
        }
        if (*n && x < v[*n - 1]) {
            fprintf(stderr, "nlif %s: --table point %d: v = %g decreases (v must not decrease; repeat v for a jump)\n",
                    cmd, *n + 1, x);
            return NLIF_EXIT_USAGE;
        }
        v[*n] = x;
        p[(*n)++] = y;
        if (*s == ',')
            s++;
        continue;
    bad:
        fprintf(stderr, "nlif %s: --table: cannot read point %d at '%s' (expected \"v p, v p, ...\")\n", cmd, *n + 1,
                s);
        return NLIF_EXIT_USAGE;
    }
    if (*n < 2) {
        fprintf(stderr, "nlif %s: --table needs at least 2 points (got %d)\n", cmd, *n);
        return NLIF_EXIT_USAGE;
    }
    return 0;
}

/* Value of a table density just below x (its left limit; 0 beyond the table). Walking down, the
 * first piece of positive width that starts below x either covers x or the table ends below x. */
double nlif_ref_left_value(const double *v, const double *p, int n, double x)
{
    for (int k = n - 2; k >= 0; k--)
        if (v[k + 1] > v[k] && v[k] < x)
            return v[k + 1] >= x ? p[k] + (p[k + 1] - p[k]) * (x - v[k]) / (v[k + 1] - v[k]) : 0;
    return 0;
}

static json_t *table_json(const double *v, const double *p, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_pack("[f,f]", v[i], p[i]));
    return a;
}

static int cmd_jump(int argc, char **argv)
{
    const char *cmd = "reference jump";
    enum { MAXP = 4096 };
    static double v[MAXP], p[MAXP], vo[MAXP + 2], po[MAXP + 2];
    double b = NAN, v_f = 2, v_r = 1;
    const char *table = NULL;
    int json = 0, n = 0;
    static const struct option flags[] = {
        {"help", no_argument, NULL, NLIF_CLI_HELP}, {"json", no_argument, NULL, 'j'},
        {"b", required_argument, NULL, 'b'},        {"vf", required_argument, NULL, 'f'},
        {"vr", required_argument, NULL, 'r'},       {"table", required_argument, NULL, 't'},
        {0, 0, 0, 0}};
    nlif_cli_flags q;
    nlif_cli_flags_begin(&q, argc, argv, flags, 0);
    for (int c; (c = nlif_cli_flags_next(&q)) != -1;) {
        int rc = 0;
        if (c == NLIF_CLI_HELP) {
            usage_jump(stdout);
            return NLIF_EXIT_OK;
        } else if (c == 'j')
            json = 1;
        else if (c == 'b' || c == 'f' || c == 'r')
            rc = nlif_cli_double(cmd, q.flag, q.value, c == 'b' ? &b : c == 'f' ? &v_f : &v_r);
        else if (c == 't' && q.value)
            table = q.value;
        else {
            fprintf(stderr, "nlif %s: unknown or incomplete argument '%s'\n\n", cmd, q.flag);
            usage_jump(stderr);
            return NLIF_EXIT_USAGE;
        }
        if (rc)
            return rc;
    }
    if (isnan(b) || !table) {
        fprintf(stderr, "nlif %s: --b and --table are required\n\n", cmd);
        usage_jump(stderr);
        return NLIF_EXIT_USAGE;
    }
    if (!(v_r < v_f)) {
        fprintf(stderr, "nlif %s: need V_R < V_F (got V_R = %g, V_F = %g)\n", cmd, v_r, v_f);
        return NLIF_EXIT_USAGE;
    }
    int rc = parse_table(cmd, table, v, p, MAXP, &n);
    if (rc)
        return rc;
    nlif_error err = {0};
    double delta, total = nlif_mass_above(v, p, n, -INFINITY), above = nlif_mass_above(v, p, n, v_f);
    int no = 0;
    if (nlif_jump_size(v, p, n, v_f, b, &delta, &err) || nlif_jump_post(v, p, n, v_f, b, delta, vo, po, &no, &err))
        return nlif_cli_report(cmd, &err);
    double rest = nlif_mass_above(vo, po, no, -INFINITY);
    if (json) {
        json_t *j = json_pack("{s:s, s:{s:f, s:f, s:f, s:o}, s:f, s:f, s:f, s:{s:f, s:f, s:f, s:o}, s:s, s:o}",
                              "reference", "jump", "parameters", "b", b, "v_f", v_f, "v_r", v_r, "table",
                              table_json(v, p, n), "jump_size", delta, "total_mass", total, "mass_at_or_above_v_f",
                              above, "after", "dirac_at_v_r", delta, "shift", b * delta, "non_fired_mass", rest,
                              "non_fired_table", table_json(vo, po, no), "convention",
                              "A: fired mass sits at V_R, not kicked by its own cascade", "provenance",
                              nlif_provenance_json());
        nlif_ref_dump_json(j);
        return NLIF_EXIT_OK;
    }
    printf("jump size: %.12g\n", delta);
    if (delta > 0)
        printf("  fired mass %.12g -> Dirac mass at V_R = %g (convention A); non-fired mass %.12g shifted by "
               "b*Delta = %.12g\n",
               delta, v_r, rest, b * delta);
    else if (b > 0)
        printf("  no cascade: b*p(V_F-) = %.6g (a cascade needs the density at V_F to reach 1/b)\n",
               b * nlif_ref_left_value(v, p, n, v_f));
    else
        printf("  no cascade: b <= 0 and no mass at or above V_F\n");
    if (delta > 0 && fabs(delta - total) <= 1e-12 * total)
        printf("  the cascade takes all the mass (%.12g): Delta is bounded by the total mass\n", total);
    return NLIF_EXIT_OK;
}

/* ---------------------------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif reference SUBCOMMAND [ARGS...]   (nlif reference SUBCOMMAND --help for each)\n\n"
               "Exact references (MATHEMATICS.md 2):\n"
               "  stationary   every stationary rate of a model: all roots of N*I(N) = 1\n"
               "  jump         the physical jump size of a piecewise-linear density\n"
               "  catalogue    the references that apply to every case of the catalogue (make run)\n"
               "  delay        the critical delay d_c and frequency of the Hopf onset of a delayed inhibitory case\n");
}

int nlif_cmd_reference(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return NLIF_EXIT_USAGE;
    }
    if (nlif_cli_is_help(argv[1])) {
        usage(stdout);
        return NLIF_EXIT_OK;
    }
    static const struct {
        const char *name;
        int (*fn)(int argc, char **argv);
    } sub[] = {{"stationary", cmd_stationary}, {"jump", cmd_jump}, {"catalogue", nlif_cmd_reference_catalogue},
               {"delay", nlif_cmd_reference_delay}};
    for (size_t k = 0; k < sizeof sub / sizeof sub[0]; k++)
        if (!strcmp(argv[1], sub[k].name))
            return sub[k].fn(argc - 1, argv + 1);
    fprintf(stderr, "nlif reference: unknown subcommand '%s'\n\n", argv[1]);
    usage(stderr);
    return NLIF_EXIT_USAGE;
}
