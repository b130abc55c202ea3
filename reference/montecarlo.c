/* montecarlo.c — R realisations of the particle network in parallel (pthreads), aggregated in
 * realisation order (bit-identical for any thread count), optionally spread over processes through an
 * nlif_mc_comm (bit-identical for any process count: MATHEMATICS.md §1.1, "Monte Carlo over
 * processes"). MATHEMATICS.md §1.1, §6; see montecarlo.h.
 */
#include "montecarlo.h"
#include "../exact/nlif_density.h"
#include "particles.h"

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

/* Per-realisation raw data, reduced after all threads have finished. */
typedef struct realisation {
    long *bin_spikes;    /* nbins */
    long final_spikes;
    int n_mfe;
    double *mfe_t, *mfe_size; /* views into the result arrays */
    long *v_hist;        /* n_snap × (v_bins + 2): [0] below V_min, [v_bins+1] at/above V_F */
    long *w_hist;        /* n_snap × w_bins */
    double snap_taken[NLIF_MAX_SNAPSHOTS];
    int runaway;
    double runaway_t;
    double max_cascade;
    long full_passes;
    int status;          /* nlif error code of the realisation */
    nlif_error err;
} realisation;

typedef struct shared {
    const nlif_case *cs;
    const nlif_mc_config *cfg;
    nlif_mc_result *res;
    realisation *rs;
    const nlif_density *vd, *wd;
    long steps;
    double rate_from;
    int particle_threads; /* threads of each realisation's particle pass */
    int rank, size;       /* this process runs realisations rank, rank + size, ... (with groups:
                             rank = the group's index, size = the number of groups) */
    int local;            /* how many that is */
    const nlif_particles_group *group; /* the processes sharing each realisation's particles, or NULL */
    pthread_mutex_t lock;
    int next, done;
} shared;

