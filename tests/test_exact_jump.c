/* test_exact_jump.c — the exact jump of a multiple-firing event (exact/jump.c), the Ornstein–Uhlenbeck
 * Gaussian (exact/ou.c; MATHEMATICS.md §2) and `nlif reference` on the command line. The
 * stationary references are tested in test_exact.c.
 */
#include "../exact/nlif_density.h"
#include "../exact/nlif_exact.h"
#include "nlif_test.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_odeiv2.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------------------------------------- */
/* Jump size                                                                                       */

/* The worked example of MATHEMATICS.md §2: p = 5 on [1.9, 2], 0.5 on [0, 1]. */
static const double ex_v[] = {0, 0, 1, 1, 1.9, 1.9, 2};
static const double ex_p[] = {0, 0.5, 0.5, 0, 0, 5, 5};
#define EX_N 7

static double jump(const double *v, const double *p, int n, double b)
{
    double delta = NAN;
    nlif_error err = {0};
    CU_ASSERT_EQUAL(nlif_jump_size(v, p, n, 2, b, &delta, &err), NLIF_OK);
    return delta;
}

static void test_jump_worked_example(void)
{
    /* 1e-14: exact up to the round-off of 2 − 1.9 */
    NLIF_ASSERT_CLOSE(jump(ex_v, ex_p, EX_N, 1), 0.5, 1e-14, 0);
    NLIF_ASSERT_CLOSE(jump(ex_v, ex_p, EX_N, 3), 1, 1e-14, 0);
    /* b = 0.25: b p(V_F) = 1.25 > 1; M(s) = 5·0.25 s = 1.25 s until 0.25 s = 0.1 (s = 0.4, M = 0.5),
     * then M stays 0.5 while the window crosses the gap [1, 1.9]: M(s) < s from s = 0.5 on. */
    NLIF_ASSERT_CLOSE(jump(ex_v, ex_p, EX_N, 0.25), 0.5, 1e-14, 0);
}

static void test_jump_post(void)
{
    double vo[EX_N + 2], po[EX_N + 2];
    int no;
    nlif_error err = {0};
    double d = jump(ex_v, ex_p, EX_N, 1);
    CU_ASSERT_EQUAL_FATAL(nlif_jump_post(ex_v, ex_p, EX_N, 2, 1, d, vo, po, &no, &err), NLIF_OK);
    /* the non-fired part: 0.5 on [0, 1] shifted by 0.5 → 0.5 on [0.5, 1.5]; the Dirac Δ at V_R */
    NLIF_ASSERT_CLOSE(nlif_mass_above(vo, po, no, -INFINITY), 0.5, 1e-14, 0);
    NLIF_ASSERT_CLOSE(nlif_mass_above(vo, po, no, 1.5), 0, 0, 1e-14);
    NLIF_ASSERT_CLOSE(nlif_mass_above(vo, po, no, 0.5), 0.5, 1e-14, 0);
    NLIF_ASSERT_CLOSE(vo[0], 0.5, 1e-14, 0);
    NLIF_ASSERT_CLOSE(po[1], 0.5, 1e-14, 0);
    /* b = 3: everything fires, nothing is left */
    d = jump(ex_v, ex_p, EX_N, 3);
    CU_ASSERT_EQUAL(nlif_jump_post(ex_v, ex_p, EX_N, 2, 3, d, vo, po, &no, &err), NLIF_OK);
    NLIF_ASSERT_CLOSE(nlif_mass_above(vo, po, no, -INFINITY), 0, 0, 1e-14);
    /* after any jump the remaining density at V_F is below the plateau 1/b and mass is conserved */
    /* p rising to 2 at V_F over [1.8, 2], 0.625 (v − 1) below: M(s) = 2s − 3.75 s² up to s = 0.2, then
     * 0.25 + 0.5t − 0.3125t² (t = s − 0.2) < s from t = (−0.5 + sqrt(0.5² + 4·0.3125·0.05))/0.625 */
    double tv[] = {1.0, 1.8, 2.0}, tp[] = {0.0, 0.5, 2.0};
    d = jump(tv, tp, 3, 1);
    NLIF_ASSERT_CLOSE(d, 0.2 + (-0.5 + sqrt(0.5 * 0.5 + 4 * 0.3125 * 0.05)) / 0.625, 1e-13, 0);
    CU_ASSERT_EQUAL(nlif_jump_post(tv, tp, 3, 2, 1, d, vo, po, &no, &err), NLIF_OK);
    CU_ASSERT_FATAL(no >= 2);
    NLIF_ASSERT_CLOSE(nlif_mass_above(vo, po, no, -INFINITY) + d, nlif_mass_above(tv, tp, 3, -INFINITY), 1e-14, 0);
    NLIF_ASSERT_CLOSE(vo[no - 1], 2, 1e-14, 0);
    for (int k = 0; k < no; k++) /* b·p ≤ 1 where the non-fired part meets V_F: no cascade left */
        if (vo[k] >= 2 - 1e-12)
            CU_ASSERT(1 * po[k] <= 1 + 1e-12);
}

