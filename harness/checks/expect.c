/* expect.c — the [expect] keys of the checks (nlif_check.h): each check declares the keys it reads
 * in its own table (nlif_check_type.expect); here the lookup over the registry, the validation of a
 * case's [expect] section at the edge (the names in `checks`, every other key and its value, with
 * FILE:LINE), the one accessor the checks read their bounds through, and the two views of the
 * keys: a case written back with every default (`nlif show`) and the key documentation
 * (`nlif show --keys`). The case format (harness/case/) keeps these keys as text and knows none of
 * them: adding a check with a bound touches its file and registry.c, never nlif_case. */
#include "nlif_check.h"

#include "../case/nlif_case.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const nlif_check_type *const *registry(const nlif_check_type *const *reg) { return reg ? reg : nlif_checks; }

const nlif_expect_spec *nlif_check_bound_spec(const nlif_check_type *const *reg, const char *key)
{
    reg = registry(reg);
    for (int i = 0; reg[i]; i++)
        for (const nlif_expect_spec *sp = reg[i]->expect; sp && sp->name; sp++)
            if (!strcmp(sp->name, key))
                return sp;
    return NULL;
}

/* Is SP, of check I, the first declaration of its key in REG (the one that documents it)? Checks may
 * share a table, so the test is by position, not by pointer. */
static int first_declaration(const nlif_check_type *const *reg, int i, const nlif_expect_spec *sp)
{
    for (int j = 0; j < i; j++)
        for (const nlif_expect_spec *q = reg[j]->expect; q && q->name; q++)
            if (!strcmp(q->name, sp->name))
                return 0;
    for (const nlif_expect_spec *q = reg[i]->expect; q != sp; q++)
        if (!strcmp(q->name, sp->name))
            return 0;
    return 1;
}

/* The text of the allowed range of SP ("> 0 and <= 1", ">= 0", "3 to 8"). */
static void allowed_text(const nlif_expect_spec *sp, char *buf, size_t len)
{
    if (sp->integer) {
        snprintf(buf, len, "a whole number, %g to %g", sp->min, sp->max);
        return;
    }
    char lo[64] = "", hi[64] = "";
    if (!isinf(sp->min))
        snprintf(lo, sizeof lo, "%s %g", sp->excl_min ? ">" : ">=", sp->min);
    if (!isinf(sp->max))
        snprintf(hi, sizeof hi, "<= %g", sp->max);
    snprintf(buf, len, "%s%s%s", lo, lo[0] && hi[0] ? " and " : "", hi);
}

/* TEXT as a value of SP into *x; else what is wrong, into why. The conversion of the case format
 * (nlif_case_parse_double), so that a bound is the same double it always was. */
static int spec_value(const nlif_expect_spec *sp, const char *text, double *x, char *why, size_t len)
{
    if (!nlif_case_parse_double(text, x)) {
        snprintf(why, len, "'%s' is not a %s", text, sp->integer ? "whole number" : "finite number");
        return 0;
    }
    if (sp->integer && *x != floor(*x)) {
        snprintf(why, len, "'%s' is not a whole number", text);
        return 0;
    }
    if (*x < sp->min || *x > sp->max || (sp->excl_min && *x == sp->min)) {
        snprintf(why, len, "%s is out of range", text);
        return 0;
    }
    return 1;
}

/* The value of KEY in the entries E, else its default. */
static double bound_of(const nlif_check_type *const *reg, const nlif_expect *e, const char *key)
{
    const nlif_expect_spec *sp = nlif_check_bound_spec(reg, key);
    if (!sp)
        return NAN;
    const char *text = sp->def;
    for (int i = 0; i < e->n_bounds; i++)
        if (!strcmp(e->bounds[i].key, key))
            text = e->bounds[i].value;
    double x;
    return nlif_case_parse_double(text, &x) ? x : NAN;
}

double nlif_check_bound_in(const nlif_check_type *const *reg, const nlif_case *cs, const char *key)
{
    return bound_of(reg, &cs->expect, key);
}

double nlif_check_bound(const nlif_case *cs, const char *key) { return nlif_check_bound_in(NULL, cs, key); }

