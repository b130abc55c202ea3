/* jump.c — the physical jump size of a multiple firing event (MATHEMATICS.md §2, [DIRT]):
 *
 *     Δ = inf{ s > 0 : M(s) < s },   M(s) = ∫_{V_F − b s}^{∞} p(v) dv,
 *
 * on a piecewise-linear density. Mass at or above V_F (after an instantaneous kick) fires first; for
 * a density supported below V_F, M(s) is the integral of MATHEMATICS.md §2 over [V_F − bs, V_F].
 *
 * Why it is exact. Substitute u = V_F − b s (the level the cascade has reached) and write
 * g(u) = b M − (V_F − u): Δ corresponds to the first u below V_F at which g turns negative. On each
 * linear piece of p, M is quadratic in u, so g is an explicit quadratic there; walking the pieces
 * downward from V_F, the first crossing is the smallest root of a quadratic (stable formula), not an
 * iteration. The zero density below the table makes g fall with slope 1, so the walk always ends:
 * M(s) ≤ total mass m, hence Δ ≤ m, and Δ = m exactly when the cascade takes everything (every
 * neuron fires once, convention A).
 */
#include "nlif_exact.h"

#include <math.h>
#include <string.h>

static int check_table(const double *v, const double *p, int n, nlif_error *err)
{
    if (n < 1)
        return nlif_fail(err, NLIF_EINVAL, "a density table needs at least one point");
    for (int k = 0; k < n; k++) {
        if (!isfinite(v[k]) || !isfinite(p[k]) || p[k] < 0)
            return nlif_fail(err, NLIF_EINVAL, "density point %d: (%g, %g) must be finite with p >= 0", k, v[k],
                             p[k]);
        if (k && v[k] < v[k - 1])
            return nlif_fail(err, NLIF_EINVAL, "density abscissae must not decrease (point %d: %g < %g)", k, v[k],
                             v[k - 1]);
    }
    return NLIF_OK;
}

/* Value on segment [v[k], v[k+1]] (v[k] < v[k+1]) at x. */
static double on_segment(const double *v, const double *p, int k, double x)
{
    return p[k] + (p[k + 1] - p[k]) * (x - v[k]) / (v[k + 1] - v[k]);
}

double nlif_mass_above(const double *v, const double *p, int n, double x)
{
    double m = 0;
    for (int k = 0; k + 1 < n; k++) {
        if (!(v[k + 1] > v[k]) || v[k + 1] <= x)
            continue;
        double lo = v[k] > x ? v[k] : x;
        m += 0.5 * (on_segment(v, p, k, lo) + p[k + 1]) * (v[k + 1] - lo);
    }
    return m;
}

/* First t in [0, h] after which g(t) = c0 + c1 t + c2 t² is negative (c0 ≥ 0), or −1 if g ≥ 0 on
 * the whole piece. A double root (tangency) is not a crossing: g does not become negative there. */
static double first_crossing(double c0, double c1, double c2, double h)
{
    if (c0 <= 0) {
        if (c1 < 0 || (c1 == 0 && c2 < 0))
            return 0;
        if (c1 > 0 && c2 < 0 && -c1 / c2 < h)
            return -c1 / c2;
        return -1;
    }
    if (c2 == 0)
        return (c1 < 0 && -c0 / c1 <= h) ? -c0 / c1 : -1;
    double disc = c1 * c1 - 4 * c2 * c0;
    if (disc <= 0)
        return -1;
    double q = -0.5 * (c1 + copysign(sqrt(disc), c1));
    double r1 = q / c2, r2 = q != 0 ? c0 / q : INFINITY;
    double t = INFINITY;
    if (r1 > 0)
        t = r1;
    if (r2 > 0 && r2 < t)
        t = r2;
    return t <= h ? t : -1;
}

int nlif_jump_size(const double *v, const double *p, int n, double v_f, double b, double *delta, nlif_error *err)
{
    *delta = 0;
    int rc = check_table(v, p, n, err);
    if (rc)
        return rc;
    if (!isfinite(v_f) || !isfinite(b))
        return nlif_fail(err, NLIF_EINVAL, "jump size needs finite V_F and b (got %g, %g)", v_f, b);
    double m0 = nlif_mass_above(v, p, n, v_f);
    if (b <= 0) { /* no cascade: only what is already beyond threshold fires */
        *delta = m0;
        return NLIF_OK;
    }
    /* Walk down from V_F. depth = V_F − (top of the current piece); g0 = g at that top. */
    double depth = 0, g0 = b * m0;
    int k = n - 2;
    while (k >= 0 && v[k] >= v_f) /* segments entirely above V_F were counted in m0 */
        k--;
    double top = v_f;
    if (n >= 1 && v[n - 1] < v_f) {
        /* Zero density between the table's end and V_F: g falls with slope 1. */
        double h = v_f - v[n - 1];
        if (g0 <= h) {
            *delta = g0 / b;
            return NLIF_OK;
        }
        g0 -= h;
        depth = h;
        top = v[n - 1];
    }
    for (; k >= 0; k--) {
        if (!(v[k + 1] > v[k]))
            continue; /* a jump of p: no width */
        double hi = v[k + 1] < top ? v[k + 1] : top, h = hi - v[k];
        if (!(h > 0))
            continue;
        double p_top = on_segment(v, p, k, hi), p_bot = p[k];
        double c1 = b * p_top - 1, c2 = b * (p_bot - p_top) / (2 * h);
        double t = first_crossing(g0, c1, c2, h);
        if (t >= 0) {
            *delta = (depth + t) / b;
            return NLIF_OK;
        }
        double g_end = g0 + b * 0.5 * (p_top + p_bot) * h - h;
        depth += h;
        top = v[k];
        if (g_end < 0) { /* round-off at a tangency: the crossing is at the end of this piece */
            *delta = depth / b;
            return NLIF_OK;
        }
        g0 = g_end;
    }
    /* Below the table p = 0: g = g0 − t. */
    *delta = (depth + g0) / b;
    return NLIF_OK;
}

int nlif_jump_post(const double *v, const double *p, int n, double v_f, double b, double delta, double *v_out,
                   double *p_out, int *n_out, nlif_error *err)
{
    *n_out = 0;
    int rc = check_table(v, p, n, err);
    if (rc)
        return rc;
    double shift = b * delta, cut = shift > 0 ? v_f - shift : v_f;
    int m = 0, last = -1;
    for (int k = 0; k < n && v[k] < cut; k++) {
        v_out[m] = v[k] + shift;
        p_out[m++] = p[k];
        last = k;
    }
    if (last >= 0 && last + 1 < n) {
        /* v[last] < cut <= v[last + 1]: close the non-fired part at the cut with its left limit. */
        double at_cut = on_segment(v, p, last, cut);
        v_out[m] = cut + shift;
        p_out[m++] = at_cut;
        if (at_cut > 0) {
            v_out[m] = cut + shift;
            p_out[m++] = 0;
        }
    }
    *n_out = m;
    return NLIF_OK;
}
