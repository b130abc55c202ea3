/* test_learning.c — the exact reference for learning in the limit ε → 0 (exact/learning.c,
 * MATHEMATICS.md §2 "Learning in the limit ε → 0"): against closed forms where they exist, against
 * itself under refinement of the characteristics and the tolerance, and against a direct quadrature
 * of its own density where they do not; its refusals. */
#include "../exact/nlif_density.h"
#include "../exact/nlif_exact.h"
#include "../exact/nlif_learning.h"
#include "../harness/case/nlif_case.h"
#include "../harness/checks/nlif_check.h"
#include "nlif_test.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_roots.h>
#include <stdio.h>
#include <string.h>

/* ---- an independent N(t) for K = r (w* − w): ρ(w, t) = e^{rt} ρ0(w* + (w − w*) e^{rt}), so
 * ∫ ρ f dw = ∫ ρ0(w0) f(w* + (w0 − w*) e^{−rt}) dw0; the root of N = that by Brent, 𝒩 exact
 * (nlif_uncoupled_rate), the integral by adaptive Gauss–Kronrod: no table, no nodes, no ODE. */
typedef struct lin {
    const nlif_case *cs;
    nlif_density rho0;
    double r, ws, t, N;
} lin;

static double lin_integrand(double w0, void *p)
{
    const lin *c = p;
    double w = c->ws + (w0 - c->ws) * exp(-c->r * c->t);
    const nlif_model *m = &c->cs->model;
    return nlif_density_pdf(&c->rho0, w0) * nlif_uncoupled_rate(m->a0, m->v_f, m->v_r, m->v_min, w * c->N + c->cs->input.i0);
}

static double lin_g(double N, void *p)
{
    lin *c = p;
    c->N = N;
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(200);
    gsl_function f = {lin_integrand, c};
    double v = 0, e = 0;
    gsl_integration_qag(&f, c->cs->structure.w_min, c->cs->structure.w_max, 1e-14, 1e-13, 200, GSL_INTEG_GAUSS61, ws, &v, &e);
    gsl_integration_workspace_free(ws);
    return N - v;
}

static double lin_rate(lin *c)
{
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    gsl_function f = {lin_g, c};
    gsl_root_fsolver_set(s, &f, 1e-3, 5.0);
    double N = 0;
    for (int it = 0; it < 200; it++) {
        gsl_root_fsolver_iterate(s);
        N = gsl_root_fsolver_root(s);
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s), 0, 1e-15) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    return N;
}

/* The reference against the closed form on case CS with K = r (w* − w) (the linear rule, or the
 * Hebbian rule with α = 0: r = β, w* = 0): N(t) and the cell masses at three times. */
static void against_closed_form(const nlif_case *cs, double r, double ws)
{
    nlif_error e = {0};
    nlif_learning *L = NULL;
    lin c = {.cs = cs, .r = r, .ws = ws};
    CU_ASSERT_EQUAL_FATAL(nlif_weight_density_init(&c.rho0, &cs->structure, &e), 0);
    CU_ASSERT_EQUAL_FATAL(nlif_learning_new(&L, cs, 48, 1e-12, &e), 0);
    double worst_n = 0, worst_m = 0;
    for (int k = 1; k <= 3; k++) {
        c.t = cs->run.t_final * k / 3;
        CU_ASSERT_EQUAL_FATAL(nlif_learning_advance(L, c.t, &e), 0);
        worst_n = fmax(worst_n, fabs(nlif_learning_rate(L) - lin_rate(&c)));
        double dw = cs->run.dw, g = exp(r * c.t);
        for (double a = cs->structure.w_min; a < cs->structure.w_max - 1e-12; a += dw) {
            double b = a + dw, fa = ws + (a - ws) * g, fb = ws + (b - ws) * g;
            double exact = nlif_density_cdf(&c.rho0, fb) - nlif_density_cdf(&c.rho0, fa);
            worst_m = fmax(worst_m, fabs(nlif_learning_mass(L, a, b) - exact));
        }
        /* the pointwise density against e^{rt} ρ0(w0) in the middle of the support */
        double w = 0.5 * (cs->structure.w_min + cs->structure.w_max), w0 = ws + (w - ws) * g;
        NLIF_ASSERT_CLOSE(nlif_learning_density(L, w), g * nlif_density_pdf(&c.rho0, w0), 1e-9, 1e-12);
    }
    printf("\n    %s: max |N - N_closed| = %.2e, max cell-mass error = %.2e\n", cs->name, worst_n, worst_m);
    /* 1e-9: the reference's stated accuracy in N (MATHEMATICS.md §2); masses to the same */
    CU_ASSERT(worst_n <= 1e-9);
    CU_ASSERT(worst_m <= 1e-9);
    nlif_learning_free(L);
    nlif_density_free(&c.rho0);
}

