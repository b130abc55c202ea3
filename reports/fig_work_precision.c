/* fig_work_precision.c — per case, the work–precision diagram: one panel per measure, one curve per
 * scheme, error against CPU seconds; and the labels of the measures (also used by report_wp.c). */
#include "report_internal.h"
#include "../core/nlif_fit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const K_CASE[] = {"case", "case_name", NULL};
static const char *const K_SCHEME[] = {"scheme", NULL};

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

int rp_is_study(const json_t *c) { return !json_object_get(c, "purpose"); }

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

/* What the caption says, gathered over the panels. */
typedef struct wp_notes {
    int clipped, any_slope, any_se, have_mc, any_ci, any_target;
    char silent[512]; /* schemes with no error at any level (every run stopped early) */
} wp_notes;

/* A panel's range, and the largest standard error of the Monte Carlo means compared. */
typedef struct wp_range {
    double ylo, yhi, xlo, xhi, se;
} wp_range;

/* The work–precision measures of case cs, in the order the records name them; their number. */
static int wp_measures(const rp_report *r, const char *cs, const char **measures)
{
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
    return nm;
}

/* The curve of one record c (scheme sc) in panel q (MEASURE): its data file, its line, its default
 * level ringed, its round-off errors at the floor. */
static void wp_curve(rp_report *r, rp_figure *f, const json_t *c, const char *sc, const char *measure, int q, rp_sb *plot,
                     int *first, wp_range *g, wp_notes *w)
{
    const char *cs = f->case_name;
    w->have_mc |= !strcmp(sc, "mc");
    json_t *levels = json_object_get(c, "levels");
    int n = (int)json_array_size(levels), good = 0, below = 0;
    if (n > 64)
        n = 64;
    double x[64], y[64];
    for (int l = 0; l < n; l++) {
        x[l] = rp_json_num(json_array_get(levels, l), "cpu_seconds");
        y[l] = rp_json_num(json_array_get(levels, l), measure);
        if (!(x[l] > 0))
            x[l] = NAN;
        if (isfinite(x[l]) && y[l] >= 0 && isfinite(y[l])) {
            g->xlo = fmin(g->xlo, x[l]), g->xhi = fmax(g->xhi, x[l]);
            if (y[l] > RP_WP_FLOOR)
                g->ylo = fmin(g->ylo, y[l]), g->yhi = fmax(g->yhi, y[l]), good++;
            else
                below++;
        }
    }
    if (!good && !below) {
        if (q == 0 && !strstr(w->silent, sc) && strlen(w->silent) + strlen(sc) + 3 < sizeof w->silent)
            snprintf(w->silent + strlen(w->silent), sizeof w->silent - strlen(w->silent), "%s%s", w->silent[0] ? ", " : "", sc);
        return;
    }
    char name[300], safe[64];
    rp_safe_name(safe, sizeof safe, sc);
    snprintf(name, sizeof name, "%s_%d.%s.dat", f->stem, q + 1, safe);
    FILE *d = rp_dat_open(r, name);
    if (!d)
        return;
    int dl = (int)rp_json_num(c, "default_level");
    double cse = rp_json_num(json_object_get(c, "reference_se"), measure);
    if (cse > g->se)
        g->se = cse;
    /* a random method's point is a mean (of seeds or realisations) with its 95% interval: drawn as a
     * bar, and no slope is fitted to it */
    int random = json_is_true(json_object_get(c, "random"));
    char cikey[80];
    snprintf(cikey, sizeof cikey, "%s_ci95", measure);
    fprintf(d, "# cpu_seconds error at_floor(0/1) default(0/1) ci95_half_width   (%s on %s, %s; levels coarse to fine)\n",
            sc, cs, measure);
    for (int l = 0; l < n; l++) {
        int fl = isfinite(y[l]) && y[l] >= 0 && y[l] <= RP_WP_FLOOR;
        double ci = rp_json_num(json_array_get(levels, l), cikey);
        fprintf(d, "%.10g %.10g %d %d %.10g\n", x[l], isfinite(y[l]) && y[l] >= 0 ? y[l] : NAN, fl, l == dl,
                isfinite(ci) ? ci : NAN);
        if (isfinite(ci) && isfinite(y[l]) && y[l] > RP_WP_FLOOR)
            g->yhi = fmax(g->yhi, y[l] + ci), w->any_ci = 1;
    }
    fclose(d);
    w->clipped += below;
    double sl = random ? NAN : wp_slope(x, y, n);
    char t[200];
    if (isfinite(sl))
        snprintf(t, sizeof t, "%s (slope %.2f)", sc, sl), w->any_slope = 1;
    else
        snprintf(t, sizeof t, "%s", sc);
    const char *col = rp_style_of(sc).colour;
    rp_plot_sep(plot, first);
    rp_gp_quote(plot, name);
    rp_sb_printf(plot, " using 1:($3 > 0.5 ? NaN : $2) with linespoints lw 0.8 dt %s pt %d ps 0.8 lc rgb '%s' title ",
                 rp_style_of(sc).dash, rp_style_of(sc).point, col);
    rp_gp_quote(plot, t);
    rp_plot_sep(plot, first);
    rp_gp_quote(plot, name);
    rp_sb_printf(plot, " using 1:($4 > 0.5 && $3 < 0.5 ? $2 : NaN) with points pt 6 ps 1.4 lc rgb '%s' notitle", col);
    if (random) { /* the 95% interval of the mean; its lower end kept above the floor of the log axis */
        rp_plot_sep(plot, first);
        rp_gp_quote(plot, name);
        rp_sb_printf(plot, " using 1:($3 > 0.5 ? NaN : $2):($2 - $5 > FLOOR%d ? $2 - $5 : FLOOR%d):($2 + $5) with "
                           "yerrorbars pt 0 lw 0.8 lc rgb '%s' notitle", q + 1, q + 1, col);
    }
    if (below) {
        rp_plot_sep(plot, first);
        rp_gp_quote(plot, name);
        rp_sb_printf(plot, " using 1:($3 > 0.5 ? FLOOR%d : NaN) with points pt 11 ps 0.9 lc rgb '%s' notitle", q + 1, col);
    }
}

