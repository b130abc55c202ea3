/* fig_convergence.c — the log–log figure of one convergence study: the error of p and of N against the
 * refined step h, in the scheme's colour, point and dash (scheme_style.c), with a slope triangle of
 * the claimed order under each curve (the usual reading aid of a convergence plot: a hypotenuse
 * parallel to the curve a scheme of that order draws), the fitted slope in the key, and a ring round
 * every level whose local order drifts below the claim (the order check's rule, nlif_order_table).
 * No title inside the figure: the report's section heading and caption, or the study's table, name it.
 * Drawn in the report (rp_fig_convergence, one per study of the verdict record) and by
 * `nlif converge --plot` (rp_conv_study_figure, next to the study's JSON): one drawing for both.
 */
#include "report_internal.h"
#include "../harness/runs/nlif_converge.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const K_CASE[] = {"case", "case_name", NULL};
static const char *const K_SCHEME[] = {"scheme", NULL};
static const char *const K_DIR[] = {"refine", "dir", "direction", NULL};

/* The claims the order check judges (none for vt, none for N in w: MATHEMATICS.md 6). */
static void conv_tables(const json_t *c, double tol, nlif_order_table T[2])
{
    const char *dir = rp_conv_str(c, K_DIR);
    double qn = rp_json_num(c, "expected_rate");
    if (dir && !strcmp(dir, "w"))
        qn = NAN;
    nlif_order_table_of(c, "err_p", "reference", rp_json_num(c, "expected_p"), tol, &T[0]);
    nlif_order_table_of(c, "err_rate", "reference_rate", qn, tol, &T[1]);
}

static const char *axis_label(const char *dir)
{
    return !strcmp(dir, "t") ? "h = Δt" : !strcmp(dir, "w") ? "h = Δw" : !strcmp(dir, "vt") ? "h = Δv (Δt ∝ Δv)" : "h = Δv";
}

/* The slope triangle of order q under the curve of T: its right angle below the finest level of the
 * fit, two halvings wide (one when the ladder is shorter), a factor 3 below the data; "1" under the
 * base and "q" beside the rise. Widens [*lo, *hi] to hold it. */
static void triangle(rp_sb *b, const nlif_order_table *T, const char *colour, int *obj, double *lo, double *hi)
{
    int a = -1;
    for (int k = T->fit_from; k < T->n; k++)
        if (!T->why_level[k] && (a < 0 || T->h[k] < T->h[a]))
            a = k;
    if (a < 0 || !isfinite(T->q) || !(T->q > 0) || !isfinite(T->fit))
        return; /* no claim, or a ladder that shows no order: nothing to compare a slope with */
    int span = T->n - 1 - T->fit_from >= 2 ? 2 : 1;
    double x0 = T->h[a], x1 = x0 * ldexp(1.0, span), y0 = T->err[a] / 3.0, y1 = y0 * pow(x1 / x0, T->q);
    rp_sb_printf(b, "set object %d polygon from %.10g,%.10g to %.10g,%.10g to %.10g,%.10g to %.10g,%.10g "
                    "fs empty border lc rgb '%s' lw 1\n",
                 ++*obj, x0, y0, x1, y0, x1, y1, x0, y0, colour);
    rp_sb_printf(b, "set label %d '1' at %.10g,%.10g center offset 0,-0.7 tc rgb '%s' font ',7'\n", *obj, sqrt(x0 * x1),
                 y0, colour);
    rp_sb_printf(b, "set label %d '%g' at %.10g,%.10g left offset 0.4,0 tc rgb '%s' font ',7'\n", *obj + 100, T->q, x1,
                 sqrt(y0 * y1), colour);
    *lo = fmin(*lo, y0 / 2), *hi = fmax(*hi, y1);
}

/* The key entry of one quantity: what it measures and its fitted slope, or why there is none. */
static void key_title(char *t, size_t len, const char *what, const nlif_order_table *T)
{
    if (!isfinite(T->fit))
        snprintf(t, len, "%s: no order", what);
    else if (isfinite(T->q))
        snprintf(t, len, "%s: fit %.2f, claim %g", what, T->fit, T->q);
    else
        snprintf(t, len, "%s: fit %.2f", what, T->fit);
}

