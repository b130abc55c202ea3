/* nlif_study.h — the product of one convergence study (`nlif converge --plot --tex`;
 * reports/converge_study.c): the per-level order table (level, h, error, ratio, local order, the
 * local order the claim implies there, for p and for N, and the fitted orders) on a stream, as a
 * booktabs LaTeX table, and the log–log figure with a slope triangle of the claimed order. Everything
 * is recomputed from the study as written (nlif_convergence_json), through the order check's own
 * table (nlif_order_table_of): one fit, one tolerance, one drift rule (MATHEMATICS.md 6).
 */
#ifndef NLIF_STUDY_H
#define NLIF_STUDY_H

#include "../core/nlif_error.h"

#include <jansson.h>
#include <stdio.h>

typedef struct nlif_study_options {
    double tol;          /* the order check's tolerance for the case (expect.order_tol) */
    const char *out_dir; /* where STEM.tex and the figure go (STEM = CASE.SCHEME.REFINE) */
    int plot, tex;       /* write the figure (STEM.gp, STEM.dat, STEM.png, STEM.pdf), the table (STEM.tex) */
} nlif_study_options;

/* The order table of study CONV on F, with the reasons for every n.a. and every flag. */
void nlif_study_table(FILE *f, const json_t *conv, double tol);
/* The files the options ask for; each file written is named on LIST (one line each). A figure
 * gnuplot could not draw leaves its script and a sentence on LIST saying why; 0, or an error code
 * when a file could not be written. */
int nlif_study_write(const json_t *conv, const nlif_study_options *o, FILE *list, nlif_error *err);

#endif
