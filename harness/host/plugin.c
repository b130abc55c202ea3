/* plugin.c — --plugin PATH (nlif_plugin_host.h): a scheme type from a shared object written against
 * the installed headers (nlif_plugin.h), checked as strictly as a case file before it is registered.
 *
 * The object's own type is not registered as it stands: a copy is, whose title names the file it
 * came from, so that every result file of its runs says which plugin made it ("scheme_title"). */
#include "nlif_plugin.h"
#include "nlif_plugin_host.h"

#include <dlfcn.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PLUGIN_SCHEMES 16

static struct {
    nlif_scheme_type type;
    char title[NLIF_TEXT_MAX];
} loaded[MAX_PLUGIN_SCHEMES];
static int n_loaded;

/* The checks of one scheme type beyond its name: everything the harness will call or print. */
static int check_type(const nlif_scheme_type *st, nlif_error *err)
{
    if (!st->title || !st->source)
        return nlif_fail(err, NLIF_EINVAL, "a NULL %s (title and source are printed with every result)",
                         st->title ? "source" : "title");
    if (!st->alloc || !st->advance || !st->profile || !st->free)
        return nlif_fail(err, NLIF_EINVAL, "a NULL %s function (alloc, advance, profile and free are all required)",
                         !st->alloc ? "alloc" : !st->advance ? "advance" : !st->profile ? "profile" : "free");
    if (!(st->flags & (NLIF_SUPPORTS_1D | NLIF_SUPPORTS_STRUCTURED)))
        return nlif_fail(err, NLIF_EINVAL, "flags 0x%x name neither the 1D model nor structured networks", st->flags);
    if (!st->options)
        return nlif_fail(err, NLIF_EINVAL, "a NULL option table (a table with no option is {{NULL}})");
    for (int i = 0; st->options[i].name && i < NLIF_OPTSET_MAX; i++)
        if (!st->options[i].def || !st->options[i].doc ||
            (st->options[i].kind == NLIF_OPT_ENUM && !st->options[i].choices))
            return nlif_fail(err, NLIF_EINVAL, "option %s: a NULL default, doc or (enum) choices", st->options[i].name);
    nlif_optset o;
    if (nlif_optset_init(&o, st->options, err)) {
        nlif_error_prefix(err, "option table");
        return NLIF_EINVAL;
    }
    if (st->limit_option) {
        char a[2 * NLIF_NAME_MAX];
        snprintf(a, sizeof a, "%s", st->limit_option);
        if (nlif_optset_assign(&o, a, err)) {
            nlif_error_prefix(err, "limit_option '%s'", st->limit_option);
            return NLIF_EINVAL;
        }
    }
    for (const nlif_scheme_claim *c = st->claims; c && c->check; c++)
        if (!c->source || !isfinite(c->bound) || !(c->bound > 0))
            return nlif_fail(err, NLIF_EINVAL, "claim on %s: a bound > 0 and a source are required", c->check);
    return NLIF_OK;
}

static int sizes_differ(const nlif_plugin_sizes *theirs, const char *path, nlif_error *err)
{
    static const nlif_plugin_sizes ours = NLIF_PLUGIN_SIZES;
    static const char *const names[] = {"nlif_scheme_type", "nlif_case", "nlif_optset",
                                        "nlif_trajectory", "nlif_profile", "nlif_error"};
    const size_t *a = &theirs->scheme_type, *b = &ours.scheme_type;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (a[i] != b[i])
            return nlif_fail(err, NLIF_EINVAL,
                             "%s was built for nlif plugin ABI %u with headers in which %s has %zu bytes; this nlif's "
                             "has %zu: rebuild it against this nlif's headers",
                             path, NLIF_PLUGIN_ABI, names[i], a[i], b[i]);
    return NLIF_OK;
}

int nlif_plugin_load(const char *path, nlif_error *err)
{
    char abs[PATH_MAX];
    /* absolute, so that dlopen never searches the library path for a bare file name */
    if (!realpath(path, abs))
        return nlif_fail(err, NLIF_EINVAL, "no such file (a shared object built against nlif's installed headers)");
    void *h = dlopen(abs, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return nlif_fail(err, NLIF_EINVAL, "cannot load: %s", dlerror());
    /* from here on the library stays loaded, even when refused: unloading a library whose
     * constructors ran is not safe in general, and the program ends with the refusal anyway */
    const nlif_plugin_info *info = dlsym(h, NLIF_PLUGIN_ENTRY_NAME);
    if (!info)
        return nlif_fail(err, NLIF_EINVAL,
                         "%s defines no symbol %s: a plugin ends with NLIF_PLUGIN(&its_scheme) (nlif_plugin.h)", abs,
                         NLIF_PLUGIN_ENTRY_NAME);
    if (info->abi != NLIF_PLUGIN_ABI)
        return nlif_fail(err, NLIF_EINVAL,
                         "%s was built for nlif plugin ABI %u, this nlif speaks ABI %u: rebuild it against this "
                         "nlif's headers", abs, info->abi, NLIF_PLUGIN_ABI);
    if (sizes_differ(&info->sizes, abs, err))
        return NLIF_EINVAL;
    int n = 0;
    while (info->schemes && n <= NLIF_PLUGIN_MAX_SCHEMES && info->schemes[n])
        n++;
    if (n == 0 || n > NLIF_PLUGIN_MAX_SCHEMES)
        return nlif_fail(err, NLIF_EINVAL, "%s brings %s scheme types (allowed: 1 to %d)", abs, n ? "too many" : "no",
                         NLIF_PLUGIN_MAX_SCHEMES);
    if (n_loaded + n > MAX_PLUGIN_SCHEMES)
        return nlif_fail(err, NLIF_EINVAL, "more than %d plugin schemes in all", MAX_PLUGIN_SCHEMES);
    /* every type checked before any is registered: a refusal registers nothing */
    for (int i = 0; i < n; i++) {
        const nlif_scheme_type *st = info->schemes[i];
        if (!st->name || !nlif_scheme_name_valid(st->name, strlen(st->name)))
            return nlif_fail(err, NLIF_EINVAL, "%s: scheme %d: the name '%s' is not 1-%d characters of [a-z0-9_]", abs,
                             i + 1, st->name ? st->name : "(NULL)", NLIF_NAME_MAX - 1);
        if (nlif_scheme_find(st->name))
            return nlif_fail(err, NLIF_EINVAL, "%s: the name '%s' is taken by a scheme already", abs, st->name);
        for (int k = 0; k < i; k++)
            if (!strcmp(info->schemes[k]->name, st->name))
                return nlif_fail(err, NLIF_EINVAL, "%s: two schemes named '%s'", abs, st->name);
        if (check_type(st, err)) {
            nlif_error_prefix(err, "%s: scheme %s", abs, st->name);
            return NLIF_EINVAL;
        }
    }
    for (int i = 0; i < n; i++) {
        const nlif_scheme_type *st = info->schemes[i];
        nlif_scheme_type *copy = &loaded[n_loaded].type;
        *copy = *st;
        snprintf(loaded[n_loaded].title, sizeof loaded[n_loaded].title, "%s (plugin %s)", st->title, abs);
        copy->title = loaded[n_loaded].title;
        if (nlif_scheme_register(copy))
            return nlif_fail(err, NLIF_EINVAL, "the scheme registry is full (scheme %s of %s)", st->name, abs);
        n_loaded++;
    }
    return NLIF_OK;
}
