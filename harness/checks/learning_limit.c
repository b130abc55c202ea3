/* learning_limit.c — check `learning_limit`: a structured run near the limit ε → 0 against the exact
 * limit solved by characteristics (exact/learning.c; MATHEMATICS.md §2 "Learning in the limit ε → 0",
 * §6 "Learning in the limit"). Cells `learning_limit(rho)` — the L1 distance in w of the run's weight
 * marginal ρ(w, t) to the reference's cell means at every snapshot — and `learning_limit(N)` — |N − N_ref|
 * at every sample after the initial layer —, each against a bound at the sample's time.
 *
 * The judged run: the case's own when its ε ≤ expect.learning_eps, else a run of the case with
 * structure.epsilon = learning_eps (planned here, stem CASE.SCHEME.learning_limit). Needs capability
 * structured.
 *
 * Bounds: the leading error of a scheme of first order in w, t and v at the case's Δw, Δt, Δv, plus
 * the O(ε) lag, computed from the reference (never from the judged run), marched in time on the
 * reference's grid (MATHEMATICS.md §6 derives each term):
 *   B_ρ(t) = ∫₀ᵗ [ (Δw/2) ‖∂_w(|K| ∂_w ρ)‖₁ + (Δt/2) ‖∂_tt ρ‖₁ ] ds          (upwind's numerical diffusion,
 *                                                                             Euler's error; interior)
 *          + Σ_edges J_e(t) σ_e(t) sqrt(2/π),  (σ_e²)' = 2D_e + 2 ∂_wK_e σ_e²,       (a jump of ρ smeared by it)
 *            D = (Δw |K| + Δt K²)/2
 *          + ∫₀ᵗ TV(δK ρ) ds,  δK = α [B_N (𝒩 + N w 𝒩') + N δ𝒩]              (K through N and 𝒩; Hebbian)
 *   B_N(t) = [ δ_v + Δt |N'| + (osc 𝒩 / 2) B_ρ + ε τ |N'| ] / (1 − F'(N)),
 *            δ_v = ∫ ρ δ𝒩 dw,  δ𝒩(μ) = (Δv/2) 𝒩(μ) |V_F − μ| / a (the rate_tol derivation per class).
 */
#include "nlif_check.h"

#include "../../exact/nlif_exact.h"
#include "../../exact/nlif_learning.h"
#include "../../io/nlif_identity.h"
#include "../case/nlif_case.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REF_M 48      /* characteristics: the reference's N and masses converge to 1e-13 (tests/test_learning.c) */
#define REF_TOL 1e-12 /* the integrator's tolerance */
#define GRID 200      /* reference times on [0, T] (plus the snapshot times); N_ref between them linear:
                       * (T/200)²/8 |N''| ≤ 1e-7 on the catalogue, far below B_N */
#define FINE 400      /* points of ρ across the support for the bound's norms */
#define TAU 10.0      /* the voltage relaxation time assumed in the O(ε) term (MATHEMATICS.md §6) */
#define ROUNDOFF 1e-12 /* the round-off floor of B_ρ, the mass check's: without learning (K = 0) ρ is exact */

static int own_run(const nlif_case *cs) { return cs->structure.epsilon <= nlif_check_bound(cs, "learning_eps"); }

static void stem_of(const nlif_case *cs, const nlif_scheme_type *st, char *out, size_t len)
{
    snprintf(out, len, "%s.%s.learning_limit", cs->name, st->name);
}

static void plan(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    if (own_run(cs))
        return;
    char stem[256];
    stem_of(cs, st, stem, sizeof stem);
    nlif_verify_run_job(v, cs, st, stem,
                        &(nlif_run_args){.set_key = "structure.epsilon", .set_value = nlif_check_bound(cs, "learning_eps")});
}

/* The run's weight marginal at time t: cell centres x[0..n) and values r (malloc'd); −1 if absent. */
static int marginal_at(const char *path, double t, double **x, double **r, int *n)
{
    nlif_rf_table tb;
    nlif_judged_note(path);
    if (nlif_rf_table_read(path, nlif_rf_snapshot_cols, &tb, NULL))
        return -1;
    int m = 0;
    *x = malloc((tb.nrow + 1) * sizeof **x), *r = malloc((tb.nrow + 1) * sizeof **r);
    for (size_t i = 0; *x && *r && i < tb.nrow; i++)
        if (tb.x[i * 4] == 'w' && fabs(tb.x[i * 4 + 1] - t) <= 1e-9 * (1 + t))
            (*x)[m] = tb.x[i * 4 + 2], (*r)[m++] = tb.x[i * 4 + 3];
    nlif_rf_table_free(&tb);
    *n = m;
    return *x && *r && m >= 2 ? 0 : -1;
}

