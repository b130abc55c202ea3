/* spap_linalg.c — the O(n) kernels of Scheme 1 (METHODS.md §2): Maxwellian face coefficients from
 * ratios, the per-slice solve of (I + (Δt/ε)A_j) p = rhs (tridiagonal plus the re-injection entry
 * (r, n−1)), and the implicit upwind solve in w.
 *
 * Why GTH (Grassmann–Taksar–Heyman) elimination and not Thomas + Sherman–Morrison: I + λA has
 * exactly unit column sums and non-positive off-diagonals. With λ = Δt/(εΔv) ~ 1e14 the matrix is
 * λ times a singular one plus I, and the Sherman–Morrison denominator 1 − z_{n−1} is O(1/λ): a
 * plain elimination loses every digit. GTH never forms a diagonal by subtraction: after each
 * elimination it tracks the column sums of the Schur complement (which only grow, by adding
 * non-negative terms) and rebuilds the pivot as column sum + |off-diagonals below|. Every
 * operation then adds non-negative numbers, so the computed p is ≥ 0 and accurate componentwise
 * for any λ; the slice-mass guard in spap.c is left with a rounding-level correction only.
 */
#include "spap.h"

#include <math.h>

/* Faces per block whose E_i are generated as E_{i0}·q^k from one exp: the products carry at most
 * ~BLOCK ulps of error, and the inner loop vectorises. */
#define BLOCK 32

void spap_face_coefficients(int n, double v_min, double dv, double a, double mu, double *alpha, double *beta)
{
    /* log E_i = Δv (v_{i+1/2} − μ)/a = [(v_{i+1}−μ)² − (v_i−μ)²]/(2a): the difference of squares
     * factored, so no cancellation and no M. */
    double step = dv * dv / a;
    double dmax = fmax(fabs(v_min - mu), fabs(v_min + n * dv - mu)) * dv / a + step;
    if (!(dmax < 600.0 && step * BLOCK < 50.0)) {
        /* Extreme ratios: one exp per face (e = ∞ or 0 handled below). */
        for (int i = 0; i < n; i++) {
            double e = exp(dv * (v_min + (i + 0.5) * dv - mu) / a);
            double x = 2.0 / (1.0 + e);
            alpha[i] = x;
            beta[i] = e < 1e300 ? x * e : 2.0;
        }
        return;
    }
    double qp[BLOCK];
    double q = exp(step);
    qp[0] = 1.0;
    for (int k = 1; k < BLOCK; k++)
        qp[k] = qp[k - 1] * q;
    for (int i0 = 0; i0 < n; i0 += BLOCK) {
        int m = n - i0 < BLOCK ? n - i0 : BLOCK;
        double e0 = exp(dv * (v_min + (i0 + 0.5) * dv - mu) / a);
        double *al = alpha + i0, *be = beta + i0;
        for (int k = 0; k < m; k++) {
            double e = e0 * qp[k];
            double x = 2.0 / (1.0 + e);
            al[k] = x;
            be[k] = x * e;
        }
    }
}

void spap_solve_slice(int n, int r, double lam_c, const double *alpha, const double *beta, double lam_out,
                      double *x, double *invd, double *fill)
{
    /* Magnitudes of the off-diagonal entries: row k+1, col k: L = lam_c α_k; row k, col k+1:
     * U = lam_c β_k; row r, col n−1: lam_out (absent when r = n−1: outflow and re-injection cancel).
     * Eliminating row k from row k+1 fills column n−1 in rows r+1..n−2 (the bordered column). */
    double s = 1.0;     /* column sum of the current pivot column over the remaining rows */
    double extra = 0.0; /* what the fill entries added to the column sum of column n−1 */
    double f = 0.0;     /* entry (row k, column n−1) while k ≤ n−3 */
    double u_last = 0.0;
    for (int k = 0; k < n - 1; k++) {
        if (k == r)
            f += lam_out;
        double L = lam_c * alpha[k];
        double U = lam_c * beta[k];
        if (k == n - 2) { /* column k+1 is the bordered column: merge */
            U += f;
            f = 0.0;
            u_last = U;
        }
        double d = s + L; /* GTH pivot: column sum + the one off-diagonal below */
        double id = 1.0 / d;
        double g = s * id, m = L * id;
        invd[k] = id;
        fill[k] = f;
        x[k + 1] += m * x[k];
        extra += f * g;
        s = 1.0 + U * g; /* column k+1 over rows k+1..: 1 + |U_k|·(s_k / d_k) */
        f *= m;
    }
    /* The last pivot: the 1×1 Schur complement equals its column sum, 1 + U'_{n−2} g_{n−2} (in s)
     * plus the fill contributions Σ f_k g_k (in extra). */
    x[n - 1] /= s + extra;
    double xl = x[n - 1];
    x[n - 2] = (x[n - 2] + u_last * xl) * invd[n - 2];
    for (int k = n - 3; k >= 0; k--)
        x[k] = (x[k] + lam_c * beta[k] * x[k + 1] + fill[k] * xl) * invd[k];
}

void spap_wimplicit_factor(int nw, double dt_dw, const double *kf, double *invd, double *mult, double *sup)
{
    /* Upwind flux at face j+1/2: K⁺ ρ_j + K⁻ ρ_{j+1}. Row j+1 gains from column j: dt_dw·K⁺;
     * row j gains from column j+1: dt_dw·(−K⁻). Column sums are 1: GTH as above, no fill. */
    double s = 1.0;
    for (int j = 0; j < nw - 1; j++) {
        double L = dt_dw * fmax(kf[j], 0.0), U = dt_dw * fmax(-kf[j], 0.0);
        double id = 1.0 / (s + L);
        invd[j] = id;
        mult[j] = L * id;
        sup[j] = U;
        s = 1.0 + U * s * id;
    }
    invd[nw - 1] = 1.0 / s;
    mult[nw - 1] = 0.0;
    sup[nw - 1] = 0.0;
}

void spap_wimplicit_apply(int nw, const double *invd, const double *mult, const double *sup, double *X,
                          int m, int ld)
{
    for (int j = 0; j < nw - 1; j++) {
        const double *a = X + (size_t)j * ld;
        double *b = X + (size_t)(j + 1) * ld, mj = mult[j];
        for (int i = 0; i < m; i++)
            b[i] += mj * a[i];
    }
    {
        double *a = X + (size_t)(nw - 1) * ld, id = invd[nw - 1];
        for (int i = 0; i < m; i++)
            a[i] *= id;
    }
    for (int j = nw - 2; j >= 0; j--) {
        double *a = X + (size_t)j * ld, id = invd[j], u = sup[j];
        const double *b = X + (size_t)(j + 1) * ld;
        for (int i = 0; i < m; i++)
            a[i] = (a[i] + u * b[i]) * id;
    }
}
