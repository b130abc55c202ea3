/* resultfmt_write.c — the result format's writer (nlif_resultfmt.h, RESULTS.md): a result set written
 * under temporary names and renamed into place, the JSON summary last, one run id in every file; the
 * temporary files removed at exit and on SIGINT/SIGTERM/SIGHUP. The readers are resultfmt_read.c
 * (files) and resultfmt_sets.c (whole result sets). */
#include "nlif_resultfmt.h"

#include "../core/nlif_trajectory.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* "?R": an optional column, the refractory mass (written only for a model with τ_R > 0); "?rate_i" ...
 * "?min_density_i": population I of a two-population model (MATHEMATICS.md §1.6), as E's columns */
const char *const nlif_rf_series_cols[] = {"t", "rate", "fired", "mass", "min_density", "?R",
                                           "?rate_i", "?fired_i", "?mass_i", "?min_density_i", NULL};
const char *const nlif_rf_snapshot_cols[] = {"kind", "t", "x", "density", "?density_i", NULL};
const char *const nlif_rf_mc_rate_cols[] = {"t", "rate_mean", "rate_se", "cum_t", "cum_mean", "cum_se", NULL};
const char *const nlif_rf_mc_mfe_cols[] = {"realisation", "index", "t", "size", NULL};
const char *const nlif_rf_mc_snap_cols[] = {"v_lo", "v_hi", "density", "cdf_at_v_hi", NULL};
const char *const nlif_rf_mc_weight_cols[] = {"w_lo", "w_hi", "density", NULL};

void nlif_rf_series_write(FILE *f, const nlif_trajectory *tr)
{
    const double *R = tr->refractory;
    const nlif_sample *si = tr->s_i;
    fprintf(f, R ? "t,rate,fired,mass,min_density,R%s\n" : "t,rate,fired,mass,min_density%s\n",
            si ? ",rate_i,fired_i,mass_i,min_density_i" : "");
    for (size_t i = 0; i < tr->n; i++) {
        fprintf(f, "%.17g,%.17g,%.17g,%.17g,%.17g", tr->s[i].t, tr->s[i].rate, tr->s[i].fired, tr->s[i].mass,
                tr->s[i].min_density);
        if (R)
            fprintf(f, ",%.17g", R[i]);
        if (si)
            fprintf(f, ",%.17g,%.17g,%.17g,%.17g", si[i].rate, si[i].fired, si[i].mass, si[i].min_density);
        fputc('\n', f);
    }
}

void nlif_rf_snapshot_header(FILE *f, int two_populations)
{
    fprintf(f, two_populations ? "kind,t,x,density,density_i\n" : "kind,t,x,density\n");
}

void nlif_rf_snapshot_v_rows(FILE *f, double t, int n, const double *v, const double *p, const double *p_i)
{
    for (int i = 0; i < n; i++)
        if (p_i)
            fprintf(f, "v,%.17g,%.17g,%.17g,%.17g\n", t, v[i], p[i], p_i[i]);
        else
            fprintf(f, "v,%.17g,%.17g,%.17g\n", t, v[i], p[i]);
}

/* ================= temporary files: removed at exit and on SIGINT/SIGTERM/SIGHUP ================= */

#define TMP_SLOTS 128
static char tmp_path[TMP_SLOTS][2700];
static volatile sig_atomic_t tmp_used[TMP_SLOTS];
static pthread_mutex_t tmp_lock = PTHREAD_MUTEX_INITIALIZER;
static int handlers_installed;
static struct sigaction old_act[3];
static const int caught[3] = {SIGINT, SIGTERM, SIGHUP};

static void remove_all_tmp(void)
{
    for (int i = 0; i < TMP_SLOTS; i++)
        if (tmp_used[i]) {
            unlink(tmp_path[i]); /* async-signal-safe */
            tmp_used[i] = 0;
        }
}

