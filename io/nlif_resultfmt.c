/* nlif_resultfmt.c — the result format: writer and reader; see nlif_resultfmt.h and RESULTS.md. */
#include "nlif_resultfmt.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *const nlif_rf_series_cols[] = {"t", "rate", "fired", "mass", "min_density", NULL};
const char *const nlif_rf_snapshot_cols[] = {"kind", "t", "x", "density", NULL};
const char *const nlif_rf_mc_rate_cols[] = {"t", "rate_mean", "rate_se", "cum_t", "cum_mean", "cum_se", NULL};
const char *const nlif_rf_mc_mfe_cols[] = {"realisation", "index", "t", "size", NULL};
const char *const nlif_rf_mc_snap_cols[] = {"v_lo", "v_hi", "density", "cdf_at_v_hi", NULL};
const char *const nlif_rf_mc_weight_cols[] = {"w_lo", "w_hi", "density", NULL};

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

/* ================= reading ================= */

/* Open a result file for reading without blocking on what is not a regular file (a FIFO would wait
 * for a writer forever): size_ok then refuses it. */
static FILE *open_read(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    int fl = fcntl(fd, F_GETFL);
    FILE *f = fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 ? NULL : fdopen(fd, "r");
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}

static int size_ok(const char *path, FILE *f, nlif_error *err)
{
    struct stat st;
    if (fstat(fileno(f), &st))
        return nlif_fail(err, NLIF_EIO, "%s: cannot stat: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return nlif_fail(err, NLIF_EINVAL, "%s: not a regular file", path);
    if (st.st_size > NLIF_RF_MAX_BYTES)
        return nlif_fail(err, NLIF_EINVAL, "%s: %lld bytes, more than the %ld a result file may hold (RESULTS.md)",
                         path, (long long)st.st_size, (long)NLIF_RF_MAX_BYTES);
    return NLIF_OK;
}

static int run_id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n >= NLIF_RF_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') || (id[i] >= '0' && id[i] <= '9') ||
              id[i] == '-' || id[i] == '_' || id[i] == '.'))
            return 0;
    return 1;
}

json_t *nlif_rf_json_read(const char *path, nlif_error *err)
{
    FILE *f = open_read(path);
    if (!f) {
        nlif_fail(err, NLIF_EIO, "%s: cannot be read: %s", path, strerror(errno));
        return NULL;
    }
    if (size_ok(path, f, err)) {
        fclose(f);
        return NULL;
    }
    json_error_t je;
    json_t *j = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    fclose(f);
    if (!j) {
        nlif_fail(err, NLIF_EINVAL, "%s:%d: not JSON: %s", path, je.line, je.text);
        return NULL;
    }
    const char *fmt = json_string_value(json_object_get(j, "format"));
    json_t *ver = json_object_get(j, "format_version");
    const char *id = json_string_value(json_object_get(j, "run_id"));
    if (!json_is_object(j))
        nlif_fail(err, NLIF_EINVAL, "%s:1: not a JSON object", path);
    else if (!fmt || strcmp(fmt, NLIF_RF_FORMAT))
        nlif_fail(err, NLIF_EINVAL, "%s:1: \"format\" is %s%s%s, must be \"%s\" (RESULTS.md)", path, fmt ? "\"" : "",
                  fmt ? fmt : "missing", fmt ? "\"" : "", NLIF_RF_FORMAT);
    else if (!json_is_integer(ver))
        nlif_fail(err, NLIF_EINVAL, "%s:1: \"format_version\" missing or not an integer (this nlif reads version %d)",
                  path, NLIF_RF_VERSION);
    else if (json_integer_value(ver) != NLIF_RF_VERSION)
        nlif_fail(err, NLIF_EINVAL, "%s:1: format version %lld, this nlif reads version %d", path,
                  (long long)json_integer_value(ver), NLIF_RF_VERSION);
    else if (!id || !run_id_ok(id))
        nlif_fail(err, NLIF_EINVAL, "%s:1: \"run_id\" missing or not 1..%d characters of [A-Za-z0-9._-]", path,
                  NLIF_RF_ID_MAX - 1);
    else
        return j;
    json_decref(j);
    return NULL;
}

