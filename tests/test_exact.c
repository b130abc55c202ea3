/* test_exact.c — the exact stationary references (exact/stationary.c, the stationary profile and the
 * structured limit; MATHEMATICS.md §2). The jump, the OU Gaussian and `nlif reference`:
 * tests/test_exact_jump.c.
 *
 * Reference values marked "mpmath" were computed independently with mpmath (25–30 digits): the
 * integral (1) of stationary.c by mpmath.quad with mpmath.erfc, its roots by mpmath.findroot, and
 * p∞ by direct quadrature of its defining integral. The 6-digit values are those of the issue.
 */
#include "../exact/nlif_density.h"
#include "../exact/nlif_exact.h"
#include "nlif_test.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_odeiv2.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static nlif_model model_b(double b)
{
    nlif_model m = {.a0 = 1, .a1 = 0, .b = b, .v_f = 2, .v_r = 1, .v_min = -4, .convention = NLIF_CONVENTION_A};
    return m;
}

static int rates(const nlif_model *m, double input, double *r)
{
    int n = -1;
    nlif_error err = {0};
    int rc = nlif_stationary_rates(m, input, r, NLIF_MAX_ROOTS, &n, &err);
    if (rc)
        fprintf(stderr, "\n  nlif_stationary_rates: %s\n", err.msg);
    CU_ASSERT_EQUAL(rc, NLIF_OK);
    return n;
}

/* The value as printed with 6 significant digits equals the quoted one. */
static void assert_6_digits(double x, const char *quoted)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.6g", x);
    if (strcmp(buf, quoted))
        fprintf(stderr, "\n  %.17g prints as %s, expected %s\n", x, buf, quoted);
    CU_ASSERT_STRING_EQUAL(buf, quoted);
}

/* ---------------------------------------------------------------------------------------------- */
/* Stationary rates                                                                                */

static void test_checked_values(void)
{
    double r[NLIF_MAX_ROOTS];
    nlif_model m;
    /* rtol 1e-12: the roots are computed to 1e-14 in log N from a 1e-13 quadrature; mpmath is exact
     * to more digits than we compare. With the wall at V_min = -4 (the catalogue's; mpmath: the double
     * integral of MATHEMATICS.md 2 with erf(y/√2) − erf(y_min/√2), 40 digits, findroot) */
    m = model_b(0);
    CU_ASSERT_EQUAL_FATAL(rates(&m, 0, r), 1);
    NLIF_ASSERT_CLOSE(r[0], 0.11998000372496064057, 1e-12, 0);
    assert_6_digits(r[0], "0.11998");
    m = model_b(0.5);
    CU_ASSERT_EQUAL_FATAL(rates(&m, 0, r), 1);
    NLIF_ASSERT_CLOSE(r[0], 0.13477896083528380069, 1e-12, 0);
    assert_6_digits(r[0], "0.134779");
    m = model_b(1.5);
    CU_ASSERT_EQUAL_FATAL(rates(&m, 0, r), 2);
    NLIF_ASSERT_CLOSE(r[0], 0.19236745264577937585, 1e-12, 0);
    NLIF_ASSERT_CLOSE(r[1], 2.2891257077302437741, 1e-12, 0);
    assert_6_digits(r[0], "0.192367");
    assert_6_digits(r[1], "2.28913");
    m = model_b(-1);
    CU_ASSERT_EQUAL_FATAL(rates(&m, 0, r), 1);
    NLIF_ASSERT_CLOSE(r[0], 0.10020647116554994909, 1e-12, 0);
    assert_6_digits(r[0], "0.100206");
    m = model_b(1); /* kick_input */
    CU_ASSERT_EQUAL_FATAL(rates(&m, 0, r), 1);
    NLIF_ASSERT_CLOSE(r[0], 0.15621069101790338273, 1e-12, 0);
    assert_6_digits(r[0], "0.156211");
    /* without the wall (V_min = -inf): the classical values (mpmath, the erfcx form) */
    static const double bs[] = {0, 0.5, -1, 1}, classical[] = {0.11997596523910496621, 0.13477507993525008066,
                                                               0.10020219433081776269, 0.15620700613972480471};
    for (int i = 0; i < 4; i++) {
        m = model_b(bs[i]);
        m.v_min = -INFINITY;
        CU_ASSERT_EQUAL_FATAL(rates(&m, 0, r), 1);
        NLIF_ASSERT_CLOSE(r[0], classical[i], 1e-12, 0);
    }
    m = model_b(1.5);
    m.v_min = -INFINITY;
    CU_ASSERT_EQUAL_FATAL(rates(&m, 0, r), 2);
    NLIF_ASSERT_CLOSE(r[0], 0.19236401256847935869, 1e-12, 0);
    NLIF_ASSERT_CLOSE(r[1], 2.2891257077468628001, 1e-12, 0);
    m = model_b(3);
    CU_ASSERT_EQUAL(rates(&m, 0, r), 0);
}

