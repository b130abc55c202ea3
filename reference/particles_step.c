/* particles_step.c — one step of the particle kernel (MATHEMATICS.md §1.1–1.2; particles.h lists the
 * step in full): the instantaneous kick and its cascade, the streaming pass (Euler–Maruyama, the
 * threshold and bridge tests, the lists of the cascade) on the path chosen at allocation, the cascade
 * of the step, learning (linear and hebbian weights), the rate window and the queue of delayed spikes
 * (MATHEMATICS.md §1.4). The scalar pass is here; the
 * vector ones are in particles_avx2.c and particles_avx512.c, the threads in particles_threads.c.
 */
#include "particles_impl.h"
#include "../exact/nlif_exact.h"

#include <string.h>

/* ---------------------------------------------------------------- the streaming pass
 *
 * One pass over the particles does Euler–Maruyama, the threshold test, the bridge test and the
 * collection of the fired and near lists (MATHEMATICS.md §1.1, "The particle kernel"). It exists in
 * three instruction-set paths that give the same bits:
 *   off     the scalar loop (one Philox block per 4 particles, ziggurat per word) — also the only
 *           path for networks with learning;
 *   avx2    Philox on 2 × 8 blocks per round of 256-bit vectors, the ziggurat's rectangle test
 *           (table gathers) and the update on 4 lanes;
 *   avx512  Philox on 4 × 8 blocks per round of 512-bit vectors (a word per 64-bit lane; 16 per
 *           vector, 32-bit lanes, for the slow lanes' blocks), the rectangle test on 16 lanes in
 *           integers (table by permutes), the update on 8 lanes.
 * Both decide the ziggurat's first wedge test in lanes, with the scalar decision (wedge_avx2/512).
 * The vector paths compute the same IEEE operations in the same order as the scalar loop (no fused
 * multiply-add: the library is built with -ffp-contract=off and uses no fma intrinsics), and hand
 * every lane that is not routine — the ziggurat's tail and second wedges, at/above V_F, bridge
 * candidate, near list — to the same scalar code (nlif_pk_zig_slow, settle) in particle order, so
 * lists and voltages are identical.
 * Threads split the particles into contiguous ranges (multiples of 64) with lists of their own,
 * concatenated in range order afterwards: the same lists as one pass. */

/* The scalar loop (path off; learning rules only here). */
static void pass_scalar(nlif_particles *ps, const pass_ctx *c, long lo, long hi, pass_out *o)
{
    double *restrict v = c->v;
    double *restrict w = c->w;
    const nlif_structure *st = &ps->p.structure;
    const double pk = c->pk, input = c->input, ds = c->ds, sq = c->sq;
    philox4x32_ctr_t r = {{0, 0, 0, 0}};
    for (long i = lo; i < hi; i++) {
        double wi = w ? w[i] : c->b;
        double x0 = v[i] + wi * pk;
        if ((i & 3) == 0 || i == lo)
            r = philox_block(&c->key, (uint32_t)(i >> 2), c->c1, c->c2, 0);
        double xi = zig_gauss(&c->key, (uint32_t)i, c->c1, c->c2, r.v[i & 3]);
        double u = x0 + (input - x0) * ds + sq * xi;
        if (c->rule == NLIF_RULE_LINEAR) {
            wi = st->w_star + (wi - st->w_star) * c->lin_decay;
            w[i] = wi;
        } else if (c->rule == NLIF_RULE_HEBBIAN) {
            double k = st->alpha * c->rate * ps->hb_rate[wbin(ps, wi)] - st->beta * wi;
            wi = fmin(fmax(wi + c->dt * k, st->w_min), st->w_max);
            w[i] = wi;
            ps->hb_pop_next[wbin(ps, wi)]++;
        }
        settle(c, o, i, x0, u, wi);
    }
}

pass_fn *nlif_pk_pass_of(nlif_simd s)
{
#if NLIF_X86
    if (s == NLIF_SIMD_AVX512)
        return nlif_pk_pass_avx512;
    if (s == NLIF_SIMD_AVX2)
        return nlif_pk_pass_avx2;
#else
    (void)s;
#endif
    return pass_scalar;
}

/* ---------------------------------------------------------------- step */

