/* nlif_converge.h — convergence studies: one scheme on one case over a refinement ladder
 * (ratio 2) in v, t or w; errors against an exact solution where one exists, else against the
 * finest level (or the CVODE time-accurate reference for t); per-level ratios, fitted order
 * (least-squares log–log slope), and the work–precision data (error vs CPU seconds).
 * Used by `nlif converge` and by `nlif verify` for the order checks (MATHEMATICS.md §6).
 */
#ifndef NLIF_CONVERGE_H
#define NLIF_CONVERGE_H

#include "../../core/nlif_scheme.h"

#include <jansson.h>

/* VT: Δv and Δt together (work–precision ladders; no order judged). */
typedef enum { NLIF_REFINE_V = 0, NLIF_REFINE_T, NLIF_REFINE_W, NLIF_REFINE_VT } nlif_refine;

#define NLIF_MAX_LEVELS 10
/* Errors at or below this (absolute; p and N are O(1)) are round-off and are not fitted. */
#define NLIF_CONV_ROUNDOFF 1e-13

typedef struct nlif_conv_level {
    double dv, dt, dw;        /* the resolution of this level */
    double h;                 /* the refined step (dv, dt or dw) */
    double err_p;             /* L1 in v (and w) of p at t_final against the reference */
    double err_rate;          /* max in time of |N − N_ref| */
    double err_rate_t;        /* the time where that maximum is reached */
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
    /* Extensions (converge.c): */
    char reference_rate[32];  /* reference of the N errors when it differs from that of p (w: "finest") */
    int ref_status;           /* nlif_status of the reference run (OK for an exact reference) */
    double ref_h, ref_cpu_seconds; /* the reference run's step and cost (NAN / 0 when exact) */
    int ref_halvings;         /* J: ref_h = h_{K−1}/2^J (0 when exact) */
    char measure_p[96];       /* what err_p measures (e.g. "L1 in v at t_final, coarse nodes") */
    char note[256];           /* how Δt / Δv were chosen for the non-refined directions */
} nlif_convergence;

/* Settings of a study (all optional: nlif_converge uses the defaults). */
typedef struct nlif_converge_settings {
    const char *reference;    /* "auto" (exact where one exists, else finest), "exact", "finest", "cvode" */
    double coarsest;          /* h of level 0 (NAN: the case's resolution) */
    const char *const *ref_opts; /* cvode reference options "name=value" (e.g. flux=maxwellian) */
    int n_ref_opts;
    int ref_halvings;         /* finest: the reference step is h_{K−1}/2^J (0: J = 3 in v, 4 in t, 2 in w —
                                 with J = 1 the last ratio of an order-q ladder is biased by the factor
                                 (1 − 2^{−2q})/(1 − 2^{−q}): 1.5 for q = 1, see converge.c) */
    int fixed_dt;             /* w: keep Δt at the case's value instead of scaling it with Δw (for an
                                 explicit learning step the CFL Δt max|K| ≤ Δw must still hold) */
} nlif_converge_settings;

const char *nlif_refine_name(nlif_refine d);
int nlif_refine_parse(const char *s, nlif_refine *d);
/* Run the ladder: level 0 is the case's default resolution (or `coarsest` scaled, see the .c). */
int nlif_converge(const nlif_scheme_type *st, const nlif_case *cs, const nlif_optset *opt, nlif_refine dir,
                  int levels, nlif_convergence *out, nlif_error *err);
int nlif_converge_ex(const nlif_scheme_type *st, const nlif_case *cs, const nlif_optset *opt, nlif_refine dir,
                     int levels, const nlif_converge_settings *set, nlif_convergence *out, nlif_error *err);
json_t *nlif_convergence_json(const nlif_convergence *c);
/* Least-squares slope of log(err) against log(h) (h halving): the observed order. */
double nlif_fit_order(const double *h, const double *err, int n);

#endif
