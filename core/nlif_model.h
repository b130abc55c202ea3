/* nlif_model.h — the NNLIF mean-field model and a validated case, as plain data.
 *
 *   ∂_t p + ∂_v[(−v + bN + I(t)) p] − a(N) ∂_vv p = N δ(v − V_R),  p(V_F) = 0,
 *   N = −a(N) ∂_v p(V_F),  a(N) = a0 + a1 N                    (MATHEMATICS.md §1)
 *
 * optionally with a synaptic delay d: the drift reads b N(t − d) (MATHEMATICS.md §1.4),
 * with an optional refractory state (τ_R > 0, MATHEMATICS.md §1.5): the right-hand side is (R/τ_R) δ(v − V_R)
 * instead, dR/dt = N − R/τ_R, and ∫p dv + R = 1;
 * and, for structured networks, p(v, w, t) with learning in w and the time-scale ε (MATHEMATICS.md §1.2);
 * or two populations E and I, each with its own density and rate, coupled through a signed 2×2
 * connectivity (MATHEMATICS.md §1.6): the fields above are E's, nlif_model's last fields I's.
 * A nlif_case is what harness/case/case.c makes of a case file after validation: solvers and references
 * receive it read-only and may trust every field (ranges, V_R and V_F on the Δv grid, ...).
 */
#ifndef NLIF_MODEL_H
#define NLIF_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define NLIF_NAME_MAX 64
#define NLIF_TEXT_MAX 512
#define NLIF_MAX_POINTS 256   /* table points / uniform blocks of an initial datum */
#define NLIF_MAX_SNAPSHOTS 32
#define NLIF_MAX_TAGS 16

typedef enum { NLIF_CONVENTION_A = 0, NLIF_CONVENTION_B = 1 } nlif_convention;

typedef struct nlif_model {
    double a0, a1;  /* noise a(N) = a0 + a1 N */
    double b;       /* connectivity */
    double v_f, v_r, v_min;
    nlif_convention convention; /* cascade convention (Choice, MATHEMATICS.md §1.1) */
    /* Synaptic delay (MATHEMATICS.md §1.4): the drift reads N(t − delay); the noise a(N) keeps N(t).
     * On [−delay, 0) the rate is the constant delay_history. delay = 0: the model above, bit for bit. */
    double delay, delay_history;
    double tau_ref; /* refractory period τ_R ≥ 0 (MATHEMATICS.md §1.5): the fired mass waits in R(t) and
                     * returns at V_R at rate 1/τ_R; 0 = no refractory state (the model above) */
    /* Two populations (MATHEMATICS.md §1.6): populations = 2 when the case has a [population_i] section.
     * E is the population above (a0, a1, v_r, b = b_EE, input I_E(t)); I has its own noise, reset and
     * constant input; V_F and V_min are shared (one grid). Signs: b_EE, b_IE ≥ 0; b_EI, b_II ≤ 0.
     * populations = 1: the model above is the one-population model, bit for bit, and nothing reads the
     * fields below (a parsed case holds 0 in them; nlif_case_defaults leaves I's documented defaults). */
    int populations;
    double b_ei;                 /* the drift of E reads b N_E + b_ei N_I */
    double b_ie, b_ii;           /* the drift of I reads b_ie N_E + b_ii N_I + i0_i */
    double a0_i, a1_i, v_r_i, i0_i;
} nlif_model;

typedef enum {
    NLIF_INPUT_NONE = 0,
    NLIF_INPUT_CONSTANT,
    NLIF_INPUT_SINE,
    NLIF_INPUT_PULSE,
    NLIF_INPUT_KICK
} nlif_input_type;

/* I(t): none → 0; constant → i0; sine → i0 + amplitude sin(omega t + phase);
 * pulse → i0 on [t0, t1], 0 elsewhere; kick → i0 always, and every voltage jumps by `kick` at t0. */
typedef struct nlif_input {
    nlif_input_type type;
    double i0, amplitude, omega, phase, t0, t1, kick;
} nlif_input;

typedef enum {
    NLIF_INIT_GAUSSIAN = 0, /* N(mean, sd²) truncated to [V_min, V_F], normalised */
    NLIF_INIT_UNIFORM,      /* blocks (lo, hi, density), normalised unless normalise = false */
    NLIF_INIT_TABLE,        /* piecewise linear through (v_k, p_k), zero outside, normalised */
    NLIF_INIT_STATIONARY,   /* exact stationary profile p∞ of the model with I = input.i0 */
    NLIF_INIT_MANUFACTURED  /* the manufactured solution p_m(v, 0) of the case's [manufactured] family */
} nlif_initial_type;

