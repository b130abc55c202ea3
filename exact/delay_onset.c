/* delay_onset.c — the critical delay d_c and frequency ω_c of the Hopf bifurcation of the delayed
 * inhibitory NNLIF model (nlif_delay_onset.h; derivation in MATHEMATICS.md §2.1).
 *
 * The linearisation is taken of a finite-volume discretisation of its own (independent of the schemes):
 * nodes v_i = V_min + iΔv, i = 0..n (v_n = V_F, q_n = 0), control volumes Δv (Δv/2 at the wall node 0),
 * Scharfetter–Gummel face fluxes F_{i+1/2} = (a/Δv)(B(−P_i) q_i − B(P_i) q_{i+1}), P_i = Δv(μ − v_{i+1/2})/a,
 * F_{−1/2} = 0, the outflow N = F_{n−1/2} re-injected at node r (V_R). The drift's rate enters through
 * μ = b N_d + I only. With x the density perturbation and δμ = b δN_d:
 *     dx/dt = A x + u δμ,   δN = cᵀx + e δμ,
 * A = T + (re-injection) the Jacobian in q (T tridiagonal), u and e the derivatives in μ at the discrete
 * stationary state q∞. G(λ) = cᵀ(λ − A)⁻¹u + e by Sherman–Morrison over the complex tridiagonal λ − T.
 */
#include "nlif_delay_onset.h"
#include "nlif_exact.h"

#include <math.h>
#include <stdlib.h>

/* The Bernoulli function B(x) = x/(eˣ − 1) and B'(x) (Taylor near 0). */
static double bern(double x)
{
    if (fabs(x) < 1e-4)
        return 1.0 - 0.5 * x + x * x / 12.0;
    if (x > 700.0)
        return x * exp(-x);
    return x / expm1(x);
}

static double bern_deriv(double x)
{
    if (fabs(x) < 1e-2)
        return -0.5 + x / 6.0 - x * x * x / 180.0;
    if (x < -700.0)
        return -1.0;
    double B = bern(x);
    return B / x + B / expm1(-x);
}

/* One grid: its face coefficients at μ and their μ-derivatives, and the discrete stationary state. */
typedef struct chain {
    int n, r;
    double h, a, v_min, mu, rate;
    double *al, *be, *dal, *dbe, *q;
    double complex *y, *z, *cp, *u; /* solve workspace */
} chain;

static void chain_free(chain *c) { free(c->al), free(c->y); }

static int chain_alloc(chain *c, const nlif_model *m, double dv, nlif_error *err)
{
    if (nlif_grid_nodes(m, dv, &c->n, &c->r) || c->n < 4)
        return nlif_fail(err, NLIF_EINVAL, "delay onset: dv = %g does not put V_R and V_F on nodes from V_min "
                         "(allowed: dv dividing V_R - V_min and V_F - V_R)", dv);
    c->h = (m->v_f - m->v_min) / c->n;
    c->a = m->a0;
    c->v_min = m->v_min;
    size_t n = (size_t)c->n + 1;
    c->al = malloc(5 * n * sizeof *c->al);
    c->y = malloc(4 * n * sizeof *c->y);
    if (!c->al || !c->y) {
        chain_free(c);
        return nlif_fail(err, NLIF_ENOMEM, "delay onset: grid of %d cells", c->n);
    }
    c->be = c->al + n, c->dal = c->al + 2 * n, c->dbe = c->al + 3 * n, c->q = c->al + 4 * n;
    c->z = c->y + n, c->cp = c->y + 2 * n, c->u = c->y + 3 * n;
    return NLIF_OK;
}

static double vol(const chain *c, int i) { return i == 0 ? 0.5 * c->h : c->h; }

/* Face coefficients at μ, then the stationary profile of unit mass at μ (zero flux below V_R,
 * constant flux above, q_n = 0, solved from V_F down); returns its rate N_h(μ) = 1/(mass at flux 1). */
