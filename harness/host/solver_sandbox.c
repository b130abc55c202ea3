/* solver_sandbox.c — where an external solver runs (SOLVERS.md, "The limits"): the best sandbox this
 * machine gives, found once per process (bubblewrap; else namespaces made with unshare(2), the system
 * call of util-linux's unshare; else none), the command line or the namespace set-up that puts the
 * program in it, and the one line that says what a solver got. In either sandbox the program sees
 * only the system (/usr, /etc and the /bin, /lib links read-only, a minimal /dev, its own /proc), its
 * manifest's folder (read-only), its private run folder and an empty /tmp of its own: not the
 * repository, reference data, results or a Monte Carlo store; no network, no capabilities. */
#define _GNU_SOURCE
#include "nlif_solver_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

static const char *const level_names[] = {"none", "unshare", "bubblewrap"};
/* the system's folders, shown read-only; a link (/bin -> usr/bin on a merged /usr) is made a link */
static const char *const system_dirs[] = {"/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32", NULL};
static const char *const devices[] = {"null", "zero", "full", "random", "urandom", "tty", NULL};

static struct {
    int level;              /* the best one that worked */
    char bwrap[PATH_MAX];   /* its program */
    char why[600];          /* why not a better one */
    char cgroup[PATH_MAX];  /* a pids cgroup folder nlif may make children in, or "" */
    char cgroup_why[300];
} probe;
static pthread_once_t probe_once = PTHREAD_ONCE_INIT;

static void add_why(const char *fmt, const char *a, const char *b)
{
    size_t o = strlen(probe.why);
    snprintf(probe.why + o, sizeof probe.why - o, fmt, a, b);
}

/* ------------------------------------------------------------------------------------------------ */
/* bubblewrap: its command line before the program's. */

/* The program the command runs, when it is a file outside the manifest's folder (the first word of the
 * command with {manifest_dir} replaced, holding a '/': e.g. a binary the build put elsewhere). It is
 * bound read-only at its own path, as the one file of the tree the solver may see besides its folder.
 * 0 and the absolute path into OUT, or -1 (none to bind). */
static int program_outside(const nlif_solver *sv, char *out)
{
    char word[PATH_MAX], expanded[PATH_MAX * 2];
    if (!sv || sscanf(sv->command, "%4095s", word) != 1)
        return -1;
    const char *m = strstr(word, "{manifest_dir}");
    if (m)
        snprintf(expanded, sizeof expanded, "%.*s%s%s", (int)(m - word), word, sv->dir, m + strlen("{manifest_dir}"));
    else
        snprintf(expanded, sizeof expanded, "%s", word);
    size_t dl = strlen(sv->dir);
    if (!strchr(expanded, '/') || !realpath(expanded, out))
        return -1;
    return strncmp(out, sv->dir, dl) == 0 && out[dl] == '/' ? -1 : 0;
}

int nlif_sandbox_bwrap_argv(const nlif_solver *sv, const char *run_dir, const char **argv, int cap, char *store,
                            size_t len)
{
    int n = 0;
    size_t used = 0;
#define ARG(s) (n < cap - 1 ? (argv[n++] = (s)) : NULL)
    ARG(probe.bwrap), ARG("--unshare-all"), ARG("--cap-drop"), ARG("ALL"), ARG("--die-with-parent");
    ARG("--new-session");
    for (int i = 0; system_dirs[i]; i++) {
        struct stat st;
        if (lstat(system_dirs[i], &st))
            continue;
        if (S_ISLNK(st.st_mode)) {
            char *t = store + used;
            ssize_t k = readlink(system_dirs[i], t, len - used - 1);
            if (k <= 0 || (size_t)k + 2 > len - used)
                continue;
            t[k] = '\0';
            used += (size_t)k + 1;
            ARG("--symlink"), ARG(t), ARG(system_dirs[i]);
        } else if (S_ISDIR(st.st_mode))
            ARG("--ro-bind"), ARG(system_dirs[i]), ARG(system_dirs[i]);
    }
    ARG("--dev"), ARG("/dev"), ARG("--proc"), ARG("/proc");
    /* a /tmp of its own, no larger than its output cap (tmpfs is memory) */
    char *size = store + used;
    used += (size_t)snprintf(size, len - used, "%.0f", sv ? nlif_solver_max_bytes(sv) : 1048576.0) + 1;
    ARG("--size"), ARG(size), ARG("--tmpfs"), ARG("/tmp");
    if (sv)
        ARG("--ro-bind"), ARG(sv->dir), ARG(sv->dir), ARG("--chdir"), ARG(sv->dir);
    char *prog = store + used;
    if (len - used > PATH_MAX && !program_outside(sv, prog)) {
        used += strlen(prog) + 1;
        ARG("--ro-bind"), ARG(prog), ARG(prog);
    }
    ARG("--bind"), ARG(run_dir), ARG(run_dir);
    ARG("--");
#undef ARG
    argv[n] = NULL;
    return n < cap - 1 && used < len ? n : -1;
}

