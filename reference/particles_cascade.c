/* particles_cascade.c — the particle kernel's exact in-step cascade (MATHEMATICS.md §1.1; step 3 of
 * particles.h): the fired and near lists (collected, merged over a group of processes, ordered),
 * the smallest fixed point K = k0 + #{i : x_i ≤ K} under convention A and the generations of
 * convention B (with runaway detection), the windowed empirical rate and the hebbian classes' spikes.
 */
#include "particles_impl.h"

#include <stdlib.h>
#include <string.h>

static int cmp_near(const void *a, const void *b)
{
    double x = ((const near_entry *)a)->x, y = ((const near_entry *)b)->x;
    if (x < y)
        return -1;
    if (x > y)
        return 1;
    int32_t i = ((const near_entry *)a)->i, j = ((const near_entry *)b)->i;
    return (i > j) - (i < j);
}

/* Group: replace this range's lists (fired[0..nf), near[0..m)) by everyone's, concatenated in rank
 * order — the lists one pass over all particles collects, since each is in particle order. Returns
 * the bridge count summed likewise. */
long nlif_pk_merge(nlif_particles *ps, long nbridge)
{
    const nlif_particles_group *g = ps->p.group;
    if (!g)
        return nbridge;
    char *mine = ps->gbuf, *all = ps->gbuf + ps->gmine;
    long hdr[4] = {ps->nf, ps->m, nbridge, 0};
    size_t fb = ((size_t)ps->nf * sizeof(int32_t) + 7) & ~(size_t)7;
    memcpy(mine, hdr, sizeof hdr);
    memcpy(mine + 32, ps->fired, (size_t)ps->nf * sizeof(int32_t));
    memcpy(mine + 32 + fb, ps->near, (size_t)ps->m * sizeof(near_entry));
    size_t total = 0;
    g->allgather(g->ctx, mine, 32 + fb + (size_t)ps->m * sizeof(near_entry), all, ps->gall, &total);
    long nf = 0, m = 0, nb = 0;
    for (size_t off = 0; off < total;) {
        memcpy(hdr, all + off, sizeof hdr);
        size_t f = ((size_t)hdr[0] * sizeof(int32_t) + 7) & ~(size_t)7;
        memcpy(ps->fired + nf, all + off + 32, (size_t)hdr[0] * sizeof(int32_t));
        memcpy(ps->near + m, all + off + 32 + f, (size_t)hdr[1] * sizeof(near_entry));
        nf += hdr[0];
        m += hdr[1];
        nb += hdr[2];
        off += 32 + f + (size_t)hdr[1] * sizeof(near_entry);
    }
    ps->nf = nf;
    ps->m = m;
    return nb;
}

/* Rebuild the fired and near lists from the true voltages in v (pk = 0) with a given cap. */
void nlif_pk_collect(nlif_particles *ps, double cap)
{
    const double vf = ps->p.model.v_f, np = (double)ps->n;
    long nf = 0, m = 0;
    for (long i = ps->lo; i < ps->hi; i++) {
        double u = ps->v[i], wi = weight(ps, i);
        if (u >= vf)
            ps->fired[nf++] = (int32_t)i;
        else if (wi > 0 && (vf - u) * np <= cap * wi)
            ps->near[m++] = (near_entry){np * (vf - u) / wi, (int32_t)i};
    }
    ps->nf = nf;
    ps->m = m;
    ps->cap = cap;
    nlif_pk_merge(ps, 0);
}

/* Convention A on the lists. Returns K, or −1 if the cascade outgrew the near list. */
static long cascade_a(nlif_particles *ps)
{
    long k = ps->nf, pos = 0;
    while (pos < ps->m && ps->near[pos].x <= (double)k) {
        k++;
        pos++;
    }
    if ((double)k > ps->cap)
        return -1;
    /* fired set: fired[] and near[0..pos) */
    double pk = (double)k / (double)ps->n, vr = ps->p.model.v_r;
    for (long j = 0; j < ps->nf; j++) {
        long i = ps->fired[j];
        if (i >= ps->lo && i < ps->hi)
            ps->v[i] = vr - weight(ps, i) * pk;
    }
    for (long j = 0; j < pos; j++) {
        long i = ps->near[j].i;
        if (i >= ps->lo && i < ps->hi)
            ps->v[i] = vr - weight(ps, i) * pk;
        ps->fired[ps->nf + j] = (int32_t)i; /* the full fired list, for the hebbian counts */
    }
    ps->nf += pos;
    ps->pk = pk;
    return k;
}

/* Convention B by generations. Returns the number of spikes, −1 if the near list is too short,
 * −2 on runaway. ps->reset[0..nr) lists the neurons that fired (with fire counts). */
