/* case.c — case files: parse with inih, validate every key at the edge, fill defaults (nlif_case.h).
 *
 * One table (keys[]) describes every key: section, name, kind, range, default, when it applies and
 * whether it is required, and its documentation. Parsing collects (section, key, value, line)
 * entries, --set overrides replace entries, then the table is applied in order and cross-field
 * rules are checked. Every message starts with the location of the offending key.
 */
#include "nlif_case.h"
#include "../solvers/core/nlif_scheme.h"

#include "nlif_cli.h"

#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum { K_DOUBLE, K_INT, K_LONG, K_U64, K_BOOL, K_ENUM, K_TEXT, K_TAGS, K_BLOCKS, K_POINTS, K_TIMES, K_CHECKS, K_CAPS } kind;

/* The checks the harness knows (harness/verify.c judges them). */
#define NLIF_CHECK_NAMES "stationary_rate, order_v, order_t, order_w, ap, jump, blowup_time, rate_mc, mfe_mc, mc_stationary"
static const char *const check_names[] = {"stationary_rate", "order_v", "order_t", "order_w", "ap", "jump",
                                          "blowup_time", "rate_mc", "mfe_mc", "mc_stationary", NULL};

enum { OPTIONAL = 0, REQUIRED = 1, REQUIRED_WHEN = 2 };

typedef struct key_spec {
    const char *section, *name;
    kind k;
    size_t off;           /* offset of the field in nlif_case */
    const char *def;      /* default (NULL: none) */
    double min, max;      /* numeric range */
    int excl_min;         /* 1: min is excluded */
    const char *choices;  /* K_ENUM: "a|b|c" (index stored as int) */
    int required;
    const char *when;     /* "type=gaussian|table": the key applies only then (same section) */
    const char *doc;
} key_spec;

#define F(field) offsetof(nlif_case, field)
#define INF HUGE_VAL

static const char *const sections[] = {"case", "model", "initial", "input", "structure", "run", "expect", NULL};

