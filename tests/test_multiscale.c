/* test_multiscale.c — unit tests of Scheme 2, the multiscale macro/micro solver (MATHEMATICS.md §4):
 * the macro step (M-matrix: mass, positivity), the exact stationary rate, the stratified sampling, the
 * rebuild (mass, boundary layer, accuracy), the switch location (bisection; the kick time as an
 * analytically known crossing; the discrete indicator path), calm cases that never switch, the micro
 * phase through an MFE, landing on t_end, reproducibility, option validation.
 */
#include "nlif_test.h"

#include "../harness/case/nlif_case.h"
#include "../exact/nlif_density.h"
#include "../solvers/multiscale/multiscale.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static nlif_optset options(const char *const *assign, int n)
{
    nlif_optset o;
    nlif_error err = {0};
    nlif_optset_init(&o, nlif_scheme_multiscale.options, &err);
    for (int i = 0; i < n; i++) {
        int rc = nlif_optset_assign(&o, assign[i], &err);
        if (rc)
            fprintf(stderr, "\n  option %s: %s\n", assign[i], err.msg);
        CU_ASSERT_EQUAL(rc, NLIF_OK);
    }
    return o;
}

static int load(nlif_case *cs, const char *name, const char *const *sets, int n_sets)
{
    return nlif_test_load(cs, name, sets, n_sets);
}

/* alloc + advance to t_end; returns the state (free with nlif_scheme_multiscale.free). */
static void *run(const nlif_case *cs, const nlif_optset *o, nlif_trajectory *tr, double t_end)
{
    return nlif_test_run(&nlif_scheme_multiscale, cs, o, tr, t_end);
}

static double event_time(const nlif_trajectory *tr, const char *kind, int which)
{
    for (size_t i = 0; i < tr->n_ev; i++)
        if (!strcmp(tr->ev[i].kind, kind) && which-- == 0)
            return tr->ev[i].t;
    return NAN;
}

/* ---------------------------------------------------------------------------------------------- */

/* The matrix is an M-matrix with zero column sums: for any Δt (here 1e-6 to 1e3, rates up to 50) the
 * step keeps the mass (to round-off: 1e-13 relative, i.e. ~500 ulp over 300 cells of elimination)
 * and never produces a negative value, also in tails of size 1e-300 (exactly, no floor). */
static void test_macro_step_mass_positivity(void)
{
    nlif_model m = {.a0 = 1, .a1 = 0.3, .b = 1.5, .v_f = 2, .v_r = 1, .v_min = -4};
    nlif_ms_macro mac;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_ms_macro_init(&mac, &m, 0.02, &err), NLIF_OK);
    int n = mac.n;
    CU_ASSERT_EQUAL(n, 300);
    CU_ASSERT_EQUAL(mac.r, 250);
    double *p = calloc((size_t)n + 1, sizeof *p), *q = calloc((size_t)n + 1, sizeof *q);
    for (int i = 0; i < n; i++) /* a far tail of 1e-300 next to O(1) values */
        p[i] = i < 100 ? 1e-300 : exp(-0.5 * pow((mac.v[i] - 1.5) / 0.1, 2));
    double mass0 = nlif_ms_macro_mass(&mac, p);
    const double dts[] = {1e-6, 1e-3, 1.0, 1e3}, rates[] = {0, 5, 50};
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 3; b++) {
            double rate = nlif_ms_macro_step(&mac, p, q, rates[b], 0.7, dts[a]);
            NLIF_ASSERT_CLOSE(nlif_ms_macro_mass(&mac, q), mass0, 1e-13, 0);
            double lo = INFINITY;
            for (int i = 0; i < n; i++)
                lo = fmin(lo, q[i]);
            CU_ASSERT(lo >= 0);
            CU_ASSERT_EQUAL(q[n], 0.0);
            /* the returned rate is the outflow a(N_old) p_{n−1}/Δv */
            NLIF_ASSERT_CLOSE(rate, (1 + 0.3 * rates[b]) * q[n - 1] / 0.02, 1e-15, 0);
        }
    free(p);
    free(q);
    nlif_ms_macro_free(&mac);
}

/* Long-time rate of relax_excitatory against the exact stationary rate 0.1347789608353 (MATHEMATICS.md
 * §2, 1e-13 accurate): acceptance 2e-3 at the default Δv = 0.02. The semi-implicit scheme's fixed
 * point does not depend on Δt, so Δt = 0.02 reaches it by t = 40. The error then halves at least
 * (ratio ≥ 1.8: order ≥ 0.85, i.e. 1 − 0.15) from Δv = 0.005 to 0.0025, where the first-order
 * (one-sided outflow) term dominates. */
