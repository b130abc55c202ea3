/* montecarlo.h — the Monte Carlo reference: R independent realisations of the particle network of
 * particles.h (MATHEMATICS.md §1.1, §6), run in parallel with pthreads and aggregated in realisation order,
 * so that the result is bit-identical for any thread count — and, through an nlif_mc_comm, for any
 * number of processes (MATHEMATICS.md §1.1, "Monte Carlo over processes").
 *
 * Realisation r uses the Philox stream (seed, stream = r). Aggregates:
 *   - N(t) on bins of width bin_width: mean and standard error over realisations (rate in the
 *     voltage clock: spikes / (N_p · bin_width/ε));
 *   - cumulative firing E(t) = spikes so far / N_p at each bin end (mean, SE);
 *   - the MFE list of each realisation: steps whose cascade K / N_p ≥ mfe_level, (time, size);
 *     per MFE index k: count of realisations that have it, mean, 95% confidence interval of the mean
 *     (mean ± 1.96 SE, "ci95") and the 2.5–97.5% spread across realisations ("q95"), of time and size;
 *   - voltage histograms on [V_min, V_F] (and the fraction below V_min) and the pooled empirical CDF
 *     at the bin edges, at each snapshot time; weight histograms for structured cases;
 *   - rate_final: mean rate over the last tenth of the run, mean over realisations and SE (R ≥ 2:
 *     across realisations; R = 1: batch means over the bins of the last tenth).
 */
#ifndef NLIF_MONTECARLO_H
#define NLIF_MONTECARLO_H

#include "../core/nlif_error.h"
#include "../core/nlif_model.h"
#include "particles.h"

#include <stdint.h>

/* A communicator for a run spread over processes (MATHEMATICS.md §1.1, "Monte Carlo over processes").
 * Process `rank` of `size` runs the realisations r with r mod size = rank; the raw per-realisation
 * data (integer counts and doubles, zero for the realisations another process ran) are then summed
 * into rank 0, which aggregates them in realisation order exactly as a single process does. The
 * serial build never sets one (NULL: one process). The only implementation is the MPI one
 * (cli/main_mpi.c, bin/nlif-mpi); montecarlo.c itself calls no MPI. */
typedef struct nlif_mc_comm {
    int rank, size;
    void *ctx;
    /* Element-wise sum over the processes into rank 0's buffer (other ranks' buffers: unspecified
     * afterwards). Each element is nonzero on at most one process, so the sum is exact. 0 or an
     * nlif error code. */
    int (*sum_long)(void *ctx, long *buf, size_t n);
    int (*sum_double)(void *ctx, double *buf, size_t n);
    /* The largest of the processes' values, on every process (the agreed status of a phase). */
    int (*max_int)(void *ctx, int *value);
    /* Split the processes into consecutive groups of g (collective): the group of this process, or
     * NULL for the last size mod g processes, which form none. */
    const nlif_particles_group *(*group)(void *ctx, int g);
    /* End the whole job after printing msg (a failure that the other processes of a group cannot
     * learn of without waiting for this one forever). */
    void (*abort)(void *ctx, const char *msg);
    const char *name;   /* e.g. "Open MPI v4.1.4" (provenance) */
} nlif_mc_comm;

/* The communicator the MPI program installs at start-up (NULL in bin/nlif). */
extern const nlif_mc_comm *nlif_mc_world;

typedef struct nlif_mc_config {
    long particles;      /* N_p */
    int realisations;    /* R */
    double dt;           /* Δt (learning time for structured cases) */
    uint64_t seed;
    int threads;         /* ≥ 1: realisations run in parallel; when R < threads, each realisation's
                            particle pass gets threads / R of them (same bits either way) */
    nlif_simd simd;      /* particle-kernel path (AUTO: the best of this CPU) */
    int bridge;          /* Brownian-bridge correction (Choice, default on) */
    int jitter;          /* initial sampling: randomised stratified quantiles (1) or midpoints (0) */
    double bin_width;    /* output bins of N(t) (≤ 0: the case's rate_window) */
    int v_bins;          /* voltage histogram bins on [V_min, V_F] (≤ 0: 600) */
    int w_bins;          /* weight histogram bins (≤ 0: 100) */
    double runaway_factor; /* convention B: runaway when a step has > factor·N_p spikes (≤ 0: 2) */
    int mfe_capacity;    /* MFEs stored per realisation (≤ 0: 4096; further ones are counted) */
    int progress;        /* progress on stderr */
    double rate_from;    /* start of the window of rate_final (< 0: 0.9 t_final, the last tenth) */
    long particles_per_rank; /* > 0 and < particles: each realisation's particles are split over
                                g = ⌈particles / particles_per_rank⌉ processes (1D networks; needs a
                                comm with at least g processes). ≤ 0: no split */
    const nlif_mc_comm *comm; /* NULL: one process. Otherwise the result is complete on rank 0 only
                                 (same bits as one process); other ranks get the run's status */
} nlif_mc_config;

