/* case.c — case files: parse with inih, validate every key at the edge, fill defaults (nlif_case.h).
 *
 * One table (nlif_case_keys[], harness/case/case_keys.c) describes every key: section, name, kind, range,
 * default, when it applies and whether it is required, and its documentation. Parsing collects
 * (section, key, value, line) entries, --set overrides replace entries, then the table is applied in
 * order and cross-field rules are checked (here). Every message starts with the location of the
 * offending key. An [expect] key outside the table belongs to a check: it is kept as text with its
 * line (nlif_expect_bound), and the checks validate it above this layer (nlif_checks_validate_expect).
 */
#include "nlif_case.h"
#include "case_keys.h"
#include "../../core/nlif_scheme.h"
#include "../../core/nlif_mms.h"

#include "../../io/nlif_results.h"
#include "nlif_limits.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ------------------------------------------------------------------------------------------------ */
/* Entries as read from the file (and --set). */

#define MAX_ENTRIES 256

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
    int section_line[16];
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

/* An [expect] key the case format does not have: a check's own (a bound), kept as text for the
 * checks to validate (nlif_checks_validate_expect). */
static int is_bound(const entry *e) { return !strcmp(e->section, "expect") && !case_find_key("expect", e->name); }

static int count_bounds(const parse_state *ps)
{
    int n = 0;
    for (int i = 0; i < ps->n; i++)
        n += is_bound(&ps->e[i]);
    return n;
}

static int add_entry(parse_state *ps, const char *section, const char *name, const char *value, int line)
{
    char loc[600];
    line > 0 ? snprintf(loc, sizeof loc, "%s:%d", ps->file, line) : snprintf(loc, sizeof loc, "--set %s.%s=%s", section, name, value);
    if (!strcmp(section, "options"))
        return add_option(ps, name, value, line, loc);
    int si = case_section_index(section);
    if (si < 0) {
        if (!section[0])
            return nlif_fail(ps->err, NLIF_EINVAL, "%s: key '%s' outside any section (allowed sections: case, model, population_i, initial, input, structure, run, expect, options)", loc, name);
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: unknown section [%s] (allowed: case, model, population_i, initial, input, structure, run, expect, options)", loc, section);
    }
    int bound = !strcmp(section, "expect") && !case_find_key(section, name);
    if (bound && strlen(name) >= NLIF_NAME_MAX)
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: [expect] %.80s...: a key of %zu characters (allowed: at most %d)", loc, name,
                         strlen(name), NLIF_NAME_MAX - 1);
    /* a check's key is a name, and its value one line: both written back as they came */
    if (bound && !name[0])
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: [expect] a value without a key (allowed: KEY = VALUE)", loc);
    for (const char *c = name; bound && *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '_'))
            return nlif_fail(ps->err, NLIF_EINVAL, "%s: [expect] '%s' is not a key name (allowed: letters, digits, '_')", loc, name);
    for (const char *c = value; bound && *c; c++)
        if ((unsigned char)*c < ' ' && *c != '\t')
            return nlif_fail(ps->err, NLIF_EINVAL, "%s: [expect] %s: a control character in the value (allowed: one line of text)",
                             loc, name);
    if (!bound && !case_find_key(section, name)) {
        char allowed[1024];
        nlif_case_section_keys(section, allowed, sizeof allowed);
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: unknown key '%s' in [%s] (allowed: %s)", loc, name, section, allowed);
    }
    if (strlen(value) >= VALUE_MAX)
        return nlif_fail(ps->err, NLIF_EINVAL, "%.200s...: value of '%s' too long (%zu characters; allowed: at most %d)", loc, name, strlen(value), VALUE_MAX - 1);
    entry *old = find_entry(ps, section, name);
    if (old) {
        if (line > 0)
            return nlif_fail(ps->err, NLIF_EINVAL, "%s: key '%s' in [%s] given twice (first at line %d)", loc, name, section, old->line);
        /* --set replaces the file's value */
        snprintf(old->value, sizeof old->value, "%s", value);
        old->line = 0;
        return NLIF_OK;
    }
    if (bound && count_bounds(ps) == NLIF_MAX_EXPECT_BOUNDS)
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: [expect] %s: more than %d keys of the checks in one case (allowed: at most %d)",
                         loc, name, NLIF_MAX_EXPECT_BOUNDS, NLIF_MAX_EXPECT_BOUNDS);
    if (ps->n == MAX_ENTRIES)
        return nlif_fail(ps->err, NLIF_EINVAL, "%s: too many keys (at most %d)", loc, MAX_ENTRIES);
    entry *e = &ps->e[ps->n++];
    snprintf(e->section, sizeof e->section, "%s", section);
    snprintf(e->name, sizeof e->name, "%s", name);
    snprintf(e->value, sizeof e->value, "%s", value);
    e->line = line;
    e->used = 0;
    if (si < 16 && !ps->section_line[si])
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
        /* Continuation line: the value goes on (list items are separated by commas). An [options]
         * value was checked against its scheme as it came: it takes no continuation. */
        if (!strcmp(section, "options")) {
            nlif_fail(ps->err, NLIF_EINVAL, "%s:%d: an indented line continues the [options] value of '%s' (allowed: one line; "
                      "an indented line continues a value, so do not indent the next key)", ps->file, ps->line, name);
            ps->failed = 1;
            return 0;
        }
        const key_spec *k = case_find_key(section, name);
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

