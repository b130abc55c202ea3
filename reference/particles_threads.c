/* particles_threads.c — the threads of the particle kernel's streaming pass (MATHEMATICS.md §1.1, "The
 * particle kernel"): contiguous particle ranges starting at multiples of 64, each with lists of its
 * own, concatenated in range order afterwards (the same lists, hence the same bits, as one pass);
 * the workers spin briefly and then sleep between passes.
 */
#include "particles_impl.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct pass_worker {
    nlif_particles *ps;
    int k;
} pass_worker;

struct pass_pool {
    int nt;                       /* threads incl. the caller (thread 0) */
    pthread_t tid[NLIF_PARTICLES_MAX_THREADS];
    pass_worker arg[NLIF_PARTICLES_MAX_THREADS];
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    int quit;
    const pass_ctx *c;
    long lo[NLIF_PARTICLES_MAX_THREADS + 1];
    /* Each on its own cache line: the flags spun on, and each thread's results, so that no thread's
     * writes evict a line another thread is reading during the pass. */
    _Alignas(64) atomic_uint gen; /* bumped by the caller for each pass */
    _Alignas(64) atomic_int pending; /* workers still in the pass */
    struct {
        _Alignas(64) pass_out o;
    } out[NLIF_PARTICLES_MAX_THREADS];
};

/* One round of a busy wait; every 64th round yields the core (a shared machine runs others then). */
static inline void cpu_relax(int round)
{
    if ((round & 63) == 63) {
        sched_yield();
        return;
    }
#if NLIF_X86
    __builtin_ia32_pause();
#endif
}

#define POOL_SPINS 4000 /* busy-wait this many rounds before sleeping on the condition variable */

/* Thread k's range. Its list counters live on its own stack during the pass (they change at every
 * listed particle) and are published once at the end. */
static void pool_range(nlif_particles *ps, int k)
{
    struct pass_pool *pl = ps->pool;
    pass_out o = {ps->fired + (pl->lo[k] - ps->lo), ps->near + (pl->lo[k] - ps->lo), 0, 0, 0};
    ps->pass(ps, pl->c, pl->lo[k], pl->lo[k + 1], &o);
    pl->out[k].o = o;
}

static void *pool_worker(void *arg)
{
    pass_worker *a = arg;
    struct pass_pool *pl = a->ps->pool;
    unsigned seen = 0;
    for (;;) {
        unsigned g = seen;
        for (int s = 0; s < POOL_SPINS && (g = atomic_load_explicit(&pl->gen, memory_order_acquire)) == seen; s++)
            cpu_relax(s);
        if (g == seen) {
            pthread_mutex_lock(&pl->mu);
            while ((g = atomic_load(&pl->gen)) == seen && !pl->quit)
                pthread_cond_wait(&pl->go, &pl->mu);
            int quit = pl->quit;
            pthread_mutex_unlock(&pl->mu);
            if (quit)
                return NULL;
        }
        seen = g;
        pool_range(a->ps, a->k);
        if (atomic_fetch_sub_explicit(&pl->pending, 1, memory_order_acq_rel) == 1) {
            pthread_mutex_lock(&pl->mu);
            pthread_cond_signal(&pl->done);
            pthread_mutex_unlock(&pl->mu);
        }
    }
}

void nlif_pk_pool_stop(nlif_particles *ps)
{
    struct pass_pool *pl = ps->pool;
    if (!pl)
        return;
    pthread_mutex_lock(&pl->mu);
    pl->quit = 1;
    pthread_cond_broadcast(&pl->go);
    pthread_mutex_unlock(&pl->mu);
    for (int k = 1; k < pl->nt; k++)
        pthread_join(pl->tid[k], NULL);
    pthread_mutex_destroy(&pl->mu);
    pthread_cond_destroy(&pl->go);
    pthread_cond_destroy(&pl->done);
    free(pl);
    ps->pool = NULL;
}

/* Threads for the pass: ranges of at least 4096 particles, starting at multiples of 64. Fewer
 * threads than asked when N_p is small; none started for one. Returns 0, or −1 (out of resources). */
int nlif_pk_pool_start(nlif_particles *ps, int threads)
{
    long most = (ps->hi - ps->lo) / 4096;
    int nt = threads < most ? threads : (int)(most > 1 ? most : 1);
    if (nt > NLIF_PARTICLES_MAX_THREADS)
        nt = NLIF_PARTICLES_MAX_THREADS;
    if (nt <= 1)
        return 0;
    struct pass_pool *pl = aligned_alloc(64, sizeof *pl); /* a multiple of 64 (its aligned members) */
    if (!pl)
        return -1;
    memset(pl, 0, sizeof *pl);
    pl->nt = 1;
    pthread_mutex_init(&pl->mu, NULL);
    pthread_cond_init(&pl->go, NULL);
    pthread_cond_init(&pl->done, NULL);
    atomic_init(&pl->gen, 0);
    atomic_init(&pl->pending, 0);
    for (int k = 0; k <= nt; k++)
        pl->lo[k] = k == nt ? ps->hi : k == 0 ? ps->lo : (ps->lo + (long)((__int128)(ps->hi - ps->lo) * k / nt)) & ~63L;
    ps->pool = pl;
    for (int k = 1; k < nt; k++) {
        pl->arg[k] = (pass_worker){ps, k};
        if (pthread_create(&pl->tid[k], NULL, pool_worker, &pl->arg[k])) {
            nlif_pk_pool_stop(ps);
            return -1;
        }
        pl->nt = k + 1;
    }
    return 0;
}

/* The pass over all particles into ps->fired / ps->near (in particle order); returns the bridge count. */
long nlif_pk_run_pass(nlif_particles *ps, const pass_ctx *c)
{
    struct pass_pool *pl = ps->pool;
    if (!pl || c->rule != NLIF_RULE_NONE) {
        pass_out o = {ps->fired, ps->near, 0, 0, 0};
        ps->pass(ps, c, ps->lo, ps->hi, &o);
        ps->nf = o.nf;
        ps->m = o.m;
        return nlif_pk_merge(ps, o.nbridge);
    }
    pl->c = c;
    atomic_store(&pl->pending, pl->nt - 1);
    pthread_mutex_lock(&pl->mu);
    atomic_fetch_add_explicit(&pl->gen, 1, memory_order_release);
    pthread_cond_broadcast(&pl->go);
    pthread_mutex_unlock(&pl->mu);
    pool_range(ps, 0);
    for (int s = 0; s < POOL_SPINS && atomic_load_explicit(&pl->pending, memory_order_acquire) > 0; s++)
        cpu_relax(s);
    if (atomic_load(&pl->pending) > 0) {
        pthread_mutex_lock(&pl->mu);
        while (atomic_load(&pl->pending) > 0)
            pthread_cond_wait(&pl->done, &pl->mu);
        pthread_mutex_unlock(&pl->mu);
    }
    /* concatenate the lists in range order (each range wrote from its own first index on) */
    long nf = 0, m = 0, nb = 0;
    for (int k = 0; k < pl->nt; k++) {
        const pass_out *o = &pl->out[k].o;
        if (o->fired != ps->fired + nf)
            memmove(ps->fired + nf, o->fired, (size_t)o->nf * sizeof *ps->fired);
        if (o->near != ps->near + m)
            memmove(ps->near + m, o->near, (size_t)o->m * sizeof *ps->near);
        nf += o->nf;
        m += o->m;
        nb += o->nbridge;
    }
    ps->nf = nf;
    ps->m = m;
    return nlif_pk_merge(ps, nb);
}
