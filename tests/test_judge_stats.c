/* test_judge_stats.c — the statistics the Monte Carlo checks judge with (harness/judge/verify_data.c;
 * MATHEMATICS.md §6): the rate band, the MFE family of a random scheme (z excess, Welch df, Bonferroni
 * bounds, the family-wise false-failure rate measured on synthetic trains), the per-realisation MFE
 * times read from stored data, and stored data refused for a case they were not made for.
 */
#include "nlif_test.h"

#include "../harness/case/nlif_case.h"
#include "../io/nlif_mc_store.h"
#include "../io/nlif_results.h"
#include "../harness/judge/verify_data.h"
#include "../core/nlif_options.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DIR "build/tests/judge_stats"


/* rate_mc's band: 3 SE_MC against a deterministic scheme; against a random one the standard error of
 * its mean over seeds joins in quadrature (rates 1, 2, 3: s = 1, s / sqrt(3) = 0.57735). */
static void test_rate_band(void)
{
    const double r[] = {1, 2, 3}, same[] = {2, 2, 2};
    CU_ASSERT_DOUBLE_EQUAL(nlif_vd_rate_band(0.1, r, 3, 0), 0.3, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(nlif_vd_rate_band(0.1, r, 1, 1), 0.3, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(nlif_vd_rate_band(0.1, r, 3, 1), 3 * sqrt(0.01 + 1.0 / 3), 1e-14);
    CU_ASSERT_DOUBLE_EQUAL(nlif_vd_rate_band(0.1, same, 3, 1), 0.3, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(nlif_vd_rate_band(0, r, 3, 1), 3 / sqrt(3.0), 1e-14);
}

/* mfe_mc of a random scheme: the pieces. z excess (|d| − allowance)/SE, with SE = 0 inside/outside
 * the allowance; mean and SE; the least-squares period; Welch–Satterthwaite df; the Bonferroni bounds
 * (normal: Φ⁻¹(1 − 0.025/44) = 3.2544, Φ⁻¹(0.9875) = 2.2414; Student t, 14 df: 2.1448 at 95%). */
static void test_mfe_family_pieces(void)
{
    CU_ASSERT_DOUBLE_EQUAL(nlif_vd_z_excess(-0.003, 0.001, 0.001), 2.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(nlif_vd_z_excess(0.0005, 0.001, 0.001), -0.5, 1e-12);
    CU_ASSERT_EQUAL(nlif_vd_z_excess(0.0005, 0.001, 0), 0);
    CU_ASSERT(isinf(nlif_vd_z_excess(0.002, 0.001, 0)));
    const double x[] = {1, 2, 3, 4};
    double m, se;
    nlif_vd_mean_se(x, 4, &m, &se);
    CU_ASSERT_DOUBLE_EQUAL(m, 2.5, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(se, sqrt(5.0 / 3 / 4), 1e-15);
    const double t[] = {0.02, 0.25, 0.48, 0.71, 0.94}, bent[] = {0, 1, 0, 1};
    CU_ASSERT_DOUBLE_EQUAL(nlif_vd_slope(t, 5), 0.23, 1e-14);
    CU_ASSERT_DOUBLE_EQUAL(nlif_vd_slope(bent, 4), 0.2, 1e-15); /* (−1.5·0 − 0.5·1 + 0.5·0 + 1.5·1)/5 */
    CU_ASSERT_DOUBLE_EQUAL(nlif_vd_welch_df(1, 8, 1, 8), 14, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(nlif_vd_welch_df(1, 8, 0, 8), 7, 1e-12);
    CU_ASSERT(isinf(nlif_vd_welch_df(0, 8, 0, 8)));
    CU_ASSERT_DOUBLE_EQUAL(nlif_vd_bound(0.05, 44, INFINITY), 3.2544, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(nlif_vd_bound(0.025, 1, INFINITY), 2.2414, 1e-4);
    CU_ASSERT_DOUBLE_EQUAL(nlif_vd_bound(0.05, 1, 14), 2.1448, 1e-4);
    CU_ASSERT(nlif_vd_bound(0.025, 44, 14) > nlif_vd_bound(0.025, 44, 1000));
}

/* Reproducible standard normal numbers for the synthetic trains below (xorshift64*, Box-Muller). */
static double gauss(unsigned long long *x)
{
    double u[2];
    for (int k = 0; k < 2; k++) {
        *x ^= *x >> 12, *x ^= *x << 25, *x ^= *x >> 27;
        u[k] = (double)((*x * 2685821657736338717ULL) >> 11) * 0x1.0p-53 + 0x1.0p-54;
    }
    return sqrt(-2 * log(u[0])) * cos(2 * M_PI * u[1]);
}

enum { SN = 8, SK = 22 }; /* seeds (and Monte Carlo realisations) and MFEs of the synthetic trains */

/* One synthetic comparison: 8 scheme trains of period p against 8 Monte Carlo trains of period 0.23,
 * each train: the first MFE at 0.02 + 3e-3 ξ, then periods P + w ξ (a random walk of the phase), each
 * time observed with a jitter j ξ; sizes 0.9 + 1e-3 ξ (+ size_off on MFE 8 of the scheme). Returns the
 * judgement; *literal = 1 if some figure is outside its own 95% interval (the per-figure reading). */
static nlif_mfe_judgement synthetic(unsigned long long *x, double p, double w, double jit, double size_off, int *literal)
{
    double t[SN * SK], s[SN * SK], mct[SN * SK], mcs[SN * SK], tm[SK], tse[SK], sm[SK], sse[SK], tz[SK], sz[SK], t95[SK], s95[SK], col[SN];
    for (int i = 0; i < 2 * SN; i++) {
        double *tt = i < SN ? mct + i * SK : t + (i - SN) * SK, *ss = i < SN ? mcs + i * SK : s + (i - SN) * SK;
        double phase = 0.02 + 3e-3 * gauss(x);
        for (int q = 0; q < SK; q++) {
            tt[q] = phase + jit * gauss(x);
            phase += (i < SN ? 0.23 : p) + w * gauss(x);
            ss[q] = 0.9 + 1e-3 * gauss(x) + (i >= SN && q == 7 ? size_off : 0);
        }
    }
    for (int q = 0; q < SK; q++) {
        for (int i = 0; i < SN; i++)
            col[i] = mct[i * SK + q];
        nlif_vd_mean_se(col, SN, &tm[q], &tse[q]);
        for (int i = 0; i < SN; i++)
            col[i] = mcs[i * SK + q];
        nlif_vd_mean_se(col, SN, &sm[q], &sse[q]);
    }
    nlif_mfe_judgement j;
    nlif_vd_judge_mfe_random(t, s, SN, SK, tm, tse, sm, sse, SN, mct, SN, 5e-4, 2e-4, tz, sz, t95, s95, &j);
    *literal = j.in95 < j.nfig;
    return j;
}

/* The judgement on synthetic trains of 22 MFEs, 8 seeds against 8 realisations: the drift figure and
 * a size off by 0.01 (about 10 SE of the difference) each fail it; without per-realisation Monte
 * Carlo times there is no drift figure and the figures get the whole 5%. */
static void test_mfe_family_judgement(void)
{
    unsigned long long x = 88172645463325252ULL;
    int lit;
    nlif_mfe_judgement j = synthetic(&x, 0.23, 6e-4, 1e-3, 0.01, &lit);
    CU_ASSERT_EQUAL(j.nfig, 2 * SK);
    CU_ASSERT_EQUAL(j.kdrift, SK);
    CU_ASSERT_EQUAL(j.kworst, 8);
    CU_ASSERT_EQUAL(j.what, 's');
    CU_ASSERT(j.fails >= 1);
    CU_ASSERT_FALSE(j.pass);
    j = synthetic(&x, 0.2250, 6e-4, 1e-3, 0, &lit); /* a period 2% short */
    CU_ASSERT(j.zdrift > j.drift_bound);
    CU_ASSERT_FALSE(j.pass);
    double t[2 * 3] = {0, 1, 2, 0, 1, 2.1}, s[2 * 3] = {1, 1, 1, 1, 1, 1}, m[3] = {0, 1, 2}, se[3] = {0.01, 0.01, 0.01}, tz[3], sz[3], t95[3], s95[3];
    nlif_vd_judge_mfe_random(t, s, 2, 3, m, se, s, se, 8, NULL, 0, 0, 0, tz, sz, t95, s95, &j);
    CU_ASSERT_EQUAL(j.kdrift, 0);
    CU_ASSERT(isnan(j.zdrift));
    CU_ASSERT_DOUBLE_EQUAL(tz[2], 0.05 / hypot(0.05, 0.01), 1e-12);
}

/* Calibration of the criterion (MATHEMATICS.md 6): 1000 synthetic comparisons of a scheme with the same
 * law as its Monte Carlo reference under each of two noise models: model 0, a phase random walk of 3e-3
 * per period (per-realisation period sd about 7e-4, as the periodic_mfe_b3 Monte Carlo: 6.6e-4);
 * model 1, a walk of 6e-4 with a jitter of 1e-3. The family-wise test must fail at most about 5% of them
 * (asserted <= 7%; measured 2.5% and 2.8%). The per-figure reading of the issue fails more than a third
 * (measured 47% and 43%): that is why it is information, not the verdict. Power, 400 comparisons: a
 * period short by 1e-3 (0.43%; a drift of 0.021 by MFE 22) is caught in model 0 at least 45% of the
 * time (measured 64.5%), by 2e-3 at least 95% (100%); in model 1 all three (6e-4, 1e-3, 2e-3) at
 * least 95% (100%). NLIF_TEST_VERBOSE=1 prints the rates. */
static void test_mfe_family_calibration(void)
{
    unsigned long long x = 0x9E3779B97F4A7C15ULL;
    const double w[2] = {3e-3, 6e-4}, jit[2] = {0, 1e-3};
    for (int model = 0; model < 2; model++) {
        int fw = 0, lit = 0, l;
        for (int rep = 0; rep < 1000; rep++) {
            fw += !synthetic(&x, 0.23, w[model], jit[model], 0, &l).pass;
            lit += l;
        }
        if (getenv("NLIF_TEST_VERBOSE"))
            printf("\n    model %d: family-wise fails %.1f%%, per-figure fails %.1f%%\n", model, fw / 10.0, lit / 10.0);
        CU_ASSERT(fw <= 70);
        CU_ASSERT(lit > 333);
    }
    for (int d = 0; d < 3; d++) {
        int caught = 0, caught_m1 = 0, l;
        double p = 0.23 - (d == 0 ? 6e-4 : d == 1 ? 1e-3 : 2e-3);
        for (int rep = 0; rep < 400; rep++) {
            caught += !synthetic(&x, p, 3e-3, 0, 0, &l).pass;
            caught_m1 += !synthetic(&x, p, 6e-4, 1e-3, 0, &l).pass;
        }
        if (getenv("NLIF_TEST_VERBOSE"))
            printf("    power at period %.4f: model 0 %.1f%%, model 1 %.1f%%\n", p, caught / 4.0, caught_m1 / 4.0);
        if (d == 1)
            CU_ASSERT(caught >= 180); /* measured 64.5% */
        if (d == 2)
            CU_ASSERT(caught >= 380); /* measured 100% */
        CU_ASSERT(caught_m1 >= 380);  /* measured 100% at each */
    }
}

/* The per-realisation MFE times of a Monte Carlo MFE file (realisations from 0, index from 1);
 * a realisation without one of the first k MFEs is refused. */
static void test_mc_mfe_times(void)
{
    const char *path = DIR "/x_mfe.csv";
    mkdir("build", 0755);
    mkdir("build/tests", 0755);
    mkdir(DIR, 0755);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "# format: nlif-results 1\n# run_id: X1\n# case: x\nrealisation,index,t,size\n0,1,0.1,1\n0,2,0.3,1\n"
               "0,3,0.5,1\n1,1,0.2,1\n1,2,0.4,0.9\n");
    fclose(f);
    f = fopen(DIR "/x.json", "w"); /* the summary beside it: the same run id */
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "{\"format\": \"nlif-results\", \"format_version\": 1, \"run_id\": \"X1\"}\n");
    fclose(f);
    double *t = NULL;
    int r = 0;
    CU_ASSERT_EQUAL(nlif_vd_load_mc_mfe_times(path, 2, &t, &r), 0);
    CU_ASSERT_EQUAL(r, 2);
    if (t) {
        CU_ASSERT_DOUBLE_EQUAL(t[0], 0.1, 0);
        CU_ASSERT_DOUBLE_EQUAL(t[1], 0.3, 0);
        CU_ASSERT_DOUBLE_EQUAL(t[2], 0.2, 0);
        CU_ASSERT_DOUBLE_EQUAL(t[3], 0.4, 0);
    }
    free(t);
    CU_ASSERT_EQUAL(nlif_vd_load_mc_mfe_times(path, 3, &t, &r), -1);
    CU_ASSERT_PTR_NULL(t);
    CU_ASSERT_EQUAL(nlif_vd_load_mc_mfe_times(DIR "/missing_mfe.csv", 2, &t, &r), -1);
    /* the MFE file of another run than its summary is refused */
    f = fopen(DIR "/x.json", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "{\"format\": \"nlif-results\", \"format_version\": 1, \"run_id\": \"X2\"}\n");
    fclose(f);
    CU_ASSERT_EQUAL(nlif_vd_load_mc_mfe_times(path, 2, &t, &r), -1);
    CU_ASSERT_PTR_NULL(t);
}

/* The stored Monte Carlo data are read only for the case they were made for: a case whose model,
 * initial law, input or horizon, or whose particles, realisations or step (run.mc_dt), differ from
 * the stored run's is refused with what differs, so that no check judges against it. */
static void test_mc_reference_matches_case(void)
{
    nlif_case cs;
    mc_data mc;
    char why[1200];
    CU_ASSERT_FATAL(nlif_test_load(&cs, "sine_calm", NULL, 0));
    CU_ASSERT_EQUAL(nlif_vd_load_mc_why(&cs, &mc, why, sizeof why), 0);
    nlif_vd_free_mc(&mc);
    static const struct {
        const char *set, *want;
    } bad[] = {{"run.mc_dt=5e-4", "made with dt (run.mc_dt) = 0.001, the case states 0.0005"},
               {"run.realisations=16", "made with realisations = 8, the case states 16"},
               {"run.particles=1e5", "made with particles = 20000, the case states 100000"},
               {"run.t_final=12", "made with t_final = 10, the case states 12"},
               {"model.b=0.6", "made for another [model] than the case file states"},
               {"input.amplitude=0.9", "made for another [input] than the case file states"},
               {NULL, NULL}};
    for (int i = 0; bad[i].set; i++) {
        const char *sets[] = {bad[i].set};
        CU_ASSERT_FATAL(nlif_test_load(&cs, "sine_calm", sets, 1));
        why[0] = '\0';
        CU_ASSERT_EQUAL(nlif_vd_load_mc_why(&cs, &mc, why, sizeof why), -1);
        int ok = strstr(why, bad[i].want) && strstr(why, "reference/data/sine_calm/sine_calm.json") &&
                 strstr(why, "make_reference.sh sine_calm");
        if (!ok)
            fprintf(stderr, "\n  %s: %s\n", bad[i].set, why);
        CU_ASSERT(ok);
    }
}

static const nlif_test_case tests[] = {
    {"rate_mc band: 3 SE_MC, combined with the SE over seeds for a random scheme", test_rate_band},
    {"mfe_mc, random scheme: z excess, mean and SE, period, Welch df, Bonferroni bounds", test_mfe_family_pieces},
    {"mfe_mc, random scheme: a size off fails, a drift fails, no drift figure without Monte Carlo times", test_mfe_family_judgement},
    {"mfe_mc, random scheme: family-wise false failures about 5% (per-figure reading: over a third); drift power", test_mfe_family_calibration},
    {"mfe_mc, random scheme: per-realisation Monte Carlo MFE times are read, an incomplete one refused", test_mc_mfe_times},
    {"stored Monte Carlo data are refused for a case they were not made for", test_mc_reference_matches_case},
    {NULL, NULL},
};

int main(void) { return nlif_test_main("judge_stats", tests); }
