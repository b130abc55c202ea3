/* test_fresh.c — fresh instances (MATHEMATICS.md §6, "Fresh instances"; harness/case/nlif_fresh.h,
 * harness/verify/verify_fresh.c): the one derivation of the stationary-rate bound gives every
 * stationary catalogue case's stated rate_tol; the same seed draws the same problems and another seed
 * others; every draw lies in the valid region and a problem outside it is refused (verify --fresh-at:
 * exit 2 with the reason); verify records the seed and the drawn parameters, repeats its verdicts with
 * --seed, and judge of the folder gives the same; a solver that answers with the catalogue case's
 * stored exact rate passes the catalogue case and FAILs its fresh instances; the problem a solver
 * receives (nlif problem) carries no reference value of its case.
 */
#include "nlif_test.h"

#include "../exact/nlif_exact.h"
#include "../harness/case/nlif_case.h"
#include "../harness/case/nlif_fresh.h"
#include "../harness/checks/nlif_check.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const stationary[] = {"relax_driven", "relax_excitatory", "relax_inhibitory", "relax_linear",
                                         "bistable_low", "noisy_rate", NULL};

/* The catalogue's rate_tol of every stationary case is the derivation nlif_fresh_rate_tol, to the two
 * digits the case states: the fresh instances' bounds come from the same formula. */
static void derivation_gives_every_stated_bound(void)
{
    for (int i = 0; stationary[i]; i++) {
        nlif_case cs;
        char why[400] = "";
        if (!nlif_test_load(&cs, stationary[i], NULL, 0))
            continue;
        int ok = nlif_fresh_eligible(&cs, why, sizeof why);
        if (!ok)
            fprintf(stderr, "\n  %s: %s\n", stationary[i], why);
        CU_ASSERT(ok);
        /* a bound that is not the derivation makes the case ineligible */
        for (int b = 0; b < cs.expect.n_bounds; b++)
            if (!strcmp(cs.expect.bounds[b].key, "rate_tol"))
                snprintf(cs.expect.bounds[b].value, sizeof cs.expect.bounds[b].value, "%s", "0.01");
        CU_ASSERT(!nlif_fresh_eligible(&cs, why, sizeof why));
    }
    /* a case that is not stationary has none */
    nlif_case cs;
    char why[400];
    if (nlif_test_load(&cs, "smooth_short", NULL, 0))
        CU_ASSERT(!nlif_fresh_eligible(&cs, why, sizeof why));
}

/* The same seed draws the same parameters; another seed others; every draw lies in the region, V_R on
 * a grid node, and its bound is the derivation at its own exact root. */
static void seeds_repeat_and_differ(void)
{
    for (int i = 0; stationary[i]; i++) {
        nlif_case cs;
        if (!nlif_test_load(&cs, stationary[i], NULL, 0))
            continue;
        for (int k = 1; k <= 4; k++) {
            nlif_fresh_params p, q, r;
            nlif_fresh_exact x, y, z;
            int na, nb, nc;
            char why[400];
            CU_ASSERT_EQUAL(nlif_fresh_draw(&cs, 12345, k, &p, &x, &na, why, sizeof why), 0);
            CU_ASSERT_EQUAL(nlif_fresh_draw(&cs, 12345, k, &q, &y, &nb, why, sizeof why), 0);
            CU_ASSERT_EQUAL(nlif_fresh_draw(&cs, 12346, k, &r, &z, &nc, why, sizeof why), 0);
            CU_ASSERT(!memcmp(&p, &q, sizeof p) && x.rate == y.rate && x.rate_tol == y.rate_tol);
            CU_ASSERT(memcmp(&p, &r, sizeof p) != 0);
            CU_ASSERT(x.rate != z.rate);
            nlif_fresh_exact again;
            CU_ASSERT(nlif_fresh_valid(&cs, &p, &again, why, sizeof why));
            double j = (p.x[NLIF_FRESH_VR] - cs.model.v_min) / cs.run.dv;
            CU_ASSERT(fabs(j - nearbyint(j)) < 1e-9);
            /* the exact root is a root (§2) and the bound the derivation there */
            nlif_model m = cs.model;
            m.a0 = p.x[NLIF_FRESH_A0], m.a1 = p.x[NLIF_FRESH_A1], m.b = p.x[NLIF_FRESH_B], m.v_r = p.x[NLIF_FRESH_VR];
            CU_ASSERT(fabs(nlif_rate_residual(&m, p.x[NLIF_FRESH_I0], x.rate)) < 1e-8);
            NLIF_ASSERT_CLOSE(x.rate_tol, nlif_fresh_rate_tol(&m, p.x[NLIF_FRESH_I0], cs.run.dv, x.rate), 1e-15, 0);
            /* the problem differs from the catalogue's: its exact rate moved by more than the bound */
            if (k == 1)
                printf("\n  %s~f1 (seed 12345): b %.4g, i0 %.4g, a0 %.4g, V_R %.4g -> N %.6g, rate_tol %.3g (%d draw(s))",
                       cs.name, p.x[NLIF_FRESH_B], p.x[NLIF_FRESH_I0], p.x[NLIF_FRESH_A0], p.x[NLIF_FRESH_VR], x.rate,
                       x.rate_tol, na);
        }
    }
    printf("\n");
}

