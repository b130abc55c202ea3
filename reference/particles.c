/* particles.c — the particle kernel: Euler–Maruyama, Brownian-bridge firing, exact in-step cascade
 * (conventions A and B), instantaneous kick, a1 > 0 noise, structured weights with learning.
 * MATHEMATICS.md §1.1–1.2; see particles.h for the step in full.
 */
#include "particles.h"
#include "../exact/nlif_exact.h"

#include <Random123/philox.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The vector paths on x86-64 with GCC or clang; NLIF_PORTABLE builds the scalar path alone (what
 * any other machine runs; make unit tests that build too). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(NLIF_PORTABLE)
#define NLIF_X86 1
#include <immintrin.h>
#else
#define NLIF_X86 0
#endif

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

struct pass_ctx;
struct pass_out;
struct pass_pool;

struct nlif_particles {
    nlif_particles_params p;
    nlif_simd simd;     /* the streaming path in use */
    int bench_bound;    /* nlif_particles_bench_bound's level (0: the kernel) */
    void (*pass)(struct nlif_particles *, const struct pass_ctx *, long, long, struct pass_out *);
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
};

typedef struct pass_ctx pass_ctx;
typedef struct pass_out pass_out;
typedef void pass_fn(nlif_particles *ps, const pass_ctx *c, long lo, long hi, pass_out *o);
static pass_fn *pass_of(nlif_simd s);
static int pool_start(nlif_particles *ps, int threads);
static void pool_stop(nlif_particles *ps);

/* ---------------------------------------------------------------- random numbers */

#define ZIG_C 128
#define ZIG_R 3.442619855899
/* The layers' abscissae x_0 > x_1 = R > … > x_127 > x_128 = 0 (Doornik (2005), "An improved ziggurat
 * method to generate normal random samples": 128 layers of equal area V = 9.91256303526217e−3, the
 * base layer including the tail beyond R), stored rather than computed at start-up: their recursion
 *   x_0 = V/f(R), x_i = √(−2 log(V/x_{i−1} + f(x_{i−1}))), f(x) = exp(−x²/2),
 * evaluated with libm's exp and log (glibc 2.36, x86-64) gave these bits, which every stored
 * reference was drawn with; another libm may round a step of it differently, so a computed table
 * could change every normal of a layer by an ulp on another machine (the unit tests recompute it). */
static const double zig_x[ZIG_C + 1] = {
    0x1.db4668fe7e4a4p+1, 0x1.b8a7c476d2be8p+1, 0x1.9c8e0c7c8098fp+1, 0x1.8aa73e440ffbcp+1,
    0x1.7d45eb36eb842p+1, 0x1.7279dd4ac3f9dp+1, 0x1.695c2be68edc9p+1, 0x1.616dff7c8f54ap+1,
    0x1.5a61edf7e8f32p+1, 0x1.54052012a04a4p+1, 0x1.4e3456b0e3a1bp+1, 0x1.48d61806d601p+1,
    0x1.43d75b60bca1dp+1, 0x1.3f29848d3b416p+1, 0x1.3ac11b8e206d6p+1, 0x1.3694f3a3740d9p+1,
    0x1.329d9725e32f7p+1, 0x1.2ed4df8099571p+1, 0x1.2b35aa5ebee3ep+1, 0x1.27bba2b5dbc92p+1,
    0x1.246317a6b53cp+1, 0x1.2128dd36bdf09p+1, 0x1.1e0a342cf08f6p+1, 0x1.1b04b731f6bccp+1,
    0x1.18164be0c1c39p+1, 0x1.153d16d45743dp+1, 0x1.12777201834f3p+1, 0x1.0fc3e4d95f278p+1,
    0x1.0d211dd28b00fp+1, 0x1.0a8ded0ec371ap+1, 0x1.08093fe3e40e1p+1, 0x1.05921d1c4d769p+1,
    0x1.0327a1cc4cf5ep+1, 0x1.00c8fea1720d4p+1, 0x1.fceaeb2ca5f17p+0, 0x1.f858aff31cbfp+0,
    0x1.f3da097460823p+0, 0x1.ef6dcddc7d392p+0, 0x1.eb12e91486bbcp+0, 0x1.e6c85a849b015p+0,
    0x1.e28d331c6723cp+0, 0x1.de609397e09b9p+0, 0x1.da41aaf79a344p+0, 0x1.d62fb52580b86p+0,
    0x1.d229f9bfeefdbp+0, 0x1.ce2fcb05f8c34p+0, 0x1.ca4084e091e34p+0, 0x1.c65b8c04dbac2p+0,
    0x1.c2804d2c6b16fp+0, 0x1.beae3c60cd0e4p+0, 0x1.bae4d457ee119p+0, 0x1.b72395df5b73bp+0,
    0x1.b36a075498d64p+0, 0x1.afb7b428fe7a1p+0, 0x1.ac0c2c6fc6382p+0, 0x1.a867047516e4fp+0,
    0x1.a4c7d45d01a31p+0, 0x1.a12e37c983369p+0, 0x1.9d99cd86b58b4p+0, 0x1.9a0a373c73f21p+0,
    0x1.967f1924c7b06p+0, 0x1.92f819c682bf5p+0, 0x1.8f74e1b37c6b8p+0, 0x1.8bf51b49ef337p+0,
    0x1.88787278810a6p+0, 0x1.84fe9484873b9p+0, 0x1.81872fd21db73p+0, 0x1.7e11f3adaeb92p+0,
    0x1.7a9e90168b8eep+0, 0x1.772cb58a39dd6p+0, 0x1.73bc14d01a2c9p+0, 0x1.704c5ec50cb81p+0,
    0x1.6cdd4426b88a5p+0, 0x1.696e755e16b84p+0, 0x1.65ffa248e016dp+0, 0x1.62907a0176ebfp+0,
    0x1.5f20aaa4dfc1ap+0, 0x1.5bafe11654817p+0, 0x1.583dc8bff3219p+0, 0x1.54ca0b4ffd349p+0,
    0x1.515450720f455p+0, 0x1.4ddc3d83a5b84p+0, 0x1.4a617543306ccp+0, 0x1.46e39778de063p+0,
    0x1.436240982ad9dp+0, 0x1.3fdd09591d2a4p+0, 0x1.3c538647ef792p+0, 0x1.38c54749b9033p+0,
    0x1.3531d7146a43ep+0, 0x1.3198ba982d911p+0, 0x1.2df97057e7efbp+0, 0x1.2a536fae30e33p+0,
    0x1.26a627fb9d12p+0, 0x1.22f0ffbaa1e55p+0, 0x1.1f335374a10f8p+0, 0x1.1b6c7492c9735p+0,
    0x1.179ba80463fecp+0, 0x1.13c024b2c7ec6p+0, 0x1.0fd911b97f236p+0, 0x1.0be58456ff4aep+0,
    0x1.07e47d87a40f6p+0, 0x1.03d4e7391c5b7p+0, 0x1.ff6b21fffe31ap-1, 0x1.f70a5866c8f46p-1,
    0x1.ee848e956826fp-1, 0x1.e5d6909f51b6ap-1, 0x1.dcfccc51c59fp-1, 0x1.d3f340dda611cp-1,
    0x1.cab56ac6a38d3p-1, 0x1.c13e2b014e85cp-1, 0x1.b787a7c516f3bp-1, 0x1.ad8b2506a137cp-1,
    0x1.a340d1baf5b18p-1, 0x1.989f85c753b2cp-1, 0x1.8d9c6a9d35e3dp-1, 0x1.822a858af0e7dp-1,
    0x1.763a1600eec74p-1, 0x1.69b7b213f3f69p-1, 0x1.5c8afdbf0217bp-1, 0x1.4e94c08c0bab7p-1,
    0x1.3fabee1911cd7p-1, 0x1.2f98d6bb4f41fp-1, 0x1.1e0ce6b5969b3p-1, 0x1.0a936da5e55adp-1,
    0x1.e8e576e43fbefp-2, 0x1.b4c8fece48e83p-2, 0x1.73949184db9dfp-2, 0x1.16db47e193e1ap-2,
    0.0,
};
static double zig_r[ZIG_C];
/* The rectangle test |u| < r_i in integers (the vector paths): u = (2m + 1 − 2^24)/2^24 exactly for the
 * word's 24-bit m, so |u| < r_i ⇔ |2m + 1 − 2^24| < ⌈r_i·2^24⌉ = zig_t[i]. */
static _Alignas(64) int32_t zig_t[ZIG_C];
/* The vector paths' wedge test ("The ziggurat's first wedge test in vectors", below): the relative
 * error it assumes of its exponential, and the margin to 1 within which the scalar code decides. */
#define ZIG_EXP_ERR 1e-13
#define ZIG_MARGIN 1e-9
static pthread_once_t zig_once = PTHREAD_ONCE_INIT;

/* The rectangle thresholds from the table (divisions and a ceiling: exact IEEE operations). */
static void zig_init(void)
{
    for (int i = 0; i < ZIG_C; i++) {
        zig_r[i] = zig_x[i + 1] / zig_x[i];
        zig_t[i] = (int32_t)ceil(zig_r[i] * 0x1p24);
    }
}

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

/* The natural logarithm of the ziggurat's tail, by a fixed sequence of IEEE-754 operations instead of
 * libm's, whose last bit differs between libms (glibc's FMA and non-FMA code disagree on about 1e−4 of
 * arguments, measured): the tail's values are then the same on every machine. x = 2^k·m with
 * √2/2 < m ≤ √2, f = m − 1 (exact), s = f/(2 + f): log m = 2 atanh s = 2s + s·T, T = Σ_{n=1}^{10} 2s^{2n}/(2n + 1)
 * (|s| < 0.1716: the rest is below 2^−58 relative), summed as f − (f²/2 − s(f²/2 + T)) (2s = f − sf),
 * plus k·ln 2 in two parts (k·ln2_hi exact). For positive normal x (the tail's uniforms lie in
 * [2^−33, 1)); the unit tests measure its error against logl. */
