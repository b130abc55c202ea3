/* fresh.c — fresh instances (nlif_fresh.h; MATHEMATICS.md §6, "Fresh instances"): parameters drawn
 * around a stationary catalogue case inside a documented box, the valid region that decides whether
 * a problem may be judged (roots of §2 as many as the case's, the case's root well separated, the
 * first-order bound's leading term meaningful), the exact rate and bound computed on the spot, and
 * the instance built as a case of its own.
 *
 * Why a box and a region: the bound of the relax cases is a property of the problem,
 * (dv/2) N |V_F − μ| / a, valid where the one-sided flux error is led by its first term and the run
 * has relaxed by t_final. Inside ±20% of the catalogue values both were measured (§6); outside, a
 * FAIL would not say the solver is wrong.
 */
#include "nlif_fresh.h"
#include "nlif_case.h"

#include "../../exact/nlif_delay_onset.h"
#include "../../exact/nlif_exact.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const nlif_fresh_param_names[NLIF_FRESH_NPARAM] = {"a0", "a1", "b", "v_r", "i0", "mean", "sd"};

int nlif_fresh_param_index(const char *name)
{
    for (int i = 0; i < NLIF_FRESH_NPARAM; i++)
        if (!strcmp(nlif_fresh_param_names[i], name))
            return i;
    return -1;
}

double nlif_fresh_rate_tol(const nlif_model *m, double i0, double dv, double rate)
{
    double mu = m->b * rate + i0, a = m->a0 + m->a1 * rate;
    return 0.5 * dv * rate * fabs(m->v_f - mu) / a;
}

/* The half-width of the box of parameter I around the case's value X: a fraction of |X|, or of a
 * floor of 0.5 for the parameters whose catalogue value may be 0 (b, V_R, I, the initial mean). The
 * coefficients a0, a1 and the initial sd scale with themselves: a1 = 0 stays 0 (a1 > 0 is a
 * capability some schemes lack). */
static double half_width(int i, double x)
{
    int floored = i == NLIF_FRESH_B || i == NLIF_FRESH_VR || i == NLIF_FRESH_I0 || i == NLIF_FRESH_MEAN;
    return NLIF_FRESH_SPREAD * (floored ? fmax(fabs(x), 0.5) : fabs(x));
}

/* The text of [expect] bound KEY of CS, or NULL. */
static const char *bound_text(const nlif_case *cs, const char *key)
{
    for (int i = 0; i < cs->expect.n_bounds; i++)
        if (!strcmp(cs->expect.bounds[i].key, key))
            return cs->expect.bounds[i].value;
    return NULL;
}

static int root_index(const nlif_case *cs)
{
    const char *t = bound_text(cs, "stationary_root");
    double r = 0;
    return t && nlif_case_parse_double(t, &r) ? (int)r : 0;
}

/* The source text of the derivation the catalogue cases state (cases/relax_*.ini). */
#define DERIVATION "(dv/2) N (V_F - mu) / a"

