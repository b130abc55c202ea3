/* test_converge.c — convergence studies (harness/runs/converge.c) and the CVODE time-accurate reference
 * with its bordered tridiagonal solver (reference/cvode_ref.c, reference/bordered.c). */
#include "../harness/case/nlif_case.h"
#include "../harness/runs/nlif_converge.h"
#include "../harness/runs/nlif_run.h"
#include "../reference/nlif_cvode.h"
#include "../exact/nlif_exact.h"
#include "../reports/nlif_study.h"
#include "nlif_test.h"

#include <gsl/gsl_linalg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_fit_order_synthetic(void)
{
    double h[5], e[5];
    for (int k = 0; k < 5; k++)
        h[k] = 0.1 / (1 << k), e[k] = 3.0 * h[k] * h[k];
    /* exact power law: the slope is exact to round-off of log */
    NLIF_ASSERT_CLOSE(nlif_fit_order(h, e, 5), 2.0, 1e-12, 0);
    /* a level without error (blow-up) is skipped, not fitted as zero */
    e[2] = NAN;
    NLIF_ASSERT_CLOSE(nlif_fit_order(h, e, 5), 2.0, 1e-12, 0);
    /* multiplicative noise ±10% alternating: the slope moves by at most log(1.1/0.9)/log 2 / 2 */
    for (int k = 0; k < 5; k++)
        e[k] = 0.5 * h[k] * (k % 2 ? 1.1 : 0.9);
    double q = nlif_fit_order(h, e, 5);
    CU_ASSERT(fabs(q - 1.0) < 0.15);
    /* fewer than two usable levels: not measurable */
    double h1[2] = {0.1, 0.05}, e1[2] = {1e-3, NAN};
    CU_ASSERT(isnan(nlif_fit_order(h1, e1, 2)));
}

static void test_refine_names(void)
{
    nlif_refine d;
    CU_ASSERT_EQUAL(nlif_refine_parse("t", &d), NLIF_OK);
    CU_ASSERT_EQUAL(d, NLIF_REFINE_T);
    CU_ASSERT_STRING_EQUAL(nlif_refine_name(NLIF_REFINE_W), "w");
    CU_ASSERT_NOT_EQUAL(nlif_refine_parse("x", &d), NLIF_OK);
}

/* The bordered solver against a dense LU solve (GSL, partial pivoting) on small matrices of the
 * shape I − γJ: column diagonally dominant tridiagonal plus a dense last column. */
static void check_bordered(int m, unsigned seed)
{
    nlif_bordered B;
    CU_ASSERT_EQUAL_FATAL(nlif_bordered_alloc(&B, m, NULL), NLIF_OK);
    srand(seed);
    for (int i = 0; i < m; i++) {
        B.sub[i] = i > 0 ? -(double)rand() / RAND_MAX : 0;
        B.sup[i] = i < m - 1 ? -(double)rand() / RAND_MAX : 0;
        B.col[i] = 0.3 * ((double)rand() / RAND_MAX - 0.5);
        B.diag[i] = 3.0 + (double)rand() / RAND_MAX;
    }
    gsl_matrix *A = gsl_matrix_calloc(m, m);
    gsl_vector *b = gsl_vector_alloc(m), *x = gsl_vector_alloc(m);
    gsl_permutation *perm = gsl_permutation_alloc(m);
    double *rhs = malloc(m * sizeof *rhs), *y = malloc(m * sizeof *y);
    for (int i = 0; i < m; i++) {
        gsl_matrix_set(A, i, i, B.diag[i]);
        if (i > 0)
            gsl_matrix_set(A, i, i - 1, B.sub[i]);
        if (i < m - 1)
            gsl_matrix_set(A, i, i + 1, B.sup[i]);
        gsl_matrix_set(A, i, m - 1, gsl_matrix_get(A, i, m - 1) + B.col[i]);
        rhs[i] = sin(1.0 + i);
        gsl_vector_set(b, i, rhs[i]);
    }
    int sgn;
    gsl_linalg_LU_decomp(A, perm, &sgn);
    gsl_linalg_LU_solve(A, perm, b, x);
    CU_ASSERT_EQUAL(nlif_bordered_factor(&B), NLIF_OK);
    memcpy(y, rhs, m * sizeof *y);
    nlif_bordered_solve(&B, y);
    /* well-conditioned (diagonally dominant, κ ≲ 10): both solves agree to a few ulps × m */
    for (int i = 0; i < m; i++)
        NLIF_ASSERT_CLOSE(y[i], gsl_vector_get(x, i), 1e-12, 1e-14);
    /* and the residual through nlif_bordered_matvec */
    double *r = malloc(m * sizeof *r);
    nlif_bordered_matvec(&B, y, r);
    for (int i = 0; i < m; i++)
        NLIF_ASSERT_CLOSE(r[i], rhs[i], 1e-12, 1e-14);
    free(r);
    free(rhs);
    free(y);
    gsl_matrix_free(A);
    gsl_vector_free(b);
    gsl_vector_free(x);
    gsl_permutation_free(perm);
    nlif_bordered_free(&B);
}