static double det_log(double x)
{
    static const double ln2hi = 0x1.62e42fee00000p-1, ln2lo = 0x1.a39ef35793c76p-33;
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    int k = (int)(b >> 52) - 1023;
    b = (b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;
    double m;
    memcpy(&m, &b, sizeof m); /* in [1, 2) */
    if (m > M_SQRT2) {
        m *= 0.5;
        k++;
    }
    static const double c[10] = {2.0 / 3,  2.0 / 5,  2.0 / 7,  2.0 / 9,  2.0 / 11,
                                 2.0 / 13, 2.0 / 15, 2.0 / 17, 2.0 / 19, 2.0 / 21};
    double f = m - 1.0, s = f / (2.0 + f), z = s * s, hfsq = 0.5 * f * f, t = c[9];
    for (int n = 8; n >= 0; n--)
        t = c[n] + z * t;
    t *= z;
    double dk = (double)k;
    return dk * ln2hi + (f - (hfsq - (s * (hfsq + t) + dk * ln2lo)));
}

/* Slow path of the ziggurat (≈2.8% of words miss the rectangles): wedges and tail, with fresh Philox
 * blocks (draw index 1, 2, ... of the same particle and step), starting at block `draw` with the point
 * (u, i). first: block `draw` when already computed (the vector paths compute block 1 for many
 * particles at once), else NULL. */
static double zig_slow(const philox4x32_key_t *key, uint32_t c0, uint32_t c1, uint32_t c2, double u, int i,
                       uint32_t draw, const philox4x32_ctr_t *first)
{
    for (;; first = NULL) {
        philox4x32_ctr_t r = first ? *first : philox_block(key, c0, c1, c2, draw);
        draw++;
        if (i == 0) { /* tail beyond R (Marsaglia 1964) */
            double x, y;
            x = det_log(u32(r.v[0])) / ZIG_R;
            y = det_log(u32(r.v[1]));
            if (-2 * y >= x * x)
                return u < 0 ? x - ZIG_R : ZIG_R - x;
        } else {
            double x = u * zig_x[i];
            double f0 = exp(-0.5 * (zig_x[i] * zig_x[i] - x * x));
            double f1 = exp(-0.5 * (zig_x[i + 1] * zig_x[i + 1] - x * x));
            if (f1 + u32(r.v[0]) * (f0 - f1) < 1.0)
                return x;
        }
        /* rejected: a new point of the ziggurat */
        u = 2 * u32(r.v[2]) - 1;
        i = (int)(r.v[3] & (ZIG_C - 1));
        if (fabs(u) < zig_r[i])
            return u * zig_x[i];
    }
}

/* Standard normal from one 32-bit word: 24 bits of uniform, 7 bits of layer (the layout of GSL's
 * gsl_ran_gaussian_ziggurat on 32-bit generators). Words of a Philox block serve 4 particles; the
 * rare slow path draws fresh blocks keyed by the particle itself (c0 = particle, c3 ≥ 1). */
static inline double zig_u(uint32_t word) { return ((double)(word >> 8) + 0.5) * 0x1p-23 - 1.0; }

static inline double zig_gauss(const philox4x32_key_t *key, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t word)
{
    double u = zig_u(word);
    int i = (int)(word & (ZIG_C - 1));
    if (fabs(u) < zig_r[i])
        return u * zig_x[i];
    return zig_slow(key, c0, c1, c2, u, i, 1, NULL);
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

static double bridge_uniform(const philox4x32_key_t *key, uint32_t i, uint32_t c1, uint32_t c2)
{
    philox4x32_ctr_t r = philox_block(key, i, c1, c2, BRIDGE_DRAW);
    return u53(r.v[0], r.v[1]);
}

/* The rare path of the bridge test, out of line so that the hot loop keeps its registers: fire
 * with probability exp(−e), exp() evaluated only for a uniform between the bounds 1 − e ≤ exp(−e)
 * ≤ 1/(1 + e). */
static __attribute__((noinline)) int bridge_fires(const philox4x32_key_t *key, uint32_t i, uint32_t c1, uint32_t c2,
                                                  double e)
{
    double uu = bridge_uniform(key, i, c1, c2);
    return uu < 1.0 - e || (uu < 1.0 / (1.0 + e) && uu < exp(-e));
}

void nlif_philox_gaussians(uint64_t seed, uint32_t block, uint32_t c1, uint32_t c2, double out[4])
{
    pthread_once(&zig_once, zig_init);
    philox4x32_key_t key = key_of(seed);
    philox4x32_ctr_t r = philox_block(&key, block, c1, c2, 0);
    for (int j = 0; j < 4; j++)
        out[j] = zig_gauss(&key, 4 * block + (uint32_t)j, c1, c2, r.v[j]);
}

double nlif_bridge_probability(double v_f, double x0, double x1, double a, double ds)
{
    double e = fmax(v_f - x0, 0.0) * fmax(v_f - x1, 0.0) / (a * ds);
    return exp(-e);
}

/* ---------------------------------------------------------------- object */

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
    pool_stop(ps);
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
    free(ps);
}

int nlif_particles_alloc(nlif_particles **out, const nlif_particles_params *p, nlif_error *err)
{
    *out = NULL;
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
    if (!(p->simd >= NLIF_SIMD_AUTO && p->simd <= NLIF_SIMD_AVX512) || !nlif_simd_supported(p->simd))
        return nlif_fail(err, NLIF_EINVAL, "particles: no %s path on this CPU or in this build (allowed here: off%s%s)",
                         nlif_simd_name(p->simd), nlif_simd_supported(NLIF_SIMD_AVX2) ? ", avx2" : "",
                         nlif_simd_supported(NLIF_SIMD_AVX512) ? ", avx512" : "");
    pthread_once(&zig_once, zig_init);
    nlif_particles *ps = calloc(1, sizeof *ps);
    if (!ps)
        return nlif_fail(err, NLIF_ENOMEM, "particles: out of memory");
    ps->p = *p;
    if (ps->p.runaway_factor <= 0)
        ps->p.runaway_factor = 2;
    ps->n = p->n;
    ps->lo = 0;
    ps->hi = p->n;
    if (p->group) {
        const nlif_particles_group *g = p->group;
        if (p->structure.enabled || g->size < 1 || g->rank < 0 || g->rank >= g->size) {
            free(ps);
            return nlif_fail(err, NLIF_EINVAL, "particles: a network split over processes must be 1D (rank %d of %d)",
                             g->rank, g->size);
        }
        /* ranges start at multiples of 64, like the threads' (MATHEMATICS.md §1.1) */
        ps->lo = g->rank ? (long)((__int128)p->n * g->rank / g->size) & ~63L : 0;
        ps->hi = g->rank + 1 < g->size ? (long)((__int128)p->n * (g->rank + 1) / g->size) & ~63L : p->n;
        if (ps->hi < ps->lo)
            ps->hi = ps->lo;
    }
    ps->eps = p->structure.enabled ? p->structure.epsilon : 1.0;
    ps->ds = p->dt / ps->eps;
    double ws = p->rate_window / ps->ds;
    ps->wsteps = ws < 1 ? 1 : (ws > 1e7 ? 10000000 : (int)lround(ws));
    size_t n = (size_t)p->n;
    ps->v = calloc(n, sizeof *ps->v);
    ps->fired = malloc(n * sizeof *ps->fired);
    ps->near = malloc(n * sizeof *ps->near);
    ps->reset = malloc(n * sizeof *ps->reset);
    ps->ring = calloc((size_t)ps->wsteps, sizeof *ps->ring);
    int ok = ps->v && ps->fired && ps->near && ps->reset && ps->ring;
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
    if (!ok) {
        nlif_particles_free(ps);
        return nlif_fail(err, NLIF_ENOMEM, "particles: out of memory for %ld particles", p->n);
    }
    ps->cap = 64;
    /* learning rules update the weights in the pass: scalar, one thread */
    int learning = p->structure.enabled && p->structure.rule != NLIF_RULE_NONE;
    ps->simd = learning ? NLIF_SIMD_OFF : (p->simd == NLIF_SIMD_AUTO ? nlif_simd_best() : p->simd);
    ps->pass = pass_of(ps->simd);
    if (!learning && p->threads > 1 && pool_start(ps, p->threads)) {
        nlif_particles_free(ps);
        return nlif_fail(err, NLIF_ENOMEM, "particles: cannot start %d threads", p->threads);
    }
    *out = ps;
    return NLIF_OK;
}

long nlif_particles_count(const nlif_particles *ps) { return ps->n; }
void nlif_particles_range(const nlif_particles *ps, long *lo, long *hi)
{
    *lo = ps->lo;
    *hi = ps->hi;
}
double nlif_particles_time(const nlif_particles *ps) { return ps->t; }
uint64_t nlif_particles_step_index(const nlif_particles *ps) { return ps->step; }
const double *nlif_particles_weights(const nlif_particles *ps) { return ps->w; }

void nlif_particles_set_time(nlif_particles *ps, double t, uint64_t step_index)
{
    ps->t = t;
    ps->step = step_index;
}

static inline double weight(const nlif_particles *ps, long i) { return ps->w ? ps->w[i] : ps->p.model.b; }

static void flush(nlif_particles *ps)
{
    if (ps->pk == 0)
        return;
    for (long i = ps->lo; i < ps->hi; i++)
        ps->v[i] += weight(ps, i) * ps->pk;
    ps->pk = 0;
}

const double *nlif_particles_voltages(nlif_particles *ps)
{
    flush(ps);
    return ps->v;
}

static void clear_history(nlif_particles *ps)
{
    memset(ps->ring, 0, (size_t)ps->wsteps * sizeof *ps->ring);
    ps->ring_pos = ps->ring_fill = 0;
    ps->ring_sum = 0;
    ps->pk = 0;
    ps->last_spikes = 0;
    if (ps->nb) {
        memset(ps->hb_ring, 0, (size_t)ps->nb * (size_t)ps->wsteps * sizeof *ps->hb_ring);
        memset(ps->hb_sum, 0, (size_t)ps->nb * sizeof *ps->hb_sum);
    }
}

static int wbin(const nlif_particles *ps, double w)
{
    const nlif_structure *st = &ps->p.structure;
    double span = st->w_max - st->w_min;
    int b = span > 0 ? (int)((w - st->w_min) / span * ps->nb) : 0;
    return b < 0 ? 0 : (b >= ps->nb ? ps->nb - 1 : b);
}

static void count_population(nlif_particles *ps)
{
    if (!ps->nb)
        return;
    memset(ps->hb_pop, 0, (size_t)ps->nb * sizeof *ps->hb_pop);
    for (long i = 0; i < ps->n; i++)
        ps->hb_pop[wbin(ps, ps->w[i])]++;
}

void nlif_particles_sample_voltages(nlif_particles *ps, const nlif_density *d, int jitter)
{
    philox4x32_key_t key = key_of(ps->p.seed);
    for (long i = ps->lo; i < ps->hi; i++) {
        double u = 0.5;
        if (jitter)
            u = u32(philox_block(&key, (uint32_t)i, 0xFFFFFFFFu, ps->p.stream, 0x100).v[0]);
        ps->v[i] = nlif_density_quantile(d, ((double)i + u) / (double)ps->n);
    }
    clear_history(ps);
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

void nlif_particles_sample_weights(nlif_particles *ps, const nlif_density *dw, int jitter)
{
    if (!ps->w)
        return;
    philox4x32_key_t key = key_of(ps->p.seed);
    long pm = lattice_multiplier(ps->n);
    for (long i = 0; i < ps->n; i++) {
        long k = (long)(((__int128)i * pm) % ps->n);
        double u = 0.5;
        if (jitter)
            u = u32(philox_block(&key, (uint32_t)i, 0xFFFFFFFEu, ps->p.stream, 0x101).v[0]);
        ps->w[i] = nlif_density_quantile(dw, ((double)k + u) / (double)ps->n);
    }
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

/* ---------------------------------------------------------------- cascade */

static int cmp_near(const void *a, const void *b)
{
    double x = ((const near_entry *)a)->x, y = ((const near_entry *)b)->x;
    if (x < y)
        return -1;
    if (x > y)
        return 1;
    int32_t i = ((const near_entry *)a)->i, j = ((const near_entry *)b)->i;
    return (i > j) - (i < j);
}

/* Group: replace this range's lists (fired[0..nf), near[0..m)) by everyone's, concatenated in rank
 * order — the lists one pass over all particles collects, since each is in particle order. Returns
 * the bridge count summed likewise. */
static long merge(nlif_particles *ps, long nbridge)
{
    const nlif_particles_group *g = ps->p.group;
    if (!g)
        return nbridge;
    char *mine = ps->gbuf, *all = ps->gbuf + ps->gmine;
    long hdr[4] = {ps->nf, ps->m, nbridge, 0};
    size_t fb = ((size_t)ps->nf * sizeof(int32_t) + 7) & ~(size_t)7;
    memcpy(mine, hdr, sizeof hdr);
    memcpy(mine + 32, ps->fired, (size_t)ps->nf * sizeof(int32_t));
    memcpy(mine + 32 + fb, ps->near, (size_t)ps->m * sizeof(near_entry));
    size_t total = 0;
    g->allgather(g->ctx, mine, 32 + fb + (size_t)ps->m * sizeof(near_entry), all, ps->gall, &total);
    long nf = 0, m = 0, nb = 0;
    for (size_t off = 0; off < total;) {
        memcpy(hdr, all + off, sizeof hdr);
        size_t f = ((size_t)hdr[0] * sizeof(int32_t) + 7) & ~(size_t)7;
        memcpy(ps->fired + nf, all + off + 32, (size_t)hdr[0] * sizeof(int32_t));
        memcpy(ps->near + m, all + off + 32 + f, (size_t)hdr[1] * sizeof(near_entry));
        nf += hdr[0];
        m += hdr[1];
        nb += hdr[2];
        off += 32 + f + (size_t)hdr[1] * sizeof(near_entry);
    }
    ps->nf = nf;
    ps->m = m;
    return nb;
}

/* Rebuild the fired and near lists from the true voltages in v (pk = 0) with a given cap. */
static void collect(nlif_particles *ps, double cap)
{
    const double vf = ps->p.model.v_f, np = (double)ps->n;
    long nf = 0, m = 0;
    for (long i = ps->lo; i < ps->hi; i++) {
        double u = ps->v[i], wi = weight(ps, i);
        if (u >= vf)
            ps->fired[nf++] = (int32_t)i;
        else if (wi > 0 && (vf - u) * np <= cap * wi)
            ps->near[m++] = (near_entry){np * (vf - u) / wi, (int32_t)i};
    }
    ps->nf = nf;
    ps->m = m;
    ps->cap = cap;
    merge(ps, 0);
}

/* Convention A on the lists. Returns K, or −1 if the cascade outgrew the near list. */
static long cascade_a(nlif_particles *ps)
{
    long k = ps->nf, pos = 0;
    while (pos < ps->m && ps->near[pos].x <= (double)k) {
        k++;
        pos++;
    }
    if ((double)k > ps->cap)
        return -1;
    /* fired set: fired[] and near[0..pos) */
    double pk = (double)k / (double)ps->n, vr = ps->p.model.v_r;
    for (long j = 0; j < ps->nf; j++) {
        long i = ps->fired[j];
        if (i >= ps->lo && i < ps->hi)
            ps->v[i] = vr - weight(ps, i) * pk;
    }
    for (long j = 0; j < pos; j++) {
        long i = ps->near[j].i;
        if (i >= ps->lo && i < ps->hi)
            ps->v[i] = vr - weight(ps, i) * pk;
        ps->fired[ps->nf + j] = (int32_t)i; /* the full fired list, for the hebbian counts */
    }
    ps->nf += pos;
    ps->pk = pk;
    return k;
}

/* Convention B by generations. Returns the number of spikes, −1 if the near list is too short,
 * −2 on runaway. ps->reset[0..nr) lists the neurons that fired (with fire counts). */
static long cascade_b(nlif_particles *ps, long *nreset)
{
    const double np = (double)ps->n, gap = ps->p.model.v_f - ps->p.model.v_r;
    const double limit = ps->p.runaway_factor * np;
    long nr = 0, pos = 0;
    double total = (double)ps->nf, min_thr = INFINITY;
    for (long j = 0; j < ps->nf; j++) {
        long i = ps->fired[j];
        double wi = weight(ps, i);
        double thr = wi > 0 ? total + np * gap / wi : INFINITY;
        ps->reset[nr++] = (reset_entry){thr, total, (int32_t)i, 1};
        if (thr < min_thr)
            min_thr = thr;
    }
    for (;;) {
        long gen_start = nr, refires = 0;
        while (pos < ps->m && ps->near[pos].x <= total) {
            long i = ps->near[pos++].i;
            ps->reset[nr++] = (reset_entry){0, 0, (int32_t)i, 1};
        }
        if (min_thr <= total)
            for (long j = 0; j < gen_start; j++)
                if (ps->reset[j].thr <= total) {
                    ps->reset[j].fires++;
                    ps->reset[j].thr = -1; /* marked: re-thresholded below */
                    refires++;
                }
        long fresh = nr - gen_start;
        if (fresh + refires == 0)
            break;
        total += (double)(fresh + refires);
        if (total > limit) {
            *nreset = nr;
            return -2;
        }
        if (total > ps->cap)
            return -1;
        min_thr = INFINITY;
        for (long j = 0; j < nr; j++) {
            reset_entry *r = &ps->reset[j];
            if (j >= gen_start || r->thr < 0) {
                double wi = weight(ps, r->i);
                r->c = total;
                r->thr = wi > 0 ? total + np * gap / wi : INFINITY;
            }
            if (r->thr < min_thr)
                min_thr = r->thr;
        }
    }
    double pk = total / np, vr = ps->p.model.v_r;
    for (long j = 0; j < nr; j++) {
        long i = ps->reset[j].i;
        if (i >= ps->lo && i < ps->hi)
            ps->v[i] = vr - weight(ps, i) * ps->reset[j].c / np; /* true: V_R + w (K − c)/N */
    }
    ps->pk = pk;
    *nreset = nr;
    return (long)total;
}

/* Resolve the cascade on the lists (true voltages in v, pk = 0); grows the near list if needed.
 * Returns the number of spikes; *runaway set under convention B. */
static long resolve(nlif_particles *ps, int *runaway, long *nreset)
{
    *runaway = 0;
    *nreset = 0;
    for (int pass = 0;; pass++) {
        qsort(ps->near, (size_t)ps->m, sizeof *ps->near, cmp_near);
        long k = ps->p.model.convention == NLIF_CONVENTION_B ? cascade_b(ps, nreset) : cascade_a(ps);
        if (k >= 0)
            return k;
        if (k == -2) {
            *runaway = 1;
            return (long)(ps->p.runaway_factor * (double)ps->n);
        }
        /* outgrew the near list: a full pass with a larger cap (geometric, so O(log) passes) */
        double cap = fmax(4 * ps->cap, 64.0);
        if (cap > ps->p.runaway_factor * (double)ps->n + 2)
            cap = ps->p.runaway_factor * (double)ps->n + 2;
        collect(ps, cap);
    }
}

static void record_rate(nlif_particles *ps, long spikes)
{
    ps->ring_sum += spikes - ps->ring[ps->ring_pos];
    ps->ring[ps->ring_pos] = spikes;
    ps->ring_pos = (ps->ring_pos + 1) % ps->wsteps;
    if (ps->ring_fill < ps->wsteps)
        ps->ring_fill++;
}

double nlif_particles_rate(const nlif_particles *ps)
{
    if (!ps->ring_fill)
        return 0.0;
    return (double)ps->ring_sum / ((double)ps->n * ps->ring_fill * ps->ds);
}

/* Spikes per weight class of the fired neurons (fired[0..nf) or reset[0..nr)). */
static void hebbian_count(nlif_particles *ps, int from_reset, long count)
{
    for (long j = 0; j < count; j++) {
        long i = from_reset ? ps->reset[j].i : ps->fired[j];
        ps->hb_step[wbin(ps, ps->w[i])] += from_reset ? ps->reset[j].fires : 1;
    }
}

static void hebbian_record(nlif_particles *ps)
{
    long *slot = ps->hb_ring + (size_t)ps->ring_pos * (size_t)ps->nb; /* ring_pos before record_rate */
    for (int b = 0; b < ps->nb; b++) {
        ps->hb_sum[b] += ps->hb_step[b] - slot[b];
        slot[b] = ps->hb_step[b];
        ps->hb_step[b] = 0;
    }
}

/* Cascade of whatever is at/above V_F now, lists already collected. Returns spikes. */
static long cascade_lists(nlif_particles *ps, int *runaway)
{
    long nreset = 0;
    long k = resolve(ps, runaway, &nreset);
    if (ps->nb) {
        if (ps->p.model.convention == NLIF_CONVENTION_B)
            hebbian_count(ps, 1, nreset);
        else
            hebbian_count(ps, 0, ps->nf);
    }
    return k;
}

int nlif_particles_cascade_now(nlif_particles *ps, long *k_out, int *fired)
{
    flush(ps);
    collect(ps, fmax(ps->cap, 64.0));
    int runaway;
    long nreset = 0;
    long k = resolve(ps, &runaway, &nreset);
    if (fired) {
        memset(fired, 0, (size_t)ps->n * sizeof *fired);
        if (ps->p.model.convention == NLIF_CONVENTION_B)
            for (long j = 0; j < nreset; j++)
                fired[ps->reset[j].i] = ps->reset[j].fires;
        else
            for (long j = 0; j < ps->nf; j++)
                fired[ps->fired[j]] = 1;
    }
    *k_out = k;
    return runaway ? NLIF_PARTICLES_RUNAWAY : NLIF_PARTICLES_OK;
}

/* ---------------------------------------------------------------- the streaming pass
 *
 * One pass over the particles does Euler–Maruyama, the threshold test, the bridge test and the
 * collection of the fired and near lists (MATHEMATICS.md §1.1, "The particle kernel"). It exists in
 * three instruction-set paths that give the same bits:
 *   off     the scalar loop (one Philox block per 4 particles, ziggurat per word) — also the only
 *           path for networks with learning;
 *   avx2    Philox on 2 × 8 blocks per round of 256-bit vectors, the ziggurat's rectangle test
 *           (table gathers) and the update on 4 lanes;
 *   avx512  Philox on 4 × 8 blocks per round of 512-bit vectors (a word per 64-bit lane; 16 per
 *           vector, 32-bit lanes, for the slow lanes' blocks), the rectangle test on 16 lanes in
 *           integers (table by permutes), the update on 8 lanes.
 * Both decide the ziggurat's first wedge test in lanes, with the scalar decision (wedge_avx2/512).
 * The vector paths compute the same IEEE operations in the same order as the scalar loop (no fused
 * multiply-add: the library is built with -ffp-contract=off and uses no fma intrinsics), and hand
 * every lane that is not routine — the ziggurat's tail and second wedges, at/above V_F, bridge
 * candidate, near list — to the same scalar code (zig_slow, settle) in particle order, so lists
 * and voltages are identical.
 * Threads split the particles into contiguous ranges (multiples of 64) with lists of their own,
 * concatenated in range order afterwards: the same lists as one pass. */

struct pass_ctx {
    philox4x32_key_t key;
    uint32_t c1, c2;
    double input, ds, sq, inv_ads, pk, b, vf, np, cap, dt, rate, lin_decay;
    int bridge, rule;
    int bound; /* nlif_particles_bench_bound's level: 0 in every run */
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
            if (e < 36.8 && bridge_fires(&c->key, (uint32_t)i, c->c1, c->c2, e)) {
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

/* The scalar loop (path off; learning rules only here). */
static void pass_scalar(nlif_particles *ps, const pass_ctx *c, long lo, long hi, pass_out *o)
{
    double *restrict v = c->v;
    double *restrict w = c->w;
    const nlif_structure *st = &ps->p.structure;
    const double pk = c->pk, input = c->input, ds = c->ds, sq = c->sq;
    philox4x32_ctr_t r = {{0, 0, 0, 0}};
    for (long i = lo; i < hi; i++) {
        double wi = w ? w[i] : c->b;
        double x0 = v[i] + wi * pk;
        if ((i & 3) == 0 || i == lo)
            r = philox_block(&c->key, (uint32_t)(i >> 2), c->c1, c->c2, 0);
        double xi = zig_gauss(&c->key, (uint32_t)i, c->c1, c->c2, r.v[i & 3]);
        double u = x0 + (input - x0) * ds + sq * xi;
        if (c->rule == NLIF_RULE_LINEAR) {
            wi = st->w_star + (wi - st->w_star) * c->lin_decay;
            w[i] = wi;
        } else if (c->rule == NLIF_RULE_HEBBIAN) {
            double k = st->alpha * c->rate * ps->hb_rate[wbin(ps, wi)] - st->beta * wi;
            wi = fmin(fmax(wi + c->dt * k, st->w_min), st->w_max);
            w[i] = wi;
            ps->hb_pop_next[wbin(ps, wi)]++;
        }
        settle(c, o, i, x0, u, wi);
    }
}

#if NLIF_X86
/* Philox4x32-10 (Random123's philox4x32) on 8 counters at once (32-bit lanes): the multiplies
 * 32×32→64 of the even and the odd lanes separately; on `ways` independent vectors at once (one
 * vector's rounds are a chain of dependent multiplies: interleaved, the multiplier is kept busy). */
__attribute__((target("avx2"))) static inline void philox8_ways(__m256i (*x)[4], int ways, uint32_t k0, uint32_t k1)
{
    const __m256i m0 = _mm256_set1_epi32((int)0xD2511F53), m1 = _mm256_set1_epi32((int)0xCD9E8D57);
    for (int r = 0; r < 10; r++) {
        const __m256i kk0 = _mm256_set1_epi32((int)k0), kk1 = _mm256_set1_epi32((int)k1);
#pragma GCC unroll 2
        for (int v = 0; v < ways; v++) {
            __m256i pe = _mm256_mul_epu32(x[v][0], m0), po = _mm256_mul_epu32(_mm256_srli_epi64(x[v][0], 32), m0);
            __m256i lo0 = _mm256_blend_epi32(pe, _mm256_slli_epi64(po, 32), 0xAA);
            __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(pe, 32), po, 0xAA);
            pe = _mm256_mul_epu32(x[v][2], m1);
            po = _mm256_mul_epu32(_mm256_srli_epi64(x[v][2], 32), m1);
            __m256i lo1 = _mm256_blend_epi32(pe, _mm256_slli_epi64(po, 32), 0xAA);
            __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(pe, 32), po, 0xAA);
            x[v][0] = _mm256_xor_si256(_mm256_xor_si256(hi1, x[v][1]), kk0);
            x[v][1] = lo1;
            x[v][2] = _mm256_xor_si256(_mm256_xor_si256(hi0, x[v][3]), kk1);
            x[v][3] = lo0;
        }
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
}

/* The same on 16 counters. */
__attribute__((target("avx512f"))) static inline void philox16(__m512i x[4], uint32_t k0, uint32_t k1)
{
    const __m512i m0 = _mm512_set1_epi32((int)0xD2511F53), m1 = _mm512_set1_epi32((int)0xCD9E8D57);
    for (int r = 0; r < 10; r++) {
        __m512i pe = _mm512_mul_epu32(x[0], m0), po = _mm512_mul_epu32(_mm512_srli_epi64(x[0], 32), m0);
        __m512i lo0 = _mm512_mask_blend_epi32(0xAAAA, pe, _mm512_slli_epi64(po, 32));
        __m512i hi0 = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(pe, 32), po);
        pe = _mm512_mul_epu32(x[2], m1);
        po = _mm512_mul_epu32(_mm512_srli_epi64(x[2], 32), m1);
        __m512i lo1 = _mm512_mask_blend_epi32(0xAAAA, pe, _mm512_slli_epi64(po, 32));
        __m512i hi1 = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(pe, 32), po);
        x[0] = _mm512_xor_si512(_mm512_xor_si512(hi1, x[1]), _mm512_set1_epi32((int)k0));
        x[1] = lo1;
        x[2] = _mm512_xor_si512(_mm512_xor_si512(hi0, x[3]), _mm512_set1_epi32((int)k1));
        x[3] = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
}

/* Philox on 8 counters held one word per 64-bit lane (the full 64-bit products come out of one
 * multiply, and the high words of the lanes, never read by the multiply, may hold anything), on
 * PHILOX_WAYS independent vectors at once: one vector's rounds are a chain of dependent multiplies
 * (latency-bound); interleaved, the multiplier is kept busy. The same arithmetic lane by lane, hence
 * the same words. */
#define PHILOX_WAYS 4
__attribute__((target("avx512f"))) static inline void philox8q_ways(__m512i x[PHILOX_WAYS][4], uint32_t k0,
                                                                    uint32_t k1)
{
    const __m512i m0 = _mm512_set1_epi64(0xD2511F53), m1 = _mm512_set1_epi64(0xCD9E8D57);
    for (int r = 0; r < 10; r++) {
        const __m512i kk0 = _mm512_set1_epi64(k0), kk1 = _mm512_set1_epi64(k1);
#pragma GCC unroll 4
        for (int v = 0; v < PHILOX_WAYS; v++) {
            __m512i p0 = _mm512_mul_epu32(x[v][0], m0), p1 = _mm512_mul_epu32(x[v][2], m1);
            x[v][0] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p1, 32), x[v][1], kk0, 0x96);
            x[v][1] = p1;
            x[v][2] = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p0, 32), x[v][3], kk1, 0x96);
            x[v][3] = p0;
        }
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
}

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

