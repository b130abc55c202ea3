/* particles.c — the particle kernel's object (MATHEMATICS.md §1.1–1.2; see particles.h for the step in
 * full): parameters and their defaults, allocation and its checks, the initial voltages and weights
 * (stratified quantiles, drawn in slices on threads), the accessors, and the names of the SIMD paths.
 * The kernel's other files (particles_impl.h lists them) hold the generator, the cascade, the step and
 * its passes, the threads and the benchmark's bound.
 */
#include "particles_impl.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

void nlif_particles_params_defaults(nlif_particles_params *p)
{
    memset(p, 0, sizeof *p);
    p->model.a0 = 1;
    p->model.v_f = 2;
    p->model.v_r = 1;
    p->model.v_min = -4;
    p->n = 1000;
    p->dt = 1e-3;
    p->bridge = 1;
    p->rate_window = 0.05;
    p->runaway_factor = 2;
    p->hebbian_bins = 32;
    p->inverse_quantile = 1;
}

void nlif_particles_params_from_case(nlif_particles_params *p, const nlif_case *cs)
{
    nlif_particles_params_defaults(p);
    p->model = cs->model;
    p->input = cs->input;
    p->structure = cs->structure;
    p->n = cs->run.particles;
    p->dt = cs->run.mc_dt;
    p->rate_window = cs->run.rate_window;
    p->seed = cs->run.seed;
}

void nlif_particles_free(nlif_particles *ps)
{
    if (!ps)
        return;
    nlif_pk_pool_stop(ps);
    free(ps->v);
    free(ps->w);
    free(ps->fired);
    free(ps->near);
    free(ps->reset);
    free(ps->ring);
    free(ps->hb_ring);
    free(ps->hb_sum);
    free(ps->hb_pop);
    free(ps->hb_pop_next);
    free(ps->hb_step);
    free(ps->hb_rate);
    free(ps->gbuf);
    free(ps->dq);
    free(ps->release);
    free(ps->rlist);
    free(ps);
}

/* The parameters a network cannot run with, refused with the reason. */
static int refuse_params(const nlif_particles_params *p, nlif_error *err)
{
    const nlif_model *m = &p->model;
    if (p->n < 1 || p->n > INT32_MAX - 1)
        return nlif_fail(err, NLIF_EINVAL, "particles: N_p = %ld out of range [1, %d]", p->n, INT32_MAX - 1);
    if (!(p->dt > 0) || !isfinite(p->dt))
        return nlif_fail(err, NLIF_EINVAL, "particles: dt = %g must be > 0", p->dt);
    if (!(p->rate_window > 0))
        return nlif_fail(err, NLIF_EINVAL, "particles: rate_window = %g must be > 0", p->rate_window);
    if (!(m->a0 > 0) || m->a1 < 0 || !(m->v_r < m->v_f))
        return nlif_fail(err, NLIF_EINVAL, "particles: need a0 > 0, a1 >= 0, V_R < V_F");
    if (p->structure.enabled) {
        const nlif_structure *st = &p->structure;
        if (!(st->epsilon > 0) || !(st->w_min <= st->w_max))
            return nlif_fail(err, NLIF_EINVAL, "particles: structured network needs epsilon > 0, w_min <= w_max");
    }
    if (m->delay > 0) {
        double k = m->delay / p->dt;
        if (fabs(k - nearbyint(k)) > 1e-9 * k || nearbyint(k) < 1 || k > 1e8)
            return nlif_fail(err, NLIF_EINVAL, "particles: model.delay = %g is not a whole number of steps mc_dt = %g "
                             "(allowed: delay = k mc_dt, k = 1 .. 1e8: the spikes of a step act k steps later)",
                             m->delay, p->dt);
        if (p->structure.enabled)
            return nlif_fail(err, NLIF_EINVAL, "particles: a synaptic delay is for the 1D network only");
    }
    if (!(p->simd >= NLIF_SIMD_AUTO && p->simd <= NLIF_SIMD_AVX512) || !nlif_simd_supported(p->simd))
        return nlif_fail(err, NLIF_EINVAL, "particles: no %s path on this CPU or in this build (allowed here: off%s%s)",
                         nlif_simd_name(p->simd), nlif_simd_supported(NLIF_SIMD_AVX2) ? ", avx2" : "",
                         nlif_simd_supported(NLIF_SIMD_AVX512) ? ", avx512" : "");
    return NLIF_OK;
}

