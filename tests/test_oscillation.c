/* test_oscillation.c — the figures of check `oscillation` (harness/checks/oscillation.c, MATHEMATICS.md 6,
 * "Oscillation under a delay"): the RMS amplitude and the period of the upward crossings of the mean on
 * a sampled sine, with noise that crosses the mean several times per crossing, and on a flat series (no
 * oscillation: no period); the SE of the figures from the samples' SE; the envelope's growth rate; and the
 * check's comparison on delay_periodic against its stored Monte Carlo data: spap passes, spap with the
 * delay read as 0 (mutant m_delay_ignored) and with the delay halved fail by far. */
#include "nlif_test.h"

#include "../core/nlif_options.h"
#include "../core/nlif_scheme.h"
#include "../core/nlif_trajectory.h"
#include "../harness/case/nlif_case.h"
#include "../harness/checks/nlif_check.h"
#include "../harness/judge/verify_data.h"
#include "../reference/nlif_cvode.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

/* A sine of amplitude 0.8 and period 2 about 0.55, on bins of 0.05 over [6, 14] (four whole periods):
 * the RMS of 40 equally spaced samples per period is 0.8/sqrt(2) exactly (round-off: 1e-12), the period
 * to 1e-4 (linear interpolation at a zero of the curvature: O(h^3)). */
static void test_sine(void)
{
    double t[160], y[160], se[160];
    int n = 160;
    for (int i = 0; i < n; i++) {
        t[i] = 6.025 + 0.05 * i;
        y[i] = 0.55 + 0.8 * sin(2 * PI * t[i] / 2.0);
        se[i] = 0.01;
    }
    nlif_osc_figures_t f;
    CU_ASSERT_EQUAL_FATAL(nlif_osc_figures(t, y, se, n, &f), 0);
    NLIF_ASSERT_CLOSE(f.amp, 0.8 / sqrt(2.0), 1e-12, 0);
    NLIF_ASSERT_CLOSE(f.period, 2.0, 1e-4, 0);
    CU_ASSERT(f.crossings == 3 || f.crossings == 4);
    /* constant se: sqrt(sum (y - m)^2 se^2) / (n A) = se / sqrt(n) exactly */
    NLIF_ASSERT_CLOSE(f.amp_se, 0.01 / sqrt((double)n), 1e-12, 0);
    CU_ASSERT(f.period_se > 0 && f.period_se < 0.01);
    /* noise of 5% of the amplitude, alternating in sign: several sign changes at each crossing, counted once */
    for (int i = 0; i < n; i++)
        y[i] += (i % 2 ? 0.04 : -0.04);
    nlif_osc_figures_t g;
    CU_ASSERT_EQUAL_FATAL(nlif_osc_figures(t, y, NULL, n, &g), 0);
    CU_ASSERT_EQUAL(g.crossings, f.crossings);
    NLIF_ASSERT_CLOSE(g.period, 2.0, 2e-2, 0); /* a crossing moves by noise / slope = 0.04 / 2.4 */
    CU_ASSERT(isnan(g.amp_se));                 /* no se given */
}

/* A flat series, and one whose oscillation has died out to 1e-6: no period; the amplitude says so. */
static void test_flat(void)
{
    double t[100], y[100];
    for (int i = 0; i < 100; i++)
        t[i] = 0.05 * i, y[i] = 0.49;
    nlif_osc_figures_t f;
    CU_ASSERT_EQUAL_FATAL(nlif_osc_figures(t, y, NULL, 100, &f), 0);
    CU_ASSERT(f.amp < 1e-12); /* round-off of the mean */
    CU_ASSERT_EQUAL(f.crossings, 0);
    CU_ASSERT(isnan(f.period));
    CU_ASSERT_EQUAL(nlif_osc_figures(t, y, NULL, 2, &f), -1);
}

/* x = 0.5 + e^{sigma t} sin(4.79 t): the slope of the log of the window maxima is sigma, to the
 * sampling of a maximum within a window (windows of 1.5 periods: relative 3%). */
static void test_growth(void)
{
    enum { N = 10001 };
    static double t[N], x[N];
    for (int s = -1; s <= 1; s += 2) {
        double sigma = 0.08 * s;
        for (int i = 0; i < N; i++)
            t[i] = 1e-3 * i, x[i] = 0.5 + 0.05 * exp(sigma * t[i]) * sin(4.79 * t[i]);
        int k = 0;
        double g = nlif_osc_growth(t, x, N, 0.5, 2.0, 1.5 * 2 * PI / 4.79, &k);
        CU_ASSERT_EQUAL(k, 4);
        NLIF_ASSERT_CLOSE(g, sigma, 3e-2, 0);
    }
    int k;
    CU_ASSERT(isnan(nlif_osc_growth(t, x, N, 0.5, 9.0, 1.5 * 2 * PI / 4.79, &k))); /* one window: no slope */
}

