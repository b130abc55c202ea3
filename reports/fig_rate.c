/* fig_rate.c — per case, N(t) of every scheme over the Monte Carlo mean ± 3 SE (MATHEMATICS.md §6: the
 * band of the rate_mc check) or the exact stationary rate; a case with MFEs gets a log panel above a
 * clipped linear one. */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Write (t, rate) decimated to at most ~8000 points, keeping each bucket's minimum and maximum so
 * that MFE peaks survive. Appends every value to vals (for the clipping quantile). */
static int write_series(FILE *f, const nlif_rf_table *t, int ct, int cr, double *vals, size_t *nv, double *vmax)
{
    size_t n = t->nrow, bucket = n > 8000 ? (n + 3999) / 4000 : 1;
    for (size_t i = 0; i < n; i += bucket) {
        size_t e = i + bucket < n ? i + bucket : n, imin = i, imax = i;
        for (size_t k = i; k < e; k++) {
            double v = t->x[k * t->ncol + cr];
            if (v < t->x[imin * t->ncol + cr])
                imin = k;
            if (v > t->x[imax * t->ncol + cr])
                imax = k;
        }
        size_t a = imin < imax ? imin : imax, b = imin < imax ? imax : imin;
        for (int q = 0; q < (a == b ? 1 : 2); q++) {
            size_t k = q ? b : a;
            double tv = t->x[k * t->ncol + ct], rv = t->x[k * t->ncol + cr];
            if (!isfinite(tv) || !isfinite(rv))
                continue;
            fprintf(f, "%.10g %.10g\n", tv, rv);
            vals[(*nv)++] = rv;
            if (rv > *vmax)
                *vmax = rv;
        }
    }
    return 0;
}

/* The values drawn (for the clipping quantile) and their maximum. */
typedef struct rate_vals {
    double *v;
    size_t cap, n;
    double max;
} rate_vals;

/* The reference layers: the Monte Carlo mean ± 3 SE, and the exact stationary rate where the case
 * has one (a sentence says which, or that there is none). 1 if the Monte Carlo band was drawn. */
static int reference_layer(rp_report *r, int ci, rp_figure *f, rp_sb *plot, int *first, rate_vals *v)
{
    const char *cs = r->cases[ci];
    const rp_mc *m = &r->mc[ci];
    int layers = 0;
    char name[300];
    /* Monte Carlo band */
    nlif_rf_table t;
    if (m->have && m->rate_csv[0] && nlif_rf_table_read(m->rate_csv, nlif_rf_mc_rate_cols, &t, NULL) == 0) {
        int ct = nlif_rf_col(&t, "t"), cm = nlif_rf_col(&t, "rate_mean"), cse = nlif_rf_col(&t, "rate_se");
        snprintf(name, sizeof name, "%s.mc.dat", f->stem);
        FILE *d = ct >= 0 && cm >= 0 && cse >= 0 ? rp_dat_open(r, name) : NULL;
        if (d) {
            double *nvals = realloc(v->v, (v->cap + t.nrow) * sizeof *v->v);
            if (nvals) {
                v->v = nvals;
                v->cap += t.nrow;
                fprintf(d, "# t  mean-3SE  mean+3SE  mean   (Monte Carlo, %s)\n", m->rate_csv);
                for (size_t i = 0; i < t.nrow; i++) {
                    double tt = t.x[i * t.ncol + ct], mu = t.x[i * t.ncol + cm], se = t.x[i * t.ncol + cse];
                    /* the band's floor kept positive: the log panel of an MFE case draws it too */
                    fprintf(d, "%.10g %.10g %.10g %.10g\n", tt, fmax(mu - 3 * se, 1e-300), mu + 3 * se, mu);
                    v->v[v->n++] = mu;
                    if (mu > v->max)
                        v->max = mu;
                }
            }
            fclose(d);
            rp_plot_sep(plot, first);
            rp_gp_quote(plot, name);
            rp_sb_add(plot, " using 1:2:3 with filledcurves fc rgb '#c8c8c8' title 'MC mean ± 3 SE', '' "
                             "using 1:4 with lines lc rgb '#555555' dt 2 title 'MC mean'");
            layers = 1;
            char desc[600];
            snprintf(desc, sizeof desc, "Grey: Monte Carlo mean ± 3 SE (%lld particles, %lld realisations; %s).",
                     (long long)json_integer_value(json_object_get(m->sum, "particles")),
                     (long long)json_integer_value(json_object_get(m->sum, "realisations")), m->dir);
            rp_caption_add(f, "%s ", desc, NULL);
        } else {
            rp_caption_add(f, "Monte Carlo series %s has no columns t, rate_mean, rate_se: band absent. ", m->rate_csv,
                        NULL);
            rp_note_add(r, cs, "Monte Carlo series %s lacks the columns t, rate_mean, rate_se: no band in N(t).",
                        m->rate_csv);
        }
        nlif_rf_table_free(&t);
    }
    /* the exact stationary rate, whenever the case's verdicts were judged against one (with or
     * without the Monte Carlo band: the band is the transient, the line where it must end) */
    double ex = rp_exact_rate(r, cs);
    if (isfinite(ex)) {
        rp_plot_sep(plot, first);
        rp_sb_printf(plot, "%.17g with lines lc rgb '#000000' dt 4 lw 1.5 title 'exact stationary rate %.6g'", ex,
                     ex);
        rp_caption_add(f, "%s ", "Black dash-dotted: the exact stationary rate the stationary_rate check judges against "
                                 "(MATHEMATICS.md 2).", NULL);
    }
    if (!layers) {
        char sent[600];
        snprintf(sent, sizeof sent, "No Monte Carlo N(t) data for %s: N(t) is drawn %s.", cs,
                 isfinite(ex) ? "over the exact stationary rate alone" : "without a reference layer (no exact stationary "
                                                                        "rate either)");
        rp_caption_add(f, "%s ", sent, NULL);
        rp_note_add(r, cs, "%s", sent);
    }
    return layers;
}

