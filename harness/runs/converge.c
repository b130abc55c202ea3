/* converge.c — convergence studies (nlif_converge.h; MATHEMATICS.md §6).
 *
 * A ladder of K levels, h_k = h_0 / 2^k in the refined direction, each a full run of the scheme
 * through the harness (nlif_run_scheme), each level's case rebuilt through the case format's own
 * `--set` validation. Errors at every level against one reference:
 *
 *   exact   v: the Ornstein–Uhlenbeck Gaussian (b = 0, I constant, V_F and V_min ≥ 8.5 standard
 *              deviations away at all times, so N ≡ 0 and the killed/reflected tails are below 1e-16);
 *           w: the characteristics of the linear rule, ρ(w,t) = e^{rt} ρ0(w* + (w − w*)e^{rt});
 *           v and t on a manufactured case (MATHEMATICS.md §6b): p_m's cell means and N_m(t) in closed form.
 *   finest  one extra run at h_{K−1}/2^J with the same fixed steps in the other directions. J = 1
 *           (the plain "next level") biases the order: the measured error of level k is
 *           C(h_k^q − h_ref^q), so the last ratio is 2^q (1 − 2^{−q(J+1)})/(1 − 2^{−qJ}) — 3 instead
 *           of 2 for q = 1 (a 4-level fit gives 1.29), 5 instead of 4 for q = 2. Defaults J = 3 in v
 *           (q = 2: last ratio 4.05), 4 in t (q = 1: 2.07), 2 in w (2.33; each w level costs 4×).
 *   cvode   (t only) the CVODE method-of-lines reference on the same Δv grid, outputs every h_ref.
 *
 * Measures: err_p = L1 in v of p at t_final on the level's own nodes, the reference interpolated
 * linearly there — for a finer run on the nested grid v_i = V_min + iΔv the coarse nodes are fine
 * nodes, so this is injection (exact references: cell means of the exact solution on the level's
 * cells, as the schemes hold cell means); in w, ρ(w) by cell averages (a coarse cell is the mean of
 * the fine cells whose centres it holds). err_rate = max over the level's samples of |N − N_ref|,
 * N_ref interpolated linearly in the reference's samples (exact OU: N_ref = 0), over t > 0: the t = 0
 * sample is the discrete rate of the initial datum, κ p_{n−1} ≈ a p0(V_F)/Δv, which diverges as Δv → 0
 * whenever p0(V_F) ≠ 0 (a truncated Gaussian: the exact N(0+) is infinite, N ~ p0(V_F)(a/πt)^{1/2});
 * it is the data's, not the scheme's, and would otherwise dominate the finest levels of a v ladder.
 *
 * The non-refined steps (why the other errors do not pollute the order):
 *   v vs finest: Δt fixed on all levels and the reference, so the time error is common and cancels
 *     in the difference (what remains is the spatial error and a cross term O(Δt Δv²));
 *   v vs exact: nothing cancels, so Δt_k = Δt_0 (h_k/h_0)^{q_v/q_t} with the scheme's expected orders
 *     q_v, q_t: the time error falls at the spatial rate;
 *   t: Δv fixed (common to all levels and to the finest run; to cvode only when its flux and outflow
 *     options reproduce the scheme's semi-discretisation — `--ref-opt flux=maxwellian` for spap);
 *   t vs exact (manufactured): nothing cancels, so Δv is fixed at the case's Δv / 2^J (J = 2 unless
 *     --ref-halvings): the spatial error, 4^J times below the case's, stays under the time error of
 *     the finest level (MATHEMATICS.md §6b gives the measured margin; J = 3 costs an explicit scheme
 *     under its CFL step eight times more for the same orders);
 *   w: Δt ∝ Δw (the CFL number of the explicit upwind fixed: upwind in w and Euler in t are both
 *     first order, so their sum is too), Δv fixed.
 *   vt (work–precision): Δv and Δt halve together at the case's ratio Δt/Δv, against the finest run
 *     J = 2 halvings further (both steps): the whole error of the scheme at each cost, no order judged.
 * A level whose run stops (blow-up, failure) keeps its status and NAN errors; the fit (least squares
 * of log err on log h) uses the levels with finite positive errors only.
 */
#include "nlif_converge.h"