/* Panel q: one curve per record of the case, the Monte Carlo standard error, the axes. */
static void wp_panel(rp_report *r, rp_figure *f, const char *measure, int q, rp_sb *body, wp_notes *w)
{
    rp_sb plot = {0};
    int first = 1;
    wp_range g = {INFINITY, 0, INFINITY, 0, 0};
    json_t *c;
    size_t i;
    json_array_foreach(r->conv, i, c)
    {
        const char *ccs = rp_conv_str(c, K_CASE), *sc = rp_conv_str(c, K_SCHEME);
        if (!ccs || !sc || strcmp(ccs, f->case_name) || !rp_is_wp(c))
            continue;
        wp_curve(r, f, c, sc, measure, q, &plot, &first, &g, w);
    }
    if (!(g.yhi > 0)) /* only round-off errors: a decade above the floor */
        g.ylo = RP_WP_FLOOR * 10, g.yhi = RP_WP_FLOOR * 100;
    if (g.se > 0 && !first) { /* the reference's own noise: errors below it are not resolved */
        g.ylo = fmin(g.ylo, g.se), g.yhi = fmax(g.yhi, g.se), w->any_se = 1;
        rp_plot_sep(&plot, &first);
        rp_sb_printf(&plot, "%.6g with lines dt (2,4) lw 1 lc rgb '#000000' title 'Monte Carlo standard error'", g.se);
    }
    double bound = NAN; /* the case's bound on this measure: the target the headline's CPU is read at */
    json_array_foreach(r->conv, i, c)
    {
        const char *ccs = rp_conv_str(c, K_CASE);
        if (ccs && !strcmp(ccs, f->case_name) && rp_is_wp(c) && !isfinite(bound))
            bound = rp_json_num(json_object_get(c, "targets"), measure);
    }
    if (isfinite(bound) && bound > 0 && !first) {
        g.ylo = fmin(g.ylo, bound), g.yhi = fmax(g.yhi, bound), w->any_target = 1;
        rp_plot_sep(&plot, &first);
        rp_sb_printf(&plot, "%.6g with lines dt (12,6) lw 1.2 lc rgb '#000000' title \"the case's bound\"", bound);
    }
    if (!(g.xhi > 0))
        g.xlo = 1e-3, g.xhi = 1;
    double y0 = g.ylo / 3, y1 = g.yhi * 3, x0 = g.xlo / 1.6, x1 = g.xhi * 1.6;
    rp_sb_printf(body, "FLOOR%d = %.6g\nset yrange [%.6g:%.6g]\nset xrange [%.6g:%.6g]\n", q + 1, y0 * 1.15, y0, y1,
                 x0, x1);
    rp_sb_printf(body, "set format y '%s'\nset format x '%s'\nset title ", log_format(y0, y1), cpu_format(x0, x1));
    rp_gp_quote(body, rp_wp_measure_label(measure));
    rp_sb_add(body, "\nset ylabel 'error'\n");
    if (first)
        rp_sb_add(body, "set label 1 'no error measured (every run stopped early)' at graph 0.5,0.5 center\n"
                         "plot NaN notitle\nunset label 1\n");
    else {
        rp_sb_add(body, plot.s);
        rp_sb_add(body, "\n");
    }
    rp_sb_free(&plot);
}