/* The particles this process steps, when a group of processes shares the network. */
static int group_range(nlif_particles *ps, const nlif_particles_params *p, nlif_error *err)
{
    const nlif_particles_group *g = p->group;
    if (p->structure.enabled || g->size < 1 || g->rank < 0 || g->rank >= g->size)
        return nlif_fail(err, NLIF_EINVAL, "particles: a network split over processes must be 1D (rank %d of %d)",
                         g->rank, g->size);
    /* ranges start at multiples of 64, like the threads' (MATHEMATICS.md §1.1) */
    ps->lo = g->rank ? (long)((__int128)p->n * g->rank / g->size) & ~63L : 0;
    ps->hi = g->rank + 1 < g->size ? (long)((__int128)p->n * (g->rank + 1) / g->size) & ~63L : p->n;
    if (ps->hi < ps->lo)
        ps->hi = ps->lo;
    return NLIF_OK;
}

/* The arrays of the object (the time step and window already set); 1 when every one was allocated. */
static int alloc_arrays(nlif_particles *ps, const nlif_particles_params *p)
{
    size_t n = (size_t)p->n;
    ps->v = calloc(n, sizeof *ps->v);
    ps->fired = malloc(n * sizeof *ps->fired);
    ps->near = malloc(n * sizeof *ps->near);
    ps->reset = malloc(n * sizeof *ps->reset);
    ps->ring = calloc((size_t)ps->wsteps, sizeof *ps->ring);
    int ok = ps->v && ps->fired && ps->near && ps->reset && ps->ring && nlif_pk_refractory_alloc(ps);
    if (ps->dsteps > 0) {
        ps->dq = calloc((size_t)ps->dsteps, sizeof *ps->dq);
        ok = ok && ps->dq;
    }
    if (p->group) { /* header (4 longs) + fired (int32, padded to 8) + near, for this range and for all;
                       calloc'd pages that are never touched take no memory */
        size_t own = (size_t)(ps->hi - ps->lo);
        ps->gmine = 40 + own * (sizeof(int32_t) + sizeof(near_entry)); /* 40: header + padding */
        ps->gall = (size_t)p->group->size * 40 + n * (sizeof(int32_t) + sizeof(near_entry));
        ps->gbuf = calloc(ps->gmine + ps->gall, 1);
        ok = ok && ps->gbuf;
    }
    if (p->structure.enabled) {
        ps->w = malloc(n * sizeof *ps->w);
        ok = ok && ps->w;
        for (size_t i = 0; ok && i < n; i++)
            ps->w[i] = p->structure.w_mean;
        if (p->structure.rule == NLIF_RULE_HEBBIAN) {
            ps->nb = p->hebbian_bins > 0 ? p->hebbian_bins : 32;
            size_t nb = (size_t)ps->nb;
            ps->hb_ring = calloc(nb * (size_t)ps->wsteps, sizeof *ps->hb_ring);
            ps->hb_sum = calloc(nb, sizeof *ps->hb_sum);
            ps->hb_pop = calloc(nb, sizeof *ps->hb_pop);
            ps->hb_pop_next = calloc(nb, sizeof *ps->hb_pop_next);
            ps->hb_step = calloc(nb, sizeof *ps->hb_step);
            ps->hb_rate = calloc(nb, sizeof *ps->hb_rate);
            ok = ok && ps->hb_ring && ps->hb_sum && ps->hb_pop && ps->hb_pop_next && ps->hb_step && ps->hb_rate;
        }
    }
    return ok;
}

int nlif_particles_alloc(nlif_particles **out, const nlif_particles_params *p, nlif_error *err)
{
    *out = NULL;
    int rc = refuse_params(p, err);
    if (rc || (rc = nlif_pk_refractory_refuse(p, err)))
        return rc;
    nlif_pk_zig_ready();
    nlif_particles *ps = calloc(1, sizeof *ps);
    if (!ps)
        return nlif_fail(err, NLIF_ENOMEM, "particles: out of memory");
    ps->p = *p;
    if (ps->p.runaway_factor <= 0)
        ps->p.runaway_factor = 2;
    ps->n = p->n;
    ps->lo = 0;
    ps->hi = p->n;
    if (p->group && (rc = group_range(ps, p, err))) {
        free(ps);
        return rc;
    }
    ps->eps = p->structure.enabled ? p->structure.epsilon : 1.0;
    ps->ds = p->dt / ps->eps;
    double ws = p->rate_window / ps->ds;
    ps->wsteps = ws < 1 ? 1 : (ws > 1e7 ? 10000000 : (int)lround(ws));
    if (p->model.delay > 0) { /* the coupling leaves the cascade for the delayed drift */
        ps->dsteps = (int)lround(p->model.delay / p->dt);
        ps->delay_b = p->model.b;
        ps->delay_hist = p->model.delay_history;
        ps->p.model.b = 0;
    }
    if (!alloc_arrays(ps, p)) {
        nlif_particles_free(ps);
        return nlif_fail(err, NLIF_ENOMEM, "particles: out of memory for %ld particles", p->n);
    }
    ps->cap = 64;
    /* learning rules update the weights in the pass: scalar, one thread */
    int learning = p->structure.enabled && p->structure.rule != NLIF_RULE_NONE;
    ps->simd = learning ? NLIF_SIMD_OFF : (p->simd == NLIF_SIMD_AUTO ? nlif_simd_best() : p->simd);
    ps->pass = nlif_pk_pass_of(ps->simd);
    if (!learning && p->threads > 1 && nlif_pk_pool_start(ps, p->threads)) {
        nlif_particles_free(ps);
        return nlif_fail(err, NLIF_ENOMEM, "particles: cannot start %d threads", p->threads);
    }
    *out = ps;
    return NLIF_OK;
}

