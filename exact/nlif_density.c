/* nlif_density.c — initial laws; see nlif_density.h. nlif_density_quantile: bisection on the Gaussian's
 * cdf, the inverse of a table's piecewise quadratic cdf; nlif_density_quantiles gives its bits for many
 * targets cheaply. The particles' Gaussian quantile is nlif_density_inverse.c's, the same law through
 * the inverse of Φ (MATHEMATICS.md §1.1, "Initial sampling"). */
#include "nlif_density.h"

#include "nlif_exact.h"
#include "../core/nlif_mms.h"

#include <gsl/gsl_cdf.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Points of the tabulated stationary profile: p∞ is smooth except for a kink at V_R, which is a
 * table node, so linear interpolation is second order; 20001 points make it exact to ~1e-9. */
#define STATIONARY_POINTS 20001

static double phi_cdf(double x) { return 0.5 * erfc(-x / M_SQRT2); }

void nlif_density_free(nlif_density *d)
{
    free(d->v);
    free(d->p);
    free(d->cum);
    memset(d, 0, sizeof *d);
}

int nlif_density_table(nlif_density *d, const double *v, const double *p, int n, int normalise, nlif_error *err)
{
    memset(d, 0, sizeof *d);
    if (n < 2)
        return nlif_fail(err, NLIF_EINVAL, "a density table needs at least 2 points (got %d)", n);
    for (int k = 0; k < n; k++) {
        if (!isfinite(v[k]) || !isfinite(p[k]) || p[k] < 0)
            return nlif_fail(err, NLIF_EINVAL, "density table point %d: (%g, %g) is not finite and non-negative",
                             k, v[k], p[k]);
        if (k && v[k] < v[k - 1])
            return nlif_fail(err, NLIF_EINVAL, "density table abscissae must not decrease (point %d)", k);
    }
    d->kind = NLIF_DENSITY_TABLE;
    d->n = n;
    d->v = malloc(n * sizeof *d->v);
    d->p = malloc(n * sizeof *d->p);
    d->cum = malloc(n * sizeof *d->cum);
    if (!d->v || !d->p || !d->cum) {
        nlif_density_free(d);
        return nlif_fail(err, NLIF_ENOMEM, "density table of %d points", n);
    }
    memcpy(d->v, v, n * sizeof *v);
    memcpy(d->p, p, n * sizeof *p);
    d->cum[0] = 0;
    for (int k = 1; k < n; k++)
        d->cum[k] = d->cum[k - 1] + 0.5 * (p[k] + p[k - 1]) * (v[k] - v[k - 1]);
    double mass = d->cum[n - 1];
    if (!(mass > 0)) {
        nlif_density_free(d);
        return nlif_fail(err, NLIF_EINVAL, "density table has zero mass");
    }
    if (normalise) {
        for (int k = 0; k < n; k++) {
            d->p[k] /= mass;
            d->cum[k] /= mass;
        }
    }
    d->lo = v[0];
    d->hi = v[n - 1];
    return NLIF_OK;
}

static int gaussian(nlif_density *d, double lo, double hi, double mean, double sd, nlif_error *err)
{
    memset(d, 0, sizeof *d);
    d->kind = NLIF_DENSITY_GAUSSIAN;
    d->lo = lo;
    d->hi = hi;
    d->mean = mean;
    d->sd = sd;
    d->z = phi_cdf((hi - mean) / sd) - phi_cdf((lo - mean) / sd);
    if (!(d->z > 1e-300))
        return nlif_fail(err, NLIF_EINVAL, "Gaussian N(%g, %g²) has no mass on [%g, %g]", mean, sd, lo, hi);
    return NLIF_OK;
}

