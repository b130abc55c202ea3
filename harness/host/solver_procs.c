/* solver_procs.c — the processes of a running external solver (SOLVERS.md, "The limits"): a census of
 * its process tree read from /proc (how many processes at once, the CPU seconds they used together,
 * the largest address space one of them reached), and a pids cgroup that refuses a fork beyond
 * max_processes where the machine lets nlif make one (RLIMIT_NPROC cannot: it counts every process of
 * the user, and root is exempt from it). */
#define _GNU_SOURCE
#include "nlif_solver_impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct proc_row {
    int pid, ppid, pgrp, mark;
    double cpu; /* utime + stime + cutime + cstime, seconds */
} proc_row;

/* One line of /proc/PID/stat: the fields after the command (which may hold blanks and parentheses). */
static int read_stat(int pid, proc_row *r)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    char state;
    unsigned long ut, st;
    long cut, cst;
    /* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime */
    if (sscanf(p + 2, "%c %d %d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %ld %ld", &state, &r->ppid, &r->pgrp, &ut,
               &st, &cut, &cst) != 7)
        return -1;
    r->pid = pid;
    r->mark = 0;
    r->cpu = (double)(ut + st + (unsigned long)cut + (unsigned long)cst) / (double)sysconf(_SC_CLK_TCK);
    return 0;
}

/* VmPeak of a process in MB (0 when unknown, and 0 for a process that is still nlif: the child between
 * its fork and its exec has nlif's address space, a sanitizer build's terabytes of it, which is not
 * the solver's). */
static double vm_peak_mb(int pid)
{
    char path[64], line[256], exe[PATH_MAX], self[PATH_MAX];
    snprintf(path, sizeof path, "/proc/%d/exe", pid);
    ssize_t a = readlink(path, exe, sizeof exe - 1), b = readlink("/proc/self/exe", self, sizeof self - 1);
    if (a > 0 && b > 0 && a == b && !memcmp(exe, self, (size_t)a))
        return 0;
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "re");
    double kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmPeak:", 7)) {
            kb = atof(line + 7);
            break;
        }
    if (f)
        fclose(f);
    return kb / 1024;
}

int nlif_solver_census(int top, int *pids, int max_pids, nlif_solver_census_t *c)
{
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    size_t n = 0, cap = 256;
    proc_row *rows = malloc(cap * sizeof *rows);
    struct dirent *e;
    while (rows && (e = readdir(d))) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0)
            continue;
        if (n == cap) {
            proc_row *r = realloc(rows, 2 * cap * sizeof *rows);
            if (!r)
                break;
            rows = r, cap *= 2;
        }
        if (!read_stat((int)pid, &rows[n]))
            n++;
    }
    closedir(d);
    if (!rows)
        return -1;
    /* the tree under TOP (by parent), and whatever kept TOP's process group after its parent died */
    for (size_t i = 0; i < n; i++)
        rows[i].mark = rows[i].pid == top || rows[i].pgrp == top;
    for (int changed = 1, pass = 0; changed && pass < 256; pass++) {
        changed = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; !rows[i].mark && k < n; k++)
                if (rows[k].mark && rows[k].pid == rows[i].ppid)
                    rows[i].mark = changed = 1;
    }
    c->n = 0;
    c->cpu = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].mark) {
            if (pids && c->n < max_pids)
                pids[c->n] = rows[i].pid;
            c->n++;
            c->cpu += rows[i].cpu;
            double vm = vm_peak_mb(rows[i].pid);
            if (vm > c->vm_peak_mb)
                c->vm_peak_mb = vm;
        }
    free(rows);
    return 0;
}

void nlif_solver_kill_tree(int top)
{
    int pids[4096];
    nlif_solver_census_t c = {0};
    if (nlif_solver_census(top, pids, 4096, &c))
        return;
    for (int i = 0; i < c.n && i < 4096; i++)
        kill(pids[i], SIGKILL);
}

/* ------------------------------------------------------------------------------------------------ */
/* The pids cgroup. */

static int put(const char *dir, const char *file, const char *text)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t k = write(fd, text, strlen(text));
    close(fd);
    return k == (ssize_t)strlen(text) ? 0 : -1;
}

