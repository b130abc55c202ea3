/* nlif_verify.h — the verdict record of `nlif verify`, read by `nlif report`.
 *
 * results/verify/verdicts.json (written atomically):
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
 *       every file judged from, taken when it was read (harness/nlif_identity.h; null hash: missing);
 *       `nlif report` checks each against the file before it shows a verdict judged from it,
 *   "convergence": [ nlif_convergence_json objects (harness/nlif_converge.h) ],
 *   "runs": [ {"case", "scheme", "summary": path, "series": path, "snapshots": path} ],
 *   "choices": { "<scheme>": { option: value, ... } }   (every named Choice in force),
 *   "jobs": n, "jobs_reused": n   (jobs of the plan; of them reused by --resume, harness/nlif_resume.h)
 * }
 * Monte Carlo reference data: reference/data/CASE.json (+ CASE.series.csv etc., see
 * reference/data/README.md).
 */
#ifndef NLIF_VERIFY_H
#define NLIF_VERIFY_H

#define NLIF_VERDICTS_PATH "results/verify/verdicts.json"

#endif
