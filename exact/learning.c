/* learning.c — the exact reference for learning in the limit ε → 0 by characteristics
 * (nlif_learning.h; MATHEMATICS.md §1.2 and §2, "Learning in the limit ε → 0").
 *
 * State: for each characteristic k = 0..M+1 (0: from w_min, 1..M: Gauss–Legendre nodes, M+1: from
 * w_max) its position w_k and log J_k. The right-hand side first solves N = Σ m_k 𝒩(w_k N + I) (a
 * Newton iteration kept inside a bracket that shrinks with every sign it sees), then
 * dw_k/dt = K(w_k, N), d log J_k/dt = ∂_w K(w_k, N). Between the nodes, the flow map w0 ↦ w(t; w0)
 * and log J are interpolated by the barycentric formula on the M + 2 starting points (spectral for
 * the smooth flow of a smooth K).
 */
#include "nlif_learning.h"

#include "nlif_density.h"
#include "nlif_exact.h"

#include <gsl/gsl_chebyshev.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_odeiv2.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHEB_ORDER 80 /* log 𝒩 is analytic in μ: 7.5e-14 relative measured over [-1, 1.5] (tests/test_learning.c; 60: 4e-14) */

struct nlif_learning {
    nlif_structure st;
    nlif_model model;
    double input, a;
    int m, n;            /* GL nodes, characteristics (m + 2) */
    double *w0, *mass, *bary, *y;
    nlif_density rho0;
    gsl_cheb_series *lcheb, *dlcheb; /* log 𝒩 and its derivative on [mu_lo, mu_hi] */
    double mu_lo, mu_hi, n_cap;
    double t, rate;      /* the current time and N(t) */
    double guess;        /* the last root: the next Newton start */
    int root_failed;
    gsl_odeiv2_system sys;
    gsl_odeiv2_driver *drv;
};

double nlif_learning_uncoupled(const nlif_learning *L, double mu)
{
    if (mu < L->mu_lo || mu > L->mu_hi)
        return nlif_uncoupled_rate(L->a, L->model.v_f, L->model.v_r, L->model.v_min, mu);
    return exp(gsl_cheb_eval(L->lcheb, mu));
}

double nlif_learning_duncoupled(const nlif_learning *L, double mu)
{
    if (mu < L->mu_lo || mu > L->mu_hi) {
        double h = 1e-5 * (1 + fabs(mu));
        return (nlif_learning_uncoupled(L, mu + h) - nlif_learning_uncoupled(L, mu - h)) / (2 * h);
    }
    return exp(gsl_cheb_eval(L->lcheb, mu)) * gsl_cheb_eval(L->dlcheb, mu);
}

/* K(w, N) and ∂_w K(w, N) (MATHEMATICS.md §1.2; the Hebbian R_w is 𝒩(wN + I) in the limit). */
static double velocity(const nlif_learning *L, double w, double N)
{
    const nlif_structure *s = &L->st;
    switch (s->rule) {
    case NLIF_RULE_LINEAR: return s->rate * (s->w_star - w);
    case NLIF_RULE_HEBBIAN: return s->alpha * N * nlif_learning_uncoupled(L, w * N + L->input) - s->beta * w;
    default: return 0.0;
    }
}

static double dvelocity(const nlif_learning *L, double w, double N)
{
    const nlif_structure *s = &L->st;
    switch (s->rule) {
    case NLIF_RULE_LINEAR: return -s->rate;
    case NLIF_RULE_HEBBIAN: return s->alpha * N * N * nlif_learning_duncoupled(L, w * N + L->input) - s->beta;
    default: return 0.0;
    }
}

/* The root of G(N) = N − Σ m_k 𝒩(w_k N + I) on [0, n_cap]: G(0) < 0 < G(n_cap) and G' ≥ 1 − w⁺ sup 𝒩'
 * > 0 (checked at setup), so the root is unique. Newton from the last root, inside the bracket
 * (bisection when a step leaves it); converged when the step is below 1e-15 relative. */
