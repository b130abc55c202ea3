/* verify_data.c — loaders and measures for `nlif verify`; see verify_data.h. */
#include "verify_data.h"

#include "../../exact/nlif_density.h"
#include "../../io/nlif_resultfmt.h"
#include "../../io/nlif_identity.h"
#include "../../io/nlif_mc_store.h"
#include "../../io/nlif_results.h"
#include "../../io/nlif_verdicts.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *nlif_vd_load_json(const char *path)
{
    json_error_t e;
    return json_load_file(path, 0, &e);
}

double nlif_vd_num(const json_t *o, const char *key)
{
    const json_t *x = json_object_get(o, key);
    return json_is_number(x) ? json_number_value(x) : NAN;
}

json_t *nlif_vd_load_run(const char *json_path, char *why, size_t len)
{
    nlif_rf_run r;
    nlif_error e = {0};
    /* the identity of every file of the set, judged from whether or not the reader takes it */
    nlif_judged_note(json_path);
    size_t pl = strlen(json_path);
    if (pl > 5 && !strcmp(json_path + pl - 5, ".json")) {
        char sib[4200];
        snprintf(sib, sizeof sib, "%.*s.series.csv", (int)(pl - 5), json_path);
        nlif_judged_note(sib);
        snprintf(sib, sizeof sib, "%.*s.snapshots.csv", (int)(pl - 5), json_path);
        nlif_judged_note(sib);
    }
    if (nlif_rf_run_read(json_path, &r, &e)) {
        snprintf(why, len, "result set refused: %s", e.msg);
        return NULL;
    }
    json_t *j = nlif_vd_judged_summary(&r);
    nlif_rf_run_free(&r);
    return j;
}

json_t *nlif_vd_judged_summary(const nlif_rf_run *r)
{
    json_t *j = json_deep_copy(r->summary), *claimed = json_object(), *found = json_array();
    nlif_rf_figures f;
    nlif_rf_run_figures(r, &f); /* the reader refuses an empty series: the figures are always filled */
    static const char *const keys[] = {"mass_drift", "min_density", "final_rate", NULL};
    const double judged[] = {f.mass_drift, f.min_density, f.final_rate};
    for (int k = 0; keys[k]; k++) {
        json_object_set_new(claimed, keys[k], nlif_json_number(nlif_rf_run_claim(r, keys[k])));
        json_object_set_new(j, keys[k], nlif_json_number(judged[k]));
    }
    if (isfinite(f.final_rate_i)) /* two populations: I's rate, recomputed as E's */
        json_object_set_new(j, "final_rate_i", json_real(f.final_rate_i));
    for (int k = 0; k < f.n_findings; k++) {
        nlif_utf8_sanitize(f.findings[k]); /* a path may hold any byte; a finding must never be lost */
        json_array_append_new(found, json_string(f.findings[k]));
    }
    if (f.n_more)
        json_array_append_new(found, json_sprintf("... and %d more", f.n_more));
    /* what the checks judge is recomputed; what the run said is kept beside it, with every disagreement */
    json_object_set_new(j, "claimed", claimed);
    json_object_set_new(j, "inconsistencies", found);
    return j;
}

json_t *nlif_vd_load_study(const char *path, char *why, size_t len)
{
    nlif_error e = {0};
    nlif_judged_note(path);
    json_t *j = nlif_rf_study_read(path, &e);
    if (!j)
        snprintf(why, len, "study refused: %s", e.msg);
    return j;
}

/* Copy column c of table t into a fresh array (NULL when out of memory). */
static double *column(const nlif_rf_table *t, int c)
{
    double *x = malloc((t->nrow ? t->nrow : 1) * sizeof *x);
    for (size_t i = 0; x && i < t->nrow; i++)
        x[i] = t->x[i * t->ncol + c];
    return x;
}

int nlif_vd_load_series(const char *path, series *s)
{
    memset(s, 0, sizeof *s);
    nlif_judged_note(path);
    nlif_rf_table t;
    if (nlif_rf_table_read(path, nlif_rf_series_cols, &t, NULL))
        return -1;
    int rc = -1;
    if (t.nrow > 1 && t.nrow < (size_t)INT32_MAX && nlif_rf_check_increasing(&t, 0, 0, NULL) == NLIF_OK) {
        s->n = (int)t.nrow;
        s->t = column(&t, 0), s->rate = column(&t, 1), s->fired = column(&t, 2);
        rc = s->t && s->rate && s->fired ? 0 : -1;
    }
    nlif_rf_table_free(&t);
    if (rc)
        nlif_vd_free_series(s);
    return rc;
}

