/* resultfmt_figures.c — the figures of a run recomputed from its data, and every disagreement between
 * what the run says of itself and what it wrote (RESULTS.md, "What is judged: recomputed from the
 * data"). The judge believes nothing a solver says about itself: the mass of every snapshot is
 * summed here (the trapezoid of its v rows plus its point masses, MATHEMATICS.md §1.3), the final rate
 * is averaged here from the series, the minimum is taken over everything the run wrote, and each
 * summary member or column that summarises data must agree with that data to round-off. With a column R
 * (the refractory mass of a model with τ_R > 0, MATHEMATICS.md §1.5) a snapshot's mass is its sum plus
 * R at its time, which the mass column must equal. */
#include "nlif_resultfmt.h"

#include "../core/nlif_trajectory.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Every initial law is a probability law (MATHEMATICS.md §1.3: the projection sums to 1 up to
 * round-off), and every part of the solution counts, so mass(t) = 1 is what a snapshot must show. */
#define INITIAL_MASS 1.0

static void finding(nlif_rf_figures *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void finding(nlif_rf_figures *f, const char *fmt, ...)
{
    if (f->n_findings >= NLIF_RF_FINDINGS) {
        f->n_more++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->findings[f->n_findings++], sizeof f->findings[0], fmt, ap);
    va_end(ap);
}

static double col(const nlif_rf_table *t, size_t row, int c)
{
    return t->x[row * (size_t)t->ncol + (size_t)c];
}

/* Round-off of a sum of n terms of total magnitude s, as written with 17 digits: what two honest
 * summations of the same numbers in different orders may differ by. */
static double sum_roundoff(int n, double s)
{
    return 1e-14 + 4.0 * (double)n * DBL_EPSILON * s;
}

static int same_time(double a, double b)
{
    return fabs(a - b) <= 1e-9 * (1.0 + fabs(a));
}

/* The density's share of the mass column at row I: mass − R with a column R (the refractory mass), else
 * the mass itself. */
static double density_mass(const nlif_rf_table *s, size_t i, int mc, int rc)
{
    return rc < 0 ? col(s, i, mc) : col(s, i, mc) - col(s, i, rc);
}

/* The series row closest in density mass to M among the rows at time T (two rows at one t are the
 * sides of a jump); -1 when the series has no row at T. */
static long series_row_at(const nlif_rf_table *s, int tc, int mc, int rc, double t, double m)
{
    long best = -1;
    for (size_t i = 0; i < s->nrow; i++)
        if (same_time(col(s, i, tc), t) &&
            (best < 0 || fabs(density_mass(s, i, mc, rc) - m) < fabs(density_mass(s, (size_t)best, mc, rc) - m)))
            best = (long)i;
    return best;
}

/* R at time T from the column R when the series has no row there: linear between the rows around T
 * (R is continuous: dR/dt = N − R/τ_R), the last row's beyond the series. */
static double refractory_between(const nlif_rf_table *s, int tc, int rc, double t)
{
    size_t i = 0;
    while (i < s->nrow && col(s, i, tc) < t)
        i++;
    if (i == 0 || i == s->nrow)
        return col(s, i ? s->nrow - 1 : 0, rc);
    double ta = col(s, i - 1, tc), tb = col(s, i, tc), w = tb > ta ? (t - ta) / (tb - ta) : 1.0;
    return (1 - w) * col(s, i - 1, rc) + w * col(s, i, rc);
}

/* One snapshot: rows [a, b) of the snapshot table, all at time t. */
static void snapshot(const nlif_rf_run *r, size_t a, size_t b, nlif_rf_figures *f)
{
    const nlif_rf_table *sn = &r->snapshots, *se = &r->series;
    int kc = nlif_rf_col(sn, "kind"), tc = nlif_rf_col(sn, "t"), xc = nlif_rf_col(sn, "x"), dc = nlif_rf_col(sn, "density");
    double t = col(sn, a, tc), mv = 0, av = 0, mw = 0, aw = 0, w_first = NAN, w_second = NAN;
    size_t prev_v = (size_t)-1;
    int nv = 0, nw = 0;
    for (size_t i = a; i < b; i++) {
        double d = col(sn, i, dc);
        f->snapshot_max = fmax(f->snapshot_max, d);
        if (d < f->snapshot_min) {
            f->snapshot_min = d;
            f->snapshot_min_t = t;
        }
        if ((int)col(sn, i, kc) == 'v') {
            if (prev_v != (size_t)-1) { /* the trapezoid between consecutive nodes */
                double h = col(sn, i, xc) - col(sn, prev_v, xc), s = 0.5 * (col(sn, prev_v, dc) + d) * h;
                mv += s, av += fabs(s);
            }
            prev_v = i, nv++;
        } else {
            if (nw == 0)
                w_first = col(sn, i, xc);
            else if (nw == 1)
                w_second = col(sn, i, xc);
            mw += d, aw += fabs(d), nw++;
        }
    }
    for (int k = 0; k < sn->n_atoms; k++)
        if (same_time(sn->atoms[k].t, t)) {
            mv += sn->atoms[k].mass, av += fabs(sn->atoms[k].mass);
            if (sn->atoms[k].mass < f->snapshot_min) {
                f->snapshot_min = sn->atoms[k].mass;
                f->snapshot_min_t = t;
            }
        }
    double tol = sum_roundoff(nv, av);
    /* the refractory mass at this time joins the snapshot's (MATHEMATICS.md §1.5: ∫p + R = 1) */
    int mc = nlif_rf_col(se, "mass"), rc = nlif_rf_col(se, "R"), stc = nlif_rf_col(se, "t");
    long row = series_row_at(se, stc, mc, rc, t, mv);
    double refr = rc < 0 ? 0.0 : row >= 0 ? col(se, (size_t)row, rc) : refractory_between(se, stc, rc, t);
    f->snapshot_mass_drift = fmax(f->snapshot_mass_drift, fabs(mv + refr - INITIAL_MASS));
    /* a w marginal on equal cells of width w_second - w_first (RESULTS.md: cell centres) */
    if (nw >= 2) {
        double h = w_second - w_first;
        mw *= h, aw *= fabs(h);
        f->snapshot_mass_drift = fmax(f->snapshot_mass_drift, fabs(mw - INITIAL_MASS));
        if (fabs(mw - mv) > tol + sum_roundoff(nw, aw))
            finding(f, "the snapshot at t = %.9g: its w marginal sums to %.15g, its v rows and atoms to %.15g", t, mw, mv);
    }
    if (row >= 0 && fabs(col(se, (size_t)row, mc) - (mv + refr)) > tol)
        finding(f, "%s:%d: the mass column says %.15g at t = %.9g, the snapshot there sums to %.15g%s (difference %.3g, "
                   "round-off %.2g)",
                se->path, se->line[row], col(se, (size_t)row, mc), t, mv + refr, rc < 0 ? "" : " with the column R",
                fabs(col(se, (size_t)row, mc) - (mv + refr)), tol);
}

static void series_figures(const nlif_rf_run *r, nlif_rf_figures *f)
{
    const nlif_rf_table *s = &r->series;
    int tc = nlif_rf_col(s, "t"), rc = nlif_rf_col(s, "rate"), mc = nlif_rf_col(s, "mass"), pc = nlif_rf_col(s, "min_density");
    int Rc = nlif_rf_col(s, "R");
    size_t n = s->nrow, stride = (size_t)s->ncol;
    f->final_rate = nlif_tail_mean(s->x + tc, s->x + rc, n, stride);
    double t_last = n ? col(s, n - 1, tc) : 0, t_start = 0.9 * t_last;
    f->tail_min = INFINITY, f->tail_max = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double t = col(s, i, tc), m = col(s, i, mc), p = col(s, i, pc), N = col(s, i, rc);
        f->series_mass_drift = fmax(f->series_mass_drift, fabs(m - col(s, 0, mc)));
        f->series_min = fmin(f->series_min, p);
        if (Rc >= 0 && col(s, i, Rc) < 0) /* a negative refractory mass is a negative part of the solution */
            f->series_min = fmin(f->series_min, col(s, i, Rc));
        /* the samples bounding the last tenth: any average of N over it lies within their range */
        if (t >= t_start || (i + 1 < n && col(s, i + 1, tc) > t_start))
            f->tail_min = fmin(f->tail_min, N), f->tail_max = fmax(f->tail_max, N);
        if (i > 0)
            f->max_gap = fmax(f->max_gap, t - col(s, i - 1, tc));
        f->fired_max = fmax(f->fired_max, fabs(col(s, i, nlif_rf_col(s, "fired"))));
    }
    f->t_last = t_last;
}

