/* test_particles_random.c — the random numbers of the particle kernel (reference/particles_random.c and
 * the vector paths; MATHEMATICS.md §1.1): Gaussian moments, the same normals bit for bit on every path,
 * the premises of the wedge test in lanes, the stored ziggurat table, nlif's own tail logarithm, and the
 * bridge probability. The network, the cascade and the threads: tests/test_particles.c.
 */
#include "../harness/case/nlif_case.h"
#include "../reference/montecarlo.h"
#include "../reference/particles.h"
#include "nlif_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Moments of the Philox + ziggurat normals (4e6 draws): mean 0 (SE 5e-4), variance 1 (SE 7e-4),
 * P(|x| > 3) = 0.0026998 (SE 2.6e-5), which exercises the tail. Tolerances: 5 SE. */
static void test_gaussian(void)
{
    const long n = 4000000;
    double s = 0, s2 = 0;
    long tail = 0;
    double q[4];
    for (long i = 0; i < n; i += 4) {
        nlif_philox_gaussians(3, (uint32_t)(i / 4), 1, 2, q);
        for (int j = 0; j < 4; j++) {
            s += q[j];
            s2 += q[j] * q[j];
            tail += fabs(q[j]) > 3;
        }
    }
    NLIF_ASSERT_CLOSE(s / n, 0, 0, 2.5e-3);
    NLIF_ASSERT_CLOSE(s2 / n, 1, 0, 3.5e-3);
    NLIF_ASSERT_CLOSE((double)tail / n, 0.0026998, 0, 1.3e-4);
}

/* The generator alone: on every SIMD path here, the Philox words and standard normals of particles
 * first … first+n−1 (nlif_particles_gaussians) equal those of the per-block function above, bit for
 * bit; n = 4·10⁶ + 13 from first = 4·37: the ≈2.8% slow-path lanes (≈ 110,000: the vector wedge
 * test's accepted, rejected and resumed lanes, the tail beyond R), and a chunk that ends in a scalar
 * tail. */
static void test_gaussians_paths(void)
{
    const long n = 4000013, first = 4 * 37;
    const uint32_t step = 12345, stream = 3;
    uint32_t *wd = malloc((size_t)n * sizeof *wd);
    double *xi = malloc((size_t)n * sizeof *xi), *ref = malloc((size_t)(n + 3) * sizeof *ref);
    for (long i = 0; i < n; i += 4)
        nlif_philox_gaussians(9, (uint32_t)((first + i) / 4), step, stream, ref + i);
    long tail = 0;
    for (long i = 0; i < n; i++)
        tail += fabs(ref[i]) > 3.442619855899; /* beyond the ziggurat's R */
    CU_ASSERT(tail > 100);
    int paths = 0;
    for (int s = NLIF_SIMD_OFF; s <= NLIF_SIMD_AVX512; s++) {
        if (!nlif_simd_supported((nlif_simd)s))
            continue;
        CU_ASSERT_EQUAL_FATAL(nlif_particles_gaussians((nlif_simd)s, 9, step, stream, first, n, wd, xi), 0);
        int same = memcmp(xi, ref, (size_t)n * sizeof *xi) == 0;
        if (!same)
            fprintf(stderr, "\n  path %s: Gaussians differ from the per-block function", nlif_simd_name((nlif_simd)s));
        CU_ASSERT(same);
        uint32_t *wo = malloc((size_t)n * sizeof *wo);
        CU_ASSERT_EQUAL(nlif_particles_gaussians((nlif_simd)s, 9, step, stream, first, n, wo, NULL), 0);
        CU_ASSERT(memcmp(wo, wd, (size_t)n * sizeof *wo) == 0); /* words alone: the same words */
        free(wo);
        paths++;
    }
    CU_ASSERT_EQUAL(nlif_particles_gaussians(NLIF_SIMD_OFF, 9, step, stream, 3, 4, wd, xi), -1); /* first % 4 */
    printf("\n  %d paths, %ld normals beyond R", paths, tail);
    free(wd);
    free(xi);
    free(ref);
}