static void test_residuals(void)
{
    double bs[] = {-5, -1, 0, 0.5, 1, 1.5}; /* with I = 0.3 the fold is below b = 1.8 */
    for (unsigned i = 0; i < sizeof bs / sizeof *bs; i++) {
        nlif_model m = model_b(bs[i]);
        double r[NLIF_MAX_ROOTS];
        int n = rates(&m, 0.3, r);
        CU_ASSERT(n == (bs[i] <= 1 ? 1 : 2));
        for (int k = 0; k < n; k++) /* 1e-12: quadrature tolerance 1e-13 plus root tolerance */
            NLIF_ASSERT_CLOSE(nlif_rate_residual(&m, 0.3, r[k]), 0, 0, 1e-12);
    }
}

/* Above the fold b* ≈ 2.101 there is no stationary state; just below it two close roots. Without the
 * wall (the fold's digits are the classical problem's; the wall at -4 moves it in the 5th digit). */
static nlif_model model_free(double b)
{
    nlif_model m = model_b(b);
    m.v_min = -INFINITY;
    return m;
}

static void test_fold(void)
{
    double r[NLIF_MAX_ROOTS];
    double none[] = {2.102, 2.5, 3, 5, 10};
    for (unsigned i = 0; i < sizeof none / sizeof *none; i++) {
        nlif_model m = model_b(none[i]);
        CU_ASSERT_EQUAL(rates(&m, 0, r), 0);
    }
    nlif_model m = model_b(2.1);
    CU_ASSERT_EQUAL(rates(&m, 0, r), 2);
    m = model_free(2.1);
    CU_ASSERT_EQUAL(rates(&m, 0, r), 2);
    /* The fold is at b* = 2.10096776045579 (bisection on the number of roots); at b* − 1e-9 the two
     * roots are 3.5e-5 apart — far closer than the grid (40 points per decade, 6% in N). */
    m = model_free(2.10096776045579 - 1e-9);
    CU_ASSERT_EQUAL_FATAL(rates(&m, 0, r), 2);
    CU_ASSERT(r[1] - r[0] > 0 && r[1] - r[0] < 1e-4);
    NLIF_ASSERT_CLOSE(nlif_rate_residual(&m, 0, r[0]), 0, 0, 1e-12);
    NLIF_ASSERT_CLOSE(nlif_rate_residual(&m, 0, r[1]), 0, 0, 1e-12);
    m = model_free(2.10096776045579 + 1e-9);
    CU_ASSERT_EQUAL(rates(&m, 0, r), 0);
}

/* Roots beyond the initial grid [1e-8, 1e3]: b just above V_F − V_R puts the upper root near
 * 1.5/(b − 1); strong inhibition of the input puts the rate far below 1e-8. */
static void test_search_range(void)
{
    double r[NLIF_MAX_ROOTS];
    nlif_model m = model_b(1.0001);
    CU_ASSERT_EQUAL_FATAL(rates(&m, 0, r), 2);
    CU_ASSERT(r[1] > 1e4);
    NLIF_ASSERT_CLOSE(nlif_rate_residual(&m, 0, r[1]), 0, 0, 1e-12);
    m = model_b(0);
    CU_ASSERT_EQUAL_FATAL(rates(&m, -6, r), 1);
    CU_ASSERT(r[0] < 1e-8);
    NLIF_ASSERT_CLOSE(r[0], nlif_uncoupled_rate(1, 2, 1, m.v_min, -6), 1e-12, 0);
    /* A huge input: the deterministic rate 1/log((μ − V_R)/(μ − V_F)) up to O(a/μ²). */
    m = model_b(0);
    CU_ASSERT_EQUAL_FATAL(rates(&m, 1e4, r), 1);
    NLIF_ASSERT_CLOSE(r[0], 1 / log((1e4 - 1) / (1e4 - 2)), 1e-6, 0);
}

