/* nlif_exact.h — exact references (MATHEMATICS.md §5): stationary states, the Siegert cross-check,
 * the uncoupled rate 𝒩(μ), the physical jump size of an MFE, and the Ornstein–Uhlenbeck Gaussian.
 * All quantities are for the model of nlif_model.h; GSL does the quadrature and root finding.
 */
#ifndef NLIF_EXACT_H
#define NLIF_EXACT_H

#include "../solvers/core/nlif_error.h"
#include "../solvers/core/nlif_model.h"

#define NLIF_MAX_ROOTS 8

/* 1/𝒩(μ) = sqrt(π/2) ∫_{y_R}^{y_F} erfcx(−y/√2) dy,  y = (V − μ)/√a  (+INFINITY on overflow). */
double nlif_inverse_rate(double a, double v_f, double v_r, double mu);
/* 𝒩(μ): the stationary rate of the uncoupled problem with mean input μ and noise a. */
double nlif_uncoupled_rate(double a, double v_f, double v_r, double mu);
/* Every stationary rate N > 0 of the model with constant input I: all roots of N·I(a(N), bN + I) = 1,
 * ascending (a1 > 0 allowed: a = a0 + a1 N). *n_roots = 0 means no stationary state. */
int nlif_stationary_rates(const nlif_model *m, double input, double *roots, int max_roots, int *n_roots,
                          nlif_error *err);
/* p∞(v) for the stationary rate N (a = a0 + a1 N, μ = bN + I); 0 for v ≥ V_F. */
double nlif_stationary_profile(const nlif_model *m, double input, double rate, double v);
/* The Siegert rate for b = 0 by an independent formula (integral over u of the Laplace form) —
 * a cross-check of nlif_uncoupled_rate. */
double nlif_siegert_rate(double a, double v_f, double v_r, double mu, nlif_error *err);

/* Physical jump (§5.2): Δ = inf{ s > 0 : ∫_{V_F − b s}^{V_F} p(v) dv < s } for a piecewise-linear
 * density through (v[k], p[k]), v non-decreasing (a repeated abscissa is a jump), zero outside.
 * Exact up to root-finding tolerance. Δ = 0 when there is no cascade. */
int nlif_jump_size(const double *v, const double *p, int n, double v_f, double b, double *delta,
                   nlif_error *err);

/* Ornstein–Uhlenbeck Gaussian (§4, §5.3): exact step with drift target c = bN + I frozen:
 * μ ← μ e^{−Δt} + c (1 − e^{−Δt}),  σ² ← a + (σ² − a) e^{−2Δt}. */
void nlif_ou_step(double *mean, double *var, double drift_target, double a, double dt);
/* Exact Gaussian solution of the interior equation (b = 0, I = c): mean and variance at t. */
void nlif_ou_exact(double m0, double var0, double a, double c, double t, double *mean, double *var);

#endif
