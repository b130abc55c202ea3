/* cmd_bench.c — `nlif bench`: run the benchmark programs (tests/bench_*.c, built by `make bench`).
 * Every speed target of nlif is a ratio measured within one run of one program (never a timed unit
 * test): particle-step vs a GSL Gaussian draw, spap step vs a bare tridiagonal solve, multiscale vs
 * Monte Carlo, dilated vs Monte Carlo to the same accuracy. */
#include "nlif_cli.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: nlif bench [PATTERN]\n\n"
               "Run the benchmark programs build/tests/bench_* (build them with `make bench`, which also\n"
               "runs them all), optionally only those whose name matches the glob PATTERN (e.g. 'bench_spap').\n"
               "Each prints its own figures and the ratio it is judged by.\n");
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int nlif_cmd_bench(int argc, char **argv)
{
    const char *pattern = "bench_*";
    static const struct option flags[] = {{"help", no_argument, NULL, NLIF_CLI_HELP}, {0, 0, 0, 0}};
    nlif_cli_flags p;
    nlif_cli_flags_begin(&p, argc, argv, flags, 0);
    for (int c; (c = nlif_cli_flags_next(&p)) != -1;) {
        if (c == NLIF_CLI_HELP) {
            usage(stdout);
            return 0;
        }
        if (c != NLIF_CLI_POSITIONAL || p.flag[0] == '-') {
            fprintf(stderr, "nlif bench: unknown option '%s'\n", p.flag);
            return NLIF_EXIT_USAGE;
        }
        pattern = p.value;
    }
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/build/tests", nlif_root());
    DIR *d = opendir(dir);
    char *names[64];
    int n = 0;
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) && n < 64)
            if (!strncmp(e->d_name, "bench_", 6) && !strchr(e->d_name, '.') && !fnmatch(pattern, e->d_name, 0))
                names[n++] = strdup(e->d_name);
        closedir(d);
    }
    if (!n) {
        fprintf(stderr, "nlif bench: no benchmark matching '%s' in %s (build them with `make bench`)\n", pattern, dir);
        return NLIF_EXIT_USAGE;
    }
    qsort(names, n, sizeof *names, cmp);
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        printf("== %s\n", names[i]);
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            execl(path, path, (char *)NULL);
            _exit(127);
        }
        int st = 0;
        if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
            rc = NLIF_EXIT_NUMERIC;
        free(names[i]);
    }
    return rc;
}
