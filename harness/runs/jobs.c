/* jobs.c — run `bin/nlif` subcommands as child processes, N at a time (verify's -j). A crashing
 * or failing scheme is then a verdict, not the end of the verification.
 *
 * Process hygiene: the children stay in the parent's process group; SIGINT or SIGTERM to the parent
 * ends the running children (SIGTERM, then waits for them) before the parent dies of the same
 * signal; a child whose parent is killed outright (SIGKILL) gets SIGTERM from the kernel
 * (PR_SET_PDEATHSIG) and, should the parent be gone before that was set up, sees it with getppid.
 * An output folder is locked (flock on FOLDER/.lock, holding the pid) while a run writes it. */
#include "nlif_jobs.h"
#include "../host/nlif_extra.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_signal;

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
    /* the extra schemes of the command line (nlif_extra.h): every child knows the same schemes */
    const char *const *fwd;
    int n_fwd = nlif_extra_forwarded(&fwd);
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

/* take(ctx, i): whether this process runs job i (NULL: every job). A job not taken, or reused (by
 * verify --resume), is left as it is and counts as done. done_cb(job, arg) as each job ends here. */
static int run_some(nlif_job *jobs, int n, int parallel, int progress, int (*take)(void *ctx, int i), void *ctx,
                    void (*done_cb)(const nlif_job *, void *), void *arg)
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
            if (jobs[next].reused || (take && !take(ctx, next))) {
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

int nlif_jobs_run_each(nlif_job *jobs, int n, int parallel, int progress, void (*done_cb)(const nlif_job *, void *),
                       void *arg)
{
    return run_some(jobs, n, parallel, progress, NULL, NULL, done_cb, arg);
}

/* ------------------------------------------------------------------------------------------------ */
/* The jobs over processes (nlif_jobs_comm). */

const nlif_jobs_comm *nlif_jobs_world = NULL;

/* The same value on every process, and which. */
static int agree(const nlif_jobs_comm *w, int value, int *same)
{
    int hi = value, lo = -value;
    if (w->max_int(w->ctx, &hi) || w->max_int(w->ctx, &lo))
        return NLIF_EIO;
    *same = hi == -lo;
    return 0;
}

/* Remove DIR/.claims and its files (claims of an earlier run, or of this one once judged). */
static void clear_claims(const char *dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/.claims", dir);
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (e->d_name[0] != '.') {
                char f[4500];
                snprintf(f, sizeof f, "%s/%s", path, e->d_name);
                unlink(f);
            }
        closedir(d);
    }
    rmdir(path);
}

int nlif_jobs_world_join(const nlif_jobs_comm *w, const char *dir, int status, nlif_error *err)
{
    char token_path[4200];
    snprintf(token_path, sizeof token_path, "%s/.claims/world", dir);
    /* rank 0 writes a number no earlier run wrote (its pid and the time) where every process
     * must see it: the job's processes then agree that they share the folder */
    int token = 0;
    if (w->rank == 0 && status == 0) {
        char claims[4200];
        snprintf(claims, sizeof claims, "%s/.claims", dir);
        clear_claims(dir);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        token = (int)(((unsigned)getpid() * 2654435761u ^ (unsigned)ts.tv_nsec ^ (unsigned)ts.tv_sec) & 0x3fffffff) + 1;
        FILE *f = mkdir(claims, 0755) == 0 ? fopen(token_path, "w") : NULL;
        if (!f || fprintf(f, "%d\n", token) < 0 || fclose(f) != 0) {
            status = NLIF_EXIT_USAGE;
            nlif_fail(err, NLIF_EIO, "cannot write %s: %s", token_path, strerror(errno));
        }
    }
    if (w->max_int(w->ctx, &status))
        return nlif_fail(err, NLIF_EIO, "the processes could not agree on the start");
    if (status)
        return status;
    if (w->max_int(w->ctx, &token))
        return nlif_fail(err, NLIF_EIO, "the processes could not agree on the start");
    int seen = 0;
    FILE *f = fopen(token_path, "r");
    if (!f || fscanf(f, "%d", &seen) != 1)
        seen = -1;
    if (f)
        fclose(f);
    int bad = seen != token;
    if (bad)
        nlif_fail(err, NLIF_EINVAL, "process %d of %d does not see %s as rank 0 wrote it: the processes of nlif-mpi "
                  "verify need one file system that every process sees (run it from a shared folder)", w->rank, w->size,
                  token_path);
    if (w->max_int(w->ctx, &bad))
        return nlif_fail(err, NLIF_EIO, "the processes could not agree on the start");
    if (bad && !err->code)
        nlif_fail(err, NLIF_EINVAL, "another process of the job does not see %s (one shared file system is needed)",
                  token_path);
    return bad ? NLIF_EXIT_USAGE : 0;
}

