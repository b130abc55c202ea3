/* accuracy.c — check `accuracy`: the distance of a solver's density at EVERY snapshot time and of its
 * rate N(t) over the whole run to a time-accurate reference, at the solver's own default resolution,
 * on every calm 1D case it runs (no blow-up, no kick, no MFE or epsilon checks), whatever it declares
 * (MATHEMATICS.md 6, "Accuracy at the default resolution"). It needs no capability: a solver without
 * a fixed time step, or one that declares no order, is held to it as every other. Cells `accuracy(p)`
 * (the worst snapshot, figure ÷ bound) and `accuracy(N)`.
 *
 * Reference: `cvode` (MATHEMATICS.md 5b) at Δv/8, one run per case with a snapshot at each snapshot
 * time t_k of the case and at t_k − δ_k, t_k − 2δ_k (δ_k = t_k/50), for ∂_tt p(t_k). A case that
 * states `stationary_rate` relaxes by t_final (its source says so): there the final state is judged
 * against the exact stationary root N_inf and profile (MATHEMATICS.md 2) and its rate against
 * rate_tol; its earlier snapshots and its N(t) against cvode as above. A case with a1 > 0 has no
 * cvode reference: its final state alone is judged (stationary) or the cell FAILs saying why.
 *
 * Bound: the leading truncation error of a scheme of first order in v and in t at the case's Δv, Δt,
 * computed from the reference (the problem's solution, never a scheme's): for p at t_k,
 *   (Δv/2) TV(p_ref(t_k)) + (Δt/2) t_k ||∂_tt p_ref(t_k)||_1
 * (a half-cell shift; backward Euler's global error t ∂_tt p(t) Δt/2 for an autonomous linear
 * operator); for N, the rate_tol derivation at every time, (Δv/2) N |V_F − μ(t)| / a, plus the time
 * term (Δt/2) max t |N''_ref(t)|, both away from the input's discontinuities (a pulse's edges,
 * where the discrete outflow makes N jump: the samples within one Δt of one are not judged); a
 * stationary case's final N: its derived rate_tol.
 *
 * Two populations (MATHEMATICS.md §1.6): population I's density (the snapshots' column density_i) is
 * judged at every snapshot as E's, against the reference's I density or I's exact stationary profile,
 * and I's final rate against N_I; accuracy(p) is the worst of both, so a solver wrong in I alone FAILs.
 * N(t) over the run is E's.
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

static void ref_stem(const nlif_case *cs, char *out, size_t len)
{
    snprintf(out, len, "%s.accuracy_ref", cs->name);
}

static int has_cvode_reference(const nlif_case *cs)
{
    return cs->model.a1 == 0.0 && !nlif_scheme_not_applicable(&nlif_scheme_cvode, cs);
}

static void plan(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    (void)st;
    if (!calm(cs) || !has_cvode_reference(cs))
        return;
    /* one reference per case (the same stem for every scheme: planned once): each judged time t_k
     * with t_k − 2δ_k and t_k − δ_k before it */
    double t[NLIF_MAX_SNAPSHOTS];
    int n = nlif_check_judged_times(cs, t, NLIF_MAX_SNAPSHOTS / 3);
    char list[2048] = "", stem[256];
    for (int k = 0; k < n; k++)
        for (int j = 2; j >= 0; j--)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%.12g", list[0] ? "," : "",
                     t[k] * (1.0 - j / (double)REF_SPLITS));
    if (strlen(list) + strlen("run.snapshots=") >= sizeof ((nlif_job *)0)->argbuf[0])
        return; /* a job's argument cannot hold it: judge sees no reference and says so */
    ref_stem(cs, stem, sizeof stem);
    nlif_verify_run_job(v, cs, &nlif_scheme_cvode, stem,
                        &(nlif_run_args){.dv = ldexp(cs->run.dv, -REF_HALVINGS), .dt = cs->run.dt,
                                         .set_key = "run.snapshots", .set_text = list});
}

/* The v-profile of a snapshot file at time `at` (the last one for at < 0; the one at `at`, within
 * 1e-9 relative, otherwise): *n nodes into *x, *p (malloc'd), population ALPHA's (1: the column density_i of
 * two populations, MATHEMATICS.md §1.6). −1 if unreadable or absent. */
