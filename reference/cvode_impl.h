/* cvode_impl.h — private to the time-accurate reference `cvode` (reference/cvode*.c; the public
 * interface is nlif_cvode.h): the state of the method of lines, and what its files share.
 *   cvode_ref.c     the scheme: options, allocation, CVODE set-up, advancing, the profile
 *   cvode_mol.c     the semi-discretisation: Bernoulli, face coefficients, the implicit rate, the
 *                   right-hand side and its Jacobian
 *   cvode_linsol.c  the custom SUNMatrix (tridiagonal + one dense column) and SUNLinearSolver that
 *                   factor I − γJ with the bordered tridiagonal solver (bordered.c)
 */
#ifndef NLIF_CVODE_IMPL_H
#define NLIF_CVODE_IMPL_H

#include "nlif_cvode.h"

#include "../core/nlif_delay.h"

#include <nvector/nvector_serial.h>
#include <sundials/sundials_linearsolver.h>
#include <sundials/sundials_matrix.h>

#define NLIF_CVODE_PRIVATE __attribute__((visibility("hidden")))

enum { CVR_FLUX_SG = 0, CVR_FLUX_MAXWELLIAN = 1 };
enum { CVR_OUT_FLUX = 0, CVR_OUT_ONE_SIDED = 1 };

/* The state of the reference: the case, the grid and its face coefficients, CVODE and its objects. */
typedef struct cvref {
    nlif_case cs;
    nlif_trajectory *traj;
    int flux, outflow, max_order;
    double rtol, atol, blowup_indicator;
    long max_steps;
    int n, r;
    double dv, a, b;
    double *v;                         /* nodes 0..n */
    double *alpha, *beta, *dalpha, *dbeta; /* face coefficients and their μ-derivatives, faces 0..n−1 */
    double *pout;                      /* profile: p_0..p_{n−1}, p_n = 0 */
    double *src;                       /* manufactured case: the cell means of S(·, t), else NULL */
    double t, rate, fired, rate_guess, tstop;
    SUNContext ctx;
    N_Vector y;
    SUNMatrix A;
    SUNLinearSolver LS;
    void *mem;
    char last_msg[256];
    /* a synaptic delay d > 0 (MATHEMATICS.md §1.4): the history of N at CVODE's accepted steps (with
     * dN/dt: cubic Hermite), the drift's rate N(t − d) of the evaluation under way (nd), and CVODE's
     * step held ≤ d so that N(t − d) is always in the history */
    int delayed;
    double nd;
    nlif_delay_line delay;
    N_Vector dky;                      /* delayed: dy/dt at an accepted step (the slope of N for Hermite) */
    struct cvei *ei;                   /* two populations (MATHEMATICS.md §1.6): cvode_ei.c's state, else NULL */
} cvref;

/* Two populations (cvode_ei.c): set up (s->v allocated, options read), advance, profile, free. */
/* The next time CVODE must not step over after t: pulse edges, the delay's t = d, t_final. */
NLIF_CVODE_PRIVATE double nlif_cvode_next_stop(const cvref *s, double t);
/* At a stop tret (a discontinuity of the right-hand side): restart the multistep method there (its
 * history is of the other side) unless it is t_final, and set the next stop. */
NLIF_CVODE_PRIVATE void nlif_cvode_restart_at_stop(cvref *s, double tret);
NLIF_CVODE_PRIVATE int nlif_cvei_alloc(cvref *s, nlif_error *err);
NLIF_CVODE_PRIVATE int nlif_cvei_advance(cvref *s, double t_end, nlif_error *err);
NLIF_CVODE_PRIVATE int nlif_cvei_profile(cvref *s, nlif_profile *out);
NLIF_CVODE_PRIVATE void nlif_cvei_free(cvref *s);

/* The matrix held by a SUNMatrix of cvode_linsol.c: the bordered matrix of the density's m unknowns and,
 * with a refractory period (MATHEMATICS.md §1.5), one more unknown R (index m) coupled to the density
 * through three entries: A[r][m] (the re-injection R/τ_R at V_R), A[m][m−1] (dN/dp_{m−1}) and A[m][m]. The
 * solve eliminates R by its Schur complement (one more bordered solve, z = B⁻¹ e_r, at factor time). */
typedef struct nlif_cvode_mat {
    nlif_bordered B;   /* first: bmat() */
    int refr, r;       /* 1: the unknown R, coupled at row r */
    double pr, rp, rr; /* A[r][m], A[m][m−1], A[m][m] */
    double schur, *z;  /* factor: rr − rp pr z_{m−1}, and z = B⁻¹ e_r */
} nlif_cvode_mat;
static inline nlif_cvode_mat *cvmat(SUNMatrix A) { return A->content; }
static inline nlif_bordered *bmat(SUNMatrix A) { return &cvmat(A)->B; }

/* A SUNMatrix of size m (tridiagonal + dense last column), plus the unknown R coupled at row r when
 * r ≥ 0 (size m + 1), and the SUNLinearSolver that factors it; NULL when memory ran out (cvode_linsol.c). */
NLIF_CVODE_PRIVATE SUNMatrix nlif_cvode_bmat_new(int m, int r, SUNContext ctx);
NLIF_CVODE_PRIVATE SUNLinearSolver nlif_cvode_blin_new(SUNContext ctx);

/* N solving N = κ(bN + I) p_{n−1} (with a delay N = κ(b nd + I) p_{n−1}), or NAN; the right-hand side
 * and the Jacobian for CVODE (cvode_mol.c). */
NLIF_CVODE_PRIVATE double nlif_cvode_firing_rate(cvref *s, double plast, double input, double *kap_out,
                                                 double *dkap_out);
NLIF_CVODE_PRIVATE int nlif_cvode_rhs(realtype t, N_Vector y, N_Vector ydot, void *user);
NLIF_CVODE_PRIVATE int nlif_cvode_jac(realtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *user, N_Vector t1,
                                      N_Vector t2, N_Vector t3);

#endif
