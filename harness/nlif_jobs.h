/* nlif_jobs.h — child `nlif` processes run N at a time, stdout and stderr to files. */
#ifndef NLIF_JOBS_H
#define NLIF_JOBS_H

#include <stdarg.h>

#define NLIF_JOB_MAX_ARGS 40

typedef struct nlif_job {
    int argc;
    char *argv[NLIF_JOB_MAX_ARGS];
    char argbuf[NLIF_JOB_MAX_ARGS][256];
    char stdout_path[512], stderr_path[512];
    char label[128];
    int exit_code;       /* 128 + signal for a crash */
    double wall_seconds;
} nlif_job;

void nlif_job_arg(nlif_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Run every job, `parallel` at a time; progress on stderr when asked. */
int nlif_jobs_run(nlif_job *jobs, int n, int parallel, int progress);

#endif