#include "../../reference/nlif_cvode.h"
#include "../../exact/nlif_density.h"
#include "../../exact/nlif_exact.h"
#include "../../core/nlif_fit.h"
#include "../case/nlif_case.h"
#include "../../io/nlif_results.h"
#include "converge_errors.h"
#include "nlif_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *nlif_refine_name(nlif_refine d)
{
    switch (d) {
    case NLIF_REFINE_V: return "v";
    case NLIF_REFINE_T: return "t";
    case NLIF_REFINE_W: return "w";
    case NLIF_REFINE_VT: return "vt";
    }
    return "?";
}

int nlif_refine_parse(const char *s, nlif_refine *d)
{
    if (!s)
        return NLIF_EINVAL;
    if (!strcmp(s, "v"))
        *d = NLIF_REFINE_V;
    else if (!strcmp(s, "t"))
        *d = NLIF_REFINE_T;
    else if (!strcmp(s, "w"))
        *d = NLIF_REFINE_W;
    else if (!strcmp(s, "vt"))
        *d = NLIF_REFINE_VT;
    else
        return NLIF_EINVAL;
    return NLIF_OK;
}

double nlif_fit_order(const double *h, const double *err, int n)
{
    nlif_fit f = {0};
    for (int i = 0; i < n; i++)
        if (h[i] > 0 && err[i] > 0 && isfinite(h[i]) && isfinite(err[i]))
            nlif_fit_add(&f, log(h[i]), log(err[i]));
    return nlif_fit_slope(&f);
}

/* The case CS at resolution (dv, dt, dw), rebuilt through the case format (so every check of a
 * case file applies to the override: V_R and V_F on the grid, Δw dividing the weight range). */
static int case_at(const nlif_case *cs, double dv, double dt, double dw, nlif_case *out, nlif_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return nlif_fail(err, NLIF_ENOMEM, "converge: rebuilding case %s", cs->name);
    nlif_case_write_ini(f, cs);
    fclose(f);
    char buf[3][64];
    const char *sets[3];
    int k = 0;
    snprintf(buf[k], sizeof buf[k], "run.dv=%.17g", dv), sets[k] = buf[k], k++;
    snprintf(buf[k], sizeof buf[k], "run.dt=%.17g", dt), sets[k] = buf[k], k++;
    if (cs->structure.enabled)
        snprintf(buf[k], sizeof buf[k], "run.dw=%.17g", dw), sets[k] = buf[k], k++;
    int rc = nlif_case_parse_string(out, text, cs->path[0] ? cs->path : cs->name, sets, k, err);
    free(text);
    if (rc) {
        nlif_error_prefix(err, "converge: case %s at dv %g, dt %g, dw %g", cs->name, dv, dt, dw);
        return rc;
    }
    memcpy(out->name, cs->name, sizeof out->name);
    memcpy(out->path, cs->path, sizeof out->path);
    return NLIF_OK;
}

/* ---- the ladder ------------------------------------------------------------------------------- */

typedef struct ladder {
    nlif_refine dir;
    double h0, dv0, dt0, dw0, scale_t; /* scale_t: Δt_k = Δt_0 (h_k/h_0)^scale_t in v/w */
} ladder;

static void resolution(const ladder *L, int k, double *dv, double *dt, double *dw)
{
    double f = ldexp(1.0, -k);
    *dv = L->dv0, *dt = L->dt0, *dw = L->dw0;
    switch (L->dir) {
    case NLIF_REFINE_V: *dv = L->h0 * f, *dt = L->dt0 * pow(f, L->scale_t); break;
    case NLIF_REFINE_T: *dt = L->h0 * f; break;
    case NLIF_REFINE_W: *dw = L->h0 * f, *dt = L->dt0 * pow(f, L->scale_t); break;
    case NLIF_REFINE_VT: *dv = L->h0 * f, *dt = L->dt0 * f; break;
    }
}

int nlif_converge(const nlif_scheme_type *st, const nlif_case *cs, const nlif_optset *opt, nlif_refine dir,
                  int levels, nlif_convergence *out, nlif_error *err)
{
    return nlif_converge_ex(st, cs, opt, dir, levels, NULL, out, err);
}

/* ---- the study -------------------------------------------------------------------------------- */

/* What a study holds while it runs: the ladder, which reference it judges against, and the
 * reference's data (the finest or cvode run, the exact OU moments, the exact weight density). */
