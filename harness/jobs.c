/* jobs.c — run `bin/nlif` subcommands as child processes, N at a time (verify's -j). A crashing
 * or failing scheme is then a verdict, not the end of the verification.
 *
 * Process hygiene: the children stay in the parent's process group; SIGINT or SIGTERM to the parent
 * ends the running children (SIGTERM, then waits for them) before the parent dies of the same
 * signal; a child whose parent is killed outright (SIGKILL) gets SIGTERM from the kernel
 * (PR_SET_PDEATHSIG) and, should the parent be gone before that was set up, sees it with getppid.
 * An output folder is locked (flock on FOLDER/.lock, holding the pid) while a run writes it. */
#include "nlif_jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_signal;

/* Arguments every child gets after its subcommand (nlif_jobs_forward). */
static const char *const *fwd;
static int n_fwd;

void nlif_jobs_forward(const char *const *args, int n)
{
    fwd = args;
    n_fwd = n;
}

static void on_stop(int sig) { stop_signal = sig; }

/* SIGCHLD only has to end sigsuspend: nothing to do */
static void on_child(int sig) { (void)sig; }

static pid_t spawn(nlif_job *j, pid_t parent, const sigset_t *mask)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* the parent's handlers and blocked signals are not ours: defaults, then die with the parent */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    sigprocmask(SIG_SETMASK, mask, NULL);
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
        _exit(128 + SIGTERM);
    int out = open(j->stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(j->stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0)
        _exit(127);
    dup2(out, 1);
    dup2(err, 2);
    close(out);
    close(err);
    char *argv[NLIF_JOB_MAX_ARGS + 2 + NLIF_JOB_MAX_FORWARD];
    int k = 0;
    argv[k++] = "nlif";
    for (int i = 0; i < j->argc; i++) {
        argv[k++] = j->argv[i];
        for (int f = 0; i == 0 && f < n_fwd && f < NLIF_JOB_MAX_FORWARD; f++)
            argv[k++] = (char *)fwd[f];
    }
    argv[k] = NULL;
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
    return nlif_jobs_run_each(jobs, n, parallel, progress, NULL, NULL);
}

int nlif_jobs_run_each(nlif_job *jobs, int n, int parallel, int progress, void (*done_cb)(const nlif_job *, void *),
                       void *arg)
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
    /* SIGINT, SIGTERM and SIGCHLD are blocked except inside sigsuspend, so that a stop signal is
     * seen whenever it comes (no window between the test of stop_signal and the wait) */
    struct sigaction sa, sc, old_int, old_term, old_chld;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sc = sa;
    sc.sa_handler = on_child;
    sigset_t block, mask;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &mask);
    stop_signal = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGCHLD, &sc, &old_chld);
    const pid_t self = getpid();
    while (done < n && !stop_signal) {
        while (running < parallel && next < n && !stop_signal) {
            if (jobs[next].reused) {
                next++;
                done++;
                continue;
            }
            start[next] = wall_now();
            pid[next] = spawn(&jobs[next], self, &mask);
            if (pid[next] < 0) {
                jobs[next].exit_code = -1;
                done++;
            } else
                running++;
            next++;
        }
        int st;
        pid_t p = waitpid(-1, &st, WNOHANG);
        if (p == 0) {
            sigsuspend(&mask); /* until a child ends or a stop signal comes */
            continue;
        }
        if (p < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < next; i++)
            if (pid[i] == p) {
                jobs[i].exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
                jobs[i].wall_seconds = wall_now() - start[i];
                pid[i] = 0;
                running--;
                done++;
                if (done_cb)
                    done_cb(&jobs[i], arg);
                if (progress == NLIF_PROGRESS_TERMINAL) {
                    fprintf(stderr, "\r\033[K[%d/%d] %s %s %s", done, n, jobs[i].argv[0], jobs[i].argc > 1 ? jobs[i].argv[1] : "",
                            jobs[i].label);
                    fflush(stderr);
                } else if (progress == NLIF_PROGRESS_LINES) {
                    /* a log (CI): one whole line per job, nothing overwritten */
                    fprintf(stderr, "[%d/%d] %s: %s, %.2f s, exit %d\n", done, n, jobs[i].label, jobs[i].argv[0],
                            jobs[i].wall_seconds, jobs[i].exit_code);
                    fflush(stderr);
                }
                break;
            }
    }
    if (stop_signal) {
        int sig = stop_signal;
        for (int i = 0; i < next; i++)
            if (pid[i] > 0)
                kill(pid[i], SIGTERM);
        for (int i = 0; i < next; i++)
            if (pid[i] > 0)
                waitpid(pid[i], NULL, 0);
        fprintf(stderr, "\nnlif: interrupted by signal %d: %d running job(s) ended\n", sig, running);
        /* die of the same signal, as the caller expects */
        signal(sig, SIG_DFL);
        sigprocmask(SIG_SETMASK, &mask, NULL);
        raise(sig);
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGCHLD, &old_chld, NULL);
    sigprocmask(SIG_SETMASK, &mask, NULL);
    if (progress == NLIF_PROGRESS_TERMINAL)
        fprintf(stderr, "\r\033[K");
    free(pid);
    free(start);
    return 0;
}

int nlif_dir_lock(const char *dir, const char *who, nlif_error *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/.lock", dir);
    /* O_CLOEXEC: the children do not hold the lock; it ends with this process */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return nlif_fail(err, NLIF_EIO, "cannot open the lock file %s: %s", path, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        char holder[64] = "";
        ssize_t k = read(fd, holder, sizeof holder - 1);
        holder[k > 0 ? k : 0] = '\0';
        holder[strcspn(holder, "\n")] = '\0';
        close(fd);
        if (e == EWOULDBLOCK)
            return nlif_fail(err, NLIF_EINVAL, "%s is in use by another %s (pid %s, lock %s); wait for it to end or "
                                               "run in another folder", dir, who, holder[0] ? holder : "unknown", path);
        return nlif_fail(err, NLIF_EIO, "cannot lock %s: %s", path, strerror(e));
    }
    char me[32];
    int len = snprintf(me, sizeof me, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, me, (size_t)len, 0) != len) {
        close(fd);
        return nlif_fail(err, NLIF_EIO, "cannot write the lock file %s: %s", path, strerror(errno));
    }
    return NLIF_OK; /* fd stays open: the lock lasts as long as this process */
}
