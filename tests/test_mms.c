/* test_mms.c — manufactured solutions (core/nlif_mms.c, MATHEMATICS.md §6b): the family meets every
 * condition of the model in closed form, its source is mass-neutral on the grid, the case format
 * refuses what is not a positive solution with FILE:LINE, spap and cvode add the source and converge
 * at their declared orders against the exact solution, and the judge's bounds hold for spap while
 * spap without the source misses them (the defect the check exists to catch). Every figure asserted
 * is printed.
 */
#include "../core/nlif_mms.h"
#include "../harness/case/nlif_case.h"
#include "../harness/runs/nlif_converge.h"
#include "../harness/runs/nlif_run.h"
#include "nlif_test.h"

#include <stdio.h>
#include <string.h>

static const char *const base_text =
    "[case]\ndescription = test\n[model]\nb = 0.5\nv_min = -1\n[initial]\ntype = manufactured\n"
    "[manufactured]\nslope = 0.5\namplitude = 0.3\nomega = 6.283185307179586\n[run]\nt_final = 1\n"
    "snapshots = 0.5, 1\n";

/* Two families: the case's, and one with a1 > 0, inhibition and a sine input (S holds dI/dt). */
static int family(nlif_case *cs, int k)
{
    nlif_error e = {0};
    const char *sets1[] = {"model.b=-0.7", "model.a1=0.3", "input.type=sine", "input.i0=0.4", "input.amplitude=0.5",
                           "input.omega=3", "input.phase=0.2", "manufactured.omega=5", "manufactured.slope=0.6"};
    int rc = nlif_case_parse_string(cs, base_text, "fam.ini", k ? sets1 : NULL, k ? 9 : 0, &e);
    if (rc)
        fprintf(stderr, "\n  %s\n", e.msg);
    return rc;
}

static void test_family_identities(void)
{
    for (int k = 0; k < 2; k++) {
        nlif_case cs;
        CU_ASSERT_EQUAL_FATAL(family(&cs, k), NLIF_OK);
        const nlif_model *m = &cs.model;
        for (double t = 0; t < 1; t += 0.23) {
            nlif_mms_state s, a, b;
            CU_ASSERT_EQUAL_FATAL(nlif_mms_at(&cs, t, &s), 0);
            /* round-off of closed forms of O(1) terms: 1e-13 */
            NLIF_ASSERT_CLOSE(nlif_mms_cumulative(&s, m, m->v_f), 1.0, 0, 1e-13);
            NLIF_ASSERT_CLOSE(nlif_mms_density(&s, m, m->v_f), 0.0, 0, 1e-15);
            NLIF_ASSERT_CLOSE(nlif_mms_flux(&s, m, m->v_min, 0), 0.0, 0, 1e-13);
            NLIF_ASSERT_CLOSE(nlif_mms_flux(&s, m, m->v_r, 1) - nlif_mms_flux(&s, m, m->v_r, -1), s.rate, 0, 1e-13);
            NLIF_ASSERT_CLOSE(nlif_mms_flux(&s, m, m->v_f, 0), s.rate, 0, 1e-13);
            NLIF_ASSERT_CLOSE(s.rate, nlif_noise(m, s.rate) * s.g, 1e-14, 0);
            NLIF_ASSERT_CLOSE(nlif_mms_source_point(&s, m, m->v_f), 0.0, 0, 1e-12);
            /* the derivatives against central differences (step 1e-6: truncation ~1e-12, round-off ~1e-10) */
            double d = 1e-6;
            nlif_mms_at(&cs, t + d, &a), nlif_mms_at(&cs, t - d, &b);
            for (int j = 0; j < 6; j++)
                NLIF_ASSERT_CLOSE((a.c[j] - b.c[j]) / (2 * d), s.c_dot[j], 0, 1e-8);
            NLIF_ASSERT_CLOSE((a.rate - b.rate) / (2 * d), s.rate_dot, 0, 1e-8);
            /* S at interior points against the PDE residual by differences in t and v (step 1e-5 in v:
             * the flux is a cubic times a linear, truncation ~1e-10, round-off ~1e-11 / 1e-5) */
            for (double v = m->v_min + 0.137; v < m->v_f; v += 0.41) {
                if (fabs(v - m->v_r) < 1e-3)
                    continue;
                double h = 1e-5;
                double pt = (nlif_mms_density(&a, m, v) - nlif_mms_density(&b, m, v)) / (2 * d);
                double fv = (nlif_mms_flux(&s, m, v + h, 0) - nlif_mms_flux(&s, m, v - h, 0)) / (2 * h);
                NLIF_ASSERT_CLOSE(nlif_mms_source_point(&s, m, v), pt + fv, 0, 1e-6);
                CU_ASSERT(nlif_mms_density(&s, m, v) > 0);
            }
            /* mass-neutral on the grid: the cell sources telescope (round-off of n terms of O(1)) */
            int n, r;
            CU_ASSERT_EQUAL_FATAL(nlif_grid_nodes(m, 0.02, &n, &r), 0);
            double src[200];
            nlif_mms_cell_sources(&cs, t, 0.02, n, src);
            NLIF_ASSERT_CLOSE(nlif_sum(src, n) * 0.02, 0.0, 0, 1e-14);
        }
    }
    printf("\n  identities of kink_quadratic hold on two families at t = 0 .. 0.92 (mass, p(V_F), wall flux, "
           "jump = N, S(V_F) = 0, derivatives, S vs the residual, sum of cell sources)\n");
}