int rp_conv_draw(rp_report *r, rp_figure *f, const json_t *c, double tol)
{
    const char *sc = rp_conv_str(c, K_SCHEME), *dir = rp_conv_str(c, K_DIR);
    if (!dir)
        dir = "v";
    nlif_order_table T[2];
    conv_tables(c, tol, T);
    char name[300];
    snprintf(name, sizeof name, "%s.dat", f->stem);
    FILE *d = rp_dat_open(r, name);
    if (!d)
        return NLIF_EIO;
    fprintf(d, "# h err_p err_rate drift_p drift_rate   (%s on %s, refine %s; drift: the error of a level whose local "
               "order drifts below the claim)\n", sc, rp_conv_str(c, K_CASE), dir);
    double lo = INFINITY, hi = 0, hmin = INFINITY, hmax = 0;
    for (int i = 0; i < T[0].n; i++) {
        fprintf(d, "%.10g %.10g %.10g %.10g %.10g\n", T[0].h[i], T[0].err[i], T[1].err[i],
                T[0].drift[i] ? T[0].err[i] : NAN, T[1].drift[i] ? T[1].err[i] : NAN);
        for (int q = 0; q < 2; q++)
            if (T[q].err[i] > 0)
                lo = fmin(lo, T[q].err[i]), hi = fmax(hi, T[q].err[i]);
        if (T[0].h[i] > 0)
            hmin = fmin(hmin, T[0].h[i]), hmax = fmax(hmax, T[0].h[i]);
    }
    fclose(d);
    rp_scheme_style st = rp_style_of(sc ? sc : "?");
    rp_sb body = {0}, plot = {0};
    int first = 1, obj = 0;
    rp_sb_printf(&body, "set logscale xy\n" RP_GRID "set key top left Left reverse font ',7' samplen 2 spacing 0.9 opaque\n"
                        "set xlabel '%s'\nset ylabel 'error'\nset format x '%%.2g'\nset format y '%%.0e'\n",
                 axis_label(dir));
    const char *what[2] = {"error of p", "error of N"};
    /* p in the scheme's own dash, N in a short dash of its own (the same colour: one scheme) */
    int col[2] = {2, 3}, pt[2] = {st.point, st.point + 1};
    const char *dt[2] = {st.dash, strcmp(st.dash, "(3,2)") ? "(3,2)" : "(8,4)"};
    /* one triangle when p and N claim the same order: under the lower curve (two would overlap) */
    int one = T[0].q == T[1].q && isfinite(T[0].fit) && isfinite(T[1].fit);
    int under = T[1].err[T[1].n - 1] < T[0].err[T[0].n - 1];
    for (int q = 0; q < 2; q++) {
        char t[200];
        if (!one || q == under)
            triangle(&body, &T[q], st.colour, &obj, &lo, &hi);
        key_title(t, sizeof t, what[q], &T[q]);
        rp_plot_sep(&plot, &first);
        rp_gp_quote(&plot, name);
        rp_sb_printf(&plot, " using 1:%d with linespoints pt %d ps 1.2 dt %s lw 1.5 lc rgb '%s' title ", col[q], pt[q], dt[q],
                     st.colour);
        rp_gp_quote(&plot, t);
    }
    if (T[0].drift_at > 0 || T[1].drift_at > 0) {
        rp_plot_sep(&plot, &first);
        rp_gp_quote(&plot, name);
        rp_sb_printf(&plot, " using 1:4 with points pt 6 ps 2.6 lw 1.5 lc rgb '#000000' title "
                            "'drift below the claim', \\\n     ");
        rp_gp_quote(&plot, name);
        rp_sb_add(&plot, " using 1:5 with points pt 6 ps 2.6 lw 1.5 lc rgb '#000000' notitle");
    }
    if (hi > 0 && isfinite(lo))
        rp_sb_printf(&body, "set yrange [%.10g:%.10g]\n", lo / 3, hi * 20); /* room for the key above the data */
    if (hmax > 0)
        rp_sb_printf(&body, "set xrange [%.10g:%.10g]\n", hmin / 1.5, hmax * 1.5);
    rp_sb_add(&body, plot.s ? plot.s : "");
    rp_sb_add(&body, "\n");
    snprintf(f->caption, sizeof f->caption,
             "Errors of %s against the %s reference under refinement of %s; the triangles show the claimed order; the key "
             "gives the least-squares slope.", sc ? sc : "?", rp_conv_str(c, (const char *const[]){"reference", NULL}) ?
             rp_conv_str(c, (const char *const[]){"reference", NULL}) : "stated", dir);
    rp_fig_draw(r, f, &body, RP_COLUMN_IN, 2.8);
    rp_sb_free(&body);
    rp_sb_free(&plot);
    return NLIF_OK;
}

