/* accuracy.c — check `accuracy`: the distance of a solver's density at t_final and of its rate N(t) to
 * a time-accurate reference, at the solver's own default resolution, on every calm 1D case it runs
 * (no blow-up, no kick, no MFE or epsilon checks), whatever it declares (MATHEMATICS.md 6, "Accuracy
 * at the default resolution"). It needs no capability: a solver without a fixed time step, or one
 * that declares no order, is held to it as every other. Cells `accuracy(p)` and `accuracy(N)`.
 *
 * Reference: a case that states `stationary_rate` relaxes by t_final (its source says so): the exact
 * stationary root N_inf and profile (MATHEMATICS.md 2). Otherwise `cvode` (MATHEMATICS.md 5b) at
 * Δv/8, two runs to T with a snapshot at T − 2δ and at T − δ (δ = T/50), for ∂_tt p(T).
 *
 * Bound: the leading truncation error of a scheme of first order in v and in t at the case's Δv, Δt,
 * computed from the reference (the problem's solution, never a scheme's): for p,
 *   (Δv/2) TV(p_ref(T)) + (Δt/2) T ||∂_tt p_ref(T)||_1
 * (a half-cell shift; backward Euler's global error T ∂_tt p(T) Δt/2 for an autonomous linear
 * operator); for N, the rate_tol derivation at every time, (Δv/2) N |V_F − μ(t)| / a, plus the time
 * term (Δt/2) max t |N''_ref(t)|; a stationary case's N: its derived rate_tol.
 */
#include "nlif_check.h"

#include "../../exact/nlif_exact.h"
#include "../../io/nlif_identity.h"
#include "../../io/nlif_resultfmt.h"
#include "../../reference/nlif_cvode.h"
#include "../case/nlif_case.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REF_HALVINGS 3 /* the reference's Δv = Δv/8: its own spatial error 64 times smaller */
#define REF_SPLITS 50  /* δ = T/50 for the second difference in time */

/* A calm 1D case: what accuracy applies to. */
static int calm(const nlif_case *cs)
{
    return !cs->expect.blowup && !cs->structure.enabled && cs->input.type != NLIF_INPUT_KICK &&
           !nlif_case_states(cs, "mfe_mc") && !nlif_case_states(cs, "jump") && !nlif_case_states(cs, "ap") &&
           !nlif_case_states(cs, "blowup_time");
}

static int stationary(const nlif_case *cs) { return nlif_case_states(cs, "stationary_rate"); }

static void ref_stem(const nlif_case *cs, int k, char *out, size_t len)
{
    snprintf(out, len, "%s.accuracy_ref%d", cs->name, k);
}

static void plan(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    (void)st;
    if (!calm(cs) || stationary(cs) || nlif_scheme_not_applicable(&nlif_scheme_cvode, cs) || cs->model.a1 != 0.0)
        return;
    for (int k = 0; k < 2; k++) { /* one pair per case: the jobs are shared by the schemes (same stems) */
        char stem[256];
        ref_stem(cs, k, stem, sizeof stem);
        nlif_verify_run_job(v, cs, &nlif_scheme_cvode, stem,
                            &(nlif_run_args){.dv = ldexp(cs->run.dv, -REF_HALVINGS), .dt = cs->run.dt,
                                             .set_key = "run.snapshots",
                                             .set_value = cs->run.t_final * (1.0 - (2 - k) / (double)REF_SPLITS)});
    }
}

/* The v-profile of a snapshot file at time `at` (the last one for at < 0; the one closest to at
 * otherwise): *n nodes into *x, *p (malloc'd). −1 if unreadable. */
static int profile_at(const char *path, double at, double **x, double **p, int *n)
{
    nlif_rf_table t;
    nlif_judged_note(path);
    if (nlif_rf_table_read(path, nlif_rf_snapshot_cols, &t, NULL) || !t.nrow)
        return -1;
    double tl = t.x[(t.nrow - 1) * 4 + 1];
    for (size_t i = 0; at >= 0 && i < t.nrow; i++)
        if (fabs(t.x[i * 4 + 1] - at) < fabs(tl - at))
            tl = t.x[i * 4 + 1];
    size_t first = t.nrow, m = 0;
    for (size_t i = 0; i < t.nrow; i++)
        if (t.x[i * 4 + 1] == tl && t.x[i * 4] == 'v')
            first = m ? first : i, m++;
    *x = malloc((m + 1) * sizeof **x), *p = malloc((m + 1) * sizeof **p);
    for (size_t i = 0; i < m && *x && *p; i++)
        (*x)[i] = t.x[(first + i) * 4 + 2], (*p)[i] = t.x[(first + i) * 4 + 3];
    *n = (int)m;
    nlif_rf_table_free(&t);
    return *x && *p && m >= 2 ? 0 : -1;
}