static const key_spec keys[] = {
    {"case", "description", K_TEXT, F(description), NULL, 0, 0, 0, NULL, REQUIRED, NULL, "one line: what the case tests"},
    {"case", "tags", K_TAGS, F(n_tags), "", 0, 0, 0, NULL, OPTIONAL, NULL, "comma-separated tags (relax, mfe, smooth, structured, ...)"},

    {"model", "a0", K_DOUBLE, F(model.a0), "1", 0, INF, 1, NULL, OPTIONAL, NULL, "noise a0 > 0 in a(N) = a0 + a1 N"},
    {"model", "a1", K_DOUBLE, F(model.a1), "0", 0, INF, 0, NULL, OPTIONAL, NULL, "rate-dependent noise a1 >= 0"},
    {"model", "b", K_DOUBLE, F(model.b), NULL, -INF, INF, 0, NULL, REQUIRED, NULL, "connectivity (b > 0 excitatory, b < 0 inhibitory); structured cases use w instead"},
    {"model", "v_f", K_DOUBLE, F(model.v_f), "2", -INF, INF, 0, NULL, OPTIONAL, NULL, "threshold V_F"},
    {"model", "v_r", K_DOUBLE, F(model.v_r), "1", -INF, INF, 0, NULL, OPTIONAL, NULL, "reset V_R < V_F"},
    {"model", "v_min", K_DOUBLE, F(model.v_min), "-4", -INF, INF, 0, NULL, OPTIONAL, NULL, "left end of the truncated domain, V_min < V_R (zero flux there)"},
    {"model", "convention", K_ENUM, F(model.convention), "A", 0, 0, 0, "A|B", OPTIONAL, NULL, "cascade convention (Choice): A fired neurons sit at V_R; B reset then kicked"},

    {"initial", "type", K_ENUM, F(initial.type), NULL, 0, 0, 0, "gaussian|uniform|table|stationary", REQUIRED, NULL, "initial density"},
    {"initial", "mean", K_DOUBLE, F(initial.mean), "0", -INF, INF, 0, NULL, REQUIRED_WHEN, "type=gaussian", "Gaussian mean (truncated to [V_min, V_F], normalised)"},
    {"initial", "sd", K_DOUBLE, F(initial.sd), "1", 0, INF, 1, NULL, REQUIRED_WHEN, "type=gaussian", "Gaussian standard deviation > 0"},
    {"initial", "blocks", K_BLOCKS, F(initial.n_blocks), "", 0, 0, 0, NULL, REQUIRED_WHEN, "type=uniform", "uniform blocks 'lo hi density, lo hi density, ...' inside [V_min, V_F]"},
    {"initial", "points", K_POINTS, F(initial.n_points), "", 0, 0, 0, NULL, REQUIRED_WHEN, "type=table", "piecewise-linear table 'v p, v p, ...', v non-decreasing (repeat v for a jump)"},
    {"initial", "normalise", K_BOOL, F(initial.normalise), "true", 0, 0, 0, NULL, OPTIONAL, "type=uniform|table", "rescale the blocks/table to mass 1"},
    {"initial", "root", K_INT, F(initial.root), "0", 0, 7, 0, NULL, OPTIONAL, "type=stationary", "which stationary state (0 = lowest rate) of the model with I = input.i0"},

    {"input", "type", K_ENUM, F(input.type), "none", 0, 0, 0, "none|constant|sine|pulse|kick", OPTIONAL, NULL, "input current I(t) (MATHEMATICS.md 1.1)"},
    {"input", "i0", K_DOUBLE, F(input.i0), "0", -INF, INF, 0, NULL, OPTIONAL, "type=constant|sine|pulse|kick", "constant part / pulse height / baseline of the kick"},
    {"input", "amplitude", K_DOUBLE, F(input.amplitude), "0", -INF, INF, 0, NULL, REQUIRED_WHEN, "type=sine", "sine amplitude A"},
    {"input", "omega", K_DOUBLE, F(input.omega), "0", 0, INF, 0, NULL, REQUIRED_WHEN, "type=sine", "sine angular frequency"},
    {"input", "phase", K_DOUBLE, F(input.phase), "0", -INF, INF, 0, NULL, OPTIONAL, "type=sine", "sine phase"},
    {"input", "t0", K_DOUBLE, F(input.t0), "0", 0, INF, 0, NULL, REQUIRED_WHEN, "type=pulse|kick", "pulse start / kick time"},
    {"input", "t1", K_DOUBLE, F(input.t1), "0", 0, INF, 0, NULL, REQUIRED_WHEN, "type=pulse", "pulse end (> t0)"},
    {"input", "kick", K_DOUBLE, F(input.kick), "0", -INF, INF, 0, NULL, REQUIRED_WHEN, "type=kick", "instantaneous shift of every voltage at t0"},

    {"structure", "w_min", K_DOUBLE, F(structure.w_min), NULL, -INF, INF, 0, NULL, REQUIRED, NULL, "smallest synaptic weight"},
    {"structure", "w_max", K_DOUBLE, F(structure.w_max), NULL, -INF, INF, 0, NULL, REQUIRED, NULL, "largest synaptic weight (> w_min)"},
    {"structure", "epsilon", K_DOUBLE, F(structure.epsilon), "1", 0, INF, 1, NULL, OPTIONAL, NULL, "time-scale ratio eps > 0 (voltage dynamics at rate 1/eps)"},
    {"structure", "rule", K_ENUM, F(structure.rule), "none", 0, 0, 0, "none|linear|hebbian", OPTIONAL, NULL, "learning rule (Choice): K = rate (w_star - w), or K = alpha N R_w - beta w"},
    {"structure", "rate", K_DOUBLE, F(structure.rate), "0", 0, INF, 0, NULL, REQUIRED_WHEN, "rule=linear", "linear rule: relaxation rate r"},
    {"structure", "w_star", K_DOUBLE, F(structure.w_star), "0", -INF, INF, 0, NULL, REQUIRED_WHEN, "rule=linear", "linear rule: target weight (in [w_min, w_max])"},
    {"structure", "alpha", K_DOUBLE, F(structure.alpha), "0", -INF, INF, 0, NULL, REQUIRED_WHEN, "rule=hebbian", "hebbian rule: potentiation"},
    {"structure", "beta", K_DOUBLE, F(structure.beta), "0", 0, INF, 0, NULL, REQUIRED_WHEN, "rule=hebbian", "hebbian rule: decay"},
    {"structure", "rho_floor", K_DOUBLE, F(structure.rho_floor), "1e-8", 0, INF, 0, NULL, OPTIONAL, "rule=hebbian", "hebbian rule: below this rho_w use the quasi-static rate"},
    {"structure", "w_law", K_ENUM, F(structure.w_law), "uniform", 0, 0, 0, "uniform|gaussian|point", OPTIONAL, NULL, "initial weight law rho0(w)"},
    {"structure", "w_mean", K_DOUBLE, F(structure.w_mean), "0", -INF, INF, 0, NULL, REQUIRED_WHEN, "w_law=gaussian|point", "mean of rho0 (gaussian) / the weight (point)"},
    {"structure", "w_sd", K_DOUBLE, F(structure.w_sd), "1", 0, INF, 1, NULL, REQUIRED_WHEN, "w_law=gaussian", "standard deviation of rho0 (truncated to [w_min, w_max])"},

    {"run", "t_final", K_DOUBLE, F(run.t_final), NULL, 0, INF, 1, NULL, REQUIRED, NULL, "final time > 0"},
    {"run", "dv", K_DOUBLE, F(run.dv), "0.02", 0, 1, 1, NULL, OPTIONAL, NULL, "default voltage step; V_R and V_F must be grid nodes from V_min"},
    {"run", "dt", K_DOUBLE, F(run.dt), "1e-3", 0, INF, 1, NULL, OPTIONAL, NULL, "default time step of the grid schemes"},
    {"run", "dw", K_DOUBLE, F(run.dw), "0.05", 0, INF, 1, NULL, OPTIONAL, NULL, "default weight step (structured); must divide w_max - w_min"},
    {"run", "snapshots", K_TIMES, F(run.n_snapshots), "", 0, 0, 0, NULL, OPTIONAL, NULL, "times of density snapshots, comma-separated, in [0, t_final]"},
    {"run", "particles", K_LONG, F(run.particles), "100000", 1, 1e9, 0, NULL, OPTIONAL, NULL, "Monte Carlo: number of neurons N_p"},
    {"run", "realisations", K_INT, F(run.realisations), "16", 1, 100000, 0, NULL, OPTIONAL, NULL, "Monte Carlo: independent realisations R"},
    {"run", "mc_dt", K_DOUBLE, F(run.mc_dt), "1e-3", 0, INF, 1, NULL, OPTIONAL, NULL, "Monte Carlo time step"},
    {"run", "seed", K_U64, F(run.seed), "1", 0, 0, 0, NULL, OPTIONAL, NULL, "seed of every random stream"},
    {"run", "mfe_level", K_DOUBLE, F(run.mfe_level), "0.05", 0, 1, 1, NULL, OPTIONAL, NULL, "a particle step firing more than this fraction is an MFE"},
    {"run", "rate_window", K_DOUBLE, F(run.rate_window), "0.05", 0, INF, 1, NULL, OPTIONAL, NULL, "window W of the empirical firing rate"},

    {"expect", "checks", K_CHECKS, F(expect.checks), "", 0, 0, 0, NULL, OPTIONAL, NULL, "checks beyond mass and positivity: " NLIF_CHECK_NAMES},
    {"expect", "needs", K_CAPS, F(expect.needs), "", 0, 0, 0, NULL, OPTIONAL, NULL, "scheme capabilities the case needs beyond its model (a scheme without one is n.a.): " NLIF_CAPABILITY_NAMES},
    {"expect", "blowup", K_BOOL, F(expect.blowup), "false", 0, 0, 0, NULL, OPTIONAL, NULL, "the solution blows up: a scheme with capability mfe reaches t_final (status ok), one without stops with status blowup"},
    {"expect", "rate_tol", K_DOUBLE, F(expect.rate_tol), "0", 0, INF, 0, NULL, OPTIONAL, NULL, "stationary_rate: bound on |final rate - exact|, for every scheme (0: not stated, the check FAILs 'no bound')"},
    {"expect", "stationary_root", K_INT, F(expect.stationary_root), "0", 0, 7, 0, NULL, OPTIONAL, NULL, "stationary_rate: which exact root (0 = lowest)"},
    {"expect", "mass_drift", K_DOUBLE, F(expect.mass_drift), "1e-12", 0, 1, 1, NULL, OPTIONAL, NULL, "mass: bound on max |mass(t) - mass(0)| (MATHEMATICS.md 6)"},
    {"expect", "order_tol", K_DOUBLE, F(expect.order_tol), "0.15", 0, 2, 1, NULL, OPTIONAL, NULL, "order_v/t/w: bound on |observed - expected order| (MATHEMATICS.md 6)"},
    {"expect", "levels", K_INT, F(expect.levels), "4", 3, 8, 0, NULL, OPTIONAL, NULL, "order_v/t/w: refinement levels with errors in --full"},
    {"expect", "mc_inside", K_DOUBLE, F(expect.mc_inside), "0.95", 0, 1, 1, NULL, OPTIONAL, NULL, "rate_mc: fraction of time bins inside the Monte Carlo mean +- 3 SE"},
    {"expect", "blowup_tol", K_DOUBLE, F(expect.blowup_tol), "0.1", 0, INF, 1, NULL, OPTIONAL, NULL, "blowup_time: bound on |blow-up time - first Monte Carlo MFE time|"},
    {"expect", "jump_tol", K_DOUBLE, F(expect.jump_tol), "0.02", 0, INF, 1, NULL, OPTIONAL, NULL, "jump: bound on |first MFE size - exact jump|"},
    {"expect", "mfe_t_allow", K_DOUBLE, F(expect.mfe_t_allow), "0", 0, INF, 0, NULL, OPTIONAL, NULL, "mfe_mc: allowance added to the Monte Carlo time interval (a bias the case states)"},
    {"expect", "mfe_size_allow", K_DOUBLE, F(expect.mfe_size_allow), "0", 0, INF, 0, NULL, OPTIONAL, NULL, "mfe_mc: allowance added to the Monte Carlo size interval (a bias the case states)"},
    {"expect", "source", K_TEXT, F(expect.source), "", 0, 0, 0, NULL, OPTIONAL, NULL, "where the case's bounds come from (free text, printed in the report)"},
    {NULL, NULL, 0, 0, NULL, 0, 0, 0, NULL, 0, NULL, NULL},
};

