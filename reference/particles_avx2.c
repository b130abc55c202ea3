/* particles_avx2.c — the AVX2 path of the particle kernel's streaming pass (MATHEMATICS.md §1.1, "The
 * particle kernel"; particles_step.c describes the three paths): Philox on 2 × 8 blocks per round of
 * 256-bit vectors, the ziggurat's rectangle test (table gathers) and first wedge test in lanes, and
 * the update on 4 lanes — the same IEEE operations in the same order as the scalar path, every lane
 * that is not routine handed to the same scalar code, so that the bits are the scalar path's.
 * Compiled in every build but NLIF_PORTABLE; run only where the CPU has AVX2.
 */
#include "particles_impl.h"

#include <string.h>

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


/* u32 of 4 words, by the same operations (uint32 to double exactly: through int32 and 2^31) */
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
        __m256d xa = _mm256_i32gather_pd(nlif_pk_zig_x, i, 8), xb = _mm256_i32gather_pd(nlif_pk_zig_x + 1, i, 8);
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
        __m256d zr2 = _mm256_i32gather_pd(nlif_pk_zig_r, i2, 8), zx2 = _mm256_i32gather_pd(nlif_pk_zig_x, i2, 8);
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
                nlif_pk_wedge_finish(c, k, s, off, h + l, rej >> l & 1, u2s[l], i2s[l]);
        }
    }
}

/* The Philox words of chunk k (particles s … s+len−1, s a multiple of 4): blocks (s/4 + j, c1, c2, 0),
 * transposed to particle order. */
__attribute__((target("avx2"))) void nlif_pk_words_avx2(const pass_ctx *c, chunk *k, long s, int len)
{
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
}

/* The random numbers of chunk k (particles s … s+len−1, s a multiple of 4): the Philox words, then,
 * unless words_only, the Gaussians (ziggurat rectangle test in lanes; the slow lanes listed, their
 * first slow-path block drawn and their first wedge test decided in lanes, the rest finished by the
 * scalar slow path). */
__attribute__((target("avx2"))) void nlif_pk_gauss_avx2(const pass_ctx *c, chunk *k, long s, int len, int words_only)
{
    const __m256d absmask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7FFFFFFFFFFFFFFF));
    const __m128i layer = _mm_set1_epi32(ZIG_C - 1);
    const int len4 = len & ~3;
    nlif_pk_words_avx2(c, k, s, len);
    if (words_only)
        return;
    /* ziggurat fast path; slow lanes listed */
    k->nslow = 0;
    for (int i = 0; i < len4; i += 4) {
        __m128i wv = _mm_load_si128((const __m128i *)(k->words + i));
        __m256d uz = zig_u_avx2(wv);
        __m128i idx = _mm_and_si128(wv, layer);
        __m256d zr = _mm256_i32gather_pd(nlif_pk_zig_r, idx, 8), zx = _mm256_i32gather_pd(nlif_pk_zig_x, idx, 8);
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

/* The particle update of chunk k from its Gaussians k->xi: Euler–Maruyama and the tests on 4 lanes;
 * lanes with anything to do (at/above V_F, bridge candidate, near list) go to settle() in particle
 * order, the chunk's tail to lane_scalar(). */
__attribute__((target("avx2"))) void nlif_pk_update_avx2(const pass_ctx *c, const chunk *k, long s, int len,
                                                          pass_out *o)
{
    const __m256d vf = _mm256_set1_pd(c->vf), pk = _mm256_set1_pd(c->pk), in = _mm256_set1_pd(c->input);
    const __m256d ds = _mm256_set1_pd(c->ds), sq = _mm256_set1_pd(c->sq), np = _mm256_set1_pd(c->np);
    const __m256d cap = _mm256_set1_pd(c->cap), iads = _mm256_set1_pd(c->inv_ads), bw = _mm256_set1_pd(c->b);
    const __m256d emax = _mm256_set1_pd(c->bridge ? 36.8 : -INFINITY), zero = _mm256_setzero_pd();
    double *v = c->v;
    const double *w = c->w;
    const int len4 = len & ~3;
    for (int i = 0; i < len4; i += 4) {
        long g = s + i;
        __m256d xi = _mm256_load_pd(k->xi + i);
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
        lane_scalar(c, o, s + i, k->xi[i]);
}

__attribute__((target("avx2"))) void nlif_pk_pass_avx2(nlif_particles *ps, const pass_ctx *c, long lo, long hi,
                                                        pass_out *o)
{
    (void)ps;
    chunk k;
    for (long s = lo; s < hi; s += PASS_CHUNK) {
        long e = s + PASS_CHUNK < hi ? s + PASS_CHUNK : hi;
        int len = (int)(e - s);
        nlif_pk_gauss_avx2(c, &k, s, len, 0);
        nlif_pk_update_avx2(c, &k, s, len, o);
    }
}

/* For the tests (nlif_particles_wedge_exp): 8 arguments through the path's exponential. */
__attribute__((target("avx2"))) void nlif_pk_wedge_exp4x2(const double *a, double *out)
{
    _mm256_storeu_pd(out, wedge_exp_avx2(_mm256_loadu_pd(a)));
    _mm256_storeu_pd(out + 4, wedge_exp_avx2(_mm256_loadu_pd(a + 4)));
}
#endif
