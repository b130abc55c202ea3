/* nlif_check.h — the checks of `nlif verify` as type objects (GSL's type objects; /work/shared/STYLE.md:
 * "Checks are type objects too").
 *
 * A check is a constant nlif_check_type: its name (as the case states it in expect.checks), what it
 * needs from the scheme (capabilities, nlif_scheme.h) and from the case (stored Monte Carlo data),
 * the extra jobs it plans, and how it judges. One check per file under harness/checks/, one line in
 * harness/checks/registry.c. The orchestrator (harness/verify/orchestrate.c) plans, runs and judges; it
 * knows no check by name. What a check acts on and calls — the verifier's state, its cells, its jobs —
 * is below the checks, in harness/judge/nlif_judge.h. A check the case states for a scheme that lacks
 * one of its capabilities is n.a. with the capability named (the orchestrator writes that cell); every
 * other verdict is the check's, against the case's bound, the same for every scheme (MATHEMATICS.md 6).
 */
#ifndef NLIF_CHECK_H
#define NLIF_CHECK_H

#include "../../core/nlif_scheme.h"
#include "../runs/nlif_jobs.h"
#include "../judge/nlif_judge.h"
#include "../judge/verify_data.h"

#include <jansson.h>
#include <stddef.h>

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
/* A `converge` job of verify named STEM: the case, scheme st refined in study->refine ("v", "t", "w",
 * "vt") over study->levels levels with the study's further arguments (nlif_child.h; its case, scheme
 * and out are set here), its study (--json) written to verify's converge folder as
 * CASE.SCHEME.REFINE.json (nlif_converge_study_path). NULL if STEM is planned already. */
nlif_job *nlif_plan_converge(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st, const char *stem,
                             const nlif_converge_args *study);
/* The path of that study, into path (len bytes). */
const char *nlif_converge_study_path(const nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st,
                                     const char *refine, char *path, size_t len);

#endif
