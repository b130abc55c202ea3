/* montecarlo_reduce.c — the Monte Carlo driver's aggregation (MATHEMATICS.md §1.1, §6; montecarlo.h
 * lists the aggregates): every realisation's raw data brought to rank 0 when the run is spread over
 * processes (an exact element-wise sum), then reduced in realisation order — N(t) and E(t) with their
 * standard errors, the leave-one-out spread, rate_final, the MFE statistics, the pooled voltage and
 * weight histograms and CDFs, the failures — so that the bits do not depend on threads or processes.
 */
#include "montecarlo_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* N(t) and E(t) per bin (mean and SE over realisations), the leave-one-out spread, and rate_final.
 * x: room for max(R, 16)·2 doubles; cum: R zeros. */
static void reduce_rates(shared *sh, double *x, double *cum)
{
    const nlif_mc_config *cfg = sh->cfg;
    nlif_mc_result *res = sh->res;
    const int R = cfg->realisations;
    const double np = (double)cfg->particles;
    const double eps = sh->cs->structure.enabled ? sh->cs->structure.epsilon : 1.0;
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
}

/* The MFE statistics per index k over the realisations that have it. x: room for R doubles. */
static int reduce_mfes(shared *sh, double *x, nlif_error *err)
{
    nlif_mc_result *res = sh->res;
    const int R = sh->cfg->realisations;
    int nidx = 0;
    for (int r = 0; r < R; r++) {
        res->mfe_count[r] = sh->rs[r].n_mfe;
        int c = sh->rs[r].n_mfe < res->mfe_capacity ? sh->rs[r].n_mfe : res->mfe_capacity;
        if (c > nidx)
            nidx = c;
    }
    res->n_mfe_index = nidx;
    res->mfe = calloc((size_t)(nidx ? nidx : 1), sizeof *res->mfe);
    if (!res->mfe)
        return nlif_fail(err, NLIF_ENOMEM, "mc: out of memory");
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
    return NLIF_OK;
}

/* Snapshot s: the voltage histograms pooled over realisations (density, CDF at the edges, the
 * fractions below V_min and at/above V_F) and the weight histograms. */
static void reduce_snapshot(shared *sh, int s)
{
    nlif_mc_result *res = sh->res;
    const int R = sh->cfg->realisations;
    const double np = (double)sh->cfg->particles;
    const double dvb = (res->v_hi - res->v_lo) / res->v_bins;
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

/* Runaways, the largest cascade, the full passes. */
static void reduce_failures(shared *sh)
{
    nlif_mc_result *res = sh->res;
    res->runaway_t_first = NAN;
    for (int r = 0; r < sh->cfg->realisations; r++) {
        if (sh->rs[r].runaway) {
            res->runaways++;
            if (!(sh->rs[r].runaway_t >= res->runaway_t_first))
                res->runaway_t_first = sh->rs[r].runaway_t;
        }
        if (sh->rs[r].max_cascade > res->max_spikes_step_fraction)
            res->max_spikes_step_fraction = sh->rs[r].max_cascade;
        res->full_passes += sh->rs[r].full_passes;
    }
}

int nlif_mc_reduce(shared *sh, nlif_error *err)
{
    const int R = sh->cfg->realisations;
    double *x = malloc((size_t)(R > 16 ? R : 16) * 2 * sizeof *x);
    double *cum = calloc((size_t)R, sizeof *cum);
    int rc = NLIF_OK;
    if (!x || !cum)
        rc = nlif_fail(err, NLIF_ENOMEM, "mc: out of memory");
    if (!rc) {
        reduce_rates(sh, x, cum);
        rc = reduce_mfes(sh, x, err);
    }
    if (!rc) {
        for (int s = 0; s < sh->res->n_snap; s++)
            reduce_snapshot(sh, s);
        reduce_failures(sh);
    }
    free(x);
    free(cum);
    return rc;
}

/* Bring every realisation's raw data to rank 0 (MATHEMATICS.md §1.1, "Monte Carlo over processes"):
 * each process packs the realisations it ran and zeros for the others; the element-wise sum is then
 * exact (x + 0 = x for every x but −0, and no value here is −0), so rank 0 holds the same raw data
 * as a single process and nlif_mc_reduce() gives the same bits. */
int nlif_mc_gather(shared *sh, nlif_error *err)
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

