/* nlif_check.h — the checks of `nlif verify` as type objects (as GSL's type objects:
 * a constant table of a type's name and functions).
 *
 * A check is a constant nlif_check_type: its name (as the case states it in expect.checks), what it
 * needs from the scheme (capabilities, nlif_scheme.h) and from the case (stored Monte Carlo data),
 * the extra jobs it plans, and how it judges. One check per file under harness/checks/, one line in
 * harness/checks/registry.c. The orchestrator (harness/verify/orchestrate.c) plans, runs and judges; it
 * knows no check by name. What a check acts on and calls — the verifier's state, its cells, its jobs —
 * is below the checks, in harness/judge/nlif_judge.h. A check the case states for a scheme that lacks
 * one of its capabilities is n.a. with the capability named (the orchestrator writes that cell); every
 * other verdict is the check's, against the case's bound, the same for every scheme (MATHEMATICS.md 6).
 */
#ifndef NLIF_CHECK_H
#define NLIF_CHECK_H

#include "../../core/nlif_scheme.h"
#include "../runs/nlif_jobs.h"
#include "../judge/nlif_judge.h"
#include "../judge/verify_data.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* One [expect] key a check reads — a bound or a setting of the case (cases/README.md) — declared in
 * the check's own table (NULL name terminates). nlif_option_spec (core/nlif_options.h) has no open
 * lower bound, and the bounds need one ("> 0"): hence this table of its own. The case keeps the
 * text (nlif_expect_bound); nlif_checks_validate_expect checks it against the spec at the edge, and
 * nlif_check_bound converts it (or the default) with the case format's strtod conversion. */
typedef struct nlif_expect_spec {
    const char *name;
    int integer;        /* 1: a whole number (an index, a count), else a finite double */
    const char *def;    /* default, as text */
    double min, max;    /* range; min itself allowed unless excl_min */
    int excl_min;
    const char *doc;    /* one line, for `nlif show --keys` and cases/README.md */
} nlif_expect_spec;

typedef struct nlif_check_type {
    const char *name;   /* as stated in expect.checks (or the cell name of an always-judged check) */
    const char *title;  /* one line, for --help texts and docs */
    int always;         /* judged on every run without being stated (status, mass, positivity, baseline) */
    int per_case;       /* judged once per case in the Monte Carlo column (scheme "mc"), not per scheme */
    unsigned needs;     /* capabilities a scheme needs for it (NLIF_SUPPORTS_*, NLIF_HAS_*): else n.a. */
    int uses_mc;        /* reads the case's stored Monte Carlo data (reference/data/CASE/) */
    /* Jobs beyond the run at the default resolution (NULL: none). For a per-case check st is NULL. */
    void (*plan)(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st);
    void (*judge)(const nlif_check_ctx *c);
    const nlif_expect_spec *expect; /* the [expect] keys it declares (NULL: none); others may read them */
} nlif_check_type;

/* The registry (harness/checks/registry.c), in the order of the verdict table; NULL-terminated. */
extern const nlif_check_type *const nlif_checks[];
const nlif_check_type *nlif_check_find(const char *name);
/* The names a case may state in expect.checks, comma-separated. */
const char *nlif_check_names(void);

/* ---- The checks' [expect] keys (harness/checks/expect.c). ----
 * A key several checks read is declared by one (the check it belongs to: rate_tol and
 * stationary_root by stationary_rate, jump_tol by jump, the MFE allowances by mfe_mc) and read by
 * the others through nlif_check_bound, which looks it up over the whole registry: one declaration,
 * one default, one range. Checks of one file may share one table (order_v, order_t, order_w). Two
 * declarations of a key must be identical (nlif_checks_registry_valid refuses otherwise). The _in
 * forms take another registry (NULL: nlif_checks), for tests. */

/* The value of KEY for the case: the text the case gives, else the declaring check's default,
 * converted as the case format converts numbers. NAN if no check declares KEY (a programming error). */
double nlif_check_bound(const nlif_case *cs, const char *key);
/* The times a solver's snapshots are judged at: the case's snapshot times inside (0, t_final), then
 * t_final (the final state), as the protocol asks for them (SOLVERS.md); at most max; the count. */