/* ------------------------------------------------------------------------------------------------ */
/* unshare(2): the same view made by hand, in a child that is about to exec the program. */

static int mkdirs(const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0755) && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

static int bind_at(const char *root, const char *src, int ro)
{
    char dst[PATH_MAX * 2];
    snprintf(dst, sizeof dst, "%s%s", root, src);
    struct stat st;
    if (stat(src, &st))
        return -1;
    if (S_ISDIR(st.st_mode) ? mkdirs(dst) : close(open(dst, O_CREAT | O_WRONLY | O_CLOEXEC, 0600)))
        return -1;
    if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL))
        return -1;
    return ro ? mount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) : 0;
}

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    ssize_t k = fd < 0 ? -1 : write(fd, text, strlen(text));
    if (fd >= 0)
        close(fd);
    return k == (ssize_t)strlen(text) ? 0 : -1;
}

/* Mounts in the new namespaces (this process is pid 1 of its pid namespace): a tmpfs root under
 * RUN_DIR/root with the allowed folders bound in, pivoted to, the old root detached. */
static int build_root(const nlif_solver *sv, const char *run_dir)
{
    char root[PATH_MAX], path[PATH_MAX * 2];
    snprintf(root, sizeof root, "%s/.root", run_dir);
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) || mkdirs(root) ||
        mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755"))
        return -1;
    for (int i = 0; system_dirs[i]; i++) {
        struct stat st;
        if (lstat(system_dirs[i], &st))
            continue;
        snprintf(path, sizeof path, "%s%s", root, system_dirs[i]);
        char target[PATH_MAX];
        ssize_t k = S_ISLNK(st.st_mode) ? readlink(system_dirs[i], target, sizeof target - 1) : 0;
        if (k > 0)
            target[k] = '\0';
        if (k > 0 ? symlink(target, path) : S_ISDIR(st.st_mode) && bind_at(root, system_dirs[i], 1))
            return -1;
    }
    snprintf(path, sizeof path, "%s/dev", root);
    if (mkdirs(path) || mount("tmpfs", path, "tmpfs", MS_NOSUID, "mode=0755"))
        return -1;
    for (int i = 0; devices[i]; i++) {
        snprintf(path, sizeof path, "/dev/%s", devices[i]);
        if (bind_at(root, path, 0) && strcmp(devices[i], "tty"))
            return -1;
    }
    snprintf(path, sizeof path, "%s/proc", root);
    if (mkdirs(path) || mount("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
        return -1;
    snprintf(path, sizeof path, "%s/tmp", root);
    char opts[64];
    snprintf(opts, sizeof opts, "mode=1777,size=%.0f", sv ? nlif_solver_max_bytes(sv) : 1048576.0);
    if (mkdirs(path) || mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, opts))
        return -1;
    if ((sv && bind_at(root, sv->dir, 1)) || bind_at(root, run_dir, 0))
        return -1;
    char prog[PATH_MAX];
    if (!program_outside(sv, prog)) { /* its parent folders first: bind_at makes only the file */
        snprintf(path, sizeof path, "%s%s", root, prog);
        char *slash = strrchr(path, '/');
        *slash = '\0';
        if (mkdirs(path) || bind_at(root, prog, 1))
            return -1;
    }
    snprintf(path, sizeof path, "%s/.old", root);
    if (mkdirs(path) || syscall(SYS_pivot_root, root, path) || chdir("/") || umount2("/.old", MNT_DETACH))
        return -1;
    rmdir("/.old");
    return mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
}