typedef struct study {
    const nlif_scheme_type *st;
    const nlif_case *cs;
    const nlif_optset *opt;
    const nlif_converge_settings *set;
    ladder L;
    int exact_p, exact_rate, use_cvode;
    int no_rate; /* N not measured: no reference run (settings no_rate, p exact) */
    int manufactured; /* the exact solution is the case's manufactured p_m, N_m (MATHEMATICS.md §6b) */
    double rate_from; /* N's error counts from this time on (a manufactured case's initial layer in t) */
    nlif_run_result ref;
    int have_ref;
    nlif_density rho0;
    int have_rho0;
    double *rt, *rn; /* the reference's samples of N, for the interpolation */
    const nlif_snapshot *ref_fin;
    double ou_mean, ou_var;
} study;

/* Refuse what the study cannot do (before any run), and lay the ladder: level 0 at the case's step in
 * the refined direction, or at --coarsest (vt keeps the case's Δt/Δv). */
static int study_ladder(study *S, nlif_refine dir, int levels, const char *want, nlif_error *err)
{
    const nlif_case *cs = S->cs;
    if (levels < 2 || levels > NLIF_MAX_LEVELS)
        return nlif_fail(err, NLIF_EINVAL, "converge: --levels %d (allowed: 2..%d; MATHEMATICS.md §6 asks for >= 4)", levels,
                         NLIF_MAX_LEVELS);
    if (strcmp(want, "auto") && strcmp(want, "exact") && strcmp(want, "finest") && strcmp(want, "cvode"))
        return nlif_fail(err, NLIF_EINVAL, "converge: reference '%s' (allowed: auto, exact, finest, cvode)", want);
    const char *why = nlif_scheme_not_applicable(S->st, cs);
    if (why)
        return nlif_fail(err, NLIF_EINVAL, "converge: scheme %s does not apply to case %s: %s", S->st->name, cs->name, why);
    if (dir == NLIF_REFINE_W && !cs->structure.enabled)
        return nlif_fail(err, NLIF_EINVAL, "converge: --refine w needs a structured case (%s is 1D)", cs->name);

    ladder L = {dir, NAN, cs->run.dv, cs->run.dt, cs->run.dw, 0.0};
    L.h0 = dir == NLIF_REFINE_V || dir == NLIF_REFINE_VT ? cs->run.dv : dir == NLIF_REFINE_T ? cs->run.dt : cs->run.dw;
    const nlif_converge_settings *set = S->set;
    if (set && isfinite(set->coarsest) && set->coarsest > 0) {
        L.h0 = set->coarsest;
        if (dir == NLIF_REFINE_VT)
            L.dt0 = cs->run.dt * (L.h0 / cs->run.dv), L.dv0 = L.h0; /* Δt/Δv of the case kept */
        else if (dir == NLIF_REFINE_V)
            L.dv0 = L.h0;
        else if (dir == NLIF_REFINE_T)
            L.dt0 = L.h0;
        else
            L.dw0 = L.h0;
    }
    S->L = L;
    return NLIF_OK;
}

/* The reference asked for (WANT) against what exists: exact where the case has a closed form (unless
 * finest or cvode is asked), cvode only in t and where it applies, finest otherwise. */