void nlif_rf_table_free(nlif_rf_table *t)
{
    for (int c = 0; c < t->ncol; c++)
        free(t->names[c]);
    free(t->names);
    free(t->x);
    free(t->line);
    free(t->comments);
    free(t->atoms);
    memset(t, 0, sizeof *t);
}

int nlif_rf_col(const nlif_rf_table *t, const char *name)
{
    for (int c = 0; c < t->ncol; c++)
        if (!strcmp(t->names[c], name))
            return c;
    return -1;
}

double nlif_rf_comment_num(const nlif_rf_table *t, const char *key)
{
    if (!t->comments)
        return NAN;
    char pat[160];
    snprintf(pat, sizeof pat, "# %s:", key);
    for (const char *p = t->comments; (p = strstr(p, pat)); p++) {
        if (p != t->comments && p[-1] != '\n')
            continue;
        char *end;
        double v = strtod(p + strlen(pat), &end);
        return end == p + strlen(pat) ? NAN : v;
    }
    return NAN;
}

static void chomp(char *s)
{
    size_t k = strlen(s);
    while (k && (s[k - 1] == '\n' || s[k - 1] == '\r'))
        s[--k] = '\0';
}

static int add_comment(nlif_rf_table *t, size_t *len, size_t *cap, const char *line)
{
    size_t n = strlen(line);
    if (*len + n + 2 > *cap) {
        size_t c = *cap ? 2 * *cap : 4096;
        while (c < *len + n + 2)
            c *= 2;
        char *p = realloc(t->comments, c);
        if (!p)
            return -1;
        t->comments = p;
        *cap = c;
    }
    memcpy(t->comments + *len, line, n);
    *len += n;
    t->comments[(*len)++] = '\n';
    t->comments[*len] = '\0';
    return 0;
}

/* A finite number filling the whole field [p, end). */
static int number(const char *p, const char *stop, double *x)
{
    if (p == stop)
        return 0;
    char *end;
    errno = 0;
    *x = strtod(p, &end);
    return end == stop && isfinite(*x);
}