int nlif_sandbox_unshare_enter(const nlif_solver *sv, const char *run_dir)
{
    uid_t uid = geteuid();
    gid_t gid = getegid();
    int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
    if (unshare(flags | (uid ? CLONE_NEWUSER : 0)))
        return -1;
    if (uid) { /* a user namespace in which this user is root, for the mounts */
        char map[64];
        snprintf(map, sizeof map, "%u %u 1\n", (unsigned)uid, (unsigned)uid);
        write_file("/proc/self/setgroups", "deny");
        if (write_file("/proc/self/uid_map", map))
            return -1;
        snprintf(map, sizeof map, "%u %u 1\n", (unsigned)gid, (unsigned)gid);
        if (write_file("/proc/self/gid_map", map))
            return -1;
    }
    /* the program is pid 1 of the new pid namespace: when it ends (or this process dies), every
     * process it left is killed with it */
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0) {
        int st = 0;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        if (WIFSIGNALED(st)) {
            signal(WTERMSIG(st), SIG_DFL);
            kill(getpid(), WTERMSIG(st));
        }
        _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 126);
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (build_root(sv, run_dir) || chdir(sv ? sv->dir : "/"))
        return -1;
    /* pid 1 is a process of ours that waits (it reaps what the program leaves) and exits as the program
     * did, 128 + N for a signal N, as bubblewrap does: the program, not pid 1, gets signals as usual */
    pid_t prog = fork();
    if (prog < 0)
        return -1;
    if (prog > 0) {
        int st = 0;
        for (pid_t w; (w = wait(&st)) != prog;)
            if (w < 0 && errno != EINTR)
                _exit(126);
        _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    }
    /* no capabilities left, none to gain */
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    for (int c = 0; c <= 63; c++)
        prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    return syscall(SYS_capset, &h, d) ? -1 : 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* The probe: each level tried once, on an empty folder, running true. */

static int try_level(int level, char *why, size_t len)
{
    char dir[] = "/tmp/nlif-sandbox-probe-XXXXXX";
    const char *base = getenv("TMPDIR");
    char tmpl[PATH_MAX];
    snprintf(tmpl, sizeof tmpl, "%s/nlif-sandbox-probe-XXXXXX", base && *base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    if (!d && !(d = mkdtemp(dir)))
        return snprintf(why, len, "no folder to probe in"), -1;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC))
        return rmdir(d), -1;
    const char *argv[64];
    char store[PATH_MAX + 256];
    if (level == 2 && nlif_sandbox_bwrap_argv(NULL, d, argv, 62, store, sizeof store) > 0) {
        int n = 0;
        while (argv[n])
            n++;
        argv[n] = "true", argv[n + 1] = NULL;
    }
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0), dup2(null, 1), dup2(fds[1], 2);
        if (level == 2)
            execv(argv[0], (char **)argv);
        else if (!nlif_sandbox_unshare_enter(NULL, d))
            execlp("true", "true", (char *)NULL);
        dprintf(2, "%s", strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    char msg[300] = "";
    ssize_t k = pid > 0 ? read(fds[0], msg, sizeof msg - 1) : 0;
    msg[k > 0 ? k : 0] = '\0';
    msg[strcspn(msg, "\n")] = '\0';
    close(fds[0]);
    int st = 0;
    while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    char root[PATH_MAX + 16];
    snprintf(root, sizeof root, "%s/.root", d);
    rmdir(root);
    rmdir(d);
    int ok = pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    if (!ok)
        snprintf(why, len, "%s", msg[0] ? msg : pid < 0 ? strerror(errno) : "it failed");
    return ok ? 0 : -1;
}