static void test_bordered_vs_dense(void)
{
    check_bordered(1, 1);
    check_bordered(2, 2);
    check_bordered(3, 3);
    check_bordered(9, 4);
    check_bordered(40, 5);
}

static void test_bernoulli(void)
{
    /* B(x) + x = B(−x) (exact identity; round-off only) and B' against central differences
     * (h = 1e-5: truncation h²|B'''|/6 < 1e-11, cancellation 1e-16/h = 1e-11) */
    double xs[] = {-30, -3, -0.5, -1e-3, 0, 2e-3, 0.009, 0.011, 0.7, 4, 50};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double x = xs[i], h = 1e-5;
        NLIF_ASSERT_CLOSE(nlif_bernoulli(x) + x, nlif_bernoulli(-x), 1e-13, 1e-13);
        double fd = (nlif_bernoulli(x + h) - nlif_bernoulli(x - h)) / (2 * h);
        NLIF_ASSERT_CLOSE(nlif_bernoulli_deriv(x), fd, 1e-8, 1e-10);
    }
}

static int load(nlif_case *cs, const char *name, const char *const *sets, int n)
{
    nlif_error err = {0};
    int rc = nlif_case_load(cs, name, sets, n, &err);
    if (rc)
        fprintf(stderr, "\n  %s\n", err.msg);
    return rc;
}

/* CVODE on relax_linear (b = 0, t_final = 20): mass, positivity, and the Siegert rate. */
static void test_cvode_relax_linear(void)
{
    nlif_case cs;
    CU_ASSERT_EQUAL_FATAL(load(&cs, "relax_linear", NULL, 0), NLIF_OK);
    double exact[NLIF_MAX_ROOTS];
    int nr = 0;
    CU_ASSERT_EQUAL_FATAL(nlif_stationary_rates(&cs.model, 0.0, exact, NLIF_MAX_ROOTS, &nr, NULL), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(nr, 1);
    for (int f = 0; f < 2; f++) {
        nlif_optset opt;
        CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&opt, nlif_scheme_cvode.options, NULL), NLIF_OK);
        CU_ASSERT_EQUAL(nlif_optset_set(&opt, "flux", f ? "maxwellian" : "sg", NULL), NLIF_OK);
        nlif_run_result res;
        nlif_error err = {0};
        CU_ASSERT_EQUAL_FATAL(nlif_run_scheme(&nlif_scheme_cvode, &cs, &opt, &res, &err), NLIF_OK);
        CU_ASSERT_EQUAL(res.traj.status, NLIF_STATUS_OK);
        /* BDF preserves the linear invariant Δv Σ p (column sums of J are zero): MATHEMATICS.md §6 bound */
        CU_ASSERT(res.traj.mass_drift <= 1e-12);
        CU_ASSERT(res.traj.min_density >= -1e-15 * res.traj.max_density);
        /* the exact rate has the wall at V_min (MATHEMATICS.md 2); 1e-4: the second-order flux's
         * accuracy at Δv = 0.02 that spap states for the same Maxwellian outflow (MATHEMATICS.md 3) */
        NLIF_ASSERT_CLOSE(nlif_run_final_rate(&res.traj), exact[0], 0, 1e-4);
        /* the Jacobian is exact (tridiagonal + dense column): about one Newton iteration per step */
        double it = nlif_traj_get_stat(&res.traj, "cvode_newton_iters"), st = nlif_traj_get_stat(&res.traj, "cvode_steps");
        CU_ASSERT(st > 0 && it / st < 1.3);
        nlif_run_result_free(&res);
    }
}

/* CVODE is time-accurate: its N(t) on smooth_short (b = 0.5, the implicit-in-N outflow) does not
 * change when rtol drops by 100 — and spap (Maxwellian flux, same grid) approaches it at order 1. */