static void snapshot(const shared *sh, realisation *r, nlif_particles *ps, int s)
{
    const nlif_mc_result *res = sh->res;
    const double *v = nlif_particles_voltages(ps);
    long lo, hi;
    nlif_particles_range(ps, &lo, &hi); /* this process's particles (all of them without a group) */
    long *h = r->v_hist + (size_t)s * (size_t)(res->v_bins + 2);
    double scale = res->v_bins / (res->v_hi - res->v_lo);
    for (long i = lo; i < hi; i++) {
        int j;
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
    if (sh->wd)
        nlif_particles_sample_weights(ps, sh->wd, cfg->jitter);
    nlif_particles_set_time(ps, 0.0, 0);
    const double eps = cs->structure.enabled ? cs->structure.epsilon : 1.0;
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
    (void)eps;
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

static void mean_se(const double *x, int n, double *mean, double *se)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += x[i];
    double m = n ? s / n : NAN, q = 0;
    for (int i = 0; i < n; i++)
        q += (x[i] - m) * (x[i] - m);
    *mean = m;
    *se = n >= 2 ? sqrt(q / (n - 1) / n) : NAN;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Empirical quantile by linear interpolation of the sorted sample (type 7). */
static double quantile(const double *sorted, int n, double q)
{
    if (n == 0)
        return NAN;
    double h = (n - 1) * q;
    int lo = (int)floor(h);
    int hi = lo + 1 < n ? lo + 1 : lo;
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

static void stats_of(double *x, int n, double *mean, double *se, double ci[2], double q95[2])
{
    mean_se(x, n, mean, se);
    ci[0] = *mean - 1.96 * *se;
    ci[1] = *mean + 1.96 * *se;
    qsort(x, (size_t)n, sizeof *x, cmp_double);
    q95[0] = quantile(x, n, 0.025);
    q95[1] = quantile(x, n, 0.975);
}

static int reduce(shared *sh, nlif_error *err)
{
    const nlif_mc_config *cfg = sh->cfg;
    nlif_mc_result *res = sh->res;
    const int R = cfg->realisations;
    const double np = (double)cfg->particles;
    const double eps = sh->cs->structure.enabled ? sh->cs->structure.epsilon : 1.0;
    double *x = malloc((size_t)(R > 16 ? R : 16) * 2 * sizeof *x);
    double *cum = calloc((size_t)R, sizeof *cum);
    if (!x || !cum) {
        free(x);
        free(cum);
        return nlif_fail(err, NLIF_ENOMEM, "mc: out of memory");
    }
    for (int b = 0; b < res->nbins; b++) {
        double width = fmin(res->bin_width, res->t_final - b * res->bin_width);
        for (int r = 0; r < R; r++) {
            x[r] = (double)sh->rs[r].bin_spikes[b] / (np * width / eps);
            cum[r] += (double)sh->rs[r].bin_spikes[b] / np;
        }
        mean_se(x, R, &res->rate_mean[b], &res->rate_se[b]);
        mean_se(cum, R, &res->cum_mean[b], &res->cum_se[b]);
        if (R >= 2 && res->l1_loo)
            for (int r = 0; r < R; r++) /* mean of the others: (R N̄ − N_r)/(R − 1) */
                res->l1_loo[r] += fabs(x[r] - (R * res->rate_mean[b] - x[r]) / (R - 1)) * width;
        res->t_mid[b] = (b + 0.5) * res->bin_width;
    }
    res->l1_loo_mean = 0;
    if (R >= 2 && res->l1_loo) {
        for (int r = 0; r < R; r++)
            res->l1_loo_mean += res->l1_loo[r];
        res->l1_loo_mean /= R;
    }
    double span = res->t_final - sh->rate_from;
    if (R >= 2) {
        for (int r = 0; r < R; r++)
            x[r] = (double)sh->rs[r].final_spikes / (np * span / eps);
        mean_se(x, R, &res->rate_final_mean, &res->rate_final_se);
    } else { /* batch means over the bins of the window */
        int nb = 0;
        for (int b = 0; b < res->nbins && nb < 2 * 16; b++)
            if (b * res->bin_width + 0.5 * cfg->dt >= sh->rate_from)
                x[nb++] = res->rate_mean[b];
        double m, se;
        mean_se(x, nb, &m, &se);
        res->rate_final_mean = (double)sh->rs[0].final_spikes / (np * span / eps);
        res->rate_final_se = se;
    }
    /* MFEs */
    int nidx = 0;
    for (int r = 0; r < R; r++) {
        res->mfe_count[r] = sh->rs[r].n_mfe;
        int c = sh->rs[r].n_mfe < res->mfe_capacity ? sh->rs[r].n_mfe : res->mfe_capacity;
        if (c > nidx)
            nidx = c;
    }
    res->n_mfe_index = nidx;
    res->mfe = calloc((size_t)(nidx ? nidx : 1), sizeof *res->mfe);
    if (!res->mfe) {
        free(x);
        free(cum);
        return nlif_fail(err, NLIF_ENOMEM, "mc: out of memory");
    }
    for (int k = 0; k < nidx; k++) {
        nlif_mc_mfe_stats *m = &res->mfe[k];
        int n = 0;
        for (int r = 0; r < R; r++)
            if (sh->rs[r].n_mfe > k && k < res->mfe_capacity)
                x[n++] = res->mfe_t[(size_t)r * res->mfe_capacity + k];
        m->count = n;
        stats_of(x, n, &m->t_mean, &m->t_se, m->t_ci95, m->t_q95);
        n = 0;
        for (int r = 0; r < R; r++)
            if (sh->rs[r].n_mfe > k && k < res->mfe_capacity)
                x[n++] = res->mfe_size[(size_t)r * res->mfe_capacity + k];
        stats_of(x, n, &m->size_mean, &m->size_se, m->size_ci95, m->size_q95);
    }
    /* snapshots: pooled over realisations */
    const double dvb = (res->v_hi - res->v_lo) / res->v_bins;
    for (int s = 0; s < res->n_snap; s++) {
        long below = 0, above = 0;
        double taken = NAN;
        for (int r = 0; r < R; r++) {
            const long *h = sh->rs[r].v_hist + (size_t)s * (size_t)(res->v_bins + 2);
            below += h[0];
            above += h[res->v_bins + 1];
            if (sh->rs[r].snap_taken[s] >= 0)
                taken = sh->rs[r].snap_taken[s];
        }
        res->snap_taken[s] = taken;
        double total = np * R;
        res->v_below[s] = below / total;
        res->v_above[s] = above / total;
        double c = below / total;
        res->v_cdf[(size_t)s * (res->v_bins + 1)] = c;
        for (int j = 0; j < res->v_bins; j++) {
            long cnt = 0;
            for (int r = 0; r < R; r++)
                cnt += sh->rs[r].v_hist[(size_t)s * (size_t)(res->v_bins + 2) + 1 + j];
            res->v_density[(size_t)s * res->v_bins + j] = cnt / total / dvb;
            c += cnt / total;
            res->v_cdf[(size_t)s * (res->v_bins + 1) + j + 1] = c;
        }
        if (res->w_bins) {
            double dwb = (res->w_hi - res->w_lo) / res->w_bins;
            for (int j = 0; j < res->w_bins; j++) {
                long cnt = 0;
                for (int r = 0; r < R; r++)
                    cnt += sh->rs[r].w_hist[(size_t)s * res->w_bins + j];
                res->w_density[(size_t)s * res->w_bins + j] = cnt / total / (dwb > 0 ? dwb : 1.0);
            }
        }
    }
    res->runaway_t_first = NAN;
    for (int r = 0; r < R; r++) {
        if (sh->rs[r].runaway) {
            res->runaways++;
            if (!(sh->rs[r].runaway_t >= res->runaway_t_first))
                res->runaway_t_first = sh->rs[r].runaway_t;
        }
        if (sh->rs[r].max_cascade > res->max_spikes_step_fraction)
            res->max_spikes_step_fraction = sh->rs[r].max_cascade;
        res->full_passes += sh->rs[r].full_passes;
    }
    free(x);
    free(cum);
    return NLIF_OK;
}

/* Bring every realisation's raw data to rank 0 (MATHEMATICS.md §1.1, "Monte Carlo over processes"):
 * each process packs the realisations it ran and zeros for the others; the element-wise sum is then
 * exact (x + 0 = x for every x but −0, and no value here is −0), so rank 0 holds the same raw data
 * as a single process and reduce() gives the same bits. */
static int gather(shared *sh, nlif_error *err)
{
    const nlif_mc_comm *cm = sh->cfg->comm;
    nlif_mc_result *res = sh->res;
    const int R = sh->cfg->realisations;
    const size_t nb = (size_t)res->nbins, ns = (size_t)(res->n_snap ? res->n_snap : 1);
    const size_t nv = ns * (size_t)(res->v_bins + 2), nw = ns * (size_t)(res->w_bins ? res->w_bins : 1);
    const size_t nl = nb + nv + nw + 4, nd = NLIF_MAX_SNAPSHOTS + 2;
    long *L = calloc(nl * (size_t)R, sizeof *L);
    double *D = calloc(nd * (size_t)R, sizeof *D);
    int rc = NLIF_OK;
    if (!L || !D)
        rc = nlif_fail(err, NLIF_ENOMEM, "mc: out of memory");
    int bad = rc != NLIF_OK; /* every process takes part in the sums, or none does */
    if (cm->max_int(cm->ctx, &bad)) {
        free(L);
        free(D);
        return rc ? rc : nlif_fail(err, NLIF_EIO, "mc: MPI failed while agreeing on the status");
    }
    if (bad) {
        free(L);
        free(D);
        return rc ? rc : nlif_fail(err, NLIF_ENOMEM, "mc: out of memory on another process");
    }
    /* In a group every process saw the same steps (the cascade is global) but histogrammed its own
     * particles: the histograms come from all, everything else from the group's first process. */
    const int leader = !sh->group || sh->group->rank == 0;
    for (int r = sh->rank; r < R && !leader; r += sh->size) {
        memset(res->mfe_t + (size_t)r * res->mfe_capacity, 0, (size_t)res->mfe_capacity * sizeof *res->mfe_t);
        memset(res->mfe_size + (size_t)r * res->mfe_capacity, 0, (size_t)res->mfe_capacity * sizeof *res->mfe_size);
    }
    for (int r = sh->rank; r < R; r += sh->size) {
        const realisation *q = &sh->rs[r];
        long *l = L + (size_t)r * nl;
        memcpy(l + nb, q->v_hist, nv * sizeof *l);
        memcpy(l + nb + nv, q->w_hist, nw * sizeof *l);
        if (!leader)
            continue;
        memcpy(l, q->bin_spikes, nb * sizeof *l);
        l[nb + nv + nw] = q->final_spikes;
        l[nb + nv + nw + 1] = q->n_mfe;
        l[nb + nv + nw + 2] = q->runaway;
        l[nb + nv + nw + 3] = q->full_passes;
        double *d = D + (size_t)r * nd;
        for (int s = 0; s < NLIF_MAX_SNAPSHOTS; s++)
            d[s] = q->snap_taken[s];
        d[NLIF_MAX_SNAPSHOTS] = q->runaway_t;
        d[NLIF_MAX_SNAPSHOTS + 1] = q->max_cascade;
    }
    double cpu = res->cpu_seconds;
    if (cm->sum_long(cm->ctx, L, nl * (size_t)R) || cm->sum_double(cm->ctx, D, nd * (size_t)R) ||
        cm->sum_double(cm->ctx, res->mfe_t, (size_t)R * (size_t)res->mfe_capacity) ||
        cm->sum_double(cm->ctx, res->mfe_size, (size_t)R * (size_t)res->mfe_capacity) ||
        cm->sum_double(cm->ctx, &cpu, 1))
        rc = nlif_fail(err, NLIF_EIO, "mc: MPI reduction failed");
    if (!rc && sh->rank == 0) {
        res->cpu_seconds = cpu; /* CPU time of every process */
        for (int r = 0; r < R; r++) {
            realisation *q = &sh->rs[r];
            const long *l = L + (size_t)r * nl;
            memcpy(q->bin_spikes, l, nb * sizeof *l);
            memcpy(q->v_hist, l + nb, nv * sizeof *l);
            memcpy(q->w_hist, l + nb + nv, nw * sizeof *l);
            q->final_spikes = l[nb + nv + nw];
            q->n_mfe = (int)l[nb + nv + nw + 1];
            q->runaway = (int)l[nb + nv + nw + 2];
            q->full_passes = l[nb + nv + nw + 3];
            const double *d = D + (size_t)r * nd;
            for (int s = 0; s < NLIF_MAX_SNAPSHOTS; s++)
                q->snap_taken[s] = d[s];
            q->runaway_t = d[NLIF_MAX_SNAPSHOTS];
            q->max_cascade = d[NLIF_MAX_SNAPSHOTS + 1];
        }
    }
    free(L);
    free(D);
    return rc;
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

int nlif_mc_run(const nlif_case *cs, const nlif_mc_config *cfg0, nlif_mc_result *res, nlif_error *err)
{
    memset(res, 0, sizeof *res);
    nlif_mc_config cfg = *cfg0;
    if (cfg.particles < 1 || cfg.realisations < 1 || !(cfg.dt > 0) || cfg.threads < 1)
        return nlif_fail(err, NLIF_EINVAL, "mc: need particles >= 1, realisations >= 1, dt > 0, threads >= 1 "
                                           "(got %ld, %d, %g, %d)", cfg.particles, cfg.realisations, cfg.dt, cfg.threads);
    if (cfg.v_bins <= 0)
        cfg.v_bins = 600;
    if (cfg.w_bins <= 0)
        cfg.w_bins = 100;
    if (cfg.mfe_capacity <= 0)
        cfg.mfe_capacity = 4096;
    if (cfg.runaway_factor <= 0)
        cfg.runaway_factor = 2;
    if (!(cfg.bin_width > 0))
        cfg.bin_width = cs->run.rate_window;
    double t0_cpu = cpu_now(), t0_wall = wall_now();
    const int R = cfg.realisations;
    res->realisations = R;
    res->particles = cfg.particles;
    res->dt = cfg.dt;
    res->t_final = cs->run.t_final;
    /* counts are range-checked in double before they become integers (a bin count of 0 would
     * index bin_spikes[-1]; one beyond int would wrap) */
    double steps = cs->run.t_final / cfg.dt, bins = ceil(cs->run.t_final / cfg.bin_width - 1e-9);
    if (!(steps <= 1e15) || !(bins <= INT_MAX / 2))
        return nlif_fail(err, NLIF_EINVAL, "mc: t_final = %g gives %.3g steps of dt = %g and %.3g bins of width %g "
                                           "(allowed: at most 1e15 steps and %d bins)", cs->run.t_final, steps, cfg.dt,
                         bins, cfg.bin_width, INT_MAX / 2);
    res->steps = lround(steps);
    if (fabs(res->steps * cfg.dt - cs->run.t_final) > 1e-9 * cs->run.t_final)
        return nlif_fail(err, NLIF_EINVAL, "mc: dt = %g does not divide t_final = %g", cfg.dt, cs->run.t_final);
    int split = 1; /* processes per realisation */
    if (cfg.particles_per_rank > 0 && cfg.particles_per_rank < cfg.particles) {
        long g = (cfg.particles + cfg.particles_per_rank - 1) / cfg.particles_per_rank;
        int have = cfg.comm ? cfg.comm->size : 1;
        if (g > have)
            return nlif_fail(err, NLIF_EINVAL, "mc: %ld particles at most %ld per process need %ld processes per "
                             "realisation (have %d; run bin/nlif-mpi under mpirun -np %ld or more)",
                             cfg.particles, cfg.particles_per_rank, g, have, g);
        if (cs->structure.enabled)
            return nlif_fail(err, NLIF_EINVAL, "mc: --particles-per-rank splits 1D networks only (%s is structured)",
                             cs->name);
        split = (int)g;
    }
    res->bin_width = cfg.bin_width;
    res->nbins = bins < 1 ? 1 : (int)bins;
    res->mfe_capacity = cfg.mfe_capacity;
    res->n_snap = cs->run.n_snapshots;
    memcpy(res->snap_t, cs->run.snapshots, sizeof res->snap_t);
    res->v_bins = cfg.v_bins;
    res->v_lo = cs->model.v_min;
    res->v_hi = cs->model.v_f;
    if (cs->structure.enabled) {
        res->w_bins = cfg.w_bins;
        res->w_lo = cs->structure.w_min;
        res->w_hi = cs->structure.w_max;
    }
    size_t nb = (size_t)res->nbins, ns = (size_t)(res->n_snap ? res->n_snap : 1);
    res->t_mid = calloc(nb, sizeof(double));
    res->rate_mean = calloc(nb, sizeof(double));
    res->rate_se = calloc(nb, sizeof(double));
    res->l1_loo = calloc((size_t)cfg.realisations, sizeof(double));
    res->cum_mean = calloc(nb, sizeof(double));
    res->cum_se = calloc(nb, sizeof(double));
    res->mfe_count = calloc((size_t)R, sizeof(int));
    res->mfe_t = calloc((size_t)R * (size_t)cfg.mfe_capacity, sizeof(double));
    res->mfe_size = calloc((size_t)R * (size_t)cfg.mfe_capacity, sizeof(double));
    res->v_density = calloc(ns * (size_t)res->v_bins, sizeof(double));
    res->v_cdf = calloc(ns * (size_t)(res->v_bins + 1), sizeof(double));
    res->w_density = calloc(ns * (size_t)(res->w_bins ? res->w_bins : 1), sizeof(double));
    realisation *rs = calloc((size_t)R, sizeof *rs);
    int ok = res->t_mid && res->rate_mean && res->rate_se && res->l1_loo && res->cum_mean && res->cum_se && res->mfe_count &&
             res->mfe_t && res->mfe_size && res->v_density && res->v_cdf && res->w_density && rs;
    for (int r = 0; ok && r < R; r++) {
        rs[r].bin_spikes = calloc(nb, sizeof(long));
        rs[r].v_hist = calloc(ns * (size_t)(res->v_bins + 2), sizeof(long));
        rs[r].w_hist = calloc(ns * (size_t)(res->w_bins ? res->w_bins : 1), sizeof(long));
        rs[r].mfe_t = res->mfe_t + (size_t)r * cfg.mfe_capacity;
        rs[r].mfe_size = res->mfe_size + (size_t)r * cfg.mfe_capacity;
        for (int s = 0; s < NLIF_MAX_SNAPSHOTS; s++)
            rs[r].snap_taken[s] = -1;
        ok = rs[r].bin_spikes && rs[r].v_hist && rs[r].w_hist;
    }
    nlif_density vd = {0}, wd = {0};
    int rc = NLIF_OK, have_vd = 0, have_wd = 0;
    if (!ok)
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
        sh.rank = cfg.comm ? cfg.comm->rank : 0;
        sh.size = cfg.comm ? cfg.comm->size : 1;
        if (split > 1) { /* groups of `split` processes; realisations over the groups */
            sh.group = cfg.comm->group(cfg.comm->ctx, split);
            sh.rank = cfg.comm->rank / split;
            sh.size = cfg.comm->size / split;
            if (!sh.group) /* one of the last size mod split processes: no work */
                sh.rank = R;
        }
        sh.next = sh.rank;
        sh.local = sh.rank < R ? (R - sh.rank + sh.size - 1) / sh.size : 0;
        pthread_mutex_init(&sh.lock, NULL);
        int nt = cfg.threads < sh.local ? cfg.threads : (sh.local > 0 ? sh.local : 1);
        if (sh.group) /* the group's collectives come in step order: one realisation at a time */
            nt = 1;
        pthread_t tid[64];
        if (nt > 64)
            nt = 64;
        sh.particle_threads = cfg.threads / nt;
        int started = 0;
        for (int i = 1; i < nt; i++)
            if (pthread_create(&tid[i], NULL, worker, &sh) == 0)
                started = i;
            else
                break;
        worker(&sh);
        for (int i = 1; i <= started; i++)
            pthread_join(tid[i], NULL);
        pthread_mutex_destroy(&sh.lock);
        if (cfg.progress)
            fprintf(stderr, "\n");
        for (int r = 0; r < R && !rc; r++)
            if (rs[r].status) {
                *err = rs[r].err;
                rc = rs[r].status;
            }
        if (cfg.comm) { /* every process learns whether any failed, then the raw data go to rank 0 */
            int any = rc;
            if (cfg.comm->max_int(cfg.comm->ctx, &any))
                rc = rc ? rc : nlif_fail(err, NLIF_EIO, "mc: MPI failed while agreeing on the status");
            else if (any && !rc)
                rc = nlif_fail(err, any, "mc: a realisation failed on another process (its message is above)");
            if (!rc) {
                res->cpu_seconds = cpu_now() - t0_cpu;
                rc = gather(&sh, err);
            }
        }
        if (!rc && sh.rank == 0)
            rc = reduce(&sh, err);
    }
    if (have_vd)
        nlif_density_free(&vd);
    if (have_wd)
        nlif_density_free(&wd);
    for (int r = 0; rs && r < R; r++) {
        free(rs[r].bin_spikes);
        free(rs[r].v_hist);
        free(rs[r].w_hist);
    }
    free(rs);
    if (!cfg.comm) /* with processes: the sum over them, set in gather() */
        res->cpu_seconds = cpu_now() - t0_cpu;
    res->wall_seconds = wall_now() - t0_wall;
    if (rc)
        nlif_mc_result_free(res);
    return rc;
}