void nlif_particles_range(const nlif_particles *ps, long *lo, long *hi)
{
    *lo = ps->lo;
    *hi = ps->hi;
}
const double *nlif_particles_weights(const nlif_particles *ps) { return ps->w; }

void nlif_particles_set_time(nlif_particles *ps, double t, uint64_t step_index)
{
    ps->t = t;
    ps->step = step_index;
}

void nlif_pk_flush(nlif_particles *ps)
{
    if (ps->pk == 0)
        return;
    for (long i = ps->lo; i < ps->hi; i++)
        ps->v[i] += weight(ps, i) * ps->pk;
    ps->pk = 0;
}

const double *nlif_particles_voltages(nlif_particles *ps)
{
    nlif_pk_flush(ps);
    return ps->v;
}

static void clear_history(nlif_particles *ps)
{
    memset(ps->ring, 0, (size_t)ps->wsteps * sizeof *ps->ring);
    ps->ring_pos = ps->ring_fill = 0;
    ps->ring_sum = 0;
    ps->dq_n = 0;
    ps->pk = 0;
    ps->last_spikes = 0;
    if (ps->nb) {
        memset(ps->hb_ring, 0, (size_t)ps->nb * (size_t)ps->wsteps * sizeof *ps->hb_ring);
        memset(ps->hb_sum, 0, (size_t)ps->nb * sizeof *ps->hb_sum);
    }
}

static void count_population(nlif_particles *ps)
{
    if (!ps->nb)
        return;
    memset(ps->hb_pop, 0, (size_t)ps->nb * sizeof *ps->hb_pop);
    for (long i = 0; i < ps->n; i++)
        ps->hb_pop[wbin(ps, ps->w[i])]++;
}

/* A multiplier coprime with N near N(√5 − 1)/2: i → (i·P) mod N is a permutation with good
 * two-dimensional spread (a rank-1 lattice), so weight strata are independent of voltage strata. */
static long lattice_multiplier(long n)
{
    long p = (long)llround((double)n * 0.6180339887498949);
    if (p < 1)
        p = 1;
    for (;; p++) {
        long a = n, b = p;
        while (b) {
            long t = a % b;
            a = b;
            b = t;
        }
        if (a == 1)
            return p;
    }
}

/* ---------------------------------------------------------------- initial sampling
 *
 * Particle i (voltages) gets the quantile of ((i + u_i)/N_p), weight i that of ((k_i + u'_i)/N_p)
 * with k_i = i·P mod N_p; u_i = 1/2, or drawn from Philox keyed by the particle (the counter layout in
 * particles_impl.h). Each value depends on its particle's index alone, so the particles are drawn in
 * slices, one thread each, with the same bits for any number of threads or processes; each slice
 * writes its targets and turns them into quantiles in place with nlif_density_quantiles_inverse (the
 * Gaussian through the inverse of Φ; the targets' increasing order a monotone sweep of a table), or
 * with nlif_density_quantiles (the bisection's bits) when params.inverse_quantile = 0. */

typedef struct sample_slice {
    const nlif_particles *ps;
    const nlif_density *d;
    double *out;     /* ps->v or ps->w */
    long lo, hi;     /* the slice */
    long pm;         /* weights: the lattice multiplier; 0: voltages */
    int jitter;
} sample_slice;