/* The summary's multiple firing events against the cumulative fired mass of the series: each claimed
 * event is a rise of `fired` at its time at least its size, and each jump of the series (two rows at
 * one t) is a claimed event of that size. */
static void mfe_figures(const nlif_rf_run *r, nlif_rf_figures *f)
{
    const nlif_rf_table *s = &r->series;
    int tc = nlif_rf_col(s, "t"), fc = nlif_rf_col(s, "fired");
    double tol = 1e-12 * (1.0 + f->fired_max);
    const json_t *mfe = json_object_get(r->summary, "mfe"), *e;
    size_t k;
    json_array_foreach(mfe, k, e)
    {
        double t = json_number_value(json_object_get(e, "t")), size = json_number_value(json_object_get(e, "size"));
        size_t lo = 0, hi = s->nrow - 1; /* the last row before t, the first after it */
        for (size_t i = 0; i < s->nrow; i++) {
            double ti = col(s, i, tc);
            if (ti < t && !same_time(ti, t))
                lo = i;
            if (ti > t && !same_time(ti, t)) {
                hi = i;
                break;
            }
        }
        double rise = col(s, hi, fc) - col(s, lo, fc);
        if (t > r->t_end * (1 + 1e-9) + 1e-12 || rise < size - tol)
            finding(f, "the summary's MFE %zu at t = %.9g of size %.9g: the fired column rises by %.9g between t = "
                       "%.9g and %.9g",
                    k + 1, t, size, rise, col(s, lo, tc), col(s, hi, tc));
    }
    for (size_t i = 1; i < s->nrow; i++) {
        double t = col(s, i, tc), jump = col(s, i, fc) - col(s, i - 1, fc);
        if (col(s, i - 1, tc) != t || !(jump > tol))
            continue;
        int found = 0;
        json_array_foreach(mfe, k, e)
        {
            double te = json_number_value(json_object_get(e, "t")), size = json_number_value(json_object_get(e, "size"));
            found |= same_time(te, t) && fabs(size - jump) <= tol + 1e-12 * size;
        }
        if (!found)
            finding(f, "%s:%d: the series jumps by %.9g of fired mass at t = %.9g (two rows at one t: an MFE), which the "
                       "summary's mfe list does not hold",
                    s->path, s->line[i], jump, t);
    }
}

