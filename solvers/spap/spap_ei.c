/* spap_ei.c — spap for two populations E and I (MATHEMATICS.md §1.6, §3): each population is one slice of
 * spap's 1D step, its coefficients frozen at the step's start (N_E^k, N_I^k):
 *
 *   (I + Δt A_α(μ_α^k, a_α^k)) p_α^{k+1} = p_α^k,   μ_α^k = b_αE N_E^k + b_αI N_I^k + I_α(t^{k+1}),
 *   a_α^k = a0_α + a1_α N_α^k,   N_α^{k+1} = c_out,α p_α,n−1^{k+1},
 *
 * Maxwellian fluxes, the implicit outflow re-injected at α's own reset node r_α, solved by the GTH
 * variant of Thomas (spap_linalg.c): each population's mass is conserved and its density stays
 * non-negative for every Δt, as in the one-population scheme (MATHEMATICS.md §3); the guard rescales each
 * population to its own known mass (round-off only, reported as mass_renormalisation_max). */
#include "spap.h"

#include "../../exact/nlif_exact.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Population α's face coefficients (node 0's half cell doubled, as spap_slice_coefficients) at the rates
 * N = (N_E, N_I) and time t; returns c_out, and a in *a. */
static double coefficients(spap *s, int alpha, const double N[2], double t, double *a)
{
    const nlif_model *m = &s->cs.model;
    *a = alpha ? m->a0_i + m->a1_i * N[1] : m->a0 + m->a1 * N[0];
    double mu = nlif_population_drift(m, alpha, N[0], N[1], nlif_input_current(&s->cs.input, t));
    spap_face_coefficients(s->n, m->v_min, s->dv, *a, mu, s->alpha, s->beta);
    if (s->n > 1)
        s->alpha[0] *= 2.0;
    return spap_outflow_coefficient(s, *a, s->alpha);
}

static void measure(const double *p, int n, double *sum, double *lo, double *hi)
{
    double m = 0, l = INFINITY, h = 0;
    for (int i = 0; i < n; i++)
        m += p[i], l = p[i] < l ? p[i] : l, h = p[i] > h ? p[i] : h;
    *sum = m, *lo = l, *hi = h;
}

static int record(spap *s, nlif_error *err)
{
    double sum[2], lo[2], hi[2];
    measure(s->p, s->n, &sum[0], &lo[0], &hi[0]);
    measure(s->p_i, s->n, &sum[1], &lo[1], &hi[1]);
    nlif_traj_note_max(s->traj, fmax(hi[0], hi[1]));
    nlif_sample si = {0, s->rate_i, s->fired_i, sum[1] * s->dv, lo[1]};
    if (nlif_traj_record_populations(s->traj, s->t, s->rate, s->fired, sum[0] * s->dv, lo[0], si))
        return nlif_fail(err, NLIF_ENOMEM, "spap: trajectory sample at t = %g", s->t);
    return NLIF_OK;
}