static void test_cvode_time_reference(void)
{
    nlif_case cs;
    CU_ASSERT_EQUAL_FATAL(load(&cs, "smooth_short", NULL, 0), NLIF_OK);
    nlif_optset opt;
    nlif_optset_init(&opt, nlif_scheme_cvode.options, NULL);
    nlif_optset_set(&opt, "rtol", "1e-8", NULL);
    nlif_run_result a, b;
    CU_ASSERT_EQUAL_FATAL(nlif_run_scheme(&nlif_scheme_cvode, &cs, &opt, &a, NULL), NLIF_OK);
    nlif_optset_set(&opt, "rtol", "1e-10", NULL);
    CU_ASSERT_EQUAL_FATAL(nlif_run_scheme(&nlif_scheme_cvode, &cs, &opt, &b, NULL), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(a.traj.n, b.traj.n);
    double d = 0;
    for (size_t i = 0; i < a.traj.n; i++)
        d = fmax(d, fabs(a.traj.s[i].rate - b.traj.s[i].rate));
    /* global error of BDF at rtol 1e-8 on an O(1) problem over t = 1: ≲ 100 rtol */
    CU_ASSERT(d < 1e-6);
    CU_ASSERT(a.traj.mass_drift <= 1e-12);
    nlif_run_result_free(&a);
    nlif_run_result_free(&b);
}

/* A real ladder: spap on smooth_short, v and t (default resolution; < 2 s together). */
static void test_ladder_spap(void)
{
    const nlif_scheme_type *st = nlif_scheme_find("spap");
    if (!st)
        return;
    nlif_case cs;
    CU_ASSERT_EQUAL_FATAL(load(&cs, "smooth_short", NULL, 0), NLIF_OK);
    nlif_optset opt;
    nlif_optset_init(&opt, st->options, NULL);
    nlif_convergence c;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_converge(st, &cs, &opt, NLIF_REFINE_T, 4, &c, &err), NLIF_OK);
    CU_ASSERT_EQUAL(c.n_levels, 4);
    CU_ASSERT_STRING_EQUAL(c.reference, "finest");
    /* MATHEMATICS.md §6: within 0.15 of the expected order (1 in t for backward Euler) */
    CU_ASSERT(fabs(c.order_p - 1.0) <= 0.15);
    CU_ASSERT(fabs(c.order_rate - 1.0) <= 0.15);
    for (int k = 1; k < 4; k++)
        CU_ASSERT(c.lev[k].ratio_p > 1.7 && c.lev[k].ratio_p < 2.3);
    /* the CVODE reference (Maxwellian flux: the same semi-discretisation as spap) gives the same order */
    const char *ro[] = {"flux=maxwellian"};
    nlif_converge_settings set = {"cvode", NAN, ro, 1, 0, 0, 0};
    nlif_convergence cv;
    CU_ASSERT_EQUAL_FATAL(nlif_converge_ex(st, &cs, &opt, NLIF_REFINE_T, 4, &set, &cv, &err), NLIF_OK);
    CU_ASSERT_STRING_EQUAL(cv.reference, "cvode");
    CU_ASSERT(fabs(cv.order_p - 1.0) <= 0.15);
    CU_ASSERT(fabs(cv.order_rate - 1.0) <= 0.15);
    /* and the errors agree with those against the finest run to within the finest run's own error
     * (h_ref = h_3/16: ≤ 1/8 of the last level's error for order 1) */
    for (int k = 0; k < 4; k++)
        NLIF_ASSERT_CLOSE(cv.lev[k].err_rate, c.lev[k].err_rate, 0.15, 0);

    CU_ASSERT_EQUAL_FATAL(nlif_converge(st, &cs, &opt, NLIF_REFINE_V, 4, &c, &err), NLIF_OK);
    CU_ASSERT(fabs(c.order_p - 2.0) <= 0.15);
    CU_ASSERT(fabs(c.order_rate - 2.0) <= 0.15);
    json_t *j = nlif_convergence_json(&c);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(j, "levels")), 4);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "refine")), "v");
    json_decref(j);
}

/* The wall V_min (MATHEMATICS.md §1.3, §7 "The half cell at the wall V_min"): node 0 holds the half
 * cell [V_min, V_min + Δv/2], so the density there is twice its unknown. A scheme that gives it a full
 * cell moves the wall to V_min − Δv/2, an O(Δv) error that shows once the density at V_min is not
 * negligible: with V_min = −3 on smooth_short the fitted order in p over 4 levels was 1.17 (spap), 1.15
 * (dilated, cvode), 1.54 (multiscale); with the half cell 2.007, 2.008, 2.007, 1.993. N is order 2
 * either way. About 3 s in all. */
