/* run.c — the run driver; see nlif_run.h. */
#include "nlif_run.h"

#include "../case/nlif_limits.h"
#include "../../io/nlif_results.h"
#include "../host/nlif_solver_ext.h"
#include "../../io/nlif_resultfmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* The CPU seconds of a fixed piece of work (a forward-elimination sweep of the kind every grid scheme
 * does each step, 600 times over 1024 nodes), the best of three, taken once per process: the unit the
 * baselines measure a run's CPU seconds in, so that machines of different speed compare (check
 * baseline, MATHEMATICS.md §6). */
static volatile double calibration_sink;
static double calibration_seconds(void)
{
    static double best = -1;
    if (best >= 0)
        return best;
    best = INFINITY;
    for (int rep = 0; rep < 3; rep++) {
        double a[1024], c0 = cpu_now();
        for (int i = 0; i < 1024; i++)
            a[i] = 1.0 + 1e-3 * i;
        for (int r = 0; r < 600; r++)
            for (int i = 1; i < 1024; i++)
                a[i] = a[i] - 0.25 * a[i - 1] / (a[i] + 1.0) + 0.5;
        calibration_sink = a[1023]; /* the work is kept */
        best = fmin(best, cpu_now() - c0);
    }
    return best;
}

static double *copy(const double *x, int n)
{
    if (!x || n <= 0)
        return NULL;
    double *y = malloc(n * sizeof *y);
    if (y)
        memcpy(y, x, n * sizeof *y);
    return y;
}

static int take_snapshot(const nlif_scheme_type *st, void *state, double t, nlif_snapshot *s, nlif_error *err)
{
    nlif_profile pr;
    memset(&pr, 0, sizeof pr);
    if (st->profile(state, &pr))
        return nlif_fail(err, NLIF_ENUMERIC, "scheme %s could not give its profile at t = %g", st->name, t);
    memset(s, 0, sizeof *s);
    s->t = t;
    s->n = pr.n;
    s->v = copy(pr.v, pr.n);
    s->p = copy(pr.p, pr.n);
    s->n_atoms = pr.n_atoms;
    memcpy(s->atom_v, pr.atom_v, sizeof s->atom_v);
    memcpy(s->atom_mass, pr.atom_mass, sizeof s->atom_mass);
    s->nw = pr.nw;
    s->w = copy(pr.w, pr.nw);
    s->rho = copy(pr.rho, pr.nw);
    s->p_i = copy(pr.p_i, pr.n); /* two populations: I's density on the same nodes */
    if ((pr.n > 0 && (!s->v || !s->p || (pr.p_i && !s->p_i))) || (pr.nw > 0 && (!s->w || !s->rho)))
        return nlif_fail(err, NLIF_ENOMEM, "snapshot at t = %g", t);
    return NLIF_OK;
}

/* The interface contract (nlif_scheme.h): advance lands on t_end unless it sets a status. A scheme
 * that returns early and says ok has stopped without saying so: the run is failed, with the time. */
static void hold_to_contract(const nlif_scheme_type *st, nlif_trajectory *tr, double t_end)
{
    double t = tr->n ? tr->s[tr->n - 1].t : 0.0;
    if (tr->status == NLIF_STATUS_OK && !(fabs(t - t_end) <= 1e-9 * (1.0 + fabs(t_end))))
        nlif_traj_set_status(tr, NLIF_STATUS_FAILED, t,
                             "%s returned from advance at t = %.17g, not at t_end = %.17g, with status ok", st->name, t,
                             t_end);
}

/* Positivity is judged on what a scheme shows as well as on what it records (MATHEMATICS.md §6):
 * the minimum of every snapshot (cells and atoms) joins the trajectory's minimum density. */
static void note_snapshot_minimum(nlif_trajectory *tr, const nlif_snapshot *s)
{
    for (int i = 0; i < s->n; i++)
        if (s->p[i] < tr->min_density || isnan(s->p[i]))
            tr->min_density = s->p[i];
    for (int i = 0; s->p_i && i < s->n; i++)
        if (s->p_i[i] < tr->min_density || isnan(s->p_i[i]))
            tr->min_density = s->p_i[i];
    for (int a = 0; a < s->n_atoms; a++)
        if (s->atom_mass[a] < tr->min_density || isnan(s->atom_mass[a]))
            tr->min_density = s->atom_mass[a];
}