static void test_stationary_rate(void)
{
    const double exact = 0.13477896083528380; /* with the wall at V_min = -4 */
    const double dvs[] = {0.02, 0.005, 0.0025};
    double e[3];
    for (int k = 0; k < 3; k++) {
        char dv[64];
        snprintf(dv, sizeof dv, "run.dv=%g", dvs[k]);
        const char *sets[] = {"run.t_final=40", "run.dt=0.02", dv, "run.particles=100"};
        nlif_case cs;
        if (!load(&cs, "relax_excitatory", sets, 4))
            return;
        nlif_optset o = options(NULL, 0);
        nlif_trajectory tr;
        void *st = run(&cs, &o, &tr, 40);
        e[k] = fabs(tr.s[tr.n - 1].rate - exact);
        CU_ASSERT_EQUAL(nlif_traj_count_events(&tr, "switch_micro"), 0);
        nlif_scheme_multiscale.free(st);
        nlif_traj_free(&tr);
    }
    CU_ASSERT(e[0] < 2e-3);
    CU_ASSERT(e[1] / e[2] >= 1.8);
    CU_ASSERT(e[0] > e[1]);
}

/* Cases without blow-up never switch; mass drift ≤ 1e-13 (acceptance), min density ≥ 0. */
static void test_calm_cases_never_switch(void)
{
    const char *names[] = {"relax_inhibitory", "sine_calm", "smooth_short"};
    const double t_end[] = {5, 10, 1};
    for (int c = 0; c < 3; c++) {
        nlif_case cs;
        const char *sets[] = {"run.particles=100"};
        if (!load(&cs, names[c], sets, 1))
            return;
        nlif_optset o = options(NULL, 0);
        nlif_trajectory tr;
        void *st = run(&cs, &o, &tr, t_end[c]);
        CU_ASSERT_EQUAL(tr.status, NLIF_STATUS_OK);
        CU_ASSERT_EQUAL(nlif_traj_count_events(&tr, "switch_micro"), 0);
        CU_ASSERT(tr.mass_drift <= 1e-13);
        CU_ASSERT(tr.min_density >= 0);
        CU_ASSERT_EQUAL(tr.s[tr.n - 1].t, t_end[c]); /* lands exactly */
        CU_ASSERT_EQUAL(nlif_traj_get_stat(&tr, "time_micro"), 0.0);
        nlif_scheme_multiscale.free(st);
        nlif_traj_free(&tr);
    }
}

/* ---------------------------------------------------------------------------------------------- */

static int step_crossing(void *ctx, double s) { return s >= *(const double *)ctx; }

/* The bisection on a constructed indicator path with a known crossing s_c: the bracket returned
 * satisfies s_lo < s_c ≤ s_lo + tol, for tolerances down to 1e-12 of a step of 1e-3. */
static void test_bisection_constructed(void)
{
    const double tols[] = {1e-4, 1e-7, 1e-12};
    const double crossings[] = {3.3e-4, 1e-3, 1e-15};
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            double sc = crossings[b];
            int ev = 0;
            double lo = nlif_ms_bisect(1e-3, tols[a], step_crossing, &sc, &ev);
            CU_ASSERT(lo < sc);
            CU_ASSERT(sc <= lo + tols[a]);
            CU_ASSERT(ev <= 45);
        }
}

/* The analytically known crossing: an instantaneous input at t0 (kick, resolved by the particles)
 * makes the step containing t0 cross, at exactly t0. The macro phase must hand over at t_sw with
 * t0 − tol ≤ t_sw < t0, for the option switch_tol = 1e-6 and 1e-10; t0 is off the Δt grid. */
static void test_switch_at_kick_time(void)
{
    const char *tols[] = {"switch_tol=1e-6", "switch_tol=1e-10"};
    const double tv[] = {1e-6, 1e-10};
    for (int k = 0; k < 2; k++) {
        const char *sets[] = {"input.t0=0.1234567", "run.particles=2000", "run.mc_dt=1e-4"};
        nlif_case cs;
        if (!load(&cs, "kick_input", sets, 3))
            return;
        nlif_optset o = options(&tols[k], 1);
        nlif_trajectory tr;
        void *st = run(&cs, &o, &tr, 0.3);
        double tsw = event_time(&tr, "switch_micro", 0);
        CU_ASSERT(tsw < 0.1234567);
        CU_ASSERT(tsw >= 0.1234567 - tv[k]);
        /* the kick's cascade is in the first micro step: the firing jumps there */
        CU_ASSERT(tr.s[tr.n - 1].fired > 0.01);
        nlif_scheme_multiscale.free(st);
        nlif_traj_free(&tr);
    }
}

