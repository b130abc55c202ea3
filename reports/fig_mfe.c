/* fig_mfe.c — per case with multiple firing events, the MFE raster: each scheme's MFE times (one row per
 * scheme) against the Monte Carlo mean, 95% CI and spread per MFE index, and the MFE sizes against time. */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int case_wants_mfe(const rp_report *r, const char *cs)
{
    for (int i = 0; i < r->n_cells; i++)
        if (!strcmp(r->cells[i].case_name, cs) &&
            (strstr(r->cells[i].check, "mfe") || strstr(r->cells[i].check, "jump") ||
             strstr(r->cells[i].check, "blowup")))
            return 1;
    return 0;
}

/* The raster being drawn: the row labels, the two panels' plot commands, the next row, and the range
 * of the times and sizes drawn (their ticks' format). */
typedef struct raster {
    rp_sb tics, top, bot;
    int ft, fb, row;
    double smin, smax, tmin, tmax;
} raster;

/* The allowances the mfe_mc check widened the Monte Carlo spread by (its deterministic cells record
 * them); 0 when no cell of the case does. */
static void allowances(const rp_report *r, const char *cs, double *ta, double *sa)
{
    *ta = *sa = NAN;
    for (int i = 0; i < r->n_cells && isnan(*ta); i++)
        if (!strcmp(r->cells[i].case_name, cs) && !strcmp(r->cells[i].check, "mfe_mc") && r->cells[i].json &&
            json_is_number(json_object_get(r->cells[i].json, "t_allow"))) {
            *ta = json_number_value(json_object_get(r->cells[i].json, "t_allow"));
            *sa = json_number_value(json_object_get(r->cells[i].json, "size_allow"));
        }
}

/* Row 0: the Monte Carlo mean, 95% CI and 2.5–97.5% spread of each MFE's time and size, and the band
 * the mfe_mc check judges a deterministic scheme against: the spread widened by the case's allowances. */