static void hebbian_rates(nlif_particles *ps, double rate, double input)
{
    const nlif_structure *st = &ps->p.structure;
    double win = (double)(ps->ring_fill ? ps->ring_fill : 1) * ps->ds;
    double dwb = (st->w_max - st->w_min) / ps->nb;
    double a = nlif_noise(&ps->p.model, rate);
    for (int b = 0; b < ps->nb; b++) {
        double mass_density = (double)ps->hb_pop[b] / (double)ps->n / (dwb > 0 ? dwb : 1.0);
        if (ps->hb_pop[b] > 0 && mass_density >= st->rho_floor) {
            ps->hb_rate[b] = (double)ps->hb_sum[b] / ((double)ps->hb_pop[b] * win);
        } else { /* quasi-static rate of the class (MATHEMATICS.md §1.2), the population rate if unavailable */
            double wc = st->w_min + (b + 0.5) * dwb;
            double r = nlif_uncoupled_rate(a, ps->p.model.v_f, ps->p.model.v_r, ps->p.model.v_min, wc * rate + input);
            ps->hb_rate[b] = isfinite(r) ? r : rate;
        }
    }
}

int nlif_particles_step(nlif_particles *ps, nlif_particles_step_info *info)
{
    memset(info, 0, sizeof *info);
    const nlif_model *m = &ps->p.model;
    const double vf = m->v_f, np = (double)ps->n, dt = ps->p.dt, ds = ps->ds;
    double input = nlif_input_current(&ps->p.input, ps->t);
    const double rate = nlif_particles_rate(ps);
    if (ps->dsteps) /* the delayed coupling: the kick b K_{k−D} / N_p of step k − D as a drift over Δs */
        input += ps->dq_n >= ps->dsteps ? ps->delay_b * (double)ps->dq[ps->dq_n % ps->dsteps] / (np * ds)
                                        : ps->delay_b * ps->delay_hist;
    int runaway = 0;
    long spikes = 0;

    if (nlif_input_kick_between(&ps->p.input, ps->t, ps->t + dt)) {
        nlif_pk_flush(ps);
        for (long i = ps->lo; i < ps->hi; i++)
            ps->v[i] += ps->p.input.kick;
        nlif_pk_collect(ps, fmax(ps->cap, 64.0));
        long k = nlif_pk_cascade_lists(ps, &runaway);
        info->kick_spikes = k;
        info->cascade = k;
        spikes += k;
        if (runaway)
            goto done;
    }

    {
        const double a = nlif_noise(m, rate);
        const nlif_structure *st = &ps->p.structure;
        pass_ctx c = {.key = key_of(ps->p.seed), .c1 = (uint32_t)ps->step, .c2 = ps->p.stream, .input = input,
                      .ds = ds, .sq = sqrt(2 * a * ds), .inv_ads = 1.0 / (a * ds), .pk = ps->pk, .b = m->b,
                      .vf = vf, .np = np, .cap = ps->cap, .dt = dt, .rate = rate, .bridge = ps->p.bridge,
                      .v = ps->v, .w = ps->w};
        c.rule = ps->w ? (int)st->rule : NLIF_RULE_NONE;
        c.lin_decay = c.rule == NLIF_RULE_LINEAR ? exp(-st->rate * dt) : 1.0;
        if (c.rule == NLIF_RULE_HEBBIAN) {
            hebbian_rates(ps, rate, input);
            memset(ps->hb_pop_next, 0, (size_t)ps->nb * sizeof *ps->hb_pop_next);
        }
        long nbridge = nlif_pk_run_pass(ps, &c);
        if (c.rule == NLIF_RULE_HEBBIAN) {
            long *t = ps->hb_pop;
            ps->hb_pop = ps->hb_pop_next;
            ps->hb_pop_next = t;
        }
        ps->pk = 0;
        long k = nlif_pk_cascade_lists(ps, &runaway);
        info->bridge_spikes = nbridge;
        if (k > info->cascade)
            info->cascade = k;
        spikes += k;
    }

done:
    info->spikes = spikes;
    info->runaway = runaway;
    if (ps->nb)
        nlif_pk_hebbian_record(ps);
    nlif_pk_record_rate(ps, spikes);
    if (ps->dsteps) /* this step's spikes, read dsteps steps from now (the slot of step k − D, read above) */
        ps->dq[ps->dq_n++ % ps->dsteps] = spikes;
    /* the next near list: room for a few times this step's cascade */
    ps->cap = fmax(64.0, 4.0 * (double)spikes + 64.0);
    if (ps->cap > np)
        ps->cap = np;
    ps->last_spikes = spikes;
    if (ps->release && !runaway) /* refractory clocks: release the due, hold the fired */
        nlif_pk_refractory_step(ps, ps->t + dt);
    ps->t += dt;
    ps->step++;
    return runaway ? NLIF_PARTICLES_RUNAWAY : NLIF_PARTICLES_OK;
}