/* ------------------------------------------------------------------------------------------------ */
/* Entries as read from the file (and --set). */

#define MAX_ENTRIES 256
#define VALUE_MAX 4096

typedef struct entry {
    char section[32], name[64];
    char value[VALUE_MAX];
    int line;        /* 0: from --set */
    int used;
} entry;

typedef struct parse_state {
    const char *file;
    entry e[MAX_ENTRIES];
    int n;
    int line;        /* current physical line (the reader counts) */
    int section_line[8];
    nlif_error *err;
    int failed;
    int indented;    /* the current line starts with white space (an inih continuation line) */
    int too_long;    /* first line longer than inih's buffer, or 0 */
} parse_state;

static void where(const parse_state *ps, const entry *e, char *buf, size_t len)
{
    if (!e)
        snprintf(buf, len, "%s", ps->file);
    else if (e->line > 0)
        snprintf(buf, len, "%s:%d", ps->file, e->line);
    else
        snprintf(buf, len, "--set %s.%s=%s", e->section, e->name, e->value);
}

static int section_index(const char *s)
{
    for (int i = 0; sections[i]; i++)
        if (strcmp(sections[i], s) == 0)
            return i;
    return -1;
}

static void allowed_keys(const char *section, char *buf, size_t len)
{
    buf[0] = '\0';
    for (const key_spec *k = keys; k->section; k++) {
        if (strcmp(k->section, section))
            continue;
        if (buf[0])
            strncat(buf, ", ", len - strlen(buf) - 1);
        strncat(buf, k->name, len - strlen(buf) - 1);
    }
    if (!buf[0])
        snprintf(buf, len, "none yet");
}

static const key_spec *find_key(const char *section, const char *name)
{
    for (const key_spec *k = keys; k->section; k++)
        if (!strcmp(k->section, section) && !strcmp(k->name, name))
            return k;
    return NULL;
}

static entry *find_entry(parse_state *ps, const char *section, const char *name)
{
    for (int i = 0; i < ps->n; i++)
        if (!strcmp(ps->e[i].section, section) && !strcmp(ps->e[i].name, name))
            return &ps->e[i];
    return NULL;
}

/* [options]: "scheme.option = value", checked against the scheme's option table (the scheme must be
 * registered, the option must exist, the value must be valid for it). Kept as entries of section
 * "options" with the name "scheme.option"; apply() copies them into cs->options. */
static int add_option(parse_state *ps, const char *name, const char *value, int line, const char *loc)
{
    const char *dot = strchr(name, '.');
    char scheme[NLIF_NAME_MAX], opt[NLIF_NAME_MAX];
    if (!dot || dot == name || !dot[1] || (size_t)(dot - name) >= sizeof scheme || strlen(dot + 1) >= sizeof opt)
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: [options] key '%s' is not of the form scheme.option", loc, name);
    snprintf(scheme, sizeof scheme, "%.*s", (int)(dot - name), name);
    snprintf(opt, sizeof opt, "%s", dot + 1);
    const nlif_scheme_type *st = nlif_scheme_find(scheme);
    if (!st)
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: [options] names an unknown scheme '%s' (see nlif run --help)", loc, scheme);
    if (strlen(value) >= NLIF_NAME_MAX)
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: value of '%s' too long (at most %d characters)", loc, name, NLIF_NAME_MAX - 1);
    nlif_optset o;
    nlif_error e2 = {0};
    if (nlif_optset_init(&o, st->options, &e2) || nlif_optset_set(&o, opt, value, &e2))
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: [options] %s: %s", loc, name, e2.msg);
    entry *old = find_entry(ps, "options", name);
    if (old) {
        if (line > 0)
            return nlif_fail(ps->err, NLIF_EINVAL, "%s: key '%s' in [options] given twice (first at line %d)", loc, name, old->line);
        snprintf(old->value, sizeof old->value, "%s", value);
        old->line = 0;
        return NLIF_OK;
    }
    int n_opt = 0;
    for (int i = 0; i < ps->n; i++)
        n_opt += !strcmp(ps->e[i].section, "options");
    if (n_opt == NLIF_MAX_CASE_OPTIONS)
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: too many [options] (at most %d)", loc, NLIF_MAX_CASE_OPTIONS);
    if (ps->n == MAX_ENTRIES)
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: too many keys (at most %d)", loc, MAX_ENTRIES);
    entry *e = &ps->e[ps->n++];
    snprintf(e->section, sizeof e->section, "options");
    snprintf(e->name, sizeof e->name, "%s", name);
    snprintf(e->value, sizeof e->value, "%s", value);
    e->line = line;
    e->used = 1;
    return NLIF_OK;
}

