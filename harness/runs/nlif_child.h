/* nlif_child.h — the command lines of the child `nlif` processes that verify starts (nlif_jobs.h):
 * one struct per subcommand with the fields its callers set, and one function that turns it into
 * the job's argv (harness/runs/child.c). A field left zero (or NULL) is not passed: the child takes
 * the case's value. The order of the arguments is fixed here, once for every caller.
 */
#ifndef NLIF_CHILD_H
#define NLIF_CHILD_H

#include "nlif_jobs.h"

/* `nlif run CASE --scheme S --out DIR --stem STEM [--seed N] [--opt NAME] [--set KEY=VALUE]
 *  [--dv DV] [--dt DT]` (nlif_run.h). */
typedef struct nlif_run_args {
    const char *case_path, *scheme, *out, *stem;
    int seeded;                 /* --seed SEED */
    unsigned long long seed;
    const char *opt;            /* --opt NAME: a scheme option switched on */
    const char *set_key;        /* --set SET_KEY=SET_VALUE (the value to 17 digits) */
    double set_value;
    const char *set_text;       /* when not NULL: --set SET_KEY=SET_TEXT (a list, say) in place of the value */
    double dv, dt;              /* --dv, --dt (to 17 digits) */
    double repeat_under;        /* --repeat-under S when > 0 */
    const char *sets[6];        /* further --set KEY=VALUE texts (NULL ends them) */
} nlif_run_args;

/* `nlif converge CASE --scheme S --refine R --levels L --json --out DIR [--fixed-dt]
 *  [--coarsest DV] [--ref-halvings N]` (nlif_converge.h). */
typedef struct nlif_converge_args {
    const char *case_path, *scheme, *refine, *out;
    int levels;
    int fixed_dt;               /* --fixed-dt */
    double coarsest;            /* --coarsest DV (to 17 digits) */
    int ref_halvings;           /* --ref-halvings N */
    int no_rate;                /* --no-rate */
} nlif_converge_args;

/* `nlif mc CASE [--particles N] [--realisations R] --threads T --out DIR [EXTRA...]`. */
typedef struct nlif_mc_args {
    const char *case_path, *out;
    double particles;           /* --particles (an integer, written without exponent) */
    int realisations;           /* --realisations */
    int threads;                /* --threads */
    const char *const *extra;   /* further arguments as given (verify --mc-arg) */
    int n_extra;
} nlif_mc_args;

/* The argv of job j (its arguments so far are replaced). */
void nlif_run_argv(nlif_job *j, const nlif_run_args *a);
void nlif_converge_argv(nlif_job *j, const nlif_converge_args *a);
void nlif_mc_argv(nlif_job *j, const nlif_mc_args *a);

#endif
