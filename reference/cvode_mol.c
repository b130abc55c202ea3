/* cvode_mol.c — the semi-discretisation of the reference `cvode` (nlif_cvode.h, MATHEMATICS.md §5b):
 * finite volumes on the Δv grid with Scharfetter–Gummel/Bernoulli or Maxwellian face coefficients, the
 * outflow N solving N = κ(bN + I) p_{n−1} (Newton), re-injected at V_R in the same right-hand side, and
 * the exact Jacobian (tridiagonal plus one dense column) for CVODE; a manufactured case adds its source
 * S(·, t) (core/nlif_mms.h, MATHEMATICS.md §6b) to the right-hand side. With a synaptic delay d > 0
 * (MATHEMATICS.md §1.4) the drift reads N(t − d) from the history: N = κ(b N(t − d) + I) p_{n−1} is
 * explicit in p and the Jacobian's dense column reduces to the outflow and re-injection. With a
 * refractory period the outflow enters one more unknown R instead, dR/dt = N − R/τ_R, which returns R/τ_R
 * at V_R (MATHEMATICS.md §1.5; its Jacobian entries in nlif_cvode_mat).
 */
#include "cvode_impl.h"

#include "../core/nlif_mms.h"

#include <math.h>

/* ---- Bernoulli function ------------------------------------------------------------------------ */

double nlif_bernoulli(double x)
{
    if (fabs(x) < 1e-4)
        return 1.0 - 0.5 * x + x * x / 12.0;
    if (x > 700.0)
        return x * exp(-x);
    return x / expm1(x);
}

double nlif_bernoulli_deriv(double x)
{
    /* B'(x) = B(x)/x − B(x) e^x/(e^x − 1) = B(x)/x + B(x)/expm1(−x); Taylor near 0 (error < x⁴/720). */
    if (fabs(x) < 1e-2)
        return -0.5 + x / 6.0 - x * x * x / 180.0;
    double B = nlif_bernoulli(x);
    if (x < -700.0)
        return -1.0;
    return B / x + B / expm1(-x);
}

/* ---- the semi-discretisation ------------------------------------------------------------------ */

/* Face coefficients α_i, β_i (flux (a/Δv)(α p_i − β p_{i+1})) at face i+1/2 for drift centre μ. */
static void face(const cvref *s, int i, double mu, double *al, double *be, double *dal, double *dbe)
{
    double vf = s->v[i] + 0.5 * s->dv, k = s->dv / s->a, pe = k * (mu - vf);
    if (s->flux == CVR_FLUX_SG) {
        *al = nlif_bernoulli(-pe);
        *be = nlif_bernoulli(pe);
        *dal = -nlif_bernoulli_deriv(-pe) * k;
        *dbe = nlif_bernoulli_deriv(pe) * k;
    } else {
        double E = exp(-pe);
        *al = 2.0 / (1.0 + E);
        *be = 2.0 / (1.0 + 1.0 / E);
        *dal = isfinite(E) ? 2.0 * k / ((1.0 + E) * (1.0 + 1.0 / E)) : 0.0;
        *dbe = -*dal;
    }
    /* Node 0's control volume is the half cell at the wall V_min: its unknown is u_0 = (that mass)/Δv
     * and the density there 2u_0 (MATHEMATICS.md §1.3). */
    if (i == 0 && s->n > 1)
        *al *= 2.0, *dal *= 2.0;
}

/* Outflow coefficient κ(μ) and κ'(μ): N = κ p_{n−1}. */
static void outflow_coef(const cvref *s, double mu, double *kap, double *dkap)
{
    if (s->outflow == CVR_OUT_ONE_SIDED) {
        *kap = s->a / s->dv;
        *dkap = 0.0;
        return;
    }
    double al, be, dal, dbe;
    face(s, s->n - 1, mu, &al, &be, &dal, &dbe);
    *kap = s->a / s->dv * al;
    *dkap = s->a / s->dv * dal;
}

/* N solving N = κ(bN + I) p_{n−1} (safeguarded Newton from the last rate); returns NAN when no root
 * is found (the blow-up regime b κ' p ≥ 1 has none or several). */
double nlif_cvode_firing_rate(cvref *s, double plast, double input, double *kap_out, double *dkap_out)
{
    double kap, dkap, N = s->rate_guess;
    if (s->delayed) { /* the drift reads the history: N is explicit in p_{n−1} */
        outflow_coef(s, s->b * s->nd + input, &kap, &dkap);
        if (kap_out)
            *kap_out = kap;
        if (dkap_out)
            *dkap_out = dkap;
        return kap * plast;
    }
    if (!isfinite(N) || N < 0)
        N = 0;
    for (int it = 0; it < 100; it++) {
        outflow_coef(s, s->b * N + input, &kap, &dkap);
        double g = N - kap * plast, dg = 1.0 - s->b * dkap * plast;
        if (s->b == 0.0 || s->outflow == CVR_OUT_ONE_SIDED) {
            N = kap * plast;
            break;
        }
        if (!(dg > 1e-12))
            return NAN;
        double step = g / dg;
        N -= step;
        if (!isfinite(N))
            return NAN;
        if (fabs(step) <= 1e-15 * (fabs(N) + 1e-300)) {
            outflow_coef(s, s->b * N + input, &kap, &dkap);
            break;
        }
        if (it == 99)
            return NAN;
    }
    if (kap_out)
        *kap_out = kap;
    if (dkap_out)
        *dkap_out = dkap;
    return N;
}