/* The reference's state and the bound's running integrals. */
typedef struct march {
    const nlif_case *cs;
    nlif_learning *L;
    double eps; /* the judged run's ε */
    double e_int, e_k, edge[2], b_rho, b_n; /* ∫ interior terms, ∫ TV(δK ρ), the edges' σ², the bounds */
    double w[FINE + 1], rho[FINE + 1], mu[FINE + 1], rate[FINE + 1], drate[FINE + 1], k[FINE + 1];
} march;

static double delta_rate(const march *M, double mu, double rate)
{
    const nlif_model *m = &M->cs->model;
    return 0.5 * M->cs->run.dv * rate * fabs(m->v_f - mu) / m->a0;
}

/* The reference at the current time on the images of FINE + 1 equally spaced starting points (the
 * characteristics' positions and densities: no inversion of the flow map). */
static void sample(march *M, double *lo, double *hi)
{
    const nlif_structure *s = &M->cs->structure;
    nlif_learning_support(M->L, lo, hi);
    double N = nlif_learning_rate(M->L), I = M->cs->input.type == NLIF_INPUT_CONSTANT ? M->cs->input.i0 : 0.0;
    for (int i = 0; i <= FINE; i++) {
        nlif_learning_flow(M->L, s->w_min + (s->w_max - s->w_min) * i / FINE, &M->w[i], &M->rho[i]);
        M->mu[i] = M->w[i] * N + I;
        M->rate[i] = nlif_learning_uncoupled(M->L, M->mu[i]);
        M->drate[i] = nlif_learning_duncoupled(M->L, M->mu[i]);
        M->k[i] = nlif_learning_velocity(M->L, M->w[i]);
    }
}

/* The interior terms (Δw/2)‖∂_w(|K|∂_wρ)‖₁ + (Δt/2)‖∂_ttρ‖₁ at the current time, by differences on the
 * sampled points; ∂_ttρ = ∂_w(K ∂_w(Kρ)) − ∂_w(K_t ρ), K_t = ∂_N K · N'. */
static double interior_rate(const march *M)
{
    const nlif_structure *s = &M->cs->structure;
    double dw = M->cs->run.dw, dt = M->cs->run.dt, N = nlif_learning_rate(M->L), dN = nlif_learning_rate_derivative(M->L);
    double diff = 0, tt = 0, prev_f = 0, prev_g = 0, prev_q = 0;
    for (int i = 0; i < FINE; i++) {
        double h = M->w[i + 1] - M->w[i];
        if (!(h > 0))
            continue;
        double kf = 0.5 * (M->k[i] + M->k[i + 1]);
        double f = fabs(kf) * (M->rho[i + 1] - M->rho[i]) / h;                        /* |K| ρ_w at i+1/2 */
        double g = kf * (M->k[i + 1] * M->rho[i + 1] - M->k[i] * M->rho[i]) / h;        /* K (Kρ)_w at i+1/2 */
        double wf = 0.5 * (M->w[i] + M->w[i + 1]), rf = 0.5 * (M->rate[i] + M->rate[i + 1]);
        double dk = s->rule == NLIF_RULE_HEBBIAN ? s->alpha * (rf + N * wf * 0.5 * (M->drate[i] + M->drate[i + 1])) * dN : 0;
        double q = dk * 0.5 * (M->rho[i] + M->rho[i + 1]);                               /* K_t ρ at i+1/2 */
        if (i > 0) {
            diff += fabs(f - prev_f);
            tt += fabs((g - prev_g) - (q - prev_q));
        }
        prev_f = f, prev_g = g, prev_q = q;
    }
    return 0.5 * dw * diff + 0.5 * dt * tt;
}

/* TV(δK ρ) with δK = α [B_N (𝒩 + N w 𝒩') + N δ𝒩] (ρ extended by 0: the edges' jumps included). */
static double k_perturbation(const march *M)
{
    const nlif_structure *s = &M->cs->structure;
    if (s->rule != NLIF_RULE_HEBBIAN)
        return 0.0;
    double N = nlif_learning_rate(M->L), tv = 0, prev = 0;
    for (int i = 0; i <= FINE; i++) {
        double dk = fabs(s->alpha) * (M->b_n * fabs(M->rate[i] + N * M->w[i] * M->drate[i]) +
                                      N * delta_rate(M, M->mu[i], M->rate[i]));
        double x = dk * M->rho[i];
        tv += fabs(x - prev);
        prev = x;
    }
    return tv + fabs(prev);
}

