/* stationary.c — stationary states of the NNLIF model (MATHEMATICS.md §2; standard theory, [CCP]).
 *
 * With μ = bN + I, a = a0 + a1 N and y = (V − μ)/√a, a stationary rate N solves
 *
 *     1/N = I(N) = sqrt(π/2) ∫_{y_R}^{y_F} erfcx(−y/√2) dy,                              (1)
 *
 * obtained by integrating p∞ (below) over v and exchanging the order of integration. The profile is
 *
 *     p∞(v) = (N/a) e^{−(v−μ)²/(2a)} ∫_{max(v,V_R)}^{V_F} e^{(s−μ)²/(2a)} ds.               (2)
 *
 * The wall at V_min (zero flux) leaves (2) as it is on [V_min, V_F] and takes the mass below V_min out
 * of the normalisation: (1) loses sqrt(π/2) erfc(−y_min/√2) ∫_{y_R}^{y_F} e^{y²/2} dy (wall_term).
 * Numerics. With erfcx(−z) = 2e^{z²} − erfcx(z), the integrand of (1) splits into 2e^{y²/2} on
 * y > 0, integrated in closed form (Dawson's integral), and a part bounded by 1, integrated by GSL's
 * adaptive Gauss–Kronrod rule to 1e-13 relative. log I is formed with the growth e^{y_F²/2} taken
 * out, so neither N → 0 nor strong inhibition overflows; erfcx itself is evaluated without
 * cancellation (continued fraction for large arguments). p∞ uses the same closed forms.
 * Every root of N·I(N) = 1 is found as a root of g(x) = x + log I(e^x) (x = log N): sign changes on
 * a log-spaced grid, then Brent; grid points where |g| has a local minimum without a sign change are
 * refined with a Brent minimiser, so a close pair of roots near a fold (b just below its critical
 * value) is not missed. The same search solves the quasi-static relation of the structured limit
 * (MATHEMATICS.md §1.2), N = ∫ ρ(w) 𝒩(wN + I) dw.
 *
 * The Siegert cross-check uses an independent representation: from
 * erfcx(z) = (2/√π) ∫_0^∞ e^{−t² − 2zt} dt, sqrt(π/2) erfcx(−y/√2) = ∫_0^∞ e^{−u²/2 + yu} du, and
 * integrating over y ∈ [y_R, y_F]:
 *
 *     1/N = ∫_0^∞ e^{−u²/2} (e^{y_F u} − e^{y_R u}) / u du                                  (3)
 *
 * which involves no error function at all.
 */
#include "nlif_exact.h"

#include "nlif_density.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_dawson.h>
#include <gsl/gsl_sf_erf.h>
#include <math.h>
#include <stdlib.h>

#define QUAD_LIMIT 200
#define QUAD_RTOL 1e-13
/* A quadrature that stops short of QUAD_RTOL (GSL_EROUND) is still accepted up to this bound. */
#define QUAD_RTOL_ACCEPT 1e-11

/* Search range of the stationary rates (extended when the end signs demand it, see scan). */
#define RATE_LO 1e-8
#define RATE_HI 1e3
#define RATE_FLOOR 1e-300
#define RATE_CEIL 1e15
#define GRID_PER_DECADE 40
#define ROOT_XTOL 1e-14

/* ---------------------------------------------------------------------------------------------- */
/* erfcx                                                                                          */

/* erfcx(x) = e^{x²} erfc(x) for x ≥ 0. Below 5, erfc(5) ≈ 1.5e-12 still has full relative accuracy
 * in libm and e^{x²} ≤ e^{25} loses at most ~25 ulp; above, Laplace's continued fraction
 * erfcx(x) = (1/√π) / (x + (1/2)/(x + (2/2)/(x + (3/2)/(x + ...)))). Depth 8 + 60/x: checked against
 * 40-digit mpmath for x in [5, 100], the depth reaching relative error 2e-17 is 17 at x = 5, 10 at
 * x = 10, 4 at x = 100 (6 + 60/x covers it, 2 more for margin). */