int nlif_rf_table_read(const char *path, const char *const *cols, nlif_rf_table *t, nlif_error *err)
{
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s", path);
    FILE *f = open_read(path);
    if (!f)
        return nlif_fail(err, NLIF_EIO, "%s: cannot be read: %s", path, strerror(errno));
    int rc = size_ok(path, f, err);
    char *line = NULL;
    size_t lcap = 0, ccap = 0, clen = 0, rcap = 0;
    int acap = 0, lineno = 0, kind_col = -1, want = 0;
    while (cols[want])
        want++;
    ssize_t got;
    while (!rc && (got = getline(&line, &lcap, f)) >= 0) {
        lineno++;
        if (got > NLIF_RF_MAX_LINE) {
            rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: a line of %zd characters (at most %d)", path, lineno, got,
                           NLIF_RF_MAX_LINE);
            break;
        }
        if ((size_t)got != strlen(line)) {
            rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: a NUL byte (not a text file)", path, lineno);
            break;
        }
        chomp(line);
        if (lineno == 1) {
            int v = -1, end = 0;
            char fmt[32];
            if (sscanf(line, "# format: %31s %d%n", fmt, &v, &end) != 2 || line[end] || strcmp(fmt, NLIF_RF_FORMAT))
                rc = nlif_fail(err, NLIF_EINVAL,
                               "%s:1: not an nlif result file: the first line must be '# format: %s %d' (RESULTS.md)",
                               path, NLIF_RF_FORMAT, NLIF_RF_VERSION);
            else if (v != NLIF_RF_VERSION)
                rc = nlif_fail(err, NLIF_EINVAL, "%s:1: format version %d, this nlif reads version %d", path, v,
                               NLIF_RF_VERSION);
            continue;
        }
        if (line[0] == '#') {
            if (!strncmp(line, "# run_id:", 9)) {
                const char *id = line + 9;
                while (*id == ' ')
                    id++;
                if (t->run_id[0])
                    rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: a second run_id line", path, lineno);
                else if (!run_id_ok(id))
                    rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: run_id is not 1..%d characters of [A-Za-z0-9._-]", path,
                                   lineno, NLIF_RF_ID_MAX - 1);
                else
                    snprintf(t->run_id, sizeof t->run_id, "%s", id);
            } else if (!strncmp(line, "# atom ", 7)) {
                double a[3];
                int end = 0;
                if (sscanf(line + 7, "%lf %lf %lf%n", &a[0], &a[1], &a[2], &end) != 3 || line[7 + end] ||
                    !isfinite(a[0]) || !isfinite(a[1]) || !isfinite(a[2])) {
                    rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: an atom line must be '# atom t v mass' (finite numbers)",
                                   path, lineno);
                    break;
                }
                if (t->n_atoms == acap) {
                    acap = acap ? 2 * acap : 16;
                    nlif_rf_atom *p = realloc(t->atoms, (size_t)acap * sizeof *p);
                    if (!p) {
                        rc = nlif_fail(err, NLIF_ENOMEM, "%s: atoms", path);
                        break;
                    }
                    t->atoms = p;
                }
                t->atoms[t->n_atoms++] = (nlif_rf_atom){a[0], a[1], a[2]};
            }
            if (!rc && add_comment(t, &clen, &ccap, line))
                rc = nlif_fail(err, NLIF_ENOMEM, "%s: comments", path);
            continue;
        }
        if (!line[0])
            continue; /* blank lines are allowed */
        if (!t->names) { /* the header */
            if (!t->run_id[0]) {
                rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: no '# run_id: ID' line before the header (RESULTS.md)", path,
                               lineno);
                break;
            }
            t->names = calloc((size_t)want, sizeof *t->names);
            if (!t->names) {
                rc = nlif_fail(err, NLIF_ENOMEM, "%s: header", path);
                break;
            }
            char *save = NULL, *tok = strtok_r(line, ",", &save);
            int k = 0;
            for (; tok && k < want; k++, tok = strtok_r(NULL, ",", &save)) {
                while (*tok == ' ')
                    tok++;
                if (strcmp(tok, cols[k]))
                    break;
                t->names[t->ncol++] = strdup(tok);
            }
            if (k < want || tok) {
                char expect[512] = "";
                for (int c = 0; c < want; c++)
                    snprintf(expect + strlen(expect), sizeof expect - strlen(expect), "%s%s", c ? "," : "", cols[c]);
                rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: the header must be '%s' (RESULTS.md)", path, lineno, expect);
                break;
            }
            kind_col = nlif_rf_col(t, "kind");
            continue;
        }
        if (t->nrow == rcap) {
            rcap = rcap ? 2 * rcap : 1024;
            double *x = realloc(t->x, rcap * (size_t)want * sizeof *x);
            int *ln = x ? realloc(t->line, rcap * sizeof *ln) : NULL;
            if (x)
                t->x = x;
            if (!x || !ln) {
                rc = nlif_fail(err, NLIF_ENOMEM, "%s: %zu rows", path, t->nrow);
                break;
            }
            t->line = ln;
        }
        double *row = t->x + t->nrow * (size_t)want;
        const char *p = line;
        for (int c = 0; c < want && !rc; c++) {
            const char *comma = strchr(p, ',');
            const char *stop = comma ? comma : p + strlen(p);
            if (c < want - 1 && !comma)
                rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: %d fields, the header has %d", path, lineno, c + 1, want);
            else if (c == want - 1 && comma)
                rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: more than the %d fields of the header", path, lineno, want);
            else if (c == kind_col) {
                if (stop - p != 1 || (*p != 'v' && *p != 'w'))
                    rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: kind '%.*s' (allowed: v, w)", path, lineno,
                                   (int)(stop - p > 16 ? 16 : stop - p), p);
                row[c] = (unsigned char)*p;
            } else if (!number(p, stop, &row[c]))
                rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: %s = '%.*s' is not a finite number", path, lineno, cols[c],
                               (int)(stop - p > 32 ? 32 : stop - p), p);
            p = stop + 1;
        }
        t->line[t->nrow++] = lineno;
    }
    if (!rc && ferror(f))
        rc = nlif_fail(err, NLIF_EIO, "%s: read error", path);
    if (!rc && lineno == 0)
        rc = nlif_fail(err, NLIF_EINVAL, "%s:1: empty file (RESULTS.md)", path);
    else if (!rc && !t->names)
        rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: no header line (RESULTS.md)", path, lineno);
    free(line);
    fclose(f);
    if (rc)
        nlif_rf_table_free(t);
    return rc;
}