static int solve_rate(nlif_learning *L, const double *w, double *rate)
{
    double lo = 0.0, hi = L->n_cap, N = L->guess > 0 && L->guess < hi ? L->guess : 0.5 * hi;
    for (int it = 0; it < 200; it++) {
        double F = 0, dF = 0;
        for (int k = 0; k < L->n; k++) {
            if (L->mass[k] == 0.0)
                continue;
            double mu = w[k] * N + L->input;
            F += L->mass[k] * nlif_learning_uncoupled(L, mu);
            dF += L->mass[k] * w[k] * nlif_learning_duncoupled(L, mu);
        }
        double G = N - F, dG = 1 - dF;
        if (!isfinite(G))
            return -1;
        *(G < 0 ? &lo : &hi) = N;
        double next = N - G / dG;
        if (!(next > lo && next < hi) || !(dG > 0))
            next = 0.5 * (lo + hi);
        if (fabs(next - N) <= 1e-15 * fabs(N) || hi - lo <= 1e-16 * hi) {
            *rate = next;
            L->guess = next;
            return 0;
        }
        N = next;
    }
    return -1;
}

static int rhs(double t, const double *y, double *f, void *params)
{
    (void)t;
    nlif_learning *L = params;
    const double *w = y; /* y + n: log J, which the right-hand side does not read */
    double N;
    if (solve_rate(L, w, &N)) {
        L->root_failed = 1;
        return GSL_EBADFUNC;
    }
    for (int k = 0; k < L->n; k++) {
        f[k] = velocity(L, w[k], N);
        f[L->n + k] = dvelocity(L, w[k], N);
    }
    return GSL_SUCCESS;
}

static double log_rate_fn(double mu, void *p)
{
    const nlif_learning *L = p;
    return log(nlif_uncoupled_rate(L->a, L->model.v_f, L->model.v_r, L->model.v_min, mu));
}

/* The μ range the root can reach and the table of log 𝒩 on it. Σ m_k = 1 and 𝒩 increasing give
 * F(N) ≤ 𝒩(w⁺ N + I), w⁺ = max(w_max, 0): any n_cap with n_cap > 𝒩(w⁺ n_cap + I) bounds the root. */
static int build_table(nlif_learning *L, nlif_error *err)
{
    double wp = fmax(L->st.w_max, 0.0), wn = fmin(L->st.w_min, 0.0), cap = 1.0;
    int k = 0;
    for (; k < 80 && !(cap > nlif_uncoupled_rate(L->a, L->model.v_f, L->model.v_r, L->model.v_min, wp * cap + L->input));
         k++)
        cap *= 2;
    if (k == 80)
        return nlif_fail(err, NLIF_EINVAL, "learning reference: no bound on the limit rate (w_max = %g too large)",
                         L->st.w_max);
    L->n_cap = cap;
    L->mu_lo = wn * cap + L->input - 0.1;
    L->mu_hi = wp * cap + L->input + 0.1;
    L->lcheb = gsl_cheb_alloc(CHEB_ORDER);
    L->dlcheb = gsl_cheb_alloc(CHEB_ORDER);
    if (!L->lcheb || !L->dlcheb)
        return nlif_fail(err, NLIF_ENOMEM, "learning reference: Chebyshev table");
    gsl_function f = {log_rate_fn, L};
    gsl_cheb_init(L->lcheb, &f, L->mu_lo, L->mu_hi);
    gsl_cheb_calc_deriv(L->dlcheb, L->lcheb);
    /* uniqueness: G' = 1 − Σ m_k w_k 𝒩' ≥ 1 − w⁺ sup 𝒩' over the range */
    double sup = 0;
    for (int i = 0; i <= 4000; i++)
        sup = fmax(sup, nlif_learning_duncoupled(L, L->mu_lo + (L->mu_hi - L->mu_lo) * i / 4000.0));
    if (wp * sup >= 0.9)
        return nlif_fail(err, NLIF_EINVAL,
                         "learning reference: max(w_max, 0) sup N' = %.3g >= 0.9: the limit relation N = int rho "
                         "N(wN + I) dw may have several roots (MATHEMATICS.md 1.2: unique for w <= 0)",
                         wp * sup);
    return NLIF_OK;
}

/* Barycentric weights of the starting points (scaled to [−1, 1] against overflow). */
static void barycentric_weights(nlif_learning *L)
{
    double c = 0.5 * (L->st.w_min + L->st.w_max), h = 0.5 * (L->st.w_max - L->st.w_min);
    for (int k = 0; k < L->n; k++) {
        double b = 1.0;
        for (int j = 0; j < L->n; j++)
            if (j != k)
                b *= ((L->w0[k] - c) - (L->w0[j] - c)) / h;
        L->bary[k] = 1.0 / b;
    }
}

/* The interpolant through (w0_k, v_k) at x0. */
static double interp(const nlif_learning *L, const double *v, double x0)
{
    double num = 0, den = 0;
    for (int k = 0; k < L->n; k++) {
        double d = x0 - L->w0[k];
        if (d == 0.0)
            return v[k];
        double q = L->bary[k] / d;
        num += q * v[k], den += q;
    }
    return num / den;
}

