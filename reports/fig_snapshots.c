/* fig_snapshots.c — per case, the density snapshots of every scheme (with their point masses) over the
 * Monte Carlo voltage histograms, one panel per snapshot time; for a structured case also the weight
 * marginals ρ(w, t) of every scheme (the snapshot files' 'w' rows), one panel per time. */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RP_MAX_PANELS 6

static int time_index(const double *ts, int n, double t)
{
    for (int i = 0; i < n; i++)
        if (fabs(ts[i] - t) <= 1e-9 * fmax(1, fabs(t)))
            return i;
    return -1;
}

/* The Monte Carlo histogram of panel k (time t), if the Monte Carlo run has one there: 1 if it has none. */
static int mc_histogram(rp_report *r, const rp_mc *m, rp_figure *f, int k, double t, rp_sb *plot, int *first)
{
    char name[300];
    int mk = time_index(m->snap_t, m->n_snap, t);
    nlif_rf_table h;
    if (mk >= 0 && nlif_rf_table_read(m->snap_csv[mk], nlif_rf_mc_snap_cols, &h, NULL) == 0) {
        int lo = nlif_rf_col(&h, "v_lo"), hi = nlif_rf_col(&h, "v_hi"), de = nlif_rf_col(&h, "density");
        snprintf(name, sizeof name, "%s_%d.mc.dat", f->stem, k + 1);
        FILE *d = lo >= 0 && hi >= 0 && de >= 0 ? rp_dat_open(r, name) : NULL;
        if (d) {
            fprintf(d, "# v_lo v_hi density   (Monte Carlo histogram, %s)\n", m->snap_csv[mk]);
            for (size_t i = 0; i < h.nrow; i++)
                fprintf(d, "%.10g %.10g %.10g\n", h.x[i * h.ncol + lo], h.x[i * h.ncol + hi], h.x[i * h.ncol + de]);
            fclose(d);
            rp_plot_sep(plot, first);
            rp_gp_quote(plot, name);
            rp_sb_add(plot, " using (($1+$2)/2):3:($2-$1) with boxes fc rgb '#a0a0a0' title 'Monte Carlo'");
        }
        nlif_rf_table_free(&h);
        return 0;
    }
    return 1;
}

/* One scheme's profile of KIND ('v': p(v, t); 'w': ρ(w, t)) in panel k (time t), and its point masses. */
static void scheme_profile(rp_report *r, rp_figure *f, int k, double t, const nlif_rf_table *tb, const char *scheme,
                           char kind, rp_sb *plot, int *first)
{
    char name[300];
    int ct = nlif_rf_col(tb, "t"), cx = nlif_rf_col(tb, "x"), cd = nlif_rf_col(tb, "density"),
        ck = nlif_rf_col(tb, "kind");
    char safe[64];
    rp_safe_name(safe, sizeof safe, scheme);
    snprintf(name, sizeof name, "%s_%d.%s.dat", f->stem, k + 1, safe);
    FILE *d = NULL;
    for (size_t i = 0; i < tb->nrow; i++) {
        const double *row = tb->x + i * tb->ncol;
        if (((ck >= 0 && row[ck] == 'w') != (kind == 'w')) || fabs(row[ct] - t) > 1e-9 * fmax(1, fabs(t)))
            continue;
        if (!d && !(d = rp_dat_open(r, name)))
            break;
        fprintf(d, "%.10g %.10g\n", row[cx], row[cd]);
    }
    if (!d)
        return;
    fclose(d);
    rp_plot_sep(plot, first);
    rp_gp_quote(plot, name);
    rp_sb_printf(plot, " using 1:2 with lines lw 1 dt %s lc rgb '%s' title ", rp_style_of(scheme).dash,
                 rp_style_of(scheme).colour);
    rp_gp_quote(plot, scheme);
    /* point masses: the '# atom t v mass' lines, as the reader parsed them */
    FILE *a = NULL;
    snprintf(name, sizeof name, "%s_%d.%s.atoms.dat", f->stem, k + 1, safe);
    for (int q = 0; kind == 'v' && q < tb->n_atoms; q++) {
        const nlif_rf_atom *at = &tb->atoms[q];
        if (fabs(at->t - t) <= 1e-9 * fmax(1, fabs(t))) {
            if (!a && !(a = rp_dat_open(r, name)))
                break;
            fprintf(a, "%.10g %.10g\n", at->v, at->mass);
        }
    }
    if (a) {
        fclose(a);
        rp_plot_sep(plot, first);
        rp_gp_quote(plot, name);
        rp_sb_printf(plot, " using 1:2 with impulses lw 3 lc rgb '%s' title ", rp_style_of(scheme).colour);
        char t2[200];
        snprintf(t2, sizeof t2, "%s point mass (height = mass)", scheme);
        rp_gp_quote(plot, t2);
    }
}

