/* spap_limit.c — the ε = 0 limit of Scheme 1 (MATHEMATICS.md §1.2, §3): the discrete stationary
 * profile P_h(·; μ) in closed form and the limit scheme
 *
 *   ρ^{k+1} = ρ^k − Δt D_w(K^k ρ^k),   p_{·,j}^{k+1} = ρ_j^{k+1} P_h(·; w_j N^k + I),
 *   N^{k+1} = Σ_j Δw ρ_j^{k+1} 𝒩_h(w_j N^k + I).
 *
 * The profile is the kernel of the slice operator A(μ) of spap_linalg.c: zero flux on the faces
 * below V_R, the constant flux 𝒩 on the faces from V_R to the outflow face, p_n = 0. In q = p/M this
 * is q_i = q_{i+1} + 𝒩Δv/(a M_{i+1/2}) (MATHEMATICS.md §3); written with the face ratios α, β it needs no M.
 */
#include "spap.h"

#include <math.h>
#include <string.h>

double spap_stationary_profile(int n, int r, double dv, double a, const double *alpha, const double *beta,
                               double c_out, double *prof)
{
    double c = a / dv;
    double flux = 1.0; /* provisional 𝒩, rescaled with the profile to stay in range */
    prof[n - 1] = flux / c_out;
    for (int i = n - 2; i >= 0; i--) {
        /* face i+1/2: c(α_i p_i − β_i p_{i+1}) = flux for i ≥ r, 0 below r */
        double num = (i >= r ? flux / c : 0.0) + beta[i] * prof[i + 1];
        double pi = num / alpha[i];
        if (!(pi <= 1e200)) {
            /* The profile grows by more than 1e200 towards the left (μ far below V_F, or α_i = 0):
             * rescale what is to the right; if p_i is infinite, the right part is negligible. */
            double sc = isfinite(pi) ? 1.0 / pi : 0.0;
            for (int k = i + 1; k < n; k++)
                prof[k] *= sc;
            flux *= sc;
            pi = 1.0;
        }
        prof[i] = pi;
    }
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += prof[i];
    double inv = 1.0 / sum;
    for (int i = 0; i < n; i++)
        prof[i] *= inv;
    /* Density normalised to Δv Σ p = 1 is prof/Δv; its outflow is flux/(Δv·sum). */
    return flux * inv / dv;
}

int spap_limit_step(spap *s, double h, double rate_old, nlif_error *err)
{
    (void)err;
    int n = s->n;
    double t_new = s->t + h;
    /* ρ^{k+1}: the w-transport of the slice masses (the v-profile is replaced below). */
    spap_w_transport(s, h, rate_old);
    for (int j = 0; j < s->nw; j++) {
        double a = spap_slice_coefficients(s, j, rate_old, t_new);
        double c_out = spap_outflow_coefficient(s, a, s->alpha);
        double *pj = s->q + (size_t)j * n;
        spap_stationary_profile(n, s->r, s->dv, a, s->alpha, s->beta, c_out, pj);
        double m = s->mass_slice[j];
        for (int i = 0; i < n; i++)
            pj[i] *= m;
        s->rate_w[j] = c_out * pj[n - 1];
    }
    double *tmp = s->p;
    s->p = s->q;
    s->q = tmp;
    return NLIF_OK;
}
