/* explicit_ei.c — the classical explicit scheme for two populations E and I (MATHEMATICS.md §1.6, §5c):
 * each population is the one-population semi-discretisation of explicit.c (WENO5 Lax–Friedrichs drift,
 * central diffusion, N_α from the one-sided slope at V_F re-injected at its own V_R,α), its drift centre
 * carrying the other population's term as `cross` (E: b_EI N_I, I: b_IE N_E), and the two advance together
 * in the same SSP-RK3 stages, each stage's rates from that stage's densities (or the step's start with
 * rate_coupling = frozen); the step is the smaller of the two CFL steps. As for one population the scheme
 * is not mass-exact (the outflow is not tied to the re-injected rate: a truncation defect of O(Δv²) in
 * each population, measured by the mass check) and WENO is not positivity-preserving. */
#include "explicit.h"

#include "../../exact/nlif_exact.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int nlif_ex_ei_setup(nlif_explicit *s, nlif_explicit *si, const nlif_case *cs, nlif_error *err)
{
    nlif_case one;
    int n = s->n, rc;
    if ((rc = nlif_population_project(cs, 0, s->dv, n, s->p, err)) || (rc = nlif_population_case(cs, 1, &one, err)) ||
        (rc = nlif_population_project(cs, 1, s->dv, n, si->p, err)))
        return nlif_error_prefix(err, "explicit: initial law of two populations"), rc;
    si->cs = one; /* I's own model (b = b_II) and constant input i0_I; the other population's term is `cross` */
    si->cs.input = (nlif_input){.type = NLIF_INPUT_CONSTANT, .i0 = cs->model.i0_i}; /* not the stationary view's */
    if (nlif_grid_reset_i(&cs->model, s->dv, &si->r) || si->r < 1 || si->r >= n)
        return nlif_fail(err, NLIF_EINVAL, "explicit: V_R,I = %g is no interior node of the grid", cs->model.v_r_i);
    s->p[n] = si->p[n] = 0.0;
    if (s->vmin_bc == NLIF_EX_VMIN_ZERO_FLUX && n > 1) /* the density at the wall is 2u_0 (MATHEMATICS.md §1.3) */
        s->p[0] *= 2.0, si->p[0] *= 2.0;
    s->rate = nlif_ex_rate(s, s->p), si->rate = nlif_ex_rate(si, si->p);
    if (!isfinite(s->rate) || !isfinite(si->rate))
        return nlif_fail(err, NLIF_EINVAL, "explicit: no finite initial rates of the two populations");
    s->cross = cs->model.b_ei * si->rate, si->cross = cs->model.b_ie * s->rate;
    s->pop_i = si;
    return NLIF_OK;
}

int nlif_ex_ei_record(nlif_explicit *s, double *pmax, nlif_error *err)
{
    nlif_explicit *si = s->pop_i;
    double lo[2] = {INFINITY, INFINITY}, hi = -INFINITY;
    for (int i = 0; i < s->n; i++)
        lo[0] = fmin(lo[0], s->p[i]), lo[1] = fmin(lo[1], si->p[i]), hi = fmax(hi, fmax(s->p[i], si->p[i]));
    nlif_traj_note_max(s->traj, hi);
    *pmax = fmax(0.0, hi);
    nlif_sample smp = {0, si->rate, si->fired, nlif_ex_mass(si, si->p), lo[1]};
    if (nlif_traj_record_populations(s->traj, s->t, s->rate, s->fired, nlif_ex_mass(s, s->p), lo[0], smp))
        return nlif_fail(err, NLIF_ENOMEM, "explicit: trajectory sample at t = %g", s->t);
    return NLIF_OK;
}

/* One stage's right-hand sides of both populations at time t (rates from the densities, or the frozen
 * ones when finite); the rates in N[2]. */
static int stage(nlif_explicit *s, const double *pe, const double *pi, double t, const double frozen[2], double N[2])
{
    nlif_explicit *si = s->pop_i;
    const nlif_model *m = &s->cs.model;
    N[0] = isfinite(frozen[0]) ? frozen[0] : nlif_ex_rate(s, pe);
    N[1] = isfinite(frozen[1]) ? frozen[1] : nlif_ex_rate(si, pi);
    if (isnan(N[0]) || isnan(N[1]))
        return NLIF_EX_RHS_NOISE;
    s->cross = m->b_ei * N[1], si->cross = m->b_ie * N[0];
    double r;
    int rc = nlif_ex_rhs(s, pe, t, N[0], s->L, &r);
    return rc ? rc : nlif_ex_rhs(si, pi, t, N[1], si->L, &r);
}