static void test_jump_no_cascade(void)
{
    double v[] = {1, 2}, p[] = {0.5, 0.5};
    CU_ASSERT_EQUAL(jump(v, p, 2, 1), 0);    /* b p(V_F) = 0.5 < 1 */
    CU_ASSERT_EQUAL(jump(v, p, 2, 1.99), 0); /* 0.995 < 1 */
    CU_ASSERT_EQUAL(jump(v, p, 2, 0), 0);    /* b ≤ 0: no cascade */
    CU_ASSERT_EQUAL(jump(v, p, 2, -1), 0);
    CU_ASSERT_EQUAL(jump(ex_v, ex_p, EX_N, -2), 0);
    double v2[] = {0, 1.5}, p2[] = {10, 10}; /* dense, but away from V_F: p(V_F) = 0 */
    CU_ASSERT_EQUAL(jump(v2, p2, 2, 5), 0);
    double v3[] = {1, 2}, p3[] = {3, 0}; /* density falling to 0 at V_F */
    CU_ASSERT_EQUAL(jump(v3, p3, 2, 10), 0);
    /* at the plateau exactly: b p = 1 on [1.5, 2] gives M(s) = s there (not < s), then M = 0.5 < s */
    double v4[] = {1.5, 2}, p4[] = {1, 1};
    NLIF_ASSERT_CLOSE(jump(v4, p4, 2, 1), 0.5, 1e-14, 0);
    /* at the plateau at V_F but rising into the domain (p' < 0 at V_F): M(s) > s, a cascade */
    double v5[] = {1, 2}, p5[] = {2, 1};
    CU_ASSERT(jump(v5, p5, 2, 1) > 0);
    /* at the plateau at V_F and falling into the domain: M(s) < s at once */
    double v6[] = {1, 2}, p6[] = {0, 1};
    CU_ASSERT_EQUAL(jump(v6, p6, 2, 1), 0);
}

/* When the cascade would outrun the mass, M(s) ≤ m for all s, so M(s) < s for every s > m: the
 * infimum is the total mass m itself — every neuron fires once (convention A). */
static void test_jump_total_mass(void)
{
    double v[] = {1.9, 2}, p[] = {10, 10}; /* mass 1 */
    NLIF_ASSERT_CLOSE(jump(v, p, 2, 100), 1, 1e-14, 0);
    double p3[] = {3, 3}; /* mass 0.3: M(s) = min(3·10 s, 0.3), M(s) < s iff s > 0.3 */
    NLIF_ASSERT_CLOSE(jump(v, p3, 2, 10), 0.3, 1e-14, 0);
    /* Δ ≤ total mass always */
    double big[] = {-4, 2}, pb[] = {0.2, 0.2};
    double d = jump(big, pb, 2, 1000);
    NLIF_ASSERT_CLOSE(d, 1.2, 1e-14, 0);
}

/* A linear piece: p = 6 (v − 1.5) on [1.5, 2], b = 0.5. M(s) = 1.5 s − 0.75 s² for s ≤ 1, and
 * M(s) < s iff s > 2/3: the root of a quadratic, found exactly. */
static void test_jump_quadratic(void)
{
    double v[] = {1.5, 2}, p[] = {0, 3};
    NLIF_ASSERT_CLOSE(jump(v, p, 2, 0.5), 2.0 / 3.0, 1e-14, 0);
}