/* The premises of the vector paths' wedge decision (MATHEMATICS.md §1.1): the wedge test's arguments
 * lie within ±d < 1 (the ziggurat's table), each vector path's exponential is within the relative
 * error the decision assumes on [−1, 1] (measured against libm on 2·10⁶ + 6 even points and ±d),
 * and that error keeps the sums far inside the margin: 3·e^d·(err + 2^−52) ≤ margin / 1000. */
static void test_wedge_exp(void)
{
    double info[3];
    int rc = nlif_particles_wedge_exp(NLIF_SIMD_OFF, NULL, NULL, 0, info);
    CU_ASSERT_EQUAL(rc, -1); /* not a vector path; info filled all the same */
    CU_ASSERT(info[0] > 0.7 && info[0] < 1.0);
    CU_ASSERT(3 * exp(info[0]) * (info[1] + 0x1p-52) <= info[2] / 1000);
    const long n = 2000008;
    double *a = malloc((size_t)n * sizeof *a), *e = malloc((size_t)n * sizeof *e);
    for (long j = 0; j < n; j++)
        a[j] = j < n - 2 ? -1.0 + 2.0 * (double)j / (double)(n - 3) : (j == n - 2 ? -info[0] : info[0]);
    int paths = 0;
    for (int s = NLIF_SIMD_AVX2; s <= NLIF_SIMD_AVX512; s++) {
        if (!nlif_simd_supported((nlif_simd)s))
            continue;
        CU_ASSERT_EQUAL_FATAL(nlif_particles_wedge_exp((nlif_simd)s, a, e, n, NULL), 0);
        double worst = 0;
        for (long j = 0; j < n; j++)
            worst = fmax(worst, fabs(e[j] - exp(a[j])) / exp(a[j]));
        printf("\n  %s: largest relative error %.2e (assumed %.0e; d = %.4f)", nlif_simd_name((nlif_simd)s), worst,
               info[1], info[0]);
        CU_ASSERT(worst <= info[1]);
        paths++;
    }
    CU_ASSERT_EQUAL(nlif_particles_wedge_exp(NLIF_SIMD_AVX2, a, e, 7, NULL), -1); /* n % 8 */
    if (!paths)
        printf("\n  no vector path on this CPU or in this build: nothing to measure");
    free(a);
    free(e);
}

/* The stored ziggurat table (MATHEMATICS.md §1.1): x_1 = R, x_128 = 0, decreasing, and layers of
 * equal area V = x_0·f(R), f(x) = exp(−x²/2), evaluated in long double: the base layer R·f(R) + ∫_R^∞ f
 * and layers i = 1 … 126, x_i·(f(x_{i+1}) − f(x_i)), within 1e−12 of V (a layer's probability wrong
 * by less than 1e−14: beyond what any number of draws nlif makes could see); the top layer
 * x_127·(1 − f(x_127)), which closes the recursion (R and V are given to 13 and 15 digits), within
 * 1e−8 (a probability error below 1e−10). The recursion recomputed with this machine's libm, step by
 * step from the stored entries: the number of entries whose bits differ is printed (0 with the glibc
 * the table was made with), all within 1e−12. */