static void test_wall_order(void)
{
    const char *schemes[] = {"spap", "dilated", "cvode", "multiscale"};
    const char *sets[] = {"model.v_min=-3"};
    for (int k = 0; k < 4; k++) {
        const nlif_scheme_type *st = nlif_scheme_find(schemes[k]);
        if (!st)
            continue;
        nlif_case cs;
        CU_ASSERT_EQUAL_FATAL(load(&cs, "smooth_short", sets, 1), NLIF_OK);
        nlif_optset opt;
        nlif_optset_init(&opt, st->options, NULL);
        nlif_convergence c;
        nlif_error err = {0};
        CU_ASSERT_EQUAL_FATAL(nlif_converge(st, &cs, &opt, NLIF_REFINE_V, 4, &c, &err), NLIF_OK);
        printf("\n    %s, V_min = -3: order p %.3f, N %.3f", schemes[k], c.order_p, c.order_rate);
        CU_ASSERT(fabs(c.order_p - 2.0) <= 0.1);
        CU_ASSERT(fabs(c.order_rate - 2.0) <= 0.1);
    }
}

/* The work–precision ladder (--refine vt): Δv and Δt halve together at the case's ratio, from the
 * coarsest given; the reference is the same scheme J = 2 halvings finer; no order is claimed. spap on
 * smooth_short is order 2 in v and 1 in t, so the whole error falls by 2 to 4 per level (the time
 * error, order 1, dominates on the finer levels). */
static void test_ladder_vt(void)
{
    const nlif_scheme_type *st = nlif_scheme_find("spap");
    if (!st)
        return;
    nlif_case cs;
    CU_ASSERT_EQUAL_FATAL(load(&cs, "smooth_short", NULL, 0), NLIF_OK);
    nlif_optset opt;
    nlif_optset_init(&opt, st->options, NULL);
    nlif_convergence c;
    nlif_error err = {0};
    /* from 2 Δv (4 Δv = 0.08 would take V_R off the grid from V_min = -4) */
    nlif_converge_settings set = {"auto", 2 * cs.run.dv, NULL, 0, 0, 0, 0};
    CU_ASSERT_EQUAL_FATAL(nlif_converge_ex(st, &cs, &opt, NLIF_REFINE_VT, 2, &set, &c, &err), NLIF_OK);
    CU_ASSERT_EQUAL(c.n_levels, 2);
    CU_ASSERT_STRING_EQUAL(c.reference, "finest");
    CU_ASSERT_EQUAL(c.ref_halvings, 2);
    NLIF_ASSERT_CLOSE(c.ref_h, cs.run.dv / 4, 1e-12, 0); /* h_1 / 2^2, h_1 the default Δv */
    CU_ASSERT(isnan(c.expected_p) && isnan(c.expected_rate));
    for (int k = 0; k < 2; k++) {
        double f = 2.0 / (1 << k);
        NLIF_ASSERT_CLOSE(c.lev[k].dv, f * cs.run.dv, 1e-12, 0);
        NLIF_ASSERT_CLOSE(c.lev[k].dt, f * cs.run.dt, 1e-12, 0); /* Δt/Δv of the case kept */
        CU_ASSERT_EQUAL(c.lev[k].status, NLIF_STATUS_OK);
        if (k > 0) {
            CU_ASSERT(c.lev[k].ratio_p > 1.7 && c.lev[k].ratio_p < 4.5);
            CU_ASSERT(c.lev[k].ratio_rate > 1.7 && c.lev[k].ratio_rate < 4.5);
        }
    }
    json_t *j = nlif_convergence_json(&c);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(j, "refine")), "vt");
    json_decref(j);
    nlif_refine d;
    CU_ASSERT_EQUAL(nlif_refine_parse("vt", &d), NLIF_OK);
    CU_ASSERT_EQUAL(d, NLIF_REFINE_VT);
}

/* The exact OU reference: b = 0, V_F and V_min 9+ standard deviations away: N ≡ 0, p Gaussian. */
static void test_ladder_exact_ou(void)
{
    const nlif_scheme_type *st = nlif_scheme_find("spap");
    if (!st)
        return;
    const char *sets[] = {"model.b=0", "model.v_f=7", "model.v_r=6", "model.v_min=-7", "run.t_final=0.25",
                          "run.snapshots=0.25", "run.dt=1e-2"};
    nlif_case cs;
    CU_ASSERT_EQUAL_FATAL(load(&cs, "smooth_short", sets, 7), NLIF_OK);
    nlif_optset opt;
    nlif_optset_init(&opt, st->options, NULL);
    nlif_convergence c;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_converge(st, &cs, &opt, NLIF_REFINE_V, 4, &c, &err), NLIF_OK);
    CU_ASSERT_STRING_EQUAL(c.reference, "exact");
    /* Δt scaled as Δv²: the total error is second order; measured 1.996 */
    CU_ASSERT(fabs(c.order_p - 2.0) <= 0.15);
    /* N ≡ 0 is met to round-off: no order is fitted to round-off */
    CU_ASSERT(isnan(c.order_rate));
    CU_ASSERT(c.lev[0].err_rate < 1e-13);
}

