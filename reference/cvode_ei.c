/* cvode_ei.c — the reference `cvode` for two populations E and I (MATHEMATICS.md §1.6, §5b): both densities
 * by the method of lines of cvode_mol.c, coupled through their rates, integrated together by CVODE BDF.
 *
 * Unknowns y = (p_E[0..n−1], p_I[0..n−1]) on one grid (node 0 holds the half cell at the wall, §1.3).
 * Population α has its own noise a_α, reset node r_α and drift centre μ_α = b_αE N_E + b_αI N_I + I_α(t);
 * its interior faces are Scharfetter–Gummel (or Maxwellian) at μ_α, and its outflow is
 * N_α = κ_α(μ_α) p_α[n−1] (the face flux with p_n = 0; or a_α p_α[n−1]/Δv with outflow = one_sided),
 * re-injected at r_α in the same right-hand side: each population's sum Σ p_α Δv is conserved by the
 * semi-discretisation, and CVODE's Newton corrections keep it (the Jacobian's columns sum to zero).
 * The rates solve the 2×2 system N = K(μ(N)) q, q_α = p_α[n−1], by Newton from the last rates.
 *
 * The Jacobian is J = diag(T_E, T_I) + u_E e_{qE}ᵀ + u_I e_{qI}ᵀ: two tridiagonals at fixed μ and N, and
 * two dense columns (everything that moves with q through N and μ: dN/dq = (I − D B)⁻¹ diag(κ),
 * D = diag(κ'_α q_α), B the connectivity). CVODE's linear solver is GMRES with this matrix's exact inverse
 * as preconditioner (two tridiagonal solves and a 2×2 Woodbury correction, O(n)) and the exact product
 * J v: it converges in one iteration, so every Newton step is the direct solve's. */
#include "cvode_impl.h"

#include "../exact/nlif_exact.h"

#include <cvode/cvode.h>
#include <cvode/cvode_ls.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sunlinsol/sunlinsol_spgmr.h>

struct cvei {
    int n, r[2];
    double a[2], dv, bm[2][2];   /* noise, Δv, connectivity b_αβ */
    double *al, *be, *dal, *dbe; /* face coefficients of both populations: [α n + i] */
    double *sub, *dia, *sup, *cp; /* I − γT (both populations) and Thomas' work */
    double *u[2], *w[2];         /* the dense columns u_γ and P⁻¹u_γ */
    double s2[2][2];             /* the Woodbury 2×2 matrix, inverted */
    double gamma, rate[2], guess[2], fired[2];
    double *pout, *pout_i;
    SUNLinearSolver LS;
};

static double input_of(const cvref *s, int alpha, double t)
{
    return alpha == 0 ? nlif_input_current(&s->cs.input, t) : s->cs.model.i0_i;
}

/* Face coefficients of population α at face i for centre μ (cvode_mol.c's face(), per population). */
static void face(const cvref *s, int alpha, int i, double mu, double *al, double *be, double *dal, double *dbe)
{
    const struct cvei *e = s->ei;
    double vf = s->v[i] + 0.5 * e->dv, k = e->dv / e->a[alpha], pe = k * (mu - vf);
    if (s->flux == CVR_FLUX_SG) {
        *al = nlif_bernoulli(-pe), *be = nlif_bernoulli(pe);
        *dal = -nlif_bernoulli_deriv(-pe) * k, *dbe = nlif_bernoulli_deriv(pe) * k;
    } else {
        double E = exp(-pe);
        *al = 2.0 / (1.0 + E), *be = 2.0 / (1.0 + 1.0 / E);
        *dal = isfinite(E) ? 2.0 * k / ((1.0 + E) * (1.0 + 1.0 / E)) : 0.0, *dbe = -*dal;
    }
    if (i == 0 && e->n > 1)
        *al *= 2.0, *dal *= 2.0;
}

