/* test_particles_sampling.c — the initial sampling of the particle kernel (reference/particles.c) and
 * the batched quantiles under it (exact/nlif_density.c, nlif_density_quantiles): the same bits as the
 * quantile of one target (nlif_density_quantile, which the stored Monte Carlo references were drawn
 * with) on Gaussian laws with dyadic and non-dyadic supports, far tails, table laws with gaps and
 * without normalisation, the point law, in increasing, decreasing and scattered order; the quantile
 * through the inverse of Φ (exact/nlif_density_inverse.c) against the exact quantile in long double,
 * truncations deep in either tail included; for both, the law of the drawn voltages and weights (each
 * stratum holds its particle) and the slices of threads and of processes giving the serial draw's bits.
 */
#include "../exact/nlif_density.h"
#include "../reference/particles.h"
#include "nlif_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nlif_density gaussian(double lo, double hi, double mean, double sd)
{
    nlif_case cs;
    memset(&cs, 0, sizeof cs);
    cs.model.v_min = lo;
    cs.model.v_f = hi;
    cs.model.v_r = 0.5 * (lo + hi);
    cs.model.a0 = 1;
    cs.initial.type = NLIF_INIT_GAUSSIAN;
    cs.initial.mean = mean;
    cs.initial.sd = sd;
    nlif_density d;
    nlif_error err;
    CU_ASSERT_EQUAL_FATAL(nlif_density_init(&d, &cs, &err), NLIF_OK);
    return d;
}

/* Targets in four orders: stratified midpoints (i + 1/2)/n, jittered (i + u)/n, the same decreasing,
 * and scattered along a lattice permutation (the weights' order); then the far tails and the ends. */
static long targets(double *u, long n, int order)
{
    unsigned s = 12345u;
    for (long i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        double jit = order == 0 ? 0.5 : ((double)(s >> 8) + 0.5) * 0x1p-24;
        long k = order == 2 ? n - 1 - i : (order == 3 ? (long)(((__int128)i * 7919) % n) : i);
        u[i] = ((double)k + jit) / (double)n;
    }
    const double extra[] = {0, 1, 1e-300, 1e-17, 1e-12, 1e-7, 0.5, 1 - 1e-7, 1 - 1e-12, 1 - 0x1p-53, -1, 2};
    long m = (long)(sizeof extra / sizeof extra[0]);
    memcpy(u + n, extra, sizeof extra);
    return n + m;
}

/* Every target's batched quantile against nlif_density_quantile's, bit for bit. */
static long mismatches(const nlif_density *d, long n, int order)
{
    double *u = malloc((size_t)(n + 16) * sizeof *u), *x = malloc((size_t)(n + 16) * sizeof *x);
    long m = targets(u, n, order), bad = 0;
    nlif_density_quantiles(d, u, x, m);
    for (long i = 0; i < m; i++) {
        double ref = nlif_density_quantile(d, u[i]);
        if (memcmp(&ref, &x[i], sizeof ref)) {
            if (bad++ < 3)
                fprintf(stderr, "\n  u = %.17g: batched %.17g, one by one %.17g", u[i], x[i], ref);
        }
    }
    free(u);
    free(x);
    return bad;
}

static void test_quantiles_gaussian_bits(void)
{
    /* dyadic supports (the bisection's nodes exact: the arithmetic start), non-dyadic ones (the
     * branch-free levels), narrow and wide laws, means outside the support (one far tail) */
    const double laws[][4] = {{-4, 2, 0, 0.5},      {-4, 2, -0.5, 0.3},  {-4, 2, 1.5, 0.1},   {-3, 2.5, 0.3, 0.8},
                              {-1.2, 0, -0.3, 0.15}, {-4, 2, 3.2, 0.5},   {-4, 2, 0, 1},       {0.5, 3, 2.5, 0.25},
                              {-3.7, 1.3, 0.1, 0.37}, {-4, 2, -5, 0.7},   {1e-3, 7e-3, 4e-3, 1e-3},
                              {-4, 2, 0.25, 0.02},   {-1000, 1000, 3, 50}, {-4, 2, 1.999, 1e-3}};
    for (size_t c = 0; c < sizeof laws / sizeof laws[0]; c++) {
        nlif_density d = gaussian(laws[c][0], laws[c][1], laws[c][2], laws[c][3]);
        for (int order = 0; order < 4; order++) {
            long bad = mismatches(&d, order == 1 ? 20000 : 3000, order);
            if (bad)
                fprintf(stderr, "\n  N(%g, %g^2) on [%g, %g], order %d: %ld different", laws[c][2], laws[c][3],
                        laws[c][0], laws[c][1], order, bad);
            CU_ASSERT_EQUAL(bad, 0);
        }
        nlif_density_free(&d);
    }
}

