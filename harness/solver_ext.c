/* solver_ext.c — external solvers run as schemes; see nlif_solver_ext.h and SOLVERS.md. */
#define _GNU_SOURCE /* nftw, strsignal */
#include "nlif_solver_ext.h"

#include "nlif_results.h"
#include "../reference/nlif_density.h"
#include "../solvers/core/nlif_resultfmt.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <ini.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS 64
#define MAX_OPTIONS 32
#define TEXT 1024

typedef struct solver {
    nlif_scheme_type type;
    char path[PATH_MAX], dir[PATH_MAX];
    char name[NLIF_NAME_MAX], title[NLIF_TEXT_MAX], source[NLIF_TEXT_MAX], command[TEXT], limit_option[TEXT];
    double timeout;      /* seconds */
    double max_mb;       /* MB (2^20 bytes) */
    unsigned long long hash;
    char mtime[32];
    int n_opt;
    nlif_option_spec *spec; /* heap, n_opt + 1 entries (NULL-name terminated) */
    char opt_name[MAX_OPTIONS][NLIF_NAME_MAX], opt_def[MAX_OPTIONS][NLIF_NAME_MAX], opt_values[MAX_OPTIONS][TEXT],
        opt_help[MAX_OPTIONS][NLIF_TEXT_MAX];
    int opt_line[MAX_OPTIONS], opt_kind[MAX_OPTIONS];
    int seen[16]; /* solver keys given */
} solver;

static solver *solvers[NLIF_SOLVER_MAX];
static int n_solvers;

static double max_bytes(const solver *sv) { return sv->max_mb * 1048576.0; }

/* ------------------------------------------------------------------------------------------------ */
/* The manifest. */

typedef struct parse_ctx {
    solver *sv;
    nlif_error err;
    FILE *f;
    int line; /* the line being read (counted by the reader below) */
} parse_ctx;

static const char *const solver_keys[] = {"name",         "title",         "reconstructs", "capabilities",
                                          "order_t",      "order_v_density", "order_v_rate", "order_w",
                                          "command",      "timeout",       "max_output_mb", "limit_option",
                                          NULL};

static int valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= NLIF_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
            return 0;
    return 1;
}

static int parse_number(const char *s, double *x)
{
    char *end;
    errno = 0;
    *x = strtod(s, &end);
    while (*end == ' ')
        end++;
    return end != s && !*end && !errno && isfinite(*x);
}

static int fail_at(parse_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail_at(parse_ctx *c, const char *fmt, ...)
{
    if (c->err.code)
        return 0; /* the first error is the one reported */
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    nlif_fail(&c->err, NLIF_EINVAL, "%s:%d: %s", c->sv->path, c->line, msg);
    return 0;
}

static int order_value(parse_ctx *c, const char *key, const char *value, double *out)
{
    if (!strcmp(value, "none")) {
        *out = NAN;
        return 1;
    }
    if (!parse_number(value, out) || *out <= 0 || *out > 10)
        return fail_at(c, "%s = '%s' (allowed: a number in (0, 10], or none)", key, value);
    return 1;
}

static const char *const placeholders[] = {"{problem}", "{out}", "{stem}", "{manifest_dir}", NULL};

/* Every '{' of the command template opens one of the placeholders. */
static int check_template(parse_ctx *c, const char *cmd)
{
    for (const char *p = strchr(cmd, '{'); p; p = strchr(p + 1, '{')) {
        int ok = 0;
        for (int k = 0; placeholders[k]; k++)
            ok |= !strncmp(p, placeholders[k], strlen(placeholders[k]));
        if (!ok)
            return fail_at(c, "command: unknown placeholder at '%.20s' (allowed: {problem}, {out}, {stem}, "
                              "{manifest_dir})", p);
    }
    if (!strstr(cmd, "{problem}"))
        return fail_at(c, "command: no {problem} placeholder (the solver must be told where its problem is)");
    return 1;
}

static int solver_key(parse_ctx *c, const char *key, const char *value)
{
    solver *sv = c->sv;
    int k = 0;
    while (solver_keys[k] && strcmp(solver_keys[k], key))
        k++;
    if (!solver_keys[k])
        return fail_at(c, "unknown key '%s' in [solver] (allowed: name, title, reconstructs, capabilities, order_t, "
                          "order_v_density, order_v_rate, order_w, command, timeout, max_output_mb, limit_option)",
                       key);
    if (sv->seen[k]++)
        return fail_at(c, "'%s' given twice", key);
    double x;
    switch (k) {
    case 0:
        if (!valid_name(value))
            return fail_at(c, "name = '%s' (allowed: 1-%d characters of [a-z0-9_])", value, NLIF_NAME_MAX - 1);
        snprintf(sv->name, sizeof sv->name, "%s", value);
        return 1;
    case 1: snprintf(sv->title, sizeof sv->title, "%s", value); return 1;
    case 2: snprintf(sv->source, sizeof sv->source, "%s", value); return 1;
    case 3: {
        char buf[TEXT];
        snprintf(buf, sizeof buf, "%s", value);
        for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
            unsigned f = nlif_capability_flag(t);
            if (!f)
                return fail_at(c, "capabilities: unknown '%s' (allowed: %s)", t, NLIF_CAPABILITY_NAMES);
            sv->type.flags |= f;
        }
        return 1;
    }
    case 4: return order_value(c, key, value, &sv->type.order_t);
    case 5: return order_value(c, key, value, &sv->type.order_v_density);
    case 6: return order_value(c, key, value, &sv->type.order_v_rate);
    case 7: return order_value(c, key, value, &sv->type.order_w);
    case 8:
        if (strlen(value) >= sizeof sv->command)
            return fail_at(c, "command longer than %zu characters", sizeof sv->command - 1);
        snprintf(sv->command, sizeof sv->command, "%s", value);
        return check_template(c, value);
    case 9:
        if (!parse_number(value, &x) || x <= 0 || x > 86400)
            return fail_at(c, "timeout = '%s' (allowed: seconds in (0, 86400])", value);
        sv->timeout = x;
        return 1;
    case 10:
        if (!parse_number(value, &x) || x < 1 || x > 65536)
            return fail_at(c, "max_output_mb = '%s' (allowed: a number in [1, 65536])", value);
        sv->max_mb = x;
        return 1;
    default:
        snprintf(sv->limit_option, sizeof sv->limit_option, "%s", value);
        return 1;
    }
}