void nlif_vd_free_series(series *s)
{
    free(s->t);
    free(s->rate);
    free(s->fired);
}

double nlif_vd_rate_band(double se_mc, const double *r, int n, int random)
{
    if (!random || n < 2)
        return 3 * se_mc;
    double m, se;
    nlif_vd_mean_se(r, n, &m, &se);
    return 3 * hypot(se_mc, se);
}

double nlif_vd_z_excess(double d, double allow, double se)
{
    double e = fabs(d) - allow;
    if (se > 0)
        return e / se;
    return e > 0 ? INFINITY : 0;
}

void nlif_vd_mean_se(const double *x, int n, double *mean, double *se)
{
    double m = 0, ss = 0;
    for (int i = 0; i < n; i++)
        m += x[i];
    m = n > 0 ? m / n : NAN;
    for (int i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    *mean = m;
    *se = n > 1 ? sqrt(ss / (n - 1) / n) : NAN;
}

double nlif_vd_slope(const double *t, int n)
{
    if (n < 2)
        return NAN;
    double xm = 0.5 * (n - 1), tm = 0, sxy = 0, sxx = 0;
    for (int i = 0; i < n; i++)
        tm += t[i];
    tm /= n;
    for (int i = 0; i < n; i++) {
        sxy += (i - xm) * (t[i] - tm);
        sxx += (i - xm) * (i - xm);
    }
    return sxy / sxx;
}

double nlif_vd_welch_df(double se1, int n1, double se2, int n2)
{
    double a = se1 * se1, b = se2 * se2;
    double den = (n1 > 1 ? a * a / (n1 - 1) : 0) + (n2 > 1 ? b * b / (n2 - 1) : 0);
    return den > 0 ? (a + b) * (a + b) / den : INFINITY;
}

double nlif_vd_bound(double alpha, int m, double df)
{
    double p = alpha / (2.0 * m);
    return isfinite(df) && df > 0 ? gsl_cdf_tdist_Qinv(p, df) : gsl_cdf_ugaussian_Qinv(p);
}

/* One figure: its z excess against its bound; the worst so far is the largest z / bound. Returns the
 * figure's own 95% bound. */
static double figure(nlif_mfe_judgement *j, double z, double df, double alpha, int m, int k, char what)
{
    double b = nlif_vd_bound(alpha, m, df), b95 = nlif_vd_bound(0.05, 1, df);
    j->in95 += z <= b95;
    j->fails += !(z <= b);
    if (j->kworst == 0 || z / b > j->zworst / j->worst_bound)
        j->zworst = z, j->worst_bound = b, j->worst_df = df, j->kworst = k, j->what = what;
    return b95;
}

void nlif_vd_judge_mfe_random(const double *t, const double *s, int n, int k, const double *mc_tm, const double *mc_tse,
                              const double *mc_sm, const double *mc_sse, int mc_n, const double *mc_t, int r, double t_allow,
                              double s_allow, double *tz, double *sz, double *t95, double *s95, nlif_mfe_judgement *j)
{
    memset(j, 0, sizeof *j);
    j->zdrift = j->period = j->period_se = j->mc_period = j->mc_period_se = j->drift_df = j->drift_bound = NAN;
    if (n < 2 || n > 16 || k < 1)
        return;
    double col[16], ps[16];
    /* the drift figure (k >= 3, per-realisation Monte Carlo times): 2.5% to it, 2.5% to the figures */
    int drift = k >= 3 && mc_t && r > 1;
    double alpha = drift ? 0.025 : 0.05;
    j->nfig = 2 * k;
    for (int q = 0; q < k; q++) {
        double m, se;
        for (int i = 0; i < n; i++)
            col[i] = t[i * k + q];
        nlif_vd_mean_se(col, n, &m, &se);
        tz[q] = nlif_vd_z_excess(m - mc_tm[q], t_allow, hypot(se, mc_tse[q]));
        t95[q] = figure(j, tz[q], nlif_vd_welch_df(se, n, mc_tse[q], mc_n), alpha, j->nfig, q + 1, 't');
        for (int i = 0; i < n; i++)
            col[i] = s[i * k + q];
        nlif_vd_mean_se(col, n, &m, &se);
        sz[q] = nlif_vd_z_excess(m - mc_sm[q], s_allow, hypot(se, mc_sse[q]));
        s95[q] = figure(j, sz[q], nlif_vd_welch_df(se, n, mc_sse[q], mc_n), alpha, j->nfig, q + 1, 's');
    }
    int drift_ok = 1;
    if (drift) {
        double *qs = malloc(sizeof *qs * (size_t)r);
        if (!qs) {
            j->fails++;
            return;
        }
        for (int i = 0; i < n; i++)
            ps[i] = nlif_vd_slope(t + (size_t)i * (size_t)k, k);
        for (int i = 0; i < r; i++)
            qs[i] = nlif_vd_slope(mc_t + (size_t)i * (size_t)k, k);
        nlif_vd_mean_se(ps, n, &j->period, &j->period_se);
        nlif_vd_mean_se(qs, r, &j->mc_period, &j->mc_period_se);
        free(qs);
        j->zdrift = nlif_vd_z_excess(j->period - j->mc_period, 0, hypot(j->period_se, j->mc_period_se));
        j->drift_df = nlif_vd_welch_df(j->period_se, n, j->mc_period_se, r);
        j->drift_bound = nlif_vd_bound(0.025, 1, j->drift_df);
        j->kdrift = k;
        drift_ok = j->zdrift <= j->drift_bound;
    }
    j->pass = j->fails == 0 && drift_ok;
}

/* Cumulative firing at time x (linear between samples; a jump at an MFE is a pair of samples at
 * the same time, and the value after the jump is taken at that time). */
double nlif_vd_fired_at(const series *s, double x)
{
    if (x <= s->t[0])
        return s->fired[0];
    int lo = 0, hi = s->n - 1;
    if (x >= s->t[hi])
        return s->fired[hi];
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (s->t[mid] <= x)
            lo = mid;
        else
            hi = mid;
    }
    double h = s->t[hi] - s->t[lo];
    return h > 0 ? s->fired[lo] + (s->fired[hi] - s->fired[lo]) * (x - s->t[lo]) / h : s->fired[hi];
}