/* Linear interpolation of (x, y)[0..n) at u (0 outside: the density vanishes beyond the grid). */
static double interp(const double *x, const double *y, int n, double u)
{
    if (u < x[0] - 1e-12 || u > x[n - 1] + 1e-12)
        return 0.0;
    int lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        *(x[mid] <= u ? &lo : &hi) = mid;
    }
    double w = x[hi] > x[lo] ? (u - x[lo]) / (x[hi] - x[lo]) : 0.0;
    return y[lo] + w * (y[hi] - y[lo]);
}

/* Σ |p − q| Δv over the nodes of the scheme, each node with its cell (half cells at the ends). */
static double l1(const double *x, const double *p, const double *q, int n)
{
    double d = 0;
    for (int i = 0; i < n; i++) {
        double w = 0.5 * ((i + 1 < n ? x[i + 1] : x[i]) - (i > 0 ? x[i - 1] : x[i]));
        d += fabs(p[i] - q[i]) * w;
    }
    return d;
}

static double total_variation(const double *p, int n)
{
    double tv = 0;
    for (int i = 1; i < n; i++)
        tv += fabs(p[i] - p[i - 1]);
    return tv;
}

typedef struct figures {
    double err_p, err_n, bound_p, bound_n;
    char ref[200];
} figures;

/* Against the exact stationary state (the case states that relaxation is complete by t_final). */
static int against_stationary(const nlif_check_ctx *c, const double *x, const double *p, int n, figures *F, char *why,
                              size_t wl)
{
    const nlif_case *cs = c->cs;
    double roots[NLIF_MAX_ROOTS];
    int nr = 0, root = (int)nlif_check_bound(cs, "stationary_root");
    nlif_error e = {0};
    if (nlif_stationary_rates(&cs->model, cs->input.i0, roots, NLIF_MAX_ROOTS, &nr, &e) || root >= nr) {
        snprintf(why, wl, "no exact stationary root %d", root);
        return -1;
    }
    double *q = malloc(n * sizeof *q);
    if (!q)
        return -1;
    for (int i = 0; i < n; i++)
        q[i] = nlif_stationary_profile(&cs->model, cs->input.i0, roots[root], x[i]);
    F->err_p = l1(x, p, q, n);
    F->bound_p = 0.5 * cs->run.dv * total_variation(q, n);
    free(q);
    F->err_n = fabs(nlif_vd_num(c->run, "final_rate") - roots[root]);
    F->bound_n = nlif_check_bound(cs, "rate_tol");
    snprintf(F->ref, sizeof F->ref, "the exact stationary state (N_inf = %.9g); N: the final rate, bound rate_tol",
             roots[root]);
    return 0;
}

