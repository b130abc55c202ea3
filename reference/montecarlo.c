/* montecarlo.c — R realisations of the particle network in parallel (pthreads), aggregated in
 * realisation order (bit-identical for any thread count), optionally spread over processes through an
 * nlif_mc_comm (bit-identical for any process count: MATHEMATICS.md §1.1, "Monte Carlo over
 * processes"). MATHEMATICS.md §1.1, §6; see montecarlo.h. This file runs the realisations (the
 * configuration checked, the arrays allocated, the threads and processes planned); their raw data are
 * gathered and aggregated in montecarlo_reduce.c.
 */
#include "montecarlo_impl.h"
#include "particles.h"

#include "../exact/nlif_exact.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const nlif_mc_comm *nlif_mc_world = NULL;

void nlif_mc_config_from_case(nlif_mc_config *c, const nlif_case *cs)
{
    memset(c, 0, sizeof *c);
    c->particles = cs->run.particles;
    c->realisations = cs->run.realisations;
    c->dt = cs->run.mc_dt;
    c->seed = cs->run.seed;
    c->threads = 1;
    c->bridge = 1;
    c->jitter = 1;
    c->rate_from = -1;
}

static void snapshot(const shared *sh, realisation *r, nlif_particles *ps, int s)
{
    const nlif_mc_result *res = sh->res;
    const double *v = nlif_particles_voltages(ps);
    long lo, hi;
    nlif_particles_range(ps, &lo, &hi); /* this process's particles (all of them without a group) */
    long *h = r->v_hist + (size_t)s * (size_t)(res->v_bins + 2);
    double scale = res->v_bins / (res->v_hi - res->v_lo);
    const double *held = nlif_particles_release(ps); /* refractory neurons: not in the density */
    for (long i = lo; i < hi; i++) {
        int j;
        if (held && held[i] >= 0)
            continue;
        if (v[i] < res->v_lo)
            j = 0;
        else if (v[i] >= res->v_hi)
            j = res->v_bins + 1;
        else {
            j = 1 + (int)((v[i] - res->v_lo) * scale);
            if (j > res->v_bins)
                j = res->v_bins;
        }
        h[j]++;
    }
    const double *w = nlif_particles_weights(ps);
    if (w && res->w_bins) {
        long *hw = r->w_hist + (size_t)s * (size_t)res->w_bins;
        double span = res->w_hi - res->w_lo;
        for (long i = lo; i < hi; i++) {
            double x = span > 0 ? (w[i] - res->w_lo) / span * res->w_bins : 0; /* clamped before the cast */
            int j = x < 0 ? 0 : (x < res->w_bins - 1 ? (int)x : res->w_bins - 1);
            hw[j]++;
        }
    }
}

static int run_one(shared *sh, int ri, realisation *r)
{
    const nlif_case *cs = sh->cs;
    const nlif_mc_config *cfg = sh->cfg;
    nlif_mc_result *res = sh->res;
    nlif_particles_params p;
    nlif_particles_params_from_case(&p, cs);
    p.n = cfg->particles;
    p.dt = cfg->dt;
    p.bridge = cfg->bridge;
    p.seed = cfg->seed;
    p.stream = (uint32_t)ri;
    p.runaway_factor = cfg->runaway_factor;
    p.simd = cfg->simd;
    p.threads = sh->particle_threads;
    p.group = sh->group;
    nlif_particles *ps;
    int rc = nlif_particles_alloc(&ps, &p, &r->err);
    if (rc && sh->group && rc == NLIF_ENOMEM) /* the rest of the group would wait for this process */
        sh->cfg->comm->abort(sh->cfg->comm->ctx, r->err.msg);
    if (rc)
        return rc;
    if (ri == 0)
        res->simd = nlif_particles_simd(ps);
    nlif_particles_sample_voltages(ps, sh->vd, cfg->jitter);
    double r0 = 0.0; /* the initial refractory mass (MATHEMATICS.md 1.5): held after sampling */
    if ((rc = nlif_initial_refractory(cs, &r0, &r->err))) {
        nlif_particles_free(ps);
        return rc;
    }
    nlif_particles_refractory_init(ps, r0);
    if (sh->wd)
        nlif_particles_sample_weights(ps, sh->wd, cfg->jitter);
    nlif_particles_set_time(ps, 0.0, 0);
    const double np = (double)cfg->particles, level = cs->run.mfe_level;
    int s_next = 0;
    while (s_next < res->n_snap && res->snap_t[s_next] <= 0.5 * cfg->dt) {
        r->snap_taken[s_next] = 0.0;
        snapshot(sh, r, ps, s_next++);
    }
    nlif_particles_step_info info;
    for (long k = 0; k < sh->steps; k++) {
        double t0 = k * cfg->dt, t1 = (k + 1) * cfg->dt;
        int st = nlif_particles_step(ps, &info);
        r->full_passes += info.full_passes;
        double b = (t0 + 0.5 * cfg->dt) / res->bin_width;
        int bin = b < res->nbins - 1 ? (int)b : res->nbins - 1;
        r->bin_spikes[bin] += info.spikes;
        if (t0 + 0.5 * cfg->dt >= sh->rate_from)
            r->final_spikes += info.spikes;
        double frac = (double)info.cascade / np;
        if (frac > r->max_cascade)
            r->max_cascade = frac;
        if (frac >= level) {
            if (r->n_mfe < res->mfe_capacity) {
                int kick = info.kick_spikes == info.cascade && info.kick_spikes > 0;
                r->mfe_t[r->n_mfe] = kick ? cs->input.t0 : t1;
                r->mfe_size[r->n_mfe] = frac;
            }
            r->n_mfe++;
        }
        if (st == NLIF_PARTICLES_RUNAWAY) {
            r->runaway = 1;
            r->runaway_t = t1;
            break;
        }
        while (s_next < res->n_snap && res->snap_t[s_next] <= t1 + 0.5 * cfg->dt) {
            r->snap_taken[s_next] = t1;
            snapshot(sh, r, ps, s_next++);
        }
    }
    nlif_particles_free(ps);
    return NLIF_OK;
}