static int option_key(parse_ctx *c, const char *section, const char *key, const char *value)
{
    solver *sv = c->sv;
    const char *name = section + strlen("option.");
    int i = 0;
    while (i < sv->n_opt && strcmp(sv->opt_name[i], name))
        i++;
    if (i == sv->n_opt) {
        if (sv->n_opt == MAX_OPTIONS)
            return fail_at(c, "more than %d options", MAX_OPTIONS);
        if (!valid_name(name))
            return fail_at(c, "[%s]: the option name '%s' is not 1-%d characters of [a-z0-9_]", section, name,
                           NLIF_NAME_MAX - 1);
        sv->n_opt++;
        snprintf(sv->opt_name[i], sizeof sv->opt_name[i], "%s", name);
        sv->opt_line[i] = c->line;
        sv->opt_kind[i] = -1;
        sv->spec[i].min = -INFINITY;
        sv->spec[i].max = INFINITY;
    }
    nlif_option_spec *s = &sv->spec[i];
    double x;
    if (!strcmp(key, "type")) {
        static const char *const kinds[] = {"double", "int", "bool", "choice", NULL};
        int k = 0;
        while (kinds[k] && strcmp(kinds[k], value))
            k++;
        if (!kinds[k])
            return fail_at(c, "type = '%s' (allowed: choice, double, int, bool)", value);
        s->kind = (nlif_opt_kind)k; /* the order of nlif_opt_kind */
        sv->opt_kind[i] = k;
    } else if (!strcmp(key, "default")) {
        if (strlen(value) >= sizeof sv->opt_def[i])
            return fail_at(c, "default longer than %zu characters", sizeof sv->opt_def[i] - 1);
        snprintf(sv->opt_def[i], sizeof sv->opt_def[i], "%s", value);
        s->def = sv->opt_def[i];
    } else if (!strcmp(key, "values")) {
        char *o = sv->opt_values[i];
        size_t len = 0;
        char buf[TEXT];
        snprintf(buf, sizeof buf, "%s", value);
        for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
            len += snprintf(o + len, len < TEXT ? TEXT - len : 0, "%s%s", len ? "|" : "", t);
        if (!len || len >= TEXT)
            return fail_at(c, "values = '%s' (allowed: one or more names separated by commas)", value);
        s->choices = o;
    } else if (!strcmp(key, "min") || !strcmp(key, "max")) {
        if (!parse_number(value, &x))
            return fail_at(c, "%s = '%s' is not a finite number", key, value);
        *(key[1] == 'i' ? &s->min : &s->max) = x;
    } else if (!strcmp(key, "help")) {
        snprintf(sv->opt_help[i], sizeof sv->opt_help[i], "%s", value);
        s->doc = sv->opt_help[i];
    } else
        return fail_at(c, "unknown key '%s' in [%s] (allowed: type, default, values, min, max, help)", key, section);
    return 1;
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
    parse_ctx *c = user;
    if (!strcmp(section, "solver"))
        return solver_key(c, key, value);
    if (!strncmp(section, "option.", 7))
        return option_key(c, section, key, value);
    return fail_at(c, "unknown section [%s] (allowed: [solver], [option.NAME])", section);
}