static double erfcx_pos(double x)
{
    if (x < 5)
        return exp(x * x) * erfc(x);
    double t = x;
    for (int k = 8 + (int)(60 / x); k >= 1; k--)
        t = x + 0.5 * k / t;
    return 1 / (sqrt(M_PI) * t);
}

/* The bounded part of the integrand of (1): erfcx(−y/√2) = 2 e^{y²/2}·[y > 0] + s(y) with
 * s(y) = erfcx(−y/√2) for y ≤ 0 and s(y) = −erfcx(y/√2) for y > 0; |s| ≤ 1 and s varies on the scale
 * of |y|, so a single Gauss–Kronrod panel usually meets the tolerance. */
static double bounded_part(double y, void *params)
{
    (void)params;
    return y > 0 ? -erfcx_pos(y / M_SQRT2) : erfcx_pos(-y / M_SQRT2);
}

/* GSL quadrature with our acceptance rule; returns 0 and the value, or -1. */
static int quad(gsl_function *f, double lo, double hi, double *out)
{
    if (!(hi > lo)) {
        *out = 0;
        return 0;
    }
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(QUAD_LIMIT);
    if (!w)
        return -1;
    double val = NAN, abserr = INFINITY;
    int st = gsl_integration_qag(f, lo, hi, 0, QUAD_RTOL, QUAD_LIMIT, GSL_INTEG_GAUSS41, w, &val, &abserr);
    gsl_integration_workspace_free(w);
    if (!isfinite(val) || (st && !(abserr <= QUAD_RTOL_ACCEPT * fabs(val) + 1e-300)))
        return -1;
    *out = val;
    return 0;
}

/* ∫_0^d e^{y u + u²/2} du = e^{−y²/2} ∫_y^{y+d} e^{x²/2} dx for small d (≤ 0.25), by 20-point
 * Gauss–Legendre: the integrand is entire, so the rule is exact to round-off here, and unlike a
 * difference of Dawson terms it keeps full relative accuracy on short intervals. */
static double short_integral(double y, double d)
{
    static const double node[10] = {0.0765265211334973, 0.2277858511416451, 0.3737060887154195,
                                    0.5108670019508271, 0.6360536807265150, 0.7463319064601508,
                                    0.8391169718222188, 0.9122344282513259, 0.9639719272779138,
                                    0.9931285991850949};
    static const double weight[10] = {0.1527533871307258, 0.1491729864726037, 0.1420961093183820,
                                      0.1316886384491766, 0.1181945319615184, 0.1019301198172404,
                                      0.0832767415767048, 0.0626720483341091, 0.0406014298003869,
                                      0.0176140071391521};
    double h = 0.5 * d, sum = 0;
    for (int k = 0; k < 10; k++)
        for (int side = -1; side <= 1; side += 2) {
            double u = h * (1 + side * node[k]);
            sum += weight[k] * exp(y * u + 0.5 * u * u);
        }
    return h * sum;
}

/* e^{−y_F²/2} ∫_l^{y_F} e^{x²/2} dx for 0 ≤ l ≤ y_F. Dawson: ∫_0^x e^{t²/2} dt = √2 e^{x²/2} D(x/√2). */
static double scaled_gauss_integral(double l, double y_f)
{
    double d = y_f - l;
    if (!(d > 0))
        return 0;
    double damp = exp(-0.5 * d * (y_f + l)); /* e^{(l² − y_F²)/2} */
    if (d <= 0.25)
        return damp * short_integral(l, d);
    return M_SQRT2 * (gsl_sf_dawson(y_f / M_SQRT2) - damp * gsl_sf_dawson(l / M_SQRT2));
}

/* e^{−S} ∫_0^y e^{t²/2} dt (odd in y) = ±√2 e^{y²/2 − S} D(|y|/√2), in log form for the exponent. */
static double scaled_gauss_from_zero(double y, double s)
{
    double x = fabs(y);
    if (x == 0)
        return 0;
    double v = M_SQRT2 * exp(0.5 * x * x - s + log(gsl_sf_dawson(x / M_SQRT2)));
    return y < 0 ? -v : v;
}

