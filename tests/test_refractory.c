/* test_refractory.c — the refractory period (MATHEMATICS.md §1.5, §2): the exact stationary rates of
 * N = 𝒩(bN + I)(1 − τ_R N) against the closed form of the uncoupled model and their residuals; spap's
 * discrete stationary rate converging to the exact one at order 2 (within 1e-6 at Δv = 0.005), p + R
 * conserved and both non-negative in spap and cvode, explicit's R; the case rules with FILE:LINE; the
 * result format's column R judged with the snapshots (a set without it, or with a wrong R, is
 * refused by nlif check); the problem JSON's model.tau_ref and initial.refractory; the particle
 * kernel's refractory clocks: the same bits on every SIMD path and thread count (as
 * tests/test_particles.c asks of the kernel), the held fraction against τ_R N∞.
 */
#include "nlif_test.h"

#include "../exact/nlif_exact.h"
#include "../harness/case/nlif_case.h"
#include "../reference/nlif_cvode.h"
#include "../reference/particles.h"
#include "../solvers/explicit/explicit.h"
#include "../solvers/spap/spap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* b = 0: 𝒩 does not depend on N, so N = 𝒩(I)(1 − τN) has the one root 𝒩/(1 + τ𝒩). */
static void test_exact_closed_form(void)
{
    const double taus[] = {0.1, 0.5, 2.0}, inputs[] = {0.0, 1.0, 2.0};
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++) {
            nlif_model m = {.a0 = 1, .b = 0, .v_f = 2, .v_r = 1, .v_min = -4, .tau_ref = taus[i]};
            double roots[NLIF_MAX_ROOTS], u = nlif_uncoupled_rate(1, 2, 1, -4, inputs[k]);
            int n = 0;
            CU_ASSERT_EQUAL_FATAL(nlif_stationary_rates(&m, inputs[k], roots, NLIF_MAX_ROOTS, &n, NULL), NLIF_OK);
            CU_ASSERT_EQUAL_FATAL(n, 1);
            /* Brent stops at 1e-14 in log N; the quadrature of 1/𝒩 is good to 1e-13 */
            NLIF_ASSERT_CLOSE(roots[0], u / (1 + taus[i] * u), 1e-12, 0);
            NLIF_ASSERT_CLOSE(nlif_rate_residual(&m, inputs[k], roots[0]), 0.0, 0, 1e-12);
        }
}

/* The bistable network (b = 1.5, two roots 0.192367 and 2.289126 without the refractory state). With
 * τ_R = 0.01 a third, saturated state appears near 1/τ_R's reach (31.15: N·I(N) no longer tends to
 * (V_F − V_R)/b < 1, the factor 1 − τN closes the curve), the low root drops and the middle one rises;
 * with τ_R = 0.05 only the low state is left. Every root found solves the equation below 1/τ_R. */
static void test_exact_bistable(void)
{
    nlif_model m = {.a0 = 1, .b = 1.5, .v_f = 2, .v_r = 1, .v_min = -4};
    double r0[NLIF_MAX_ROOTS], r1[NLIF_MAX_ROOTS];
    int n0 = 0, n1 = 0;
    CU_ASSERT_EQUAL_FATAL(nlif_stationary_rates(&m, 0.0, r0, NLIF_MAX_ROOTS, &n0, NULL), NLIF_OK);
    m.tau_ref = 0.01;
    CU_ASSERT_EQUAL_FATAL(nlif_stationary_rates(&m, 0.0, r1, NLIF_MAX_ROOTS, &n1, NULL), NLIF_OK);
    CU_ASSERT_EQUAL(n0, 2);
    CU_ASSERT_EQUAL_FATAL(n1, 3);
    for (int i = 0; i < n1; i++) {
        fprintf(stderr, "\n  b = 1.5, tau_ref = 0.01: root %d %.9f", i, r1[i]);
        CU_ASSERT(r1[i] < 1 / m.tau_ref);
        NLIF_ASSERT_CLOSE(nlif_rate_residual(&m, 0.0, r1[i]), 0.0, 0, 1e-11);
    }
    CU_ASSERT(r1[0] < r0[0] && r1[1] > r0[1] && r1[2] > 30);
    m.tau_ref = 0.05;
    CU_ASSERT_EQUAL(nlif_stationary_rates(&m, 0.0, r1, NLIF_MAX_ROOTS, &n1, NULL), NLIF_OK);
    CU_ASSERT_EQUAL(n1, 1);
    NLIF_ASSERT_CLOSE(nlif_rate_residual(&m, 0.0, r1[0]), 0.0, 0, 1e-11);
}

