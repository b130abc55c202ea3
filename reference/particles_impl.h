/* particles_impl.h — private to the particle kernel (reference/particles*.c; the public interface is
 * particles.h): the object's struct, the generator's table and counter layout, the context and the
 * lists of the streaming pass, and what the kernel's files share (MATHEMATICS.md §1.1, "The particle
 * kernel"). The kernel is split by concern:
 *   particles.c          the object: parameters, allocation, sampling, accessors, the SIMD names
 *   particles_random.c   the generator: Philox, the ziggurat (table, slow path, tail logarithm), the
 *                        bridge uniform, and the entry points of the random numbers for the tests
 *   particles_cascade.c  the exact in-step cascade (conventions A and B), the rate window, hebbian counts
 *   particles_step.c     one step: the scalar pass, the choice of the pass, learning, the step itself
 *   particles_avx2.c     the AVX2 path of the pass; particles_avx512.c the AVX-512 one
 *   particles_threads.c  the threads of the pass
 *   particles_bench.c    the benchmark's bound (a pass of its own, never the production pass)
 * Functions shared between these files carry the prefix nlif_pk_ and hidden visibility: they are
 * not part of the library's interface.
 */
#ifndef NLIF_PARTICLES_IMPL_H
#define NLIF_PARTICLES_IMPL_H

#include "particles.h"

#include <Random123/philox.h>
#include <math.h>
#include <stdint.h>

/* The vector paths on x86-64 with GCC or clang; NLIF_PORTABLE builds the scalar path alone (what
 * any other machine runs; make unit tests that build too). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(NLIF_PORTABLE)
#define NLIF_X86 1
#include <immintrin.h>
#else
#define NLIF_X86 0
#endif

/* Shared between the kernel's files, invisible outside the library. */
#define NLIF_PK_PRIVATE __attribute__((visibility("hidden")))

typedef struct near_entry {
    double x;   /* spikes needed to reach V_F: N_p (V_F − u) / w */
    int32_t i;
} near_entry;

typedef struct reset_entry { /* convention B: a neuron that fired in this cascade */
    double thr;  /* cumulative spike count at which it fires again */
    double c;    /* cumulative spike count at the end of its last firing generation */
    int32_t i;
    int32_t fires;
} reset_entry;

typedef struct pass_ctx pass_ctx;
typedef struct pass_out pass_out;
struct pass_pool;

/* A pass over the particles [lo, hi) (particles_step.c, "the streaming pass"). */
typedef void pass_fn(nlif_particles *ps, const pass_ctx *c, long lo, long hi, pass_out *o);

struct nlif_particles {
    nlif_particles_params p;
    nlif_simd simd;     /* the streaming path in use */
    int bench_bound;    /* nlif_particles_bench_bound's level (0: the kernel) */
    pass_fn *pass;      /* the pass of the path in use (the benchmark's bound swaps in its own) */
    struct pass_pool *pool; /* threads of the pass (NULL: the caller alone) */
    long n;
    long lo, hi;        /* the particles this process steps (all without a group) */
    char *gbuf;         /* group: this process's packed lists, then everyone's */
    size_t gmine, gall; /* their capacities */
    double ds;          /* voltage-clock step Δt/ε */
    double eps;
    double *v;          /* stored voltages: true voltage = v[i] + w_i · pk */
    double *w;          /* weights, NULL in 1D */
    double pk;          /* pending cascade kick per unit weight (K / N_p) */
    double t;
    uint64_t step;
    /* cascade workspace */
    int32_t *fired;     /* neurons at/above V_F before the cascade */
    near_entry *near;
    reset_entry *reset;
    long nf, m;
    double cap;         /* near list holds every x ≤ cap */
    long last_spikes;
    /* empirical rate */
    long *ring;
    int wsteps, ring_pos, ring_fill;
    long ring_sum;
    /* hebbian */
    int nb;
    long *hb_ring, *hb_sum, *hb_pop, *hb_pop_next, *hb_step;
    double *hb_rate;
    /* a synaptic delay of dsteps > 0 steps (MATHEMATICS.md §1.4): the spikes of step k kick every neuron
     * by delay_b / N_p at step k + dsteps (in its Euler drift), none in their own step (the cascade's
     * coupling p.model.b is 0); before the history runs out, the history rate's drift delay_b · N_h */
    int dsteps;
    long *dq;           /* spike counts of the last dsteps steps, a ring at dq_n mod dsteps */
    long dq_n;          /* steps recorded since the rate window was cleared */
    double delay_b, delay_hist;
    /* refractory clocks (particles_refractory.c): release time of each held neuron (< 0: active), the
     * held neurons of this range, their count; NULL without a refractory period */
    double *release;
    int32_t *rlist;
    long nr;
};