/* Mass already above V_F (a kicked density) fires first. p = 0.5 on [1.5, 2.5]: m0 = 0.25;
 * b = 1: M(s) = 0.25 + 0.5 s < s iff s > 0.5. */
static void test_jump_above_threshold(void)
{
    double v[] = {1.5, 2.5}, p[] = {0.5, 0.5};
    NLIF_ASSERT_CLOSE(jump(v, p, 2, 1), 0.5, 1e-14, 0);
    NLIF_ASSERT_CLOSE(jump(v, p, 2, 0), 0.25, 1e-14, 0);   /* no cascade: only m0 */
    NLIF_ASSERT_CLOSE(jump(v, p, 2, 0.5), 1.0 / 3, 1e-14, 0); /* 0.25 + 0.25 s < s iff s > 1/3 */
}

/* Against brute force on random tables: scan M(s) − s on a fine grid in s. */
static void test_jump_random(void)
{
    unsigned long seed = 12345;
    for (int trial = 0; trial < 200; trial++) {
        double v[12], p[12];
        int n = 12;
        double x = -1;
        for (int k = 0; k < n; k++) {
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            double u1 = (double)(seed >> 11) / 9007199254740992.0;
            seed = seed * 6364136223846793005UL + 1442695040888963407UL;
            double u2 = (double)(seed >> 11) / 9007199254740992.0;
            x += 0.3 * u1;
            v[k] = x;
            p[k] = 4 * u2;
        }
        double b = 0.2 + 2 * (trial % 10) / 10.0, d = jump(v, p, n, b);
        /* brute force: first s_j = j·δ with M(s_j) < s_j */
        const double ds = 1e-5;
        double brute = NAN;
        for (double s = ds; s < 10; s += ds)
            if (nlif_mass_above(v, p, n, 2 - b * s) < s) {
                brute = s;
                break;
            }
        NLIF_ASSERT_CLOSE(d, brute, 0, 2 * ds);
    }
}

static void test_jump_bad_input(void)
{
    double v[] = {1, 0.5}, p[] = {1, 1}, d;
    nlif_error err = {0};
    CU_ASSERT_EQUAL(nlif_jump_size(v, p, 2, 2, 1, &d, &err), NLIF_EINVAL);
    double v2[] = {0, 1}, p2[] = {1, -1};
    CU_ASSERT_EQUAL(nlif_jump_size(v2, p2, 2, 2, 1, &d, &err), NLIF_EINVAL);
    CU_ASSERT_EQUAL(nlif_jump_size(v2, p, 0, 2, 1, &d, &err), NLIF_EINVAL);
    double p3[] = {NAN, 1};
    CU_ASSERT_EQUAL(nlif_jump_size(v2, p3, 2, 2, 1, &d, &err), NLIF_EINVAL);
}

/* The kick of kick_input on the exact stationary profile (b = 1), checked by bisection on
 * M(s) − s with quadrature of p∞ (independent of the table and of the piecewise walk). */
typedef struct kick_ctx {
    const nlif_model *m;
    double rate;
} kick_ctx;

static double kick_p(double v, void *params)
{
    const kick_ctx *c = params;
    return nlif_stationary_profile(c->m, 0, c->rate, v);
}

static void test_jump_kick(void)
{
    nlif_model m = {.a0 = 1, .a1 = 0, .b = 1, .v_f = 2, .v_r = 1, .v_min = -4, .convention = NLIF_CONVENTION_A};
    double r[NLIF_MAX_ROOTS];
    int n_roots = -1;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_stationary_rates(&m, 0, r, NLIF_MAX_ROOTS, &n_roots, &err), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(n_roots, 1);
    const double kick = 0.5;
    /* table of the shifted profile on a fine mesh with V_R on a node */
    enum { NP = 40001 };
    static double v[NP], p[NP];
    for (int k = 0; k < NP; k++) {
        double x = -8 + 10.0 * k / (NP - 1);
        v[k] = x + kick;
        p[k] = nlif_stationary_profile(&m, 0, r[0], x);
    }
    double d = jump(v, p, NP, 1);
    kick_ctx c = {&m, r[0]};
    gsl_function f = {kick_p, &c};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(200);
    double lo = 0, hi = 1;
    for (int it = 0; it < 60; it++) {
        double s = 0.5 * (lo + hi), mass, e;
        /* M(s) = mass of the unshifted profile above V_F − kick − b s */
        gsl_integration_qags(&f, 2 - kick - s, 2, 0, 1e-13, 200, w, &mass, &e);
        if (mass < s)
            hi = s;
        else
            lo = s;
    }
    gsl_integration_workspace_free(w);
    /* the table interpolates p∞ linearly with h = 2.5e-4: error ~h²·p'' ≈ 1e-8 */
    NLIF_ASSERT_CLOSE(d, 0.5 * (lo + hi), 1e-6, 0);
    CU_ASSERT(d > nlif_mass_above(v, p, NP, 2)); /* the cascade adds to the mass pushed over */
}

