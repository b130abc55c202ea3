/* test_particles.c — the particle kernel (reference/particles*.c) and the Monte Carlo driver:
 * exact cascades on hand-built configurations (conventions A and B), the MATHEMATICS.md §2 worked example
 * with 1e6 stratified particles, runaway detection, the instantaneous kick, the vector paths,
 * thread-count independence of `nlif mc` output files. The random numbers: test_particles_random.c.
 */
#include "../harness/case/nlif_case.h"
#include "../reference/montecarlo.h"
#include "../reference/particles.h"
#include "nlif_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nlif_particles *make(long n, double b, nlif_convention conv)
{
    nlif_particles_params p;
    nlif_particles_params_defaults(&p);
    p.n = n;
    p.model.b = b;
    p.model.convention = conv;
    p.dt = 1e-3;
    nlif_particles *ps = NULL;
    nlif_error err;
    CU_ASSERT_EQUAL_FATAL(nlif_particles_alloc(&ps, &p, &err), NLIF_OK);
    return ps;
}

/* N = 8, b = 1 (kick 1/8): k0 = 1 (2.1); c(1) adds 1.9 (≥ 1.875), c(2) adds 1.76 (≥ 1.75),
 * c(3) needs ≥ 1.625: 1.62 stays. K = 3 in both conventions (no refire: b < V_F − V_R). */
static const double hand_v[8] = {2.1, 1.9, 1.76, 1.5, 1.0, 0.3, 1.62, -1.0};

/* The hand-built configuration under one convention: the fired set is {0, 1, 2} (K = 3) in both,
 * the voltages afterwards are `after`; tolerance: a few ulps of the lazy kick (v − wK/N + wK/N). */
static void check_hand(nlif_convention conv, const double after[8])
{
    nlif_particles *ps = make(8, 1.0, conv);
    CU_ASSERT_EQUAL(nlif_particles_set_voltages(ps, hand_v, NULL, 8, NULL), NLIF_OK);
    long k;
    int fired[8];
    CU_ASSERT_EQUAL(nlif_particles_cascade_now(ps, &k, fired), NLIF_PARTICLES_OK);
    CU_ASSERT_EQUAL(k, 3);
    static const int expect[8] = {1, 1, 1, 0, 0, 0, 0, 0};
    for (int i = 0; i < 8; i++)
        CU_ASSERT_EQUAL(fired[i], expect[i]);
    const double *v = nlif_particles_voltages(ps);
    for (int i = 0; i < 8; i++)
        NLIF_ASSERT_CLOSE(v[i], after[i], 1e-14, 1e-14);
    nlif_particles_free(ps);
}

static void test_cascade_hand_a(void)
{
    /* fired at V_R, others + 3/8 */
    static const double after[8] = {1, 1, 1, 1.875, 1.375, 0.675, 1.995, -0.625};
    check_hand(NLIF_CONVENTION_A, after);
}

static void test_cascade_hand_b(void)
{
    /* generations {0} (count 1), {1} (2), {2} (3): land at V_R + (K − c)/8 = 1.25, 1.125, 1 */
    static const double after[8] = {1.25, 1.125, 1, 1.875, 1.375, 0.675, 1.995, -0.625};
    check_hand(NLIF_CONVENTION_B, after);
}

/* b = 3, N = 8 (kick 0.375): k0 = 1 (2.05); 1.7 needs 0.8 spikes → fires; 1.2 needs 2.13 > 2 → not.
 * A and B fire the same set {0, 1}; B: neuron 0 lands at 1 + 3·(2 − 1)/8 = 1.375. */
static void test_cascade_strong_b(void)
{
    static const double v0[8] = {2.05, 1.7, 1.2, 0, -1, -2, -3, -4};
    for (int conv = 0; conv < 2; conv++) {
        nlif_particles *ps = make(8, 3.0, (nlif_convention)conv);
        nlif_particles_set_voltages(ps, v0, NULL, 8, NULL);
        long k;
        int fired[8];
        CU_ASSERT_EQUAL(nlif_particles_cascade_now(ps, &k, fired), NLIF_PARTICLES_OK);
        CU_ASSERT_EQUAL(k, 2);
        CU_ASSERT(fired[0] == 1 && fired[1] == 1 && fired[2] == 0);
        const double *v = nlif_particles_voltages(ps);
        NLIF_ASSERT_CLOSE(v[0], conv ? 1.375 : 1.0, 1e-14, 1e-14); /* ulps of the lazy kick */
        NLIF_ASSERT_CLOSE(v[2], 1.95, 1e-14, 1e-14);
        nlif_particles_free(ps);
    }
}

