/* verify_data.h — what `nlif verify` reads to judge: run summaries and series, stored Monte Carlo
 * data, the exact jump of a case's initial data, distances of snapshot profiles (harness/checks/). */
#ifndef NLIF_VERIFY_DATA_H
#define NLIF_VERIFY_DATA_H

#include "../../core/nlif_error.h"
#include "../../core/nlif_model.h"
#include "../../io/nlif_resultfmt.h"

#include <jansson.h>

/* A run's series: t and cumulative firing, read from its CSV. */
typedef struct series {
    int n;
    double *t, *rate, *fired;
} series;

/* Monte Carlo reference data of a case: the binned rate (mean, SE) and the summary. */
typedef struct mc_data {
    json_t *summary;
    int nbins;
    double *t_mid, *mean, *se;
    double bin;
    char path[512];
} mc_data;

/* Any JSON file (baselines, convergence studies); result files go through the readers below. */
json_t *nlif_vd_load_json(const char *path);
/* A run's result set (RESULTS.md) read and checked as a whole by the one reader
 * (io/nlif_resultfmt.h): its summary, or NULL with the reader's FILE:LINE message in why. */
json_t *nlif_vd_load_run(const char *json_path, char *why, size_t len);
/* The summary the checks judge: R's summary with mass_drift, min_density and final_rate replaced by the
 * figures nlif recomputes from the data (nlif_rf_run_figures), the run's own values kept in "claimed",
 * and every disagreement between the run's account and its data in "inconsistencies" (check
 * `consistent`). nlif_vd_load_run returns it. */
json_t *nlif_vd_judged_summary(const nlif_rf_run *r);
/* A number member of a JSON object, or NAN. */
double nlif_vd_num(const json_t *o, const char *key);
/* A run's series file (RESULTS.md), through the one reader; −1 if refused or fewer than 2 rows. */
int nlif_vd_load_series(const char *path, series *s);
/* A convergence study (`nlif converge --json`), through the one reader; NULL with the message in why. */
json_t *nlif_vd_load_study(const char *path, char *why, size_t len);
void nlif_vd_free_series(series *s);
/* Cumulative firing at time x (linear between samples; after the jump at an MFE). */
double nlif_vd_fired_at(const series *s, double x);
/* Half-width of the rate_mc band of one bin: 3 SE_MC against a deterministic scheme (random = 0 or
 * n < 2); against a random scheme whose n runs have the bin rates r[0..n), 3 sqrt(SE_MC² + s²/n) with
 * s the sample standard deviation of r: the scheme's mean over its seeds has its own error. */
double nlif_vd_rate_band(double se_mc, const double *r, int n, int random);
/* mfe_mc against a random scheme (MATHEMATICS.md 6). The excess of a difference d over an allowance,
 * in standard errors: (|d| − allow) / se; for se = 0, 0 inside the allowance and +inf outside. */
double nlif_vd_z_excess(double d, double allow, double se);
/* Mean and standard error of the mean (sample sd / sqrt(n); NAN for n < 2) of x[0..n). */
void nlif_vd_mean_se(const double *x, int n, double *mean, double *se);
/* Least-squares slope of t[0..n) against the index 0..n−1 (a mean period over n MFEs); NAN for n < 2. */
double nlif_vd_slope(const double *t, int n);
/* Welch–Satterthwaite degrees of freedom of a difference of two means with standard errors se1 (from n1
 * samples) and se2 (n2); +inf when both are 0. */
double nlif_vd_welch_df(double se1, int n1, double se2, int n2);
/* Bonferroni bound of one of m two-sided tests at family level alpha: the Student t quantile
 * t_df⁻¹(1 − alpha/(2m)), the normal one for df = inf. */
double nlif_vd_bound(double alpha, int m, double df);
/* The judgement of mfe_mc for a random scheme (MATHEMATICS.md 6). */
typedef struct nlif_mfe_judgement {
    int nfig, in95, fails; /* figures judged (time and size of each MFE); inside their own 95% (information);
                              over their family-wise bound */
    double zworst, worst_bound, worst_df; /* the figure closest to (or furthest over) its bound: largest z / bound */
    int kworst;                           /* its MFE (1-based) */
    char what;                            /* 't' time, 's' size */
    int kdrift;                           /* MFEs of the drift figure (0: not judged) */
    double period, period_se, mc_period, mc_period_se, zdrift, drift_df, drift_bound;
    int pass;
} nlif_mfe_judgement;
/* n seeds of a random scheme (2 <= n <= 16), each with MFEs 1..k: times t and sizes s, n × k, row by seed;
 * the Monte Carlo mean and SE of each MFE time and size over its mc_n realisations; the per-realisation
 * Monte Carlo times mc_t, r × k (or NULL: no drift figure); the case's allowances. Every figure's z is
 * the excess of |mean − MC mean| over the allowance in SE of the difference (tz[0..k), sz[0..k)),
 * against its Welch-t bound; t95[0..k), s95[0..k) get each figure's own (per-figure) 95% bound.
 * Family-wise 95%: with the drift figure (k >= 3 and mc_t: the mean period, least-squares slope of the
 * MFE times against their index) 2.5% goes to it and 2.5% to the 2k figures by Bonferroni; without it
 * the figures have the 5%. pass = 0 for n < 2. */
void nlif_vd_judge_mfe_random(const double *t, const double *s, int n, int k, const double *mc_tm, const double *mc_tse,
                              const double *mc_sm, const double *mc_sse, int mc_n, const double *mc_t, int r, double t_allow,
                              double s_allow, double *tz, double *sz, double *t95, double *s95, nlif_mfe_judgement *j);
/* The time of MFE 1..k of every realisation in a Monte Carlo MFE file (NAME_mfe.csv: realisation from 0,
 * index from 1, t, size; read through the one reader, with the run id of NAME.json beside it): *t is
 * r × k, row by realisation (free()). −1 if a file is missing or refused, or a realisation lacks one. */
int nlif_vd_load_mc_mfe_times(const char *path, int k, double **t, int *r);
/* reference/data/CASE/CASE.json and CASE_rate.csv of case cs, by the one lookup of stored Monte Carlo
 * data (io/nlif_mc_store.h); −1, with the reader's FILE:LINE message in why, if missing or refused, or
 * if the stored run is not the case's Monte Carlo (another model, initial law, input or horizon;
 * particles, realisations or step other than run.particles, run.realisations, run.mc_dt). */
int nlif_vd_load_mc_why(const nlif_case *cs, mc_data *m, char *why, size_t len);
void nlif_vd_free_mc(mc_data *m);
/* Δ = inf{ s ≥ 0 : mass above V_F − b s < s } of the case's initial data (after the kick). */
double nlif_vd_initial_jump(const nlif_case *cs, nlif_error *err);
/* The time of that first MFE: t0 of a kick (the kicked mass fires at the kick), 0 otherwise (the initial
 * data fire at once). */
double nlif_vd_initial_jump_time(const nlif_case *cs);
/* L1 distance of the last v-profiles of two snapshot files on the same grid (NAN if unreadable). */
double nlif_vd_profile_distance(const char *a, const char *b);

#endif
