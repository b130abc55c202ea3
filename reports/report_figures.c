/* report_figures.c — the figures of the report, drawn by gnuplot from data files written here.
 *
 * Each figure is fig/STEM.gp plus its data files fig/STEM*.dat; the script draws STEM.png and (unless
 * --no-pdf) STEM.pdf, so `cd reports/out/fig && gnuplot STEM.gp` redraws it. Case and scheme names
 * enter the scripts only as gnuplot string literals (quotes doubled) and file names only in a
 * sanitised form; gnuplot is run by fork/exec, never through a shell.
 *
 * Figures: per case, N(t) of every scheme over the Monte Carlo mean ± 3 SE (MATHEMATICS.md §6: the band of
 * the rate_mc check) or the exact stationary rate; density snapshots over Monte Carlo histograms; the
 * MFE raster (times and sizes) against Monte Carlo 95% intervals; per convergence study the log–log
 * error against h with fitted and expected slopes; per case the work–precision diagram; and the
 * verdict matrix.
 */
#include "report_internal.h"
#include "../core/nlif_fit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *scheme_color(const char *s)
{
    static const struct { const char *name, *color; } tab[] = {
        {"spap", "#1f77b4"}, {"multiscale", "#2ca02c"}, {"dilated", "#d62728"}, {"cvode", "#9467bd"},
        {"explicit", "#ff7f0e"}, {"mc", "#555555"}, {NULL, NULL}};
    static const char *const other[] = {"#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
    for (int i = 0; tab[i].name; i++)
        if (!strcmp(tab[i].name, s))
            return tab[i].color;
    unsigned h = 0;
    for (; *s; s++)
        h = h * 31 + (unsigned char)*s;
    return other[h % 5];
}

/* A dash pattern per scheme, so that two curves that coincide (dilated and multiscale between MFEs)
 * both stay visible. */
static int scheme_dash(const char *s)
{
    static const char *const order[] = {"dilated", "multiscale", "spap", "cvode", "explicit", NULL};
    for (int i = 0; order[i]; i++)
        if (!strcmp(order[i], s))
            return i + 1;
    return 1;
}

static rp_figure *fig_new(rp_report *r, const char *kind, const char *case_name)
{
    if (r->n_figs == r->cap_figs) {
        int cap = r->cap_figs ? 2 * r->cap_figs : 32;
        rp_figure *p = realloc(r->figs, (size_t)cap * sizeof *p);
        if (!p)
            return NULL;
        r->figs = p;
        r->cap_figs = cap;
    }
    rp_figure *f = &r->figs[r->n_figs++];
    memset(f, 0, sizeof *f);
    char safe[128];
    rp_safe_name(safe, sizeof safe, case_name ? case_name : "all");
    snprintf(f->stem, sizeof f->stem, "f%03d_%s_%s", ++r->fig_counter, kind, safe);
    snprintf(f->case_name, sizeof f->case_name, "%s", case_name ? case_name : "");
    return f;
}

static FILE *dat_open(const rp_report *r, const char *name)
{
    char p[2 * RP_PATH];
    snprintf(p, sizeof p, "%s/%s", r->fig_dir, name);
    return fopen(p, "w");
}

/* Print sizes: one journal column (3.4 in) or the full text width (7 in); text 8 pt at print size
 * (≥ 7 pt after a journal's own scaling to the column). The PNG is the same figure at 150 dpi: the
 * cairo terminals size fonts at 72 dpi, so fontscale 150/72 keeps 8 pt at print size. Labels are
 * UTF-8 (Δv, N(t), t*, ‖·‖₁) with enhanced text off, so that case names keep their underscores. */
#define RP_COLUMN_IN 3.4
#define RP_FULL_IN 7.0
#define RP_PNG_DPI 150

/* Write fig/STEM.gp drawing BODY to PNG and PDF at W × H inches, run it, record success or a note. */
static void fig_draw(rp_report *r, rp_figure *f, const rp_sb *body, double w, double h)
{
    rp_sb s = {0};
    rp_sb_printf(&s, "# %s.gp — ", f->stem);
    rp_sb_add(&s, f->title);
    rp_sb_printf(&s, "\n# written by nlif report; redraw with: gnuplot %s.gp (in this directory)\n", f->stem);
    rp_sb_printf(&s, "# print size %.2f in x %.2f in (%s), text 8 pt\n", w, h, w > RP_COLUMN_IN + 0.01 ? "full width" : "one column");
    rp_sb_add(&s, "set encoding utf8\n");
    if (r->png_term[0]) {
        rp_sb_printf(&s, "set terminal %s size %d,%d noenhanced font 'Sans,8'%s\n", r->png_term,
                     (int)lround(w * RP_PNG_DPI), (int)lround(h * RP_PNG_DPI),
                     strcmp(r->png_term, "pngcairo") ? "" : " fontscale 2.08 linewidth 2.08");
        rp_sb_printf(&s, "set output '%s.png'\n", f->stem);
        rp_sb_add(&s, body->s ? body->s : "");
        rp_sb_add(&s, "unset output\n");
    }
    if (r->pdf_term[0]) {
        rp_sb_printf(&s, "set terminal %s size %.2fin,%.2fin noenhanced font 'Sans,8'\n", r->pdf_term, w, h);
        rp_sb_printf(&s, "set output '%s.pdf'\n", f->stem);
        rp_sb_add(&s, body->s ? body->s : "");
        rp_sb_add(&s, "unset output\n");
    }
    char p[2 * RP_PATH];
    snprintf(p, sizeof p, "%s/%s.gp", r->fig_dir, f->stem);
    nlif_error e = {0};
    if (s.oom || rp_write_text(p, s.s, s.n, &e)) {
        rp_note_add(r, f->case_name, "Figure %s could not be written: %s", f->stem, s.oom ? "out of memory" : e.msg);
        rp_sb_free(&s);
        return;
    }
    rp_sb_free(&s);
    if (!r->png_term[0]) {
        rp_note_add(r, f->case_name, "Figure '%s' was not drawn: gnuplot (with a png or pngcairo terminal) is not "
                                     "available; its script is fig/%s.gp.", f->title, f->stem);
        return;
    }
    char why[1200];
    if (rp_gnuplot_run(r, f->stem, why, sizeof why)) {
        rp_note_add(r, f->case_name, "Figure '%s' failed: %s", f->title, why);
        return;
    }
    snprintf(p, sizeof p, "%s/%s.png", r->fig_dir, f->stem);
    f->ok = rp_exists(p);
    if (!f->ok)
        rp_note_add(r, f->case_name, "Figure '%s': gnuplot produced no PNG.", f->title);
}

static void plot_sep(rp_sb *b, int *first)
{
    rp_sb_add(b, *first ? "plot " : ", \\\n     ");
    *first = 0;
}

static void caption_add(rp_figure *f, const char *fmt, const char *a, const char *b)
{
    size_t n = strlen(f->caption);
    snprintf(f->caption + n, sizeof f->caption - n, fmt, a ? a : "", b ? b : "");
}

/* ---- N(t) ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

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

static void fig_rate(rp_report *r, int ci)
{
    const char *cs = r->cases[ci];
    const rp_mc *m = &r->mc[ci];
    rp_figure *f = fig_new(r, "rate", cs);
    if (!f)
        return;
    snprintf(f->title, sizeof f->title, "N(t) — %s", cs);
    rp_sb body = {0};
    rp_sb_add(&body, "set title ");
    rp_gp_quote(&body, f->title);
    rp_sb_add(&body, "\nset xlabel 't'\nset ylabel 'N(t)'\nset grid\nset key below horizontal maxcols 2 font ',7' samplen 2\n");
    rp_sb plot = {0};
    int first = 1, layers = 0;
    size_t cap = 0, nv = 0;
    double *vals = NULL, vmax = 0;
    char name[300];
    /* Monte Carlo band */
    nlif_rf_table t;
    if (m->have && m->rate_csv[0] && nlif_rf_table_read(m->rate_csv, nlif_rf_mc_rate_cols, &t, NULL) == 0) {
        int ct = nlif_rf_col(&t, "t"), cm = nlif_rf_col(&t, "rate_mean"), cse = nlif_rf_col(&t, "rate_se");
        snprintf(name, sizeof name, "%s.mc.dat", f->stem);
        FILE *d = ct >= 0 && cm >= 0 && cse >= 0 ? dat_open(r, name) : NULL;
        if (d) {
            double *nvals = realloc(vals, (cap + t.nrow) * sizeof *vals);
            if (nvals) {
                vals = nvals;
                cap += t.nrow;
                fprintf(d, "# t  mean-3SE  mean+3SE  mean   (Monte Carlo, %s)\n", m->rate_csv);
                for (size_t i = 0; i < t.nrow; i++) {
                    double tt = t.x[i * t.ncol + ct], mu = t.x[i * t.ncol + cm], se = t.x[i * t.ncol + cse];
                    /* the band's floor kept positive: the log panel of an MFE case draws it too */
                    fprintf(d, "%.10g %.10g %.10g %.10g\n", tt, fmax(mu - 3 * se, 1e-300), mu + 3 * se, mu);
                    vals[nv++] = mu;
                    if (mu > vmax)
                        vmax = mu;
                }
            }
            fclose(d);
            plot_sep(&plot, &first);
            rp_gp_quote(&plot, name);
            rp_sb_add(&plot, " using 1:2:3 with filledcurves fc rgb '#c8c8c8' title 'MC mean ± 3 SE', '' "
                             "using 1:4 with lines lc rgb '#555555' dt 2 title 'MC mean'");
            layers++;
            char desc[600];
            snprintf(desc, sizeof desc, "Grey: Monte Carlo mean ± 3 SE (%lld particles, %lld realisations; %s).",
                     (long long)json_integer_value(json_object_get(m->sum, "particles")),
                     (long long)json_integer_value(json_object_get(m->sum, "realisations")), m->dir);
            caption_add(f, "%s ", desc, NULL);
        } else {
            caption_add(f, "Monte Carlo series %s has no columns t, rate_mean, rate_se: band absent. ", m->rate_csv,
                        NULL);
            rp_note_add(r, cs, "Monte Carlo series %s lacks the columns t, rate_mean, rate_se: no band in N(t).",
                        m->rate_csv);
        }
        nlif_rf_table_free(&t);
    } else {
        double ex = rp_exact_rate(r, cs);
        char sent[600];
        if (isfinite(ex)) {
            snprintf(sent, sizeof sent, "No Monte Carlo N(t) data for %s: N(t) is drawn over the exact stationary "
                     "rate %.6g instead.", cs, ex);
            plot_sep(&plot, &first);
            rp_sb_printf(&plot, "%.17g with lines lc rgb '#000000' dt 3 lw 1.5 title 'exact stationary rate %.6g'",
                         ex, ex);
        } else {
            snprintf(sent, sizeof sent, "No Monte Carlo N(t) data and no exact stationary rate for %s: N(t) is "
                     "drawn without a reference layer.", cs);
        }
        caption_add(f, "%s ", sent, NULL);
        rp_note_add(r, cs, "%s", sent);
    }
    /* every scheme */
    for (int s = 0; s < r->n_schemes; s++) {
        const rp_run *run = rp_find_run(r, cs, r->schemes[s]);
        if (!run || !run->series[0] || nlif_rf_table_read(run->series, nlif_rf_series_cols, &t, NULL))
            continue;
        int ct = nlif_rf_col(&t, "t"), cr = nlif_rf_col(&t, "rate");
        char safe[64];
        rp_safe_name(safe, sizeof safe, r->schemes[s]);
        snprintf(name, sizeof name, "%s.%s.dat", f->stem, safe);
        FILE *d = ct >= 0 && cr >= 0 && t.nrow ? dat_open(r, name) : NULL;
        double *nvals = d ? realloc(vals, (cap + 2 * t.nrow + 2) * sizeof *vals) : NULL;
        if (d && nvals) {
            vals = nvals;
            cap += 2 * t.nrow + 2;
            fprintf(d, "# t N   (%s on %s, %s)\n", r->schemes[s], cs, run->series);
            write_series(d, &t, ct, cr, vals, &nv, &vmax);
            plot_sep(&plot, &first);
            rp_gp_quote(&plot, name);
            rp_sb_printf(&plot, " using 1:2 with lines lw 0.8 dt %d lc rgb '%s' title ", scheme_dash(r->schemes[s]),
                         scheme_color(r->schemes[s]));
            rp_gp_quote(&plot, r->schemes[s]);
            layers++;
            const char *st = run->sum ? json_string_value(json_object_get(run->sum, "status")) : NULL;
            if (st && strcmp(st, "ok")) {
                char msg[300];
                snprintf(msg, sizeof msg, "%s stopped with status %s at t = %.4g. ", r->schemes[s], st,
                         json_number_value(json_object_get(run->sum, "stop_time")));
                caption_add(f, "%s", msg, NULL);
            }
        }
        if (d)
            fclose(d);
        nlif_rf_table_free(&t);
    }
    if (!layers) {
        rp_note_add(r, cs, "No N(t) data (neither a scheme run nor Monte Carlo) for %s: no N(t) figure.", cs);
        r->n_figs--;
        r->fig_counter--;
        free(vals);
        rp_sb_free(&body);
        rp_sb_free(&plot);
        return;
    }
    /* MFE peaks would flatten everything else: a first panel on a log scale shows the peaks and the
     * dynamics between them at once, a second one is linear, clipped at twice three times the upper quartile (the
     * peaks are a few samples: the quartile is the calm dynamics). The key goes under both panels at
     * fixed screen positions, so that it takes no height from either. */
    int two = 0;
    if (nv > 10) {
        qsort(vals, nv, sizeof *vals, cmp_double);
        double q99 = vals[(size_t)(0.99 * (nv - 1))], q75 = vals[(size_t)(0.75 * (nv - 1))],
               q01 = vals[(size_t)(0.01 * (nv - 1))];
        if (q99 > 0 && vmax > 5 * q99) {
            two = 1;
            double lo = fmax(q01 > 0 ? q01 / 3 : q75 * 1e-3, vmax * 1e-8), clip = 3 * (q75 > 0 ? q75 : q99);
            double step = pow(10, floor(log10(clip / 2))); /* 2 to 4 linear ticks */
            if (clip / step > 4)
                step *= clip / step > 8 ? 5 : 2;
            rp_sb_add(&body, "set multiplot\nset lmargin at screen 0.21\nset rmargin at screen 0.96\n"
                             "set tmargin at screen 0.93\nset bmargin at screen 0.62\nset logscale y\n");
            rp_sb_printf(&body, "set yrange [%.6g:%.6g]\nunset key\nunset xlabel\nset ylabel 'N(t), log scale' offset 1,0\n"
                                "set format y '%%g'\n%s",
                         lo, vmax * 2, log10(vmax * 2 / lo) > 4 ? "set ytics 100\n" : "");
            rp_sb_add(&body, plot.s);
            rp_sb_printf(&body, "\nunset logscale y\nunset title\nset tmargin at screen 0.56\nset bmargin at screen 0.33\n"
                                "set key at screen 0.55,0.01 center bottom horizontal maxcols 2 font ',7' samplen 2\n"
                                "set xlabel 't' offset 0,0.5\nset ylabel 'N(t), clipped' offset -1.5,0\nset yrange [0:%.6g]\nset ytics %.6g\n",
                         clip, step);
            char msg[300];
            snprintf(msg, sizeof msg, "Top: log scale, every peak (up to N = %.3g) and the dynamics between MFEs; "
                     "bottom: linear, clipped at N = %.3g (three times the upper quartile). ", vmax, clip);
            caption_add(f, "%s", msg, NULL);
        } else {
            rp_sb_add(&body, "set yrange [0:*]\n");
        }
    }
    free(vals);
    rp_sb_add(&body, plot.s);
    rp_sb_add(&body, "\n");
    if (two)
        rp_sb_add(&body, "unset multiplot\n");
    rp_sb_free(&plot);
    caption_add(f, "Line styles differ by scheme (solid dilated, dashed multiscale, ...), so coinciding curves stay "
                   "visible. ", NULL, NULL);
    fig_draw(r, f, &body, RP_COLUMN_IN, two ? 4.8 : 3.0);
    rp_sb_free(&body);
}