/* The error of a computed quantile x of target u, against the exact quantile: one Newton step in long
 * double (64-bit significand, erfcl) from x, on the mass M(s) = Φ(s) − Φ(α) written without
 * cancellation on either side of the median, s in standard units; in units of ε (|x| + sd (1 + |s|)),
 * ε = 2⁻⁵³, the round-off of x itself plus that of s. */
static long double phi_l(long double s) { return 0.5L * erfcl(-s / sqrtl(2.0L)); }
static long double phic_l(long double s) { return 0.5L * erfcl(s / sqrtl(2.0L)); }

static double quantile_error(const nlif_density *d, double u, double x)
{
    const long double sd = d->sd, a = ((long double)d->lo - d->mean) / sd, b = ((long double)d->hi - d->mean) / sd;
    const long double z = b <= 0 ? phi_l(b) - phi_l(a)
                                 : (a >= 0 ? phic_l(a) - phic_l(b) : 0.5L * (erfl(b / sqrtl(2.0L)) + erfl(-a / sqrtl(2.0L))));
    long double s = ((long double)x - d->mean) / sd, ul = u;
    /* M(s) − u Z, the excess mass below s */
    long double excess = s <= 0 ? (phi_l(s) - phi_l(a)) - ul * z : (1 - ul) * z - (phic_l(s) - phic_l(b));
    long double dens = expl(-0.5L * s * s) / sqrtl(2 * 3.14159265358979323846264338327950288L);
    long double exact = s - excess / dens; /* one Newton step: the error left is O(step²) */
    exact = exact < a ? a : (exact > b ? b : exact);
    return (double)(fabsl((s - exact) * sd) / (0x1p-53L * (fabsl((long double)x) + sd * (1 + fabsl(s)))));
}

/* The largest error of nlif_density_quantiles_inverse over the targets u[0..m) (ends excluded), and
 * in *old that of nlif_density_quantile (the bisection), in *dx the largest |x − the bisection's x|
 * where the quantile is at most the mean (there the bisection's cdf Φ(x) ≤ 1/2 does not cancel). */
static double inverse_error(const nlif_density *d, const double *u, long m, double *old, double *dx)
{
    double *x = malloc((size_t)m * sizeof *x), worst = 0;
    nlif_density_quantiles_inverse(d, u, x, m);
    *old = *dx = 0;
    for (long i = 0; i < m; i++) {
        if (!(u[i] > 0 && u[i] < 1))
            continue;
        CU_ASSERT(x[i] >= d->lo && x[i] <= d->hi);
        worst = fmax(worst, quantile_error(d, u[i], x[i]));
        double xb = nlif_density_quantile(d, u[i]);
        *old = fmax(*old, quantile_error(d, u[i], xb));
        if (x[i] <= d->mean)
            *dx = fmax(*dx, fabs(xb - x[i]) / (1 + fabs(x[i])));
    }
    free(x);
    return worst;
}

