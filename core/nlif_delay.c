/* nlif_delay.c — the history of N(t) for a delayed drift (nlif_delay.h, MATHEMATICS.md §1.4): a ring
 * of (t, N, dN/dt) samples, linear or cubic Hermite interpolation, pruning to one window d. */
#include "nlif_delay.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int nlif_delay_init(nlif_delay_line *dl, double d, double history, size_t cap_hint, nlif_error *err)
{
    memset(dl, 0, sizeof *dl);
    dl->d = d;
    dl->history = history;
    dl->cap = cap_hint < 8 ? 8 : cap_hint;
    dl->t = malloc(3 * dl->cap * sizeof *dl->t);
    if (!dl->t)
        return nlif_fail(err, NLIF_ENOMEM, "delay line of %zu samples", dl->cap);
    dl->n = dl->t + dl->cap;
    dl->dn = dl->n + dl->cap;
    return NLIF_OK;
}

void nlif_delay_free(nlif_delay_line *dl)
{
    free(dl->t);
    memset(dl, 0, sizeof *dl);
}

static size_t at(const nlif_delay_line *dl, size_t k) { return (dl->head + k) % dl->cap; }

static int grow(nlif_delay_line *dl, nlif_error *err)
{
    size_t cap = 2 * dl->cap;
    double *t = malloc(3 * cap * sizeof *t);
    if (!t)
        return nlif_fail(err, NLIF_ENOMEM, "delay line of %zu samples", cap);
    for (size_t k = 0; k < dl->count; k++) {
        size_t i = at(dl, k);
        t[k] = dl->t[i];
        t[cap + k] = dl->n[i];
        t[2 * cap + k] = dl->dn[i];
    }
    free(dl->t);
    dl->t = t;
    dl->n = t + cap;
    dl->dn = t + 2 * cap;
    dl->cap = cap;
    dl->head = 0;
    return NLIF_OK;
}

int nlif_delay_push(nlif_delay_line *dl, double t, double rate, double drate, nlif_error *err)
{
    if (dl->count && dl->t[at(dl, dl->count - 1)] == t) {
        size_t i = at(dl, dl->count - 1);
        dl->n[i] = rate, dl->dn[i] = drate;
        return NLIF_OK;
    }
    /* drop the oldest while the second oldest is at or before t − d: no query reaches before it */
    while (dl->count >= 2 && dl->t[at(dl, 1)] <= t - dl->d) {
        dl->head = at(dl, 1);
        dl->count--;
    }
    if (dl->count == dl->cap) {
        int rc = grow(dl, err);
        if (rc)
            return rc;
    }
    size_t i = at(dl, dl->count++);
    dl->t[i] = t, dl->n[i] = rate, dl->dn[i] = drate;
    return NLIF_OK;
}

/* The index k (0..count−2) of the interval [t_k, t_{k+1}] holding s, by bisection. */
static size_t bracket(const nlif_delay_line *dl, double s)
{
    size_t lo = 0, hi = dl->count - 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (dl->t[at(dl, mid)] <= s)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static double interp(const nlif_delay_line *dl, double s, int slope)
{
    if (s < 0 || !dl->count)
        return slope ? 0.0 : dl->history;
    size_t first = at(dl, 0), last = at(dl, dl->count - 1);
    if (s <= dl->t[first])
        return slope ? 0.0 : dl->n[first];
    if (s >= dl->t[last])
        return slope ? 0.0 : dl->n[last];
    size_t k = bracket(dl, s), i = at(dl, k), j = at(dl, k + 1);
    double h = dl->t[j] - dl->t[i], x = (s - dl->t[i]) / h;
    double y0 = dl->n[i], y1 = dl->n[j];
    if (isnan(dl->dn[i]) || isnan(dl->dn[j]))
        return slope ? (y1 - y0) / h : y0 + x * (y1 - y0);
    double m0 = h * dl->dn[i], m1 = h * dl->dn[j];
    if (slope) {
        double d00 = 6 * x * x - 6 * x, d10 = 3 * x * x - 4 * x + 1, d01 = -d00, d11 = 3 * x * x - 2 * x;
        return (d00 * y0 + d10 * m0 + d01 * y1 + d11 * m1) / h;
    }
    double x2 = x * x, x3 = x2 * x;
    return (2 * x3 - 3 * x2 + 1) * y0 + (x3 - 2 * x2 + x) * m0 + (-2 * x3 + 3 * x2) * y1 + (x3 - x2) * m1;
}

double nlif_delay_at(const nlif_delay_line *dl, double s) { return interp(dl, s, 0); }
double nlif_delay_slope_at(const nlif_delay_line *dl, double s) { return interp(dl, s, 1); }