int nlif_rf_check_increasing(const nlif_rf_table *t, int col, int strict, nlif_error *err)
{
    for (size_t i = 1; i < t->nrow; i++) {
        double a = t->x[(i - 1) * t->ncol + col], b = t->x[i * t->ncol + col];
        if (b < a || (strict && b == a))
            return nlif_fail(err, NLIF_EINVAL, "%s:%d: %s = %.17g after %.17g: %s must %s", t->path, t->line[i],
                             t->names[col], b, a, t->names[col], strict ? "increase" : "never decrease");
    }
    return NLIF_OK;
}

int nlif_rf_same_run(const char *path_a, const char *id_a, const char *path_b, const char *id_b, nlif_error *err)
{
    if (strcmp(id_a, id_b))
        return nlif_fail(err, NLIF_EINVAL,
                         "%s: run id %s differs from run id %s of %s: the files are of two different runs", path_b,
                         id_b, id_a, path_a);
    return NLIF_OK;
}

/* ---- a run's summary ---- */

static int need_num(const char *path, const json_t *o, const char *key, int nullable, double *x, nlif_error *err)
{
    json_t *v = json_object_get(o, key);
    *x = NAN;
    if (json_is_number(v)) {
        *x = json_number_value(v);
        return NLIF_OK;
    }
    if (nullable && json_is_null(v))
        return NLIF_OK;
    return nlif_fail(err, NLIF_EINVAL, "%s:1: \"%s\" %s (a number%s; RESULTS.md)", path, key,
                     v ? "is not a number" : "is missing", nullable ? " or null" : "");
}

static const char *const statuses[] = {"ok", "blowup", "runaway", "failed", NULL};

static int check_summary(const char *path, json_t *j, nlif_rf_run *r, nlif_error *err)
{
    static const char *const strs[] = {"case", "scheme", "status", NULL};
    for (int k = 0; strs[k]; k++) {
        const char *s = json_string_value(json_object_get(j, strs[k]));
        if (!s || !*s)
            return nlif_fail(err, NLIF_EINVAL, "%s:1: \"%s\" missing or not a non-empty string (RESULTS.md)", path,
                             strs[k]);
    }
    const char *status = json_string_value(json_object_get(j, "status"));
    int known = 0;
    for (int k = 0; statuses[k]; k++)
        known |= !strcmp(status, statuses[k]);
    if (!known)
        return nlif_fail(err, NLIF_EINVAL, "%s:1: status \"%s\" (allowed: ok, blowup, runaway, failed)", path, status);
    snprintf(r->status, sizeof r->status, "%s", status);
    double x;
    int rc;
    if ((rc = need_num(path, j, "t_final", 0, &r->t_final, err)) || (rc = need_num(path, j, "t_end", 0, &r->t_end, err)))
        return rc;
    if (!(r->t_final > 0) || !(r->t_end >= 0))
        return nlif_fail(err, NLIF_EINVAL, "%s:1: t_final = %g and t_end = %g (need t_final > 0, t_end >= 0)", path,
                         r->t_final, r->t_end);
    static const char *const measures[] = {"mass_drift", "min_density", "final_rate", NULL};
    for (int k = 0; measures[k]; k++)
        if ((rc = need_num(path, j, measures[k], 1, &x, err)))
            return rc;
    json_t *grid = json_object_get(j, "grid");
    json_t *nv = json_object_get(grid, "nv"), *nw = json_object_get(grid, "nw");
    if (!json_is_object(grid) || !json_is_integer(nv) || !json_is_integer(nw))
        return nlif_fail(err, NLIF_EINVAL, "%s:1: \"grid\" must be {\"nv\": integer, \"nw\": integer} (RESULTS.md)",
                         path);
    if (json_integer_value(nv) < 2 || json_integer_value(nv) > NLIF_RF_MAX_GRID || json_integer_value(nw) < 0 ||
        json_integer_value(nw) > NLIF_RF_MAX_GRID)
        return nlif_fail(err, NLIF_EINVAL, "%s:1: grid nv = %lld, nw = %lld (allowed: 2 <= nv <= %d, 0 <= nw <= %d)",
                         path, (long long)json_integer_value(nv), (long long)json_integer_value(nw), NLIF_RF_MAX_GRID,
                         NLIF_RF_MAX_GRID);
    r->nv = (int)json_integer_value(nv);
    r->nw = (int)json_integer_value(nw);
    double reach = r->t_final * (1 - 1e-9);
    if (!strcmp(status, "ok") && r->t_end < reach)
        return nlif_fail(err, NLIF_EINVAL,
                         "%s:1: status ok but t_end = %.17g < t_final = %.17g (a run that stops early must say why: "
                         "status blowup, runaway or failed)",
                         path, r->t_end, r->t_final);
    if (strcmp(status, "ok")) {
        if ((rc = need_num(path, j, "stop_time", 0, &x, err)))
            return rc;
        const char *cause = json_string_value(json_object_get(j, "cause"));
        if (!strcmp(status, "blowup") && (rc = need_num(path, j, "blowup_time", 0, &x, err)))
            return rc;
        if (!strcmp(status, "failed") && (!cause || !*cause))
            return nlif_fail(err, NLIF_EINVAL, "%s:1: status failed without a \"cause\" (a non-empty string)", path);
    }
    json_t *mfe = json_object_get(j, "mfe"), *e;
    size_t i;
    if (mfe && !json_is_array(mfe))
        return nlif_fail(err, NLIF_EINVAL, "%s:1: \"mfe\" must be an array of {\"t\", \"size\"}", path);
    double prev = -INFINITY;
    json_array_foreach(mfe, i, e)
    {
        double t, s;
        char what[32];
        snprintf(what, sizeof what, "mfe[%zu]", i);
        if ((rc = need_num(path, e, "t", 0, &t, err)) || (rc = need_num(path, e, "size", 0, &s, err))) {
            nlif_error_prefix(err, "%s", what);
            return rc;
        }
        if (t < prev)
            return nlif_fail(err, NLIF_EINVAL, "%s:1: mfe[%zu].t = %g before the previous MFE (%g)", path, i, t, prev);
        prev = t;
    }
    return NLIF_OK;
}

