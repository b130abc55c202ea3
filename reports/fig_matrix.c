/* fig_matrix.c — the verdict matrix as a figure: one cell per case and scheme, green when every check
 * passed or was n.a., red when one failed, grey when all were n.a., labelled with the counts. */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void rp_fig_matrix(rp_report *r)
{
    if (!r->n_cells || !r->n_schemes)
        return;
    rp_figure *f = rp_fig_new(r, "verdicts", NULL);
    if (!f)
        return;
    snprintf(f->title, sizeof f->title, "verdict matrix (case × scheme)");
    char name[300];
    snprintf(name, sizeof name, "%s.dat", f->stem);
    FILE *d = rp_dat_open(r, name);
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
    /* no title inside a figure: the caption (and the HTML's alt text) carry f->title */
    rp_sb_printf(&body, "unset key\nset xrange [-0.5:%d.5]\nset yrange [-0.5:%d.5]\nset x2tics (", r->n_schemes - 1,
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
    rp_fig_draw(r, f, &body, RP_FULL_IN, 0.9 + 0.2 * r->n_cases);
    rp_sb_free(&body);
}