static int from_blocks(nlif_density *d, const nlif_initial *in, nlif_error *err)
{
    /* Sort the blocks by their left end; each becomes two table segments with jumps at its ends. */
    int nb = in->n_blocks, idx[NLIF_MAX_POINTS];
    for (int i = 0; i < nb; i++)
        idx[i] = i;
    for (int i = 1; i < nb; i++)
        for (int j = i; j > 0 && in->lo[idx[j]] < in->lo[idx[j - 1]]; j--) {
            int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    double v[4 * NLIF_MAX_POINTS], p[4 * NLIF_MAX_POINTS];
    int n = 0;
    for (int i = 0; i < nb; i++) {
        int b = idx[i];
        if (i && in->lo[b] < in->hi[idx[i - 1]])
            return nlif_fail(err, NLIF_EINVAL, "uniform blocks overlap ([%g, %g] and [%g, %g])", in->lo[idx[i - 1]],
                             in->hi[idx[i - 1]], in->lo[b], in->hi[b]);
        v[n] = in->lo[b], p[n++] = 0;
        v[n] = in->lo[b], p[n++] = in->dens[b];
        v[n] = in->hi[b], p[n++] = in->dens[b];
        v[n] = in->hi[b], p[n++] = 0;
    }
    return nlif_density_table(d, v, p, n, in->normalise, err);
}

static int from_stationary(nlif_density *d, const nlif_case *cs, nlif_error *err)
{
    const nlif_model *m = &cs->model;
    double roots[NLIF_MAX_ROOTS];
    int nr = 0;
    double input = cs->input.i0;
    int rc = nlif_stationary_rates(m, input, roots, NLIF_MAX_ROOTS, &nr, err);
    if (rc)
        return rc;
    if (cs->initial.root >= nr)
        return nlif_fail(err, NLIF_EINVAL,
                         "initial.root = %d but the model (b = %g, I = %g) has %d stationary state(s)",
                         cs->initial.root, m->b, input, nr);
    double rate = roots[cs->initial.root];
    int n = STATIONARY_POINTS;
    double *v = malloc(n * sizeof *v), *p = malloc(n * sizeof *p);
    if (!v || !p) {
        free(v);
        free(p);
        return nlif_fail(err, NLIF_ENOMEM, "stationary table");
    }
    /* Uniform mesh with V_R exactly on a node: split [V_min, V_R] and [V_R, V_F] proportionally. */
    int nr_pts = (int)lround((n - 1) * (m->v_r - m->v_min) / (m->v_f - m->v_min));
    if (nr_pts < 1)
        nr_pts = 1;
    if (nr_pts > n - 2)
        nr_pts = n - 2;
    for (int k = 0; k < n; k++) {
        v[k] = k <= nr_pts ? m->v_min + (m->v_r - m->v_min) * k / nr_pts
                           : m->v_r + (m->v_f - m->v_r) * (k - nr_pts) / (n - 1 - nr_pts);
        p[k] = nlif_stationary_profile(m, input, rate, v[k]);
    }
    p[n - 1] = 0;
    rc = nlif_density_table(d, v, p, n, 1, err);
    free(v);
    free(p);
    return rc;
}

/* p_m(·, 0) of the case's manufactured family (MATHEMATICS.md §6b) as a table for samplers and
 * plots; the grids take its exact cell means instead (nlif_initial_project). Its kink at V_R is a node. */
static int from_manufactured(nlif_density *d, const nlif_case *cs, nlif_error *err)
{
    const nlif_model *m = &cs->model;
    nlif_mms_state st;
    if (nlif_mms_at(cs, 0.0, &st))
        return nlif_fail(err, NLIF_EINVAL, "the manufactured family is not defined at t = 0");
    int n = STATIONARY_POINTS, nr_pts = (int)lround((n - 1) * (m->v_r - m->v_min) / (m->v_f - m->v_min));
    nr_pts = nr_pts < 1 ? 1 : nr_pts > n - 2 ? n - 2 : nr_pts;
    double *v = malloc(n * sizeof *v), *p = malloc(n * sizeof *p);
    if (!v || !p) {
        free(v);
        free(p);
        return nlif_fail(err, NLIF_ENOMEM, "manufactured table");
    }
    for (int k = 0; k < n; k++) {
        v[k] = k <= nr_pts ? m->v_min + (m->v_r - m->v_min) * k / nr_pts
                           : m->v_r + (m->v_f - m->v_r) * (k - nr_pts) / (n - 1 - nr_pts);
        p[k] = k == n - 1 ? 0.0 : nlif_mms_density(&st, m, v[k]);
    }
    int rc = nlif_density_table(d, v, p, n, 1, err);
    free(v);
    free(p);
    return rc;
}

int nlif_density_init(nlif_density *d, const nlif_case *cs, nlif_error *err)
{
    const nlif_initial *in = &cs->initial;
    const nlif_model *m = &cs->model;
    switch (in->type) {
    case NLIF_INIT_GAUSSIAN: return gaussian(d, m->v_min, m->v_f, in->mean, in->sd, err);
    case NLIF_INIT_UNIFORM: return from_blocks(d, in, err);
    case NLIF_INIT_TABLE: return nlif_density_table(d, in->tv, in->tp, in->n_points, in->normalise, err);
    case NLIF_INIT_STATIONARY: return from_stationary(d, cs, err);
    case NLIF_INIT_MANUFACTURED: return from_manufactured(d, cs, err);
    }
    return nlif_fail(err, NLIF_EINVAL, "unknown initial type");
}

int nlif_weight_density_init(nlif_density *d, const nlif_structure *st, nlif_error *err)
{
    switch (st->w_law) {
    case NLIF_WLAW_GAUSSIAN: return gaussian(d, st->w_min, st->w_max, st->w_mean, st->w_sd, err);
    case NLIF_WLAW_UNIFORM: {
        double v[2] = {st->w_min, st->w_max}, p[2] = {1, 1};
        return nlif_density_table(d, v, p, 2, 1, err);
    }
    case NLIF_WLAW_POINT:
        memset(d, 0, sizeof *d);
        d->kind = NLIF_DENSITY_POINT;
        d->lo = d->hi = d->mean = st->w_mean;
        return NLIF_OK;
    }
    return nlif_fail(err, NLIF_EINVAL, "unknown weight law");
}

/* Index k with v[k] <= x < v[k+1] (binary search; x inside [v0, v_{n-1})). */
static int segment(const nlif_density *d, double x)
{
    int lo = 0, hi = d->n - 1;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (d->v[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

double nlif_density_pdf(const nlif_density *d, double x)
{
    if (x < d->lo || x > d->hi)
        return 0;
    switch (d->kind) {
    case NLIF_DENSITY_GAUSSIAN: {
        double z = (x - d->mean) / d->sd;
        return exp(-0.5 * z * z) / (d->sd * sqrt(2 * M_PI) * d->z);
    }
    case NLIF_DENSITY_TABLE: {
        if (x >= d->hi)
            return d->p[d->n - 1];
        int k = segment(d, x);
        double h = d->v[k + 1] - d->v[k];
        return h > 0 ? d->p[k] + (d->p[k + 1] - d->p[k]) * (x - d->v[k]) / h : d->p[k + 1];
    }
    case NLIF_DENSITY_POINT: return INFINITY;
    }
    return 0;
}

/* The truncated Gaussian's cdf inside [lo, hi), k0 = phi_cdf((lo − mean)/sd): THE expression the
 * quantile's bisection compares (the batched quantile must evaluate it bit for bit the same). */
static double gauss_cdf(const nlif_density *d, double k0, double x)
{
    return (phi_cdf((x - d->mean) / d->sd) - k0) / d->z;
}

double nlif_density_cdf(const nlif_density *d, double x)
{
    if (x < d->lo)
        return 0;
    if (x >= d->hi)
        return 1;
    switch (d->kind) {
    case NLIF_DENSITY_GAUSSIAN: return gauss_cdf(d, phi_cdf((d->lo - d->mean) / d->sd), x);
    case NLIF_DENSITY_TABLE: {
        int k = segment(d, x);
        double h = d->v[k + 1] - d->v[k], s = x - d->v[k];
        if (!(h > 0))
            return d->cum[k];
        double slope = (d->p[k + 1] - d->p[k]) / h;
        return d->cum[k] + d->p[k] * s + 0.5 * slope * s * s;
    }
    case NLIF_DENSITY_POINT: return 1;
    }
    return 0;
}

/* The quantile u of a table inside segment [v[lo], v[lo+1]] (cum[lo] < u <= cum[lo+1], or lo = n − 2):
 * the root of the segment's quadratic cdf. */
static double table_inverse(const nlif_density *d, int lo, double u)
{
    int hi = lo + 1;
    double h = d->v[hi] - d->v[lo], r = u - d->cum[lo];
    if (!(h > 0))
        return d->v[hi];
    double p0 = d->p[lo], slope = (d->p[hi] - d->p[lo]) / h, s;
    if (fabs(slope) * h < 1e-12 * (p0 + 1e-300))
        s = p0 > 0 ? r / p0 : 0;
    else {
        /* p0 s + slope s²/2 = r, stable root: s = 2r / (p0 + sqrt(p0² + 2 slope r)). */
        double disc = p0 * p0 + 2 * slope * r;
        s = 2 * r / (p0 + sqrt(disc > 0 ? disc : 0));
    }
    if (s < 0)
        s = 0;
    if (s > h)
        s = h;
    return d->v[lo] + s;
}

double nlif_density_quantile(const nlif_density *d, double u)
{
    if (u <= 0)
        return d->lo;
    if (u >= 1)
        return d->hi;
    switch (d->kind) {
    case NLIF_DENSITY_POINT: return d->mean;
    case NLIF_DENSITY_GAUSSIAN: {
        /* Bisection on the exact cdf: robust in the far tails where inverting Φ loses digits. */
        double a = d->lo, b = d->hi;
        for (int it = 0; it < 200 && b - a > 1e-15 * (1 + fabs(a)); it++) {
            double c = 0.5 * (a + b);
            if (nlif_density_cdf(d, c) < u)
                a = c;
            else
                b = c;
        }
        return 0.5 * (a + b);
    }
    case NLIF_DENSITY_TABLE: {
        /* Find segment with cum[k] < u <= cum[k+1], then solve the quadratic of the linear piece. */
        int lo = 0, hi = d->n - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) / 2;
            if (d->cum[mid] < u)
                lo = mid;
            else
                hi = mid;
        }
        return table_inverse(d, lo, u);
    }
    }
    return d->lo;
}

/* ---------------------------------------------------------------- many quantiles at once
 *
 * The Gaussian's quantile is the bisection of nlif_density_quantile: from [lo, hi], c = (a + b)/2 and
 * a = c when cdf(c) < u, else b = c, until b − a ≤ 1e-15 (1 + |a|). Its result is a function of the
 * decisions cdf(c) < u alone. Most of them need no cdf: with q the exact quantile and x̃ an
 * approximation of it (Wichura's inverse of Φ, GSL), every node c below x̃ − Δ has a computed cdf
 * below u and every node above x̃ + Δ one at or above u, where Δ bounds |x̃ − q| plus what the
 * computed cdf can differ from the exact one (QUANT_ERFC_ULPS ulps of erfc, the roundings of its
 * argument and of the normalisation), converted to voltage by the density near q (bounded below by
 * 0.9 of its value at x̃, checked). When the bisection's nodes are exact doubles (a dyadic support
 * such as [-4, 2]: exact_tree_of) the deepest certain interval is found by arithmetic; otherwise the
 * certain levels are taken for QUANT_LANES targets at once, without branches. The remaining levels
 * (three or four for N(0, 0.5²), more in the tails) evaluate the cdf exactly as
 * nlif_density_quantile does. A target whose bound cannot be set (no finite x̃, a wide window) takes
 * every level through the cdf: the quantile as before. Not done: deciding the last levels without
 * erfc (they are within its rounding of the target) or overlapping several targets' cdfs (tried: no
 * gain on this machine), which is why a Gaussian draw costs ~0.2 µs and not tens of ns. */
#define QUANT_LANES 16
#define QUANT_ERFC_ULPS 8.0 /* glibc's test tables (libm-test-ulps) give at most 5 for erfc on x86-64 */
#define QUANT_PINV_ULPS 4.0 /* AS241: about 1e-16 relative */

typedef struct quant_lanes {
    double a[QUANT_LANES], b[QUANT_LANES], xl[QUANT_LANES], xr[QUANT_LANES];
    int it[QUANT_LANES];
} quant_lanes;

/* The window [*xl, *xr] around the quantile u outside which position decides (see above); the
 * whole line when it cannot be bounded. */
static void gauss_window(const nlif_density *d, double k0, double u, double *xl, double *xr)
{
    const double eps = 0x1p-53;
    *xl = -INFINITY;
    *xr = INFINITY;
    double p = k0 + u * d->z;
    if (!(p > 0 && p < 1))
        return;
    double x = gsl_cdf_ugaussian_Pinv(p), ax = fabs(x);
    double phi = exp(-0.5 * x * x) / sqrt(2 * M_PI);
    if (!isfinite(x) || !(phi > 1e-290))
        return;
    /* standard units: the argument's roundings (4 ulps of x), the inverse's error, p's roundings
     * and the cdf's (erfc, subtraction, division), over 0.9 of the density */
    double dx = (4 + QUANT_PINV_ULPS) * eps * ax + 1e-300 + (2 * QUANT_ERFC_ULPS + 7) * eps * p * 1.02 / (0.9 * phi);
    if (!(ax * dx + dx * dx < 0.1)) /* the density may vary by more than 10% over the window */
        return;
    double sx = d->sd * x, xc = d->mean + sx;
    double w = d->sd * dx + 4 * eps * (fabs(sx) + 2 * fabs(xc));
    w *= 1 + 8 * eps;
    if (!isfinite(xc) || !isfinite(w))
        return;
    *xl = xc - w;
    *xr = xc + w;
}

/* The levels every lane can take without the cdf, all lanes at once (branch-free: the decisions are
 * as random as the targets). A lane stops at its first undecided node, or when its bisection ends. */
static void gauss_certain_levels(quant_lanes *q)
{
    for (int moved = 1; moved;) {
        moved = 0;
        for (int k = 0; k < QUANT_LANES; k++) {
            double a = q->a[k], b = q->b[k], c = 0.5 * (a + b);
            int go = (q->it[k] < 200) & (b - a > 1e-15 * (1 + fabs(a)));
            int right = go & (c < q->xl[k]), left = go & (c > q->xr[k]);
            q->a[k] = right ? c : a;
            q->b[k] = left ? c : b;
            q->it[k] += right | left;
            moved |= right | left;
        }
    }
}

/* When every bisection node down to depth `depth` is a double (lo = L·2^e, hi = H·2^e with integers
 * max(|L|, |H|)·2^depth ≤ 2^53), the midpoints are exact and the interval at depth j containing a
 * point is found by arithmetic instead of j levels; depth is also held where no bisection can have
 * stopped (the widths above it exceed 1e-15 (1 + max(|lo|, |hi|))). depth < 0: not so. */
typedef struct exact_tree {
    int depth, e;
    int64_t l, h;
    double unit, width, inv_span; /* 2^e, hi − lo, 1/(H − L) */
} exact_tree;

static int low_exponent(double x)
{
    int ex;
    int64_t m = (int64_t)ldexp(frexp(x, &ex), 53);
    return ex - 53 + __builtin_ctzll((uint64_t)(m < 0 ? -m : m));
}

static exact_tree exact_tree_of(double lo, double hi)
{
    exact_tree t = {-1, 0, 0, 0, 0, 0, 0};
    if (!isfinite(lo) || !isfinite(hi) || !(lo < hi))
        return t;
    int el = lo == 0 ? INT_MAX : low_exponent(lo), eh = hi == 0 ? INT_MAX : low_exponent(hi);
    int e = el < eh ? el : eh; /* lo < hi: not both 0 */
    double L = ldexp(lo, -e), H = ldexp(hi, -e), m = fmax(fabs(L), fabs(H));
    if (!(m <= 0x1p52) || e < -900 || e > 900) /* (2^(e − depth) stays a normal double) */
        return t;
    int depth = 0;
    while (depth < 62 && m * ldexp(1, depth + 1) <= 0x1p53)
        depth++;
    const double thr = 1e-15 * (1 + fmax(fabs(lo), fabs(hi))) * (1 + 0x1p-50);
    while (depth > 0 && !(ldexp(H - L, e - (depth - 1)) > thr))
        depth--;
    t = (exact_tree){depth, e, (int64_t)L, (int64_t)H, ldexp(1, e), hi - lo, 1 / (H - L)};
    return t;
}

/* The deepest interval [*a, *b] of the tree, at depth *it ≤ t->depth, that holds [xl, xr] inside:
 * every node above it lies outside the window, so the bisection passes there for certain. The search
 * starts at the depth where the intervals are about four times the window's width. */
static void exact_start(const exact_tree *t, double lo, double xl, double xr, double *a, double *b, int *it)
{
    /* library calls (ilogb, ldexp, floor) replaced by exact arithmetic on powers of two; k is only an
     * estimate (the containment test below is exact) */
    const int64_t span = t->h - t->l;
    const double xc = 0.5 * xl + 0.5 * xr, ratio = t->width / (xr - xl);
    uint64_t bits;
    memcpy(&bits, &ratio, sizeof bits);
    int j = (int)((bits >> 52) & 0x7ff) - 1023 - 1; /* floor(log2(ratio)) − 1 for a normal ratio ≥ 1 */
    if (j > t->depth)
        j = t->depth;
    for (; j > 0; j--) {
        double p2j = (double)((int64_t)1 << j), scale = t->unit / p2j; /* 2^(e − j), exact */
        double kf = (xc - lo) * t->inv_span * (p2j / t->unit), top = p2j - 1;
        int64_t k = kf > 0 ? (int64_t)(kf < top ? kf : top) : 0;
        int64_t na = t->l * ((int64_t)1 << j) + k * span;
        double aj = (double)na * scale, bj = (double)(na + span) * scale;
        if (aj < xl && xr < bj) {
            *a = aj;
            *b = bj;
            *it = j;
            return;
        }
    }
}

static void gauss_quantiles(const nlif_density *d, const double *u, double *x, long n)
{
    const double k0 = phi_cdf((d->lo - d->mean) / d->sd);
    const exact_tree tree = exact_tree_of(d->lo, d->hi);
    quant_lanes q;
    double us[QUANT_LANES];
    for (long s = 0; s < n; s += QUANT_LANES) {
        int len = n - s < QUANT_LANES ? (int)(n - s) : QUANT_LANES;
        for (int k = 0; k < QUANT_LANES; k++) {
            q.a[k] = d->lo;
            q.b[k] = d->hi;
            q.it[k] = 200; /* unused lanes and the ends: no level */
            q.xl[k] = -INFINITY;
            q.xr[k] = INFINITY;
            if (k >= len)
                continue;
            us[k] = u[s + k];
            if (us[k] <= 0 || us[k] >= 1)
                continue;
            q.it[k] = 0;
            gauss_window(d, k0, us[k], &q.xl[k], &q.xr[k]);
            if (tree.depth > 0 && isfinite(q.xl[k]))
                exact_start(&tree, d->lo, q.xl[k], q.xr[k], &q.a[k], &q.b[k], &q.it[k]);
        }
        if (tree.depth <= 0)
            gauss_certain_levels(&q);
        /* the rest of nlif_density_quantile's loop, from where each lane stopped */
        for (int k = 0; k < len; k++) {
            if (us[k] <= 0 || us[k] >= 1) {
                x[s + k] = us[k] <= 0 ? d->lo : d->hi;
                continue;
            }
            double a = q.a[k], b = q.b[k];
            for (int it = q.it[k]; it < 200 && b - a > 1e-15 * (1 + fabs(a)); it++) {
                double c = 0.5 * (a + b);
                int right = c < q.xl[k] ? 1 : (c > q.xr[k] ? 0 : gauss_cdf(d, k0, c) < us[k]);
                if (right)
                    a = c;
                else
                    b = c;
            }
            x[s + k] = 0.5 * (a + b);
        }
    }
}

/* The table's quantiles, the segment found from the previous target's (a monotone sweep when the
 * targets increase): lo = the last k ≤ n − 2 with cum[k] < u, which is what the binary search of
 * nlif_density_quantile finds (cum does not decrease). */
static void table_quantiles(const nlif_density *d, const double *u, double *x, long n)
{
    int lo = 0, last = d->n - 2;
    for (long i = 0; i < n; i++) {
        double ui = u[i];
        if (ui <= 0 || ui >= 1) {
            x[i] = ui <= 0 ? d->lo : d->hi;
            continue;
        }
        if (!(d->cum[lo] < ui))
            lo = 0; /* a smaller target: search from the start (cum[0] = 0 < u) */
        /* gallop forward, then bisect [lo, top) */
        int step = 1, top = lo + 1;
        while (top <= last && d->cum[top] < ui) {
            lo = top;
            top = lo + step;
            step *= 2;
        }
        if (top > last + 1)
            top = last + 1;
        while (top - lo > 1) { /* cum[lo] < u; cum[top] ≥ u or top = last + 1 */
            int mid = lo + (top - lo) / 2;
            if (d->cum[mid] < ui)
                lo = mid;
            else
                top = mid;
        }
        x[i] = table_inverse(d, lo, ui);
    }
}

void nlif_density_quantiles(const nlif_density *d, const double *u, double *x, long n)
{
    switch (d->kind) {
    case NLIF_DENSITY_GAUSSIAN: gauss_quantiles(d, u, x, n); return;
    case NLIF_DENSITY_TABLE: table_quantiles(d, u, x, n); return;
    case NLIF_DENSITY_POINT: break;
    }
    for (long i = 0; i < n; i++)
        x[i] = nlif_density_quantile(d, u[i]);
}

void nlif_density_cell_means(const nlif_density *d, double x0, double h, int n, double *out)
{
    double prev = nlif_density_cdf(d, x0 - 0.5 * h);
    for (int i = 0; i < n; i++) {
        double next = nlif_density_cdf(d, x0 + (i + 0.5) * h);
        out[i] = (next - prev) / h;
        prev = next;
    }
}

int nlif_initial_project(const nlif_case *cs, double dv, int n, double *p, nlif_error *err)
{
    if (n < 2 || !(dv > 0))
        return nlif_fail(err, NLIF_EINVAL, "initial projection: a grid of %d cells of width %g", n, dv);
    if (cs->initial.type == NLIF_INIT_MANUFACTURED) {
        /* the family's node values at t = 0, scaled to mass 1 (core/nlif_mms.h says why not cell means) */
        nlif_mms_initial(cs, dv, n, p);
        for (int i = 0; i < n; i++)
            if (!isfinite(p[i]))
                return nlif_fail(err, NLIF_EINVAL, "initial projection: the manufactured family is not defined at t = 0");
        return NLIF_OK;
    }
    nlif_density d;
    int rc = nlif_density_init(&d, cs, err);
    if (rc)
        return rc;
    double x0 = cs->model.v_min;
    nlif_density_cell_means(&d, x0, dv, n, p);
    /* the half cell at V_F: everything above the last cell's upper edge */
    double top = nlif_density_cdf(&d, cs->model.v_f) - nlif_density_cdf(&d, x0 + (n - 0.5) * dv);
    nlif_density_free(&d);
    p[n - 1] += top / dv;
    double mass = 0;
    for (int i = 0; i < n; i++)
        mass += p[i] * dv;
    if (!(mass > 0) || !isfinite(mass))
        return nlif_fail(err, NLIF_EINVAL, "initial projection: the initial law has mass %g on the grid", mass);
    return nlif_initial_scale_refractory(cs, n, p, err); /* the density holds 1 − R(0) (§1.5) */
}