int nlif_learning_new(nlif_learning **out, const nlif_case *cs, int m, double tol, nlif_error *err)
{
    *out = NULL;
    const nlif_structure *s = &cs->structure;
    if (!s->enabled)
        return nlif_fail(err, NLIF_EINVAL, "learning reference: the case has no structured network");
    if (cs->model.a1 != 0.0)
        return nlif_fail(err, NLIF_EINVAL, "learning reference: needs a1 = 0 (got %g)", cs->model.a1);
    if (cs->input.type != NLIF_INPUT_NONE && cs->input.type != NLIF_INPUT_CONSTANT)
        return nlif_fail(err, NLIF_EINVAL, "learning reference: needs a constant input (or none)");
    if (s->w_law == NLIF_WLAW_POINT)
        return nlif_fail(err, NLIF_EINVAL, "learning reference: needs a uniform or gaussian weight law (a point law is a Dirac)");
    if (m < 4 || m > 400 || !(tol > 0))
        return nlif_fail(err, NLIF_EINVAL, "learning reference: 4 <= M <= 400 characteristics and tol > 0");
    nlif_learning *L = calloc(1, sizeof *L);
    if (!L)
        return nlif_fail(err, NLIF_ENOMEM, "learning reference");
    L->st = *s;
    L->model = cs->model;
    L->input = cs->input.type == NLIF_INPUT_CONSTANT ? cs->input.i0 : 0.0;
    L->a = cs->model.a0;
    L->m = m, L->n = m + 2;
    L->w0 = calloc((size_t)L->n, sizeof *L->w0);
    L->mass = calloc((size_t)L->n, sizeof *L->mass);
    L->bary = calloc((size_t)L->n, sizeof *L->bary);
    L->y = calloc((size_t)2 * L->n, sizeof *L->y);
    gsl_integration_glfixed_table *gl = gsl_integration_glfixed_table_alloc((size_t)m);
    int rc = NLIF_OK;
    if (!L->w0 || !L->mass || !L->bary || !L->y || !gl) {
        rc = nlif_fail(err, NLIF_ENOMEM, "learning reference");
        goto fail;
    }
    if ((rc = nlif_weight_density_init(&L->rho0, s, err)) || (rc = build_table(L, err)))
        goto fail;
    L->w0[0] = s->w_min, L->w0[L->n - 1] = s->w_max;
    double total = 0;
    for (int k = 0; k < m; k++) {
        double x, wt;
        gsl_integration_glfixed_point(s->w_min, s->w_max, (size_t)k, &x, &wt, gl);
        L->w0[k + 1] = x;
        L->mass[k + 1] = wt * nlif_density_pdf(&L->rho0, x);
        total += L->mass[k + 1];
    }
    for (int k = 1; k <= m; k++)
        L->mass[k] /= total; /* the quadrature's mass error (below 1e-14 at M ≥ 32) put to round-off */
    memcpy(L->y, L->w0, (size_t)L->n * sizeof *L->y);
    barycentric_weights(L);
    if (solve_rate(L, L->y, &L->rate)) {
        rc = nlif_fail(err, NLIF_ENUMERIC, "learning reference: no limit rate at t = 0");
        goto fail;
    }
    L->sys = (gsl_odeiv2_system){rhs, NULL, (size_t)2 * L->n, L};
    L->drv = gsl_odeiv2_driver_alloc_y_new(&L->sys, gsl_odeiv2_step_rk8pd, 1e-4, tol, tol);
    if (!L->drv) {
        rc = nlif_fail(err, NLIF_ENOMEM, "learning reference: integrator");
        goto fail;
    }
    gsl_integration_glfixed_table_free(gl);
    *out = L;
    return NLIF_OK;
fail:
    if (gl)
        gsl_integration_glfixed_table_free(gl);
    nlif_learning_free(L);
    return rc;
}

void nlif_learning_free(nlif_learning *L)
{
    if (!L)
        return;
    if (L->drv)
        gsl_odeiv2_driver_free(L->drv);
    if (L->lcheb)
        gsl_cheb_free(L->lcheb);
    if (L->dlcheb)
        gsl_cheb_free(L->dlcheb);
    nlif_density_free(&L->rho0);
    free(L->w0), free(L->mass), free(L->bary), free(L->y);
    free(L);
}

