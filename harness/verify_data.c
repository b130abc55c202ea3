/* verify_data.c — loaders and measures for `nlif verify`; see verify_data.h. */
#include "verify_data.h"

#include "../reference/nlif_density.h"
#include "nlif_cli.h"

#include <math.h>
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

/* Rows "x0,x1,...,x{ncols-1}" of f (ncols <= 8; lines starting with '#' and lines that are not ncols
 * numbers are skipped): the first three columns appended to out[0..2], grown geometrically from
 * cap0. Returns the number of rows, or -1 when out of memory. */
static int read_columns(FILE *f, int ncols, double *out[3], int cap0)
{
    char line[1024];
    int n = 0, cap = 0;
    while (fgets(line, sizeof line, f)) {
        double x[8];
        const char *c = line;
        int k = 0;
        if (line[0] == '#')
            continue;
        for (char *end; k < ncols; k++, c = end + 1) {
            x[k] = strtod(c, &end);
            if (end == c || (k < ncols - 1 && *end != ','))
                break;
        }
        if (k < ncols)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : cap0;
            for (int j = 0; j < 3; j++) {
                double *grown = realloc(out[j], cap * sizeof *grown);
                if (!grown)
                    return -1;
                out[j] = grown;
            }
        }
        for (int j = 0; j < 3; j++)
            out[j][n] = x[j];
        n++;
    }
    return n;
}

int nlif_vd_load_series(const char *path, series *s)
{
    memset(s, 0, sizeof *s);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    /* t, rate, fired, mass, min_density */
    double *out[3] = {NULL, NULL, NULL};
    s->n = read_columns(f, 5, out, 4096);
    fclose(f);
    s->t = out[0], s->rate = out[1], s->fired = out[2];
    return s->n > 1 ? 0 : -1;
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
    double m = 0, ss = 0;
    for (int i = 0; i < n; i++)
        m += r[i];
    m /= n;
    for (int i = 0; i < n; i++)
        ss += (r[i] - m) * (r[i] - m);
    return 3 * hypot(se_mc, sqrt(ss / (n - 1) / n));
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


int nlif_vd_load_mc(const char *name, mc_data *m)
{
    memset(m, 0, sizeof *m);
    snprintf(m->path, sizeof m->path, "%s/reference/data/%s/%s.json", nlif_root(), name, name);
    m->summary = nlif_vd_load_json(m->path);
    if (!m->summary)
        return -1;
    char path[600];
    snprintf(path, sizeof path, "%s/reference/data/%s/%s_rate.csv", nlif_root(), name, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    /* t, rate_mean, rate_se, cum_t, cum_mean, cum_se */
    double *out[3] = {NULL, NULL, NULL};
    m->nbins = read_columns(f, 6, out, 1024);
    fclose(f);
    m->t_mid = out[0], m->mean = out[1], m->se = out[2];
    if (m->nbins < 0)
        return -1;
    if (m->nbins > 1)
        m->bin = m->t_mid[1] - m->t_mid[0];
    return 0;
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

/* L1 distance of two snapshot files' final v-profiles (same grid). */
double nlif_vd_profile_distance(const char *a, const char *b)
{
    FILE *fa = fopen(a, "r"), *fb = fopen(b, "r");
    if (!fa || !fb) {
        if (fa)
            fclose(fa);
        if (fb)
            fclose(fb);
        return NAN;
    }
    /* keep the rows of the last snapshot time in each file */
    static double xa[200000], pa[200000], pb[200000];
    double ta = -1, tb = -1;
    int na = 0, nb = 0;
    char line[512], kind[8];
    double t, x, p;
    while (fgets(line, sizeof line, fa))
        if (sscanf(line, "%1[v],%lf,%lf,%lf", kind, &t, &x, &p) == 4 && na < 200000) {
            if (t != ta)
                na = 0, ta = t;
            xa[na] = x, pa[na++] = p;
        }
    while (fgets(line, sizeof line, fb))
        if (sscanf(line, "%1[v],%lf,%lf,%lf", kind, &t, &x, &p) == 4 && nb < 200000) {
            if (t != tb)
                nb = 0, tb = t;
            pb[nb++] = p;
        }
    fclose(fa);
    fclose(fb);
    if (na != nb || na < 2)
        return NAN;
    (void)x;
    double d = 0, h = xa[1] - xa[0];
    for (int i = 0; i < na; i++)
        d += fabs(pa[i] - pb[i]) * h;
    return d;
}