static void *worker(void *arg)
{
    shared *sh = arg;
    for (;;) {
        pthread_mutex_lock(&sh->lock);
        int ri = sh->next < sh->cfg->realisations ? sh->next : -1;
        if (ri >= 0)
            sh->next += sh->size;
        pthread_mutex_unlock(&sh->lock);
        if (ri < 0)
            break;
        realisation *r = &sh->rs[ri];
        r->status = run_one(sh, ri, r);
        pthread_mutex_lock(&sh->lock);
        sh->done++;
        if (sh->cfg->progress)
            fprintf(stderr, "\rnlif mc: %d/%d realisations", sh->done, sh->local);
        pthread_mutex_unlock(&sh->lock);
    }
    return NULL;
}

void nlif_mc_result_free(nlif_mc_result *res)
{
    if (!res)
        return;
    free(res->t_mid);
    free(res->rate_mean);
    free(res->rate_se);
    free(res->l1_loo);
    free(res->cum_mean);
    free(res->cum_se);
    free(res->mfe_count);
    free(res->mfe_t);
    free(res->mfe_size);
    free(res->mfe);
    free(res->v_density);
    free(res->v_cdf);
    free(res->w_density);
    memset(res, 0, sizeof *res);
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* The configuration's defaults filled in and checked against the case; the result's sizes; *split the
 * processes per realisation. */
static int mc_prepare(const nlif_case *cs, nlif_mc_config *cfg, nlif_mc_result *res, int *split, nlif_error *err)
{
    if (cfg->v_bins <= 0)
        cfg->v_bins = 600;
    if (cfg->w_bins <= 0)
        cfg->w_bins = 100;
    if (cfg->mfe_capacity <= 0)
        cfg->mfe_capacity = 4096;
    if (cfg->runaway_factor <= 0)
        cfg->runaway_factor = 2;
    if (!(cfg->bin_width > 0))
        cfg->bin_width = cs->run.rate_window;
    res->realisations = cfg->realisations;
    res->particles = cfg->particles;
    res->dt = cfg->dt;
    res->t_final = cs->run.t_final;
    /* counts are range-checked in double before they become integers (a bin count of 0 would
     * index bin_spikes[-1]; one beyond int would wrap) */
    double steps = cs->run.t_final / cfg->dt, bins = ceil(cs->run.t_final / cfg->bin_width - 1e-9);
    if (!(steps <= 1e15) || !(bins <= INT_MAX / 2))
        return nlif_fail(err, NLIF_EINVAL, "mc: t_final = %g gives %.3g steps of dt = %g and %.3g bins of width %g "
                                           "(allowed: at most 1e15 steps and %d bins)", cs->run.t_final, steps, cfg->dt,
                         bins, cfg->bin_width, INT_MAX / 2);
    res->steps = lround(steps);
    if (fabs(res->steps * cfg->dt - cs->run.t_final) > 1e-9 * cs->run.t_final)
        return nlif_fail(err, NLIF_EINVAL, "mc: dt = %g does not divide t_final = %g", cfg->dt, cs->run.t_final);
    *split = 1; /* processes per realisation */
    if (cfg->particles_per_rank > 0 && cfg->particles_per_rank < cfg->particles) {
        long g = (cfg->particles + cfg->particles_per_rank - 1) / cfg->particles_per_rank;
        int have = cfg->comm ? cfg->comm->size : 1;
        if (g > have)
            return nlif_fail(err, NLIF_EINVAL, "mc: %ld particles at most %ld per process need %ld processes per "
                             "realisation (have %d; run bin/nlif-mpi under mpirun -np %ld or more)",
                             cfg->particles, cfg->particles_per_rank, g, have, g);
        if (cs->structure.enabled)
            return nlif_fail(err, NLIF_EINVAL, "mc: --particles-per-rank splits 1D networks only (%s is structured)",
                             cs->name);
        *split = (int)g;
    }
    res->bin_width = cfg->bin_width;
    res->nbins = bins < 1 ? 1 : (int)bins;
    res->mfe_capacity = cfg->mfe_capacity;
    res->n_snap = cs->run.n_snapshots;
    memcpy(res->snap_t, cs->run.snapshots, sizeof res->snap_t);
    res->v_bins = cfg->v_bins;
    res->v_lo = cs->model.v_min;
    res->v_hi = cs->model.v_f;
    if (cs->structure.enabled) {
        res->w_bins = cfg->w_bins;
        res->w_lo = cs->structure.w_min;
        res->w_hi = cs->structure.w_max;
    }
    return NLIF_OK;
}

/* The result's arrays and the realisations' raw data (*rs_out, freed by free_realisations even when
 * incomplete). 1 when every one was allocated. */
static int mc_alloc(nlif_mc_result *res, const nlif_mc_config *cfg, realisation **rs_out)
{
    const int R = cfg->realisations;
    size_t nb = (size_t)res->nbins, ns = (size_t)(res->n_snap ? res->n_snap : 1);
    res->t_mid = calloc(nb, sizeof(double));
    res->rate_mean = calloc(nb, sizeof(double));
    res->rate_se = calloc(nb, sizeof(double));
    res->l1_loo = calloc((size_t)cfg->realisations, sizeof(double));
    res->cum_mean = calloc(nb, sizeof(double));
    res->cum_se = calloc(nb, sizeof(double));
    res->mfe_count = calloc((size_t)R, sizeof(int));
    res->mfe_t = calloc((size_t)R * (size_t)cfg->mfe_capacity, sizeof(double));
    res->mfe_size = calloc((size_t)R * (size_t)cfg->mfe_capacity, sizeof(double));
    res->v_density = calloc(ns * (size_t)res->v_bins, sizeof(double));
    res->v_cdf = calloc(ns * (size_t)(res->v_bins + 1), sizeof(double));
    res->w_density = calloc(ns * (size_t)(res->w_bins ? res->w_bins : 1), sizeof(double));
    realisation *rs = *rs_out = calloc((size_t)R, sizeof *rs);
    int ok = res->t_mid && res->rate_mean && res->rate_se && res->l1_loo && res->cum_mean && res->cum_se && res->mfe_count &&
             res->mfe_t && res->mfe_size && res->v_density && res->v_cdf && res->w_density && rs;
    for (int r = 0; ok && r < R; r++) {
        rs[r].bin_spikes = calloc(nb, sizeof(long));
        rs[r].v_hist = calloc(ns * (size_t)(res->v_bins + 2), sizeof(long));
        rs[r].w_hist = calloc(ns * (size_t)(res->w_bins ? res->w_bins : 1), sizeof(long));
        rs[r].mfe_t = res->mfe_t + (size_t)r * cfg->mfe_capacity;
        rs[r].mfe_size = res->mfe_size + (size_t)r * cfg->mfe_capacity;
        for (int s = 0; s < NLIF_MAX_SNAPSHOTS; s++)
            rs[r].snap_taken[s] = -1;
        ok = rs[r].bin_spikes && rs[r].v_hist && rs[r].w_hist;
    }
    return ok;
}

static void free_realisations(realisation *rs, int R)
{
    for (int r = 0; rs && r < R; r++) {
        free(rs[r].bin_spikes);
        free(rs[r].v_hist);
        free(rs[r].w_hist);
    }
    free(rs);
}

/* Which realisations this process runs (every one without a comm), and on how many threads. */
static int mc_plan(shared *sh, int split)
{
    const nlif_mc_config *cfg = sh->cfg;
    const int R = cfg->realisations;
    sh->rank = cfg->comm ? cfg->comm->rank : 0;
    sh->size = cfg->comm ? cfg->comm->size : 1;
    if (split > 1) { /* groups of `split` processes; realisations over the groups */
        sh->group = cfg->comm->group(cfg->comm->ctx, split);
        sh->rank = cfg->comm->rank / split;
        sh->size = cfg->comm->size / split;
        if (!sh->group) /* one of the last size mod split processes: no work */
            sh->rank = R;
    }
    sh->next = sh->rank;
    sh->local = sh->rank < R ? (R - sh->rank + sh->size - 1) / sh->size : 0;
    int nt = cfg->threads < sh->local ? cfg->threads : (sh->local > 0 ? sh->local : 1);
    if (sh->group) /* the group's collectives come in step order: one realisation at a time */
        nt = 1;
    if (nt > 64)
        nt = 64;
    sh->particle_threads = cfg->threads / nt;
    return nt;
}

/* This process's realisations on nt threads (the caller one of them); then, over processes, the
 * agreed status and the raw data brought to rank 0, which reduces them. */
static int mc_execute(shared *sh, int nt, double t0_cpu, nlif_error *err)
{
    const nlif_mc_config *cfg = sh->cfg;
    int rc = NLIF_OK;
    pthread_t tid[64];
    pthread_mutex_init(&sh->lock, NULL);
    int started = 0;
    for (int i = 1; i < nt; i++)
        if (pthread_create(&tid[i], NULL, worker, sh) == 0)
            started = i;
        else
            break;
    worker(sh);
    for (int i = 1; i <= started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&sh->lock);
    if (cfg->progress)
        fprintf(stderr, "\n");
    for (int r = 0; r < cfg->realisations && !rc; r++)
        if (sh->rs[r].status) {
            *err = sh->rs[r].err;
            rc = sh->rs[r].status;
        }
    if (cfg->comm) { /* every process learns whether any failed, then the raw data go to rank 0 */
        int any = rc;
        if (cfg->comm->max_int(cfg->comm->ctx, &any))
            rc = rc ? rc : nlif_fail(err, NLIF_EIO, "mc: MPI failed while agreeing on the status");
        else if (any && !rc)
            rc = nlif_fail(err, any, "mc: a realisation failed on another process (its message is above)");
        if (!rc) {
            sh->res->cpu_seconds = cpu_now() - t0_cpu;
            rc = nlif_mc_gather(sh, err);
        }
    }
    if (!rc && sh->rank == 0)
        rc = nlif_mc_reduce(sh, err);
    return rc;
}

int nlif_mc_run(const nlif_case *cs, const nlif_mc_config *cfg0, nlif_mc_result *res, nlif_error *err)
{
    memset(res, 0, sizeof *res);
    nlif_mc_config cfg = *cfg0;
    if (cfg.particles < 1 || cfg.realisations < 1 || !(cfg.dt > 0) || cfg.threads < 1)
        return nlif_fail(err, NLIF_EINVAL, "mc: need particles >= 1, realisations >= 1, dt > 0, threads >= 1 "
                                           "(got %ld, %d, %g, %d)", cfg.particles, cfg.realisations, cfg.dt, cfg.threads);
    double t0_cpu = cpu_now(), t0_wall = wall_now();
    int split;
    int rc = mc_prepare(cs, &cfg, res, &split, err);
    if (rc)
        return rc;
    if (cs->model.populations == 2) { /* two populations: montecarlo_ei.c */
        res->rate_from = cfg.rate_from >= 0 && cfg.rate_from < cs->run.t_final ? cfg.rate_from : 0.9 * cs->run.t_final;
        if ((rc = nlif_mc_ei_run(cs, &cfg, res, err)))
            nlif_mc_result_free(res);
        if (!cfg.comm) /* with processes: the sum over them, set in nlif_mc_gather() */
            res->cpu_seconds = cpu_now() - t0_cpu;
        res->wall_seconds = wall_now() - t0_wall;
        return rc;
    }
    realisation *rs = NULL;
    nlif_density vd = {0}, wd = {0};
    int have_vd = 0, have_wd = 0;
    if (!mc_alloc(res, &cfg, &rs))
        rc = nlif_fail(err, NLIF_ENOMEM, "mc: out of memory");
    if (!rc && !(rc = nlif_density_init(&vd, cs, err)))
        have_vd = 1;
    if (!rc && cs->structure.enabled && !(rc = nlif_weight_density_init(&wd, &cs->structure, err)))
        have_wd = 1;
    if (!rc) {
        shared sh = {.cs = cs, .cfg = &cfg, .res = res, .rs = rs, .vd = &vd, .wd = have_wd ? &wd : NULL,
                     .steps = res->steps,
                     .rate_from = cfg.rate_from >= 0 ? cfg.rate_from : 0.9 * cs->run.t_final};
        if (sh.rate_from >= cs->run.t_final)
            sh.rate_from = 0.9 * cs->run.t_final;
        res->rate_from = sh.rate_from;
        int nt = mc_plan(&sh, split);
        rc = mc_execute(&sh, nt, t0_cpu, err);
    }
    if (have_vd)
        nlif_density_free(&vd);
    if (have_wd)
        nlif_density_free(&wd);
    free_realisations(rs, cfg.realisations);
    if (!cfg.comm) /* with processes: the sum over them, set in nlif_mc_gather() */
        res->cpu_seconds = cpu_now() - t0_cpu;
    res->wall_seconds = wall_now() - t0_wall;
    if (rc)
        nlif_mc_result_free(res);
    return rc;
}