/* A level that stops is reported with its status, never dropped. */
static void test_ladder_blowup_reported(void)
{
    const nlif_scheme_type *st = nlif_scheme_find("spap");
    if (!st)
        return;
    nlif_case cs;
    const char *pin[] = {"run.dv=0.02", "run.dt=1e-3"}; /* the resolution this test reasons about */
    CU_ASSERT_EQUAL_FATAL(load(&cs, "single_mfe", pin, 2), NLIF_OK);
    nlif_optset opt;
    nlif_optset_init(&opt, st->options, NULL);
    nlif_convergence c;
    CU_ASSERT_EQUAL_FATAL(nlif_converge(st, &cs, &opt, NLIF_REFINE_V, 2, &c, NULL), NLIF_OK);
    CU_ASSERT_EQUAL(c.n_levels, 2);
    CU_ASSERT_EQUAL(c.lev[0].status, NLIF_STATUS_BLOWUP);
    CU_ASSERT(isnan(c.lev[0].err_p));
    CU_ASSERT(isnan(c.order_p));
    /* bad requests are refused with EINVAL */
    CU_ASSERT_EQUAL(nlif_converge(st, &cs, &opt, NLIF_REFINE_W, 4, &c, NULL), NLIF_EINVAL);
    CU_ASSERT_EQUAL(nlif_converge(st, &cs, &opt, NLIF_REFINE_V, 1, &c, NULL), NLIF_EINVAL);
}

/* --no-rate on a w ladder against the exact rule: p's errors bit for bit those with N's reference run, every
 * err_rate NaN, reference_rate "none"; refused where p needs the reference run (a v ladder, finest). */
static void test_no_rate(void)
{
    const nlif_scheme_type *st = nlif_scheme_find("spap");
    nlif_case cs;
    const char *pin[] = {"run.t_final=0.2", "run.snapshots=0.2"};
    CU_ASSERT_EQUAL_FATAL(load(&cs, "learning_linear", pin, 2), NLIF_OK);
    nlif_optset opt;
    nlif_optset_init(&opt, st->options, NULL);
    nlif_converge_settings with = {"auto", NAN, NULL, 0, 1, 1, 0}, without = {"auto", NAN, NULL, 0, 1, 1, 1};
    nlif_convergence a, b;
    CU_ASSERT_EQUAL_FATAL(nlif_converge_ex(st, &cs, &opt, NLIF_REFINE_W, 3, &with, &a, NULL), NLIF_OK);
    CU_ASSERT_EQUAL_FATAL(nlif_converge_ex(st, &cs, &opt, NLIF_REFINE_W, 3, &without, &b, NULL), NLIF_OK);
    CU_ASSERT(!strcmp(a.reference_rate, "finest") && !strcmp(b.reference_rate, "none"));
    for (int k = 0; k < 3; k++)
        CU_ASSERT(a.lev[k].err_p == b.lev[k].err_p && isfinite(a.lev[k].err_rate) && isnan(b.lev[k].err_rate));
    printf("\n  w ladder, err_p with and without N's reference run: %.6e %.6e %.6e (same); N's run %.2f s of CPU",
           b.lev[0].err_p, b.lev[1].err_p, b.lev[2].err_p, a.ref_cpu_seconds);
    nlif_error e = {0};
    CU_ASSERT_EQUAL_FATAL(load(&cs, "smooth_short", NULL, 0), NLIF_OK);
    nlif_converge_settings v = {"finest", NAN, NULL, 0, 0, 0, 1};
    CU_ASSERT_EQUAL(nlif_converge_ex(st, &cs, &opt, NLIF_REFINE_V, 3, &v, &a, &e), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "--no-rate"));
}

/* ---- the order table (harness/runs/converge_orders.c) and the study's product (reports/converge_study.c) ---- */

/* A study as nlif_convergence_json writes it: levels with h, errors (p and N alike), steps (< 0: none
 * recorded), status ok; claimed order q in both quantities. */
