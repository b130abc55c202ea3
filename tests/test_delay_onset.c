/* test_delay_onset.c — the onset of oscillation of the delayed model (exact/delay_onset.c, MATHEMATICS.md
 * §2.1): the transfer function's static limit against the slope of the exact uncoupled rate, the
 * extrapolated d_c independent of the grid, and the prediction against simulation: spap from the
 * stationary state (kicked by a history 10% below N∞) decays at 0.97 d_c and grows at 1.03 d_c, with
 * the period 2π/ω_c between the two runs' periods; cvode likewise. */
#include "../core/nlif_scheme.h"
#include "../exact/nlif_delay_onset.h"
#include "../exact/nlif_exact.h"
#include "../harness/case/nlif_case.h"
#include "nlif_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const nlif_model model = {.a0 = 1, .b = -4, .v_f = 2, .v_r = 1, .v_min = -4};
static const double input = 3;

/* G(iω) → dN/dμ as ω → 0: the static response of the uncoupled rate 𝒩(μ) (nlif_uncoupled_rate, MATHEMATICS.md
 * 2), by a central difference of step 1e-4 (error ~1e-8); the grid dv = 0.005 errs by O(dv²) ~ 1e-5. */
static void test_static_limit(void)
{
    double roots[NLIF_MAX_ROOTS];
    int nr;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_stationary_rates(&model, input, roots, NLIF_MAX_ROOTS, &nr, &err), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(nr, 1);
    double mu = model.b * roots[0] + input, h = 1e-4;
    double slope = (nlif_uncoupled_rate(1, 2, 1, -4, mu + h) - nlif_uncoupled_rate(1, 2, 1, -4, mu - h)) / (2 * h);
    double complex g;
    CU_ASSERT_EQUAL_FATAL(nlif_delay_transfer(&model, input, 0.005, 1e-7, &g, &err), NLIF_OK);
    NLIF_ASSERT_CLOSE(creal(g), slope, 1e-4, 0);
    CU_ASSERT(fabs(cimag(g)) < 1e-5); /* O(ω): the phase lag of a slow perturbation */
    /* a fast drift perturbation is filtered: |G| decreases */
    double complex g_fast;
    CU_ASSERT_EQUAL(nlif_delay_transfer(&model, input, 0.005, 50.0, &g_fast, &err), NLIF_OK);
    CU_ASSERT(cabs(g_fast) < 0.5 * cabs(g));
}

/* The extrapolated d_c at dv = 0.02 and 0.01 agree to 2e-5 relative, while the unextrapolated one at
 * 0.02 differs by about 2e-4 (so the extrapolation does something); |b G(iω_c)| = 1 there. */
static void test_grid_independent(void)
{
    nlif_delay_onset o1, o2;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_delay_onset_compute(&model, input, 0.02, &o1, &err), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(nlif_delay_onset_compute(&model, input, 0.01, &o2, &err), NLIF_OK);
    CU_ASSERT_EQUAL(o1.n_roots, 1);
    NLIF_ASSERT_CLOSE(o1.d_c, o2.d_c, 2e-5, 0);
    NLIF_ASSERT_CLOSE(o1.omega, o2.omega, 2e-5, 0);
    CU_ASSERT(fabs(o1.d_c_coarse - o1.d_c) > 5 * fabs(o1.d_c - o2.d_c));
    CU_ASSERT(o1.gain0 < -1); /* the static loop gain exceeds 1 in modulus: a Hopf onset exists */
    /* weak coupling: |b G| < 1 for every ω, stable for every delay */
    nlif_model weak = model;
    weak.b = -1;
    CU_ASSERT_EQUAL(nlif_delay_onset_compute(&weak, input, 0.02, &o1, &err), NLIF_OK);
    CU_ASSERT_EQUAL(o1.n_roots, 0);
    CU_ASSERT(isinf(o1.d_c));
    /* refused: excitatory, rate-dependent noise */
    weak.b = 0.5;
    CU_ASSERT_EQUAL(nlif_delay_onset_compute(&weak, input, 0.02, &o1, &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "allowed: b < 0 and a1 = 0"));
}

