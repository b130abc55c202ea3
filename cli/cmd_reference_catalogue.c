/* cmd_reference_catalogue.c — `nlif reference catalogue`: the exact references (MATHEMATICS.md §2) that
 * apply to every case of the catalogue — stationary rates (or the structured relation), the jump of
 * the initial data, the jump caused by a kick from a known state. Split from cmd_reference.c. */
#include "../exact/nlif_density.h"
#include "../exact/nlif_exact.h"
#include "../harness/case/nlif_case.h"
#include "../harness/checks/nlif_check.h"
#include "nlif_cli.h"
#include "../io/nlif_results.h"
#include "reference_cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Points of the fine table on which a Gaussian initial law is evaluated for the jump. */
#define GAUSS_TABLE_POINTS 20001

/* ---------------------------------------------------------------------------------------------- */
/* nlif reference catalogue                                                                        */

static void usage_catalogue(FILE *f)
{
    fprintf(f,
            "usage: nlif reference catalogue [--json]\n\n"
            "For every case of the catalogue, the exact references that apply (MATHEMATICS.md 2):\n"
            "  - every stationary rate of the model with the case's constant input (input.i0 for the\n"
            "    none/constant/kick types; n.a. for sine and pulse inputs); a1 > 0 included;\n"
            "  - structured cases: every rate of N = int rho(w) N_inf(wN + I) dw for the initial weight\n"
            "    law (the stationary states when there is no learning, the eps -> 0 quasi-static state at\n"
            "    t = 0 otherwise), and for the linear rule the long-time rates with b = w*;\n"
            "  - when b > 0 and the initial density reaches the plateau 1/b at V_F (or, for cases tagged\n"
            "    mfe, anywhere), the jump size of the initial density (Gaussian laws on a %d-point table);\n"
            "  - for a kick from the stationary state: the jump of the shifted profile (the mass pushed\n"
            "    above V_F fires first, then the cascade).\n"
            "Exit codes: 0 ok, 2 an invalid case, 3 numerical failure (the other cases still run).\n",
            GAUSS_TABLE_POINTS);
}

/* The initial voltage law as a piecewise-linear table (owned by the caller: free v, p). */
static int initial_table(const nlif_case *cs, const nlif_density *d, double **v, double **p, int *n, nlif_error *err)
{
    int m = d->kind == NLIF_DENSITY_TABLE ? d->n : GAUSS_TABLE_POINTS;
    *v = malloc(m * sizeof **v);
    *p = malloc(m * sizeof **p);
    if (!*v || !*p) {
        free(*v);
        free(*p);
        *v = *p = NULL;
        return nlif_fail(err, NLIF_ENOMEM, "table of %d points", m);
    }
    if (d->kind == NLIF_DENSITY_TABLE) {
        memcpy(*v, d->v, m * sizeof **v);
        memcpy(*p, d->p, m * sizeof **p);
    } else {
        double lo = cs->model.v_min, hi = cs->model.v_f;
        for (int k = 0; k < m; k++) {
            (*v)[k] = k == m - 1 ? hi : lo + (hi - lo) * k / (m - 1);
            (*p)[k] = nlif_density_pdf(d, (*v)[k]);
        }
    }
    *n = m;
    return NLIF_OK;
}

static double table_max(const double *p, int n)
{
    double mx = 0;
    for (int k = 0; k < n; k++)
        mx = p[k] > mx ? p[k] : mx;
    return mx;
}

typedef struct catalogue_state {
    int json, worst;
    json_t *cases;
} catalogue_state;

static void note_failure(catalogue_state *st, const char *name, const nlif_error *err)
{
    fprintf(stderr, "nlif reference catalogue: %s: %s\n", name, err->msg);
    int code = nlif_exit_code(err->code);
    if (code > st->worst)
        st->worst = code;
}

static void print_rates(const char *label, const double *r, int n)
{
    char buf[64];
    printf("  %s: ", label);
    if (n == 0)
        printf("none (no stationary state exists)");
    for (int i = 0; i < n; i++)
        printf("%s%s", i ? ", " : "", nlif_ref_fmt_rate(r[i], buf, sizeof buf));
    printf("\n");
}

static int constant_input(const nlif_input *in, double *i0)
{
    *i0 = in->i0;
    return in->type == NLIF_INPUT_NONE || in->type == NLIF_INPUT_CONSTANT || in->type == NLIF_INPUT_KICK;
}

