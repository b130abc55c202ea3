/* case_keys.c — the key table of case files (nlif_case.h): every key's section, name, kind, range,
 * default, when it applies, whether it is required and its documentation; the conversion and range
 * check of one value (the checking front of LAPACKE style: the message names the key and what is
 * allowed); the defaults; and writing a case back as INI text and the key table as documentation.
 * The parser (harness/case/case.c) collects the entries and checks the cross-key rules.
 *
 * [expect] has four keys of its own here (checks, needs, blowup, source); every other [expect] key
 * belongs to a check, which declares it in its own table (harness/checks/nlif_check.h): the case
 * keeps those as text entries (nlif_expect_bound) and the checks validate them and the names in
 * `checks` (nlif_checks_validate_expect), since this layer lies below the checks and knows none. */
#include "case_keys.h"

#include "../../core/nlif_scheme.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define F(field) offsetof(nlif_case, field)
#define INF HUGE_VAL
/* the longest word of a text value: a case file line (199 characters) holds "description = " and it */
#define TEXT_WORD_MAX 180

const char *const nlif_case_sections[] = {"case", "model", "population_i", "initial", "input", "structure", "manufactured", "run", "expect", NULL};

const key_spec nlif_case_keys[] = {
    {"case", "description", K_TEXT, F(description), NULL, 0, 0, 0, NULL, REQUIRED, NULL, "one line: what the case tests"},
    {"case", "tags", K_TAGS, F(n_tags), "", 0, 0, 0, NULL, OPTIONAL, NULL, "comma-separated tags (relax, mfe, smooth, structured, ...)"},

    {"model", "a0", K_DOUBLE, F(model.a0), "1", 0, INF, 1, NULL, OPTIONAL, NULL, "noise a0 > 0 in a(N) = a0 + a1 N"},
    {"model", "a1", K_DOUBLE, F(model.a1), "0", 0, INF, 0, NULL, OPTIONAL, NULL, "rate-dependent noise a1 >= 0"},
    {"model", "b", K_DOUBLE, F(model.b), NULL, -INF, INF, 0, NULL, REQUIRED, NULL, "connectivity (b > 0 excitatory, b < 0 inhibitory); structured cases use w instead"},
    {"model", "v_f", K_DOUBLE, F(model.v_f), "2", -INF, INF, 0, NULL, OPTIONAL, NULL, "threshold V_F"},
    {"model", "v_r", K_DOUBLE, F(model.v_r), "1", -INF, INF, 0, NULL, OPTIONAL, NULL, "reset V_R < V_F"},
    {"model", "v_min", K_DOUBLE, F(model.v_min), "-4", -INF, INF, 0, NULL, OPTIONAL, NULL, "left end of the truncated domain, V_min < V_R (zero flux there)"},
    {"model", "convention", K_ENUM, F(model.convention), "A", 0, 0, 0, "A|B", OPTIONAL, NULL, "cascade convention (Choice): A fired neurons sit at V_R; B reset then kicked"},
    {"model", "delay", K_DOUBLE, F(model.delay), "0", 0, INF, 0, NULL, OPTIONAL, NULL, "synaptic delay d >= 0 (<= run.t_final): the drift reads b N(t - d), the noise a(N(t)) (MATHEMATICS.md 1.4); d > 0 needs capability delay"},
    {"model", "delay_history", K_DOUBLE, F(model.delay_history), "0", 0, INF, 0, NULL, OPTIONAL, NULL, "the rate N on [-d, 0), a constant >= 0 (MATHEMATICS.md 1.4)"},
    {"model", "tau_ref", K_DOUBLE, F(model.tau_ref), "0", 0, 1e6, 0, NULL, OPTIONAL, NULL, "refractory period tau_R >= 0: fired mass waits in R(t), returns at V_R at rate 1/tau_R (0: none; MATHEMATICS.md 1.5)"},

    /* [population_i]: its presence makes the model two populations E and I (MATHEMATICS.md 1.6) */
    {"population_i", "a0", K_DOUBLE, F(model.a0_i), "1", 0, INF, 1, NULL, OPTIONAL, NULL, "noise a0 > 0 of population I: a_I = a0 + a1 N_I"},
    {"population_i", "a1", K_DOUBLE, F(model.a1_i), "0", 0, INF, 0, NULL, OPTIONAL, NULL, "rate-dependent noise a1 >= 0 of population I"},
    {"population_i", "v_r", K_DOUBLE, F(model.v_r_i), "1", -INF, INF, 0, NULL, OPTIONAL, NULL, "reset V_R,I of population I (V_min < V_R,I < V_F, a node of the run.dv grid)"},
    {"population_i", "i0", K_DOUBLE, F(model.i0_i), "0", -INF, INF, 0, NULL, OPTIONAL, NULL, "constant input I_I of population I"},
    {"population_i", "b_ei", K_DOUBLE, F(model.b_ei), NULL, -INF, 0, 0, NULL, REQUIRED, NULL, "coupling b_EI <= 0 of E to I's rate: E's drift is -v + b N_E + b_ei N_I + I(t) (model.b is b_EE >= 0)"},
    {"population_i", "b_ie", K_DOUBLE, F(model.b_ie), NULL, 0, INF, 0, NULL, REQUIRED, NULL, "coupling b_IE >= 0 of I to E's rate: I's drift is -v + b_ie N_E + b_ii N_I + i0"},
    {"population_i", "b_ii", K_DOUBLE, F(model.b_ii), "0", -INF, 0, 0, NULL, OPTIONAL, NULL, "self-coupling b_II <= 0 of population I"},
    {"population_i", "mean", K_DOUBLE, F(initial.mean_i), "0", -INF, INF, 0, NULL, OPTIONAL, NULL, "mean of I's initial Gaussian (truncated to [V_min, V_F], normalised; not read when initial.type = stationary)"},
    {"population_i", "sd", K_DOUBLE, F(initial.sd_i), "0.5", 0, INF, 1, NULL, OPTIONAL, NULL, "standard deviation > 0 of I's initial Gaussian (not read when initial.type = stationary)"},

    {"initial", "type", K_ENUM, F(initial.type), NULL, 0, 0, 0, "gaussian|uniform|table|stationary|manufactured", REQUIRED, NULL, "initial density (manufactured: p_m(v, 0) of the [manufactured] family, which it needs)"},
    {"initial", "mean", K_DOUBLE, F(initial.mean), "0", -INF, INF, 0, NULL, REQUIRED_WHEN, "type=gaussian", "Gaussian mean (truncated to [V_min, V_F], normalised)"},
    {"initial", "sd", K_DOUBLE, F(initial.sd), "1", 0, INF, 1, NULL, REQUIRED_WHEN, "type=gaussian", "Gaussian standard deviation > 0"},
    {"initial", "blocks", K_BLOCKS, F(initial.n_blocks), "", 0, 0, 0, NULL, REQUIRED_WHEN, "type=uniform", "uniform blocks 'lo hi density, lo hi density, ...' inside [V_min, V_F]"},
    {"initial", "points", K_POINTS, F(initial.n_points), "", 0, 0, 0, NULL, REQUIRED_WHEN, "type=table", "piecewise-linear table 'v p, v p, ...', v non-decreasing (repeat v for a jump)"},
    {"initial", "normalise", K_BOOL, F(initial.normalise), "true", 0, 0, 0, NULL, OPTIONAL, "type=uniform|table", "rescale the blocks/table to mass 1"},
    {"initial", "root", K_INT, F(initial.root), "0", 0, 7, 0, NULL, OPTIONAL, "type=stationary", "which stationary state (0 = lowest rate) of the model with I = input.i0"},
    {"initial", "refractory", K_DOUBLE, F(initial.refractory), "0", 0, 1, 0, NULL, OPTIONAL, "type=gaussian|uniform|table|manufactured", "refractory mass R(0) in [0, 1) (needs model.tau_ref > 0); the density gets 1 - R(0)"},

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

    {"manufactured", "family", K_ENUM, F(manufactured.family), "kink_quadratic", 0, 0, 0, "kink_quadratic", OPTIONAL, NULL, "manufactured solution (MATHEMATICS.md 6b): a closed-form p_m(v, t) made exact by a source S; needs initial.type = manufactured and a scheme with capability source"},
    {"manufactured", "slope", K_DOUBLE, F(manufactured.slope), NULL, 0, INF, 1, NULL, REQUIRED, NULL, "g0 > 0: the mean of g(t) = -dp_m/dv(V_F, t), so N_m = a0 g/(1 - a1 g)"},
    {"manufactured", "amplitude", K_DOUBLE, F(manufactured.amplitude), "0.3", -1, 1, 1, NULL, OPTIONAL, NULL, "A, |A| < 1: g(t) = g0 (1 + A sin(omega t + phase))"},
    {"manufactured", "omega", K_DOUBLE, F(manufactured.omega), "6.283185307179586", 0, INF, 0, NULL, OPTIONAL, NULL, "angular frequency omega >= 0 of g(t)"},
    {"manufactured", "phase", K_DOUBLE, F(manufactured.phase), "0", -INF, INF, 0, NULL, OPTIONAL, NULL, "phase of g(t); with model.delay > 0 the family needs dg/dt(0) = 0: phase = pi/2 (MATHEMATICS.md 6b)"},

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
    {"run", "max_steps", K_DOUBLE, F(run.max_steps), NLIF_DEFAULT_MAX_STEPS, 1, 1e15, 0, NULL, OPTIONAL, NULL, "ceiling on the steps of one run (t_final/dt, t_final/mc_dt, and the steps an adaptive scheme records)"},
    {"run", "max_particle_steps", K_DOUBLE, F(run.max_particle_steps), NLIF_DEFAULT_MAX_PARTICLE_STEPS, 1, 1e18, 0, NULL, OPTIONAL, NULL, "ceiling on particles x realisations x t_final/mc_dt of one Monte Carlo run"},
    {"run", "max_memory", K_DOUBLE, F(run.max_memory), NLIF_DEFAULT_MAX_MEMORY, 1, 1e9, 0, NULL, OPTIONAL, NULL, "ceiling on the estimated memory of one run, in MiB (checked before allocation)"},

    {"expect", "checks", K_CHECKS, F(expect.checks), "", 0, 0, 0, NULL, OPTIONAL, NULL, "checks beyond status, mass, positivity and the baseline (the registry of harness/checks/; nlif verify --help lists them)"},
    {"expect", "needs", K_CAPS, F(expect.needs), "", 0, 0, 0, NULL, OPTIONAL, NULL, "scheme capabilities the case needs beyond its model (a scheme without one is n.a.): " NLIF_CAPABILITY_NAMES},
    {"expect", "blowup", K_BOOL, F(expect.blowup), "false", 0, 0, 0, NULL, OPTIONAL, NULL, "the solution blows up: a scheme with capability mfe reaches t_final (status ok), one without stops with status blowup"},
    {"expect", "source", K_TEXT, F(expect.source), "", 0, 0, 0, NULL, OPTIONAL, NULL, "where the case's bounds come from (free text, printed in the report)"},
    {NULL, NULL, 0, 0, NULL, 0, 0, 0, NULL, 0, NULL, NULL},
};

