/* nlif_density.c — initial laws; see nlif_density.h. */
#include "nlif_density.h"

#include "nlif_exact.h"
#include "../core/nlif_mms.h"

#include <math.h>
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

double nlif_density_cdf(const nlif_density *d, double x)
{
    if (x < d->lo)
        return 0;
    if (x >= d->hi)
        return 1;
    switch (d->kind) {
    case NLIF_DENSITY_GAUSSIAN:
        return (phi_cdf((x - d->mean) / d->sd) - phi_cdf((d->lo - d->mean) / d->sd)) / d->z;
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
    }
    return d->lo;
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
    return NLIF_OK;
}
