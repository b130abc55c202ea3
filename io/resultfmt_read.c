/* resultfmt_read.c — the result format's strict reader of single files (nlif_resultfmt.h, RESULTS.md):
 * a JSON summary (format, version, run id), a CSV table (format line, run id, comments and atoms, the
 * header the caller expects, finite numbers), and the run id of any result file. Each refusal says
 * FILE:LINE and what was expected. Whole result sets are read in resultfmt_sets.c. */
#include "nlif_resultfmt.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* One table being read: the file, the columns the caller expects, and the room grown so far. */
typedef struct table_reader {
    const char *path;
    const char *const *cols;
    nlif_rf_table *t;
    int want, kind_col, lineno, acap; /* want: the number of columns; kind_col: "kind" (v/w) or -1 */
    size_t ccap, clen, rcap;           /* comments' capacity and length, rows' capacity */
} table_reader;

/* Line 1: '# format: nlif-results VERSION', this nlif's version. */
static int read_format_line(const char *path, const char *line, nlif_error *err)
{
    int v = -1, end = 0;
    char fmt[32];
    if (sscanf(line, "# format: %31s %d%n", fmt, &v, &end) != 2 || line[end] || strcmp(fmt, NLIF_RF_FORMAT))
        return nlif_fail(err, NLIF_EINVAL,
                         "%s:1: not an nlif result file: the first line must be '# format: %s %d' (RESULTS.md)", path,
                         NLIF_RF_FORMAT, NLIF_RF_VERSION);
    if (v != NLIF_RF_VERSION)
        return nlif_fail(err, NLIF_EINVAL, "%s:1: format version %d, this nlif reads version %d", path, v,
                         NLIF_RF_VERSION);
    return NLIF_OK;
}

/* A '#' line after the first: the run id (once), an atom '# atom t v mass', or any other comment; all
 * kept in t->comments (nlif_rf_comment_num reads them). */
static int read_comment(table_reader *R, const char *line, nlif_error *err)
{
    nlif_rf_table *t = R->t;
    int rc = NLIF_OK;
    if (!strncmp(line, "# run_id:", 9)) {
        const char *id = line + 9;
        while (*id == ' ')
            id++;
        if (t->run_id[0])
            rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: a second run_id line", R->path, R->lineno);
        else if (!run_id_ok(id))
            rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: run_id is not 1..%d characters of [A-Za-z0-9._-]", R->path,
                           R->lineno, NLIF_RF_ID_MAX - 1);
        else
            snprintf(t->run_id, sizeof t->run_id, "%s", id);
    } else if (!strncmp(line, "# atom ", 7)) {
        double a[3];
        int end = 0;
        if (sscanf(line + 7, "%lf %lf %lf%n", &a[0], &a[1], &a[2], &end) != 3 || line[7 + end] || !isfinite(a[0]) ||
            !isfinite(a[1]) || !isfinite(a[2]))
            return nlif_fail(err, NLIF_EINVAL, "%s:%d: an atom line must be '# atom t v mass' (finite numbers)",
                             R->path, R->lineno);
        if (t->n_atoms == R->acap) {
            R->acap = R->acap ? 2 * R->acap : 16;
            nlif_rf_atom *p = realloc(t->atoms, (size_t)R->acap * sizeof *p);
            if (!p)
                return nlif_fail(err, NLIF_ENOMEM, "%s: atoms", R->path);
            t->atoms = p;
        }
        t->atoms[t->n_atoms++] = (nlif_rf_atom){a[0], a[1], a[2]};
    }
    if (!rc && add_comment(t, &R->clen, &R->ccap, line))
        rc = nlif_fail(err, NLIF_ENOMEM, "%s: comments", R->path);
    return rc;
}

