/* nlif_density_inverse.c — the quantiles of a law through the inverse of the standard normal cdf
 * (MATHEMATICS.md §1.1, "Initial sampling"): for the truncated Gaussian N(m, s²) on [lo, hi], with
 * α = (lo − m)/s and β = (hi − m)/s, the quantile of u is
 *
 *     x = m + s·Φ⁻¹(Φ(α) + u·Z) = m − s·Φ⁻¹(Φc(β) + (1 − u)·Z),   Z = Φ(β) − Φ(α),
 *
 * with Φ⁻¹ Wichura's AS241 (gsl_cdf_ugaussian_Pinv, about 1e-16 relative). The form taken is the one
 * whose argument is at most 1/2 (the mass on the near side of the median), so that neither tail
 * subtracts two numbers close to 1: Φ(α), Φc(β) and Z are each computed without cancellation (erfc
 * in the tails, erf across the median). One formula per target, no bisection: the same law as
 * nlif_density_quantile (to ~1e-16 in x, tests/test_particles_sampling.c), other bits.
 * Tables and the point law are closed forms already: nlif_density_quantiles.
 */
#include "nlif_density.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

/* The law in standard units, the masses below α and above β and between them. */
typedef struct inverse_gauss {
    double lo, hi, mean, sd;
    double below, above, z; /* Φ(α), Φc(β), Z */
} inverse_gauss;

static inverse_gauss inverse_gauss_of(const nlif_density *d)
{
    const double a = (d->lo - d->mean) / d->sd, b = (d->hi - d->mean) / d->sd;
    inverse_gauss g = {d->lo, d->hi, d->mean, d->sd, 0.5 * erfc(-a / M_SQRT2), 0.5 * erfc(b / M_SQRT2), 0};
    if (b <= 0) /* both ends below the median: Φ(β) − Φ(α), two small numbers */
        g.z = 0.5 * erfc(-b / M_SQRT2) - g.below;
    else if (a >= 0) /* both above: Φc(α) − Φc(β) */
        g.z = 0.5 * erfc(a / M_SQRT2) - g.above;
    else /* across the median: two masses of one sign */
        g.z = 0.5 * (erf(b / M_SQRT2) + erf(-a / M_SQRT2));
    return g;
}

/* The quantile of target u in (0, 1). The rounding of p (or q) is a few ulps of a mass ≤ 1/2, which
 * moves x by a few ulps of that mass over the density: ≈ 1e-16 (1 + |x|)⁻¹ in standard units. */
static inline double inverse_gauss_quantile(const inverse_gauss *g, double u)
{
    double p = g->below + u * g->z, s;
    if (p <= 0.5)
        s = gsl_cdf_ugaussian_Pinv(p);
    else
        s = -gsl_cdf_ugaussian_Pinv(g->above + (1 - u) * g->z);
    double x = g->mean + g->sd * s;
    /* the roundings may step a hair outside the support; Φ⁻¹(0) = −∞ lands on lo */
    return x < g->lo ? g->lo : (x > g->hi ? g->hi : x);
}

void nlif_density_quantiles_inverse(const nlif_density *d, const double *u, double *x, long n)
{
    if (d->kind != NLIF_DENSITY_GAUSSIAN) {
        nlif_density_quantiles(d, u, x, n);
        return;
    }
    const inverse_gauss g = inverse_gauss_of(d);
    for (long i = 0; i < n; i++) {
        double ui = u[i];
        x[i] = ui <= 0 ? d->lo : (ui >= 1 ? d->hi : inverse_gauss_quantile(&g, ui));
    }
}
