/* micro.c — the micro phase of Scheme 2, the multiscale solver [MS] (MATHEMATICS.md §4); the macro
 * phase, the switching into it and the scheme type are multiscale.c.
 *
 * Micro phase: the particle kernel of the Monte Carlo reference (reference/particles.h: Euler–
 * Maruyama, Brownian bridge, exact in-step cascades, conventions A/B) with N_p = run.particles and
 * Δt = micro_dt (default run.mc_dt: the Monte Carlo reference's step, so that the micro phase is the
 * reference's particle system), on the grid kΔt of the Monte Carlo reference. A step shorter than Δt
 * (after a switch at an off-grid time; before an off-grid t_end, since advance lands exactly on it) is
 * taken here with the same mathematics (Euler–Maruyama + bridge of its own Philox stream, then the
 * kernel's cascade on the result). After each step: back to macro when the windowed rate N̂ over calm_window W has
 * stayed below N_down, the window lies inside this micro phase, no single-step cascade above
 * calm_cascade occurred in it, and the rebuilt density is below hysteresis × both thresholds.
 */
#include "multiscale_impl.h"

#include <Random123/philox.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A micro step shorter than Δt (only to land on t_end): Euler–Maruyama with the kernel's drift and
 * noise (a at the kernel's windowed rate N̂), the bridge test, then the kernel's exact cascade on the
 * result. Normals by Box–Muller and bridge uniforms from a Philox stream of its own, keyed by the seed
 * and the count of such steps. Setting the voltages clears the kernel's rate window (it refills in
 * W; it only enters a(N̂) when a1 > 0). */
static int micro_partial(ms_state *s, double h, nlif_particles_step_info *info, nlif_error *err)
{
    memset(info, 0, sizeof *info);
    const nlif_model *m = &s->cs.model;
    const double a = nlif_noise(m, nlif_particles_rate(s->ps));
    const double input = nlif_input_current(&s->cs.input, s->t), sq = sqrt(2 * a * h), vf = m->v_f;
    long k = 0;
    int rc;
    if (nlif_input_kick_between(&s->cs.input, s->t, s->t + h)) {
        const double *v = nlif_particles_voltages(s->ps);
        for (long i = 0; i < s->np; i++)
            s->x[i] = v[i] + s->cs.input.kick;
        if ((rc = nlif_particles_set_voltages(s->ps, s->x, NULL, s->np, err)))
            return rc;
        int st = nlif_particles_cascade_now(s->ps, &k, NULL);
        info->kick_spikes = info->cascade = info->spikes = k;
        if (st == NLIF_PARTICLES_RUNAWAY) {
            info->runaway = 1;
            return NLIF_OK;
        }
    }
    const double *v = nlif_particles_voltages(s->ps);
    memcpy(s->x, v, (size_t)s->np * sizeof *s->x);
    philox4x32_key_t key = {{(uint32_t)s->cs.run.seed, (uint32_t)(s->cs.run.seed >> 32)}};
    for (long j = 0; 2 * j < s->np; j++) {
        philox4x32_ctr_t c = {{(uint32_t)j, s->n_partial, 0x5053u /* "PS" */, 0}};
        philox4x32_ctr_t r = philox4x32(c, key);
        double u1 = ((double)r.v[0] + 0.5) * 0x1p-32, u2 = ((double)r.v[1] + 0.5) * 0x1p-32;
        double rad = sqrt(-2 * log(u1)), z[2] = {rad * cos(2 * M_PI * u2), rad * sin(2 * M_PI * u2)};
        for (int q = 0; q < 2 && 2 * j + q < s->np; q++) {
            long i = 2 * j + q;
            double x0 = s->x[i], u = x0 + (input - x0) * h + sq * z[q];
            if (u < vf && s->bridge) {
                double e = fmax(vf - x0, 0.0) * (vf - u) / (a * h);
                double un = ((double)r.v[2 + q] + 0.5) * 0x1p-32;
                if (e < 45.0 && un < exp(-e)) {
                    u = vf;
                    info->bridge_spikes++;
                }
            }
            s->x[i] = u;
        }
    }
    s->n_partial++;
    if ((rc = nlif_particles_set_voltages(s->ps, s->x, NULL, s->np, err)))
        return rc;
    int st = nlif_particles_cascade_now(s->ps, &k, NULL);
    info->spikes += k;
    if (k > info->cascade)
        info->cascade = k;
    info->runaway = st == NLIF_PARTICLES_RUNAWAY;
    return NLIF_OK;
}