/* The caption: the reference, and what the dotted line, the floor and the slopes mean. */
static void wp_caption(const rp_report *r, rp_figure *f, const wp_notes *w)
{
    const char *cs = f->case_name;
    json_t *c;
    size_t i;
    const char *ref = NULL;
    json_array_foreach(r->conv, i, c)
    {
        const char *ccs = rp_conv_str(c, K_CASE);
        if (ccs && !strcmp(ccs, cs) && rp_is_wp(c) && !ref)
            ref = json_string_value(json_object_get(c, "reference"));
    }
    snprintf(f->caption, sizeof f->caption,
             "Error against CPU seconds, Δv and Δt refined together (four levels from about 8× the case's steps to the default; "
             "ringed: the default resolution), one curve per scheme, one panel per measure; reference: %s.%s%s%s",
             ref ? ref : "stated in the record",
             w->any_se ? " Dotted: the largest standard error of the Monte Carlo means compared; smaller errors are "
                      "not resolved by the reference." : "",
             w->clipped ? " Errors at round-off (≤ 1e-13) are drawn as ▼ at the bottom edge, not to scale." : "",
             w->any_slope ? " Slope: least-squares log error on log CPU (≥ 3 points of ≥ 1 ms, error falling at each; "
                            "none for a random method)." : "");
    size_t n0 = strlen(f->caption);
    snprintf(f->caption + n0, sizeof f->caption - n0, "%s%s CPU seconds: the least of up to 5 solves of a run under 10 ms.",
             w->any_target ? " Black dashed: the case's bound (the target of the headline's CPU)." : "",
             w->any_ci ? " Bars: 95% interval of a random method's mean (seeds, or Monte Carlo realisations)." : "");
    if (w->have_mc) {
        size_t n = strlen(f->caption);
        snprintf(f->caption + n, sizeof f->caption - n, " mc: nlif mc itself, 8 realisations of 500, 2000 and 8000 "
                 "particles at the case's Δt (ringed: the largest), against the stored Monte Carlo reference.");
    }
    if (w->silent[0]) {
        size_t n = strlen(f->caption);
        snprintf(f->caption + n, sizeof f->caption - n, " No error for %s: every run stopped early (blow-up) or missed "
                 "an MFE (the table gives the status).", w->silent);
    }
}

void rp_fig_work_precision(rp_report *r, int ci)
{
    const char *cs = r->cases[ci];
    const char *measures[RP_WP_MAX_MEASURES];
    int nm = wp_measures(r, cs, measures);
    if (!nm) { /* a quick verify records none: say so only where the full one should have */
        if (r->mode && !strcmp(r->mode, "full"))
            rp_note_add(r, cs, "No work–precision data for %s (verify --full records it for cases with an error "
                               "measure: a long-time rate, MFEs or a calm run).", cs);
        return;
    }
    rp_figure *f = rp_fig_new(r, "work", cs);
    if (!f)
        return;
    snprintf(f->title, sizeof f->title, "work–precision — %s", cs);
    rp_sb body = {0};
    rp_sb_printf(&body, "set multiplot layout 1,%d\n", nm); /* no figure title: the caption has it */
    rp_sb_add(&body, "set logscale xy\n" RP_GRID "set key below font ',7' maxrows 3\nset xlabel 'CPU seconds'\n"
                     "set bars small\n");
    wp_notes w = {0};
    for (int q = 0; q < nm; q++)
        wp_panel(r, f, measures[q], q, &body, &w);
    rp_sb_add(&body, "unset multiplot\n");
    wp_caption(r, f, &w);
    rp_fig_draw(r, f, &body, nm > 1 ? RP_FULL_IN : RP_COLUMN_IN, 3.3);
    rp_sb_free(&body);
}
