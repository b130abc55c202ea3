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

/* RLIMIT_AS at max_memory_mb (none: no limit), set just before the exec: the child's own code until
 * then (the namespaces of the sandbox, a sanitizer's runtime in such a build of nlif, which has
 * terabytes of address space reserved) must not run under it. */
static void limit_address_space(const nlif_solver *sv, const struct rlimit *as)
{
    if (sv->max_mem_mb > 0)
        setrlimit(RLIMIT_AS, as);
}

/* In the child: the limits, the cgroup, the sandbox, then the program (or bubblewrap running it). */
static void child(const nlif_solver *sv, char **argv, const char *run_dir, const char *cg, int level, pid_t parent,
                  int fi, int fo, int fe)
{
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    rlim_t bytes = (rlim_t)nlif_solver_max_bytes(sv), mem = (rlim_t)(sv->max_mem_mb * 1048576.0);
    struct rlimit fs = {bytes, bytes}, core = {0, 0}, as = {mem, mem};
    /* SIGXCPU at max_cpu_seconds; SIGKILL a second later for a program that ignores it */
    struct rlimit cpu = {(rlim_t)sv->max_cpu, (rlim_t)sv->max_cpu + 1};
    setrlimit(RLIMIT_FSIZE, &fs);
    setrlimit(RLIMIT_CORE, &core);
    setrlimit(RLIMIT_CPU, &cpu);
    if (cg[0] && nlif_solver_cgroup_join(cg))
        dprintf(fe, "nlif: cannot join the pids cgroup %s: %s\n", cg, strerror(errno));
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int s = 1; s < 32; s++)
        if (s != SIGKILL && s != SIGSTOP)
            signal(s, SIG_DFL);
    dup2(fi, 0);
    dup2(fo, 1);
    dup2(fe, 2);
    if (level == 2) {
        const char *bw[NLIF_SOLVER_MAX_ARGS * 2 + 64];
        char store[PATH_MAX * 2];
        int n = nlif_sandbox_bwrap_argv(sv, run_dir, bw, NLIF_SOLVER_MAX_ARGS + 64, store, sizeof store);
        for (int i = 0; n > 0 && argv[i]; i++)
            bw[n++] = argv[i];
        if (n > 0) {
            bw[n] = NULL;
            limit_address_space(sv, &as);
            execv(bw[0], (char **)bw);
        }
        dprintf(2, "nlif: cannot run bubblewrap (%s): %s\n", nlif_sandbox_bwrap(), strerror(errno));
        _exit(127);
    }
    if (level == 1 && nlif_sandbox_unshare_enter(sv, run_dir)) {
        dprintf(2, "nlif: cannot make the sandbox's namespaces: %s\n", strerror(errno));
        _exit(127);
    }
    if (chdir(sv->dir) == 0) {
        limit_address_space(sv, &as);
        execvp(argv[0], argv);
    }
    dprintf(2, "nlif: cannot run '%s' (in %s): %s\n", argv[0], sv->dir, strerror(errno));
    _exit(127);
}

typedef struct watch {
    int why; /* 1 timeout, 2 output bytes, 3 output entries, 4 processes, 5 CPU of all together */
    int status, helpers;
    double cpu_seen; /* the most CPU seconds its tree was seen to have used (a sandbox's rusage misses it) */
    usage u;
    nlif_solver_census_t census;
    struct rusage ru;
} watch;

/* Wait for PID, watching its wall time, what it writes under OUT and LOG, and its processes; kill its
 * group and its tree when it passes a limit. 0, or −1 when its process was lost (errno). */
