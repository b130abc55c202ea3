/* nlif_check.h — the checks of `nlif verify` as type objects (as GSL's type objects:
 * a constant table of a type's name and functions).
 *
 * A check is a constant nlif_check_type: its name (as the case states it in expect.checks), what it
 * needs from the scheme (capabilities, nlif_scheme.h) and from the case (stored Monte Carlo data),
 * the extra jobs it plans, and how it judges. One check per file under harness/checks/, one line in
 * harness/checks/registry.c. The orchestrator (harness/verify/verify.c) plans, runs, judges and prints; it
 * knows no check by name. A check the case states for a scheme that lacks one of its capabilities is
 * n.a. with the capability named (the orchestrator writes that cell); every other verdict is the
 * check's, against the case's bound, the same for every scheme (MATHEMATICS.md 6).
 */
#ifndef NLIF_CHECK_H
#define NLIF_CHECK_H

#include "../../core/nlif_scheme.h"
#include "../runs/nlif_jobs.h"
#include "../judge/verify_data.h"

#include <jansson.h>
#include <stddef.h>

enum { NLIF_PASS = 0, NLIF_FAIL = 1, NLIF_NA = 2 };

/* Where verify writes by default (relative to the working directory; verify --out DIR). */
#define NLIF_VERIFY_OUT "results/verify"

typedef struct nlif_verify nlif_verify; /* the orchestrator's state (harness/verify/verify.c) */

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

typedef struct nlif_check_type {
    const char *name;   /* as stated in expect.checks (or the cell name of an always-judged check) */
    const char *title;  /* one line, for --help texts and docs */
    int always;         /* judged on every run without being stated (status, mass, positivity, baseline) */
    int per_case;       /* judged once per case in the Monte Carlo column (scheme "mc"), not per scheme */
    unsigned needs;     /* capabilities a scheme needs for it (NLIF_SUPPORTS_*, NLIF_HAS_*): else n.a. */
    int uses_mc;        /* reads the case's stored Monte Carlo data (reference/data/CASE/) */
    /* Jobs beyond the run at the default resolution (NULL: none). For a per-case check st is NULL. */
    void (*plan)(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st);
    void (*judge)(const nlif_check_ctx *c);
} nlif_check_type;

/* The registry (harness/checks/registry.c), in the order of the verdict table; NULL-terminated. */
extern const nlif_check_type *const nlif_checks[];
const nlif_check_type *nlif_check_find(const char *name);
/* The names a case may state in expect.checks, comma-separated. */
const char *nlif_check_names(void);

/* ---- The orchestrator's services to checks (harness/verify/verify.c). ---- */

/* One cell of the verdict table: pass / FAIL / n.a., the measured figure, the bound and where it comes
 * from, the run file, and a reason. */
void nlif_verdict(nlif_verify *v, const char *cs, const char *scheme, const char *check, int verdict, double measured,
                  const char *bound, const char *source, const char *run, const char *fmt, ...)
    __attribute__((format(printf, 10, 11)));
/* The same for the pair of c (scheme "mc" for a per-case check), with c's run file. */
void nlif_check_cell(const nlif_check_ctx *c, const char *check, int verdict, double measured, const char *bound,
                     const char *source, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* A new job with logs OUT/logs/STEM.{out,err} (named by its stem in progress lines); NULL if a job of that stem is planned already (checks
 * may plan the same job) or the table is full. */
nlif_job *nlif_verify_job(nlif_verify *v, const char *label, const char *stem);
const nlif_job *nlif_verify_find_job(const nlif_verify *v, const char *stem);
/* "exit code N: the last line of its stderr". */
void nlif_verify_job_error(const nlif_job *j, char *out, size_t len);
/* A `nlif run` job of the case and scheme into OUT/runs/STEM (further arguments added by the caller). */
nlif_job *nlif_verify_run_job(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st, const char *stem);
int nlif_verify_full(const nlif_verify *v);  /* --full (else --quick) */
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

/* ---- Helpers shared by checks (harness/checks/common.c). ---- */

/* The n.a. text of a capability the scheme lacks: "lacks capability NAME (meaning)". */
const char *nlif_lacks(unsigned flag, char *out, size_t len);
/* The scheme's claim on a check that is tighter than the case's bound, or NULL. */
const nlif_scheme_claim *nlif_check_claim(const nlif_scheme_type *st, const char *check, double case_bound);
/* Whether the case states CHECK in expect.checks. */
int nlif_case_states(const nlif_case *cs, const char *check);
/* Seeds a random scheme is run with for the Monte Carlo comparisons (8 in both modes: 3 are too few
 * to resolve the multiscale bias on periodic_mfe_b2), and the jobs of seeds 2..n. */
#define NLIF_RANDOM_SEEDS 8
void nlif_plan_seeds(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st);
/* A `converge` job of verify named STEM: the case, scheme st refined in REFINE ("v", "t", "w", "vt")
 * over LEVELS levels, its study (--json) written to verify's converge folder as
 * CASE.SCHEME.REFINE.json (nlif_converge_study_path); the caller adds what else it needs. NULL if
 * STEM is planned already. */
nlif_job *nlif_plan_converge(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st, const char *stem,
                             const char *refine, int levels);
/* The path of that study, into path (len bytes). */
const char *nlif_converge_study_path(const nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st,
                                     const char *refine, char *path, size_t len);

#endif