static int add_entry(parse_state *ps, const char *section, const char *name, const char *value, int line)
{
    char loc[600];
    if (line > 0)
        snprintf(loc, sizeof loc, "%s:%d", ps->file, line);
    else
        snprintf(loc, sizeof loc, "--set %s.%s=%s", section, name, value);
    if (!strcmp(section, "options"))
        return add_option(ps, name, value, line, loc);
    int si = section_index(section);
    if (si < 0) {
        if (!section[0])
            return nlif_fail(ps->err, NLIF_EINVAL, "%s: key '%s' outside any section (allowed sections: case, model, initial, input, structure, run, expect, options)", loc, name);
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: unknown section [%s] (allowed: case, model, initial, input, structure, run, expect, options)", loc, section);
    }
    if (!find_key(section, name)) {
        char allowed[1024];
        allowed_keys(section, allowed, sizeof allowed);
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: unknown key '%s' in [%s] (allowed: %s)", loc, name, section, allowed);
    }
    entry *old = find_entry(ps, section, name);
    if (old) {
        if (line > 0)
            return nlif_fail(ps->err, NLIF_EINVAL, "%s: key '%s' in [%s] given twice (first at line %d)", loc, name, section, old->line);
        /* --set replaces the file's value */
        snprintf(old->value, sizeof old->value, "%s", value);
        old->line = 0;
        return NLIF_OK;
    }
    if (ps->n == MAX_ENTRIES)
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: too many keys (at most %d)", loc, MAX_ENTRIES);
    if (strlen(value) >= VALUE_MAX)
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: value of '%s' too long (at most %d characters)", loc, name, VALUE_MAX - 1);
    entry *e = &ps->e[ps->n++];
    snprintf(e->section, sizeof e->section, "%s", section);
    snprintf(e->name, sizeof e->name, "%s", name);
    snprintf(e->value, sizeof e->value, "%s", value);
    e->line = line;
    e->used = 0;
    if (si < 8 && !ps->section_line[si])
        ps->section_line[si] = line;
    return NLIF_OK;
}

static int ini_cb(void *user, const char *section, const char *name, const char *value)
{
    parse_state *ps = user;
    if (ps->failed)
        return 0;
    if (!name) /* section header with INI_CALL_HANDLER_ON_NEW_SECTION */
        return 1;
    entry *last = ps->n ? &ps->e[ps->n - 1] : NULL;
    if (ps->indented && last && !strcmp(last->section, section) && !strcmp(last->name, name)) {
        /* Continuation line: the value goes on (list items are separated by commas). */
        const key_spec *k = find_key(section, name);
        const char *sep = k && (k->k == K_BLOCKS || k->k == K_POINTS || k->k == K_TIMES || k->k == K_TAGS) ? ", " : " ";
        if (strlen(last->value) + strlen(sep) + strlen(value) >= sizeof last->value) {
            nlif_fail(ps->err, NLIF_EINVAL, "%s:%d: value of '%s' too long (at most %d characters)", ps->file, ps->line, name, VALUE_MAX - 1);
            ps->failed = 1;
            return 0;
        }
        strcat(last->value, sep);
        strcat(last->value, value);
        return 1;
    }
    if (add_entry(ps, section, name, value, ps->line)) {
        ps->failed = 1;
        return 0;
    }
    return 1;
}

/* Line reader for ini_parse_stream that counts lines, so the handler knows where it is. */
typedef struct line_source {
    const char *p;
    parse_state *ps;
} line_source;

static char *reader(char *str, int num, void *stream)
{
    line_source *src = stream;
    if (!*src->p)
        return NULL;
    int i = 0, len = 0;
    while (src->p[len] && src->p[len] != '\n')
        len++;
    src->ps->line++;
    if (len >= num - 1) {
        /* inih would split the line silently: refuse it instead (continuation lines work). */
        if (!src->ps->too_long)
            src->ps->too_long = src->ps->line;
        src->p += len + (src->p[len] == '\n');
        str[0] = '\0';
        return str;
    }
    i = len + (src->p[len] == '\n');
    memcpy(str, src->p, i);
    str[i] = '\0';
    src->p += i;
    src->ps->indented = str[0] == ' ' || str[0] == '\t';
    return str;
}

/* ------------------------------------------------------------------------------------------------ */
/* Values. */

static int parse_double(const char *s, double *x)
{
    char *end;
    errno = 0;
    *x = strtod(s, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    return end != s && !*end && errno != ERANGE && isfinite(*x);
}

/* Split "a b c, a b c, ..." (',' between items, white space inside; ';' also separates items when
 * not preceded by white space, which inih would take for a comment). Returns the
 * number of items or -1 if an item does not have exactly `width` numbers. */
static int parse_rows(const char *s, int width, double *out, int max_items, char *why, size_t wlen)
{
    char buf[VALUE_MAX];
    snprintf(buf, sizeof buf, "%s", s);
    int n = 0;
    char *save = NULL;
    for (char *item = strtok_r(buf, ",;", &save); item; item = strtok_r(NULL, ",;", &save)) {
        int k = 0;
        char *save2 = NULL;
        int blank = 1;
        for (char *c = item; *c; c++)
            if (*c != ' ' && *c != '\t')
                blank = 0;
        if (blank)
            continue;
        if (n == max_items) {
            snprintf(why, wlen, "more than %d items", max_items);
            return -1;
        }
        for (char *tok = strtok_r(item, " \t", &save2); tok; tok = strtok_r(NULL, " \t", &save2)) {
            double x;
            if (k == width || !parse_double(tok, &x)) {
                snprintf(why, wlen, "item %d: expected %d numbers", n + 1, width);
                return -1;
            }
            out[n * width + k++] = x;
        }
        if (k != width) {
            snprintf(why, wlen, "item %d: expected %d numbers, got %d", n + 1, width, k);
            return -1;
        }
        n++;
    }
    return n;
}

static int enum_index(const char *choices, const char *v)
{
    size_t len = strlen(v);
    int k = 0;
    for (const char *p = choices; p; k++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && !strncasecmp(p, v, n))
            return k;
        p = bar ? bar + 1 : NULL;
    }
    return -1;
}

static void enum_text(const char *choices, int index, char *buf, size_t len)
{
    int k = 0;
    for (const char *p = choices; p; k++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (k == index) {
            snprintf(buf, len, "%.*s", (int)n, p);
            return;
        }
        p = bar ? bar + 1 : NULL;
    }
    snprintf(buf, len, "?");
}

