/* nlif_converge.h — convergence studies: one scheme on one case over a refinement ladder
 * (ratio 2) in v, t or w; errors against an exact solution where one exists, else against the
 * finest level (or the CVODE time-accurate reference for t); per-level ratios, fitted order
 * (least-squares log–log slope), and the work–precision data (error vs CPU seconds).
 * Used by `nlif converge` and by `nlif verify` for the order checks (MATHEMATICS.md §6).
 */
#ifndef NLIF_CONVERGE_H
#define NLIF_CONVERGE_H

#include "../solvers/core/nlif_scheme.h"

#include <jansson.h>

typedef enum { NLIF_REFINE_V = 0, NLIF_REFINE_T, NLIF_REFINE_W } nlif_refine;

#define NLIF_MAX_LEVELS 10

typedef struct nlif_conv_level {
    double dv, dt, dw;        /* the resolution of this level */
    double err_p;             /* L1 in v (and w) of p at t_final against the reference */
    double err_rate;          /* max in time of |N − N_ref| */
    double ratio_p, ratio_rate; /* err(level − 1) / err(level); NAN for the first */
    double cpu_seconds;
    int status;               /* nlif_status of the run */
} nlif_conv_level;

typedef struct nlif_convergence {
    char case_name[64], scheme[32];
    nlif_refine dir;
    int n_levels;             /* levels with errors (the finest run, when it is the reference, is not one) */
    nlif_conv_level lev[NLIF_MAX_LEVELS];
    char reference[32];       /* "exact", "finest", "cvode" */
    double order_p, order_rate;      /* fitted slopes (NAN when not measurable) */
    double expected_p, expected_rate; /* from the scheme type (NAN: none) */
} nlif_convergence;

const char *nlif_refine_name(nlif_refine d);
int nlif_refine_parse(const char *s, nlif_refine *d);
/* Run the ladder: level 0 is the case's default resolution (or `coarsest` scaled, see the .c). */
int nlif_converge(const nlif_scheme_type *st, const nlif_case *cs, const nlif_optset *opt, nlif_refine dir,
                  int levels, nlif_convergence *out, nlif_error *err);
json_t *nlif_convergence_json(const nlif_convergence *c);
/* Least-squares slope of log(err) against log(h) (h halving): the observed order. */
double nlif_fit_order(const double *h, const double *err, int n);

#endif