/* ---------------------------------------------------------------- the generator (particles_random.c) */

#define ZIG_C 128
#define ZIG_R 3.442619855899
/* The layers' abscissae x_0 … x_128 (stored constants), the rectangle ratios r_i = x_{i+1}/x_i and
 * their integer thresholds t_i = ⌈r_i·2^24⌉ (computed once by nlif_pk_zig_ready). */
NLIF_PK_PRIVATE extern const double nlif_pk_zig_x[ZIG_C + 1];
NLIF_PK_PRIVATE extern double nlif_pk_zig_r[ZIG_C];
NLIF_PK_PRIVATE extern _Alignas(64) int32_t nlif_pk_zig_t[ZIG_C];
/* The vector paths' wedge test ("The ziggurat's first wedge test in vectors", particles_random.c): the
 * relative error it assumes of its exponential, and the margin to 1 within which the scalar code decides. */
#define ZIG_EXP_ERR 1e-13
#define ZIG_MARGIN 1e-9
/* Compute the thresholds (once; every entry point that draws calls it). */
NLIF_PK_PRIVATE void nlif_pk_zig_ready(void);

static inline philox4x32_ctr_t philox_block(const philox4x32_key_t *key, uint32_t c0, uint32_t c1, uint32_t c2,
                                            uint32_t c3)
{
    philox4x32_ctr_t c = {{c0, c1, c2, c3}};
    return philox4x32(c, *key);
}

/* (0, 1) from 32 bits and from 53 bits. */
static inline double u32(uint32_t r) { return ((double)r + 0.5) * 0x1p-32; }
static inline double u53(uint32_t hi, uint32_t lo)
{
    return ((double)(((uint64_t)hi << 21) ^ (uint64_t)(lo >> 11)) + 0.5) * 0x1p-53;
}

static inline philox4x32_key_t key_of(uint64_t seed)
{
    philox4x32_key_t k = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
    return k;
}

/* Counter layout (c0, c1, c2, c3):
 *   (particle/4, step, stream, 0)            the Gaussian words of particles 4j..4j+3
 *   (particle, step, stream, 1, 2, ...)      ziggurat slow path
 *   (particle, step, stream, BRIDGE_DRAW)    the bridge uniform (drawn only near threshold)
 *   (particle, 0xFFFFFFFF/E, stream, 0x100/1) initial sampling jitter */
#define BRIDGE_DRAW 0x80000000u

/* Slow path of the ziggurat: wedges and tail, from block `draw` with the point (u, i); first: block
 * `draw` when already computed, else NULL (particles_random.c). */
NLIF_PK_PRIVATE double nlif_pk_zig_slow(const philox4x32_key_t *key, uint32_t c0, uint32_t c1, uint32_t c2,
                                        double u, int i, uint32_t draw, const philox4x32_ctr_t *first);

/* Standard normal from one 32-bit word: 24 bits of uniform, 7 bits of layer (the layout of GSL's
 * gsl_ran_gaussian_ziggurat on 32-bit generators). Words of a Philox block serve 4 particles; the
 * rare slow path draws fresh blocks keyed by the particle itself (c0 = particle, c3 ≥ 1). */
static inline double zig_u(uint32_t word) { return ((double)(word >> 8) + 0.5) * 0x1p-23 - 1.0; }

