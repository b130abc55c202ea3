/* nlif_judge.h — what the checks of harness/checks/ act on and call: the verifier's state (opaque:
 * nlif_verify, made by `nlif verify` and `nlif judge`, harness/verify/nlif_verify.h), the cells of the
 * verdict table, the jobs a check plans, the mode and the folders the result files are in
 * (harness/judge/judge.c). The state itself: harness/judge/judge_state.h, for harness/judge/ and
 * the orchestrator above the checks only.
 */
#ifndef NLIF_JUDGE_H
#define NLIF_JUDGE_H

#include "../../core/nlif_scheme.h"
#include "../../io/nlif_verdicts.h" /* NLIF_PASS, NLIF_FAIL, NLIF_NA */
#include "../runs/nlif_child.h"
#include "../runs/nlif_jobs.h"
#include "verify_data.h"

#include <jansson.h>
#include <stddef.h>

typedef struct nlif_verify nlif_verify; /* the verifier's state (harness/judge/judge_state.h) */

/* What a check judges: one (case, scheme) pair — or one case, for a check of the Monte Carlo column. */
typedef struct nlif_check_ctx {
    nlif_verify *v;
    const nlif_case *cs;
    const nlif_scheme_type *st; /* NULL for a per-case check (the "mc" column) */
    const json_t *run;          /* the run at the case's default resolution (NULL for a per-case check) */
    const char *runpath;        /* its summary file */
    const mc_data *mc;          /* the case's stored Monte Carlo data, NULL if there is none */
    const char *mc_why;         /* why there is none ("missing", or the reader's refusal) */
} nlif_check_ctx;

/* ---- The state (made by the orchestrator, harness/verify/). ---- */

/* State writing to (verify) or reading from (judge) folder OUT: OUT/runs, OUT/converge, OUT/mc, or
 * with flat = 1 every result file in OUT itself. COMMAND ("verify" or "judge") names it in messages.
 * NULL when out of memory. */
nlif_verify *nlif_verify_new(const char *command, const char *out, int flat);
void nlif_verify_free(nlif_verify *v);
void nlif_verify_set_flags(nlif_verify *v, int full, int strict, int on_disk);

/* ---- The services to the checks. ---- */

/* One cell of the verdict table: pass / FAIL / n.a., the measured figure, the bound and where it comes
 * from, the run file, and a reason. */
void nlif_verdict(nlif_verify *v, const char *cs, const char *scheme, const char *check, int verdict, double measured,
                  const char *bound, const char *source, const char *run, const char *fmt, ...)
    __attribute__((format(printf, 10, 11)));
/* The same for the pair of c (scheme "mc" for a per-case check), with c's run file. */
void nlif_check_cell(const nlif_check_ctx *c, const char *check, int verdict, double measured, const char *bound,
                     const char *source, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* The two kinds of n.a. that --strict tells apart (the cell's member "na"; MATHEMATICS.md 6): a
 * capability the scheme lacks (member "capability" names it; --strict counts it as a failure), and an
 * honest n.a., a claim the scheme does not make (an expected order it does not declare; --strict
 * leaves it n.a.). An n.a. written by nlif_verdict has "na": "other" (nothing on disk to judge). */
void nlif_verdict_lacks(nlif_verify *v, const char *cs, const char *scheme, const char *check, const char *capability,
                        const char *run, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void nlif_check_no_claim(const nlif_check_ctx *c, const char *check, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The exact value the last cell was judged against (member "reference" of that cell: the exact
 * stationary rate, the exact jump; the report draws it). Call right after the cell. */
void nlif_check_reference(const nlif_check_ctx *c, double value);
/* A number KEY of the last cell that a reader needs to draw what was judged (mfe_mc: the allowances
 * "t_allow", "size_allow" of its band). Call right after the cell. */
void nlif_check_note(const nlif_check_ctx *c, const char *key, double value);
/* A new job with logs OUT/logs/STEM.{out,err} (named by its stem in progress lines); NULL if a job of that stem is planned already (checks
 * may plan the same job) or the table is full. */
nlif_job *nlif_verify_job(nlif_verify *v, const char *label, const char *stem);
const nlif_job *nlif_verify_find_job(const nlif_verify *v, const char *stem);
/* "exit code N: the last line of its stderr". */
void nlif_verify_job_error(const nlif_job *j, char *out, size_t len);
/* A `nlif run` job of the case and scheme into OUT/runs/STEM; MORE (NULL: none) gives its further
 * arguments (seed, --opt, --set, dv, dt: nlif_child.h; its case, scheme, out and stem are set here). */
nlif_job *nlif_verify_run_job(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st, const char *stem,
                              const nlif_run_args *more);
int nlif_verify_full(const nlif_verify *v);  /* --full (else --quick) */
/* verify --levels K: the levels of every convergence study of the order checks (0: the mode's own,
 * 4 in --quick, the case's expect.levels in --full). */
int nlif_verify_levels(const nlif_verify *v);
/* verify --set changed what the runs compute (a key outside [expect]): 1, and the first such --set in
 * *which (NULL: none). A figure recorded for the catalogue's case (a baseline) cannot stand for it. */
int nlif_verify_run_overridden(const nlif_verify *v, const char **which);
/* At most this many verify --set overrides. */
#define NLIF_VERIFY_MAX_SETS 32
/* The folders the result files are in: "runs", "converge", "mc" (OUT/runs, ... for verify and for a
 * verify folder judged again; the folder itself for `nlif judge` of a folder of result files). */
const char *nlif_verify_dir(const nlif_verify *v, const char *what);
/* 1 when judging files that no job of this process wrote and no job record (OUT/jobs.json)
 * describes (`nlif judge` of a folder written by any code): a check whose further runs (a ladder,
 * seeds, an epsilon sweep, a live Monte Carlo run) are not on disk is n.a., saying so. */
int nlif_verify_on_disk(const nlif_verify *v);
/* Extra arguments of the live Monte Carlo runs (--mc-arg). */
int nlif_verify_mc_args(const nlif_verify *v, const char *const **args);
/* Keep a convergence record for verdicts.json (takes a reference). */
void nlif_verify_add_convergence(nlif_verify *v, json_t *conv);
/* The baselines are rewritten (--update-baselines) with this reason, or NULL. */
const char *nlif_verify_update_why(const nlif_verify *v);

#endif
