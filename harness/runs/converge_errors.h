/* converge_errors.h — private to harness/runs/converge*.c: the errors of one level of a convergence
 * study against its reference (converge_errors.c; what each measures: converge.c's file comment). */
#ifndef NLIF_CONVERGE_ERRORS_H
#define NLIF_CONVERGE_ERRORS_H

#include "../../core/nlif_model.h"
#include "../../core/nlif_trajectory.h"
#include "../../exact/nlif_density.h"
#include "nlif_run.h"

/* 1 if the OU Gaussian is an exact solution of CS to round-off. */
int nlif_conv_ou_exact_applies(const nlif_case *cs);
/* L1 in v of the profile against the cell means of N(mean, var). */
double nlif_conv_err_profile_gauss(const nlif_snapshot *s, double mean, double var);
/* L1 in v of the profile against the manufactured solution's exact profile at its time (MATHEMATICS.md
 * §6b), and max over t > 0, t ≥ t_from (0: every sample; an initial layer left out; with a delay d also
 * [d, d + t_from), where the drift's jump starts the layer again) of |N − N_m(t)|. */
double nlif_conv_err_profile_mms(const nlif_snapshot *s, const nlif_case *cs);
double nlif_conv_err_rate_mms(const nlif_trajectory *lv, const nlif_case *cs, double t_from, double *at);
/* L1 in w of rho against the exact cell means of the linear-rule transport of rho0 at t. */
double nlif_conv_err_rho_exact(const nlif_snapshot *s, const nlif_density *rho0, const nlif_structure *st, double t);
/* L1 in v of the profile against a finer run's, interpolated at the level's nodes. */
double nlif_conv_err_profile_run(const nlif_snapshot *s, const nlif_snapshot *ref);
/* L1 in w of rho against a finer run's cell averages. */
double nlif_conv_err_rho_run(const nlif_snapshot *s, const nlif_snapshot *ref, const nlif_structure *st);
/* max over t > 0, t ≥ t_from, outside [delay, delay + t_from) when delay > 0, of |N - N_ref| (rt, rn:
 * room for ref->n samples; *at: where). */
double nlif_conv_err_rate_run(const nlif_trajectory *lv, const nlif_trajectory *ref, double *rt, double *rn,
                              double t_from, double delay, double *at);
/* max over t > 0 of |N| (the exact OU reference: N = 0). */
double nlif_conv_err_rate_zero(const nlif_trajectory *lv, double *at);
/* The run's snapshot at t_final, or NULL when it stopped before. */
const nlif_snapshot *nlif_conv_final_snapshot(const nlif_run_result *r, double t_final);

#endif