/* One SSP-RK3 step of both populations (the state untouched unless NLIF_EX_RHS_OK). */
static int rk3(nlif_explicit *s, double h, double rate_new[2], double inc[2])
{
    nlif_explicit *si = s->pop_i;
    nlif_explicit *o[2] = {s, si};
    const int n = s->n;
    double N0[2], N1[2], N2[2], none[2] = {NAN, NAN};
    int rc = stage(s, s->p, si->p, s->t, none, N0);
    if (rc)
        return rc;
    const double *fr = s->coupling == NLIF_EX_RATE_FROZEN ? N0 : none;
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < n; i++)
            o[a]->p1[i] = o[a]->p[i] + h * o[a]->L[i];
    if ((rc = stage(s, s->p1, si->p1, s->t + h, fr, N1)))
        return rc;
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < n; i++)
            o[a]->p2[i] = 0.75 * o[a]->p[i] + 0.25 * (o[a]->p1[i] + h * o[a]->L[i]);
    if ((rc = stage(s, s->p2, si->p2, s->t + 0.5 * h, fr, N2)))
        return rc;
    for (int a = 0; a < 2; a++) {
        for (int i = 0; i < n; i++)
            o[a]->p1[i] = o[a]->p[i] / 3 + 2.0 / 3 * (o[a]->p2[i] + h * o[a]->L[i]);
        rate_new[a] = nlif_ex_rate(o[a], o[a]->p1);
        if (isnan(rate_new[a]))
            return NLIF_EX_RHS_NOISE;
        for (int i = 0; i < n; i++)
            if (!isfinite(o[a]->p1[i]))
                return NLIF_EX_RHS_NONFINITE;
        inc[a] = h * (N0[a] / 6 + N1[a] / 6 + 2 * N2[a] / 3);
        s->stage_rate_max = fmax(s->stage_rate_max, fmax(N0[a], fmax(N1[a], N2[a])));
    }
    for (int a = 0; a < 2; a++)
        memcpy(o[a]->p, o[a]->p1, (size_t)n * sizeof *s->p);
    return NLIF_EX_RHS_OK;
}

int nlif_ex_ei_advance(nlif_explicit *s, double t_end, nlif_error *err)
{
    nlif_explicit *si = s->pop_i;
    nlif_trajectory *tr = s->traj;
    int rc = NLIF_OK;
    while (tr->status == NLIF_STATUS_OK && s->t < t_end) {
        double cfl = fmin(nlif_ex_cfl_step(s, s->rate, s->t), nlif_ex_cfl_step(si, si->rate, s->t)), h;
        if (s->dt_mode == NLIF_EX_DT_FIXED)
            h = s->dt_case;
        else {
            if (!(cfl >= s->dt_floor)) {
                nlif_traj_set_status(tr, NLIF_STATUS_BLOWUP, s->t, "the CFL step %.3g fell below dt_floor = %g "
                                     "(N_E = %.6g, N_I = %.6g)", cfl, s->dt_floor, s->rate, si->rate);
                break;
            }
            h = s->dt_mode == NLIF_EX_DT_CFL ? cfl : fmin(s->dt_case, cfl);
            if (h < s->dt_case || s->dt_mode == NLIF_EX_DT_CFL)
                s->cfl_limited++;
        }
        int land = nlif_step_to(s->t, t_end, h, &h);
        double N[2], inc[2];
        int code = rk3(s, h, N, inc);
        if (code) {
            nlif_traj_set_status(tr, NLIF_STATUS_BLOWUP, s->t, "in the step to t = %.6g: %s (N_E = %.6g, N_I = %.6g)",
                                 s->t + h, code == NLIF_EX_RHS_NOISE ? "a1 g reached 1" : "non-finite rate or density",
                                 s->rate, si->rate);
            break;
        }
        s->t = si->t = land ? t_end : s->t + h;
        s->rate = N[0], si->rate = N[1], s->fired += inc[0], si->fired += inc[1];
        s->steps++, s->dt_min = fmin(s->dt_min, h), s->dt_max = fmax(s->dt_max, h);
        double pmax;
        if ((rc = nlif_ex_ei_record(s, &pmax, err)))
            break;
        double ind = s->cs.model.b * s->p[s->n - 1];
        if (s->indicator > 0 && ind >= s->indicator)
            nlif_traj_set_status(tr, NLIF_STATUS_BLOWUP, s->t, "b_EE p_E,n-1 = %.4g reached blowup_indicator = %g "
                                 "(N_E = %.6g)", ind, s->indicator, s->rate);
        else if (fmax(s->rate, si->rate) > s->rate_max || pmax > s->density_max)
            nlif_traj_set_status(tr, NLIF_STATUS_BLOWUP, s->t, "N_E = %.6g, N_I = %.6g, max p %.4g beyond rate_max = %g "
                                 "or density_max = %g", s->rate, si->rate, pmax, s->rate_max, s->density_max);
    }
    return rc;
}