int nlif_run_scheme(const nlif_scheme_type *st, const nlif_case *cs, const nlif_optset *opt, nlif_run_result *res,
                    nlif_error *err)
{
    memset(res, 0, sizeof *res);
    nlif_traj_init(&res->traj);
    res->traj.max_samples = nlif_limits_step_budget(cs);
    const char *why = nlif_scheme_not_applicable(st, cs);
    if (why)
        return nlif_fail(err, NLIF_EINVAL, "scheme %s does not apply to case %s: %s", st->name, cs->name, why);
    /* A scheme receives the problem and the resolution, not what the case expects of it: its copy of
     * the case has no [expect] section and no [options] (those are resolved into opt). Bounds belong
     * to the case and the check (MATHEMATICS.md §6), and no scheme can read them. The copy lives as
     * long as the scheme's state. */
    nlif_case *problem = malloc(sizeof *problem);
    if (!problem)
        return nlif_fail(err, NLIF_ENOMEM, "%s on %s: out of memory", st->name, cs->name);
    *problem = *cs;
    memset(&problem->expect, 0, sizeof problem->expect);
    memset(problem->options, 0, sizeof problem->options);
    problem->n_options = 0;
    double c0 = cpu_now();
    void *state = NULL;
    int rc = st->alloc(&state, problem, opt, &res->traj, err);
    if (rc) {
        free(problem);
        nlif_error_prefix(err, "%s on %s", st->name, cs->name);
        return rc;
    }
    double times[NLIF_MAX_SNAPSHOTS + 1];
    int nt = 0;
    for (int i = 0; i < cs->run.n_snapshots; i++)
        times[nt++] = cs->run.snapshots[i];
    if (!nt || times[nt - 1] < cs->run.t_final)
        times[nt++] = cs->run.t_final;
    for (int i = 0; i < nt && !rc; i++) {
        if (times[i] > 0)
            rc = st->advance(state, times[i], err);
        if (rc && res->traj.budget_exhausted) /* a status (failed, with its time and cause), not an error */
            rc = NLIF_OK;
        if (!rc)
            hold_to_contract(st, &res->traj, times[i]);
        if (rc || res->traj.status != NLIF_STATUS_OK)
            break;
        rc = take_snapshot(st, state, times[i], &res->snap[res->n_snap], err);
        if (!rc) {
            note_snapshot_minimum(&res->traj, &res->snap[res->n_snap]);
            res->n_snap++;
        }
    }
    /* A stopped run keeps its last state as a final snapshot, so a blow-up can be looked at. */
    if (!rc && res->traj.status != NLIF_STATUS_OK && res->n_snap < NLIF_MAX_SNAPSHOTS + 1) {
        double t = res->traj.n ? res->traj.s[res->traj.n - 1].t : 0;
        if (take_snapshot(st, state, t, &res->snap[res->n_snap], NULL) == NLIF_OK)
            res->n_snap++;
    }
    st->free(state);
    free(problem);
    res->cpu_seconds = cpu_now() - c0;
    if (rc)
        nlif_error_prefix(err, "%s on %s", st->name, cs->name);
    return rc;
}

void nlif_run_result_free(nlif_run_result *res)
{
    for (int i = 0; i < res->n_snap; i++) {
        free(res->snap[i].v);
        free(res->snap[i].p);
        free(res->snap[i].w);
        free(res->snap[i].rho);
        free(res->snap[i].p_i);
    }
    res->n_snap = 0;
    nlif_traj_free(&res->traj);
}

double nlif_run_final_rate(const nlif_trajectory *tr)
{
    /* nlif_sample is five doubles: its t and rate are read in place, one sample (stride) apart */
    _Static_assert(sizeof(nlif_sample) == 5 * sizeof(double), "nlif_sample holds five doubles");
    return tr->n ? nlif_tail_mean(&tr->s[0].t, &tr->s[0].rate, tr->n, sizeof(nlif_sample) / sizeof(double)) : NAN;
}