/* The wall at V_min (MATHEMATICS.md §2): the mass below y_min is not there, so
 * I = sqrt(π/2) ∫_{y_R}^{y_F} e^{y²/2} [erfc(−y/√2) − erfc(−y_min/√2)] dy; in the scaled form of
 * log_inverse_rate, e^{−S} erfc(−y_min/√2) ∫_{y_R}^{y_F} e^{y²/2} dy, formed with log erfc so that a far
 * wall (erfc → 0) costs nothing and never meets an overflowing integral. */
static double wall_term(double y_r, double y_f, double y_min, double s)
{
    double le = gsl_sf_log_erfc(-y_min / M_SQRT2);
    if (!(le > -700))
        return 0; /* the wall is far: below double precision of I */
    double scaled = y_r >= 0 ? scaled_gauss_integral(y_r, y_f) /* S = y_F²/2 here */
                             : scaled_gauss_from_zero(y_f, s) - scaled_gauss_from_zero(y_r, s);
    return exp(le) * scaled;
}

/* log I for noise a and mean input μ with the wall at V_min (NaN if the quadrature fails):
 * I = sqrt(π/2) [2 ∫_{y_R⁺}^{y_F⁺} e^{y²/2} dy + ∫_{y_R}^{y_F} s(y) dy − erfc(−y_min/√2) ∫_{y_R}^{y_F}
 * e^{y²/2} dy], the first part in closed form and all scaled by e^{−S}, S = (y_F⁺)²/2, so that neither
 * N → 0 nor strong inhibition overflows. V_min = −∞: no wall. */
static double log_inverse_rate(double a, double v_f, double v_r, double v_min, double mu)
{
    double sa = sqrt(a), y_f = (v_f - mu) / sa, y_r = (v_r - mu) / sa, y_min = (v_min - mu) / sa;
    if (y_min >= 0) {
        /* The wall at or above the mean input (0 ≤ y_min < y_R): the bracket erfc(y_min/√2) − erfc(y/√2)
         * of two small numbers, I/sqrt(π/2) = e^S [erfcx(y_min/√2) G − e^{−S} ∫ erfcx(y/√2) dy] with
         * S = (y_F² − y_min²)/2 and G = e^{−y_F²/2} ∫_{y_R}^{y_F} e^{y²/2} dy: no 2 − 2 cancellation. */
        double S = 0.5 * (y_f - y_min) * (y_f + y_min), q = 0;
        gsl_function g = {bounded_part, NULL}; /* −erfcx(y/√2) for y > 0 */
        if (quad(&g, y_r, y_f, &q))
            return NAN;
        double j = erfcx_pos(y_min / M_SQRT2) * scaled_gauss_integral(y_r, y_f) + q * exp(-S);
        return j > 0 ? 0.5 * log(M_PI / 2) + S + log(j) : NAN;
    }
    double yf_pos = y_f > 0 ? y_f : 0, yr_pos = y_r > 0 ? y_r : 0;
    double s = 0.5 * yf_pos * yf_pos;
    double gauss = 2 * scaled_gauss_integral(yr_pos, yf_pos);
    gsl_function f = {bounded_part, NULL};
    double q_neg = 0, q_pos = 0; /* split at 0, where s(y) jumps from +1 to −1 */
    if (quad(&f, y_r, y_f < 0 ? y_f : 0, &q_neg) || quad(&f, yr_pos, yf_pos, &q_pos))
        return NAN;
    double j = gauss + (q_neg + q_pos) * exp(-s) - wall_term(y_r, y_f, y_min, s);
    if (!(j > 0))
        return NAN;
    return 0.5 * log(M_PI / 2) + s + log(j);
}

double nlif_inverse_rate(double a, double v_f, double v_r, double v_min, double mu)
{
    return exp(log_inverse_rate(a, v_f, v_r, v_min, mu)); /* +inf when it overflows, NaN stays NaN */
}