/* The figure of KIND ('v': the densities over the Monte Carlo histograms; 'w': the weight marginals);
 * 1 if a scheme's snapshots hold weight marginals (a structured case). */
static int snapshots_of(rp_report *r, int ci, char kind)
{
    const char *cs = r->cases[ci];
    const rp_mc *m = &r->mc[ci];
    const rp_mc none = {0};
    if (kind == 'w')
        m = &none; /* Monte Carlo weight histograms are not drawn */
    double ts[64];
    int nt = 0, any_w = 0;
    double xlo = INFINITY, xhi = -INFINITY; /* the abscissae drawn: their ticks */
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
            if ((ck >= 0 && tabs[ns].x[i * tabs[ns].ncol + ck] == 'w') != (kind == 'w')) {
                any_w |= kind == 'v';
                continue;
            }
            double x = tabs[ns].x[i * tabs[ns].ncol + nlif_rf_col(&tabs[ns], "x")];
            xlo = fmin(xlo, x), xhi = fmax(xhi, x);
            if (time_index(ts, nt, t) < 0 && nt < 64)
                ts[nt++] = t;
        }
        ns++;
    }
    for (int k = 0; k < m->n_snap; k++)
        if (time_index(ts, nt, m->snap_t[k]) < 0 && nt < 64)
            ts[nt++] = m->snap_t[k];
    if (!nt) {
        if (kind == 'v')
            rp_note_add(r, cs, "No density snapshots (no scheme snapshot file, no Monte Carlo histogram) for %s.", cs);
        goto out;
    }
    qsort(ts, (size_t)nt, sizeof *ts, rp_cmp_double);
    rp_figure *f = rp_fig_new(r, kind == 'w' ? "weights" : "density", cs);
    if (!f)
        goto out;
    snprintf(f->title, sizeof f->title, kind == 'w' ? "weight marginals ρ(w, t) — %s" : "density snapshots — %s", cs);
    if (nt > RP_MAX_PANELS) {
        char msg[200];
        snprintf(msg, sizeof msg, "Only the first %d of %d snapshot times are drawn. ", RP_MAX_PANELS, nt);
        rp_caption_add(f, "%s", msg, NULL);
        nt = RP_MAX_PANELS;
    }
    int cols = nt < 3 ? nt : 3, rows = (nt + cols - 1) / cols;
    rp_sb body = {0};
    rp_sb_printf(&body, "set multiplot layout %d,%d\n", rows, cols); /* no figure title: the caption has it */
    rp_sb_add(&body, kind == 'w' ? RP_GRID "set xlabel 'w'\nset ylabel 'ρ(w, t)'\n" : RP_GRID "set xlabel 'v'\nset ylabel 'p(v, t)'\n");
    rp_gp_ticks(&body, "x", xlo, xhi);
    rp_sb_add(&body, "set key top left reverse Left samplen 1.5 font ',7'\n"
                     "set offsets 0, 0, graph 0.45, 0\n" /* room above the profile for the key */
                     "set style fill solid 0.4 noborder\n");
    int mc_missing = 0;
    for (int k = 0; k < nt; k++) {
        rp_sb plot = {0};
        int first = 1;
        rp_sb_printf(&body, "set title 't = %.6g'\n", ts[k]);
        mc_missing += mc_histogram(r, m, f, k, ts[k], &plot, &first);
        for (int s = 0; s < ns; s++)
            if (have[s])
                scheme_profile(r, f, k, ts[k], &tabs[s], sch[s], kind, &plot, &first);
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
    if (kind == 'w') {
        rp_caption_add(f, "The weight marginal ρ(w, t) = ∫ p(v, w, t) dv of each scheme at each snapshot time (the "
                          "snapshot files' w rows). ", NULL, NULL);
    } else if (!m->have) {
        rp_caption_add(f, "No Monte Carlo data for %s: the densities are drawn without histograms. ", cs, NULL);
        rp_note_add(r, cs, "No Monte Carlo data for %s: density snapshots are drawn without histograms.", cs);
    } else if (mc_missing) {
        rp_caption_add(f, "Some snapshot times have no Monte Carlo histogram (the Monte Carlo run has none there). ",
                    NULL, NULL);
    } else {
        rp_caption_add(f, "Grey: Monte Carlo voltage histogram (%s). ", m->dir, NULL);
    }
    if (any_w)
        rp_caption_add(f, "The weight marginals of this structured case are the next figure. ", NULL, NULL);
    rp_fig_draw(r, f, &body, cols == 1 ? RP_COLUMN_IN : RP_FULL_IN, 2.5 * rows + 0.3);
    rp_sb_free(&body);
out:
    for (int s = 0; s < ns; s++)
        if (have[s])
            nlif_rf_table_free(&tabs[s]);
    return any_w;
}

void rp_fig_snapshots(rp_report *r, int ci)
{
    if (snapshots_of(r, ci, 'v'))
        snapshots_of(r, ci, 'w');
}