static int profile_of(const char *path, double at, int alpha, double **x, double **p, int *n)
{
    nlif_rf_table t;
    nlif_judged_note(path);
    if (nlif_rf_table_read(path, nlif_rf_snapshot_cols, &t, NULL) || !t.nrow)
        return -1;
    size_t w = (size_t)t.ncol;
    int dc = nlif_rf_col(&t, alpha ? "density_i" : "density");
    if (dc < 0) {
        nlif_rf_table_free(&t);
        return -1;
    }
    double tl = t.x[(t.nrow - 1) * w + 1];
    for (size_t i = 0; at >= 0 && i < t.nrow; i++)
        if (fabs(t.x[i * w + 1] - at) < fabs(tl - at))
            tl = t.x[i * w + 1];
    if (at >= 0 && fabs(tl - at) > 1e-9 * (1.0 + at)) { /* no snapshot at that time: none, not a neighbour */
        nlif_rf_table_free(&t);
        return -1;
    }
    size_t first = t.nrow, m = 0;
    for (size_t i = 0; i < t.nrow; i++)
        if (t.x[i * w + 1] == tl && t.x[i * w] == 'v')
            first = m ? first : i, m++;
    *x = malloc((m + 1) * sizeof **x), *p = malloc((m + 1) * sizeof **p);
    for (size_t i = 0; i < m && *x && *p; i++)
        (*x)[i] = t.x[(first + i) * w + 2], (*p)[i] = t.x[(first + i) * w + (size_t)dc];
    *n = (int)m;
    nlif_rf_table_free(&t);
    return *x && *p && m >= 2 ? 0 : -1;
}