/* The switch on the blow-up indicator b p_{n−1} ≥ θ_up, located on the discrete path: replaying the
 * macro steps independently (same Δv, Δt, semi-implicit, no mass guard), a step of length
 * t_sw − t_k from the last grid state stays below θ_up and one of length t_sw − t_k + tol reaches it. */
static void test_switch_on_indicator_path(void)
{
    /* The resolution this test reasons about is pinned (the case's own default may change). */
    const char *sets[] = {"run.particles=2000", "run.dv=0.02", "run.dt=1e-3", "run.mc_dt=1e-4"};
    nlif_case cs;
    if (!load(&cs, "single_mfe", sets, 4))
        return;
    const char *as[] = {"switch_tol=1e-8", "mass_guard=off", "rate_iterations=0", "theta_up=0.5"};
    nlif_optset o = options(as, 4);
    nlif_trajectory tr;
    void *st = run(&cs, &o, &tr, 0.2);
    double tsw = event_time(&tr, "switch_micro", 0);
    CU_ASSERT_FATAL(tsw > 0 && tsw < 0.2);
    nlif_scheme_multiscale.free(st);
    nlif_traj_free(&tr);

    nlif_ms_macro mac;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_ms_macro_init(&mac, &cs.model, cs.run.dv, &err), NLIF_OK);
    int n = mac.n;
    double *p = calloc((size_t)n + 1, sizeof *p), *q = calloc((size_t)n + 1, sizeof *q);
    CU_ASSERT_EQUAL_FATAL(nlif_ms_macro_initial(&mac, &cs, p, &err), NLIF_OK);
    double rate = p[n - 1] / mac.dv, t = 0, dt = cs.run.dt;
    while (t + dt < tsw) {
        rate = nlif_ms_macro_step(&mac, p, q, rate, 0, dt);
        memcpy(p, q, (size_t)(n + 1) * sizeof *p);
        t += dt;
        CU_ASSERT(cs.model.b * p[n - 1] < 0.5);
    }
    nlif_ms_macro_step(&mac, p, q, rate, 0, tsw - t);
    CU_ASSERT(cs.model.b * q[n - 1] < 0.5);
    nlif_ms_macro_step(&mac, p, q, rate, 0, tsw - t + 1e-8);
    CU_ASSERT(cs.model.b * q[n - 1] >= 0.5);
    free(p);
    free(q);
    nlif_ms_macro_free(&mac);
}

/* ---------------------------------------------------------------------------------------------- */

/* Triangle density p(v) = 2(1 − v) on [0, 1]: CDF F(v) = 1 − (1 − v)², quantile Q(u) = 1 − √(1 − u).
 * Midpoint sampling returns Q((i + 1/2)/N) to round-off (1e-12: the quadratic solve in a cell of
 * width 0.1); jittered sampling keeps each sample inside its stratum, so the Kolmogorov distance of
 * the empirical law to F is ≤ 1/N (the O(1/N) claim), here checked as |F(x_i) − (i + 1/2)/N| ≤ 1/(2N). */
static void test_stratified_sampling(void)
{
    double v[11], p[11], cum[11];
    for (int k = 0; k <= 10; k++) {
        v[k] = 0.1 * k;
        p[k] = 2 * (1 - v[k]);
    }
    const long N = 1000;
    double *x = malloc(N * sizeof *x);
    nlif_ms_sample(v, p, 11, cum, N, 0, 1, 0, x);
    for (long i = 0; i < N; i++)
        NLIF_ASSERT_CLOSE(x[i], 1 - sqrt(1 - (i + 0.5) / N), 1e-12, 1e-12);
    nlif_ms_sample(v, p, 11, cum, N, 1, 7, 3, x);
    double worst = 0;
    for (long i = 0; i < N; i++) {
        double F = 1 - (1 - x[i]) * (1 - x[i]);
        worst = fmax(worst, fabs(F - (i + 0.5) / N));
        if (i)
            CU_ASSERT(x[i] >= x[i - 1]);
    }
    CU_ASSERT(worst <= 0.5 / N + 1e-12);
    free(x);
}