static int same_spec(const nlif_expect_spec *a, const nlif_expect_spec *b)
{
    return a->integer == b->integer && !strcmp(a->def, b->def) && a->min == b->min && a->max == b->max &&
           a->excl_min == b->excl_min && !strcmp(a->doc, b->doc);
}

/* Is NAME in the comma-separated LIST? */
static int listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)); p += n)
        if ((p == list || p[-1] == ' ' || p[-1] == ',') && (p[n] == ',' || !p[n]))
            return 1;
    return 0;
}

int nlif_checks_registry_valid(const nlif_check_type *const *reg, nlif_error *err)
{
    reg = registry(reg);
    char own[512], why[256];
    nlif_case_section_keys("expect", own, sizeof own);
    int distinct = 0;
    for (int i = 0; reg[i]; i++)
        for (const nlif_expect_spec *sp = reg[i]->expect; sp && sp->name; sp++) {
            double x;
            size_t n = strspn(sp->name, "abcdefghijklmnopqrstuvwxyz0123456789_");
            if (!n || sp->name[n] || n >= NLIF_NAME_MAX) /* else no case could give it */
                return nlif_fail(err, NLIF_EINVAL, "check %s declares [expect] '%s' (allowed: 1 to %d of a-z, 0-9, '_')",
                                 reg[i]->name, sp->name, NLIF_NAME_MAX - 1);
            if (listed(own, sp->name))
                return nlif_fail(err, NLIF_EINVAL, "check %s declares [expect] %s, a key of the case format itself", reg[i]->name,
                                 sp->name);
            if (!sp->def || !sp->doc || !spec_value(sp, sp->def, &x, why, sizeof why))
                return nlif_fail(err, NLIF_EINVAL, "check %s: [expect] %s: default %s", reg[i]->name, sp->name,
                                 sp->def && sp->doc ? why : "or documentation missing");
            /* the first declaration is the key's; every later one must be the same */
            const nlif_expect_spec *first = nlif_check_bound_spec(reg, sp->name);
            if (first_declaration(reg, i, sp))
                distinct++;
            else if (!same_spec(first, sp))
                return nlif_fail(err, NLIF_EINVAL, "check %s declares [expect] %s unlike an earlier check (default %s vs %s, "
                                 "range [%g, %g] vs [%g, %g]): a key has one kind, default, range and meaning", reg[i]->name,
                                 sp->name, sp->def, first->def, sp->min, sp->max, first->min, first->max);
        }
    if (distinct > NLIF_MAX_EXPECT_BOUNDS)
        return nlif_fail(err, NLIF_EINVAL, "the checks declare %d [expect] keys (allowed: at most NLIF_MAX_EXPECT_BOUNDS = %d)",
                         distinct, NLIF_MAX_EXPECT_BOUNDS);
    return NLIF_OK;
}

/* "FILE:LINE" of a case entry, or the override that gave it. */
static void location(const nlif_case *cs, int line, const char *key, const char *value, char *buf, size_t len)
{
    if (line > 0)
        snprintf(buf, len, "%s:%d", cs->path, line);
    else
        snprintf(buf, len, "--set expect.%s=%.200s", key, value);
}

/* Every key a case may give in [expect], comma-separated: the case format's, then the checks'. */
static void allowed_keys(const nlif_check_type *const *reg, char *buf, size_t len)
{
    nlif_case_section_keys("expect", buf, len);
    for (int i = 0; reg[i]; i++)
        for (const nlif_expect_spec *sp = reg[i]->expect; sp && sp->name; sp++)
            if (first_declaration(reg, i, sp))
                snprintf(buf + strlen(buf), len - strlen(buf), ", %s", sp->name);
}

