/* populations.c — stationary states of the two-population model E–I (MATHEMATICS.md §1.6, §2), and the
 * one-population view of each population that the initial projection and the particle sampling use.
 *
 * A stationary state is a pair (N_E, N_I) with, for α ∈ {E, I},
 *
 *     N_α = Φ_α(b_αE N_E + b_αI N_I + I_α),                                                 (1)
 *
 * Φ_α the one-population stationary rate for a given mean drift with α's noise a_α(N_α), reset V_R,α
 * and the wall at V_min (exact/stationary.c). With b_II ≤ 0 the I equation has, for each N_E, the
 * rates of I's own one-population model (b = b_II) with the input b_IE N_E + I_I: nlif_stationary_rates
 * finds them all, and it is one for every model of the catalogue (a second root is refused, not
 * guessed). What is left is one equation in N_E,
 *
 *     g(x) = x + log I_E(e^x) = 0,  x = log N_E,  the E equation of (1) with N_I = N_I(N_E),           (2)
 *
 * solved as the one-population search does: sign changes of g on a log-spaced grid of N_E in
 * [1e-8, 1e3] (40 points a decade), then bisection to 1e-14 in x (g may be +inf where I_E overflows:
 * bisection needs only its sign). A tangency of g without a sign change (a fold) is not resolved. */
#include "nlif_exact.h"

#include "nlif_density.h"

#include <math.h>
#include <string.h>

#define POP_LO 1e-8
#define POP_HI 1e3
#define POP_PER_DECADE 40
#define POP_XTOL 1e-14

/* E's own one-population model (b = b_EE; its other drift terms are an input). */
static nlif_model model_e(const nlif_model *m)
{
    nlif_model q = *m;
    q.populations = 1;
    q.b_ei = q.b_ie = q.b_ii = q.a0_i = q.a1_i = q.v_r_i = q.i0_i = 0;
    return q;
}

int nlif_population_rate_i(const nlif_model *m, double rate_e, double *rate_i, nlif_error *err)
{
    nlif_model mi = nlif_model_population_i(m);
    double roots[NLIF_MAX_ROOTS];
    int nr;
    /* I's equation is an inhibitory one-population model (b_II ≤ 0): with a1_I = 0 its rate is unique
     * and found by one bracket (the E search calls this at every point of its grid) */
    if (mi.a1 == 0 && mi.b <= 0 && !nlif_stationary_rate_unique(&mi, m->b_ie * rate_e + m->i0_i, rate_i, NULL))
        return NLIF_OK;
    if (nlif_stationary_rates(&mi, m->b_ie * rate_e + m->i0_i, roots, NLIF_MAX_ROOTS, &nr, err))
        return NLIF_EINVAL;
    if (nr != 1)
        return nlif_fail(err, NLIF_ENUMERIC, "population I at N_E = %.17g: %d stationary rates of its own equation "
                         "(b_II = %g, input %g); the E-I search needs exactly one", rate_e, nr, m->b_ii,
                         m->b_ie * rate_e + m->i0_i);
    *rate_i = roots[0];
    return NLIF_OK;
}

/* g(x) of (2), and N_I there. */
static int g_of(const nlif_model *m, double input_e, double x, double *g, double *rate_i, nlif_error *err)
{
    double ne = exp(x);
    if (nlif_population_rate_i(m, ne, rate_i, err))
        return NLIF_ENUMERIC;
    nlif_model me = model_e(m);
    double inv = nlif_inverse_rate(nlif_noise(&me, ne), me.v_f, me.v_r, me.v_min, me.b * ne + m->b_ei * *rate_i + input_e);
    *g = x + log(inv);
    return isnan(*g) ? nlif_fail(err, NLIF_ENUMERIC, "E-I stationary search: no value at N_E = %g", ne) : NLIF_OK;
}

int nlif_population_rates(const nlif_model *m, double input_e, double rates[][2], int max_roots, int *n_roots,
                          nlif_error *err)
{
    *n_roots = 0;
    if (m->populations != 2)
        return nlif_fail(err, NLIF_EINVAL, "E-I stationary rates need a model of two populations");
    int n = (int)lround(POP_PER_DECADE * log10(POP_HI / POP_LO));
    double x0 = log(POP_LO), h = (log(POP_HI) - x0) / n, gp = 0, ip;
    for (int k = 0; k <= n; k++) {
        double x = x0 + k * h, g, ri;
        if (g_of(m, input_e, x, &g, &ri, err))
            return NLIF_ENUMERIC;
        if (k > 0 && (g == 0 || (gp < 0) != (g < 0))) {
            double lo = x - h, hi = x, glo = gp; /* bisection on the sign (g may be +inf) */
            while (hi - lo > POP_XTOL * fmax(1.0, fabs(hi))) {
                double mid = 0.5 * (lo + hi), gm;
                if (g_of(m, input_e, mid, &gm, &ri, err))
                    return NLIF_ENUMERIC;
                if ((gm < 0) == (glo < 0) && gm != 0)
                    lo = mid, glo = gm;
                else
                    hi = mid;
            }
            double xr = 0.5 * (lo + hi), gr;
            if (g_of(m, input_e, xr, &gr, &ri, err))
                return NLIF_ENUMERIC;
            if (*n_roots < max_roots) {
                rates[*n_roots][0] = exp(xr);
                rates[*n_roots][1] = ri;
            }
            ++*n_roots;
        }
        gp = g, ip = ri;
    }
    (void)ip;
    if (*n_roots > max_roots)
        return nlif_fail(err, NLIF_ENUMERIC, "E-I stationary search: %d roots, more than %d", *n_roots, max_roots);
    return NLIF_OK;
}

