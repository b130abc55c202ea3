/* nlif_exact.h — exact references (MATHEMATICS.md §2): stationary states, the Siegert cross-check,
 * the uncoupled rate 𝒩(μ), the physical jump size of an MFE, and the Ornstein–Uhlenbeck Gaussian.
 * All quantities are for the model of nlif_model.h; GSL does the quadrature and root finding.
 */
#ifndef NLIF_EXACT_H
#define NLIF_EXACT_H

#include "../core/nlif_error.h"
#include "../core/nlif_model.h"

#define NLIF_MAX_ROOTS 8

struct nlif_density;

/* 1/𝒩(μ) = sqrt(π/2) ∫_{y_R}^{y_F} e^{y²/2} [erfc(−y/√2) − erfc(−y_min/√2)] dy,  y = (V − μ)/√a, the
 * mass of the stationary profile on [V_min, V_F] per unit rate (+INFINITY on overflow; V_min = −∞:
 * no wall, the classical sqrt(π/2) ∫ erfcx(−y/√2) dy). */
double nlif_inverse_rate(double a, double v_f, double v_r, double v_min, double mu);
/* 𝒩(μ): the stationary rate of the uncoupled problem with mean input μ, noise a and the wall at V_min. */
double nlif_uncoupled_rate(double a, double v_f, double v_r, double v_min, double mu);
/* Every stationary rate N > 0 of the model with constant input I: all roots of N·I(a(N), bN + I) = 1,
 * ascending (a1 > 0 allowed: a = a0 + a1 N); with a refractory period τ_R = m->tau_ref > 0, of
 * N·I(N) = 1 − τ_R N, i.e. N = 𝒩(bN + I)(1 − τ_R N) (MATHEMATICS.md §2: R∞ = τ_R N, all roots below 1/τ_R). *n_roots = 0 means no stationary state. The search
 * covers N in [1e-8, 1e3], extended (up to [1e-300, 1e15]) whenever the signs at the ends show a root
 * beyond them; a close pair of roots near a fold is resolved by minimising |N·I − 1| between grid
 * points. Takes a few milliseconds. */
int nlif_stationary_rates(const nlif_model *m, double input, double *roots, int max_roots, int *n_roots,
                          nlif_error *err);
/* The one stationary rate of a model where N·I(N) is strictly increasing (a1 = 0, b ≤ 0, no refractory
 * period: an inhibitory or uncoupled population), by one bracket and Brent to the tolerance of
 * nlif_stationary_rates (what it finds, in a few dozen quadratures instead of hundreds). EINVAL for
 * any other model, ENUMERIC when the bracket fails (the caller then scans). */
int nlif_stationary_rate_unique(const nlif_model *m, double input, double *root, nlif_error *err);
/* N·I(N) − 1 at N (the residual of a stationary rate); N·I(N) + τ_R N − 1 with a refractory period. */
double nlif_rate_residual(const nlif_model *m, double input, double rate);
/* lim_{N→∞} N·I(N) = (V_F − V_R)/b for b > 0 (+inf for b ≤ 0): below 1, large rates are not stationary. */
double nlif_rate_limit_product(const nlif_model *m);
/* p∞(v) for the stationary rate N (a = a0 + a1 N, μ = bN + I); 0 for v ≥ V_F; its mass is N·I(N), which
 * is 1 − τ_R N at a root of a model with a refractory period. Closed form through
 * Dawson's integral in log form: no overflow for any v ≤ V_F and |μ| of practical size; full relative
 * accuracy also as v → V_F. */
double nlif_stationary_profile(const nlif_model *m, double input, double rate, double v);
/* First moment ∫ v p∞ = (bN + I)(1 − τ_R N) − (V_F − V_R) N (+ the wall's term; the moment identity of
 * MATHEMATICS.md §1 at rest; τ_R = 0 without a refractory period). */
/* The refractory mass R(0) of the case's initial state (MATHEMATICS.md §1.5): 0 without a refractory
 * period; τ_R N∞ of the chosen root for initial.type = stationary; else initial.refractory. The grid
 * projection (nlif_initial_project) gives the density the rest, 1 − R(0). */
