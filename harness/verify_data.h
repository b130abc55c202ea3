/* verify_data.h — what `nlif verify` reads to judge: run summaries and series, stored Monte Carlo
 * data, the exact jump of a case's initial data, distances of snapshot profiles (harness/verify.c). */
#ifndef NLIF_VERIFY_DATA_H
#define NLIF_VERIFY_DATA_H

#include "../solvers/core/nlif_error.h"
#include "../solvers/core/nlif_model.h"

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

json_t *nlif_vd_load_json(const char *path);
/* A number member of a JSON object, or NAN. */
double nlif_vd_num(const json_t *o, const char *key);
int nlif_vd_load_series(const char *path, series *s);
void nlif_vd_free_series(series *s);
/* Cumulative firing at time x (linear between samples; after the jump at an MFE). */
double nlif_vd_fired_at(const series *s, double x);
/* Half-width of the rate_mc band of one bin: 3 SE_MC against a deterministic scheme (random = 0 or
 * n < 2); against a random scheme whose n runs have the bin rates r[0..n), 3 sqrt(SE_MC² + s²/n) with
 * s the sample standard deviation of r: the scheme's mean over its seeds has its own error. */
double nlif_vd_rate_band(double se_mc, const double *r, int n, int random);
/* reference/data/NAME/NAME.json and NAME_rate.csv. */
int nlif_vd_load_mc(const char *name, mc_data *m);
void nlif_vd_free_mc(mc_data *m);
/* Δ = inf{ s ≥ 0 : mass above V_F − b s < s } of the case's initial data (after the kick). */
double nlif_vd_initial_jump(const nlif_case *cs, nlif_error *err);
/* L1 distance of the last v-profiles of two snapshot files on the same grid (NAN if unreadable). */
double nlif_vd_profile_distance(const char *a, const char *b);

#endif
