/* particles_random.c — the particle kernel's random numbers (MATHEMATICS.md §1.1, "The particle
 * kernel"): Philox4x32-10 (Random123) keyed by the seed, Gaussians by a 128-layer ziggurat
 * (Marsaglia–Tsang, Doornik's ZIGNOR layout) from one 32-bit word per particle, the ziggurat's slow
 * path (wedges, tail with a machine-independent logarithm), the bridge uniform, and the entry points
 * that hand the random numbers of every path to the tests and the benchmark. See particles.h.
 */
#include "particles_impl.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The layers' abscissae x_0 > x_1 = R > … > x_127 > x_128 = 0 (Doornik (2005), "An improved ziggurat
 * method to generate normal random samples": 128 layers of equal area V = 9.91256303526217e−3, the
 * base layer including the tail beyond R), stored rather than computed at start-up: their recursion
 *   x_0 = V/f(R), x_i = √(−2 log(V/x_{i−1} + f(x_{i−1}))), f(x) = exp(−x²/2),
 * evaluated with libm's exp and log (glibc 2.36, x86-64) gave these bits, which every stored
 * reference was drawn with; another libm may round a step of it differently, so a computed table
 * could change every normal of a layer by an ulp on another machine (the unit tests recompute it). */
const double nlif_pk_zig_x[ZIG_C + 1] = {
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
double nlif_pk_zig_r[ZIG_C];
/* The rectangle test |u| < r_i in integers (the vector paths): u = (2m + 1 − 2^24)/2^24 exactly for the
 * word's 24-bit m, so |u| < r_i ⇔ |2m + 1 − 2^24| < ⌈r_i·2^24⌉ = nlif_pk_zig_t[i]. */
_Alignas(64) int32_t nlif_pk_zig_t[ZIG_C];
static pthread_once_t zig_once = PTHREAD_ONCE_INIT;

/* The rectangle thresholds from the table (divisions and a ceiling: exact IEEE operations). */
static void zig_init(void)
{
    for (int i = 0; i < ZIG_C; i++) {
        nlif_pk_zig_r[i] = nlif_pk_zig_x[i + 1] / nlif_pk_zig_x[i];
        nlif_pk_zig_t[i] = (int32_t)ceil(nlif_pk_zig_r[i] * 0x1p24);
    }
}

void nlif_pk_zig_ready(void) { pthread_once(&zig_once, zig_init); }

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
double nlif_pk_zig_slow(const philox4x32_key_t *key, uint32_t c0, uint32_t c1, uint32_t c2, double u, int i,
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
            double x = u * nlif_pk_zig_x[i];
            double f0 = exp(-0.5 * (nlif_pk_zig_x[i] * nlif_pk_zig_x[i] - x * x));
            double f1 = exp(-0.5 * (nlif_pk_zig_x[i + 1] * nlif_pk_zig_x[i + 1] - x * x));
            if (f1 + u32(r.v[0]) * (f0 - f1) < 1.0)
                return x;
        }
        /* rejected: a new point of the ziggurat */
        u = 2 * u32(r.v[2]) - 1;
        i = (int)(r.v[3] & (ZIG_C - 1));
        if (fabs(u) < nlif_pk_zig_r[i])
            return u * nlif_pk_zig_x[i];
    }
}

static double bridge_uniform(const philox4x32_key_t *key, uint32_t i, uint32_t c1, uint32_t c2)
{
    philox4x32_ctr_t r = philox_block(key, i, c1, c2, BRIDGE_DRAW);
    return u53(r.v[0], r.v[1]);
}

/* The rare path of the bridge test, out of line so that the hot loop keeps its registers: fire
 * with probability exp(−e), exp() evaluated only for a uniform between the bounds 1 − e ≤ exp(−e)
 * ≤ 1/(1 + e). */
int nlif_pk_bridge_fires(const philox4x32_key_t *key, uint32_t i, uint32_t c1, uint32_t c2, double e)
{
    double uu = bridge_uniform(key, i, c1, c2);
    return uu < 1.0 - e || (uu < 1.0 / (1.0 + e) && uu < exp(-e));
}