/* nlif_particles_bench_bound's values: level 1, a word's ziggurat rectangle value u·x_i, taken
 * whatever u (variance 1.01); level 2, u·√3 (variance 1, no table). */
#define BENCH_BOUND_C 1.7320508075688772
static double bench_bound_value(int level, uint32_t word)
{
    return zig_u(word) * (level == 1 ? zig_x[word & (ZIG_C - 1)] : BENCH_BOUND_C);
}

#define PASS_CHUNK 512 /* particles per chunk (a multiple of 128: 4 × 8 Philox blocks of 4 words) */

/* A chunk's random words and Gaussians, shared by the vector paths. */
typedef struct chunk {
    _Alignas(64) uint32_t words[PASS_CHUNK];  /* particle i's Philox word (word i mod 4 of block i/4) */
    _Alignas(64) double xi[PASS_CHUNK];       /* its standard normal */
    int32_t slow[PASS_CHUNK + 16];            /* offsets of the slow lanes (padded for vector loads) */
    uint32_t blk[4][16];                      /* their first slow-path block, 16 at a time */
    int nslow;
} chunk;

/* The ziggurat's first wedge test in vectors, decided as the scalar path decides it.
 *
 * The scalar path (zig_slow) accepts the point x = u·x_i of a slow word when f1 + U·(f0 − f1) < 1,
 * f0 = exp(a0), a0 = −(x_i² − x²)/2, f1 = exp(a1), a1 = −(x_{i+1}² − x²)/2, with libm's exp (error
 * below 1 ulp). In a wedge x_{i+1} ≤ |x| ≤ x_i, so |a0|, |a1| ≤ d = max_i (x_i² − x_{i+1}²)/2 = 0.7316
 * (layer 1) and f0, f1 ≤ e^d < 2.08. The vector paths compute a0, a1 by the same operations and the
 * exponentials by a polynomial (wedge_exp_*) of relative error below ZIG_EXP_ERR on [−1, 1] (the unit
 * tests measure it against libm, and d from the table); the two sums then differ from the exact one by
 * less than 3·2.08·(ZIG_EXP_ERR + 2^−52) < 1e−12, so a lane whose vector sum is ZIG_MARGIN or more
 * away from 1 has the scalar decision (MATHEMATICS.md §1.1). A rejected point's successor (block 1's
 * words 2 and 3) gets the rectangle test in the vector too. What remains — the tail (layer 0), a sum
 * within ZIG_MARGIN of 1, a successor that misses its rectangle (≈ 3% of the slow lanes in all) — is
 * resumed by zig_slow where the scalar path would be. */