/* One step of the march to the current time from a step h_t ago: the integrals, then B_ρ and B_N. */
static void bounds_at(march *M, double h_t)
{
    double lo, hi;
    sample(M, &lo, &hi);
    double dw = M->cs->run.dw, dt = M->cs->run.dt;
    M->e_int += h_t * interior_rate(M);
    M->e_k += h_t * k_perturbation(M);
    double ke[2] = {nlif_learning_velocity(M->L, lo), nlif_learning_velocity(M->L, hi)}, jump[2];
    double dk[2] = {nlif_learning_dvelocity(M->L, lo), nlif_learning_dvelocity(M->L, hi)};
    nlif_learning_edge_jumps(M->L, &jump[0], &jump[1]);
    double edges = 0;
    for (int e = 0; e < 2; e++) {
        /* the smeared jump's variance: (σ²)' = 2D + 2 ∂_wK σ² (diffusion D carried by the local linear
         * flow), D = (Δw|K| + ΔtK²)/2, over the step exactly for K, D frozen */
        double D = 0.5 * (dw * fabs(ke[e]) + dt * ke[e] * ke[e]), x = 2 * dk[e] * h_t;
        double grow = fabs(x) > 1e-12 ? expm1(x) / x : 1.0 + 0.5 * x;
        M->edge[e] = M->edge[e] * exp(x) + 2 * D * h_t * grow;
        edges += jump[e] * sqrt(2.0 / M_PI * M->edge[e]);
    }
    M->b_rho = M->e_int + edges + M->e_k + ROUNDOFF;
    /* N: δ_v = ∫ ρ δ𝒩, the quadrature term osc(𝒩)/2 · B_ρ, one step's lag, the O(ε) lag */
    double dv_term = 0, rmin = INFINITY, rmax = -INFINITY;
    for (int i = 0; i <= FINE; i++) {
        if (i < FINE) /* the trapezoid on the sampled points */
            dv_term += 0.5 * (M->w[i + 1] - M->w[i]) *
                       (M->rho[i] * delta_rate(M, M->mu[i], M->rate[i]) + M->rho[i + 1] * delta_rate(M, M->mu[i + 1], M->rate[i + 1]));
        rmin = fmin(rmin, M->rate[i]), rmax = fmax(rmax, M->rate[i]);
    }
    double dN = fabs(nlif_learning_rate_derivative(M->L));
    M->b_n = (dv_term + dt * dN + 0.5 * (rmax - rmin) * M->b_rho + M->eps * TAU * dN) /
             (1 - nlif_learning_gain(M->L));
}

typedef struct worst {
    double err, bound, t, ref; /* the sample with the largest err/bound */
    int n;
    int n_bound;               /* B_ρ at every judged snapshot time */
    double t_at[NLIF_MAX_SNAPSHOTS + 1], bound_at[NLIF_MAX_SNAPSHOTS + 1];
    char detail[700];
} worst;

static void note(worst *W, double t, double err, double bound, double ref)
{
    if (W->n == 0 || err / bound > W->err / W->bound)
        W->err = err, W->bound = bound, W->t = t, W->ref = ref;
    W->n++;
}

/* The L1 distance in w of the run's marginal at t to the reference's cell means on the run's cells,
 * plus the reference's mass outside them. */
static int rho_distance(const march *M, const char *snaps, double t, double *d, char *why, size_t wl)
{
    double *x = NULL, *r = NULL;
    int n = 0;
    if (marginal_at(snaps, t, &x, &r, &n)) {
        free(x), free(r);
        return snprintf(why, wl, "no weight marginal at t = %g in %s", t, snaps), -1;
    }
    double h = x[1] - x[0], inside = 0, e = 0;
    for (int j = 0; j < n; j++) {
        double m = nlif_learning_mass(M->L, x[j] - 0.5 * h, x[j] + 0.5 * h);
        inside += m;
        e += fabs(r[j] * h - m);
    }
    *d = e + fabs(1.0 - inside);
    free(x), free(r);
    return 0;
}

typedef struct refgrid {
    int n;
    double t[GRID + NLIF_MAX_SNAPSHOTS + 2], rate[GRID + NLIF_MAX_SNAPSHOTS + 2], bound[GRID + NLIF_MAX_SNAPSHOTS + 2];
} refgrid;

/* March the reference over [0, T]: N_ref and B_N on the grid, B_ρ at each snapshot time, and ρ judged
 * there against the run's snapshots SNAPS (NULL: the bounds only). */