/* ---------------------------------------------------------------------------------------------- */
/* Ornstein–Uhlenbeck                                                                              */

typedef struct ou_params {
    double a, c;
} ou_params;

static int ou_rhs(double t, const double y[], double f[], void *params)
{
    (void)t;
    const ou_params *q = params;
    f[0] = -y[0] + q->c;
    f[1] = 2 * q->a - 2 * y[1];
    return GSL_SUCCESS;
}

static void ode(double *mean, double *var, double a, double c, double t)
{
    ou_params q = {a, c};
    gsl_odeiv2_system sys = {ou_rhs, NULL, 2, &q};
    gsl_odeiv2_driver *drv = gsl_odeiv2_driver_alloc_y_new(&sys, gsl_odeiv2_step_rk8pd, 1e-6, 1e-14, 1e-14);
    double y[2] = {*mean, *var}, t0 = 0;
    CU_ASSERT_EQUAL(gsl_odeiv2_driver_apply(drv, &t0, t, y), GSL_SUCCESS);
    gsl_odeiv2_driver_free(drv);
    *mean = y[0];
    *var = y[1];
}

static void test_ou_exact_vs_ode(void)
{
    double cases[][5] = {
        /* m0, var0, a, c, t */
        {1, 0, 1, 0, 0.5},      /* the post-MFE Dirac at V_R = 1 */
        {1, 0, 1, 1.2, 3},      {0, 0.25, 1, 0, 2},  /* relax_linear's Gaussian, b = 0 */
        {-2, 4, 0.3, 0.7, 0.1}, {1.5, 0.01, 2, -1, 10}, {0, 1, 1, 0, 1e-3},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof *cases; i++) {
        double *c = cases[i], em, ev, om = c[0], ov = c[1];
        nlif_ou_exact(c[0], c[1], c[2], c[3], c[4], &em, &ev);
        ode(&om, &ov, c[2], c[3], c[4]);
        NLIF_ASSERT_CLOSE(em, om, 1e-10, 1e-10); /* rk8pd at 1e-14 tolerances: error ≪ 1e-10 */
        NLIF_ASSERT_CLOSE(ev, ov, 1e-10, 1e-10);
    }
    /* σ0² = 0: σ² = a (1 − e^{−2t}) (MATHEMATICS.md §5) */
    double m, v;
    nlif_ou_exact(1, 0, 0.7, 0.2, 0.3, &m, &v);
    NLIF_ASSERT_CLOSE(v, 0.7 * (1 - exp(-0.6)), 1e-15, 0);
    NLIF_ASSERT_CLOSE(m, 0.2 + 0.8 * exp(-0.3), 1e-15, 0);
}

/* Exact steps with a piecewise-constant drift target equal the ODE solved piece by piece; tiny
 * steps keep full relative accuracy in the increment. */
static void test_ou_steps(void)
{
    double sm = 1, sv = 0, om = 1, ov = 0, a = 1;
    for (int k = 0; k < 50; k++) {
        double c = 0.5 + sin(0.3 * k), dt = 0.01 + 0.002 * (k % 7);
        nlif_ou_step(&sm, &sv, c, a, dt);
        ode(&om, &ov, a, c, dt);
    }
    NLIF_ASSERT_CLOSE(sm, om, 1e-10, 1e-10);
    NLIF_ASSERT_CLOSE(sv, ov, 1e-10, 1e-10);
    double mean = 0, var = 0;
    nlif_ou_step(&mean, &var, 1, 1, 1e-12);
    NLIF_ASSERT_CLOSE(mean, 1e-12, 1e-10, 0); /* (c − μ)(1 − e^{−Δt}) ≈ Δt */
    NLIF_ASSERT_CLOSE(var, 2e-12, 1e-10, 0);  /* (a − σ²)(1 − e^{−2Δt}) ≈ 2Δt */
    /* steady state is a fixed point */
    mean = 0.3, var = 1;
    nlif_ou_step(&mean, &var, 0.3, 1, 5);
    CU_ASSERT(mean == 0.3 && var == 1);
}