int case_section_index(const char *s)
{
    for (int i = 0; nlif_case_sections[i]; i++)
        if (strcmp(nlif_case_sections[i], s) == 0)
            return i;
    return -1;
}

void nlif_case_section_keys(const char *section, char *buf, size_t len)
{
    buf[0] = '\0';
    for (const key_spec *k = nlif_case_keys; k->section; k++) {
        if (strcmp(k->section, section))
            continue;
        if (buf[0])
            strncat(buf, ", ", len - strlen(buf) - 1);
        strncat(buf, k->name, len - strlen(buf) - 1);
    }
    if (!buf[0])
        snprintf(buf, len, "none yet");
}

const key_spec *case_find_key(const char *section, const char *name)
{
    for (const key_spec *k = nlif_case_keys; k->section; k++)
        if (!strcmp(k->section, section) && !strcmp(k->name, name))
            return k;
    return NULL;
}

/* ------------------------------------------------------------------------------------------------ */
/* Values. */

int nlif_case_parse_double(const char *s, double *x)
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
            if (k == width || !nlif_case_parse_double(tok, &x)) {
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

/* The value of a key of one number, flag, name or text. */
static int set_scalar(nlif_case *cs, const key_spec *k, const char *v, const char *loc, nlif_error *err)
{
    char *base = (char *)cs + k->off;
    switch (k->k) {
    case K_DOUBLE: {
        double x;
        if (!nlif_case_parse_double(v, &x))
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
        if (!nlif_case_parse_double(v, &x) || x != floor(x))
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
    case K_TEXT: {
        /* whole, and writable back as a case file (nlif_case_write_ini): no word longer than a
         * continuation line holds */
        size_t n = strlen(v), word = 0, longest = 0;
        if (n >= NLIF_TEXT_MAX)
            return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s: %zu characters (allowed: at most %d)", loc, k->section, k->name, n,
                             NLIF_TEXT_MAX - 1);
        for (const char *c = v; *c; c++) {
            word = *c == ' ' ? 0 : word + 1;
            longest = word > longest ? word : longest;
        }
        if (longest > TEXT_WORD_MAX)
            return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s: a word of %zu characters (allowed: at most %d, so that a case file line "
                             "of 199 characters holds it)", loc, k->section, k->name, longest, TEXT_WORD_MAX);
        snprintf(base, NLIF_TEXT_MAX, "%s", v);
        return NLIF_OK;
    }
    case K_CHECKS: {
        /* Whether each name is a check of the registry is asked above this layer
         * (nlif_checks_validate_expect); here, that it is a name at all ([a-z0-9_], as every check's
         * is), and the list is kept as "a, b, c", so that a long one is written back on continuation
         * lines (nlif_case_write_ini breaks lists after ", ") and parses again. */
        char buf[VALUE_MAX], *save = NULL, list[NLIF_TEXT_MAX] = "";
        snprintf(buf, sizeof buf, "%s", v);
        for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
            if (strlen(t) >= NLIF_NAME_MAX || strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(t))
                return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s: '%.64s' is not a check's name (allowed: names of a-z, 0-9 "
                                 "and _, comma-separated; nlif verify --help lists the checks)", loc, k->section, k->name, t);
            size_t used = strlen(list);
            if (used + strlen(t) + 3 > sizeof list)
                return nlif_fail(err, NLIF_EINVAL, "%s: %s.%s: the list is longer than %d characters", loc, k->section,
                                 k->name, NLIF_TEXT_MAX - 1);
            snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", t);
        }
        snprintf(base, NLIF_TEXT_MAX, "%s", list);
        return NLIF_OK;
    }
    default:
        break;
    }
    return NLIF_OK;
}