static int set_value(nlif_case *cs, const key_spec *k, const char *v, const char *loc, nlif_error *err)
{
    char *base = (char *)cs + k->off;
    char why[256];
    switch (k->k) {
    case K_DOUBLE: {
        double x;
        if (!parse_double(v, &x))
            return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s = '%s' is not a finite number", loc, k->section, k->name, v);
        if (x < k->min || x > k->max || (k->excl_min && x == k->min)) {
            char lo[64], hi[64];
            snprintf(lo, sizeof lo, "%s %g", k->excl_min ? ">" : ">=", k->min);
            snprintf(hi, sizeof hi, "<= %g", k->max);
            return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s = %s is out of range (allowed: %s%s%s)", loc, k->section, k->name, v,
                             isinf(k->min) ? "" : lo, (!isinf(k->min) && !isinf(k->max)) ? " and " : "", isinf(k->max) ? "" : hi);
        }
        *(double *)base = x;
        return NLIF_OK;
    }
    case K_INT:
    case K_LONG:
    case K_U64: {
        double x;
        if (k->k == K_U64) {
            char *end;
            errno = 0;
            unsigned long long u = strtoull(v, &end, 10);
            if (end == v || *end || errno == ERANGE || v[0] == '-')
                return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s = '%s' is not a non-negative integer (allowed: 0 to 18446744073709551615)", loc, k->section, k->name, v);
            *(uint64_t *)base = (uint64_t)u;
            return NLIF_OK;
        }
        if (!parse_double(v, &x) || x != floor(x))
            return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s = '%s' is not an integer (allowed: %g to %g)", loc, k->section, k->name, v, k->min, k->max);
        if (x < k->min || x > k->max)
            return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s = %s is out of range (allowed: %g to %g)", loc, k->section, k->name, v, k->min, k->max);
        if (k->k == K_INT)
            *(int *)base = (int)x;
        else
            *(long *)base = (long)x;
        return NLIF_OK;
    }
    case K_BOOL: {
        int t = !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") || !strcmp(v, "1");
        int f = !strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off") || !strcmp(v, "0");
        if (!t && !f)
            return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s = '%s' is not a boolean (allowed: true, false)", loc, k->section, k->name, v);
        *(int *)base = t;
        return NLIF_OK;
    }
    case K_ENUM: {
        int i = enum_index(k->choices, v);
        if (i < 0)
            return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s = '%s' is not allowed (allowed: %s)", loc, k->section, k->name, v, k->choices);
        *(int *)base = i;
        return NLIF_OK;
    }
    case K_TEXT:
        snprintf(base, NLIF_TEXT_MAX, "%s", v);
        return NLIF_OK;
    case K_CHECKS: {
        char buf[VALUE_MAX], *save = NULL;
        snprintf(buf, sizeof buf, "%s", v);
        for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
            int ok = 0;
            for (int c = 0; check_names[c]; c++)
                ok |= !strcmp(t, check_names[c]);
            if (!ok)
                return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s: unknown check '%s' (allowed: %s)", loc, k->section, k->name, t, NLIF_CHECK_NAMES);
        }
        snprintf(base, NLIF_TEXT_MAX, "%s", v);
        return NLIF_OK;
    }
    case K_CAPS: {
        char buf[VALUE_MAX], *save = NULL;
        unsigned flags = 0;
        snprintf(buf, sizeof buf, "%s", v);
        for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
            unsigned f = nlif_capability_flag(t);
            if (!f)
                return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s: unknown capability '%s' (allowed: %s)", loc, k->section, k->name, t, NLIF_CAPABILITY_NAMES);
            flags |= f;
        }
        *(unsigned *)base = flags;
        return NLIF_OK;
    }
    case K_TAGS: {
        char buf[VALUE_MAX], *save = NULL;
        snprintf(buf, sizeof buf, "%s", v);
        cs->n_tags = 0;
        for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
            if (cs->n_tags == NLIF_MAX_TAGS)
                return nlif_fail(err, NLIF_EINVAL, "%s: case.tags: more than %d tags", loc, NLIF_MAX_TAGS);
            snprintf(cs->tags[cs->n_tags++], NLIF_NAME_MAX, "%s", t);
        }
        return NLIF_OK;
    }
    case K_BLOCKS: {
        double rows[3 * NLIF_MAX_POINTS];
        int n = parse_rows(v, 3, rows, NLIF_MAX_POINTS, why, sizeof why);
        if (n < 0)
            return nlif_fail(err, NLIF_EINVAL, "%s: initial.blocks: %s (allowed: 'lo hi density, ...')", loc, why);
        if (n == 0 && v[0])
            return nlif_fail(err, NLIF_EINVAL, "%s: initial.blocks: no block given (allowed: 'lo hi density, ...')", loc);
        for (int i = 0; i < n; i++) {
            if (!(rows[3 * i] < rows[3 * i + 1]) || rows[3 * i + 2] < 0)
                return nlif_fail(err, NLIF_EINVAL, "%s: initial.blocks: block %d needs lo < hi and density >= 0", loc, i + 1);
            cs->initial.lo[i] = rows[3 * i];
            cs->initial.hi[i] = rows[3 * i + 1];
            cs->initial.dens[i] = rows[3 * i + 2];
        }
        cs->initial.n_blocks = n;
        return NLIF_OK;
    }
    case K_POINTS: {
        double rows[2 * NLIF_MAX_POINTS];
        int n = parse_rows(v, 2, rows, NLIF_MAX_POINTS, why, sizeof why);
        if (n < 0)
            return nlif_fail(err, NLIF_EINVAL, "%s: initial.points: %s (allowed: 'v p, v p, ...')", loc, why);
        if (n == 1 || (n == 0 && v[0]))
            return nlif_fail(err, NLIF_EINVAL, "%s: initial.points: at least 2 points needed", loc);
        for (int i = 0; i < n; i++) {
            if ((i && rows[2 * i] < rows[2 * i - 2]) || rows[2 * i + 1] < 0)
                return nlif_fail(err, NLIF_EINVAL, "%s: initial.points: point %d: v must not decrease and p must be >= 0", loc, i + 1);
            cs->initial.tv[i] = rows[2 * i];
            cs->initial.tp[i] = rows[2 * i + 1];
        }
        cs->initial.n_points = n;
        return NLIF_OK;
    }
    case K_TIMES: {
        char buf[VALUE_MAX], *save = NULL;
        snprintf(buf, sizeof buf, "%s", v);
        int n = 0;
        for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
            double x;
            if (n == NLIF_MAX_SNAPSHOTS)
                return nlif_fail(err, NLIF_EINVAL, "%s: run.snapshots: more than %d times", loc, NLIF_MAX_SNAPSHOTS);
            if (!parse_double(t, &x) || x < 0)
                return nlif_fail(err, NLIF_EINVAL, "%s: run.snapshots: '%s' is not a time >= 0", loc, t);
            if (n && x <= cs->run.snapshots[n - 1])
                return nlif_fail(err, NLIF_EINVAL, "%s: run.snapshots: times must increase", loc);
            cs->run.snapshots[n++] = x;
        }
        cs->run.n_snapshots = n;
        return NLIF_OK;
    }
    }
    return NLIF_OK;
}

