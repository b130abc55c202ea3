/* montecarlo_ei.c — the Monte Carlo reference of the two-population model (MATHEMATICS.md §1.1, §1.6): R
 * realisations of a network of N_p excitatory and N_p inhibitory neurons, each realisation one
 * deterministic function of (seed, realisation), run in parallel and aggregated in realisation order,
 * so that the result is bit-identical for any thread count (and, through an nlif_mc_comm, any number
 * of processes: each realisation's raw data are nonzero on one process only and summed exactly).
 *
 * One step of length Δt, for each population α (its own noise a_α, input I_α, reset V_R,α):
 *   1. Euler–Maruyama V ← V + (−V + I_α(t)) Δt + sqrt(2 a_α Δt) ξ, ξ by Box–Muller from one Philox4x32
 *      block keyed by the seed, counter (particle, step, realisation, α);
 *   2. the Brownian-bridge correction: a particle that stayed below V_F (x0 → x1) fires with
 *      probability exp(−(V_F − x0)(V_F − x1)/(a_α Δt)) (the block's third word);
 *   3. the cross-cascade, excitation first (Choice): every E spike kicks E neurons by b_EE/N_p and I
 *      neurons by b_IE/N_p; the E neurons fired are the smallest fixed point
 *      K_E = k0_E + #{E : V + b_EE K_E/N_p ≥ V_F}, the I neurons those with V + b_IE K_E/N_p ≥ V_F (an I
 *      spike excites nobody: b_EI, b_II ≤ 0, so it cannot extend the cascade); then the fired neurons sit
 *      at their reset and every other neuron of α receives (b_αE K_E + b_αI K_I)/N_p (convention A).
 * Without MFEs (K/N_p → 0) the order of excitation and inhibition inside one step does not matter.
 * Aggregates: E's N(t) on bins (mean and SE over realisations; E(t) likewise) and each population's
 * rate over [rate_from, t_final] (rate_final: mean and SE across realisations, R ≥ 2). a1 > 0 is
 * refused here (the windowed empirical rate of one population is particles.c's). */
#include "montecarlo.h"

#include "../exact/nlif_density.h"
#include "../exact/nlif_exact.h"

#include <Random123/philox.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct ei_run {
    const nlif_case *cs;
    const nlif_mc_config *cfg;
    nlif_mc_result *res;
    double *q[2];          /* the initial quantiles of each population (N_p values) */
    double *final[2];      /* per realisation: spikes in the rate_final window / N_p */
    double *bins;          /* per realisation: E's spikes per bin [r * nbins + b] */
    int rank, size, next;
    pthread_mutex_t lock;
    int failed;
    nlif_error err;
} ei_run;

static double u32(uint32_t r) { return ((double)r + 0.5) * 0x1p-32; }

