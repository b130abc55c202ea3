/* nlif_verdicts.h — the verdict record of `nlif verify` (and `nlif judge --verdicts FILE`), read by
 * `nlif report`: one writer and one reader (io/verdicts.c).
 *
 * OUT/verdicts.json (OUT: verify --out, default results/verify; written atomically):
 * {
 *   "provenance": {program, version, commit, date},
 *   "mode": "quick" | "full",
 *   "wall_seconds": number,
 *   "summary": {"pass": n, "fail": n, "na": n, "known_failures": n, "stale_known_failures": n},
 *   "cells": [ one per (case, scheme, check):
 *      {"case": "...", "scheme": "spap|multiscale|dilated|mc|<other>", "check": "mass|positivity|
 *       stationary_rate|order_v|order_t|order_w|ap|jump|mfe_mc|rate_mc|blowup_time|runaway|
 *       baseline:<figure>|...",
 *       "verdict": "pass" | "FAIL" | "n.a.",
 *       "measured": number | null, "bound": "text, e.g. <= 1e-12", "source": "where the bound
 *       comes from (MATHEMATICS.md §6, the case's source, ...)", "reason": "why n.a. / why FAIL (text)",
 *       "run": "results/run/CASE.SCHEME.json" | null, "known_failure": true | false,
 *       "inputs": [ path, ... ]   every file the cell was judged from (paths of "inputs" below; [] for a
 *                                 cell judged from no file, e.g. a scheme that does not apply),
 *       "inputs_complete": false  only when more files were read than could be recorded,
 *       "reference": number  the exact value judged against, where there is one (stationary_rate:
 *                            the exact stationary rate; jump: the exact jump),
 *       "t_allow", "size_allow": numbers  mfe_mc of a deterministic scheme: the allowances that widen
 *                            the Monte Carlo spread into the band judged } ],
 *   "convergence": [ nlif_convergence_json objects (harness/runs/nlif_converge.h); with --full also the
 *      work-precision records, "purpose": "work_precision" (harness/checks/work_precision.c: "measures",
 *      "targets", "default_level", "random" (a seed mean), levels with cpu_seconds, status, one member
 *      per measure and, for a random method, "seeds" and "<measure>_ci95", the 95% half width) ],
 *   "runs": [ {"case", "scheme", "summary": path, "series": path, "snapshots": path} ],
 *   "choices": { "<scheme>": { option: value, ... } }   (every named Choice in force),
 *   "jobs": n, "jobs_reused": n   (jobs of the plan; of them reused by --resume, harness/runs/nlif_resume.h),
 *   "inputs": [ {"path", "run_id": string | null, "hash": "fnv1a64:<16 hex>" | null} ]  the identity of
 *       every file judged from, taken when it was read (io/nlif_identity.h; null hash: missing);
 *       `nlif report` checks each against the file before it shows a verdict judged from it,
 *   "case_hashes": { "<case>": "fnv1a64:<16 hex>" }  the content hash of every case judged, as judged
 *       (nlif_case_hash: --set overrides and [expect] included); `nlif compare` tells a case edit from a
 *       solver's change by it; absent in records written before it (compare: hash n.a.),
 *   "cpu": [ {"case", "scheme", "cpu_seconds", "calibration_seconds"} ]  one per member of "runs" (the
 *       run's, RESULTS.md; null when its summary has none),
 *   "cell_seconds": [ one number per cell, in the order of "cells" ]  the wall seconds spent judging
 *       the cell (the "status" cell: plus the run's CPU seconds), the time of its JUnit test case;
 *       times are kept out of "cells" and "runs", which two verifications of one tree give identical,
 *   "seed": n, "fresh_instances": [ {"case", "of", "kind", "k", "drawn": {a0, a1, b, v_r, i0, mean, sd},
 *       "attempts", "exact_rate", "rate_tol", "root"} ]   only when fresh instances were drawn
 *       (harness/verify/verify_fresh.c adds them; RESULTS.md)
 * }
 * Monte Carlo reference data: reference/data/CASE.json (+ CASE.series.csv etc., see
 * reference/data/README.md).
 */