/* One curve per scheme that has a series; the number drawn. */
static int scheme_layers(rp_report *r, const char *cs, rp_figure *f, rp_sb *plot, int *first, rate_vals *v)
{
    int layers = 0;
    char name[300];
    nlif_rf_table t;
    /* every scheme */
    for (int s = 0; s < r->n_schemes; s++) {
        const rp_run *run = rp_find_run(r, cs, r->schemes[s]);
        if (!run || !run->series[0] || nlif_rf_table_read(run->series, nlif_rf_series_cols, &t, NULL))
            continue;
        int ct = nlif_rf_col(&t, "t"), cr = nlif_rf_col(&t, "rate");
        char safe[64];
        rp_safe_name(safe, sizeof safe, r->schemes[s]);
        snprintf(name, sizeof name, "%s.%s.dat", f->stem, safe);
        FILE *d = ct >= 0 && cr >= 0 && t.nrow ? rp_dat_open(r, name) : NULL;
        double *nvals = d ? realloc(v->v, (v->cap + 2 * t.nrow + 2) * sizeof *v->v) : NULL;
        if (d && nvals) {
            v->v = nvals;
            v->cap += 2 * t.nrow + 2;
            fprintf(d, "# t N   (%s on %s, %s)\n", r->schemes[s], cs, run->series);
            write_series(d, &t, ct, cr, v->v, &v->n, &v->max);
            rp_plot_sep(plot, first);
            rp_gp_quote(plot, name);
            rp_sb_printf(plot, " using 1:2 with lines lw 0.8 dt %s lc rgb '%s' title ", rp_style_of(r->schemes[s]).dash,
                         rp_style_of(r->schemes[s]).colour);
            rp_gp_quote(plot, r->schemes[s]);
            layers++;
            const char *st = run->sum ? json_string_value(json_object_get(run->sum, "status")) : NULL;
            if (st && strcmp(st, "ok")) {
                char msg[300];
                snprintf(msg, sizeof msg, "%s stopped with status %s at t = %.4g. ", r->schemes[s], st,
                         json_number_value(json_object_get(run->sum, "stop_time")));
                rp_caption_add(f, "%s", msg, NULL);
            }
        }
        if (d)
            fclose(d);
        nlif_rf_table_free(&t);
    }
    return layers;
}

/* The y axis: linear from 0, or (when MFE peaks tower over the rest) a log panel above a clipped
 * linear one; 1 for two panels (the body is then inside a multiplot). */