/* Run scheme ST on CASE with SETS to t_end; the final rate, and the largest |mass − 1|, the smallest
 * density and R seen. */
typedef struct outcome {
    double rate, drift, pmin, rmin, rlast;
} outcome;

static outcome run_case(const nlif_scheme_type *st, const char *name, const char *const *sets, int ns, double t_end)
{
    outcome o = {NAN, NAN, NAN, INFINITY, NAN};
    nlif_case cs;
    if (!nlif_test_load(&cs, name, sets, ns))
        return o;
    nlif_optset opt;
    nlif_error err = {0};
    nlif_optset_init(&opt, st->options, &err);
    nlif_trajectory tr;
    void *s = nlif_test_run(st, &cs, &opt, &tr, t_end);
    CU_ASSERT_PTR_NOT_NULL_FATAL(tr.refractory);
    o.rate = tr.s[tr.n - 1].rate;
    o.pmin = tr.min_density;
    o.drift = 0;
    for (size_t i = 0; i < tr.n; i++) {
        o.drift = fmax(o.drift, fabs(tr.s[i].mass - 1.0));
        o.rmin = fmin(o.rmin, tr.refractory[i]);
    }
    o.rlast = tr.refractory[tr.n - 1];
    st->free(s);
    nlif_traj_free(&tr);
    return o;
}

static double exact_rate(const char *name)
{
    nlif_case cs;
    double roots[NLIF_MAX_ROOTS];
    int n = 0;
    if (!nlif_test_load(&cs, name, NULL, 0))
        return NAN;
    CU_ASSERT_EQUAL(nlif_stationary_rates(&cs.model, cs.input.i0, roots, NLIF_MAX_ROOTS, &n, NULL), NLIF_OK);
    CU_ASSERT_EQUAL(n, 1);
    return n ? roots[0] : NAN;
}

/* spap's discrete stationary rate on a Δv ladder (Δt = 0.01: the fixed point of the step does not depend
 * on Δt; T = 100 leaves no transient): order 2, within 1e-6 of the exact root at Δv = 0.005 (measured
 * 8.6e-7; 1.4e-5 at the default 0.02), p + R = 1 to round-off, p ≥ 0 and R ≥ 0 at every step. */
static void test_spap_ladder(void)
{
    const char *dvs[] = {"run.dv=0.02", "run.dv=0.01", "run.dv=0.005", "run.dv=0.0025"};
    double exact = exact_rate("refractory_excitatory"), err[4];
    for (int k = 0; k < 4; k++) {
        const char *sets[] = {dvs[k], "run.dt=0.01", "run.t_final=100", "run.snapshots=100"};
        outcome o = run_case(&nlif_scheme_spap, "refractory_excitatory", sets, 4, 100.0);
        err[k] = fabs(o.rate - exact);
        fprintf(stderr, "\n  spap %s: N = %.10f, |N - %.10f| = %.3e, mass drift %.2e, R = %.9f (tau N = %.9f)", dvs[k],
                o.rate, exact, err[k], o.drift, o.rlast, 1.0 * o.rate);
        CU_ASSERT(o.drift <= 1e-13); /* the guard leaves round-off of 1e4 steps (MATHEMATICS.md 6: 1e-12) */
        CU_ASSERT(o.pmin >= 0);
        CU_ASSERT(o.rmin >= 0);
        NLIF_ASSERT_CLOSE(o.rlast, 1.0 * o.rate, 1e-9, 0); /* R∞ = τ_R N∞, τ_R = 1 */
    }
    CU_ASSERT(err[2] <= 1e-6);
    for (int k = 0; k + 1 < 4; k++)
        NLIF_ASSERT_CLOSE(log(err[k] / err[k + 1]) / log(2.0), 2.0, 0, 0.1);
}

/* cvode (R one more ODE unknown) and explicit (R one more Runge–Kutta unknown) on refractory_relax:
 * cvode within its claim 1e-4 and mass to 1e-12; explicit within the case's rate_tol, R ≥ 0, and its p + R
 * drift no larger than its known outflow defect without a refractory state (MATHEMATICS.md 5c: O(Δv²),
 * 2.3e-3 at N = 0.77). */