/* exp(a) = 2^k·p(r), a = k·ln 2 + r (Cody–Waite, |r| ≤ ln2/2 + tiny), p Taylor of degree 11
 * (truncation < 7e−15 relative) by Estrin's scheme; used for |a| ≤ 1 (k = −1, 0, 1). */
#define WEDGE_EXP_CONSTANTS                                                                               \
    static const double log2e = 0x1.71547652b82fep0, magic = 0x1.8p52, ln2hi = 0x1.62e42fee00000p-1, \
                        ln2lo = 0x1.a39ef35793c76p-33;                                              \
    static const double cf[12] = {1.0,                 1.0,                  1.0 / 2,                  \
                                  1.0 / 6,             1.0 / 24,             1.0 / 120,                \
                                  1.0 / 720,           1.0 / 5040,           1.0 / 40320,              \
                                  1.0 / 362880,        1.0 / 3628800,        1.0 / 39916800}

/* The lanes the vector test leaves (their offset j in the group of block-1 words): resumed by
 * zig_slow, from block 2 with the rejected point's successor (u2, i2) when resume2, else from block 1
 * (already drawn) with the lane's own point. */
static void wedge_finish(const pass_ctx *c, chunk *k, long s, int off, int j, int resume2, double u2, int i2)
{
    int o = k->slow[off + j];
    if (resume2) {
        k->xi[o] = zig_slow(&c->key, (uint32_t)(s + o), c->c1, c->c2, u2, i2, 2, NULL);
    } else {
        philox4x32_ctr_t first = {{k->blk[0][j], k->blk[1][j], k->blk[2][j], k->blk[3][j]}};
        uint32_t w = k->words[o];
        k->xi[o] = zig_slow(&c->key, (uint32_t)(s + o), c->c1, c->c2, zig_u(w), (int)(w & (ZIG_C - 1)), 1, &first);
    }
}

