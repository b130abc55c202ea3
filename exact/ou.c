/* ou.c — the Ornstein–Uhlenbeck Gaussian (MATHEMATICS.md §5, §2).
 *
 * Away from the threshold, dV = (−V + c) dt + sqrt(2a) dW keeps a Gaussian law N(μ, σ²) Gaussian with
 *
 *     μ' = −μ + c,   (σ²)' = 2a − 2σ²
 *
 * whose exact solutions are μ(t) = c + (μ0 − c) e^{−t} and σ²(t) = a + (σ0² − a) e^{−2t}. This is the
 * moving Gaussian that carries the Dirac mass left at V_R by an MFE (σ0² = 0: σ² = a(1 − e^{−2t})),
 * and, for b = 0 and V_F far away, an exact solution of the interior equation. The forms below use
 * expm1 so that short steps (Δt ≪ 1) keep full relative accuracy in the increments.
 */
#include "nlif_exact.h"

#include <math.h>

void nlif_ou_step(double *mean, double *var, double drift_target, double a, double dt)
{
    /* μ + (c − μ)(1 − e^{−Δt}), σ² + (a − σ²)(1 − e^{−2Δt}): exact for c frozen over the step. */
    double one_minus_e1 = -expm1(-dt), one_minus_e2 = -expm1(-2 * dt);
    *mean += (drift_target - *mean) * one_minus_e1;
    *var += (a - *var) * one_minus_e2;
}

void nlif_ou_exact(double m0, double var0, double a, double c, double t, double *mean, double *var)
{
    *mean = m0;
    *var = var0;
    nlif_ou_step(mean, var, c, a, t);
}
