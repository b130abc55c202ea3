/* nlif_jobs.h — child `nlif` processes run N at a time, stdout and stderr to files. */
#ifndef NLIF_JOBS_H
#define NLIF_JOBS_H

#include "../solvers/core/nlif_error.h"

#include <stdarg.h>

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
                            (verify --resume, harness/nlif_resume.h) */
} nlif_job;

void nlif_job_arg(nlif_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Arguments every child gets right after its subcommand (at most NLIF_JOB_MAX_FORWARD; the array
 * must outlive the jobs): the extra schemes of the command line (nlif_extra.h). */
void nlif_jobs_forward(const char *const *args, int n);
/* Progress on stderr: none, one updating line (a terminal), or one line per finished job (a log). */
enum { NLIF_PROGRESS_NONE = 0, NLIF_PROGRESS_TERMINAL = 1, NLIF_PROGRESS_LINES = 2 };
/* Run every job, `parallel` at a time; progress on stderr as asked (NLIF_PROGRESS_*). The children end with the
 * caller: SIGINT/SIGTERM to it ends them first (then it dies of that signal); SIGKILL to it makes
 * the kernel send them SIGTERM (PR_SET_PDEATHSIG). */
int nlif_jobs_run(nlif_job *jobs, int n, int parallel, int progress);
/* The same; DONE(job, arg) is called in the caller's process as each job ends (not for reused jobs,
 * nor for those ended by a stop signal). */
int nlif_jobs_run_each(nlif_job *jobs, int n, int parallel, int progress, void (*done)(const nlif_job *, void *),
                       void *arg);
/* Lock the folder DIR for this process (flock on DIR/.lock, which holds the pid) until it exits.
 * Held by another process: NLIF_EINVAL at once, naming WHO and the holder's pid. */
int nlif_dir_lock(const char *dir, const char *who, nlif_error *err);

#endif