static void mc_rows(rp_report *r, const char *cs, const rp_mc *m, json_t *mc_mfe, rp_figure *f, raster *g)
{
    double ta, sa;
    allowances(r, cs, &ta, &sa);
    int n_mc = (int)json_array_size(mc_mfe);
    char name[300];
    if (n_mc) {
        snprintf(name, sizeof name, "%s.mc.dat", f->stem);
        FILE *d = rp_dat_open(r, name);
        if (d) {
            fprintf(d, "# t_mean t_ci95_lo t_ci95_hi size_mean size_ci95_lo size_ci95_hi row t_q95_lo t_q95_hi "
                       "band_t_lo band_t_hi band_size_lo band_size_hi   (band: the 2.5-97.5%% spread +- the allowances "
                       "%g, %g that mfe_mc judges with)\n", ta, sa);
            json_t *e;
            size_t i;
            json_array_foreach(mc_mfe, i, e)
            {
                json_t *tc = json_object_get(e, "t_ci95"), *sc = json_object_get(e, "size_ci95"),
                       *tq = json_object_get(e, "t_q95"), *sq = json_object_get(e, "size_q95");
                const json_t *v[9] = {json_object_get(e, "t_mean"), json_array_get(tc, 0), json_array_get(tc, 1),
                                      json_object_get(e, "size_mean"), json_array_get(sc, 0), json_array_get(sc, 1),
                                      NULL, json_array_get(tq, 0), json_array_get(tq, 1)};
                if (json_is_number(v[3]))
                    g->smin = fmin(g->smin, json_number_value(v[3])), g->smax = fmax(g->smax, json_number_value(v[3]));
                for (int q = 0; q < 3; q++)
                    if (json_is_number(v[q]))
                        g->tmin = fmin(g->tmin, json_number_value(v[q])), g->tmax = fmax(g->tmax, json_number_value(v[q]));
                for (int q = 0; q < 9; q++) /* absent or null: NaN, which gnuplot skips */
                    if (q == 6)
                        fprintf(d, " 0");
                    else if (json_is_number(v[q]))
                        fprintf(d, "%s%.10g", q ? " " : "", json_number_value(v[q]));
                    else
                        fprintf(d, "%sNaN", q ? " " : "");
                double band[4] = {json_number_value(json_array_get(tq, 0)) - ta, json_number_value(json_array_get(tq, 1)) + ta,
                                  json_number_value(json_array_get(sq, 0)) - sa, json_number_value(json_array_get(sq, 1)) + sa};
                for (int q = 0; q < 4; q++) { /* no allowance recorded or no spread: no band */
                    int have = json_array_size(q < 2 ? tq : sq) == 2 && isfinite(ta);
                    fprintf(d, " %.10g", have ? band[q] : NAN);
                    if (have && q < 2)
                        g->tmin = fmin(g->tmin, band[q]), g->tmax = fmax(g->tmax, band[q]);
                    else if (have)
                        g->smin = fmin(g->smin, band[q]), g->smax = fmax(g->smax, band[q]);
                }
                fprintf(d, "\n");
            }
            fclose(d);
            rp_plot_sep(&g->top, &g->ft);
            rp_gp_quote(&g->top, name);
            /* what is judged first and widest: the band (spread ± allowance), then the spread, then the
             * mean's 95% CI */
            rp_sb_add(&g->top, " using 1:7:10:11 with xerrorbars pt 0 lw 6 lc rgb '#cfe3f1' title 'judged band: spread ± "
                               "allowance', '' using 1:7:8:9 with xerrorbars pt 0 lc rgb '#7f7f7f' title 'Monte Carlo "
                               "2.5–97.5% spread', '' using 1:7:2:3 with xerrorbars pt 7 ps 0.6 lc rgb '#000000' title "
                               "'Monte Carlo mean, 95% CI'");
            rp_plot_sep(&g->bot, &g->fb);
            rp_gp_quote(&g->bot, name);
            rp_sb_add(&g->bot, " using 1:4:12:13 with yerrorbars pt 0 lw 6 lc rgb '#cfe3f1' title 'judged band', '' "
                               "using 1:4:2:3:5:6 with xyerrorbars pt 7 ps 0.6 lc rgb '#000000' title 'Monte Carlo 95% CI'");
            if (isfinite(ta)) {
                char t[300];
                snprintf(t, sizeof t, "Light blue: the band the mfe_mc check judges a deterministic scheme's MFE time and "
                         "size against (the Monte Carlo 2.5–97.5%% spread across realisations widened by the case's "
                         "allowances %g and %g); a random scheme is judged by the mean of its seeds against the Monte "
                         "Carlo mean (MATHEMATICS.md 6). ", ta, sa);
                rp_caption_add(f, "%s", t, NULL);
            }
            rp_sb_add(&g->tics, "'Monte Carlo' 0");
            g->row = 1;
        }
    } else {
        rp_caption_add(f, "%s: no Monte Carlo MFE intervals (%s). ", cs,
                    m->have ? "its Monte Carlo data has no MFE" : "no Monte Carlo data");
        rp_note_add(r, cs, "%s: the MFE raster has no Monte Carlo intervals (%s).", cs,
                    m->have ? "its Monte Carlo data records no MFE" : "no Monte Carlo data");
    }
}