void nlif_philox_gaussians(uint64_t seed, uint32_t block, uint32_t c1, uint32_t c2, double out[4])
{
    nlif_pk_zig_ready();
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

/* ---------------------------------------------------------------- the vector paths' slow lanes
 *
 * The ziggurat's first wedge test in vectors (particles_avx2.c, particles_avx512.c), decided as the
 * scalar path decides it.
 *
 * The scalar path (nlif_pk_zig_slow) accepts the point x = u·x_i of a slow word when f1 + U·(f0 − f1) < 1,
 * f0 = exp(a0), a0 = −(x_i² − x²)/2, f1 = exp(a1), a1 = −(x_{i+1}² − x²)/2, with libm's exp (error
 * below 1 ulp). In a wedge x_{i+1} ≤ |x| ≤ x_i, so |a0|, |a1| ≤ d = max_i (x_i² − x_{i+1}²)/2 = 0.7316
 * (layer 1) and f0, f1 ≤ e^d < 2.08. The vector paths compute a0, a1 by the same operations and the
 * exponentials by a polynomial (wedge_exp_*) of relative error below ZIG_EXP_ERR on [−1, 1] (the unit
 * tests measure it against libm, and d from the table); the two sums then differ from the exact one by
 * less than 3·2.08·(ZIG_EXP_ERR + 2^−52) < 1e−12, so a lane whose vector sum is ZIG_MARGIN or more
 * away from 1 has the scalar decision (MATHEMATICS.md §1.1). A rejected point's successor (block 1's
 * words 2 and 3) gets the rectangle test in the vector too. What remains — the tail (layer 0), a sum
 * within ZIG_MARGIN of 1, a successor that misses its rectangle (≈ 3% of the slow lanes in all) — is
 * resumed by nlif_pk_zig_slow where the scalar path would be. */

/* The lanes the vector test leaves (their offset j in the group of block-1 words): resumed by
 * nlif_pk_zig_slow, from block 2 with the rejected point's successor (u2, i2) when resume2, else from
 * block 1 (already drawn) with the lane's own point. */
void nlif_pk_wedge_finish(const pass_ctx *c, chunk *k, long s, int off, int j, int resume2, double u2, int i2)
{
    int o = k->slow[off + j];
    if (resume2) {
        k->xi[o] = nlif_pk_zig_slow(&c->key, (uint32_t)(s + o), c->c1, c->c2, u2, i2, 2, NULL);
    } else {
        philox4x32_ctr_t first = {{k->blk[0][j], k->blk[1][j], k->blk[2][j], k->blk[3][j]}};
        uint32_t w = k->words[o];
        k->xi[o] = nlif_pk_zig_slow(&c->key, (uint32_t)(s + o), c->c1, c->c2, zig_u(w), (int)(w & (ZIG_C - 1)), 1,
                                    &first);
    }
}

/* ---------------------------------------------------------------- entry points for the tests and the benchmark */

int nlif_particles_gaussians(nlif_simd simd, uint64_t seed, uint32_t step, uint32_t stream, long first, long n,
                             uint32_t *words, double *xi)
{
    if (simd == NLIF_SIMD_AUTO)
        simd = nlif_simd_best();
    if (!nlif_simd_supported(simd) || first < 0 || first % 4 || n < 0)
        return -1;
    nlif_pk_zig_ready();
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
            nlif_pk_gauss_avx512(&c, k, first + s, len, xi == NULL);
        else
            nlif_pk_gauss_avx2(&c, k, first + s, len, xi == NULL);
        if (words)
            memcpy(words + s, k->words, (size_t)len * sizeof *words);
        if (xi)
            memcpy(xi + s, k->xi, (size_t)len * sizeof *xi);
    }
    free(k);
#endif
    return 0;
}

const double *nlif_particles_ziggurat_table(void) { return nlif_pk_zig_x; }

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
            d = fmax(d, 0.5 * (nlif_pk_zig_x[i] * nlif_pk_zig_x[i] - nlif_pk_zig_x[i + 1] * nlif_pk_zig_x[i + 1]));
        info[0] = d;
        info[1] = ZIG_EXP_ERR;
        info[2] = ZIG_MARGIN;
    }
    if ((simd != NLIF_SIMD_AVX2 && simd != NLIF_SIMD_AVX512) || !nlif_simd_supported(simd) || n < 0 || n % 8)
        return -1;
#if NLIF_X86
    for (long j = 0; j < n; j += 8) {
        if (simd == NLIF_SIMD_AVX512)
            nlif_pk_wedge_exp8(a + j, out + j);
        else
            nlif_pk_wedge_exp4x2(a + j, out + j);
    }
#else
    (void)a;
    (void)out;
#endif
    return 0;
}