/* Convention B with b = 3 > V_F − V_R and the whole network in the cascade: every reset neuron is
 * pushed over again by the others — the runaway must be reported, not looped on. Convention A on the
 * same data is finite (K = 3, the −2 neuron stays at 0.25). */
static void test_runaway(void)
{
    static const double v0[4] = {2.1, 1.5, 0.9, -2};
    nlif_particles *ps = make(4, 3.0, NLIF_CONVENTION_B);
    nlif_particles_set_voltages(ps, v0, NULL, 4, NULL);
    long k;
    CU_ASSERT_EQUAL(nlif_particles_cascade_now(ps, &k, NULL), NLIF_PARTICLES_RUNAWAY);
    nlif_particles_free(ps);
    ps = make(4, 3.0, NLIF_CONVENTION_A);
    nlif_particles_set_voltages(ps, v0, NULL, 4, NULL);
    CU_ASSERT_EQUAL(nlif_particles_cascade_now(ps, &k, NULL), NLIF_PARTICLES_OK);
    CU_ASSERT_EQUAL(k, 3);
    NLIF_ASSERT_CLOSE(nlif_particles_voltages(ps)[3], 0.25, 1e-14, 1e-14);
    nlif_particles_free(ps);
}

/* MATHEMATICS.md §2: p = 5 on [1.9, 2], 0.5 on [0, 1]; Δ = 0.5 for b = 1 and 1 for b = 3. 1e6 midpoint
 * stratified particles; the top one is put at V_F to start the cascade (one spike = 1e-6).
 * Tolerance 1e-3; stratification error is O(1/N_p) = 1e-6. */
static void test_worked_example(void)
{
    static const double tv[6] = {0, 1, 1, 1.9, 1.9, 2}, tp[6] = {0.5, 0.5, 0, 0, 5, 5};
    nlif_density d;
    nlif_error err;
    CU_ASSERT_EQUAL_FATAL(nlif_density_table(&d, tv, tp, 6, 1, &err), NLIF_OK);
    const long n = 1000000;
    const double b[2] = {1, 3}, delta[2] = {0.5, 1.0};
    for (int c = 0; c < 2; c++) {
        nlif_particles *ps = make(n, b[c], NLIF_CONVENTION_A);
        nlif_particles_sample_voltages(ps, &d, 0);
        double *v = malloc((size_t)n * sizeof *v);
        memcpy(v, nlif_particles_voltages(ps), (size_t)n * sizeof *v);
        v[n - 1] = 2.0;
        nlif_particles_set_voltages(ps, v, NULL, n, NULL);
        long k;
        CU_ASSERT_EQUAL(nlif_particles_cascade_now(ps, &k, NULL), NLIF_PARTICLES_OK);
        NLIF_ASSERT_CLOSE((double)k / n, delta[c], 0, 1e-3);
        printf("\n  worked example b = %g: K/N_p = %.7f (Delta = %g)", b[c], (double)k / n, delta[c]);
        free(v);
        nlif_particles_free(ps);
    }
    nlif_density_free(&d);
}

/* The kick: +0.5 at t0 = 0.05 inside the first step (0, 0.1]; 1.6 → 2.1 fires at once, 1.4 → 1.9
 * not (b = 0, so no cascade). Counted as kick spikes, before the Euler step. */
static void test_kick(void)
{
    nlif_particles_params p;
    nlif_particles_params_defaults(&p);
    p.n = 5;
    p.dt = 0.1;
    p.input.type = NLIF_INPUT_KICK;
    p.input.t0 = 0.05;
    p.input.kick = 0.5;
    nlif_particles *ps;
    CU_ASSERT_EQUAL_FATAL(nlif_particles_alloc(&ps, &p, NULL), NLIF_OK);
    static const double v0[5] = {1.6, 1.4, 0, -1, 0.5};
    nlif_particles_set_voltages(ps, v0, NULL, 5, NULL);
    nlif_particles_step_info info;
    nlif_particles_step(ps, &info);
    CU_ASSERT_EQUAL(info.kick_spikes, 1);
    nlif_particles_step(ps, &info); /* (0.1, 0.2]: no kick */
    CU_ASSERT_EQUAL(info.kick_spikes, 0);
    nlif_particles_free(ps);
}

