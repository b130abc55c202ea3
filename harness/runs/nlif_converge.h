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
    long steps;               /* time steps the run took (its samples − 1): whether a Δt ladder refined */
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
    int no_rate;              /* measure p only where p has an exact reference (w with the linear rule): no
                                 reference run for N, err_rate null, reference_rate "none" (verify's quick
                                 tier: the w order is judged on p alone, and that run costs more than the
                                 whole ladder) */
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

/* ---- The order table of one quantity of a study (converge_orders.c; MATHEMATICS.md 6) ---------- */

/* Why a level has no usable error, or a pair of levels no local order. */
typedef enum {
    NLIF_ORD_OK = 0,
    NLIF_ORD_NO_ERROR,    /* the run did not reach t_final with status ok, or no error was measured */
    NLIF_ORD_ROUNDOFF,    /* the error is at round-off (<= NLIF_CONV_ROUNDOFF): no order in it */
    NLIF_ORD_NOT_REFINED, /* a Δt ladder whose runs did not take the halved step (fewer than 1.5x the
                             steps of the level before: the scheme's own limit, e.g. a CFL step) */
    NLIF_ORD_NOT_MEASURED /* the study measured no such error (its reference for it is "none": --no-rate) */
} nlif_order_why;

/* Everything the order check and the study's table say about one quantity (err_p or err_rate),
 * recomputed from the levels of the study as written: the error ratios, the local order of every
 * pair of consecutive levels log(e_{k−1}/e_k)/log(h_{k−1}/h_k), the local order a scheme of the
 * claimed order q shows there (against the finest run at h_ref the error is C(h^q − h_ref^q)), the
 * least-squares fit, and the judgement of harness/checks/order.c: the fit within tol of q, the finest
 * pair within tol of its expected value, no drift (a local order more than tol below its expected
 * value after an earlier pair reached it). A ladder that cannot show an order (every pair at round-off
 * or not refined) has a reason in `na` and a NAN fit, never a slope of its noise. */
typedef struct nlif_order_table {
    int n;                                  /* levels */
    double q, tol, ref_h;                   /* the claim (NAN: none), order_tol, the finest run's step (NAN: exact) */
    double h[NLIF_MAX_LEVELS], err[NLIF_MAX_LEVELS];
    long steps[NLIF_MAX_LEVELS];            /* -1 when the study does not record them */
    double ratio[NLIF_MAX_LEVELS];          /* err[k−1]/err[k]; NAN for k = 0 */
    double local[NLIF_MAX_LEVELS];          /* pair (k−1, k); NAN for k = 0 and where why_pair is set */
    double expect_local[NLIF_MAX_LEVELS];   /* NAN without a claim */
    nlif_order_why why_level[NLIF_MAX_LEVELS], why_pair[NLIF_MAX_LEVELS];
    int drift[NLIF_MAX_LEVELS];             /* pair k falls more than tol below expect_local[k] after an earlier
                                               pair reached it */
    int drift_at;                           /* the first pair that fails that rule (a pair without a local
                                               order counts, as in the check), -1 for none */
    int fit_from;                           /* the fit uses the usable levels fit_from..n−1 (after the last
                                               pair that did not refine) */
    double fit;                             /* NAN when fewer than two levels carry an order */
    double fin, fin_expect;                 /* the finest pair and its expected local order */
    int fit_ok, fin_ok, pass;               /* the order check's three conditions and its verdict (0 without q) */
    char na[320];                           /* why the ladder shows no order ("" when it does) */
} nlif_order_table;

/* The table of ERR_KEY ("err_p" or "err_rate") of study CONV (the JSON of nlif_convergence_json),
 * its reference named by REF_KEY ("reference" or "reference_rate"), claimed order Q (NAN: none),
 * tolerance TOL. */
void nlif_order_table_of(const json_t *conv, const char *err_key, const char *ref_key, double q, double tol,
                         nlif_order_table *T);
/* The words for a reason ("round-off", ...). */
const char *nlif_order_why_text(nlif_order_why w);

#endif