/* The stored data of case cs: reference/data/CS/ under the source root, found, read and checked against
 * the case by the one lookup (io/nlif_mc_store.h), so that no check judges against data the case does
 * not describe. */
int nlif_vd_load_mc_why(const nlif_case *cs, mc_data *m, char *why, size_t len)
{
    const char *name = cs->name;
    memset(m, 0, sizeof *m);
    char root[4200], dir[4400];
    snprintf(root, sizeof root, "%s/reference/data", nlif_root());
    const char *roots[] = {root};
    nlif_mc_store_find(roots, 1, name, NLIF_MC_STORE_CASE_FOLDER, dir, sizeof dir);
    snprintf(m->path, sizeof m->path, "%s/%s.json", dir, name);
    nlif_rf_table rate;
    char rate_path[4600];
    snprintf(rate_path, sizeof rate_path, "%s/%s_rate.csv", dir, name);
    nlif_judged_note(m->path);
    nlif_judged_note(rate_path);
    if (nlif_mc_store_read(cs, dir, &m->summary, &rate, why, len))
        return -1;
    snprintf(why, len, "out of memory");
    if (rate.nrow > (size_t)INT32_MAX) {
        nlif_rf_table_free(&rate);
        nlif_vd_free_mc(m);
        return -1;
    }
    m->nbins = (int)rate.nrow;
    m->t_mid = column(&rate, 0), m->mean = column(&rate, 1), m->se = column(&rate, 2);
    nlif_rf_table_free(&rate);
    if (!m->t_mid || !m->mean || !m->se) {
        nlif_vd_free_mc(m);
        return -1;
    }
    if (m->nbins > 1)
        m->bin = m->t_mid[1] - m->t_mid[0];
    return 0;
}

int nlif_vd_load_mc_mfe_times(const char *path, int k, double **t, int *r)
{
    *t = NULL, *r = 0;
    /* NAME_mfe.csv must carry the run id of NAME.json beside it (files of one Monte Carlo run) */
    char sum[4200];
    size_t pl = strlen(path);
    if (pl < 8 || strcmp(path + pl - 8, "_mfe.csv"))
        return -1;
    snprintf(sum, sizeof sum, "%.*s.json", (int)(pl - 8), path);
    nlif_judged_note(sum);
    nlif_judged_note(path);
    json_t *js = nlif_rf_json_read(sum, NULL);
    if (!js)
        return -1;
    nlif_rf_table tb;
    int bad = nlif_rf_mc_mfe_read(path, json_string_value(json_object_get(js, "run_id")), &tb, NULL);
    json_decref(js);
    if (bad)
        return -1;
    /* realisation (from 0), index (from 1), t, size */
    int n = (int)tb.nrow, rmax = 0, rc = -1;
    for (int i = 0; i < n; i++)
        rmax = tb.x[i * 4] + 1 > rmax ? (int)tb.x[i * 4] + 1 : rmax;
    double *out = n > 0 && k > 0 && rmax > 0 ? malloc(sizeof *out * (size_t)rmax * (size_t)k) : NULL;
    if (out) {
        for (size_t i = 0; i < (size_t)rmax * (size_t)k; i++)
            out[i] = NAN;
        for (int i = 0; i < n; i++) {
            int ri = (int)tb.x[i * 4], ki = (int)tb.x[i * 4 + 1];
            if (ki <= k)
                out[(size_t)ri * (size_t)k + (size_t)(ki - 1)] = tb.x[i * 4 + 2];
        }
        rc = 0;
        for (size_t i = 0; i < (size_t)rmax * (size_t)k; i++)
            if (!isfinite(out[i]))
                rc = -1; /* a realisation without one of the first k MFEs */
    }
    nlif_rf_table_free(&tb);
    if (rc)
        free(out);
    else
        *t = out, *r = rmax;
    return rc;
}