/* Same seed ⇒ identical results for 1 and 2 threads: the library arrays bit for bit, then the
 * files of `nlif mc` (every line but the provenance line, which holds the date). */
static void test_threads_identical(void)
{
    /* the kick fires ≈ 3.4% of the stationary network: MFE level 0.01 so that it is recorded */
    const char *sets[] = {"run.t_final=1.2", "run.snapshots=0.5, 1.2", "run.mfe_level=0.01", "run.mc_dt=1e-4"};
    nlif_case cs;
    nlif_error err;
    if (nlif_case_load(&cs, "kick_input", sets, 4, &err)) {
        fprintf(stderr, "\n  %s\n", err.msg);
        CU_FAIL_FATAL("kick_input case");
    }
    nlif_mc_config cfg;
    nlif_mc_config_from_case(&cfg, &cs);
    cfg.particles = 3000;
    cfg.realisations = 5;
    nlif_mc_result r1, r2;
    cfg.threads = 1;
    CU_ASSERT_EQUAL_FATAL(nlif_mc_run(&cs, &cfg, &r1, &err), NLIF_OK);
    cfg.threads = 2;
    CU_ASSERT_EQUAL_FATAL(nlif_mc_run(&cs, &cfg, &r2, &err), NLIF_OK);
    CU_ASSERT(memcmp(r1.rate_mean, r2.rate_mean, (size_t)r1.nbins * sizeof(double)) == 0);
    CU_ASSERT(memcmp(r1.cum_se, r2.cum_se, (size_t)r1.nbins * sizeof(double)) == 0);
    CU_ASSERT(memcmp(r1.v_cdf, r2.v_cdf, (size_t)r1.n_snap * (r1.v_bins + 1) * sizeof(double)) == 0);
    CU_ASSERT(r1.rate_final_mean == r2.rate_final_mean && r1.n_mfe_index == r2.n_mfe_index);
    CU_ASSERT(r1.n_mfe_index >= 1); /* the kick makes an MFE at t0 = 1 */
    if (r1.n_mfe_index >= 1)
        NLIF_ASSERT_CLOSE(r1.mfe[0].t_mean, 1.0, 0, 1e-12); /* recorded at the kick time exactly */
    nlif_mc_result_free(&r1);
    nlif_mc_result_free(&r2);

    char cmd[1024], out[4096];
    for (int t = 1; t <= 2; t++) {
        snprintf(cmd, sizeof cmd,
                 "rm -rf build/tests/mc_t%d && %s mc kick_input --particles 3000 --realisations 5 --threads %d "
                 "--set run.t_final=1.2 --set 'run.snapshots=0.5, 1.2' --set run.mfe_level=0.01 --set run.mc_dt=1e-4 --out build/tests/mc_t%d",
                 t, nlif_test_bin(), t, t);
        CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    }
    const char *files[] = {"kick_input_rate.csv", "kick_input_mfe.csv", "kick_input_mfe_summary.csv",
                           "kick_input_snap1.csv", "kick_input_snap2.csv"};
    for (int f = 0; f < 5; f++) {
        snprintf(cmd, sizeof cmd,
                 "grep -v '^# provenance\\|^# run_id' build/tests/mc_t1/%s > build/tests/mc_a && "
                 "grep -v '^# provenance\\|^# run_id' build/tests/mc_t2/%s > build/tests/mc_b && cmp build/tests/mc_a build/tests/mc_b",
                 files[f], files[f]);
        int rc = nlif_test_sh(cmd, out, sizeof out);
        if (rc)
            fprintf(stderr, "\n  %s differs: %s", files[f], out);
        CU_ASSERT_EQUAL(rc, 0);
    }
}

/* One run of `steps` steps of a network (n particles, coupling b, weights w or NULL) on a SIMD path
 * and thread count: the final voltages and every step's counts. */
typedef struct path_run {
    double *v;
    long spikes[300], cascade[300], bridge[300];
    long max_cascade, bridge_total;
} path_run;

