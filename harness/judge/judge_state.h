/* judge_state.h — the verifier's state behind nlif_verify (nlif_judge.h): private to harness/judge/
 * and to the orchestrator of harness/verify/ (the checks see it only through nlif_judge.h). */
#ifndef NLIF_JUDGE_STATE_H
#define NLIF_JUDGE_STATE_H

#include "nlif_judge.h"
#include "../case/nlif_case.h"

#define NLIF_VERIFY_MAX_JOBS 2048
#define NLIF_VERIFY_MAX_KNOWN 128
#define NLIF_VERIFY_MAX_SCHEMES 32

/* ci/known_failures: "case scheme check  reason" — a figure a scheme is known not to meet. Such a
 * cell stays FAIL in every table and report (with the reason); only unknown failures make verify
 * exit 1, and a known failure that passes is an error of its own (the list must not go stale). The
 * parser: harness/verify/known_failures.c; the cells meet the list in harness/judge/judge.c. */
typedef struct nlif_known_failure {
    char cs[64], scheme[32], check[48], reason[400];
    int seen;
} nlif_known_failure;

struct nlif_verify {
    const char *command; /* "verify" or "judge", for messages */
    int full;
    nlif_known_failure known[NLIF_VERIFY_MAX_KNOWN];
    int n_known, n_known_failed, n_stale, known_loaded;
    json_t *cells, *convergence, *runs, *choices;
    int n_reused; /* jobs --resume reused */
    json_t *inputs, *input_seen; /* the identity of every file judged from (nlif_identity.h), once each */
    int count[3];
    nlif_job *jobs;
    int n_jobs;
    int on_disk; /* judging files no job of this process wrote and no job record describes */
    int update_baselines;
    int strict;  /* --strict: an n.a. of a stated check (a capability the scheme lacks) is a failure */
    const char *why;
    const char *mc_args[8];  /* extra arguments of the live Monte Carlo runs (--mc-arg) */
    int n_mc_args;
    char out[1024], runs_dir[1100], converge_dir[1100], mc_dir[1100], logs_dir[1100];
    /* the selection: cases x schemes (pair[c][s]: judged), and the Monte Carlo column */
    nlif_case *cases;
    int n_cases;
    const nlif_scheme_type *use[NLIF_VERIFY_MAX_SCHEMES];
    int n_use;
    unsigned char (*pair)[NLIF_VERIFY_MAX_SCHEMES];
    int want_mc;
    double wall;
    json_t *fresh; /* the seed and the fresh instances of the selection (harness/verify/verify_fresh.c), or NULL */
    /* verify --set KEY=VALUE (applied to every selected case) and --levels K (the ladders of the order
     * checks; 0: the mode's), harness/verify/verify_overrides.c */
    const char *sets[NLIF_VERIFY_MAX_SETS];
    int n_sets, levels;
};

/* A job of stem STEM in the table, its logs under OUT/logs (no process yet: exit code -1); NULL if
 * that stem is there already or the table is full. */
nlif_job *nlif_verify_add_job(nlif_verify *v, const char *stem);

#endif