int nlif_cvode_rhs(realtype t, N_Vector y, N_Vector ydot, void *user)
{
    cvref *s = user;
    const double *p = NV_DATA_S(y);
    double *f = NV_DATA_S(ydot);
    int n = s->n;
    double input = nlif_input_current(&s->cs.input, t);
    if (s->delayed)
        s->nd = nlif_delay_at(&s->delay, t - s->cs.model.delay);
    double N = nlif_cvode_firing_rate(s, p[n - 1], input, NULL, NULL);
    if (!isfinite(N))
        return 1; /* recoverable: CVODE cuts the step */
    double mu = s->b * (s->delayed ? s->nd : N) + input, c = s->a / s->dv, dal, dbe, left = 0.0;
    for (int i = 0; i < n - 1; i++) {
        face(s, i, mu, &s->alpha[i], &s->beta[i], &dal, &dbe);
        double F = c * (s->alpha[i] * p[i] - s->beta[i] * p[i + 1]);
        f[i] = (left - F) / s->dv;
        left = F;
    }
    f[n - 1] = (left - N) / s->dv;
    if (s->cs.model.tau_ref > 0) { /* the refractory state y[n] (MATHEMATICS.md §1.5): N in, R/τ_R back at V_R */
        double back = p[n] / s->cs.model.tau_ref;
        f[s->r] += back / s->dv;
        f[n] = N - back;
    } else
        f[s->r] += N / s->dv;
    if (s->src) { /* a manufactured case: its source S(·, t), independent of p (the Jacobian is unchanged) */
        nlif_mms_cell_sources(&s->cs, t, s->dv, n, s->src);
        for (int i = 0; i < n; i++)
            f[i] += s->src[i];
    }
    return 0;
}

int nlif_cvode_jac(realtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *user, N_Vector t1, N_Vector t2, N_Vector t3)
{
    (void)fy, (void)t1, (void)t2, (void)t3;
    cvref *s = user;
    nlif_bordered *B = bmat(J);
    const double *p = NV_DATA_S(y);
    int n = s->n;
    double input = nlif_input_current(&s->cs.input, t), kap, dkap;
    if (s->delayed)
        s->nd = nlif_delay_at(&s->delay, t - s->cs.model.delay);
    double N = nlif_cvode_firing_rate(s, p[n - 1], input, &kap, &dkap);
    if (!isfinite(N))
        return 1;
    double mu = s->b * (s->delayed ? s->nd : N) + input, c = s->a / (s->dv * s->dv);
    for (int i = 0; i < n - 1; i++)
        face(s, i, mu, &s->alpha[i], &s->beta[i], &s->dalpha[i], &s->dbeta[i]);
    /* dN/dp_{n−1} through the implicit relation N = κ(bN + I) p_{n−1}. */
    double nu = s->delayed ? kap : kap / (1.0 - s->b * dkap * p[n - 1]); /* delayed: μ is no function of p */
    double dleft = 0.0;
    for (int i = 0; i < n; i++) {
        B->sub[i] = i > 0 ? c * s->alpha[i - 1] : 0.0;
        B->diag[i] = -(i > 0 ? c * s->beta[i - 1] : 0.0) - (i < n - 1 ? c * s->alpha[i] : 0.0);
        B->sup[i] = i < n - 1 ? c * s->beta[i] : 0.0;
        /* ∂f_i/∂μ from the interior faces, times b dN/dp_{n−1}: the dense column. */
        double dF = i < n - 1 ? s->a / s->dv * (s->dalpha[i] * p[i] - s->dbeta[i] * p[i + 1]) : 0.0;
        B->col[i] = s->delayed ? 0.0 : s->b * nu * (dleft - dF) / s->dv;
        dleft = dF;
    }
    B->col[n - 1] -= nu / s->dv;
    if (s->cs.model.tau_ref > 0) { /* R's row and column (nlif_cvode_mat) instead of the re-injection of N */
        nlif_cvode_mat *M = cvmat(J);
        M->pr = 1.0 / (s->cs.model.tau_ref * s->dv);
        M->rp = nu;
        M->rr = -1.0 / s->cs.model.tau_ref;
    } else
        B->col[s->r] += nu / s->dv;
    return 0;
}

