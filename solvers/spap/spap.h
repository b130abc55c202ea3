/* spap.h — Scheme 1: the structure-preserving, asymptotic-preserving scheme of He–Hu–Zhou [SPAP]
 * for p(v, w, t) with learning (MATHEMATICS.md §1.2, §3), and the 1D NNLIF as one weight class w = b.
 *
 * Internal header of solvers/spap/: the solver object and the numerical kernels. The harness sees
 * only nlif_scheme_spap (nlif_scheme.h). Grid: nodes v_i = V_min + iΔv, i = 0..n, v_n = V_F, p_n = 0;
 * unknowns p_0..p_{n−1} are node (cell-centre) values with cells of width Δv; face i+1/2 lies between
 * nodes i and i+1, face n−1/2 is the outflow face. Weights: nw cells of width Δw with centres w_j.
 */
#ifndef NLIF_SPAP_H
#define NLIF_SPAP_H

#include "../../core/nlif_delay.h"
#include "../../core/nlif_scheme.h"

extern const nlif_scheme_type nlif_scheme_spap;

enum spap_outflow { SPAP_OUTFLOW_MAXWELLIAN = 0, SPAP_OUTFLOW_ONE_SIDED = 1 };
enum spap_wtransport { SPAP_W_EXPLICIT = 0, SPAP_W_IMPLICIT = 1 };
enum spap_mode { SPAP_MODE_FULL = 0, SPAP_MODE_LIMIT = 1 };

/* ---- kernels (spap_linalg.c) ---------------------------------------------------------------- */

/* Face coefficients of the Maxwellian flux F_{i+1/2} = (a/Δv)(α_i p_i − β_i p_{i+1}), i = 0..n−1:
 * α_i = M_{i+1/2}/M_i = 2/(1 + E_i), β_i = M_{i+1/2}/M_{i+1} = α_i E_i, with
 * E_i = M_i/M_{i+1} = exp(Δv (v_{i+1/2} − μ)/a) (the difference of squares, factored exactly).
 * M itself is never formed; E = ∞ or 0 give α, β ∈ {0, 2} without NaN. */
void spap_face_coefficients(int n, double v_min, double dv, double a, double mu, double *alpha, double *beta);

/* Solve (I + λA) x = rhs in place (x holds rhs on entry), A the v-operator of one slice:
 * gain of cell k from the left lam_c·α_{k−1}, from the right lam_c·β_k, outflow lam_out·x_{n−1}
 * re-injected into cell r. Column sums of I + λA are exactly 1; the elimination is the
 * Grassmann–Taksar–Heyman (column-sum preserving) variant of Thomas with the one bordered fill
 * column n−1: pivots are built from column sums, so every operation adds non-negative numbers —
 * positivity and full relative accuracy for any λ (Δt/ε up to 1e16 and beyond). O(n); the work
 * array of length 3n is caller-owned. Needs n ≥ 2, 0 ≤ r ≤ n−1. Returns Σ x (for the mass guard). */
/* The GTH pivots of a slice (spap_linalg.c): 1/d_k, m_k and g_k in work's three blocks of n. */
void spap_gth_pivots(int n, double lam_c, const double *alpha, const double *beta, double *work);
double spap_solve_slice(int n, int r, double lam_c, const double *alpha, const double *beta, double lam_out,
                      double *x, double *work);

/* Implicit upwind in w, GTH-factored: matrix I + (Δt/Δw) D_w(K·) with face velocities kf[j]
 * (j = 0..nw−2 the interior faces between cells j and j+1; zero flux at both ends). factor
 * writes invd, mult, sup (length nw); apply solves for m right-hand sides stored as rows
 * X[j*ld + i], i < m (vectorised over i). */
void spap_wimplicit_factor(int nw, double dt_dw, const double *kf, double *invd, double *mult, double *sup);
void spap_wimplicit_apply(int nw, const double *invd, const double *mult, const double *sup, double *X,
                          int m, int ld);

/* ---- ε = 0 limit (spap_limit.c) ------------------------------------------------------------- */

/* The discrete stationary profile of A(μ) in closed form (kernel of the slice operator):
 * constant flux on faces ≥ r, zero flux below r, p_n = 0. Written into prof[0..n−1] normalised to
 * Σ prof = 1 (sum, not integral); returns the discrete rate 𝒩_h = c_out·prof_{n−1}/Δv... per unit
 * integral mass, i.e. the outflow of the profile normalised to Δv Σ p = 1. alpha, beta are the
 * face coefficients of μ; c_out the outflow coefficient (a/Δv)·α_{n−1} or a/Δv. */