/* Rebuild from 2·10^5 stratified particles of a smooth law with the right boundary behaviour:
 * p(v) ∝ (V_F − v) e^{−(v − 1)²/(2·0.25)} on [V_min, V_F]. Checks: mass 1 to 1e-14, p ≥ 0, p(V_F) = 0,
 * the last `layer` cells equal (N/a)(V_F − v) exactly for the given N, and the L1 distance to the law
 * ≤ 0.02 (Silverman's h ≈ 0.04 for this law: smoothing bias O(h²p'') ~ 5e-3 in L1, the rebuild's
 * boundary layer over 3 cells and stratified noise O(1/(NΔv)) are smaller). */
static void test_rebuild(void)
{
    nlif_model m = {.a0 = 1, .b = 1, .v_f = 2, .v_r = 1, .v_min = -4};
    nlif_ms_macro mac;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_ms_macro_init(&mac, &m, 0.02, &err), NLIF_OK);
    const int K = 2001;
    double *tv = malloc(K * sizeof *tv), *tp = malloc(K * sizeof *tp), *cum = malloc(K * sizeof *cum);
    for (int k = 0; k < K; k++) {
        tv[k] = -4 + 6.0 * k / (K - 1);
        tp[k] = (2 - tv[k]) * exp(-0.5 * (tv[k] - 1) * (tv[k] - 1) / 0.25);
    }
    double mass = 0;
    for (int k = 1; k < K; k++)
        mass += 0.5 * (tp[k] + tp[k - 1]) * (tv[k] - tv[k - 1]);
    const long N = 200000;
    double *x = malloc(N * sizeof *x);
    nlif_ms_sample(tv, tp, K, cum, N, 1, 11, 0, x);
    int n = mac.n;
    double *hist = malloc(n * sizeof *hist), *p = malloc((n + 1) * sizeof *p), h = 0;
    /* exact rate of the law: −a ∂_v p(V_F) = 1 · e^{−2}/mass (a = 1) */
    double rate = exp(-2.0) / mass;
    CU_ASSERT_EQUAL(nlif_ms_rebuild(x, N, &mac, 0, rate, 1.0, 3, hist, p, &h), 0);
    CU_ASSERT(h > 0.02 && h < 0.06);
    NLIF_ASSERT_CLOSE(nlif_ms_macro_mass(&mac, p), 1.0, 1e-14, 0);
    double l1 = 0, lo = INFINITY;
    for (int i = 0; i < n; i++) {
        double v = mac.v[i];
        l1 += fabs(p[i] - (2 - v) * exp(-0.5 * (v - 1) * (v - 1) / 0.25) / mass) * mac.dv;
        lo = fmin(lo, p[i]);
    }
    CU_ASSERT(l1 < 0.02);
    CU_ASSERT(lo >= 0);
    CU_ASSERT_EQUAL(p[n], 0.0);
    for (int i = n - 3; i < n; i++) /* the layer, up to the final rescale by 1 ± 1e-15 */
        NLIF_ASSERT_CLOSE(p[i], rate * (2 - mac.v[i]), 1e-14, 0);
    free(tv);
    free(tp);
    free(cum);
    free(x);
    free(hist);
    free(p);
    nlif_ms_macro_free(&mac);
}

/* ---------------------------------------------------------------------------------------------- */

/* single_mfe with 2·10^4 particles: the micro phase sees one MFE of size close to the physical jump
 * (nearly the whole mass: b = 1.5 on data at V_F − 0.5 ± 0.1; size > 0.9), switches back to macro,
 * the trajectory is monotone in time, the mass is 1 throughout, statistics are published, and an
 * advance to an off-grid time inside the micro phase lands exactly on it (partial micro step). */