static void test_quantiles_inverse_accuracy(void)
{
    /* the bit test's laws, and truncations deep in one tail: α = −55 (Φ(α) underflows), supports
     * wholly above the median (α = 6: Z ≈ 1e-9, where 1 − Φ cancels; α = 8: Z ≈ 6e-16, β = 14) and
     * wholly below it (β = −7; β = −36: Z ≈ 1e-284) */
    const double laws[][4] = {{-4, 2, 0, 0.5},       {-4, 2, -0.5, 0.3}, {-4, 2, 1.5, 0.1},     {-3, 2.5, 0.3, 0.8},
                              {-1.2, 0, -0.3, 0.15}, {-4, 2, 3.2, 0.5},  {-4, 2, 0, 1},         {0.5, 3, 2.5, 0.25},
                              {-3.7, 1.3, 0.1, 0.37}, {-4, 2, -5, 0.7},  {1e-3, 7e-3, 4e-3, 1e-3},
                              {-4, 2, 0.25, 0.02},   {-1000, 1000, 3, 50}, {-4, 2, 1.999, 1e-3}, {-4, 2, -10, 1},
                              {-4, 2, 9, 1},         {-4, 2, -12, 1},    {-4, 2, 20, 0.5}};
    const long n = 20000;
    double *u = malloc((size_t)(n + 16) * sizeof *u), worst = 0, worst_old = 0, worst_dx = 0;
    for (size_t c = 0; c < sizeof laws / sizeof laws[0]; c++) {
        nlif_density d = gaussian(laws[c][0], laws[c][1], laws[c][2], laws[c][3]);
        for (int order = 0; order < 2; order++) {
            long m = targets(u, n, order);
            double old, dx, e = inverse_error(&d, u, m, &old, &dx);
            if (e > 64)
                fprintf(stderr, "\n  N(%g, %g^2) on [%g, %g]: error %.3g units (bound 64)", laws[c][2], laws[c][3],
                        laws[c][0], laws[c][1], e);
            /* 64: twice the sum of the roundings (three masses from erfc at 5 ulps each, their sum and
             * product, AS241's 1e-16 relative, m + sd·s), over the density at most 1.26 Φ(s)/φ(s) */
            CU_ASSERT(e <= 64);
            worst = fmax(worst, e);
            worst_old = fmax(worst_old, old);
            if (c < 14) /* the bit test's laws (not the deep truncations, where Φ(x) − Φ(α) underflows) */
                worst_dx = fmax(worst_dx, dx);
        }
        nlif_density_free(&d);
    }
    printf("\n  inverse of Phi: within %.2f units of eps (|x| + sd (1 + |s|)) of the exact quantile (bound 64), "
           "the bisection within %.3g; |inverse - bisection| / (1 + |x|) <= %.3g below the mean", worst, worst_old,
           worst_dx);
    /* below the mean the bisection ends within 1e-15 (1 + |a|) of the quantile, plus its cdf's
     * rounding over the density */
    CU_ASSERT(worst_dx <= 1e-14);
    free(u);
}

static void test_quantiles_table_bits(void)
{
    /* MATHEMATICS.md §2's worked example (zero-density gap), a ramp, an unnormalised table (total
     * mass 3: targets above its last cum), repeated abscissae (jumps) */
    const double v1[6] = {0, 1, 1, 1.9, 1.9, 2}, p1[6] = {0.5, 0.5, 0, 0, 5, 5};
    const double v2[3] = {-4, 0, 2}, p2[3] = {0, 1, 0};
    const double v3[4] = {0, 1, 2, 3}, p3[4] = {1, 1, 1, 1};
    const double v4[5] = {-1, -1, 0, 0, 1}, p4[5] = {0, 2, 2, 0, 0};
    const double *vs[4] = {v1, v2, v3, v4}, *ps[4] = {p1, p2, p3, p4};
    const int ns[4] = {6, 3, 4, 5}, norm[4] = {1, 1, 0, 1};
    for (int c = 0; c < 4; c++) {
        nlif_density d;
        nlif_error err;
        CU_ASSERT_EQUAL_FATAL(nlif_density_table(&d, vs[c], ps[c], ns[c], norm[c], &err), NLIF_OK);
        for (int order = 0; order < 4; order++)
            CU_ASSERT_EQUAL(mismatches(&d, 5000, order), 0);
        nlif_density_free(&d);
    }
    /* the stationary profile: 20001 points */
    nlif_case cs;
    if (nlif_test_load(&cs, "relax_excitatory", NULL, 0)) {
        cs.initial.type = NLIF_INIT_STATIONARY;
        cs.initial.root = 0;
        nlif_density d;
        nlif_error err;
        CU_ASSERT_EQUAL_FATAL(nlif_density_init(&d, &cs, &err), NLIF_OK);
        for (int order = 0; order < 4; order++)
            CU_ASSERT_EQUAL(mismatches(&d, 20000, order), 0);
        nlif_density_free(&d);
    }
    nlif_structure st = {.w_law = NLIF_WLAW_POINT, .w_mean = 0.4};
    nlif_density d;
    nlif_error err;
    CU_ASSERT_EQUAL_FATAL(nlif_weight_density_init(&d, &st, &err), NLIF_OK);
    CU_ASSERT_EQUAL(mismatches(&d, 100, 1), 0);
    nlif_density_free(&d);
}