/* ---------------------------------------------------------------------------------------------- */
/* bin/nlif reference                                                                              */

static int run(const char *args, char *out, size_t len)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s reference %s", nlif_test_bin(), args);
    return nlif_test_sh(cmd, out, len);
}

static void test_cli_stationary(void)
{
    static char out[16384];
    CU_ASSERT_EQUAL(run("stationary --b 0.5", out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "stationary rate: 0.134779"));
    CU_ASSERT_EQUAL(run("stationary --b 1.5", out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "0.192367"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "2.289126"));
    CU_ASSERT_EQUAL(run("stationary --b 3", out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "no stationary state exists for b = 3"));
    CU_ASSERT_EQUAL(run("stationary --b 0", out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "0.119980"));
    CU_ASSERT_EQUAL(run("stationary --b 0 --vmin -inf", out, sizeof out), 0); /* no wall: Siegert */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "0.119976"));
    CU_ASSERT_EQUAL(run("stationary --vmin 1", out, sizeof out), 2);
    CU_ASSERT_EQUAL(run("stationary --b 0.5 --a1 0.5", out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "0.157323"));
    CU_ASSERT_EQUAL(run("stationary --help", out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "usage: nlif reference stationary"));
    /* bad usage: exit 2 */
    CU_ASSERT_EQUAL(run("stationary --b", out, sizeof out), 2);
    CU_ASSERT_EQUAL(run("stationary --b x", out, sizeof out), 2);
    CU_ASSERT_EQUAL(run("stationary --vr 3", out, sizeof out), 2);
    CU_ASSERT_EQUAL(run("stationary --a0 0", out, sizeof out), 2);
    CU_ASSERT_EQUAL(run("stationary --bogus 1", out, sizeof out), 2);
    CU_ASSERT_EQUAL(run("", out, sizeof out), 2);
    CU_ASSERT_EQUAL(run("nonsense", out, sizeof out), 2);
    CU_ASSERT_EQUAL(run("--help", out, sizeof out), 0);
}

