/* macro.c — the macro solver of Scheme 2 (MATHEMATICS.md §4, after [HLXZ]): the 1D NNLIF Fokker–Planck
 * equation on nodes v_i = V_min + iΔv with Maxwellian (Scharfetter–Gummel type) face fluxes,
 * a(N) = a0 + a1 N, the one-sided outflow a p_{n−1}/Δv (Choice of MATHEMATICS.md §4), zero flux at V_min.
 *
 * One step (backward Euler, a and μ = bN + I frozen at N^k): (I + (h/Δv) K) p^{k+1} = p^k, where
 * K has the face fluxes, the outflow out of cell n−1 and its re-injection into cell r. K has zero
 * column sums and non-positive off-diagonals, so I + (h/Δv)K is an M-matrix: mass is conserved and
 * p ≥ 0 for every h, Δv. The matrix is tridiagonal plus the entry (r, n−1); Gaussian elimination
 * without pivoting carries that entry down column n−1 as one extra vector ("far"), O(n). Because the
 * matrix is an M-matrix, every multiplier is ≤ 0 and every quantity formed in the elimination and the
 * back substitution is a sum of non-negative terms: p^{k+1} ≥ 0 holds in floating point too (a
 * Sherman–Morrison update would subtract and could leave −1e−300 in the far tail).
 * This is an implementation of its own (not a call into solvers/spap), by design of the suite.
 */
#include "multiscale.h"

#include "../../exact/nlif_density.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int nlif_ms_macro_init(nlif_ms_macro *m, const nlif_model *model, double dv, nlif_error *err)
{
    memset(m, 0, sizeof *m);
    int n, r;
    int rc = nlif_grid_nodes(model, dv, &n, &r);
    if (rc)
        return nlif_fail(err, NLIF_EINVAL, "multiscale: V_R and V_F must be nodes of the Δv = %g grid", dv);
    if (n < 3 || r < 0 || r >= n)
        return nlif_fail(err, NLIF_EINVAL, "multiscale: grid of %d cells (V_R at node %d) is too small", n, r);
    m->model = *model;
    m->n = n;
    m->r = r;
    m->dv = dv;
    m->v = malloc((size_t)(n + 1) * sizeof *m->v);
    m->alpha = malloc((size_t)n * sizeof *m->alpha);
    m->beta = malloc((size_t)n * sizeof *m->beta);
    m->diag = malloc((size_t)n * sizeof *m->diag);
    m->upper = malloc((size_t)n * sizeof *m->upper);
    m->far = malloc((size_t)n * sizeof *m->far);
    m->rhs = malloc((size_t)n * sizeof *m->rhs);
    m->inv = malloc((size_t)n * sizeof *m->inv);
    m->e_face = malloc((size_t)n * sizeof *m->e_face);
    m->e_c = NAN;
    if (!m->v || !m->alpha || !m->beta || !m->diag || !m->upper || !m->far || !m->rhs || !m->inv || !m->e_face) {
        nlif_ms_macro_free(m);
        return nlif_fail(err, NLIF_ENOMEM, "multiscale: out of memory for a grid of %d cells", n);
    }
    nlif_grid_fill(model, dv, n, r, m->v);
    return NLIF_OK;
}

void nlif_ms_macro_free(nlif_ms_macro *m)
{
    free(m->v);
    free(m->alpha);
    free(m->beta);
    free(m->diag);
    free(m->upper);
    free(m->far);
    free(m->rhs);
    free(m->inv);
    free(m->e_face);
    memset(m, 0, sizeof *m);
}

/* α_i, β_i of the faces i + 1/2, i = 0..n−2: ratios of the harmonic-mean Maxwellian at the face to the
 * Maxwellian at its nodes, from x = ln(M_i/M_{i+1}) as a difference of squares (M itself is never
 * formed: it under/overflows far from μ). e^x = inf gives α = 0, β = 2: the upwind limit. */
static void face_coefficients(nlif_ms_macro *m, double a, double mu)
{
    const double c = m->dv / (2 * a);
    /* e^{x_i} = e^{c(v_i + v_{i+1})} e^{−2cμ}: the first factor depends on a only (fixed when a1 = 0),
     * so it is cached and a step costs one exponential, not one per face. Used only while both
     * exponents are within ±300, where the product can neither overflow nor underflow. */
    if (m->model.a1 == 0 && c != m->e_c) { /* a1 > 0: a changes every step, no cache */
        double big = 0;
        for (int i = 0; i < m->n - 1; i++) {
            double y = c * (m->v[i] + m->v[i + 1]);
            big = fmax(big, fabs(y));
            m->e_face[i] = exp(y);
        }
        m->e_c = c;
        m->e_ok = big <= 300;
    }
    const double y = 2 * c * mu;
    const int cached = m->model.a1 == 0 && m->e_ok && fabs(y) <= 300;
    const double g = cached ? exp(-y) : 0;
    for (int i = 0; i < m->n - 1; i++) {
        /* β = 2e^x/(1 + e^x) = e^x α, which keeps β's relative accuracy when it is tiny (2 − α
         * would not) */
        double e = cached ? m->e_face[i] * g : exp(c * (m->v[i] + m->v[i + 1] - 2 * mu));
        double al = 2 / (1 + e);
        m->alpha[i] = al;
        m->beta[i] = e < INFINITY ? e * al : 2.0;
    }
    /* Node 0's control volume is the half cell at the wall V_min: its unknown is u_0 = (that mass)/Δv
     * and the density there 2u_0 (MATHEMATICS.md §1.3). */
    if (m->n > 1)
        m->alpha[0] *= 2.0;
}