static int rate_axes(rp_figure *f, rp_sb *body, const rp_sb *plot, rate_vals *v)
{
    /* MFE peaks would flatten everything else: a first panel on a log scale shows the peaks and the
     * dynamics between them at once, a second one is linear, clipped at twice three times the upper quartile (the
     * peaks are a few samples: the quartile is the calm dynamics). The key goes under both panels at
     * fixed screen positions, so that it takes no height from either. */
    int two = 0;
    if (v->n > 10) {
        qsort(v->v, v->n, sizeof *v->v, rp_cmp_double);
        double q99 = v->v[(size_t)(0.99 * (v->n - 1))], q75 = v->v[(size_t)(0.75 * (v->n - 1))],
               q01 = v->v[(size_t)(0.01 * (v->n - 1))];
        if (q99 > 0 && v->max > 5 * q99) {
            two = 1;
            double lo = fmax(q01 > 0 ? q01 / 3 : q75 * 1e-3, v->max * 1e-8), clip = 3 * (q75 > 0 ? q75 : q99);
            double step = pow(10, floor(log10(clip / 2))); /* 2 to 4 linear ticks */
            if (clip / step > 4)
                step *= clip / step > 8 ? 5 : 2;
            rp_sb_add(body, "set multiplot\nset lmargin at screen 0.21\nset rmargin at screen 0.96\n"
                             "set tmargin at screen 0.93\nset bmargin at screen 0.62\nset logscale y\n");
            rp_sb_printf(body, "set yrange [%.6g:%.6g]\nunset key\nunset xlabel\nset ylabel 'N(t), log scale' offset 1,0\n"
                                "set format y '%%g'\n%s",
                         lo, v->max * 2, log10(v->max * 2 / lo) > 4 ? "set ytics 100\n" : "");
            rp_sb_add(body, plot->s);
            rp_sb_printf(body, "\nunset logscale y\nunset title\nset tmargin at screen 0.56\nset bmargin at screen 0.33\n"
                                "set key at screen 0.55,0.01 center bottom horizontal maxcols 2 font ',7' samplen 2\n"
                                "set xlabel 't' offset 0,0.5\nset ylabel 'N(t), clipped' offset -1.5,0\nset yrange [0:%.6g]\nset ytics %.6g\n",
                         clip, step);
            char msg[300];
            snprintf(msg, sizeof msg, "Top: log scale, every peak (up to N = %.3g) and the dynamics between MFEs; "
                     "bottom: linear, clipped at N = %.3g (three times the upper quartile). ", v->max, clip);
            rp_caption_add(f, "%s", msg, NULL);
        } else {
            rp_sb_add(body, "set yrange [0:*]\n");
        }
    }
    return two;
}

void rp_fig_rate(rp_report *r, int ci)
{
    const char *cs = r->cases[ci];
    rp_figure *f = rp_fig_new(r, "rate", cs);
    if (!f)
        return;
    snprintf(f->title, sizeof f->title, "N(t) — %s", cs);
    rp_sb body = {0};
    rp_sb_add(&body, "set xlabel 't'\nset ylabel 'N(t)'\n" RP_GRID "set key below horizontal maxcols 2 font ',7' samplen 2\n");
    rp_sb plot = {0};
    int first = 1;
    rate_vals v = {0};
    int layers = reference_layer(r, ci, f, &plot, &first, &v);
    layers += scheme_layers(r, cs, f, &plot, &first, &v);
    if (!layers) {
        rp_note_add(r, cs, "No N(t) data (neither a scheme run nor Monte Carlo) for %s: no N(t) figure.", cs);
        r->n_figs--;
        r->fig_counter--;
        free(v.v);
        rp_sb_free(&body);
        rp_sb_free(&plot);
        return;
    }
    int two = rate_axes(f, &body, &plot, &v);
    free(v.v);
    rp_sb_add(&body, plot.s);
    rp_sb_add(&body, "\n");
    if (two)
        rp_sb_add(&body, "unset multiplot\n");
    rp_sb_free(&plot);
    rp_caption_add(f, "Each scheme has its own colour (Okabe–Ito) and dash (the key), so coinciding curves stay "
                   "visible. ", NULL, NULL);
    rp_fig_draw(r, f, &body, RP_COLUMN_IN, two ? 4.8 : 3.0);
    rp_sb_free(&body);
}
