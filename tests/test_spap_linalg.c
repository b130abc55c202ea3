/* test_spap_linalg.c — the linear algebra of Scheme 1 (solvers/spap/spap_linalg.c): the GTH bordered
 * solve against dense elimination, at extreme stiffness, and face ratios that never overflow. The
 * scheme itself: tests/test_spap.c.
 */
#include "nlif_test.h"

#include "../harness/case/nlif_case.h"
#include "../exact/nlif_density.h"
#include "../exact/nlif_exact.h"
#include "../solvers/spap/spap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>

/* ---- the linear algebra ------------------------------------------------------------------- */

/* Dense Gaussian elimination with partial pivoting: the independent reference for the GTH solve. */
static void dense_solve(int n, double *A, double *b)
{
    for (int k = 0; k < n; k++) {
        int piv = k;
        for (int i = k + 1; i < n; i++)
            if (fabs(A[i * n + k]) > fabs(A[piv * n + k]))
                piv = i;
        for (int j = 0; j < n; j++) {
            double t = A[k * n + j];
            A[k * n + j] = A[piv * n + j];
            A[piv * n + j] = t;
        }
        double t = b[k];
        b[k] = b[piv];
        b[piv] = t;
        for (int i = k + 1; i < n; i++) {
            double m = A[i * n + k] / A[k * n + k];
            for (int j = k; j < n; j++)
                A[i * n + j] -= m * A[k * n + j];
            b[i] -= m * b[k];
        }
    }
    for (int k = n - 1; k >= 0; k--) {
        double acc = b[k];
        for (int j = k + 1; j < n; j++)
            acc -= A[k * n + j] * b[j];
        b[k] = acc / A[k * n + k];
    }
}

static void test_gth_vs_dense(void)
{
    enum { N = 9 };
    double al[N], be[N], x[N], y[N], A[N * N], work[3 * N];
    srand(7);
    int rs[] = {0, 3, 6, 7, 8};
    for (int t = 0; t < 5; t++) {
        int r = rs[t];
        for (int i = 0; i < N; i++) {
            al[i] = 0.1 + 1.9 * rand() / (double)RAND_MAX;
            be[i] = 0.1 + 1.9 * rand() / (double)RAND_MAX;
            x[i] = y[i] = rand() / (double)RAND_MAX;
        }
        double lc = 3.7, lo = 2.1;
        /* I + λA assembled by rows from the fluxes: the reference knows nothing of GTH. */
        memset(A, 0, sizeof A);
        for (int i = 0; i < N; i++)
            A[i * N + i] = 1.0;
        for (int i = 0; i < N; i++) {
            if (i < N - 1) {
                A[i * N + i] += lc * al[i], A[i * N + i + 1] -= lc * be[i];
                A[(i + 1) * N + i] -= lc * al[i], A[(i + 1) * N + i + 1] += lc * be[i];
            }
        }
        A[(N - 1) * N + N - 1] += lo;
        A[r * N + N - 1] -= lo;
        dense_solve(N, A, y);
        spap_solve_slice(N, r, lc, al, be, lo, x, work);
        double sx = 0, sy = 0;
        for (int i = 0; i < N; i++) {
            /* both solves are backward stable on a well-conditioned 9×9 system: 1e-13 */
            NLIF_ASSERT_CLOSE(x[i], y[i], 1e-13, 0);
            sx += x[i], sy += y[i];
        }
        (void)sx, (void)sy;
    }
}

/* At λ = 1e16 (Δt/ε far beyond 1e12) the GTH solve keeps the column sum (mass) to rounding and
 * positivity, without any renormalisation. */
static void test_gth_stiff(void)
{
    int n = 300, r = 150;
    double *al = malloc(n * sizeof *al), *be = malloc(n * sizeof *be), *x = malloc(n * sizeof *x),
           *work = malloc(3 * n * sizeof *work);
    spap_face_coefficients(n, -4.0, 0.02, 1.0, 0.3, al, be);
    double sum0 = 0;
    for (int i = 0; i < n; i++)
        sum0 += x[i] = exp(-0.5 * pow((-4 + i * 0.02) / 0.5, 2));
    double c = 1.0 / 0.02, lam = 1e16;
    spap_solve_slice(n, r, lam * c, al, be, lam * c * al[n - 1], x, work);
    double sum = 0, mn = INFINITY;
    for (int i = 0; i < n; i++)
        sum += x[i], mn = fmin(mn, x[i]);
    /* GTH adds non-negative numbers only: error ~ n·ulp on the sum, allow 1e-13 relative */
    NLIF_ASSERT_CLOSE(sum, sum0, 1e-13, 0);
    CU_ASSERT(mn >= 0);
    /* and the result is the stationary profile (λ → ∞) to ~1/λ + rounding: compare to closed form */
    double *prof = malloc(n * sizeof *prof);
    spap_stationary_profile(n, r, 0.02, 1.0, al, be, c * al[n - 1], prof);
    double dmax = 0, pmax = 0;
    for (int i = 0; i < n; i++)
        dmax = fmax(dmax, fabs(x[i] / sum - prof[i])), pmax = fmax(pmax, prof[i]);
    /* rounding of two O(n) recursions: 1e-12 relative to max p */
    CU_ASSERT(dmax <= 1e-12 * pmax);
    free(al), free(be), free(x), free(work), free(prof);
}

/* Overflow: face ratios for |Δv(v − μ)/a| far beyond 709 give α, β in [0, 2], never NaN. */
static void test_face_overflow(void)
{
    double al[64], be[64];
    spap_face_coefficients(64, -40.0, 1.0, 1e-3, 30.0, al, be);
    for (int i = 0; i < 64; i++) {
        CU_ASSERT(isfinite(al[i]) && isfinite(be[i]));
        CU_ASSERT(al[i] >= 0 && al[i] <= 2 && be[i] >= 0 && be[i] <= 2);
        /* α + β = 2 exactly in exact arithmetic (harmonic mean): rounding 1e-15 */
        NLIF_ASSERT_CLOSE(al[i] + be[i], 2.0, 1e-15, 0);
    }
}

/* ---- structure: mass and positivity ------------------------------------------------------- */

static const nlif_test_case tests[] = {
    {"gth solve vs dense elimination", test_gth_vs_dense},
    {"gth solve at lambda = 1e16", test_gth_stiff},
    {"face ratios never overflow", test_face_overflow},
    {NULL, NULL},
};

int main(void) { return nlif_test_main("spap_linalg", tests); }
