/* nlif_options.c — option tables and validated values; see nlif_options.h. */
#include "nlif_options.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Index of VALUE among '|'-separated CHOICES, or -1. */
static int choice_index(const char *choices, const char *value)
{
    size_t len = strlen(value);
    int k = 0;
    for (const char *p = choices; p && *p; k++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && strncmp(p, value, n) == 0)
            return k;
        p = bar ? bar + 1 : NULL;
    }
    return -1;
}

static int choice_text(const char *choices, int index, char *buf, size_t len)
{
    int k = 0;
    for (const char *p = choices; p && *p; k++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (k == index) {
            if (n >= len)
                n = len - 1;
            memcpy(buf, p, n);
            buf[n] = '\0';
            return 0;
        }
        p = bar ? bar + 1 : NULL;
    }
    return -1;
}

int nlif_opt_index(const nlif_optset *o, const char *name)
{
    for (int i = 0; i < o->n; i++)
        if (strcmp(o->spec[i].name, name) == 0)
            return i;
    return -1;
}

static int parse_value(const nlif_option_spec *s, const char *value, double *out, nlif_error *err)
{
    char *end;
    switch (s->kind) {
    case NLIF_OPT_DOUBLE: {
        errno = 0;
        double x = strtod(value, &end);
        if (end == value || *end != '\0' || errno == ERANGE || !isfinite(x))
            return nlif_fail(err, NLIF_EINVAL, "option %s: '%s' is not a finite number", s->name, value);
        if (x < s->min || x > s->max)
            return nlif_fail(err, NLIF_EINVAL, "option %s: %s is out of range (allowed: %g to %g)", s->name,
                             value, s->min, s->max);
        *out = x;
        return NLIF_OK;
    }
    case NLIF_OPT_INT: {
        /* whole numbers in any form strtod reads, 1e+06 included (the form the help prints with %g) */
        errno = 0;
        double x = strtod(value, &end);
        if (end == value || *end != '\0' || errno == ERANGE || !isfinite(x) || x != floor(x))
            return nlif_fail(err, NLIF_EINVAL, "option %s: '%s' is not an integer", s->name, value);
        if (x < s->min || x > s->max)
            return nlif_fail(err, NLIF_EINVAL, "option %s: %s is out of range (allowed: %g to %g)", s->name,
                             value, s->min, s->max);
        *out = x;
        return NLIF_OK;
    }
    case NLIF_OPT_BOOL:
        if (!strcasecmp(value, "true") || !strcasecmp(value, "on") || !strcmp(value, "1") ||
            !strcasecmp(value, "yes")) {
            *out = 1;
            return NLIF_OK;
        }
        if (!strcasecmp(value, "false") || !strcasecmp(value, "off") || !strcmp(value, "0") ||
            !strcasecmp(value, "no")) {
            *out = 0;
            return NLIF_OK;
        }
        return nlif_fail(err, NLIF_EINVAL, "option %s: '%s' is not a boolean (allowed: true, false, on, off, 1, 0)",
                         s->name, value);
    case NLIF_OPT_ENUM: {
        int k = choice_index(s->choices, value);
        if (k < 0)
            return nlif_fail(err, NLIF_EINVAL, "option %s: '%s' is not allowed (allowed: %s)", s->name, value,
                             s->choices);
        *out = k;
        return NLIF_OK;
    }
    }
    return nlif_fail(err, NLIF_EINVAL, "option %s: unknown kind", s->name);
}

int nlif_optset_init(nlif_optset *o, const nlif_option_spec *spec, nlif_error *err)
{
    memset(o, 0, sizeof *o);
    o->spec = spec;
    for (int i = 0; spec && spec[i].name; i++) {
        if (i >= NLIF_OPTSET_MAX)
            return nlif_fail(err, NLIF_EINVAL, "option table has more than %d entries", NLIF_OPTSET_MAX);
        int rc = parse_value(&spec[i], spec[i].def, &o->num[i], err);
        if (rc) {
            nlif_error_prefix(err, "default of option %s", spec[i].name);
            return rc;
        }
        o->n = i + 1;
    }
    return NLIF_OK;
}