static void *sample_range(void *arg)
{
    const sample_slice *sl = arg;
    const nlif_particles *ps = sl->ps;
    philox4x32_key_t key = key_of(ps->p.seed);
    const double n = (double)ps->n;
    for (long i = sl->lo; i < sl->hi; i++) {
        long k = sl->pm ? (long)(((__int128)i * sl->pm) % ps->n) : i;
        double u = 0.5;
        if (sl->jitter)
            u = sl->pm ? u32(philox_block(&key, (uint32_t)i, 0xFFFFFFFEu, ps->p.stream, 0x101).v[0])
                       : u32(philox_block(&key, (uint32_t)i, 0xFFFFFFFFu, ps->p.stream, 0x100).v[0]);
        sl->out[i] = ((double)k + u) / n;
    }
    if (ps->p.inverse_quantile)
        nlif_density_quantiles_inverse(sl->d, sl->out + sl->lo, sl->out + sl->lo, sl->hi - sl->lo);
    else
        nlif_density_quantiles(sl->d, sl->out + sl->lo, sl->out + sl->lo, sl->hi - sl->lo);
    return NULL;
}

/* out[lo, hi) from the law, on up to ps->p.threads threads: slices of at least 4096 particles starting
 * at multiples of 64, like the pass's. A thread that cannot start leaves its slice to the caller. */
static void sample_slices(const nlif_particles *ps, const nlif_density *d, double *out, long lo, long hi,
                          long pm, int jitter)
{
    long most = (hi - lo) / 4096;
    int nt = ps->p.threads < most ? ps->p.threads : (int)(most > 1 ? most : 1);
    if (nt > NLIF_PARTICLES_MAX_THREADS)
        nt = NLIF_PARTICLES_MAX_THREADS;
    if (nt < 1)
        nt = 1;
    sample_slice sl[NLIF_PARTICLES_MAX_THREADS];
    pthread_t tid[NLIF_PARTICLES_MAX_THREADS];
    int started[NLIF_PARTICLES_MAX_THREADS] = {0};
    for (int k = 0; k < nt; k++) {
        long a = k == 0 ? lo : (lo + (long)((__int128)(hi - lo) * k / nt)) & ~63L;
        long b = k == nt - 1 ? hi : (lo + (long)((__int128)(hi - lo) * (k + 1) / nt)) & ~63L;
        sl[k] = (sample_slice){ps, d, out, a, b < a ? a : b, pm, jitter};
    }
    for (int k = 1; k < nt; k++)
        started[k] = !pthread_create(&tid[k], NULL, sample_range, &sl[k]);
    sample_range(&sl[0]);
    for (int k = 1; k < nt; k++) {
        if (started[k])
            pthread_join(tid[k], NULL);
        else
            sample_range(&sl[k]);
    }
}

void nlif_particles_sample_voltages(nlif_particles *ps, const nlif_density *d, int jitter)
{
    sample_slices(ps, d, ps->v, ps->lo, ps->hi, 0, jitter);
    clear_history(ps);
}

void nlif_particles_sample_weights(nlif_particles *ps, const nlif_density *dw, int jitter)
{
    if (!ps->w)
        return;
    sample_slices(ps, dw, ps->w, 0, ps->n, lattice_multiplier(ps->n), jitter);
    count_population(ps);
    clear_history(ps);
}

int nlif_particles_set_voltages(nlif_particles *ps, const double *v, const double *w, long n, nlif_error *err)
{
    if (n != ps->n)
        return nlif_fail(err, NLIF_EINVAL, "particles: %ld voltages given for %ld particles", n, ps->n);
    memcpy(ps->v, v, (size_t)n * sizeof *v);
    if (w && ps->w) {
        memcpy(ps->w, w, (size_t)n * sizeof *w);
        count_population(ps);
    }
    clear_history(ps);
    return NLIF_OK;
}

/* ---------------------------------------------------------------- the SIMD paths' names and support */

int nlif_simd_supported(nlif_simd s)
{
    switch (s) {
    case NLIF_SIMD_AUTO:
    case NLIF_SIMD_OFF:
        return 1;
#if NLIF_X86
    case NLIF_SIMD_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2");
    case NLIF_SIMD_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f");
#endif
    default:
        return 0;
    }
}

nlif_simd nlif_simd_best(void)
{
    if (nlif_simd_supported(NLIF_SIMD_AVX512))
        return NLIF_SIMD_AVX512;
    if (nlif_simd_supported(NLIF_SIMD_AVX2))
        return NLIF_SIMD_AVX2;
    return NLIF_SIMD_OFF;
}

static const char *const simd_names[] = {"auto", "off", "avx2", "avx512"};

const char *nlif_simd_name(nlif_simd s) { return s >= NLIF_SIMD_AUTO && s <= NLIF_SIMD_AVX512 ? simd_names[s] : "?"; }

int nlif_simd_parse(const char *name, nlif_simd *out)
{
    for (int k = 0; k <= NLIF_SIMD_AVX512; k++)
        if (!strcmp(name, simd_names[k])) {
            *out = (nlif_simd)k;
            return 0;
        }
    return -1;
}

nlif_simd nlif_particles_simd(const nlif_particles *ps) { return ps->simd; }
