/* converge_errors.c — the errors of one level of a convergence study (converge.c) against its
 * reference: exact (the OU Gaussian's cell means in v, the linear learning rule's characteristics in
 * w) or a finer run (injection in v, cell averages in w, N interpolated linearly in time). What each
 * measures and why: the file comment of converge.c, MATHEMATICS.md §6. */
#include "converge_errors.h"

#include "../../core/nlif_mms.h"
#include "../../exact/nlif_exact.h"
#include "../case/nlif_case.h"

#include <math.h>

/* ---- exact references ------------------------------------------------------------------------- */

/* 1 if the OU Gaussian is an exact solution of CS to round-off (V_F and V_min 8.5 standard deviations
 * away at all times: converge.c's file comment). */
int nlif_conv_ou_exact_applies(const nlif_case *cs)
{
    const nlif_model *m = &cs->model;
    if (cs->structure.enabled || m->b != 0.0 || m->a1 != 0.0 || cs->initial.type != NLIF_INIT_GAUSSIAN)
        return 0;
    if (cs->input.type != NLIF_INPUT_NONE && cs->input.type != NLIF_INPUT_CONSTANT)
        return 0;
    double c = nlif_input_current(&cs->input, 0.0);
    for (int i = 0; i <= 200; i++) {
        double t = cs->run.t_final * i / 200.0, mean, var;
        nlif_ou_exact(cs->initial.mean, cs->initial.sd * cs->initial.sd, m->a0, c, t, &mean, &var);
        double s = sqrt(var);
        if ((m->v_f - mean) < 8.5 * s || (mean - m->v_min) < 8.5 * s)
            return 0;
    }
    return 1;
}

static double phi(double x) { return 0.5 * erfc(-x / M_SQRT2); }

/* L1 distance of the profile to the cell means of N(mean, var) on cells [v_i ± Δv/2]. */
double nlif_conv_err_profile_gauss(const nlif_snapshot *s, double mean, double var)
{
    if (s->n < 2)
        return NAN;
    double dv = (s->v[s->n - 1] - s->v[0]) / (s->n - 1), sd = sqrt(var), e = 0;
    for (int i = 0; i < s->n; i++) {
        double lo = phi((s->v[i] - 0.5 * dv - mean) / sd), hi = phi((s->v[i] + 0.5 * dv - mean) / sd);
        e += fabs(s->p[i] - (hi - lo) / dv);
    }
    return e * dv;
}

double nlif_conv_err_profile_mms(const nlif_snapshot *s, const nlif_case *cs)
{
    return nlif_mms_profile_error(cs, s->t, s->v, s->p, s->n);
}

/* Whether sample time t lies in a layer left out: [0, t_from), and with a delay d [d, d + t_from), where
 * the drift jumps by b (N(0) − N_h) and starts the same layer again (MATHEMATICS.md 6b). */
static int in_layer(double t, double t_from, double delay)
{
    return t <= 0 || t < t_from || (delay > 0 && t >= delay && t < delay + t_from);
}

double nlif_conv_err_rate_mms(const nlif_trajectory *lv, const nlif_case *cs, double t_from, double *at)
{
    double e = 0;
    for (size_t i = 0; i < lv->n; i++) {
        if (in_layer(lv->s[i].t, t_from, cs->model.delay))
            continue;
        double d = fabs(lv->s[i].rate - nlif_mms_rate(cs, lv->s[i].t));
        if (!(d <= e))
            e = d, *at = lv->s[i].t; /* a NaN rate propagates */
    }
    return e;
}

/* L1 in w of ρ against the exact cell means of the linear-rule transport at t. */
double nlif_conv_err_rho_exact(const nlif_snapshot *s, const nlif_density *rho0, const nlif_structure *st, double t)
{
    if (s->nw < 1)
        return NAN;
    double dw = (st->w_max - st->w_min) / s->nw, g = exp(st->rate * t), e = 0;
    for (int j = 0; j < s->nw; j++) {
        double lo = s->w[j] - 0.5 * dw, hi = s->w[j] + 0.5 * dw;
        double mass = nlif_density_cdf(rho0, st->w_star + (hi - st->w_star) * g) -
                      nlif_density_cdf(rho0, st->w_star + (lo - st->w_star) * g);
        e += fabs(s->rho[j] - mass / dw);
    }
    return e * dw;
}

