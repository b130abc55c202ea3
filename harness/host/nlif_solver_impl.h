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
    long max_cpu;        /* CPU seconds (RLIMIT_CPU per process, and its processes together) */
    double max_mem_mb;   /* MB of address space per process (RLIMIT_AS) */
    long max_procs;      /* processes at once */
    int sandbox;         /* NLIF_SANDBOX_OFF, _AUTO or _REQUIRED */
    unsigned long long hash;
    char mtime[32];
    int n_opt;
    nlif_option_spec *spec; /* heap, n_opt + 1 entries (NULL-name terminated) */
    /* the option table's strings, per option */
    char opt_name[NLIF_SOLVER_MAX_OPTIONS][NLIF_NAME_MAX], opt_def[NLIF_SOLVER_MAX_OPTIONS][NLIF_NAME_MAX];
    char opt_values[NLIF_SOLVER_MAX_OPTIONS][NLIF_SOLVER_TEXT], opt_help[NLIF_SOLVER_MAX_OPTIONS][NLIF_TEXT_MAX];
    int opt_line[NLIF_SOLVER_MAX_OPTIONS];  /* where the section's first key is (for messages) */
    int opt_kind[NLIF_SOLVER_MAX_OPTIONS];  /* the kind once 'type' is read, -1 before */
    int seen[24]; /* how often each [solver] key was given */
} nlif_solver;

enum { NLIF_SANDBOX_OFF, NLIF_SANDBOX_AUTO, NLIF_SANDBOX_REQUIRED };

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

/* solver_sandbox.c. The sandbox SV's runs get: 0 none, 1 unshare, 2 bubblewrap (the machine's best,
 * probed once per process, or 0 when the manifest says sandbox = off). */
int nlif_sandbox_level(const nlif_solver *sv);
/* Why the machine has no better sandbox ("" when it has bubblewrap). */
const char *nlif_sandbox_why_none(void);
/* The bwrap program found by the probe. */
const char *nlif_sandbox_bwrap(void);
/* The pids cgroup folder runs are put under, or "" when there is none to be had (probed once). */
const char *nlif_sandbox_cgroup(void);
/* The isolation line of SV: the sandbox it gets, what that guarantees, and its limits. */
void nlif_sandbox_describe(const nlif_solver *sv, char *out, size_t len);
/* bubblewrap's command line for SV with RUN_DIR writable, up to its "--" (the program's words follow):
 * its number of words, or −1 when ARGV (CAP entries) or STORE (LEN bytes) is too small. */
int nlif_sandbox_bwrap_argv(const nlif_solver *sv, const char *run_dir, const char **argv, int cap, char *store,
                            size_t len);
/* In a child about to exec SV's program: new namespaces (mount, pid, network, ipc, uts; user when not
 * root) with only the sandbox's folders visible, capabilities dropped. 0, or −1 with errno. */
int nlif_sandbox_unshare_enter(const nlif_solver *sv, const char *run_dir);

/* solver_procs.c. The processes of a run: the tree under TOP (by parent) and TOP's process group. */
typedef struct nlif_solver_census_t {
    int n;             /* processes now */
    double cpu;        /* CPU seconds they used, with their children that they waited for */
    double vm_peak_mb; /* the largest VmPeak seen (kept over calls: the caller zeroes it once) */
} nlif_solver_census_t;
/* Count them (their pids into PIDS, up to MAX_PIDS, when PIDS is not NULL). 0, −1 without /proc. */
int nlif_solver_census(int top, int *pids, int max_pids, nlif_solver_census_t *c);
/* SIGKILL to every process of the tree under TOP. */
void nlif_solver_kill_tree(int top);
/* A pids cgroup under this process's own, where nlif may make one: 0 and its parent in ROOT, else −1
 * and why in WHY. */
int nlif_solver_cgroup_probe(char *root, size_t len, char *why, size_t wlen);
/* Make a cgroup under ROOT that refuses a fork beyond MAX processes: 0 and its folder in DIR, or −1. */
int nlif_solver_cgroup_open(const char *root, long max, char *dir, size_t len);
/* Move the calling process into the cgroup DIR (in the child, before exec). */
int nlif_solver_cgroup_join(const char *dir);
/* Kill what is left in DIR, remove it; returns how many forks it refused. */
long nlif_solver_cgroup_close(const char *dir);

#endif
