/* test_mms_terms.c — the manufactured families of the synaptic delay and the refractory period
 * (core/nlif_mms.c, MATHEMATICS.md §6b, §1.4, §1.5): each family meets every condition of its model in
 * closed form (the drift reads the history before d and N_m(t − d) after, continuously and C¹ at d; the
 * density holds 1 − R_m, R_m solves dR/dt = N_m − R/τ_R, the flux jumps by R_m/τ_R at V_R), its source
 * is mass-neutral on the grid, the case format refuses a family that is not a solution with the key at
 * fault, spap, cvode and explicit stay within the mms bounds on cases/mms_delay.ini and
 * cases/mms_refractory.ini while spap without the source or with the term misread does not, and spap
 * converges at order 2 in v (acceptance 2 ± 0.1) and 1 in t against the exact solution. Every figure
 * asserted is printed.
 */
#include "../core/nlif_mms.h"
#include "../harness/case/nlif_case.h"
#include "../harness/runs/nlif_converge.h"
#include "../harness/runs/nlif_run.h"
#include "nlif_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const cases[2] = {"mms_delay", "mms_refractory"};

/* The identities shared by both terms, and each term's own. */
static void term_identities(const nlif_case *cs)
{
    const nlif_model *m = &cs->model;
    double tau = m->tau_ref;
    for (double t = 0; t <= cs->run.t_final; t += 0.0173) {
        nlif_mms_state s, a, b;
        CU_ASSERT_EQUAL_FATAL(nlif_mms_at(cs, t, &s), 0);
        /* round-off of closed forms of O(1) terms: 1e-13 */
        double mass = tau > 0 ? 1.0 - s.refr : 1.0, back = tau > 0 ? s.refr / tau : s.rate;
        NLIF_ASSERT_CLOSE(nlif_mms_cumulative(&s, m, m->v_f), mass, 0, 1e-13);
        NLIF_ASSERT_CLOSE(nlif_mms_density(&s, m, m->v_f), 0.0, 0, 1e-15);
        NLIF_ASSERT_CLOSE(nlif_mms_flux(&s, m, m->v_min, 0), 0.0, 0, 1e-13);
        NLIF_ASSERT_CLOSE(nlif_mms_flux(&s, m, m->v_r, 1) - nlif_mms_flux(&s, m, m->v_r, -1), back, 0, 1e-13);
        NLIF_ASSERT_CLOSE(nlif_mms_flux(&s, m, m->v_f, 0), s.rate, 0, 1e-13);
        NLIF_ASSERT_CLOSE(nlif_mms_source_point(&s, m, m->v_f), 0.0, 0, 1e-12);
        /* the drift's rate: the history before d, N_m(t − d) after (§1.4) */
        if (m->delay > 0)
            NLIF_ASSERT_CLOSE(s.drift_rate, t < m->delay ? m->delay_history : nlif_mms_rate(cs, t - m->delay), 0, 1e-15);
        double d = 1e-6;
        CU_ASSERT_EQUAL_FATAL(nlif_mms_at(cs, t + d, &a), 0);
        CU_ASSERT_EQUAL_FATAL(nlif_mms_at(cs, t - d, &b), 0); /* the family is defined for t < 0 too */
        double h2 = 2 * d;
        /* the derivatives against central differences (truncation ~1e-12, round-off ~1e-10; across the
         * kink of D̈ at t = d ~1e-6 × D̈'s jump: the tolerance 1e-5 covers it) */
        for (int j = 0; j < 6; j++)
            NLIF_ASSERT_CLOSE((a.c[j] - b.c[j]) / h2, s.c_dot[j], 0, 1e-5);
        if (tau > 0) /* R_m solves dR/dt = N_m − R/τ_R (§1.5), from R(0) = initial.refractory */
            NLIF_ASSERT_CLOSE((a.refr - b.refr) / h2, s.rate - s.refr / tau, 0, 1e-6);
        /* S against the PDE residual by differences in t and v, off V_R */
        for (double v = m->v_min + 0.137; v < m->v_f; v += 0.41) {
            if (fabs(v - m->v_r) < 1e-3)
                continue;
            double h = 1e-5;
            double pt = (nlif_mms_density(&a, m, v) - nlif_mms_density(&b, m, v)) / h2;
            double fv = (nlif_mms_flux(&s, m, v + h, 0) - nlif_mms_flux(&s, m, v - h, 0)) / (2 * h);
            NLIF_ASSERT_CLOSE(nlif_mms_source_point(&s, m, v), pt + fv, 0, 1e-4);
            CU_ASSERT(nlif_mms_density(&s, m, v) > 0);
        }
        /* mass-neutral on the grid: the re-injection in the cell of V_R is R_m/τ_R, and the last cell's
         * top is N_m − Ṙ_m: the cell sources telescope to round-off */
        int n, r;
        CU_ASSERT_EQUAL_FATAL(nlif_grid_nodes(m, 0.025, &n, &r), 0);
        double src[200];
        nlif_mms_cell_sources(cs, t, 0.025, n, src);
        NLIF_ASSERT_CLOSE(nlif_sum(src, n) * 0.025, 0.0, 0, 1e-14);
    }
    if (tau > 0) {
        nlif_mms_state s0;
        nlif_mms_at(cs, 0.0, &s0);
        NLIF_ASSERT_CLOSE(s0.refr, cs->initial.refractory, 0, 1e-15);
    }
    if (m->delay > 0) { /* continuous and C¹ at t = d: no jump of the drift for any scheme to absorb */
        nlif_mms_state lo, hi;
        nlif_mms_at(cs, m->delay * (1 - 1e-12), &lo), nlif_mms_at(cs, m->delay, &hi);
        NLIF_ASSERT_CLOSE(lo.drift_rate, hi.drift_rate, 0, 1e-12);
        NLIF_ASSERT_CLOSE(lo.drift_rate_dot, hi.drift_rate_dot, 0, 1e-12);
    }
}