void nlif_rf_run_free(nlif_rf_run *r)
{
    json_decref(r->summary);
    nlif_rf_table_free(&r->series);
    nlif_rf_table_free(&r->snapshots);
    memset(r, 0, sizeof *r);
}

static int check_series(nlif_rf_run *r, nlif_error *err)
{
    const nlif_rf_table *t = &r->series;
    if (t->nrow < 1)
        return nlif_fail(err, NLIF_EINVAL, "%s: no rows (RESULTS.md: one row per step, from t = 0)", t->path);
    int rc = nlif_rf_check_increasing(t, 0, 0, err);
    if (rc)
        return rc;
    if (t->x[0] < 0)
        return nlif_fail(err, NLIF_EINVAL, "%s:%d: t = %g < 0", t->path, t->line[0], t->x[0]);
    double last = t->x[(t->nrow - 1) * t->ncol];
    if (!strcmp(r->status, "ok") && last < r->t_final * (1 - 1e-9))
        return nlif_fail(err, NLIF_EINVAL,
                         "%s:%d: the series ends at t = %.17g before t_final = %.17g and the status is ok (a run that "
                         "stops early must say why: status blowup, runaway or failed)",
                         t->path, t->line[t->nrow - 1], last, r->t_final);
    if (last > r->t_end * (1 + 1e-9) + 1e-12)
        return nlif_fail(err, NLIF_EINVAL, "%s:%d: t = %.17g after the summary's t_end = %.17g", t->path,
                         t->line[t->nrow - 1], last, r->t_end);
    return NLIF_OK;
}

