/* nlif_run.h — run one scheme on one case through the registry interface, and write its results.
 *
 * The driver allocates the scheme, advances it to each snapshot time and to t_final, copies the
 * profiles, stops early when the scheme reports blowup/runaway/failed, and measures CPU time. The
 * results are one JSON summary and CSV files (series, snapshots), each with full provenance.
 */
#ifndef NLIF_RUN_H
#define NLIF_RUN_H

#include "../../core/nlif_scheme.h"

#include <jansson.h>

typedef struct nlif_snapshot {
    double t;
    int n;
    double *v, *p;
    int n_atoms;
    double atom_v[NLIF_PROFILE_MAX_ATOMS], atom_mass[NLIF_PROFILE_MAX_ATOMS];
    int nw;
    double *w, *rho;
    double *p_i;   /* two populations: I's density on the nodes v (MATHEMATICS.md §1.6), else NULL */
} nlif_snapshot;

typedef struct nlif_run_result {
    nlif_trajectory traj;
    int n_snap;
    nlif_snapshot snap[NLIF_MAX_SNAPSHOTS + 1]; /* the case's snapshot times, and the final state */
    double cpu_seconds;
} nlif_run_result;

/* Run scheme ST on case CS (its run section gives the resolution) with options OPT. */
int nlif_run_scheme(const nlif_scheme_type *st, const nlif_case *cs, const nlif_optset *opt, nlif_run_result *res,
                    nlif_error *err);
void nlif_run_result_free(nlif_run_result *res);
/* The JSON summary (caller owns it): case, scheme, options, choices, resolution, seed, status,
 * mass_drift, min_density, final_rate, blowup_time, mfe, events, stats, cpu_seconds, provenance. */
json_t *nlif_run_summary(const nlif_scheme_type *st, const nlif_case *cs, const nlif_optset *opt,
                         const nlif_run_result *res);
/* Write the result set DIR/STEM.json, DIR/STEM.series.csv, DIR/STEM.snapshots.csv as a whole, in the
 * format of RESULTS.md (io/nlif_resultfmt.h): format version and one run id in every file
 * (set into SUMMARY too), temporary names renamed into place, the summary last. */
int nlif_run_write(const char *dir, const char *stem, json_t *summary, const nlif_run_result *res, nlif_error *err);
/* Final rate: the mean of N over the last tenth of the run (the same window as Monte Carlo). */
double nlif_run_final_rate(const nlif_trajectory *tr);

#endif