static long cascade_b(nlif_particles *ps, long *nreset)
{
    const double np = (double)ps->n, gap = ps->p.model.v_f - ps->p.model.v_r;
    const double limit = ps->p.runaway_factor * np;
    long nr = 0, pos = 0;
    double total = (double)ps->nf, min_thr = INFINITY;
    for (long j = 0; j < ps->nf; j++) {
        long i = ps->fired[j];
        double wi = weight(ps, i);
        double thr = wi > 0 ? total + np * gap / wi : INFINITY;
        ps->reset[nr++] = (reset_entry){thr, total, (int32_t)i, 1};
        if (thr < min_thr)
            min_thr = thr;
    }
    for (;;) {
        long gen_start = nr, refires = 0;
        while (pos < ps->m && ps->near[pos].x <= total) {
            long i = ps->near[pos++].i;
            ps->reset[nr++] = (reset_entry){0, 0, (int32_t)i, 1};
        }
        if (min_thr <= total)
            for (long j = 0; j < gen_start; j++)
                if (ps->reset[j].thr <= total) {
                    ps->reset[j].fires++;
                    ps->reset[j].thr = -1; /* marked: re-thresholded below */
                    refires++;
                }
        long fresh = nr - gen_start;
        if (fresh + refires == 0)
            break;
        total += (double)(fresh + refires);
        if (total > limit) {
            *nreset = nr;
            return -2;
        }
        if (total > ps->cap)
            return -1;
        min_thr = INFINITY;
        for (long j = 0; j < nr; j++) {
            reset_entry *r = &ps->reset[j];
            if (j >= gen_start || r->thr < 0) {
                double wi = weight(ps, r->i);
                r->c = total;
                r->thr = wi > 0 ? total + np * gap / wi : INFINITY;
            }
            if (r->thr < min_thr)
                min_thr = r->thr;
        }
    }
    double pk = total / np, vr = ps->p.model.v_r;
    for (long j = 0; j < nr; j++) {
        long i = ps->reset[j].i;
        if (i >= ps->lo && i < ps->hi)
            ps->v[i] = vr - weight(ps, i) * ps->reset[j].c / np; /* true: V_R + w (K − c)/N */
    }
    ps->pk = pk;
    *nreset = nr;
    return (long)total;
}

/* Resolve the cascade on the lists (true voltages in v, pk = 0); grows the near list if needed.
 * Returns the number of spikes; *runaway set under convention B. */
static long resolve(nlif_particles *ps, int *runaway, long *nreset)
{
    *runaway = 0;
    *nreset = 0;
    for (int pass = 0;; pass++) {
        qsort(ps->near, (size_t)ps->m, sizeof *ps->near, cmp_near);
        long k = ps->p.model.convention == NLIF_CONVENTION_B ? cascade_b(ps, nreset) : cascade_a(ps);
        if (k >= 0)
            return k;
        if (k == -2) {
            *runaway = 1;
            return (long)(ps->p.runaway_factor * (double)ps->n);
        }
        /* outgrew the near list: a full pass with a larger cap (geometric, so O(log) passes) */
        double cap = fmax(4 * ps->cap, 64.0);
        if (cap > ps->p.runaway_factor * (double)ps->n + 2)
            cap = ps->p.runaway_factor * (double)ps->n + 2;
        nlif_pk_collect(ps, cap);
    }
}

void nlif_pk_record_rate(nlif_particles *ps, long spikes)
{
    ps->ring_sum += spikes - ps->ring[ps->ring_pos];
    ps->ring[ps->ring_pos] = spikes;
    ps->ring_pos = (ps->ring_pos + 1) % ps->wsteps;
    if (ps->ring_fill < ps->wsteps)
        ps->ring_fill++;
}

double nlif_particles_rate(const nlif_particles *ps)
{
    if (!ps->ring_fill)
        return 0.0;
    return (double)ps->ring_sum / ((double)ps->n * ps->ring_fill * ps->ds);
}

/* Spikes per weight class of the fired neurons (fired[0..nf) or reset[0..nr)). */
static void hebbian_count(nlif_particles *ps, int from_reset, long count)
{
    for (long j = 0; j < count; j++) {
        long i = from_reset ? ps->reset[j].i : ps->fired[j];
        ps->hb_step[wbin(ps, ps->w[i])] += from_reset ? ps->reset[j].fires : 1;
    }
}

void nlif_pk_hebbian_record(nlif_particles *ps)
{
    long *slot = ps->hb_ring + (size_t)ps->ring_pos * (size_t)ps->nb; /* ring_pos before nlif_pk_record_rate */
    for (int b = 0; b < ps->nb; b++) {
        ps->hb_sum[b] += ps->hb_step[b] - slot[b];
        slot[b] = ps->hb_step[b];
        ps->hb_step[b] = 0;
    }
}

/* Cascade of whatever is at/above V_F now, lists already collected. Returns spikes. */
long nlif_pk_cascade_lists(nlif_particles *ps, int *runaway)
{
    long nreset = 0;
    long k = resolve(ps, runaway, &nreset);
    if (ps->nb) {
        if (ps->p.model.convention == NLIF_CONVENTION_B)
            hebbian_count(ps, 1, nreset);
        else
            hebbian_count(ps, 0, ps->nf);
    }
    return k;
}

int nlif_particles_cascade_now(nlif_particles *ps, long *k_out, int *fired)
{
    nlif_pk_flush(ps);
    nlif_pk_collect(ps, fmax(ps->cap, 64.0));
    int runaway;
    long nreset = 0;
    long k = resolve(ps, &runaway, &nreset);
    if (fired) {
        memset(fired, 0, (size_t)ps->n * sizeof *fired);
        if (ps->p.model.convention == NLIF_CONVENTION_B)
            for (long j = 0; j < nreset; j++)
                fired[ps->reset[j].i] = ps->reset[j].fires;
        else
            for (long j = 0; j < ps->nf; j++)
                fired[ps->fired[j]] = 1;
    }
    *k_out = k;
    return runaway ? NLIF_PARTICLES_RUNAWAY : NLIF_PARTICLES_OK;
}