/* Does the key's `when` condition hold ("type=a|b": the value of SECTION.type is a or b)? */
static int condition_holds(const nlif_case *cs, const key_spec *k)
{
    if (!k->when)
        return 1;
    char sel[32];
    const char *eq = strchr(k->when, '=');
    snprintf(sel, sizeof sel, "%.*s", (int)(eq - k->when), k->when);
    const key_spec *s = find_key(k->section, sel);
    char now[32];
    enum_text(s->choices, *(const int *)((const char *)cs + s->off), now, sizeof now);
    return enum_index(eq + 1, now) >= 0;
}

void nlif_case_defaults(nlif_case *cs)
{
    memset(cs, 0, sizeof *cs);
    for (const key_spec *k = keys; k->section; k++) {
        const char *def = k->def;
        if (!def) /* required keys: a neutral value for hand-built cases */
            def = k->k == K_ENUM ? "gaussian" : k->k == K_TEXT ? "" : (!strcmp(k->name, "w_max") ? "1" : !strcmp(k->name, "t_final") ? "1" : "0");
        set_value(cs, k, def, "default", NULL);
    }
    cs->initial.mean = 0;
    cs->initial.sd = 0.5;
    snprintf(cs->name, sizeof cs->name, "custom");
}

/* Cross-field rules, checked after every key is in place. */
static int check_rules(nlif_case *cs, parse_state *ps, nlif_error *err)
{
    char loc[700];
#define LOC(sec, key) where(ps, find_entry(ps, sec, key), loc, sizeof loc)
    const nlif_model *m = &cs->model;
    if (!(m->v_r < m->v_f)) {
        LOC("model", find_entry(ps, "model", "v_r") ? "v_r" : "v_f");
        return nlif_fail(err, NLIF_EINVAL, "%s: V_R = %g must be below V_F = %g (allowed: v_r < v_f)", loc, m->v_r, m->v_f);
    }
    if (!(m->v_min < m->v_r)) {
        LOC("model", "v_min");
        return nlif_fail(err, NLIF_EINVAL, "%s: V_min = %g must be below V_R = %g (allowed: v_min < v_r)", loc, m->v_min, m->v_r);
    }
    if (nlif_grid_nodes(m, cs->run.dv, NULL, NULL)) {
        LOC("run", "dv");
        return nlif_fail(err, NLIF_EINVAL, "%s: run.dv = %g does not put V_R = %g and V_F = %g on grid nodes from V_min = %g "
                                           "(allowed: dv dividing V_R - V_min and V_F - V_R)", loc, cs->run.dv, m->v_r, m->v_f, m->v_min);
    }
    const nlif_initial *in = &cs->initial;
    if (in->type == NLIF_INIT_UNIFORM)
        for (int i = 0; i < in->n_blocks; i++)
            if (in->lo[i] < m->v_min || in->hi[i] > m->v_f) {
                LOC("initial", "blocks");
                return nlif_fail(err, NLIF_EINVAL, "%s: initial.blocks: block %d [%g, %g] leaves [V_min, V_F] = [%g, %g]", loc, i + 1, in->lo[i], in->hi[i], m->v_min, m->v_f);
            }
    if (in->type == NLIF_INIT_TABLE && (in->tv[0] < m->v_min || in->tv[in->n_points - 1] > m->v_f)) {
        LOC("initial", "points");
        return nlif_fail(err, NLIF_EINVAL, "%s: initial.points leave [V_min, V_F] = [%g, %g]", loc, m->v_min, m->v_f);
    }
    if (in->type == NLIF_INIT_STATIONARY && (m->a1 != 0 || (cs->input.type != NLIF_INPUT_NONE && cs->input.type != NLIF_INPUT_CONSTANT && cs->input.type != NLIF_INPUT_KICK))) {
        LOC("initial", "type");
        return nlif_fail(err, NLIF_EINVAL, "%s: initial.type = stationary needs a1 = 0 and a constant input before t0 (allowed input types: none, constant, kick)", loc);
    }
    const nlif_input *u = &cs->input;
    if (u->type == NLIF_INPUT_PULSE && !(u->t1 > u->t0)) {
        LOC("input", "t1");
        return nlif_fail(err, NLIF_EINVAL, "%s: input.t1 = %g must exceed input.t0 = %g", loc, u->t1, u->t0);
    }
    if (u->type == NLIF_INPUT_KICK && u->t0 > cs->run.t_final) {
        LOC("input", "t0");
        return nlif_fail(err, NLIF_EINVAL, "%s: input.t0 = %g is after run.t_final = %g", loc, u->t0, cs->run.t_final);
    }
    const nlif_structure *st = &cs->structure;
    if (st->enabled) {
        if (!(st->w_min < st->w_max)) {
            LOC("structure", "w_max");
            return nlif_fail(err, NLIF_EINVAL, "%s: structure.w_max = %g must exceed w_min = %g", loc, st->w_max, st->w_min);
        }
        double nw = (st->w_max - st->w_min) / cs->run.dw;
        if (fabs(nw - nearbyint(nw)) > 1e-8 * fmax(1, nw) || nearbyint(nw) < 1) {
            LOC("run", "dw");
            return nlif_fail(err, NLIF_EINVAL, "%s: run.dw = %g does not divide w_max - w_min = %g (allowed: (w_max - w_min)/dw a whole number)", loc, cs->run.dw, st->w_max - st->w_min);
        }
        if (st->rule == NLIF_RULE_LINEAR && (st->w_star < st->w_min || st->w_star > st->w_max)) {
            LOC("structure", "w_star");
            return nlif_fail(err, NLIF_EINVAL, "%s: structure.w_star = %g is outside [w_min, w_max] = [%g, %g]", loc, st->w_star, st->w_min, st->w_max);
        }
        if ((st->w_law == NLIF_WLAW_POINT || st->w_law == NLIF_WLAW_GAUSSIAN) && (st->w_mean < st->w_min || st->w_mean > st->w_max)) {
            LOC("structure", "w_mean");
            return nlif_fail(err, NLIF_EINVAL, "%s: structure.w_mean = %g is outside [w_min, w_max] = [%g, %g]", loc, st->w_mean, st->w_min, st->w_max);
        }
    }
    for (int i = 0; i < cs->run.n_snapshots; i++)
        if (cs->run.snapshots[i] > cs->run.t_final) {
            LOC("run", "snapshots");
            return nlif_fail(err, NLIF_EINVAL, "%s: run.snapshots: %g is after run.t_final = %g", loc, cs->run.snapshots[i], cs->run.t_final);
        }
    if (cs->run.dt > cs->run.t_final) {
        LOC("run", "dt");
        return nlif_fail(err, NLIF_EINVAL, "%s: run.dt = %g exceeds run.t_final = %g", loc, cs->run.dt, cs->run.t_final);
    }
#undef LOC
    return NLIF_OK;
}

