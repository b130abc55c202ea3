/* nlif_resultfmt.h — THE result format of nlif (RESULTS.md, format version NLIF_RF_VERSION): the one
 * module that writes and reads result files (the writer io/resultfmt_write.c; the readers
 * io/resultfmt_read.c, single files, and io/resultfmt_sets.c, whole result sets). `nlif run`, `nlif mc`, `nlif verify`, `nlif converge`
 * and the reports all go through it, and so may a solver written outside nlif (RESULTS.md is its
 * contract).
 *
 * Writing: a result set (the files of one run) is written under temporary names beside the final
 * ones and renamed into place by nlif_rf_set_commit, the JSON summary last; every file carries the
 * format version and the set's run id. The temporary files are removed on every exit a handler can
 * see (exit, SIGINT, SIGTERM, SIGHUP) and, when a killed writer (SIGKILL) left them, by the next
 * writer of the same set.
 *
 * Reading: every reader refuses what is malformed with "FILE:LINE: what is wrong" in an nlif_error
 * (code NLIF_EINVAL, or NLIF_EIO when the file cannot be read): never a crash. The caller turns the
 * refusal into a FAIL verdict or exit code 2. The checks: format and version, run id, required files,
 * fields and columns, finite numbers, times that never decrease, profile lengths against the declared
 * grid, t_final reached or a status saying why it was not, and size limits.
 */
#ifndef NLIF_RESULTFMT_H
#define NLIF_RESULTFMT_H

#include "../core/nlif_error.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#define NLIF_RF_FORMAT "nlif-results"
#define NLIF_RF_VERSION 1
#define NLIF_RF_MAX_BYTES (512L << 20) /* the largest result file read */
#define NLIF_RF_MAX_LINE 4096          /* the longest line of a CSV file */
#define NLIF_RF_MAX_GRID 10000000      /* grid.nv, grid.nw */
#define NLIF_RF_MAX_SNAPSHOTS 64
#define NLIF_RF_ID_MAX 64

/* ---- writing ---- */

#define NLIF_RF_MAX_FILES 40
typedef struct nlif_rf_set {
    char dir[2048], stem[512];
    char run_id[NLIF_RF_ID_MAX];
    int n;
    char final[NLIF_RF_MAX_FILES][2600], tmp[NLIF_RF_MAX_FILES][2700];
    FILE *open;    /* the CSV being written (at most one at a time) */
    json_t *json;  /* the summary, written at commit */
    char json_suffix[64];
} nlif_rf_set;

/* Track a temporary file: it is removed at exit and on SIGINT/SIGTERM/SIGHUP until untracked (after it
 * was renamed or removed). Used by the set writer and by every other atomic write of nlif. Returns −1
 * when every slot is taken (the file is then not tracked). */
int nlif_rf_temp_track(const char *path);
void nlif_rf_temp_untrack(const char *path);
/* A fresh run id: "<UTC time>-<pid>-<16 random hex digits>". */
void nlif_rf_new_run_id(char *out, size_t len);
/* Remove DIR/STEM*.tmp-PID-K files whose writer PID no longer runs (STEM "" : every such file of DIR). */
void nlif_rf_remove_stale(const char *dir, const char *stem);
/* Begin the set DIR/STEM* (DIR must exist). Removes temporary files of STEM left by a writer that
 * no longer runs. */
int nlif_rf_set_begin(nlif_rf_set *s, const char *dir, const char *stem, nlif_error *err);
/* Open the CSV DIR/STEM SUFFIX (e.g. ".series.csv"): its first lines, "# format: nlif-results 1" and
 * "# run_id: ID", are written; the caller writes the rest (comments, header, rows). It is closed by
 * the next nlif_rf_set_csv / nlif_rf_set_commit. */
FILE *nlif_rf_set_csv(nlif_rf_set *s, const char *suffix, nlif_error *err);
/* The summary DIR/STEM SUFFIX (e.g. ".json"); format, format_version and run_id are set in it. The set
 * keeps a reference; it is written last, at commit. */