static void test_micro_phase_mfe(void)
{
    const char *sets[] = {"run.particles=20000", "run.dv=0.02", "run.dt=1e-3", "run.mc_dt=1e-4"};
    nlif_case cs;
    if (!load(&cs, "single_mfe", sets, 4))
        return;
    nlif_optset o = options(NULL, 0);
    nlif_trajectory tr;
    void *st = run(&cs, &o, &tr, 0.0415);
    nlif_error err = {0};
    CU_ASSERT_EQUAL(tr.s[tr.n - 1].t, 0.0415);
    CU_ASSERT_EQUAL(nlif_traj_get_stat(&tr, "in_micro_at_end"), 1.0);
    CU_ASSERT(nlif_traj_get_stat(&tr, "partial_micro_steps") >= 1);
    nlif_profile pr;
    CU_ASSERT_EQUAL(nlif_scheme_multiscale.profile(st, &pr), 0);
    double mass = 0;
    for (int i = 0; i < pr.n; i++)
        mass += pr.p[i] * cs.run.dv;
    NLIF_ASSERT_CLOSE(mass, 1.0, 1e-12, 0); /* histogram of all particles */
    CU_ASSERT_EQUAL(nlif_scheme_multiscale.advance(st, 1.0, &err), NLIF_OK);
    CU_ASSERT_EQUAL(tr.s[tr.n - 1].t, 1.0);
    CU_ASSERT_EQUAL(nlif_traj_count_events(&tr, "mfe"), 1);
    CU_ASSERT(nlif_traj_count_events(&tr, "switch_micro") >= 1);
    CU_ASSERT(nlif_traj_count_events(&tr, "switch_macro") >= 1);
    CU_ASSERT(event_time(&tr, "mfe", 0) > event_time(&tr, "switch_micro", 0));
    for (size_t i = 0; i < tr.n_ev; i++)
        if (!strcmp(tr.ev[i].kind, "mfe"))
            CU_ASSERT(tr.ev[i].value > 0.9);
    for (size_t i = 1; i < tr.n; i++)
        CU_ASSERT(tr.s[i].t > tr.s[i - 1].t);
    CU_ASSERT(tr.mass_drift <= 1e-13);
    CU_ASSERT(tr.min_density >= 0);
    CU_ASSERT_EQUAL(nlif_traj_get_stat(&tr, "particles"), 20000.0);
    CU_ASSERT(nlif_traj_get_stat(&tr, "time_micro") > 0);
    NLIF_ASSERT_CLOSE(nlif_traj_get_stat(&tr, "time_micro") + nlif_traj_get_stat(&tr, "time_macro"), 1.0, 1e-12, 0);
    CU_ASSERT(nlif_traj_get_stat(&tr, "cpu_micro_seconds") > 0);
    /* cumulative firing ≥ the MFE size */
    CU_ASSERT(tr.s[tr.n - 1].fired > 0.9);
    nlif_scheme_multiscale.free(st);
    nlif_traj_free(&tr);
}

/* Same seed: bit-identical trajectories; another seed: a different micro phase. */
static void test_reproducible(void)
{
    double fired[3];
    const char *seeds[] = {"run.seed=5", "run.seed=5", "run.seed=6"};
    for (int k = 0; k < 3; k++) {
        const char *sets[] = {"run.particles=5000", seeds[k], "run.mc_dt=1e-4"};
        nlif_case cs;
        if (!load(&cs, "single_mfe", sets, 3))
            return;
        nlif_optset o = options(NULL, 0);
        nlif_trajectory tr;
        void *st = run(&cs, &o, &tr, 0.3);
        fired[k] = tr.s[tr.n - 1].fired;
        nlif_scheme_multiscale.free(st);
        nlif_traj_free(&tr);
    }
    CU_ASSERT_EQUAL(fired[0], fired[1]);
    CU_ASSERT(fired[0] != fired[2]);
}

/* rate_down must be below rate_up: a bad combination is an EINVAL naming the options. */
/* macro_noise = finite_size: the macro phase feeds back N + ξ, ξ ~ N(0, N/(N_p Δt)). On the calm
 * relax_excitatory (b = 0.5) the rate fluctuates about its deterministic path with a standard deviation
 * ∝ N_p^{−1/2} (the response is linear in ξ): N_p = 1e4 against 1e6 must give a ratio near 10 (a 20%
 * band: the estimate is from ~3000 correlated samples). Mass and positivity hold; a seed reproduces its
 * path; the default (none) is deterministic. */