static void test_cvode_explicit(void)
{
    double exact = exact_rate("refractory_relax");
    outcome c = run_case(&nlif_scheme_cvode, "refractory_relax", NULL, 0, 10.0);
    fprintf(stderr, "\n  cvode: |N - exact| = %.3e, drift %.2e", fabs(c.rate - exact), c.drift);
    CU_ASSERT(fabs(c.rate - exact) <= 1e-4);
    CU_ASSERT(c.drift <= 1e-12);
    CU_ASSERT(c.rmin >= 0);
    NLIF_ASSERT_CLOSE(c.rlast, 0.5 * c.rate, 1e-4, 0); /* R∞ = τ_R N∞, up to the transient left at t = 10 */
    const char *sets[] = {"run.dv=0.04"}; /* the CFL step ×4: a second of CPU */
    outcome e = run_case(&nlif_scheme_explicit, "refractory_relax", sets, 1, 10.0);
    fprintf(stderr, "\n  explicit (dv 0.04): |N - exact| = %.3e, drift %.2e", fabs(e.rate - exact), e.drift);
    CU_ASSERT(fabs(e.rate - exact) <= 3.9e-3);
    CU_ASSERT(e.rmin >= 0);
    CU_ASSERT(e.drift <= 1e-2);
    NLIF_ASSERT_CLOSE(e.rlast, 0.5 * e.rate, 1e-3, 0);
}

/* The model without a refractory state relaxes to another rate, far outside the bound: what
 * stationary_rate holds m_refractory_instant to (MATHEMATICS.md 6, the mutant catalogue). */
static void test_without_refractory_differs(void)
{
    double exact = exact_rate("refractory_relax");
    nlif_case cs;
    const char *sets[] = {"model.tau_ref=0"};
    CU_ASSERT_FATAL(nlif_test_load(&cs, "refractory_relax", sets, 1));
    nlif_optset opt;
    nlif_optset_init(&opt, nlif_scheme_spap.options, NULL);
    nlif_trajectory tr;
    void *s = nlif_test_run(&nlif_scheme_spap, &cs, &opt, &tr, 10.0);
    CU_ASSERT_PTR_NULL(tr.refractory); /* no column R without the refractory state */
    double gap = fabs(tr.s[tr.n - 1].rate - exact);
    fprintf(stderr, "\n  tau_ref read as 0: |N - exact| = %.3e (rate_tol 3.9e-3)", gap);
    CU_ASSERT(gap > 10 * 3.9e-3);
    nlif_scheme_spap.free(s);
    nlif_traj_free(&tr);
}

/* Bad input is refused with FILE:LINE and what is allowed. */
static void test_case_rules(void)
{
    static const struct {
        const char *extra, *want;
    } bad[] = {
        {"[model]\nb = 0\n[initial]\ntype = gaussian\nrefractory = 0.2\nmean = 0\nsd = 1\n", "x.ini:5: initial.refractory = 0.2 needs a refractory period"},
        {"[model]\nb = 0\ntau_ref = -1\n[initial]\ntype = gaussian\nmean = 0\nsd = 1\n", "x.ini:3: model.tau_ref"},
        {"[model]\nb = 0\ntau_ref = 0.5\n[initial]\ntype = gaussian\nrefractory = 1\nmean = 0\nsd = 1\n", "x.ini:6: initial.refractory = 1 leaves"},
        {"[model]\nb = 0\ntau_ref = 0.5\n[initial]\ntype = stationary\nrefractory = 0.1\n", "x.ini:6: initial.refractory is used only with"},
        {"[model]\nb = 0\ntau_ref = 0.5\nconvention = B\n[initial]\ntype = gaussian\nmean = 0\nsd = 1\n", "x.ini:3: model.tau_ref = 0.5 with convention B"},
        {"[model]\nb = 0\ntau_ref = 0.5\n[initial]\ntype = gaussian\nmean = 0\nsd = 1\n[structure]\nw_min = 0\nw_max = 1\n", "x.ini:3: model.tau_ref = 0.5 with a [structure]"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "[case]\ndescription = d\n%s[run]\nt_final = 1\n", bad[i].extra);
        /* the header lines shift the key lines by 2: the expectations count from the extra's start */
        nlif_case cs;
        nlif_error err = {0};
        int rc = nlif_case_parse_string(&cs, text, "x.ini", NULL, 0, &err);
        char want[256];
        int line = 0;
        sscanf(bad[i].want, "x.ini:%d", &line);
        snprintf(want, sizeof want, "x.ini:%d%s", line + 2, strchr(bad[i].want + 6, ':'));
        if (rc != NLIF_EINVAL || !strstr(err.msg, want))
            fprintf(stderr, "\n  case %zu: rc %d, '%s' (wanted '%s')", i, rc, err.msg, want);
        CU_ASSERT_EQUAL(rc, NLIF_EINVAL);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, want));
        CU_ASSERT(strstr(err.msg, "allowed") || strstr(err.msg, "used only with type=gaussian|uniform|table"));
    }
}