/* Outside the region: the box, V_R off the grid, another number of roots, V_F - mu too small. */
static void outside_the_region_is_refused(void)
{
    nlif_case cs;
    nlif_fresh_params p;
    nlif_fresh_exact x;
    char why[400];
    if (!nlif_test_load(&cs, "relax_driven", NULL, 0))
        return;
    nlif_fresh_params_of(&cs, &p);
    CU_ASSERT(nlif_fresh_valid(&cs, &p, &x, why, sizeof why)); /* the case itself is inside */
    NLIF_ASSERT_CLOSE(x.rate, 0.7647870375, 1e-9, 0);       /* the rate of §2 with the wall at -4 (I = 1.5) */
    p.x[NLIF_FRESH_B] = 5;
    CU_ASSERT(!nlif_fresh_valid(&cs, &p, &x, why, sizeof why));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "outside the box"));
    nlif_fresh_params_of(&cs, &p);
    p.x[NLIF_FRESH_VR] = 1.011; /* not a node of dv = 0.02 */
    CU_ASSERT(!nlif_fresh_valid(&cs, &p, &x, why, sizeof why));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "grid node"));
    nlif_fresh_params_of(&cs, &p);
    p.x[NLIF_FRESH_I0] = 1.75, p.x[NLIF_FRESH_B] = 0.1; /* inside the box; mu = 1.75 + 0.1 N close to V_F */
    CU_ASSERT(!nlif_fresh_valid(&cs, &p, &x, why, sizeof why));
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "V_F - mu"));
    /* bistable_low: b = 1.8 keeps two roots; the low root is judged */
    if (!nlif_test_load(&cs, "bistable_low", NULL, 0))
        return;
    nlif_fresh_params_of(&cs, &p);
    p.x[NLIF_FRESH_B] = 1.8;
    CU_ASSERT(nlif_fresh_valid(&cs, &p, &x, why, sizeof why));
    CU_ASSERT_EQUAL(x.n_roots, 2);
    CU_ASSERT_EQUAL(x.root, 0);
}


/* ------------------------------------------------------------------------------------------------ */
/* Through the command line. */

#define SCRATCH "results/check/test_fresh"

static json_t *load(const char *path)
{
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (!j)
        fprintf(stderr, "\n  %s: %s\n", path, e.text);
    return j;
}

/* The cells of the verdict record R whose case is NAME (the catalogue case or one instance). */
static json_t *cells_of(const json_t *r, const char *name)
{
    json_t *out = json_array(), *c;
    size_t i;
    json_array_foreach(json_object_get(r, "cells"), i, c)
    {
        if (!strcmp(json_string_value(json_object_get(c, "case")), name))
            json_array_append(out, c);
    }
    return out;
}

static const char *verdict(const json_t *r, const char *cs, const char *scheme, const char *check)
{
    json_t *c;
    size_t i;
    json_array_foreach(json_object_get(r, "cells"), i, c)
    {
        if (!strcmp(json_string_value(json_object_get(c, "case")), cs) &&
            !strcmp(json_string_value(json_object_get(c, "scheme")), scheme) &&
            !strcmp(json_string_value(json_object_get(c, "check")), check))
            return json_string_value(json_object_get(c, "verdict"));
    }
    return "(no cell)";
}