int nlif_fresh_eligible(const nlif_case *cs, char *why, size_t len)
{
    const char *tol_text = bound_text(cs, "rate_tol");
    double tol = 0;
    if (nlif_fresh_name(cs->name, NULL, 0))
        return snprintf(why, len, "a fresh instance itself"), 0;
    if (!nlif_case_states(cs, "stationary_rate") || !tol_text || !nlif_case_parse_double(tol_text, &tol) || !(tol > 0))
        return snprintf(why, len, "states no stationary_rate with a rate_tol"), 0;
    if (cs->model.populations == 2) /* the box and its region are the one-population model's (MATHEMATICS.md 6) */
        return snprintf(why, len, "two populations (MATHEMATICS.md 1.6): no fresh box of their parameters"), 0;
    if (cs->structure.enabled || cs->initial.type != NLIF_INIT_GAUSSIAN ||
        (cs->input.type != NLIF_INPUT_NONE && cs->input.type != NLIF_INPUT_CONSTANT))
        return snprintf(why, len, "not 1D with a Gaussian initial law and a constant input"), 0;
    if (!strstr(cs->expect.source, DERIVATION))
        return snprintf(why, len, "its rate_tol is not derived as " DERIVATION " (its source)"), 0;
    double roots[NLIF_MAX_ROOTS];
    int n = 0, r = root_index(cs);
    nlif_error e = {0};
    double i0 = cs->input.type == NLIF_INPUT_CONSTANT ? cs->input.i0 : 0;
    if (nlif_stationary_rates(&cs->model, i0, roots, NLIF_MAX_ROOTS, &n, &e) || r >= n)
        return snprintf(why, len, "no exact stationary root %d", r), 0;
    /* the stated bound is this derivation, rounded to two significant digits */
    double derived = nlif_fresh_rate_tol(&cs->model, i0, cs->run.dv, roots[r]);
    double unit = pow(10, floor(log10(tol)) - 1);
    if (!(fabs(derived - tol) <= 0.5 * unit * (1 + 1e-9)))
        return snprintf(why, len, "its rate_tol %g is not " DERIVATION " = %.4g to two digits", tol, derived), 0;
    return 1;
}

void nlif_fresh_params_of(const nlif_case *cs, nlif_fresh_params *p)
{
    p->x[NLIF_FRESH_A0] = cs->model.a0;
    p->x[NLIF_FRESH_A1] = cs->model.a1;
    p->x[NLIF_FRESH_B] = cs->model.b;
    p->x[NLIF_FRESH_VR] = cs->model.v_r;
    p->x[NLIF_FRESH_I0] = cs->input.type == NLIF_INPUT_CONSTANT ? cs->input.i0 : 0;
    p->x[NLIF_FRESH_MEAN] = cs->initial.mean;
    p->x[NLIF_FRESH_SD] = cs->initial.sd;
}

/* The model of the instance P around BASE. */
static nlif_model model_of(const nlif_case *base, const nlif_fresh_params *p)
{
    nlif_model m = base->model;
    m.a0 = p->x[NLIF_FRESH_A0], m.a1 = p->x[NLIF_FRESH_A1], m.b = p->x[NLIF_FRESH_B], m.v_r = p->x[NLIF_FRESH_VR];
    return m;
}