int nlif_check_judged_times(const nlif_case *cs, double *t, int max);
/* The bound of the jump check's time cell: expect.jump_t_tol, or two steps of the case (2 run.dt) when
 * the case gives 0 (a scheme resolves the event to the step it lands in, and may record it at the end of
 * that step: one step, with a step's rounding to spare). */
double nlif_check_jump_time_bound(const nlif_case *cs);
double nlif_check_bound_in(const nlif_check_type *const *reg, const nlif_case *cs, const char *key);
/* The first declaration of KEY, or NULL. */
const nlif_expect_spec *nlif_check_bound_spec(const nlif_check_type *const *reg, const char *key);
/* The registry's declarations agree: every key declared identically wherever it is, none named
 * like a key of the case format, every default valid, at most NLIF_MAX_EXPECT_BOUNDS keys. */
int nlif_checks_registry_valid(const nlif_check_type *const *reg, nlif_error *err);
/* The case's [expect] at the edge: every name in expect.checks a stateable check of the registry,
 * every other key declared by a check and its value valid for it. Refusals start with the location,
 * "FILE:LINE: [expect] KEY: what is wrong (allowed: ...)" ("--set expect.KEY=VALUE: ..." for an
 * override), NLIF_EINVAL (exit 2). */
int nlif_checks_validate_expect(const nlif_case *cs, nlif_error *err);
int nlif_checks_validate_expect_in(const nlif_check_type *const *reg, const nlif_case *cs, nlif_error *err);
/* nlif_case_load, then nlif_checks_validate_expect: how every command loads a case for use. */
int nlif_checks_load_case(nlif_case *cs, const char *name_or_path, const char *const *sets, int n_sets, nlif_error *err);
/* Every key the checks declare into the case's entries, in registry order, the given value or the
 * default, written as the case format writes numbers (%.15g): what `nlif show` prints. */
void nlif_checks_complete_expect(nlif_case *cs);
/* The documentation of every section and key of a case file, the checks' [expect] keys included
 * (`nlif show --keys`; cases/README.md documents each). */
void nlif_checks_print_case_keys(FILE *f);

/* ---- Helpers shared by checks (harness/checks/common.c). ---- */

/* The n.a. text of a capability the scheme lacks: "lacks capability NAME (meaning)". */
const char *nlif_lacks(unsigned flag, char *out, size_t len);
/* The scheme's claim on a check that is tighter than the case's bound, or NULL. */
const nlif_scheme_claim *nlif_check_claim(const nlif_scheme_type *st, const char *check, double case_bound);
/* Seeds a random scheme is run with for the Monte Carlo comparisons (8 in both modes: 3 are too few
 * to resolve the multiscale bias on periodic_mfe_b2), and the jobs of seeds 2..n. */
#define NLIF_RANDOM_SEEDS 8

/* The distance of a run (its summary RUNPATH, a result set of RESULTS.md) at steps DV (the case's dv
 * scaled; 0: the case's) to the case's time-accurate reference (cvode at Δv/8, which the accuracy
 * check plans for a calm case with a1 = 0): the L1 distance of p at t_final and the largest |N − N_ref|
 * over the run (accuracy.c). 0, or -1 with why (no such reference, a file missing). */
int nlif_accuracy_has_reference(const nlif_case *cs);
int nlif_accuracy_distance(const nlif_verify *v, const nlif_case *cs, const char *runpath, double dv, double *err_p,
                           double *err_n, char *why, size_t wl);
void nlif_plan_seeds(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st);
/* A `converge` job of verify named STEM: the case, scheme st refined in study->refine ("v", "t", "w",
 * "vt") over study->levels levels with the study's further arguments (nlif_child.h; its case, scheme
 * and out are set here), its study (--json) written to verify's converge folder as
 * CASE.SCHEME.REFINE.json (nlif_converge_study_path). NULL if STEM is planned already. */
nlif_job *nlif_plan_converge(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st, const char *stem,
                             const nlif_converge_args *study);
/* The path of that study, into path (len bytes). */
const char *nlif_converge_study_path(const nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st,
                                     const char *refine, char *path, size_t len);