static int validate_checks(const nlif_check_type *const *reg, const nlif_case *cs, nlif_error *err)
{
    char buf[NLIF_TEXT_MAX], *save = NULL;
    snprintf(buf, sizeof buf, "%s", cs->expect.checks);
    for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
        const nlif_check_type *ct = NULL;
        for (int i = 0; reg[i] && !ct; i++)
            if (!strcmp(reg[i]->name, t) && !reg[i]->always)
                ct = reg[i];
        if (ct)
            continue;
        char loc[700], names[1024] = "";
        location(cs, cs->expect.checks_line, "checks", cs->expect.checks, loc, sizeof loc);
        for (int i = 0; reg[i]; i++)
            if (!reg[i]->always)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", names[0] ? ", " : "", reg[i]->name);
        return nlif_fail(err, NLIF_EINVAL, "%s: [expect] checks: unknown check '%s' (allowed: %s)", loc, t, names);
    }
    return NLIF_OK;
}

int nlif_checks_validate_expect_in(const nlif_check_type *const *reg, const nlif_case *cs, nlif_error *err)
{
    reg = registry(reg);
    int rc = nlif_checks_registry_valid(reg, err);
    if (!rc)
        rc = validate_checks(reg, cs, err);
    for (int i = 0; !rc && i < cs->expect.n_bounds; i++) {
        const nlif_expect_bound *b = &cs->expect.bounds[i];
        const nlif_expect_spec *sp = nlif_check_bound_spec(reg, b->key);
        char loc[700], why[256], allowed[1024];
        double x;
        location(cs, b->line, b->key, b->value, loc, sizeof loc);
        if (!sp) {
            allowed_keys(reg, allowed, sizeof allowed);
            rc = nlif_fail(err, NLIF_EINVAL, "%s: [expect] %s: no check declares this key (allowed: %s)", loc, b->key, allowed);
        } else if (!spec_value(sp, b->value, &x, why, sizeof why)) {
            allowed_text(sp, allowed, sizeof allowed);
            rc = nlif_fail(err, NLIF_EINVAL, "%s: [expect] %s: %s (allowed: %s)", loc, b->key, why, allowed);
        }
    }
    return rc;
}

int nlif_checks_validate_expect(const nlif_case *cs, nlif_error *err) { return nlif_checks_validate_expect_in(NULL, cs, err); }

int nlif_checks_load_case(nlif_case *cs, const char *name_or_path, const char *const *sets, int n_sets, nlif_error *err)
{
    int rc = nlif_case_load(cs, name_or_path, sets, n_sets, err);
    return rc ? rc : nlif_checks_validate_expect(cs, err);
}

void nlif_checks_complete_expect(nlif_case *cs)
{
    nlif_expect given = cs->expect;
    int n = 0;
    for (int i = 0; nlif_checks[i]; i++)
        for (const nlif_expect_spec *sp = nlif_checks[i]->expect; sp && sp->name; sp++) {
            if (!first_declaration(nlif_checks, i, sp) || n == NLIF_MAX_EXPECT_BOUNDS)
                continue;
            nlif_expect_bound *b = &cs->expect.bounds[n++];
            snprintf(b->key, sizeof b->key, "%s", sp->name);
            snprintf(b->value, sizeof b->value, "%.15g", bound_of(NULL, &given, sp->name));
            b->line = 0;
            for (int k = 0; k < given.n_bounds; k++)
                if (!strcmp(given.bounds[k].key, sp->name))
                    b->line = given.bounds[k].line;
        }
    /* keys no check declares (a case not validated): kept, after the others */
    for (int k = 0; k < given.n_bounds && n < NLIF_MAX_EXPECT_BOUNDS; k++)
        if (!nlif_check_bound_spec(NULL, given.bounds[k].key))
            cs->expect.bounds[n++] = given.bounds[k];
    cs->expect.n_bounds = n;
}

void nlif_checks_print_case_keys(FILE *f)
{
    for (int s = 0; nlif_case_sections[s]; s++) {
        nlif_case_print_section_keys(f, nlif_case_sections[s]);
        if (strcmp(nlif_case_sections[s], "expect"))
            continue;
        for (int i = 0; nlif_checks[i]; i++)
            for (const nlif_expect_spec *sp = nlif_checks[i]->expect; sp && sp->name; sp++)
                if (first_declaration(nlif_checks, i, sp))
                    fprintf(f, "  %-12s %s [default %s]\n", sp->name, sp->doc, sp->def);
    }
    nlif_case_print_section_keys(f, "options");
}