int nlif_fresh_valid(const nlif_case *base, const nlif_fresh_params *p, nlif_fresh_exact *x, char *why, size_t len)
{
    nlif_fresh_params c;
    nlif_fresh_params_of(base, &c);
    double dv = base->run.dv;
    for (int i = 0; i < NLIF_FRESH_NPARAM; i++) {
        double h = half_width(i, c.x[i]), slack = (i == NLIF_FRESH_VR ? 0.5 * dv : 0) + 1e-12 * fmax(1, fabs(c.x[i]));
        if (!isfinite(p->x[i]) || fabs(p->x[i] - c.x[i]) > h + slack)
            return snprintf(why, len, "%s = %g is outside the box [%g, %g] (the case's %g +- %g%s)", nlif_fresh_param_names[i],
                            p->x[i], c.x[i] - h, c.x[i] + h, c.x[i], h, i == NLIF_FRESH_VR ? ", to the nearest grid node" : ""),
                   0;
    }
    nlif_model m = model_of(base, p);
    int nodes, r_node;
    if (!(m.a0 > 0) || m.a1 < 0 || !(p->x[NLIF_FRESH_SD] > 0))
        return snprintf(why, len, "a0 > 0, a1 >= 0 and sd > 0 are needed"), 0;
    if (!(m.v_min < m.v_r && m.v_r < m.v_f) || nlif_grid_nodes(&m, dv, &nodes, &r_node))
        return snprintf(why, len, "V_R = %g must be a grid node (dv %g from V_min %g) strictly between V_min and V_F = %g",
                        m.v_r, dv, m.v_min, m.v_f), 0;
    double roots[NLIF_MAX_ROOTS], base_roots[NLIF_MAX_ROOTS], i0 = p->x[NLIF_FRESH_I0];
    int n = 0, n_base = 0, r = root_index(base);
    nlif_error e = {0};
    double base_i0 = base->input.type == NLIF_INPUT_CONSTANT ? base->input.i0 : 0;
    if (nlif_stationary_rates(&base->model, base_i0, base_roots, NLIF_MAX_ROOTS, &n_base, &e))
        return snprintf(why, len, "the case's own stationary roots: %s", e.msg), 0;
    if (nlif_stationary_rates(&m, i0, roots, NLIF_MAX_ROOTS, &n, &e))
        return snprintf(why, len, "its stationary roots: %s", e.msg), 0;
    if (n != n_base || r >= n)
        return snprintf(why, len, "%d stationary root(s), the case has %d (root %d judged): another kind of problem", n,
                        n_base, r), 0;
    for (int k = 0; k < n; k++)
        if (k != r && fmax(roots[k], roots[r]) < NLIF_FRESH_ROOT_RATIO * fmin(roots[k], roots[r]))
            return snprintf(why, len, "root %d (%.6g) lies within a factor %g of root %d (%.6g): not well separated", r,
                            roots[r], NLIF_FRESH_ROOT_RATIO, k, roots[k]), 0;
    double gap = m.v_f - (m.b * roots[r] + i0);
    if (!(gap >= NLIF_FRESH_MIN_GAP))
        return snprintf(why, len, "V_F - mu = %.4g at the root (below %g: the first-order bound's leading term no longer "
                        "leads)", gap, NLIF_FRESH_MIN_GAP), 0;
    if (m.delay > 0) { /* relaxation by t_final needs the delay well below the Hopf onset (MATHEMATICS.md 2.1) */
        nlif_delay_onset o;
        if (nlif_delay_onset_compute(&m, i0, dv, &o, &e))
            return snprintf(why, len, "its onset of oscillation: %s", e.msg), 0;
        if (m.delay > NLIF_FRESH_DELAY_RATIO * o.d_c)
            return snprintf(why, len, "the delay %g exceeds %g d_c = %g x %.4g (the critical delay of MATHEMATICS.md 2.1): "
                            "relaxation by t_final is not assured", m.delay, NLIF_FRESH_DELAY_RATIO, NLIF_FRESH_DELAY_RATIO,
                            o.d_c), 0;
    }
    x->rate = roots[r], x->root = r, x->n_roots = n;
    x->rate_tol = nlif_fresh_rate_tol(&m, i0, dv, roots[r]);
    return 1;
}

/* SplitMix64 (Steele, Lea, Flood 2014): a small generator whose stream is the same on every
 * platform, so a seed repeats exactly. */
static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int nlif_fresh_draw(const nlif_case *base, uint64_t seed, int k, nlif_fresh_params *p, nlif_fresh_exact *x,
                    int *attempts, char *why, size_t len)
{
    /* the stream of (seed, case name, k): an instance does not depend on what else is selected */
    uint64_t h = 0xcbf29ce484222325ull;
    for (const char *c = base->name; *c; c++)
        h = (h ^ (unsigned char)*c) * 0x100000001b3ull;
    uint64_t s = seed ^ h ^ ((uint64_t)k << 48);
    splitmix64(&s);
    nlif_fresh_params c;
    nlif_fresh_params_of(base, &c);
    double dv = base->run.dv, v_min = base->model.v_min;
    for (*attempts = 1; *attempts <= NLIF_FRESH_ATTEMPTS; (*attempts)++) {
        for (int i = 0; i < NLIF_FRESH_NPARAM; i++) {
            double u = (double)(splitmix64(&s) >> 11) * 0x1.0p-53; /* uniform in [0, 1) */
            p->x[i] = c.x[i] + half_width(i, c.x[i]) * (2 * u - 1);
        }
        /* V_R on the nearest grid node of the case's resolution (the grid pins it) */
        p->x[NLIF_FRESH_VR] = v_min + dv * nearbyint((p->x[NLIF_FRESH_VR] - v_min) / dv);
        /* to the 15 digits the case file holds (nlif_case_write_ini): the problem judged is the one run */
        for (int i = 0; i < NLIF_FRESH_NPARAM; i++) {
            char t[40];
            snprintf(t, sizeof t, "%.15g", p->x[i]);
            p->x[i] = strtod(t, NULL);
        }
        if (nlif_fresh_valid(base, p, x, why, len))
            return 0;
    }
    *attempts = NLIF_FRESH_ATTEMPTS;
    return -1;
}