/* ---- The order checks (harness/checks/order.c; MATHEMATICS.md 6). ---- */

/* Judge one quantity of a convergence study (`nlif converge --json`): the levels' errors ERR_KEY
 * ("err_p", "err_rate") against the reference REF_KEY names ("reference", "reference_rate"), for the
 * claimed order q within tol: the fitted order, the local order of the finest pair (against the
 * finest run corrected for the reference's own error) and every local order (none more than tol
 * below its expected one). *pass, the cell's figure, its bound text and a detail text. */
void nlif_order_judge_quantity(const json_t *conv, const char *err_key, const char *ref_key, double q, double tol,
                               int *pass, double *measured, char *bound, size_t blen, char *detail, size_t dlen);

/* ---- The statistics of snapshot_mc (harness/checks/snapshot_mc.c; MATHEMATICS.md 6). ---- */

/* The CDF of a snapshot at the points u[0..m) (increasing): the trapezoid cumulative of the v rows
 * (x, p)[0..n) (linear between nodes, 0 below x[0]) plus the point masses strictly below u. */
void nlif_snap_cdf(const double *x, const double *p, int n, const double *atom_v, const double *atom_m, int na,
                   const double *u, int m, double *F);
/* max_j |F[j] − G[j]| and its index. */
double nlif_snap_ks(const double *F, const double *G, int m, int *where);
/* Hoeffding with a union bound over m points: the deviation of an empirical CDF of `samples`
 * independent draws (of possibly different laws) from their mean law exceeded at any of them with
 * probability <= alpha: sqrt(ln(2 m / alpha) / (2 samples)). */
double nlif_snap_stat_bound(double samples, int m, double alpha);
/* The largest, over tau in {lo, hi}, of the mean of |x[i] − tau| over x[0..r). */
double nlif_snap_shift(const double *x, int r, double lo, double hi);
/* max over the inner bin edges of |dF/dt| = |N H(u − v_r) − J(u)|, J = (−u + mu) p − a dp/dv, from a
 * histogram dens[0..nb) of bin width h from v_lo, p and dp/dv averaged over k bins each side; the
 * largest averaged p into *pmax. */
double nlif_snap_dfdt(const double *dens, int nb, double v_lo, double h, int k, double rate, double mu, double a,
                      double v_r, double *pmax);

/* ---- The learning limit (harness/checks/learning_limit.c; MATHEMATICS.md 6, "Learning in the limit"). ----
 * The bound B_ρ of cell learning_limit(rho) at each judged snapshot time of the case (t[0..*n), at most
 * max), as the check computes it from the exact limit (exact/nlif_learning.h): what a parameter's change
 * must move ρ by to be seen (tests/test_coverage.c). */
int nlif_learning_limit_bounds(const nlif_case *cs, double *t, double *b_rho, int max, int *n, nlif_error *err);

/* ---- The figures of oscillation (harness/checks/oscillation.c; MATHEMATICS.md 6, "Oscillation"). ---- */
typedef struct nlif_osc_figures_t {
    double mean, amp, amp_se;       /* mean of y; amplitude: RMS of y about it; its SE from se[] (NAN without) */
    double period, period_se;       /* mean spacing of the upward crossings of the mean (NAN: fewer than 2) */
    double t_first;                 /* the first crossing */
    int crossings;
} nlif_osc_figures_t;
/* The figures of samples (t, y)[0..n) (bin centres and bin means; se[i] the SE of y[i], or NULL): a
 * crossing is counted where y rises through the mean, linear between samples, once y has been below the
 * mean by half the amplitude since the last one. 0, or -1 for n < 3. */
int nlif_osc_figures(const double *t, const double *y, const double *se, int n, nlif_osc_figures_t *f);
/* The growth rate of the envelope of |x − rest| over samples (t, x)[0..n): the least-squares slope of the log
 * of its maximum over the windows [from + k len, from + (k+1) len) inside the samples; their count in
 * *windows; NAN for fewer than 2 or an envelope of 0. */
double nlif_osc_growth(const double *t, const double *x, int n, double rest, double from, double len, int *windows);

#endif
