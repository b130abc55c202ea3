/* particles.h — the particle kernel of nlif: a finite NNLIF network of N_p neurons (MATHEMATICS.md §1.1,
 * §1.2), shared by the Monte Carlo reference (montecarlo.h) and the micro phase of Scheme 2.
 *
 * One step of length Δt (learning time t; the voltage clock runs at rate 1/ε, Δs = Δt/ε, ε = 1 for
 * the 1D model):
 *   1. Euler–Maruyama  V_i ← V_i + (−V_i + I(t)) Δs + sqrt(2 a(N̂) Δs) ξ_i,  a(N̂) = a0 + a1 N̂,
 *      N̂ the windowed empirical rate of the previous steps (rate in the voltage clock);
 *   2. Brownian-bridge correction (Choice, default on): a particle that stayed below V_F (x0 → x1)
 *      fires with probability exp(−(V_F − x0)(V_F − x1) / (a Δs)) (Gobet 2000);
 *   3. exact in-step cascade: every spike kicks neuron i by w_i / N_p (w_i ≡ b in 1D). With
 *      x_i = N_p (V_F − u_i) / w_i the number of spikes neuron i needs, the fired set is the
 *      smallest fixed point K = k0 + #{i : x_i ≤ K} (monotone). Only particles with x_i below an
 *      adaptive cap (a few times the last cascade) are collected during the Euler pass and ordered
 *      (the "near list"); a full pass happens only when the cascade outgrows the cap (MFEs).
 *      Convention A: fired neurons sit at V_R, the others get +w_i K / N_p.
 *      Convention B: a neuron fired in generation g (cumulative spike count c_g at the end of that
 *      generation) is reset and receives the later kicks, landing at V_R + w_i (K − c_g) / N_p; it
 *      fires again if that reaches V_F. More than runaway_factor·N_p spikes in one step is reported
 *      as NLIF_PARTICLES_RUNAWAY (the step stops; the state is then not meaningful).
 *   4. learning (structured): linear w ← w* + (w − w*) e^{−rΔt} (exact), hebbian
 *      w ← w + Δt (α N̂ R_w − β w) with R_w the windowed rate of the particle's weight class
 *      (below the ρ floor: the quasi-static rate 𝒩(wN̂ + I)); w clipped to [w_min, w_max].
 * The instantaneous kick of the input (all voltages + Δv at t0) is applied at the start of the
 * step whose interval (t, t + Δt] contains t0, and resolved by its own cascade in that step.
 *
 * Random numbers: Philox4x32-10 (Random123) keyed by the seed, counter (particle/4, step, stream,
 * draw): the result is bit-identical whatever the thread or process split. Gaussians by a 128-layer
 * ziggurat (Marsaglia–Tsang, Doornik's ZIGNOR layout), one 32-bit Philox word per particle (24 bits
 * uniform + 7 bits layer, as GSL's ziggurat on 32-bit generators); the bridge uniform (53 bits) is
 * drawn from its own counter only for particles that end a step near V_F.
 *
 * The streaming pass of a step (steps 1–2 and the collection of the lists of step 3) runs on a SIMD
 * path chosen at allocation (AVX-512, AVX2 or scalar; params.simd) and, with params.threads > 1, on
 * contiguous particle ranges in parallel; every path and thread count gives the same bits
 * (MATHEMATICS.md §1.1, "The particle kernel").
 *
 * The object is allocated once; stepping never allocates. The kicks of a cascade are applied lazily
 * (folded into the next Euler pass); nlif_particles_voltages() applies them before returning.
 */
#ifndef NLIF_PARTICLES_H
#define NLIF_PARTICLES_H

#include "../core/nlif_error.h"
#include "../core/nlif_model.h"
#include "../exact/nlif_density.h"

#include <stdint.h>

typedef struct nlif_particles nlif_particles;

/* Instruction-set path of the streaming pass (MATHEMATICS.md §1.1, "The particle kernel"): every path
 * gives the same bits. AUTO: the widest the CPU supports, chosen at run time. */
typedef enum nlif_simd { NLIF_SIMD_AUTO = 0, NLIF_SIMD_OFF, NLIF_SIMD_AVX2, NLIF_SIMD_AVX512 } nlif_simd;
#define NLIF_PARTICLES_MAX_THREADS 64

/* The processes that share one network's particles (MATHEMATICS.md §1.1, "Monte Carlo over
 * processes"): process `rank` of `size` steps the contiguous range [lo, hi) of nlif_particles_range;
 * the lists of the cascade are concatenated over the processes in rank order every step (the lists
 * of one pass, so every process resolves the same cascade). Collective: every process of the group
 * calls it with its own bytes; *all receives them concatenated in rank order, *total their length.
 * Communication failures are fatal (the implementation aborts the job). */
typedef struct nlif_particles_group {
    int rank, size;
    void *ctx;
    void (*allgather)(void *ctx, const void *mine, size_t bytes, void *all, size_t cap, size_t *total);
} nlif_particles_group;