static json_t *study(const char *refine, const char *ref, double ref_h, double q, int n, const double *h, const double *e,
                     const long *steps)
{
    json_t *levels = json_array();
    for (int k = 0; k < n; k++) {
        json_t *l = json_pack("{s:i, s:f, s:f, s:f, s:f, s:f, s:s, s:f}", "level", k, "h", h[k], "dv", 0.02, "dt", h[k],
                              "err_p", e[k], "err_rate", e[k], "status", "ok", "cpu_seconds", 0.1);
        if (steps)
            json_object_set_new(l, "steps", json_integer(steps[k]));
        json_array_append_new(levels, l);
    }
    json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:i, s:o, s:f, s:f, s:s, s:s, s:s}", "case", "synthetic", "scheme",
                          "spap", "refine", refine, "reference", ref, "reference_rate", ref, "reference_h", isfinite(ref_h) ? ref_h : 0.0,
                          "reference_halvings", 3, "levels", levels, "expected_p", q, "expected_rate", q, "note", "synthetic",
                          "measure_p", "synthetic", "measure_rate", "synthetic");
    if (!isfinite(ref_h))
        json_object_set_new(c, "reference_h", json_null());
    return c;
}

/* The table study C prints, into buf. */
static void table_text(const json_t *c, double tol, char *buf, size_t len)
{
    FILE *f = fmemopen(buf, len, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    nlif_study_table(f, c, tol);
    fclose(f);
}

/* Local orders log(e_{k-1}/e_k)/log(h_{k-1}/h_k) from given errors, against an exact solution (the claim
 * q at every pair) and against the finest run (the claim corrected for its error: 2.017 at the finest
 * pair for q = 2, J = 3, MATHEMATICS.md 6). */
static void test_order_table_local_orders(void)
{
    double h[4], e[4], ef[4], href = 0.02 / 8 / 8;
    for (int k = 0; k < 4; k++)
        h[k] = 0.02 / (1 << k), e[k] = 3 * h[k] * h[k] * (1 + 0.1 * h[k]), ef[k] = 3 * (h[k] * h[k] - href * href);
    json_t *c = study("v", "exact", NAN, 2, 4, h, e, NULL);
    nlif_order_table T;
    nlif_order_table_of(c, "err_p", "reference", 2, 0.15, &T);
    CU_ASSERT_EQUAL(T.n, 4);
    for (int k = 1; k < 4; k++) {
        /* the table's figure is the formula's, to round-off */
        NLIF_ASSERT_CLOSE(T.local[k], log(e[k - 1] / e[k]) / log(2.0), 1e-12, 0);
        NLIF_ASSERT_CLOSE(T.ratio[k], e[k - 1] / e[k], 1e-12, 0);
        NLIF_ASSERT_CLOSE(T.expect_local[k], 2.0, 1e-12, 0);
    }
    CU_ASSERT(isnan(T.local[0]) && isnan(T.ratio[0]));
    NLIF_ASSERT_CLOSE(T.fit, nlif_fit_order(h, e, 4), 1e-12, 0); /* one fit: nlif_fit_order's */
    CU_ASSERT(T.pass && T.drift_at < 0 && !T.na[0]);
    json_decref(c);
    c = study("v", "finest", href, 2, 4, h, ef, NULL);
    nlif_order_table_of(c, "err_p", "reference", 2, 0.15, &T);
    NLIF_ASSERT_CLOSE(T.expect_local[3], log((h[2] * h[2] - href * href) / (h[3] * h[3] - href * href)) / log(2.0), 1e-12, 0);
    NLIF_ASSERT_CLOSE(T.fin, T.fin_expect, 1e-9, 0);
    NLIF_ASSERT_CLOSE(T.fin_expect, 2.017, 0, 5e-4);
    CU_ASSERT(T.pass);
    /* the same figures reach the printed table */
    char buf[1 << 14];
    table_text(c, 0.15, buf, sizeof buf);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "fitted order: p 2."));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "2.017"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "the order check (order_v(p)): pass"));
    json_decref(c);
}

/* A drift: local orders 2.2, 2.1, 1.5 (fit 1.95, inside 2 +- 0.15) — the last pair more than order_tol
 * below the claim after the ladder reached it is flagged (with '*'), and the check fails. A coarse
 * pair still rising to the claim (0.83, 0.94, 1.04 for order 1) is not a drift. */