static int study_reference(study *S, nlif_refine dir, const char *want, nlif_convergence *out, nlif_error *err)
{
    const nlif_case *cs = S->cs;
    if (dir == NLIF_REFINE_V && nlif_conv_ou_exact_applies(cs) && strcmp(want, "finest") && strcmp(want, "cvode"))
        S->exact_p = S->exact_rate = 1;
    if (dir == NLIF_REFINE_W && cs->structure.rule == NLIF_RULE_LINEAR && strcmp(want, "finest") &&
        strcmp(want, "cvode"))
        S->exact_p = 1;
    /* In t against p_m the spatial error does not cancel: Δv/2^J keeps it below a first-order time error,
     * not below a second-order one (at the case's Δt, C Δt² lies under the spatial error of any affordable
     * Δv), so a scheme that claims order_t ≥ 2 is measured against its own finest run at the same Δv,
     * where the spatial error cancels, unless the exact reference is asked for (MATHEMATICS.md 6b). */
    int t_exact = dir == NLIF_REFINE_T && (!(S->st->order_t >= 1.5) || !strcmp(want, "exact"));
    if (cs->manufactured.enabled && (dir == NLIF_REFINE_V || t_exact) && strcmp(want, "finest") &&
        strcmp(want, "cvode"))
        S->exact_p = S->exact_rate = S->manufactured = 1;
    if (!strcmp(want, "exact") && !S->exact_p)
        return nlif_fail(err, NLIF_EINVAL,
                         "converge: no exact solution for case %s in %s (exact: v on an OU case — b = 0, I constant, "
                         "Gaussian start, V_F and V_min far; w with the linear rule; v and t on a manufactured case)",
                         cs->name, nlif_refine_name(dir));
    if (!strcmp(want, "cvode")) {
        if (dir != NLIF_REFINE_T)
            return nlif_fail(err, NLIF_EINVAL, "converge: the cvode reference is a time reference (--refine t only)");
        const char *cw = nlif_scheme_not_applicable(&nlif_scheme_cvode, cs);
        if (cw || cs->model.a1 != 0.0 || cs->input.type == NLIF_INPUT_KICK)
            return nlif_fail(err, NLIF_EINVAL, "converge: the cvode reference does not apply to case %s: %s", cs->name,
                             cw ? cw : "needs a1 = 0 and no kick");
        S->use_cvode = 1;
    }
    if (S->set && S->set->no_rate) {
        if (!S->exact_p || S->exact_rate)
            return nlif_fail(err, NLIF_EINVAL, "converge: --no-rate needs an exact reference for p and none for N "
                             "(w with the linear rule): here N's reference run is p's too");
        S->no_rate = 1;
    }
    snprintf(out->reference, sizeof out->reference, "%s", S->exact_p ? "exact" : S->use_cvode ? "cvode" : "finest");
    snprintf(out->reference_rate, sizeof out->reference_rate, "%s",
             S->no_rate ? "none" : S->exact_rate ? "exact" : S->use_cvode ? "cvode" : "finest");
    return NLIF_OK;
}

/* The expected orders, the steps of the directions not refined (the ladder's scale_t) and the words
 * that say how they were chosen and what err_p measures (the file comment explains each choice). */
static void study_describe(study *S, nlif_refine dir, nlif_convergence *out)
{
    const nlif_scheme_type *st = S->st;
    ladder *L = &S->L;
    double qv = st->order_v_density, qt = st->order_t, qw = st->order_w;
    switch (dir) {
    case NLIF_REFINE_V:
        out->expected_p = st->order_v_density, out->expected_rate = st->order_v_rate;
        L->scale_t = S->exact_p && isfinite(qv) && isfinite(qt) && qt > 0 ? qv / qt : 0.0;
        if (L->scale_t > 0)
            snprintf(out->note, sizeof out->note,
                     "dt_k = %g (h_k/h_0)^%g: against an exact solution the time error must fall at the spatial rate",
                     L->dt0, L->scale_t);
        else
            snprintf(out->note, sizeof out->note,
                     "dt = %g on every level and the reference: the time error is common and cancels", L->dt0);
        snprintf(out->measure_p, sizeof out->measure_p, "L1 in v of p at t_final on the level's nodes%s",
                 S->exact_p ? " (exact cell means)" : " (injection)");
        break;
    case NLIF_REFINE_T:
        out->expected_p = out->expected_rate = st->order_t;
        if (S->manufactured) {
            int J = S->set && S->set->ref_halvings > 0 ? S->set->ref_halvings : 2;
            L->dv0 = ldexp(L->dv0, -J);
            snprintf(out->note, sizeof out->note, "dv = %g (the case's / 2^%d) on every level: against the exact solution "
                     "the spatial error does not cancel and must stay below the time error (MATHEMATICS.md 6b)", L->dv0, J);
        } else
        snprintf(out->note, sizeof out->note, "dv = %g on every level and the reference%s", L->dv0,
                 S->use_cvode ? " (cancels only if cvode's flux/outflow match the scheme's semi-discretisation)" : "");
        if (S->cs->manufactured.enabled) {
            /* the nodal initial data lie off a scheme's discrete slow manifold by O(dv²) near V_F: a layer of
             * time scale dv²/a that no Δt of the ladder resolves; N's error counts after ten of them */
            S->rate_from = 10.0 * L->dv0 * L->dv0 / S->cs->model.a0;
            size_t l = strlen(out->note);
            snprintf(out->note + l, sizeof out->note - l, "; N from t = %g on (10 dv^2/a0: the initial layer, "
                     "MATHEMATICS.md 6b)%s", S->rate_from, S->cs->model.delay > 0 ? ", nor as long after d" : "");
        }
        snprintf(out->measure_p, sizeof out->measure_p, "L1 in v of p at t_final (same nodes)");
        break;
    case NLIF_REFINE_W:
        out->expected_p = out->expected_rate = st->order_w;
        L->scale_t = isfinite(qw) && isfinite(qt) && qt > 0 ? qw / qt : 1.0;
        if (S->set && S->set->fixed_dt) {
            L->scale_t = 0;
            snprintf(out->note, sizeof out->note, "dt = %g on every level and the reference (--fixed-dt), dv = %g fixed",
                     L->dt0, L->dv0);
        } else
            snprintf(out->note, sizeof out->note, "dt_k = %g (h_k/h_0)^%g (fixed CFL dt/dw), dv = %g fixed", L->dt0,
                     L->scale_t, L->dv0);
        snprintf(out->measure_p, sizeof out->measure_p, "L1 in w of the weight marginal rho(w) at t_final (cell averages)");
        break;
    case NLIF_REFINE_VT:
        /* the total error (space and time together) for work–precision diagrams: no order is claimed */
        out->expected_p = out->expected_rate = NAN;
        snprintf(out->note, sizeof out->note,
                 "dv and dt halve together (dt/dv = %g on every level and the reference): the whole error, for "
                 "work-precision", L->dt0 / L->h0);
        snprintf(out->measure_p, sizeof out->measure_p, "L1 in v of p at t_final on the level's nodes (injection)");
        break;
    }
}