typedef struct claims {
    const char *dir;
    char *ran;  /* [i]: this process took job i */
    int failed; /* a claim that failed otherwise than "taken already": its errno */
} claims;

static int take_claim(void *ctx, int i)
{
    claims *c = ctx;
    char path[4200];
    snprintf(path, sizeof path, "%s/.claims/%d", c->dir, i);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd >= 0) {
        close(fd);
        c->ran[i] = 1;
        return 1;
    }
    if (errno != EEXIST && !c->failed)
        c->failed = errno;
    return 0;
}

/* FNV-1a over every job's arguments and output file: the plan, as one number */
static int plan_hash(const nlif_job *jobs, int n)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++)
        for (int a = 0; a <= jobs[i].argc; a++) {
            for (const char *s = a < jobs[i].argc ? jobs[i].argv[a] : jobs[i].stdout_path; *s; s++)
                h = (h ^ (unsigned char)*s) * 16777619u;
            h = (h ^ 0xff) * 16777619u;
        }
    return (int)(h & 0x3fffffff);
}

int nlif_jobs_run_shared(nlif_job *jobs, int n, int parallel, int progress, const nlif_jobs_comm *w, const char *dir,
                         void (*done_cb)(const nlif_job *, void *), void *arg, nlif_error *err)
{
    int same_hash = 0, same_n = 0;
    if (agree(w, plan_hash(jobs, n), &same_hash) || agree(w, n, &same_n))
        return nlif_fail(err, NLIF_EIO, "the processes could not compare their plans");
    if (!same_hash || !same_n)
        return nlif_fail(err, NLIF_EINVAL, "the processes planned different jobs (%d here): the case files, options "
                         "or reference data differ between them", n);
    claims c = {.dir = dir, .ran = calloc((size_t)n + 1, 1)};
    /* [2i]: exit code of job i, [2i + 1]: how many processes ran it; [2n + r]: jobs process r ran */
    long *count = calloc(2 * (size_t)n + (size_t)w->size, sizeof *count);
    double *wall = calloc((size_t)n + 1, sizeof *wall);
    int status = c.ran && count && wall ? 0 : NLIF_ENOMEM;
    if (!status && run_some(jobs, n, parallel, progress, take_claim, &c, done_cb, arg))
        status = NLIF_ENOMEM;
    if (!status && c.failed)
        status = NLIF_EIO;
    /* a process done early waits here without taking a processor from the others' jobs */
    if (w->wait_all(w->ctx) || w->max_int(w->ctx, &status))
        status = NLIF_EIO;
    if (!status) {
        /* every job's exit code and wall time, from the process that ran it (the others add 0) */
        for (int i = 0; i < n; i++)
            if (c.ran[i]) {
                count[2 * i] = jobs[i].exit_code;
                count[2 * i + 1] = 1;
                wall[i] = jobs[i].wall_seconds;
                count[2 * n + w->rank]++;
            }
        if (w->sum_long(w->ctx, count, 2 * (size_t)n + (size_t)w->size) || w->sum_double(w->ctx, wall, (size_t)n))
            status = NLIF_EIO;
    }
    if (!status && w->rank == 0) {
        for (int i = 0; i < n; i++) {
            if (jobs[i].reused) /* by --resume, on every process alike: it ran in an earlier verify */
                continue;
            jobs[i].exit_code = count[2 * i + 1] == 1 ? (int)count[2 * i] : -1; /* -1: not run once exactly */
            jobs[i].wall_seconds = wall[i];
            if (count[2 * i + 1] != 1 && !status)
                status = nlif_fail(err, NLIF_EIO, "job %d (%s) ran on %ld processes, not one", i, jobs[i].label,
                                   count[2 * i + 1]);
        }
        clear_claims(dir);
        char line[1024];
        int len = snprintf(line, sizeof line, "nlif: %d jobs over %d processes:", n, w->size);
        for (int r = 0; r < w->size && len < (int)sizeof line - 32; r++)
            len += snprintf(line + len, sizeof line - (size_t)len, "%s %ld", r ? "," : "", count[2 * n + r]);
        fprintf(stderr, "%s%s\n", line, len >= (int)sizeof line - 32 ? ", ..." : "");
    }
    int failed = c.failed;
    free(c.ran);
    free(count);
    free(wall);
    if (status && !err->code)
        nlif_fail(err, status, "a process could not run its share of the jobs%s%s", failed ? ": " : "",
                  failed ? strerror(failed) : "");
    return status;
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