void nlif_vd_free_mc(mc_data *m)
{
    json_decref(m->summary);
    free(m->t_mid);
    free(m->mean);
    free(m->se);
    memset(m, 0, sizeof *m);
}

/* The exact jump of the case's initial data (after the kick for kick inputs):
 * Δ = inf{ s ≥ 0 : mass above V_F − b s < s } — for a kick the mass pushed over V_F counts. */
double nlif_vd_initial_jump(const nlif_case *cs, nlif_error *err)
{
    nlif_density d;
    if (nlif_density_init(&d, cs, err))
        return NAN;
    double shift = cs->input.type == NLIF_INPUT_KICK ? cs->input.kick : 0, b = cs->model.b;
    /* F(s) = mass above V_F − bs after the shift; Δ is the first s with F(s) < s. Scan then bisect. */
    double prev = 0, delta = NAN;
    const int n = 200000;
    for (int k = 1; k <= n; k++) {
        double s = (double)k / n;
        double f = 1 - nlif_density_cdf(&d, cs->model.v_f - b * s - shift);
        if (f < s) {
            double a = prev, c = s;
            for (int it = 0; it < 60; it++) {
                double mid = 0.5 * (a + c);
                if (1 - nlif_density_cdf(&d, cs->model.v_f - b * mid - shift) < mid)
                    c = mid;
                else
                    a = mid;
            }
            delta = 0.5 * (a + c);
            break;
        }
        prev = s;
    }
    if (isnan(delta))
        delta = 1; /* everything fires */
    nlif_density_free(&d);
    return delta;
}

double nlif_vd_initial_jump_time(const nlif_case *cs)
{
    return cs->input.type == NLIF_INPUT_KICK ? cs->input.t0 : 0.0;
}

/* The first row of the last snapshot (the last time) of kind v, and the number of its v rows. */
static size_t last_v_profile(const nlif_rf_table *t, size_t *n)
{
    *n = 0;
    size_t w = (size_t)t->ncol; /* 4, or 5 with population I's density_i (E's density is column 3) */
    if (!t->nrow)
        return 0;
    double tl = t->x[(t->nrow - 1) * w + 1];
    size_t first = t->nrow;
    for (size_t i = t->nrow; i-- > 0 && t->x[i * w + 1] == tl;)
        if (t->x[i * w] == 'v')
            first = i, (*n)++;
    return first;
}

/* L1 distance of two snapshot files' final v-profiles (same grid). */
double nlif_vd_profile_distance(const char *a, const char *b)
{
    nlif_rf_table ta, tb;
    nlif_judged_note(a);
    nlif_judged_note(b);
    if (nlif_rf_table_read(a, nlif_rf_snapshot_cols, &ta, NULL))
        return NAN;
    if (nlif_rf_table_read(b, nlif_rf_snapshot_cols, &tb, NULL)) {
        nlif_rf_table_free(&ta);
        return NAN;
    }
    size_t na, nb;
    size_t ia = last_v_profile(&ta, &na), ib = last_v_profile(&tb, &nb);
    double d = NAN;
    size_t wa = (size_t)ta.ncol, wb = (size_t)tb.ncol;
    if (na == nb && na >= 2) {
        double h = ta.x[(ia + 1) * wa + 2] - ta.x[ia * wa + 2];
        d = 0;
        for (size_t i = 0; i < na; i++)
            d += fabs(ta.x[(ia + i) * wa + 3] - tb.x[(ib + i) * wb + 3]) * h;
    }
    nlif_rf_table_free(&ta);
    nlif_rf_table_free(&tb);
    return d;
}