int spap_ei_initial(spap *s, const nlif_case *cs, nlif_error *err)
{
    int n = s->n, rc;
    if (nlif_grid_reset_i(&cs->model, s->dv, &s->r_i) || s->r_i >= n)
        return nlif_fail(err, NLIF_EINVAL, "spap: V_R,I = %g is no node of the Δv = %g grid", cs->model.v_r_i, s->dv);
    if (!(s->p_i = malloc(n * sizeof *s->p_i)) || !(s->pmarg_i = malloc((n + 1) * sizeof *s->pmarg_i)))
        return nlif_fail(err, NLIF_ENOMEM, "spap: population I's %d cells", n);
    if ((rc = nlif_population_project(cs, 0, s->dv, n, s->p, err)) || (rc = nlif_population_project(cs, 1, s->dv, n, s->p_i, err)))
        return nlif_error_prefix(err, "spap: initial density"), rc;
    s->mass_slice[0] = nlif_sum(s->p, n), s->mass_i = nlif_sum(s->p_i, n);
    /* N^0: the outflow coefficients depend on both rates through μ; iterate to the fixed point */
    double N[2] = {0, 0}, a;
    for (int it = 0; it < 200; it++) {
        double Ne = coefficients(s, 0, N, 0.0, &a) * s->p[n - 1], Ni = coefficients(s, 1, N, 0.0, &a) * s->p_i[n - 1];
        int done = fabs(Ne - N[0]) <= 1e-15 * fabs(Ne) && fabs(Ni - N[1]) <= 1e-15 * fabs(Ni);
        N[0] = Ne, N[1] = Ni;
        if (done || !isfinite(Ne) || !isfinite(Ni))
            break;
    }
    if (!isfinite(N[0]) || !isfinite(N[1]))
        return nlif_fail(err, NLIF_ENUMERIC, "spap: the initial firing rates are not finite");
    s->rate = N[0], s->rate_i = N[1], s->fired = s->fired_i = 0;
    nlif_traj_stat(s->traj, "n_cells_v", n);
    nlif_traj_stat(s->traj, "dv", s->dv);
    return record(s, err);
}

int spap_ei_step(spap *s, double h, nlif_error *err)
{
    int n = s->n;
    double N[2] = {s->rate, s->rate_i}, t_new = s->t + h, lam = h / s->dv, Nn[2];
    double *x[2] = {s->p, s->p_i}, want[2] = {s->mass_slice[0], s->mass_i};
    for (int alpha = 0; alpha < 2; alpha++) {
        double a, c_out = coefficients(s, alpha, N, t_new, &a);
        double sum = spap_solve_slice(n, alpha ? s->r_i : s->r, lam * a / s->dv, s->alpha, s->beta, lam * c_out, x[alpha],
                                      s->work);
        if (s->mass_guard && sum > 0 && want[alpha] > 0) {
            s->renorm_max = fmax(s->renorm_max, fabs(want[alpha] - sum) * s->dv);
            double f = want[alpha] / sum;
            for (int i = 0; i < n; i++)
                x[alpha][i] *= f;
        }
        Nn[alpha] = c_out * x[alpha][n - 1];
    }
    s->t = t_new;
    s->rate = Nn[0], s->rate_i = Nn[1];
    s->fired += h * Nn[0], s->fired_i += h * Nn[1];
    int rc = record(s, err);
    if (rc)
        return rc;
    double ind = s->cs.model.b * s->p[n - 1];
    if (!isfinite(Nn[0]) || !isfinite(Nn[1])) {
        nlif_traj_set_status(s->traj, NLIF_STATUS_FAILED, s->t, "firing rates not finite (N_E = %g, N_I = %g)", Nn[0], Nn[1]);
        s->stopped = 1;
    } else if (ind >= s->theta_b || Nn[0] > s->rate_cap || Nn[1] > s->rate_cap) {
        nlif_traj_set_status(s->traj, NLIF_STATUS_BLOWUP, s->t, "discrete blow-up indicator b_EE p_E,n-1 = %.6g "
                             "(threshold %.6g), N_E = %.6g, N_I = %.6g", ind, s->theta_b, Nn[0], Nn[1]);
        s->stopped = 1;
    }
    return NLIF_OK;
}

int spap_ei_profile(spap *s, nlif_profile *out)
{
    int n = s->n;
    memset(out, 0, sizeof *out);
    memcpy(s->pmarg, s->p, n * sizeof *s->p);
    memcpy(s->pmarg_i, s->p_i, n * sizeof *s->p_i);
    if (n > 1) /* the density at the wall: node 0 holds the half cell (MATHEMATICS.md §1.3) */
        s->pmarg[0] *= 2.0, s->pmarg_i[0] *= 2.0;
    s->pmarg[n] = s->pmarg_i[n] = 0.0;
    out->t = s->t, out->n = n + 1, out->v = s->v, out->p = s->pmarg, out->p_i = s->pmarg_i;
    return NLIF_OK;
}