static void test_family_identities(void)
{
    for (int k = 0; k < 2; k++) {
        nlif_case cs;
        CU_ASSERT_EQUAL_FATAL(nlif_test_load(&cs, cases[k], NULL, 0), 1);
        term_identities(&cs);
    }
    printf("\n  mms_delay and mms_refractory: mass (1 - R_m), p(V_F), wall flux, jump (N_m or R_m/tau), "
           "S(V_F) = 0, the drift's history and N_m(t - d), dR/dt, derivatives, S vs the residual, sum of cell "
           "sources\n");
}

static void refused(const char *name, const char **sets, int n, const char *want)
{
    nlif_case cs;
    char path[512];
    nlif_error e = {0};
    snprintf(path, sizeof path, "cases/%s.ini", name);
    CU_ASSERT_EQUAL(nlif_case_load(&cs, path, sets, n, &e), NLIF_EINVAL);
    if (!strstr(e.msg, want))
        fprintf(stderr, "\n  got: %s\n  want: %s\n", e.msg, want);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, want));
}

static void test_case_refusals(void)
{
    /* the history must be N_m(0), else p_m jumps at t = d */
    const char *h[] = {"model.delay_history=0.5"};
    refused("mms_delay", h, 1, "--set model.delay_history=0.5: [manufactured] model.delay_history = 0.5");
    /* dg/dt(0) = 0, else S jumps at t = d */
    const char *ph[] = {"manufactured.phase=0", "model.delay_history=0.5"};
    refused("mms_delay", ph, 2, "--set manufactured.phase=0: [manufactured] manufactured.phase = 0 leaves dg/dt(0)");
    /* R_m is closed form for a1 = 0 only */
    const char *a1[] = {"model.a1=0.1"};
    refused("mms_refractory", a1, 1, "--set model.a1=0.1: [manufactured] model.a1 = 0.1 with model.tau_ref");
    /* what the model refuses with a refractory period stays refused */
    const char *kick[] = {"input.type=kick", "input.t0=0.1", "input.kick=0.1"};
    refused("mms_refractory", kick, 3, "with input.type = kick");
}