static void outflow(const cvref *s, int alpha, double mu, double *kap, double *dkap)
{
    const struct cvei *e = s->ei;
    double al, be, dal, dbe;
    if (s->outflow == CVR_OUT_ONE_SIDED) {
        *kap = e->a[alpha] / e->dv, *dkap = 0.0;
        return;
    }
    face(s, alpha, e->n - 1, mu, &al, &be, &dal, &dbe);
    *kap = e->a[alpha] / e->dv * al, *dkap = e->a[alpha] / e->dv * dal;
}

/* The rates N solving N = K(μ(N)) q (2×2 Newton from the last rates), μ, κ, κ' and M = dN/dq; 1 when none. */
static int rates(cvref *s, const double *y, double t, double N[2], double mu[2], double kap[2], double M[2][2])
{
    struct cvei *e = s->ei;
    double q[2] = {y[e->n - 1], y[2 * e->n - 1]}, dkap[2];
    N[0] = isfinite(e->guess[0]) && e->guess[0] >= 0 ? e->guess[0] : 0;
    N[1] = isfinite(e->guess[1]) && e->guess[1] >= 0 ? e->guess[1] : 0;
    double A[2][2], det = 1;
    for (int it = 0; it < 100; it++) {
        double g[2];
        for (int a = 0; a < 2; a++) {
            mu[a] = e->bm[a][0] * N[0] + e->bm[a][1] * N[1] + input_of(s, a, t);
            outflow(s, a, mu[a], &kap[a], &dkap[a]);
            g[a] = N[a] - kap[a] * q[a];
        }
        for (int a = 0; a < 2; a++) /* dG/dN = I − D B */
            for (int b = 0; b < 2; b++)
                A[a][b] = (a == b) - dkap[a] * q[a] * e->bm[a][b];
        det = A[0][0] * A[1][1] - A[0][1] * A[1][0];
        if (!(det > 1e-12))
            return 1;
        double d0 = (A[1][1] * g[0] - A[0][1] * g[1]) / det, d1 = (A[0][0] * g[1] - A[1][0] * g[0]) / det;
        N[0] -= d0, N[1] -= d1;
        if (!isfinite(N[0]) || !isfinite(N[1]))
            return 1;
        if (fabs(d0) <= 1e-15 * (fabs(N[0]) + 1e-300) && fabs(d1) <= 1e-15 * (fabs(N[1]) + 1e-300))
            break;
        if (it == 99)
            return 1;
    }
    for (int a = 0; a < 2; a++) { /* the final μ, κ at N; M = (I − D B)⁻¹ diag(κ) */
        mu[a] = e->bm[a][0] * N[0] + e->bm[a][1] * N[1] + input_of(s, a, t);
        outflow(s, a, mu[a], &kap[a], &dkap[a]);
    }
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++)
            A[a][b] = (a == b) - dkap[a] * q[a] * e->bm[a][b];
    det = A[0][0] * A[1][1] - A[0][1] * A[1][0];
    M[0][0] = A[1][1] / det * kap[0], M[0][1] = -A[0][1] / det * kap[1];
    M[1][0] = -A[1][0] / det * kap[0], M[1][1] = A[0][0] / det * kap[1];
    return 0;
}

static int rhs(sunrealtype t, N_Vector yv, N_Vector fv, void *user)
{
    cvref *s = user;
    struct cvei *e = s->ei;
    const double *y = NV_DATA_S(yv);
    double *f = NV_DATA_S(fv), N[2], mu[2], kap[2], M[2][2], dal, dbe;
    if (rates(s, y, t, N, mu, kap, M))
        return 1; /* recoverable: CVODE cuts the step */
    int n = e->n;
    for (int a = 0; a < 2; a++) {
        const double *p = y + a * n;
        double *g = f + a * n, c = e->a[a] / e->dv, left = 0.0;
        for (int i = 0; i < n - 1; i++) {
            double al, be;
            face(s, a, i, mu[a], &al, &be, &dal, &dbe);
            double F = c * (al * p[i] - be * p[i + 1]);
            g[i] = (left - F) / e->dv;
            left = F;
        }
        g[n - 1] = (left - N[a]) / e->dv;
        g[e->r[a]] += N[a] / e->dv;
    }
    return 0;
}