/* verify --seed S twice: the same drawn parameters and the same verdicts; another seed other
 * parameters; the seed and the parameters in verdicts.json; judge of the folder the same verdicts. */
static void verify_repeats_with_the_seed(void)
{
    char cmd[2048], out[1 << 14];
    const char *run = "%s verify --quick --cases relax_driven --schemes spap -j 2 --fresh 2 --seed %d --out " SCRATCH
                      "/%s > " SCRATCH "/%s.log 2>&1";
    nlif_test_sh("rm -rf " SCRATCH " && mkdir -p " SCRATCH, out, sizeof out);
    const char *dirs[] = {"a", "b", "c"};
    int seeds[] = {41, 41, 42};
    for (int i = 0; i < 3; i++) {
        snprintf(cmd, sizeof cmd, run, nlif_test_bin(), seeds[i], dirs[i], dirs[i]);
        CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    }
    snprintf(cmd, sizeof cmd, "grep -c 'fresh instances: seed 41 (repeat with --seed 41)' " SCRATCH "/a.log");
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    json_t *a = load(SCRATCH "/a/verdicts.json"), *b = load(SCRATCH "/b/verdicts.json"), *c = load(SCRATCH "/c/verdicts.json");
    CU_ASSERT_FATAL(a && b && c);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(a, "seed")), 41);
    json_t *fa = json_object_get(a, "fresh_instances"), *fb = json_object_get(b, "fresh_instances"),
           *fc = json_object_get(c, "fresh_instances");
    CU_ASSERT_EQUAL(json_array_size(fa), 2);
    CU_ASSERT(json_equal(fa, fb));
    CU_ASSERT(!json_equal(json_object_get(json_array_get(fa, 0), "drawn"), json_object_get(json_array_get(fc, 0), "drawn")));
    const char *names[] = {"relax_driven", "relax_driven~f1", "relax_driven~f2"};
    for (int i = 0; i < 3; i++) {
        json_t *ca = cells_of(a, names[i]), *cb = cells_of(b, names[i]);
        CU_ASSERT(json_array_size(ca) >= 5);
        /* the same figures; the paths differ by folder */
        for (size_t k = 0; k < json_array_size(ca) && k < json_array_size(cb); k++)
            CU_ASSERT(json_equal(json_object_get(json_array_get(ca, k), "measured"), json_object_get(json_array_get(cb, k), "measured")) &&
                      json_equal(json_object_get(json_array_get(ca, k), "verdict"), json_object_get(json_array_get(cb, k), "verdict")));
        json_decref(ca);
        json_decref(cb);
    }
    /* the instances are judged, and spap passes them; the run read a case file without a bound */
    CU_ASSERT_STRING_EQUAL(verdict(a, "relax_driven~f1", "spap", "stationary_rate"), "pass");
    CU_ASSERT_STRING_EQUAL(verdict(a, "relax_driven~f2", "spap", "mass"), "pass");
    CU_ASSERT_EQUAL(nlif_test_sh("grep -c 'rate_tol\\|0.7647' '" SCRATCH "/a/cases/relax_driven~f1.ini'", out, sizeof out), 1);
    /* judge of the folder rebuilds the instances from its record: the same verdicts */
    snprintf(cmd, sizeof cmd, "%s judge " SCRATCH "/a --verdicts " SCRATCH "/j.json", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    json_t *j = load(SCRATCH "/j.json");
    CU_ASSERT(j && json_equal(json_object_get(j, "cells"), json_object_get(a, "cells")) &&
              json_equal(json_object_get(j, "fresh_instances"), fa));
    /* a record whose parameters the seed does not draw is refused */
    snprintf(cmd, sizeof cmd, "sed -i 's/\"seed\": 41/\"seed\": 43/' " SCRATCH "/a/fresh.json && %s judge " SCRATCH "/a",
             nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "does not draw these parameters"));
    json_decref(a), json_decref(b), json_decref(c), json_decref(j);
}