static void test_rate_dependent_noise(void)
{
    nlif_model m = model_b(0.5);
    m.a1 = 0.5;
    double r[NLIF_MAX_ROOTS];
    CU_ASSERT_EQUAL_FATAL(rates(&m, 0, r), 1);
    NLIF_ASSERT_CLOSE(r[0], 0.15732288963526223273, 1e-12, 0); /* mpmath, a = 1 + 0.5 N, wall at -4 */
    /* independently: 1/N = I(a(N), bN) through the uncoupled-rate function */
    NLIF_ASSERT_CLOSE(nlif_uncoupled_rate(1 + 0.5 * r[0], 2, 1, m.v_min, 0.5 * r[0]), r[0], 1e-12, 0);
}

/* Siegert (b = 0) by the erfc-free integral (3) of stationary.c agrees with the erfcx form. */
static void test_siegert(void)
{
    nlif_error err = {0};
    double mus[] = {-4, -2, 0, 0.5, 1, 1.5, 2, 3, 5, 8};
    double as[] = {0.25, 1, 4};
    for (unsigned i = 0; i < sizeof mus / sizeof *mus; i++)
        for (unsigned j = 0; j < sizeof as / sizeof *as; j++) {
            double s = nlif_siegert_rate(as[j], 2, 1, mus[i], &err);
            double e = nlif_uncoupled_rate(as[j], 2, 1, -INFINITY, mus[i]); /* (3) has no wall */
            NLIF_ASSERT_CLOSE(s, e, 1e-9, 0); /* the bound; measured agreement ~1e-14 */
        }
    double r[NLIF_MAX_ROOTS];
    nlif_model m = model_free(0);
    CU_ASSERT_EQUAL_FATAL(rates(&m, 0, r), 1);
    NLIF_ASSERT_CLOSE(nlif_siegert_rate(1, 2, 1, 0, &err), r[0], 1e-9, 0);
    /* Small noise: the deterministic rate 1/log((μ − V_R)/(μ − V_F)), first correction O(a). */
    NLIF_ASSERT_CLOSE(nlif_siegert_rate(1e-4, 2, 1, 3, &err), 1 / log(2.0), 1e-3, 0);
    NLIF_ASSERT_CLOSE(nlif_uncoupled_rate(1e-4, 2, 1, -4, 3), 1 / log(2.0), 1e-3, 0);
}

/* The wall: the stationary profile (2) with the rate of the wall's normalisation has mass 1 on
 * [V_min, V_F], integrated independently (GSL adaptive quadrature of nlif_stationary_profile), for walls
 * far below, near, at and above the mean input μ (where I is formed another way: no 2 − 2 cancellation),
 * and the rate is continuous across the two forms (V_min = μ ± 1e-9). */
static double profile_at(double v, void *params)
{
    const double *q = params; /* a, μ, rate, v_min */
    nlif_model m = {.a0 = q[0], .a1 = 0, .b = 0, .v_f = 2, .v_r = 1, .v_min = q[3], .convention = NLIF_CONVENTION_A};
    return nlif_stationary_profile(&m, q[1], q[2], v);
}

static void test_wall_mass(void)
{
    static const double as[] = {0.25, 1}, mus[] = {-1, 0, 0.5, 1.5}, walls[] = {-4, -1, 0, 0.4, 0.9};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(200);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 4; j++)
            for (int k = 0; k < 5; k++) {
                double q[4] = {as[i], mus[j], nlif_uncoupled_rate(as[i], 2, 1, walls[k], mus[j]), walls[k]};
                CU_ASSERT_FATAL(isfinite(q[2]) && q[2] > 0);
                gsl_function f = {profile_at, q};
                double lo = 0, hi = 0, err;
                gsl_integration_qags(&f, walls[k], 1, 0, 1e-12, 200, w, &lo, &err);
                gsl_integration_qags(&f, 1, 2, 0, 1e-12, 200, w, &hi, &err);
                if (fabs(lo + hi - 1) > 1e-9)
                    fprintf(stderr, "\n  a %g mu %g V_min %g: mass %.15g\n", as[i], mus[j], walls[k], lo + hi);
                NLIF_ASSERT_CLOSE(lo + hi, 1, 0, 1e-9);
            }
    gsl_integration_workspace_free(w);
    double below = nlif_uncoupled_rate(1, 2, 1, 0.5 - 1e-9, 0.5), above = nlif_uncoupled_rate(1, 2, 1, 0.5 + 1e-9, 0.5);
    NLIF_ASSERT_CLOSE(below, above, 1e-7, 0);
}

