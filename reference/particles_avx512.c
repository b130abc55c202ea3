/* particles_avx512.c — the AVX-512 path of the particle kernel's streaming pass (MATHEMATICS.md §1.1,
 * "The particle kernel"; particles_step.c describes the three paths): Philox on 4 × 8 blocks per round
 * of 512-bit vectors (a word per 64-bit lane; 16 per vector, 32-bit lanes, for the slow lanes'
 * blocks), the ziggurat's rectangle test on 16 lanes in integers (table by permutes), its first wedge
 * test in lanes, and the update on 8 lanes — the same IEEE operations in the same order as the scalar
 * path, every lane that is not routine handed to the same scalar code, so that the bits are the
 * scalar path's. Compiled in every build but NLIF_PORTABLE; run only where the CPU has AVX-512F.
 */
#include "particles_impl.h"

#include <string.h>

#if NLIF_X86
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


/* u32 of 8 words, by the same operations. */
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
        __m512d xa = _mm512_i32gather_pd(i, nlif_pk_zig_x, 8), xb = _mm512_i32gather_pd(i, nlif_pk_zig_x + 1, 8);
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
        __m512d zr2 = _mm512_i32gather_pd(i2, nlif_pk_zig_r, 8), zx2 = _mm512_i32gather_pd(i2, nlif_pk_zig_x, 8);
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
                nlif_pk_wedge_finish(c, k, s, off, h + l, rej >> l & 1, u2s[l], i2s[l]);
            }
        }
    }
}

/* The Philox words of chunk k (particles s … s+len−1, s a multiple of 4): blocks (s/4 + j, c1, c2, 0),
 * 8 per vector in 64-bit lanes, transposed to particle order. */
__attribute__((target("avx512f"))) void nlif_pk_words_avx512(const pass_ctx *c, chunk *k, long s, int len)
{
    const __m256i lane8 = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
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
}

/* The random numbers of chunk k as gauss_avx2 (particles_avx2.c) draws them, with AVX-512. */
__attribute__((target("avx512f"))) void nlif_pk_gauss_avx512(const pass_ctx *c, chunk *k, long s, int len,
                                                             int words_only)
{
    const __m256i layer = _mm256_set1_epi32(ZIG_C - 1);
    const int len16 = len & ~15;
    nlif_pk_words_avx512(c, k, s, len);
    if (words_only)
        return;
    /* the rectangle test on 16 lanes in integers (nlif_pk_zig_t: its 128 entries in 8 registers, looked
     * up by permutes on the layer's low 5 bits and blends on bits 5 and 6); the slow lanes' offsets
     * compress-stored; the value u·x_i on 8 lanes (x_i gathered) */
    __m512i t[8];
    for (int q = 0; q < 8; q++)
        t[q] = _mm512_load_si512((const void *)(nlif_pk_zig_t + 16 * q));
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
            __m512d zx = _mm512_i32gather_pd(_mm256_and_si256(wh, layer), nlif_pk_zig_x, 8);
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

/* The particle update of chunk k from its Gaussians k->xi, as nlif_pk_update_avx2 on 8 lanes. */
__attribute__((target("avx512f"))) void nlif_pk_update_avx512(const pass_ctx *c, const chunk *k, long s, int len,
                                                              pass_out *o)
{
    const __m512d vf = _mm512_set1_pd(c->vf), pk = _mm512_set1_pd(c->pk), in = _mm512_set1_pd(c->input);
    const __m512d ds = _mm512_set1_pd(c->ds), sq = _mm512_set1_pd(c->sq), np = _mm512_set1_pd(c->np);
    const __m512d cap = _mm512_set1_pd(c->cap), iads = _mm512_set1_pd(c->inv_ads), bw = _mm512_set1_pd(c->b);
    const __m512d emax = _mm512_set1_pd(c->bridge ? 36.8 : -INFINITY), zero = _mm512_setzero_pd();
    double *v = c->v;
    const double *w = c->w;
    const int len8 = len & ~7;
    for (int i = 0; i < len8; i += 8) {
        long g = s + i;
        __m512d xi = _mm512_load_pd(k->xi + i);
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
        lane_scalar(c, o, s + i, k->xi[i]);
}

__attribute__((target("avx512f"))) void nlif_pk_pass_avx512(nlif_particles *ps, const pass_ctx *c, long lo, long hi,
                                                            pass_out *o)
{
    (void)ps;
    chunk k;
    for (long s = lo; s < hi; s += PASS_CHUNK) {
        long e = s + PASS_CHUNK < hi ? s + PASS_CHUNK : hi;
        int len = (int)(e - s);
        nlif_pk_gauss_avx512(c, &k, s, len, 0);
        nlif_pk_update_avx512(c, &k, s, len, o);
    }
}

/* For the tests (nlif_particles_wedge_exp): 8 arguments through the path's exponential. */
__attribute__((target("avx512f"))) void nlif_pk_wedge_exp8(const double *a, double *out)
{
    _mm512_storeu_pd(out, wedge_exp_avx512(_mm512_loadu_pd(a)));
}
#endif