static inline double zig_gauss(const philox4x32_key_t *key, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t word)
{
    double u = zig_u(word);
    int i = (int)(word & (ZIG_C - 1));
    if (fabs(u) < nlif_pk_zig_r[i])
        return u * nlif_pk_zig_x[i];
    return nlif_pk_zig_slow(key, c0, c1, c2, u, i, 1, NULL);
}

/* The rare path of the bridge test (particles_random.c), out of line so that the hot loop keeps its
 * registers: 1 with probability exp(−e). */
NLIF_PK_PRIVATE __attribute__((noinline)) int nlif_pk_bridge_fires(const philox4x32_key_t *key, uint32_t i,
                                                                   uint32_t c1, uint32_t c2, double e);

/* ---------------------------------------------------------------- the object (particles.c) */

static inline double weight(const nlif_particles *ps, long i) { return ps->w ? ps->w[i] : ps->p.model.b; }

/* The weight class of w (hebbian learning). */
static inline int wbin(const nlif_particles *ps, double w)
{
    const nlif_structure *st = &ps->p.structure;
    double span = st->w_max - st->w_min;
    int b = span > 0 ? (int)((w - st->w_min) / span * ps->nb) : 0;
    return b < 0 ? 0 : (b >= ps->nb ? ps->nb - 1 : b);
}

/* Apply the pending cascade kick to the stored voltages. */
NLIF_PK_PRIVATE void nlif_pk_flush(nlif_particles *ps);

/* ---------------------------------------------------------------- refractory clocks (particles_refractory.c) */

/* The arrays of the clocks when the model has τ_R > 0; 1 on success (or nothing to do). */
NLIF_PK_PRIVATE int nlif_pk_refractory_alloc(nlif_particles *ps);
/* Refuse a refractory period outside the 1D network under convention A without a kick. */
NLIF_PK_PRIVATE int nlif_pk_refractory_refuse(const nlif_particles_params *p, nlif_error *err);
/* After a step's cascade, at its end time: release the due, hold the fired. */
NLIF_PK_PRIVATE void nlif_pk_refractory_step(nlif_particles *ps, double t_end);

/* ---------------------------------------------------------------- the cascade (particles_cascade.c) */

/* Group: replace this range's lists by everyone's; returns the bridge count summed likewise. */
NLIF_PK_PRIVATE long nlif_pk_merge(nlif_particles *ps, long nbridge);
/* Rebuild the fired and near lists from the true voltages in v (pk = 0) with a given cap. */
NLIF_PK_PRIVATE void nlif_pk_collect(nlif_particles *ps, double cap);
/* Cascade of whatever is at/above V_F now, lists already collected. Returns spikes. */
NLIF_PK_PRIVATE long nlif_pk_cascade_lists(nlif_particles *ps, int *runaway);
/* The rate window and the hebbian classes' window, one step's spikes in. */
NLIF_PK_PRIVATE void nlif_pk_record_rate(nlif_particles *ps, long spikes);
NLIF_PK_PRIVATE void nlif_pk_hebbian_record(nlif_particles *ps);

/* ---------------------------------------------------------------- the streaming pass (particles_step.c) */

struct pass_ctx {
    philox4x32_key_t key;
    uint32_t c1, c2;
    double input, ds, sq, inv_ads, pk, b, vf, np, cap, dt, rate, lin_decay;
    int bridge, rule;
    double *v, *w;
};

struct pass_out {
    int32_t *fired;
    near_entry *near;
    long nf, m, nbridge;
};

/* The end of particle i's step once its new voltage u is known: at/above V_F it fires; below, the
 * bridge may fire it (probability exp(−e); exact shortcuts: exp(−36.8) < 2^−53 is below every
 * non-zero 53-bit uniform, so no draw is needed past it, and the draw, keyed by (particle, step),
 * shifts no other random number); else it may join the near list. */