int nlif_initial_refractory(const nlif_case *cs, double *r0, nlif_error *err);
/* p[0..n−1] *= 1 − R(0): a density of mass 1 made the case's share (nothing when R(0) = 0). */
int nlif_initial_scale_refractory(const nlif_case *cs, int n, double *p, nlif_error *err);
double nlif_stationary_mean(const nlif_model *m, double input, double rate);
/* Quasi-static rates of the structured limit ε → 0 (MATHEMATICS.md §1.2) for the weight law ρ:
 * every root N > 0 of N = ∫ ρ(w) 𝒩_{a(N)}(wN + I) dw (model's a0, a1, V_F, V_R; its b is unused). */
int nlif_structured_rates(const nlif_model *m, double input, const struct nlif_density *rho, double *roots,
                          int max_roots, int *n_roots, nlif_error *err);
/* The Siegert rate for b = 0 by an independent formula (integral over u of the Laplace form) —
 * a cross-check of nlif_uncoupled_rate. */
double nlif_siegert_rate(double a, double v_f, double v_r, double mu, nlif_error *err);

/* Two populations E and I (MATHEMATICS.md §1.6, §2; exact/populations.c). Every stationary state (N_E, N_I)
 * of the model with E's constant input input_e, ascending in N_E: N_α = Φ_α(b_αE N_E + b_αI N_I + I_α). */
int nlif_population_rates(const nlif_model *m, double input_e, double rates[][2], int max_roots, int *n_roots,
                          nlif_error *err);
/* The stationary rate of population I alone for a given N_E (its own equation; refused unless unique). */
int nlif_population_rate_i(const nlif_model *m, double rate_e, double *rate_i, nlif_error *err);
/* The residuals N_α·I_α − 1 of both equations at (N_E, N_I). */
void nlif_population_residuals(const nlif_model *m, double input_e, double rate_e, double rate_i, double res[2]);
/* The one-population case of population α (0 = E, 1 = I) of a two-population case: its own model (b = b_αα),
 * its initial law (I: the Gaussian of [population_i]; type stationary: the state initial.root, the other
 * population's term a constant input) — what the initial projection and the particle sampling read. */
int nlif_population_case(const nlif_case *cs, int alpha, nlif_case *out, nlif_error *err);
/* Population α's view of the E-I state ROOT: its own one-population model, the constant input its drift
 * sees (the other population's term included) and its rate, so that nlif_stationary_profile(one, input,
 * rate, v) is its stationary density. */
int nlif_population_state(const nlif_model *m, double input_e, int root, int alpha, nlif_model *one, double *input,
                          double *rate, nlif_error *err);
/* nlif_initial_project of population α's initial law. */
int nlif_population_project(const nlif_case *cs, int alpha, double dv, int n, double *p, nlif_error *err);

/* Physical jump (MATHEMATICS.md §2, "Physical jump size"): Δ = inf{ s > 0 : ∫_{V_F − b s}^{V_F} p(v) dv < s } for a piecewise-linear
 * density through (v[k], p[k]), v non-decreasing (a repeated abscissa is a jump), zero outside.
 * Exact (a quadratic root per linear piece). Δ = 0 when there is no cascade (b·p(V_F−) < 1, or
 * b ≤ 0). Mass at or above V_F (a density shifted by a kick) fires first: it is added to the
 * integral, and for b ≤ 0 it is the whole of Δ. Δ never exceeds the total mass; it equals it when
 * the cascade takes everything. */
int nlif_jump_size(const double *v, const double *p, int n, double v_f, double b, double *delta,
                   nlif_error *err);
/* The density after the jump (convention A): the non-fired part — the mass below V_F − bΔ (below V_F
 * when bΔ ≤ 0) — shifted by bΔ, as a table of at most n + 2 points in v_out, p_out (it may end with
 * a jump to 0 at V_F). The fired mass Δ is a Dirac mass at V_R, not part of the table. */
int nlif_jump_post(const double *v, const double *p, int n, double v_f, double b, double delta, double *v_out,
                   double *p_out, int *n_out, nlif_error *err);
/* Mass of the piecewise-linear density above x. */
double nlif_mass_above(const double *v, const double *p, int n, double x);

/* Ornstein–Uhlenbeck Gaussian (MATHEMATICS.md §2; the moving Gaussians of `dilated`, §5): exact step with drift target c = bN + I frozen:
 * μ ← μ e^{−Δt} + c (1 − e^{−Δt}),  σ² ← a + (σ² − a) e^{−2Δt}. */
void nlif_ou_step(double *mean, double *var, double drift_target, double a, double dt);
/* Exact Gaussian solution of the interior equation (b = 0, I = c): mean and variance at t. */
void nlif_ou_exact(double m0, double var0, double a, double c, double t, double *mean, double *var);

#endif