static void figures(const nlif_case *cs, const nlif_run_result *res, double *ratio_p, double *ratio_n, double *ep,
                    double *en)
{
    *ratio_p = *ratio_n = *ep = *en = 0;
    for (int k = 0; k < res->n_snap; k++) {
        const nlif_snapshot *s = &res->snap[k];
        double e = nlif_mms_profile_error(cs, s->t, s->v, s->p, s->n), b = nlif_mms_bound_p(cs, s->t);
        if (!(e / b <= *ratio_p))
            *ratio_p = e / b, *ep = e;
    }
    for (size_t i = 0; i < res->traj.n; i++) {
        double t = res->traj.s[i].t;
        if (t <= 0)
            continue;
        double e = fabs(res->traj.s[i].rate - nlif_mms_rate(cs, t)), b = nlif_mms_bound_rate(cs, t);
        if (!(e / b <= *ratio_n))
            *ratio_n = e / b, *en = e;
    }
}

/* One run of SCHEME on RUN_CASE judged against JUDGE_CASE's exact solution: the worst ratios. */
static void judged(const char *scheme, const nlif_case *run_case, const nlif_case *judge_case, double *rp, double *rn,
                   double *drift, const char *what)
{
    const nlif_scheme_type *st = nlif_scheme_find(scheme);
    nlif_optset o;
    nlif_run_result res;
    nlif_error e = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&o, st->options, NULL), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(nlif_run_scheme(st, run_case, &o, &res, &e), NLIF_OK);
    double ep, en;
    figures(judge_case, &res, rp, rn, &ep, &en);
    *drift = res.traj.mass_drift;
    printf("\n  %-8s on %s%s: worst snapshot L1 %.3g (%.3g of its bound), worst |N - N_m| %.3g (%.3g), mass drift %.3g",
           scheme, judge_case->name, what, ep, *rp, en, *rn, res.traj.mass_drift);
    CU_ASSERT(res.traj.status == NLIF_STATUS_OK);
    CU_ASSERT(res.traj.min_density >= 0);
    nlif_run_result_free(&res);
}

static void test_source_and_defects(void)
{
    for (int k = 0; k < 2; k++) {
        nlif_case cs, bad;
        CU_ASSERT_EQUAL_FATAL(nlif_test_load(&cs, cases[k], NULL, 0), 1);
        const char *schemes[] = {"spap", "cvode", "explicit"};
        double rp, rn, drift;
        for (int j = 0; j < 3; j++) {
            judged(schemes[j], &cs, &cs, &rp, &rn, &drift, "");
            CU_ASSERT(rp <= 1 && rn <= 1);
            if (j < 2) /* the mass check's bound: ∫S = 0 on the grid, ∫p + R conserved (explicit: §5c) */
                CU_ASSERT(fabs(drift) <= 1e-12);
        }
        /* the defects: the source dropped; the term itself misread, the source then consistent with the
         * wrong model (a scheme that ignores the term everywhere) */
        bad = cs;
        bad.manufactured.enabled = 0;
        judged("spap", &bad, &cs, &rp, &rn, &drift, " WITHOUT the source");
        CU_ASSERT(rp > 1 && rn > 1);
        bad = cs;
        if (k == 0)
            bad.model.delay = 0.0;
        else
            bad.model.tau_ref = 0.0, bad.initial.refractory = 0.0;
        judged("spap", &bad, &cs, &rp, &rn, &drift, k == 0 ? " with the delay read as 0" : " with tau_ref read as 0");
        CU_ASSERT(rp > 1 || rn > 1);
    }
    printf("\n");
}

/* The acceptance figure: spap's order in v against the exact solution, 2 ± 0.1, on each term; in t 1 ±
 * 0.1; cvode's in v within the order check's 0.15. */
