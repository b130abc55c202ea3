/* nlif_report.h — `nlif report`: turn result files into a report a reader can believe at a glance.
 *
 * Reads only result files (STYLE: data flows one way): the verdict record of `nlif verify`
 * (io/nlif_verdicts.h), the run files it names (harness/runs/nlif_run.h) and Monte Carlo reference data
 * (reference/data/, else results/mc/, as written by `nlif mc`). Writes into OUT (default reports/out/):
 *   index.html  one self-contained page: provenance and whether the FAILs are known, the headline
 *               (report_headline.c), verdict matrix with every check, the named
 *               Choices in force, convergence tables, figures embedded as data: URIs;
 *   report.md   the same content in Markdown, figures as relative links;
 *   headline.tex (table*, one page), headline_full.tex (longtable), orders.tex, verdicts.tex,
 *   workprec.tex (longtable)   booktabs tables with \caption and \label (the headline; observed vs
 *               expected orders; the verdict matrix; error and cost per scheme, report_wp.c);
 *   fig/        per figure: the data files, a gnuplot script (cd fig && gnuplot NAME.gp redraws it),
 *               NAME.png and NAME.pdf.
 * Before it shows a verdict, the report checks the identity (path, run id, content hash) of every file
 * verify judged it from (verdicts.json "inputs", io/nlif_identity.h): a verdict judged from a file
 * that is missing, carries another run id or changed is shown as "refused", naming the file and what
 * differs, and counted in nlif_report_summary.refused (`nlif report` then exits 2).
 * A missing input (no Monte Carlo data, an absent scheme, gnuplot failing) leaves that layer out of a
 * figure and says so in a sentence of the report; it is never a crash or a silent gap.
 */
#ifndef NLIF_REPORT_H
#define NLIF_REPORT_H

#include "../core/nlif_error.h"

#define NLIF_REPORT_MAX_MC_DIRS 8

typedef struct nlif_report_options {
    const char *verdicts;  /* path of verdicts.json */
    const char *out_dir;   /* output directory */
    int pdf;               /* also draw every figure as PDF */
    int n_mc_dirs;         /* extra directories searched first for Monte Carlo data */
    const char *mc_dirs[NLIF_REPORT_MAX_MC_DIRS];
    int quiet;
} nlif_report_options;

typedef struct nlif_report_summary {
    int cells, pass, fail, na;
    int known;          /* of the FAILs, known failures (ci/known_failures) */
    int cases, schemes;
    int figures, figures_failed;
    int notes;             /* sentences about missing inputs */
    int refused;           /* verdicts refused: a file they were judged from changed (nlif_identity.h) */
    int unchecked;         /* verdicts the record names no files for (shown, unchecked) */
    char png_terminal[16]; /* the gnuplot terminal used for PNG ("pngcairo" or "png"; "" if none) */
} nlif_report_summary;

void nlif_report_options_default(nlif_report_options *o);
int nlif_report_generate(const nlif_report_options *o, nlif_report_summary *sum, nlif_error *err);

#endif