static void test_order_table_drift(void)
{
    const double loc[3] = {2.2, 2.1, 1.5};
    double h[4], e[4];
    h[0] = 0.02, e[0] = 1e-3;
    for (int k = 1; k < 4; k++)
        h[k] = h[k - 1] / 2, e[k] = e[k - 1] / pow(2.0, loc[k - 1]);
    json_t *c = study("v", "exact", NAN, 2, 4, h, e, NULL);
    nlif_order_table T;
    nlif_order_table_of(c, "err_p", "reference", 2, 0.15, &T);
    CU_ASSERT(T.fit_ok);
    CU_ASSERT_EQUAL(T.drift_at, 3);
    CU_ASSERT(T.drift[3] && !T.drift[1] && !T.drift[2]);
    CU_ASSERT_FALSE(T.pass);
    char buf[1 << 14];
    table_text(c, 0.15, buf, sizeof buf);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "1.500*"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "DRIFT"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "the order check (order_v(p)): FAIL"));
    /* the tolerance is the one given (the case's order_tol): 0.7 holds 1.5 against 2 */
    nlif_order_table_of(c, "err_p", "reference", 2, 0.7, &T);
    CU_ASSERT_EQUAL(T.drift_at, -1);
    json_decref(c);
    const double rise[3] = {0.83, 0.94, 1.04};
    for (int k = 1; k < 4; k++)
        e[k] = e[k - 1] / pow(2.0, rise[k - 1]);
    c = study("w", "exact", NAN, 1, 4, h, e, NULL);
    nlif_order_table_of(c, "err_p", "reference", 1, 0.15, &T);
    CU_ASSERT_EQUAL(T.drift_at, -1);
    CU_ASSERT_FALSE(T.drift[1] || T.drift[2] || T.drift[3]);
    json_decref(c);
}

/* A Δt ladder whose runs did not take the halved step (explicit at its CFL step: 6250 steps on three
 * levels, 8000 on the fourth, the error flat) shows no order: n.a. with the reason, never the slope of
 * its flat error. The same flat error with the steps doubling is a real failure to converge: a fit
 * near 0, and the check fails — the n.a. is not a way out. */
static void test_order_table_flat_ladder(void)
{
    double h[4] = {1e-3, 5e-4, 2.5e-4, 1.25e-4}, e[4] = {4.5388e-12, 4.5388e-12, 4.5388e-12, 4.4722e-12};
    long cfl[4] = {6250, 6250, 6250, 8000}, taken[4] = {1000, 2000, 4000, 8000};
    json_t *c = study("t", "finest", 7.8125e-6, 3, 4, h, e, cfl);
    nlif_order_table T;
    nlif_order_table_of(c, "err_p", "reference", 3, 0.15, &T);
    CU_ASSERT(isnan(T.fit));
    for (int k = 1; k < 4; k++) {
        CU_ASSERT_EQUAL(T.why_pair[k], NLIF_ORD_NOT_REFINED);
        CU_ASSERT(isnan(T.local[k]));
    }
    CU_ASSERT_PTR_NOT_NULL(strstr(T.na, "did not refine"));
    CU_ASSERT_FALSE(T.pass); /* a claimed order the ladder cannot show is not passed */
    char buf[1 << 14];
    table_text(c, 0.15, buf, sizeof buf);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "fitted order: p n.a."));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "6250 and 6250 steps taken"));
    CU_ASSERT_PTR_NULL(strstr(buf, "0.006"));
    json_decref(c);
    c = study("t", "finest", 7.8125e-6, 3, 4, h, e, taken);
    nlif_order_table_of(c, "err_p", "reference", 3, 0.15, &T);
    CU_ASSERT(fabs(T.fit) < 0.05);
    CU_ASSERT(!T.na[0] && !T.pass);
    json_decref(c);
    /* errors at round-off carry no order either: n.a., saying so */
    double r[4] = {1e-15, 2e-15, 1e-15, 3e-15};
    c = study("v", "exact", NAN, 2, 4, h, r, NULL);
    nlif_order_table_of(c, "err_p", "reference", 2, 0.15, &T);
    CU_ASSERT(isnan(T.fit));
    CU_ASSERT_PTR_NOT_NULL(strstr(T.na, "round-off"));
    json_decref(c);
}

/* `nlif converge --plot --tex` end to end on a 2-level ladder (0.1 s): the table on stdout, the files
 * listed and on disk; --from redraws them from the JSON; a study of another case is refused. */
static void test_converge_product(void)
{
    char cmd[2048], out[1 << 15];
    const char *dir = "build/tests/converge_product";
    snprintf(cmd, sizeof cmd, "rm -rf %s && %s converge smooth_short --scheme spap --refine v --levels 2 --plot --tex --out %s",
             dir, nlif_test_bin(), dir);
    CU_ASSERT_EQUAL_FATAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "level         dv"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "fitted order: p "));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "table:  build/tests/converge_product/smooth_short.spap.v.tex"));
    snprintf(cmd, sizeof cmd, "grep -c 'toprule\\|tab:conv:smooth_short.spap.v\\|multicolumn{4}{c}{\\$p\\$}' %s/smooth_short.spap.v.tex",
             dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_EQUAL(atoi(out), 3);
    snprintf(cmd, sizeof cmd, "test -s %s/smooth_short.spap.v.gp && test -s %s/smooth_short.spap.v.dat && "
             "! grep -q 'set title' %s/smooth_short.spap.v.gp && grep -q 'polygon' %s/smooth_short.spap.v.gp && "
             "{ ! command -v gnuplot >/dev/null || test -s %s/smooth_short.spap.v.png; }", dir, dir, dir, dir, dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "rm %s/smooth_short.spap.v.tex && %s converge smooth_short --from %s/smooth_short.spap.v.json --tex "
             "&& test -s %s/smooth_short.spap.v.tex", dir, nlif_test_bin(), dir, dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "%s converge relax_linear --from %s/smooth_short.spap.v.json --tex", nlif_test_bin(), dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "is a study of case smooth_short, not of relax_linear"));
}