static int check_snapshots(nlif_rf_run *r, nlif_error *err)
{
    const nlif_rf_table *t = &r->snapshots;
    int rc = nlif_rf_check_increasing(t, 1, 0, err);
    if (rc)
        return rc;
    int nsnap = 0;
    for (size_t i = 0; i < t->nrow;) {
        double ts = t->x[i * 4 + 1];
        size_t start = i;
        int nv = 0, nw = 0;
        double prev_v = -INFINITY, prev_w = -INFINITY;
        for (; i < t->nrow && t->x[i * 4 + 1] == ts; i++) {
            const double *row = t->x + i * 4;
            double *prev = row[0] == 'v' ? &prev_v : &prev_w;
            if (!(row[2] > *prev))
                return nlif_fail(err, NLIF_EINVAL, "%s:%d: x = %.17g does not increase within the snapshot at t = %g",
                                 t->path, t->line[i], row[2], ts);
            *prev = row[2];
            nv += row[0] == 'v';
            nw += row[0] == 'w';
        }
        if (nv != r->nv || nw != r->nw)
            return nlif_fail(err, NLIF_EINVAL,
                             "%s:%d: the snapshot at t = %g has %d v rows and %d w rows; the summary's grid says nv = "
                             "%d, nw = %d",
                             t->path, t->line[start], ts, nv, nw, r->nv, r->nw);
        if (ts > r->t_end * (1 + 1e-9) + 1e-12)
            return nlif_fail(err, NLIF_EINVAL, "%s:%d: a snapshot at t = %g after t_end = %g", t->path, t->line[start],
                             ts, r->t_end);
        if (++nsnap > NLIF_RF_MAX_SNAPSHOTS)
            return nlif_fail(err, NLIF_EINVAL, "%s:%d: more than %d snapshots", t->path, t->line[start],
                             NLIF_RF_MAX_SNAPSHOTS);
    }
    if (!nsnap)
        return nlif_fail(err, NLIF_EINVAL, "%s: no snapshot (at least the final state is required; RESULTS.md)",
                         t->path);
    return NLIF_OK;
}

static void sibling(const char *json_path, const char *suffix, char *out, size_t len)
{
    size_t n = strlen(json_path);
    if (n > 5 && !strcmp(json_path + n - 5, ".json"))
        n -= 5;
    snprintf(out, len, "%.*s%s", (int)n, json_path, suffix);
}

int nlif_rf_run_read(const char *json_path, nlif_rf_run *r, nlif_error *err)
{
    memset(r, 0, sizeof *r);
    int rc;
    r->summary = nlif_rf_json_read(json_path, err);
    if (!r->summary)
        return err ? err->code : NLIF_EINVAL;
    const char *id = json_string_value(json_object_get(r->summary, "run_id"));
    char path[2600];
    if ((rc = check_summary(json_path, r->summary, r, err)))
        goto fail;
    sibling(json_path, ".series.csv", path, sizeof path);
    if ((rc = nlif_rf_table_read(path, nlif_rf_series_cols, &r->series, err)) ||
        (rc = nlif_rf_same_run(json_path, id, path, r->series.run_id, err)) || (rc = check_series(r, err)))
        goto fail;
    sibling(json_path, ".snapshots.csv", path, sizeof path);
    if ((rc = nlif_rf_table_read(path, nlif_rf_snapshot_cols, &r->snapshots, err)) ||
        (rc = nlif_rf_same_run(json_path, id, path, r->snapshots.run_id, err)) || (rc = check_snapshots(r, err)))
        goto fail;
    return NLIF_OK;
fail:
    nlif_rf_run_free(r);
    return rc;
}

/* ---- Monte Carlo ---- */

json_t *nlif_rf_mc_read(const char *dir, const char *name, nlif_rf_table *rate, nlif_error *err)
{
    char path[2600];
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    json_t *j = nlif_rf_json_read(path, err);
    if (!j)
        return NULL;
    const char *c = json_string_value(json_object_get(j, "case"));
    double x;
    if (!c || !*c) {
        nlif_fail(err, NLIF_EINVAL, "%s:1: \"case\" missing or not a non-empty string (RESULTS.md)", path);
        goto fail;
    }
    json_t *reals = json_object_get(j, "realisations");
    if (!json_is_integer(reals) || json_integer_value(reals) < 1) {
        nlif_fail(err, NLIF_EINVAL, "%s:1: \"realisations\" missing or not an integer >= 1 (RESULTS.md)", path);
        goto fail;
    }
    if (need_num(path, j, "dt", 0, &x, err) || need_num(path, j, "particles", 0, &x, err))
        goto fail;
    if (rate) {
        char rp[2600];
        snprintf(rp, sizeof rp, "%s/%s_rate.csv", dir, name);
        if (nlif_rf_table_read(rp, nlif_rf_mc_rate_cols, rate, err))
            goto fail;
        if (nlif_rf_same_run(path, json_string_value(json_object_get(j, "run_id")), rp, rate->run_id, err) ||
            nlif_rf_check_increasing(rate, 0, 1, err)) {
            nlif_rf_table_free(rate);
            goto fail;
        }
    }
    return j;
fail:
    json_decref(j);
    return NULL;
}