static void test_macro_noise(void)
{
    const char *noisy[] = {"macro_noise=finite_size"};
    double sd[2];
    for (int k = 0; k < 2; k++) {
        char np[64];
        snprintf(np, sizeof np, "run.particles=%s", k ? "1000000" : "10000");
        const char *sets[] = {"run.t_final=4", "run.snapshots=4", np};
        nlif_case cs;
        CU_ASSERT_FATAL(load(&cs, "relax_excitatory", sets, 3));
        nlif_optset on = options(noisy, 1), off = options(NULL, 0);
        nlif_trajectory a, b;
        void *sa = run(&cs, &on, &a, 4), *sb = run(&cs, &off, &b, 4);
        CU_ASSERT_PTR_NOT_NULL_FATAL(sa);
        CU_ASSERT_PTR_NOT_NULL_FATAL(sb);
        CU_ASSERT_EQUAL_FATAL(a.n, b.n);
        double s2 = 0, worst_mass = 0, lo = INFINITY;
        int m = 0;
        for (size_t i = 0; i < a.n; i++) {
            worst_mass = fmax(worst_mass, fabs(a.s[i].mass - 1));
            lo = fmin(lo, a.s[i].min_density);
            if (a.s[i].t >= 1) {
                double d = a.s[i].rate - b.s[i].rate;
                s2 += d * d;
                m++;
            }
        }
        sd[k] = sqrt(s2 / m);
        CU_ASSERT(worst_mass <= 1e-13);
        CU_ASSERT(lo >= 0);
        CU_ASSERT_EQUAL(nlif_traj_get_stat(&a, "switches"), 0);
        nlif_scheme_multiscale.free(sa);
        nlif_scheme_multiscale.free(sb);
        nlif_traj_free(&a);
        nlif_traj_free(&b);
    }
    double ratio = sd[0] / sd[1];
    if (getenv("NLIF_TEST_VERBOSE") || !(ratio > 8 && ratio < 12.5))
        fprintf(stderr, "\n  macro noise: sd of N at N_p = 1e4 %g, 1e6 %g, ratio %g (expected ~10)\n", sd[0], sd[1], ratio);
    CU_ASSERT(ratio > 8 && ratio < 12.5);
    CU_ASSERT(sd[0] > 0);
    /* same seed, same path; another seed, another path */
    nlif_case c1, c2;
    const char *s1[] = {"run.t_final=1", "run.snapshots=1"}, *s2[] = {"run.t_final=1", "run.snapshots=1", "run.seed=2"};
    CU_ASSERT_FATAL(load(&c1, "relax_excitatory", s1, 2));
    CU_ASSERT_FATAL(load(&c2, "relax_excitatory", s2, 3));
    nlif_optset on = options(noisy, 1);
    nlif_trajectory x, y, z;
    void *sx = run(&c1, &on, &x, 1), *sy = run(&c1, &on, &y, 1), *sz = run(&c2, &on, &z, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sx);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sy);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sz);
    CU_ASSERT_EQUAL(x.s[x.n - 1].rate, y.s[y.n - 1].rate);
    CU_ASSERT_NOT_EQUAL(x.s[x.n - 1].rate, z.s[z.n - 1].rate);
    nlif_scheme_multiscale.free(sx);
    nlif_scheme_multiscale.free(sy);
    nlif_scheme_multiscale.free(sz);
    nlif_traj_free(&x);
    nlif_traj_free(&y);
    nlif_traj_free(&z);
}

static void test_bad_options(void)
{
    nlif_case cs;
    const char *sets[] = {"run.particles=100", "run.mc_dt=1e-4"};
    if (!load(&cs, "single_mfe", sets, 2))
        return;
    const char *as[] = {"rate_up=3", "rate_down=3"};
    nlif_optset o = options(as, 2);
    nlif_trajectory tr;
    nlif_traj_init(&tr);
    nlif_error err = {0};
    void *st = NULL;
    CU_ASSERT_EQUAL(nlif_scheme_multiscale.alloc(&st, &cs, &o, &tr, &err), NLIF_EINVAL);
    CU_ASSERT(strstr(err.msg, "rate_down") != NULL);
    CU_ASSERT(st == NULL);
    nlif_traj_free(&tr);
}

static const nlif_test_case tests[] = {
    {"macro step: mass and positivity for any dt", test_macro_step_mass_positivity},
    {"long-time rate vs exact stationary rate", test_stationary_rate},
    {"calm cases never switch", test_calm_cases_never_switch},
    {"bisection on a constructed indicator path", test_bisection_constructed},
    {"switch located at the kick time within tol", test_switch_at_kick_time},
    {"switch located on the discrete indicator path", test_switch_on_indicator_path},
    {"stratified sampling of a piecewise-linear law", test_stratified_sampling},
    {"rebuild: mass, layer, accuracy", test_rebuild},
    {"micro phase through an MFE, landing on t_end", test_micro_phase_mfe},
    {"reproducible by seed", test_reproducible},
    {"macro_noise: finite-size rate fluctuation ~ N_p^-1/2", test_macro_noise},
    {"bad option combination", test_bad_options},
    {NULL, NULL},
};

int main(void) { return nlif_test_main("multiscale", tests); }