static int find_program(const char *name, char *out, size_t len)
{
    const char *path = getenv("PATH");
    char buf[4096];
    snprintf(buf, sizeof buf, "%s:/usr/bin:/bin", path ? path : "");
    for (char *save = NULL, *t = strtok_r(buf, ":", &save); t; t = strtok_r(NULL, ":", &save)) {
        snprintf(out, len, "%s/%s", t, name);
        if (t[0] == '/' && !access(out, X_OK))
            return 0;
    }
    return -1;
}

static void run_probe(void)
{
    /* NLIF_SANDBOX=unshare or none: no better level than that (to see what a machine without
     * bubblewrap gives, or to step around a sandbox that misbehaves) */
    const char *cap = getenv("NLIF_SANDBOX");
    int top = cap && !strcmp(cap, "none") ? 0 : cap && !strcmp(cap, "unshare") ? 1 : 2;
    char why[300];
    if (top < 2)
        add_why("bubblewrap and better not tried (NLIF_SANDBOX=%s)%s", cap, "");
    else if (find_program("bwrap", probe.bwrap, sizeof probe.bwrap))
        add_why("bwrap not found (Debian package bubblewrap)%s%s", "", "");
    else if (try_level(2, why, sizeof why))
        add_why("bwrap: %s%s", why, "");
    else
        probe.level = 2;
    if (!probe.level && top >= 1) {
        if (!try_level(1, why, sizeof why))
            probe.level = 1;
        else
            add_why("; unshare: %s%s", why, "");
    }
    /* NLIF_SOLVER_CGROUP=0: no pids cgroup (processes are then only counted while the program runs) */
    const char *cg = getenv("NLIF_SOLVER_CGROUP");
    if (!cg || strcmp(cg, "0"))
        nlif_solver_cgroup_probe(probe.cgroup, sizeof probe.cgroup, probe.cgroup_why, sizeof probe.cgroup_why);
}

int nlif_sandbox_level(const nlif_solver *sv)
{
    if (sv->sandbox == NLIF_SANDBOX_OFF)
        return 0;
    pthread_once(&probe_once, run_probe);
    return probe.level;
}

const char *nlif_sandbox_bwrap(void)
{
    return probe.bwrap;
}

const char *nlif_sandbox_cgroup(void)
{
    pthread_once(&probe_once, run_probe);
    return probe.cgroup;
}

void nlif_sandbox_describe(const nlif_solver *sv, char *out, size_t len)
{
    int level = nlif_sandbox_level(sv);
    size_t o;
    if (level)
        o = (size_t)snprintf(out, len, "%s (sees only /usr, /etc, its manifest's folder (and its program) read-only and its run folder: "
                                       "the repository, reference data, results and Monte Carlo stores unreadable; "
                                       "network off; no capabilities)",
                             level_names[level]);
    else if (sv->sandbox == NLIF_SANDBOX_OFF)
        o = (size_t)snprintf(out, len, "none (sandbox = off in the manifest: it reads and writes what the user running "
                                       "nlif may; network on)");
    else
        o = (size_t)snprintf(out, len, "none (%s: it reads and writes what the user running nlif may; network on)%s",
                             probe.why, sv->sandbox == NLIF_SANDBOX_REQUIRED ? "; its runs FAIL: sandbox = required" : "");
    if (o < len)
    {
        char mem[64];
        if (sv->max_mem_mb > 0)
            snprintf(mem, sizeof mem, "%g MB", sv->max_mem_mb);
        else
            snprintf(mem, sizeof mem, "unlimited (max_memory_mb = none)");
        snprintf(out + o, len - o, "; limits cpu %ld s, memory %s, file %g MB, processes %ld (%s)", sv->max_cpu, mem,
                 sv->max_mb, sv->max_procs,
                 nlif_sandbox_cgroup()[0] ? "a pids cgroup refuses more" : "counted while it runs, killed beyond");
    }
}

const char *nlif_sandbox_why_none(void)
{
    pthread_once(&probe_once, run_probe);
    return probe.why;
}