/* ---- density snapshots ---- */

#define RP_MAX_PANELS 6

static int time_index(const double *ts, int n, double t)
{
    for (int i = 0; i < n; i++)
        if (fabs(ts[i] - t) <= 1e-9 * fmax(1, fabs(t)))
            return i;
    return -1;
}

static void fig_snapshots(rp_report *r, int ci)
{
    const char *cs = r->cases[ci];
    const rp_mc *m = &r->mc[ci];
    double ts[64];
    int nt = 0, any_w = 0;
    nlif_rf_table tabs[16];
    int have[16] = {0};
    const char *sch[16];
    int ns = 0;
    for (int s = 0; s < r->n_schemes && ns < 16; s++) {
        const rp_run *run = rp_find_run(r, cs, r->schemes[s]);
        if (!run || !run->snapshots[0] || nlif_rf_table_read(run->snapshots, nlif_rf_snapshot_cols, &tabs[ns], NULL))
            continue;
        if (nlif_rf_col(&tabs[ns], "t") < 0 || nlif_rf_col(&tabs[ns], "x") < 0 || nlif_rf_col(&tabs[ns], "density") < 0) {
            nlif_rf_table_free(&tabs[ns]);
            continue;
        }
        have[ns] = 1;
        sch[ns] = r->schemes[s];
        int ct = nlif_rf_col(&tabs[ns], "t"), ck = nlif_rf_col(&tabs[ns], "kind");
        for (size_t i = 0; i < tabs[ns].nrow; i++) {
            double t = tabs[ns].x[i * tabs[ns].ncol + ct];
            if (ck >= 0 && tabs[ns].x[i * tabs[ns].ncol + ck] == 'w') {
                any_w = 1;
                continue;
            }
            if (time_index(ts, nt, t) < 0 && nt < 64)
                ts[nt++] = t;
        }
        ns++;
    }
    for (int k = 0; k < m->n_snap; k++)
        if (time_index(ts, nt, m->snap_t[k]) < 0 && nt < 64)
            ts[nt++] = m->snap_t[k];
    if (!nt) {
        rp_note_add(r, cs, "No density snapshots (no scheme snapshot file, no Monte Carlo histogram) for %s.", cs);
        goto out;
    }
    qsort(ts, (size_t)nt, sizeof *ts, cmp_double);
    rp_figure *f = fig_new(r, "density", cs);
    if (!f)
        goto out;
    snprintf(f->title, sizeof f->title, "density snapshots — %s", cs);
    if (nt > RP_MAX_PANELS) {
        char msg[200];
        snprintf(msg, sizeof msg, "Only the first %d of %d snapshot times are drawn. ", RP_MAX_PANELS, nt);
        caption_add(f, "%s", msg, NULL);
        nt = RP_MAX_PANELS;
    }
    int cols = nt < 3 ? nt : 3, rows = (nt + cols - 1) / cols;
    rp_sb body = {0};
    rp_sb_printf(&body, "set multiplot layout %d,%d title ", rows, cols);
    rp_gp_quote(&body, f->title);
    rp_sb_add(&body, "\nset grid\nset xlabel 'v'\nset ylabel 'p(v, t)'\nset key top left reverse Left samplen 1.5 font ',7'\n"
                     "set offsets 0, 0, graph 0.45, 0\n" /* room above the profile for the key */
                     "set style fill solid 0.4 noborder\n");
    int mc_missing = 0;
    char name[300];
    for (int k = 0; k < nt; k++) {
        rp_sb plot = {0};
        int first = 1;
        rp_sb_printf(&body, "set title 't = %.6g'\n", ts[k]);
        int mk = time_index(m->snap_t, m->n_snap, ts[k]);
        nlif_rf_table h;
        if (mk >= 0 && nlif_rf_table_read(m->snap_csv[mk], nlif_rf_mc_snap_cols, &h, NULL) == 0) {
            int lo = nlif_rf_col(&h, "v_lo"), hi = nlif_rf_col(&h, "v_hi"), de = nlif_rf_col(&h, "density");
            snprintf(name, sizeof name, "%s_%d.mc.dat", f->stem, k + 1);
            FILE *d = lo >= 0 && hi >= 0 && de >= 0 ? dat_open(r, name) : NULL;
            if (d) {
                fprintf(d, "# v_lo v_hi density   (Monte Carlo histogram, %s)\n", m->snap_csv[mk]);
                for (size_t i = 0; i < h.nrow; i++)
                    fprintf(d, "%.10g %.10g %.10g\n", h.x[i * h.ncol + lo], h.x[i * h.ncol + hi], h.x[i * h.ncol + de]);
                fclose(d);
                plot_sep(&plot, &first);
                rp_gp_quote(&plot, name);
                rp_sb_add(&plot, " using (($1+$2)/2):3:($2-$1) with boxes fc rgb '#a0a0a0' title 'Monte Carlo'");
            }
            nlif_rf_table_free(&h);
        } else {
            mc_missing++;
        }
        for (int s = 0; s < ns; s++) {
            if (!have[s])
                continue;
            nlif_rf_table *tb = &tabs[s];
            int ct = nlif_rf_col(tb, "t"), cx = nlif_rf_col(tb, "x"), cd = nlif_rf_col(tb, "density"),
                ck = nlif_rf_col(tb, "kind");
            char safe[64];
            rp_safe_name(safe, sizeof safe, sch[s]);
            snprintf(name, sizeof name, "%s_%d.%s.dat", f->stem, k + 1, safe);
            FILE *d = NULL;
            for (size_t i = 0; i < tb->nrow; i++) {
                const double *row = tb->x + i * tb->ncol;
                if ((ck >= 0 && row[ck] == 'w') || fabs(row[ct] - ts[k]) > 1e-9 * fmax(1, fabs(ts[k])))
                    continue;
                if (!d && !(d = dat_open(r, name)))
                    break;
                fprintf(d, "%.10g %.10g\n", row[cx], row[cd]);
            }
            if (!d)
                continue;
            fclose(d);
            plot_sep(&plot, &first);
            rp_gp_quote(&plot, name);
            rp_sb_printf(&plot, " using 1:2 with lines lw 1 dt %d lc rgb '%s' title ", scheme_dash(sch[s]),
                         scheme_color(sch[s]));
            rp_gp_quote(&plot, sch[s]);
            /* point masses: the '# atom t v mass' lines, as the reader parsed them */
            FILE *a = NULL;
            snprintf(name, sizeof name, "%s_%d.%s.atoms.dat", f->stem, k + 1, safe);
            for (int q = 0; q < tb->n_atoms; q++) {
                const nlif_rf_atom *at = &tb->atoms[q];
                if (fabs(at->t - ts[k]) <= 1e-9 * fmax(1, fabs(ts[k]))) {
                    if (!a && !(a = dat_open(r, name)))
                        break;
                    fprintf(a, "%.10g %.10g\n", at->v, at->mass);
                }
            }
            if (a) {
                fclose(a);
                plot_sep(&plot, &first);
                rp_gp_quote(&plot, name);
                rp_sb_printf(&plot, " using 1:2 with impulses lw 3 lc rgb '%s' title ", scheme_color(sch[s]));
                char t2[200];
                snprintf(t2, sizeof t2, "%s point mass (height = mass)", sch[s]);
                rp_gp_quote(&plot, t2);
            }
        }
        if (first) /* nothing at this time: an empty panel says so */
            rp_sb_add(&body, "set label 1 'no data at this time' at graph 0.5,0.5 center\nplot [0:1][0:1] NaN notitle\n"
                             "unset label 1\n");
        else {
            rp_sb_add(&body, plot.s);
            rp_sb_add(&body, "\n");
        }
        rp_sb_free(&plot);
    }
    rp_sb_add(&body, "unset multiplot\n");
    if (!m->have) {
        caption_add(f, "No Monte Carlo data for %s: the densities are drawn without histograms. ", cs, NULL);
        rp_note_add(r, cs, "No Monte Carlo data for %s: density snapshots are drawn without histograms.", cs);
    } else if (mc_missing) {
        caption_add(f, "Some snapshot times have no Monte Carlo histogram (the Monte Carlo run has none there). ",
                    NULL, NULL);
    } else {
        caption_add(f, "Grey: Monte Carlo voltage histogram (%s). ", m->dir, NULL);
    }
    if (any_w)
        caption_add(f, "Weight marginals (structured cases) are in the snapshot files, not drawn here. ", NULL, NULL);
    fig_draw(r, f, &body, cols == 1 ? RP_COLUMN_IN : RP_FULL_IN, 2.5 * rows + 0.3);
    rp_sb_free(&body);
out:
    for (int s = 0; s < ns; s++)
        if (have[s])
            nlif_rf_table_free(&tabs[s]);
}