double nlif_rf_run_claim(const nlif_rf_run *r, const char *key)
{
    char k[64];
    snprintf(k, sizeof k, "claimed_%s", key);
    const json_t *x = json_object_get(json_object_get(r->summary, "stats"), k);
    if (!json_is_number(x))
        x = json_object_get(r->summary, key);
    return json_is_number(x) ? json_number_value(x) : NAN;
}

static double claim(const nlif_rf_run *r, const char *key)
{
    return nlif_rf_run_claim(r, key);
}

static void claims(const nlif_rf_run *r, nlif_rf_figures *f)
{
    double rate = claim(r, "final_rate"), drift = claim(r, "mass_drift"), minp = claim(r, "min_density");
    double data_drift = fmax(f->series_mass_drift, f->snapshot_mass_drift), data_min = fmin(f->series_min, f->snapshot_min);
    double rtol = 1e-12 * (1.0 + fabs(f->final_rate));
    if (isfinite(rate) && (rate < f->tail_min - rtol || rate > f->tail_max + rtol))
        finding(f, "the summary's final_rate %.12g is outside the range [%.12g, %.12g] of N over the last tenth of the "
                   "series (recomputed: %.12g)",
                rate, f->tail_min, f->tail_max, f->final_rate);
    if (isfinite(drift) && drift < data_drift - 1e-12)
        finding(f, "the summary's mass_drift %.3g is below what the data show, %.3g (series mass column %.3g; snapshots "
                   "against mass 1: %.3g)",
                drift, data_drift, f->series_mass_drift, f->snapshot_mass_drift);
    /* a sign is what positivity judges: a claim that hides a negative value beyond the rounding floor
     * (-1e-15 max p, MATHEMATICS.md 6) of what was written; a positive minimum that differs (the node
     * at V_F, written 0, is not an unknown of a scheme) says nothing */
    double floor_ = -1e-15 * fmax(f->snapshot_max, claim(r, "max_density") > 0 ? claim(r, "max_density") : 0);
    if (isfinite(minp) && data_min < floor_ && minp > data_min + 1e-12 * fabs(data_min))
        finding(f, "the summary's min_density %.6g is above what the data hold, %.6g (series column %.6g; snapshots %.6g%s)",
                minp, data_min, f->series_min, f->snapshot_min, f->snapshot_min < f->series_min ? ", at a snapshot" : "");
    if (strcmp(r->status, "ok")) {
        double stop = claim(r, "stop_time"), blow = claim(r, "blowup_time"), lo = f->t_last - 1e-9 * (1 + f->t_last);
        double hi = f->t_last + f->max_gap + 1e-9 * (1 + f->t_last);
        if (!(stop >= lo && stop <= hi))
            finding(f, "the summary's stop_time %.9g is not where the series ends, t = %.9g (within its largest step %.3g)",
                    stop, f->t_last, f->max_gap);
        if (!strcmp(r->status, "blowup") && !same_time(blow, stop))
            finding(f, "the summary's blowup_time %.9g is not its stop_time %.9g", blow, stop);
    }
    /* the judged figures: recomputed, and never better than what the run admits */
    f->mass_drift = isfinite(drift) ? fmax(drift, data_drift) : data_drift;
    f->min_density = isfinite(minp) ? fmin(minp, data_min) : data_min;
}

