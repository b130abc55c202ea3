/* report.c — `nlif report`: read the verdict record and the result files it names, draw the figures,
 * write index.html, report.md, orders.tex and verdicts.tex (see nlif_report.h). */
#include "report_doc.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../io/nlif_results.h"
#include "../io/nlif_verdicts.h"

void nlif_report_options_default(nlif_report_options *o)
{
    memset(o, 0, sizeof *o);
    o->verdicts = NLIF_VERDICTS_PATH;
    o->out_dir = "reports/out";
    o->pdf = 1;
}

/* Remove the previous run's figure files (every script, image and data file in OUT/fig, which is the
 * report's own folder) so that no stale figure survives under a name no figure has any more. */
static void clean_fig_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    static const char *const ext[] = {".gp", ".png", ".pdf", ".dat"};
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *n = e->d_name;
        size_t len = strlen(n);
        for (int k = 0; k < 4; k++) {
            size_t el = strlen(ext[k]);
            if (len > el && !strcmp(n + len - el, ext[k])) {
                char p[RP_PATH + 300];
                snprintf(p, sizeof p, "%s/%s", dir, n);
                unlink(p);
                break;
            }
        }
    }
    closedir(d);
}

int nlif_report_generate(const nlif_report_options *o, nlif_report_summary *sum, nlif_error *err)
{
    rp_report r;
    memset(&r, 0, sizeof r);
    r.opt = o;
    if (sum)
        memset(sum, 0, sizeof *sum);
    snprintf(r.out, sizeof r.out, "%s", o->out_dir);
    snprintf(r.fig_dir, sizeof r.fig_dir, "%.4000s/fig", o->out_dir);
    int rc = rp_load(&r, err);
    if (!rc)
        rc = nlif_mkdir_p(r.fig_dir, err);
    if (!rc) {
        clean_fig_dir(r.fig_dir);
        rp_gnuplot_detect(&r);
        if (!r.png_term[0])
            rp_note_add(&r, NULL, "gnuplot with a png or pngcairo terminal was not found: no figure is drawn "
                                  "(their scripts and data are in fig/).");
        if (o->pdf && !r.pdf_term[0] && r.png_term[0])
            rp_note_add(&r, NULL, "gnuplot has no pdfcairo terminal: figures are drawn as PNG only.");
        rc = rp_figures(&r, err);
    }
    rp_doc doc = {0};
    if (!rc)
        rc = rp_doc_build(&r, &doc, err);
    if (!rc) /* HTML first: a figure it cannot embed is left out of report.md too */
        rc = rp_emit_html(&r, &doc, err);
    if (!rc)
        rc = rp_emit_markdown(&r, &doc, err);
    if (!rc)
        rc = rp_emit_latex(&r, &doc, err);
    rp_doc_free(&doc);
    if (!rc && sum) {
        sum->cells = r.n_cells;
        for (int i = 0; i < r.n_cells; i++) {
            sum->pass += r.cells[i].verdict == RP_PASS;
            sum->fail += r.cells[i].verdict == RP_FAIL;
            sum->known += r.cells[i].verdict == RP_FAIL && r.cells[i].known_failure;
            sum->na += r.cells[i].verdict == RP_NA;
        }
        sum->cases = r.n_cases;
        sum->schemes = r.n_schemes;
        for (int i = 0; i < r.n_figs; i++) {
            sum->figures += r.figs[i].ok;
            sum->figures_failed += !r.figs[i].ok;
        }
        sum->notes = r.n_notes;
        sum->refused = r.n_refused;
        sum->unchecked = r.n_unchecked;
        snprintf(sum->png_terminal, sizeof sum->png_terminal, "%s", r.png_term);
    }
    rp_free(&r);
    return rc;
}