/* The column R is what the mass check judges with the snapshots: a result set that drops it (or writes
 * a wrong R) disagrees with its own mass column and is refused by nlif check (exit 1, the finding). */
static void test_result_column(void)
{
    char cmd[1024], out[8192];
    const char *dir = "/tmp/nlif-test-refractory";
    snprintf(cmd, sizeof cmd, "rm -rf %s && %s run refractory_excitatory --scheme spap --set run.t_final=1 --set "
             "run.snapshots=0.5 --out %s >/dev/null && %s check %s/refractory_excitatory.spap.json", dir, nlif_test_bin(),
             dir, nlif_test_bin(), dir);
    CU_ASSERT_EQUAL_FATAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "ok"));
    snprintf(cmd, sizeof cmd, "head -3 %s/refractory_excitatory.spap.series.csv | tail -1; grep '^t,' %s/*.series.csv", dir, dir);
    nlif_test_sh(cmd, out, sizeof out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "t,rate,fired,mass,min_density,R"));
    /* the column dropped: the header is still a valid one, the snapshots now miss the mass R */
    snprintf(cmd, sizeof cmd, "sed -i '/^#/!s/,[^,]*$//' %s/refractory_excitatory.spap.series.csv && %s check "
             "%s/refractory_excitatory.spap.json", dir, nlif_test_bin(), dir);
    int rc = nlif_test_sh(cmd, out, sizeof out);
    if (rc != 1 || !strstr(out, "the mass column says"))
        fprintf(stderr, "\n  without R: exit %d: %.600s", rc, out);
    CU_ASSERT_EQUAL(rc, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "the mass column says"));
    /* an extra column that is not R is refused by the reader with what the header must be */
    snprintf(cmd, sizeof cmd, "sed -i 's/^t,rate,fired,mass,min_density$/t,rate,fired,mass,min_density,Q/' "
             "%s/refractory_excitatory.spap.series.csv && %s check %s/refractory_excitatory.spap.json", dir, nlif_test_bin(), dir);
    rc = nlif_test_sh(cmd, out, sizeof out);
    CU_ASSERT_EQUAL(rc, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "the header must be 't,rate,fired,mass,min_density[,R]'"));
}

/* The problem an external solver receives states the refractory period and R(0) (SOLVERS.md). */
static void test_problem_json(void)
{
    char cmd[512], out[65536];
    snprintf(cmd, sizeof cmd, "%s problem refractory_excitatory --solver tests/ext/good.ini | grep -E "
             "'\"(tau_ref|refractory)\"'", nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"tau_ref\": 1"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"refractory\": 0.2"));
    snprintf(cmd, sizeof cmd, "%s problem relax_linear --solver tests/ext/good.ini | grep -E '\"(tau_ref|refractory)\"'",
             nlif_test_bin());
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"tau_ref\": 0"));
}

/* A network with refractory clocks (τ_R = 0.2, b = 1: cascades; R(0) = 0.3) for `steps` steps on a
 * path and thread count: final voltages of the active neurons, release times, spikes per step. */
typedef struct clock_run {
    double *v, *rel;
    long spikes[300], held0, held;
} clock_run;