/* Against cvode at Δv/8: the profile at T, the rate at every sample t > 0, bounds from its data. */
static int against_cvode(const nlif_check_ctx *c, const double *x, const double *p, int n, figures *F, char *why,
                         size_t wl)
{
    const nlif_case *cs = c->cs;
    const char *runs = nlif_verify_dir(c->v, "runs");
    char path[1400], stem[256];
    double *rx[3] = {0}, *rp[3] = {0}, T = cs->run.t_final, delta = T / REF_SPLITS;
    int rn[3] = {0}, rc = -1;
    series own = {0}, ref = {0};
    for (int k = 0; k < 3; k++) { /* p at T, T − δ (run 1), T − 2δ (run 0) */
        ref_stem(cs, k == 2 ? 0 : k == 1 ? 1 : 0, stem, sizeof stem);
        snprintf(path, sizeof path, "%s/%s.snapshots.csv", runs, stem);
        if (profile_at(path, k ? T - k * delta : -1, &rx[k], &rp[k], &rn[k])) {
            snprintf(why, wl, "no reference on disk (%s)", path);
            goto done;
        }
    }
    ref_stem(cs, 0, stem, sizeof stem);
    snprintf(path, sizeof path, "%s/%s.series.csv", runs, stem);
    char own_path[1400];
    snprintf(own_path, sizeof own_path, "%.*s.series.csv", (int)strlen(c->runpath) - 5, c->runpath);
    if (nlif_vd_load_series(path, &ref) || nlif_vd_load_series(own_path, &own)) {
        snprintf(why, wl, "a series is missing or refused (%s, %s)", path, own_path);
        goto done;
    }
    double *q = malloc(n * sizeof *q);
    if (!q)
        goto done;
    for (int i = 0; i < n; i++)
        q[i] = interp(rx[0], rp[0], rn[0], x[i]);
    F->err_p = l1(x, p, q, n);
    free(q);
    /* ∂_tt p(T) by the second difference of the three reference profiles (same grid) */
    double tv = total_variation(rp[0], rn[0]), ptt = 0;
    for (int i = 0; i < rn[0] && rn[1] == rn[0] && rn[2] == rn[0]; i++) {
        double w = i + 1 < rn[0] ? rx[0][i + 1] - rx[0][i] : rx[0][i] - rx[0][i - 1];
        ptt += fabs(rp[0][i] - 2 * rp[1][i] + rp[2][i]) / (delta * delta) * w;
    }
    F->bound_p = 0.5 * cs->run.dv * tv + 0.5 * cs->run.dt * T * ptt;
    /* N: the largest distance over the scheme's samples t > 0 (the t = 0 sample is the data's, §6) */
    F->err_n = 0;
    for (int i = 0; i < own.n; i++)
        if (own.t[i] > 0)
            F->err_n = fmax(F->err_n, fabs(own.rate[i] - interp(ref.t, ref.rate, ref.n, own.t[i])));
    double space = 0, time = 0;
    for (int i = 1; i + 1 < ref.n; i++) {
        double t = ref.t[i], N = ref.rate[i], a = cs->model.a0 + cs->model.a1 * N;
        double mu = cs->model.b * N + nlif_input_current(&cs->input, t);
        space = fmax(space, N * fabs(cs->model.v_f - mu) / a);
        double h0 = ref.t[i] - ref.t[i - 1], h1 = ref.t[i + 1] - ref.t[i];
        if (h0 > 0 && h1 > 0)
            time = fmax(time, t * fabs(2 * ((ref.rate[i + 1] - N) / h1 - (N - ref.rate[i - 1]) / h0) / (h0 + h1)));
    }
    F->bound_n = 0.5 * cs->run.dv * space + 0.5 * cs->run.dt * time;
    snprintf(F->ref, sizeof F->ref, "cvode at dv/%d (MATHEMATICS.md 5b)", 1 << REF_HALVINGS);
    rc = 0;
done:
    for (int k = 0; k < 3; k++)
        free(rx[k]), free(rp[k]);
    nlif_vd_free_series(&own);
    nlif_vd_free_series(&ref);
    return rc;
}

static void judge(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    if (!calm(cs))
        return; /* not a calm case: the MFE, jump and epsilon checks judge it */
    char path[1400], why[1600] = "";
    double *x = NULL, *p = NULL;
    int n = 0;
    snprintf(path, sizeof path, "%.*s.snapshots.csv", (int)strlen(c->runpath) - 5, c->runpath);
    figures F = {0};
    int rc = profile_at(path, -1, &x, &p, &n);
    if (rc)
        snprintf(why, sizeof why, "no final profile (%s)", path);
    else if (stationary(cs))
        rc = against_stationary(c, x, p, n, &F, why, sizeof why);
    else if (cs->model.a1 != 0.0 || nlif_scheme_not_applicable(&nlif_scheme_cvode, cs))
        snprintf(why, sizeof why, "no time-accurate reference for this case (cvode needs a1 = 0)"), rc = -1;
    else
        rc = against_cvode(c, x, p, n, &F, why, sizeof why);
    free(x);
    free(p);
    const char *status = json_string_value(json_object_get(c->run, "status"));
    if (!rc && status && strcmp(status, "ok"))
        snprintf(why, sizeof why, "the run stopped (status %s) before t_final", status), rc = -1;
    if (rc) {
        nlif_check_cell(c, "accuracy", NLIF_FAIL, NAN, "", "MATHEMATICS.md 6", "%s", why);
        return;
    }
    char bound[96];
    snprintf(bound, sizeof bound, "<= %.3g", F.bound_p);
    nlif_check_cell(c, "accuracy(p)", F.err_p <= F.bound_p ? NLIF_PASS : NLIF_FAIL, F.err_p, bound,
                    "first-order truncation bound at the case's dv, dt; MATHEMATICS.md 6",
                    "L1 distance of p(t_final) to %s", F.ref);
    snprintf(bound, sizeof bound, "<= %.3g", F.bound_n);
    nlif_check_cell(c, "accuracy(N)", F.err_n <= F.bound_n ? NLIF_PASS : NLIF_FAIL, F.err_n, bound,
                    "first-order truncation bound at the case's dv, dt; MATHEMATICS.md 6",
                    "max over t > 0 of |N - N_ref| against %s", F.ref);
}

const nlif_check_type nlif_check_accuracy = {
    .name = "accuracy",
    .title = "p(t_final) and N(t) at the default resolution vs a time-accurate reference, on every calm case, "
             "whatever the solver declares",
    .always = 1,
    .plan = plan,
    .judge = judge,
};