/* The value of a key that holds a list: capabilities, tags, blocks, points, snapshot times. */
static int set_list(nlif_case *cs, const key_spec *k, const char *v, const char *loc, nlif_error *err)
{
    char *base = (char *)cs + k->off;
    char why[256];
    switch (k->k) {
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
            if (!nlif_case_parse_double(t, &x) || x < 0)
                return nlif_fail(err, NLIF_EINVAL, "%s: run.snapshots: '%s' is not a time >= 0", loc, t);
            if (n && x <= cs->run.snapshots[n - 1])
                return nlif_fail(err, NLIF_EINVAL, "%s: run.snapshots: times must increase", loc);
            cs->run.snapshots[n++] = x;
        }
        cs->run.n_snapshots = n;
        return NLIF_OK;
    }
    default:
        break;
    }
    return NLIF_OK;
}

int case_set_value(nlif_case *cs, const key_spec *k, const char *v, const char *loc, nlif_error *err)
{
    switch (k->k) {
    case K_CAPS:
    case K_TAGS:
    case K_BLOCKS:
    case K_POINTS:
    case K_TIMES:
        return set_list(cs, k, v, loc, err);
    default:
        return set_scalar(cs, k, v, loc, err);
    }
}

/* Does the key's `when` condition hold ("type=a|b": the value of SECTION.type is a or b)? */
int case_condition_holds(const nlif_case *cs, const key_spec *k)
{
    if (!k->when)
        return 1;
    char sel[32];
    const char *eq = strchr(k->when, '=');
    snprintf(sel, sizeof sel, "%.*s", (int)(eq - k->when), k->when);
    const key_spec *s = case_find_key(k->section, sel);
    char now[32];
    enum_text(s->choices, *(const int *)((const char *)cs + s->off), now, sizeof now);
    return enum_index(eq + 1, now) >= 0;
}