/* Everything fixed for the life of the object. */
typedef struct nlif_particles_params {
    nlif_model model;          /* a0, a1, b, V_F, V_R, convention (V_min is not a wall for particles) */
    nlif_input input;          /* I(t) and the instantaneous kick */
    nlif_structure structure;  /* enabled = 0: 1D network, w_i ≡ b, ε = 1 */
    long n;                    /* N_p ≥ 1 */
    double dt;                 /* Δt > 0 (learning time when structured) */
    int bridge;                /* Brownian-bridge correction on/off */
    double rate_window;        /* W > 0 of the empirical rate N̂ (voltage clock) */
    uint64_t seed;             /* Philox key */
    uint32_t stream;           /* independent stream (e.g. realisation index) */
    double runaway_factor;     /* convention B: > factor·N_p spikes in a step = runaway (≤ 0: 2) */
    int hebbian_bins;          /* weight classes for R_w (≤ 0: 32) */
    nlif_simd simd;            /* streaming path (AUTO: the best this CPU has) */
    int threads;               /* threads of the streaming pass (≤ 1: the caller's only; networks with
                                  learning always run on one) */
    const nlif_particles_group *group; /* NULL: every particle here. Otherwise 1D networks only; the
                                  voltages outside this process's range are not maintained */
    int inverse_quantile;      /* initial sampling's quantile: 1 (the default) the inverse of Φ
                                  (nlif_density_quantiles_inverse), 0 the bisection's bits
                                  (nlif_density_quantiles): the same law, 7x slower */
} nlif_particles_params;

/* Status of a step (return value of nlif_particles_step when it is not an error code < 0). */
enum { NLIF_PARTICLES_OK = 0, NLIF_PARTICLES_RUNAWAY = 1 };

typedef struct nlif_particles_step_info {
    long spikes;          /* spikes in the step (all cascades; B counts refires) */
    long cascade;         /* largest single-instant cascade K of the step (MFE size = K / N_p) */
    long bridge_spikes;   /* of which fired by the bridge correction */
    long kick_spikes;     /* spikes of the instantaneous kick's cascade (0 if none this step) */
    int full_passes;      /* cascades that outgrew the near list (diagnostic) */
    int runaway;          /* 1: convention B cascade ran away (state frozen at detection) */
} nlif_particles_step_info;

/* 1 if this CPU (and OS) can run the path; the best such path; its name ("off", "avx2", "avx512");
 * parse a name (also "auto") — returns 0 and sets *out, or −1 for an unknown name. */
int nlif_simd_supported(nlif_simd s);
nlif_simd nlif_simd_best(void);
const char *nlif_simd_name(nlif_simd s);
int nlif_simd_parse(const char *name, nlif_simd *out);

/* Zero-filled parameters with the defaults (bridge on, runaway_factor 2, 32 hebbian bins, the inverse
 * quantile). */
void nlif_particles_params_defaults(nlif_particles_params *p);
/* The defaults, then the case's network: model, input, structure, N_p = run.particles, Δt = run.mc_dt,
 * rate_window, seed (callers override what they run differently). */
void nlif_particles_params_from_case(nlif_particles_params *p, const nlif_case *cs);
/* Fails with NLIF_EINVAL when p->simd names a path this CPU lacks. */
int nlif_particles_alloc(nlif_particles **ps, const nlif_particles_params *p, nlif_error *err);
void nlif_particles_free(nlif_particles *ps);

/* Set the clock: time t and step index k (the step index is part of the random counter). */
void nlif_particles_set_time(nlif_particles *ps, double t, uint64_t step_index);
/* Voltages from a law by stratified quantiles v_i = Q((i + u_i)/N_p): jitter = 0 gives u_i = 1/2
 * (deterministic), jitter = 1 draws u_i uniform from the stream (randomised stratification). Only this
 * process's range is drawn, on params.threads threads (slices of ≥ 4096): the same bits for any count.
 * Q is nlif_density_quantiles_inverse (params.inverse_quantile, the default), or the bisection's bits
 * of nlif_density_quantile (MATHEMATICS.md §1.1, "Initial sampling"). */
void nlif_particles_sample_voltages(nlif_particles *ps, const nlif_density *d, int jitter);
/* Weights from ρ0(w), stratified along a rank-1 lattice permutation of the particles so that
 * weights are not correlated with the voltage order (structured networks only; no-op otherwise);
 * threads as for the voltages. */
void nlif_particles_sample_weights(nlif_particles *ps, const nlif_density *dw, int jitter);
/* Copy voltages (and weights, may be NULL) in; n must equal N_p. Clears the rate window. */
int nlif_particles_set_voltages(nlif_particles *ps, const double *v, const double *w, long n, nlif_error *err);