static int apply(nlif_case *cs, parse_state *ps, nlif_error *err)
{
    /* Structured iff the file (or --set) has a [structure] key. */
    int structured = 0;
    for (int i = 0; i < ps->n; i++)
        structured |= !strcmp(ps->e[i].section, "structure");
    char loc[700];
    const key_spec *missing = NULL;
    /* Two passes: selectors (enums) first so that `when` conditions can be evaluated. */
    for (int pass = 0; pass < 2; pass++) {
        for (const key_spec *k = keys; k->section; k++) {
            if ((k->k == K_ENUM) != (pass == 0))
                continue;
            if (!strcmp(k->section, "structure") && !structured)
                continue;
            entry *e = find_entry(ps, k->section, k->name);
            int applies = condition_holds(cs, k);
            if (e) {
                where(ps, e, loc, sizeof loc);
                if (!applies)
                    return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s is used only with %s (remove it, or change the selector)", loc, k->section, k->name, k->when);
                int rc = set_value(cs, k, e->value, loc, err);
                if (rc)
                    return rc;
                e->used = 1;
            } else if (applies && !missing && (k->required == REQUIRED || (k->required == REQUIRED_WHEN && k->when)))
                missing = k; /* reported after every given value has been checked */
        }
    }
    if (missing) {
        where(ps, NULL, loc, sizeof loc);
        return nlif_fail(err, NLIF_EINVAL, "%s: missing required key %s.%s%s%s%s (%s)", loc, missing->section, missing->name,
                         missing->when ? " (needed when " : "", missing->when ? missing->when : "", missing->when ? ")" : "", missing->doc);
    }
    cs->structure.enabled = structured;
    cs->n_options = 0;
    for (int i = 0; i < ps->n; i++) {
        if (strcmp(ps->e[i].section, "options"))
            continue;
        nlif_case_option *o = &cs->options[cs->n_options++];
        const char *dot = strchr(ps->e[i].name, '.');
        snprintf(o->scheme, sizeof o->scheme, "%.*s", (int)(dot - ps->e[i].name), ps->e[i].name);
        snprintf(o->name, sizeof o->name, "%s", dot + 1);
        snprintf(o->value, sizeof o->value, "%s", ps->e[i].value);
    }
    return check_rules(cs, ps, err);
}

static void name_from_path(const char *path, char *name, size_t len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(name, len, "%s", base);
    char *dot = strrchr(name, '.');
    if (dot && !strcmp(dot, ".ini"))
        *dot = '\0';
}

int nlif_case_parse_string(nlif_case *cs, const char *text, const char *filename, const char *const *sets, int n_sets, nlif_error *err)
{
    parse_state *ps = calloc(1, sizeof *ps);
    if (!ps)
        return nlif_fail(err, NLIF_ENOMEM, "case parser");
    ps->file = filename;
    ps->err = err;
    nlif_case_defaults(cs);
    /* The required keys have no default: clear the ones the hand-built defaults filled in. */
    cs->description[0] = '\0';
    int rc = NLIF_OK;
    line_source src = {text, ps};
    int bad = ini_parse_stream(reader, &src, ini_cb, ps);
    if (ps->too_long)
        rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: line too long (allowed: at most 199 characters; continue a long value on indented lines)", filename, ps->too_long);
    else if (ps->failed)
        rc = err ? err->code : NLIF_EINVAL;
    else if (bad > 0)
        rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: not a 'key = value' line or a [section] header (allowed: INI syntax, ';' or '#' comments)", filename, bad);
    else if (bad < 0)
        rc = nlif_fail(err, NLIF_EIO, "%s: cannot parse", filename);
    for (int i = 0; !rc && i < n_sets; i++) {
        const char *s = sets[i], *dot = strchr(s, '.'), *eq = strchr(s, '=');
        if (!dot || !eq || dot > eq || dot == s || eq == dot + 1) {
            rc = nlif_fail(err, NLIF_EINVAL, "--set %s: not of the form section.key=value", s);
            break;
        }
        char section[32], name[64];
        snprintf(section, sizeof section, "%.*s", (int)(dot - s), s);
        snprintf(name, sizeof name, "%.*s", (int)(eq - dot - 1), dot + 1);
        rc = add_entry(ps, section, name, eq + 1, 0);
    }
    if (!rc)
        rc = apply(cs, ps, err);
    if (!rc) {
        snprintf(cs->path, sizeof cs->path, "%s", filename);
        name_from_path(filename, cs->name, sizeof cs->name);
    }
    free(ps);
    return rc;
}

int nlif_case_load(nlif_case *cs, const char *name_or_path, const char *const *sets, int n_sets, nlif_error *err)
{
    char path[4200];
    if (strchr(name_or_path, '/') || strstr(name_or_path, ".ini"))
        snprintf(path, sizeof path, "%s", name_or_path);
    else
        snprintf(path, sizeof path, "%s/cases/%s.ini", nlif_root(), name_or_path);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!strchr(name_or_path, '/') && !strstr(name_or_path, ".ini"))
            return nlif_fail(err, NLIF_EINVAL, "no case named '%s' (looked for %s; `nlif list` shows the catalogue)", name_or_path, path);
        return nlif_fail(err, NLIF_EINVAL, "cannot open case file %s: %s", path, strerror(errno));
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + got + 1 > cap) {
            cap = 2 * (len + got + 1);
            char *t = realloc(text, cap);
            if (!t) {
                free(text);
                fclose(f);
                return nlif_fail(err, NLIF_ENOMEM, "reading %s", path);
            }
            text = t;
        }
        memcpy(text + len, chunk, got);
        len += got;
    }
    fclose(f);
    if (!text) {
        text = strdup("");
        if (!text)
            return nlif_fail(err, NLIF_ENOMEM, "reading %s", path);
    }
    text[len] = '\0';
    /* Show catalogue cases by their path relative to the root. */
    const char *shown = path;
    size_t rl = strlen(nlif_root());
    if (!strncmp(path, nlif_root(), rl) && path[rl] == '/')
        shown = path + rl + 1;
    int rc = nlif_case_parse_string(cs, text, shown, sets, n_sets, err);
    free(text);
    return rc;
}

