/* fig_common.c — what every figure of the report does: a new figure and its stem, its data files, its
 * gnuplot script drawn to PNG and PDF at print size, the plot command's layers and the caption; and
 * rp_figures, which draws every figure in the report's order.
 *
 * Each figure is fig/STEM.gp plus its data files fig/STEM*.dat; the script draws STEM.png and (unless
 * --no-pdf) STEM.pdf, so `cd reports/out/fig && gnuplot STEM.gp` redraws it. Case and scheme names
 * enter the scripts only as gnuplot string literals (quotes doubled) and file names only in a
 * sanitised form; gnuplot is run by fork/exec, never through a shell. Colours, dashes and point
 * types of the schemes come from one table (scheme_style.c).
 */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Is F's stem the stem of a figure made before it? */
static int stem_taken(const rp_report *r, const rp_figure *f)
{
    for (const rp_figure *g = r->figs; g < f; g++)
        if (!strcmp(g->stem, f->stem))
            return 1;
    return 0;
}

rp_figure *rp_fig_new(rp_report *r, const char *kind, const char *case_name)
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
    /* the name says what the figure is (kind, case, scheme: conv_v_smooth_short_dilated), never where
     * it stands in the catalogue, so that a paper's \includegraphics survives a new case; a name taken
     * already (two names that sanitise alike) gets _2, _3, ... */
    char safe[128], stem[sizeof f->stem];
    rp_safe_name(safe, sizeof safe, case_name ? case_name : "all");
    for (char *q = safe; *q; q++)
        if (*q == '.') /* CASE.SCHEME: an underscore, as the rest of the name */
            *q = '_';
    snprintf(stem, sizeof stem, "%s_%s", kind, safe);
    ++r->fig_counter;
    snprintf(f->stem, sizeof f->stem, "%s", stem);
    for (int k = 2; stem_taken(r, f); k++)
        snprintf(f->stem, sizeof f->stem, "%.200s_%d", stem, k);
    snprintf(f->case_name, sizeof f->case_name, "%s", case_name ? case_name : "");
    return f;
}

FILE *rp_dat_open(const rp_report *r, const char *name)
{
    char p[2 * RP_PATH];
    snprintf(p, sizeof p, "%s/%s", r->fig_dir, name);
    return fopen(p, "w");
}

/* Write fig/STEM.gp drawing BODY to PNG and PDF at W × H inches, run it, record success or a note. */
void rp_fig_draw(rp_report *r, rp_figure *f, const rp_sb *body, double w, double h)
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

void rp_plot_sep(rp_sb *b, int *first)
{
    rp_sb_add(b, *first ? "plot " : ", \\\n     ");
    *first = 0;
}

void rp_caption_add(rp_figure *f, const char *fmt, const char *a, const char *b)
{
    size_t n = strlen(f->caption);
    snprintf(f->caption + n, sizeof f->caption - n, fmt, a ? a : "", b ? b : "");
}

int rp_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double rp_json_num(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *const K_CASE[] = {"case", "case_name", NULL};

/* The verdict matrix first, then per case: N(t), the density snapshots (and weight marginals), the MFE
 * raster, the epsilon sweep, every convergence study of the case and its work–precision diagram. */
int rp_figures(rp_report *r, nlif_error *err)
{
    (void)err;
    rp_fig_matrix(r);
    for (int i = 0; i < r->n_cases; i++) {
        rp_fig_rate(r, i);
        rp_fig_snapshots(r, i);
        rp_fig_mfe(r, i);
        if (r->conv)
            rp_fig_ap(r, i);
        if (r->conv) {
            json_t *c;
            size_t k;
            json_array_foreach(r->conv, k, c)
            {
                const char *cs = rp_conv_str(c, K_CASE);
                if (cs && !strcmp(cs, r->cases[i]))
                    rp_fig_convergence(r, c);
            }
            rp_fig_work_precision(r, i);
        }
    }
    return NLIF_OK;
}

void rp_gp_ticks(rp_sb *body, const char *axis, double lo, double hi)
{
    if (!(hi > lo) || !isfinite(hi) || !isfinite(lo))
        return;
    double span = hi - lo, step = pow(10, floor(log10(span / 4)));
    if (span / step > 4)
        step *= span / step > 10 ? 5 : 2;
    int d = (int)ceil(log10(fmax(fabs(hi), fabs(lo)) / step)) + 1;
    d = d < 2 ? 2 : d > 12 ? 12 : d;
    rp_sb_printf(body, "set %stics %.6g\nset format %s '%%.%dg'\n", axis, step, axis, d);
}
