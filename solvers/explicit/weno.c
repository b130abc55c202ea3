/* weno.c — kernels of the explicit scheme (MATHEMATICS.md §5c): the fifth-order WENO reconstruction
 * of Jiang–Shu (J. Comput. Phys. 126, 1996) and the one-sided boundary slope that gives N.
 */
#include "explicit.h"

#if defined(__x86_64__) && !defined(NLIF_PORTABLE)
#include <immintrin.h>
#define NLIF_EX_X86 1
#else
#define NLIF_EX_X86 0
#endif

double nlif_ex_weno5(double fm2, double fm1, double f0, double fp1, double fp2, double eps)
{
    /* the three third-order candidates on the sub-stencils {j−2, j−1, j}, {j−1, j, j+1}, {j, j+1, j+2} */
    const double q0 = (2 * fm2 - 7 * fm1 + 11 * f0) / 6;
    const double q1 = (-fm1 + 5 * f0 + 2 * fp1) / 6;
    const double q2 = (2 * f0 + 5 * fp1 - fp2) / 6;
    /* smoothness indicators */
    const double c0 = fm2 - 2 * fm1 + f0, d0 = fm2 - 4 * fm1 + 3 * f0;
    const double c1 = fm1 - 2 * f0 + fp1, d1 = fm1 - fp1;
    const double c2 = f0 - 2 * fp1 + fp2, d2 = 3 * f0 - 4 * fp1 + fp2;
    const double b0 = 13.0 / 12 * c0 * c0 + 0.25 * d0 * d0;
    const double b1 = 13.0 / 12 * c1 * c1 + 0.25 * d1 * d1;
    const double b2 = 13.0 / 12 * c2 * c2 + 0.25 * d2 * d2;
    /* linear weights 1/10, 6/10, 3/10 give fifth order where the data are smooth */
    const double a0 = 0.1 / ((eps + b0) * (eps + b0));
    const double a1 = 0.6 / ((eps + b1) * (eps + b1));
    const double a2 = 0.3 / ((eps + b2) * (eps + b2));
    return (a0 * q0 + a1 * q1 + a2 * q2) / (a0 + a1 + a2);
}

/* The face fluxes of the global Lax–Friedrichs splitting: fp_k = (h_k p_k + α p_k)/2, fm_k = (h_k p_k −
 * α p_k)/2 at the padded nodes k = 0..n+5, then for each face j + 1/2 (j = −1..n−1, padded node
 * k = j + 3) the two WENO values and the central diffusive flux:
 *     face[j + 1] = W(fp_{k−2..k+2}) + W(fm_{k+3..k−1}) − a (p_{k+1} − p_k)/Δv.
 * One pass on the nodes and one on the faces instead of six products per face: the same IEEE
 * operations in the same order as nlif_ex_weno5 face by face, so the same bits. Where the CPU has
 * AVX2 the faces go four at a time in 256-bit lanes (each lane's operations are the scalar ones: no
 * contraction, -ffp-contract=off): the explicit scheme spends most of its time here. */
static void faces_scalar(const double *pp, const double *fp, const double *fm, double a, double dv, double eps,
                         int k0, int k1, double *face)
{
    for (int k = k0; k < k1; k++)
        face[k - 2] = nlif_ex_weno5(fp[k - 2], fp[k - 1], fp[k], fp[k + 1], fp[k + 2], eps) +
                      nlif_ex_weno5(fm[k + 3], fm[k + 2], fm[k + 1], fm[k], fm[k - 1], eps) -
                      a * (pp[k + 1] - pp[k]) / dv;
}

