/* nlif_cvode.h — the time-accurate reference: the 1D NNLIF model (a1 = 0, I(t) any non-kick input)
 * by the method of lines on a Δv grid, integrated by SUNDIALS CVODE (BDF, tight tolerances), and the
 * suite's O(n) bordered tridiagonal solver that does CVODE's linear solves (MATHEMATICS.md §5b, §6).
 *
 * Semi-discretisation (finite volumes on nodes v_i = V_min + iΔv, p_n = 0 at V_F, zero flux at V_min):
 *
 *   dp_i/dt = (F_{i−1/2} − F_{i+1/2})/Δv + δ_{ir} N/Δv,   F_{i+1/2} = (a/Δv)(α_i p_i − β_i p_{i+1}),
 *
 * with (option `flux`) the Scharfetter–Gummel/Bernoulli coefficients α = B(−Pe), β = B(Pe),
 * Pe = Δv(μ − v_{i+1/2})/a, or the Maxwellian (harmonic-mean) ones α = 2/(1+E), β = αE,
 * E = e^{−Pe} (the form of spap, MATHEMATICS.md §3). μ = bN + I(t). The outflow through the last face
 * (option `outflow`) is N = κ(μ) p_{n−1} with κ = (a/Δv)α_{n−1} (the flux with p_n = 0) or κ = a/Δv
 * (one-sided); since μ depends on N, N solves the scalar equation N = κ(bN + I) p_{n−1} (Newton).
 * The outflow leaves cell n−1 and re-enters cell r (V_R) in the same right-hand side: the ODE
 * conserves Δv Σ p exactly, and so does BDF (a linear invariant).
 *
 * The Jacobian is exactly tridiagonal plus one dense column (column n−1: N depends on p_{n−1} only,
 * and μ = bN + I moves every face). CVODE forms I − γJ in a custom SUNMatrix of that shape and a
 * custom SUNLinearSolver (type DIRECT) factors it with nlif_bordered_factor in O(n), workspaces
 * allocated once.
 */
#ifndef NLIF_CVODE_H
#define NLIF_CVODE_H

#include "../core/nlif_scheme.h"

/* ---- the bordered tridiagonal solver --------------------------------------------------------------
 * A x = b with A of size m: tridiagonal (sub[i] = A[i][i−1], diag[i], sup[i] = A[i][i+1]) plus a dense
 * last column col[i] added to A[i][m−1] (col[m−2] and col[m−1] overlap the band and are summed).
 * Gaussian elimination without pivoting carrying the one fill column (Thomas + fill): stable for
 * column-diagonally-dominant A (I − γJ of a generator with zero column sums is one). O(m). */
typedef struct nlif_bordered {
    int m;
    double *sub, *diag, *sup, *col;   /* the matrix (caller fills before factor) */
    double *dp, *cp, *sp, *lw;        /* factor: pivots, fill column, super-diagonal, multipliers */
    double last;                      /* the final pivot (coefficient of x_{m−1}) */
} nlif_bordered;

int nlif_bordered_alloc(nlif_bordered *B, int m, nlif_error *err);
void nlif_bordered_free(nlif_bordered *B);
/* Factor the matrix held in B; fails (NLIF_ENUMERIC) on a zero or non-finite pivot. */
int nlif_bordered_factor(nlif_bordered *B);
/* Solve in place (x holds b on entry) with the last factorisation. */
void nlif_bordered_solve(const nlif_bordered *B, double *x);
/* y = A x with the matrix held in B (for tests and residuals). */
void nlif_bordered_matvec(const nlif_bordered *B, const double *x, double *y);

/* ---- the reference as a scheme -------------------------------------------------------------------
 * Registered as `cvode`: 1D only (no MFE, a1 = 0, no kick). run.dv is the grid, run.dt the output
 * interval of the trajectory samples (CVODE chooses its own steps within rtol/atol). */
extern const nlif_scheme_type nlif_scheme_cvode;

/* Bernoulli function B(x) = x/(e^x − 1) and its derivative, stable for all x. */
double nlif_bernoulli(double x);
double nlif_bernoulli_deriv(double x);

#endif