int nlif_learning_advance(nlif_learning *L, double t, nlif_error *err)
{
    if (t < L->t)
        return nlif_fail(err, NLIF_EINVAL, "learning reference: time %g before the current %g", t, L->t);
    if (t > L->t) {
        L->root_failed = 0;
        double t0 = L->t;
        int s = gsl_odeiv2_driver_apply(L->drv, &L->t, t, L->y);
        if (s != GSL_SUCCESS)
            return nlif_fail(err, NLIF_ENUMERIC, "learning reference: integration from t = %g to %g failed at t = %g (%s)",
                             t0, t, L->t, L->root_failed ? "no root of the limit relation" : gsl_strerror(s));
    }
    if (solve_rate(L, L->y, &L->rate))
        return nlif_fail(err, NLIF_ENUMERIC, "learning reference: no limit rate at t = %g", L->t);
    double slack = 1e-12 * (L->st.w_max - L->st.w_min);
    if (L->y[0] < L->st.w_min - slack || L->y[L->n - 1] > L->st.w_max + slack)
        return nlif_fail(err, NLIF_ENUMERIC,
                         "learning reference: at t = %g the characteristic from %s left [w_min, w_max] (K points "
                         "outward there: the no-flux boundary is active, which the reference does not model)",
                         L->t, L->y[0] < L->st.w_min - slack ? "w_min" : "w_max");
    return NLIF_OK;
}

double nlif_learning_time(const nlif_learning *L) { return L->t; }
double nlif_learning_rate(const nlif_learning *L) { return L->rate; }

void nlif_learning_support(const nlif_learning *L, double *lo, double *hi)
{
    *lo = L->y[0];
    *hi = L->y[L->n - 1];
}

/* The foot w0 of the characteristic through w at the current time (w inside the support): the flow
 * map is increasing, so bisection on the interpolant (to 1e-15 relative: about 50 halvings). */
static double foot(const nlif_learning *L, double w)
{
    double lo = L->st.w_min, hi = L->st.w_max;
    for (int it = 0; it < 200 && hi - lo > 1e-15 * (1 + fabs(hi)); it++) {
        double mid = 0.5 * (lo + hi);
        *(interp(L, L->y, mid) < w ? &lo : &hi) = mid;
    }
    return 0.5 * (lo + hi);
}

double nlif_learning_density(const nlif_learning *L, double w)
{
    double lo, hi;
    nlif_learning_support(L, &lo, &hi);
    if (w < lo || w > hi)
        return 0.0;
    double x0 = foot(L, w);
    return nlif_density_pdf(&L->rho0, x0) * exp(-interp(L, L->y + L->n, x0));
}

void nlif_learning_flow(const nlif_learning *L, double w0, double *w, double *rho)
{
    *w = interp(L, L->y, w0);
    *rho = nlif_density_pdf(&L->rho0, w0) * exp(-interp(L, L->y + L->n, w0));
}

void nlif_learning_edge_jumps(const nlif_learning *L, double *lo, double *hi)
{
    *lo = nlif_density_pdf(&L->rho0, L->st.w_min) * exp(-L->y[L->n]);
    *hi = nlif_density_pdf(&L->rho0, L->st.w_max) * exp(-L->y[2 * L->n - 1]);
}

double nlif_learning_mass(const nlif_learning *L, double a, double b)
{
    double lo, hi;
    nlif_learning_support(L, &lo, &hi);
    a = fmax(a, lo), b = fmin(b, hi);
    if (!(b > a))
        return 0.0;
    double fa = a <= lo ? L->st.w_min : foot(L, a), fb = b >= hi ? L->st.w_max : foot(L, b);
    return nlif_density_cdf(&L->rho0, fb) - nlif_density_cdf(&L->rho0, fa);
}

double nlif_learning_velocity(const nlif_learning *L, double w) { return velocity(L, w, L->rate); }
double nlif_learning_dvelocity(const nlif_learning *L, double w) { return dvelocity(L, w, L->rate); }

double nlif_learning_gain(const nlif_learning *L)
{
    double g = 0;
    for (int k = 0; k < L->n; k++)
        g += L->mass[k] * L->y[k] * nlif_learning_duncoupled(L, L->y[k] * L->rate + L->input);
    return g;
}

double nlif_learning_rate_derivative(const nlif_learning *L)
{
    double s = 0;
    for (int k = 0; k < L->n; k++)
        s += L->mass[k] * nlif_learning_duncoupled(L, L->y[k] * L->rate + L->input) * velocity(L, L->y[k], L->rate);
    return L->rate * s / (1 - nlif_learning_gain(L));
}