static void linear_closed_form(void)
{
    nlif_case cs;
    nlif_test_load(&cs, "learning_linear", NULL, 0);
    against_closed_form(&cs, cs.structure.rate, cs.structure.w_star);
    nlif_test_load(&cs, "learning_contract", NULL, 0);
    against_closed_form(&cs, cs.structure.rate, cs.structure.w_star);
}

static void hebbian_without_alpha(void)
{
    nlif_case cs;
    nlif_test_load(&cs, "hebbian_uniform", (const char *const[]){"structure.alpha=0"}, 1);
    against_closed_form(&cs, cs.structure.beta, 0.0);
}

/* Convergence in M and in the tolerance: N and every cell mass at t_final within 1e-9 of the
 * finest (M = 96, tol 1e-13). */
static void converges(const char *name)
{
    nlif_case cs;
    nlif_test_load(&cs, name, NULL, 0);
    static const struct {
        int m;
        double tol;
    } lv[] = {{96, 1e-13}, {24, 1e-12}, {48, 1e-10}, {48, 1e-12}};
    double N[4], mass[4][200];
    int nc = 0;
    nlif_error e = {0};
    for (int l = 0; l < 4; l++) {
        nlif_learning *L = NULL;
        CU_ASSERT_EQUAL_FATAL(nlif_learning_new(&L, &cs, lv[l].m, lv[l].tol, &e), 0);
        CU_ASSERT_EQUAL_FATAL(nlif_learning_advance(L, cs.run.t_final, &e), 0);
        N[l] = nlif_learning_rate(L);
        nc = 0;
        for (double a = cs.structure.w_min; a < cs.structure.w_max - 1e-12 && nc < 200; a += cs.run.dw)
            mass[l][nc++] = nlif_learning_mass(L, a, a + cs.run.dw);
        nlif_learning_free(L);
    }
    for (int l = 1; l < 4; l++) {
        double dm = 0;
        for (int j = 0; j < nc; j++)
            dm = fmax(dm, fabs(mass[l][j] - mass[0][j]));
        printf("\n    %s: M = %d, tol %.0e: |N - N_finest| = %.2e, max cell mass diff = %.2e", name, lv[l].m, lv[l].tol,
               fabs(N[l] - N[0]), dm);
        CU_ASSERT(fabs(N[l] - N[0]) <= 1e-9);
        CU_ASSERT(dm <= 1e-9);
    }
    printf("\n");
}

static void converges_uniform(void) { converges("hebbian_uniform"); }
static void converges_gauss(void) { converges("hebbian_gauss"); }

/* Its own density is consistent: ∫ ρ(w, t) dw = 1 and ∫ ρ 𝒩(wN + I) dw = N by adaptive quadrature of
 * the pointwise ρ0(w0)/J (the Jacobian integrated along the characteristics, not the flow map). */
typedef struct dens {
    const nlif_learning *L;
    const nlif_case *cs;
    int weighted;
} dens;

static double dens_integrand(double w, void *p)
{
    const dens *d = p;
    double r = nlif_learning_density(d->L, w);
    if (!d->weighted)
        return r;
    const nlif_model *m = &d->cs->model;
    return r * nlif_uncoupled_rate(m->a0, m->v_f, m->v_r, m->v_min, w * nlif_learning_rate(d->L) + d->cs->input.i0);
}

static void density_consistent(void)
{
    nlif_case cs;
    nlif_test_load(&cs, "hebbian_gauss", NULL, 0);
    nlif_error e = {0};
    nlif_learning *L = NULL;
    CU_ASSERT_EQUAL_FATAL(nlif_learning_new(&L, &cs, 48, 1e-12, &e), 0);
    CU_ASSERT_EQUAL_FATAL(nlif_learning_advance(L, cs.run.t_final, &e), 0);
    double lo, hi, v[2], err;
    nlif_learning_support(L, &lo, &hi);
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(200);
    for (int k = 0; k < 2; k++) {
        dens d = {L, &cs, k};
        gsl_function f = {dens_integrand, &d};
        gsl_integration_qag(&f, lo, hi, 1e-13, 1e-12, 200, GSL_INTEG_GAUSS21, ws, &v[k], &err);
    }
    gsl_integration_workspace_free(ws);
    printf("\n    mass %.15f, N %.12f against the quadrature %.12f\n", v[0], nlif_learning_rate(L), v[1]);
    NLIF_ASSERT_CLOSE(v[0], 1.0, 1e-9, 0);   /* the reference's accuracy */
    NLIF_ASSERT_CLOSE(v[1], nlif_learning_rate(L), 1e-9, 0);
    /* the table of log 𝒩 against the exact 𝒩 over the range the roots reach */
    double worst = 0;
    for (int i = 0; i <= 400; i++) {
        double mu = -1.0 + 2.5 * i / 400.0;
        double ex = nlif_uncoupled_rate(cs.model.a0, cs.model.v_f, cs.model.v_r, cs.model.v_min, mu);
        worst = fmax(worst, fabs(nlif_learning_uncoupled(L, mu) / ex - 1));
    }
    printf("    table of N(mu): max relative error %.2e\n", worst);
    CU_ASSERT(worst <= 1e-12);
    nlif_learning_free(L);
}