/* The particle update of lanes the vector loop leaves to scalar code (chunk tails). */
static inline void lane_scalar(const pass_ctx *c, pass_out *o, long i, double xi)
{
    double wi = c->w ? c->w[i] : c->b;
    double x0 = c->v[i] + wi * c->pk;
    settle(c, o, i, x0, x0 + (c->input - x0) * c->ds + c->sq * xi, wi);
}

__attribute__((target("avx2"))) static inline __m256d wedge_exp_avx2(__m256d a)
{
    WEDGE_EXP_CONSTANTS;
    __m256d t = _mm256_add_pd(_mm256_mul_pd(a, _mm256_set1_pd(log2e)), _mm256_set1_pd(magic));
    __m256d kd = _mm256_sub_pd(t, _mm256_set1_pd(magic));
    __m256d r = _mm256_sub_pd(_mm256_sub_pd(a, _mm256_mul_pd(kd, _mm256_set1_pd(ln2hi))),
                              _mm256_mul_pd(kd, _mm256_set1_pd(ln2lo)));
    /* Estrin: pairs, then powers r², r⁴ (a short chain; the error is measured by the tests) */
    __m256d q[6], r2 = _mm256_mul_pd(r, r);
    for (int n = 0; n < 6; n++)
        q[n] = _mm256_add_pd(_mm256_set1_pd(cf[2 * n]), _mm256_mul_pd(_mm256_set1_pd(cf[2 * n + 1]), r));
    __m256d r4 = _mm256_mul_pd(r2, r2), s0 = _mm256_add_pd(q[0], _mm256_mul_pd(q[1], r2));
    __m256d s1 = _mm256_add_pd(q[2], _mm256_mul_pd(q[3], r2)), s2 = _mm256_add_pd(q[4], _mm256_mul_pd(q[5], r2));
    __m256d p = _mm256_add_pd(s0, _mm256_mul_pd(r4, _mm256_add_pd(s1, _mm256_mul_pd(s2, r4))));
    /* 2^k from k in the low bits of t */
    __m256i e = _mm256_slli_epi64(_mm256_add_epi64(_mm256_castpd_si256(t), _mm256_set1_epi64x(1023)), 52);
    return _mm256_mul_pd(p, _mm256_castsi256_pd(e));
}

/* zig_u and u32 of 4 words, by the same operations (uint32 to double exactly: through int32 and 2^31) */
__attribute__((target("avx2"))) static inline __m256d zig_u_avx2(__m128i w)
{
    return _mm256_sub_pd(_mm256_mul_pd(_mm256_add_pd(_mm256_cvtepi32_pd(_mm_srli_epi32(w, 8)), _mm256_set1_pd(0.5)),
                                       _mm256_set1_pd(0x1p-23)),
                         _mm256_set1_pd(1.0));
}

__attribute__((target("avx2"))) static inline __m256d u32_avx2(__m128i r)
{
    __m256d d = _mm256_add_pd(_mm256_cvtepi32_pd(_mm_xor_si128(r, _mm_set1_epi32(INT32_MIN))), _mm256_set1_pd(0x1p31));
    return _mm256_mul_pd(_mm256_add_pd(d, _mm256_set1_pd(0.5)), _mm256_set1_pd(0x1p-32));
}

/* The wedge test of 8 slow lanes (from offset off of the list; block 1 in k->blk), 4 at a time. */
__attribute__((target("avx2"))) static void wedge_avx2(const pass_ctx *c, chunk *k, long s, int off)
{
    const __m256d one = _mm256_set1_pd(1.0);
    const __m256d absmask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7FFFFFFFFFFFFFFF));
    const __m128i layer = _mm_set1_epi32(ZIG_C - 1);
    for (int h = 0; h < 8 && off + h < k->nslow; h += 4) {
        int n = k->nslow - off - h;
        unsigned valid = n >= 4 ? 0xFu : (1u << n) - 1;
        __m128i o = _mm_loadu_si128((const __m128i *)(k->slow + off + h));
        __m128i wv = _mm_i32gather_epi32((const int *)k->words, o, 4), i = _mm_and_si128(wv, layer);
        __m256d u = zig_u_avx2(wv);
        unsigned tail = (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(
            _mm256_cmpeq_epi64(_mm256_cvtepi32_epi64(i), _mm256_setzero_si256())));
        __m256d xa = _mm256_i32gather_pd(zig_x, i, 8), xb = _mm256_i32gather_pd(zig_x + 1, i, 8);
        __m256d x = _mm256_mul_pd(u, xa), x2 = _mm256_mul_pd(x, x), mh = _mm256_set1_pd(-0.5);
        __m256d f0 = wedge_exp_avx2(_mm256_mul_pd(mh, _mm256_sub_pd(_mm256_mul_pd(xa, xa), x2)));
        __m256d f1 = wedge_exp_avx2(_mm256_mul_pd(mh, _mm256_sub_pd(_mm256_mul_pd(xb, xb), x2)));
        __m256d uu = u32_avx2(_mm_loadu_si128((const __m128i *)(k->blk[0] + h)));
        __m256d sum = _mm256_add_pd(f1, _mm256_mul_pd(uu, _mm256_sub_pd(f0, f1)));
        unsigned live = valid & ~tail;
        unsigned acc = live & (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(sum, _mm256_set1_pd(1.0 - ZIG_MARGIN),
                                                                         _CMP_LT_OQ));
        unsigned rej = live & (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(sum, _mm256_set1_pd(1.0 + ZIG_MARGIN),
                                                                         _CMP_GE_OQ));
        /* the next point: u2 = 2·U − 1 from word 2, layer from word 3 */
        __m256d u2 = _mm256_sub_pd(
            _mm256_mul_pd(_mm256_set1_pd(2.0), u32_avx2(_mm_loadu_si128((const __m128i *)(k->blk[2] + h)))), one);
        __m128i i2 = _mm_and_si128(_mm_loadu_si128((const __m128i *)(k->blk[3] + h)), layer);
        __m256d zr2 = _mm256_i32gather_pd(zig_r, i2, 8), zx2 = _mm256_i32gather_pd(zig_x, i2, 8);
        unsigned rect = rej & (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(_mm256_and_pd(u2, absmask), zr2, _CMP_LT_OQ));
        double xs[4], u2s[4], vs[4];
        int i2s[4], os[4];
        _mm256_storeu_pd(xs, x);
        _mm256_storeu_pd(u2s, u2);
        _mm256_storeu_pd(vs, _mm256_mul_pd(u2, zx2));
        _mm_storeu_si128((__m128i *)i2s, i2);
        _mm_storeu_si128((__m128i *)os, o);
        for (int l = 0; l < 4; l++) {
            if (!(valid >> l & 1))
                break;
            if (acc >> l & 1)
                k->xi[os[l]] = xs[l];
            else if (rect >> l & 1)
                k->xi[os[l]] = vs[l];
            else
                wedge_finish(c, k, s, off, h + l, rej >> l & 1, u2s[l], i2s[l]);
        }
    }
}

/* The random numbers of chunk k (particles s … s+len−1, s a multiple of 4): the Philox words, then,
 * unless words_only, the Gaussians (ziggurat rectangle test in lanes; the slow lanes listed, their
 * first slow-path block drawn and their first wedge test decided in lanes, the rest finished by the
 * scalar slow path). */