static void test_orders_against_exact(void)
{
    struct { const char *scheme; nlif_refine dir; double q, tol; } L[] = {
        {"spap", NLIF_REFINE_V, 2, 0.1}, {"spap", NLIF_REFINE_T, 1, 0.1}, {"cvode", NLIF_REFINE_V, 2, 0.15}};
    for (int k = 0; k < 2; k++) {
        nlif_case cs;
        CU_ASSERT_EQUAL_FATAL(nlif_test_load(&cs, cases[k], NULL, 0), 1);
        for (int j = 0; j < 3; j++) {
            const nlif_scheme_type *st = nlif_scheme_find(L[j].scheme);
            nlif_optset o;
            nlif_convergence c;
            nlif_error e = {0};
            CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&o, st->options, NULL), NLIF_OK);
            int rc = nlif_converge(st, &cs, &o, L[j].dir, 4, &c, &e);
            if (rc)
                fprintf(stderr, "\n  %s\n", e.msg);
            CU_ASSERT_EQUAL_FATAL(rc, NLIF_OK);
            CU_ASSERT_STRING_EQUAL(c.reference, "exact");
            printf("\n  %s on %s refine %s against the exact solution: order p %.3f, N %.3f (errors p %.3g .. %.3g)",
                   L[j].scheme, cases[k], nlif_refine_name(L[j].dir), c.order_p, c.order_rate, c.lev[0].err_p,
                   c.lev[3].err_p);
            CU_ASSERT(fabs(c.order_p - L[j].q) <= L[j].tol);
            CU_ASSERT(fabs(c.order_rate - L[j].q) <= L[j].tol);
        }
    }
    printf("\n");
}

/* An external solver through the protocol: the problem carries the delay, its history, τ_R, R(0) and the
 * phase; tests/extsolver/extfv (written from MATHEMATICS.md §1.4, §1.5, §6b alone) declares delay and
 * refractory in extfv_terms.ini, passes mms(p), mms(N), mass and consistent (its column R) on both cases
 * and FAILs mms(p) and mms(N) without the source. */
static void test_external_terms(void)
{
    char cmd[1200], out[16384];
    const char *dir = "/tmp/nlif_test_mms_terms_ext", *man = "tests/extsolver/extfv_terms.ini";
    snprintf(cmd, sizeof cmd, "%s problem mms_delay --solver %s && %s problem mms_refractory --solver %s", nlif_test_bin(),
             man, nlif_test_bin(), man);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    const char *members[] = {"\"delay\": 0.10000000000000001", "\"delay_history\": 0.65000000000000002",
                             "\"phase\": 1.5707963267948966", "\"tau_ref\": 0.20000000000000001",
                             "\"refractory\": 0.050000000000000003"};
    for (int k = 0; k < 5; k++) {
        if (!strstr(out, members[k]))
            fprintf(stderr, "\n  the problem lacks %s\n", members[k]);
        CU_ASSERT_PTR_NOT_NULL(strstr(out, members[k]));
    }
    for (int k = 0; k < 2; k++)
        for (int bad = 0; bad < 2; bad++) {
            snprintf(cmd, sizeof cmd, "rm -rf %s && %s run %s --solver %s %s --out %s > /dev/null && %s judge %s --solver %s",
                     dir, nlif_test_bin(), cases[k], man, bad ? "--opt defect=source_dropped" : "", dir, nlif_test_bin(),
                     dir, man);
            CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), bad);
            const char *want[] = {"mms(p)                 pass", "mms(N)                 pass", "mass                   pass",
                                  "consistent             pass"};
            const char *want_bad[] = {"mms(p)                 FAIL", "mms(N)                 FAIL"};
            for (int j = 0; j < (bad ? 2 : 4); j++)
                CU_ASSERT_PTR_NOT_NULL(strstr(out, bad ? want_bad[j] : want[j]));
            const char *at = strstr(out, "mms(p)");
            printf("\n  extfv%s on %s through the protocol:\n%.420s", bad ? " WITHOUT the source" : "", cases[k],
                   at ? at : out);
        }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    nlif_test_sh(cmd, out, sizeof out);
    printf("\n");
}

static const nlif_test_case tests[] = {
    {"the delay's and the refractory period's families meet their model", test_family_identities},
    {"the case format refuses a family that is not a solution, with the key", test_case_refusals},
    {"spap, cvode, explicit within the mms bounds; spap without S or the term not", test_source_and_defects},
    {"orders against the exact solution (spap v 2 +- 0.1, t 1; cvode v 2) on both", test_orders_against_exact},
    {"an external solver gets the terms through the protocol and passes; without S it FAILs", test_external_terms},
    {NULL, NULL},
};

int main(void) { return nlif_test_main("mms_terms", tests); }