void rp_fig_convergence(rp_report *r, const json_t *c)
{
    const char *cs = rp_conv_str(c, K_CASE), *sc = rp_conv_str(c, K_SCHEME), *dir = rp_conv_str(c, K_DIR);
    if (!cs || !sc || rp_is_wp(c))
        return;
    if (!dir)
        dir = "v";
    json_t *levels = json_object_get(c, "levels");
    int good = 0;
    for (size_t i = 0; i < json_array_size(levels); i++) {
        json_t *l = json_array_get(levels, i);
        good += rp_level_h(l, dir) > 0 && (rp_json_num(l, "err_p") > 0 || rp_json_num(l, "err_rate") > 0);
    }
    if (!good) {
        rp_note_add(r, cs, "Convergence study of %s on %s (refine %s) has no positive errors: no convergence plot.", sc,
                    cs, dir);
        return;
    }
    char kind[64], label[256];
    snprintf(kind, sizeof kind, "conv_%s", dir);
    snprintf(label, sizeof label, "%s.%s", cs, sc);
    rp_figure *f = rp_fig_new(r, kind, label);
    if (!f)
        return;
    snprintf(f->case_name, sizeof f->case_name, "%s", cs);
    snprintf(f->title, sizeof f->title, "convergence in %s — %s, %s", dir, sc, cs);
    /* the report reads records tolerantly (rp_level_h: h, or the refined step under its own name; a level
     * without a status is drawn as the report always drew it): the table reads h and status */
    json_t *cc = json_deep_copy(c);
    json_t *l;
    size_t i;
    json_array_foreach(json_object_get(cc, "levels"), i, l)
    {
        if (!json_is_number(json_object_get(l, "h")))
            json_object_set_new(l, "h", json_real(rp_level_h(l, dir) > 0 ? rp_level_h(l, dir) : 0.0));
        if (!json_object_get(l, "status"))
            json_object_set_new(l, "status", json_string("ok"));
    }
    /* the report has no case file to read order_tol from: no drift rings here (the verdict cells say it) */
    if (!cc || rp_conv_draw(r, f, cc, NAN))
        r->n_figs--;
    json_decref(cc);
}

int rp_conv_study_figure(const json_t *c, const char *dir, const char *stem, FILE *list, nlif_error *err, double tol)
{
    nlif_report_options o;
    nlif_report_options_default(&o);
    o.pdf = 1;
    rp_report r;
    memset(&r, 0, sizeof r);
    r.opt = &o;
    snprintf(r.fig_dir, sizeof r.fig_dir, "%s", dir);
    rp_gnuplot_detect(&r);
    rp_figure f;
    memset(&f, 0, sizeof f);
    snprintf(f.stem, sizeof f.stem, "%s", stem);
    snprintf(f.case_name, sizeof f.case_name, "%s", rp_conv_str(c, K_CASE) ? rp_conv_str(c, K_CASE) : "");
    snprintf(f.title, sizeof f.title, "convergence study %s", stem);
    int rc = rp_conv_draw(&r, &f, c, tol);
    if (rc)
        rc = nlif_fail(err, rc, "converge --plot: cannot write %s/%s.dat", dir, stem);
    else {
        char p[2 * RP_PATH];
        for (int k = 0; k < 2; k++) {
            snprintf(p, sizeof p, "%s/%s.%s", dir, stem, k ? "pdf" : "png");
            if (rp_exists(p))
                fprintf(list, "  figure: %s\n", p);
        }
        fprintf(list, "  figure: %s/%s.gp (the gnuplot script: cd %s && gnuplot %s.gp redraws it), %s/%s.dat (its data)\n",
                dir, stem, dir, stem, dir, stem);
    }
    for (int i = 0; i < r.n_notes; i++)
        fprintf(list, "  figure: %s\n", r.notes[i].text);
    free(r.notes);
    return rc;
}
