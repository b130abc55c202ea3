/* fig_convergence.c — per convergence study, the log–log error of p and of N against the refined step
 * h, with the least-squares slope and the expected order drawn through the finest level. */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const K_CASE[] = {"case", "case_name", NULL};
static const char *const K_SCHEME[] = {"scheme", NULL};
static const char *const K_DIR[] = {"refine", "dir", "direction", NULL};
static const char *const K_ORDER_P[] = {"order_p", NULL};
static const char *const K_ORDER_N[] = {"order_rate", NULL};
static const char *const K_EXP_P[] = {"expected_p", NULL};
static const char *const K_EXP_N[] = {"expected_rate", NULL};

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

void rp_fig_convergence(rp_report *r, const json_t *c)
{
    const char *cs = rp_conv_str(c, K_CASE), *sc = rp_conv_str(c, K_SCHEME), *dir = rp_conv_str(c, K_DIR);
    if (!cs || !sc || !rp_is_study(c))
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
        ep[i] = rp_json_num(l, "err_p");
        en[i] = rp_json_num(l, "err_rate");
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
    rp_figure *f = rp_fig_new(r, kind, label);
    if (!f)
        return;
    snprintf(f->case_name, sizeof f->case_name, "%s", cs);
    snprintf(f->title, sizeof f->title, "convergence in %s — %s, %s", dir, sc, cs);
    char name[300];
    snprintf(name, sizeof name, "%s.dat", f->stem);
    FILE *d = rp_dat_open(r, name);
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
    /* no title inside the figure: the caption names the case, the scheme and the direction */
    rp_sb_printf(&body, "\nset logscale xy\n" RP_GRID "set key top left reverse Left font ',7' samplen 2 spacing 0.9\nset offsets 0, 0, graph 0.5, 0\n"
                        "set xlabel 'h = Δ%s'\nset ylabel 'error'\nset format x '%%.2g'\nset format y '%%.0e'\n",
                 dir);
    struct { int good; const double *e; double obs, exp; const char *what, *col; int col_i; } ser[2] = {
        {good_p, ep, op, xp, "p: ‖p − p_ref‖₁ at T", "#1f77b4", 2}, {good_n, en, on, xn, "N: max over t", "#d62728", 3}};
    for (int k = 0; k < 2; k++) {
        if (!ser[k].good)
            continue;
        char t[256];
        rp_plot_sep(&plot, &first);
        rp_gp_quote(&plot, name);
        rp_sb_printf(&plot, " using 1:%d with linespoints pt 7 lc rgb '%s' title '%s'", ser[k].col_i, ser[k].col,
                     ser[k].what);
        if (isfinite(ser[k].obs)) {
            double cc = fit_intercept(h, ser[k].e, n, ser[k].obs);
            rp_plot_sep(&plot, &first);
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
                rp_plot_sep(&plot, &first);
                snprintf(t, sizeof t, "expected slope %g", ser[k].exp);
                rp_sb_printf(&plot, "%.10g*(x/%.10g)**%.10g with lines dt 4 lw 1.5 lc rgb '#000000' title '%s'",
                             0.5 * ser[k].e[a], h[a], ser[k].exp, t);
            }
        }
    }
    rp_sb_add(&body, plot.s);
    rp_sb_add(&body, "\n");
    snprintf(f->caption, sizeof f->caption,
             "%s on %s, convergence in Δ%s. Errors against the %s reference; dashed: least-squares slope; black "
             "dash-dotted: the expected order, through half the finest level's error.", sc, f->case_name, dir,
             rp_conv_str(c, (const char *const[]){"reference", NULL}) ? rp_conv_str(c, (const char *const[]){"reference", NULL})
                                                                      : "stated");
    rp_fig_draw(r, f, &body, RP_COLUMN_IN, 3.2);
    rp_sb_free(&body);
    rp_sb_free(&plot);
}