/* Defaults from the case's [run] section (particles, realisations, mc_dt, seed), 1 thread. */
void nlif_mc_config_from_case(nlif_mc_config *c, const nlif_case *cs);

typedef struct nlif_mc_mfe_stats {
    int count;                        /* realisations having this MFE */
    double t_mean, t_se, t_ci95[2], t_q95[2];
    double size_mean, size_se, size_ci95[2], size_q95[2];
} nlif_mc_mfe_stats;

typedef struct nlif_mc_result {
    int realisations;
    long particles;
    double dt, t_final;
    long steps;
    /* N(t) and E(t) */
    int nbins;
    double bin_width;
    double *t_mid, *rate_mean, *rate_se, *cum_mean, *cum_se; /* cum at the bin's end */
    double rate_final_mean, rate_final_se;
    /* The spread between realisations: l1_loo[r] = ∫|N_r − N̄_{−r}| dt over the bins, N̄_{−r} the mean
     * of the other R − 1 realisations; l1_loo_mean their mean (R ≥ 2; else 0). */
    double *l1_loo, l1_loo_mean;
    double rate_from;          /* rate_final averages over [rate_from, t_final] */
    /* MFEs */
    int *mfe_count;            /* per realisation (may exceed mfe_capacity) */
    double *mfe_t, *mfe_size;  /* [r * mfe_capacity + k] */
    int mfe_capacity;
    int n_mfe_index;           /* max over realisations of min(count, capacity) */
    nlif_mc_mfe_stats *mfe;
    /* snapshots */
    int n_snap;
    double snap_t[NLIF_MAX_SNAPSHOTS];      /* requested times */
    double snap_taken[NLIF_MAX_SNAPSHOTS];  /* the step end at which it was taken */
    int v_bins;
    double v_lo, v_hi;
    double *v_density;  /* [s * v_bins + j]: pooled density on bin j */
    double *v_cdf;      /* [s * (v_bins + 1) + j]: pooled empirical CDF at edge j */
    double v_below[NLIF_MAX_SNAPSHOTS], v_above[NLIF_MAX_SNAPSHOTS]; /* fraction < V_min, ≥ V_F */
    int w_bins;         /* 0 unless structured */
    double w_lo, w_hi;
    double *w_density;  /* [s * w_bins + j] */
    /* failures */
    int runaways;          /* realisations stopped by a runaway cascade (convention B) */
    double runaway_t_first;
    double max_spikes_step_fraction; /* largest single-step cascade K/N_p seen */
    long full_passes;      /* cascades that outgrew the near list (diagnostic) */
    double cpu_seconds, wall_seconds;
    nlif_simd simd;        /* the particle-kernel path that ran (provenance only: results do not depend on it) */
    /* two populations (montecarlo_ei.c, MATHEMATICS.md §1.6): the bins and rate_final above are E's,
     * these I's; no voltage histograms (n_snap = 0) and no MFE list */
    int two;
    double rate_final_mean_i, rate_final_se_i;
} nlif_mc_result;

/* The two-population network (montecarlo_ei.c), called by nlif_mc_run with the result's sizes set. */
int nlif_mc_ei_run(const nlif_case *cs, const nlif_mc_config *cfg, nlif_mc_result *res, nlif_error *err);

int nlif_mc_run(const nlif_case *cs, const nlif_mc_config *cfg, nlif_mc_result *res, nlif_error *err);
void nlif_mc_result_free(nlif_mc_result *res);

#endif
