/* nlif_delay.h — the history of N(t) that a delayed drift b N(t − d) reads (MATHEMATICS.md §1.4).
 *
 * A scheme pushes (t, N) at each accepted time (t increasing, from t = 0) and asks for N(s) at
 * s = t − d: on s < 0 the case's constant history, else the value interpolated between the samples
 * that bracket s — linear, or cubic Hermite when the samples carry dN/dt (pass NAN for none). Samples
 * older than the one at or before t_last − d are dropped (a query never reaches further back than
 * the last pushed time minus d), so the storage holds the samples of one window d: it doubles when
 * full (amortised O(1) per push, bounded by the steps a window holds).
 */
#ifndef NLIF_DELAY_H
#define NLIF_DELAY_H

#include "nlif_error.h"

#include <stddef.h>

typedef struct nlif_delay_line {
    double d, history;     /* the delay, and N on [−d, 0) */
    double *t, *n, *dn;    /* ring storage of cap samples */
    size_t cap, head, count; /* the oldest sample at head, count of them */
} nlif_delay_line;

/* Set up for delay d > 0 and history N_h with room for cap_hint samples (grown when needed). */
int nlif_delay_init(nlif_delay_line *dl, double d, double history, size_t cap_hint, nlif_error *err);
void nlif_delay_free(nlif_delay_line *dl);
/* Append (t, N, dN/dt or NAN); t must not decrease (an equal t replaces the last sample). */
int nlif_delay_push(nlif_delay_line *dl, double t, double rate, double drate, nlif_error *err);
/* N(s): the history for s < 0; between samples interpolated; before the oldest kept sample the
 * oldest one, after the newest the newest (a scheme that steps beyond d never asks there). */
double nlif_delay_at(const nlif_delay_line *dl, double s);
/* dN/ds at s by the same interpolant (0 on the history). */
double nlif_delay_slope_at(const nlif_delay_line *dl, double s);

#endif