/* --fresh-at: inside the region an instance CASE~x1, outside refused at planning with the reason. */
static void given_instances_are_checked(void)
{
    char cmd[2048], out[1 << 14];
    snprintf(cmd, sizeof cmd, "%s verify --quick --cases relax_driven --schemes spap --fresh 0 --fresh-at relax_driven:b=5 "
             "--out " SCRATCH "/x", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "outside the valid region"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "b = 5 is outside the box"));
    snprintf(cmd, sizeof cmd, "%s verify --quick --cases relax_driven --schemes spap --fresh 0 --fresh-at "
             "relax_driven:i0=1.75,b=0.1 --out " SCRATCH "/x", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "V_F - mu"));
    snprintf(cmd, sizeof cmd, "%s verify --quick --cases relax_driven --schemes spap --fresh 0 --fresh-at "
             "relax_driven:i0=1.3,a0=0.9 --out " SCRATCH "/x > /dev/null 2>&1", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    json_t *x = load(SCRATCH "/x/verdicts.json");
    CU_ASSERT_STRING_EQUAL(verdict(x, "relax_driven~x1", "spap", "stationary_rate"), "pass");
    json_decref(x);
    /* --fresh 0: none, and no seed in the record */
    snprintf(cmd, sizeof cmd, "%s verify --quick --cases relax_driven --schemes spap --fresh 0 --out " SCRATCH
             "/y > /dev/null 2>&1", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    json_t *y = load(SCRATCH "/y/verdicts.json");
    CU_ASSERT(y && !json_object_get(y, "seed") && !strcmp(verdict(y, "relax_driven~f1", "spap", "status"), "(no cell)"));
    json_decref(y);
}

/* A solver that answers the catalogue case's stored exact rate (tests/mutants.c m_stored_rate)
 * passes relax_driven and FAILs its fresh instances; the real spap passes both. */
static void stored_answers_fail_fresh_instances(void)
{
    char cmd[2048], out[1 << 14];
    snprintf(cmd, sizeof cmd, "build/tests/nlif_mutants verify --quick --cases relax_driven --schemes spap,m_stored_rate -j 2 "
             "--fresh 2 --seed 41 --out " SCRATCH "/m > /dev/null 2>&1");
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 1);
    json_t *m = load(SCRATCH "/m/verdicts.json");
    CU_ASSERT_FATAL(m != NULL);
    CU_ASSERT_STRING_EQUAL(verdict(m, "relax_driven", "m_stored_rate", "stationary_rate"), "pass");
    CU_ASSERT_STRING_EQUAL(verdict(m, "relax_driven~f1", "m_stored_rate", "stationary_rate"), "FAIL");
    CU_ASSERT_STRING_EQUAL(verdict(m, "relax_driven~f2", "m_stored_rate", "stationary_rate"), "FAIL");
    for (int k = 0; k < 3; k++)
        CU_ASSERT_STRING_EQUAL(verdict(m, k ? (k == 1 ? "relax_driven~f1" : "relax_driven~f2") : "relax_driven", "spap",
                                       "stationary_rate"), "pass");
    json_decref(m);
}

/* The exact references of case CS: its stationary roots (§2) and its stored Monte Carlo means. */
static int references(const nlif_case *cs, double *ref, int max)
{
    int n = 0;
    nlif_error e = {0};
    double i0 = cs->input.type == NLIF_INPUT_NONE ? 0 : cs->input.i0;
    if (!cs->structure.enabled && nlif_stationary_rates(&cs->model, i0, ref, max, &n, &e))
        n = 0;
    char path[512];
    snprintf(path, sizeof path, "reference/data/%s/%s.json", cs->name, cs->name);
    json_t *mc = json_load_file(path, 0, NULL), *ev;
    size_t i;
    if (mc && n < max && json_is_number(json_object_get(mc, "rate_final_mean")))
        ref[n++] = json_number_value(json_object_get(mc, "rate_final_mean"));
    json_array_foreach(json_object_get(mc, "mfe"), i, ev)
    {
        if (n + 2 <= max) {
            ref[n++] = json_number_value(json_object_get(ev, "t_mean"));
            ref[n++] = json_number_value(json_object_get(ev, "size_mean"));
        }
    }
    json_decref(mc);
    return n;
}

