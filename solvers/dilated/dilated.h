/* dilated.h — Scheme 3: the time-dilated scheme through multiple firing events (MATHEMATICS.md §5,
 * reconstruction of Dou–Tao–Xue–Zhou [TD] and Dou–Zhou [DZ]).
 *
 * In the dilated time τ with dτ = (1 + N) dt and M = N/(1 + N) the NNLIF equation reads
 *     ∂_τ q + ∂_v[((1−M)(−v + I) + bM) q] − a(1−M) ∂_vv q = M δ(v − V_R),
 * finite at M = 1 (the MFE phase: drift b, no diffusion, physical time frozen). The grid part is
 * finite volumes on the nodes v_i = V_min + iΔv (p_n = 0 at V_F) with Scharfetter–Gummel fluxes,
 * backward Euler in τ with frozen M, implicit outflow re-injected at V_R. The post-MFE Dirac at V_R
 * is carried as an exact moving Ornstein–Uhlenbeck Gaussian until it is wide enough to project.
 *
 * Public: the scheme type nlif_scheme_dilated. The rest is internal to solvers/dilated/ but
 * declared here so that the unit tests can reach the pieces (bernoulli, Gaussian, projection).
 */
#ifndef NLIF_DILATED_H
#define NLIF_DILATED_H

#include "../../core/nlif_scheme.h"

extern const nlif_scheme_type nlif_scheme_dilated;

/* ---- bernoulli.c: B(x) = x/(e^x − 1), B(0) = 1, stable for every finite x. */
double dil_bernoulli(double x);
/* Scharfetter–Gummel coefficients of the flux J = alpha p_left − beta p_right for drift c and
 * diffusion d ≥ 0 on a face of width h: alpha = (d/h) B(−Pe), beta = (d/h) B(Pe), Pe = c h / d.
 * d = 0 (or |Pe| beyond double range) gives the upwind limit alpha = max(c, 0), beta = max(−c, 0). */
void dil_sg_coeffs(double c, double d, double h, double *alpha, double *beta);

/* ---- gaussian.c: moving Gaussians (one per MFE), MATHEMATICS.md §5 and §2. */
typedef struct dil_gaussian {
    double mass;   /* Δ of the MFE that made it */
    double fired;  /* part of it already counted as fired (its mass beyond V_F, high-water mark) */
    double mean, var;
} dil_gaussian;

/* Exact OU step with drift target c = bN + I frozen over dt and noise a. */
void dil_gaussian_step(dil_gaussian *g, double c, double a, double dt);
/* Mass of the Gaussian beyond x (of its total `mass`, not reduced by `fired`). */
double dil_gaussian_mass_above(const dil_gaussian *g, double x);
/* Add the Gaussian's remaining mass (mass − fired) to the cell densities p[0..n−1] of the grid
 * v_i = v0 + i h (cell i = [v_i − h/2, v_i + h/2]; cell 0 takes (−∞, v0 + h/2], cell n−1 takes
 * [v_{n−1} − h/2, ∞)) by erf differences; the added mass is exactly mass − fired up to round-off. */
void dil_gaussian_project(const dil_gaussian *g, double v0, double h, int n, double *p);

/* ---- the rate equation (dilated.c): M in [0, 1) from the density at the last node. Returns
 * N = M/(1 − M) (finite), or INFINITY when b p_last ≥ 1 (no finite root: the MFE phase). */
double dil_rate(double p_last, double v_face, double input, double a, double b, double dv);

/* ---- the solver object (dilated.c, dilated_mfe.c). */
#define DIL_MAX_GAUSSIANS 16

typedef struct dil_solver {
    nlif_case cs;
    nlif_trajectory *traj;
    int n, r;              /* cells 0..n−1 (node n = V_F carries p = 0); V_R = node r */
    double dv, dtau, dt;
    double a, b;
    double *v;             /* nodes, n + 1 */
    double *p;             /* densities, n + 1 (p[n] = 0) */
    double *sub, *diag, *sup, *cp, *y, *z, *save;   /* tridiagonal workspace, n each */
    double *prof;          /* the profile reported (n + 1): p with the density 2p_0 at the wall V_min */
    double *pre;           /* grid density at the start of the last MFE phase (n + 1), for checks */
    double pre_queue;      /* queue at that moment (mass already beyond V_F, e.g. from a kick) */
    double t, tau, fired;  /* physical time, dilated time, cumulative firing E(t) */
    double rate;           /* N at the current state (from the rate equation) */
    double queue, dirac;   /* MFE atoms: queue at V_F, Dirac at V_R (zero outside an MFE) */
    double dirac_c;        /* compensation of the Dirac's running sum (thousands of equal increments
                            * round with a bias: 6e-14 per MFE at Δv = 0.0025 without it) */
    dil_gaussian g[DIL_MAX_GAUSSIANS];
    int n_g;
    int kick_done;
    long tau_steps, mfe_steps, n_mfe, n_projected;
    double last_mfe_t;     /* for the period statistic */
    double renorm_max;     /* largest renormalisation correction (mass) */
    double leak;           /* λ of the transport drift −λv + bN + I: 1, the NNLIF leak (MATHEMATICS.md §1);
                            * alloc sets it, and only a variant built around the scheme (the mutant
                            * catalogue, tests/mutants.c) changes it */
    /* options */
    int clock_dilated, criterion_density, use_gaussians, mfe_exact_end;
    double kappa, tail_sd, mfe_cfl, runaway_mass, rate_threshold;
} dil_solver;

/* Rescale p[0..n−1] so that its compensated sum is `target` (the exactly known mass / Δv). The
 * linear solves conserve mass exactly in exact arithmetic; this removes only their round-off.
 * Returns the correction |target − Σp| (in units of p): the solver keeps its maximum × Δv as the
 * stat mass_renormalisation_max, so that a defect cannot hide behind the renormalisation. */
double dil_renormalise(double *p, int n, double target);

/* Total mass of every part: grid, queue, Dirac, Gaussians. */
double dil_mass(const dil_solver *s);
double dil_grid_mass(const dil_solver *s);
/* Run one MFE phase starting now (physical time frozen), record it. Sets the runaway status
 * (convention B) and returns NLIF_OK when it cannot end. */
int dil_mfe_phase(dil_solver *s, nlif_error *err);
/* Project every live Gaussian onto the grid. */
void dil_project_all(dil_solver *s);
/* Record the current state as a trajectory sample. */
int dil_record(dil_solver *s, double rate, nlif_error *err);

#endif
