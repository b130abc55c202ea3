/* nlif_delay_onset.h — the onset of oscillation of the delayed NNLIF model (MATHEMATICS.md §2.1): the
 * stationary state of an inhibitory network (b < 0, constant noise a = a0, constant input I) loses
 * stability through a Hopf bifurcation at the critical delay d_c. Linearised at p∞, a rate
 * perturbation n(t) obeys, for n ∝ e^{λt},
 *     1 = b e^{−λ d} G(λ),
 * G(λ) the transfer function from a perturbation of the drift's rate to the firing rate. G(iω) is
 * computed on the finite-volume discretisation of the linearised operator (Scharfetter–Gummel faces,
 * p∞ the discrete stationary state) by one complex tridiagonal solve and a rank-one correction for
 * the re-injection, at Δv and Δv/2, and extrapolated (Richardson, order 2). The onset solves
 * |b G(iω)| = 1 for ω, then the phase condition ω d = arg(b G(iω)) (mod 2π) for the smallest d > 0.
 * With a delay the stationary states are the undelayed ones (nlif_stationary_rates). */
#ifndef NLIF_DELAY_ONSET_H
#define NLIF_DELAY_ONSET_H

#include "../core/nlif_error.h"
#include "../core/nlif_model.h"

#include <complex.h>

typedef struct nlif_delay_onset {
    double rate;        /* the stationary rate N∞ (exact root, MATHEMATICS.md §2) */
    double gain0;       /* b G(0+): b times the static slope dN/dμ of the uncoupled rate */
    double omega;       /* ω_c: |b G(iω_c)| = 1 */
    double d_c;         /* the smallest d > 0 with b e^{−iω_c d} G(iω_c) = 1 (over every root ω) */
    double period;      /* 2π/ω_c: the period of the oscillation born at d_c */
    double d_c_coarse;  /* d_c at Δv alone (no extrapolation): |d_c − d_c_coarse| bounds the grid error */
    int n_roots;        /* roots of |b G(iω)| = 1 found on ω in [1e-2, 1e3] */
} nlif_delay_onset;

/* G(iω) on the grid Δv = dv (dv must put V_R and V_F on nodes from V_min), for the stationary state of
 * the model with input I and rate N∞; no extrapolation. */
int nlif_delay_transfer(const nlif_model *m, double input, double dv, double omega, double complex *g,
                        nlif_error *err);
/* The onset of oscillation at grid dv (extrapolated from dv and dv/2). Needs b < 0, a1 = 0 and a unique
 * stationary state; NLIF_EINVAL otherwise, with the reason. A case with |b G(0)| <= 1 (no root of
 * |bG| = 1) is stable for every delay: n_roots = 0 and d_c = +inf. */
int nlif_delay_onset_compute(const nlif_model *m, double input, double dv, nlif_delay_onset *out, nlif_error *err);

#endif