/* ---- against a finer run ---------------------------------------------------------------------- */

/* Linear interpolation of (x[k], y[k]) (x ascending) at z; *k is a moving hint for ascending z. */
static double interp(const double *x, const double *y, int n, double z, int *k)
{
    if (n < 1)
        return NAN;
    if (z <= x[0])
        return y[0];
    if (z >= x[n - 1])
        return y[n - 1];
    int j = *k < 0 ? 0 : *k;
    if (j > n - 2 || x[j] > z)
        j = 0;
    while (j < n - 2 && x[j + 1] < z)
        j++;
    *k = j;
    double h = x[j + 1] - x[j];
    return h > 0 ? y[j] + (y[j + 1] - y[j]) * (z - x[j]) / h : y[j + 1];
}

double nlif_conv_err_profile_run(const nlif_snapshot *s, const nlif_snapshot *ref)
{
    if (s->n < 2 || ref->n < 2)
        return NAN;
    double dv = (s->v[s->n - 1] - s->v[0]) / (s->n - 1), e = 0;
    int k = 0;
    for (int i = 0; i < s->n; i++)
        e += fabs(s->p[i] - interp(ref->v, ref->p, ref->n, s->v[i], &k));
    return e * dv;
}

/* ρ by cell averages: the reference's cells whose centres lie in the level's cell, averaged. */
double nlif_conv_err_rho_run(const nlif_snapshot *s, const nlif_snapshot *ref, const nlif_structure *st)
{
    if (s->nw < 1 || ref->nw < 1)
        return NAN;
    double dw = (st->w_max - st->w_min) / s->nw, e = 0;
    int k = 0;
    for (int j = 0; j < s->nw; j++) {
        double lo = s->w[j] - 0.5 * dw, hi = s->w[j] + 0.5 * dw, acc = 0;
        int cnt = 0;
        while (k < ref->nw && ref->w[k] < lo)
            k++;
        for (int q = k; q < ref->nw && ref->w[q] < hi; q++)
            acc += ref->rho[q], cnt++;
        if (!cnt)
            return NAN;
        e += fabs(s->rho[j] - acc / cnt);
    }
    return e * dw;
}

/* max over the level's samples (up to the reference's last time) of |N − N_ref|. */
double nlif_conv_err_rate_run(const nlif_trajectory *lv, const nlif_trajectory *ref, double *rt, double *rn,
                              double t_from, double delay, double *at)
{
    size_t m = ref->n;
    if (!m || !lv->n)
        return NAN;
    for (size_t i = 0; i < m; i++)
        rt[i] = ref->s[i].t, rn[i] = ref->s[i].rate;
    double tmax = rt[m - 1] * (1 + 1e-12) + 1e-300, e = 0;
    int k = 0;
    for (size_t i = 0; i < lv->n; i++) {
        if (in_layer(lv->s[i].t, t_from, delay))
            continue; /* N(0) is the initial datum's, see the file comment; t_from: an initial layer */
        if (lv->s[i].t > tmax)
            break;
        double d = fabs(lv->s[i].rate - interp(rt, rn, (int)m, lv->s[i].t, &k));
        if (!(d <= e))
            e = d, *at = lv->s[i].t; /* a NaN rate propagates */
    }
    return e;
}

double nlif_conv_err_rate_zero(const nlif_trajectory *lv, double *at)
{
    double e = 0;
    for (size_t i = 0; i < lv->n; i++) {
        if (lv->s[i].t <= 0)
            continue;
        double d = fabs(lv->s[i].rate);
        if (!(d <= e))
            e = d, *at = lv->s[i].t;
    }
    return e;
}

const nlif_snapshot *nlif_conv_final_snapshot(const nlif_run_result *r, double t_final)
{
    if (r->traj.status != NLIF_STATUS_OK || r->n_snap < 1)
        return NULL;
    const nlif_snapshot *s = &r->snap[r->n_snap - 1];
    return fabs(s->t - t_final) <= 1e-9 * (1 + t_final) ? s : NULL;
}