int nlif_optset_set(nlif_optset *o, const char *name, const char *value, nlif_error *err)
{
    int i = nlif_opt_index(o, name);
    if (i < 0) {
        char allowed[1024] = "";
        for (int k = 0; k < o->n; k++) {
            if (k)
                strncat(allowed, ", ", sizeof allowed - strlen(allowed) - 1);
            strncat(allowed, o->spec[k].name, sizeof allowed - strlen(allowed) - 1);
        }
        return nlif_fail(err, NLIF_EINVAL, "unknown option '%s' (allowed: %s)", name,
                         o->n ? allowed : "none");
    }
    double x;
    int rc = parse_value(&o->spec[i], value, &x, err);
    if (rc)
        return rc;
    o->num[i] = x;
    o->set[i] = 1;
    return NLIF_OK;
}

int nlif_optset_assign(nlif_optset *o, const char *assignment, nlif_error *err)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return nlif_fail(err, NLIF_EINVAL, "option '%s' is not of the form name=value", assignment);
    char name[128];
    size_t n = (size_t)(eq - assignment);
    if (n >= sizeof name)
        n = sizeof name - 1;
    memcpy(name, assignment, n);
    name[n] = '\0';
    return nlif_optset_set(o, name, eq + 1, err);
}

double nlif_opt_double(const nlif_optset *o, const char *name)
{
    int i = nlif_opt_index(o, name);
    return i < 0 ? NAN : o->num[i];
}

long nlif_opt_int(const nlif_optset *o, const char *name)
{
    int i = nlif_opt_index(o, name);
    return i < 0 ? -1 : (long)o->num[i];
}

int nlif_opt_bool(const nlif_optset *o, const char *name)
{
    int i = nlif_opt_index(o, name);
    return i < 0 ? -1 : (int)o->num[i];
}

int nlif_opt_enum(const nlif_optset *o, const char *name)
{
    int i = nlif_opt_index(o, name);
    return i < 0 ? -1 : (int)o->num[i];
}

const char *nlif_format_double(char *buf, size_t len, double x)
{
    /* the fewest significant digits (15, 16, then 17) that read back as the same double: 0.99, not
     * 0.98999999999999999 (%.17g), and never a value that reads back different */
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, len, "%.*g", digits, x);
        if (digits == 17 || !isfinite(x) || strtod(buf, NULL) == x)
            break;
    }
    return buf;
}

const char *nlif_opt_text(const nlif_optset *o, int i, char *buf, size_t len)
{
    const nlif_option_spec *s = &o->spec[i];
    switch (s->kind) {
    case NLIF_OPT_DOUBLE: nlif_format_double(buf, len, o->num[i]); break;
    case NLIF_OPT_INT: snprintf(buf, len, "%ld", (long)o->num[i]); break;
    case NLIF_OPT_BOOL: snprintf(buf, len, "%s", o->num[i] != 0 ? "true" : "false"); break;
    case NLIF_OPT_ENUM:
        if (choice_text(s->choices, (int)o->num[i], buf, len))
            snprintf(buf, len, "?");
        break;
    }
    return buf;
}

void nlif_option_spec_print(FILE *f, const nlif_option_spec *spec, const char *indent)
{
    for (int i = 0; spec && spec[i].name; i++) {
        const nlif_option_spec *s = &spec[i];
        fprintf(f, "%s%-18s default %-8s %s%s", indent, s->name, s->def, s->is_choice ? "[Choice] " : "", s->doc);
        if (s->kind == NLIF_OPT_ENUM)
            fprintf(f, " (%s)", s->choices);
        else if (s->kind == NLIF_OPT_DOUBLE || s->kind == NLIF_OPT_INT)
            fprintf(f, " (%g to %g)", s->min, s->max);
        else
            fprintf(f, " (true|false)");
        fputc('\n', f);
    }
}