/* Overflow behaviour: far below threshold the rate underflows gracefully, I(N) returns +inf. */
static void test_extremes(void)
{
    /* the wall at -4 above μ = -45 holds the density (y_min = 41): I finite, the rate tiny but not 0 */
    double walled = nlif_uncoupled_rate(1, 2, 1, -4, -45);
    CU_ASSERT(isfinite(walled) && walled > 0 && walled < 1e-100);
    double inv = nlif_inverse_rate(1, 2, 1, -INFINITY, -45); /* no wall, y_F = 47: e^{1100} */
    CU_ASSERT(isinf(inv) && inv > 0);
    double r = nlif_uncoupled_rate(1, 2, 1, -INFINITY, -45);
    CU_ASSERT(r == 0 || (r > 0 && r < 1e-300));
    r = nlif_uncoupled_rate(1, 2, 1, -INFINITY, -10); /* y_F = 12: N ~ e^{-72}, finite and positive */
    CU_ASSERT(r > 0 && r < 1e-25 && isfinite(r));
    r = nlif_uncoupled_rate(0.01, 2, 1, -4, 60); /* strongly driven, small noise: y ≈ −580 */
    NLIF_ASSERT_CLOSE(r, 1 / log(59.0 / 58.0), 1e-4, 0);
}

static void test_speed(void)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double r[NLIF_MAX_ROOTS];
    for (int i = 0; i < 10; i++) {
        nlif_model m = model_b(1.5);
        CU_ASSERT_EQUAL(rates(&m, 0, r), 2);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = 1e3 * (t1.tv_sec - t0.tv_sec) + 1e-6 * (t1.tv_nsec - t0.tv_nsec);
    /* measured ~0.5 ms per call; 50 ms per call allows a slow or sanitised build */
    if (ms / 10 > 50)
        fprintf(stderr, "\n  stationary rates take %.1f ms per call\n", ms / 10);
    CU_ASSERT(ms / 10 < 50);
}

/* ---------------------------------------------------------------------------------------------- */
/* Stationary profile                                                                              */

typedef struct prof_ctx {
    const nlif_model *m;
    double input, rate, power;
} prof_ctx;

static double prof_f(double v, void *params)
{
    const prof_ctx *c = params;
    return pow(v, c->power) * nlif_stationary_profile(c->m, c->input, c->rate, v);
}

/* ∫ v^power p∞ over [V_min, V_F] (V_min = −∞: the unbounded domain), split at V_R (the kink). */
static double profile_moment(const nlif_model *m, double input, double rate, double power)
{
    prof_ctx c = {m, input, rate, power};
    gsl_function f = {prof_f, &c};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(500);
    double lo, hi, err;
    if (isfinite(m->v_min))
        gsl_integration_qags(&f, m->v_min, m->v_r, 0, 1e-13, 500, w, &lo, &err);
    else
        gsl_integration_qagil(&f, m->v_r, 0, 1e-13, 500, w, &lo, &err);
    gsl_integration_qags(&f, m->v_r, m->v_f, 0, 1e-13, 500, w, &hi, &err);
    gsl_integration_workspace_free(w);
    return lo + hi;
}

static void test_profile_mass_flux_moment(void)
{
    struct {
        double b, a1, input;
    } cases[] = {{0, 0, 0}, {0.5, 0, 0}, {1.5, 0, 0}, {-1, 0, 0}, {0.5, 0.5, 0}, {0, 0, 5}, {0, 0, -3}};
    for (unsigned i = 0; i < sizeof cases / sizeof *cases; i++) {
        nlif_model m = model_b(cases[i].b);
        m.a1 = cases[i].a1;
        double r[NLIF_MAX_ROOTS];
        int n = rates(&m, cases[i].input, r);
        CU_ASSERT(n >= 1);
        for (int k = 0; k < n; k++) {
            double rate = r[k], a = m.a0 + m.a1 * rate;
            /* mass 1 to the quadrature tolerance (1e-13) and the rate's (1e-13) */
            NLIF_ASSERT_CLOSE(profile_moment(&m, cases[i].input, rate, 0), 1, 1e-11, 0);
            /* first moment: the stationary moment identity */
            NLIF_ASSERT_CLOSE(profile_moment(&m, cases[i].input, rate, 1),
                              nlif_stationary_mean(&m, cases[i].input, rate), 1e-10, 1e-11);
            /* flux: −a p∞'(V_F) = N; one-sided 2nd-order difference with h = 1e-4: error ~h² */
            double h = 1e-4, p1 = nlif_stationary_profile(&m, cases[i].input, rate, m.v_f - h);
            double p2 = nlif_stationary_profile(&m, cases[i].input, rate, m.v_f - 2 * h);
            double dp = (-4 * p1 + p2) / (2 * h); /* p(V_F) = 0 */
            NLIF_ASSERT_CLOSE(-a * dp, rate, 1e-6, 0);
        }
    }
}