/* The reference's data: the exact OU moments at t_final or the exact weight density, and, unless N has
 * an exact reference, one run finer than the last level (or cvode on the same grid, outputs every
 * h_ref) with room for the interpolation of its samples. */
static int study_reference_data(study *S, nlif_refine dir, int levels, nlif_convergence *out, nlif_error *err)
{
    const nlif_case *cs = S->cs;
    const nlif_converge_settings *set = S->set;
    int rc;
    if (S->exact_p && dir == NLIF_REFINE_V && !S->manufactured)
        nlif_ou_exact(cs->initial.mean, cs->initial.sd * cs->initial.sd, cs->model.a0,
                      nlif_input_current(&cs->input, 0.0), cs->run.t_final, &S->ou_mean, &S->ou_var);
    if (S->exact_p && dir == NLIF_REFINE_W) {
        if ((rc = nlif_weight_density_init(&S->rho0, &cs->structure, err)))
            return rc;
        S->have_rho0 = 1;
    }
    if (S->exact_rate || S->no_rate)
        return NLIF_OK;
    int J = set && set->ref_halvings > 0 ? set->ref_halvings
            : dir == NLIF_REFINE_V                ? 3
            : dir == NLIF_REFINE_T                ? 4
            : dir == NLIF_REFINE_VT               ? 2
                                                  : 2;
    if (levels - 1 + J > 30)
        J = 30 - (levels - 1);
    out->ref_halvings = J;
    double dv, dt, dw;
    resolution(&S->L, levels - 1 + J, &dv, &dt, &dw);
    out->ref_h = dir == NLIF_REFINE_V || dir == NLIF_REFINE_VT ? dv : dir == NLIF_REFINE_T ? dt : dw;
    nlif_case rc_case;
    if ((rc = case_at(cs, dv, dt, dw, &rc_case, err)))
        return rc;
    if (S->use_cvode) {
        nlif_optset copt;
        if ((rc = nlif_optset_init(&copt, nlif_scheme_cvode.options, err)))
            return rc;
        for (int i = 0; set && i < set->n_ref_opts; i++)
            if ((rc = nlif_optset_assign(&copt, set->ref_opts[i], err))) {
                nlif_error_prefix(err, "converge: cvode reference option");
                return rc;
            }
        rc = nlif_run_scheme(&nlif_scheme_cvode, &rc_case, &copt, &S->ref, err);
    } else
        rc = nlif_run_scheme(S->st, &rc_case, S->opt, &S->ref, err);
    S->have_ref = 1;
    if (rc)
        return rc;
    out->ref_status = S->ref.traj.status;
    out->ref_cpu_seconds = S->ref.cpu_seconds;
    S->ref_fin = nlif_conv_final_snapshot(&S->ref, cs->run.t_final);
    S->rt = malloc((S->ref.traj.n + 1) * sizeof *S->rt);
    S->rn = malloc((S->ref.traj.n + 1) * sizeof *S->rn);
    if (!S->rt || !S->rn)
        return nlif_fail(err, NLIF_ENOMEM, "converge: reference samples");
    return NLIF_OK;
}

