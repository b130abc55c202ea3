/* bernoulli.c — the Bernoulli function B(x) = x/(e^x − 1) and the Scharfetter–Gummel face
 * coefficients of MATHEMATICS.md §5:  J_{i+1/2} = (d/Δv)[B(−Pe) p_i − B(Pe) p_{i+1}],  Pe = cΔv/d.
 *
 * B must be accurate for |x| tiny (x/expm1 is fine there, but the series is cheaper and exact to
 * round-off) and must not overflow for large |x|: B(x) ~ x e^{−x} → 0 for x → +∞ and
 * B(x) ~ −x for x → −∞ (B(−x) = x + B(x)).
 */
#include "dilated.h"

#include <math.h>

double dil_bernoulli(double x)
{
    double ax = fabs(x);
    if (ax < 1e-5)          /* 1 − x/2 + x²/12 − x⁴/720: the dropped term is < 1e-23 */
        return 1.0 - 0.5 * x + x * x / 12.0;
    if (x > 40.0)           /* e^x − 1 = e^x to 4e-18 relative; exp(−x) underflows gently to 0 */
        return x * exp(-x);
    if (x < -40.0)          /* B(x) = −x + B(−x), B(−x) = |x| e^{−|x|} below round-off of |x| */
        return -x;
    return x / expm1(x);
}

void dil_sg_coeffs(double c, double d, double h, double *alpha, double *beta)
{
    /* |Pe| beyond 1e300 (or d = 0): the upwind limit, which SG reaches continuously. */
    if (!(d > 0) || fabs(c) * h > 1e300 * d) {
        *alpha = c > 0 ? c : 0.0;
        *beta = c < 0 ? -c : 0.0;
        return;
    }
    double pe = c * h / d;
    *alpha = d / h * dil_bernoulli(-pe);
    *beta = d / h * dil_bernoulli(pe);
}