/* ---- MFE raster ---- */

static int case_wants_mfe(const rp_report *r, const char *cs)
{
    for (int i = 0; i < r->n_cells; i++)
        if (!strcmp(r->cells[i].case_name, cs) &&
            (strstr(r->cells[i].check, "mfe") || strstr(r->cells[i].check, "jump") ||
             strstr(r->cells[i].check, "blowup")))
            return 1;
    return 0;
}

static void fig_mfe(rp_report *r, int ci)
{
    const char *cs = r->cases[ci];
    const rp_mc *m = &r->mc[ci];
    json_t *mc_mfe = m->have ? json_object_get(m->sum, "mfe") : NULL;
    int n_mc = (int)json_array_size(mc_mfe), n_runs_mfe = 0;
    for (int s = 0; s < r->n_schemes; s++) {
        const rp_run *run = rp_find_run(r, cs, r->schemes[s]);
        if (run && run->sum && json_array_size(json_object_get(run->sum, "mfe")))
            n_runs_mfe++;
    }
    if (!n_mc && !n_runs_mfe) {
        if (case_wants_mfe(r, cs))
            rp_note_add(r, cs, "No MFE in any run of %s%s: no MFE raster.", cs,
                        m->have ? " nor in its Monte Carlo data" : " and no Monte Carlo data");
        return;
    }
    rp_figure *f = fig_new(r, "mfe", cs);
    if (!f)
        return;
    snprintf(f->title, sizeof f->title, "multiple firing events — %s", cs);
    rp_sb tics = {0}, top = {0}, bot = {0};
    int ft = 1, fb = 1, row = 0;
    double smin = INFINITY, smax = -INFINITY; /* the sizes drawn: their range sets the tick format */
    double tmin = INFINITY, tmax = -INFINITY; /* and the times */
    char name[300];
    rp_sb_add(&tics, "set ytics (");
    if (n_mc) {
        snprintf(name, sizeof name, "%s.mc.dat", f->stem);
        FILE *d = dat_open(r, name);
        if (d) {
            fprintf(d, "# t_mean t_ci95_lo t_ci95_hi size_mean size_ci95_lo size_ci95_hi row t_q95_lo t_q95_hi\n");
            json_t *e;
            size_t i;
            json_array_foreach(mc_mfe, i, e)
            {
                json_t *tc = json_object_get(e, "t_ci95"), *sc = json_object_get(e, "size_ci95"),
                       *tq = json_object_get(e, "t_q95");
                const json_t *v[9] = {json_object_get(e, "t_mean"), json_array_get(tc, 0), json_array_get(tc, 1),
                                      json_object_get(e, "size_mean"), json_array_get(sc, 0), json_array_get(sc, 1),
                                      NULL, json_array_get(tq, 0), json_array_get(tq, 1)};
                if (json_is_number(v[3]))
                    smin = fmin(smin, json_number_value(v[3])), smax = fmax(smax, json_number_value(v[3]));
                for (int q = 0; q < 3; q++)
                    if (json_is_number(v[q]))
                        tmin = fmin(tmin, json_number_value(v[q])), tmax = fmax(tmax, json_number_value(v[q]));
                for (int q = 0; q < 9; q++) /* absent or null: NaN, which gnuplot skips */
                    if (q == 6)
                        fprintf(d, " 0");
                    else if (json_is_number(v[q]))
                        fprintf(d, "%s%.10g", q ? " " : "", json_number_value(v[q]));
                    else
                        fprintf(d, "%sNaN", q ? " " : "");
                fprintf(d, "\n");
            }
            fclose(d);
            plot_sep(&top, &ft);
            rp_gp_quote(&top, name);
            rp_sb_add(&top, " using 1:7:8:9 with xerrorbars pt 0 lc rgb '#b0b0b0' title 'Monte Carlo 2.5–97.5% spread', '' "
                            "using 1:7:2:3 with xerrorbars pt 7 ps 0.6 lc rgb '#000000' title 'Monte Carlo mean, 95% CI'");
            plot_sep(&bot, &fb);
            rp_gp_quote(&bot, name);
            rp_sb_add(&bot, " using 1:4:2:3:5:6 with xyerrorbars pt 7 ps 0.6 lc rgb '#000000' title 'Monte Carlo 95% CI'");
            rp_sb_add(&tics, "'Monte Carlo' 0");
            row = 1;
        }
    } else {
        caption_add(f, "%s: no Monte Carlo MFE intervals (%s). ", cs,
                    m->have ? "its Monte Carlo data has no MFE" : "no Monte Carlo data");
        rp_note_add(r, cs, "%s: the MFE raster has no Monte Carlo intervals (%s).", cs,
                    m->have ? "its Monte Carlo data records no MFE" : "no Monte Carlo data");
    }
    for (int s = 0; s < r->n_schemes; s++) {
        const rp_run *run = rp_find_run(r, cs, r->schemes[s]);
        if (!run || !run->sum)
            continue;
        json_t *mf = json_object_get(run->sum, "mfe");
        char safe[64];
        rp_safe_name(safe, sizeof safe, r->schemes[s]);
        rp_sb_printf(&tics, "%s", row ? ", " : "");
        rp_gp_quote(&tics, r->schemes[s]);
        rp_sb_printf(&tics, " %d", row);
        if (!json_array_size(mf)) {
            row++;
            continue;
        }
        snprintf(name, sizeof name, "%s.%s.dat", f->stem, safe);
        FILE *d = dat_open(r, name);
        if (!d)
            continue;
        fprintf(d, "# t size row   (%s on %s)\n", r->schemes[s], cs);
        json_t *e;
        size_t i;
        json_array_foreach(mf, i, e)
        {
            double sz = json_number_value(json_object_get(e, "size"));
            smin = fmin(smin, sz), smax = fmax(smax, sz);
            double tt = json_number_value(json_object_get(e, "t"));
            tmin = fmin(tmin, tt), tmax = fmax(tmax, tt);
            fprintf(d, "%.10g %.10g %d\n", json_number_value(json_object_get(e, "t")), sz, row);
        }
        fclose(d);
        const char *col = scheme_color(r->schemes[s]);
        plot_sep(&top, &ft);
        rp_gp_quote(&top, name);
        rp_sb_printf(&top, " using 1:3 with points pt 9 ps 1.3 lc rgb '%s' title ", col);
        rp_gp_quote(&top, r->schemes[s]);
        plot_sep(&bot, &fb);
        rp_gp_quote(&bot, name);
        rp_sb_printf(&bot, " using 1:2 with points pt 9 ps 1.3 lc rgb '%s' title ", col);
        rp_gp_quote(&bot, r->schemes[s]);
        row++;
    }
    rp_sb_add(&tics, ")\n");
    rp_sb body = {0};
    if (tmax > tmin && isfinite(tmax) && isfinite(tmin)) { /* about 4 ticks, labels that differ and fit */
        double span = tmax - tmin, step = pow(10, floor(log10(span / 4)));
        if (span / step > 4)
            step *= span / step > 10 ? 5 : 2;
        int d = (int)ceil(log10(fmax(fabs(tmax), fabs(tmin)) / step)) + 1;
        d = d < 2 ? 2 : d > 12 ? 12 : d;
        rp_sb_printf(&body, "set xtics %.6g\nset format x '%%.%dg'\n", step, d);
    }
    rp_sb_add(&body, "set multiplot layout 2,1 title ");
    rp_gp_quote(&body, f->title);
    rp_sb_printf(&body, "\nset grid\nset key outside right font ',7'\nset title 'MFE times t*'\nset xlabel 't*'\n"
                        "set lmargin at screen 0.16\nset rmargin at screen 0.70\n"
                        "set yrange [-0.7:%d.7]\n", row > 0 ? row - 1 : 0);
    rp_sb_add(&body, tics.s);
    rp_sb_add(&body, top.s ? top.s : "plot NaN notitle");
    /* sizes that agree to 5 digits (0.99999…) need more than gnuplot's default '%g' to tell the ticks
     * apart: as many significant digits as the span needs, plus two */
    int digits = 3;
    if (smax > smin && isfinite(smax) && isfinite(smin)) {
        double mag = fmax(fabs(smax), fabs(smin));
        digits = (int)ceil(log10(mag / (smax - smin))) + 2;
        digits = digits < 3 ? 3 : digits > 12 ? 12 : digits;
    }
    rp_sb_printf(&body, "\nset title 'MFE sizes Δ (fraction of neurons firing)'\nset ylabel 'Δ'\nset ytics auto\n"
                        "set format y '%%.%dg'\nset yrange [*:*]\n", digits);
    rp_sb_add(&body, bot.s ? bot.s : "plot NaN notitle");
    rp_sb_add(&body, "\nunset multiplot\n");
    caption_add(f, "Top: each scheme's MFE times (one row per scheme) against the Monte Carlo mean and 95%% CI per "
                   "MFE index; bottom: MFE size against time. ", NULL, NULL);
    fig_draw(r, f, &body, RP_FULL_IN, 4.2);
    rp_sb_free(&body);
    rp_sb_free(&tics);
    rp_sb_free(&top);
    rp_sb_free(&bot);
}