/* T (fixed μ, N) and the dense columns u_γ at y; the faces stored for J v. */
static int linearise(cvref *s, double t, const double *y)
{
    struct cvei *e = s->ei;
    int n = e->n;
    double N[2], mu[2], kap[2], M[2][2];
    if (rates(s, y, t, N, mu, kap, M))
        return 1;
    memset(e->u[0], 0, 2 * (size_t)n * sizeof(double));
    memset(e->u[1], 0, 2 * (size_t)n * sizeof(double));
    for (int a = 0; a < 2; a++) {
        const double *p = y + a * n;
        double c = e->a[a] / e->dv, dleft = 0.0, dmu[2];
        for (int g = 0; g < 2; g++) /* dμ_α/dq_γ */
            dmu[g] = e->bm[a][0] * M[0][g] + e->bm[a][1] * M[1][g];
        for (int i = 0; i < n - 1; i++)
            face(s, a, i, mu[a], &e->al[a * n + i], &e->be[a * n + i], &e->dal[a * n + i], &e->dbe[a * n + i]);
        for (int i = 0; i < n; i++) {
            double dF = i < n - 1 ? c * (e->dal[a * n + i] * p[i] - e->dbe[a * n + i] * p[i + 1]) : 0.0;
            for (int g = 0; g < 2; g++)
                e->u[g][a * n + i] += dmu[g] * (dleft - dF) / e->dv;
            dleft = dF;
        }
        for (int g = 0; g < 2; g++) {
            e->u[g][a * n + n - 1] -= M[a][g] / e->dv;
            e->u[g][a * n + e->r[a]] += M[a][g] / e->dv;
        }
    }
    return 0;
}

/* T's entries of row i of population α (at the stored faces). */
static void tri_row(const struct cvei *e, int a, int i, double *lo, double *di, double *up)
{
    int n = e->n;
    double c = e->a[a] / (e->dv * e->dv);
    *lo = i > 0 ? c * e->al[a * n + i - 1] : 0.0;
    *di = -(i > 0 ? c * e->be[a * n + i - 1] : 0.0) - (i < n - 1 ? c * e->al[a * n + i] : 0.0);
    *up = i < n - 1 ? c * e->be[a * n + i] : 0.0;
}

/* x = (I − γT)⁻¹ x for both populations (Thomas; I − γT is column diagonally dominant). */
static void tri_solve(struct cvei *e, double *x)
{
    int n = e->n;
    for (int a = 0; a < 2; a++) {
        double *d = x + a * n, *sub = e->sub + a * n, *dia = e->dia + a * n, *sup = e->sup + a * n, *cp = e->cp + a * n;
        double den = dia[0];
        cp[0] = sup[0] / den, d[0] /= den;
        for (int i = 1; i < n; i++) {
            den = dia[i] - sub[i] * cp[i - 1];
            cp[i] = i < n - 1 ? sup[i] / den : 0.0;
            d[i] = (d[i] - sub[i] * d[i - 1]) / den;
        }
        for (int i = n - 2; i >= 0; i--)
            d[i] -= cp[i] * d[i + 1];
    }
}

static int psetup(sunrealtype t, N_Vector y, N_Vector fy, sunbooleantype jok, sunbooleantype *jcur, sunrealtype gamma,
                  void *user)
{
    (void)fy, (void)jok;
    cvref *s = user;
    struct cvei *e = s->ei;
    int n = e->n;
    if (linearise(s, t, NV_DATA_S(y)))
        return 1;
    *jcur = SUNTRUE;
    e->gamma = gamma;
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < n; i++) {
            double lo, di, up;
            tri_row(e, a, i, &lo, &di, &up);
            e->sub[a * n + i] = -gamma * lo, e->dia[a * n + i] = 1.0 - gamma * di, e->sup[a * n + i] = -gamma * up;
        }
    double S[2][2];
    for (int g = 0; g < 2; g++) {
        memcpy(e->w[g], e->u[g], 2 * (size_t)n * sizeof(double));
        tri_solve(e, e->w[g]);
    }
    int q[2] = {n - 1, 2 * n - 1};
    for (int a = 0; a < 2; a++) /* S = I − γ Eᵀ W */
        for (int g = 0; g < 2; g++)
            S[a][g] = (a == g) - gamma * e->w[g][q[a]];
    double det = S[0][0] * S[1][1] - S[0][1] * S[1][0];
    if (!(fabs(det) > 1e-300))
        return 1;
    e->s2[0][0] = S[1][1] / det, e->s2[0][1] = -S[0][1] / det, e->s2[1][0] = -S[1][0] / det, e->s2[1][1] = S[0][0] / det;
    return 0;
}

