/* nlif_fresh.h — fresh instances: problems drawn at run time around a catalogue case that states
 * `stationary_rate`, so that no stored number can stand in for a solve (MATHEMATICS.md §6, "Fresh
 * instances"). harness/case/fresh.c draws the parameters (seeded), decides whether they lie in the
 * valid region, computes the exact stationary rate (§2) and the case's own first-order bound for
 * them, and builds the instance as a case of its own: CASE~fK (drawn) or CASE~xK (given with
 * `verify --fresh-at`). harness/verify/ plans, records and judges them like any case.
 */
#ifndef NLIF_FRESH_H
#define NLIF_FRESH_H

#include "../../core/nlif_error.h"
#include "../../core/nlif_model.h"

#include <stddef.h>
#include <stdint.h>

#define NLIF_FRESH_DELAY_RATIO 0.5   /* a delayed case: d <= this x d_c (at 0.5 d_c |N - N_inf| < 1e-5 by t = 8) */
#define NLIF_FRESH_SPREAD 0.2        /* each parameter within ±20% of its scale around the case's value */
#define NLIF_FRESH_MAX 6             /* instances per case (verify --fresh K) */
#define NLIF_FRESH_ATTEMPTS 100      /* draws of one instance before it is refused */
#define NLIF_FRESH_MIN_GAP 0.25      /* V_F − μ∞ at the root (the bound's leading term; §6) */
#define NLIF_FRESH_ROOT_RATIO 2.0    /* the case's root at least this factor from any other root */

/* The parameters a fresh instance draws (a1 only where the case has a1 > 0; i0: the constant input,
 * 0 for a case without input). */
enum { NLIF_FRESH_A0, NLIF_FRESH_A1, NLIF_FRESH_B, NLIF_FRESH_VR, NLIF_FRESH_I0, NLIF_FRESH_MEAN, NLIF_FRESH_SD,
       NLIF_FRESH_NPARAM };
typedef struct nlif_fresh_params {
    double x[NLIF_FRESH_NPARAM];
} nlif_fresh_params;
/* "a0", "a1", "b", "v_r", "i0", "mean", "sd": the names in verdicts.json and in --fresh-at. */
extern const char *const nlif_fresh_param_names[NLIF_FRESH_NPARAM];
/* The index of parameter NAME, or -1. */
int nlif_fresh_param_index(const char *name);

/* What the valid region leaves for one instance: its exact reference and bound. */
typedef struct nlif_fresh_exact {
    double rate;      /* the exact stationary root the check judges against (§2) */
    double rate_tol;  /* the case's bound for this problem: nlif_fresh_rate_tol */
    int root, n_roots;
} nlif_fresh_exact;

/* The stationary-rate bound of the relax cases (MATHEMATICS.md §6): the leading error of a
 * first-order one-sided rate at the default dv, (dv/2) N |V_F − μ| / a with μ = bN + I and
 * a = a0 + a1 N. The one place this derivation is evaluated; the catalogue cases state it rounded
 * to two digits (tests/test_fresh.c holds them to it). */
double nlif_fresh_rate_tol(const nlif_model *m, double i0, double dv, double rate);

/* 1 if fresh instances can be drawn around case CS: it states stationary_rate with a rate_tol whose
 * source is the first-order derivation and equals nlif_fresh_rate_tol to its two digits, it is 1D
 * with a Gaussian initial law and a constant input (or none), and it is no fresh instance itself.
 * Else 0 and why. */
int nlif_fresh_eligible(const nlif_case *cs, char *why, size_t len);
/* The catalogue case's own values of the parameters. */
void nlif_fresh_params_of(const nlif_case *cs, nlif_fresh_params *p);
/* 1 if P lies in the valid region around BASE (MATHEMATICS.md §6; *x filled), else 0 and why. */
int nlif_fresh_valid(const nlif_case *base, const nlif_fresh_params *p, nlif_fresh_exact *x, char *why, size_t len);
/* Draw instance K (1, 2, ...) of BASE from SEED: a SplitMix64 stream keyed by (seed, case name, k),
 * uniform in the box; a draw outside the region is replaced by the next draw of the same stream, up
 * to NLIF_FRESH_ATTEMPTS. 0 (*attempts: draws used), or -1 with the last draw's reason. */
int nlif_fresh_draw(const nlif_case *base, uint64_t seed, int k, nlif_fresh_params *p, nlif_fresh_exact *x,
                    int *attempts, char *why, size_t len);
/* The instance as a case: BASE with the parameters P, named NAME, its file PATH (not written).
 * Its [expect] states stationary_rate with rate_tol = x->rate_tol (and the case's stationary_root)
 * and nothing else; *for_run is the same case without any [expect] bound or source: the file the
 * run reads (nlif_case_write_ini), which holds no reference value. */
int nlif_fresh_case(const nlif_case *base, const nlif_fresh_params *p, const nlif_fresh_exact *x, const char *name,
                    const char *path, nlif_case *out, nlif_case *for_run, nlif_error *err);
/* Whether NAME is a fresh instance's (CASE~fK or CASE~xK); BASE gets the catalogue case's name. */
int nlif_fresh_name(const char *name, char *base, size_t len);

#endif