static inline void settle(const pass_ctx *c, pass_out *o, long i, double x0, double u, double wi)
{
    const double vf = c->vf;
    if (u >= vf) {
        o->fired[o->nf++] = (int32_t)i;
    } else {
        if (c->bridge) {
            double e = fmax(vf - x0, 0.0) * (vf - u) * c->inv_ads;
            if (e < 36.8 && nlif_pk_bridge_fires(&c->key, (uint32_t)i, c->c1, c->c2, e)) {
                o->fired[o->nf++] = (int32_t)i;
                o->nbridge++;
                c->v[i] = vf;
                return;
            }
        }
        if (wi > 0 && (vf - u) * c->np <= c->cap * wi)
            o->near[o->m++] = (near_entry){c->np * (vf - u) / wi, (int32_t)i};
    }
    c->v[i] = u;
}

/* The particle update of lanes the vector loop leaves to scalar code (chunk tails). */
static inline void lane_scalar(const pass_ctx *c, pass_out *o, long i, double xi)
{
    double wi = c->w ? c->w[i] : c->b;
    double x0 = c->v[i] + wi * c->pk;
    settle(c, o, i, x0, x0 + (c->input - x0) * c->ds + c->sq * xi, wi);
}

/* The pass of a path (the scalar one for OFF and in a portable build). */
NLIF_PK_PRIVATE pass_fn *nlif_pk_pass_of(nlif_simd s);

/* ---------------------------------------------------------------- the threads (particles_threads.c) */

/* Start threads for the pass (fewer than asked when N_p is small); 0, or −1 out of resources. */
NLIF_PK_PRIVATE int nlif_pk_pool_start(nlif_particles *ps, int threads);
NLIF_PK_PRIVATE void nlif_pk_pool_stop(nlif_particles *ps);
/* The pass over all particles into ps->fired / ps->near (in particle order); returns the bridge count. */
NLIF_PK_PRIVATE long nlif_pk_run_pass(nlif_particles *ps, const pass_ctx *c);

/* ---------------------------------------------------------------- the vector paths (particles_avx2.c,
 * particles_avx512.c) */

#define PASS_CHUNK 512 /* particles per chunk (a multiple of 128: 4 × 8 Philox blocks of 4 words) */

/* A chunk's random words and Gaussians, shared by the vector paths. */
typedef struct chunk {
    _Alignas(64) uint32_t words[PASS_CHUNK];  /* particle i's Philox word (word i mod 4 of block i/4) */
    _Alignas(64) double xi[PASS_CHUNK];       /* its standard normal */
    int32_t slow[PASS_CHUNK + 16];            /* offsets of the slow lanes (padded for vector loads) */
    uint32_t blk[4][16];                      /* their first slow-path block, 16 at a time */
    int nslow;
} chunk;

/* The lanes the vector wedge test leaves, resumed by the scalar slow path (particles_random.c). */
NLIF_PK_PRIVATE void nlif_pk_wedge_finish(const pass_ctx *c, chunk *k, long s, int off, int j, int resume2,
                                          double u2, int i2);

#if NLIF_X86
/* Per path: the pass; the Philox words of chunk k (particles s … s+len−1, s a multiple of 4); the words
 * and, unless words_only, the Gaussians; the particle update of the chunk from k->xi; 8 arguments
 * through the wedge test's exponential (for the tests). */
NLIF_PK_PRIVATE __attribute__((target("avx2"))) void nlif_pk_pass_avx2(nlif_particles *ps, const pass_ctx *c,
                                                                       long lo, long hi, pass_out *o);
NLIF_PK_PRIVATE __attribute__((target("avx2"))) void nlif_pk_words_avx2(const pass_ctx *c, chunk *k, long s,
                                                                        int len);
NLIF_PK_PRIVATE __attribute__((target("avx2"))) void nlif_pk_gauss_avx2(const pass_ctx *c, chunk *k, long s,
                                                                        int len, int words_only);
NLIF_PK_PRIVATE __attribute__((target("avx2"))) void nlif_pk_update_avx2(const pass_ctx *c, const chunk *k,
                                                                         long s, int len, pass_out *o);
