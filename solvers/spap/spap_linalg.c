/* spap_linalg.c — the O(n) kernels of Scheme 1 (MATHEMATICS.md §3): Maxwellian face coefficients from
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

/* The GTH pivots of the slice operator's tridiagonal part (the recurrence spap_solve_slice explains),
 * into work[0..n−2] (1/d_k), work[n..] (m_k) and work[2n..] (g_k = s_k/d_k); the absorbing solve of a
 * refractory period (spap_refractory.c) takes the same pivots. */
void spap_gth_pivots(int n, double lam_c, const double *alpha, const double *beta, double *work)
{
    double *w0 = work, *w1 = work + n, *w2 = work + 2 * (size_t)n;
    double P = 1.0, Q = 1.0;
    for (int k = 0; k < n - 1; k++) {
        w0[k] = P;
        w1[k] = Q;
        double L = lam_c * alpha[k], U = lam_c * beta[k];
        double Pn = (1.0 + U) * P + L * Q, Qn = P + L * Q;
        P = Pn;
        Q = Qn;
        if ((k & 3) == 3) {
            double sc = 1.0 / Q;
            P *= sc;
            Q = 1.0;
        }
    }
    /* pivots: 1/d_k = Q/(P + L Q), multiplier m_k = L/d_k, g_k = s_k/d_k = P/(P + L Q) */
    for (int k = 0; k < n - 1; k++) {
        double L = lam_c * alpha[k], Pk = w0[k], Qk = w1[k];
        double rr = 1.0 / (Pk + L * Qk);
        w0[k] = Qk * rr;     /* 1/d_k */
        w1[k] = L * Qk * rr; /* m_k */
        w2[k] = Pk * rr;     /* g_k */
    }
}

double spap_solve_slice(int n, int r, double lam_c, const double *alpha, const double *beta, double lam_out,
                      double *x, double *work)
{
    /* Magnitudes of the off-diagonal entries: row k+1, col k: L_k = lam_c α_k; row k, col k+1:
     * U_k = lam_c β_k; row r, col n−1: lam_out (absent when r = n−1: outflow and re-injection cancel).
     * Eliminating row k from row k+1 fills column n−1 in rows r+1..n−2 (the bordered column).
     *
     * GTH: the column sum s_k of the pivot column over the remaining rows obeys
     * s_0 = 1, s_{k+1} = 1 + U_k s_k/(s_k + L_k), and the pivot is d_k = s_k + L_k. The recursion is a
     * Möbius map, so s_k = P_k/Q_k with the linear, division-free recurrence
     * P_{k+1} = (1 + U_k) P_k + L_k Q_k, Q_{k+1} = P_k + L_k Q_k (positive terms only): the latency
     * chain holds no division; the pivots then come out of a vectorised pass. P, Q are rescaled
     * every 4 rows (growth ≤ (1 + U + L)^4). */
    spap_gth_pivots(n, lam_c, alpha, beta, work);
    double *w0 = work, *w1 = work + n, *w2 = work + 2 * (size_t)n;
    /* forward elimination of the right-hand side, and the bordered fill column (rows ≥ r) */
    double f = 0.0, extra = 0.0, u_last = 0.0, g_last = 0.0;
    for (int k = 0; k < n - 1; k++)
        x[k + 1] += w1[k] * x[k];
    for (int k = 0; k < n - 1; k++) {
        if (k == r)
            f += lam_out;
        double g = w2[k];
        if (k == n - 2) { /* column k+1 is the bordered column: merge */
            u_last = lam_c * beta[k] + f;
            g_last = g;
            w2[k] = 0.0;
            break;
        }
        w2[k] = f; /* fill entry of row k */
        extra += f * g;
        f *= w1[k];
    }
    /* The last pivot: the 1×1 Schur complement equals its column sum 1 + U'_{n−2} g_{n−2} plus the
     * fill contributions Σ f_k g_k. */
    x[n - 1] /= 1.0 + u_last * g_last + extra;
    double xl = x[n - 1];
    x[n - 2] = (x[n - 2] + u_last * xl) * w0[n - 2];
    /* The sum rides along the back substitution (a latency-bound recurrence: the add is free). */
    double sum = xl + x[n - 2];
    for (int k = n - 3; k >= 0; k--) {
        x[k] = (x[k] + lam_c * beta[k] * x[k + 1] + w2[k] * xl) * w0[k];
        sum += x[k];
    }
    return sum;
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
