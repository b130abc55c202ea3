/* spap_arrays.c — the arrays of the spap solver object (solvers/spap/spap.h, MATHEMATICS.md §3), allocated
 * once before the time loop: the grids in v and w, the state and its next level, the face coefficients
 * and the solve's work space, the w transport's factors, the profile, and a manufactured case's source
 * (MATHEMATICS.md §6b). spap.c frees them.
 */
#include "spap.h"

#include <stdlib.h>

/* The solver object's arrays; NLIF_ENOMEM when one cannot be had (the caller frees the object). */
int spap_arrays(spap *s, nlif_error *err)
{
    int n = s->n, nw = s->nw;
    size_t np = (size_t)n * nw;
    s->v = malloc((n + 1) * sizeof *s->v);
    s->w = malloc(nw * sizeof *s->w);
    s->p = malloc(np * sizeof *s->p);
    s->q = malloc(np * sizeof *s->q);
    s->mass_slice = malloc(nw * sizeof *s->mass_slice);
    s->rate_w = malloc(nw * sizeof *s->rate_w);
    s->alpha = malloc(n * sizeof *s->alpha);
    s->beta = malloc(n * sizeof *s->beta);
    s->work = malloc(3 * (size_t)n * sizeof *s->work);
    s->prof = malloc(n * sizeof *s->prof);
    s->kf = malloc(nw * sizeof *s->kf);
    s->winvd = malloc(nw * sizeof *s->winvd);
    s->wmult = malloc(nw * sizeof *s->wmult);
    s->wsup = malloc(nw * sizeof *s->wsup);
    s->wtmp = malloc(nw * sizeof *s->wtmp);
    s->pmarg = malloc((n + 1) * sizeof *s->pmarg);
    s->rho = malloc(nw * sizeof *s->rho);
    if (s->cs.model.tau_ref > 0 && !(s->zr = malloc(n * sizeof *s->zr)))
        return nlif_fail(err, NLIF_ENOMEM, "spap: refractory work array of %d cells", n);
    if (s->cs.manufactured.enabled && !(s->src = malloc(n * sizeof *s->src)))
        return nlif_fail(err, NLIF_ENOMEM, "spap: source array of %d cells", n);
    if (!s->v || !s->w || !s->p || !s->q || !s->mass_slice || !s->rate_w || !s->alpha || !s->beta || !s->work ||
        !s->prof || !s->kf || !s->winvd || !s->wmult || !s->wsup || !s->wtmp || !s->pmarg || !s->rho) {
        return nlif_fail(err, NLIF_ENOMEM, "spap: arrays for %d × %d points", n, nw);
    }
    const nlif_model *m = &s->cs.model;
    const nlif_structure *st = &s->cs.structure;
    nlif_grid_fill(m, s->dv, n, s->r, s->v);
    if (st->enabled)
        for (int j = 0; j < nw; j++)
            s->w[j] = st->w_min + (j + 0.5) * s->dw;
    else
        s->w[0] = m->b;

    return NLIF_OK;
}