int nlif_rf_mc_mfe_read(const char *path, const char *run_id, nlif_rf_table *t, nlif_error *err)
{
    int rc = nlif_rf_table_read(path, nlif_rf_mc_mfe_cols, t, err);
    if (rc)
        return rc;
    if (run_id && (rc = nlif_rf_same_run("the Monte Carlo summary", run_id, path, t->run_id, err)))
        goto fail;
    for (size_t i = 0; i < t->nrow; i++) {
        double re = t->x[i * 4], k = t->x[i * 4 + 1];
        if (re < 0 || re != floor(re) || re > 1e6 || k < 1 || k != floor(k) || k > 1e6) {
            rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: realisation %g, index %g (need integers, realisation >= 0, index >= 1)",
                           path, t->line[i], re, k);
            goto fail;
        }
    }
    return NLIF_OK;
fail:
    nlif_rf_table_free(t);
    return rc;
}

/* ---- convergence studies ---- */

json_t *nlif_rf_study_read(const char *path, nlif_error *err)
{
    json_t *j = nlif_rf_json_read(path, err);
    if (!j)
        return NULL;
    static const char *const strs[] = {"case", "scheme", "refine", NULL};
    for (int k = 0; strs[k]; k++) {
        const char *s = json_string_value(json_object_get(j, strs[k]));
        if (!s || !*s) {
            nlif_fail(err, NLIF_EINVAL, "%s:1: \"%s\" missing or not a non-empty string (RESULTS.md)", path, strs[k]);
            json_decref(j);
            return NULL;
        }
    }
    json_t *levels = json_object_get(j, "levels"), *l;
    size_t i;
    if (!json_is_array(levels) || json_array_size(levels) < 2 || json_array_size(levels) > 64) {
        nlif_fail(err, NLIF_EINVAL, "%s:1: \"levels\" must be an array of 2..64 levels (RESULTS.md)", path);
        json_decref(j);
        return NULL;
    }
    json_array_foreach(levels, i, l)
    {
        double h;
        if (need_num(path, l, "h", 0, &h, err)) {
            nlif_error_prefix(err, "levels[%zu]", i);
            json_decref(j);
            return NULL;
        }
    }
    return j;
}

int nlif_rf_run_id(const char *path, char *out, size_t len, nlif_error *err)
{
    size_t n = strlen(path);
    if (len)
        out[0] = '\0';
    if (n > 5 && !strcmp(path + n - 5, ".json")) {
        json_t *j = nlif_rf_json_read(path, err);
        if (!j)
            return err ? err->code : NLIF_EINVAL;
        snprintf(out, len, "%s", json_string_value(json_object_get(j, "run_id")));
        json_decref(j);
        return NLIF_OK;
    }
    /* a CSV: its first line, then the run id line before the header (the rules of nlif_rf_table_read) */
    FILE *f = fopen(path, "r");
    if (!f)
        return nlif_fail(err, NLIF_EIO, "%s: cannot be read: %s", path, strerror(errno));
    char line[NLIF_RF_MAX_LINE + 2];
    int lineno = 0, rc = NLIF_EINVAL;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        chomp(line);
        if (lineno == 1) {
            int v = -1, end = 0;
            char fmt[32];
            if (sscanf(line, "# format: %31s %d%n", fmt, &v, &end) != 2 || line[end] || strcmp(fmt, NLIF_RF_FORMAT) ||
                v != NLIF_RF_VERSION) {
                nlif_fail(err, NLIF_EINVAL, "%s:1: not an nlif result file of version %d", path, NLIF_RF_VERSION);
                break;
            }
        } else if (!strncmp(line, "# run_id:", 9)) {
            const char *id = line + 9;
            while (*id == ' ')
                id++;
            if (run_id_ok(id)) {
                snprintf(out, len, "%s", id);
                rc = NLIF_OK;
            } else
                nlif_fail(err, NLIF_EINVAL, "%s:%d: run_id is not 1..%d characters of [A-Za-z0-9._-]", path, lineno,
                          NLIF_RF_ID_MAX - 1);
            break;
        } else if (line[0] && line[0] != '#') {
            nlif_fail(err, NLIF_EINVAL, "%s:%d: no '# run_id: ID' line before the header (RESULTS.md)", path, lineno);
            break;
        }
    }
    if (rc && lineno == 0)
        nlif_fail(err, NLIF_EINVAL, "%s: empty", path);
    fclose(f);
    return rc;
}