/* One realisation: 2 N_p voltages, stepped to t_final. */
static int realisation(ei_run *R, int r, double *v)
{
    const nlif_case *cs = R->cs;
    const nlif_model *m = &cs->model;
    long N = R->cfg->particles, steps = R->res->steps;
    double h = R->cfg->dt, a[2] = {m->a0, m->a0_i}, vr[2] = {m->v_r, m->v_r_i}, vf = m->v_f;
    double from = R->res->rate_from, bw = R->res->bin_width;
    unsigned char *fired = calloc(2 * (size_t)N, 1);
    if (!fired)
        return NLIF_ENOMEM;
    for (int al = 0; al < 2; al++)
        memcpy(v + al * N, R->q[al], N * sizeof *v);
    philox4x32_key_t key = {{(uint32_t)R->cfg->seed, (uint32_t)(R->cfg->seed >> 32)}};
    double spikes_final[2] = {0, 0}, *bins = R->bins + (size_t)r * R->res->nbins;
    for (long s = 0; s < steps; s++) {
        double t = s * h, k0[2] = {0, 0};
        for (int al = 0; al < 2; al++) {
            double in = al == 0 ? nlif_input_current(&cs->input, t) : m->i0_i, sd = sqrt(2 * a[al] * h);
            double *x = v + al * N;
            unsigned char *f = fired + al * N;
            for (long i = 0; i < N; i++) {
                philox4x32_ctr_t c = {{(uint32_t)i, (uint32_t)s, (uint32_t)r, (uint32_t)al}};
                philox4x32_ctr_t w = philox4x32(c, key);
                double g = sqrt(-2 * log(u32(w.v[0]))) * cos(2 * M_PI * u32(w.v[1]));
                double x0 = x[i], x1 = x0 + (-x0 + in) * h + sd * g;
                double e = (vf - x0) * (vf - x1) / (a[al] * h); /* beyond 745, exp(−e) is 0: no bridge draw */
                f[i] = x1 >= vf || (e < 745 && u32(w.v[2]) < exp(-e));
                x[i] = x1;
                k0[al] += f[i];
            }
        }
        /* the cascade, excitation first: K_E the smallest fixed point, then K_I */
        double KE = k0[0], KI = k0[1], prev = -1;
        while (KE != prev && m->b > 0) {
            prev = KE;
            double cnt = 0, shift = m->b * KE / N;
            for (long i = 0; i < N; i++)
                cnt += !fired[i] && v[i] + shift >= vf;
            KE = k0[0] + cnt;
        }
        for (long i = 0; i < N; i++) /* mark the cascade's E spikes, then I's */
            fired[i] |= m->b > 0 && v[i] + m->b * KE / N >= vf;
        for (long i = 0; i < N; i++)
            if (!fired[N + i] && v[N + i] + m->b_ie * KE / N >= vf)
                fired[N + i] = 1, KI++;
        for (int al = 0; al < 2; al++) {
            double kick = ((al ? m->b_ie : m->b) * KE + (al ? m->b_ii : m->b_ei) * KI) / N, *x = v + al * N;
            unsigned char *f = fired + al * N;
            for (long i = 0; i < N; i++)
                x[i] = f[i] ? vr[al] : x[i] + kick;
        }
        if (t >= from - 1e-9 * h)
            spikes_final[0] += KE, spikes_final[1] += KI;
        long b = (long)floor((t + 0.5 * h) / bw);
        bins[b < R->res->nbins ? b : R->res->nbins - 1] += KE;
    }
    free(fired);
    double span = R->res->t_final - from;
    R->final[0][r] = spikes_final[0] / (N * span), R->final[1][r] = spikes_final[1] / (N * span);
    return NLIF_OK;
}

static void *worker(void *arg)
{
    ei_run *R = arg;
    double *v = malloc(2 * (size_t)R->cfg->particles * sizeof *v);
    for (;;) {
        pthread_mutex_lock(&R->lock);
        int r = R->next;
        while (r < R->cfg->realisations && r % R->size != R->rank)
            r++;
        R->next = r + 1;
        int stop = R->failed || r >= R->cfg->realisations;
        pthread_mutex_unlock(&R->lock);
        if (stop)
            break;
        if (!v || realisation(R, r, v)) {
            pthread_mutex_lock(&R->lock);
            R->failed = 1;
            pthread_mutex_unlock(&R->lock);
            break;
        }
    }
    free(v);
    return NULL;
}

/* Mean and standard error of x[0..n) (SE 0 for n = 1). */
static void mean_se(const double *x, int n, double *mean, double *se)
{
    double s = 0, q = 0;
    for (int k = 0; k < n; k++)
        s += x[k];
    *mean = s / n;
    for (int k = 0; k < n; k++)
        q += (x[k] - *mean) * (x[k] - *mean);
    *se = n > 1 ? sqrt(q / (n - 1) / n) : 0.0;
}

/* The initial quantiles of population α: stratified midpoints of its initial law (the same for every
 * realisation; the noise makes the realisations independent from the first step on). */
static int quantiles(const nlif_case *cs, int al, long N, double *q, nlif_error *err)
{
    nlif_case one;
    nlif_density d;
    int rc = nlif_population_case(cs, al, &one, err);
    if (rc || (rc = nlif_density_init(&d, &one, err)))
        return rc;
    for (long i = 0; i < N; i++)
        q[i] = (i + 0.5) / N;
    nlif_density_quantiles(&d, q, q, N);
    nlif_density_free(&d);
    return NLIF_OK;
}