int nlif_rf_set_json(nlif_rf_set *s, const char *suffix, json_t *summary, nlif_error *err);
/* Write the summary, then rename every file into place (the summary last). On failure every
 * temporary file is removed. */
int nlif_rf_set_commit(nlif_rf_set *s, nlif_error *err);
/* Drop the set: temporary files removed, nothing renamed. */
void nlif_rf_set_abort(nlif_rf_set *s);
/* THE writer of a series (STEM.series.csv after its first lines): the header and one row per sample of
 * TR; the column R (the refractory mass) when the trajectory holds one (a model with τ_R > 0). */
struct nlif_trajectory;
void nlif_rf_series_write(FILE *f, const struct nlif_trajectory *tr);
/* THE writer of snapshots' v rows (after the header line of nlif_rf_snapshot_header): "v,t,x,density", and
 * ",density_i" when P_I (population I of a two-population model, MATHEMATICS.md §1.6) is given. */
void nlif_rf_snapshot_header(FILE *f, int two_populations);
void nlif_rf_snapshot_v_rows(FILE *f, double t, int n, const double *v, const double *p, const double *p_i);

/* ---- reading ---- */

/* A JSON result file: size limit, parse error with its line, format, format_version, run_id. */
json_t *nlif_rf_json_read(const char *path, nlif_error *err);

/* A CSV result file: first line "# format: nlif-results V", a "# run_id: ID" line, "# key: value"
 * comment lines, one header line with exactly the columns expected, then rows of finite numbers (a
 * column named "kind" holds one of the letters v, w, stored as its character code). '#' lines may
 * appear between rows; "# atom t v mass" lines (snapshots) are kept as atoms. */
typedef struct nlif_rf_atom {
    double t, v, mass;
} nlif_rf_atom;
typedef struct nlif_rf_table {
    char path[2048];
    char run_id[NLIF_RF_ID_MAX];
    int ncol;
    char **names;
    size_t nrow;
    double *x;     /* x[row * ncol + col] */
    int *line;     /* the file line of each row */
    char *comments; /* the '#' lines, as read */
    int n_atoms;
    nlif_rf_atom *atoms;
} nlif_rf_table;
/* Read PATH expecting the columns COLS (NULL-terminated). A name that starts with '?' is an optional
 * column: the header may leave it out (the columns it has stay in order); it is read without the '?'. */
int nlif_rf_table_read(const char *path, const char *const *cols, nlif_rf_table *t, nlif_error *err);
void nlif_rf_table_free(nlif_rf_table *t);
/* The column index of NAME, −1 if absent. */
int nlif_rf_col(const nlif_rf_table *t, const char *name);
/* The value of a "# key: value" comment line as a number, NAN if absent or not a number. */
double nlif_rf_comment_num(const nlif_rf_table *t, const char *key);
/* Refuse (FILE:LINE) a column that decreases (strict = 1: that does not increase) along the rows. */
int nlif_rf_check_increasing(const nlif_rf_table *t, int col, int strict, nlif_error *err);

/* A run's result set: STEM.json (summary), STEM.series.csv, STEM.snapshots.csv. */
typedef struct nlif_rf_run {
    json_t *summary;
    nlif_rf_table series;    /* t, rate, fired, mass, min_density [, R: the refractory mass]
                              * [, rate_i, fired_i, mass_i, min_density_i: population I] */
    nlif_rf_table snapshots; /* kind, t, x, density [, density_i] */
    int nv, nw;              /* the declared grid */
    double t_final, t_end;
    char status[16];
} nlif_rf_run;
/* Read and check the set whose summary is JSON_PATH (the CSVs are beside it, same stem). */
int nlif_rf_run_read(const char *json_path, nlif_rf_run *r, nlif_error *err);
void nlif_rf_run_free(nlif_rf_run *r);
/* What nlif recomputes from a run's data, and where the run's account of itself disagrees with it
 * (RESULTS.md, "What is judged"): the judge's figures are these, never the summary's as written.
 * mass_drift is the largest of the summary's claim, the series' mass column (max |mass − mass(0)|) and
 * every snapshot's own sum against mass 1 (the trapezoid of its v rows plus its point masses; a w
 * marginal on its cells); min_density the smallest of the claim, the series' column and every value
 * and point mass of every snapshot; final_rate nlif_tail_mean of the series. A finding is each
 * disagreement beyond round-off: a mass column against the snapshot at its time, a summary member
 * better than its data (for min_density: one that hides a negative value beyond the rounding floor),
 * a final rate outside the range of N it averages, a stop or blow-up time not
 * where the series ends, an MFE the fired column does not show, a jump of the series not listed. */