/* spap on the delayed model from the stationary state with history 0.9 N∞, t = 40: the envelope of
 * |N − N∞| on [35, 40] over that on [5, 10], and the mean period of the upward crossings of N∞ after t = 10. */
static void simulate(const char *scheme, double d, double rate, double *ratio, double *period)
{
    char s_delay[64], s_hist[64];
    snprintf(s_delay, sizeof s_delay, "model.delay=%.10g", d);
    snprintf(s_hist, sizeof s_hist, "model.delay_history=%.10g", 0.9 * rate);
    const char *sets[] = {"model.b=-4", "input.type=constant", "input.i0=3", "initial.type=stationary",
                          "run.t_final=40", "run.snapshots=40", s_delay, s_hist};
    nlif_case cs;
    nlif_error err = {0};
    if (nlif_case_load(&cs, "relax_inhibitory", sets, 8, &err))
        fprintf(stderr, "\n  %s\n", err.msg);
    const nlif_scheme_type *st = nlif_scheme_find(scheme);
    nlif_optset opt;
    CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&opt, st->options, &err), NLIF_OK);
    nlif_trajectory tr;
    nlif_traj_init(&tr);
    void *s = NULL;
    CU_ASSERT_EQUAL_FATAL(st->alloc(&s, &cs, &opt, &tr, &err), NLIF_OK);
    CU_ASSERT_EQUAL(st->advance(s, 40.0, &err), NLIF_OK);
    CU_ASSERT_EQUAL(tr.status, NLIF_STATUS_OK);
    double early = 0, late = 0, first = NAN, last = NAN;
    int ups = 0;
    for (size_t k = 1; k < tr.n; k++) {
        double t = tr.s[k].t, x = tr.s[k].rate - rate, x0 = tr.s[k - 1].rate - rate;
        if (t >= 5 && t < 10)
            early = fmax(early, fabs(x));
        if (t >= 35)
            late = fmax(late, fabs(x));
        if (t > 10 && x0 < 0 && x >= 0) {
            double tc = tr.s[k - 1].t + (t - tr.s[k - 1].t) * (-x0) / (x - x0);
            if (!ups++)
                first = tc;
            last = tc;
        }
    }
    *ratio = late / early;
    *period = ups > 1 ? (last - first) / (ups - 1) : NAN;
    st->free(s);
    nlif_traj_free(&tr);
}

static void brackets(const char *scheme)
{
    nlif_delay_onset o;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_delay_onset_compute(&model, input, 0.02, &o, &err), NLIF_OK);
    double r_below, p_below, r_above, p_above;
    simulate(scheme, 0.97 * o.d_c, o.rate, &r_below, &p_below);
    simulate(scheme, 1.03 * o.d_c, o.rate, &r_above, &p_above);
    fprintf(stderr, "\n  %s: d_c = %.6f, omega_c = %.6f: 0.97 d_c envelope ratio %.3f period %.4f; 1.03 d_c ratio %.3f "
            "period %.4f; 2 pi/omega_c = %.4f\n", scheme, o.d_c, o.omega, r_below, p_below, r_above, p_above, o.period);
    CU_ASSERT(r_below < 0.7);  /* decaying */
    CU_ASSERT(r_above > 1.3);  /* growing */
    CU_ASSERT(p_below < o.period && o.period < p_above);
    NLIF_ASSERT_CLOSE(0.5 * (p_below + p_above), o.period, 0.01, 0);
}

/* spap (Maxwellian faces, first order in time) and cvode (SG faces, BDF to rtol 1e-10, the delay by
 * Hermite interpolation): two semi-discretisations and two ways of keeping the history. */
static void test_simulation_brackets_onset(void) { brackets("spap"); }
static void test_cvode_brackets_onset(void) { brackets("cvode"); }

static const nlif_test_case tests[] = {{"G(i0+) is the static slope of the uncoupled rate", test_static_limit},
                                       {"d_c independent of the grid after extrapolation", test_grid_independent},
                                       {"spap decays at 0.97 d_c and grows at 1.03 d_c", test_simulation_brackets_onset},
                                       {"cvode decays at 0.97 d_c and grows at 1.03 d_c", test_cvode_brackets_onset},
                                       {NULL, NULL}};

int main(void) { return nlif_test_main("delay_onset", tests); }