static void refused(const char *text, const char *want)
{
    nlif_case cs;
    nlif_error e = {0};
    CU_ASSERT_EQUAL(nlif_case_parse_string(&cs, text, "bad.ini", NULL, 0, &e), NLIF_EINVAL);
    if (!strstr(e.msg, want))
        fprintf(stderr, "\n  got: %s\n  want: %s\n", e.msg, want);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, want));
}

static void test_case_refusals(void)
{
    char text[1200];
    /* the default V_min = -4: the Robin condition at the wall makes c0 < 0 (MATHEMATICS.md 6b) */
    snprintf(text, sizeof text, "%s", base_text);
    char *p = strstr(text, "v_min = -1\n");
    memmove(p, p + 11, strlen(p + 11) + 1);
    refused(text, "bad.ini:9: [manufactured] p_m(");
    refused("[case]\ndescription = t\n[model]\nb = 0\n[initial]\ntype = gaussian\nmean = 0\nsd = 0.3\n[manufactured]\n"
            "slope = 0.5\n[run]\nt_final = 1\n",
            "bad.ini:6: initial.type = manufactured and a [manufactured] section go together");
    refused("[case]\ndescription = t\n[model]\nb = 0\n[initial]\ntype = manufactured\n[run]\nt_final = 1\n",
            "bad.ini:6: initial.type = manufactured and a [manufactured] section go together");
    refused("[case]\ndescription = t\n[model]\nb = 0\nv_min = -1\n[initial]\ntype = manufactured\n[input]\ntype = kick\n"
            "t0 = 0.5\nkick = 0.1\n[manufactured]\nslope = 0.5\n[run]\nt_final = 1\n",
            "bad.ini:9: input.type = kick with a manufactured solution (allowed: none, constant, sine");
    refused("[case]\ndescription = t\n[model]\nb = 0\nv_min = -1\n[initial]\ntype = manufactured\n[manufactured]\n"
            "slope = 0.5\namplitude = 1.5\n[run]\nt_final = 1\n",
            "bad.ini:10: manufactured.amplitude = 1.5 is out of range");
    /* a1 g reaching 1 */
    refused("[case]\ndescription = t\n[model]\nb = 0\na1 = 1.5\nv_min = -1\n[initial]\ntype = manufactured\n"
            "[manufactured]\nslope = 0.5\namplitude = 0.5\n[run]\nt_final = 1\n",
            "bad.ini:11: [manufactured] the family is not defined at t = ");
    /* what a case without the section keeps: the same bytes as before the section existed */
    nlif_case cs;
    CU_ASSERT_EQUAL_FATAL(nlif_test_load(&cs, "smooth_short", NULL, 0), 1);
    CU_ASSERT_EQUAL(cs.manufactured.enabled, 0);
    CU_ASSERT_PTR_NULL(nlif_scheme_not_applicable(nlif_scheme_find("dilated"), &cs));
    /* the schemes without the capability are n.a. on a manufactured case, the capability named */
    CU_ASSERT_EQUAL_FATAL(nlif_test_load(&cs, "mms_base", NULL, 0), 1);
    const char *why = nlif_scheme_not_applicable(nlif_scheme_find("dilated"), &cs);
    CU_ASSERT(why && strstr(why, "lacks capability source"));
    why = nlif_scheme_not_applicable(nlif_scheme_find("multiscale"), &cs);
    CU_ASSERT(why && strstr(why, "lacks capability source"));
    CU_ASSERT_PTR_NULL(nlif_scheme_not_applicable(nlif_scheme_find("spap"), &cs));
    CU_ASSERT_PTR_NULL(nlif_scheme_not_applicable(nlif_scheme_find("cvode"), &cs));
    CU_ASSERT_PTR_NULL(nlif_scheme_not_applicable(nlif_scheme_find("explicit"), &cs));
}

