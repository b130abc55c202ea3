/* test_snapshot_mc.c — the statistics of check snapshot_mc (harness/checks/snapshot_mc.c;
 * MATHEMATICS.md 6, "Snapshots against Monte Carlo"): the snapshot CDF (trapezoid plus point
 * masses), the statistical part (Hoeffding with a union bound: its false-failure rate on samples of
 * one law and of two laws, and its power), the shift of the timing part, and the slope dF/dt
 * estimated from a histogram (a drifting Gaussian against its exact flux; a stationary state: 0).
 */
#include "nlif_test.h"

#include "../exact/nlif_exact.h"
#include "../harness/checks/nlif_check.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_erf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A uniform density on [0, 2] at nodes 0, 0.5, ..., 2 gives F(u) = u/2 (the trapezoid is exact on a
 * linear profile, and inside a cell too); a point mass counts strictly below u; 0 below the grid. */
static void test_cdf(void)
{
    const double x[] = {0, 0.5, 1, 1.5, 2}, p[] = {0.4, 0.4, 0.4, 0.4, 0.4}, u[] = {-1, 0, 0.25, 1, 1.2, 1.7, 2};
    const double av[] = {1.2}, am[] = {0.2};
    double F[7];
    nlif_snap_cdf(x, p, 5, av, am, 1, u, 7, F);
    const double want[] = {0, 0, 0.1, 0.4, 0.48, 0.88, 1.0}; /* 0.4 u, plus 0.2 from u > 1.2 */
    for (int j = 0; j < 7; j++)
        NLIF_ASSERT_CLOSE(F[j], want[j], 1e-14, 1e-15); /* sums of a few products: round-off */
    int w;
    const double G[] = {0, 0, 0.1, 0.4, 0.5, 0.88, 1.0};
    CU_ASSERT_DOUBLE_EQUAL(nlif_snap_ks(F, G, 7, &w), 0.02, 1e-14);
    CU_ASSERT_EQUAL(w, 4);
}

/* The statistical part: how often the empirical CDF of n samples leaves its bound at some of m
 * points. Samples of one law (uniform) and of two (half uniform on [0, 1], half on [0.3, 1.3], judged
 * against their mean law, as R realisations with different MFE times are): Hoeffding with a union
 * bound is conservative, so at most alpha = 5% of 400 trials fail (20), whatever the laws; a law
 * shifted by 0.1 (KS 0.1 against a bound of 0.047 at n = 2000, m = 100) fails every trial. */
static double mean_law(double u, int two)
{
    double a = fmin(fmax(u, 0), 1);
    if (!two)
        return a;
    return 0.5 * a + 0.5 * fmin(fmax(u - 0.3, 0), 1);
}

static int trials_over(gsl_rng *r, int two, double shift)
{
    enum { N = 2000, M = 100, TRIALS = 400 };
    double u[M], F[M], G[M], *s = malloc(N * sizeof *s);
    int over = 0;
    for (int j = 0; j < M; j++)
        u[j] = -0.1 + 1.5 * (j + 1) / M;
    double bound = nlif_snap_stat_bound(N, M, 0.05);
    for (int t = 0; t < TRIALS && s; t++) {
        for (int i = 0; i < N; i++)
            s[i] = gsl_rng_uniform(r) + (two && i % 2 ? 0.3 : 0.0) + shift;
        for (int j = 0; j < M; j++) {
            int c = 0;
            for (int i = 0; i < N; i++)
                c += s[i] < u[j];
            F[j] = (double)c / N, G[j] = mean_law(u[j], two);
        }
        over += nlif_snap_ks(F, G, M, NULL) > bound;
    }
    free(s);
    return over;
}

static void test_stat_calibration(void)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    CU_ASSERT_DOUBLE_EQUAL(nlif_snap_stat_bound(1.6e6, 1800, 0.05), sqrt(log(72000.0) / 3.2e6), 1e-15);
    int one = trials_over(r, 0, 0), two = trials_over(r, 1, 0), shifted = trials_over(r, 0, 0.1);
    printf("\n  stat part: %d, %d of 400 over (one law, two laws); shifted by 0.1: %d of 400\n", one, two, shifted);
    CU_ASSERT(one <= 20);
    CU_ASSERT(two <= 20);
    CU_ASSERT_EQUAL(shifted, 400);
    gsl_rng_free(r);
}