/* The sampler's quantile of the networks below: 0 the bisection's, 1 the inverse of Φ. */
static int inverse_quantile;

/* A structured network of n particles (Gaussian weights on a non-dyadic support), `threads`
 * threads, a slice of `size` processes when size > 1. */
static nlif_particles *network(long n, int threads, int rank, int size, nlif_particles_group *g)
{
    nlif_particles_params p;
    nlif_particles_params_defaults(&p);
    p.inverse_quantile = inverse_quantile;
    p.n = n;
    p.seed = 99;
    p.stream = 3;
    p.threads = threads;
    if (size > 1) {
        *g = (nlif_particles_group){rank, size, NULL, NULL};
        p.group = g;
    } else {
        p.structure = (nlif_structure){.enabled = 1, .w_min = -1.2, .w_max = 0.8, .epsilon = 1,
                                       .w_law = NLIF_WLAW_GAUSSIAN, .w_mean = -0.3, .w_sd = 0.4};
    }
    nlif_particles *ps = NULL;
    nlif_error err;
    CU_ASSERT_EQUAL_FATAL(nlif_particles_alloc(&ps, &p, &err), NLIF_OK);
    return ps;
}

/* The draw's law: particle i holds the stratum [i/n, (i+1)/n) of the cdf (jittered inside it), so
 * max_i |F(v_(i)) − (i + 1/2)/n| ≤ 1/(2n), to the bisection's 1e-15 in v times the density. A draw
 * from another law, or strata shifted or repeated, breaks it by far more. */
