/* weno.c — kernels of the explicit scheme (MATHEMATICS.md §5c): the fifth-order WENO reconstruction
 * of Jiang–Shu (J. Comput. Phys. 126, 1996) and the one-sided boundary slope that gives N.
 */
#include "explicit.h"

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