static void on_signal(int sig)
{
    remove_all_tmp();
    for (int k = 0; k < 3; k++) {
        if (caught[k] != sig)
            continue;
        if (old_act[k].sa_handler == SIG_IGN)
            return;
        if (old_act[k].sa_handler != SIG_DFL && !(old_act[k].sa_flags & SA_SIGINFO)) {
            old_act[k].sa_handler(sig); /* a handler installed before ours (e.g. the job runner's) */
            return;
        }
        sigaction(sig, &old_act[k], NULL);
        raise(sig);
        return;
    }
}

static void install_handlers(void)
{
    if (handlers_installed)
        return;
    handlers_installed = 1;
    atexit(remove_all_tmp);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int k = 0; k < 3; k++) {
        struct sigaction cur;
        sigaction(caught[k], NULL, &cur);
        old_act[k] = cur;
        if (cur.sa_handler != SIG_IGN) /* a process told to ignore a signal keeps ignoring it */
            sigaction(caught[k], &sa, NULL);
    }
}

int nlif_rf_temp_track(const char *path)
{
    pthread_mutex_lock(&tmp_lock);
    install_handlers();
    int slot = -1;
    for (int i = 0; i < TMP_SLOTS && slot < 0; i++)
        if (!tmp_used[i]) {
            snprintf(tmp_path[i], sizeof tmp_path[i], "%s", path);
            tmp_used[i] = 1;
            slot = i;
        }
    pthread_mutex_unlock(&tmp_lock);
    return slot;
}

void nlif_rf_temp_untrack(const char *path)
{
    pthread_mutex_lock(&tmp_lock);
    for (int i = 0; i < TMP_SLOTS; i++)
        if (tmp_used[i] && !strcmp(tmp_path[i], path)) {
            tmp_used[i] = 0;
            break;
        }
    pthread_mutex_unlock(&tmp_lock);
}

/* ================= writing ================= */

void nlif_rf_new_run_id(char *out, size_t len)
{
    unsigned char b[8] = {0};
    int ok = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ok = read(fd, b, sizeof b) == (ssize_t)sizeof b;
        close(fd);
    }
    if (!ok) { /* no /dev/urandom: time and address bits, enough to tell two runs apart */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long long x = (unsigned long long)ts.tv_nsec * 6364136223846793005ULL ^ (uintptr_t)&ts;
        for (int i = 0; i < 8; i++)
            b[i] = (unsigned char)(x >> (8 * i));
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(out, len, "%s-%ld-%02x%02x%02x%02x%02x%02x%02x%02x", when, (long)getpid(), b[0], b[1], b[2], b[3], b[4],
             b[5], b[6], b[7]);
}

/* Temporary names are FINAL.tmp-PID-K: a leftover whose PID no longer runs is stale. */
void nlif_rf_remove_stale(const char *dir, const char *stem)
{
    char pat[3000];
    snprintf(pat, sizeof pat, "%s/%s*.tmp-*", dir, stem);
    glob_t g;
    if (glob(pat, GLOB_NOSORT, NULL, &g))
        return;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        const char *p = strstr(g.gl_pathv[i], ".tmp-");
        const char *q;
        while (p && (q = strstr(p + 1, ".tmp-")))
            p = q;
        if (!p)
            continue;
        char *end;
        long pid = strtol(p + 5, &end, 10);
        if (end == p + 5 || *end != '-' || pid <= 0)
            continue;
        if (pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH)
            unlink(g.gl_pathv[i]);
    }
    globfree(&g);
}

int nlif_rf_set_begin(nlif_rf_set *s, const char *dir, const char *stem, nlif_error *err)
{
    memset(s, 0, sizeof *s);
    if (strlen(dir) >= sizeof s->dir || strlen(stem) >= sizeof s->stem)
        return nlif_fail(err, NLIF_EINVAL, "result path %s/%s is too long", dir, stem);
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    snprintf(s->stem, sizeof s->stem, "%s", stem);
    nlif_rf_new_run_id(s->run_id, sizeof s->run_id);
    nlif_rf_remove_stale(dir, stem);
    return NLIF_OK;
}

