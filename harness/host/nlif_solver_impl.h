/* nlif_solver_impl.h — what the three files of the external solvers (nlif_solver_ext.h) share:
 * solver_manifest.c (the manifest and the loaded solvers), solver_run.c (running the program in its
 * private folder), solver_ext.c (the problem JSON and the scheme that replays the result set). */
#ifndef NLIF_SOLVER_IMPL_H
#define NLIF_SOLVER_IMPL_H

#include "nlif_solver_ext.h"

#include <limits.h>

#define NLIF_SOLVER_MAX_OPTIONS 32
#define NLIF_SOLVER_TEXT 1024

/* One loaded manifest: its scheme type (registered) and what running it needs. */
typedef struct nlif_solver {
    nlif_scheme_type type;
    char path[PATH_MAX], dir[PATH_MAX];
    char name[NLIF_NAME_MAX], title[NLIF_TEXT_MAX], source[NLIF_TEXT_MAX];
    char command[NLIF_SOLVER_TEXT], limit_option[NLIF_SOLVER_TEXT];
    double timeout;      /* seconds */
    double max_mb;       /* MB (2^20 bytes) */
    long max_entries;    /* files and folders a run may write (its out/ and log/ included) */
    unsigned long long hash;
    char mtime[32];
    int n_opt;
    nlif_option_spec *spec; /* heap, n_opt + 1 entries (NULL-name terminated) */
    /* the option table's strings, per option */
    char opt_name[NLIF_SOLVER_MAX_OPTIONS][NLIF_NAME_MAX], opt_def[NLIF_SOLVER_MAX_OPTIONS][NLIF_NAME_MAX];
    char opt_values[NLIF_SOLVER_MAX_OPTIONS][NLIF_SOLVER_TEXT], opt_help[NLIF_SOLVER_MAX_OPTIONS][NLIF_TEXT_MAX];
    int opt_line[NLIF_SOLVER_MAX_OPTIONS];  /* where the section's first key is (for messages) */
    int opt_kind[NLIF_SOLVER_MAX_OPTIONS];  /* the kind once 'type' is read, -1 before */
    int seen[16]; /* how often each [solver] key was given */
} nlif_solver;

/* The placeholders of a command template: {problem}, {out}, {stem}, {manifest_dir}; NULL-terminated. */
extern const char *const nlif_solver_placeholders[];
/* The solver whose option table is SPEC (a variant of a solver shares its table), or NULL. */
const nlif_solver *nlif_solver_of(const nlif_option_spec *spec);
static inline double nlif_solver_max_bytes(const nlif_solver *sv) { return sv->max_mb * 1048576.0; }
/* Set alloc, advance, profile and free of a solver's scheme type (solver_ext.c). */
void nlif_solver_scheme_fill(nlif_scheme_type *type);
/* Run the solver's command (placeholders: PROBLEM, OUT, STEM) with stdout and stderr into LOG/stdout and
 * LOG/stderr, under its timeout and output cap. NLIF_OK when it exited 0, else NLIF_ENUMERIC saying
 * what happened (one line). WALL and CPU: its seconds. */
int nlif_solver_exec(const nlif_solver *sv, const char *problem, const char *out, const char *log, const char *stem,
                     double *wall, double *cpu, nlif_error *err);
/* Remove the folder DIR and everything in it. */
void nlif_solver_remove_tree(const char *dir);

#endif