/* Stationary rates (1D) or the structured relation; adds to the case's JSON object. */
static int stationary_part(catalogue_state *st, const nlif_case *cs, json_t *cj, nlif_error *err)
{
    double i0, r[NLIF_MAX_ROOTS];
    int n = 0;
    if (!constant_input(&cs->input, &i0)) {
        if (!st->json)
            printf("  stationary rates: n.a. (time-dependent input: %s)\n", nlif_input_type_name(cs->input.type));
        json_object_set_new(cj, "stationary", json_pack("{s:s}", "applies", "n.a. (time-dependent input)"));
        return NLIF_OK;
    }
    if (!cs->structure.enabled) {
        int rc = nlif_stationary_rates(&cs->model, i0, r, NLIF_MAX_ROOTS, &n, err);
        if (rc)
            return rc;
        char label[96];
        snprintf(label, sizeof label, "stationary rates (I = %g)", i0);
        if (!st->json)
            print_rates(label, r, n);
        json_object_set_new(cj, "stationary",
                            json_pack("{s:f, s:o}", "input", i0, "stationary_rates", nlif_ref_rates_json(r, n)));
        return NLIF_OK;
    }
    const nlif_structure *s = &cs->structure;
    nlif_density rho;
    int rc = nlif_weight_density_init(&rho, s, err);
    if (rc)
        return rc;
    rc = nlif_structured_rates(&cs->model, i0, &rho, r, NLIF_MAX_ROOTS, &n, err);
    nlif_density_free(&rho);
    if (rc)
        return rc;
    const char *what = s->rule == NLIF_RULE_NONE ? "stationary rates, N = int rho0(w) N_inf(wN + I) dw"
                                                 : "eps -> 0 quasi-static rates at t = 0, N = int rho0 N_inf(wN + I) dw";
    if (!st->json)
        print_rates(what, r, n);
    json_t *sj = json_pack("{s:f, s:s, s:o}", "input", i0, "relation", what, "structured_rates", nlif_ref_rates_json(r, n));
    if (s->rule == NLIF_RULE_LINEAR && s->w_star >= s->w_min && s->w_star <= s->w_max) {
        /* Linear learning drives every weight to w*: the long-time state is the 1D one with b = w*. */
        nlif_model m = cs->model;
        m.b = s->w_star;
        double rl[NLIF_MAX_ROOTS];
        int nl = 0;
        rc = nlif_stationary_rates(&m, i0, rl, NLIF_MAX_ROOTS, &nl, err);
        if (rc) {
            json_decref(sj);
            return rc;
        }
        char label[96];
        snprintf(label, sizeof label, "long-time rates (linear rule: rho -> delta(w - w*), b = w* = %g)", s->w_star);
        if (!st->json)
            print_rates(label, rl, nl);
        json_object_set_new(sj, "long_time_rates", nlif_ref_rates_json(rl, nl));
        json_object_set_new(sj, "long_time_b", json_real(s->w_star));
    }
    json_object_set_new(cj, "stationary", sj);
    return NLIF_OK;
}

/* Jump of the initial density, for b > 0 when the density at V_F reaches the plateau 1/b (a jump at
 * t = 0), or when an MFE case's data exceeds 1/b somewhere (then Δ = 0 is the reference: the MFE
 * comes later, and the schemes measure it). */
static int initial_jump_part(catalogue_state *st, const nlif_case *cs, const double *v, const double *p, int n,
                             json_t *cj, nlif_error *err)
{
    double b = cs->model.b, peak = table_max(p, n), at_v_f = nlif_ref_left_value(v, p, n, cs->model.v_f);
    if (cs->structure.enabled || !(b > 0))
        return NLIF_OK;
    if (b * at_v_f < 1 && !(nlif_case_has_tag(cs, "mfe") && b * peak >= 1))
        return NLIF_OK;
    double delta, after_v_f = at_v_f;
    int rc = nlif_jump_size(v, p, n, cs->model.v_f, b, &delta, err);
    if (rc)
        return rc;
    if (!st->json) {
        if (delta > 0)
            printf("  initial jump: Delta = %.10g (b*p0(V_F-) = %.6g >= 1: a cascade at t = 0; non-fired part "
                   "shifted by b*Delta = %.10g)\n",
                   delta, b * after_v_f, b * delta);
        else
            printf("  initial jump: Delta = 0 (b*p0(V_F-) = %.3g < 1: no jump at t = 0; the data exceeds 1/b "
                   "below V_F, max b*p0 = %.6g: an MFE, if any, comes later)\n",
                   b * after_v_f, b * peak);
    }
    json_object_set_new(cj, "initial_jump",
                        json_pack("{s:f, s:f, s:f, s:i}", "jump_size", delta, "b_p0_at_v_f", b * after_v_f,
                                  "max_b_p0", b * peak, "table_points", n));
    return NLIF_OK;
}

