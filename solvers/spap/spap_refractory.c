/* spap_refractory.c — Scheme 1 with a refractory period τ_R > 0 (MATHEMATICS.md §1.5, §3): the fired
 * mass leaves the density into R and returns at V_R at rate R/τ_R, both implicit.
 *
 * One step (1D, coefficients frozen at N^k as in spap.c): with M = I + λA the slice matrix WITHOUT the
 * re-injection entry (the outflow absorbs: column n−1 sums to 1 + λc_out, every other column to 1),
 *   M p^{k+1} = q + κ R^{k+1} e_r,  κ = Δt/(τ_R Δv),     R^{k+1}(1 + Δt/τ_R) = R^k + Δt N^{k+1},
 *   N^{k+1} = c_out p^{k+1}_{n−1}.
 * With y = M^{-1} q and z = M^{-1} e_r, p^{k+1} = y + κ R^{k+1} z, and eliminating N gives
 *   R^{k+1} = (R^k + Δt c_out y_{n−1}) / (1 + (Δt/τ_R) Σ_i z_i),
 * the denominator from the column sums (Σz + λc_out z_{n−1} = 1), a sum of non-negative terms. M is an
 * M-matrix, so y, z ≥ 0 and R^{k+1} ≥ 0: positivity holds for every Δt; Δv Σp^{k+1} + R^{k+1} =
 * Δv Σq + R^k up to round-off, which the slice-mass guard then makes exact (its correction reported).
 * The solve is the GTH elimination of spap_linalg.c without the fill column: the last pivot is the
 * column sum 1 + λc_out plus U_{n−2} g_{n−2}.
 */
#include "spap.h"

#include <math.h>
#include <string.h>

/* (I + λA) x = rhs for x and z at once, A the absorbing slice operator (no re-injection): the GTH pivots
 * of spap_solve_slice (column sums 1, the last 1 + lam_out). x and z hold the right-hand sides on entry. */
static void solve_absorbing(int n, double lam_c, const double *alpha, const double *beta, double lam_out, double *x,
                            double *z, double *work)
{
    spap_gth_pivots(n, lam_c, alpha, beta, work);
    double *w0 = work, *w1 = work + n, *w2 = work + 2 * (size_t)n;
    for (int k = 0; k < n - 1; k++) {
        x[k + 1] += w1[k] * x[k];
        z[k + 1] += w1[k] * z[k];
    }
    double last = 1.0 + lam_out + lam_c * beta[n - 2] * w2[n - 2];
    x[n - 1] /= last;
    z[n - 1] /= last;
    for (int k = n - 2; k >= 0; k--) {
        x[k] = (x[k] + lam_c * beta[k] * x[k + 1]) * w0[k];
        z[k] = (z[k] + lam_c * beta[k] * z[k + 1]) * w0[k];
    }
}

double spap_refractory_solve(spap *s, double h, double lam_c, double lam_out, double c_out, double *x)
{
    int n = s->n;
    double *z = s->zr;
    memset(z, 0, (size_t)n * sizeof *z);
    z[s->r] = 1.0;
    solve_absorbing(n, lam_c, s->alpha, s->beta, lam_out, x, z, s->work);
    double hr = h / s->tau_ref, kappa = hr / s->dv, zsum = nlif_sum(z, n);
    double R = (s->refr + h * c_out * x[n - 1]) / (1.0 + hr * zsum), sum = 0;
    for (int i = 0; i < n; i++) {
        x[i] += kappa * R * z[i];
        sum += x[i];
    }
    s->refr = R;
    /* the density's exactly known share of the conserved total: what the guard rescales to */
    s->mass_slice[0] = s->mass_total - R / s->dv;
    return sum;
}
