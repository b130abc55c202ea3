/* particles_refractory.c — refractory clocks of the particle kernel (MATHEMATICS.md §1.1, §1.5): with a
 * refractory period τ_R > 0 a neuron that fires is held out of the network for an Exp(mean τ_R) time,
 * then placed at V_R. The law of the wait is that of the mean-field model's dR/dt = N − R/τ_R: each
 * refractory neuron returns at rate 1/τ_R, independently.
 *
 * A held neuron is parked: its stored voltage is set to PARK every step, far below every voltage the
 * pass can produce from it in one step, so that the streaming pass (every SIMD path, every thread
 * split) treats it as any neuron, draws its Gaussian as usual (the counters are the particle's: the
 * others' draws do not move), and it neither fires, nor enters the near list, nor the bridge test. The
 * bookkeeping runs after the step's cascade, in the calling thread, over this process's range:
 *   1. every held neuron whose release time is nearest this step's end (≤ the end + Δt/2) is placed
 *      at V_R (stored V_R − w pk under the pending kick pk) and leaves the list; the others are parked
 *      again;
 *   2. every neuron fired in the step (the cascade's full fired list) is held until the step's end plus
 *      τ_R E, E = −log U, U the 53-bit uniform of the Philox block (particle, step, stream, REFR_DRAW).
 * A wait therefore ends at the step end nearest its time: the mean wait is τ_R up to O(Δt²/τ_R) (a wait
 * shorter than Δt/2 still lasts one step), where rounding up would lengthen it by Δt/2 and move the
 * stationary rate by N² Δt/2 (2e−4 relative on refractory_relax at Δt = 1e−3). Whatever the order of the lists, the released and held sets
 * and every release time are functions of (seed, particle, step): the same bits for any thread count
 * (tests/test_particles.c). The initial refractory mass R(0) holds each neuron with probability R(0)
 * (uniform of the block (particle, 0xFFFFFFFD, stream, REFR_DRAW)) for an Exp(τ_R) wait: the residual
 * wait of a stationary refractory neuron (memoryless). */
#include "particles_impl.h"

#include <stdlib.h>

#define REFR_DRAW 0x40000000u
#define REFR_INIT_STEP 0xFFFFFFFDu
#define PARK (-1e6) /* a parked voltage: one Euler step moves it by ~1e3, far below V_F */

int nlif_pk_refractory_alloc(nlif_particles *ps)
{
    if (!(ps->p.model.tau_ref > 0))
        return 1;
    size_t n = (size_t)ps->n;
    ps->release = malloc(n * sizeof *ps->release);
    ps->rlist = malloc(n * sizeof *ps->rlist);
    if (!ps->release || !ps->rlist)
        return 0;
    for (size_t i = 0; i < n; i++)
        ps->release[i] = -1.0; /* active */
    ps->nr = 0;
    return 1;
}

int nlif_pk_refractory_refuse(const nlif_particles_params *p, nlif_error *err)
{
    if (!(p->model.tau_ref > 0))
        return NLIF_OK;
    if (p->structure.enabled || p->model.convention != NLIF_CONVENTION_A || p->input.type == NLIF_INPUT_KICK)
        return nlif_fail(err, NLIF_EINVAL, "particles: a refractory period needs the 1D network, convention A and no "
                         "kick (MATHEMATICS.md 1.5)");
    return NLIF_OK;
}

/* E = −log U from the block (i, c1, stream, REFR_DRAW); *u the block's first uniform. */
static double exp_draw(const nlif_particles *ps, long i, uint32_t c1, double *u)
{
    philox4x32_key_t key = key_of(ps->p.seed);
    philox4x32_ctr_t r = philox_block(&key, (uint32_t)i, c1, ps->p.stream, REFR_DRAW);
    if (u)
        *u = u53(r.v[2], r.v[3]);
    return -log(u53(r.v[0], r.v[1]));
}

static void hold(nlif_particles *ps, long i, double until)
{
    ps->release[i] = until;
    ps->v[i] = PARK;
    ps->rlist[ps->nr++] = (int32_t)i;
}

void nlif_pk_refractory_step(nlif_particles *ps, double t_end)
{
    const double vr = ps->p.model.v_r, tau = ps->p.model.tau_ref, due = t_end + 0.5 * ps->p.dt;
    for (long j = 0; j < ps->nr;) {
        long i = ps->rlist[j];
        if (ps->release[i] <= due) {
            ps->v[i] = vr - weight(ps, i) * ps->pk;
            ps->release[i] = -1.0;
            ps->rlist[j] = ps->rlist[--ps->nr];
        } else {
            ps->v[i] = PARK;
            j++;
        }
    }
    for (long j = 0; j < ps->nf; j++) {
        long i = ps->fired[j];
        if (i >= ps->lo && i < ps->hi && ps->release[i] < 0)
            hold(ps, i, t_end + tau * exp_draw(ps, i, (uint32_t)ps->step, NULL));
    }
}

void nlif_particles_refractory_init(nlif_particles *ps, double r0)
{
    if (!ps->release || !(r0 > 0))
        return;
    for (long i = ps->lo; i < ps->hi; i++) {
        double u, e = exp_draw(ps, i, REFR_INIT_STEP, &u);
        if (u < r0)
            hold(ps, i, ps->t + ps->p.model.tau_ref * e);
    }
}

long nlif_particles_refractory_count(const nlif_particles *ps) { return ps->release ? ps->nr : 0; }

const double *nlif_particles_release(const nlif_particles *ps) { return ps->release; }