/* Population I of a two-population model (MATHEMATICS.md §1.6): its columns are judged as E's are — the
 * drift of its mass column, its minimum, each snapshot's density_i summed (trapezoid) against mass 1 and
 * against the mass_i column at its time, its final rate recomputed from rate_i — and a case of two
 * populations must have written all of them (RESULTS.md). */
static void population_i_figures(const nlif_rf_run *r, nlif_rf_figures *f)
{
    const nlif_rf_table *s = &r->series, *sn = &r->snapshots;
    static const char *const cols[] = {"rate_i", "fired_i", "mass_i", "min_density_i"};
    int c[4], have = 0, two = json_is_object(json_object_get(json_object_get(r->summary, "case_spec"), "population_i"));
    for (int k = 0; k < 4; k++)
        have += (c[k] = nlif_rf_col(s, cols[k])) >= 0;
    int dc = nlif_rf_col(sn, "density_i");
    f->final_rate_i = NAN;
    if ((two || have) && have < 4)
        finding(f, "%s: %d of population I's four columns rate_i, fired_i, mass_i, min_density_i%s (RESULTS.md)",
                s->path, have, two ? "; the case has two populations" : "");
    if (two && dc < 0 && sn->nrow)
        finding(f, "the case has two populations but %s has no column density_i (RESULTS.md)", sn->path);
    if (have < 4)
        return;
    int tc = nlif_rf_col(s, "t");
    f->final_rate_i = nlif_tail_mean(s->x + tc, s->x + c[0], s->nrow, (size_t)s->ncol);
    for (size_t i = 0; i < s->nrow; i++) {
        f->series_mass_drift = fmax(f->series_mass_drift, fabs(col(s, i, c[2]) - col(s, 0, c[2])));
        f->series_min = fmin(f->series_min, col(s, i, c[3]));
    }
    int kc = nlif_rf_col(sn, "kind"), stc = nlif_rf_col(sn, "t"), xc = nlif_rf_col(sn, "x");
    for (size_t a = 0, b; dc >= 0 && a < sn->nrow; a = b) {
        double t = col(sn, a, stc), m = 0, am = 0;
        size_t prev = (size_t)-1;
        int nv = 0;
        for (b = a; b < sn->nrow && col(sn, b, stc) == t; b++) {
            if ((int)col(sn, b, kc) != 'v')
                continue;
            double d = col(sn, b, dc);
            f->snapshot_max = fmax(f->snapshot_max, d);
            if (d < f->snapshot_min)
                f->snapshot_min = d, f->snapshot_min_t = t;
            if (prev != (size_t)-1) {
                double q = 0.5 * (col(sn, prev, dc) + d) * (col(sn, b, xc) - col(sn, prev, xc));
                m += q, am += fabs(q);
            }
            prev = b, nv++;
        }
        f->snapshot_mass_drift = fmax(f->snapshot_mass_drift, fabs(m - INITIAL_MASS));
        long row = series_row_at(s, tc, c[2], -1, t, m);
        double tol = sum_roundoff(nv, am);
        if (row >= 0 && fabs(col(s, (size_t)row, c[2]) - m) > tol)
            finding(f, "%s:%d: the mass_i column says %.15g at t = %.9g, population I's snapshot there sums to %.15g",
                    s->path, s->line[row], col(s, (size_t)row, c[2]), t, m);
    }
}

int nlif_rf_run_figures(const nlif_rf_run *r, nlif_rf_figures *f)
{
    memset(f, 0, sizeof *f);
    f->series_min = f->snapshot_min = INFINITY;
    f->snapshot_min_t = NAN;
    if (!r->series.nrow)
        return NLIF_EINVAL;
    series_figures(r, f);
    const nlif_rf_table *sn = &r->snapshots;
    int tc = nlif_rf_col(sn, "t");
    for (size_t a = 0, b; a < sn->nrow; a = b) {
        for (b = a + 1; b < sn->nrow && col(sn, b, tc) == col(sn, a, tc); b++)
            ;
        snapshot(r, a, b, f);
    }
    mfe_figures(r, f);
    population_i_figures(r, f); /* before the claims: I's drift and minimum are part of the data's */
    claims(r, f);
    /* the contract of a refractory period (RESULTS.md): its runs write R, which the mass is judged with */
    const json_t *tau = json_object_get(json_object_get(json_object_get(r->summary, "case_spec"), "model"), "tau_ref");
    if (json_is_number(tau) && json_number_value(tau) > 0 && nlif_rf_col(&r->series, "R") < 0)
        finding(f, "the case has a refractory period (case_spec model.tau_ref = %g) but %s has no column R (RESULTS.md)",
                json_number_value(tau), r->series.path);
    return NLIF_OK;
}