/* Rebuild the macro density from the particles; switch if it passes the hysteresis test. */
static int try_switch_to_macro(ms_state *s, nlif_error *err)
{
    nlif_ms_cpu_charge(s, CPU_MICRO);
    const int n = s->mac.n;
    const double rate_hat = s->wspikes / ((double)s->np * s->wtime);
    const double a = nlif_noise(&s->cs.model, rate_hat);
    const double *v = nlif_particles_voltages(s->ps);
    double h_used = 0;
    nlif_ms_rebuild(v, s->np, &s->mac, s->bandwidth, rate_hat, a, s->layer, s->work, s->trial, &h_used);
    double rate = a * s->trial[n - 1] / s->mac.dv;
    int ok = rate < s->hysteresis * s->rate_up && s->cs.model.b * s->trial[n - 1] < s->hysteresis * s->theta_up;
    if (ok) {
        double *tmp = s->p;
        s->p = s->trial;
        s->trial = tmp;
        s->rate = rate;
        s->phase = PHASE_MACRO;
        s->n_to_macro++;
        s->bandwidth_used = h_used;
    } else {
        s->retry_at = s->t + 0.25 * s->window; /* not every step: a rebuild costs a particle step */
    }
    nlif_ms_cpu_charge(s, CPU_SWITCH);
    if (ok && nlif_traj_event(s->tr, "switch_macro", s->t, rate_hat))
        return nlif_fail(err, NLIF_ENOMEM, "multiscale: events");
    return NLIF_OK;
}

int nlif_ms_micro_step(ms_state *s, double t_end, nlif_error *err)
{
    nlif_particles_step_info info;
    double h;
    int rc;
    /* Steps end on the grid kΔt, as the Monte Carlo reference's do (so that MFE times, recorded at
     * step ends, are quantised alike): after a switch at an off-grid time, and before an off-grid
     * t_end, one shorter step. */
    double next = (floor(s->t / s->dt_micro + 1e-6) + 1) * s->dt_micro;
    if (next > t_end)
        next = t_end;
    if (next - s->t >= s->dt_micro * (1 - 1e-9)) {
        h = s->dt_micro;
        nlif_particles_set_time(s->ps, s->t, s->kstep);
        nlif_particles_step(s->ps, &info);
        s->kstep++;
    } else {
        h = next - s->t;
        if ((rc = micro_partial(s, h, &info, err)))
            return rc;
        s->partial_steps++;
    }
    double t0 = s->t;
    s->t = next;
    s->time_in[PHASE_MICRO] += h;
    const double np = (double)s->np;
    s->fired += (double)info.spikes / np;
    if ((rc = nlif_traj_record(s->tr, s->t, (double)info.spikes / (np * h), s->fired, 1.0, 0.0)))
        return nlif_fail(err, rc, "multiscale: trajectory");
    double frac = (double)info.cascade / np;
    if (frac >= s->cs.run.mfe_level) {
        int kick = info.kick_spikes > 0 && info.kick_spikes == info.cascade;
        if ((rc = nlif_traj_mfe(s->tr, kick ? s->cs.input.t0 : s->t, frac)))
            return nlif_fail(err, rc, "multiscale: events");
    }
    if (info.runaway) {
        nlif_traj_set_status(s->tr, NLIF_STATUS_RUNAWAY, s->t,
                             "convention B cascade ran away in the micro phase (step from t = %.6g)", t0);
        return NLIF_OK;
    }
    if (frac > s->calm_cascade)
        s->last_big = s->t;
    /* windowed rate */
    s->wspikes += (double)info.spikes - s->ring_spikes[s->wpos];
    s->wtime += h - s->ring_dt[s->wpos];
    s->ring_spikes[s->wpos] = (double)info.spikes;
    s->ring_dt[s->wpos] = h;
    s->wpos = (s->wpos + 1) % s->wsteps;
    if (s->wfill < s->wsteps)
        s->wfill++;
    if (s->wfill == s->wsteps && s->t >= s->retry_at && s->t - s->last_big >= s->window * (1 - 1e-9) &&
        s->wspikes < s->rate_down * np * s->wtime)
        return try_switch_to_macro(s, err);
    return NLIF_OK;
}

