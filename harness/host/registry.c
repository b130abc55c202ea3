/* registry.c — the schemes the harness knows (nlif_scheme.h). Adding a scheme: one line here. */
#include "../../core/nlif_scheme.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

extern const nlif_scheme_type nlif_scheme_dilated;

extern const nlif_scheme_type nlif_scheme_spap;
extern const nlif_scheme_type nlif_scheme_multiscale;
extern const nlif_scheme_type nlif_scheme_explicit; /* the classical explicit scheme, for comparison */
extern const nlif_scheme_type nlif_scheme_cvode; /* reference/cvode_ref.c: the time-accurate reference */

/* The built-in schemes; the rest of the table (zero-initialised, so NULL-terminated) is room for
 * schemes registered at start-up: the mutant catalogue of tests/mutants.c registers about 40, up to 16
 * external solvers (--solver) and the plugins' schemes come on top. */
#define NLIF_REGISTRY_SLOTS 128

const nlif_scheme_type *nlif_schemes[NLIF_REGISTRY_SLOTS] = {
    &nlif_scheme_spap,
    &nlif_scheme_multiscale,
    &nlif_scheme_dilated,
    &nlif_scheme_cvode,
    &nlif_scheme_explicit,
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

int nlif_scheme_name_valid(const char *s, size_t n)
{
    if (n == 0 || n >= NLIF_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

/* The capabilities (nlif_scheme.h), in flag order. */
static const struct capability {
    unsigned flag;
    const char *name, *meaning;
} capabilities[] = {
    {NLIF_SUPPORTS_1D, "1d", "the 1D model p(v)"},
    {NLIF_SUPPORTS_STRUCTURED, "structured", "structured networks p(v, w) with learning and epsilon"},
    {NLIF_SUPPORTS_NOISE_RATE, "noise_rate", "rate-dependent noise a1 > 0"},
    {NLIF_SUPPORTS_MFE, "mfe", "continues through blow-ups (passes multiple firing events)"},
    {NLIF_SUPPORTS_CONVENTION_B, "convention_b", "cascade convention B"},
    {NLIF_SUPPORTS_KICK, "kick", "instantaneous input (kick)"},
    {NLIF_IS_RANDOM, "random", "the result depends on the seed"},
    {NLIF_HAS_TIME_STEP, "time_step", "a fixed time step that refinement controls"},
    {NLIF_SUPPORTS_SOURCE, "source", "the manufactured source term S(v, t) in its right-hand side"},
    {NLIF_SUPPORTS_DELAY, "delay", "a synaptic delay d > 0: the drift reads N(t - d), no instantaneous cascade"},
    {NLIF_SUPPORTS_REFRACTORY, "refractory", "a refractory period tau_ref > 0 (the series carries R)"},
    {NLIF_SUPPORTS_POPULATIONS, "populations", "two populations E and I (the series and snapshots carry I's columns)"},
    {0, NULL, NULL},
};

const char *nlif_capability_name(unsigned flag)
{
    for (const struct capability *c = capabilities; c->name; c++)
        if (c->flag == flag)
            return c->name;
    return NULL;
}

const char *nlif_capability_meaning(unsigned flag)
{
    for (const struct capability *c = capabilities; c->name; c++)
        if (c->flag == flag)
            return c->meaning;
    return NULL;
}

unsigned nlif_capability_flag(const char *name)
{
    for (const struct capability *c = capabilities; c->name; c++)
        if (!strcmp(c->name, name))
            return c->flag;
    return 0;
}

/* The capabilities the case needs: from its model, and the ones it states (expect.needs). */
static unsigned case_needs(const nlif_case *cs)
{
    unsigned need = cs->structure.enabled ? NLIF_SUPPORTS_STRUCTURED : NLIF_SUPPORTS_1D;
    if (cs->model.a1 > 0 || cs->model.a1_i > 0)
        need |= NLIF_SUPPORTS_NOISE_RATE;
    if (cs->model.convention == NLIF_CONVENTION_B)
        need |= NLIF_SUPPORTS_CONVENTION_B;
    if (cs->input.type == NLIF_INPUT_KICK)
        need |= NLIF_SUPPORTS_KICK;
    if (cs->manufactured.enabled)
        need |= NLIF_SUPPORTS_SOURCE;
    if (cs->model.delay > 0)
        need |= NLIF_SUPPORTS_DELAY;
    if (cs->model.tau_ref > 0)
        need |= NLIF_SUPPORTS_REFRACTORY;
    if (cs->model.populations == 2)
        need |= NLIF_SUPPORTS_POPULATIONS;
    return need | cs->expect.needs;
}

const char *nlif_scheme_not_applicable(const nlif_scheme_type *st, const nlif_case *cs)
{
    static _Thread_local char why[160];
    unsigned missing = case_needs(cs) & ~st->flags;
    for (const struct capability *c = capabilities; c->name; c++)
        if (missing & c->flag) {
            snprintf(why, sizeof why, "lacks capability %s (%s), which the case needs", c->name, c->meaning);
            return why;
        }
    return NULL;
}
