/* nlif_verify.h — the orchestration that `nlif verify` and `nlif judge` share (cli/cmd_verify.c,
 * cli/cmd_judge.c): select cases x schemes (select.c), plan and run the jobs (orchestrate.c,
 * verify_run.c), the known failures (known_failures.c), judge over the check registry and write the
 * verdict record (orchestrate.c; the record: io/nlif_verdicts.h) and JUnit XML (verify_junit.c).
 * The state and the services the checks call: harness/judge/nlif_judge.h. The job record OUT/jobs.json:
 * io/nlif_jobrec.h.
 *
 * Functions that return an exit code (0, or nlif_error.h's 1, 2, 3) either printed why already
 * (err->code stays 0) or left it in err for the command to print (err->code set).
 */
#ifndef NLIF_VERIFY_H
#define NLIF_VERIFY_H

#include "../../core/nlif_error.h"
#include "../../io/nlif_jobrec.h"
#include "../judge/nlif_judge.h"

#include <jansson.h>

/* Where verify writes by default (relative to the working directory; verify --out DIR). */
#define NLIF_VERIFY_OUT "results/verify"

/* ---- Selection (select.c). ---- */
/* Select the cases of cand[0..n) that match LIST (comma-separated names, fnmatch globs, tag:TAG;
 * NULL: all); an entry that matches none is an error: prints it, returns 2. */
int nlif_verify_select_cases(nlif_verify *v, const nlif_case *cand, int n, const char *list);
/* The same over the catalogue (cases/NAME.ini, every case loaded, its path absolute for the children). */
int nlif_verify_select_catalogue(nlif_verify *v, const char *list, nlif_error *err);
/* The cases of the smoke tier (verify --smoke; MATHEMATICS.md 6, "The smoke tier"): a --cases list. */
const char *nlif_verify_smoke_cases(void);
/* Select the registered schemes LIST names (NULL: all, and the Monte Carlo column); 'mc' selects the
 * Monte Carlo column. An unknown name: prints it, returns 2. */
int nlif_verify_select_schemes(nlif_verify *v, const char *list);
void nlif_verify_set_mc(nlif_verify *v, int want_mc);
int nlif_verify_want_mc(const nlif_verify *v);
/* Judge the pair (case CS, scheme SCHEME) of the selection (NULL: every case, every scheme). */
void nlif_verify_mark_pair(nlif_verify *v, const char *cs, const char *scheme);
/* A verify folder's job record R (read from PATH): its mode, its Monte Carlo column and every job with
 * its exit code into v's job table. */
int nlif_verify_take_jobrec(nlif_verify *v, const char *path, const nlif_jobrec *r, nlif_error *err);

/* ---- Fresh instances (verify_fresh.c; MATHEMATICS.md 6, "Fresh instances"). ---- */
typedef struct nlif_verify_fresh {
    int per_case;            /* K instances drawn around every selected case that allows them (0: none) */
    unsigned long long seed; /* the seed of the draws */
    const char *at[8];       /* --fresh-at CASE:NAME=VALUE,...: instances given, refused outside the region */
    int n_at;
} nlif_verify_fresh;
/* Append the fresh instances of the selected cases to the selection (CASE~fK drawn, CASE~xK given).
 * A given instance outside the valid region, or a case none of whose draws lies in it: printed, 2. */
int nlif_verify_add_fresh(nlif_verify *v, const nlif_verify_fresh *f, nlif_error *err);
/* How many fresh instances the selection holds. */
int nlif_verify_fresh_count(const nlif_verify *v);
/* OUT/cases/NAME.ini of every instance (without [expect]: what the run reads) and OUT/fresh.json
 * (the seed and the drawn parameters). */