#ifndef NLIF_VERDICTS_H
#define NLIF_VERDICTS_H

#include "../core/nlif_error.h"
#include "../core/nlif_model.h"
#include "nlif_identity.h"

#include <jansson.h>
#include <stddef.h>

#define NLIF_VERDICTS_PATH "results/verify/verdicts.json"

/* The verdicts of a cell, and their text in the record. */
enum { NLIF_PASS = 0, NLIF_FAIL = 1, NLIF_NA = 2 };
extern const char *const nlif_verdict_names[3];

/* One cell of the record ("inputs" empty: the caller sets the files it was judged from). Strings
 * must be UTF-8 (nlif_utf8_sanitize); bound, source and run may be NULL. */
json_t *nlif_verdict_cell_json(const char *cs, const char *scheme, const char *check, int verdict, double measured,
                               const char *bound, const char *source, const char *reason, const char *run, int known);

/* The counts of a record. */
typedef struct nlif_verdicts_summary {
    const char *mode; /* "quick" | "full" */
    double wall_seconds;
    int count[3];     /* pass, FAIL, n.a. */
    int known_failures, stale_known_failures;
    int jobs, jobs_reused;
} nlif_verdicts_summary;

/* The whole record (takes references to the arrays and objects it is given). */
json_t *nlif_verdicts_json(const nlif_verdicts_summary *s, json_t *cells, json_t *convergence, json_t *runs,
                           json_t *choices, json_t *inputs);
/* Write it to PATH (atomically). */
int nlif_verdicts_write(const char *path, const json_t *record, nlif_error *err);
/* Read the record at PATH: a JSON object, or NULL with the reason in err (NLIF_EIO: not a file that
 * can be read; NLIF_EINVAL: not JSON, or not an object). */
json_t *nlif_verdicts_read(const char *path, nlif_error *err);

/* The content hash of a case (FNV-1a 64, io/nlif_identity.h): over the compact JSON, keys sorted and
 * numbers to 17 digits, of the problem as a run summary holds it (nlif_case_json: model, initial
 * data, input, structure, run, tags, [options]) without its path and description, plus, when EXPECT
 * is given, the case's [expect] (checks, needs, blowup and every bound as the case gives it).
 * Anything that can move a figure or a verdict changes it; moving or re-wording the file does not.
 * nlif_case_hash: of a loaded case, [expect] included (verdicts.json, the baselines).
 * nlif_case_spec_hash: of the "case_spec" member of a run summary (no [expect]: a summary has none);
 * NLIF_EINVAL when SPEC is not an object. */
void nlif_case_hash(const nlif_case *cs, char out[NLIF_HASH_TEXT]);
int nlif_case_spec_hash(const json_t *spec, const json_t *expect, char out[NLIF_HASH_TEXT], nlif_error *err);

/* A few points of a run's transient (check baseline, `nlif compare`): N at NLIF_TRANSIENT_N times,
 * fractions nlif_transient_at of t_final (linear between the series' samples; at a jump, the value
 * before it; NAN past the series' end, a run that stopped), and p(v) at NLIF_TRANSIENT_N nodes of the
 * last v snapshot, nodes round(k (nv − 1) / (NLIF_TRANSIENT_N + 1)), k = 1.. (v[k] the node). A few
 * points cannot stand for a whole trajectory, but a solver change that leaves the final state alone
 * (a transient error that decays) moves them. */
#define NLIF_TRANSIENT_N 5
extern const double nlif_transient_at[NLIF_TRANSIENT_N];
struct nlif_rf_run;
void nlif_run_transient(const struct nlif_rf_run *r, double t[NLIF_TRANSIENT_N], double n[NLIF_TRANSIENT_N],
                        double v[NLIF_TRANSIENT_N], double p[NLIF_TRANSIENT_N]);

/* Length of the well-formed UTF-8 sequence at s (1 to 4), or 0 when it is not one. */
int nlif_utf8_len(const unsigned char *s);
/* Replace every byte of TEXT that is not part of well-formed UTF-8 by '?' (JSON and XML need UTF-8;
 * a file name can hold any byte). */
void nlif_utf8_sanitize(char *text);

#endif