double nlif_ms_macro_step(nlif_ms_macro *m, const double *p_in, double *p_out, double rate_old, double input,
                          double h)
{
    const int n = m->n, last = n - 1, r = m->r;
    const double a = nlif_noise(&m->model, rate_old);
    const double lam = h * a / (m->dv * m->dv);
    face_coefficients(m, a, m->model.b * rate_old + input);
    /* The matrix has column sums 1; sigma[k] receives g_k below (pass 1). */
    double *sigma = m->diag, *U = m->upper, *far = m->far, *rhs = m->rhs;
    for (int i = 0; i < n; i++) {
        U[i] = i <= n - 2 ? -lam * m->beta[i] : 0.0;
        far[i] = 0.0;
        rhs[i] = p_in[i];
    }
    /* re-injection: entry (r, n−1); r = n − 1 only changes the diagonal, which is never formed */
    if (r <= n - 3)
        far[r] = -lam;
    else if (r == n - 2)
        U[r] -= lam;
    /* Elimination with pivots from column sums (Grassmann–Taksar–Heyman): the only other active entry
     * of column k < n−1 is −λα_k in row k+1, so the pivot is σ_k + λα_k; eliminating row k adds
     * |B_kj| σ_k / pivot_k to σ_j of the columns j where row k has entries (k+1 and n−1). No
     * subtraction anywhere: full relative accuracy for any λ = h·a/Δv² (1e6 and beyond).
     * Pass 1, the pivots: σ_{k+1} = 1 + u_k σ_k/(σ_k + l_k) (u_k = −U_k, l_k = λα_k) is carried as
     * σ_k = P_k/Q_k with D_k = P_k + l_k Q_k, P_{k+1} = D_k + u_k P_k, Q_{k+1} = D_k: positive terms
     * only, as before, and no division on the dependency chain (the divisions 1/D_k are independent
     * of each other and pipeline). P and Q only grow; both are scaled by 2^−500 (exactly) when large.
     * Stored: inv_k = 1/pivot_k = Q_k/D_k and g_k = σ_k/pivot_k = P_k/D_k (in sigma[k]). */
    double P = 1.0, Q = 1.0;
    for (int k = 0; k < last; k++) {
        double l = lam * m->alpha[k], D = P + l * Q, rD = 1.0 / D;
        m->inv[k] = Q * rD;
        sigma[k] = P * rD;
        P = D - U[k] * P;
        Q = D;
        if (Q > 0x1p500) {
            P *= 0x1p-500;
            Q *= 0x1p-500;
        }
    }
    /* Pass 2: the right-hand side, the re-injection column and the last column sum. */
    double s_last = 1.0;
    for (int k = 0; k < last; k++) {
        double w = lam * m->alpha[k] * m->inv[k]; /* minus the multiplier, ≥ 0 */
        rhs[k + 1] += w * rhs[k];
        if (k <= n - 3 && far[k] != 0.0) {
            s_last += -far[k] * sigma[k];
            if (k + 1 <= n - 3)
                far[k + 1] += w * far[k];
            else /* k + 1 = n − 2: its column n−1 entry is its upper one */
                U[k + 1] += w * far[k];
        }
    }
    s_last += -U[last - 1] * sigma[last - 1];
    p_out[last] = rhs[last] / s_last;
    p_out[n - 2] = (rhs[n - 2] - U[n - 2] * p_out[last]) * m->inv[n - 2];
    const double pl = p_out[last];
    for (int i = n - 3; i >= 0; i--)
        p_out[i] = (rhs[i] - U[i] * p_out[i + 1] - far[i] * pl) * m->inv[i];
    p_out[n] = 0.0;
    return a * p_out[last] / m->dv;
}

double nlif_ms_macro_mass(const nlif_ms_macro *m, const double *p)
{
    return nlif_sum(p, m->n) * m->dv; /* compensated: the mass drift is measured at the 1e−13 level */
}

int nlif_ms_macro_initial(const nlif_ms_macro *m, const nlif_case *cs, double *p, nlif_error *err)
{
    /* The one projection of the initial law (MATHEMATICS.md §1.3); p_n = 0 at V_F. */
    int rc = nlif_initial_project(cs, m->dv, m->n, p, err);
    if (rc)
        return rc;
    p[m->n] = 0.0;
    return NLIF_OK;
}