/* An external solver through the protocol (tests/extsolver/extfv, written from MATHEMATICS.md §6b alone)
 * declares source and adds S: it passes mms(p) and mms(N) on mms_base, and FAILs both with its defect
 * source_dropped; the particle reference cannot add S: nlif mc refuses a manufactured case. */
static void test_external_source(void)
{
    char cmd[1024], out[16384];
    const char *dir = "/tmp/nlif_test_mms_ext";
    snprintf(cmd, sizeof cmd, "rm -rf %s && %s run mms_base --solver tests/extsolver/extfv.ini --out %s > /dev/null && "
             "%s judge %s --solver tests/extsolver/extfv.ini", dir, nlif_test_bin(), dir, nlif_test_bin(), dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    printf("\n  extfv on mms_base through the protocol:\n%.600s", strstr(out, "mms(p)") ? strstr(out, "mms(p)") : out);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "mms(p)                 pass"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "mms(N)                 pass"));
    snprintf(cmd, sizeof cmd, "rm -rf %s && %s run mms_base --solver tests/extsolver/m_source_dropped.ini --out %s > /dev/null && "
             "%s judge %s --solver tests/extsolver/m_source_dropped.ini", dir, nlif_test_bin(), dir, nlif_test_bin(), dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "mms(p)                 FAIL"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "mms(N)                 FAIL"));
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    nlif_test_sh(cmd, out, sizeof out);
    /* the particle reference cannot add S: nlif mc refuses a manufactured case */
    snprintf(cmd, sizeof cmd, "%s mc mms_base --particles 100 --realisations 1", nlif_test_bin());
    int st = nlif_test_sh(cmd, out, sizeof out);
    CU_ASSERT_EQUAL(st, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "a manufactured case: its solution needs the source S"));
}

/* The check itself, through `nlif judge` on the files a run wrote: it passes spap's own files, FAILs
 * them with every density 5% high (what a scheme that drops part of S, or rescales, shows), and FAILs
 * a run that lacks a snapshot the case asks for. */
static void test_check_on_files(void)
{
    char cmd[1024], out[16384];
    const char *dir = "/tmp/nlif_test_mms_judge", *snap = "/tmp/nlif_test_mms_judge/mms_base.spap.snapshots.csv";
    snprintf(cmd, sizeof cmd, "rm -rf %s && %s run mms_base --scheme spap --out %s > /dev/null && %s judge %s", dir,
             nlif_test_bin(), dir, nlif_test_bin(), dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "mms(p)                 pass"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "mms(N)                 pass"));
    snprintf(cmd, sizeof cmd, "awk -F, 'BEGIN { OFS = \",\" } /^v,/ { $4 = $4 * 1.05 } { print }' %s > %s.x && mv %s.x %s && "
             "%s judge %s", snap, snap, snap, snap, nlif_test_bin(), dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 1);
    char *cell = strstr(out, "mms(p)");
    printf("\n  spap's files with p 5%% high: %.120s", cell ? cell : out);
    CU_ASSERT(cell && !strncmp(cell, "mms(p)                 FAIL", 27));
    /* the last snapshot (t_final) removed */
    snprintf(cmd, sizeof cmd, "grep -v '^v,0.5,' %s > %s.x && mv %s.x %s && %s judge %s", snap, snap, snap, snap,
             nlif_test_bin(), dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "no snapshot at t = 0.5, which the case asks for"));
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    nlif_test_sh(cmd, out, sizeof out);
    printf("\n");
}

/* The judge's figures of a run (as check mms computes them from the files: every snapshot, every
 * sample t > 0), the worst by error over bound. */
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