/* The folder of this process's cgroup in the pids hierarchy (v1: /sys/fs/cgroup/pids/PATH; v2: the
 * unified PATH when pids is among the controllers its children get), or "" with why not in WHY. */
static void pids_parent(char *dir, size_t len, char *why, size_t wlen)
{
    dir[0] = '\0';
    FILE *f = fopen("/proc/self/cgroup", "re");
    char line[PATH_MAX + 64], v2[PATH_MAX] = "";
    int v1 = 0;
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
        if (!b)
            continue;
        *b = '\0';
        if (!strcmp(a + 1, "pids") || strstr(a + 1, ",pids") || !strncmp(a + 1, "pids,", 5)) {
            snprintf(dir, len, "/sys/fs/cgroup/pids%s", b + 1);
            v1 = 1;
        } else if (!a[1] && !strcmp(line, "0"))
            snprintf(v2, sizeof v2, "%s", b + 1);
    }
    if (f)
        fclose(f);
    if (v1)
        return;
    char ctl[PATH_MAX + 64], text[256] = "";
    snprintf(ctl, sizeof ctl, "/sys/fs/cgroup%s/cgroup.subtree_control", v2);
    FILE *s = v2[0] ? fopen(ctl, "re") : NULL;
    if (s && fgets(text, sizeof text, s) && strstr(text, "pids"))
        snprintf(dir, len, "/sys/fs/cgroup%s", v2);
    else
        snprintf(why, wlen, "no pids cgroup nlif may make: RLIMIT_NPROC is no limit for root and counts every "
                            "process of a user, so processes are counted while the program runs instead");
    if (s)
        fclose(s);
}

int nlif_solver_cgroup_probe(char *root, size_t len, char *why, size_t wlen)
{
    pids_parent(root, len, why, wlen);
    if (!root[0])
        return -1;
    char test[PATH_MAX + 64];
    snprintf(test, sizeof test, "%s/nlif-probe-%d", root, (int)getpid());
    if (mkdir(test, 0755) && errno != EEXIST) {
        snprintf(why, wlen, "cannot make a pids cgroup under %s (%s): processes are counted while the program "
                            "runs instead",
                 root, strerror(errno));
        root[0] = '\0';
        return -1;
    }
    int ok = !put(test, "pids.max", "8");
    rmdir(test);
    if (!ok) {
        snprintf(why, wlen, "cannot set pids.max under %s: processes are counted while the program runs instead", root);
        root[0] = '\0';
        return -1;
    }
    return 0;
}

int nlif_solver_cgroup_open(const char *root, long max, char *dir, size_t len)
{
    static atomic_int serial;
    snprintf(dir, len, "%s/nlif-solver-%d-%d", root, (int)getpid(), atomic_fetch_add(&serial, 1));
    char text[32];
    snprintf(text, sizeof text, "%ld", max);
    if (mkdir(dir, 0755) || put(dir, "pids.max", text)) {
        rmdir(dir);
        dir[0] = '\0';
        return -1;
    }
    return 0;
}

int nlif_solver_cgroup_join(const char *dir)
{
    return put(dir, "cgroup.procs", "0");
}

long nlif_solver_cgroup_close(const char *dir)
{
    char path[PATH_MAX + 64], line[128];
    long refused = 0;
    snprintf(path, sizeof path, "%s/pids.events", dir);
    FILE *f = fopen(path, "re");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "max ", 4))
            refused = atol(line + 4);
    if (f)
        fclose(f);
    /* whatever is left in it: killed, then the cgroup removed (it can only go once it is empty) */
    snprintf(path, sizeof path, "%s/cgroup.procs", dir);
    for (int round = 0; round < 200; round++) {
        int any = 0;
        FILE *p = fopen(path, "re");
        while (p && fgets(line, sizeof line, p)) {
            int pid = atoi(line);
            if (pid > 0)
                kill(pid, SIGKILL), any = 1;
        }
        if (p)
            fclose(p);
        if (!rmdir(dir) || (!any && errno != EBUSY))
            break;
        nanosleep(&(struct timespec){0, 5000000}, NULL);
    }
    return refused;
}