static void run_path(path_run *out, long n, double b, nlif_convention conv, const double *w, nlif_simd simd,
                     int threads, int steps)
{
    nlif_particles_params p;
    nlif_particles_params_defaults(&p);
    p.n = n;
    p.dt = 1e-3;
    p.model.b = b;
    p.model.convention = conv;
    p.seed = 11;
    p.stream = 3;
    p.simd = simd;
    p.threads = threads;
    if (w) { /* fixed weights: a structured network without learning */
        p.structure.enabled = 1;
        p.structure.epsilon = 1;
        p.structure.w_min = 0;
        p.structure.w_max = 3;
        p.structure.w_mean = 1.5;
        p.structure.rule = NLIF_RULE_NONE;
    }
    nlif_particles *ps;
    nlif_error err;
    CU_ASSERT_EQUAL_FATAL(nlif_particles_alloc(&ps, &p, &err), NLIF_OK);
    CU_ASSERT_EQUAL(nlif_particles_simd(ps), simd);
    double *v0 = malloc((size_t)n * sizeof *v0);
    for (long i = 0; i < n; i++) /* a spread that reaches V_F = 2 from the start */
        v0[i] = 2.0 - 2.5 * (double)((i * 7919) % n) / (double)n;
    CU_ASSERT_EQUAL(nlif_particles_set_voltages(ps, v0, w, n, NULL), NLIF_OK);
    free(v0);
    nlif_particles_step_info info;
    out->max_cascade = out->bridge_total = 0;
    for (int k = 0; k < steps; k++) {
        nlif_particles_step(ps, &info);
        out->spikes[k] = info.spikes;
        out->cascade[k] = info.cascade;
        out->bridge[k] = info.bridge_spikes;
        if (info.cascade > out->max_cascade)
            out->max_cascade = info.cascade;
        out->bridge_total += info.bridge_spikes;
    }
    out->v = malloc((size_t)n * sizeof *out->v);
    memcpy(out->v, nlif_particles_voltages(ps), (size_t)n * sizeof *out->v);
    nlif_particles_free(ps);
}

/* Every SIMD path this CPU has and 1 or 2 threads give the same bits as the scalar path, one thread:
 * a cascade case (b = 1.5, conventions A and B, fixed random weights too) and a calm one (b = 0).
 * N_p = 20011: two threads split it, and the vector loops have a scalar tail. */
static void test_simd_paths_identical(void)
{
    const long n = 20011;
    const int steps = 300;
    double *w = malloc((size_t)n * sizeof *w);
    for (long i = 0; i < n; i++)
        w[i] = 3.0 * (double)((i * 104729) % n) / (double)n;
    struct {
        double b;
        nlif_convention conv;
        const double *w;
        const char *what;
    } cases[4] = {{1.5, NLIF_CONVENTION_A, NULL, "cascade A"},
                  {1.5, NLIF_CONVENTION_B, NULL, "cascade B"},
                  {1.0, NLIF_CONVENTION_A, w, "weights"},
                  {0.0, NLIF_CONVENTION_A, NULL, "calm"}};
    int paths = 0;
    for (int c = 0; c < 4; c++) {
        path_run ref;
        run_path(&ref, n, cases[c].b, cases[c].conv, cases[c].w, NLIF_SIMD_OFF, 1, steps);
        CU_ASSERT(ref.bridge_total > 0); /* the bridge fired: its lanes were exercised */
        if (cases[c].b > 0)
            CU_ASSERT(ref.max_cascade >= 10); /* real cascades: the near list was used */
        for (int s = NLIF_SIMD_OFF; s <= NLIF_SIMD_AVX512; s++) {
            if (!nlif_simd_supported((nlif_simd)s))
                continue;
            for (int t = 1; t <= 2; t++) {
                if (s == NLIF_SIMD_OFF && t == 1)
                    continue;
                path_run r;
                run_path(&r, n, cases[c].b, cases[c].conv, cases[c].w, (nlif_simd)s, t, steps);
                int same = memcmp(r.v, ref.v, (size_t)n * sizeof *r.v) == 0 &&
                           memcmp(r.spikes, ref.spikes, sizeof r.spikes) == 0 &&
                           memcmp(r.cascade, ref.cascade, sizeof r.cascade) == 0 &&
                           memcmp(r.bridge, ref.bridge, sizeof r.bridge) == 0;
                if (!same)
                    fprintf(stderr, "\n  %s: path %s, %d thread(s) differs from off", cases[c].what,
                            nlif_simd_name((nlif_simd)s), t);
                CU_ASSERT(same);
                paths++;
                free(r.v);
            }
        }
        if (c == 0)
            printf("\n  cascade A: max cascade %ld, %ld bridge spikes", ref.max_cascade, ref.bridge_total);
        free(ref.v);
    }
    printf("\n  %d path/thread runs compared with off", paths);
    free(w);
}