static int march_reference(march *M, const char *snaps, refgrid *G, worst *R, char *why, size_t wl)
{
    const nlif_case *cs = M->cs;
    double snap[NLIF_MAX_SNAPSHOTS + 1], T = cs->run.t_final, prev = 0;
    int ns = nlif_check_judged_times(cs, snap, NLIF_MAX_SNAPSHOTS + 1), k = 0, i = 0;
    nlif_error e = {0};
    G->n = 0;
    while (i <= GRID || k < ns) {
        double tu = i <= GRID ? T * i / GRID : INFINITY, t = k < ns && snap[k] <= tu * (1 + 1e-12) ? snap[k] : tu;
        int is_snap = k < ns && t == snap[k];
        if (is_snap)
            k++;
        if (t == tu)
            i++;
        if (G->n && t <= G->t[G->n - 1])
            continue;
        if (nlif_learning_advance(M->L, t, &e))
            return snprintf(why, wl, "%s", e.msg), -1;
        bounds_at(M, t - prev);
        prev = t;
        G->t[G->n] = t, G->rate[G->n] = nlif_learning_rate(M->L), G->bound[G->n++] = M->b_n;
        if (is_snap && R->n_bound < NLIF_MAX_SNAPSHOTS + 1)
            R->t_at[R->n_bound] = t, R->bound_at[R->n_bound++] = M->b_rho;
        if (is_snap && snaps) {
            double d;
            if (rho_distance(M, snaps, t, &d, why, wl))
                return -1;
            note(R, t, d, M->b_rho, nlif_learning_rate(M->L));
            snprintf(R->detail + strlen(R->detail), sizeof R->detail - strlen(R->detail), "%st = %g: %.3g (bound %.3g)",
                     R->detail[0] ? "; " : "", t, d, M->b_rho);
        }
    }
    return 0;
}

static double lerp(const refgrid *G, const double *y, double t)
{
    int lo = 0, hi = G->n - 1;
    if (t <= G->t[0])
        return y[0];
    if (t >= G->t[hi])
        return y[hi];
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        *(G->t[mid] <= t ? &lo : &hi) = mid;
    }
    double u = (t - G->t[lo]) / (G->t[hi] - G->t[lo]);
    return y[lo] + u * (y[hi] - y[lo]);
}

/* N over the run after the initial layer (learning_layer steps of Δt) against the reference. */
static int rate_distance(const nlif_case *cs, const refgrid *G, const char *path, worst *W, char *why, size_t wl)
{
    series s = {0};
    if (nlif_vd_load_series(path, &s))
        return snprintf(why, wl, "series missing or refused (%s)", path), -1;
    double layer = nlif_check_bound(cs, "learning_layer") * cs->run.dt, T = cs->run.t_final;
    int rc = 0;
    if (s.t[s.n - 1] < T * (1 - 1e-9))
        rc = -1, snprintf(why, wl, "the run stops at t = %g before t_final = %g", s.t[s.n - 1], T);
    for (int i = 0; !rc && i < s.n; i++)
        if (s.t[i] >= layer * (1 - 1e-9) && s.t[i] <= T * (1 + 1e-12))
            note(W, s.t[i], fabs(s.rate[i] - lerp(G, G->rate, s.t[i])), lerp(G, G->bound, s.t[i]), lerp(G, G->rate, s.t[i]));
    if (!rc && W->n == 0)
        rc = -1, snprintf(why, wl, "no sample of N after the initial layer (t >= %g)", layer);
    nlif_vd_free_series(&s);
    return rc;
}