static double profile_at(chain *c, double mu)
{
    double k = c->h / c->a, mass = 0;
    c->mu = mu;
    for (int i = 0; i < c->n; i++) {
        double pe = k * (mu - (c->v_min + (i + 0.5) * c->h));
        c->al[i] = bern(-pe), c->be[i] = bern(pe);
        c->dal[i] = -bern_deriv(-pe) * k, c->dbe[i] = bern_deriv(pe) * k;
    }
    c->q[c->n] = 0;
    for (int i = c->n - 1; i >= 0; i--) {
        double flux = i >= c->r ? 1.0 : 0.0;
        c->q[i] = (flux * k + c->be[i] * c->q[i + 1]) / c->al[i];
        mass += vol(c, i) * c->q[i];
    }
    for (int i = 0; i < c->n; i++)
        c->q[i] /= mass;
    return 1.0 / mass;
}

/* The discrete stationary state: N = N_h(bN + I) (b < 0: N − N_h(bN + I) increases in N), bisection
 * from the exact root's neighbourhood. */
static int stationary(chain *c, const nlif_model *m, double input, double exact, nlif_error *err)
{
    double lo = 0.5 * exact, hi = 2.0 * exact;
    for (int k = 0; k < 60 && lo - profile_at(c, m->b * lo + input) > 0; k++)
        lo *= 0.5;
    for (int k = 0; k < 60 && hi - profile_at(c, m->b * hi + input) < 0; k++)
        hi *= 2.0;
    if (lo - profile_at(c, m->b * lo + input) > 0 || hi - profile_at(c, m->b * hi + input) < 0)
        return nlif_fail(err, NLIF_ENUMERIC, "delay onset: no discrete stationary rate near %g at dv = %g", exact, c->h);
    for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
        double mid = 0.5 * (lo + hi);
        if (mid - profile_at(c, m->b * mid + input) > 0)
            hi = mid;
        else
            lo = mid;
    }
    c->rate = 0.5 * (lo + hi);
    profile_at(c, m->b * c->rate + input);
    return NLIF_OK;
}

/* Solve (λ − T) x = rhs for the complex tridiagonal λ − T in place (Thomas; λ − T is diagonally
 * dominant by columns for Re λ ≥ 0, so no pivoting is needed). */
static void solve_tridiag(chain *c, double complex lam, double complex *x)
{
    double g = c->a / c->h;
    for (int i = 0; i < c->n; i++) {
        double w = vol(c, i);
        double complex sub = i > 0 ? -g * c->al[i - 1] / w : 0;
        double complex diag = lam + g * ((i > 0 ? c->be[i - 1] : 0.0) + c->al[i]) / w;
        double complex sup = i < c->n - 1 ? -g * c->be[i] / w : 0;
        double complex den = diag - (i > 0 ? sub * c->cp[i - 1] : 0);
        c->cp[i] = sup / den;
        x[i] = (x[i] - (i > 0 ? sub * x[i - 1] : 0)) / den;
    }
    for (int i = c->n - 2; i >= 0; i--)
        x[i] -= c->cp[i] * x[i + 1];
}

/* G(λ) = cᵀ(λ − A)⁻¹u + e at the chain's stationary state. */
static double complex transfer(chain *c, double complex lam)
{
    int n = c->n, r = c->r;
    double g = c->a / c->h, *q = c->q;
    for (int i = 0; i < n; i++) {
        double left = i > 0 ? c->dal[i - 1] * q[i - 1] - c->dbe[i - 1] * q[i] : 0.0;
        double right = c->dal[i] * q[i] - c->dbe[i] * q[i + 1];
        c->u[i] = g * (left - right) / vol(c, i);
        c->y[i] = 0;
        c->z[i] = i == r ? 1.0 / vol(c, r) : 0.0;
    }
    double e = g * c->dal[n - 1] * q[n - 1], cout = g * c->al[n - 1];
    c->u[r] += e / vol(c, r);
    for (int i = 0; i < n; i++)
        c->y[i] = c->u[i];
    solve_tridiag(c, lam, c->y);
    solve_tridiag(c, lam, c->z);
    double complex s = cout * c->y[n - 1] / (1.0 - cout * c->z[n - 1]);
    return s + e;
}

/* The exact stationary rate; refused unless b < 0, a1 = 0 and it is unique. */
static int exact_rate(const nlif_model *m, double input, double *rate, nlif_error *err)
{
    if (!(m->b < 0) || m->a1 != 0)
        return nlif_fail(err, NLIF_EINVAL, "delay onset: b = %g, a1 = %g (allowed: b < 0 and a1 = 0: the "
                         "linearisation of MATHEMATICS.md 2.1 is for inhibitory networks with constant noise)", m->b, m->a1);
    double roots[NLIF_MAX_ROOTS];
    int nr;
    int rc = nlif_stationary_rates(m, input, roots, NLIF_MAX_ROOTS, &nr, err);
    if (rc)
        return rc;
    if (nr != 1)
        return nlif_fail(err, NLIF_EINVAL, "delay onset: %d stationary states (allowed: exactly one)", nr);
    *rate = roots[0];
    return NLIF_OK;
}