#if NLIF_EX_X86
#define V4(x) _mm256_set1_pd(x)
__attribute__((target("avx2"))) static inline __m256d weno5_avx2(__m256d fm2, __m256d fm1, __m256d f0, __m256d fp1,
                                                                 __m256d fp2, __m256d eps)
{
    /* nlif_ex_weno5, operation for operation (a constant times x is x times the constant: exact) */
    const __m256d q0 = _mm256_div_pd(_mm256_add_pd(_mm256_sub_pd(_mm256_mul_pd(V4(2), fm2), _mm256_mul_pd(V4(7), fm1)),
                                                   _mm256_mul_pd(V4(11), f0)), V4(6));
    const __m256d q1 = _mm256_div_pd(_mm256_add_pd(_mm256_add_pd(_mm256_xor_pd(fm1, V4(-0.0)), _mm256_mul_pd(V4(5), f0)),
                                                   _mm256_mul_pd(V4(2), fp1)), V4(6));
    const __m256d q2 = _mm256_div_pd(_mm256_sub_pd(_mm256_add_pd(_mm256_mul_pd(V4(2), f0), _mm256_mul_pd(V4(5), fp1)), fp2),
                                     V4(6));
    const __m256d c0 = _mm256_add_pd(_mm256_sub_pd(fm2, _mm256_mul_pd(V4(2), fm1)), f0);
    const __m256d d0 = _mm256_add_pd(_mm256_sub_pd(fm2, _mm256_mul_pd(V4(4), fm1)), _mm256_mul_pd(V4(3), f0));
    const __m256d c1 = _mm256_add_pd(_mm256_sub_pd(fm1, _mm256_mul_pd(V4(2), f0)), fp1);
    const __m256d d1 = _mm256_sub_pd(fm1, fp1);
    const __m256d c2 = _mm256_add_pd(_mm256_sub_pd(f0, _mm256_mul_pd(V4(2), fp1)), fp2);
    const __m256d d2 = _mm256_add_pd(_mm256_sub_pd(_mm256_mul_pd(V4(3), f0), _mm256_mul_pd(V4(4), fp1)), fp2);
    const __m256d k13 = V4(13.0 / 12), qt = V4(0.25);
    const __m256d b0 = _mm256_add_pd(_mm256_mul_pd(_mm256_mul_pd(k13, c0), c0), _mm256_mul_pd(_mm256_mul_pd(qt, d0), d0));
    const __m256d b1 = _mm256_add_pd(_mm256_mul_pd(_mm256_mul_pd(k13, c1), c1), _mm256_mul_pd(_mm256_mul_pd(qt, d1), d1));
    const __m256d b2 = _mm256_add_pd(_mm256_mul_pd(_mm256_mul_pd(k13, c2), c2), _mm256_mul_pd(_mm256_mul_pd(qt, d2), d2));
    const __m256d e0 = _mm256_add_pd(eps, b0), e1 = _mm256_add_pd(eps, b1), e2 = _mm256_add_pd(eps, b2);
    const __m256d a0 = _mm256_div_pd(V4(0.1), _mm256_mul_pd(e0, e0));
    const __m256d a1 = _mm256_div_pd(V4(0.6), _mm256_mul_pd(e1, e1));
    const __m256d a2 = _mm256_div_pd(V4(0.3), _mm256_mul_pd(e2, e2));
    const __m256d num = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(a0, q0), _mm256_mul_pd(a1, q1)), _mm256_mul_pd(a2, q2));
    return _mm256_div_pd(num, _mm256_add_pd(_mm256_add_pd(a0, a1), a2));
}

/* faces_scalar on [k0, k1), four faces at a time; the remainder scalar */
__attribute__((target("avx2"))) static void faces_avx2(const double *pp, const double *fp, const double *fm, double a,
                                                       double dv, double eps, int k0, int k1, double *face)
{
    const __m256d ve = V4(eps), va = V4(a), vd = V4(dv);
    int k = k0;
    for (; k + 4 <= k1; k += 4) {
        __m256d plus = weno5_avx2(_mm256_loadu_pd(fp + k - 2), _mm256_loadu_pd(fp + k - 1), _mm256_loadu_pd(fp + k),
                                  _mm256_loadu_pd(fp + k + 1), _mm256_loadu_pd(fp + k + 2), ve);
        __m256d minus = weno5_avx2(_mm256_loadu_pd(fm + k + 3), _mm256_loadu_pd(fm + k + 2), _mm256_loadu_pd(fm + k + 1),
                                   _mm256_loadu_pd(fm + k), _mm256_loadu_pd(fm + k - 1), ve);
        __m256d diff = _mm256_div_pd(_mm256_mul_pd(va, _mm256_sub_pd(_mm256_loadu_pd(pp + k + 1), _mm256_loadu_pd(pp + k))), vd);
        _mm256_storeu_pd(face + k - 2, _mm256_sub_pd(_mm256_add_pd(plus, minus), diff));
    }
    faces_scalar(pp, fp, fm, a, dv, eps, k, k1, face);
}
#undef V4
#endif

void nlif_ex_faces_global(const double *pp, const double *hp, double al, double a, double dv, double eps, int n,
                          double *fp, double *fm, double *face)
{
    for (int k = 0; k < n + 6; k++) {
        double f = hp[k] * pp[k], u = al * pp[k];
        fp[k] = 0.5 * (f + u);
        fm[k] = 0.5 * (f - u);
    }
#if NLIF_EX_X86
    static int avx2 = -1; /* the CPU does not change during a run; a race writes the same value */
    if (avx2 < 0) {
        __builtin_cpu_init();
        avx2 = __builtin_cpu_supports("avx2") != 0;
    }
    if (avx2) {
        faces_avx2(pp, fp, fm, a, dv, eps, 2, n + 3, face);
        return;
    }
#endif
    faces_scalar(pp, fp, fm, a, dv, eps, 2, n + 3, face);
}

double nlif_ex_boundary_slope(const double *p, int n, double dv, int order)
{
    /* backward differences at V_F with p_n = 0: −p'(V_F) ≈ Σ c_k p_{n−k} / Δv */
    switch (order) {
    case 1:
        return p[n - 1] / dv;
    case 2:
        return (4 * p[n - 1] - p[n - 2]) / (2 * dv);
    default:
        return (18 * p[n - 1] - 9 * p[n - 2] + 2 * p[n - 3]) / (6 * dv);
    }
}