int nlif_mc_ei_run(const nlif_case *cs, const nlif_mc_config *cfg, nlif_mc_result *res, nlif_error *err)
{
    const nlif_model *m = &cs->model;
    if (m->a1 != 0 || m->a1_i != 0)
        return nlif_fail(err, NLIF_EINVAL, "mc: two populations with a1 > 0 are not supported");
    int R = cfg->realisations, nb = res->nbins;
    long N = cfg->particles;
    ei_run run = {.cs = cs, .cfg = cfg, .res = res, .rank = cfg->comm ? cfg->comm->rank : 0,
                  .size = cfg->comm ? cfg->comm->size : 1};
    pthread_mutex_init(&run.lock, NULL);
    double *raw = calloc(2 * (size_t)N + 2 * (size_t)R + (size_t)R * nb, sizeof *raw);
    res->two = 1;
    res->t_mid = malloc(nb * sizeof *res->t_mid), res->rate_mean = malloc(nb * sizeof *res->rate_mean);
    res->rate_se = malloc(nb * sizeof *res->rate_se), res->cum_mean = malloc(nb * sizeof *res->cum_mean);
    res->cum_se = malloc(nb * sizeof *res->cum_se), res->l1_loo = calloc(R, sizeof *res->l1_loo);
    res->mfe_count = calloc(R, sizeof *res->mfe_count);
    int rc = NLIF_OK;
    if (!raw || !res->t_mid || !res->rate_mean || !res->rate_se || !res->cum_mean || !res->cum_se || !res->l1_loo ||
        !res->mfe_count)
        rc = nlif_fail(err, NLIF_ENOMEM, "mc: two populations of %ld particles", N);
    if (!rc) {
        run.q[0] = raw, run.q[1] = raw + N, run.final[0] = raw + 2 * N, run.final[1] = run.final[0] + R;
        run.bins = run.final[1] + R;
        rc = quantiles(cs, 0, N, run.q[0], err);
        if (!rc)
            rc = quantiles(cs, 1, N, run.q[1], err);
    }
    if (!rc) {
        int nt = cfg->threads < R ? cfg->threads : R;
        pthread_t th[64];
        nt = nt > 64 ? 64 : nt < 1 ? 1 : nt;
        int started = 0;
        for (; started < nt; started++)
            if (pthread_create(&th[started], NULL, worker, &run))
                break;
        if (!started)
            worker(&run);
        for (int k = 0; k < started; k++)
            pthread_join(th[k], NULL);
        if (run.failed)
            rc = nlif_fail(err, NLIF_ENOMEM, "mc: a realisation of two populations ran out of memory");
    }
    size_t nraw = 2 * (size_t)R + (size_t)R * nb; /* each realisation's data are one process's: the sum is exact */
    if (!rc && cfg->comm && (rc = cfg->comm->sum_double(cfg->comm->ctx, run.final[0], nraw)))
        nlif_fail(err, rc, "mc: gathering the realisations");
    if (!rc) {
        mean_se(run.final[0], R, &res->rate_final_mean, &res->rate_final_se);
        mean_se(run.final[1], R, &res->rate_final_mean_i, &res->rate_final_se_i);
        double *col = malloc(R * sizeof *col), *cum = calloc(R, sizeof *cum);
        for (int b = 0; col && cum && b < nb; b++) {
            double w = fmin(res->bin_width, res->t_final - b * res->bin_width);
            for (int r = 0; r < R; r++)
                col[r] = run.bins[(size_t)r * nb + b] / (N * w), cum[r] += run.bins[(size_t)r * nb + b] / N;
            res->t_mid[b] = b * res->bin_width + 0.5 * w;
            mean_se(col, R, &res->rate_mean[b], &res->rate_se[b]);
            mean_se(cum, R, &res->cum_mean[b], &res->cum_se[b]);
        }
        if (!col || !cum)
            rc = nlif_fail(err, NLIF_ENOMEM, "mc: aggregates");
        free(col), free(cum);
    }
    res->n_snap = 0; /* no voltage histograms of two populations yet */
    free(raw);
    pthread_mutex_destroy(&run.lock);
    return rc;
}
