/* nlif_verify.h — the verdict record of `nlif verify` (and `nlif judge --verdicts FILE`), read by
 * `nlif report`; and the job record of verify, read by `nlif judge`.
 *
 * OUT/verdicts.json (OUT: verify --out, default results/verify; written atomically):
 * {
 *   "provenance": {program, version, commit, date},
 *   "mode": "quick" | "full",
 *   "wall_seconds": number,
 *   "summary": {"pass": n, "fail": n, "na": n},
 *   "cells": [ one per (case, scheme, check):
 *      {"case": "...", "scheme": "spap|multiscale|dilated|mc|<other>", "check": "mass|positivity|
 *       stationary_rate|order_v|order_t|order_w|ap|jump|mfe_mc|rate_mc|blowup_time|runaway|
 *       baseline:<figure>|...",
 *       "verdict": "pass" | "FAIL" | "n.a.",
 *       "measured": number | null, "bound": "text, e.g. <= 1e-12", "source": "where the bound
 *       comes from (MATHEMATICS.md §6, the case's source, ...)", "reason": "why n.a. / why FAIL (text)",
 *       "run": "results/run/CASE.SCHEME.json" | null,
 *       "inputs": [ path, ... ]   every file the cell was judged from (paths of "inputs" below; [] for a
 *                                 cell judged from no file, e.g. a scheme that does not apply),
 *       "inputs_complete": false  only when more files were read than could be recorded } ],
 *   "inputs": [ {"path", "run_id": string | null, "hash": "fnv1a64:<16 hex>" | null} ]  the identity of
 *       every file judged from, taken when it was read (io/nlif_identity.h; null hash: missing);
 *       `nlif report` checks each against the file before it shows a verdict judged from it,
 *   "convergence": [ nlif_convergence_json objects (harness/runs/nlif_converge.h); with --full also the
 *      work-precision records, "purpose": "work_precision" (harness/checks/work_precision.c: "measures",
 *      "targets", "default_level", levels with cpu_seconds, status and one member per measure) ],
 *   "runs": [ {"case", "scheme", "summary": path, "series": path, "snapshots": path} ],
 *   "choices": { "<scheme>": { option: value, ... } }   (every named Choice in force),
 *   "jobs": n, "jobs_reused": n   (jobs of the plan; of them reused by --resume, harness/runs/nlif_resume.h)
 * }
 * OUT/jobs.json, the job record (written by verify after its jobs ran, read by `nlif judge OUT`; one
 * writer and one reader, both in harness/verify/verify.c):
 * {
 *   "format": "nlif-verify-jobs", "format_version": 1, "provenance": {...}, "mode": "quick" | "full",
 *   "cases": ["case name", ...], "schemes": ["scheme name", ...], "mc_column": true | false,
 *   "jobs": [ {"stem": "CASE.SCHEME[.more]", "command": "run|converge|mc", "exit_code": n,
 *              "wall_seconds": s}, ... ]   (logs: OUT/logs/STEM.out, STEM.err)
 * }
 * Monte Carlo reference data: reference/data/CASE.json (+ CASE.series.csv etc., see
 * reference/data/README.md).
 */
#ifndef NLIF_VERIFY_H
#define NLIF_VERIFY_H

#include "../../core/nlif_error.h"

#include <jansson.h>

#define NLIF_VERDICTS_PATH "results/verify/verdicts.json"

/* JUnit XML of the cells of a verdict record to PATH (written beside, then renamed): testsuite SUITE
 * (MODE), one testcase per cell (harness/verify/verify_junit.c). */
/* Replace every byte of TEXT that is not part of well-formed UTF-8 by '?' (JSON and XML need UTF-8;
 * a file name can hold any byte). */
void nlif_utf8_sanitize(char *text);
int nlif_verify_junit(const char *path, const char *suite, const char *mode, const json_t *cells, double wall,
                      nlif_error *err);

#endif