double nlif_uncoupled_rate(double a, double v_f, double v_r, double v_min, double mu)
{
    return exp(-log_inverse_rate(a, v_f, v_r, v_min, mu));
}

/* ---------------------------------------------------------------------------------------------- */
/* The root search                                                                                 */

/* A rate equation N = R(N), given as log R; roots of g(x) = x − log R(e^x). */
typedef struct rate_problem {
    double (*log_map)(double rate, const void *ctx); /* NaN on failure */
    const void *ctx;
    /* R(N)/N → lim_ratio as N → ∞ (so g → −log lim_ratio): decides whether to look beyond RATE_HI. */
    double lim_ratio;
    int failed;
} rate_problem;

static double g_of_x(double x, void *params)
{
    rate_problem *pb = params;
    double lr = pb->log_map(exp(x), pb->ctx);
    if (isnan(lr)) {
        pb->failed = 1;
        return NAN;
    }
    /* R(N) underflowing to 0 (log R = −inf) means N ≫ R(N): a large positive g keeps Brent finite. */
    double g = x - lr;
    return g > 1e300 ? 1e300 : g;
}

static int sgn(double x) { return (x > 0) - (x < 0); }

static int add_root(double *roots, int *n, int max, double rate, nlif_error *err)
{
    for (int i = 0; i < *n; i++)
        if (fabs(roots[i] - rate) <= 1e-10 * rate)
            return NLIF_OK;
    if (*n >= max)
        return nlif_fail(err, NLIF_ENUMERIC, "more than %d stationary rates found", max);
    roots[(*n)++] = rate;
    return NLIF_OK;
}

static int brent_root(rate_problem *pb, double lo, double hi, double *x, nlif_error *err)
{
    gsl_function f = {g_of_x, pb};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return nlif_fail(err, NLIF_ENOMEM, "root solver");
    int st = gsl_root_fsolver_set(s, &f, lo, hi), it = 0;
    while (!st && it++ < 200) {
        st = gsl_root_fsolver_iterate(s);
        if (st)
            break;
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s), ROOT_XTOL, 0) ==
            GSL_SUCCESS)
            break;
    }
    *x = gsl_root_fsolver_root(s);
    gsl_root_fsolver_free(s);
    if (st || pb->failed || !isfinite(*x))
        return nlif_fail(err, NLIF_ENUMERIC, "root of N·I(N) = 1 in N ∈ [%g, %g]: %s", exp(lo), exp(hi),
                         pb->failed ? "quadrature failed" : gsl_strerror(st));
    return NLIF_OK;
}

static double abs_g(double x, void *params) { return fabs(g_of_x(x, params)); }

/* Between grid points lo < mid < hi with |g(mid)| below both neighbours and no sign change: minimise
 * |g|. If g reaches 0 on the way there are two roots (or a double root at a fold). */