/* The header: after the run id, exactly the caller's columns in order (LINE is cut by strtok_r). */
static int read_header(table_reader *R, char *line, nlif_error *err)
{
    nlif_rf_table *t = R->t;
    const char *const *cols = R->cols;
    int want = R->want;
    if (!t->run_id[0])
        return nlif_fail(err, NLIF_EINVAL, "%s:%d: no '# run_id: ID' line before the header (RESULTS.md)", R->path,
                         R->lineno);
    t->names = calloc((size_t)want, sizeof *t->names);
    if (!t->names)
        return nlif_fail(err, NLIF_ENOMEM, "%s: header", R->path);
    char *save = NULL, *tok = strtok_r(line, ",", &save);
    int k = 0;
    for (; tok && k < want; k++) {
        while (*tok == ' ')
            tok++;
        const char *name = cols[k] + (cols[k][0] == '?'); /* '?': an optional column, which may be left out */
        if (strcmp(tok, name)) {
            if (cols[k][0] == '?')
                continue;
            break;
        }
        t->names[t->ncol++] = strdup(tok);
        tok = strtok_r(NULL, ",", &save);
    }
    while (!tok && k < want && cols[k][0] == '?') /* the header ends before optional columns */
        k++;
    int complete = k == want && !tok;
    want = t->ncol;
    if (!complete) { /* the required columns and the first optional one; the further optional ones named after */
        char expect[512] = "", more[256] = "";
        for (int c = 0, opt = 0; c < R->want; c++) {
            int o = cols[c][0] == '?';
            if (o && opt++) {
                snprintf(more + strlen(more), sizeof more - strlen(more), "%s%s", more[0] ? ", " : "; further optional "
                         "columns: ", cols[c] + 1);
                continue;
            }
            snprintf(expect + strlen(expect), sizeof expect - strlen(expect), "%s%s%s", c ? o ? "[," : "," : "",
                     cols[c] + o, o ? "]" : "");
        }
        return nlif_fail(err, NLIF_EINVAL, "%s:%d: the header must be '%s' (RESULTS.md%s)", R->path, R->lineno, expect, more);
    }
    R->want = want;
    R->kind_col = nlif_rf_col(t, "kind");
    return NLIF_OK;
}

/* A data row: as many fields as the header, each a finite number (the kind column: v or w). */
static int read_row(table_reader *R, const char *line, nlif_error *err)
{
    nlif_rf_table *t = R->t;
    const char *path = R->path;
    int want = R->want, lineno = R->lineno, rc = NLIF_OK;
    if (t->nrow == R->rcap) {
        R->rcap = R->rcap ? 2 * R->rcap : 1024;
        double *x = realloc(t->x, R->rcap * (size_t)want * sizeof *x);
        int *ln = x ? realloc(t->line, R->rcap * sizeof *ln) : NULL;
        if (x)
            t->x = x;
        if (!x || !ln)
            return nlif_fail(err, NLIF_ENOMEM, "%s: %zu rows", path, t->nrow);
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
        else if (c == R->kind_col) {
            if (stop - p != 1 || (*p != 'v' && *p != 'w'))
                rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: kind '%.*s' (allowed: v, w)", path, lineno,
                               (int)(stop - p > 16 ? 16 : stop - p), p);
            row[c] = (unsigned char)*p;
        } else if (!number(p, stop, &row[c]))
            rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: %s = '%.*s' is not a finite number", path, lineno, t->names[c],
                           (int)(stop - p > 32 ? 32 : stop - p), p);
        p = stop + 1;
    }
    t->line[t->nrow++] = lineno;
    return rc;
}

int nlif_rf_table_read(const char *path, const char *const *cols, nlif_rf_table *t, nlif_error *err)
{
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s", path);
    FILE *f = open_read(path);
    if (!f)
        return nlif_fail(err, NLIF_EIO, "%s: cannot be read: %s", path, strerror(errno));
    int rc = size_ok(path, f, err);
    table_reader R = {.path = path, .cols = cols, .t = t, .kind_col = -1};
    while (cols[R.want])
        R.want++;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t got;
    while (!rc && (got = getline(&line, &lcap, f)) >= 0) {
        R.lineno++;
        if (got > NLIF_RF_MAX_LINE) {
            rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: a line of %zd characters (at most %d)", path, R.lineno, got,
                           NLIF_RF_MAX_LINE);
            break;
        }
        if ((size_t)got != strlen(line)) {
            rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: a NUL byte (not a text file)", path, R.lineno);
            break;
        }
        chomp(line);
        if (R.lineno == 1)
            rc = read_format_line(path, line, err);
        else if (line[0] == '#')
            rc = read_comment(&R, line, err);
        else if (!line[0])
            continue; /* blank lines are allowed */
        else if (!t->names)
            rc = read_header(&R, line, err);
        else
            rc = read_row(&R, line, err);
    }
    if (!rc && ferror(f))
        rc = nlif_fail(err, NLIF_EIO, "%s: read error", path);
    if (!rc && R.lineno == 0)
        rc = nlif_fail(err, NLIF_EINVAL, "%s:1: empty file (RESULTS.md)", path);
    else if (!rc && !t->names)
        rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: no header line (RESULTS.md)", path, R.lineno);
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
