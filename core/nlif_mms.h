/* nlif_mms.h — manufactured solutions of the NNLIF equation (MATHEMATICS.md §6b): a closed-form,
 * time-dependent density p_m(v, t) on [V_min, V_F] that meets every condition of the model — p = 0 at
 * V_F, zero flux at V_min, continuity and the flux jump N_m at V_R with N_m = −a(N_m) ∂_v p_m(V_F) —
 * and the source S = ∂_t p_m + ∂_v[(−v + bN_m + I) p_m] − a(N_m) ∂_vv p_m (away from V_R) that makes
 * it the exact solution of ∂_t p + ∂_v[(−v + bN + I)p] − a(N) ∂_vv p = N δ(v − V_R) + S.
 *
 * The source holds no Dirac mass: the re-injection N δ(v − V_R) stays the scheme's own (its N, from its
 * density), and p_m carries the kink at V_R that the flux jump N_m makes. ∫ S dv = 0 at every t (p_m
 * has mass 1), so the mass check applies unchanged. Everything a scheme needs comes from here, one
 * place: the cell integrals of S on its grid (nlif_mms_cell_sources), exactly mass-neutral up to
 * round-off; the initial data (nlif_mms_initial) and the judge's exact values (nlif_mms_profile).
 * With a synaptic delay the drift reads the history before d and N_m(t − d) after; with a refractory
 * period the jump at V_R is R_m/τ_R and p_m holds 1 − R_m (MATHEMATICS.md §6b): still no Dirac, ∫ S = 0.
 */
#ifndef NLIF_MMS_H
#define NLIF_MMS_H

#include "nlif_model.h"

#include <stddef.h>

/* The family at one time: p_m = c0 + c1 x + c2 x² on [V_min, V_R] (x = (v − V_min)/(V_R − V_min)),
 * d1 y + d2 y² + d3 y³ on [V_R, V_F] (y = (V_F − v)/(V_F − V_R)), and the time derivatives of the
 * coefficients. */
typedef struct nlif_mms_state {
    double t;
    double l1, l2;                      /* V_R − V_min, V_F − V_R */
    double g, g_dot;                    /* −∂_v p_m(V_F) and its derivative */
    double rate, rate_dot, rate_ddot;   /* N_m, Ṅ_m, N̈_m */
    double a, mu;                       /* a(N_m), b D + I(t) */
    double drift_rate, drift_rate_dot;  /* D, the rate the drift reads (§1.4): N_m(t), or with a delay d
                                         * N_m(t − d) for t ≥ d and delay_history before; and Ḋ */
    double refr, refr_dot;              /* R_m, Ṙ_m with a refractory period (§1.5), else 0 */
    double c[6], c_dot[6];              /* c0, c1, c2, d1, d2, d3 and their derivatives */
} nlif_mms_state;

/* The family of CS at time t. 0, or −1 when it is not defined there (g ≤ 0, a1 g ≥ 1, a singular
 * system): nlif_mms_validate refuses such a case before any run. */
int nlif_mms_at(const nlif_case *cs, double t, nlif_mms_state *m);
/* p_m(v, t). */
double nlif_mms_density(const nlif_mms_state *m, const nlif_model *mod, double v);
/* ∂_v p_m and ∂_vv p_m; at V_R the limit from the side `side` (< 0 left, ≥ 0 right). */
double nlif_mms_slope(const nlif_mms_state *m, const nlif_model *mod, double v, int side);
double nlif_mms_curvature(const nlif_mms_state *m, const nlif_model *mod, double v, int side);
/* ∫_{V_min}^{v} p_m dv. */
double nlif_mms_cumulative(const nlif_mms_state *m, const nlif_model *mod, double v);
/* The flux F = (−v + μ) p_m − a ∂_v p_m at v (at V_R from the side `side`). */
double nlif_mms_flux(const nlif_mms_state *m, const nlif_model *mod, double v, int side);
/* S(v, t) at a point off V_R (for tests and the documentation's figures). */
double nlif_mms_source_point(const nlif_mms_state *m, const nlif_model *mod, double v);

