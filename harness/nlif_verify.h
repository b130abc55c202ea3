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
 *       "run": "results/run/CASE.SCHEME.json" | null } ],
 *   "convergence": [ nlif_convergence_json objects (harness/nlif_converge.h); with --full also the
 *      work-precision records, "purpose": "work_precision" (harness/checks/work_precision.c: "measures",
 *      "targets", "default_level", levels with cpu_seconds, status and one member per measure) ],
 *   "runs": [ {"case", "scheme", "summary": path, "series": path, "snapshots": path} ],
 *   "choices": { "<scheme>": { option: value, ... } }   (every named Choice in force)
 * }
 * Monte Carlo reference data: reference/data/CASE.json (+ CASE.series.csv etc., see
 * reference/data/README.md).
 */
#ifndef NLIF_VERIFY_H
#define NLIF_VERIFY_H

#define NLIF_VERDICTS_PATH "results/verify/verdicts.json"

#endif
