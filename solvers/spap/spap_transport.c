/* spap_transport.c — step 1 of spap on a structured network: the transport in w of the learning
 * velocity K (MATHEMATICS.md §1.2, §3), explicit upwind (positivity while the CFL number is at most 1,
 * said as an event when it is not) or implicit (spap_linalg.c), on the slices and on their exactly
 * known masses alike. */
#include "spap.h"

#include <math.h>
#include <string.h>

/* Learning velocity at the interior faces j+1/2 (j = 0..nw−2) at level k (MATHEMATICS.md §1.2). */
static void face_velocities(spap *s, double rate_old, double t)
{
    const nlif_structure *st = &s->cs.structure;
    int nw = s->nw;
    switch (st->rule) {
    case NLIF_RULE_NONE:
        for (int j = 0; j < nw - 1; j++)
            s->kf[j] = 0.0;
        break;
    case NLIF_RULE_LINEAR:
        for (int j = 0; j < nw - 1; j++)
            s->kf[j] = st->rate * (st->w_star - (st->w_min + (j + 1) * s->dw));
        break;
    case NLIF_RULE_HEBBIAN: {
        /* Cell velocities K_j = α N R_j − β w_j, R_j = N_j/ρ_j the per-neuron rate of the class; below
         * the floor the quasi-static discrete rate 𝒩_h(w_j N + I) (Choice: the scheme's own 𝒩_h, the
         * consistent ε → 0 value). Face value: the mean of the two cells (Choice). */
        for (int j = 0; j < nw; j++) {
            double rho = s->dv * s->mass_slice[j], R;
            if (rho >= st->rho_floor && rho > 0)
                R = s->rate_w[j] / rho;
            else {
                double a = spap_slice_coefficients(s, j, rate_old, t);
                R = spap_stationary_profile(s->n, s->r, s->dv, a, s->alpha, s->beta,
                                            spap_outflow_coefficient(s, a, s->alpha), s->prof);
            }
            s->wtmp[j] = st->alpha * rate_old * R - st->beta * s->w[j];
        }
        for (int j = 0; j < nw - 1; j++)
            s->kf[j] = 0.5 * (s->wtmp[j] + s->wtmp[j + 1]);
        break;
    }
    }
}

void spap_w_transport(spap *s, double h, double rate_old)
{
    int n = s->n, nw = s->nw;
    if (!s->cs.structure.enabled || nw < 2 || s->cs.structure.rule == NLIF_RULE_NONE) {
        memcpy(s->q, s->p, (size_t)n * nw * sizeof *s->q);
        return;
    }
    face_velocities(s, rate_old, s->t);
    double c = h / s->dw, cfl = 0.0;
    for (int j = 0; j < nw - 1; j++)
        cfl = fmax(cfl, c * fabs(s->kf[j]));
    if (cfl > s->cfl_max) {
        s->cfl_max = cfl;
        nlif_traj_stat(s->traj, "cfl_w", cfl);
    }
    if (s->wtransport == SPAP_W_IMPLICIT) {
        memcpy(s->q, s->p, (size_t)n * nw * sizeof *s->q);
        spap_wimplicit_factor(nw, c, s->kf, s->winvd, s->wmult, s->wsup);
        spap_wimplicit_apply(nw, s->winvd, s->wmult, s->wsup, s->q, n, n);
        spap_wimplicit_apply(nw, s->winvd, s->wmult, s->wsup, s->mass_slice, 1, 1);
        return;
    }
    if (cfl > 1.0 && !s->cfl_warned) {
        /* Positivity of the explicit upwind step is lost: say so in the results (event + stat). */
        s->cfl_warned = 1;
        nlif_traj_event(s->traj, "cfl_exceeded", s->t, cfl);
    }
    /* q_j = p_j − (Δt/Δw)(G_{j+1/2} − G_{j−1/2}), G = K⁺ p_j + K⁻ p_{j+1}, zero at both ends; the
     * same formula on the slice sums gives the exactly known masses. */
    for (int j = 0; j < nw; j++) {
        double *qj = s->q + (size_t)j * n;
        const double *pj = s->p + (size_t)j * n;
        double kr = j < nw - 1 ? s->kf[j] : 0.0, kl = j > 0 ? s->kf[j - 1] : 0.0;
        double out = c * (fmax(kr, 0.0) - fmin(kl, 0.0)); /* fraction leaving cell j */
        double from_r = j < nw - 1 ? c * -fmin(kr, 0.0) : 0.0, from_l = j > 0 ? c * fmax(kl, 0.0) : 0.0;
        const double *pr = j < nw - 1 ? pj + n : pj, *pl = j > 0 ? pj - n : pj;
        for (int i = 0; i < n; i++)
            qj[i] = (1.0 - out) * pj[i] + from_r * pr[i] + from_l * pl[i];
        s->wtmp[j] = (1.0 - out) * s->mass_slice[j] + from_r * s->mass_slice[j < nw - 1 ? j + 1 : j] +
                     from_l * s->mass_slice[j > 0 ? j - 1 : j];
    }
    memcpy(s->mass_slice, s->wtmp, (size_t)nw * sizeof *s->wtmp);
}