static void refusals(void)
{
    nlif_case cs;
    nlif_error e = {0};
    nlif_learning *L = NULL;
    nlif_test_load(&cs, "hebbian_uniform", (const char *const[]){"model.a1=0.1"}, 1);
    CU_ASSERT_EQUAL(nlif_learning_new(&L, &cs, 48, 1e-12, &e), NLIF_EINVAL);
    nlif_test_load(&cs, "hebbian_uniform", (const char *const[]){"structure.w_law=point", "structure.w_mean=0"}, 2);
    CU_ASSERT_EQUAL(nlif_learning_new(&L, &cs, 48, 1e-12, &e), NLIF_EINVAL);
    /* strongly excitatory weights: the limit relation may have several roots */
    nlif_test_load(&cs, "hebbian_uniform", (const char *const[]){"structure.w_max=4"}, 1);
    CU_ASSERT_EQUAL(nlif_learning_new(&L, &cs, 48, 1e-12, &e), NLIF_EINVAL);
    /* K outward at w_max = 0 (K = α N 𝒩 > 0 there): the no-flux boundary would be active */
    nlif_test_load(&cs, "hebbian_uniform", (const char *const[]){"structure.w_max=0"}, 1);
    CU_ASSERT_EQUAL_FATAL(nlif_learning_new(&L, &cs, 48, 1e-12, &e), 0);
    CU_ASSERT_EQUAL(nlif_learning_advance(L, 0.1, &e), NLIF_ENUMERIC);
    CU_ASSERT(strstr(e.msg, "w_max") != NULL);
    nlif_learning_free(L);
}

/* The bound of check learning_limit(rho) is a first-order truncation bound: positive, growing in time,
 * and halving with Δw, Δt and Δv on a smooth law; on a uniform law its edge terms fall like sqrt(Δw). */
static void bound_scales(void)
{
    static const struct {
        const char *name;
        double lo, hi; /* the ratio B(Δw) / B(Δw/2) expected at the first snapshot */
    } c[] = {{"hebbian_gauss", 1.8, 2.05}, {"hebbian_uniform", 1.3, 1.6}};
    for (int k = 0; k < 2; k++) {
        nlif_case cs;
        nlif_error e = {0};
        double t[8], b[8], t2[8], b2[8];
        int n = 0, n2 = 0;
        nlif_test_load(&cs, c[k].name, NULL, 0);
        CU_ASSERT_EQUAL_FATAL(nlif_learning_limit_bounds(&cs, t, b, 8, &n, &e), 0);
        nlif_test_load(&cs, c[k].name, (const char *const[]){"run.dw=0.01", "run.dt=5e-4", "run.dv=0.01"}, 3);
        CU_ASSERT_EQUAL_FATAL(nlif_learning_limit_bounds(&cs, t2, b2, 8, &n2, &e), 0);
        CU_ASSERT_EQUAL_FATAL(n, n2);
        printf("\n    %s: B_rho(%g) = %.4g at dw, %.4g at dw/2 (ratio %.3f)", c[k].name, t[0], b[0], b2[0], b[0] / b2[0]);
        CU_ASSERT(b[0] > 0);
        for (int i = 1; i < n; i++)
            CU_ASSERT(b[i] > b[i - 1]);
        CU_ASSERT(b[0] / b2[0] >= c[k].lo && b[0] / b2[0] <= c[k].hi);
    }
    printf("\n");
}

int main(void)
{
    static const nlif_test_case tests[] = {
        {"linear rule: N(t) and cell masses against the closed form", linear_closed_form},
        {"Hebbian rule with alpha = 0 against the closed form of K = -beta w", hebbian_without_alpha},
        {"converges in M and tolerance (hebbian_uniform)", converges_uniform},
        {"converges in M and tolerance (hebbian_gauss)", converges_gauss},
        {"its density integrates to 1 and to N", density_consistent},
        {"refuses what it does not cover", refusals},
        {"the check's bound in rho halves with dw, dt, dv on a smooth law (sqrt at jumps)", bound_scales},
        {NULL, NULL},
    };
    return nlif_test_main("learning", tests);
}
