/* multiscale.h — Scheme 2, the multiscale macro/micro switching solver [MS] (MATHEMATICS.md §4).
 *
 * One finite network of N_p neurons, simulated by the Fokker–Planck description (macro) while firing
 * is calm and by the particle system (micro, reference/particles.h) through blow-ups:
 *   macro.c       the 1D Maxwellian-flux finite-volume scheme with a(N) = a0 + a1 N, one-sided
 *                 outflow a p_{n−1}/Δv, implicit outflow and re-injection, bordered O(n) solve;
 *   rebuild.c     macro → micro: stratified inversion of the piecewise-linear CDF of p;
 *                 micro → macro: histogram + Gaussian kernel + boundary layer (N̂/a)(V_F − v);
 *   multiscale.c  the solver object, the switching logic (bisection on the step), the micro phase,
 *                 the scheme type "multiscale".
 * The internal pieces are declared here so that tests can reach them; the harness sees only the
 * scheme type nlif_scheme_multiscale.
 */
#ifndef NLIF_MULTISCALE_H
#define NLIF_MULTISCALE_H

#include "../../core/nlif_error.h"
#include "../../core/nlif_model.h"
#include "../../core/nlif_scheme.h"

#include <stdint.h>

extern const nlif_scheme_type nlif_scheme_multiscale;

/* ------------------------------------------------------------------ macro solver (macro.c) */

/* Nodes v_i = V_min + iΔv, i = 0..n, v_n = V_F, v_r = V_R; unknowns p_0..p_{n−1} (cell values,
 * mass Δv Σ p_i), p_n = 0. Face fluxes F_{i+1/2} = (a/Δv)(α_i p_i − β_i p_{i+1}) with
 * α_i = M_{i+1/2}/M_i = 2/(1 + e^{x_i}), β_i = M_{i+1/2}/M_{i+1} = 2/(1 + e^{−x_i}),
 * x_i = ln(M_i/M_{i+1}) = Δv (v_i + v_{i+1} − 2μ)/(2a); F_{n−1/2} = a p_{n−1}/Δv (one-sided outflow),
 * F_{−1/2} = 0; the outflow re-enters cell r. */
typedef struct nlif_ms_macro {
    nlif_model model;
    int n, r;
    double dv;
    double *v;                        /* nodes, length n + 1 */
    double *alpha, *beta;             /* face coefficients, length n − 1 */
    double *diag, *upper, *far, *rhs; /* elimination workspace, length n */
    double *inv;                      /* reciprocal pivots, length n */
    double *e_face, e_c;              /* cache: e^{c(v_i + v_{i+1})} for c = e_c = Δv/(2a), length n − 1 */
    int e_ok;                         /* the cached exponents are within ±300 */
} nlif_ms_macro;

int nlif_ms_macro_init(nlif_ms_macro *m, const nlif_model *model, double dv, nlif_error *err);
void nlif_ms_macro_free(nlif_ms_macro *m);
/* One backward-Euler step of length h from p_in to p_out (length n + 1 each, may not alias),
 * coefficients frozen at rate_old, input current `input`. Returns the new firing rate: the outflow
 * a(rate_old) p_out[n−1]/Δv that the step moved from cell n−1 to cell r. */
double nlif_ms_macro_step(nlif_ms_macro *m, const double *p_in, double *p_out, double rate_old, double input,
                          double h);
/* Δv Σ_{i<n} p_i. */
double nlif_ms_macro_mass(const nlif_ms_macro *m, const double *p);
/* The cell values of the case's initial law, mass 1 to round-off (length n + 1, p[n] = 0). */
int nlif_ms_macro_initial(const nlif_ms_macro *m, const nlif_case *cs, double *p, nlif_error *err);

/* ------------------------------------------------------------------ reconstruction (rebuild.c) */

/* Macro → micro: out[i] = Q((i + u_i)/np), Q the inverse CDF of the piecewise-linear density through
 * (v_k, p_k), k = 0..npts−1 (normalised), u_i = 1/2 (jitter = 0) or uniform from Philox keyed by
 * (seed, i, counter) (jitter = 1). cum: workspace of npts doubles. O(npts + np), no allocation. */
void nlif_ms_sample(const double *v, const double *p, int npts, double *cum, long np, int jitter, uint64_t seed,
                    uint32_t counter, double *out);

/* Micro → macro: the density on the macro cells from np particle voltages x:
 * histogram on cells [v_i − Δv/2, v_i + Δv/2) (voltages beyond the ends go to the end cells), Gaussian
 * kernel smoothing with bandwidth h (h ≤ 0: Silverman, 0.9 min(sd, IQR/1.34) np^{−1/5}) with an even
 * reflection at V_min (zero flux) and an odd one at V_F (p(V_F) = 0), then the boundary layer
 * p_i = (rate/a)(V_F − v_i) on the last `layer` cells, the rest rescaled so that Δv Σ p = 1.
 * hist: workspace of n doubles; p: length n + 1 (p[n] = 0). *h_used: the bandwidth. Returns 0, or −1
 * if the boundary layer alone holds mass ≥ 1 (then no layer is imposed). */
int nlif_ms_rebuild(const double *x, long np, const nlif_ms_macro *m, double bandwidth, double rate, double a,
                    int layer, double *hist, double *p, double *h_used);

/* ------------------------------------------------------------------ switching (multiscale.c) */

/* Bisection on a step of length h whose end crossed: crossed(s) says whether a step of length s
 * from the last accepted state crosses. Precondition crossed(h) = 1 (crossed(0) = 0 is assumed).
 * Returns s_lo with crossed(s_lo) = 0 (or s_lo = 0) and crossed(s_hi) = 1, s_hi − s_lo ≤ tol;
 * *evaluations counts the calls. */
double nlif_ms_bisect(double h, double tol, int (*crossed)(void *ctx, double s), void *ctx, int *evaluations);

#endif