static void test_profile_values(void)
{
    nlif_model m = model_b(0.5);
    double rate = 0.13477507993525008066, input = 0;
    /* mpmath: direct quadrature of (2); 1e-12 relative (the Dawson and Gauss–Legendre forms) */
    NLIF_ASSERT_CLOSE(nlif_stationary_profile(&m, input, rate, -4), 0.00010939260217059665635, 1e-12, 0);
    NLIF_ASSERT_CLOSE(nlif_stationary_profile(&m, input, rate, 0), 0.42698041546225652015, 1e-12, 0);
    NLIF_ASSERT_CLOSE(nlif_stationary_profile(&m, input, rate, 1), 0.27702996762748546717, 1e-12, 0);
    NLIF_ASSERT_CLOSE(nlif_stationary_profile(&m, input, rate, 1.5), 0.10353246901057809145, 1e-12, 0);
    NLIF_ASSERT_CLOSE(nlif_stationary_profile(&m, input, rate, 1.999), 0.00013490535289314220497, 1e-12, 0);
    /* Near V_F p∞ = (N/a)(V_F − v)(1 + O(V_F − v)): full relative accuracy at distance 1e-10 (with
     * the distance as represented: 2 − fl(2 − 1e-10)). */
    double v = 2 - 1e-10;
    NLIF_ASSERT_CLOSE(nlif_stationary_profile(&m, input, rate, v), rate * (2 - v), 1e-9, 0);
    CU_ASSERT_EQUAL(nlif_stationary_profile(&m, input, rate, 2), 0);
    CU_ASSERT_EQUAL(nlif_stationary_profile(&m, input, rate, 2.5), 0);
}

/* No overflow for v down to V_min and beyond, μ up to 5 and small noise; continuity at V_R. */
static void test_profile_no_overflow(void)
{
    double as[] = {0.05, 0.25, 1, 4}, inputs[] = {-3, 0, 2, 5};
    for (unsigned i = 0; i < 4; i++)
        for (unsigned j = 0; j < 4; j++) {
            nlif_model m = model_b(0);
            m.a0 = as[i];
            double rate = nlif_uncoupled_rate(as[i], 2, 1, m.v_min, inputs[j]);
            CU_ASSERT(isfinite(rate) && rate > 0);
            for (double v = -10; v < 2; v += 0.01) {
                double p = nlif_stationary_profile(&m, inputs[j], rate, v);
                if (!(isfinite(p) && p >= 0)) {
                    fprintf(stderr, "\n  p(%g) = %g for a = %g, mu = %g\n", v, p, as[i], inputs[j]);
                    CU_FAIL("p∞ not finite and non-negative");
                    return;
                }
            }
            double left = nlif_stationary_profile(&m, inputs[j], rate, 1 - 1e-12);
            double right = nlif_stationary_profile(&m, inputs[j], rate, 1);
            NLIF_ASSERT_CLOSE(left, right, 1e-9, 1e-300);
        }
}

/* The tabulated stationary law of nlif_density (what schemes start from) is p∞ renormalised on
 * [V_min, V_F]. */
static void test_profile_table(void)
{
    nlif_case cs;
    memset(&cs, 0, sizeof cs);
    cs.model = model_b(1);
    cs.initial.type = NLIF_INIT_STATIONARY;
    cs.initial.root = 0;
    nlif_density d;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_density_init(&d, &cs, &err), NLIF_OK);
    double r[NLIF_MAX_ROOTS];
    CU_ASSERT_EQUAL_FATAL(rates(&cs.model, 0, r), 1);
    prof_ctx c = {&cs.model, 0, r[0], 0};
    gsl_function f = {prof_f, &c};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(200);
    double lo, hi, e;
    gsl_integration_qags(&f, -4, 1, 0, 1e-13, 200, w, &lo, &e);
    gsl_integration_qags(&f, 1, 2, 0, 1e-13, 200, w, &hi, &e);
    gsl_integration_workspace_free(w);
    double mass = lo + hi; /* 1: the rate is the wall's (the mass below V_min is not in the normalisation) */
    NLIF_ASSERT_CLOSE(mass, 1, 0, 1e-10);
    NLIF_ASSERT_CLOSE(nlif_density_cdf(&d, 2), 1, 1e-12, 0);
    /* linear interpolation, h = 3e-4: relative error h²/8·|p''/p| ≤ 1e-8·20 in the far tail */
    for (double v = -3.9; v < 2; v += 0.37)
        NLIF_ASSERT_CLOSE(nlif_density_pdf(&d, v), nlif_stationary_profile(&cs.model, 0, r[0], v) / mass, 1e-6, 1e-12);
    nlif_density_free(&d);
}