/* Jump caused by the instantaneous kick when the state before it is known exactly. */
static int kick_jump_part(catalogue_state *st, const nlif_case *cs, const double *v, const double *p, int n,
                          json_t *cj, nlif_error *err)
{
    const nlif_input *in = &cs->input;
    if (in->type != NLIF_INPUT_KICK)
        return NLIF_OK;
    if (cs->initial.type != NLIF_INIT_STATIONARY || cs->structure.enabled) {
        if (!st->json)
            printf("  kick jump: n.a. (the density at t0 = %g is not known in closed form)\n", in->t0);
        json_object_set_new(cj, "kick_jump", json_pack("{s:s}", "applies", "n.a. (density at t0 not exact)"));
        return NLIF_OK;
    }
    /* The stationary state is at rest until t0; the kick shifts it by `kick`. */
    double *vs = malloc(n * sizeof *vs);
    if (!vs)
        return nlif_fail(err, NLIF_ENOMEM, "kick table");
    for (int k = 0; k < n; k++)
        vs[k] = v[k] + in->kick;
    double delta, above = nlif_mass_above(vs, p, n, cs->model.v_f);
    int rc = nlif_jump_size(vs, p, n, cs->model.v_f, cs->model.b, &delta, err);
    free(vs);
    if (rc)
        return rc;
    if (!st->json)
        printf("  kick jump at t0 = %g: Delta = %.10g (kick %g pushes mass %.10g above V_F, which fires first; "
               "the cascade adds %.10g)\n",
               in->t0, delta, in->kick, above, delta - above);
    json_object_set_new(cj, "kick_jump",
                        json_pack("{s:f, s:f, s:f, s:f}", "t0", in->t0, "kick", in->kick, "mass_pushed_above_v_f",
                                  above, "jump_size", delta));
    return NLIF_OK;
}

static void one_case(catalogue_state *st, const char *name)
{
    nlif_case cs;
    nlif_error err = {0};
    if (nlif_checks_load_case(&cs, name, NULL, 0, &err)) {
        note_failure(st, name, &err);
        return;
    }
    const nlif_model *m = &cs.model;
    char tau[48] = ""; /* a refractory period (MATHEMATICS.md 1.5) */
    if (m->tau_ref > 0)
        snprintf(tau, sizeof tau, ", tau_ref = %g", m->tau_ref);
    if (!st->json)
        printf("%s  (b = %g, a0 = %g, a1 = %g, V_F = %g, V_R = %g%s; input %s; initial %s%s)\n", name, m->b, m->a0,
               m->a1, m->v_f, m->v_r, tau, nlif_input_type_name(cs.input.type),
               nlif_initial_type_name(cs.initial.type), cs.structure.enabled ? "; structured" : "");
    json_t *cj = json_pack("{s:s, s:o}", "case", name, "model", nlif_ref_model_json(m, cs.input.i0));
    nlif_density d;
    double *v = NULL, *p = NULL;
    int n = 0;
    int rc = stationary_part(st, &cs, cj, &err);
    if (!rc && !cs.structure.enabled) {
        rc = nlif_density_init(&d, &cs, &err);
        if (!rc) {
            rc = initial_table(&cs, &d, &v, &p, &n, &err);
            nlif_density_free(&d);
        }
        if (!rc)
            rc = initial_jump_part(st, &cs, v, p, n, cj, &err);
        if (!rc)
            rc = kick_jump_part(st, &cs, v, p, n, cj, &err);
        free(v);
        free(p);
    }
    if (rc) {
        note_failure(st, name, &err);
        json_object_set_new(cj, "error", json_string(err.msg));
    }
    json_array_append_new(st->cases, cj);
}

int nlif_cmd_reference_catalogue(int argc, char **argv)
{
    catalogue_state st = {0, 0, NULL};
    static const struct option flags[] = {
        {"help", no_argument, NULL, NLIF_CLI_HELP}, {"json", no_argument, NULL, 'j'}, {0, 0, 0, 0}};
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, flags, 0);
    for (int c; (c = nlif_cli_flags_next(&p)) != -1;) {
        if (c == NLIF_CLI_HELP) {
            usage_catalogue(stdout);
            return NLIF_EXIT_OK;
        } else if (c == 'j')
            st.json = 1;
        else {
            fprintf(stderr, "nlif reference catalogue: unknown argument '%s'\n\n", p.flag);
            usage_catalogue(stderr);
            return NLIF_EXIT_USAGE;
        }
    }
    static char names[NLIF_MAX_CASES][NLIF_NAME_MAX];
    int n = 0;
    nlif_error err = {0};
    if (nlif_catalogue(names, NLIF_MAX_CASES, &n, &err))
        return nlif_cli_report("reference catalogue", &err);
    st.cases = json_array();
    if (!st.json)
        printf("exact references of the catalogue (%d cases; MATHEMATICS.md 2; commit %s)\n", n, nlif_commit());
    for (int i = 0; i < n; i++)
        one_case(&st, names[i]);
    if (st.json)
        nlif_ref_dump_json(json_pack("{s:s, s:o, s:o}", "reference", "catalogue", "cases", st.cases, "provenance",
                            nlif_provenance_json()));
    else
        json_decref(st.cases);
    return st.worst;
}