double spap_stationary_profile(int n, int r, double dv, double a, const double *alpha, const double *beta,
                               double c_out, double *prof);

/* ---- the solver object (spap.c) ------------------------------------------------------------- */

typedef struct spap {
    nlif_case cs;            /* copy: the case is read-only and trusted */
    nlif_trajectory *traj;
    /* options */
    int outflow, wtransport, mode, mass_guard;
    int measured;        /* the step's guard pass measured mass, min and max (m_*) */
    double m_mass, m_lo, m_hi;
    double renorm_max;   /* largest mass correction of the slice-mass guard (reported: it may only remove round-off) */
    double theta_b, theta_noise, rate_cap;
    /* grids */
    int n, r, nw;
    double dv, dw, dt, eps;
    double *v;               /* nodes 0..n */
    double *w;               /* weight cell centres */
    /* state */
    double t, rate, fired;
    double *p, *q;           /* nw slices × n, slice-major; q the right-hand side / next state */
    double *mass_slice;      /* Σ_i p_ij (raw sums): the exactly known slice masses (guard) */
    double *rate_w;          /* N_w per slice at the current level */
    /* work (allocated once) */
    double *alpha, *beta, *work, *prof; /* work: 3n for the slice solve */
    double *kf, *winvd, *wmult, *wsup, *wtmp;
    double *pmarg, *rho;     /* profile output */
    double *src;             /* manufactured case: the cell means of S at the new time level, else NULL */
    double last_rate_for_a; /* N^k of the last step: the frozen a(N^k) */
    int stopped;
    double cfl_max;
    int cfl_warned;
    /* a synaptic delay d > 0 (MATHEMATICS.md §1.4): the history of N at the step times; the drift of
     * the step from t^k reads N(t^k − d), linearly interpolated (O(Δt²), below the step's O(Δt)) */
    int delayed;
    nlif_delay_line delay;
    /* a refractory period (spap_refractory.c, MATHEMATICS.md §1.5): τ_R (0: none), R now, the conserved
     * total Σp + R/Δv in the units of mass_slice, and the solve's second right-hand side (n) */
    double tau_ref, refr, mass_total;
    double *zr;
    /* two populations (spap_ei.c, MATHEMATICS.md §1.6): E is the state above (one slice), I this one */
    int two, r_i;
    double rate_i, fired_i, mass_i;
    double *p_i, *pmarg_i;
} spap;

/* Two populations (spap_ei.c): the initial densities, rates and first sample; one step; the profile. */
int spap_ei_initial(spap *s, const nlif_case *cs, nlif_error *err);
int spap_ei_step(spap *s, double h, nlif_error *err);
int spap_ei_profile(spap *s, nlif_profile *out);

/* One step of length h from t to t + h (full or limit mode). Returns NLIF_OK; the status of
 * traj is set on blow-up / failure. */
int spap_step(spap *s, double h, nlif_error *err);
/* Outflow coefficient c_out of a slice (a/Δv times α_{n−1} or 1). */
double spap_outflow_coefficient(const spap *s, double a, const double *alpha);
/* Face coefficients of slice j with rate N and time t into s->alpha, s->beta; returns a. */
double spap_slice_coefficients(spap *s, int j, double rate, double t);
/* The same with the drift's rate apart: a(rate), drift w_j·drift_rate + I(t) (the delayed model). */
double spap_slice_coefficients_delayed(spap *s, int j, double rate, double drift_rate, double t);
/* The solver object's arrays for its n × nw grid (spap_arrays.c); NLIF_ENOMEM when one cannot be had
 * (the caller frees the object). */
int spap_arrays(spap *s, nlif_error *err);
/* The 1D slice solve with a refractory state (spap_refractory.c): x holds the right-hand side q on entry
 * and p^{k+1} on return; R^{k+1} into s->refr and the density's share into s->mass_slice[0]; returns Σx. */
double spap_refractory_solve(spap *s, double h, double lam_c, double lam_out, double c_out, double *x);
/* Limit-mode step (spap_limit.c). */
int spap_limit_step(spap *s, double h, double rate_old, nlif_error *err);
/* w-transport right-hand side (explicit or implicit upwind) from s->p into s->q, and the slice
 * masses it implies into s->mass_slice (spap.c). */
void spap_w_transport(spap *s, double h, double rate_old);

#endif