static int watch_program(const nlif_solver *sv, pid_t pid, double t0, const char *out, const char *log, watch *w)
{
    double limit = nlif_solver_max_bytes(sv);
    for (long it = 0;; it++) {
        pid_t r = wait4(pid, &w->status, WNOHANG, &w->ru);
        if (r == pid)
            return 0;
        if (r < 0 && errno != EINTR) {
            int e = errno;
            nlif_solver_kill_tree(pid);
            kill(-pid, SIGKILL);
            errno = e;
            return -1;
        }
        double t_walk = now_mono();
        if (t_walk - t0 > sv->timeout)
            w->why = 1;
        else if ((w->u = written(out, log)).bytes > limit)
            w->why = 2;
        else if (w->u.entries > sv->max_entries)
            w->why = 3;
        else if (!nlif_solver_census(pid, NULL, 0, &w->census) && w->census.n - w->helpers > sv->max_procs)
            w->why = 4;
        else if ((w->cpu_seen = fmax(w->cpu_seen, w->census.cpu)) > sv->max_cpu + 0.5)
            w->why = 5; /* RLIMIT_CPU stops one process at max_cpu; this, many together */
        if (w->why) {
            nlif_solver_kill_tree(pid);
            kill(-pid, SIGKILL);
            while (wait4(pid, &w->status, 0, &w->ru) < 0 && errno == EINTR)
                ;
            return 0;
        }
        /* 2 ms, then 20 ms, and at least 4 times the walk just made: watching a folder of many files
         * must not take the machine from the solver */
        double nap_s = fmax(it < 50 ? 0.002 : 0.02, 4 * (now_mono() - t_walk));
        struct timespec nap = {(time_t)nap_s, (long)(1e9 * (nap_s - floor(nap_s)))};
        nanosleep(&nap, NULL);
    }
}

/* Did the program's stderr say it ran out of memory (the words of C, C++, Python, Fortran runtimes)? */
static int says_out_of_memory(const char *tail)
{
    static const char *const words[] = {"memory", "Memory", "bad_alloc", "Cannot allocate", "MemoryError", NULL};
    for (int i = 0; words[i]; i++)
        if (strstr(tail, words[i]))
            return 1;
    return 0;
}

/* The one line of a run that failed (or passed a limit): NLIF_ENUMERIC, or NLIF_OK. */
static int judge_run(const nlif_solver *sv, const watch *w, int level, long refused, double wall, double cpu,
                     const char *out, const char *log, const char *se, nlif_error *err)
{
    char tail[600];
    last_lines(se, tail, sizeof tail);
    const char *sep = tail[0] ? "; last stderr: " : "";
    int status = w->status, sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    /* a sandbox reports a program killed by signal N as exit code 128 + N; a shell reports a command
     * stopped by SIGXCPU so too */
    if (WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGXCPU)
        sig = SIGXCPU;
    if (level && WIFEXITED(status) && WEXITSTATUS(status) > 128 && WEXITSTATUS(status) < 128 + 32)
        sig = WEXITSTATUS(status) - 128;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 0, failed = sig || code;
    if (w->why == 1)
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: timeout: still running after %g s (manifest timeout = %g); "
                                             "killed with its process group",
                         sv->name, wall, sv->timeout);
    if (w->why == 4)
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: process limit: %d processes at once (manifest max_processes = "
                                             "%ld); killed with all of them after %.3g s",
                         sv->name, w->census.n - w->helpers, sv->max_procs, wall);
    if (w->why == 5 || sig == SIGXCPU || (failed && cpu >= sv->max_cpu))
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: CPU time limit: %s after %.3g s CPU (manifest max_cpu_seconds "
                                             "= %ld)%s%s",
                         sv->name, w->why == 5 ? "its processes together, killed" : sig == SIGXCPU ? "killed by SIGXCPU"
                                                                                  : "stopped",
                         cpu, sv->max_cpu, sep, tail);
    /* A file that reached RLIMIT_FSIZE stopped the writer with SIGXFSZ, which the solver (a shell
     * running the writer, say) may have turned into an exit code. */
    int why = w->why;
    if (!why) {
        usage u = written(out, log);
        why = failed && u.bytes >= nlif_solver_max_bytes(sv) ? 2 : u.entries > sv->max_entries ? 3 : 0;
    }
    if (why == 3)
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: more than %ld files and folders written (manifest "
                                             "max_output_files = %ld); stopped after %.3g s",
                         sv->name, sv->max_entries, sv->max_entries, wall);
    if (why == 2 || sig == SIGXFSZ)
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: output beyond %g MB (manifest max_output_mb = %g); stopped "
                                             "after %.3g s",
                         sv->name, sv->max_mb, sv->max_mb, wall);
    char how[64];
    snprintf(how, sizeof how, "exit code %d", code);
    if (sig)
        snprintf(how, sizeof how, "killed by signal %s", signal_name(sig));
    if (failed && refused > 0)
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: process limit: %s after %ld fork(s) refused at max_processes "
                                             "(manifest max_processes = %ld)%s%s",
                         sv->name, how, refused, sv->max_procs, sep, tail);
    if (failed && sv->max_mem_mb > 0 && (w->census.vm_peak_mb >= 0.5 * sv->max_mem_mb || says_out_of_memory(tail)))
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: memory limit: %s with its address space at %.0f MB (manifest "
                                             "max_memory_mb = %g: an allocation beyond it fails)%s%s",
                         sv->name, how, w->census.vm_peak_mb, sv->max_mem_mb, sep, tail);
    if (sig)
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: killed by signal %s (%s)%s%s", sv->name, signal_name(sig),
                         strsignal(sig), sep, tail);
    if (code)
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: exit code %d%s%s", sv->name, code,
                         tail[0] ? sep : " (nothing on stderr)", tail);
    return NLIF_OK;
}

