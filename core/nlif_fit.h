/* nlif_fit.h — the one least-squares straight-line fit of the suite: observed convergence orders
 * (harness/runs/converge.c) and work–precision slopes (reports/fig_work_precision.c).
 *
 * The points are added one at a time (the callers filter and take logarithms as they go) into the
 * plain sums Σx, Σy, Σx², Σxy, and the slope is (Σxy − ΣxΣy/m) / (Σx² − (Σx)²/m). gsl_fit_linear
 * computes the same slope with running means, which differs in the last bits; the sums are kept
 * because the suite's result files were made with them.
 */
#ifndef NLIF_FIT_H
#define NLIF_FIT_H

typedef struct nlif_fit {
    double sx, sy, sxx, sxy;
    int m; /* points added */
} nlif_fit;

static inline void nlif_fit_add(nlif_fit *f, double x, double y)
{
    f->sx += x, f->sy += y, f->sxx += x * x, f->sxy += x * y;
    f->m++;
}

/* The least-squares slope of y on x; NAN below 2 points or when the x do not spread. */
double nlif_fit_slope(const nlif_fit *f);

#endif