static int psolve(sunrealtype t, N_Vector y, N_Vector fy, N_Vector r, N_Vector z, sunrealtype gamma, sunrealtype delta,
                  int lr, void *user)
{
    (void)t, (void)y, (void)fy, (void)gamma, (void)delta, (void)lr;
    struct cvei *e = ((cvref *)user)->ei;
    int n = e->n;
    double *x = NV_DATA_S(z);
    memcpy(x, NV_DATA_S(r), 2 * (size_t)n * sizeof(double));
    tri_solve(e, x);
    double h0 = e->gamma * x[n - 1], h1 = e->gamma * x[2 * n - 1]; /* Woodbury: x + W S⁻¹ γ Eᵀ x */
    double c0 = e->s2[0][0] * h0 + e->s2[0][1] * h1, c1 = e->s2[1][0] * h0 + e->s2[1][1] * h1;
    for (int i = 0; i < 2 * n; i++)
        x[i] += e->w[0][i] * c0 + e->w[1][i] * c1;
    return 0;
}

/* J v = T v + u_E v_qE + u_I v_qI at the last linearisation (as the preconditioner's J). */
static int jtimes(N_Vector vv, N_Vector Jv, sunrealtype t, N_Vector y, N_Vector fy, void *user, N_Vector tmp)
{
    (void)t, (void)y, (void)fy, (void)tmp;
    struct cvei *e = ((cvref *)user)->ei;
    int n = e->n;
    const double *v = NV_DATA_S(vv);
    double *o = NV_DATA_S(Jv);
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < n; i++) {
            double lo, di, up;
            tri_row(e, a, i, &lo, &di, &up);
            const double *w = v + a * n;
            o[a * n + i] = di * w[i] + (i > 0 ? lo * w[i - 1] : 0.0) + (i < n - 1 ? up * w[i + 1] : 0.0);
        }
    for (int i = 0; i < 2 * n; i++)
        o[i] += e->u[0][i] * v[n - 1] + e->u[1][i] * v[2 * n - 1];
    return 0;
}

static int record(cvref *s, nlif_error *err)
{
    struct cvei *e = s->ei;
    const double *y = NV_DATA_S(s->y);
    int n = e->n;
    double mass[2], minp[2] = {INFINITY, INFINITY}, mx = 0;
    for (int a = 0; a < 2; a++) {
        mass[a] = nlif_sum(y + a * n, n) * e->dv;
        for (int i = 0; i < n; i++)
            minp[a] = fmin(minp[a], y[a * n + i]), mx = fmax(mx, fabs(y[a * n + i]));
    }
    nlif_traj_note_max(s->traj, mx);
    nlif_sample si = {0, e->rate[1], e->fired[1], mass[1], minp[1]};
    if (nlif_traj_record_populations(s->traj, s->t, e->rate[0], e->fired[0], mass[0], minp[0], si))
        return nlif_fail(err, NLIF_ENOMEM, "cvode: trajectory");
    return NLIF_OK;
}

static int blowup_root(sunrealtype t, N_Vector y, sunrealtype *g, void *user)
{
    (void)t;
    const cvref *s = user;
    g[0] = s->b > 0 ? s->b * NV_DATA_S(y)[s->ei->n - 1] - s->blowup_indicator : -1.0;
    return 0;
}