/* verify --set and --levels: applied to every selected case (the run at the overridden dv, the ladder
 * of the order check with K levels, the bound of the overridden order_tol), recorded in verdicts.json;
 * what a case cannot take is refused (exit 2). */
static void test_verify_set_levels(void)
{
    char cmd[2048], out[1 << 16];
    const char *dir = "build/tests/converge_verify";
    snprintf(cmd, sizeof cmd, "rm -rf %s && %s verify --quick -j 1 --fresh 0 --cases smooth_short --schemes spap "
             "--set run.dv=0.025 --set expect.order_tol=0.2 --levels 3 --out %s 2>/dev/null", dir, nlif_test_bin(), dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "fit 2 +- 0.2"));
    char path[512];
    snprintf(path, sizeof path, "%s/verdicts.json", dir);
    json_t *v = json_load_file(path, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(v, "levels")), 3);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(v, "sets")), 2);
    CU_ASSERT_STRING_EQUAL(json_string_value(json_array_get(json_object_get(v, "sets"), 0)), "run.dv=0.025");
    json_decref(v);
    snprintf(path, sizeof path, "%s/converge/smooth_short.spap.v.json", dir);
    json_t *c = json_load_file(path, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(json_array_size(json_object_get(c, "levels")), 3);
    NLIF_ASSERT_CLOSE(json_number_value(json_object_get(json_array_get(json_object_get(c, "levels"), 0), "dv")), 0.025, 1e-12, 0);
    json_decref(c);
    snprintf(path, sizeof path, "%s/runs/smooth_short.spap.json", dir);
    json_t *r = json_load_file(path, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    NLIF_ASSERT_CLOSE(json_number_value(json_object_get(json_object_get(r, "resolution"), "dv")), 0.025, 1e-12, 0);
    json_decref(r);
    /* refused: a key the case format does not know, a dv off the grid, K out of range, new baselines */
    const char *bad[][2] = {{"--set run.nope=1", "unknown key 'nope' in [run]"},
                            {"--set run.dv=0.03", "does not put V_R"}, /* off smooth_short's grid (0.04 is on it) */
                            {"--levels 1", "--levels 1 (allowed: 2..10"},
                            {"--set run.dv=0.025 --update-baselines --why x", "not with --set"}};
    for (int i = 0; i < 4; i++) {
        snprintf(cmd, sizeof cmd, "%s verify --quick --cases smooth_short --schemes spap %s --out %s/bad", nlif_test_bin(),
                 bad[i][0], dir);
        CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
        CU_ASSERT_PTR_NOT_NULL(strstr(out, bad[i][1]));
    }
}

static const nlif_test_case tests[] = {
    {"fit order on synthetic data", test_fit_order_synthetic},
    {"refine names", test_refine_names},
    {"bordered solver vs dense LU", test_bordered_vs_dense},
    {"Bernoulli function and derivative", test_bernoulli},
    {"cvode on relax_linear: mass, positivity, Siegert rate", test_cvode_relax_linear},
    {"cvode is time-accurate", test_cvode_time_reference},
    {"spap ladders on smooth_short (t vs finest and cvode, v)", test_ladder_spap},
    {"exact OU reference", test_ladder_exact_ou},
    {"order 2 in v with the wall V_min near the mass (half cell at V_min)", test_wall_order},
    {"work-precision ladder: dv and dt together (refine vt)", test_ladder_vt},
    {"stopped levels are reported", test_ladder_blowup_reported},
    {"--no-rate: p alone on a w ladder against the exact rule, refused elsewhere", test_no_rate},
    {"order table: local orders from given errors (exact and finest references)", test_order_table_local_orders},
    {"order table: a drift is flagged, a rising coarse pair is not", test_order_table_drift},
    {"order table: a ladder that did not refine is n.a., a flat error that did is a failure", test_order_table_flat_ladder},
    {"converge --plot --tex: table, files, --from", test_converge_product},
    {"verify --set and --levels", test_verify_set_levels},
    {NULL, NULL},
};

int main(void) { return nlif_test_main("converge", tests); }
