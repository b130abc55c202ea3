/* jobs.c — run `bin/nlif` subcommands as child processes, N at a time (verify's -j). A crashing
 * or failing scheme is then a verdict, not the end of the verification. */
#include "nlif_jobs.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t spawn(nlif_job *j)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    int out = open(j->stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(j->stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0)
        _exit(127);
    dup2(out, 1);
    dup2(err, 2);
    close(out);
    close(err);
    char *argv[NLIF_JOB_MAX_ARGS + 2];
    argv[0] = "nlif";
    for (int i = 0; i < j->argc; i++)
        argv[i + 1] = j->argv[i];
    argv[j->argc + 1] = NULL;
    execv("/proc/self/exe", argv);
    _exit(127);
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

void nlif_job_arg(nlif_job *j, const char *fmt, ...)
{
    if (j->argc >= NLIF_JOB_MAX_ARGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->argbuf[j->argc], sizeof j->argbuf[0], fmt, ap);
    va_end(ap);
    j->argv[j->argc] = j->argbuf[j->argc];
    j->argc++;
}

int nlif_jobs_run(nlif_job *jobs, int n, int parallel, int progress)
{
    if (parallel < 1)
        parallel = 1;
    pid_t *pid = calloc(n, sizeof *pid);
    double *start = calloc(n, sizeof *start);
    if (!pid || !start) {
        free(pid);
        free(start);
        return -1;
    }
    int next = 0, running = 0, done = 0;
    fflush(NULL);
    while (done < n) {
        while (running < parallel && next < n) {
            start[next] = wall_now();
            pid[next] = spawn(&jobs[next]);
            if (pid[next] < 0) {
                jobs[next].exit_code = -1;
                done++;
            } else
                running++;
            next++;
        }
        int st;
        pid_t p = wait(&st);
        if (p < 0)
            break;
        for (int i = 0; i < next; i++)
            if (pid[i] == p) {
                jobs[i].exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
                jobs[i].wall_seconds = wall_now() - start[i];
                pid[i] = 0;
                running--;
                done++;
                if (progress) {
                    fprintf(stderr, "\r\033[K[%d/%d] %s %s %s", done, n, jobs[i].argv[0], jobs[i].argc > 1 ? jobs[i].argv[1] : "",
                            jobs[i].label);
                    fflush(stderr);
                }
                break;
            }
    }
    if (progress)
        fprintf(stderr, "\r\033[K");
    free(pid);
    free(start);
    return 0;
}