/* Run argv in the sandbox with cwd = the manifest's folder, stdout and stderr into LOG/stdout,
 * LOG/stderr, under its limits. NLIF_OK when it exited 0, else NLIF_ENUMERIC with why. */
static int run_program(const nlif_solver *sv, char **argv, const char *run_dir, const char *out, const char *log,
                       double *wall, double *cpu, nlif_error *err)
{
    int level = nlif_sandbox_level(sv);
    if (!level && sv->sandbox == NLIF_SANDBOX_REQUIRED)
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: sandbox = required in the manifest, and this machine gives "
                                             "none (%s)",
                         sv->name, nlif_sandbox_why_none());
    char so[PATH_MAX + 16], se[PATH_MAX + 16], cg[PATH_MAX + 64] = "";
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
    watch w = {.helpers = 2 * (level > 0)}; /* the sandbox's two processes: its watcher and its pid 1 */
    if (nlif_sandbox_cgroup()[0])
        nlif_solver_cgroup_open(nlif_sandbox_cgroup(), sv->max_procs + w.helpers, cg, sizeof cg);
    fflush(NULL);
    pid_t parent = getpid();
    double t0 = now_mono();
    pid_t pid = fork();
    if (pid == 0)
        child(sv, argv, run_dir, cg, level, parent, fi, fo, fe);
    int e = errno;
    close(fo), close(fe), close(fi);
    if (pid < 0) {
        if (cg[0])
            nlif_solver_cgroup_close(cg);
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: cannot start a process: %s", sv->name, strerror(e));
    }
    setpgid(pid, pid); /* also here: no race with the kill below */
    int lost = watch_program(sv, pid, t0, out, log, &w);
    e = errno;
    kill(-pid, SIGKILL); /* whatever the solver left running in its group */
    long refused = cg[0] ? nlif_solver_cgroup_close(cg) : 0;
    if (lost)
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: lost track of its process: %s", sv->name, strerror(e));
    *wall = now_mono() - t0;
    *cpu = w.ru.ru_utime.tv_sec + 1e-6 * w.ru.ru_utime.tv_usec + w.ru.ru_stime.tv_sec + 1e-6 * w.ru.ru_stime.tv_usec;
    *cpu = fmax(*cpu, w.cpu_seen);
    return judge_run(sv, &w, level, refused, *wall, *cpu, out, log, se, err);
}

int nlif_solver_exec(const nlif_solver *sv, const char *problem, const char *out, const char *log, const char *stem,
                     double *wall, double *cpu, nlif_error *err)
{
    char *argv[NLIF_SOLVER_MAX_ARGS], store[8192], run_dir[PATH_MAX];
    snprintf(run_dir, sizeof run_dir, "%s", problem);
    char *slash = strrchr(run_dir, '/');
    if (slash)
        *slash = '\0';
    int rc = build_argv(sv, problem, out, stem, argv, store, sizeof store, err);
    return rc ? rc : run_program(sv, argv, run_dir, out, log, wall, cpu, err);
}
