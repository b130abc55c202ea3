/* nlif_jobrec.h — the job record of `nlif verify`, read by `nlif judge`: one writer and one reader
 * (io/jobrec.c).
 *
 * OUT/jobs.json (written by verify after its jobs ran; the plan and journal of --resume are another
 * file, harness/runs/nlif_resume.h):
 * {
 *   "format": "nlif-verify-jobs", "format_version": 1, "provenance": {...}, "mode": "quick" | "full",
 *   "cases": ["case name", ...], "schemes": ["scheme name", ...], "mc_column": true | false,
 *   "jobs": [ {"stem": "CASE.SCHEME[.more]", "command": "run|converge|mc", "exit_code": n,
 *              "wall_seconds": s}, ... ]   (logs: OUT/logs/STEM.out, STEM.err)
 * }
 */
#ifndef NLIF_JOBREC_H
#define NLIF_JOBREC_H

#include "../core/nlif_error.h"

#include <jansson.h>

typedef struct nlif_jobrec_job {
    const char *stem;    /* CASE.SCHEME[.more]: no '/' */
    const char *command; /* the job's subcommand ("" for none) */
    int exit_code;
    double wall_seconds; /* NaN when the record has none */
} nlif_jobrec_job;

typedef struct nlif_jobrec {
    int full;      /* mode "full" (else "quick") */
    int mc_column; /* the Monte Carlo column was selected */
    const char **cases, **schemes;
    int n_cases, n_schemes;
    nlif_jobrec_job *jobs;
    int n_jobs;
    json_t *root;  /* the reader's: holds the strings above */
} nlif_jobrec;

/* Write the record R to PATH (atomically). */
int nlif_jobrec_write(const char *path, const nlif_jobrec *r, nlif_error *err);
/* Read the record at PATH into R (strict: the format, its version, every member; a case name shorter
 * than NAME_MAX, at most MAX_CASES cases, scheme names without ',', stems without '/'). Free it with
 * nlif_jobrec_free (also after a failure). */
int nlif_jobrec_read(const char *path, int name_max, int max_cases, nlif_jobrec *r, nlif_error *err);
void nlif_jobrec_free(nlif_jobrec *r);

#endif
