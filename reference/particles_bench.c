/* particles_bench.c — the benchmark's bound (tests/bench_particles.c; README, "The particle kernel's
 * benchmark"): what a kernel drawing one Philox4x32-10 word per particle-step cannot do without, timed
 * as whole steps. A pass of its own, per vector path: the Philox words drawn as the path draws them,
 * each turned into a value that is not a normal (level 1: its ziggurat rectangle value u·x_i whatever
 * u, no acceptance test and no slow words, variance 1.01; level 2: u·√3, variance 1, no table), and
 * the particles updated as the path updates them. nlif_particles_bench_bound swaps it in for the
 * network's pass and back; the production passes have no benchmark branch.
 */
#include "particles_impl.h"

#if NLIF_X86
#define BENCH_BOUND_C 1.7320508075688772

static double bench_bound_value(int level, uint32_t word)
{
    return zig_u(word) * (level == 1 ? nlif_pk_zig_x[word & (ZIG_C - 1)] : BENCH_BOUND_C);
}

/* Chunk k's values of the bound (its words drawn) on 4 lanes. */
__attribute__((target("avx2"))) static void bound_avx2(int level, chunk *k, int len)
{
    const __m128i layer = _mm_set1_epi32(ZIG_C - 1);
    const int len4 = len & ~3;
    for (int i = 0; i < len4; i += 4) {
        __m128i wv = _mm_load_si128((const __m128i *)(k->words + i));
        __m256d zx = level == 1 ? _mm256_i32gather_pd(nlif_pk_zig_x, _mm_and_si128(wv, layer), 8)
                                : _mm256_set1_pd(BENCH_BOUND_C);
        _mm256_store_pd(k->xi + i, _mm256_mul_pd(zig_u_avx2(wv), zx));
    }
    for (int i = len4; i < len; i++)
        k->xi[i] = bench_bound_value(level, k->words[i]);
}

/* The same on 8 lanes. */
__attribute__((target("avx512f"))) static void bound_avx512(int level, chunk *k, int len)
{
    const __m256i layer = _mm256_set1_epi32(ZIG_C - 1);
    const __m512d root3 = _mm512_set1_pd(BENCH_BOUND_C);
    for (int i = 0; i < (len & ~7); i += 8) {
        __m256i wh = _mm256_load_si256((const __m256i *)(k->words + i));
        __m512d zx = level == 1 ? _mm512_i32gather_pd(_mm256_and_si256(wh, layer), nlif_pk_zig_x, 8) : root3;
        _mm512_store_pd(k->xi + i, _mm512_mul_pd(zig_u_avx512(wh), zx));
    }
    for (int i = len & ~7; i < len; i++)
        k->xi[i] = bench_bound_value(level, k->words[i]);
}

__attribute__((target("avx2"))) static void pass_bound_avx2(nlif_particles *ps, const pass_ctx *c, long lo,
                                                             long hi, pass_out *o)
{
    chunk k;
    for (long s = lo; s < hi; s += PASS_CHUNK) {
        long e = s + PASS_CHUNK < hi ? s + PASS_CHUNK : hi;
        int len = (int)(e - s);
        nlif_pk_words_avx2(c, &k, s, len);
        bound_avx2(ps->bench_bound, &k, len);
        nlif_pk_update_avx2(c, &k, s, len, o);
    }
}

__attribute__((target("avx512f"))) static void pass_bound_avx512(nlif_particles *ps, const pass_ctx *c, long lo,
                                                                 long hi, pass_out *o)
{
    chunk k;
    for (long s = lo; s < hi; s += PASS_CHUNK) {
        long e = s + PASS_CHUNK < hi ? s + PASS_CHUNK : hi;
        int len = (int)(e - s);
        nlif_pk_words_avx512(c, &k, s, len);
        bound_avx512(ps->bench_bound, &k, len);
        nlif_pk_update_avx512(c, &k, s, len, o);
    }
}
#endif

int nlif_particles_bench_bound(nlif_particles *ps, int level)
{
    if (level < 0 || level > 2 || (level && ps->simd != NLIF_SIMD_AVX2 && ps->simd != NLIF_SIMD_AVX512))
        return -1;
    ps->bench_bound = level;
    ps->pass = nlif_pk_pass_of(ps->simd);
#if NLIF_X86
    if (level)
        ps->pass = ps->simd == NLIF_SIMD_AVX512 ? pass_bound_avx512 : pass_bound_avx2;
#endif
    return 0;
}