void nlif_population_residuals(const nlif_model *m, double input_e, double rate_e, double rate_i, double res[2])
{
    nlif_model me = model_e(m), mi = nlif_model_population_i(m);
    res[0] = nlif_rate_residual(&me, m->b_ei * rate_i + input_e, rate_e);
    res[1] = nlif_rate_residual(&mi, m->b_ie * rate_e + m->i0_i, rate_i);
}

int nlif_population_case(const nlif_case *cs, int alpha, nlif_case *out, nlif_error *err)
{
    *out = *cs;
    const nlif_model *m = &cs->model;
    out->model = alpha == 0 ? model_e(m) : nlif_model_population_i(m);
    if (cs->initial.type != NLIF_INIT_STATIONARY) {
        if (alpha == 1) {
            memset(&out->initial, 0, sizeof out->initial);
            out->initial.type = NLIF_INIT_GAUSSIAN;
            out->initial.mean = cs->initial.mean_i, out->initial.sd = cs->initial.sd_i, out->initial.normalise = 1;
            out->input.type = NLIF_INPUT_CONSTANT, out->input.i0 = m->i0_i;
        }
        return NLIF_OK;
    }
    double rates[NLIF_MAX_ROOTS][2], one[NLIF_MAX_ROOTS];
    int nr, n1;
    if (nlif_population_rates(m, cs->input.i0, rates, NLIF_MAX_ROOTS, &nr, err))
        return NLIF_EINVAL;
    if (cs->initial.root >= nr)
        return nlif_fail(err, NLIF_EINVAL, "initial.root = %d but the E-I model has %d stationary state(s)",
                         cs->initial.root, nr);
    const double *r = rates[cs->initial.root];
    /* α's own model sees the other population's term as a constant input; its root nearest N_α is the state */
    double input = alpha == 0 ? m->b_ei * r[1] + cs->input.i0 : m->b_ie * r[0] + m->i0_i;
    out->input.type = NLIF_INPUT_CONSTANT, out->input.i0 = input;
    if (nlif_stationary_rates(&out->model, input, one, NLIF_MAX_ROOTS, &n1, err))
        return NLIF_EINVAL;
    int best = -1;
    for (int k = 0; k < n1; k++)
        if (best < 0 || fabs(one[k] - r[alpha]) < fabs(one[best] - r[alpha]))
            best = k;
    if (best < 0 || fabs(one[best] - r[alpha]) > 1e-8 * fmax(1.0, r[alpha]))
        return nlif_fail(err, NLIF_ENUMERIC, "E-I stationary state %d: population %c's rate %.17g is no root of its "
                         "own equation", cs->initial.root, alpha ? 'I' : 'E', r[alpha]);
    out->initial.root = best;
    return NLIF_OK;
}

int nlif_population_state(const nlif_model *m, double input_e, int root, int alpha, nlif_model *one, double *input,
                          double *rate, nlif_error *err)
{
    double rates[NLIF_MAX_ROOTS][2];
    int nr;
    if (nlif_population_rates(m, input_e, rates, NLIF_MAX_ROOTS, &nr, err))
        return NLIF_EINVAL;
    if (root < 0 || root >= nr)
        return nlif_fail(err, NLIF_EINVAL, "no E-I stationary state %d (the model has %d)", root, nr);
    *one = alpha == 0 ? model_e(m) : nlif_model_population_i(m);
    *input = alpha == 0 ? m->b_ei * rates[root][1] + input_e : m->b_ie * rates[root][0] + m->i0_i;
    *rate = rates[root][alpha];
    return NLIF_OK;
}

int nlif_population_project(const nlif_case *cs, int alpha, double dv, int n, double *p, nlif_error *err)
{
    nlif_case one;
    if (nlif_population_case(cs, alpha, &one, err))
        return NLIF_EINVAL;
    return nlif_initial_project(&one, dv, n, p, err);
}