__attribute__((target("avx2"))) static void gauss_avx2(const pass_ctx *c, chunk *k, long s, int len, int words_only)
{
    const __m256d absmask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7FFFFFFFFFFFFFFF));
    const __m128i layer = _mm_set1_epi32(ZIG_C - 1);
    const int len4 = len & ~3;
    /* Philox blocks (s/4 + j, c1, c2, 0), transposed to particle order */
    for (int j = 0; 4 * j < len; j += 16) {
        __m256i x[2][4];
        for (int v = 0; v < 2; v++) {
            x[v][0] = _mm256_add_epi32(_mm256_set1_epi32((int)((uint32_t)(s >> 2) + (uint32_t)(j + 8 * v))),
                                       _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
            x[v][1] = _mm256_set1_epi32((int)c->c1);
            x[v][2] = _mm256_set1_epi32((int)c->c2);
            x[v][3] = _mm256_setzero_si256();
        }
        philox8_ways(x, 2, c->key.v[0], c->key.v[1]);
        store_words(k->words + 4 * j, x[0]);
        store_words(k->words + 4 * (j + 8), x[1]);
    }
    if (words_only)
        return;
    if (c->bound) { /* nlif_particles_bench_bound: not normals */
        for (int i = 0; i < len4; i += 4) {
            __m128i wv = _mm_load_si128((const __m128i *)(k->words + i));
            __m256d zx = c->bound == 1 ? _mm256_i32gather_pd(zig_x, _mm_and_si128(wv, layer), 8)
                                       : _mm256_set1_pd(BENCH_BOUND_C);
            _mm256_store_pd(k->xi + i, _mm256_mul_pd(zig_u_avx2(wv), zx));
        }
        for (int i = len4; i < len; i++)
            k->xi[i] = bench_bound_value(c->bound, k->words[i]);
        return;
    }
    /* ziggurat fast path; slow lanes listed */
    k->nslow = 0;
    for (int i = 0; i < len4; i += 4) {
        __m128i wv = _mm_load_si128((const __m128i *)(k->words + i));
        __m256d uz = zig_u_avx2(wv);
        __m128i idx = _mm_and_si128(wv, layer);
        __m256d zr = _mm256_i32gather_pd(zig_r, idx, 8), zx = _mm256_i32gather_pd(zig_x, idx, 8);
        _mm256_store_pd(k->xi + i, _mm256_mul_pd(uz, zx));
        int slow = 0xF & ~_mm256_movemask_pd(_mm256_cmp_pd(_mm256_and_pd(uz, absmask), zr, _CMP_LT_OQ));
        for (unsigned m = (unsigned)slow; m; m &= m - 1)
            k->slow[k->nslow++] = i + __builtin_ctz(m);
    }
    for (int i = len4; i < len; i++)
        k->xi[i] = zig_gauss(&c->key, (uint32_t)(s + i), c->c1, c->c2, k->words[i]);
    memset(k->slow + k->nslow, 0, 16 * sizeof *k->slow); /* padding lanes: computed, unused */
    for (int j = 0; j < k->nslow; j += 8) {
        __m256i x[1][4] = {{_mm256_add_epi32(_mm256_set1_epi32((int)(uint32_t)s),
                                             _mm256_loadu_si256((const __m256i *)(k->slow + j))),
                            _mm256_set1_epi32((int)c->c1), _mm256_set1_epi32((int)c->c2), _mm256_set1_epi32(1)}};
        philox8_ways(x, 1, c->key.v[0], c->key.v[1]);
        for (int q = 0; q < 4; q++)
            _mm256_storeu_si256((__m256i *)k->blk[q], x[0][q]);
        wedge_avx2(c, k, s, j);
    }
}

__attribute__((target("avx2"))) static void pass_avx2(nlif_particles *ps, const pass_ctx *c, long lo, long hi,
                                                       pass_out *o)
{
    (void)ps;
    chunk k;
    const __m256d vf = _mm256_set1_pd(c->vf), pk = _mm256_set1_pd(c->pk), in = _mm256_set1_pd(c->input);
    const __m256d ds = _mm256_set1_pd(c->ds), sq = _mm256_set1_pd(c->sq), np = _mm256_set1_pd(c->np);
    const __m256d cap = _mm256_set1_pd(c->cap), iads = _mm256_set1_pd(c->inv_ads), bw = _mm256_set1_pd(c->b);
    const __m256d emax = _mm256_set1_pd(c->bridge ? 36.8 : -INFINITY), zero = _mm256_setzero_pd();
    double *v = c->v;
    const double *w = c->w;
    for (long s = lo; s < hi; s += PASS_CHUNK) {
        long e = s + PASS_CHUNK < hi ? s + PASS_CHUNK : hi;
        int len = (int)(e - s), len4 = len & ~3;
        gauss_avx2(c, &k, s, len, 0);
        /* Euler–Maruyama and the tests; lanes with anything to do go to settle() */
        for (int i = 0; i < len4; i += 4) {
            long g = s + i;
            __m256d xi = _mm256_load_pd(k.xi + i);
            __m256d wi = w ? _mm256_loadu_pd(w + g) : bw;
            __m256d x0 = _mm256_add_pd(_mm256_loadu_pd(v + g), _mm256_mul_pd(wi, pk));
            __m256d u = _mm256_add_pd(_mm256_add_pd(x0, _mm256_mul_pd(_mm256_sub_pd(in, x0), ds)),
                                      _mm256_mul_pd(sq, xi));
            _mm256_storeu_pd(v + g, u);
            __m256d d = _mm256_sub_pd(vf, u);
            __m256d rare = _mm256_or_pd(
                _mm256_cmp_pd(u, vf, _CMP_GE_OQ),
                _mm256_and_pd(_mm256_cmp_pd(_mm256_mul_pd(d, np), _mm256_mul_pd(cap, wi), _CMP_LE_OQ),
                              _mm256_cmp_pd(wi, zero, _CMP_GT_OQ)));
            __m256d e_br = _mm256_mul_pd(_mm256_mul_pd(_mm256_max_pd(_mm256_sub_pd(vf, x0), zero), d), iads);
            rare = _mm256_or_pd(rare, _mm256_cmp_pd(e_br, emax, _CMP_LT_OQ));
            int rm = _mm256_movemask_pd(rare);
            if (rm) {
                double xs[4], us[4], ws[4];
                _mm256_storeu_pd(xs, x0);
                _mm256_storeu_pd(us, u);
                _mm256_storeu_pd(ws, wi);
                for (unsigned m = (unsigned)rm; m; m &= m - 1) {
                    int l = __builtin_ctz(m);
                    settle(c, o, g + l, xs[l], us[l], ws[l]);
                }
            }
        }
        for (int i = len4; i < len; i++)
            lane_scalar(c, o, s + i, k.xi[i]);
    }
}

/* The wedge test with AVX-512: the same operations on 8 lanes. zig_u and u32 of 8 words first. */
__attribute__((target("avx512f"))) static inline __m512d zig_u_avx512(__m256i w)
{
    return _mm512_sub_pd(_mm512_mul_pd(_mm512_add_pd(_mm512_cvtepi32_pd(_mm256_srli_epi32(w, 8)), _mm512_set1_pd(0.5)),
                                       _mm512_set1_pd(0x1p-23)),
                         _mm512_set1_pd(1.0));
}

__attribute__((target("avx512f"))) static inline __m512d u32_avx512(__m256i r)
{
    return _mm512_mul_pd(_mm512_add_pd(_mm512_cvtepu32_pd(r), _mm512_set1_pd(0.5)), _mm512_set1_pd(0x1p-32));
}

__attribute__((target("avx512f"))) static inline __m512d wedge_exp_avx512(__m512d a)
{
    WEDGE_EXP_CONSTANTS;
    __m512d t = _mm512_add_pd(_mm512_mul_pd(a, _mm512_set1_pd(log2e)), _mm512_set1_pd(magic));
    __m512d kd = _mm512_sub_pd(t, _mm512_set1_pd(magic));
    __m512d r = _mm512_sub_pd(_mm512_sub_pd(a, _mm512_mul_pd(kd, _mm512_set1_pd(ln2hi))),
                              _mm512_mul_pd(kd, _mm512_set1_pd(ln2lo)));
    /* Estrin: pairs, then powers r², r⁴ (a short chain; the error is measured by the tests) */
    __m512d q[6], r2 = _mm512_mul_pd(r, r);
    for (int n = 0; n < 6; n++)
        q[n] = _mm512_add_pd(_mm512_set1_pd(cf[2 * n]), _mm512_mul_pd(_mm512_set1_pd(cf[2 * n + 1]), r));
    __m512d r4 = _mm512_mul_pd(r2, r2), s0 = _mm512_add_pd(q[0], _mm512_mul_pd(q[1], r2));
    __m512d s1 = _mm512_add_pd(q[2], _mm512_mul_pd(q[3], r2)), s2 = _mm512_add_pd(q[4], _mm512_mul_pd(q[5], r2));
    __m512d p = _mm512_add_pd(s0, _mm512_mul_pd(r4, _mm512_add_pd(s1, _mm512_mul_pd(s2, r4))));
    __m512i e = _mm512_slli_epi64(_mm512_add_epi64(_mm512_castpd_si512(t), _mm512_set1_epi64(1023)), 52);
    return _mm512_mul_pd(p, _mm512_castsi512_pd(e));
}

/* For the tests (nlif_particles_wedge_exp): 8 arguments through each path's exponential. */
__attribute__((target("avx512f"))) static void wedge_exp8(const double *a, double *out)
{
    _mm512_storeu_pd(out, wedge_exp_avx512(_mm512_loadu_pd(a)));
}

__attribute__((target("avx2"))) static void wedge_exp4x2(const double *a, double *out)
{
    _mm256_storeu_pd(out, wedge_exp_avx2(_mm256_loadu_pd(a)));
    _mm256_storeu_pd(out + 4, wedge_exp_avx2(_mm256_loadu_pd(a + 4)));
}