typedef struct nlif_initial {
    nlif_initial_type type;
    double mean, sd;                    /* gaussian */
    int n_blocks;                       /* uniform */
    double lo[NLIF_MAX_POINTS], hi[NLIF_MAX_POINTS], dens[NLIF_MAX_POINTS];
    int n_points;                       /* table */
    double tv[NLIF_MAX_POINTS], tp[NLIF_MAX_POINTS];
    int normalise;                      /* uniform/table: rescale to mass 1 (default on) */
    int root;                           /* stationary: which root, 0 = lowest rate */
    double refractory;                  /* R(0), the mass in the refractory state at t = 0 (model.tau_ref > 0;
                                         * the density then has mass 1 − R(0)); type stationary: set by the
                                         * parser to τ_R N∞ of the chosen root */
    double mean_i, sd_i;                /* two populations: I's initial Gaussian (type stationary: both from the root) */
} nlif_initial;

typedef enum { NLIF_RULE_NONE = 0, NLIF_RULE_LINEAR, NLIF_RULE_HEBBIAN } nlif_rule;
typedef enum { NLIF_WLAW_UNIFORM = 0, NLIF_WLAW_GAUSSIAN, NLIF_WLAW_POINT } nlif_weight_law;

/* Structured network (MATHEMATICS.md §1.2). When enabled = 0 the case is the 1D model with w ≡ b and ε = 1. */
typedef struct nlif_structure {
    int enabled;
    double w_min, w_max;
    double epsilon;
    nlif_rule rule;
    double rate, w_star;      /* linear: K = rate (w_star − w) */
    double alpha, beta;       /* hebbian: K = alpha N R_w − beta w */
    double rho_floor;         /* hebbian: below this ρ_w use the quasi-static rate */
    nlif_weight_law w_law;    /* initial weight distribution ρ0(w) */
    double w_mean, w_sd;      /* gaussian law (truncated to [w_min, w_max]); point law at w_mean */
} nlif_structure;

/* A manufactured solution (MATHEMATICS.md §6b): the case's [manufactured] section. When enabled, the
 * exact solution p_m(v, t) is known in closed form (core/nlif_mms.h) and a scheme with capability
 * source adds the source term S = ∂_t p_m − L[p_m] to its right-hand side. */
typedef enum { NLIF_MMS_KINK_QUADRATIC = 0 } nlif_mms_family;
typedef struct nlif_manufactured {
    int enabled;
    nlif_mms_family family;
    double slope;       /* g0: the mean of g(t) = −∂_v p_m(V_F, t) */
    double amplitude;   /* g(t) = g0 (1 + amplitude sin(omega t + phase)) */
    double omega;
    double phase;       /* φ, default 0; a delayed family needs dg/dt(0) = 0, φ = π/2 (MATHEMATICS.md §6b) */
} nlif_manufactured;

typedef struct nlif_run {
    double t_final;
    double dv, dt, dw;        /* default resolution of the grid schemes */
    int n_snapshots;
    double snapshots[NLIF_MAX_SNAPSHOTS];
    long particles;           /* Monte Carlo: N_p */
    int realisations;         /* Monte Carlo: R */
    double mc_dt;             /* Monte Carlo time step */
    uint64_t seed;
    double mfe_level;         /* K/N_p above which a particle step counts as an MFE */
    double rate_window;       /* window W of the empirical rate */
    /* ceilings of one run (harness/case/nlif_limits.h): steps, particle steps, estimated MiB */
    double max_steps, max_particle_steps, max_memory;
} nlif_run;

/* What the harness checks on this case ([expect]; harness/checks/). Every bound is the case's,
 * one per check, the same for every scheme (MATHEMATICS.md 6); what a scheme cannot do is its own
 * capability (nlif_scheme.h). Solvers never read this. */
/* One [expect] entry that a check reads (a bound or a setting: rate_tol, levels, ...), as the case
 * file or --set wrote it. The case format does not know these keys: each check declares the keys it
 * reads in its own table (harness/checks/nlif_check.h), which validates the text at the edge and
 * converts it; a key the case does not give is the check's default. Kept as text in a fixed array so
 * that adding a check with a bound changes neither this structure nor the plugin ABI. */
#define NLIF_MAX_EXPECT_BOUNDS 32
typedef struct nlif_expect_bound {
    char key[NLIF_NAME_MAX];
    char value[NLIF_NAME_MAX];           /* the text as given (at most NLIF_NAME_MAX - 1 characters) */
    int line;                            /* line in the case file; 0: from --set (or filled in) */
} nlif_expect_bound;

