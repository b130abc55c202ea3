/* gaussian.c — the moving Gaussian of a post-MFE Dirac (MATHEMATICS.md §5, §2).
 *
 * A Dirac Δ δ_{V_R} under drift −v + c (c = bN + I) and diffusion a stays Gaussian (OU):
 *     μ ← μ e^{−Δt} + c (1 − e^{−Δt}),    σ² ← a + (σ² − a) e^{−2Δt}     (exact for frozen c)
 * It is carried analytically and projected onto the grid by mass-exact cell averages (erf
 * differences) once it is wide enough (σ ≥ κΔv) or its tail nears V_F.
 */
#include "dilated.h"

#include <math.h>

void dil_gaussian_step(dil_gaussian *g, double c, double a, double dt)
{
    /* μ + (c − μ)(1 − e^{−dt}) with expm1, so that tiny steps (near an MFE, dt = (1−M)Δτ) keep
     * their full relative accuracy. */
    g->mean -= (c - g->mean) * expm1(-dt);
    g->var = a + (g->var - a) * exp(-2.0 * dt);
    if (g->var < 0)
        g->var = 0;
}

/* Φ̄(z) = P(Z > z), accurate in both tails. */
static double upper_tail(double z) { return 0.5 * erfc(z / M_SQRT2); }

double dil_gaussian_mass_above(const dil_gaussian *g, double x)
{
    if (g->var <= 0)
        return g->mean > x ? g->mass : 0.0;
    return g->mass * upper_tail((x - g->mean) / sqrt(g->var));
}

void dil_gaussian_project(const dil_gaussian *g, double v0, double h, int n, double *p)
{
    double m = g->mass - g->fired;
    if (!(m > 0))
        return;
    if (g->var <= 0) {   /* still a Dirac: put it in its cell */
        int i = (int)floor((g->mean - v0) / h + 0.5);
        i = i < 0 ? 0 : (i > n - 1 ? n - 1 : i);
        p[i] += m / h;
        return;
    }
    double sd = sqrt(g->var);
    /* Cell masses as differences of the upper tail, taken on the side of the mean where the
     * tail is small (no cancellation); the telescoping sum is exactly 1 − 0 = 1 up to rounding,
     * and the residual against m is put where the Gaussian is (its nearest cell). */
    double added = 0;
    double prev = 1.0; /* Φ̄ at −∞ */
    int imax = 0;
    double wmax = -1;
    for (int i = 0; i < n; i++) {
        double right = (i == n - 1) ? 0.0 : upper_tail((v0 + (i + 0.5) * h - g->mean) / sd);
        double w = prev - right;
        if (w < 0)
            w = 0;
        double dm = m * w;
        p[i] += dm / h;
        added += dm;
        if (w > wmax)
            wmax = w, imax = i;
        prev = right;
    }
    p[imax] += (m - added) / h;
}