/* Level k: its run, and its errors against the reference when it reached t_final (NAN otherwise). */
static int study_level(study *S, nlif_refine dir, int k, nlif_convergence *out, nlif_error *err)
{
    const nlif_case *cs = S->cs;
    nlif_conv_level *lv = &out->lev[k];
    resolution(&S->L, k, &lv->dv, &lv->dt, &lv->dw);
    lv->h = dir == NLIF_REFINE_V || dir == NLIF_REFINE_VT ? lv->dv : dir == NLIF_REFINE_T ? lv->dt : lv->dw;
    lv->err_p = lv->err_rate = lv->ratio_p = lv->ratio_rate = lv->err_rate_t = NAN;
    nlif_case lc;
    int rc;
    if ((rc = case_at(cs, lv->dv, lv->dt, lv->dw, &lc, err)))
        return rc;
    nlif_run_result res;
    rc = nlif_run_scheme(S->st, &lc, S->opt, &res, err);
    out->n_levels = k + 1;
    if (rc) {
        nlif_run_result_free(&res);
        nlif_error_prefix(err, "converge: level %d", k);
        return rc;
    }
    lv->cpu_seconds = res.cpu_seconds;
    lv->status = res.traj.status;
    lv->steps = res.traj.n > 0 ? (long)res.traj.n - 1 : 0; /* one sample per accepted step, and t = 0 */
    const nlif_snapshot *fin = nlif_conv_final_snapshot(&res, cs->run.t_final);
    if (fin) {
        if (dir == NLIF_REFINE_W)
            lv->err_p = S->have_rho0 ? nlif_conv_err_rho_exact(fin, &S->rho0, &cs->structure, cs->run.t_final)
                        : S->ref_fin ? nlif_conv_err_rho_run(fin, S->ref_fin, &cs->structure) : NAN;
        else
            lv->err_p = S->manufactured ? nlif_conv_err_profile_mms(fin, cs)
                        : S->exact_p ? nlif_conv_err_profile_gauss(fin, S->ou_mean, S->ou_var)
                        : S->ref_fin ? nlif_conv_err_profile_run(fin, S->ref_fin) : NAN;
        if (S->manufactured)
            lv->err_rate = nlif_conv_err_rate_mms(&res.traj, cs, S->rate_from, &lv->err_rate_t);
        else if (S->exact_rate)
            lv->err_rate = nlif_conv_err_rate_zero(&res.traj, &lv->err_rate_t);
        else if (S->no_rate)
            lv->err_rate = NAN;
        else
            lv->err_rate = out->ref_status == NLIF_STATUS_OK
                               ? nlif_conv_err_rate_run(&res.traj, &S->ref.traj, S->rt, S->rn, S->rate_from,
                                                        cs->model.delay, &lv->err_rate_t)
                               : NAN;
    }
    nlif_run_result_free(&res);
    if (k > 0) {
        lv->ratio_p = out->lev[k - 1].err_p / lv->err_p;
        lv->ratio_rate = out->lev[k - 1].err_rate / lv->err_rate;
    }
    return NLIF_OK;
}

/* The fitted orders. Errors at round-off (an exact N ≡ 0 met to 1e-19) carry no order: left out of
 * the fit. */
static void study_fit(nlif_convergence *out)
{
    double h[NLIF_MAX_LEVELS], ep[NLIF_MAX_LEVELS], er[NLIF_MAX_LEVELS];
    for (int k = 0; k < out->n_levels; k++) {
        const nlif_conv_level *l = &out->lev[k];
        h[k] = l->h;
        ep[k] = l->status == NLIF_STATUS_OK && l->err_p > NLIF_CONV_ROUNDOFF ? l->err_p : NAN;
        er[k] = l->status == NLIF_STATUS_OK && l->err_rate > NLIF_CONV_ROUNDOFF ? l->err_rate : NAN;
    }
    out->order_p = nlif_fit_order(h, ep, out->n_levels);
    out->order_rate = nlif_fit_order(h, er, out->n_levels);
}

