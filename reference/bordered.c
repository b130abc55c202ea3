/* bordered.c — O(m) solve of a tridiagonal matrix plus one dense last column (nlif_cvode.h).
 *
 * This is the shape of every implicit NNLIF operator with re-injection: the outflow of the last cell
 * re-enters cell r (one entry in column m−1), and a rate-dependent drift μ = bN + I, N = N(p_{m−1}),
 * adds a dense column m−1 to the Jacobian. Elimination row by row (Thomas) keeps one fill entry per
 * row in that column; the last row is tridiagonal, so only row m−2 is needed to finish. No pivoting:
 * the matrices it serves (I − γJ, J with zero column sums) are column diagonally dominant.
 */
#include "nlif_cvode.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int nlif_bordered_alloc(nlif_bordered *B, int m, nlif_error *err)
{
    memset(B, 0, sizeof *B);
    if (m < 1)
        return nlif_fail(err, NLIF_EINVAL, "bordered solver: size %d < 1", m);
    B->m = m;
    double *block = calloc((size_t)8 * m, sizeof *block);
    if (!block)
        return nlif_fail(err, NLIF_ENOMEM, "bordered solver of size %d", m);
    B->sub = block;
    B->diag = block + m;
    B->sup = block + 2 * (size_t)m;
    B->col = block + 3 * (size_t)m;
    B->dp = block + 4 * (size_t)m;
    B->cp = block + 5 * (size_t)m;
    B->sp = block + 6 * (size_t)m;
    B->lw = block + 7 * (size_t)m;
    return NLIF_OK;
}

void nlif_bordered_free(nlif_bordered *B)
{
    free(B->sub); /* the one block */
    memset(B, 0, sizeof *B);
}

static int bad_pivot(double d) { return d == 0.0 || !isfinite(d); }

int nlif_bordered_factor(nlif_bordered *B)
{
    int L = B->m - 1;
    if (L == 0) {
        B->last = B->diag[0] + B->col[0];
        return bad_pivot(B->last) ? NLIF_ENUMERIC : NLIF_OK;
    }
    for (int i = 0; i < L; i++) {
        double d = B->diag[i];
        double s = i + 1 < L ? B->sup[i] : 0.0;
        double c = B->col[i] + (i + 1 == L ? B->sup[i] : 0.0);
        if (i > 0) {
            double l = B->sub[i] / B->dp[i - 1];
            d -= l * B->sp[i - 1];
            c -= l * B->cp[i - 1];
            B->lw[i] = l;
        } else
            B->lw[0] = 0.0;
        if (bad_pivot(d))
            return NLIF_ENUMERIC;
        B->dp[i] = d;
        B->sp[i] = s;
        B->cp[i] = c;
    }
    double l = B->sub[L] / B->dp[L - 1];
    B->lw[L] = l;
    B->last = B->diag[L] + B->col[L] - l * B->cp[L - 1];
    return bad_pivot(B->last) ? NLIF_ENUMERIC : NLIF_OK;
}

void nlif_bordered_solve(const nlif_bordered *B, double *x)
{
    int L = B->m - 1;
    for (int i = 1; i <= L; i++)
        x[i] -= B->lw[i] * x[i - 1];
    double xl = x[L] / B->last;
    x[L] = xl;
    if (L == 0)
        return;
    x[L - 1] = (x[L - 1] - B->cp[L - 1] * xl) / B->dp[L - 1];
    for (int i = L - 2; i >= 0; i--)
        x[i] = (x[i] - B->sp[i] * x[i + 1] - B->cp[i] * xl) / B->dp[i];
}

void nlif_bordered_matvec(const nlif_bordered *B, const double *x, double *y)
{
    int m = B->m, L = m - 1;
    for (int i = 0; i < m; i++) {
        double acc = B->diag[i] * x[i] + B->col[i] * x[L];
        if (i > 0)
            acc += B->sub[i] * x[i - 1];
        if (i < L)
            acc += B->sup[i] * x[i + 1];
        y[i] = acc;
    }
}