static double stratum_error(const nlif_density *d, double *v, long n)
{
    double worst = 0;
    for (long i = 0; i < n; i++) {
        double e = fabs(nlif_density_cdf(d, v[i]) - ((double)i + 0.5) / (double)n);
        worst = e > worst ? e : worst;
    }
    return worst * (double)n;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void sampling_law(void)
{
    const long n = 100000;
    nlif_particles *ps = network(n, 2, 0, 1, NULL);
    nlif_density dv = gaussian(-4, 2, 0, 0.5), dw;
    nlif_structure st = {.enabled = 1, .w_min = -1.2, .w_max = 0.8, .w_law = NLIF_WLAW_GAUSSIAN, .w_mean = -0.3,
                         .w_sd = 0.4};
    nlif_error err;
    CU_ASSERT_EQUAL_FATAL(nlif_weight_density_init(&dw, &st, &err), NLIF_OK);
    nlif_particles_sample_voltages(ps, &dv, 1);
    nlif_particles_sample_weights(ps, &dw, 1);
    double *v = malloc((size_t)n * sizeof *v), *w = malloc((size_t)n * sizeof *w);
    memcpy(v, nlif_particles_voltages(ps), (size_t)n * sizeof *v);
    memcpy(w, nlif_particles_weights(ps), (size_t)n * sizeof *w);
    for (long i = 1; i < n; i++) /* voltages come in stratum order */
        CU_ASSERT_FATAL(v[i - 1] <= v[i]);
    qsort(w, (size_t)n, sizeof *w, by_value); /* weights along the lattice: sorted first */
    double ev = stratum_error(&dv, v, n), ew = stratum_error(&dw, w, n);
    printf("\n  %s: strata: voltages within %.4f, weights within %.4f of a stratum's middle (bound 0.5)",
           inverse_quantile ? "inverse of Phi" : "bisection", ev, ew);
    CU_ASSERT(ev <= 0.5 + 1e-6);
    CU_ASSERT(ew <= 0.5 + 1e-6);
    /* midpoints: F(v_i) = (i + 1/2)/n to the bisection's 1e-15 in v (times the density and n) */
    nlif_particles_sample_voltages(ps, &dv, 0);
    memcpy(v, nlif_particles_voltages(ps), (size_t)n * sizeof *v);
    double em = stratum_error(&dv, v, n);
    printf("; midpoints within %.2g", em);
    CU_ASSERT(em <= 1e-6);
    free(v);
    free(w);
    nlif_density_free(&dv);
    nlif_density_free(&dw);
    nlif_particles_free(ps);
}

static void test_sampling_law(void)
{
    for (inverse_quantile = 0; inverse_quantile <= 1; inverse_quantile++)
        sampling_law();
    inverse_quantile = 0;
}

/* Threads and processes: the serial draw's bits, voltages and weights, jittered and midpoint. */
static void sampling_slices(void)
{
    const long n = 50000; /* 12 slices of ≥ 4096 at most */
    nlif_density dv = gaussian(-4, 2, 0.3, 0.6), dw;
    nlif_structure st = {.enabled = 1, .w_min = -1.2, .w_max = 0.8, .w_law = NLIF_WLAW_GAUSSIAN, .w_mean = -0.3,
                         .w_sd = 0.4};
    nlif_error err;
    CU_ASSERT_EQUAL_FATAL(nlif_weight_density_init(&dw, &st, &err), NLIF_OK);
    for (int jitter = 0; jitter <= 1; jitter++) {
        nlif_particles *one = network(n, 1, 0, 1, NULL);
        nlif_particles_sample_voltages(one, &dv, jitter);
        nlif_particles_sample_weights(one, &dw, jitter);
        const double *v1 = nlif_particles_voltages(one), *w1 = nlif_particles_weights(one);
        for (long i = 0; i < n; i += 997) { /* and the one-target quantile itself */
            double u = jitter ? -1 : ((double)i + 0.5) / (double)n;
            if (u >= 0) {
                double ref = nlif_density_quantile(&dv, u);
                if (inverse_quantile)
                    nlif_density_quantiles_inverse(&dv, &u, &ref, 1);
                CU_ASSERT(memcmp(&ref, &v1[i], sizeof ref) == 0);
            }
        }
        const int threads[3] = {2, 3, 7};
        for (int t = 0; t < 3; t++) {
            nlif_particles *many = network(n, threads[t], 0, 1, NULL);
            nlif_particles_sample_voltages(many, &dv, jitter);
            nlif_particles_sample_weights(many, &dw, jitter);
            CU_ASSERT(memcmp(nlif_particles_voltages(many), v1, (size_t)n * sizeof *v1) == 0);
            CU_ASSERT(memcmp(nlif_particles_weights(many), w1, (size_t)n * sizeof *w1) == 0);
            nlif_particles_free(many);
        }
        for (int size = 2; size <= 3; size++) {
            long covered = 0;
            for (int rank = 0; rank < size; rank++) {
                nlif_particles_group g;
                nlif_particles *part = network(n, 2, rank, size, &g);
                nlif_particles_sample_voltages(part, &dv, jitter);
                long lo, hi;
                nlif_particles_range(part, &lo, &hi);
                CU_ASSERT(memcmp(nlif_particles_voltages(part) + lo, v1 + lo, (size_t)(hi - lo) * sizeof *v1) == 0);
                covered += hi - lo;
                nlif_particles_free(part);
            }
            CU_ASSERT_EQUAL(covered, n);
        }
        nlif_particles_free(one);
    }
    nlif_density_free(&dv);
    nlif_density_free(&dw);
}

static void test_sampling_slices(void)
{
    for (inverse_quantile = 0; inverse_quantile <= 1; inverse_quantile++)
        sampling_slices();
    inverse_quantile = 0;
}

static const nlif_test_case tests[] = {{"quantiles_gaussian_bits", test_quantiles_gaussian_bits},
                                       {"quantiles_table_bits", test_quantiles_table_bits},
                                       {"quantiles_inverse_accuracy", test_quantiles_inverse_accuracy},
                                       {"sampling_law", test_sampling_law},
                                       {"sampling_slices", test_sampling_slices},
                                       {NULL, NULL}};

int main(void) { return nlif_test_main("particles_sampling", tests); }