/* G at Δv and Δv/2 and the Richardson value (order 2); coarse receives G at Δv. */
static double complex g_extrapolated(chain *c1, chain *c2, double omega, double complex *coarse)
{
    double complex g1 = transfer(c1, I * omega), g2 = transfer(c2, I * omega);
    if (coarse)
        *coarse = g1;
    return (4.0 * g2 - g1) / 3.0;
}

int nlif_delay_transfer(const nlif_model *m, double input, double dv, double omega, double complex *g, nlif_error *err)
{
    double rate;
    chain c = {0};
    int rc = exact_rate(m, input, &rate, err);
    if (rc || (rc = chain_alloc(&c, m, dv, err)))
        return rc;
    if (!(rc = stationary(&c, m, input, rate, err)))
        *g = transfer(&c, I * omega);
    chain_free(&c);
    return rc;
}

/* The smallest d > 0 of the phase condition at a root ω of |bG| = 1: ω d = arg(bG) mod 2π. */
static double phase_delay(double complex bg, double omega)
{
    double th = carg(bg);
    return (th > 0 ? th : th + 2 * M_PI) / omega;
}

/* The roots of |b G(iω)| = 1 on a log grid of ω in [1e-2, 1e3] refined by bisection, and the smallest
 * phase delay over them; which = 0 the extrapolated G, 1 the coarse one. */
static void onset_of(chain *c1, chain *c2, double b, int which, double *d_best, double *w_best, int *n_roots)
{
    const int K = 600;
    double w_prev = 0, f_prev = 0;
    *d_best = INFINITY, *w_best = NAN, *n_roots = 0;
    for (int k = 0; k <= K; k++) {
        double w = 1e-2 * pow(1e5, (double)k / K);
        double complex coarse, g = g_extrapolated(c1, c2, w, &coarse);
        double f = cabs(b * (which ? coarse : g)) - 1.0;
        if (k > 0 && (f_prev > 0) != (f > 0)) {
            double lo = w_prev, hi = w, flo = f_prev;
            for (int it = 0; it < 80 && hi - lo > 1e-14 * hi; it++) {
                double mid = 0.5 * (lo + hi);
                double complex gm = g_extrapolated(c1, c2, mid, &coarse);
                double fm = cabs(b * (which ? coarse : gm)) - 1.0;
                if ((fm > 0) == (flo > 0))
                    lo = mid, flo = fm;
                else
                    hi = mid;
            }
            double wr = 0.5 * (lo + hi);
            double complex gr = g_extrapolated(c1, c2, wr, &coarse);
            double d = phase_delay(b * (which ? coarse : gr), wr);
            (*n_roots)++;
            if (d < *d_best)
                *d_best = d, *w_best = wr;
        }
        w_prev = w, f_prev = f;
    }
}

int nlif_delay_onset_compute(const nlif_model *m, double input, double dv, nlif_delay_onset *out, nlif_error *err)
{
    double rate;
    chain c1 = {0}, c2 = {0};
    int rc = exact_rate(m, input, &rate, err);
    if (rc)
        return rc;
    if ((rc = chain_alloc(&c1, m, dv, err)) || (rc = chain_alloc(&c2, m, 0.5 * dv, err)) ||
        (rc = stationary(&c1, m, input, rate, err)) || (rc = stationary(&c2, m, input, rate, err))) {
        chain_free(&c1), chain_free(&c2);
        return rc;
    }
    out->rate = rate;
    out->gain0 = creal(m->b * g_extrapolated(&c1, &c2, 1e-7, NULL));
    int n_coarse;
    double w_coarse;
    onset_of(&c1, &c2, m->b, 0, &out->d_c, &out->omega, &out->n_roots);
    onset_of(&c1, &c2, m->b, 1, &out->d_c_coarse, &w_coarse, &n_coarse);
    out->period = out->n_roots ? 2 * M_PI / out->omega : INFINITY;
    chain_free(&c1), chain_free(&c2);
    return NLIF_OK;
}