/* The grid of the schemes (MATHEMATICS.md §1.3): nodes v_i = V_min + iΔv, i = 0..n, node 0 the half
 * cell [V_min, V_min + Δv/2], node i ≥ 1 the cell [v_i − Δv/2, v_i + Δv/2], the last cell n−1 closed
 * with the half cell [V_F − Δv/2, V_F]: out[i] (i = 0..n−1) = (∫ S(·, t) over the cell) / Δv. A scheme
 * takes the flux at V_F, its N, out of its last cell, so that cell's source holds the half cell's
 * (S(V_F) = 0 by construction: O(Δv²)); the cell of V_R holds no N_m δ (the re-injection is the
 * scheme's own). Σ out Δv = 0 to round-off, by telescoping fluxes. */
void nlif_mms_cell_sources(const nlif_case *cs, double t, double dv, int n, double *out);
/* The values a profile of the exact solution holds: the density p_m(v_i, t) at the nodes, i = 0..n
 * (p_m(V_F) = 0; OUT has n + 1 entries), the reading of every scheme's profile (MATHEMATICS.md §1.3). */
void nlif_mms_profile(const nlif_case *cs, double t, double dv, int n, double *out);
/* The initial unknowns u_0..u_{n−1} of a grid scheme (U has n entries): p_m(v_i, 0), u_0 = p_m(V_min, 0)/2 (the half
 * cell), scaled to Δv Σ u = 1 (a relative change O(Δv²)). Node values, not cell means: a scheme's N
 * reads p_{n−1} as the density at v_{n−1} to second order, and the cell mean there is off by
 * ∂_vv p Δv²/24, a first-order error in N (MATHEMATICS.md §6b). */
void nlif_mms_initial(const nlif_case *cs, double dv, int n, double *u);
/* The L1 distance Δv Σ_i |p_i − exact_i| of a profile on `nodes` uniform nodes from V_min to V_F
 * to the exact profile at t; NAN if the nodes are not such a grid. */
double nlif_mms_profile_error(const nlif_case *cs, double t, const double *v, const double *p, int nodes);
/* N_m(t). */
double nlif_mms_rate(const nlif_case *cs, double t);

/* The bounds of MATHEMATICS.md §6b at the case's Δv and Δt (the leading truncation error of a scheme
 * of first order in v and in t, from the closed form): for p at t, (Δv/2) TV(p_m(t)) +
 * (Δt/2) ∫_0^t ||∂_tt p_m||_1; for N at t, (Δv/2) (dN/dg) |∂_vv p_m(V_F, t)| + (Δt/2) ∫_0^t |N̈_m|. */
double nlif_mms_bound_p(const nlif_case *cs, double t);
double nlif_mms_bound_rate(const nlif_case *cs, double t);
/* Its two terms: the space term at t, and the time term (Δt/2) ∫_0^t |N̈_m|, nondecreasing in t. */
double nlif_mms_bound_rate_space(const nlif_case *cs, double t);
double nlif_mms_bound_rate_time(const nlif_case *cs, double t);

/* Whether the case's family is a positive solution on [0, t_final]: 0, or −1 with why (what is wrong
 * and what is allowed). Checked where the case is read (harness/case/case.c). */
int nlif_mms_validate(const nlif_case *cs, char *why, size_t len);
/* The rules of the delay and the refractory period (MATHEMATICS.md §6b): with a delay, delay_history =
 * N_m(0) and dg/dt(0) = 0 (phase = π/2); with a refractory period, a1 = 0. 0, or −1 with why and the key
 * at fault in *SECTION and *KEY (left as they are on success). */
int nlif_mms_validate_terms(const nlif_case *cs, const char **section, const char **key, char *why, size_t len);
const char *nlif_mms_family_name(nlif_mms_family f);

#endif