int nlif_converge_ex(const nlif_scheme_type *st, const nlif_case *cs, const nlif_optset *opt, nlif_refine dir,
                     int levels, const nlif_converge_settings *set, nlif_convergence *out, nlif_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->case_name, sizeof out->case_name, "%s", cs->name);
    snprintf(out->scheme, sizeof out->scheme, "%s", st->name);
    out->dir = dir;
    out->order_p = out->order_rate = NAN;
    out->ref_h = NAN;
    const char *want = set && set->reference ? set->reference : "auto";
    study S;
    memset(&S, 0, sizeof S);
    S.st = st, S.cs = cs, S.opt = opt, S.set = set;
    S.ou_mean = S.ou_var = NAN;
    int rc = study_ladder(&S, dir, levels, want, err);
    if (rc || (rc = study_reference(&S, dir, want, out, err)))
        return rc;
    study_describe(&S, dir, out);
    rc = study_reference_data(&S, dir, levels, out, err);
    for (int k = 0; !rc && k < levels; k++)
        rc = study_level(&S, dir, k, out, err);
    if (!rc)
        study_fit(out);
    free(S.rt);
    free(S.rn);
    if (S.have_ref)
        nlif_run_result_free(&S.ref);
    if (S.have_rho0)
        nlif_density_free(&S.rho0);
    return rc;
}

json_t *nlif_convergence_json(const nlif_convergence *c)
{
    json_t *levels = json_array();
    for (int k = 0; k < c->n_levels; k++) {
        const nlif_conv_level *l = &c->lev[k];
        json_t *j = json_object();
        json_object_set_new(j, "level", json_integer(k));
        json_object_set_new(j, "h", nlif_json_number(l->h));
        json_object_set_new(j, "dv", nlif_json_number(l->dv));
        json_object_set_new(j, "dt", nlif_json_number(l->dt));
        json_object_set_new(j, "dw", c->dir == NLIF_REFINE_W || l->dw > 0 ? nlif_json_number(l->dw) : json_null());
        json_object_set_new(j, "err_p", nlif_json_number(l->err_p));
        json_object_set_new(j, "ratio_p", nlif_json_number(l->ratio_p));
        json_object_set_new(j, "err_rate", nlif_json_number(l->err_rate));
        json_object_set_new(j, "ratio_rate", nlif_json_number(l->ratio_rate));
        json_object_set_new(j, "err_rate_t", nlif_json_number(l->err_rate_t));
        json_object_set_new(j, "cpu_seconds", nlif_json_number(l->cpu_seconds));
        json_object_set_new(j, "status", json_string(nlif_status_name((nlif_status)l->status)));
        json_object_set_new(j, "steps", json_integer(l->steps));
        json_array_append_new(levels, j);
    }
    json_t *j = json_object();
    json_object_set_new(j, "case", json_string(c->case_name));
    json_object_set_new(j, "scheme", json_string(c->scheme));
    json_object_set_new(j, "refine", json_string(nlif_refine_name(c->dir)));
    json_object_set_new(j, "reference", json_string(c->reference));
    json_object_set_new(j, "reference_rate", json_string(c->reference_rate[0] ? c->reference_rate : c->reference));
    json_object_set_new(j, "reference_status", json_string(nlif_status_name((nlif_status)c->ref_status)));
    json_object_set_new(j, "reference_h", nlif_json_number(c->ref_h));
    json_object_set_new(j, "reference_halvings", json_integer(c->ref_halvings));
    json_object_set_new(j, "reference_cpu_seconds", nlif_json_number(c->ref_cpu_seconds));
    json_object_set_new(j, "measure_p", json_string(c->measure_p));
    json_object_set_new(j, "measure_rate", json_string("max over the level's samples t > 0 of |N - N_ref| (N_ref "
                                                       "linear interpolation of the reference samples)"));
    json_object_set_new(j, "note", json_string(c->note));
    json_object_set_new(j, "levels", levels);
    json_object_set_new(j, "order_p", nlif_json_number(c->order_p));
    json_object_set_new(j, "order_rate", nlif_json_number(c->order_rate));
    json_object_set_new(j, "expected_p", nlif_json_number(c->expected_p));
    json_object_set_new(j, "expected_rate", nlif_json_number(c->expected_rate));
    return j;
}