/* The figures of a run on the Monte Carlo bins inside [from, t_final]: the trapezoid of its N. */
static void run_figures(const nlif_scheme_type *st, const nlif_case *cs, const mc_data *mc, double from,
                        nlif_osc_figures_t *f)
{
    nlif_optset o;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&o, st->options, &err), NLIF_OK);
    nlif_trajectory tr;
    nlif_traj_init(&tr);
    void *s = nlif_test_run(st, cs, &o, &tr, cs->run.t_final);
    static double tb[4096], yb[4096];
    int n = 0;
    for (int b = 0; b < mc->nbins && n < 4096; b++) {
        double a = mc->t_mid[b] - 0.5 * mc->bin, e = mc->t_mid[b] + 0.5 * mc->bin, sum = 0;
        if (a < from - 1e-9)
            continue;
        for (size_t k = 1; k < tr.n; k++) { /* the trapezoid of N over [a, e] (samples on the bin edges) */
            double t0 = fmax(tr.s[k - 1].t, a), t1 = fmin(tr.s[k].t, e), h = tr.s[k].t - tr.s[k - 1].t;
            if (t1 <= t0 || h <= 0)
                continue;
            double r0 = tr.s[k - 1].rate + (tr.s[k].rate - tr.s[k - 1].rate) * (t0 - tr.s[k - 1].t) / h;
            double r1 = tr.s[k - 1].rate + (tr.s[k].rate - tr.s[k - 1].rate) * (t1 - tr.s[k - 1].t) / h;
            sum += 0.5 * (r0 + r1) * (t1 - t0);
        }
        tb[n] = mc->t_mid[b], yb[n++] = sum / mc->bin;
    }
    CU_ASSERT_EQUAL(nlif_osc_figures(tb, yb, NULL, n, f), 0);
    if (s)
        st->free(s);
    nlif_traj_free(&tr);
}

/* delay_periodic: spap within the check's bound of the stored Monte Carlo figures (3 SE, scaled as the case states, + the
 * cvode allowance, MATHEMATICS.md 6); spap with the delay read as 0 does not oscillate (amplitude below 1% of
 * the Monte Carlo's, no period), and with the delay halved (0.4 < d_c: damped) is far outside. */
static void test_delay_periodic(void)
{
    nlif_case cs;
    CU_ASSERT_FATAL(nlif_test_load(&cs, "delay_periodic", NULL, 0));
    mc_data mc;
    char why[1200];
    CU_ASSERT_EQUAL_FATAL(nlif_vd_load_mc_why(&cs, &mc, why, sizeof why), 0);
    double from = nlif_check_bound(&cs, "osc_from"), z = nlif_check_bound(&cs, "osc_z");
    double tm[4096], ym[4096], sm[4096];
    int n = 0;
    for (int b = 0; b < mc.nbins && n < 4096; b++)
        if (mc.t_mid[b] - 0.5 * mc.bin >= from - 1e-9)
            tm[n] = mc.t_mid[b], ym[n] = mc.mean[b], sm[n++] = mc.se[b];
    nlif_osc_figures_t m, base, vf, dl, sp, none, half;
    CU_ASSERT_EQUAL_FATAL(nlif_osc_figures(tm, ym, sm, n, &m), 0);
    CU_ASSERT(m.crossings >= 3);
    run_figures(&nlif_scheme_cvode, &cs, &mc, from, &base);
    nlif_case shifted = cs;
    shifted.model.v_f += cs.run.dv;
    run_figures(&nlif_scheme_cvode, &shifted, &mc, from, &vf);
    shifted = cs;
    shifted.model.delay += 0.5 * cs.run.dt;
    run_figures(&nlif_scheme_cvode, &shifted, &mc, from, &dl);
    double sp_ = nlif_check_bound(&cs, "osc_se_scale_p"), sa_ = nlif_check_bound(&cs, "osc_se_scale_a");
    double bp = z * sp_ * m.period_se + 0.5 * fabs(vf.period - base.period) + fabs(dl.period - base.period);
    double ba = z * sa_ * m.amp_se + 0.5 * fabs(vf.amp - base.amp) + fabs(dl.amp - base.amp);
    const nlif_scheme_type *spap = nlif_scheme_find("spap");
    run_figures(spap, &cs, &mc, from, &sp);
    fprintf(stderr, "\n  MC period %.5f +- %.5f amplitude %.5f +- %.5f; bounds %.4g, %.4g; spap %.5f %.5f", m.period,
            m.period_se, m.amp, m.amp_se, bp, ba, sp.period, sp.amp);
    CU_ASSERT(fabs(sp.period - m.period) <= bp);
    CU_ASSERT(fabs(sp.amp - m.amp) <= ba);
    shifted = cs;
    shifted.model.delay = 0; /* m_delay_ignored */
    run_figures(spap, &shifted, &mc, from, &none);
    CU_ASSERT(none.amp < 0.01 * m.amp);
    CU_ASSERT(isnan(none.period));
    CU_ASSERT(fabs(none.amp - m.amp) > 10 * ba);
    shifted = cs;
    shifted.model.delay = 0.5 * cs.model.delay; /* m_delay_halved */
    run_figures(spap, &shifted, &mc, from, &half);
    fprintf(stderr, "; no delay: amplitude %.3g; delay halved: amplitude %.3g period %.5f\n", none.amp, half.amp,
            half.period);
    CU_ASSERT(fabs(half.amp - m.amp) > 10 * ba);
    nlif_vd_free_mc(&mc);
}

static const nlif_test_case tests[] = {{"RMS amplitude and crossing period of a sine, with noise", test_sine},
                                       {"a flat series has no period", test_flat},
                                       {"growth rate of the envelope", test_growth},
                                       {"delay_periodic: spap inside, delay ignored or halved outside", test_delay_periodic},
                                       {NULL, NULL}};

int main(void) { return nlif_test_main("oscillation", tests); }