static int add_file(nlif_rf_set *s, const char *suffix, nlif_error *err)
{
    if (s->n >= NLIF_RF_MAX_FILES)
        return nlif_fail(err, NLIF_EINVAL, "result set %s/%s: more than %d files", s->dir, s->stem, NLIF_RF_MAX_FILES);
    char fin[sizeof s->final[0]];
    snprintf(fin, sizeof fin, "%s/%s%s", s->dir, s->stem, suffix);
    memcpy(s->final[s->n], fin, sizeof fin);
    snprintf(s->tmp[s->n], sizeof s->tmp[0], "%s.tmp-%ld-%d", fin, (long)getpid(), s->n);
    s->n++;
    return NLIF_OK;
}

static int close_open(nlif_rf_set *s, nlif_error *err)
{
    if (!s->open)
        return NLIF_OK;
    int bad = ferror(s->open);
    bad |= fclose(s->open) != 0;
    s->open = NULL;
    if (bad)
        return nlif_fail(err, NLIF_EIO, "cannot write %s: %s", s->tmp[s->n - 1], strerror(errno));
    return NLIF_OK;
}

FILE *nlif_rf_set_csv(nlif_rf_set *s, const char *suffix, nlif_error *err)
{
    if (close_open(s, err) || add_file(s, suffix, err))
        return NULL;
    const char *tmp = s->tmp[s->n - 1];
    nlif_rf_temp_track(tmp);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        nlif_rf_temp_untrack(tmp);
        s->n--;
        nlif_fail(err, NLIF_EIO, "cannot create %s: %s", tmp, strerror(errno));
        return NULL;
    }
    fprintf(f, "# format: %s %d\n# run_id: %s\n", NLIF_RF_FORMAT, NLIF_RF_VERSION, s->run_id);
    s->open = f;
    return f;
}

int nlif_rf_set_json(nlif_rf_set *s, const char *suffix, json_t *summary, nlif_error *err)
{
    if (s->json)
        return nlif_fail(err, NLIF_EINVAL, "result set %s/%s: one summary only", s->dir, s->stem);
    snprintf(s->json_suffix, sizeof s->json_suffix, "%s", suffix);
    json_object_set_new(summary, "format", json_string(NLIF_RF_FORMAT));
    json_object_set_new(summary, "format_version", json_integer(NLIF_RF_VERSION));
    json_object_set_new(summary, "run_id", json_string(s->run_id));
    s->json = json_incref(summary);
    return NLIF_OK;
}

void nlif_rf_set_abort(nlif_rf_set *s)
{
    if (s->open) {
        fclose(s->open);
        s->open = NULL;
    }
    for (int i = 0; i < s->n; i++) {
        unlink(s->tmp[i]);
        nlif_rf_temp_untrack(s->tmp[i]);
    }
    s->n = 0;
    json_decref(s->json);
    s->json = NULL;
}

int nlif_rf_set_commit(nlif_rf_set *s, nlif_error *err)
{
    int rc = close_open(s, err);
    if (!rc && s->json) {
        if ((rc = add_file(s, s->json_suffix, err)) == NLIF_OK) {
            const char *tmp = s->tmp[s->n - 1];
            nlif_rf_temp_track(tmp);
            FILE *f = fopen(tmp, "w");
            if (!f)
                rc = nlif_fail(err, NLIF_EIO, "cannot create %s: %s", tmp, strerror(errno));
            else {
                int bad = json_dumpf(s->json, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) != 0;
                fputc('\n', f);
                bad |= ferror(f);
                bad |= fclose(f) != 0;
                if (bad)
                    rc = nlif_fail(err, NLIF_EIO, "cannot write %s", tmp);
            }
        }
    }
    /* the summary is the last file added: renamed last, so a reader that finds it finds the set */
    for (int i = 0; !rc && i < s->n; i++) {
        chmod(s->tmp[i], 0644);
        if (rename(s->tmp[i], s->final[i]))
            rc = nlif_fail(err, NLIF_EIO, "cannot rename %s to %s: %s", s->tmp[i], s->final[i], strerror(errno));
        else
            nlif_rf_temp_untrack(s->tmp[i]);
    }
    nlif_rf_set_abort(s); /* removes what was not renamed */
    return rc;
}