static void test_source_and_its_absence(void)
{
    nlif_case cs, dropped;
    CU_ASSERT_EQUAL_FATAL(nlif_test_load(&cs, "mms_base", NULL, 0), 1);
    const nlif_scheme_type *names[] = {nlif_scheme_find("spap"), nlif_scheme_find("cvode"), nlif_scheme_find("explicit")};
    for (int k = 0; k < 3; k++) {
        nlif_optset o;
        nlif_run_result res;
        nlif_error e = {0};
        CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&o, names[k]->options, NULL), NLIF_OK);
        CU_ASSERT_EQUAL_FATAL(nlif_run_scheme(names[k], &cs, &o, &res, &e), NLIF_OK);
        double rp, rn, ep, en;
        figures(&cs, &res, &rp, &rn, &ep, &en);
        printf("\n  %s on mms_base: worst snapshot L1 %.3g (%.3g of its bound), worst |N - N_m| %.3g (%.3g of its "
               "bound), mass drift %.3g, min p %.3g", names[k]->name, ep, rp, en, rn, res.traj.mass_drift,
               res.traj.min_density);
        CU_ASSERT(rp <= 1 && rn <= 1);
        CU_ASSERT(res.traj.status == NLIF_STATUS_OK);
        /* the mass check's own bound (MATHEMATICS.md 6): the source integrates to zero on the grid, so
         * the conservative schemes keep it (explicit's mass is not exact with or without a source, §5c) */
        if (k < 2)
            CU_ASSERT(fabs(res.traj.mass_drift) <= 1e-12);
        CU_ASSERT(res.traj.min_density >= 0);
        nlif_run_result_free(&res);
    }
    /* the defect: spap from the same data without the source (what m_source_dropped does) */
    dropped = cs;
    dropped.manufactured.enabled = 0;
    nlif_optset o;
    nlif_run_result res;
    nlif_error e = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&o, nlif_scheme_find("spap")->options, NULL), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(nlif_run_scheme(nlif_scheme_find("spap"), &dropped, &o, &res, &e), NLIF_OK);
    double rp, rn, ep, en;
    figures(&cs, &res, &rp, &rn, &ep, &en);
    printf("\n  spap WITHOUT the source: worst snapshot L1 %.3g (%.3g of its bound), worst |N - N_m| %.3g (%.3g of "
           "its bound)\n", ep, rp, en, rn);
    CU_ASSERT(rp > 1 && rn > 1);
    nlif_run_result_free(&res);
}

/* The acceptance figure: spap's order in v against the exact solution, 2 ± 0.1; in t 1 ± 0.1; cvode's in v. */
static void test_orders_against_exact(void)
{
    nlif_case cs;
    CU_ASSERT_EQUAL_FATAL(nlif_test_load(&cs, "mms_base", NULL, 0), 1);
    /* spap: the task's acceptance, 2 ± 0.1; cvode: the order check's order_tol 0.15 (its local orders
     * 2.18, 2.09, 2.04 still fall towards 2: its fit on four levels is 2.10) */
    struct { const char *scheme; nlif_refine dir; double q, tol; } L[] = {
        {"spap", NLIF_REFINE_V, 2, 0.1}, {"spap", NLIF_REFINE_T, 1, 0.1}, {"cvode", NLIF_REFINE_V, 2, 0.15},
        {"spap", NLIF_REFINE_V, 2, 0.1}};
    for (int k = 0; k < 4; k++) {
        if (k == 3) { /* a1 > 0, inhibition and a sine input: a(N), the drift's sign and dI/dt in S */
            const char *sets[] = {"model.a1=0.3", "model.b=-0.7", "input.type=sine", "input.i0=0.4",
                                  "input.amplitude=0.5", "input.omega=3", "manufactured.slope=0.6"};
            CU_ASSERT_EQUAL_FATAL(nlif_test_load(&cs, "mms_base", sets, 7), 1);
        }
        const nlif_scheme_type *st = nlif_scheme_find(L[k].scheme);
        nlif_optset o;
        nlif_convergence c;
        nlif_error e = {0};
        CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&o, st->options, NULL), NLIF_OK);
        int rc = nlif_converge(st, &cs, &o, L[k].dir, 4, &c, &e);
        if (rc)
            fprintf(stderr, "\n  %s\n", e.msg);
        CU_ASSERT_EQUAL_FATAL(rc, NLIF_OK);
        CU_ASSERT_STRING_EQUAL(c.reference, "exact");
        printf("\n  %s%s refine %s against the exact solution: order p %.3f, N %.3f (errors p %.3g .. %.3g)", L[k].scheme,
               k == 3 ? " (a1 0.3, b -0.7, sine input)" : "", nlif_refine_name(L[k].dir), c.order_p, c.order_rate, c.lev[0].err_p, c.lev[3].err_p);
        CU_ASSERT(fabs(c.order_p - L[k].q) <= L[k].tol);
        CU_ASSERT(fabs(c.order_rate - L[k].q) <= L[k].tol);
    }
    printf("\n");
}

static const nlif_test_case tests[] = {
    {"kink_quadratic meets every condition of the model", test_family_identities},
    {"the case format refuses what is not a positive solution, FILE:LINE", test_case_refusals},
    {"spap, cvode, explicit within the mms bounds; spap without S not", test_source_and_its_absence},
    {"check mms on a run's files: pass, FAIL at p 5% high, FAIL without a snapshot", test_check_on_files},
    {"an external solver adds the source through the protocol; nlif mc refuses the case", test_external_source},
    {"orders against the exact solution (spap v 2, t 1; cvode v 2; spap v 2 with a1 > 0)", test_orders_against_exact},
    {NULL, NULL},
};

int main(void) { return nlif_test_main("mms", tests); }
