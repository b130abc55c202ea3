/* nlif_trajectory.c — recording of a run; see nlif_trajectory.h. */
#include "nlif_trajectory.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nlif_traj_init(nlif_trajectory *tr)
{
    memset(tr, 0, sizeof *tr);
    tr->min_density = INFINITY;
    tr->status = NLIF_STATUS_OK;
    tr->status_time = NAN;
}

void nlif_traj_free(nlif_trajectory *tr)
{
    free(tr->s);
    free(tr->ev);
    free(tr->refractory);
    free(tr->s_i);
    tr->s_i = NULL;
    tr->cap_i = 0;
    tr->s = NULL;
    tr->ev = NULL;
    tr->refractory = NULL;
    tr->n = tr->cap = tr->n_ev = tr->cap_ev = tr->cap_refractory = 0;
}

static int grow(void **p, size_t *cap, size_t elem)
{
    size_t nc = *cap ? 2 * *cap : 1024;
    void *q = realloc(*p, nc * elem);
    if (!q)
        return NLIF_ENOMEM;
    *p = q;
    *cap = nc;
    return NLIF_OK;
}

int nlif_traj_record(nlif_trajectory *tr, double t, double rate, double fired, double mass, double min_density)
{
    if (tr->max_samples && tr->n >= tr->max_samples) {
        if (!tr->budget_exhausted)
            nlif_traj_set_status(tr, NLIF_STATUS_FAILED, t, "step budget exhausted: %zu steps recorded by t = %.6g "
                                                            "(run.max_steps, run.max_memory)", tr->n, t);
        tr->budget_exhausted = 1;
        return NLIF_ENUMERIC;
    }
    if (tr->n == tr->cap && grow((void **)&tr->s, &tr->cap, sizeof *tr->s))
        return NLIF_ENOMEM;
    tr->s[tr->n++] = (nlif_sample){t, rate, fired, mass, min_density};
    if (tr->n == 1)
        tr->mass0 = mass;
    double d = fabs(mass - tr->mass0);
    if (d > tr->mass_drift || isnan(d))
        tr->mass_drift = d;
    if (min_density < tr->min_density || isnan(min_density))
        tr->min_density = min_density;
    return NLIF_OK;
}

int nlif_traj_record_refractory(nlif_trajectory *tr, double t, double rate, double fired, double mass,
                                double min_density, double refractory)
{
    int rc = nlif_traj_record(tr, t, rate, fired, mass, min_density);
    if (rc)
        return rc;
    if (tr->cap_refractory < tr->cap) { /* grown with the samples; samples recorded without R hold 0 */
        double *q = realloc(tr->refractory, tr->cap * sizeof *q);
        if (!q)
            return NLIF_ENOMEM;
        memset(q + tr->cap_refractory, 0, (tr->cap - tr->cap_refractory) * sizeof *q);
        tr->refractory = q;
        tr->cap_refractory = tr->cap;
    }
    tr->refractory[tr->n - 1] = refractory;
    return NLIF_OK;
}

int nlif_traj_record_populations(nlif_trajectory *tr, double t, double rate_e, double fired_e, double mass_e,
                                 double min_e, nlif_sample si)
{
    int rc = nlif_traj_record(tr, t, rate_e, fired_e, mass_e, min_e);
    if (rc)
        return rc;
    if (tr->cap_i < tr->cap) { /* grown with the samples */
        nlif_sample *q = realloc(tr->s_i, tr->cap * sizeof *q);
        if (!q)
            return NLIF_ENOMEM;
        memset(q + tr->cap_i, 0, (tr->cap - tr->cap_i) * sizeof *q);
        tr->s_i = q;
        tr->cap_i = tr->cap;
    }
    si.t = t;
    tr->s_i[tr->n - 1] = si;
    if (tr->n == 1)
        tr->mass0_i = si.mass;
    double d = fabs(si.mass - tr->mass0_i); /* the drift and the minimum over both populations */
    if (d > tr->mass_drift || isnan(d))
        tr->mass_drift = d;
    if (si.min_density < tr->min_density || isnan(si.min_density))
        tr->min_density = si.min_density;
    return NLIF_OK;
}

void nlif_traj_note_max(nlif_trajectory *tr, double max_density)
{
    if (max_density > tr->max_density)
        tr->max_density = max_density;
}

int nlif_traj_event(nlif_trajectory *tr, const char *kind, double t, double value)
{
    if (tr->n_ev == tr->cap_ev && grow((void **)&tr->ev, &tr->cap_ev, sizeof *tr->ev))
        return NLIF_ENOMEM;
    nlif_event *e = &tr->ev[tr->n_ev++];
    snprintf(e->kind, sizeof e->kind, "%s", kind);
    e->t = t;
    e->value = value;
    return NLIF_OK;
}

int nlif_traj_mfe(nlif_trajectory *tr, double t, double size) { return nlif_traj_event(tr, "mfe", t, size); }

int nlif_traj_stat(nlif_trajectory *tr, const char *name, double value)
{
    for (int i = 0; i < tr->n_stat; i++)
        if (strcmp(tr->stat[i].name, name) == 0) {
            tr->stat[i].value = value;
            return NLIF_OK;
        }
    if (tr->n_stat == NLIF_MAX_STATS)
        return NLIF_ENOMEM;
    snprintf(tr->stat[tr->n_stat].name, sizeof tr->stat[0].name, "%s", name);
    tr->stat[tr->n_stat++].value = value;
    return NLIF_OK;
}

double nlif_traj_get_stat(const nlif_trajectory *tr, const char *name)
{
    for (int i = 0; i < tr->n_stat; i++)
        if (strcmp(tr->stat[i].name, name) == 0)
            return tr->stat[i].value;
    return NAN;
}

void nlif_traj_set_status(nlif_trajectory *tr, nlif_status st, double t, const char *fmt, ...)
{
    tr->status = st;
    tr->status_time = t;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tr->cause, sizeof tr->cause, fmt, ap);
    va_end(ap);
}

const char *nlif_status_name(nlif_status st)
{
    static const char *names[] = {"ok", "blowup", "runaway", "failed"};
    return names[st];
}

size_t nlif_traj_count_events(const nlif_trajectory *tr, const char *kind)
{
    size_t c = 0;
    for (size_t i = 0; i < tr->n_ev; i++)
        c += strcmp(tr->ev[i].kind, kind) == 0;
    return c;
}

double nlif_tail_mean(const double *t, const double *y, size_t n, size_t stride)
{
    if (!n)
        return NAN;
    double t_end = t[(n - 1) * stride], t_start = 0.9 * t_end, area = 0, span = 0;
    for (size_t i = 1; i < n; i++) {
        double a = t[(i - 1) * stride], b = t[i * stride];
        if (b <= t_start || b <= a)
            continue;
        double a2 = a < t_start ? t_start : a;
        area += 0.5 * (y[(i - 1) * stride] + y[i * stride]) * (b - a2);
        span += b - a2;
    }
    return span > 0 ? area / span : y[(n - 1) * stride];
}