/* One step of Δt. Returns NLIF_PARTICLES_OK or NLIF_PARTICLES_RUNAWAY (info->runaway set). */
int nlif_particles_step(nlif_particles *ps, nlif_particles_step_info *info);

/* The cascade alone on the current voltages (no Euler step, no randomness): every neuron at or above
 * V_F fires and the cascade is resolved as in a step. For tests and for instantaneous inputs.
 * *k_out = spikes, fired[] (optional, length N_p) = number of times each neuron fired. */
int nlif_particles_cascade_now(nlif_particles *ps, long *k_out, int *fired);

/* A refractory period (params.model.tau_ref > 0, MATHEMATICS.md §1.5; particles_refractory.c): hold each
 * neuron of this range with probability r0 for an Exp(mean τ_R) wait (the initial refractory mass;
 * call after sampling the voltages, at the start time); the count of neurons held in this range; the
 * release time of every neuron (< 0: not held; a held neuron's voltage is not meaningful), NULL
 * without a refractory period. */
void nlif_particles_refractory_init(nlif_particles *ps, double r0);
long nlif_particles_refractory_count(const nlif_particles *ps);
const double *nlif_particles_release(const nlif_particles *ps);
/* The particles this process steps: [*lo, *hi) (all of them without a group). */
void nlif_particles_range(const nlif_particles *ps, long *lo, long *hi);
/* The streaming path in use (never AUTO; OFF for networks with learning, whose pass is scalar). */
nlif_simd nlif_particles_simd(const nlif_particles *ps);
/* Windowed empirical rate N̂ (spikes per neuron per unit voltage-clock time over the last W). */
double nlif_particles_rate(const nlif_particles *ps);
/* Current voltages (pending cascade kicks applied first) — N_p values, of which only those of
 * nlif_particles_range are meaningful when the particles are split over processes. */
const double *nlif_particles_voltages(nlif_particles *ps);
/* Weights (NULL for a 1D network). */
const double *nlif_particles_weights(const nlif_particles *ps);

/* Building blocks exposed for the benchmark and tests. */
/* The 4 standard normals of Philox block (block, c1, c2) under key seed (particles 4·block..+3 of
 * step c1, stream c2): one 32-bit word each through the ziggurat. */
void nlif_philox_gaussians(uint64_t seed, uint32_t block, uint32_t c1, uint32_t c2, double out[4]);
/* The random numbers of particles first … first+n−1 at step `step`, stream `stream`, as the pass of
 * path simd draws them (every path gives the same bits): their Philox words into words and their
 * standard normals into xi (either may be NULL; with xi NULL the Gaussians are not computed, so that
 * the benchmark can time the two stages apart). first a multiple of 4. Returns 0, or −1 if simd is
 * not supported here, first is not a multiple of 4, or memory ran out. */
int nlif_particles_gaussians(nlif_simd simd, uint64_t seed, uint32_t step, uint32_t stream, long first, long n,
                             uint32_t *words, double *xi);
/* The exponential of the vector paths' ziggurat wedge test (MATHEMATICS.md §1.1) on path simd (avx2
 * or avx512): out[j] = exp(a[j]) for |a[j]| ≤ 1, n a multiple of 8. info (may be NULL) receives the
 * premises of its use: [0] the largest |argument| the wedge test meets (from the ziggurat's table),
 * [1] the relative error the decision assumes of it, [2] the margin to 1 under which the scalar path
 * decides. Returns 0, or −1 (info still filled) if simd is not a vector path supported here or n is
 * not a multiple of 8. For the unit tests. */
int nlif_particles_wedge_exp(nlif_simd simd, const double *a, double *out, long n, double info[3]);
/* For the benchmark alone: what a kernel drawing one Philox4x32-10 word per particle-step cannot do
 * without, timed as the whole step. Level 1 replaces each normal by its word's ziggurat rectangle
 * value u·x_i whatever u (no acceptance test, no slow words: the distribution is wrong), level 2 by
 * u·√3 (no table either); 0 restores the kernel. The levels run a pass of their own in place of the
 * network's (reference/particles_bench.c): the kernel's passes have no benchmark branch. Returns 0, or
 * −1 if level is not 0, 1 or 2 or the network's path is not avx2 or avx512. */
int nlif_particles_bench_bound(nlif_particles *ps, int level);
/* The ziggurat's 129 abscissae x_0 … x_128 (x_1 = R, x_128 = 0; MATHEMATICS.md §1.1), stored constants. */
const double *nlif_particles_ziggurat_table(void);
/* The logarithm the ziggurat's tail uses (a fixed sequence of IEEE-754 operations, the same bits on
 * every machine): out[j] = log(x[j]) for positive normal x[j]. For the unit tests. */
void nlif_particles_tail_log(const double *x, double *out, long n);
/* Bridge crossing probability of a path x0 → x1 (both < V_F) over Δs with noise a. */
double nlif_bridge_probability(double v_f, double x0, double x1, double a, double ds);

#endif