/* inih's reader: lines from the file, counted, so that every message names its line. */
static char *reader(char *str, int num, void *stream)
{
    parse_ctx *c = stream;
    char *r = fgets(str, num, c->f);
    if (r)
        c->line++;
    return r;
}

static unsigned long long fnv1a_file(const char *path)
{
    unsigned long long h = 1469598103934665603ULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    int ch;
    while ((ch = fgetc(f)) != EOF) {
        h ^= (unsigned char)ch;
        h *= 1099511628211ULL;
    }
    fclose(f);
    return h;
}

static int ext_alloc(void **state, const nlif_case *cs, const nlif_optset *opt, nlif_trajectory *traj,
                     nlif_error *err);
static int ext_advance(void *state, double t_end, nlif_error *err);
static int ext_profile(void *state, nlif_profile *out);
static void ext_free(void *state);

static void solver_free(solver *sv)
{
    if (sv) {
        free(sv->spec);
        free(sv);
    }
}

int nlif_solver_load(const char *path, nlif_error *err)
{
    if (n_solvers == NLIF_SOLVER_MAX)
        return nlif_fail(err, NLIF_EINVAL, "more than %d solvers", NLIF_SOLVER_MAX);
    solver *sv = calloc(1, sizeof *sv);
    if (!sv || !(sv->spec = calloc(MAX_OPTIONS + 1, sizeof *sv->spec))) {
        solver_free(sv);
        return nlif_fail(err, NLIF_ENOMEM, "out of memory");
    }
    if (!realpath(path, sv->path)) {
        int e = errno;
        solver_free(sv);
        return nlif_fail(err, NLIF_EINVAL, "%s: cannot read the manifest: %s", path, strerror(e));
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", sv->path);
    snprintf(sv->dir, sizeof sv->dir, "%s", dirname(dir));
    sv->type.order_t = sv->type.order_v_density = sv->type.order_v_rate = sv->type.order_w = NAN;
    sv->timeout = 600;
    sv->max_mb = 512;
    FILE *f = fopen(sv->path, "r");
    if (!f) {
        int e = errno;
        solver_free(sv);
        return nlif_fail(err, NLIF_EINVAL, "%s: cannot read the manifest: %s", path, strerror(e));
    }
    parse_ctx c = {.sv = sv, .f = f};
    int line = ini_parse_stream(reader, &c, handler, &c);
    fclose(f);
    if (!c.err.code && line)
        nlif_fail(&c.err, NLIF_EINVAL, "%s:%d: not an INI line (a [section] or key = value)", sv->path, line);
    /* required keys and the option table */
    static const char *const required[] = {"name", "title", "reconstructs", "capabilities", "command", NULL};
    for (int k = 0; !c.err.code && required[k]; k++) {
        int i = 0;
        while (strcmp(solver_keys[i], required[k]))
            i++;
        if (!sv->seen[i])
            nlif_fail(&c.err, NLIF_EINVAL, "%s: [solver] has no '%s' (required: name, title, reconstructs, "
                                           "capabilities, command; SOLVERS.md)",
                      sv->path, required[k]);
    }
    for (int i = 0; !c.err.code && i < sv->n_opt; i++) {
        nlif_option_spec *s = &sv->spec[i];
        s->name = sv->opt_name[i];
        if (!s->doc)
            s->doc = "";
        if (sv->opt_kind[i] < 0 || !s->def)
            nlif_fail(&c.err, NLIF_EINVAL, "%s:%d: [option.%s] needs 'type' and 'default'", sv->path, sv->opt_line[i],
                      s->name);
        else if (s->kind == NLIF_OPT_ENUM && !s->choices)
            nlif_fail(&c.err, NLIF_EINVAL, "%s:%d: [option.%s] is a choice without 'values'", sv->path,
                      sv->opt_line[i], s->name);
        else if (s->kind == NLIF_OPT_BOOL) {
            s->min = 0;
            s->max = 1;
        }
    }
    nlif_optset o;
    if (!c.err.code && nlif_optset_init(&o, sv->spec, &c.err))
        nlif_error_prefix(&c.err, "%s: an option's default", sv->path);
    if (!c.err.code && sv->limit_option[0] && nlif_optset_assign(&o, sv->limit_option, &c.err))
        nlif_error_prefix(&c.err, "%s: limit_option", sv->path);
    if (!c.err.code && nlif_scheme_find(sv->name))
        nlif_fail(&c.err, NLIF_EINVAL, "%s: the name '%s' is taken by a scheme already", sv->path, sv->name);
    if (c.err.code) {
        if (err)
            *err = c.err;
        solver_free(sv);
        return NLIF_EINVAL;
    }
    sv->hash = fnv1a_file(sv->path);
    struct stat st;
    if (!stat(sv->path, &st)) {
        struct tm tm;
        gmtime_r(&st.st_mtime, &tm);
        strftime(sv->mtime, sizeof sv->mtime, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    sv->type.name = sv->name;
    sv->type.title = sv->title;
    sv->type.source = sv->source;
    sv->type.options = sv->spec;
    sv->type.limit_option = sv->limit_option[0] ? sv->limit_option : NULL;
    sv->type.claims = NULL;
    sv->type.alloc = ext_alloc;
    sv->type.advance = ext_advance;
    sv->type.profile = ext_profile;
    sv->type.free = ext_free;
    if (nlif_scheme_register(&sv->type)) {
        solver_free(sv);
        return nlif_fail(err, NLIF_EINVAL, "the scheme registry is full");
    }
    solvers[n_solvers++] = sv;
    return NLIF_OK;
}

const char *nlif_solver_default_scheme(void)
{
    return n_solvers == 1 ? solvers[0]->name : NULL;
}

/* The solver of st: by its option table, which a variant of it shares. */
static const solver *solver_of(const nlif_option_spec *spec)
{
    for (int i = 0; i < n_solvers; i++)
        if (spec && spec == solvers[i]->spec)
            return solvers[i];
    return NULL;
}

json_t *nlif_solver_provenance(const nlif_scheme_type *st)
{
    const solver *sv = solver_of(st->options);
    if (!sv)
        return NULL;
    char hash[24];
    snprintf(hash, sizeof hash, "%016llx", sv->hash);
    return json_pack("{s:s, s:s, s:s, s:s, s:f, s:f}", "manifest", sv->path, "manifest_fnv1a64", hash,
                     "manifest_mtime", sv->mtime, "command", sv->command, "timeout_seconds", sv->timeout,
                     "max_output_mb", sv->max_mb);
}

int nlif_solver_limits(const nlif_scheme_type *st, double *timeout_seconds, double *max_output_bytes)
{
    const solver *sv = solver_of(st->options);
    if (!sv)
        return -1;
    *timeout_seconds = sv->timeout;
    *max_output_bytes = max_bytes(sv);
    return 0;
}

/* ------------------------------------------------------------------------------------------------ */
/* The problem. */

json_t *nlif_problem_json(const nlif_case *cs, const nlif_optset *opt, const char *out_dir, const char *stem,
                          double timeout_seconds, double max_output_bytes, nlif_error *err)
{
    const nlif_model *m = &cs->model;
    int n, r;
    if (nlif_grid_nodes(m, cs->run.dv, &n, &r))
        return nlif_fail(err, NLIF_EINVAL, "case %s: V_R and V_F are not nodes of the grid dv = %g", cs->name,
                         cs->run.dv),
               NULL;
    int nv = n + 1;
    double *p = calloc((size_t)nv, sizeof *p);
    if (!p)
        return nlif_fail(err, NLIF_ENOMEM, "problem of %s: %d grid nodes", cs->name, nv), NULL;
    if (nlif_initial_project(cs, cs->run.dv, n, p, err)) {
        free(p);
        nlif_error_prefix(err, "problem of %s: initial density", cs->name);
        return NULL;
    }
    json_t *nodes = json_array(), *dens = json_array(), *snaps = json_array();
    for (int i = 0; i < nv; i++) {
        json_array_append_new(nodes, json_real(i == nv - 1 ? m->v_f : i == r ? m->v_r : m->v_min + i * cs->run.dv));
        json_array_append_new(dens, json_real(p[i]));
    }
    free(p);
    for (int i = 0; i < cs->run.n_snapshots; i++)
        json_array_append_new(snaps, json_real(cs->run.snapshots[i]));
    json_t *spec = nlif_case_json(cs); /* the case's model, input, structure and initial law, once */
    json_t *initial = json_deep_copy(json_object_get(spec, "initial"));
    json_object_set_new(initial, "density", dens);
    json_object_set_new(initial, "atoms", json_array());
    json_t *structure = json_null();
    if (cs->structure.enabled) {
        structure = json_deep_copy(json_object_get(spec, "structure"));
        json_object_set_new(structure, "dw", json_real(cs->run.dw));
        json_object_set_new(structure, "nw",
                            json_integer(lround((cs->structure.w_max - cs->structure.w_min) / cs->run.dw)));
    }
    json_t *j = json_object();
    json_object_set_new(j, "format", json_string(NLIF_PROBLEM_FORMAT));
    json_object_set_new(j, "format_version", json_integer(NLIF_PROBLEM_VERSION));
    json_object_set_new(j, "case", json_string(cs->name));
    json_object_set(j, "description", json_object_get(spec, "description"));
    json_object_set(j, "tags", json_object_get(spec, "tags"));
    json_object_set(j, "model", json_object_get(spec, "model"));
    json_object_set(j, "input", json_object_get(spec, "input"));
    json_object_set_new(j, "structure", structure);
    json_object_set_new(j, "grid", json_pack("{s:f, s:f, s:f, s:f, s:i, s:i, s:o}", "v_min", m->v_min, "v_f", m->v_f,
                                             "v_r", m->v_r, "dv", cs->run.dv, "nv", nv, "i_r", r, "nodes", nodes));
    json_object_set_new(j, "dt", json_real(cs->run.dt));
    json_object_set_new(j, "dw", cs->structure.enabled ? json_real(cs->run.dw) : json_null());
    json_object_set_new(j, "t_final", json_real(cs->run.t_final));
    json_object_set_new(j, "snapshots", snaps);
    json_object_set_new(j, "seed", json_integer((json_int_t)cs->run.seed));
    json_object_set_new(j, "options", opt ? nlif_optset_json(opt) : json_object());
    json_object_set_new(j, "initial", initial);
    json_object_set_new(j, "output", json_pack("{s:s, s:s}", "dir", out_dir, "stem", stem));
    json_object_set_new(j, "limits", json_pack("{s:f, s:I}", "timeout_seconds", timeout_seconds, "max_output_bytes",
                                               (json_int_t)max_output_bytes));
    json_decref(spec);
    return j;
}

int nlif_problem_dump(FILE *f, const json_t *problem, nlif_error *err)
{
    if (json_dumpf(problem, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) || fputc('\n', f) == EOF)
        return nlif_fail(err, NLIF_EIO, "cannot write the problem JSON: %s", strerror(errno));
    return NLIF_OK;
}

/* ------------------------------------------------------------------------------------------------ */
/* Running the solver. */

static _Thread_local double walk_bytes;

static int add_size(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)path, (void)ftw;
    if (flag == FTW_F)
        walk_bytes += (double)st->st_size;
    return 0;
}

static double folder_bytes(const char *dir)
{
    walk_bytes = 0;
    nftw(dir, add_size, 16, FTW_PHYS);
    return walk_bytes;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void remove_tree(const char *dir)
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
static int build_argv(const solver *sv, const char *problem, const char *out, const char *stem, char **argv,
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
        if (argc == MAX_ARGS - 1)
            return nlif_fail(err, NLIF_EINVAL, "%s: command: more than %d words", sv->path, MAX_ARGS - 1);
        argv[argc++] = store + used;
        while (*p && *p != ' ' && *p != '\t') {
            int k = 0;
            while (placeholders[k] && strncmp(p, placeholders[k], strlen(placeholders[k])))
                k++;
            const char *add = placeholders[k] ? vals[k] : NULL;
            size_t n = add ? strlen(add) : 1;
            if (used + n + 2 > cap)
                return nlif_fail(err, NLIF_EINVAL, "%s: command: too long after substitution", sv->path);
            memcpy(store + used, add ? add : p, n);
            used += n;
            p += placeholders[k] ? strlen(placeholders[k]) : 1;
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
static int run_program(const solver *sv, char **argv, const char *out, const char *log, double *wall, double *cpu,
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
        struct rlimit fs = {(rlim_t)max_bytes(sv), (rlim_t)max_bytes(sv)}, core = {0, 0};
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
    int status = 0, why = 0; /* 1 timeout, 2 output */
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    double limit = max_bytes(sv), wrote = 0;
    for (long it = 0;; it++) {
        pid_t w = wait4(pid, &status, WNOHANG, &ru);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            status = 0;
            break;
        }
        if (now_mono() - t0 > sv->timeout)
            why = 1;
        else if ((wrote = folder_bytes(out) + folder_bytes(log)) > limit)
            why = 2;
        if (why) {
            kill(-pid, SIGKILL);
            while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
                ;
            break;
        }
        struct timespec nap = {0, it < 50 ? 2000000L : 20000000L}; /* 2 ms, then 20 ms */
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
    if (!why && failed && folder_bytes(out) + folder_bytes(log) >= limit)
        why = 2;
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

/* ------------------------------------------------------------------------------------------------ */
/* The scheme: run once in alloc, then replay. */

typedef struct ext_state {
    const solver *sv;
    nlif_trajectory *traj;
    nlif_rf_run rr;
    size_t next_row;   /* the next series row to record */
    size_t next_mfe, next_ev;
    int n_snap;
    double snap_t[NLIF_RF_MAX_SNAPSHOTS];
    size_t snap_row[NLIF_RF_MAX_SNAPSHOTS]; /* the first row of each snapshot */
    int cur;           /* the snapshot profile() gives, −1 none */
    nlif_status status;
    double stop_time;
    char cause[256];
    double *v, *p, *w, *rho;
} ext_state;

static int near(double a, double b) { return fabs(a - b) <= 1e-9 * (1 + fabs(b)); }

static void ext_free(void *state)
{
    ext_state *s = state;
    if (!s)
        return;
    nlif_rf_run_free(&s->rr);
    free(s->v), free(s->p), free(s->w), free(s->rho);
    free(s);
}

/* The checks of the result set against the problem that the reader cannot know. */
static int check_against_problem(ext_state *s, const nlif_case *cs, int nv, int nw, const double *nodes,
                                 const char *json_path, nlif_error *err)
{
    nlif_rf_run *r = &s->rr;
    const char *cname = json_string_value(json_object_get(r->summary, "case"));
    if (strcmp(cname, cs->name))
        return nlif_fail(err, NLIF_ENUMERIC, "%s:1: case \"%s\"; the problem is case \"%s\"", json_path, cname, cs->name);
    if (r->nv != nv || r->nw != nw)
        return nlif_fail(err, NLIF_ENUMERIC, "%s:1: grid nv = %d, nw = %d; the problem's grid has nv = %d, nw = %d",
                         json_path, r->nv, r->nw, nv, nw);
    if (!near(r->t_final, cs->run.t_final))
        return nlif_fail(err, NLIF_ENUMERIC, "%s:1: t_final = %.17g; the problem's t_final is %.17g", json_path,
                         r->t_final, cs->run.t_final);
    /* the snapshot times: the requested ones up to t_end, and t_end (the final state) */
    const nlif_rf_table *t = &r->snapshots;
    double want[NLIF_MAX_SNAPSHOTS + 1];
    int n_want = 0;
    for (int i = 0; i < cs->run.n_snapshots; i++)
        if (cs->run.snapshots[i] <= r->t_end * (1 + 1e-9) + 1e-12 && !near(cs->run.snapshots[i], r->t_end))
            want[n_want++] = cs->run.snapshots[i];
    want[n_want++] = r->t_end;
    for (size_t i = 0; i < t->nrow;) {
        double ts = t->x[i * 4 + 1];
        if (s->n_snap == n_want || !near(ts, want[s->n_snap]))
            return nlif_fail(err, NLIF_ENUMERIC, "%s:%d: a snapshot at t = %.17g; expected %s%.17g (the problem's "
                                                 "snapshot times up to t_end, then the final state at t_end)",
                             t->path, t->line[i], ts, s->n_snap == n_want ? "none after t = " : "t = ",
                             want[s->n_snap == n_want ? n_want - 1 : s->n_snap]);
        s->snap_t[s->n_snap] = want[s->n_snap];
        s->snap_row[s->n_snap++] = i;
        int k = 0;
        for (; i < t->nrow && t->x[i * 4 + 1] == ts; i++)
            if (t->x[i * 4] == 'v') {
                if (fabs(t->x[i * 4 + 2] - nodes[k]) > 1e-9 * (1 + fabs(nodes[k])))
                    return nlif_fail(err, NLIF_ENUMERIC, "%s:%d: x = %.17g; the problem's node %d is %.17g", t->path,
                                     t->line[i], t->x[i * 4 + 2], k, nodes[k]);
                k++;
            }
    }
    if (s->n_snap < n_want)
        return nlif_fail(err, NLIF_ENUMERIC, "%s: no snapshot at t = %.17g (the problem asks for one)", t->path,
                         want[s->n_snap]);
    /* the series: from t = 0, with a row at every snapshot time (the steps land on them) */
    const nlif_rf_table *se = &r->series;
    if (se->x[0] != 0)
        return nlif_fail(err, NLIF_ENUMERIC, "%s:%d: the series starts at t = %.17g, not at 0", se->path, se->line[0],
                         se->x[0]);
    size_t row = 0;
    for (int k = 0; k < s->n_snap; k++) {
        while (row < se->nrow && se->x[row * se->ncol] < s->snap_t[k] && !near(se->x[row * se->ncol], s->snap_t[k]))
            row++;
        if (row == se->nrow || !near(se->x[row * se->ncol], s->snap_t[k]))
            return nlif_fail(err, NLIF_ENUMERIC, "%s: no row at the snapshot time t = %.17g (the steps must land on "
                                                 "every snapshot time)",
                             se->path, s->snap_t[k]);
    }
    return NLIF_OK;
}

static nlif_status status_of(const char *s)
{
    return !strcmp(s, "blowup") ? NLIF_STATUS_BLOWUP : !strcmp(s, "runaway") ? NLIF_STATUS_RUNAWAY
           : !strcmp(s, "failed")                     ? NLIF_STATUS_FAILED
                                                      : NLIF_STATUS_OK;
}

static int solve(ext_state *s, const nlif_case *cs, const nlif_optset *opt, const char *tmp, nlif_error *err)
{
    const solver *sv = s->sv;
    char problem[PATH_MAX + 32], out[PATH_MAX + 8], log[PATH_MAX + 8], stem[2 * NLIF_NAME_MAX + 2];
    snprintf(problem, sizeof problem, "%s/problem.json", tmp);
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(log, sizeof log, "%s/log", tmp);
    snprintf(stem, sizeof stem, "%s.%s", cs->name, sv->name);
    if (mkdir(out, 0700) || mkdir(log, 0700))
        return nlif_fail(err, NLIF_EIO, "solver %s: cannot make folders in %s: %s", sv->name, tmp, strerror(errno));
    json_t *pj = nlif_problem_json(cs, opt, out, stem, sv->timeout, max_bytes(sv), err);
    if (!pj)
        return err ? err->code : NLIF_EINVAL;
    FILE *f = fopen(problem, "w");
    int rc = f ? nlif_problem_dump(f, pj, err) : nlif_fail(err, NLIF_EIO, "cannot write %s: %s", problem, strerror(errno));
    if (f && fclose(f) && !rc)
        rc = nlif_fail(err, NLIF_EIO, "cannot write %s", problem);
    json_t *jn = json_object_get(json_object_get(pj, "grid"), "nodes");
    int nv = (int)json_array_size(jn);
    int nw = cs->structure.enabled ? (int)json_integer_value(json_object_get(json_object_get(pj, "structure"), "nw")) : 0;
    double *nodes = malloc((size_t)nv * sizeof *nodes);
    if (!rc && !nodes)
        rc = nlif_fail(err, NLIF_ENOMEM, "solver %s: %d nodes", sv->name, nv);
    for (int i = 0; !rc && i < nv; i++)
        nodes[i] = json_real_value(json_array_get(jn, (size_t)i));
    json_decref(pj);
    char *argv[MAX_ARGS], store[8192];
    double wall = 0, cpu = 0;
    if (!rc)
        rc = build_argv(sv, problem, out, stem, argv, store, sizeof store, err);
    if (!rc)
        rc = run_program(sv, argv, out, log, &wall, &cpu, err);
    char json_path[PATH_MAX + 2 * NLIF_NAME_MAX + 16];
    snprintf(json_path, sizeof json_path, "%s/%s.json", out, stem);
    if (!rc && nlif_rf_run_read(json_path, &s->rr, err)) {
        nlif_error_prefix(err, "solver %s: result set refused", sv->name);
        rc = err ? (err->code = NLIF_ENUMERIC) : NLIF_ENUMERIC;
    } else if (!rc && (rc = check_against_problem(s, cs, nv, nw, nodes, json_path, err)))
        nlif_error_prefix(err, "solver %s: result set refused", sv->name);
    free(nodes);
    if (rc)
        return rc;
    nlif_traj_stat(s->traj, "solver_wall_seconds", wall);
    nlif_traj_stat(s->traj, "solver_cpu_seconds", cpu);
    return NLIF_OK;
}

static int ext_alloc(void **state, const nlif_case *cs, const nlif_optset *opt, nlif_trajectory *traj,
                     nlif_error *err)
{
    *state = NULL;
    const solver *sv = solver_of(opt ? opt->spec : NULL);
    if (!sv)
        return nlif_fail(err, NLIF_EINVAL, "an external solver's options are not its own (a programming error)");
    ext_state *s = calloc(1, sizeof *s);
    if (!s)
        return nlif_fail(err, NLIF_ENOMEM, "solver %s: out of memory", sv->name);
    s->sv = sv;
    s->traj = traj;
    s->cur = -1;
    const char *base = getenv("TMPDIR");
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/nlif-solver-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmp)) {
        int e = errno;
        free(s);
        return nlif_fail(err, NLIF_EIO, "solver %s: cannot make a private folder %s: %s", sv->name, tmp, strerror(e));
    }
    int rc = solve(s, cs, opt, tmp, err);
    const char *keep = getenv("NLIF_SOLVER_KEEP");
    if (keep && !strcmp(keep, "1"))
        fprintf(stderr, "nlif: solver %s: kept its folder %s (NLIF_SOLVER_KEEP=1)\n", sv->name, tmp);
    else
        remove_tree(tmp);
    if (rc) {
        ext_free(s);
        return rc;
    }
    const json_t *sum = s->rr.summary;
    s->status = status_of(s->rr.status);
    s->stop_time = s->rr.t_end;
    json_t *stop = json_object_get(sum, "stop_time");
    if (s->status != NLIF_STATUS_OK && json_is_number(stop))
        s->stop_time = json_number_value(stop);
    const char *cause = json_string_value(json_object_get(sum, "cause"));
    snprintf(s->cause, sizeof s->cause, "%s", cause ? cause : "");
    json_t *stats = json_object_get(sum, "stats"), *x;
    const char *key;
    json_object_foreach(stats, key, x)
    {
        if (json_is_number(x))
            nlif_traj_stat(traj, key, json_number_value(x));
    }
    x = json_object_get(sum, "max_density");
    if (json_is_number(x))
        nlif_traj_note_max(traj, json_number_value(x));
    size_t nv = (size_t)s->rr.nv, nw = (size_t)s->rr.nw;
    s->v = malloc(nv * sizeof *s->v);
    s->p = malloc(nv * sizeof *s->p);
    s->w = malloc((nw ? nw : 1) * sizeof *s->w);
    s->rho = malloc((nw ? nw : 1) * sizeof *s->rho);
    if (!s->v || !s->p || !s->w || !s->rho) {
        ext_free(s);
        return nlif_fail(err, NLIF_ENOMEM, "solver %s: profiles of %zu nodes", sv->name, nv);
    }
    *state = s;
    return ext_advance(s, 0, err); /* the t = 0 sample */
}

/* Record the series rows up to t (and the events up to t). */
static int replay_to(ext_state *s, double t)
{
    const nlif_rf_table *se = &s->rr.series;
    for (; s->next_row < se->nrow; s->next_row++) {
        const double *row = se->x + s->next_row * se->ncol;
        if (row[0] > t && !near(row[0], t))
            break;
        int rc = nlif_traj_record(s->traj, row[0], row[1], row[2], row[3], row[4]);
        if (rc)
            return rc;
    }
    json_t *mfe = json_object_get(s->rr.summary, "mfe"), *ev = json_object_get(s->rr.summary, "events");
    for (; s->next_mfe < json_array_size(mfe); s->next_mfe++) {
        json_t *e = json_array_get(mfe, s->next_mfe);
        double te = json_number_value(json_object_get(e, "t"));
        if (te > t && !near(te, t))
            break;
        nlif_traj_mfe(s->traj, te, json_number_value(json_object_get(e, "size")));
    }
    for (; s->next_ev < json_array_size(ev); s->next_ev++) {
        json_t *e = json_array_get(ev, s->next_ev);
        const char *kind = json_string_value(json_object_get(e, "kind"));
        double te = json_number_value(json_object_get(e, "t"));
        if (!json_is_number(json_object_get(e, "t")) || (te > t && !near(te, t)))
            break;
        if (kind && strcmp(kind, "mfe"))
            nlif_traj_event(s->traj, kind, te, json_number_value(json_object_get(e, "value")));
    }
    return NLIF_OK;
}

static int ext_advance(void *state, double t_end, nlif_error *err)
{
    ext_state *s = state;
    if (s->status != NLIF_STATUS_OK && t_end > s->rr.t_end && !near(t_end, s->rr.t_end)) {
        int rc = replay_to(s, INFINITY);
        s->cur = s->n_snap - 1;
        nlif_traj_set_status(s->traj, s->status, s->stop_time, "%s", s->cause[0] ? s->cause : "(no cause given)");
        return rc == NLIF_ENUMERIC && s->traj->budget_exhausted ? NLIF_OK : rc;
    }
    int k = 0;
    while (k < s->n_snap && !near(s->snap_t[k], t_end))
        k++;
    if (k == s->n_snap && t_end != 0)
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: asked for t = %.17g, which is not among the times of its "
                                             "result set",
                         s->sv->name, t_end);
    s->cur = k < s->n_snap ? k : -1;
    int rc = replay_to(s, t_end);
    if (rc && !s->traj->budget_exhausted)
        return nlif_fail(err, rc, "solver %s: replaying its series", s->sv->name);
    return rc;
}

static int ext_profile(void *state, nlif_profile *out)
{
    ext_state *s = state;
    memset(out, 0, sizeof *out);
    if (s->cur < 0)
        return NLIF_EINVAL;
    const nlif_rf_table *t = &s->rr.snapshots;
    double ts = t->x[s->snap_row[s->cur] * 4 + 1];
    int nv = 0, nw = 0;
    for (size_t i = s->snap_row[s->cur]; i < t->nrow && t->x[i * 4 + 1] == ts; i++) {
        const double *row = t->x + i * 4;
        if (row[0] == 'v' && nv < s->rr.nv) {
            s->v[nv] = row[2];
            s->p[nv++] = row[3];
        } else if (row[0] == 'w' && nw < s->rr.nw) {
            s->w[nw] = row[2];
            s->rho[nw++] = row[3];
        }
    }
    out->t = s->snap_t[s->cur];
    out->n = nv;
    out->v = s->v;
    out->p = s->p;
    out->nw = nw;
    out->w = nw ? s->w : NULL;
    out->rho = nw ? s->rho : NULL;
    for (int a = 0; a < t->n_atoms && out->n_atoms < NLIF_PROFILE_MAX_ATOMS; a++)
        if (t->atoms[a].t == ts) {
            out->atom_v[out->n_atoms] = t->atoms[a].v;
            out->atom_mass[out->n_atoms++] = t->atoms[a].mass;
        }
    return NLIF_OK;
}