/* ---- convergence and work–precision ---- */

static const char *const K_CASE[] = {"case", "case_name", NULL};
static const char *const K_SCHEME[] = {"scheme", NULL};
static const char *const K_DIR[] = {"refine", "dir", "direction", NULL};
static const char *const K_ORDER_P[] = {"order_p", NULL};
static const char *const K_ORDER_N[] = {"order_rate", NULL};
static const char *const K_EXP_P[] = {"expected_p", NULL};
static const char *const K_EXP_N[] = {"expected_rate", NULL};

static double lvl(const json_t *l, const char *key)
{
    json_t *v = json_object_get(l, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* Intercept of log e = c + q log h by least squares with the slope q fixed. */
static double fit_intercept(const double *h, const double *e, int n, double q)
{
    double s = 0;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (h[i] > 0 && e[i] > 0) {
            s += log(e[i]) - q * log(h[i]);
            k++;
        }
    return k ? s / k : NAN;
}

static void fig_convergence(rp_report *r, const json_t *c)
{
    const char *cs = rp_conv_str(c, K_CASE), *sc = rp_conv_str(c, K_SCHEME), *dir = rp_conv_str(c, K_DIR);
    if (!cs || !sc || rp_is_wp(c))
        return;
    if (!dir)
        dir = "v";
    json_t *levels = json_object_get(c, "levels");
    int n = (int)json_array_size(levels);
    if (n > 64)
        n = 64;
    double h[64], ep[64], en[64];
    int good_p = 0, good_n = 0;
    for (int i = 0; i < n; i++) {
        json_t *l = json_array_get(levels, i);
        h[i] = rp_level_h(l, dir);
        ep[i] = lvl(l, "err_p");
        en[i] = lvl(l, "err_rate");
        good_p += h[i] > 0 && ep[i] > 0;
        good_n += h[i] > 0 && en[i] > 0;
    }
    char kind[64], label[256];
    snprintf(kind, sizeof kind, "conv_%s", dir);
    snprintf(label, sizeof label, "%s.%s", cs, sc);
    if (!good_p && !good_n) {
        rp_note_add(r, cs, "Convergence study of %s on %s (refine %s) has no positive errors: no convergence plot.", sc,
                    cs, dir);
        return;
    }
    rp_figure *f = fig_new(r, kind, label);
    if (!f)
        return;
    snprintf(f->case_name, sizeof f->case_name, "%s", cs);
    snprintf(f->title, sizeof f->title, "convergence in %s — %s, %s", dir, sc, cs);
    char name[300];
    snprintf(name, sizeof name, "%s.dat", f->stem);
    FILE *d = dat_open(r, name);
    if (!d) {
        r->n_figs--;
        return;
    }
    fprintf(d, "# h err_p err_rate   (%s on %s, refine %s)\n", sc, cs, dir);
    for (int i = 0; i < n; i++)
        fprintf(d, "%.10g %.10g %.10g\n", h[i], ep[i], en[i]);
    fclose(d);
    double op = rp_conv_num(c, K_ORDER_P), on = rp_conv_num(c, K_ORDER_N), xp = rp_conv_num(c, K_EXP_P),
           xn = rp_conv_num(c, K_EXP_N);
    rp_sb body = {0}, plot = {0};
    int first = 1;
    rp_sb_add(&body, "set title ");
    { /* the case is the section's heading: the plot's title names the scheme and direction only */
        char gt[160];
        snprintf(gt, sizeof gt, "%s: convergence in Δ%s", sc, dir);
        rp_gp_quote(&body, gt);
    }
    rp_sb_printf(&body, "\nset logscale xy\nset grid\nset key top left reverse Left font ',7' samplen 2 spacing 0.9\nset offsets 0, 0, graph 0.5, 0\n"
                        "set xlabel 'h = Δ%s'\nset ylabel 'error'\nset format x '%%.2g'\nset format y '%%.0e'\n",
                 dir);
    struct { int good; const double *e; double obs, exp; const char *what, *col; int col_i; } ser[2] = {
        {good_p, ep, op, xp, "p: ‖p − p_ref‖₁ at T", "#1f77b4", 2}, {good_n, en, on, xn, "N: max over t", "#d62728", 3}};
    for (int k = 0; k < 2; k++) {
        if (!ser[k].good)
            continue;
        char t[256];
        plot_sep(&plot, &first);
        rp_gp_quote(&plot, name);
        rp_sb_printf(&plot, " using 1:%d with linespoints pt 7 lc rgb '%s' title '%s'", ser[k].col_i, ser[k].col,
                     ser[k].what);
        if (isfinite(ser[k].obs)) {
            double cc = fit_intercept(h, ser[k].e, n, ser[k].obs);
            plot_sep(&plot, &first);
            snprintf(t, sizeof t, "fitted slope %.3f", ser[k].obs);
            rp_sb_printf(&plot, "exp(%.10g)*x**%.10g with lines dt 2 lc rgb '%s' title '%s'", cc, ser[k].obs,
                         ser[k].col, t);
        }
        if (isfinite(ser[k].exp)) {
            /* anchored at the finest level with a positive error */
            int a = -1;
            for (int i = 0; i < n; i++)
                if (h[i] > 0 && ser[k].e[i] > 0 && (a < 0 || h[i] < h[a]))
                    a = i;
            if (a >= 0) {
                plot_sep(&plot, &first);
                snprintf(t, sizeof t, "expected slope %g", ser[k].exp);
                rp_sb_printf(&plot, "%.10g*(x/%.10g)**%.10g with lines dt 3 lw 1.5 lc rgb '#000000' title '%s'",
                             0.5 * ser[k].e[a], h[a], ser[k].exp, t);
            }
        }
    }
    rp_sb_add(&body, plot.s);
    rp_sb_add(&body, "\n");
    snprintf(f->caption, sizeof f->caption,
             "Errors against the %s reference; dashed: least-squares slope; dotted: the expected order, through half "
             "the finest level's error.", rp_conv_str(c, (const char *const[]){"reference", NULL}) ?
                                      rp_conv_str(c, (const char *const[]){"reference", NULL}) : "stated");
    fig_draw(r, f, &body, RP_COLUMN_IN, 3.2);
    rp_sb_free(&body);
    rp_sb_free(&plot);
}

/* Work–precision (harness/checks/work_precision.c: records with "purpose": "work_precision"): one
 * panel per measure, one curve per scheme, error against CPU seconds on log–log axes. An error at
 * round-off (≤ 1e-13) would set the range and squeeze every other curve: it is drawn at the floor of
 * the panel as a downward triangle and the caption says so. The default resolution is ringed; a
 * least-squares slope (log error on log CPU) is printed in the key when a curve has ≥ 3 points above
 * round-off, each ≥ 1 ms of CPU (below that the timer's resolution makes the slope meaningless). */
#define RP_WP_FLOOR 1e-13
#define RP_WP_MAX_MEASURES 4

int rp_is_wp(const json_t *c)
{
    const char *p = json_string_value(json_object_get(c, "purpose"));
    return p && !strcmp(p, "work_precision");
}

const char *rp_wp_measure_label(const char *m)
{
    if (!strcmp(m, "err_p"))
        return "density: ‖p(·, T) − p_ref(·, T)‖₁";
    if (!strcmp(m, "err_rate"))
        return "rate: max over t of |N(t) − N_ref(t)|";
    if (!strcmp(m, "err_final_rate"))
        return "long-time rate: |N(T) − N∞|";
    if (!strcmp(m, "err_mfe_t"))
        return "MFE times: max over k of |t*ₖ − t*ₖ(ref)|";
    if (!strcmp(m, "err_mfe_size"))
        return "MFE sizes: max over k of |Δₖ − Δₖ(ref)|";
    return m;
}

/* Least-squares slope of log y on log x over the points with x >= 1e-3 and y > floor; NAN below 3
 * points, and NAN unless the error falls at every step (a flat or rising curve has no rate). */
static double wp_slope(const double *x, const double *y, int n)
{
    nlif_fit f = {0};
    double prev = INFINITY;
    for (int i = 0; i < n; i++) {
        if (!(x[i] >= 1e-3) || !(y[i] > RP_WP_FLOOR) || !isfinite(y[i]))
            continue;
        if (!(y[i] < 0.95 * prev))
            return NAN;
        prev = y[i];
        nlif_fit_add(&f, log(x[i]), log(y[i]));
    }
    return f.m >= 3 ? nlif_fit_slope(&f) : NAN;
}

/* Tick format of a log axis over [lo, hi]: powers of ten when it spans a decade, else enough digits
 * that neighbouring ticks differ. */
static const char *log_format(double lo, double hi)
{
    return hi / lo >= 10 ? "%.0e" : "%.2g";
}

/* CPU seconds: plain numbers (0.01, 0.1, 1, 10) read better than 1e+00. */
static const char *cpu_format(double lo, double hi)
{
    return hi / lo >= 10 ? "%g" : "%.2g";
}

static void fig_work_precision(rp_report *r, int ci)
{
    const char *cs = r->cases[ci];
    const char *measures[RP_WP_MAX_MEASURES];
    int nm = 0;
    json_t *c;
    size_t i;
    json_array_foreach(r->conv, i, c)
    {
        const char *ccs = rp_conv_str(c, K_CASE);
        if (!ccs || strcmp(ccs, cs) || !rp_is_wp(c))
            continue;
        json_t *m;
        size_t k;
        json_array_foreach(json_object_get(c, "measures"), k, m)
        {
            const char *ms = json_string_value(m);
            int seen = 0;
            for (int q = 0; q < nm; q++)
                seen |= ms && !strcmp(measures[q], ms);
            if (ms && !seen && nm < RP_WP_MAX_MEASURES)
                measures[nm++] = ms;
        }
    }
    if (!nm) { /* a quick verify records none: say so only where the full one should have */
        if (r->mode && !strcmp(r->mode, "full"))
            rp_note_add(r, cs, "No work–precision data for %s (verify --full records it for cases with an error "
                               "measure: a long-time rate, MFEs or a calm run).", cs);
        return;
    }
    rp_figure *f = fig_new(r, "work", cs);
    if (!f)
        return;
    snprintf(f->title, sizeof f->title, "work–precision — %s", cs);
    rp_sb body = {0};
    rp_sb_printf(&body, "set multiplot layout 1,%d title ", nm);
    rp_gp_quote(&body, f->title);
    rp_sb_add(&body, "\nset logscale xy\nset grid\nset key below font ',7' maxrows 3\nset xlabel 'CPU seconds'\n"
                     "set bars small\n");
    int clipped = 0, any_slope = 0, any_se = 0;
    char silent[512] = ""; /* schemes with no error at any level (every run stopped early) */
    int have_mc = 0;
    for (int q = 0; q < nm; q++) {
        rp_sb plot = {0};
        int first = 1, k = 0;
        double ylo = INFINITY, yhi = 0, xlo = INFINITY, xhi = 0, se = 0;
        json_array_foreach(r->conv, i, c)
        {
            const char *ccs = rp_conv_str(c, K_CASE), *sc = rp_conv_str(c, K_SCHEME);
            if (!ccs || !sc || strcmp(ccs, cs) || !rp_is_wp(c))
                continue;
            have_mc |= !strcmp(sc, "mc");
            json_t *levels = json_object_get(c, "levels");
            int n = (int)json_array_size(levels), good = 0, below = 0;
            if (n > 64)
                n = 64;
            double x[64], y[64];
            for (int l = 0; l < n; l++) {
                x[l] = lvl(json_array_get(levels, l), "cpu_seconds");
                y[l] = lvl(json_array_get(levels, l), measures[q]);
                if (!(x[l] > 0))
                    x[l] = NAN;
                if (isfinite(x[l]) && y[l] >= 0 && isfinite(y[l])) {
                    xlo = fmin(xlo, x[l]), xhi = fmax(xhi, x[l]);
                    if (y[l] > RP_WP_FLOOR)
                        ylo = fmin(ylo, y[l]), yhi = fmax(yhi, y[l]), good++;
                    else
                        below++;
                }
            }
            if (!good && !below) {
                if (q == 0 && !strstr(silent, sc) && strlen(silent) + strlen(sc) + 3 < sizeof silent)
                    snprintf(silent + strlen(silent), sizeof silent - strlen(silent), "%s%s", silent[0] ? ", " : "", sc);
                continue;
            }
            char name[300], safe[64];
            rp_safe_name(safe, sizeof safe, sc);
            snprintf(name, sizeof name, "%s_%d.%s.dat", f->stem, q + 1, safe);
            FILE *d = dat_open(r, name);
            if (!d)
                continue;
            int dl = (int)lvl(c, "default_level");
            double cse = lvl(json_object_get(c, "reference_se"), measures[q]);
            if (cse > se)
                se = cse;
            fprintf(d, "# cpu_seconds error at_floor(0/1) default(0/1)   (%s on %s, %s; levels coarse to fine)\n", sc, cs,
                    measures[q]);
            for (int l = 0; l < n; l++) {
                int fl = isfinite(y[l]) && y[l] >= 0 && y[l] <= RP_WP_FLOOR;
                fprintf(d, "%.10g %.10g %d %d\n", x[l], isfinite(y[l]) && y[l] >= 0 ? y[l] : NAN, fl, l == dl);
            }
            fclose(d);
            clipped += below;
            double sl = wp_slope(x, y, n);
            char t[200];
            if (isfinite(sl))
                snprintf(t, sizeof t, "%s (slope %.2f)", sc, sl), any_slope = 1;
            else
                snprintf(t, sizeof t, "%s", sc);
            const char *col = scheme_color(sc);
            plot_sep(&plot, &first);
            rp_gp_quote(&plot, name);
            rp_sb_printf(&plot, " using 1:($3 > 0.5 ? NaN : $2) with linespoints lw 0.8 dt %d pt %d ps 0.8 lc rgb '%s' title ",
                         scheme_dash(sc), 4 + 2 * (k % 4), col);
            rp_gp_quote(&plot, t);
            plot_sep(&plot, &first);
            rp_gp_quote(&plot, name);
            rp_sb_printf(&plot, " using 1:($4 > 0.5 && $3 < 0.5 ? $2 : NaN) with points pt 6 ps 1.4 lc rgb '%s' notitle", col);
            if (below) {
                plot_sep(&plot, &first);
                rp_gp_quote(&plot, name);
                rp_sb_printf(&plot, " using 1:($3 > 0.5 ? FLOOR%d : NaN) with points pt 11 ps 0.9 lc rgb '%s' notitle", q + 1, col);
            }
            k++;
        }
        if (!(yhi > 0)) /* only round-off errors: a decade above the floor */
            ylo = RP_WP_FLOOR * 10, yhi = RP_WP_FLOOR * 100;
        if (se > 0 && !first) { /* the reference's own noise: errors below it are not resolved */
            ylo = fmin(ylo, se), yhi = fmax(yhi, se), any_se = 1;
            plot_sep(&plot, &first);
            rp_sb_printf(&plot, "%.6g with lines dt 3 lw 0.8 lc rgb '#000000' title 'Monte Carlo standard error'", se);
        }
        if (!(xhi > 0))
            xlo = 1e-3, xhi = 1;
        double y0 = ylo / 3, y1 = yhi * 3, x0 = xlo / 1.6, x1 = xhi * 1.6;
        rp_sb_printf(&body, "FLOOR%d = %.6g\nset yrange [%.6g:%.6g]\nset xrange [%.6g:%.6g]\n", q + 1, y0 * 1.15, y0, y1,
                     x0, x1);
        rp_sb_printf(&body, "set format y '%s'\nset format x '%s'\nset title ", log_format(y0, y1), cpu_format(x0, x1));
        rp_gp_quote(&body, rp_wp_measure_label(measures[q]));
        rp_sb_add(&body, "\nset ylabel 'error'\n");
        if (first)
            rp_sb_add(&body, "set label 1 'no error measured (every run stopped early)' at graph 0.5,0.5 center\n"
                             "plot NaN notitle\nunset label 1\n");
        else {
            rp_sb_add(&body, plot.s);
            rp_sb_add(&body, "\n");
        }
        rp_sb_free(&plot);
    }
    rp_sb_add(&body, "unset multiplot\n");
    const char *ref = NULL;
    json_array_foreach(r->conv, i, c)
    {
        const char *ccs = rp_conv_str(c, K_CASE);
        if (ccs && !strcmp(ccs, cs) && rp_is_wp(c) && !ref)
            ref = json_string_value(json_object_get(c, "reference"));
    }
    snprintf(f->caption, sizeof f->caption,
             "Error against CPU seconds, Δv and Δt refined together (levels from about 4× the case's steps to the default; "
             "ringed: the default resolution), one curve per scheme, one panel per measure; reference: %s.%s%s%s",
             ref ? ref : "stated in the record",
             any_se ? " Dotted: the largest standard error of the Monte Carlo means compared; smaller errors are "
                      "not resolved by the reference." : "",
             clipped ? " Errors at round-off (≤ 1e-13) are drawn as ▼ at the bottom edge, not to scale." : "",
             any_slope ? " Slope: least-squares log error on log CPU (≥ 3 points of ≥ 1 ms, error falling at each)." : "");
    if (have_mc) {
        size_t n = strlen(f->caption);
        snprintf(f->caption + n, sizeof f->caption - n, " mc: nlif mc itself, 8 realisations of 500, 2000 and 8000 "
                 "particles at the case's Δt (ringed: the largest), against the stored Monte Carlo reference.");
    }
    if (silent[0]) {
        size_t n = strlen(f->caption);
        snprintf(f->caption + n, sizeof f->caption - n, " No error for %s: every run stopped early (blow-up) or missed "
                 "an MFE (the table gives the status).", silent);
    }
    fig_draw(r, f, &body, nm > 1 ? RP_FULL_IN : RP_COLUMN_IN, 3.3);
    rp_sb_free(&body);
}

/* ---- verdict matrix ---- */

static void fig_matrix(rp_report *r)
{
    if (!r->n_cells || !r->n_schemes)
        return;
    rp_figure *f = fig_new(r, "verdicts", NULL);
    if (!f)
        return;
    snprintf(f->title, sizeof f->title, "verdict matrix (case × scheme)");
    char name[300];
    snprintf(name, sizeof name, "%s.dat", f->stem);
    FILE *d = dat_open(r, name);
    if (!d) {
        r->n_figs--;
        return;
    }
    fprintf(d, "# x(scheme) y(case) colour pass FAIL n.a. label\n");
    static const int colour[3] = {0x4caf50, 0xe53935, 0xbdbdbd};
    for (int i = 0; i < r->n_cases; i++)
        for (int s = 0; s < r->n_schemes; s++) {
            int c[3], v = rp_cell_counts(r, r->cases[i], r->schemes[s], c);
            if (c[0] + c[1] + c[2] == 0)
                continue;
            fprintf(d, "%d %d %d %d %d %d \"%d/%d/%d\"\n", s, r->n_cases - 1 - i, colour[v], c[0], c[1], c[2], c[0],
                    c[1], c[2]);
        }
    fclose(d);
    rp_sb body = {0};
    rp_sb_add(&body, "set title ");
    rp_gp_quote(&body, f->title);
    rp_sb_printf(&body, "\nunset key\nset xrange [-0.5:%d.5]\nset yrange [-0.5:%d.5]\nset x2tics (", r->n_schemes - 1,
                 r->n_cases - 1);
    for (int s = 0; s < r->n_schemes; s++) {
        rp_sb_add(&body, s ? ", " : "");
        rp_gp_quote(&body, r->schemes[s]);
        rp_sb_printf(&body, " %d", s);
    }
    rp_sb_add(&body, ")\nunset xtics\nset ytics (");
    for (int i = 0; i < r->n_cases; i++) {
        rp_sb_add(&body, i ? ", " : "");
        rp_gp_quote(&body, r->cases[i]);
        rp_sb_printf(&body, " %d", r->n_cases - 1 - i);
    }
    rp_sb_add(&body, ")\nset ytics nomirror\nset x2tics nomirror\nset style fill solid 1.0 border rgb '#ffffff'\n"
                     "set xlabel 'pass/FAIL/n.a. checks per cell; green: all pass or n.a., red: a check failed, "
                     "grey: n.a. only'\n");
    rp_sb_add(&body, "plot ");
    rp_gp_quote(&body, name);
    rp_sb_add(&body, " using 1:2:(0.48):(0.48):3 with boxxyerror fc rgb variable, '' using 1:2:7 with labels font ',9'\n");
    snprintf(f->caption, sizeof f->caption,
             "Each cell: the number of checks that passed / FAILED / were n.a. for that case and scheme.");
    fig_draw(r, f, &body, RP_FULL_IN, 0.9 + 0.2 * r->n_cases);
    rp_sb_free(&body);
}

int rp_figures(rp_report *r, nlif_error *err)
{
    (void)err;
    fig_matrix(r);
    for (int i = 0; i < r->n_cases; i++) {
        fig_rate(r, i);
        fig_snapshots(r, i);
        fig_mfe(r, i);
        if (r->conv) {
            json_t *c;
            size_t k;
            json_array_foreach(r->conv, k, c)
            {
                const char *cs = rp_conv_str(c, K_CASE);
                if (cs && !strcmp(cs, r->cases[i]))
                    fig_convergence(r, c);
            }
            fig_work_precision(r, i);
        }
    }
    return NLIF_OK;
}
