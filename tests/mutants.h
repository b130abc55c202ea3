/* mutants.h — the mutant catalogue: deliberately broken solvers, each built as a wrapper around a
 * real scheme, never as a branch inside a production time step (MATHEMATICS.md §6, "The mutant
 * catalogue"). A mutant is a scheme type of its own name: it runs the real scheme on a modified copy
 * of the case (a model coefficient), or lets the real scheme record into a private
 * trajectory and forwards what it recorded with one thing changed (a rate, an MFE, a NaN, an early
 * end), or changes what the profile shows, or operates on the real scheme's state between its steps.
 * Everything it forwards goes through nlif_traj_record / nlif_traj_event, so the judge measures a
 * mutant exactly as it measures a real scheme.
 *
 * Each mutant states the check of `nlif verify` meant to catch it and the case(s) it is caught on;
 * tests/test_mutants.c runs the catalogue and fails if one survives or is caught only by another
 * check. tests/nlif_mutants.c is bin/nlif plus the catalogue.
 */
#ifndef NLIF_MUTANTS_H
#define NLIF_MUTANTS_H

#include "../core/nlif_scheme.h"

typedef struct nlif_mutant_state nlif_mutant_state;

typedef struct nlif_mutant {
    const char *name;                 /* the scheme name it is registered under */
    const nlif_scheme_type *wraps;    /* the real scheme */
    const char *wrong;                /* what is wrong, one line */
    const char *check;                /* the verify check meant to catch it (a cell name: "order_v(N)") */
    const char *cases;                /* the case(s) it must be caught on, comma-separated */
    const char *also;                 /* more cases it runs on for its kill margin only (NULL: none): any
                                       * check that FAILs it there, where its control passes, counts */
    double stop_fraction;             /* > 0: stops at this fraction of t_final and says ok */
    void (*edit_case)(nlif_case *cs);
    int (*on_alloc)(nlif_mutant_state *ms);             /* after the real alloc; 0 on success */
    void (*edit_sample)(nlif_mutant_state *ms, nlif_sample *s);
    void (*edit_event)(nlif_mutant_state *ms, nlif_event *e);
    void (*edit_profile)(nlif_mutant_state *ms, nlif_profile *p);
    /* Operates on the real scheme's state after each of its steps (the wrapper then advances it one
     * case Δt at a time); fired = the mass that fired in that advance. */
    void (*after_step)(nlif_mutant_state *ms, double fired);
} nlif_mutant;

extern const nlif_mutant nlif_mutants[]; /* terminated by a NULL name */

/* Register every mutant as a scheme (nlif_scheme_register). Returns 0, or -1 if the registry is full
 * or a name is taken. */
int nlif_mutants_register(void);

#endif