/* A [manufactured] case (MATHEMATICS.md 6b): initial law the family's at t = 0 and the other way round; a 1D model,
 * input none, constant or sine, the delay's and τ_R's rules, positive on [0, t_final] (nlif_mms_validate*). */
static int check_manufactured(const nlif_case *cs, parse_state *ps, nlif_error *err)
{
    char loc[700], why[400];
    int man = cs->manufactured.enabled, init = cs->initial.type == NLIF_INIT_MANUFACTURED;
    if (man != init) {
        where(ps, find_entry(ps, "initial", "type"), loc, sizeof loc);
        return nlif_fail(err, NLIF_EINVAL, "%s: initial.type = manufactured and a [manufactured] section go together "
                         "(allowed: both, or neither)", loc);
    }
    if (!man)
        return NLIF_OK;
    where(ps, find_entry(ps, "manufactured", "family"), loc, sizeof loc);
    if (cs->structure.enabled)
        return nlif_fail(err, NLIF_EINVAL, "%s: a manufactured solution of a structured case (allowed: the 1D model, "
                         "no [structure] section)", loc);
    if (cs->input.type != NLIF_INPUT_NONE && cs->input.type != NLIF_INPUT_CONSTANT && cs->input.type != NLIF_INPUT_SINE) {
        where(ps, find_entry(ps, "input", "type"), loc, sizeof loc);
        return nlif_fail(err, NLIF_EINVAL, "%s: input.type = %s with a manufactured solution (allowed: none, constant, "
                         "sine: the source holds dI/dt)", loc, nlif_input_type_name(cs->input.type));
    }
    const char *sec = "manufactured", *key = "amplitude"; /* the key at fault */
    if (nlif_mms_validate_terms(cs, &sec, &key, why, sizeof why) || nlif_mms_validate(cs, why, sizeof why)) {
        entry *e = find_entry(ps, sec, key);
        where(ps, e ? e : find_entry(ps, "manufactured", "slope"), loc, sizeof loc);
        return nlif_fail(err, NLIF_EINVAL, "%s: [manufactured] %s", loc, why);
    }
    return NLIF_OK;
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
    const char *lim_key;
    char lim_why[512];
    if (nlif_case_refractory_rules(cs, &lim_key, lim_why, sizeof lim_why) || nlif_case_population_rules(cs, &lim_key, lim_why, sizeof lim_why) ||
        nlif_limits_check_case(cs, &lim_key, lim_why, sizeof lim_why) ||
        nlif_case_check_delay(cs, &lim_key, lim_why, sizeof lim_why)) {
        /* the first of the keys at fault that the file or --set gives (refractory rules, limits, delay) */
        entry *e = NULL;
        char keys_at_fault[128], *save = NULL;
        snprintf(keys_at_fault, sizeof keys_at_fault, "%s", lim_key);
        for (char *t = strtok_r(keys_at_fault, " ", &save); t && !e; t = strtok_r(NULL, " ", &save)) {
            char *dot = strchr(t, '.');
            *dot = '\0';
            e = find_entry(ps, t, dot + 1);
        }
        where(ps, e, loc, sizeof loc);
        return nlif_fail(err, NLIF_EINVAL, "%s: %s", loc, lim_why);
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
    if ((in->type == NLIF_INIT_TABLE && in->n_points < 2) || (in->type == NLIF_INIT_UNIFORM && in->n_blocks < 1)) {
        LOC("initial", in->type == NLIF_INIT_TABLE ? "points" : "blocks");
        return nlif_fail(err, NLIF_EINVAL, "%s: initial.%s is empty (allowed: at least %s)", loc,
                         in->type == NLIF_INIT_TABLE ? "points" : "blocks", in->type == NLIF_INIT_TABLE ? "2 points 'v p, v p'" : "1 block 'lo hi density'");
    }
    if (in->type == NLIF_INIT_TABLE && (in->tv[0] < m->v_min || in->tv[in->n_points - 1] > m->v_f)) {
        LOC("initial", "points");
        return nlif_fail(err, NLIF_EINVAL, "%s: initial.points leave [V_min, V_F] = [%g, %g]", loc, m->v_min, m->v_f);
    }
    /* the stationary profile (MATHEMATICS.md 2) holds for a = a0 + a1 N at the root: a1 > 0 too */
    if (in->type == NLIF_INIT_STATIONARY && cs->input.type != NLIF_INPUT_NONE && cs->input.type != NLIF_INPUT_CONSTANT && cs->input.type != NLIF_INPUT_KICK) {
        LOC("initial", "type");
        return nlif_fail(err, NLIF_EINVAL, "%s: initial.type = stationary needs a constant input before t0 (allowed input types: none, constant, kick)", loc);
    }
    int rc = check_manufactured(cs, ps, err);
    if (rc)
        return rc;
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

/* Was the selector of K's `when` (SECTION.type) given by --set? Then a key of the file it excludes
 * belongs to the law the override replaced: dropped, not refused (the file's own: still refused). */
static int selector_overridden(const parse_state *ps, const key_spec *k)
{
    char name[64];
    const char *eq = k->when ? strchr(k->when, '=') : NULL;
    if (!eq || (size_t)(eq - k->when) >= sizeof name)
        return 0;
    snprintf(name, sizeof name, "%.*s", (int)(eq - k->when), k->when);
    for (int i = 0; i < ps->n; i++)
        if (!strcmp(ps->e[i].section, k->section) && !strcmp(ps->e[i].name, name))
            return ps->e[i].line == 0;
    return 0;
}

static int apply(nlif_case *cs, parse_state *ps, nlif_error *err)
{
    /* Structured iff the file (or --set) has a [structure] key. */
    int structured = 0, manufactured = 0, second = 0; /* [population_i]: two populations (MATHEMATICS.md 1.6) */
    for (int i = 0; i < ps->n; i++) {
        structured |= !strcmp(ps->e[i].section, "structure"), second |= !strcmp(ps->e[i].section, "population_i");
        manufactured |= !strcmp(ps->e[i].section, "manufactured");
    }
    char loc[700];
    const key_spec *missing = NULL;
    /* Two passes: selectors (enums) first so that `when` conditions can be evaluated. */
    for (int pass = 0; pass < 2; pass++) {
        for (const key_spec *k = nlif_case_keys; k->section; k++) {
            if ((k->k == K_ENUM) != (pass == 0))
                continue;
            if ((!strcmp(k->section, "structure") && !structured) || (!strcmp(k->section, "manufactured") && !manufactured) || (!strcmp(k->section, "population_i") && !second))
                continue;
            entry *e = find_entry(ps, k->section, k->name);
            int applies = case_condition_holds(cs, k);
            if (e) {
                where(ps, e, loc, sizeof loc);
                if (!applies && e->line > 0 && selector_overridden(ps, k)) {
                    e->used = 1;
                    continue;
                }
                if (!applies)
                    return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s is used only with %s (remove it, or change the selector)", loc, k->section, k->name, k->when);
                int rc = case_set_value(cs, k, e->value, loc, err);
                if (rc)
                    return rc;
                e->used = 1;
                if (k->k == K_CHECKS)
                    cs->expect.checks_line = e->line;
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
    cs->manufactured.enabled = manufactured;
    nlif_case_set_populations(cs, second ? 2 : 1);
    cs->expect.n_bounds = 0;
    for (int i = 0; i < ps->n; i++) {
        entry *e = &ps->e[i];
        if (!is_bound(e))
            continue;
        if (strlen(e->value) >= NLIF_NAME_MAX) {
            where(ps, e, loc, sizeof loc);
            return nlif_fail(err, NLIF_EINVAL, "%.200s: [expect] %s: a value of %zu characters (allowed: at most %d)", loc, e->name,
                             strlen(e->value), NLIF_NAME_MAX - 1);
        }
        /* the whole value, continuation lines included: it is written back on one line */
        for (const char *c = e->value; *c; c++)
            if ((unsigned char)*c < ' ' && *c != '\t') {
                where(ps, e, loc, sizeof loc);
                return nlif_fail(err, NLIF_EINVAL, "%.200s: [expect] %s: a control character in the value (allowed: one "
                                 "line of text)", loc, e->name);
            }
        nlif_expect_bound *b = &cs->expect.bounds[cs->expect.n_bounds++];
        snprintf(b->key, sizeof b->key, "%s", e->name);
        snprintf(b->value, sizeof b->value, "%s", e->value);
        b->line = e->line;
        e->used = 1;
    }
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
    if (!strchr(name_or_path, '/') && !strstr(name_or_path, ".ini") && access(path, F_OK))
        return nlif_fail(err, NLIF_EINVAL, "no case named '%s' (looked for %s; `nlif list` shows the catalogue)", name_or_path, path);
    char *text;
    int rd = nlif_read_text_bounded(path, NLIF_MAX_CASE_BYTES, &text, err);
    if (rd)
        return rd;
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

int nlif_case_apply_options(const nlif_case *cs, const char *scheme, nlif_optset *o, nlif_error *err)
{
    for (int i = 0; i < cs->n_options; i++)
        if (!strcmp(cs->options[i].scheme, scheme) && nlif_optset_set(o, cs->options[i].name, cs->options[i].value, err))
            return err ? err->code : NLIF_EINVAL;
    return NLIF_OK;
}


int nlif_case_states(const nlif_case *cs, const char *check)
{
    char buf[NLIF_TEXT_MAX], *save = NULL;
    snprintf(buf, sizeof buf, "%s", cs->expect.checks);
    for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save))
        if (!strcmp(t, check))
            return 1;
    return 0;
}
