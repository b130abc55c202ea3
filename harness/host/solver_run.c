/* solver_run.c — running an external solver's command (SOLVERS.md, "The limits"): fork and execvp, no
 * shell, in its own process group, killed with the group at its timeout or when what it wrote passes
 * its output cap (RLIMIT_FSIZE stops a single file there too), PR_SET_PDEATHSIG so that it dies with
 * nlif; every way it can fail told in one line. */
#define _GNU_SOURCE /* nftw, strsignal */
#include "nlif_solver_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NLIF_SOLVER_MAX_ARGS 64

const char *const nlif_solver_placeholders[] = {"{problem}", "{out}", "{stem}", "{manifest_dir}", NULL};

/* What a run has written: bytes of its files and entries (files, folders, links...) under OUT and LOG. */
typedef struct usage {
    double bytes;
    long entries;
} usage;
static _Thread_local usage walk;

static int add_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)path, (void)ftw;
    if (flag == FTW_F)
        walk.bytes += (double)st->st_size;
    walk.entries++;
    return 0;
}

static usage written(const char *out, const char *log)
{
    walk = (usage){0, 0};
    nftw(out, add_entry, 16, FTW_PHYS);
    nftw(log, add_entry, 16, FTW_PHYS);
    return walk;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void nlif_solver_remove_tree(const char *dir)
{
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static const char *signal_name(int sig)
{
    static const struct {
        int sig;
        const char *name;
    } names[] = {{SIGSEGV, "SIGSEGV"}, {SIGABRT, "SIGABRT"}, {SIGKILL, "SIGKILL"}, {SIGTERM, "SIGTERM"},
                 {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},   {SIGILL, "SIGILL"},   {SIGXFSZ, "SIGXFSZ"},
                 {SIGXCPU, "SIGXCPU"}, {SIGPIPE, "SIGPIPE"}, {SIGINT, "SIGINT"},   {SIGHUP, "SIGHUP"},
                 {SIGQUIT, "SIGQUIT"}, {SIGTRAP, "SIGTRAP"}, {SIGSYS, "SIGSYS"},   {0, NULL}};
    for (int i = 0; names[i].name; i++)
        if (names[i].sig == sig)
            return names[i].name;
    return "a signal";
}

/* The last (at most three) non-empty lines of a log file, on one line: " | " between them, control
 * characters replaced. "" when there are none. */
static void last_lines(const char *path, char *out, size_t len)
{
    out[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    char buf[2048];
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, size > (long)sizeof buf - 1 ? size - (long)sizeof buf + 1 : 0, SEEK_SET);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *lines[3];
    size_t lens[3];
    int k = 0;
    for (char *end = buf + n; end > buf && k < 3;) {
        while (end > buf && (end[-1] == '\n' || end[-1] == '\r'))
            end--;
        char *start = end;
        while (start > buf && start[-1] != '\n')
            start--;
        if (end > start) {
            lines[k] = start;
            lens[k++] = (size_t)(end - start);
        }
        end = start;
    }
    size_t o = 0;
    for (int i = k - 1; i >= 0 && o + 1 < len; i--) {
        if (o && o + 3 < len)
            o += (size_t)snprintf(out + o, len - o, " | ");
        for (size_t c = 0; c < lens[i] && o + 1 < len; c++) {
            unsigned char ch = (unsigned char)lines[i][c];
            out[o++] = ch < 32 || ch == 127 ? '?' : (char)ch;
        }
        out[o] = '\0';
    }
}

/* Split the command template on blanks and substitute the placeholders. */
static int build_argv(const nlif_solver *sv, const char *problem, const char *out, const char *stem, char **argv,
                      char *store, size_t cap, nlif_error *err)
{
    const char *vals[] = {problem, out, stem, sv->dir};
    int argc = 0;
    size_t used = 0;
    for (const char *p = sv->command; *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (argc == NLIF_SOLVER_MAX_ARGS - 1)
            return nlif_fail(err, NLIF_EINVAL, "%s: command: more than %d words", sv->path, NLIF_SOLVER_MAX_ARGS - 1);
        argv[argc++] = store + used;
        while (*p && *p != ' ' && *p != '\t') {
            int k = 0;
            while (nlif_solver_placeholders[k] && strncmp(p, nlif_solver_placeholders[k], strlen(nlif_solver_placeholders[k])))
                k++;
            const char *add = nlif_solver_placeholders[k] ? vals[k] : NULL;
            size_t n = add ? strlen(add) : 1;
            if (used + n + 2 > cap)
                return nlif_fail(err, NLIF_EINVAL, "%s: command: too long after substitution", sv->path);
            memcpy(store + used, add ? add : p, n);
            used += n;
            p += nlif_solver_placeholders[k] ? strlen(nlif_solver_placeholders[k]) : 1;
        }
        store[used++] = '\0';
    }
    argv[argc] = NULL;
    if (!argc)
        return nlif_fail(err, NLIF_EINVAL, "%s: command is empty", sv->path);
    return NLIF_OK;
}

static double now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* Run argv with cwd = the manifest's folder, stdout and stderr into LOG/stdout, LOG/stderr; watch the
 * wall time and the bytes written under OUT and LOG. NLIF_OK when it exited 0, else NLIF_ENUMERIC with
 * why. */
static int run_program(const nlif_solver *sv, char **argv, const char *out, const char *log, double *wall, double *cpu,
                       nlif_error *err)
{
    char so[PATH_MAX + 16], se[PATH_MAX + 16];
    snprintf(so, sizeof so, "%s/stdout", log);
    snprintf(se, sizeof se, "%s/stderr", log);
    int fo = open(so, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int fe = open(se, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int fi = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fo < 0 || fe < 0 || fi < 0) {
        int e = errno;
        if (fo >= 0)
            close(fo);
        if (fe >= 0)
            close(fe);
        if (fi >= 0)
            close(fi);
        return nlif_fail(err, NLIF_EIO, "solver %s: cannot open its log files in %s: %s", sv->name, log, strerror(e));
    }
    fflush(NULL);
    pid_t parent = getpid();
    double t0 = now_mono();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(fo), close(fe), close(fi);
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: cannot start a process: %s", sv->name, strerror(e));
    }
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        struct rlimit fs = {(rlim_t)nlif_solver_max_bytes(sv), (rlim_t)nlif_solver_max_bytes(sv)}, core = {0, 0};
        setrlimit(RLIMIT_FSIZE, &fs);
        setrlimit(RLIMIT_CORE, &core);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        for (int s = 1; s < 32; s++)
            if (s != SIGKILL && s != SIGSTOP)
                signal(s, SIG_DFL);
        dup2(fi, 0);
        dup2(fo, 1);
        dup2(fe, 2);
        if (chdir(sv->dir) == 0)
            execvp(argv[0], argv);
        dprintf(2, "nlif: cannot run '%s' (in %s): %s\n", argv[0], sv->dir, strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid); /* also here: no race with the kill below */
    close(fo), close(fe), close(fi);
    int status = 0, why = 0; /* 1 timeout, 2 output bytes, 3 output entries */
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    double limit = nlif_solver_max_bytes(sv);
    usage u = {0, 0};
    for (long it = 0;; it++) {
        pid_t w = wait4(pid, &status, WNOHANG, &ru);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            int e = errno;
            kill(-pid, SIGKILL);
            return nlif_fail(err, NLIF_ENUMERIC, "solver %s: lost track of its process: %s", sv->name, strerror(e));
        }
        double t_walk = now_mono();
        if (t_walk - t0 > sv->timeout)
            why = 1;
        else if ((u = written(out, log)).bytes > limit)
            why = 2;
        else if (u.entries > sv->max_entries)
            why = 3;
        if (why) {
            kill(-pid, SIGKILL);
            while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
                ;
            break;
        }
        /* 2 ms, then 20 ms, and at least 4 times the walk just made: watching a folder of many files
         * must not take the machine from the solver */
        double nap_s = fmax(it < 50 ? 0.002 : 0.02, 4 * (now_mono() - t_walk));
        struct timespec nap = {(time_t)nap_s, (long)(1e9 * (nap_s - floor(nap_s)))};
        nanosleep(&nap, NULL);
    }
    kill(-pid, SIGKILL); /* whatever the solver left running in its group */
    *wall = now_mono() - t0;
    *cpu = ru.ru_utime.tv_sec + 1e-6 * ru.ru_utime.tv_usec + ru.ru_stime.tv_sec + 1e-6 * ru.ru_stime.tv_usec;
    char tail[600];
    last_lines(se, tail, sizeof tail);
    if (why == 1)
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: timeout: still running after %g s (manifest timeout = %g); "
                                             "killed with its process group",
                         sv->name, *wall, sv->timeout);
    /* A file that reached RLIMIT_FSIZE stopped the writer with SIGXFSZ, which the solver (a shell
     * running the writer, say) may have turned into an exit code. */
    int failed = WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status));
    if (!why) {
        u = written(out, log);
        why = failed && u.bytes >= limit ? 2 : u.entries > sv->max_entries ? 3 : 0;
    }
    if (why == 3)
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: more than %ld files and folders written (manifest "
                                             "max_output_files = %ld); stopped after %.3g s",
                         sv->name, sv->max_entries, sv->max_entries, *wall);
    if (why == 2 || (WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ))
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: output beyond %g MB (manifest max_output_mb = %g); stopped "
                                             "after %.3g s",
                         sv->name, sv->max_mb, sv->max_mb, *wall);
    if (WIFSIGNALED(status))
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: killed by signal %s (%s)%s%s", sv->name,
                         signal_name(WTERMSIG(status)), strsignal(WTERMSIG(status)), tail[0] ? "; last stderr: " : "",
                         tail);
    if (WIFEXITED(status) && WEXITSTATUS(status))
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: exit code %d%s%s", sv->name, WEXITSTATUS(status),
                         tail[0] ? "; last stderr: " : " (nothing on stderr)", tail);
    return NLIF_OK;
}


int nlif_solver_exec(const nlif_solver *sv, const char *problem, const char *out, const char *log, const char *stem,
                     double *wall, double *cpu, nlif_error *err)
{
    char *argv[NLIF_SOLVER_MAX_ARGS], store[8192];
    int rc = build_argv(sv, problem, out, stem, argv, store, sizeof store, err);
    return rc ? rc : run_program(sv, argv, out, log, wall, cpu, err);
}
