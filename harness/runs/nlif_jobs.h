/* nlif_jobs.h — child `nlif` processes run N at a time, stdout and stderr to files. */
#ifndef NLIF_JOBS_H
#define NLIF_JOBS_H

#include "../../core/nlif_error.h"

#include <stdarg.h>
#include <stddef.h>

#define NLIF_JOB_MAX_ARGS 40
#define NLIF_JOB_MAX_FORWARD 64

typedef struct nlif_job {
    int argc;
    char *argv[NLIF_JOB_MAX_ARGS];
    char argbuf[NLIF_JOB_MAX_ARGS][256];
    char stdout_path[512], stderr_path[512];
    char label[128];
    int exit_code;       /* 128 + signal for a crash */
    double wall_seconds;
    int reused;          /* set by the caller: not run, exit_code and wall_seconds are a finished run's
                            (verify --resume, harness/runs/nlif_resume.h) */
} nlif_job;

void nlif_job_arg(nlif_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Progress on stderr: none, one updating line (a terminal), or one line per finished job (a log). */
enum { NLIF_PROGRESS_NONE = 0, NLIF_PROGRESS_TERMINAL = 1, NLIF_PROGRESS_LINES = 2 };
/* Run every job, `parallel` at a time; progress on stderr as asked (NLIF_PROGRESS_*). The children end with the
 * caller: SIGINT/SIGTERM to it ends them first (then it dies of that signal); SIGKILL to it makes
 * the kernel send them SIGTERM (PR_SET_PDEATHSIG). DONE(job, arg) is called in the caller's process
 * as each job ends (not for reused jobs, nor for those ended by a stop signal). */
int nlif_jobs_run_each(nlif_job *jobs, int n, int parallel, int progress, void (*done)(const nlif_job *, void *),
                       void *arg);

/* The processes of one command spread over MPI (bin/nlif-mpi installs it at start-up; NULL in
 * bin/nlif, which never calls what follows). The only implementation is cli/main_mpi.c;
 * this file calls no MPI. Every member is collective (every process calls it, in the same order). */
typedef struct nlif_jobs_comm {
    int rank, size;
    int local_size;  /* processes of the job on this machine (they share its processors) */
    void *ctx;
    /* The largest of the processes' values, on every process. 0 or an nlif error code. */
    int (*max_int)(void *ctx, int *value);
    /* Element-wise sum over the processes into rank 0's buffer. 0 or an nlif error code. */
    int (*sum_long)(void *ctx, long *buf, size_t n);
    int (*sum_double)(void *ctx, double *buf, size_t n);
    /* Wait for every process without spinning (a process done early must not take a processor
     * from the jobs of the others). 0 or an nlif error code. */
    int (*wait_all)(void *ctx);
} nlif_jobs_comm;

extern const nlif_jobs_comm *nlif_jobs_world;

/* Over processes: rank 0 has prepared (and locked) the output folder DIR with the result `status`
 * (0 or an exit code); every process learns the largest status and returns it. With status 0, rank 0
 * also empties DIR/.claims and every process checks that it sees the files rank 0 writes in DIR (the
 * processes need one shared file system): a process that does not answers NLIF_EXIT_USAGE, with
 * the reason in err. */
int nlif_jobs_world_join(const nlif_jobs_comm *w, const char *dir, int status, nlif_error *err);
/* Run the jobs over the processes of w, `parallel` at a time on each: the processes first agree that
 * they planned the same jobs, then each takes the next job no process has taken yet (a claim file
 * DIR/.claims/I created with O_EXCL: the first process to ask gets it, so a process with free slots
 * keeps taking work), and at the end every job's exit code and wall time reach rank 0 (which
 * alone judges); DONE as in nlif_jobs_run_each, in the process that ran the job. 0, or an nlif error code with the reason in err (the same code on every process). */
int nlif_jobs_run_shared(nlif_job *jobs, int n, int parallel, int progress, const nlif_jobs_comm *w, const char *dir,
                         void (*done)(const nlif_job *, void *), void *arg, nlif_error *err);
/* Lock the folder DIR for this process (flock on DIR/.lock, which holds the pid) until it exits.
 * Held by another process: NLIF_EINVAL at once, naming WHO and the holder's pid. */
int nlif_dir_lock(const char *dir, const char *who, nlif_error *err);

#endif