static void judge(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    char stem[256], base[1400], snaps[1500], ser[1500], why[1600] = "";
    stem_of(cs, c->st, stem, sizeof stem);
    const nlif_job *j = own_run(cs) ? NULL : nlif_verify_find_job(c->v, stem);
    if (own_run(cs))
        snprintf(base, sizeof base, "%.*s", (int)strlen(c->runpath) - 5, c->runpath);
    else
        snprintf(base, sizeof base, "%s/%s", nlif_verify_dir(c->v, "runs"), stem);
    snprintf(snaps, sizeof snaps, "%s.snapshots.csv", base);
    snprintf(ser, sizeof ser, "%s.series.csv", base);
    if (!own_run(cs) && !j && nlif_verify_on_disk(c->v) && access(ser, F_OK) != 0) {
        nlif_check_cell(c, "learning_limit", NLIF_NA, NAN, "", "", "no run at epsilon = %g on disk (%s)",
                        nlif_check_bound(cs, "learning_eps"), ser);
        return;
    }
    if (j && j->exit_code != 0) {
        nlif_verify_job_error(j, why, sizeof why);
        nlif_check_cell(c, "learning_limit", NLIF_FAIL, NAN, "", "MATHEMATICS.md 6", "the run at epsilon = %g failed: %s",
                        nlif_check_bound(cs, "learning_eps"), why);
        return;
    }
    march *M = calloc(1, sizeof *M);
    refgrid *G = calloc(1, sizeof *G);
    worst R = {0}, W = {0};
    nlif_error e = {0};
    int rc = -1;
    if (!M || !G)
        snprintf(why, sizeof why, "out of memory");
    else if (nlif_learning_new(&M->L, cs, REF_M, REF_TOL, &e))
        snprintf(why, sizeof why, "no reference: %s", e.msg);
    else {
        M->cs = cs;
        M->eps = own_run(cs) ? cs->structure.epsilon : nlif_check_bound(cs, "learning_eps");
        rc = march_reference(M, snaps, G, &R, why, sizeof why);
        if (!rc)
            rc = rate_distance(cs, G, ser, &W, why, sizeof why);
    }
    if (M)
        nlif_learning_free(M->L);
    if (rc) {
        nlif_check_cell(c, "learning_limit", NLIF_FAIL, NAN, "", "MATHEMATICS.md 6", "%s", why);
        free(M), free(G);
        return;
    }
    char bound[64], src[] = "first-order bound in w, t, v at the case's dw, dt, dv and the O(eps) lag; MATHEMATICS.md 6";
    snprintf(bound, sizeof bound, "<= %.3g", R.bound);
    nlif_check_cell(c, "learning_limit(rho)", R.err <= R.bound ? NLIF_PASS : NLIF_FAIL, R.err, bound, src,
                    "L1 in w of rho(w, t) at %d snapshot times against the exact limit (characteristics, eps = %g "
                    "run); the worst at t = %g: %s", R.n, M->eps, R.t, R.detail);
    nlif_check_note(c, "t", R.t);
    snprintf(bound, sizeof bound, "<= %.3g", W.bound);
    nlif_check_cell(c, "learning_limit(N)", W.err <= W.bound ? NLIF_PASS : NLIF_FAIL, W.err, bound, src,
                    "max over %d samples t >= %g of |N - N_ref| / bound(t); the worst at t = %g: |N - N_ref| = %.3g, "
                    "N_ref = %.9g, bound %.3g", W.n, nlif_check_bound(cs, "learning_layer") * cs->run.dt, W.t, W.err,
                    W.ref, W.bound);
    nlif_check_reference(c, W.ref);
    nlif_check_note(c, "t", W.t);
    free(M), free(G);
}

int nlif_learning_limit_bounds(const nlif_case *cs, double *t, double *b_rho, int max, int *n, nlif_error *err)
{
    march *M = calloc(1, sizeof *M);
    refgrid *G = calloc(1, sizeof *G);
    worst R = {0};
    char why[600] = "";
    int rc = NLIF_OK;
    *n = 0;
    if (!M || !G)
        rc = nlif_fail(err, NLIF_ENOMEM, "learning_limit bounds");
    else if (!(rc = nlif_learning_new(&M->L, cs, REF_M, REF_TOL, err))) {
        M->cs = cs;
        M->eps = own_run(cs) ? cs->structure.epsilon : nlif_check_bound(cs, "learning_eps");
        if (march_reference(M, NULL, G, &R, why, sizeof why))
            rc = nlif_fail(err, NLIF_ENUMERIC, "%s", why);
        for (int k = 0; !rc && k < R.n_bound && k < max; k++)
            t[k] = R.t_at[k], b_rho[k] = R.bound_at[k], *n = k + 1;
    }
    if (M)
        nlif_learning_free(M->L);
    free(M), free(G);
    return rc;
}

static const nlif_expect_spec keys[] = {
    {"learning_eps", 0, "1e-6", 0, 1e-3, 1,
     "learning_limit: the epsilon of the judged run (the case's own run when its epsilon is at most this)"},
    {"learning_layer", 1, "5", 1, 1000, 0, "learning_limit: N is judged from this many steps of dt on (the initial layer)"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

const nlif_check_type nlif_check_learning_limit = {
    .name = "learning_limit",
    .title = "a structured run near eps -> 0: rho(w, t) at every snapshot and N(t) against the exact limit by "
             "characteristics",
    .needs = NLIF_SUPPORTS_STRUCTURED,
    .plan = plan,
    .judge = judge,
    .expect = keys,
};