/* ---------------------------------------------------------------------------------------------- */
/* Structured limit                                                                                */

static void test_structured(void)
{
    nlif_model m = model_b(0);
    nlif_structure st;
    memset(&st, 0, sizeof st);
    nlif_density rho;
    nlif_error err = {0};
    double r[NLIF_MAX_ROOTS], r1[NLIF_MAX_ROOTS];
    int n;
    /* a point law at w is the 1D problem with b = w */
    st.w_law = NLIF_WLAW_POINT;
    st.w_min = -1, st.w_max = 2, st.w_mean = 1.5;
    CU_ASSERT_EQUAL_FATAL(nlif_weight_density_init(&rho, &st, &err), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(nlif_structured_rates(&m, 0, &rho, r, NLIF_MAX_ROOTS, &n, &err), NLIF_OK);
    nlif_density_free(&rho);
    m.b = 1.5;
    CU_ASSERT_EQUAL_FATAL(rates(&m, 0, r1), 2);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    NLIF_ASSERT_CLOSE(r[0], r1[0], 1e-12, 0);
    NLIF_ASSERT_CLOSE(r[1], r1[1], 1e-12, 0);
    /* uniform weights on [0, 1] (structured_excitatory): mpmath nested quadrature (no wall) */
    m = model_free(0);
    st.w_law = NLIF_WLAW_UNIFORM;
    st.w_min = 0, st.w_max = 1;
    CU_ASSERT_EQUAL_FATAL(nlif_weight_density_init(&rho, &st, &err), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(nlif_structured_rates(&m, 0, &rho, r, NLIF_MAX_ROOTS, &n, &err), NLIF_OK);
    nlif_density_free(&rho);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    NLIF_ASSERT_CLOSE(r[0], 0.135012493190094, 1e-11, 0);
    /* inhibitory weights on [−1, 0]: a unique root between the rates of w = −1 and w = 0 */
    st.w_min = -1, st.w_max = 0;
    CU_ASSERT_EQUAL_FATAL(nlif_weight_density_init(&rho, &st, &err), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(nlif_structured_rates(&m, 0, &rho, r, NLIF_MAX_ROOTS, &n, &err), NLIF_OK);
    nlif_density_free(&rho);
    CU_ASSERT_EQUAL_FATAL(n, 1);
    m.b = -1;
    CU_ASSERT_EQUAL_FATAL(rates(&m, 0, r1), 1);
    CU_ASSERT(r[0] > r1[0] && r[0] < 0.11997596523910496621);
}

int main(void)
{
    nlif_error_init_gsl();
    static const nlif_test_case tests[] = {
        {"stationary rates: checked values", test_checked_values},
        {"stationary rates: residuals", test_residuals},
        {"stationary rates: fold and no-solution range", test_fold},
        {"stationary rates: roots beyond the initial grid", test_search_range},
        {"stationary rates: rate-dependent noise a1 > 0", test_rate_dependent_noise},
        {"Siegert cross-check (b = 0)", test_siegert},
        {"erfcx forms at extreme inputs", test_extremes},
        {"the wall at V_min: mass 1 on [V_min, V_F], continuous across the two forms", test_wall_mass},
        {"stationary rates take milliseconds", test_speed},
        {"p-inf: mass 1, flux N, first moment", test_profile_mass_flux_moment},
        {"p-inf: values against direct quadrature", test_profile_values},
        {"p-inf: no overflow, continuous at V_R", test_profile_no_overflow},
        {"p-inf: the tabulated stationary law", test_profile_table},
        {"structured limit N = int rho N_inf", test_structured},
        {NULL, NULL},
    };
    return nlif_test_main("exact", tests);
}
