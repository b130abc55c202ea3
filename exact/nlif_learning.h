/* nlif_learning.h — the exact reference for learning in the limit ε → 0 (MATHEMATICS.md §1.2, §2,
 * "Learning in the limit ε → 0"):
 *
 *   p = ρ(w, t) P∞(v; wN + I),   ∂_t ρ + ∂_w(K ρ) = 0,   N(t) = ∫ ρ(w, t) 𝒩(wN + I) dw,
 *   K = α N 𝒩(wN + I) − β w (hebbian: R_w → 𝒩(wN + I) in the limit),   K = r (w* − w) (linear),
 *   K = 0 (none),
 *
 * solved by characteristics. M characteristics start at the Gauss–Legendre nodes w0_k of ρ0 on
 * [w_min, w_max] and carry the masses m_k = (GL weight) ρ0(w0_k); two more start at w_min and w_max
 * (mass 0: the edges of the support). Each carries w_k(t), dw/dt = K(w, N(t)), and the logarithm of
 * its Jacobian J = ∂w/∂w0, d(log J)/dt = ∂_w K(w, N(t)), so that ρ(w_k, t) = ρ0(w0_k)/J_k. N(t) is the
 * root of N = Σ m_k 𝒩(w_k N + I), found at every evaluation by a safeguarded Newton iteration; the
 * system is integrated by GSL's rk8pd. 𝒩 is a Chebyshev series of log 𝒩(μ) (exact/stationary.c) on
 * the μ range the root can reach.
 *
 * Scope (refused otherwise, NLIF_EINVAL with the reason): a structured case with a1 = 0, a constant
 * input (or none), a uniform or Gaussian weight law; the limit relation must have one root: the
 * reference requires max(w_max, 0) sup 𝒩' < 1, so that N − Σ m_k 𝒩(w_k N + I) is increasing in N
 * (always true for w_max ≤ 0). The no-flux boundary K p = 0 at w_min, w_max is not modelled: the
 * edge characteristics must stay inside [w_min, w_max] (K pointing inward there); one that leaves is
 * reported (NLIF_ENUMERIC, with the time).
 */
#ifndef NLIF_LEARNING_H
#define NLIF_LEARNING_H

#include "../core/nlif_error.h"
#include "../core/nlif_model.h"

typedef struct nlif_learning nlif_learning;

/* The reference of case CS at t = 0 with M characteristics (≥ 4) and the integrator's relative and
 * absolute tolerance TOL (e.g. 1e-12). */
int nlif_learning_new(nlif_learning **out, const nlif_case *cs, int m, double tol, nlif_error *err);
void nlif_learning_free(nlif_learning *L);
/* Integrate on to time t (≥ the current time). */
int nlif_learning_advance(nlif_learning *L, double t, nlif_error *err);
double nlif_learning_time(const nlif_learning *L);
/* N(t) at the current time. */
double nlif_learning_rate(const nlif_learning *L);
/* The support [lo, hi] of ρ(·, t): where the characteristics from w_min and w_max are. */
void nlif_learning_support(const nlif_learning *L, double *lo, double *hi);
/* ρ(w, t) at the current time (0 outside the support). */
double nlif_learning_density(const nlif_learning *L, double w);
/* Along the characteristic from w0 in [w_min, w_max]: where it is at the current time, *w, and the density
 * there, *rho = ρ0(w0)/J (no inversion of the flow map: cheap). */
void nlif_learning_flow(const nlif_learning *L, double w0, double *w, double *rho);
/* The density just inside each edge of the support (ρ0(w_min)/J, ρ0(w_max)/J): the jumps there. */
void nlif_learning_edge_jumps(const nlif_learning *L, double *lo, double *hi);
/* The mass of ρ(·, t) on [a, b]: C0(w0(b)) − C0(w0(a)), C0 the cdf of ρ0, w0 the inverse flow map. */
double nlif_learning_mass(const nlif_learning *L, double a, double b);
/* K(w, N(t)) and ∂_w K(w, N(t)) at the current time. */
double nlif_learning_velocity(const nlif_learning *L, double w);
double nlif_learning_dvelocity(const nlif_learning *L, double w);
/* 𝒩(μ) and 𝒩'(μ) from the reference's table (μ inside its range; the exact 𝒩 outside). */
double nlif_learning_uncoupled(const nlif_learning *L, double mu);
double nlif_learning_duncoupled(const nlif_learning *L, double mu);
/* F'(N) = Σ m_k w_k 𝒩'(w_k N + I) at the current time: the root's sensitivity, δN = δF/(1 − F'). */
double nlif_learning_gain(const nlif_learning *L);
/* dN/dt at the current time (by the implicit function theorem from the characteristics' velocities). */
double nlif_learning_rate_derivative(const nlif_learning *L);

#endif
