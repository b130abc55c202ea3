/* solver_manifest.c — the manifest of an external solver (SOLVERS.md, "The manifest"): read strictly
 * with inih (every refusal names MANIFEST:LINE), turned into a registered scheme type with a heap-built
 * option table; and what the rest asks of the loaded solvers. */
#include "nlif_solver_impl.h"

#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static nlif_solver *solvers[NLIF_SOLVER_MAX];
static int n_solvers;

/* ------------------------------------------------------------------------------------------------ */
/* The manifest. */

typedef struct parse_ctx {
    nlif_solver *sv;
    nlif_error err;
    FILE *f;
    int line;     /* the line being read (counted by the reader below) */
    int too_long; /* the first line longer than inih's buffer, or 0 */
} parse_ctx;

static const char *const solver_keys[] = {"name",         "title",         "reconstructs", "capabilities",
                                          "order_t",      "order_v_density", "order_v_rate", "order_w",
                                          "command",      "timeout",       "max_output_mb", "limit_option",
                                          "max_output_files", "max_cpu_seconds", "max_memory_mb",
                                          "max_processes", "sandbox", NULL};

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


/* Every '{' of the command template opens one of the placeholders. */
static int check_template(parse_ctx *c, const char *cmd)
{
    for (const char *p = strchr(cmd, '{'); p; p = strchr(p + 1, '{')) {
        int ok = 0;
        for (int k = 0; nlif_solver_placeholders[k]; k++)
            ok |= !strncmp(p, nlif_solver_placeholders[k], strlen(nlif_solver_placeholders[k]));
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
    nlif_solver *sv = c->sv;
    int k = 0;
    while (solver_keys[k] && strcmp(solver_keys[k], key))
        k++;
    if (!solver_keys[k])
        return fail_at(c, "unknown key '%s' in [solver] (allowed: name, title, reconstructs, capabilities, order_t, "
                          "order_v_density, order_v_rate, order_w, command, timeout, max_output_mb, max_output_files, "
                          "max_cpu_seconds, max_memory_mb, max_processes, sandbox, limit_option)",
                       key);
    if (sv->seen[k]++)
        return fail_at(c, "'%s' given twice", key);
    double x;
    switch (k) {
    case 0:
        if (!nlif_scheme_name_valid(value, strlen(value)))
            return fail_at(c, "name = '%s' (allowed: 1-%d characters of [a-z0-9_])", value, NLIF_NAME_MAX - 1);
        snprintf(sv->name, sizeof sv->name, "%s", value);
        return 1;
    case 1: snprintf(sv->title, sizeof sv->title, "%s", value); return 1;
    case 2: snprintf(sv->source, sizeof sv->source, "%s", value); return 1;
    case 3: {
        char buf[NLIF_SOLVER_TEXT];
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
    case 11:
        snprintf(sv->limit_option, sizeof sv->limit_option, "%s", value);
        return 1;
    case 12:
        if (!parse_number(value, &x) || x < 1 || x > 1e6 || x != floor(x))
            return fail_at(c, "max_output_files = '%s' (allowed: an integer in [1, 1000000])", value);
        sv->max_entries = (long)x;
        return 1;
    case 13: /* RLIMIT_CPU counts whole seconds */
        if (!parse_number(value, &x) || x < 1 || x > 604800 || x != floor(x))
            return fail_at(c, "max_cpu_seconds = '%s' (allowed: an integer in [1, 604800])", value);
        sv->max_cpu = (long)x;
        return 1;
    case 14: /* none: no address-space limit (a runtime that reserves terabytes of it: a sanitizer's, a JVM's) */
        if (!strcmp(value, "none")) {
            sv->max_mem_mb = 0;
            return 1;
        }
        if (!parse_number(value, &x) || x < 16 || x > 1048576)
            return fail_at(c, "max_memory_mb = '%s' (allowed: a number in [16, 1048576], or none)", value);
        sv->max_mem_mb = x;
        return 1;
    case 15:
        if (!parse_number(value, &x) || x < 1 || x > 4096 || x != floor(x))
            return fail_at(c, "max_processes = '%s' (allowed: an integer in [1, 4096])", value);
        sv->max_procs = (long)x;
        return 1;
    default:
        if (strcmp(value, "auto") && strcmp(value, "required") && strcmp(value, "off"))
            return fail_at(c, "sandbox = '%s' (allowed: auto, required, off)", value);
        sv->sandbox = !strcmp(value, "off") ? NLIF_SANDBOX_OFF : !strcmp(value, "auto") ? NLIF_SANDBOX_AUTO
                                                                                        : NLIF_SANDBOX_REQUIRED;
        return 1;
    }
}

static int option_key(parse_ctx *c, const char *section, const char *key, const char *value)
{
    nlif_solver *sv = c->sv;
    const char *name = section + strlen("option.");
    int i = 0;
    while (i < sv->n_opt && strcmp(sv->opt_name[i], name))
        i++;
    if (i == sv->n_opt) {
        if (sv->n_opt == NLIF_SOLVER_MAX_OPTIONS)
            return fail_at(c, "more than %d options", NLIF_SOLVER_MAX_OPTIONS);
        if (!nlif_scheme_name_valid(name, strlen(name)))
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
        char buf[NLIF_SOLVER_TEXT];
        snprintf(buf, sizeof buf, "%s", value);
        for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
            len += snprintf(o + len, len < NLIF_SOLVER_TEXT ? NLIF_SOLVER_TEXT - len : 0, "%s%s", len ? "|" : "", t);
        if (!len || len >= NLIF_SOLVER_TEXT)
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
    if (!r)
        return NULL;
    c->line++;
    size_t n = strlen(str);
    if (n && str[n - 1] != '\n' && !feof(c->f)) {
        /* inih would read the rest as a line of its own: refuse the line instead, naming it */
        int ch;
        while ((ch = fgetc(c->f)) != EOF && ch != '\n')
            ;
        if (!c->too_long)
            c->too_long = c->line;
        str[0] = '\0';
    }
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


static void solver_free(nlif_solver *sv)
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
    nlif_solver *sv = calloc(1, sizeof *sv);
    if (!sv || !(sv->spec = calloc(NLIF_SOLVER_MAX_OPTIONS + 1, sizeof *sv->spec))) {
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
    sv->max_entries = 10000;
    sv->max_cpu = 600;
    sv->max_mem_mb = 4096;
    sv->max_procs = 64;
    sv->sandbox = NLIF_SANDBOX_AUTO;
    FILE *f = fopen(sv->path, "r");
    if (!f) {
        int e = errno;
        solver_free(sv);
        return nlif_fail(err, NLIF_EINVAL, "%s: cannot read the manifest: %s", path, strerror(e));
    }
    parse_ctx c = {.sv = sv, .f = f};
    int line = ini_parse_stream(reader, &c, handler, &c);
    fclose(f);
    if (!c.err.code && c.too_long)
        nlif_fail(&c.err, NLIF_EINVAL, "%s:%d: line too long (allowed: at most %d characters a line)", sv->path,
                  c.too_long, INI_MAX_LINE - 2);
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
    nlif_solver_scheme_fill(&sv->type);
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

const nlif_solver *nlif_solver_of(const nlif_option_spec *spec)
{
    for (int i = 0; i < n_solvers; i++)
        if (spec && spec == solvers[i]->spec)
            return solvers[i];
    return NULL;
}

json_t *nlif_solver_provenance(const nlif_scheme_type *st)
{
    const nlif_solver *sv = nlif_solver_of(st->options);
    if (!sv)
        return NULL;
    char hash[24], iso[1200];
    snprintf(hash, sizeof hash, "%016llx", sv->hash);
    nlif_sandbox_describe(sv, iso, sizeof iso);
    static const char *const modes[] = {"off", "auto", "required"};
    return json_pack("{s:s, s:s, s:s, s:s, s:f, s:f, s:I, s:I, s:f, s:I, s:s, s:s}", "manifest", sv->path,
                     "manifest_fnv1a64", hash, "manifest_mtime", sv->mtime, "command", sv->command, "timeout_seconds",
                     sv->timeout, "max_output_mb", sv->max_mb, "max_output_files", (json_int_t)sv->max_entries,
                     "max_cpu_seconds", (json_int_t)sv->max_cpu, "max_memory_mb", sv->max_mem_mb, "max_processes",
                     (json_int_t)sv->max_procs, "sandbox", modes[sv->sandbox], "isolation", iso);
}

int nlif_solver_isolation(const nlif_scheme_type *st, char *text, size_t len)
{
    const nlif_solver *sv = nlif_solver_of(st->options);
    if (!sv)
        return -1;
    nlif_sandbox_describe(sv, text, len);
    return 0;
}

int nlif_solver_limits(const nlif_scheme_type *st, double *timeout_seconds, double *max_output_bytes)
{
    const nlif_solver *sv = nlif_solver_of(st->options);
    if (!sv)
        return -1;
    *timeout_seconds = sv->timeout;
    *max_output_bytes = nlif_solver_max_bytes(sv);
    return 0;
}