static void run_clocks(clock_run *out, long n, nlif_simd simd, int threads, int steps)
{
    nlif_particles_params p;
    nlif_particles_params_defaults(&p);
    p.n = n;
    p.dt = 1e-3;
    p.model.a0 = 1, p.model.b = 1.0, p.model.v_f = 2, p.model.v_r = 1, p.model.tau_ref = 0.2;
    p.input.type = NLIF_INPUT_CONSTANT, p.input.i0 = 1.0;
    p.seed = 7, p.stream = 2, p.simd = simd, p.threads = threads;
    nlif_particles *ps;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_particles_alloc(&ps, &p, &err), NLIF_OK);
    double *v0 = malloc((size_t)n * sizeof *v0);
    for (long i = 0; i < n; i++) /* a spread that reaches V_F = 2 from the start */
        v0[i] = 2.0 - 2.5 * (double)((i * 7919) % n) / (double)n;
    CU_ASSERT_EQUAL(nlif_particles_set_voltages(ps, v0, NULL, n, NULL), NLIF_OK);
    free(v0);
    nlif_particles_refractory_init(ps, 0.3);
    out->held0 = nlif_particles_refractory_count(ps);
    nlif_particles_step_info info;
    for (int k = 0; k < steps; k++) {
        nlif_particles_step(ps, &info);
        out->spikes[k] = info.spikes;
    }
    out->held = nlif_particles_refractory_count(ps);
    const double *v = nlif_particles_voltages(ps), *rel = nlif_particles_release(ps);
    out->v = malloc((size_t)n * sizeof *out->v);
    out->rel = malloc((size_t)n * sizeof *out->rel);
    for (long i = 0; i < n; i++) /* a held neuron's voltage is not meaningful */
        out->v[i] = rel[i] >= 0 ? 0.0 : v[i];
    memcpy(out->rel, rel, (size_t)n * sizeof *out->rel);
    nlif_particles_free(ps);
}

/* Every SIMD path and 1 or 2 threads give the scalar path's bits with refractory clocks (N_p = 20011:
 * two threads split it, the vector loops have a tail); R(0) = 0.3 holds 0.3 N_p within 4 SE. */
static void test_particles_clocks_identical(void)
{
    const long n = 20011;
    clock_run ref;
    run_clocks(&ref, n, NLIF_SIMD_OFF, 1, 300);
    double se = sqrt(0.3 * 0.7 / n);
    fprintf(stderr, "\n  held at t = 0: %.4f (R(0) = 0.3, SE %.4f); at t = 0.3: %.4f", (double)ref.held0 / n, se,
            (double)ref.held / n);
    CU_ASSERT(fabs((double)ref.held0 / n - 0.3) <= 4 * se);
    long spikes = 0;
    for (int k = 0; k < 300; k++)
        spikes += ref.spikes[k];
    CU_ASSERT(spikes > 1000); /* neurons fired, were held and released */
    int paths = 0;
    for (int s = NLIF_SIMD_OFF; s <= NLIF_SIMD_AVX512; s++) {
        if (!nlif_simd_supported((nlif_simd)s))
            continue;
        for (int t = 1; t <= 2; t++) {
            if (s == NLIF_SIMD_OFF && t == 1)
                continue;
            clock_run r;
            run_clocks(&r, n, (nlif_simd)s, t, 300);
            int same = memcmp(r.v, ref.v, (size_t)n * sizeof *r.v) == 0 &&
                       memcmp(r.rel, ref.rel, (size_t)n * sizeof *r.rel) == 0 &&
                       memcmp(r.spikes, ref.spikes, sizeof r.spikes) == 0 && r.held == ref.held;
            if (!same)
                fprintf(stderr, "\n  path %s, %d thread(s) differs from off", nlif_simd_name((nlif_simd)s), t);
            CU_ASSERT(same);
            paths++;
            free(r.v);
            free(r.rel);
        }
    }
    fprintf(stderr, "\n  %d path/thread runs compared with off", paths);
    free(ref.v);
    free(ref.rel);
}

/* The uncoupled network under I = 1 with τ_R = 0.5 (refractory_relax's model): over t in [3, 5] the
 * particles' rate and held fraction against the exact N∞ = 0.385593 and R∞ = τ_R N∞ (2e4 particles,
 * 2000 steps: within 5 standard errors of a Poisson count and of a binomial fraction). */