/* The wedge test of 16 slow lanes (from offset off of the list; block 1 in k->blk), 8 at a time. */
__attribute__((target("avx512f"))) static void wedge_avx512(const pass_ctx *c, chunk *k, long s, int off)
{
    const __m512d one = _mm512_set1_pd(1.0);
    const __m256i layer = _mm256_set1_epi32(ZIG_C - 1);
    for (int h = 0; h < 16 && off + h < k->nslow; h += 8) {
        int n = k->nslow - off - h;
        __mmask8 valid = (__mmask8)(n >= 8 ? 0xFFu : (1u << n) - 1);
        __m256i o = _mm256_loadu_si256((const __m256i *)(k->slow + off + h));
        __m256i wv = _mm256_i32gather_epi32((const int *)k->words, o, 4), i = _mm256_and_si256(wv, layer);
        __m512d u = zig_u_avx512(wv);
        __mmask8 tail = _mm512_cmpeq_epi64_mask(_mm512_cvtepi32_epi64(i), _mm512_setzero_si512());
        __m512d xa = _mm512_i32gather_pd(i, zig_x, 8), xb = _mm512_i32gather_pd(i, zig_x + 1, 8);
        __m512d x = _mm512_mul_pd(u, xa), x2 = _mm512_mul_pd(x, x), mh = _mm512_set1_pd(-0.5);
        __m512d f0 = wedge_exp_avx512(_mm512_mul_pd(mh, _mm512_sub_pd(_mm512_mul_pd(xa, xa), x2)));
        __m512d f1 = wedge_exp_avx512(_mm512_mul_pd(mh, _mm512_sub_pd(_mm512_mul_pd(xb, xb), x2)));
        __m512d uu = u32_avx512(_mm256_loadu_si256((const __m256i *)(k->blk[0] + h)));
        __m512d sum = _mm512_add_pd(f1, _mm512_mul_pd(uu, _mm512_sub_pd(f0, f1)));
        __mmask8 live = valid & (__mmask8)~tail;
        __mmask8 acc = live & _mm512_cmp_pd_mask(sum, _mm512_set1_pd(1.0 - ZIG_MARGIN), _CMP_LT_OQ);
        __mmask8 rej = live & _mm512_cmp_pd_mask(sum, _mm512_set1_pd(1.0 + ZIG_MARGIN), _CMP_GE_OQ);
        __m512d u2 = _mm512_sub_pd(
            _mm512_mul_pd(_mm512_set1_pd(2.0), u32_avx512(_mm256_loadu_si256((const __m256i *)(k->blk[2] + h)))), one);
        __m256i i2 = _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(k->blk[3] + h)), layer);
        __m512d zr2 = _mm512_i32gather_pd(i2, zig_r, 8), zx2 = _mm512_i32gather_pd(i2, zig_x, 8);
        __mmask8 rect = rej & _mm512_cmp_pd_mask(_mm512_abs_pd(u2), zr2, _CMP_LT_OQ);
        _mm512_mask_i32scatter_pd(k->xi, acc, o, x, 8);
        _mm512_mask_i32scatter_pd(k->xi, rect, o, _mm512_mul_pd(u2, zx2), 8);
        unsigned rest = valid & (unsigned)~(acc | rect);
        if (rest) {
            double u2s[8];
            int i2s[8];
            _mm512_storeu_pd(u2s, u2);
            _mm256_storeu_si256((__m256i *)i2s, i2);
            for (unsigned m = rest; m; m &= m - 1) {
                int l = __builtin_ctz(m);
                wedge_finish(c, k, s, off, h + l, rej >> l & 1, u2s[l], i2s[l]);
            }
        }
    }
}

/* The same with AVX-512. */
__attribute__((target("avx512f"))) static void gauss_avx512(const pass_ctx *c, chunk *k, long s, int len,
                                                              int words_only)
{
    const __m256i layer = _mm256_set1_epi32(ZIG_C - 1);
    const __m256i lane8 = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const int len16 = len & ~15;
    /* Philox blocks (s/4 + j, c1, c2, 0), 8 per vector in 64-bit lanes, transposed to particle order */
    for (int j = 0; 4 * j < len; j += 8 * PHILOX_WAYS) {
        __m512i x[PHILOX_WAYS][4];
        for (int v = 0; v < PHILOX_WAYS; v++) {
            x[v][0] = _mm512_cvtepu32_epi64(
                _mm256_add_epi32(_mm256_set1_epi32((int)((uint32_t)(s >> 2) + (uint32_t)(j + 8 * v))), lane8));
            x[v][1] = _mm512_set1_epi64(c->c1);
            x[v][2] = _mm512_set1_epi64(c->c2);
            x[v][3] = _mm512_setzero_si512();
        }
        philox8q_ways(x, c->key.v[0], c->key.v[1]);
        for (int v = 0; v < PHILOX_WAYS; v++) {
            __m256i y[4] = {_mm512_cvtepi64_epi32(x[v][0]), _mm512_cvtepi64_epi32(x[v][1]),
                            _mm512_cvtepi64_epi32(x[v][2]), _mm512_cvtepi64_epi32(x[v][3])};
            store_words(k->words + 4 * (j + 8 * v), y);
        }
    }
    if (words_only)
        return;
    if (c->bound) { /* nlif_particles_bench_bound: not normals */
        const __m512d root3 = _mm512_set1_pd(BENCH_BOUND_C);
        for (int i = 0; i < (len & ~7); i += 8) {
            __m256i wh = _mm256_load_si256((const __m256i *)(k->words + i));
            __m512d zx = c->bound == 1 ? _mm512_i32gather_pd(_mm256_and_si256(wh, layer), zig_x, 8) : root3;
            _mm512_store_pd(k->xi + i, _mm512_mul_pd(zig_u_avx512(wh), zx));
        }
        for (int i = len & ~7; i < len; i++)
            k->xi[i] = bench_bound_value(c->bound, k->words[i]);
        return;
    }
    /* the rectangle test on 16 lanes in integers (zig_t: its 128 entries in 8 registers, looked up by
     * permutes on the layer's low 5 bits and blends on bits 5 and 6); the slow lanes' offsets
     * compress-stored; the value u·x_i on 8 lanes (x_i gathered) */
    __m512i t[8];
    for (int q = 0; q < 8; q++)
        t[q] = _mm512_load_si512((const void *)(zig_t + 16 * q));
    const __m512i layer16 = _mm512_set1_epi32(ZIG_C - 1), odd = _mm512_set1_epi32(1);
    const __m512i two24 = _mm512_set1_epi32(1 << 24), b5 = _mm512_set1_epi32(32), b6 = _mm512_set1_epi32(64);
    const __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    k->nslow = 0;
    for (int i = 0; i < len16; i += 16) {
        __m512i wv = _mm512_load_si512((const void *)(k->words + i)), idx = _mm512_and_si512(wv, layer16);
        __mmask16 m5 = _mm512_test_epi32_mask(idx, b5), m6 = _mm512_test_epi32_mask(idx, b6);
        __m512i lo = _mm512_mask_blend_epi32(m5, _mm512_permutex2var_epi32(t[0], idx, t[1]),
                                             _mm512_permutex2var_epi32(t[2], idx, t[3]));
        __m512i hi = _mm512_mask_blend_epi32(m5, _mm512_permutex2var_epi32(t[4], idx, t[5]),
                                             _mm512_permutex2var_epi32(t[6], idx, t[7]));
        /* |2m + 1 − 2^24|, 2m + 1 = (word >> 7) | 1 */
        __m512i dist = _mm512_abs_epi32(_mm512_sub_epi32(_mm512_or_si512(_mm512_srli_epi32(wv, 7), odd), two24));
        __mmask16 slow = _mm512_cmpge_epi32_mask(dist, _mm512_mask_blend_epi32(m6, lo, hi));
        _mm512_mask_compressstoreu_epi32(k->slow + k->nslow, slow, _mm512_add_epi32(iota, _mm512_set1_epi32(i)));
        k->nslow += __builtin_popcount(slow);
        for (int h = 0; h < 16; h += 8) {
            __m256i wh = _mm256_load_si256((const __m256i *)(k->words + i + h));
            __m512d uz = zig_u_avx512(wh);
            __m512d zx = _mm512_i32gather_pd(_mm256_and_si256(wh, layer), zig_x, 8);
            _mm512_store_pd(k->xi + i + h, _mm512_mul_pd(uz, zx));
        }
    }
    for (int i = len16; i < len; i++)
        k->xi[i] = zig_gauss(&c->key, (uint32_t)(s + i), c->c1, c->c2, k->words[i]);
    memset(k->slow + k->nslow, 0, 16 * sizeof *k->slow); /* padding lanes: computed, unused */
    for (int j = 0; j < k->nslow; j += 16) {
        __m512i x[4] = {_mm512_add_epi32(_mm512_set1_epi32((int)(uint32_t)s),
                                         _mm512_loadu_si512((const void *)(k->slow + j))),
                        _mm512_set1_epi32((int)c->c1), _mm512_set1_epi32((int)c->c2), _mm512_set1_epi32(1)};
        philox16(x, c->key.v[0], c->key.v[1]);
        for (int q = 0; q < 4; q++)
            _mm512_storeu_si512((void *)k->blk[q], x[q]);
        wedge_avx512(c, k, s, j);
    }
}