void nlif_cvei_free(cvref *s)
{
    struct cvei *e = s->ei;
    if (!e)
        return;
    if (e->LS)
        SUNLinSolFree(e->LS);
    free(e->al);
    free(e->pout);
    free(e);
    s->ei = NULL;
}

int nlif_cvei_alloc(cvref *s, nlif_error *err)
{
    const nlif_case *cs = &s->cs;
    const nlif_model *m = &cs->model;
    if (m->a1 != 0.0 || m->a1_i != 0.0)
        return nlif_fail(err, NLIF_EINVAL, "cvode: rate-dependent noise a1 > 0 is not supported");
    struct cvei *e = s->ei = calloc(1, sizeof *e);
    if (!e)
        return nlif_fail(err, NLIF_ENOMEM, "cvode: E-I state");
    int n = s->n;
    e->n = n, e->r[0] = s->r, e->dv = s->dv, e->a[0] = m->a0, e->a[1] = m->a0_i;
    if (nlif_grid_reset_i(m, s->dv, &e->r[1]) || n < 2)
        return nlif_fail(err, NLIF_EINVAL, "cvode: V_R,I is no node of the Δv = %g grid", s->dv);
    e->bm[0][0] = m->b, e->bm[0][1] = m->b_ei, e->bm[1][0] = m->b_ie, e->bm[1][1] = m->b_ii;
    size_t N2 = 2 * (size_t)n;
    if (!(e->al = malloc(12 * N2 * sizeof *e->al)) || !(e->pout = malloc(2 * ((size_t)n + 1) * sizeof *e->pout)))
        return nlif_fail(err, NLIF_ENOMEM, "cvode: E-I grid of %d cells", n);
    e->be = e->al + N2, e->dal = e->al + 2 * N2, e->dbe = e->al + 3 * N2, e->sub = e->al + 4 * N2, e->dia = e->al + 5 * N2;
    e->sup = e->al + 6 * N2, e->cp = e->al + 7 * N2, e->u[0] = e->al + 8 * N2, e->u[1] = e->al + 9 * N2;
    e->w[0] = e->al + 10 * N2, e->w[1] = e->al + 11 * N2, e->pout_i = e->pout + n + 1;
    nlif_grid_fill(m, s->dv, n, s->r, s->v);
    if (SUNContext_Create(NULL, &s->ctx) || !(s->y = N_VNew_Serial((sunindextype)N2, s->ctx)) ||
        !(s->mem = CVodeCreate(CV_BDF, s->ctx)))
        return nlif_fail(err, NLIF_ENOMEM, "cvode: SUNDIALS objects for 2 x %d cells", n);
    double *y = NV_DATA_S(s->y);
    int rc;
    for (int a = 0; a < 2; a++)
        if ((rc = nlif_population_project(cs, a, s->dv, n, y + a * n, err)))
            return nlif_error_prefix(err, "cvode: initial density of %c", a ? 'I' : 'E'), rc;
    double N[2], mu[2], kap[2], M[2][2];
    e->guess[0] = e->guess[1] = 0.0;
    if (rates(s, y, 0.0, N, mu, kap, M))
        return nlif_fail(err, NLIF_EINVAL, "cvode: no finite rates solve the E-I outflow at t = 0");
    memcpy(e->rate, N, sizeof N), memcpy(e->guess, N, sizeof N);
    s->tstop = s->cs.run.t_final;
    if (s->cs.input.type == NLIF_INPUT_PULSE)
        s->tstop = fmin(s->tstop, s->cs.input.t0);
    if (!(e->LS = SUNLinSol_SPGMR(s->y, SUN_PREC_LEFT, 5, s->ctx)) || CVodeInit(s->mem, rhs, 0.0, s->y) ||
        CVodeSStolerances(s->mem, s->rtol, s->atol) || CVodeSetUserData(s->mem, s) ||
        CVodeSetLinearSolver(s->mem, e->LS, NULL) || CVodeSetPreconditioner(s->mem, psetup, psolve) ||
        CVodeSetJacTimes(s->mem, NULL, jtimes) || CVodeSetMaxOrd(s->mem, s->max_order) ||
        CVodeSetMaxNumSteps(s->mem, s->max_steps) || CVodeRootInit(s->mem, 1, blowup_root) ||
        CVodeSetStopTime(s->mem, s->tstop))
        return nlif_fail(err, NLIF_ENUMERIC, "cvode: setting up CVODE for two populations failed");
    return record(s, err);
}