json_t *nlif_run_summary(const nlif_scheme_type *st, const nlif_case *cs, const nlif_optset *opt,
                         const nlif_run_result *res)
{
    const nlif_trajectory *tr = &res->traj;
    json_t *mfe = json_array(), *events = json_array(), *stats = json_object();
    for (size_t i = 0; i < tr->n_ev; i++) {
        const nlif_event *e = &tr->ev[i];
        if (!strcmp(e->kind, "mfe"))
            json_array_append_new(mfe, json_pack("{s:f, s:f}", "t", e->t, "size", e->value));
        json_array_append_new(events, json_pack("{s:s, s:f, s:o}", "kind", e->kind, "t", e->t, "value",
                                                nlif_json_number(e->value)));
    }
    for (int i = 0; i < tr->n_stat; i++)
        json_object_set_new(stats, tr->stat[i].name, nlif_json_number(tr->stat[i].value));
    int stopped = tr->status != NLIF_STATUS_OK;
    double t_end = tr->n ? tr->s[tr->n - 1].t : 0;
    json_t *j = json_object();
    json_object_set_new(j, "case", json_string(cs->name));
    json_object_set_new(j, "scheme", json_string(st->name));
    json_object_set_new(j, "scheme_title", json_string(st->title));
    json_object_set_new(j, "reconstructs", json_string(st->source));
    json_object_set_new(j, "options", nlif_optset_json(opt));
    json_object_set_new(j, "choices", nlif_choices_json(cs, opt));
    json_object_set_new(j, "resolution", json_pack("{s:f, s:f, s:o}", "dv", cs->run.dv, "dt", cs->run.dt, "dw",
                                                   cs->structure.enabled ? json_real(cs->run.dw) : json_null()));
    json_object_set_new(j, "seed", (st->flags & NLIF_IS_RANDOM) ? json_integer((json_int_t)cs->run.seed) : json_null());
    json_object_set_new(j, "status", json_string(nlif_status_name(tr->status)));
    json_object_set_new(j, "cause", tr->cause[0] ? json_string(tr->cause) : json_null());
    json_object_set_new(j, "blowup_time", tr->status == NLIF_STATUS_BLOWUP ? nlif_json_number(tr->status_time) : json_null());
    json_object_set_new(j, "stop_time", stopped ? nlif_json_number(tr->status_time) : json_null());
    json_object_set_new(j, "t_final", json_real(cs->run.t_final));
    json_object_set_new(j, "t_end", json_real(t_end));
    /* the grid of the snapshot profiles (RESULTS.md): nodes in v, cells in w */
    int nv = res->n_snap ? res->snap[0].n : (int)lround((cs->model.v_f - cs->model.v_min) / cs->run.dv) + 1;
    int nw = res->n_snap ? res->snap[0].nw : 0;
    json_object_set_new(j, "grid", json_pack("{s:i, s:i}", "nv", nv, "nw", nw));
    json_object_set_new(j, "steps", json_integer((json_int_t)tr->n));
    json_object_set_new(j, "mass_drift", nlif_json_number(tr->mass_drift));
    json_object_set_new(j, "min_density", nlif_json_number(tr->min_density));
    json_object_set_new(j, "max_density", nlif_json_number(tr->max_density));
    json_object_set_new(j, "final_rate", nlif_json_number(nlif_run_final_rate(tr)));
    if (tr->s_i) /* two populations: I's final rate, as E's (MATHEMATICS.md §1.6) */
        json_object_set_new(j, "final_rate_i", nlif_json_number(nlif_tail_mean(&tr->s_i[0].t, &tr->s_i[0].rate, tr->n,
                                                                                 sizeof(nlif_sample) / sizeof(double))));
    json_object_set_new(j, "mfe", mfe);
    json_object_set_new(j, "events", events);
    json_object_set_new(j, "stats", stats);
    json_object_set_new(j, "cpu_seconds", json_real(res->cpu_seconds));
    json_object_set_new(j, "calibration_seconds", json_real(calibration_seconds()));
    json_t *prov = nlif_provenance_json(), *ext = nlif_solver_provenance(st);
    if (ext) /* an external solver: its manifest and command (harness/host/nlif_solver_ext.h) */
        json_object_set_new(prov, "solver", ext);
    json_object_set_new(j, "provenance", prov);
    json_object_set_new(j, "case_spec", nlif_case_json(cs));
    return j;
}

static json_t *meta_for_csv(const json_t *summary)
{
    json_t *m = json_object();
    static const char *const keys[] = {"case", "scheme", "reconstructs", "options", "choices", "resolution", "seed",
                                       "status", "provenance", "cpu_seconds", NULL};
    for (int i = 0; keys[i]; i++) {
        json_t *v = json_object_get(summary, keys[i]);
        if (v)
            json_object_set(m, keys[i], v);
    }
    return m;
}

int nlif_run_write(const char *dir, const char *stem, json_t *summary, const nlif_run_result *res, nlif_error *err)
{
    int rc = nlif_mkdir_p(dir, err);
    if (rc)
        return rc;
    nlif_rf_set set;
    if ((rc = nlif_rf_set_begin(&set, dir, stem, err)))
        return rc;
    json_t *meta = meta_for_csv(summary);
    FILE *f = nlif_rf_set_csv(&set, ".series.csv", err);
    if (!f)
        goto fail;
    nlif_csv_provenance(f, meta);
    nlif_rf_series_write(f, &res->traj);
    if (!(f = nlif_rf_set_csv(&set, ".snapshots.csv", err)))
        goto fail;
    nlif_csv_provenance(f, meta);
    fprintf(f, "# atoms (point masses): '# atom t v mass' lines; weight marginal rows have kind w\n");
    nlif_rf_snapshot_header(f, res->n_snap && res->snap[0].p_i); /* I's column density_i with two populations */
    for (int s = 0; s < res->n_snap; s++) {
        const nlif_snapshot *sn = &res->snap[s];
        for (int a = 0; a < sn->n_atoms; a++)
            fprintf(f, "# atom %.17g %.17g %.17g\n", sn->t, sn->atom_v[a], sn->atom_mass[a]);
        nlif_rf_snapshot_v_rows(f, sn->t, sn->n, sn->v, sn->p, res->snap[0].p_i ? sn->p_i : NULL);
        for (int i = 0; i < sn->nw; i++)
            fprintf(f, "w,%.17g,%.17g,%.17g\n", sn->t, sn->w[i], sn->rho[i]);
    }
    json_decref(meta);
    if ((rc = nlif_rf_set_json(&set, ".json", summary, err))) {
        nlif_rf_set_abort(&set);
        return rc;
    }
    return nlif_rf_set_commit(&set, err); /* the summary last */
fail:
    json_decref(meta);
    nlif_rf_set_abort(&set);
    return err && err->code ? err->code : NLIF_EIO;
}