/* The timing part's shift: the larger mean distance to the two ends of the accepted band. */
static void test_shift(void)
{
    const double t[] = {1.0, 1.1, 1.2, 1.3};
    CU_ASSERT_DOUBLE_EQUAL(nlif_snap_shift(t, 4, 0.9, 1.4), 0.25, 1e-14); /* to 0.9: 0.25; to 1.4: 0.25 */
    CU_ASSERT_DOUBLE_EQUAL(nlif_snap_shift(t, 4, 1.0, 1.6), 0.45, 1e-14);
}

/* Bin means of a density f on [lo, lo + nb h) by Simpson's rule on each bin. */
static void bins(double (*f)(double, const void *), const void *par, double lo, double h, int nb, double *d)
{
    for (int j = 0; j < nb; j++) {
        double a = lo + j * h, s = 0;
        for (int q = 0; q <= 8; q++)
            s += (q == 0 || q == 8 ? 1 : q % 2 ? 4 : 2) * f(a + q * h / 8, par);
        d[j] = s / 24;
    }
}

static double gauss(double v, const void *par)
{
    const double *g = par; /* mean, sd */
    return exp(-0.5 * pow((v - g[0]) / g[1], 2)) / (g[1] * sqrt(2 * M_PI));
}

typedef struct {
    nlif_model m;
    double rate;
} stat_par;

static double stationary(double v, const void *par)
{
    const stat_par *s = par;
    return nlif_stationary_profile(&s->m, 0.0, s->rate, v);
}

/* dF/dt from a histogram. (1) A Gaussian N(0.5, 0.3^2) under drift −v + mu, mu = 1.2, a = 1, nothing
 * firing: dF/dt = −J = −p ((−v + mu) + a (v − 0.5)/0.09); its largest |.| within 2% (the smoothing
 * over ±0.05 of a density of sd 0.3 moves p' by (0.05²/6) p''' ≈ 1%). (2) The exact stationary state
 * of b = 0 (flux N above V_R, kink there): dF/dt = 0; the estimate below 0.02 (the smoothing of the
 * kink is matched by the smoothed step of the re-injection; before that it read N/2 = 0.06 there). */
static void test_dfdt(void)
{
    enum { NB = 600 };
    double d[NB], pmax, h = 0.01, lo = -4;
    const double g[] = {0.5, 0.3};
    bins(gauss, g, lo, h, NB, d);
    double L = nlif_snap_dfdt(d, NB, lo, h, 5, 0.0, 1.2, 1.0, 99.0, &pmax), exact = 0;
    for (double v = -1; v < 2; v += 1e-4)
        exact = fmax(exact, fabs(gauss(v, g) * ((-v + 1.2) + (v - 0.5) / 0.09)));
    NLIF_ASSERT_CLOSE(L, exact, 0.02, 0);
    NLIF_ASSERT_CLOSE(pmax, 1 / (0.3 * sqrt(2 * M_PI)), 0.01, 0);

    stat_par s = {.m = {.a0 = 1, .a1 = 0, .b = 0, .v_f = 2, .v_r = 1, .v_min = -4}};
    double roots[NLIF_MAX_ROOTS];
    int nr = 0;
    nlif_error e = {0};
    CU_ASSERT_FATAL(nlif_stationary_rates(&s.m, 0.0, roots, NLIF_MAX_ROOTS, &nr, &e) == 0 && nr >= 1);
    s.rate = roots[0];
    bins(stationary, &s, lo, h, NB, d);
    L = nlif_snap_dfdt(d, NB, lo, h, 5, s.rate, 0.0, 1.0, 1.0, NULL);
    printf("\n  dF/dt of the stationary state (N = %.4f): %.3g\n", s.rate, L);
    CU_ASSERT(L < 0.02);
}

static const nlif_test_case tests[] = {
    {"snapshot CDF: trapezoid, inside a cell, point masses strictly below, KS and where", test_cdf},
    {"statistical part: at most 5% over on one law and on two; a shift of 0.1 always over", test_stat_calibration},
    {"timing part: the larger mean distance to the band's two ends", test_shift},
    {"dF/dt from a histogram: a Gaussian's exact flux; 0 for a stationary state", test_dfdt},
    {NULL, NULL},
};

int main(void) { return nlif_test_main("snapshot_mc", tests); }