static int refine_extremum(rate_problem *pb, double lo, double mid, double hi, double *roots, int *n, int max,
                           nlif_error *err)
{
    gsl_function f = {abs_g, pb};
    double s0 = sgn(g_of_x(mid, pb));
    gsl_min_fminimizer *m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    if (!m)
        return nlif_fail(err, NLIF_ENOMEM, "minimiser");
    if (gsl_min_fminimizer_set(m, &f, mid, lo, hi)) { /* not strictly bracketed: nothing to refine */
        gsl_min_fminimizer_free(m);
        return NLIF_OK;
    }
    double xm = mid;
    for (int it = 0; it < 200; it++) {
        if (gsl_min_fminimizer_iterate(m))
            break;
        xm = gsl_min_fminimizer_x_minimum(m);
        if (s0 * g_of_x(xm, pb) <= 0) /* crossed: stop here, the brackets below are valid */
            break;
        if (gsl_min_test_interval(gsl_min_fminimizer_x_lower(m), gsl_min_fminimizer_x_upper(m), 1e-12, 0) ==
            GSL_SUCCESS)
            break;
    }
    gsl_min_fminimizer_free(m);
    if (pb->failed)
        return nlif_fail(err, NLIF_ENUMERIC, "quadrature failed near N = %g", exp(xm));
    double gm = g_of_x(xm, pb);
    if (s0 * gm < 0) {
        double x;
        int rc = brent_root(pb, lo, xm, &x, err);
        if (!rc)
            rc = add_root(roots, n, max, exp(x), err);
        if (!rc)
            rc = brent_root(pb, xm, hi, &x, err);
        if (!rc)
            rc = add_root(roots, n, max, exp(x), err);
        return rc;
    }
    if (fabs(gm) <= 1e-12) /* tangency: the fold itself, a double root */
        return add_root(roots, n, max, exp(xm), err);
    return NLIF_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Every root N > 0 of N = R(N). Grid on [RATE_LO, RATE_HI], extended by decades downwards while
 * g > 0 at the lower end (g → −∞ as N → 0, so a root lies below) and upwards while g has the opposite
 * sign to its limit at infinity (a root lies above). */
static int scan(rate_problem *pb, double *roots, int max_roots, int *n_roots, nlif_error *err)
{
    *n_roots = 0;
    pb->failed = 0;
    const double dec = log(10.0);
    double x_lo = log(RATE_LO), x_hi = log(RATE_HI);
    while (g_of_x(x_lo, pb) > 0 && x_lo > log(RATE_FLOOR) && !pb->failed)
        x_lo -= dec;
    int target = fabs(1 - pb->lim_ratio) < 1e-9 ? 0 : (pb->lim_ratio < 1 ? 1 : -1);
    while (target && sgn(g_of_x(x_hi, pb)) == -target && x_hi < log(RATE_CEIL) && !pb->failed)
        x_hi += dec;
    if (pb->failed)
        return nlif_fail(err, NLIF_ENUMERIC, "quadrature of I(N) failed");

    int n = (int)ceil((x_hi - x_lo) / dec * GRID_PER_DECADE) + 1;
    double *x = malloc(2 * (size_t)n * sizeof *x);
    if (!x)
        return nlif_fail(err, NLIF_ENOMEM, "rate grid of %d points", n);
    double *g = x + n;
    for (int k = 0; k < n; k++) {
        x[k] = x_lo + (x_hi - x_lo) * k / (n - 1);
        g[k] = g_of_x(x[k], pb);
    }
    int rc = pb->failed ? nlif_fail(err, NLIF_ENUMERIC, "quadrature of I(N) failed") : NLIF_OK;
    for (int k = 0; k + 1 < n && !rc; k++) {
        if (g[k] == 0)
            rc = add_root(roots, n_roots, max_roots, exp(x[k]), err);
        else if (sgn(g[k]) * sgn(g[k + 1]) < 0) {
            double r;
            rc = brent_root(pb, x[k], x[k + 1], &r, err);
            if (!rc)
                rc = add_root(roots, n_roots, max_roots, exp(r), err);
        }
    }
    if (!rc && g[n - 1] == 0)
        rc = add_root(roots, n_roots, max_roots, exp(x[n - 1]), err);
    for (int k = 1; k + 1 < n && !rc; k++) {
        int s = sgn(g[k]);
        if (!s || sgn(g[k - 1]) != s || sgn(g[k + 1]) != s)
            continue;
        double am = fabs(g[k]), al = fabs(g[k - 1]), ar = fabs(g[k + 1]);
        if (am < al && am < ar)
            rc = refine_extremum(pb, x[k - 1], x[k], x[k + 1], roots, n_roots, max_roots, err);
    }
    free(x);
    if (!rc)
        qsort(roots, *n_roots, sizeof *roots, cmp_double);
    return rc;
}

/* ---------------------------------------------------------------------------------------------- */
/* The 1D model                                                                                    */

typedef struct model_ctx {
    const nlif_model *m;
    double input;
} model_ctx;

static double model_log_map(double rate, const void *ctx)
{
    const model_ctx *c = ctx;
    const nlif_model *m = c->m;
    double lr = -log_inverse_rate(nlif_noise(m, rate), m->v_f, m->v_r, m->v_min, m->b * rate + c->input);
    if (!(m->tau_ref > 0))
        return lr;
    /* with a refractory state the density holds 1 − τ_R N of the mass: N = 𝒩(bN + I)(1 − τ_R N)
     * (MATHEMATICS.md §2); no rate reaches 1/τ_R (log R = −inf there: g large and positive) */
    double free_mass = 1.0 - m->tau_ref * rate;
    return free_mass > 0 ? lr + log(free_mass) : -INFINITY;
}

int nlif_stationary_rates(const nlif_model *m, double input, double *roots, int max_roots, int *n_roots,
                          nlif_error *err)
{
    *n_roots = 0;
    if (!(m->a0 > 0) || !(m->a1 >= 0) || !(m->v_r < m->v_f) || !isfinite(m->b) || !isfinite(input))
        return nlif_fail(err, NLIF_EINVAL,
                         "stationary rates need a0 > 0, a1 >= 0, V_R < V_F and finite b, I "
                         "(got a0 = %g, a1 = %g, V_R = %g, V_F = %g, b = %g, I = %g)",
                         m->a0, m->a1, m->v_r, m->v_f, m->b, input);
    model_ctx c = {m, input};
    /* N·I(N) → (V_F − V_R)/b as N → ∞ for b > 0 (the deterministic period log((μ−V_R)/(μ−V_F))
     * ≈ (V_F − V_R)/μ), and → ∞ for b ≤ 0. */
    rate_problem pb = {model_log_map, &c, m->b > 0 ? m->b / (m->v_f - m->v_r) : 0, 0};
    if (m->tau_ref > 0) /* R(N) = 𝒩(bN + I)(1 − τ_R N) ≤ 0 from N = 1/τ_R on: R(N)/N → 0 */
        pb.lim_ratio = 0;
    return scan(&pb, roots, max_roots, n_roots, err);
}

int nlif_stationary_rate_unique(const nlif_model *m, double input, double *root, nlif_error *err)
{
    if (!(m->a0 > 0) || m->a1 != 0 || !(m->b <= 0) || m->tau_ref > 0 || !(m->v_r < m->v_f) || !isfinite(input))
        return nlif_fail(err, NLIF_EINVAL, "a unique stationary rate needs a1 = 0, b <= 0, no refractory period "
                         "(got a1 = %g, b = %g, tau_ref = %g)", m->a1, m->b, m->tau_ref);
    model_ctx c = {m, input};
    rate_problem pb = {model_log_map, &c, 0, 0};
    /* g(x) = log(N I(N)) is strictly increasing: N grows and I(N) = 1/𝒩(bN + I) does not fall, the
     * drift bN + I falling with N (b ≤ 0) and 𝒩 rising with the drift. One sign change, bracketed
     * as scan() brackets: downwards while g > 0 at the lower end, upwards while g < 0 at the upper. */
    const double dec = log(10.0);
    double x_lo = log(RATE_LO), x_hi = log(RATE_HI), g_lo, g_hi;
    while ((g_lo = g_of_x(x_lo, &pb)) > 0 && x_lo > log(RATE_FLOOR) && !pb.failed)
        x_lo -= dec;
    while ((g_hi = g_of_x(x_hi, &pb)) < 0 && x_hi < log(RATE_CEIL) && !pb.failed)
        x_hi += dec;
    if (pb.failed)
        return nlif_fail(err, NLIF_ENUMERIC, "quadrature of I(N) failed");
    if (!(g_lo < 0 && g_hi > 0))
        return nlif_fail(err, NLIF_ENUMERIC, "no sign change of N I(N) - 1 in N in [%g, %g]", exp(x_lo), exp(x_hi));
    double x;
    int rc = brent_root(&pb, x_lo, x_hi, &x, err);
    if (!rc)
        *root = exp(x);
    return rc;
}

double nlif_rate_limit_product(const nlif_model *m)
{
    return m->b > 0 ? (m->v_f - m->v_r) / m->b : INFINITY;
}

double nlif_rate_residual(const nlif_model *m, double input, double rate)
{
    double r = rate * nlif_inverse_rate(nlif_noise(m, rate), m->v_f, m->v_r, m->v_min, m->b * rate + input);
    return m->tau_ref > 0 ? r + m->tau_ref * rate - 1 : r - 1; /* mass of p∞ + R∞ − 1 */
}

/* ---------------------------------------------------------------------------------------------- */
/* The stationary profile                                                                          */

/* N e^{−l²/2} ∫_l^{l+d} e^{x²/2} dx for d ≥ 0, in log form where it matters (N may be tiny while
 * the integral is huge). d is passed in, not formed as y_F − l: (V_F − v)/√a is exact for v near
 * V_F, a difference of the shifted values y_F, l is not. */
static double rate_times_tail(double rate, double l, double d)
{
    if (!(d > 0) || rate <= 0)
        return 0;
    if (d <= 0.25)
        return rate * short_integral(l, d);
    double y_f = l + d;
    double upper = exp(log(rate) + 0.5 * d * (y_f + l)) * gsl_sf_dawson(y_f / M_SQRT2);
    double lower = rate * gsl_sf_dawson(l / M_SQRT2);
    return M_SQRT2 * (upper - lower);
}

double nlif_stationary_profile(const nlif_model *m, double input, double rate, double v)
{
    if (v >= m->v_f)
        return 0;
    double a = nlif_noise(m, rate), sa = sqrt(a), mu = m->b * rate + input;
    if (v >= m->v_r)
        return rate_times_tail(rate, (v - mu) / sa, (m->v_f - v) / sa) / sa;
    /* Below V_R the integral in (2) is a constant: p∞(v) = p∞(V_R) e^{(y_R² − y²)/2}. */
    double y = (v - mu) / sa, y_r = (m->v_r - mu) / sa;
    return rate_times_tail(rate, y_r, (m->v_f - m->v_r) / sa) / sa * exp(0.5 * (y_r - y) * (y_r + y));
}

double nlif_stationary_mean(const nlif_model *m, double input, double rate)
{
    /* Stationary first-moment identity (MATHEMATICS.md §1): 0 = −m1 + bN + I − (V_F − V_R) N + a p∞(V_min)
     * (the last term the wall's: zero flux there leaves the diffusion's boundary term a p at V_min). */
    double wall = isfinite(m->v_min) ? nlif_noise(m, rate) * nlif_stationary_profile(m, input, rate, m->v_min) : 0;
    /* a refractory state holds τ_R N of the mass: the drift acts on the density's 1 − τ_R N only */
    double drift = m->tau_ref > 0 ? (m->b * rate + input) * (1.0 - m->tau_ref * rate) : m->b * rate + input;
    return drift - (m->v_f - m->v_r) * rate + wall;
}

/* ---------------------------------------------------------------------------------------------- */
/* Siegert cross-check                                                                             */

typedef struct siegert_ctx {
    double y_f, y_r;
} siegert_ctx;

/* e^{−u²/2} (e^{y_F u} − e^{y_R u}) / u = e^{−u²/2 + y_F u} (1 − e^{−(y_F − y_R) u}) / u: one
 * exponential that decays for large u (no inf·0), and expm1 for the cancellation as u → 0. */
static double siegert_integrand(double u, void *params)
{
    const siegert_ctx *c = params;
    double d = c->y_f - c->y_r;
    if (u == 0)
        return d;
    return exp(u * (c->y_f - 0.5 * u)) * -expm1(-d * u) / u;
}

double nlif_siegert_rate(double a, double v_f, double v_r, double mu, nlif_error *err)
{
    if (!(a > 0) || !(v_r < v_f))
        return nlif_fail(err, NLIF_EINVAL, "Siegert rate needs a > 0 and V_R < V_F"), NAN;
    double sa = sqrt(a);
    siegert_ctx c = {(v_f - mu) / sa, (v_r - mu) / sa};
    if (c.y_f > 37)
        return nlif_fail(err, NLIF_ENUMERIC, "Siegert rate: y_F = %g overflows the u-integral", c.y_f), NAN;
    gsl_function f = {siegert_integrand, &c};
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(QUAD_LIMIT);
    if (!w)
        return nlif_fail(err, NLIF_ENOMEM, "quadrature workspace"), NAN;
    double val = NAN, abserr = INFINITY;
    int st = gsl_integration_qagiu(&f, 0, 0, 1e-12, QUAD_LIMIT, w, &val, &abserr);
    gsl_integration_workspace_free(w);
    if (!isfinite(val) || !(val > 0) || (st && !(abserr <= 1e-10 * val)))
        return nlif_fail(err, NLIF_ENUMERIC, "Siegert quadrature: %s (error estimate %g)", gsl_strerror(st),
                         abserr),
               NAN;
    return 1 / val;
}

/* ---------------------------------------------------------------------------------------------- */
/* Structured limit: N = ∫ ρ(w) 𝒩(wN + I) dw                                                      */

typedef struct structured_ctx {
    const nlif_model *m;
    double input;
    const nlif_density *rho;
    double rate; /* the N at which the w-integrand is evaluated */
} structured_ctx;

static double structured_integrand(double w, void *params)
{
    const structured_ctx *c = params;
    const nlif_model *m = c->m;
    return nlif_density_pdf(c->rho, w) *
           nlif_uncoupled_rate(nlif_noise(m, c->rate), m->v_f, m->v_r, m->v_min, w * c->rate + c->input);
}

static double structured_log_map(double rate, const void *ctx)
{
    structured_ctx c = *(const structured_ctx *)ctx;
    c.rate = rate;
    const nlif_density *rho = c.rho;
    const nlif_model *m = c.m;
    if (rho->kind == NLIF_DENSITY_POINT)
        return log(nlif_uncoupled_rate(nlif_noise(m, rate), m->v_f, m->v_r, m->v_min, rho->mean * rate + c.input));
    gsl_function f = {structured_integrand, &c};
    double total = 0;
    if (rho->kind == NLIF_DENSITY_GAUSSIAN) {
        if (quad(&f, rho->lo, rho->hi, &total))
            return NAN;
    } else {
        for (int k = 0; k + 1 < rho->n; k++) {
            double part;
            if (!(rho->v[k + 1] > rho->v[k]))
                continue;
            /* Gauss–Kronrod never evaluates the ends, so a jump of ρ at a node is harmless. */
            if (quad(&f, rho->v[k], rho->v[k + 1], &part))
                return NAN;
            total += part;
        }
    }
    return total > 0 ? log(total) : -INFINITY;
}

/* E_ρ[max(w, 0)] by quadrature of w ρ(w) over w > 0. */
static double positive_mean(const nlif_density *rho)
{
    if (rho->kind == NLIF_DENSITY_POINT)
        return rho->mean > 0 ? rho->mean : 0;
    const int n = 4000;
    double lo = rho->lo > 0 ? rho->lo : 0, sum = 0;
    if (!(rho->hi > lo))
        return 0;
    double h = (rho->hi - lo) / n;
    for (int k = 0; k < n; k++) {
        double w0 = lo + k * h, w1 = w0 + h;
        sum += 0.5 * (w0 + w1) * (nlif_density_cdf(rho, w1) - nlif_density_cdf(rho, w0));
    }
    return sum;
}

int nlif_structured_rates(const nlif_model *m, double input, const nlif_density *rho, double *roots,
                          int max_roots, int *n_roots, nlif_error *err)
{
    *n_roots = 0;
    if (!(m->a0 > 0) || !(m->a1 >= 0) || !(m->v_r < m->v_f))
        return nlif_fail(err, NLIF_EINVAL, "structured rates need a0 > 0, a1 >= 0 and V_R < V_F");
    structured_ctx c = {m, input, rho, 0};
    /* For large N only the weights w > 0 fire, each at ≈ wN/(V_F − V_R). */
    rate_problem pb = {structured_log_map, &c, positive_mean(rho) / (m->v_f - m->v_r), 0};
    return scan(&pb, roots, max_roots, n_roots, err);
}
