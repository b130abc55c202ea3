/* nlif_scheme.h — the one small interface between the harness and a scheme (GSL stepper-type style).
 *
 * A scheme is a constant nlif_scheme_type: its name, what it supports, its expected orders on
 * smooth data, its option table, and alloc/advance/profile/free. The harness knows solvers only
 * through this; a solver knows nothing of the harness. Adding a scheme = one folder under solvers/
 * and one line in harness/host/registry.c.
 *
 * Life cycle: alloc (reads the validated case, its run section — Δv, Δt, Δw, seed — and the options;
 * sets up the initial state and records the t = 0 sample), then advance(t_end) as often as the
 * harness wants (snapshot times, t_final), then free. advance lands exactly on t_end (shortening the
 * last step) unless the run stops early: then it sets traj->status (blowup / runaway / failed) with
 * the time and the cause and returns NLIF_OK. A non-zero return is a hard error (memory, bad option
 * combination) with err filled in. No allocation inside advance beyond the trajectory's amortised
 * growth.
 */
#ifndef NLIF_SCHEME_H
#define NLIF_SCHEME_H

#include "nlif_error.h"
#include "nlif_model.h"
#include "nlif_options.h"
#include "nlif_trajectory.h"

/* Capabilities. */
#define NLIF_SUPPORTS_1D 0x01u          /* the 1D NNLIF model */
#define NLIF_SUPPORTS_STRUCTURED 0x02u  /* p(v, w) with learning and ε */
#define NLIF_SUPPORTS_NOISE_RATE 0x04u  /* a1 > 0 */
#define NLIF_SUPPORTS_MFE 0x08u         /* continues through blow-ups (MFEs) */
#define NLIF_SUPPORTS_CONVENTION_B 0x10u
#define NLIF_SUPPORTS_KICK 0x20u        /* instantaneous input */
#define NLIF_IS_RANDOM 0x40u            /* the result depends on the seed */
#define NLIF_HAS_TIME_STEP 0x80u        /* a fixed time step Δt that the order_t ladder refines (an adaptive
                                         * integrator has none: order_t does not apply to it) */
#define NLIF_SUPPORTS_SOURCE 0x100u     /* adds the manufactured source S(v, t) of the case's [manufactured]
                                         * family (core/nlif_mms.h) to its right-hand side (MATHEMATICS.md 6b) */
#define NLIF_SUPPORTS_DELAY 0x400u      /* a synaptic delay d > 0: the drift reads N(t − d) from a history of N
                                         * (MATHEMATICS.md §1.4) */
#define NLIF_SUPPORTS_REFRACTORY 0x200u /* a refractory period τ_R > 0: the fired mass waits in R(t), returns at
                                         * V_R at rate 1/τ_R, and the series carries R (MATHEMATICS.md §1.5) */
#define NLIF_SUPPORTS_POPULATIONS 0x800u /* two populations E and I (MATHEMATICS.md §1.6): both densities, the
                                          * series' columns rate_i, fired_i, mass_i, min_density_i and the
                                          * snapshots' column density_i */

/* A check of `nlif verify` that needs a capability the scheme does not declare is n.a., and the cell
 * names the capability (nlif_capability_name); a check the scheme has the capability for is judged
 * against the case's bound, the same for every scheme (MATHEMATICS.md 6). */

#define NLIF_PROFILE_MAX_ATOMS 16

/* The density now, on the solver's own grid. Pointers belong to the solver and stay valid until the
 * next advance/free. Point masses (Dirac at V_R, queue at V_F, moving Gaussians not yet projected
 * are reported as atoms with their centre) are listed separately. */
typedef struct nlif_profile {
    double t;
    int n;
    const double *v, *p;     /* nodes and density values (length n) */
    int n_atoms;
    double atom_v[NLIF_PROFILE_MAX_ATOMS], atom_mass[NLIF_PROFILE_MAX_ATOMS];
    int nw;                  /* structured: weight marginal ρ(w) on nodes w (length nw), else 0 */
    const double *w, *rho;
    const double *p_i;       /* two populations: I's density on the same nodes (length n), else NULL */
} nlif_profile;

/* A scheme's own claim to do better than a case's bound on a check, at the case's default resolution:
 * judged as well as the case's bound, and a miss FAILs with both figures. A claim can only tighten:
 * one looser than the case's bound is ignored (the case's bound is for every scheme, MATHEMATICS.md 6). */
typedef struct nlif_scheme_claim {
    const char *check;  /* the check's name ("stationary_rate"); NULL ends the list */
    double bound;       /* the tighter bound, in the check's own measure */
    const char *source; /* where the claim comes from */
} nlif_scheme_claim;

typedef struct nlif_scheme_type {
    const char *name;        /* "spap", "multiscale", "dilated" */
    const char *title;       /* one line */
    const char *source;      /* the paper it reconstructs */
    unsigned flags;          /* NLIF_SUPPORTS_* | NLIF_IS_RANDOM */
    double order_t;          /* expected orders on smooth data (NAN: not applicable) */
    double order_v_density;
    double order_v_rate;
    double order_w;
    const nlif_option_spec *options;   /* NULL-name terminated */
    /* The option assignment ("name=value", checked against options) that turns the scheme into its
     * ε → 0 limit scheme, for the asymptotic-preservation check (MATHEMATICS.md 6); NULL: the scheme
     * declares no limit mode, and the ap check is n.a. for it ("no ε = 0 limit mode declared"). */
    const char *limit_option;
    const nlif_scheme_claim *claims; /* NULL, or a list ended by a NULL check */
    int (*alloc)(void **state, const nlif_case *cs, const nlif_optset *opt, nlif_trajectory *traj,
                 nlif_error *err);
    int (*advance)(void *state, double t_end, nlif_error *err);
    int (*profile)(void *state, nlif_profile *out);
    void (*free)(void *state);
} nlif_scheme_type;

/* The registry (harness/host/registry.c): NULL-terminated. A program may append schemes at start-up with
 * nlif_scheme_register (the tests register deliberately broken variants this way). */
extern const nlif_scheme_type *nlif_schemes[];
const nlif_scheme_type *nlif_scheme_find(const char *name);
/* Whether the first n characters of s make a scheme name: 1 to NLIF_NAME_MAX − 1 of [a-z0-9_]. */
int nlif_scheme_name_valid(const char *s, size_t n);
int nlif_scheme_register(const nlif_scheme_type *st);
/* Why the scheme does not apply to the case, or NULL if it does: the capability the case needs (its
 * model: structured, a1 > 0, convention B, kick, delay > 0; and expect.needs) that the scheme lacks. */
const char *nlif_scheme_not_applicable(const nlif_scheme_type *st, const nlif_case *cs);
/* The capabilities by name ("mfe", "kick", ...): the name and a one-line meaning of a single flag
 * (NULL if unknown), and the flag of a name (0 if unknown). */
const char *nlif_capability_name(unsigned flag);
const char *nlif_capability_meaning(unsigned flag);
unsigned nlif_capability_flag(const char *name);
#define NLIF_CAPABILITY_NAMES "1d, structured, noise_rate, mfe, convention_b, kick, random, time_step, source, delay, refractory, populations"

#endif