void nlif_case_defaults(nlif_case *cs)
{
    memset(cs, 0, sizeof *cs);
    for (const key_spec *k = nlif_case_keys; k->section; k++) {
        const char *def = k->def;
        if (!def) /* required keys: a neutral value for hand-built cases */
            def = k->k == K_ENUM ? "gaussian" : k->k == K_TEXT ? "" : (!strcmp(k->name, "w_max") ? "1" : !strcmp(k->name, "t_final") ? "1" : "0");
        case_set_value(cs, k, def, "default", NULL);
    }
    cs->initial.mean = 0;
    cs->initial.sd = 0.5;
    cs->model.populations = 1; /* I's fields keep their defaults: a hand-built case may set populations = 2 */
    snprintf(cs->name, sizeof cs->name, "custom");
}

void case_value_text(const nlif_case *cs, const key_spec *k, char *buf, size_t len)
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
        /* a word longer than the width: break after it (it came from one input line, so it fits) */
        for (const char *q = p + width; !cut && *q; q++)
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
    for (int s = 0; nlif_case_sections[s]; s++) {
        if ((!strcmp(nlif_case_sections[s], "structure") && !cs->structure.enabled) ||
            (!strcmp(nlif_case_sections[s], "population_i") && cs->model.populations != 2) ||
            (!strcmp(nlif_case_sections[s], "manufactured") && !cs->manufactured.enabled))
            continue;
        int header = 0;
        for (const key_spec *k = nlif_case_keys; k->section; k++) {
            if (strcmp(k->section, nlif_case_sections[s]) || !case_condition_holds(cs, k))
                continue;
            if (!header++)
                fprintf(f, "\n[%s]\n", nlif_case_sections[s]);
            /* the checks' own keys the case holds, as given (`nlif show` fills in the rest first:
             * nlif_checks_complete_expect), before the source that explains them */
            if (k->off == F(expect.source))
                for (int i = 0; i < cs->expect.n_bounds; i++)
                    fprintf(f, "%s = %s\n", cs->expect.bounds[i].key, cs->expect.bounds[i].value);
            char buf[VALUE_MAX];
            case_value_text(cs, k, buf, sizeof buf);
            write_wrapped(f, k, buf);
        }
    }
    if (cs->n_options)
        fprintf(f, "\n[options]\n");
    for (int i = 0; i < cs->n_options; i++)
        fprintf(f, "%s.%s = %s\n", cs->options[i].scheme, cs->options[i].name, cs->options[i].value);
}

void nlif_case_print_section_keys(FILE *f, const char *section)
{
    fprintf(f, "[%s]\n", section);
    if (!strcmp(section, "options")) {
        fprintf(f, "  %-12s %s\n", "S.NAME",
                "option NAME of scheme S for every run of S on this case (value checked against S's options; "
                "--opt on the command line wins; printed in every result)");
        return;
    }
    for (const key_spec *k = nlif_case_keys; k->section; k++) {
        if (strcmp(k->section, section))
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

int case_refuse(const char **key, const char *keys, char *why, size_t len, const char *fmt, ...)
{
    *key = keys;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, len, fmt, ap);
    va_end(ap);
    return 1;
}
