/* fig_ap.c — per structured case with an epsilon sweep (check ap, MATHEMATICS.md 6: asymptotic
 * preservation), the one-step distance of each scheme's profile at ε to its ε = 0 limit mode against
 * ε, log–log, with a line of the slope 1 the check requires (within 0.05) and each scheme's fitted
 * slope in the key. The data are the sweep records of verify (purpose "ap"). */
#include "report_internal.h"

#include <math.h>
#include <string.h>

static const char *const K_CASE[] = {"case", NULL};
static const char *const K_SCHEME[] = {"scheme", NULL};

static int is_ap(const json_t *c)
{
    const char *p = json_string_value(json_object_get(c, "purpose"));
    return p && !strcmp(p, "ap");
}

/* One scheme's sweep: its data file and curve; the smallest ε with a positive distance (the anchor of
 * the slope-1 line) in *e0, *d0. 0 when nothing was drawn. */
static int sweep_curve(rp_report *r, rp_figure *f, const json_t *c, rp_sb *plot, int *first, double *e0, double *d0)
{
    const char *sc = rp_conv_str(c, K_SCHEME);
    char safe[64], name[300], t[160];
    rp_safe_name(safe, sizeof safe, sc);
    snprintf(name, sizeof name, "%s.%s.dat", f->stem, safe);
    FILE *d = rp_dat_open(r, name);
    if (!d)
        return 0;
    fprintf(d, "# epsilon distance   (%s on %s: one step at epsilon against one step of the limit mode %s)\n", sc,
            f->case_name, json_string_value(json_object_get(c, "limit")) ? json_string_value(json_object_get(c, "limit")) : "?");
    json_t *l;
    size_t i;
    int n = 0;
    json_array_foreach(json_object_get(c, "levels"), i, l)
    {
        double e = rp_json_num(l, "epsilon"), x = rp_json_num(l, "distance");
        if (!(e > 0) || !(x > 0))
            continue;
        fprintf(d, "%.10g %.10g\n", e, x);
        if (!(*e0 > 0) || e < *e0)
            *e0 = e, *d0 = x;
        n++;
    }
    fclose(d);
    if (!n)
        return 0;
    double slope = rp_json_num(c, "slope");
    if (isfinite(slope))
        snprintf(t, sizeof t, "%s (slope %.3f)", sc, slope);
    else
        snprintf(t, sizeof t, "%s", sc);
    rp_plot_sep(plot, first);
    rp_gp_quote(plot, name);
    rp_sb_printf(plot, " using 1:2 with linespoints lw 1 dt %s pt %d ps 0.8 lc rgb '%s' title ", rp_style_of(sc).dash,
                 rp_style_of(sc).point, rp_style_of(sc).colour);
    rp_gp_quote(plot, t);
    return 1;
}

void rp_fig_ap(rp_report *r, int ci)
{
    const char *cs = r->cases[ci];
    int any = 0;
    json_t *c;
    size_t k;
    json_array_foreach(r->conv, k, c)
    {
        const char *ccs = rp_conv_str(c, K_CASE);
        any |= ccs && !strcmp(ccs, cs) && is_ap(c);
    }
    if (!any)
        return;
    rp_figure *f = rp_fig_new(r, "ap", cs);
    if (!f)
        return;
    snprintf(f->title, sizeof f->title, "asymptotic preservation — %s", cs);
    rp_sb body = {0}, plot = {0};
    int first = 1, drawn = 0;
    double e0 = NAN, d0 = NAN;
    json_array_foreach(r->conv, k, c)
    {
        const char *ccs = rp_conv_str(c, K_CASE);
        if (ccs && !strcmp(ccs, cs) && is_ap(c))
            drawn += sweep_curve(r, f, c, &plot, &first, &e0, &d0);
    }
    rp_sb_add(&body, "set logscale xy\n" RP_GRID "set key top left reverse Left font ',7' samplen 2\n"
                     "set xlabel 'ε'\nset ylabel 'L1 distance to the limit'\nset format x '%.0e'\nset xtics 10000\n"
                     "set format y '%.0e'\nset ytics 100\n");
    if (drawn && e0 > 0) {
        rp_plot_sep(&plot, &first);
        rp_sb_printf(&plot, "%.10g*(x/%.10g) with lines dt 4 lw 1.5 lc rgb '#000000' title 'slope 1 (required: 1 ± 0.05)'",
                     d0, e0);
    }
    if (drawn) {
        rp_sb_add(&body, plot.s);
        rp_sb_add(&body, "\n");
    } else {
        rp_sb_add(&body, "set label 1 'no positive distance in the sweep' at graph 0.5,0.5 center\nplot [1e-12:1e-2][1e-12:1] "
                         "NaN notitle\n");
    }
    rp_caption_add(f, "%s", "The L1 distance after one step between each scheme at ε and its declared ε = 0 limit mode, "
                            "against ε; the ap check requires the fitted log–log slope to be 1 ± 0.05 (MATHEMATICS.md 6): "
                            "a scheme whose limit is not the limit equation, or that loses accuracy as ε → 0, bends away "
                            "from the black line. ", NULL);
    rp_fig_draw(r, f, &body, RP_COLUMN_IN, 3.0);
    rp_sb_free(&body);
    rp_sb_free(&plot);
}
