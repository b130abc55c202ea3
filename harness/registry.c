/* registry.c — the schemes the harness knows (nlif_scheme.h). Adding a scheme: one line here. */
#include "../solvers/core/nlif_scheme.h"

#include <stddef.h>
#include <string.h>

extern const nlif_scheme_type nlif_scheme_dilated;

extern const nlif_scheme_type nlif_scheme_spap;
extern const nlif_scheme_type nlif_scheme_multiscale;
extern const nlif_scheme_type nlif_scheme_cvode; /* reference/cvode_ref.c: the time-accurate reference */

/* The built-in schemes; the rest of the table (zero-initialised, so NULL-terminated) is room for
 * schemes registered at start-up (the mutant catalogue of tests/mutants.c registers about 20). */
#define NLIF_REGISTRY_SLOTS 48

const nlif_scheme_type *nlif_schemes[NLIF_REGISTRY_SLOTS] = {
    &nlif_scheme_spap,
    &nlif_scheme_multiscale,
    &nlif_scheme_dilated,
    &nlif_scheme_cvode,
    NULL,
};

int nlif_scheme_register(const nlif_scheme_type *st)
{
    size_t cap = sizeof nlif_schemes / sizeof nlif_schemes[0];
    size_t n = 0;
    while (nlif_schemes[n])
        n++;
    if (n + 1 >= cap || nlif_scheme_find(st->name))
        return -1;
    nlif_schemes[n] = st;
    return 0;
}

const nlif_scheme_type *nlif_scheme_find(const char *name)
{
    for (int i = 0; nlif_schemes[i]; i++)
        if (strcmp(nlif_schemes[i]->name, name) == 0)
            return nlif_schemes[i];
    return NULL;
}

const char *nlif_scheme_not_applicable(const nlif_scheme_type *st, const nlif_case *cs)
{
    if (cs->structure.enabled && !(st->flags & NLIF_SUPPORTS_STRUCTURED))
        return "structured network p(v, w): this scheme is for the 1D model";
    if (!cs->structure.enabled && !(st->flags & NLIF_SUPPORTS_1D))
        return "1D model: this scheme is for structured networks only";
    if (cs->model.a1 > 0 && !(st->flags & NLIF_SUPPORTS_NOISE_RATE))
        return "rate-dependent noise a1 > 0 is not supported by this scheme";
    if (cs->model.convention == NLIF_CONVENTION_B && !(st->flags & NLIF_SUPPORTS_CONVENTION_B))
        return "cascade convention B is not supported by this scheme";
    if (cs->input.type == NLIF_INPUT_KICK && !(st->flags & NLIF_SUPPORTS_KICK))
        return "instantaneous input (kick) is not supported by this scheme";
    return NULL;
}