#define NLIF_RF_FINDINGS 8
typedef struct nlif_rf_figures {
    double final_rate, tail_min, tail_max;      /* the recomputed rate; range of N over the last tenth */
    double mass_drift, series_mass_drift, snapshot_mass_drift;
    double min_density, series_min, snapshot_min, snapshot_min_t, snapshot_max;
    double t_last, max_gap, fired_max;          /* the series' end, its largest step, max |fired| */
    int n_findings, n_more;                     /* findings kept; further ones counted only */
    char findings[NLIF_RF_FINDINGS][320];
    double final_rate_i;                        /* two populations: I's final rate from rate_i; else NAN. The
                                                 * mass drift and minimum above are over both populations */
} nlif_rf_figures;
/* What the run claims for summary member KEY: the statistic "claimed_KEY" when the set has one (nlif
 * writes it when it re-writes the set of an external solver, whose own summary it replaces: that
 * solver's claim, RESULTS.md), else the member itself; NAN when absent or null. */
double nlif_rf_run_claim(const nlif_rf_run *r, const char *key);
/* With a column R (the refractory mass, RESULTS.md) the mass of a snapshot is its sum plus R at its
 * time (the series row there), the mass column is ∫p + R, and a negative R counts in the minimum. */
/* Fill F from the run R as read by nlif_rf_run_read. NLIF_EINVAL for an empty series. */
int nlif_rf_run_figures(const nlif_rf_run *r, nlif_rf_figures *f);
/* Check that B carries the run id of A (files of one run), else refuse naming both files. */
int nlif_rf_same_run(const char *path_a, const char *id_a, const char *path_b, const char *id_b, nlif_error *err);

/* Monte Carlo (`nlif mc`): NAME.json, NAME_rate.csv, NAME_mfe.csv, NAME_mfe_summary.csv, NAME_snapK.csv. */
extern const char *const nlif_rf_mc_rate_cols[];    /* t, rate_mean, rate_se, cum_t, cum_mean, cum_se */
extern const char *const nlif_rf_mc_mfe_cols[];     /* realisation, index, t, size */
extern const char *const nlif_rf_mc_snap_cols[];    /* v_lo, v_hi, density, cdf_at_v_hi */
extern const char *const nlif_rf_mc_weight_cols[];  /* w_lo, w_hi, density */
extern const char *const nlif_rf_series_cols[];
extern const char *const nlif_rf_snapshot_cols[];
/* The Monte Carlo summary DIR/NAME.json and, when rate != NULL, DIR/NAME_rate.csv (times increasing,
 * run id of the summary). */
json_t *nlif_rf_mc_read(const char *dir, const char *name, nlif_rf_table *rate, nlif_error *err);
/* DIR/NAME_mfe.csv: realisation (integer ≥ 0), index (integer ≥ 1), t, size; of the run RUN_ID (or any
 * when NULL). */
int nlif_rf_mc_mfe_read(const char *path, const char *run_id, nlif_rf_table *t, nlif_error *err);

/* The run id a result file carries (a .json file: its "run_id" member; a CSV: its "# run_id:" line),
 * without reading the rest; refused (FILE:LINE) when it is not a result file of this version. */
int nlif_rf_run_id(const char *path, char *out, size_t len, nlif_error *err);

/* A convergence study (`nlif converge`, one JSON file): format, version, run id, case, scheme, refine,
 * and 2..64 levels each with its step h. */
json_t *nlif_rf_study_read(const char *path, nlif_error *err);

#endif