static int profile_at(const char *path, double at, double **x, double **p, int *n)
{
    return profile_of(path, at, 0, x, p, n);
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

/* The exact stationary state at t_final (the case states that relaxation is complete by then). */
static int stationary_state(const nlif_case *cs, int alpha, const double *x, int n, double *q, double *n_inf, char *why,
                            size_t wl)
{
    double roots[NLIF_MAX_ROOTS];
    int nr = 0, root = (int)nlif_check_bound(cs, "stationary_root");
    nlif_error e = {0};
    if (cs->model.populations == 2) { /* population ALPHA of the E-I state (MATHEMATICS.md §1.6, §2) */
        nlif_model one;
        double input;
        if (nlif_population_state(&cs->model, cs->input.i0, root, alpha, &one, &input, n_inf, &e)) {
            snprintf(why, wl, "no exact stationary root %d: %s", root, e.msg);
            return -1;
        }
        for (int i = 0; i < n; i++)
            q[i] = nlif_stationary_profile(&one, input, *n_inf, x[i]);
        return 0;
    }
    if (nlif_stationary_rates(&cs->model, cs->input.i0, roots, NLIF_MAX_ROOTS, &nr, &e) || root >= nr) {
        snprintf(why, wl, "no exact stationary root %d", root);
        return -1;
    }
    for (int i = 0; i < n; i++)
        q[i] = nlif_stationary_profile(&cs->model, cs->input.i0, roots[root], x[i]);
    *n_inf = roots[root];
    return 0;
}

typedef struct figures {
    double err_p, bound_p, t_p;  /* the worst snapshot (largest error over bound) and its time */
    double err_n, bound_n;
    int n_snap;
    char detail[600], ref[200];
} figures;

static void note_snapshot(figures *F, double t, double err, double bound)
{
    if (F->n_snap == 0 || err / bound > F->err_p / F->bound_p)
        F->err_p = err, F->bound_p = bound, F->t_p = t;
    F->n_snap++;
    snprintf(F->detail + strlen(F->detail), sizeof F->detail - strlen(F->detail), "%st = %g: %.3g (bound %.3g)",
             F->detail[0] ? "; " : "", t, err, bound);
}

/* The solver's snapshot at time t against the reference's (cvode at Δv/8) and its bound from the
 * reference's own profiles at t, t − δ, t − 2δ. */
static int snapshot_vs_cvode(const nlif_case *cs, int alpha, const char *own, const char *refp, double t, figures *F,
                             char *why, size_t wl)
{
    double *x = NULL, *p = NULL, *rx[3] = {0}, *rp[3] = {0}, delta = t / REF_SPLITS;
    int n = 0, rn[3] = {0}, rc = -1;
    if (profile_of(own, t, alpha, &x, &p, &n)) {
        snprintf(why, wl, "no snapshot%s at t = %g in %s", alpha ? " of population I (column density_i)" : "", t, own);
        goto done;
    }
    for (int k = 0; k < 3; k++)
        if (profile_of(refp, t - k * delta, alpha, &rx[k], &rp[k], &rn[k]) || rn[k] != rn[0]) {
            snprintf(why, wl, "no reference at t = %g on disk (%s)", t - k * delta, refp);
            goto done;
        }
    double *q = malloc(n * sizeof *q), ptt = 0;
    if (!q)
        goto done;
    for (int i = 0; i < n; i++)
        q[i] = interp(rx[0], rp[0], rn[0], x[i]);
    double err = l1(x, p, q, n);
    free(q);
    for (int i = 0; i < rn[0]; i++) {
        double w = i + 1 < rn[0] ? rx[0][i + 1] - rx[0][i] : rx[0][i] - rx[0][i - 1];
        ptt += fabs(rp[0][i] - 2 * rp[1][i] + rp[2][i]) / (delta * delta) * w;
    }
    note_snapshot(F, t, err, 0.5 * cs->run.dv * total_variation(rp[0], rn[0]) + 0.5 * cs->run.dt * t * ptt);
    rc = 0;
done:
    free(x), free(p);
    for (int k = 0; k < 3; k++)
        free(rx[k]), free(rp[k]);
    return rc;
}

/* Does [a, b] hold an input discontinuity (a pulse's edge)? N jumps there with the discrete outflow,
 * so neither its second difference nor its value within a step of one is judged. */
static int near_edge(const nlif_case *cs, double a, double b)
{
    if (cs->input.type != NLIF_INPUT_PULSE)
        return 0;
    return (cs->input.t0 >= a && cs->input.t0 <= b) || (cs->input.t1 >= a && cs->input.t1 <= b);
}

/* The largest |N − N_ref| over the solver's samples from the reference's first step on, away from the
 * input's discontinuities (below). */
static double rate_distance(const nlif_case *cs, const series *ref, const series *own)
{
    double t1 = ref->n > 1 ? ref->t[1] : 0, dt = cs->run.dt, e = 0;
    for (int i = 0; i < own->n; i++)
        if (own->t[i] > 0 && own->t[i] >= t1 * (1 - 1e-9) && !near_edge(cs, own->t[i] - dt, own->t[i] + dt))
            e = fmax(e, fabs(own->rate[i] - interp(ref->t, ref->rate, ref->n, own->t[i])));
    return e;
}

/* N over the run against the reference's series: the largest distance over the solver's samples from
 * the reference's first step on (the t = 0 sample is the data's, §6) and the bound from the
 * reference's series. */
static int rate_vs_cvode(const nlif_check_ctx *c, const char *refs, const char *owns, figures *F, char *why, size_t wl)
{
    const nlif_case *cs = c->cs;
    series own = {0}, ref = {0};
    if (nlif_vd_load_series(refs, &ref) || nlif_vd_load_series(owns, &own)) {
        snprintf(why, wl, "a series is missing or refused (%s, %s)", refs, owns);
        nlif_vd_free_series(&own);
        nlif_vd_free_series(&ref);
        return -1;
    }
    /* from the reference's first step on: before it, N is the initial layer of the data at V_F (it
     * falls from 0.16 to 0.007 within the first Δt on relax_linear), which the reference's samples do
     * not resolve, so interpolating them there would measure the reference, not the solver */
    F->err_n = rate_distance(cs, &ref, &own);
    /* away from the input's discontinuities (a pulse's edges): the discrete outflow depends on I, so N
     * itself jumps there (cvode's own N is 0.006 off at a switch of 1.5 on transient_pulse), and a
     * second difference across one measures the jump, not N'' */
    double space = 0, time = 0;
    for (int i = 1; i + 1 < ref.n; i++) {
        double t = ref.t[i], N = ref.rate[i], a = cs->model.a0 + cs->model.a1 * N;
        double mu = cs->model.b * N + nlif_input_current(&cs->input, t);
        space = fmax(space, N * fabs(cs->model.v_f - mu) / a);
        double h0 = ref.t[i] - ref.t[i - 1], h1 = ref.t[i + 1] - ref.t[i];
        if (h0 > 0 && h1 > 0 && !near_edge(cs, ref.t[i - 1], ref.t[i + 1]))
            time = fmax(time, t * fabs(2 * ((ref.rate[i + 1] - N) / h1 - (N - ref.rate[i - 1]) / h0) / (h0 + h1)));
    }
    F->bound_n = 0.5 * cs->run.dv * space + 0.5 * cs->run.dt * time;
    nlif_vd_free_series(&own);
    nlif_vd_free_series(&ref);
    return 0;
}

/* Every judged time against its reference; 0, or -1 with why. */
static int measure(const nlif_check_ctx *c, figures *F, char *why, size_t wl)
{
    const nlif_case *cs = c->cs;
    char own[1400], ownser[1400], refp[1400], refs[1400], stem[256];
    snprintf(own, sizeof own, "%.*s.snapshots.csv", (int)strlen(c->runpath) - 5, c->runpath);
    snprintf(ownser, sizeof ownser, "%.*s.series.csv", (int)strlen(c->runpath) - 5, c->runpath);
    ref_stem(cs, stem, sizeof stem);
    snprintf(refp, sizeof refp, "%s/%s.snapshots.csv", nlif_verify_dir(c->v, "runs"), stem);
    snprintf(refs, sizeof refs, "%s/%s.series.csv", nlif_verify_dir(c->v, "runs"), stem);
    double t[NLIF_MAX_SNAPSHOTS];
    int n = nlif_check_judged_times(cs, t, NLIF_MAX_SNAPSHOTS / 3), cv = has_cvode_reference(cs);
    snprintf(F->ref, sizeof F->ref, "%s", cv ? "cvode at dv/8 (MATHEMATICS.md 5b)" : "");
    for (int k = 0; k < n; k++)
        for (int alpha = 0; alpha < (cs->model.populations == 2 ? 2 : 1); alpha++) { /* each population (§1.6) */
            if (k == n - 1 && stationary(cs)) { /* the final state: the exact stationary one */
                double *x = NULL, *p = NULL, *q = NULL, n_inf = NAN;
                int m = 0, rc = profile_of(own, t[k], alpha, &x, &p, &m);
                if (!rc && (q = malloc(m * sizeof *q)) && !(rc = stationary_state(cs, alpha, x, m, q, &n_inf, why, wl))) {
                    note_snapshot(F, t[k], l1(x, p, q, m), 0.5 * cs->run.dv * total_variation(q, m));
                    double e = fabs(nlif_vd_num(c->run, alpha ? "final_rate_i" : "final_rate") - n_inf);
                    double b = nlif_check_bound(cs, "rate_tol");
                    e = isnan(e) ? INFINITY : e;
                    if (!cv || e / b > F->err_n / F->bound_n)
                        F->err_n = e, F->bound_n = b;
                    snprintf(F->ref + strlen(F->ref), sizeof F->ref - strlen(F->ref),
                             "%sthe exact stationary state at t_final (N%s_inf = %.9g; N bound rate_tol)%s",
                             cv || alpha ? "; " : "", alpha ? "_I" : "", n_inf,
                             cv || n == 1 ? "" : "; the earlier snapshots unjudged: no time-accurate reference with a1 > 0");
                } else if (rc && !why[0])
                    snprintf(why, wl, "no final profile%s (%s)", alpha ? " of population I" : "", own);
                free(x), free(p), free(q);
                if (rc)
                    return -1;
            } else if (!cv) {
                if (!stationary(cs)) {
                    snprintf(why, wl, "no time-accurate reference for t = %g (cvode needs a1 = 0)", t[k]);
                    return -1;
                }
                /* the final state alone is judged (against the exact one); said in the cell below */
            } else if (snapshot_vs_cvode(cs, alpha, own, refp, t[k], F, why, wl))
                return -1;
            if (k == 0 && alpha == 0 && cv && rate_vs_cvode(c, refs, ownser, F, why, wl))
                return -1;
        }
    return 0;
}

int nlif_accuracy_has_reference(const nlif_case *cs) { return calm(cs) && has_cvode_reference(cs); }

int nlif_accuracy_distance(const nlif_verify *v, const nlif_case *cs, const char *runpath, double dv, double *err_p,
                           double *err_n, char *why, size_t wl)
{
    *err_p = *err_n = NAN;
    if (!calm(cs) || !has_cvode_reference(cs))
        return snprintf(why, wl, "no time-accurate reference for %s (a calm case with a1 = 0 has one)", cs->name), -1;
    char own[1400], ownser[1400], refp[1400], refs[1400], stem[256];
    snprintf(own, sizeof own, "%.*s.snapshots.csv", (int)strlen(runpath) - 5, runpath);
    snprintf(ownser, sizeof ownser, "%.*s.series.csv", (int)strlen(runpath) - 5, runpath);
    ref_stem(cs, stem, sizeof stem);
    snprintf(refp, sizeof refp, "%s/%s.snapshots.csv", nlif_verify_dir(v, "runs"), stem);
    snprintf(refs, sizeof refs, "%s/%s.series.csv", nlif_verify_dir(v, "runs"), stem);
    double *x = NULL, *p = NULL, *rx = NULL, *rp = NULL, *q = NULL;
    int n = 0, rn = 0, rc = -1;
    if (profile_at(own, cs->run.t_final, &x, &p, &n) || profile_at(refp, cs->run.t_final, &rx, &rp, &rn) ||
        !(q = malloc(n * sizeof *q))) {
        snprintf(why, wl, "no final profile in %s or in the reference %s", own, refp);
        goto done;
    }
    for (int i = 0; i < n; i++)
        q[i] = interp(rx, rp, rn, x[i]);
    *err_p = l1(x, p, q, n);
    series s_own = {0}, s_ref = {0};
    nlif_case at = *cs; /* the pulse-edge exclusion is one step of the run's own dt wide */
    at.run.dt = dv > 0 ? cs->run.dt * dv / cs->run.dv : cs->run.dt;
    if (nlif_vd_load_series(refs, &s_ref) || nlif_vd_load_series(ownser, &s_own))
        snprintf(why, wl, "a series is missing or refused (%s, %s)", refs, ownser);
    else
        *err_n = rate_distance(&at, &s_ref, &s_own), rc = 0;
    nlif_vd_free_series(&s_own);
    nlif_vd_free_series(&s_ref);
done:
    free(x), free(p), free(rx), free(rp), free(q);
    return rc;
}

static void judge(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    if (!calm(cs))
        return; /* not a calm case: the MFE, jump and epsilon checks judge it */
    char why[1600] = "";
    figures F = {0};
    char stem[256], refp[1400];
    ref_stem(cs, stem, sizeof stem);
    snprintf(refp, sizeof refp, "%s/%s.snapshots.csv", nlif_verify_dir(c->v, "runs"), stem);
    if (has_cvode_reference(cs) && !nlif_verify_find_job(c->v, stem) && nlif_verify_on_disk(c->v) &&
        access(refp, F_OK) != 0) { /* nlif judge runs nothing: the reference is verify's to compute */
        nlif_verdict(c->v, cs->name, c->st->name, "accuracy", NLIF_NA, NAN, "", "", NULL,
                     "no reference on disk (%s; nlif verify computes it)", refp);
        return;
    }
    int rc = measure(c, &F, why, sizeof why);
    const char *status = json_string_value(json_object_get(c->run, "status"));
    if (!rc && status && strcmp(status, "ok"))
        snprintf(why, sizeof why, "the run stopped (status %s) before t_final", status), rc = -1;
    if (rc) {
        nlif_check_cell(c, "accuracy", NLIF_FAIL, NAN, "", "MATHEMATICS.md 6", "%s", why);
        return;
    }
    char bound[64];
    snprintf(bound, sizeof bound, "<= %.3g", F.bound_p);
    nlif_check_cell(c, "accuracy(p)", F.err_p <= F.bound_p ? NLIF_PASS : NLIF_FAIL, F.err_p, bound,
                    "first-order truncation bound at the case's dv, dt; MATHEMATICS.md 6",
                    "L1 distance of p at each of %d snapshot times to %s; the worst at t = %g: %s", F.n_snap, F.ref,
                    F.t_p, F.detail);
    snprintf(bound, sizeof bound, "<= %.3g", F.bound_n);
    nlif_check_cell(c, "accuracy(N)", F.err_n <= F.bound_n ? NLIF_PASS : NLIF_FAIL, F.err_n, bound,
                    "first-order truncation bound at the case's dv, dt; MATHEMATICS.md 6",
                    "max over t >= dt of |N - N_ref| against %s", F.ref);
}

const nlif_check_type nlif_check_accuracy = {
    .name = "accuracy",
    .title = "p at every snapshot and N(t) over the run at the default resolution vs a time-accurate reference, "
             "on every calm case, whatever the solver declares",
    .always = 1,
    .plan = plan,
    .judge = judge,
};