static void test_particles_stationary(void)
{
    nlif_case cs;
    CU_ASSERT_FATAL(nlif_test_load(&cs, "refractory_relax", NULL, 0));
    double exact = exact_rate("refractory_relax");
    nlif_particles_params p;
    nlif_particles_params_from_case(&p, &cs);
    p.n = 20000;
    nlif_particles *ps;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_particles_alloc(&ps, &p, &err), NLIF_OK);
    nlif_density d;
    CU_ASSERT_EQUAL_FATAL(nlif_density_init(&d, &cs, &err), NLIF_OK);
    nlif_particles_sample_voltages(ps, &d, 1);
    nlif_density_free(&d);
    nlif_particles_step_info info;
    long spikes = 0, steps = 0;
    double held = 0;
    for (int k = 0; k < 5000; k++) {
        nlif_particles_step(ps, &info);
        if (k >= 3000)
            spikes += info.spikes, held += (double)nlif_particles_refractory_count(ps) / p.n, steps++;
    }
    double rate = spikes / (p.n * p.dt * steps), rate_se = sqrt(spikes) / (p.n * p.dt * steps);
    double frac = held / steps, frac_se = sqrt(0.5 * exact * (1 - 0.5 * exact) / p.n);
    fprintf(stderr, "\n  particles: N = %.5f (exact %.5f, SE %.5f); held %.5f (tau N = %.5f, SE %.5f)", rate, exact,
            rate_se, frac, 0.5 * exact, frac_se);
    CU_ASSERT(fabs(rate - exact) <= 5 * rate_se);
    CU_ASSERT(fabs(frac - 0.5 * exact) <= 5 * frac_se);
    nlif_particles_free(ps);
}

/* `nlif mc` of a refractory case writes the same data rows with 1 and 2 threads and with the scalar
 * path (as tests/test_particles.c asks of every case it runs): the refractory clocks included. */
static void test_mc_files_identical(void)
{
    static const char *const runs[][2] = {{"1", "auto"}, {"2", "auto"}, {"1", "off"}};
    char cmd[2048], out[4096];
    for (int k = 0; k < 3; k++) {
        snprintf(cmd, sizeof cmd, "rm -rf /tmp/nlif-test-refr-mc%d && %s mc refractory_excitatory --particles 3000 "
                 "--realisations 2 --threads %s --simd %s --set run.t_final=1 --set run.snapshots=0.5,1 --out "
                 "/tmp/nlif-test-refr-mc%d >/dev/null", k, nlif_test_bin(), runs[k][0], runs[k][1], k);
        CU_ASSERT_EQUAL_FATAL(nlif_test_sh(cmd, out, sizeof out), 0);
    }
    for (int k = 1; k < 3; k++) {
        snprintf(cmd, sizeof cmd, "cd /tmp && for f in nlif-test-refr-mc0/*.csv; do g=nlif-test-refr-mc%d/${f#*/}; "
                 "grep -v '^#' $f > nlif-test-refr-a && grep -v '^#' $g > nlif-test-refr-b && cmp nlif-test-refr-a "
                 "nlif-test-refr-b || exit 1; done", k);
        int rc = nlif_test_sh(cmd, out, sizeof out);
        if (rc)
            fprintf(stderr, "\n  threads %s, simd %s: %s", runs[k][0], runs[k][1], out);
        CU_ASSERT_EQUAL(rc, 0);
    }
    /* the snapshots' density leaves the held neurons out: its mass is 1 − R (R ≈ 0.2 here) */
    snprintf(cmd, sizeof cmd, "tail -1 /tmp/nlif-test-refr-mc0/refractory_excitatory_snap1.csv");
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    double lo, hi, dens, cdf = NAN;
    CU_ASSERT_EQUAL(sscanf(out, "%lf,%lf,%lf,%lf", &lo, &hi, &dens, &cdf), 4);
    fprintf(stderr, "\n  Monte Carlo density mass at t = 0.5: %.4f", cdf);
    CU_ASSERT(cdf > 0.7 && cdf < 0.9);
}

static const nlif_test_case tests[] = {
    {"exact rates: the closed form of the uncoupled model", test_exact_closed_form},
    {"exact rates: the bistable network, every root", test_exact_bistable},
    {"spap: order 2 to the exact rate, p + R conserved", test_spap_ladder},
    {"cvode and explicit with R", test_cvode_explicit},
    {"tau_ref read as 0 relaxes elsewhere", test_without_refractory_differs},
    {"case rules: FILE:LINE and what is allowed", test_case_rules},
    {"result format: the column R judged", test_result_column},
    {"problem JSON: tau_ref and refractory", test_problem_json},
    {"particles: refractory clocks, the same bits on every path", test_particles_clocks_identical},
    {"particles: the stationary rate and held fraction", test_particles_stationary},
    {"nlif mc: the same data rows for every thread count and path", test_mc_files_identical},
    {NULL, NULL},
};

int main(void) { return nlif_test_main("refractory", tests); }