NLIF_PK_PRIVATE __attribute__((target("avx2"))) void nlif_pk_wedge_exp4x2(const double *a, double *out);
NLIF_PK_PRIVATE __attribute__((target("avx512f"))) void nlif_pk_pass_avx512(nlif_particles *ps,
                                                                            const pass_ctx *c, long lo, long hi,
                                                                            pass_out *o);
NLIF_PK_PRIVATE __attribute__((target("avx512f"))) void nlif_pk_words_avx512(const pass_ctx *c, chunk *k,
                                                                             long s, int len);
NLIF_PK_PRIVATE __attribute__((target("avx512f"))) void nlif_pk_gauss_avx512(const pass_ctx *c, chunk *k,
                                                                             long s, int len, int words_only);
NLIF_PK_PRIVATE __attribute__((target("avx512f"))) void nlif_pk_update_avx512(const pass_ctx *c,
                                                                              const chunk *k, long s, int len,
                                                                              pass_out *o);
NLIF_PK_PRIVATE __attribute__((target("avx512f"))) void nlif_pk_wedge_exp8(const double *a, double *out);

/* 8 Philox blocks, word q of block j in lane j of x[q], stored in particle order: the 32 words of
 * particles 4j + q at out[4j + q] (out 32-byte aligned). */
__attribute__((target("avx2"))) static inline void store_words(uint32_t *out, const __m256i x[4])
{
    __m256i t0 = _mm256_unpacklo_epi32(x[0], x[1]), t1 = _mm256_unpackhi_epi32(x[0], x[1]);
    __m256i t2 = _mm256_unpacklo_epi32(x[2], x[3]), t3 = _mm256_unpackhi_epi32(x[2], x[3]);
    __m256i u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
    __m256i u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
    __m256i *ow = (__m256i *)out;
    _mm256_store_si256(ow + 0, _mm256_permute2x128_si256(u0, u1, 0x20));
    _mm256_store_si256(ow + 1, _mm256_permute2x128_si256(u2, u3, 0x20));
    _mm256_store_si256(ow + 2, _mm256_permute2x128_si256(u0, u1, 0x31));
    _mm256_store_si256(ow + 3, _mm256_permute2x128_si256(u2, u3, 0x31));
}

/* zig_u of 4 and of 8 words, by the same operations (uint32 to double exactly: through int32). */
__attribute__((target("avx2"))) static inline __m256d zig_u_avx2(__m128i w)
{
    return _mm256_sub_pd(_mm256_mul_pd(_mm256_add_pd(_mm256_cvtepi32_pd(_mm_srli_epi32(w, 8)), _mm256_set1_pd(0.5)),
                                       _mm256_set1_pd(0x1p-23)),
                         _mm256_set1_pd(1.0));
}

__attribute__((target("avx512f"))) static inline __m512d zig_u_avx512(__m256i w)
{
    return _mm512_sub_pd(_mm512_mul_pd(_mm512_add_pd(_mm512_cvtepi32_pd(_mm256_srli_epi32(w, 8)), _mm512_set1_pd(0.5)),
                                       _mm512_set1_pd(0x1p-23)),
                         _mm512_set1_pd(1.0));
}

/* exp(a) = 2^k·p(r), a = k·ln 2 + r (Cody–Waite, |r| ≤ ln2/2 + tiny), p Taylor of degree 11
 * (truncation < 7e−15 relative) by Estrin's scheme; used for |a| ≤ 1 (k = −1, 0, 1). */
#define WEDGE_EXP_CONSTANTS                                                                               \
    static const double log2e = 0x1.71547652b82fep0, magic = 0x1.8p52, ln2hi = 0x1.62e42fee00000p-1, \
                        ln2lo = 0x1.a39ef35793c76p-33;                                              \
    static const double cf[12] = {1.0,                 1.0,                  1.0 / 2,                  \
                                  1.0 / 6,             1.0 / 24,             1.0 / 120,                \
                                  1.0 / 720,           1.0 / 5040,           1.0 / 40320,              \
                                  1.0 / 362880,        1.0 / 3628800,        1.0 / 39916800}
#endif

#endif
