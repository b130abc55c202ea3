/* explicit.h — the classical explicit finite-difference scheme for the 1D NNLIF equation
 * (MATHEMATICS.md §5c; reconstruction of Cáceres–Carrillo–Tao, J. Comput. Phys. 230 (2011), and of
 * the numerics of Cáceres–Carrillo–Perthame, J. Math. Neurosci. 1 (2011)).
 *
 * Internal header of solvers/explicit/: the solver object and its kernels. The harness sees only
 * nlif_scheme_explicit (nlif_scheme.h). Grid: nodes v_i = V_min + iΔv, i = 0..n, v_n = V_F with
 * p_n = 0; unknowns p_0..p_{n−1}; face j+1/2 lies between nodes j and j+1, face n−1/2 is the
 * outflow face, face −1/2 the V_min boundary.
 */
#ifndef NLIF_EXPLICIT_H
#define NLIF_EXPLICIT_H

#include "../../core/nlif_delay.h"
#include "../../core/nlif_scheme.h"

extern const nlif_scheme_type nlif_scheme_explicit;

/* ---- kernels (weno.c) ------------------------------------------------------------------------ */

/* Fifth-order WENO value at the right edge of the middle point of five (Jiang–Shu weights, ε = eps):
 * f_{j+1/2} from f_{j−2}, …, f_{j+2} (upwind from the left). The left-going part uses the mirrored
 * stencil f_{j+3}, …, f_{j−1}. */
double nlif_ex_weno5(double fm2, double fm1, double f0, double fp1, double fp2, double eps);

/* The face fluxes face[j + 1], j = −1..n−1, of the global Lax–Friedrichs splitting (drift bound al, noise
 * a) from the padded p and h (n + 6 entries each, node i at index i + 3); fp, fm: n + 6 entries of work.
 * The same bits as nlif_ex_weno5 face by face. */
void nlif_ex_faces_global(const double *pp, const double *hp, double al, double a, double dv, double eps, int n,
                          double *fp, double *fm, double *face);

/* The one-sided estimate g of −∂_v p(V_F) from p_{n−1}, p_{n−2}, p_{n−3} (p_n = 0) of order 1, 2 or 3. */
double nlif_ex_boundary_slope(const double *p, int n, double dv, int order);

/* ---- the solver object (explicit.c) ---------------------------------------------------------- */

enum { NLIF_EX_DT_MAX = 0, NLIF_EX_DT_CFL = 1, NLIF_EX_DT_FIXED = 2 };
enum { NLIF_EX_LF_GLOBAL = 0, NLIF_EX_LF_LOCAL = 1 };
enum { NLIF_EX_VMIN_ZERO_FLUX = 0, NLIF_EX_VMIN_DIRICHLET = 1 };
enum { NLIF_EX_RATE_STAGE = 0, NLIF_EX_RATE_FROZEN = 1 };

/* Why a right-hand side could not be evaluated (a blow-up, reported as such). */
enum { NLIF_EX_RHS_OK = 0, NLIF_EX_RHS_NOISE = 1, NLIF_EX_RHS_NONFINITE = 2 };

typedef struct nlif_explicit {
    nlif_case cs;            /* copy: the case is read-only and trusted */
    nlif_trajectory *traj;
    int n, r;
    double dv, dt_case;
    /* options */
    double cfl_adv, cfl_diff, weno_eps, indicator, rate_max, density_max, dt_floor;
    int dt_mode, lf, vmin_bc, rate_order, coupling, ghost_odd;
    long max_steps;
    /* state */
    double t, rate, fired;
    double *v;               /* nodes 0..n */
    double *p;               /* p_0..p_{n−1}, p_n = 0 */
    /* work (allocated once): stages, right-hand side, padded p and drift h, face fluxes */
    double *p1, *p2, *L, *hp, *pp, *face, *fp, *fm;
    double *src;             /* manufactured case: the cell means of S at a stage's time, else NULL */
    /* statistics */
    long steps, cfl_limited;
    double dt_min, dt_max, mass_defect_max, stage_rate_max;
    /* a synaptic delay d > 0 (MATHEMATICS.md §1.4): N at the step times; a stage at time τ reads
     * N(τ − d), linearly interpolated (O(Δt²)); a(N) keeps the stage's own N */
    int delayed;
    nlif_delay_line delay;
    /* a refractory period (MATHEMATICS.md §1.5): τ_R (0: none), R now, and R of the stage the right-hand
     * side is evaluated at (it re-injects R/τ_R at V_R instead of N) */
    double tau_ref, refr, stage_refr;
    /* two populations (explicit_ei.c, MATHEMATICS.md §1.6): the other population's term of this one's drift
     * centre (E: b_EI N_I, I: b_IE N_E; 0 for one population), and E's object holds I's */
    double cross;
    struct nlif_explicit *pop_i;
} nlif_explicit;

/* Two populations (explicit_ei.c): set up I's object SI (its arrays allocated like E's) and both initial
 * densities; record a sample of both; advance both to t_end. */
int nlif_ex_ei_setup(nlif_explicit *s, nlif_explicit *si, const nlif_case *cs, nlif_error *err);
int nlif_ex_ei_record(nlif_explicit *s, double *pmax, nlif_error *err);
int nlif_ex_ei_advance(nlif_explicit *s, double t_end, nlif_error *err);

/* The semi-discrete right-hand side L(p) at time t (MATHEMATICS.md §5c) into out[0..n−1], and the
 * rate N(p) used in it. With rate_fixed finite that rate is used instead of N(p) (frozen coupling).
 * Returns NLIF_EX_RHS_*. */
int nlif_ex_rhs(nlif_explicit *s, const double *p, double t, double rate_fixed, double *out, double *rate);
/* N(p) = a0 g/(1 − a1 g), g the one-sided slope; NAN when a1 g ≥ 1 (the noise blow-up of §1). */
double nlif_ex_rate(const nlif_explicit *s, const double *p);
/* The CFL step for the rate N at time t: min(cfl_adv Δv / max|h|, cfl_diff Δv² / a(N)). */
double nlif_ex_cfl_step(const nlif_explicit *s, double rate, double t);
/* Δv Σ p_i (Neumaier). */
double nlif_ex_mass(const nlif_explicit *s, const double *p);

#endif
