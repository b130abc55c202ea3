/* test_projection.c — the one projection of the initial law onto a grid (nlif_initial_project,
 * MATHEMATICS.md §1.3): exact cell means except in the cell next to V_F, which also holds the half
 * cell [V_F − Δv/2, V_F]; mass 1; and every grid scheme of the registry starts from exactly it.
 */
#include "nlif_test.h"

#include "../harness/case/nlif_case.h"
#include "../exact/nlif_density.h"
#include "../core/nlif_scheme.h"

#include <stdlib.h>
#include <string.h>

/* cases whose data put mass at V_F (single_mfe, kick_input) and whose data vanish there (smooth_short) */
static const char *const cases[] = {"smooth_short", "single_mfe", "relax_linear", "sine_calm", NULL};

static void test_convention(void)
{
    for (int c = 0; cases[c]; c++) {
        nlif_case cs;
        if (!nlif_test_load(&cs, cases[c], NULL, 0))
            continue;
        const double dv = 0.05;
        int n = (int)lround((cs.model.v_f - cs.model.v_min) / dv);
        double *p = malloc((size_t)n * sizeof *p), *cm = malloc((size_t)(n + 1) * sizeof *cm);
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        CU_ASSERT_PTR_NOT_NULL_FATAL(cm);
        nlif_error err = {0};
        CU_ASSERT_EQUAL_FATAL(nlif_initial_project(&cs, dv, n, p, &err), NLIF_OK);
        nlif_density d;
        CU_ASSERT_EQUAL_FATAL(nlif_density_init(&d, &cs, &err), NLIF_OK);
        nlif_density_cell_means(&d, cs.model.v_min, dv, n + 1, cm);
        double half = nlif_density_cdf(&d, cs.model.v_f) - nlif_density_cdf(&d, cs.model.v_f - 0.5 * dv);
        nlif_density_free(&d);
        double mass = 0;
        for (int i = 0; i < n; i++) {
            mass += p[i] * dv;
            if (i < n - 1)
                CU_ASSERT_EQUAL(p[i], cm[i]); /* the same formula: bit for bit */
        }
        /* the cell next to V_F holds its own mean and the half cell at V_F (round-off: 1e-12) */
        NLIF_ASSERT_CLOSE(p[n - 1], cm[n - 1] + half / dv, 1e-12, 1e-14);
        NLIF_ASSERT_CLOSE(mass, 1.0, 1e-12, 0); /* the whole law on the grid (round-off of n terms) */
        free(p);
        free(cm);
    }
    /* a grid the law has no mass on, and a bad grid, are refused */
    nlif_case cs;
    if (nlif_test_load(&cs, "smooth_short", NULL, 0)) {
        double p[4];
        nlif_error err = {0};
        CU_ASSERT_EQUAL(nlif_initial_project(&cs, 0.0, 4, p, &err), NLIF_EINVAL);
        CU_ASSERT_EQUAL(nlif_initial_project(&cs, 0.1, 1, p, &err), NLIF_EINVAL);
    }
}

/* Every grid scheme's profile at t = 0 is the projection (to round-off of its own grid arithmetic). */
static void test_every_scheme(void)
{
    int compared = 0;
    for (int c = 0; cases[c]; c++) {
        nlif_case cs;
        if (!nlif_test_load(&cs, cases[c], NULL, 0))
            continue;
        for (int s = 0; nlif_schemes[s]; s++) {
            const nlif_scheme_type *st = nlif_schemes[s];
            if (nlif_scheme_not_applicable(st, &cs))
                continue;
            nlif_optset o;
            nlif_error err = {0};
            CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&o, st->options, &err), NLIF_OK);
            nlif_trajectory tr;
            nlif_traj_init(&tr);
            void *state = NULL;
            int rc = st->alloc(&state, &cs, &o, &tr, &err);
            if (rc)
                fprintf(stderr, "\n  %s on %s: %s\n", st->name, cs.name, err.msg);
            CU_ASSERT_EQUAL_FATAL(rc, NLIF_OK);
            nlif_profile pr;
            memset(&pr, 0, sizeof pr);
            CU_ASSERT_EQUAL_FATAL(st->profile(state, &pr), 0);
            int n = pr.n - 1; /* the unknowns: every node but V_F */
            double dv = cs.run.dv, *p = malloc((size_t)n * sizeof *p);
            CU_ASSERT_PTR_NOT_NULL_FATAL(p);
            CU_ASSERT_EQUAL(nlif_initial_project(&cs, dv, n, p, &err), NLIF_OK);
            double worst = 0, scale = 0;
            for (int i = 0; i < n; i++) {
                worst = fmax(worst, fabs(pr.p[i] - p[i]));
                scale = fmax(scale, fabs(p[i]));
            }
            /* the same numbers, up to the scheme's Δv = (V_F − V_min)/n against run.dv (round-off) */
            if (!(worst <= 1e-10 * scale))
                fprintf(stderr, "\n  %s on %s: max |p0 - projection| = %g (max p %g)\n", st->name, cs.name, worst,
                        scale);
            CU_ASSERT(worst <= 1e-10 * scale);
            CU_ASSERT_EQUAL(pr.p[n], 0.0);
            compared++;
            free(p);
            st->free(state);
            nlif_traj_free(&tr);
        }
    }
    CU_ASSERT(compared >= 12); /* at least 12 (scheme, case) pairs: the registry's five schemes, each on the cases it applies to */
}

static const nlif_test_case tests[] = {{"the half cell at V_F goes to the cell next to it; mass 1", test_convention},
                                       {"every grid scheme starts from the one projection", test_every_scheme},
                                       {NULL, NULL}};

int main(void) { return nlif_test_main("projection", tests); }