__attribute__((target("avx512f"))) static void pass_avx512(nlif_particles *ps, const pass_ctx *c, long lo,
                                                             long hi, pass_out *o)
{
    (void)ps;
    chunk k;
    const __m512d vf = _mm512_set1_pd(c->vf), pk = _mm512_set1_pd(c->pk), in = _mm512_set1_pd(c->input);
    const __m512d ds = _mm512_set1_pd(c->ds), sq = _mm512_set1_pd(c->sq), np = _mm512_set1_pd(c->np);
    const __m512d cap = _mm512_set1_pd(c->cap), iads = _mm512_set1_pd(c->inv_ads), bw = _mm512_set1_pd(c->b);
    const __m512d emax = _mm512_set1_pd(c->bridge ? 36.8 : -INFINITY), zero = _mm512_setzero_pd();
    double *v = c->v;
    const double *w = c->w;
    for (long s = lo; s < hi; s += PASS_CHUNK) {
        long e = s + PASS_CHUNK < hi ? s + PASS_CHUNK : hi;
        int len = (int)(e - s), len8 = len & ~7;
        gauss_avx512(c, &k, s, len, 0);
        for (int i = 0; i < len8; i += 8) {
            long g = s + i;
            __m512d xi = _mm512_load_pd(k.xi + i);
            __m512d wi = w ? _mm512_loadu_pd(w + g) : bw;
            __m512d x0 = _mm512_add_pd(_mm512_loadu_pd(v + g), _mm512_mul_pd(wi, pk));
            __m512d u = _mm512_add_pd(_mm512_add_pd(x0, _mm512_mul_pd(_mm512_sub_pd(in, x0), ds)),
                                      _mm512_mul_pd(sq, xi));
            _mm512_storeu_pd(v + g, u);
            __m512d d = _mm512_sub_pd(vf, u);
            __mmask8 rare = _mm512_cmp_pd_mask(u, vf, _CMP_GE_OQ);
            rare |= _mm512_cmp_pd_mask(_mm512_mul_pd(d, np), _mm512_mul_pd(cap, wi), _CMP_LE_OQ) &
                    _mm512_cmp_pd_mask(wi, zero, _CMP_GT_OQ);
            __m512d e_br = _mm512_mul_pd(_mm512_mul_pd(_mm512_max_pd(_mm512_sub_pd(vf, x0), zero), d), iads);
            rare |= _mm512_cmp_pd_mask(e_br, emax, _CMP_LT_OQ);
            if (rare) {
                double xs[8], us[8], ws[8];
                _mm512_storeu_pd(xs, x0);
                _mm512_storeu_pd(us, u);
                _mm512_storeu_pd(ws, wi);
                for (unsigned m = rare; m; m &= m - 1) {
                    int l = __builtin_ctz(m);
                    settle(c, o, g + l, xs[l], us[l], ws[l]);
                }
            }
        }
        for (int i = len8; i < len; i++)
            lane_scalar(c, o, s + i, k.xi[i]);
    }
}
#endif

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

static pass_fn *pass_of(nlif_simd s)
{
#if NLIF_X86
    if (s == NLIF_SIMD_AVX512)
        return pass_avx512;
    if (s == NLIF_SIMD_AVX2)
        return pass_avx2;
#else
    (void)s;
#endif
    return pass_scalar;
}

nlif_simd nlif_particles_simd(const nlif_particles *ps) { return ps->simd; }

int nlif_particles_gaussians(nlif_simd simd, uint64_t seed, uint32_t step, uint32_t stream, long first, long n,
                             uint32_t *words, double *xi)
{
    if (simd == NLIF_SIMD_AUTO)
        simd = nlif_simd_best();
    if (!nlif_simd_supported(simd) || first < 0 || first % 4 || n < 0)
        return -1;
    pthread_once(&zig_once, zig_init);
    const pass_ctx c = {.key = key_of(seed), .c1 = step, .c2 = stream};
    if (simd == NLIF_SIMD_OFF) { /* as pass_scalar draws them */
        philox4x32_ctr_t r = {{0, 0, 0, 0}};
        for (long i = 0; i < n; i++) {
            long g = first + i;
            if ((g & 3) == 0)
                r = philox_block(&c.key, (uint32_t)(g >> 2), step, stream, 0);
            if (words)
                words[i] = r.v[g & 3];
            if (xi)
                xi[i] = zig_gauss(&c.key, (uint32_t)g, step, stream, r.v[g & 3]);
        }
        return 0;
    }
#if NLIF_X86
    chunk *k = aligned_alloc(64, sizeof *k);
    if (!k)
        return -1;
    for (long s = 0; s < n; s += PASS_CHUNK) {
        int len = (int)(n - s < PASS_CHUNK ? n - s : PASS_CHUNK);
        if (simd == NLIF_SIMD_AVX512)
            gauss_avx512(&c, k, first + s, len, xi == NULL);
        else
            gauss_avx2(&c, k, first + s, len, xi == NULL);
        if (words)
            memcpy(words + s, k->words, (size_t)len * sizeof *words);
        if (xi)
            memcpy(xi + s, k->xi, (size_t)len * sizeof *xi);
    }
    free(k);
#endif
    return 0;
}

int nlif_particles_bench_bound(nlif_particles *ps, int level)
{
    if (level < 0 || level > 2 || (level && ps->simd != NLIF_SIMD_AVX2 && ps->simd != NLIF_SIMD_AVX512))
        return -1;
    ps->bench_bound = level;
    return 0;
}

const double *nlif_particles_ziggurat_table(void) { return zig_x; }

void nlif_particles_tail_log(const double *x, double *out, long n)
{
    for (long i = 0; i < n; i++)
        out[i] = det_log(x[i]);
}

int nlif_particles_wedge_exp(nlif_simd simd, const double *a, double *out, long n, double info[3])
{
    if (info) {
        double d = 0;
        for (int i = 1; i < ZIG_C; i++)
            d = fmax(d, 0.5 * (zig_x[i] * zig_x[i] - zig_x[i + 1] * zig_x[i + 1]));
        info[0] = d;
        info[1] = ZIG_EXP_ERR;
        info[2] = ZIG_MARGIN;
    }
    if ((simd != NLIF_SIMD_AVX2 && simd != NLIF_SIMD_AVX512) || !nlif_simd_supported(simd) || n < 0 || n % 8)
        return -1;
#if NLIF_X86
    for (long j = 0; j < n; j += 8) {
        if (simd == NLIF_SIMD_AVX512)
            wedge_exp8(a + j, out + j);
        else
            wedge_exp4x2(a + j, out + j);
    }
#else
    (void)a;
    (void)out;
#endif
    return 0;
}

/* ---------------------------------------------------------------- threads of the pass */

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

static void pool_stop(nlif_particles *ps)
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
static int pool_start(nlif_particles *ps, int threads)
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
            pool_stop(ps);
            return -1;
        }
        pl->nt = k + 1;
    }
    return 0;
}

/* The pass over all particles into ps->fired / ps->near (in particle order); returns the bridge count. */
static long run_pass(nlif_particles *ps, const pass_ctx *c)
{
    struct pass_pool *pl = ps->pool;
    if (!pl || c->rule != NLIF_RULE_NONE) {
        pass_out o = {ps->fired, ps->near, 0, 0, 0};
        ps->pass(ps, c, ps->lo, ps->hi, &o);
        ps->nf = o.nf;
        ps->m = o.m;
        return merge(ps, o.nbridge);
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
    return merge(ps, nb);
}

/* ---------------------------------------------------------------- step */

static void hebbian_rates(nlif_particles *ps, double rate, double input)
{
    const nlif_structure *st = &ps->p.structure;
    double win = (double)(ps->ring_fill ? ps->ring_fill : 1) * ps->ds;
    double dwb = (st->w_max - st->w_min) / ps->nb;
    double a = nlif_noise(&ps->p.model, rate);
    for (int b = 0; b < ps->nb; b++) {
        double mass_density = (double)ps->hb_pop[b] / (double)ps->n / (dwb > 0 ? dwb : 1.0);
        if (ps->hb_pop[b] > 0 && mass_density >= st->rho_floor) {
            ps->hb_rate[b] = (double)ps->hb_sum[b] / ((double)ps->hb_pop[b] * win);
        } else { /* quasi-static rate of the class (MATHEMATICS.md §1.2), the population rate if unavailable */
            double wc = st->w_min + (b + 0.5) * dwb;
            double r = nlif_uncoupled_rate(a, ps->p.model.v_f, ps->p.model.v_r, wc * rate + input);
            ps->hb_rate[b] = isfinite(r) ? r : rate;
        }
    }
}

int nlif_particles_step(nlif_particles *ps, nlif_particles_step_info *info)
{
    memset(info, 0, sizeof *info);
    const nlif_model *m = &ps->p.model;
    const double vf = m->v_f, np = (double)ps->n, dt = ps->p.dt, ds = ps->ds;
    const double input = nlif_input_current(&ps->p.input, ps->t);
    const double rate = nlif_particles_rate(ps);
    int runaway = 0;
    long spikes = 0;

    if (nlif_input_kick_between(&ps->p.input, ps->t, ps->t + dt)) {
        flush(ps);
        for (long i = ps->lo; i < ps->hi; i++)
            ps->v[i] += ps->p.input.kick;
        collect(ps, fmax(ps->cap, 64.0));
        long k = cascade_lists(ps, &runaway);
        info->kick_spikes = k;
        info->cascade = k;
        spikes += k;
        if (runaway)
            goto done;
    }

    {
        const double a = nlif_noise(m, rate);
        const nlif_structure *st = &ps->p.structure;
        pass_ctx c = {.key = key_of(ps->p.seed), .c1 = (uint32_t)ps->step, .c2 = ps->p.stream, .input = input,
                      .ds = ds, .sq = sqrt(2 * a * ds), .inv_ads = 1.0 / (a * ds), .pk = ps->pk, .b = m->b,
                      .vf = vf, .np = np, .cap = ps->cap, .dt = dt, .rate = rate, .bridge = ps->p.bridge,
                      .bound = ps->bench_bound, .v = ps->v, .w = ps->w};
        c.rule = ps->w ? (int)st->rule : NLIF_RULE_NONE;
        c.lin_decay = c.rule == NLIF_RULE_LINEAR ? exp(-st->rate * dt) : 1.0;
        if (c.rule == NLIF_RULE_HEBBIAN) {
            hebbian_rates(ps, rate, input);
            memset(ps->hb_pop_next, 0, (size_t)ps->nb * sizeof *ps->hb_pop_next);
        }
        long nbridge = run_pass(ps, &c);
        if (c.rule == NLIF_RULE_HEBBIAN) {
            long *t = ps->hb_pop;
            ps->hb_pop = ps->hb_pop_next;
            ps->hb_pop_next = t;
        }
        ps->pk = 0;
        long k = cascade_lists(ps, &runaway);
        info->bridge_spikes = nbridge;
        if (k > info->cascade)
            info->cascade = k;
        spikes += k;
    }

done:
    info->spikes = spikes;
    info->runaway = runaway;
    if (ps->nb)
        hebbian_record(ps);
    record_rate(ps, spikes);
    /* the next near list: room for a few times this step's cascade */
    ps->cap = fmax(64.0, 4.0 * (double)spikes + 64.0);
    if (ps->cap > np)
        ps->cap = np;
    ps->last_spikes = spikes;
    ps->t += dt;
    ps->step++;
    return runaway ? NLIF_PARTICLES_RUNAWAY : NLIF_PARTICLES_OK;
}