int nlif_verify_fresh_write(nlif_verify *v, nlif_error *err);
/* The verdict record's members "seed" and "fresh_instances" (none without instances). */
void nlif_verify_fresh_into(const nlif_verify *v, json_t *verdicts);
/* The seed DIR/fresh.json records (verify --resume): 0, or -1 when there is none. */
int nlif_verify_fresh_seed(const char *dir, unsigned long long *seed);
/* `nlif judge DIR`: instance NAME rebuilt into CS from DIR/fresh.json and the catalogue (its reference
 * and bound recomputed; a drawn instance must be what the seed draws), and recorded. */
int nlif_verify_fresh_load(nlif_verify *v, const char *dir, const char *name, nlif_case *cs, nlif_error *err);

/* ---- Overrides (verify_overrides.c): verify --set and --levels. ---- */
/* --set KEY=VALUE (N of them; the strings must outlive v), applied to every case when the catalogue is
 * selected, as `nlif run --set` applies them; --levels K (0: the mode's). Refused: too many sets, K
 * outside 2..NLIF_MAX_LEVELS (printed, 2). Call before nlif_verify_select_catalogue. */
int nlif_verify_set_overrides(nlif_verify *v, const char *const *sets, int n, int levels);
/* OUT/cases/NAME.ini of every selected case a --set changed (what its runs read: the children are
 * given that path). */
int nlif_verify_overrides_write(nlif_verify *v, nlif_error *err);
/* The verdict record's members "sets" (the --set list) and "levels" (K), each only when given. */
void nlif_verify_overrides_into(const nlif_verify *v, json_t *verdicts);

/* ---- Plan and run (orchestrate.c, verify_run.c). ---- */
/* --update-baselines with its reason, and the --mc-arg arguments (at most 8; the strings must outlive v). */
void nlif_verify_set_run(nlif_verify *v, int update_baselines, const char *why, const char *const *mc_args, int n_mc_args);
/* The jobs of the selection: the run of every pair and the jobs of every check that applies; first the
 * files of the fresh instances (nlif_verify_fresh_write). 0 or an nlif error code. */
int nlif_verify_plan(nlif_verify *v, nlif_error *err);
/* Prepare and lock OUT, plan, run the jobs JOBS_AT_ONCE at a time (--resume: reuse what an interrupted
 * verify of the same plan finished), write OUT/jobs.json. STATUS: the selection's exit code (called
 * even when it failed: over MPI every process learns the largest of every process's, and none runs
 * anything then; that status is returned). *judge_here: this process judges (over MPI, rank 0 only). */
int nlif_verify_run(nlif_verify *v, int status, int resume, int jobs_at_once, int *judge_here, nlif_error *err);

/* ---- Known failures (known_failures.c): ci/known_failures, read once; a malformed line refused. ---- */
int nlif_verify_load_known(nlif_verify *v, nlif_error *err);

/* ---- Judge (orchestrate.c). ---- */
/* Judge what is on disk; write RECORD (unless NULL) and JUNIT (unless NULL). *out: the verdict record
 * (the caller prints and frees it; NULL when ci/known_failures was refused); *failed: a check failed
 * that is not a known failure, or a known failure passes. */
int nlif_verify_judge(nlif_verify *v, const char *record, const char *junit, json_t **out, int *failed, nlif_error *err);

/* ---- JUnit XML (verify_junit.c). ---- */
/* JUnit XML of the cells of a verdict record to PATH (written beside, then renamed): testsuite SUITE
 * (MODE), one testcase per cell, its time SECONDS[i] (the record's "cell_seconds"; NULL or null: 0). */
int nlif_verify_junit(const char *path, const char *suite, const char *mode, const json_t *cells, const json_t *seconds,
                      double wall, nlif_error *err);
/* TEXT as XML content or attribute value (escaped; bytes that are not UTF-8 become '?'). */
void nlif_xml_text(FILE *f, const char *text);
/* The bound of a cell's bound text: +1 for an upper bound ("... <= B", "< B"), −1 for a lower one
 * (">= B", "> B"), B in *value; 0 when the text states no number after such a sign. */
int nlif_bound_parse(const char *text, double *value);

#endif