static void test_ziggurat_table(void)
{
    const double *x = nlif_particles_ziggurat_table();
    CU_ASSERT_EQUAL(x[1], 3.442619855899);
    CU_ASSERT_EQUAL(x[128], 0.0);
    for (int i = 0; i < 128; i++)
        CU_ASSERT(x[i] > x[i + 1]);
    long double r = x[1], fr = expl(-r * r / 2), v = x[0] * fr;
    long double base = r * fr + sqrtl(acosl(-1.0L) / 2) * erfcl(r / sqrtl(2.0L));
    double worst = (double)fabsl(base / v - 1), top = 0;
    for (int i = 1; i < 128; i++) {
        long double xi = x[i], xn = x[i + 1];
        double dev = (double)fabsl(xi * (expl(-xn * xn / 2) - expl(-xi * xi / 2)) / v - 1);
        if (i < 127)
            worst = fmax(worst, dev);
        else
            top = dev;
    }
    CU_ASSERT(worst <= 1e-12);
    CU_ASSERT(top <= 1e-8);
    const double zv = 9.91256303526217e-3;
    double f = exp(-0.5 * x[1] * x[1]), far = fabs(zv / f - x[0]) / x[0];
    int differ = zv / f != x[0];
    for (int i = 2; i < 128; i++) {
        double y = sqrt(-2 * log(zv / x[i - 1] + f));
        differ += y != x[i];
        far = fmax(far, fabs(y - x[i]) / x[i]);
        f = exp(-0.5 * x[i] * x[i]);
    }
    CU_ASSERT(far <= 1e-12);
    printf("\n  layer areas / V − 1: at most %.1e (base and layers 1–126), %.1e (top); this libm's recursion: %d "
           "of 128 entries differ in their bits (largest %.1e)", worst, top, differ, far);
}

/* The tail's logarithm (MATHEMATICS.md §1.1) against logl: below 1 ulp on the tail's uniforms
 * ((k + ½)·2^−32: 2·10⁶ of them and both ends) and on 10⁶ positive doubles from 2^−1000 to 2^1000;
 * exact at 1 and at powers of 2 up to the rounding of k·ln 2. */
static void test_tail_log(void)
{
    const long n = 3000002;
    double *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (long i = 0; i < n - 2; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        x[i] = i < 2000000 ? ((double)(uint32_t)s + 0.5) * 0x1p-32
                           : ldexp(1.0 + (double)(s >> 12) * 0x1p-52, (int)((s >> 2) % 2001) - 1000);
    }
    x[n - 2] = 0.5 * 0x1p-32;
    x[n - 1] = 1.0 - 0.5 * 0x1p-32;
    nlif_particles_tail_log(x, y, n);
    double worst = 0;
    for (long i = 0; i < n; i++) {
        long double e = logl((long double)x[i]);
        int ex;
        frexpl(e, &ex);
        worst = fmax(worst, (double)fabsl(((long double)y[i] - e) / ldexpl(1.0L, ex - 53)));
    }
    printf("\n  largest error %.3f ulp", worst);
    CU_ASSERT(worst < 1.0);
    double one = 1.0, l1;
    nlif_particles_tail_log(&one, &l1, 1);
    CU_ASSERT_EQUAL(l1, 0.0);
    for (int k = -40; k <= 40; k += 7) {
        double p = ldexp(1.0, k), lp;
        nlif_particles_tail_log(&p, &lp, 1);
        NLIF_ASSERT_CLOSE(lp, k * 0.6931471805599453, 4e-16, 0);
    }
    free(x);
    free(y);
}

static void test_bridge_probability(void)
{
    /* exp(−(V_F − x0)(V_F − x1)/(a Δs)): (0.1·0.2)/(1·0.01) = 2 */
    /* rtol 1e-14: 2 − 1.9 and 2 − 1.8 carry ~1e-15 relative rounding, amplified by the exponent 2 */
    NLIF_ASSERT_CLOSE(nlif_bridge_probability(2, 1.9, 1.8, 1, 0.01), exp(-2.0), 1e-14, 0);
    NLIF_ASSERT_CLOSE(nlif_bridge_probability(2, 2.0, 1.0, 1, 0.01), 1.0, 1e-15, 0);
}

static const nlif_test_case tests[] = {
    {"gaussian_moments", test_gaussian},
    {"bridge_probability", test_bridge_probability},
    {"gaussians_paths", test_gaussians_paths},
    {"wedge_exp", test_wedge_exp},
    {"ziggurat_table", test_ziggurat_table},
    {"tail_log", test_tail_log},
    {NULL, NULL},
};

int main(void) { return nlif_test_main("particles_random", tests); }