typedef struct nlif_expect {
    char checks[NLIF_TEXT_MAX];          /* checks beyond mass and positivity (every run has those) */
    int checks_line;                     /* line of `checks` in the case file; 0: --set or not given */
    unsigned needs;                      /* capabilities the case needs beyond its model (NLIF_SUPPORTS_*) */
    int blowup;                          /* the solution blows up in [0, t_final]: a scheme with capability
                                          * mfe reaches t_final, one without stops with status blowup */
    char source[NLIF_TEXT_MAX];          /* where the case's bounds come from */
    int n_bounds;                        /* the checks' own keys the case gives, in file order */
    nlif_expect_bound bounds[NLIF_MAX_EXPECT_BOUNDS];
} nlif_expect;

/* A scheme option the case asks for ([options] section: "scheme.option = value"), applied by every
 * run of that scheme on the case before command-line --opt (which wins). */
#define NLIF_MAX_CASE_OPTIONS 16
typedef struct nlif_case_option {
    char scheme[NLIF_NAME_MAX];
    char name[NLIF_NAME_MAX];
    char value[NLIF_NAME_MAX];
} nlif_case_option;

typedef struct nlif_case {
    char name[NLIF_NAME_MAX];
    char path[NLIF_TEXT_MAX];
    char description[NLIF_TEXT_MAX];
    int n_tags;
    char tags[NLIF_MAX_TAGS][NLIF_NAME_MAX];
    nlif_model model;
    nlif_initial initial;
    nlif_input input;
    nlif_structure structure;
    nlif_run run;
    nlif_expect expect;
    int n_options;
    nlif_case_option options[NLIF_MAX_CASE_OPTIONS];
    nlif_manufactured manufactured; /* last: a case without the section is the same bytes before it */
} nlif_case;

/* I(t) without the kick (the kick is an event, see nlif_input_kick_between). */
double nlif_input_current(const nlif_input *in, double t);
/* 1 if the instantaneous kick falls in (t_a, t_b] — the interval convention every solver uses. */
int nlif_input_kick_between(const nlif_input *in, double t_a, double t_b);
/* Noise coefficient a(N). */
static inline double nlif_noise(const nlif_model *m, double rate) { return m->a0 + m->a1 * rate; }
/* The one-population model of population I of a two-population model (MATHEMATICS.md §1.6): I's noise
 * and reset, b = b_II, V_F and V_min shared; its drift's other terms (b_IE N_E + i0_i) are its input. */
nlif_model nlif_model_population_i(const nlif_model *m);
/* The mean drift of population α (0 = E, 1 = I) without −v at the rates N_E, N_I and E's input I_E. */
double nlif_population_drift(const nlif_model *m, int alpha, double rate_e, double rate_i, double input_e);
/* Number of Δv cells on [V_min, V_F] and the index of V_R; fails if V_R or V_F are not nodes. */
int nlif_grid_nodes(const nlif_model *m, double dv, int *n, int *r);
/* Two populations: the node index of I's reset V_R,I on that grid (0, or −1 if it is not a node). */
int nlif_grid_reset_i(const nlif_model *m, double dv, int *ri);
/* The nodes v[i] = V_min + iΔv, i = 0..n, of that grid (n, r from nlif_grid_nodes), with v[r] = V_R
 * and v[n] = V_F exactly. */
void nlif_grid_fill(const nlif_model *m, double dv, int n, int r, double *v);
/* The step from t towards t_end: dt, or the remainder t_end − t when t + dt reaches t_end up to the
 * rounding of a sum of steps (then 1 is returned: the step lands, and the caller sets t = t_end
 * exactly rather than t + h rounded). dt > 0, t < t_end. */
int nlif_step_to(double t, double t_end, double dt, double *h);
int nlif_case_has_tag(const nlif_case *cs, const char *tag);
/* Neumaier-compensated sum of x[0..n−1]: every grid scheme measures its mass with it, so that the
 * round-off of 1e5 steps stays below the 1e-12 of the mass check (MATHEMATICS.md §6). */
double nlif_sum(const double *x, int n);

const char *nlif_convention_name(nlif_convention c);
const char *nlif_input_type_name(nlif_input_type t);
const char *nlif_initial_type_name(nlif_initial_type t);
const char *nlif_rule_name(nlif_rule r);
const char *nlif_weight_law_name(nlif_weight_law l);

#endif