static void test_cli_stationary_json(void)
{
    static char out[16384];
    CU_ASSERT_EQUAL_FATAL(run("stationary --b 1.5 --json", out, sizeof out), 0);
    json_error_t jerr;
    json_t *j = json_loads(out, 0, &jerr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    json_t *r = json_object_get(j, "stationary_rates");
    CU_ASSERT_EQUAL(json_array_size(r), 2);
    NLIF_ASSERT_CLOSE(json_real_value(json_array_get(r, 0)), 0.19236745264577937585, 1e-12, 0);
    NLIF_ASSERT_CLOSE(json_real_value(json_array_get(r, 1)), 2.2891257077302437741, 1e-12, 0);
    CU_ASSERT_PTR_NOT_NULL(json_object_get(json_object_get(j, "provenance"), "commit"));
    NLIF_ASSERT_CLOSE(json_real_value(json_object_get(json_object_get(j, "parameters"), "b")), 1.5, 0, 0);
    json_decref(j);
}

static void test_cli_jump(void)
{
    static char out[16384];
    const char *table = "\"0 0, 0 0.5, 1 0.5, 1 0, 1.9 0, 1.9 5, 2 5\"";
    char args[256];
    snprintf(args, sizeof args, "jump --b 1 --table %s", table);
    CU_ASSERT_EQUAL(run(args, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "jump size: 0.5\n"));
    snprintf(args, sizeof args, "jump --b 3 --table %s", table);
    CU_ASSERT_EQUAL(run(args, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "jump size: 1\n"));
    snprintf(args, sizeof args, "jump --b 1 --json --table %s", table);
    CU_ASSERT_EQUAL_FATAL(run(args, out, sizeof out), 0);
    json_t *j = json_loads(out, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    NLIF_ASSERT_CLOSE(json_real_value(json_object_get(j, "jump_size")), 0.5, 1e-14, 0);
    NLIF_ASSERT_CLOSE(json_real_value(json_object_get(json_object_get(j, "after"), "non_fired_mass")), 0.5, 1e-14, 0);
    json_decref(j);
    CU_ASSERT_EQUAL(run("jump --help", out, sizeof out), 0);
    CU_ASSERT_EQUAL(run("jump --b 1", out, sizeof out), 2);
    CU_ASSERT_EQUAL(run("jump --b 1 --table \"0 1, x\"", out, sizeof out), 2);
    CU_ASSERT_EQUAL(run("jump --b 1 --table \"1 1, 0 1\"", out, sizeof out), 2);
    CU_ASSERT_EQUAL(run("jump --b 1 --table \"0 1, 1 -1\"", out, sizeof out), 2);
    CU_ASSERT_EQUAL(run("jump --b 1 --table \"0 1\"", out, sizeof out), 2);
}

static void test_cli_catalogue(void)
{
    static char out[65536];
    CU_ASSERT_EQUAL(run("catalogue --help", out, sizeof out), 0);
    CU_ASSERT_EQUAL_FATAL(run("catalogue --json", out, sizeof out), 0);
    json_t *j = json_loads(out, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    json_t *cases = json_object_get(j, "cases");
    CU_ASSERT(json_array_size(cases) >= 18);
    size_t i;
    json_t *c;
    int seen = 0;
    json_array_foreach(cases, i, c)
    {
        const char *name = json_string_value(json_object_get(c, "case"));
        CU_ASSERT_PTR_NULL(json_object_get(c, "error"));
        json_t *st = json_object_get(c, "stationary");
        json_t *r = json_object_get(st, "stationary_rates");
        if (!strcmp(name, "relax_excitatory")) {
            NLIF_ASSERT_CLOSE(json_real_value(json_array_get(r, 0)), 0.13477896083528380069, 1e-12, 0); /* wall at -4 */
            seen++;
        } else if (!strcmp(name, "bistable_low")) {
            CU_ASSERT_EQUAL(json_array_size(r), 2);
            seen++;
        } else if (!strcmp(name, "cascade_example")) {
            json_t *ij = json_object_get(c, "initial_jump");
            NLIF_ASSERT_CLOSE(json_real_value(json_object_get(ij, "jump_size")), 0.5, 1e-12, 0);
            seen++;
        } else if (!strcmp(name, "kick_input")) {
            json_t *kj = json_object_get(c, "kick_jump");
            double d = json_real_value(json_object_get(kj, "jump_size"));
            CU_ASSERT(d > json_real_value(json_object_get(kj, "mass_pushed_above_v_f")) && d < 0.1);
            seen++;
        } else if (!strcmp(name, "sine_calm")) {
            CU_ASSERT_PTR_NOT_NULL(json_object_get(st, "applies"));
            seen++;
        }
    }
    CU_ASSERT_EQUAL(seen, 5);
    json_decref(j);
}

int main(void)
{
    nlif_error_init_gsl();
    static const nlif_test_case tests[] = {
        {"jump: worked example", test_jump_worked_example},
        {"jump: post-jump density", test_jump_post},
        {"jump: no cascade", test_jump_no_cascade},
        {"jump: bounded by the total mass", test_jump_total_mass},
        {"jump: quadratic piece", test_jump_quadratic},
        {"jump: mass above V_F fires first", test_jump_above_threshold},
        {"jump: random tables vs brute force", test_jump_random},
        {"jump: bad input", test_jump_bad_input},
        {"jump: kick on the stationary profile", test_jump_kick},
        {"OU: exact solution vs ODE", test_ou_exact_vs_ode},
        {"OU: exact steps", test_ou_steps},
        {"cli: reference stationary", test_cli_stationary},
        {"cli: reference stationary --json", test_cli_stationary_json},
        {"cli: reference jump", test_cli_jump},
        {"cli: reference catalogue", test_cli_catalogue},
        {NULL, NULL},
    };
    return nlif_test_main("exact_jump", tests);
}
