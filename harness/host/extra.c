/* extra.c — schemes named on the command line (nlif_extra.h): the argument table, and variants. */
#include "nlif_extra.h"
#include "nlif_solver_ext.h"
#include "nlif_plugin_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One kind of extra scheme: the option that names it and what registers it. */
typedef struct extra_kind {
    const char *flag;
    int (*define)(const char *arg, nlif_error *err);
} extra_kind;

static const extra_kind kinds[] = {
    {"--variant", nlif_variant_define},
    {"--solver", nlif_solver_load},
    {"--plugin", nlif_plugin_load},
    {NULL, NULL},
};

#define MAX_FORWARD 64
static char *forward[MAX_FORWARD];
static int n_forward;

static const extra_kind *kind_of(const char *arg, const char **value)
{
    for (const extra_kind *k = kinds; k->flag; k++) {
        size_t n = strlen(k->flag);
        if (!strncmp(arg, k->flag, n) && (arg[n] == '\0' || arg[n] == '=')) {
            *value = arg[n] == '=' ? arg + n + 1 : NULL;
            return k;
        }
    }
    return NULL;
}

int nlif_extra_take(int *argc, char **argv, int first, nlif_error *err)
{
    int out = first;
    for (int i = first; i < *argc; i++) {
        const char *value = NULL;
        const extra_kind *k = kind_of(argv[i], &value);
        if (!k) {
            argv[out++] = argv[i];
            continue;
        }
        if (!value) {
            if (i + 1 >= *argc)
                return nlif_fail(err, NLIF_EINVAL, "%s needs a value", k->flag);
            value = argv[++i];
        }
        if (n_forward + 2 > MAX_FORWARD)
            return nlif_fail(err, NLIF_EINVAL, "%s %s: more than %d extra-scheme arguments", k->flag, value,
                             MAX_FORWARD / 2);
        int rc = k->define(value, err);
        if (rc) {
            nlif_error_prefix(err, "%s %s", k->flag, value);
            return rc;
        }
        forward[n_forward++] = (char *)k->flag;
        forward[n_forward++] = (char *)value;
    }
    if (out < *argc)
        argv[out] = NULL;
    *argc = out;
    return NLIF_OK;
}

int nlif_extra_forwarded(const char *const **args)
{
    *args = (const char *const *)forward;
    return n_forward;
}

/* ------------------------------------------------------------------------------------------------ */
/* Variants: a registered copy of a scheme type under a new name, with option assignments that every
 * run of it applies after the case's [options] for the base scheme (the assignments define the
 * variant, so they win over the case) and before --opt. A variant makes no claim of its own: the
 * base scheme's claims (nlif_scheme.h) are about its defaults. */

#define MAX_VARIANTS 16
#define MAX_ASSIGN 16

typedef struct variant {
    nlif_scheme_type type;
    const nlif_scheme_type *base;
    char name[NLIF_NAME_MAX], title[NLIF_TEXT_MAX];
    char assign_text[MAX_ASSIGN][2 * NLIF_NAME_MAX];
    const char *assign[MAX_ASSIGN];
    int n_assign;
} variant;

static variant variants[MAX_VARIANTS];
static int n_variants;

int nlif_variant_define(const char *spec, nlif_error *err)
{
    static const char *usage = "the form is NAME:SCHEME:opt=value[,opt=value]... with NAME of [a-z0-9_]";
    const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2)
        return nlif_fail(err, NLIF_EINVAL, "%s", usage);
    if (!nlif_scheme_name_valid(spec, (size_t)(c1 - spec)))
        return nlif_fail(err, NLIF_EINVAL, "the name '%.*s' is not 1-%d characters of [a-z0-9_]: %s", (int)(c1 - spec),
                         spec, NLIF_NAME_MAX - 1, usage);
    if (n_variants == MAX_VARIANTS)
        return nlif_fail(err, NLIF_EINVAL, "more than %d variants", MAX_VARIANTS);
    variant *v = &variants[n_variants];
    memset(v, 0, sizeof *v);
    snprintf(v->name, sizeof v->name, "%.*s", (int)(c1 - spec), spec);
    char base[NLIF_NAME_MAX];
    snprintf(base, sizeof base, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
    if (nlif_scheme_find(v->name))
        return nlif_fail(err, NLIF_EINVAL, "the name '%s' is taken by a scheme already", v->name);
    v->base = nlif_scheme_find(base);
    if (!v->base) {
        char names[NLIF_TEXT_MAX] = "";
        for (int i = 0; nlif_schemes[i]; i++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "", nlif_schemes[i]->name);
        return nlif_fail(err, NLIF_EINVAL, "no scheme '%s' (schemes: %s)", base, names);
    }
    /* the assignments, each checked against the base's option table */
    nlif_optset o;
    if (nlif_optset_init(&o, v->base->options, err))
        return err ? err->code : NLIF_EINVAL;
    const char *p = c2 + 1;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (v->n_assign == MAX_ASSIGN)
            return nlif_fail(err, NLIF_EINVAL, "more than %d assignments", MAX_ASSIGN);
        if (n == 0 || n >= sizeof v->assign_text[0])
            return nlif_fail(err, NLIF_EINVAL, "an empty or over-long assignment: %s", usage);
        char *a = v->assign_text[v->n_assign];
        snprintf(a, sizeof v->assign_text[0], "%.*s", (int)n, p);
        if (nlif_optset_assign(&o, a, err)) {
            nlif_error_prefix(err, "scheme %s", v->base->name);
            return err ? err->code : NLIF_EINVAL;
        }
        v->assign[v->n_assign] = a;
        v->n_assign++;
        p += n;
        if (*p == ',')
            p++;
    }
    if (!v->n_assign)
        return nlif_fail(err, NLIF_EINVAL, "no assignment: %s", usage);
    v->type = *v->base;
    v->type.name = v->name;
    int len = snprintf(v->title, sizeof v->title, "%s; variant of %s with ", v->base->title, v->base->name);
    for (int i = 0; i < v->n_assign && len > 0 && (size_t)len < sizeof v->title; i++)
        len += snprintf(v->title + len, sizeof v->title - (size_t)len, "%s%s", i ? ", " : "", v->assign[i]);
    v->type.title = v->title;
    v->type.claims = NULL;
    if (nlif_scheme_register(&v->type))
        return nlif_fail(err, NLIF_EINVAL, "the scheme registry is full");
    n_variants++;
    return NLIF_OK;
}

const nlif_scheme_type *nlif_variant_base(const nlif_scheme_type *st, const char *const **assign, int *n)
{
    for (int i = 0; i < n_variants; i++)
        if (st == &variants[i].type) {
            *assign = variants[i].assign;
            *n = variants[i].n_assign;
            return variants[i].base;
        }
    return NULL;
}