int nlif_fresh_name(const char *name, char *base, size_t len)
{
    const char *t = strchr(name, '~');
    if (!t || (t[1] != 'f' && t[1] != 'x') || !t[2] || strspn(t + 2, "0123456789") != strlen(t + 2))
        return 0;
    if (base)
        snprintf(base, len, "%.*s", (int)(t - name), name);
    return 1;
}

int nlif_fresh_case(const nlif_case *base, const nlif_fresh_params *p, const nlif_fresh_exact *x, const char *name,
                    const char *path, nlif_case *out, nlif_case *for_run, nlif_error *err)
{
    nlif_case *c = calloc(1, sizeof *c);
    if (!c)
        return nlif_fail(err, NLIF_ENOMEM, "fresh instance");
    *c = *base;
    c->model = model_of(base, p);
    double i0 = p->x[NLIF_FRESH_I0];
    if (i0 != 0 || base->input.type == NLIF_INPUT_CONSTANT)
        c->input.type = NLIF_INPUT_CONSTANT, c->input.i0 = i0;
    c->initial.mean = p->x[NLIF_FRESH_MEAN], c->initial.sd = p->x[NLIF_FRESH_SD];
    snprintf(c->description, sizeof c->description,
             "a problem drawn around case %s by nlif verify, relaxing to its stationary state", base->name);
    if (c->n_tags < NLIF_MAX_TAGS)
        snprintf(c->tags[c->n_tags++], NLIF_NAME_MAX, "fresh");
    /* the file the run reads: no check, no bound, no source (nothing a solver could read off) */
    c->expect.checks[0] = '\0', c->expect.source[0] = '\0', c->expect.n_bounds = 0;
    char *text = NULL;
    size_t text_len = 0;
    FILE *f = open_memstream(&text, &text_len);
    if (!f) {
        free(c);
        return nlif_fail(err, NLIF_ENOMEM, "fresh instance text");
    }
    nlif_case_write_ini(f, c);
    fclose(f);
    int rc = nlif_case_parse_string(for_run, text, path, NULL, 0, err);
    free(text);
    free(c);
    if (rc)
        return rc;
    /* the name is the path's; the instance's name must be NAME */
    if (strcmp(for_run->name, name))
        return nlif_fail(err, NLIF_EINVAL, "fresh instance %s: its file %s names it %s", name, path, for_run->name);
    *out = *for_run;
    snprintf(out->expect.checks, sizeof out->expect.checks, "stationary_rate");
    snprintf(out->expect.source, sizeof out->expect.source,
             "rate_tol: case %s's derivation, the leading error of a first-order one-sided rate (flux at V_F) at the "
             "default dv, " DERIVATION " = (dv/2) N |V_F - mu| / a (MATHEMATICS.md 6), evaluated for this problem at its "
             "exact stationary root (MATHEMATICS.md 2), computed when it was drawn (MATHEMATICS.md 6, fresh instances)",
             base->name);
    out->expect.n_bounds = 0;
    nlif_expect_bound *b = &out->expect.bounds[out->expect.n_bounds++];
    snprintf(b->key, sizeof b->key, "rate_tol");
    snprintf(b->value, sizeof b->value, "%.6g", x->rate_tol);
    b = &out->expect.bounds[out->expect.n_bounds++];
    snprintf(b->key, sizeof b->key, "stationary_root");
    snprintf(b->value, sizeof b->value, "%d", x->root);
    return NLIF_OK;
}