static int same4(double a, double b)
{
    char x[32], y[32];
    snprintf(x, sizeof x, "%.3e", a);
    snprintf(y, sizeof y, "%.3e", b);
    return !strcmp(x, y);
}

/* Every number of J (members and numbers inside strings), but the arrays the grid and the initial law
 * determine (grid.nodes, initial.density: functions of the parameters the problem states), against
 * the references: the count of matches, each printed. A reference that is a whole number to 4 digits
 * (an MFE that fires the whole mass: size 1) is not looked for: it equals parameters (a0 = 1, t = 1). */
static int leaks(const json_t *j, const char *where, const double *ref, int n_ref)
{
    int bad = 0;
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)j, k, v)
        {
            char w[256];
            snprintf(w, sizeof w, "%s.%s", where, k);
            if (!strcmp(k, "expect") || !strcmp(k, "rate_tol") || !strcmp(k, "source")) {
                fprintf(stderr, "\n  %s: the problem carries [expect]'s %s\n", where, k);
                bad++;
            }
            if (strcmp(w, ".grid.nodes") && strcmp(w, ".initial.density"))
                bad += leaks(v, w, ref, n_ref);
        }
    } else if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++)
            bad += leaks(json_array_get(j, i), where, ref, n_ref);
    } else if (json_is_number(j) || json_is_string(j)) {
        const char *s = json_string_value(j);
        char text[64];
        if (!s) {
            snprintf(text, sizeof text, "%.17g", json_number_value(j));
            s = text;
        }
        for (const char *p = s; *p; p++) {
            if (!strchr("0123456789.", *p) || (p > s && strchr("0123456789.", p[-1])))
                continue;
            double x = strtod(p, NULL);
            for (int r = 0; r < n_ref; r++)
                if (x != 0 && same4(x, ref[r]) && !same4(ref[r], nearbyint(ref[r]))) {
                    fprintf(stderr, "\n  %s = '%s' gives away the reference %.9g\n", where, s, ref[r]);
                    bad++;
                }
        }
    }
    return bad;
}

/* The problem of every catalogue case carries no [expect] and no number equal, to 4 significant
 * digits, to an exact reference of that case. */
static void problems_carry_no_reference(void)
{
    char names[NLIF_MAX_CASES][NLIF_NAME_MAX], cmd[1024];
    int n = 0, checked = 0;
    nlif_error e = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_catalogue(names, NLIF_MAX_CASES, &n, &e), 0);
    static char out[1 << 22];
    for (int i = 0; i < n; i++) {
        nlif_case cs;
        if (!nlif_test_load(&cs, names[i], NULL, 0))
            continue;
        double ref[64];
        int n_ref = references(&cs, ref, 64);
        snprintf(cmd, sizeof cmd, "%s problem %s --solver examples/python/manifest.ini 2>/dev/null", nlif_test_bin(), names[i]);
        CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
        json_t *j = json_loads(out, 0, NULL);
        CU_ASSERT_PTR_NOT_NULL(j);
        int bad = j ? leaks(j, "", ref, n_ref) : 1;
        if (bad)
            fprintf(stderr, "  (case %s)\n", names[i]);
        CU_ASSERT_EQUAL(bad, 0);
        checked += n_ref > 0;
        json_decref(j);
    }
    printf("\n  %d cases, %d with exact references checked", n, checked);
    CU_ASSERT(checked >= 10);
}

int main(void)
{
    static const nlif_test_case tests[] = {
        {"the one derivation gives every stationary case's stated rate_tol", derivation_gives_every_stated_bound},
        {"the same seed draws the same problems, another seed others, all in the region", seeds_repeat_and_differ},
        {"a problem outside the valid region is refused with the reason", outside_the_region_is_refused},
        {"the problem a solver receives carries no reference value of its case", problems_carry_no_reference},
        {"verify: the same seed, the same problems and verdicts; judge rebuilds them", verify_repeats_with_the_seed},
        {"verify --fresh-at: inside run as CASE~x1, outside refused with the reason", given_instances_are_checked},
        {"a solver answering the catalogue's stored rate FAILs the fresh instances", stored_answers_fail_fresh_instances},
        {NULL, NULL},
    };
    return nlif_test_main("fresh", tests);
}