int nlif_cvei_advance(cvref *s, double t_end, nlif_error *err)
{
    struct cvei *e = s->ei;
    double dt = s->cs.run.dt;
    while (s->t < t_end) {
        double h, tout = nlif_step_to(s->t, t_end, dt, &h) ? t_end : s->t + h, tret = s->t;
        while (tret < tout) {
            long used = 0;
            CVodeGetNumSteps(s->mem, &used);
            if (s->traj->max_samples && (size_t)used >= s->traj->max_samples) {
                nlif_traj_set_status(s->traj, NLIF_STATUS_FAILED, tret, "step budget exhausted: %ld CVODE steps by "
                                     "t = %.6g (run.max_steps, run.max_memory)", used, tret);
                s->traj->budget_exhausted = 1;
                return NLIF_OK;
            }
            int flag = CVode(s->mem, tout, s->y, &tret, CV_NORMAL);
            if (flag == CV_ROOT_RETURN) {
                nlif_traj_set_status(s->traj, NLIF_STATUS_BLOWUP, tret, "discrete blow-up indicator b_EE p_E,n-1 "
                                     "reached %g at t = %.6g", s->blowup_indicator, tret);
                return NLIF_OK;
            }
            if (flag == CV_TSTOP_RETURN) {
                nlif_cvode_restart_at_stop(s, tret);
                if (tout - tret <= 1e-12 * (1.0 + fabs(tout)))
                    break;
                continue;
            }
            if (flag < 0) {
                char *name = CVodeGetReturnFlagName(flag);
                nlif_traj_set_status(s->traj, NLIF_STATUS_FAILED, tret, "CVODE %s at t = %.6g (two populations)",
                                     name ? name : "error", tret);
                free(name);
                return NLIF_OK;
            }
        }
        double N[2], mu[2], kap[2], M[2][2];
        if (rates(s, NV_DATA_S(s->y), tout, N, mu, kap, M)) {
            nlif_traj_set_status(s->traj, NLIF_STATUS_BLOWUP, tout, "no finite rates solve the E-I outflow");
            return NLIF_OK;
        }
        for (int a = 0; a < 2; a++) /* E_α(t): trapezoid on the output samples (a diagnostic; O(dt²)) */
            e->fired[a] += 0.5 * (e->rate[a] + N[a]) * (tout - s->t), e->rate[a] = e->guess[a] = N[a];
        s->rate = N[0], s->fired = e->fired[0], s->t = tout;
        int rc = record(s, err);
        if (rc)
            return rc;
    }
    long v;
    if (!CVodeGetNumSteps(s->mem, &v))
        nlif_traj_stat(s->traj, "cvode_steps", (double)v);
    if (!CVodeGetNumLinIters(s->mem, &v))
        nlif_traj_stat(s->traj, "cvode_lin_iters", (double)v);
    return NLIF_OK;
}

int nlif_cvei_profile(cvref *s, nlif_profile *out)
{
    struct cvei *e = s->ei;
    int n = e->n;
    const double *y = NV_DATA_S(s->y);
    memset(out, 0, sizeof *out);
    memcpy(e->pout, y, n * sizeof *y);
    memcpy(e->pout_i, y + n, n * sizeof *y);
    e->pout[0] *= 2.0, e->pout_i[0] *= 2.0; /* the density at the wall: node 0 holds the half cell (§1.3) */
    e->pout[n] = e->pout_i[n] = 0.0;
    out->t = s->t, out->n = n + 1, out->v = s->v, out->p = e->pout, out->p_i = e->pout_i;
    return NLIF_OK;
}