/* One row per scheme with a run: its MFE times, and its sizes in the bottom panel. */
static void scheme_rows(rp_report *r, const char *cs, rp_figure *f, raster *g)
{
    char name[300];
    for (int s = 0; s < r->n_schemes; s++) {
        const rp_run *run = rp_find_run(r, cs, r->schemes[s]);
        if (!run || !run->sum)
            continue;
        json_t *mf = json_object_get(run->sum, "mfe");
        char safe[64];
        rp_safe_name(safe, sizeof safe, r->schemes[s]);
        rp_sb_printf(&g->tics, "%s", g->row ? ", " : "");
        rp_gp_quote(&g->tics, r->schemes[s]);
        rp_sb_printf(&g->tics, " %d", g->row);
        if (!json_array_size(mf)) {
            g->row++;
            continue;
        }
        snprintf(name, sizeof name, "%s.%s.dat", f->stem, safe);
        FILE *d = rp_dat_open(r, name);
        if (!d)
            continue;
        fprintf(d, "# t size row   (%s on %s)\n", r->schemes[s], cs);
        json_t *e;
        size_t i;
        json_array_foreach(mf, i, e)
        {
            double sz = json_number_value(json_object_get(e, "size"));
            g->smin = fmin(g->smin, sz), g->smax = fmax(g->smax, sz);
            double tt = json_number_value(json_object_get(e, "t"));
            g->tmin = fmin(g->tmin, tt), g->tmax = fmax(g->tmax, tt);
            fprintf(d, "%.10g %.10g %d\n", json_number_value(json_object_get(e, "t")), sz, g->row);
        }
        fclose(d);
        const char *col = rp_style_of(r->schemes[s]).colour;
        rp_plot_sep(&g->top, &g->ft);
        rp_gp_quote(&g->top, name);
        rp_sb_printf(&g->top, " using 1:3 with points pt %d ps 1.3 lw 1.5 lc rgb '%s' title ", rp_style_of(r->schemes[s]).point, col);
        rp_gp_quote(&g->top, r->schemes[s]);
        rp_plot_sep(&g->bot, &g->fb);
        rp_gp_quote(&g->bot, name);
        rp_sb_printf(&g->bot, " using 1:2 with points pt %d ps 1.3 lw 1.5 lc rgb '%s' title ", rp_style_of(r->schemes[s]).point, col);
        rp_gp_quote(&g->bot, r->schemes[s]);
        g->row++;
    }
}

/* The script: ticks of the times, the times panel, the sizes panel. */
static void raster_body(raster *g, rp_sb *body)
{
    rp_gp_ticks(body, "x", g->tmin, g->tmax);
    rp_sb_add(body, "set multiplot layout 2,1\n"); /* no figure title: the caption has it; panels (a), (b) */
    rp_sb_printf(body, RP_GRID "set key outside right font ',7'\nset title '(a) MFE times t*'\nset xlabel 't*'\n"
                        "set lmargin at screen 0.16\nset rmargin at screen 0.70\n"
                        "set yrange [-0.7:%d.7]\n", g->row > 0 ? g->row - 1 : 0);
    rp_sb_add(body, g->tics.s);
    rp_sb_add(body, g->top.s ? g->top.s : "plot NaN notitle");
    rp_sb_add(body, "\nset title '(b) MFE sizes Δ (fraction of neurons firing)'\nset ylabel 'Δ'\nset yrange [*:*]\n");
    /* sizes that agree to 5 digits (0.99999…) need more than gnuplot's default '%g' to tell the ticks apart */
    if (g->smax > g->smin && isfinite(g->smax) && isfinite(g->smin))
        rp_gp_ticks(body, "y", g->smin, g->smax);
    else
        rp_sb_add(body, "set ytics auto\nset format y '%.3g'\n");
    rp_sb_add(body, g->bot.s ? g->bot.s : "plot NaN notitle");
    rp_sb_add(body, "\nunset multiplot\n");
}

void rp_fig_mfe(rp_report *r, int ci)
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
    rp_figure *f = rp_fig_new(r, "mfe", cs);
    if (!f)
        return;
    snprintf(f->title, sizeof f->title, "multiple firing events — %s", cs);
    raster g = {.ft = 1, .fb = 1, .smin = INFINITY, .smax = -INFINITY, .tmin = INFINITY, .tmax = -INFINITY};
    rp_sb_add(&g.tics, "set ytics (");
    mc_rows(r, cs, m, mc_mfe, f, &g);
    scheme_rows(r, cs, f, &g);
    rp_sb_add(&g.tics, ")\n");
    rp_sb body = {0};
    raster_body(&g, &body);
    rp_caption_add(f, "(a) Each scheme's MFE times (one row per scheme) against the Monte Carlo mean and 95%% CI, "
                   "spread and judged band per MFE index; (b) MFE size against time. ", NULL, NULL);
    rp_fig_draw(r, f, &body, RP_FULL_IN, 4.2);
    rp_sb_free(&body);
    rp_sb_free(&g.tics);
    rp_sb_free(&g.top);
    rp_sb_free(&g.bot);
}