static int cmp_names(const void *a, const void *b) { return strcmp(a, b); }

int nlif_catalogue(char names[][NLIF_NAME_MAX], int max, int *n, nlif_error *err)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/cases", nlif_root());
    DIR *d = opendir(dir);
    if (!d)
        return nlif_fail(err, NLIF_EIO, "cannot open the catalogue %s: %s", dir, strerror(errno));
    *n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".ini") || l - 4 >= NLIF_NAME_MAX)
            continue;
        if (*n == max) {
            closedir(d);
            return nlif_fail(err, NLIF_EINVAL, "more than %d cases in %s", max, dir);
        }
        snprintf(names[(*n)++], NLIF_NAME_MAX, "%.*s", (int)(l - 4), de->d_name);
    }
    closedir(d);
    qsort(names, *n, NLIF_NAME_MAX, cmp_names);
    return NLIF_OK;
}

static void value_text(const nlif_case *cs, const key_spec *k, char *buf, size_t len)
{
    const char *base = (const char *)cs + k->off;
    buf[0] = '\0';
    switch (k->k) {
    case K_DOUBLE: snprintf(buf, len, "%.15g", *(const double *)base); break;
    case K_INT: snprintf(buf, len, "%d", *(const int *)base); break;
    case K_LONG: snprintf(buf, len, "%ld", *(const long *)base); break;
    case K_U64: snprintf(buf, len, "%llu", (unsigned long long)*(const uint64_t *)base); break;
    case K_BOOL: snprintf(buf, len, "%s", *(const int *)base ? "true" : "false"); break;
    case K_ENUM: enum_text(k->choices, *(const int *)base, buf, len); break;
    case K_TEXT:
    case K_CHECKS: snprintf(buf, len, "%s", base); break;
    case K_CAPS:
        for (unsigned f = 1; f; f <<= 1)
            if ((*(const unsigned *)base & f) && nlif_capability_name(f))
                snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? ", " : "", nlif_capability_name(f));
        break;
    case K_TAGS:
        for (int i = 0; i < cs->n_tags; i++)
            snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "", cs->tags[i]);
        break;
    case K_BLOCKS:
        for (int i = 0; i < cs->initial.n_blocks; i++)
            snprintf(buf + strlen(buf), len - strlen(buf), "%s%.15g %.15g %.15g", i ? ", " : "", cs->initial.lo[i], cs->initial.hi[i], cs->initial.dens[i]);
        break;
    case K_POINTS:
        for (int i = 0; i < cs->initial.n_points; i++)
            snprintf(buf + strlen(buf), len - strlen(buf), "%s%.15g %.15g", i ? ", " : "", cs->initial.tv[i], cs->initial.tp[i]);
        break;
    case K_TIMES:
        for (int i = 0; i < cs->run.n_snapshots; i++)
            snprintf(buf + strlen(buf), len - strlen(buf), "%s%.15g", i ? ", " : "", cs->run.snapshots[i]);
        break;
    }
}

/* "name = value", long values continued on indented lines (the parser's line limit is 199): lists
 * break after an item (the continuation adds the comma back), text after a word. */
static void write_wrapped(FILE *f, const key_spec *k, const char *value)
{
    const int width = 150;
    int list = k->k == K_BLOCKS || k->k == K_POINTS || k->k == K_TIMES || k->k == K_TAGS || k->k == K_CHECKS || k->k == K_CAPS;
    fprintf(f, "%s = ", k->name);
    const char *p = value;
    int first = 1;
    while (strlen(p) > (size_t)width) {
        /* the last separator before the width */
        const char *cut = NULL;
        for (const char *q = p; q < p + width; q++)
            if (list ? (q[0] == ',' && q[1] == ' ') : q[0] == ' ')
                cut = q;
        if (!cut)
            break;
        fprintf(f, "%s%.*s\n", first ? "" : "    ", (int)(cut - p), p);
        p = cut + (list ? 2 : 1);
        first = 0;
    }
    fprintf(f, "%s%s\n", first ? "" : "    ", p);
}

void nlif_case_write_ini(FILE *f, const nlif_case *cs)
{
    fprintf(f, "; case %s (%s), validated, every default filled in\n", cs->name, cs->path);
    for (int s = 0; sections[s]; s++) {
        if (!strcmp(sections[s], "structure") && !cs->structure.enabled)
            continue;
        int header = 0;
        for (const key_spec *k = keys; k->section; k++) {
            if (strcmp(k->section, sections[s]) || !condition_holds(cs, k))
                continue;
            if (!header++)
                fprintf(f, "\n[%s]\n", sections[s]);
            char buf[VALUE_MAX];
            value_text(cs, k, buf, sizeof buf);
            write_wrapped(f, k, buf);
        }
    }
    if (cs->n_options)
        fprintf(f, "\n[options]\n");
    for (int i = 0; i < cs->n_options; i++)
        fprintf(f, "%s.%s = %s\n", cs->options[i].scheme, cs->options[i].name, cs->options[i].value);
}

int nlif_case_apply_options(const nlif_case *cs, const char *scheme, nlif_optset *o, nlif_error *err)
{
    for (int i = 0; i < cs->n_options; i++)
        if (!strcmp(cs->options[i].scheme, scheme) && nlif_optset_set(o, cs->options[i].name, cs->options[i].value, err))
            return err ? err->code : NLIF_EINVAL;
    return NLIF_OK;
}

void nlif_case_print_keys(FILE *f)
{
    for (int s = 0; sections[s]; s++) {
        fprintf(f, "[%s]\n", sections[s]);
        for (const key_spec *k = keys; k->section; k++) {
            if (strcmp(k->section, sections[s]))
                continue;
            fprintf(f, "  %-12s %s", k->name, k->doc);
            if (k->choices)
                fprintf(f, " {%s}", k->choices);
            if (k->def && k->required != REQUIRED_WHEN)
                fprintf(f, " [default %s]", k->def[0] ? k->def : "empty");
            if (k->required == REQUIRED)
                fprintf(f, " [required]");
            else if (k->required == REQUIRED_WHEN)
                fprintf(f, " [required when %s]", k->when);
            else if (k->when)
                fprintf(f, " [only when %s]", k->when);
            fputc('\n', f);
        }
    }
    fprintf(f, "[options]\n  %-12s %s\n", "S.NAME",
            "option NAME of scheme S for every run of S on this case (value checked against S's options; "
            "--opt on the command line wins; printed in every result)");
}