/* An unsupported path is refused by the library and by `nlif mc --simd` (exit 2), as is an unknown
 * name. */
static void test_simd_refused(void)
{
    char out[4096], cmd[1024];
    snprintf(cmd, sizeof cmd, "%s mc sine_calm --simd avx1024 --out build/tests/mc_simd_bad", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    for (int s = NLIF_SIMD_AVX2; s <= NLIF_SIMD_AVX512; s++) {
        if (nlif_simd_supported((nlif_simd)s))
            continue;
        nlif_particles_params p;
        nlif_particles_params_defaults(&p);
        p.simd = (nlif_simd)s;
        nlif_particles *ps;
        CU_ASSERT_EQUAL(nlif_particles_alloc(&ps, &p, NULL), NLIF_EINVAL);
        snprintf(cmd, sizeof cmd, "%s mc sine_calm --simd %s --out build/tests/mc_simd_bad", nlif_test_bin(),
                 nlif_simd_name((nlif_simd)s));
        CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    }
    /* the benchmark's bound levels: only 0–2, and 1–2 only on a vector path */
    nlif_particles_params p;
    nlif_particles_params_defaults(&p);
    p.simd = NLIF_SIMD_OFF;
    nlif_particles *ps;
    CU_ASSERT_EQUAL_FATAL(nlif_particles_alloc(&ps, &p, NULL), NLIF_OK);
    CU_ASSERT_EQUAL(nlif_particles_bench_bound(ps, 1), -1);
    CU_ASSERT_EQUAL(nlif_particles_bench_bound(ps, 0), 0);
    nlif_particles_free(ps);
    if (nlif_simd_best() != NLIF_SIMD_OFF) {
        p.simd = nlif_simd_best();
        CU_ASSERT_EQUAL_FATAL(nlif_particles_alloc(&ps, &p, NULL), NLIF_OK);
        CU_ASSERT_EQUAL(nlif_particles_bench_bound(ps, 3), -1);
        CU_ASSERT_EQUAL(nlif_particles_bench_bound(ps, -1), -1);
        CU_ASSERT_EQUAL(nlif_particles_bench_bound(ps, 2), 0);
        nlif_particles_free(ps);
    }
    nlif_simd s;
    CU_ASSERT(nlif_simd_parse("avx2", &s) == 0 && s == NLIF_SIMD_AVX2);
    CU_ASSERT(nlif_simd_parse("sse", &s) == -1);
}

/* The benchmark's bound runs a pass of its own (reference/particles_bench.c) in place of the network's:
 * while it is set the steps differ from the kernel's (its values are not normals), and level 0 puts
 * the kernel's pass back, so that a network that ran the bound and came back steps as one that never
 * did (same bits). On the best vector path only (the levels are refused elsewhere). */
static void test_bench_bound_swap(void)
{
    nlif_simd best = nlif_simd_best();
    if (best == NLIF_SIMD_OFF) {
        printf("\n  no vector path here: skipped");
        return;
    }
    const long n = 2000;
    nlif_particles_params p;
    nlif_particles_params_defaults(&p);
    p.n = n;
    p.model.b = 1.5;
    p.seed = 11;
    p.simd = best;
    nlif_particles *a, *b;
    CU_ASSERT_EQUAL_FATAL(nlif_particles_alloc(&a, &p, NULL), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(nlif_particles_alloc(&b, &p, NULL), NLIF_OK);
    double *v0 = malloc((size_t)n * sizeof *v0);
    CU_ASSERT_FATAL(v0 != NULL);
    for (long i = 0; i < n; i++)
        v0[i] = -1.0 + 2.5 * (double)i / (double)n;
    nlif_particles_set_voltages(a, v0, NULL, n, NULL);
    nlif_particles_set_voltages(b, v0, NULL, n, NULL);
    nlif_particles_step_info ia, ib;
    /* one step with the bound on b: not the kernel's step */
    CU_ASSERT_EQUAL(nlif_particles_bench_bound(b, 2), 0);
    nlif_particles_step(a, &ia);
    nlif_particles_step(b, &ib);
    CU_ASSERT(memcmp(nlif_particles_voltages(a), nlif_particles_voltages(b), (size_t)n * sizeof *v0) != 0);
    /* the kernel back on b, both from the same voltages and clock: the same steps */
    CU_ASSERT_EQUAL(nlif_particles_bench_bound(b, 0), 0);
    nlif_particles_set_voltages(a, v0, NULL, n, NULL);
    nlif_particles_set_voltages(b, v0, NULL, n, NULL);
    nlif_particles_set_time(a, 0.0, 0);
    nlif_particles_set_time(b, 0.0, 0);
    for (int k = 0; k < 5; k++) {
        nlif_particles_step(a, &ia);
        nlif_particles_step(b, &ib);
        CU_ASSERT_EQUAL(ia.spikes, ib.spikes);
    }
    CU_ASSERT(memcmp(nlif_particles_voltages(a), nlif_particles_voltages(b), (size_t)n * sizeof *v0) == 0);
    free(v0);
    nlif_particles_free(a);
    nlif_particles_free(b);
}

/* The files of `nlif mc` on a cascade case (single_mfe) and a calm one (sine_calm) are the same with
 * --simd off and the best path, with the particle pass split over 2 threads (R = 1), and with glibc's
 * libm taking its code for a CPU without FMA and AVX2 (GLIBC_TUNABLES; that code rounds log, exp and
 * erfc differently on about 1e−4 of arguments, checked here with awk's log and exp, which share the
 * libm): every data line; the provenance (which path ran, CPU time, date) and the run id
 * (RESULTS.md) differ by design. */
static void test_simd_mc_files(void)
{
    const char *cases[2] = {"single_mfe", "sine_calm"};
    const char *nofma = "GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA";
    const char *runs[4][2] = {{"", "--simd off --threads 1"}, {"", "--threads 1"}, {"", "--threads 2"},
                              {nofma, "--threads 1"}};
    char cmd[2048], out[4096];
    snprintf(cmd, sizeof cmd,
             "p='BEGIN { for (i = 1; i <= 100000; i++) printf \"%%.17g %%.17g\\n\", log(i / 100001.5), "
             "exp(-8 * i / 100001.5) }'; a=$(awk \"$p\" | cksum); b=$(env %s awk \"$p\" | cksum); "
             "test \"$a\" != \"$b\"",
             nofma);
    int variant = nlif_test_sh(cmd, out, sizeof out) == 0;
    printf("\n  libm without FMA/AVX2 %s here", variant ? "rounds differently" : "rounds alike (nothing to see)");
    for (int c = 0; c < 2; c++) {
        for (int k = 0; k < 4; k++) {
            snprintf(cmd, sizeof cmd,
                     "rm -rf build/tests/mc_simd%d && %s %s mc %s --particles 20000 --realisations 1 %s "
                     "--set run.t_final=0.5 --set run.snapshots=0.5 --set run.mfe_level=0.01 --set run.mc_dt=1e-4 --out build/tests/mc_simd%d",
                     k, runs[k][0], nlif_test_bin(), cases[c], runs[k][1], k);
            CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
        }
        for (int k = 1; k < 4; k++) {
            snprintf(cmd, sizeof cmd,
                     "for f in build/tests/mc_simd0/*.csv; do g=build/tests/mc_simd%d/$(basename $f); "
                     "grep -v '^# provenance\\|^# run_id' $f > build/tests/mc_a && "
                     "grep -v '^# provenance\\|^# run_id' $g > build/tests/mc_b "
                     "&& cmp build/tests/mc_a build/tests/mc_b || exit 1; done",
                     k);
            int rc = nlif_test_sh(cmd, out, sizeof out);
            if (rc)
                fprintf(stderr, "\n  %s, %s %s: %s", cases[c], runs[k][0], runs[k][1], out);
            CU_ASSERT_EQUAL(rc, 0);
        }
    }
}

static const nlif_test_case tests[] = {{"cascade_hand_A", test_cascade_hand_a},
                                       {"cascade_hand_B", test_cascade_hand_b},
                                       {"cascade_strong_b", test_cascade_strong_b},
                                       {"runaway_B", test_runaway},
                                       {"worked_example_5_2", test_worked_example},
                                       {"kick", test_kick},
                                       {"threads_identical", test_threads_identical},
                                       {"simd_paths_identical", test_simd_paths_identical},
                                       {"simd_refused", test_simd_refused},
                                       {"bench_bound_swap", test_bench_bound_swap},
                                       {"simd_mc_files", test_simd_mc_files},
                                       {NULL, NULL}};

int main(void) { return nlif_test_main("particles", tests); }
