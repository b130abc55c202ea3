/* dilated_mfe.c — the MFE phase of Scheme 3 (MATHEMATICS.md §5): M = 1, physical time frozen.
 *
 * In τ the non-fired density is transported at speed b with no diffusion (implicit upwind, monotone
 * and mass-exact); the mass reaching V_F enters a queue in the last cell, which fires at rate exactly
 * 1 per unit τ (dτ = dE when N = ∞). Fired mass goes into a Dirac at V_R that is not transported
 * (convention A) or is re-injected into the grid at V_R and transported (convention B). The phase
 * ends when the queue is empty and b p_{n−1} < 1; its τ-length is the fired mass Δ, the discrete
 * image of the physical jump Δ = inf{s > 0 : ∫_{V_F − bs}^{V_F} p(t*−) < s} of [DIRT].
 */
#include "dilated.h"

#include <math.h>
#include <string.h>

/* Implicit upwind at speed b over dtau from `from` into s->p; returns the mass reaching V_F. */
static double transport(dil_solver *s, const double *from, double dtau)
{
    double lam = s->b * dtau / s->dv, inv = 1.0 / (1.0 + lam);
    double prev = 0.0;
    for (int i = 0; i < s->n; i++) {
        prev = (from[i] + lam * prev) * inv;
        s->p[i] = prev;
    }
    /* Exactly, Σ p_new + λ p_new[n−1] = Σ from: remove the round-off of the sweep. */
    double out = lam * prev;
    double fix = dil_renormalise(s->p, s->n, nlif_sum(from, s->n) - out) * s->dv;
    if (fix > s->renorm_max)
        s->renorm_max = fix;
    return out * s->dv;
}

/* The last step of the phase: the τ-length h ≤ dtau at which the queue empties exactly,
 * q + inflow(h) = h (inflow increasing and concave-ish in h; the bracket [0, dtau] has
 * φ(0) = q ≥ 0 > φ(dtau)). Regula falsi (Illinois) on the saved density. */
static double exact_end(dil_solver *s, double q, double dtau, double *inflow_out)
{
    double a = 0.0, fa = q, b = dtau;
    double inflow_b = transport(s, s->save, b);
    double fb = q + inflow_b - b;
    int side = 0;
    double h = b, inflow = inflow_b;
    for (int it = 0; it < 100 && fabs(b - a) > 1e-15 * dtau; it++) {
        h = (a * fb - b * fa) / (fb - fa);
        if (!(h > a && h < b))
            h = 0.5 * (a + b);
        inflow = transport(s, s->save, h);
        double fh = q + inflow - h;
        if (fh == 0)
            break;
        if ((fh > 0) == (fa > 0)) {
            a = h, fa = fh;
            if (side == -1)
                fb *= 0.5;
            side = -1;
        } else {
            b = h, fb = fh;
            if (side == 1)
                fa *= 0.5;
            side = 1;
        }
    }
    *inflow_out = inflow;
    return h;
}

int dil_mfe_phase(dil_solver *s, nlif_error *err)
{
    const nlif_model *m = &s->cs.model;
    double t_star = s->t;
    double delta = 0.0;
    dil_project_all(s);  /* a Gaussian still alive is transported with the grid from here on */
    memcpy(s->pre, s->p, (s->n + 1) * sizeof *s->p);
    s->pre_queue = s->queue;
    if (!(s->b > 0)) {
        /* No cascade without excitation: the queued mass (from a kick) fires at once. */
        delta = s->queue;
        s->queue = 0.0;
        s->p[s->r] += delta / s->dv;
    } else {
        double dtau = s->mfe_cfl * s->dv / s->b;
        /* the budget in double first: a huge b makes dtau tiny and the count beyond any integer */
        double cap_x = 10.0 * (2.0 + s->runaway_mass) / dtau + 1000;
        if (!(cap_x <= 1e9)) {
            nlif_traj_set_status(s->traj, NLIF_STATUS_FAILED, t_star,
                                 "dilated: the MFE phase would need up to %.3g steps of dtau = %.3g (b = %g, dv = %g; "
                                 "allowed: at most 1e9)", cap_x, dtau, s->b, s->dv);
            return NLIF_OK;
        }
        long cap = (long)cap_x;
        long steps = 0;
        for (;;) {
            if (s->queue <= 0 && s->b * s->p[s->n - 1] < 1.0)
                break;
            if (steps++ > cap) {
                nlif_traj_set_status(s->traj, NLIF_STATUS_FAILED, t_star,
                                     "dilated: MFE phase did not end in %ld steps (fired %g)", cap, delta);
                return NLIF_OK;
            }
            memcpy(s->save, s->p, s->n * sizeof *s->p);
            double inflow = transport(s, s->save, dtau);
            double h = dtau;
            if (s->queue + inflow < dtau && s->mfe_exact_end)
                h = exact_end(s, s->queue, dtau, &inflow);
            double q = s->queue + inflow;
            double fire = q < h ? q : h;
            s->queue = q - fire;
            if (s->queue < 1e-300)
                s->queue = 0.0;
            delta += fire;
            s->tau += h;
            s->mfe_steps++;
            if (m->convention == NLIF_CONVENTION_A) {   /* Neumaier-compensated s->dirac += fire */
                double t = s->dirac + fire;
                s->dirac_c += fabs(s->dirac) >= fire ? (s->dirac - t) + fire : (fire - t) + s->dirac;
                s->dirac = t;
            }
            else
                s->p[s->r] += fire / s->dv;
            if (m->convention == NLIF_CONVENTION_B && delta > s->runaway_mass) {
                s->fired += delta;
                nlif_traj_set_status(s->traj, NLIF_STATUS_RUNAWAY, t_star,
                                     "dilated: convention B cascade fired %g > runaway_mass = %g at t = %g "
                                     "(b = %g > V_F - V_R = %g: re-injected mass reaches V_F again)",
                                     delta, s->runaway_mass, t_star, s->b, m->v_f - m->v_r);
                return dil_record(s, s->rate, err);
            }
        }
    }
    s->fired += delta;
    s->n_mfe++;
    if (nlif_traj_mfe(s->traj, t_star, delta))
        return nlif_fail(err, NLIF_ENOMEM, "dilated: MFE event");
    if (!isnan(s->last_mfe_t))
        nlif_traj_stat(s->traj, "last_period", t_star - s->last_mfe_t);
    s->last_mfe_t = t_star;
    /* The Dirac leaves V_R as a moving Gaussian (or drops into its cell). */
    if (s->dirac > 0) {
        s->dirac += s->dirac_c;
        s->dirac_c = 0.0;
        if (s->use_gaussians) {
            if (s->n_g == DIL_MAX_GAUSSIANS) {
                dil_gaussian_project(&s->g[0], s->v[0], s->dv, s->n, s->p);
                s->g[0] = s->g[--s->n_g];
                s->n_projected++;
            }
            s->g[s->n_g++] = (dil_gaussian){s->dirac, 0.0, m->v_r, 0.0};
        } else {
            s->p[s->r] += s->dirac / s->dv;
        }
        s->dirac = 0.0;
    }
    double input = nlif_input_current(&s->cs.input, s->t);
    double rate = dil_rate(s->p[s->n - 1], s->v[s->n - 1] + 0.5 * s->dv, input, s->a, s->b, s->dv);
    s->rate = isfinite(rate) ? rate : s->rate;
    return dil_record(s, s->rate, err);
}
