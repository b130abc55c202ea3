/* solver_ext.c — the problem JSON (SOLVERS.md, "The problem") and the scheme of an external solver:
 * alloc runs the program once (solver_run.c) in a fresh private folder, reads its result set with the
 * one reader (io/nlif_resultfmt.h), checks it against the problem, and advance/profile then
 * replay it to the harness as a built-in scheme's run. */
#include "nlif_solver_impl.h"

#include "../../io/nlif_results.h"
#include "../../exact/nlif_density.h"
#include "../../exact/nlif_exact.h"
#include "../../io/nlif_resultfmt.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

json_t *nlif_problem_json(const nlif_case *cs, const nlif_optset *opt, const char *out_dir, const char *stem,
                          double timeout_seconds, double max_output_bytes, nlif_error *err)
{
    const nlif_model *m = &cs->model;
    int n, r;
    if (nlif_grid_nodes(m, cs->run.dv, &n, &r))
        return nlif_fail(err, NLIF_EINVAL, "case %s: V_R and V_F are not nodes of the grid dv = %g", cs->name,
                         cs->run.dv),
               NULL;
    int nv = n + 1;
    double *p = calloc(2 * (size_t)nv, sizeof *p), *v = p + nv;
    if (!p)
        return nlif_fail(err, NLIF_ENOMEM, "problem of %s: %d grid nodes", cs->name, nv), NULL;
    if (nlif_initial_project(cs, cs->run.dv, n, p, err)) {
        free(p);
        nlif_error_prefix(err, "problem of %s: initial density", cs->name);
        return NULL;
    }
    nlif_grid_fill(m, cs->run.dv, n, r, v);
    json_t *nodes = json_array(), *dens = json_array(), *snaps = json_array();
    for (int i = 0; i < nv; i++) {
        json_array_append_new(nodes, json_real(v[i]));
        json_array_append_new(dens, json_real(p[i]));
    }
    free(p);
    for (int i = 0; i < cs->run.n_snapshots; i++)
        json_array_append_new(snaps, json_real(cs->run.snapshots[i]));
    json_t *spec = nlif_case_json(cs); /* the case's model, input, structure and initial law, once */
    json_t *initial = json_deep_copy(json_object_get(spec, "initial"));
    json_object_set_new(initial, "density", dens);
    if (m->populations == 2) { /* population I's initial density on the same nodes (MATHEMATICS.md §1.6) */
        double *q = calloc((size_t)nv, sizeof *q);
        json_t *di = json_array();
        if (!q || nlif_population_project(cs, 1, cs->run.dv, n, q, err)) {
            free(q), json_decref(di), json_decref(spec), json_decref(initial);
            return nlif_fail(err, NLIF_EINVAL, "problem of %s: population I's initial density", cs->name), NULL;
        }
        for (int i = 0; i < nv; i++)
            json_array_append_new(di, json_real(q[i]));
        free(q);
        json_object_set_new(initial, "density_i", di);
    }
    json_object_set_new(initial, "atoms", json_array());
    double r0 = 0.0; /* the refractory mass at t = 0 (MATHEMATICS.md §1.5), always stated; density holds 1 − R(0) */
    if (nlif_initial_refractory(cs, &r0, err)) {
        json_decref(spec);
        json_decref(initial);
        return NULL;
    }
    json_object_set_new(initial, "refractory", json_real(r0));
    json_t *structure = json_null();
    if (cs->structure.enabled) {
        structure = json_deep_copy(json_object_get(spec, "structure"));
        json_object_set_new(structure, "dw", json_real(cs->run.dw));
        json_object_set_new(structure, "nw",
                            json_integer(lround((cs->structure.w_max - cs->structure.w_min) / cs->run.dw)));
    }
    json_t *j = json_object();
    json_object_set_new(j, "format", json_string(NLIF_PROBLEM_FORMAT));
    json_object_set_new(j, "format_version", json_integer(NLIF_PROBLEM_VERSION));
    json_object_set_new(j, "case", json_string(cs->name));
    json_object_set(j, "description", json_object_get(spec, "description"));
    json_object_set(j, "tags", json_object_get(spec, "tags"));
    json_t *model = json_deep_copy(json_object_get(spec, "model"));
    /* the delay always, 0 for none: a solver reads one layout (SOLVERS.md, "The problem") */
    json_object_set_new(model, "delay", json_real(m->delay));
    json_object_set_new(model, "delay_history", json_real(m->delay_history));
    json_object_set_new(model, "tau_ref", json_real(m->tau_ref)); /* 0: no refractory state */
    json_object_set_new(j, "model", model);
    /* two populations: I's parameters and couplings (null for one population; SOLVERS.md, "The problem") */
    json_object_set(j, "population_i", m->populations == 2 ? json_object_get(spec, "population_i") : json_null());
    json_object_set(j, "input", json_object_get(spec, "input"));
    json_object_set_new(j, "structure", structure);
    json_object_set_new(j, "grid", json_pack("{s:f, s:f, s:f, s:f, s:i, s:i, s:o}", "v_min", m->v_min, "v_f", m->v_f,
                                             "v_r", m->v_r, "dv", cs->run.dv, "nv", nv, "i_r", r, "nodes", nodes));
    json_object_set_new(j, "dt", json_real(cs->run.dt));
    json_object_set_new(j, "dw", cs->structure.enabled ? json_real(cs->run.dw) : json_null());
    json_object_set_new(j, "t_final", json_real(cs->run.t_final));
    json_object_set_new(j, "snapshots", snaps);
    json_object_set_new(j, "seed", json_integer((json_int_t)cs->run.seed));
    json_object_set_new(j, "options", opt ? nlif_optset_json(opt) : json_object());
    json_object_set_new(j, "initial", initial);
    json_object_set_new(j, "output", json_pack("{s:s, s:s}", "dir", out_dir, "stem", stem));
    const nlif_solver *sv = nlif_solver_of(opt ? opt->spec : NULL); /* its other limits; else the defaults */
    json_object_set_new(j, "limits", json_pack("{s:f, s:I, s:I, s:f, s:I}", "timeout_seconds", timeout_seconds,
                                               "max_output_bytes", (json_int_t)max_output_bytes, "max_cpu_seconds",
                                               (json_int_t)(sv ? sv->max_cpu : 600), "max_memory_mb",
                                               sv ? sv->max_mem_mb : 4096.0, "max_processes",
                                               (json_int_t)(sv ? sv->max_procs : 64)));
    json_decref(spec);
    return j;
}

int nlif_problem_dump(FILE *f, const json_t *problem, nlif_error *err)
{
    if (json_dumpf(problem, f, JSON_INDENT(2) | JSON_REAL_PRECISION(17)) || fputc('\n', f) == EOF)
        return nlif_fail(err, NLIF_EIO, "cannot write the problem JSON: %s", strerror(errno));
    return NLIF_OK;
}

/* ------------------------------------------------------------------------------------------------ */
/* The scheme: run once in alloc, then replay. */

typedef struct ext_state {
    const nlif_solver *sv;
    nlif_trajectory *traj;
    nlif_rf_run rr;
    size_t next_row;   /* the next series row to record */
    size_t next_mfe, next_ev;
    int n_snap;
    double snap_t[NLIF_RF_MAX_SNAPSHOTS];
    size_t snap_row[NLIF_RF_MAX_SNAPSHOTS]; /* the first row of each snapshot */
    int cur;           /* the snapshot profile() gives, −1 none */
    nlif_status status;
    double stop_time;
    char cause[256];
    double *v, *p, *w, *rho, *p_i;
} ext_state;

static int near(double a, double b) { return fabs(a - b) <= 1e-9 * (1 + fabs(b)); }

static void ext_free(void *state)
{
    ext_state *s = state;
    if (!s)
        return;
    nlif_rf_run_free(&s->rr);
    free(s->v), free(s->p), free(s->w), free(s->rho), free(s->p_i);
    free(s);
}

/* The checks of the result set against the problem that the reader cannot know. */
static int check_against_problem(ext_state *s, const nlif_case *cs, int nv, int nw, const double *nodes,
                                 const char *json_path, nlif_error *err)
{
    nlif_rf_run *r = &s->rr;
    const char *cname = json_string_value(json_object_get(r->summary, "case"));
    if (strcmp(cname, cs->name))
        return nlif_fail(err, NLIF_ENUMERIC, "%s:1: case \"%s\"; the problem is case \"%s\"", json_path, cname, cs->name);
    if (r->nv != nv || r->nw != nw)
        return nlif_fail(err, NLIF_ENUMERIC, "%s:1: grid nv = %d, nw = %d; the problem's grid has nv = %d, nw = %d",
                         json_path, r->nv, r->nw, nv, nw);
    if (!near(r->t_final, cs->run.t_final))
        return nlif_fail(err, NLIF_ENUMERIC, "%s:1: t_final = %.17g; the problem's t_final is %.17g", json_path,
                         r->t_final, cs->run.t_final);
    /* two populations (MATHEMATICS.md §1.6): I's columns, which a solver of the protocol before them lacks */
    if (cs->model.populations == 2) {
        static const char *const cols[] = {"rate_i", "fired_i", "mass_i", "min_density_i"};
        for (int k = 0; k < 4; k++)
            if (nlif_rf_col(&r->series, cols[k]) < 0)
                return nlif_fail(err, NLIF_ENUMERIC, "%s: no column %s: the case has two populations E and I, and the "
                                 "series must carry I's rate_i, fired_i, mass_i, min_density_i (a solver of the protocol "
                                 "before populations, or one that declares capability populations without writing "
                                 "them; SOLVERS.md)", r->series.path, cols[k]);
        if (nlif_rf_col(&r->snapshots, "density_i") < 0)
            return nlif_fail(err, NLIF_ENUMERIC, "%s: no column density_i: the case has two populations, and every "
                             "snapshot must carry I's density (SOLVERS.md)", r->snapshots.path);
    }
    /* the snapshot times: the requested ones up to t_end, and t_end (the final state) */
    const nlif_rf_table *t = &r->snapshots;
    size_t w = (size_t)t->ncol;
    double want[NLIF_MAX_SNAPSHOTS + 1];
    int n_want = 0;
    for (int i = 0; i < cs->run.n_snapshots; i++)
        if (cs->run.snapshots[i] <= r->t_end * (1 + 1e-9) + 1e-12 && !near(cs->run.snapshots[i], r->t_end))
            want[n_want++] = cs->run.snapshots[i];
    want[n_want++] = r->t_end;
    for (size_t i = 0; i < t->nrow;) {
        double ts = t->x[i * w + 1];
        if (s->n_snap == n_want || !near(ts, want[s->n_snap]))
            return nlif_fail(err, NLIF_ENUMERIC, "%s:%d: a snapshot at t = %.17g; expected %s%.17g (the problem's "
                                                 "snapshot times up to t_end, then the final state at t_end)",
                             t->path, t->line[i], ts, s->n_snap == n_want ? "none after t = " : "t = ",
                             want[s->n_snap == n_want ? n_want - 1 : s->n_snap]);
        s->snap_t[s->n_snap] = want[s->n_snap];
        s->snap_row[s->n_snap++] = i;
        int k = 0;
        for (; i < t->nrow && t->x[i * w + 1] == ts; i++)
            if (t->x[i * w] == 'v') {
                if (fabs(t->x[i * w + 2] - nodes[k]) > 1e-9 * (1 + fabs(nodes[k])))
                    return nlif_fail(err, NLIF_ENUMERIC, "%s:%d: x = %.17g; the problem's node %d is %.17g", t->path,
                                     t->line[i], t->x[i * w + 2], k, nodes[k]);
                k++;
            }
    }
    if (s->n_snap < n_want)
        return nlif_fail(err, NLIF_ENUMERIC, "%s: no snapshot at t = %.17g (the problem asks for one)", t->path,
                         want[s->n_snap]);
    /* the series: from t = 0, with a row at every snapshot time (the steps land on them) */
    const nlif_rf_table *se = &r->series;
    if (se->x[0] != 0)
        return nlif_fail(err, NLIF_ENUMERIC, "%s:%d: the series starts at t = %.17g, not at 0", se->path, se->line[0],
                         se->x[0]);
    size_t row = 0;
    for (int k = 0; k < s->n_snap; k++) {
        while (row < se->nrow && se->x[row * se->ncol] < s->snap_t[k] && !near(se->x[row * se->ncol], s->snap_t[k]))
            row++;
        if (row == se->nrow || !near(se->x[row * se->ncol], s->snap_t[k]))
            return nlif_fail(err, NLIF_ENUMERIC, "%s: no row at the snapshot time t = %.17g (the steps must land on "
                                                 "every snapshot time)",
                             se->path, s->snap_t[k]);
    }
    return NLIF_OK;
}

static nlif_status status_of(const char *s)
{
    return !strcmp(s, "blowup") ? NLIF_STATUS_BLOWUP : !strcmp(s, "runaway") ? NLIF_STATUS_RUNAWAY
           : !strcmp(s, "failed")                     ? NLIF_STATUS_FAILED
                                                      : NLIF_STATUS_OK;
}

static int solve(ext_state *s, const nlif_case *cs, const nlif_optset *opt, const char *tmp, nlif_error *err)
{
    const nlif_solver *sv = s->sv;
    char problem[PATH_MAX + 32], out[PATH_MAX + 8], log[PATH_MAX + 8], stem[2 * NLIF_NAME_MAX + 2];
    snprintf(problem, sizeof problem, "%s/problem.json", tmp);
    snprintf(out, sizeof out, "%s/out", tmp);
    snprintf(log, sizeof log, "%s/log", tmp);
    snprintf(stem, sizeof stem, "%s.%s", cs->name, sv->name);
    if (mkdir(out, 0700) || mkdir(log, 0700))
        return nlif_fail(err, NLIF_EIO, "solver %s: cannot make folders in %s: %s", sv->name, tmp, strerror(errno));
    json_t *pj = nlif_problem_json(cs, opt, out, stem, sv->timeout, nlif_solver_max_bytes(sv), err);
    if (!pj)
        return err ? err->code : NLIF_EINVAL;
    FILE *f = fopen(problem, "w");
    int rc = f ? nlif_problem_dump(f, pj, err) : nlif_fail(err, NLIF_EIO, "cannot write %s: %s", problem, strerror(errno));
    if (f && fclose(f) && !rc)
        rc = nlif_fail(err, NLIF_EIO, "cannot write %s", problem);
    json_t *jn = json_object_get(json_object_get(pj, "grid"), "nodes");
    int nv = (int)json_array_size(jn);
    int nw = cs->structure.enabled ? (int)json_integer_value(json_object_get(json_object_get(pj, "structure"), "nw")) : 0;
    double *nodes = malloc((size_t)nv * sizeof *nodes);
    if (!rc && !nodes)
        rc = nlif_fail(err, NLIF_ENOMEM, "solver %s: %d nodes", sv->name, nv);
    for (int i = 0; !rc && i < nv; i++)
        nodes[i] = json_real_value(json_array_get(jn, (size_t)i));
    json_decref(pj);
    double wall = 0, cpu = 0;
    if (!rc)
        rc = nlif_solver_exec(sv, problem, out, log, stem, &wall, &cpu, err);
    char json_path[PATH_MAX + 2 * NLIF_NAME_MAX + 16];
    snprintf(json_path, sizeof json_path, "%s/%s.json", out, stem);
    if (!rc && nlif_rf_run_read(json_path, &s->rr, err)) {
        nlif_error_prefix(err, "solver %s: result set refused", sv->name);
        rc = err ? (err->code = NLIF_ENUMERIC) : NLIF_ENUMERIC;
    } else if (!rc && (rc = check_against_problem(s, cs, nv, nw, nodes, json_path, err)))
        nlif_error_prefix(err, "solver %s: result set refused", sv->name);
    free(nodes);
    if (rc)
        return rc;
    nlif_traj_stat(s->traj, "solver_wall_seconds", wall);
    nlif_traj_stat(s->traj, "solver_cpu_seconds", cpu);
    return NLIF_OK;
}

static int ext_advance(void *state, double t_end, nlif_error *err);

static int ext_alloc(void **state, const nlif_case *cs, const nlif_optset *opt, nlif_trajectory *traj,
                     nlif_error *err)
{
    *state = NULL;
    const nlif_solver *sv = nlif_solver_of(opt ? opt->spec : NULL);
    if (!sv)
        return nlif_fail(err, NLIF_EINVAL, "an external solver's options are not its own (a programming error)");
    ext_state *s = calloc(1, sizeof *s);
    if (!s)
        return nlif_fail(err, NLIF_ENOMEM, "solver %s: out of memory", sv->name);
    s->sv = sv;
    s->traj = traj;
    s->cur = -1;
    const char *base = getenv("TMPDIR");
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/nlif-solver-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmp)) {
        int e = errno;
        free(s);
        return nlif_fail(err, NLIF_EIO, "solver %s: cannot make a private folder %s: %s", sv->name, tmp, strerror(e));
    }
    int rc = solve(s, cs, opt, tmp, err);
    const char *keep = getenv("NLIF_SOLVER_KEEP");
    if (keep && !strcmp(keep, "1"))
        fprintf(stderr, "nlif: solver %s: kept its folder %s (NLIF_SOLVER_KEEP=1)\n", sv->name, tmp);
    else
        nlif_solver_remove_tree(tmp);
    if (rc) {
        ext_free(s);
        return rc;
    }
    const json_t *sum = s->rr.summary;
    s->status = status_of(s->rr.status);
    s->stop_time = s->rr.t_end;
    json_t *stop = json_object_get(sum, s->status == NLIF_STATUS_BLOWUP ? "blowup_time" : "stop_time");
    if (s->status != NLIF_STATUS_OK && json_is_number(stop))
        s->stop_time = json_number_value(stop);
    const char *cause = json_string_value(json_object_get(sum, "cause"));
    snprintf(s->cause, sizeof s->cause, "%s", cause ? cause : "");
    json_t *stats = json_object_get(sum, "stats"), *x;
    const char *key;
    json_object_foreach(stats, key, x)
    {
        /* "claimed_*" is nlif's (below); three places stay free for it */
        if (json_is_number(x) && strncmp(key, "claimed_", 8) && traj->n_stat < NLIF_MAX_STATS - 3)
            nlif_traj_stat(traj, key, json_number_value(x));
    }
    /* nlif writes the run's summary anew from the series; what the solver claimed in its own is kept,
     * so that the judge holds it against the data (check consistent; RESULTS.md, what is judged) */
    static const char *const claimed[] = {"final_rate", "mass_drift", "min_density"};
    for (int k = 0; k < 3; k++) {
        char name[48];
        snprintf(name, sizeof name, "claimed_%s", claimed[k]);
        x = json_object_get(sum, claimed[k]);
        if (json_is_number(x))
            nlif_traj_stat(traj, name, json_number_value(x));
    }
    x = json_object_get(sum, "max_density");
    if (json_is_number(x))
        nlif_traj_note_max(traj, json_number_value(x));
    size_t nv = (size_t)s->rr.nv, nw = (size_t)s->rr.nw;
    s->v = malloc(nv * sizeof *s->v);
    s->p = malloc(nv * sizeof *s->p);
    s->w = malloc((nw ? nw : 1) * sizeof *s->w);
    s->rho = malloc((nw ? nw : 1) * sizeof *s->rho);
    s->p_i = malloc(nv * sizeof *s->p_i);
    if (!s->v || !s->p || !s->w || !s->rho || !s->p_i) {
        ext_free(s);
        return nlif_fail(err, NLIF_ENOMEM, "solver %s: profiles of %zu nodes", sv->name, nv);
    }
    *state = s;
    return ext_advance(s, 0, err); /* the t = 0 sample */
}

/* Record the series rows up to t (and the events up to t). */
static int replay_to(ext_state *s, double t)
{
    const nlif_rf_table *se = &s->rr.series;
    for (; s->next_row < se->nrow; s->next_row++) {
        const double *row = se->x + s->next_row * se->ncol;
        if (row[0] > t && !near(row[0], t))
            break;
        int Rc = nlif_rf_col(se, "R"), ic = nlif_rf_col(se, "rate_i"), rc;
        if (ic >= 0 && nlif_rf_col(se, "min_density_i") == ic + 3) /* two populations: I's four columns */
            rc = nlif_traj_record_populations(s->traj, row[0], row[1], row[2], row[3], row[4],
                                              (nlif_sample){0, row[ic], row[ic + 1], row[ic + 2], row[ic + 3]});
        else
            rc = Rc >= 0 ? nlif_traj_record_refractory(s->traj, row[0], row[1], row[2], row[3], row[4], row[Rc])
                         : nlif_traj_record(s->traj, row[0], row[1], row[2], row[3], row[4]);
        if (rc)
            return rc;
    }
    json_t *mfe = json_object_get(s->rr.summary, "mfe"), *ev = json_object_get(s->rr.summary, "events");
    for (; s->next_mfe < json_array_size(mfe); s->next_mfe++) {
        json_t *e = json_array_get(mfe, s->next_mfe);
        double te = json_number_value(json_object_get(e, "t"));
        if (te > t && !near(te, t))
            break;
        nlif_traj_mfe(s->traj, te, json_number_value(json_object_get(e, "size")));
    }
    for (; s->next_ev < json_array_size(ev); s->next_ev++) {
        json_t *e = json_array_get(ev, s->next_ev);
        const char *kind = json_string_value(json_object_get(e, "kind"));
        double te = json_number_value(json_object_get(e, "t"));
        if (!json_is_number(json_object_get(e, "t")) || (te > t && !near(te, t)))
            break;
        if (kind && strcmp(kind, "mfe"))
            nlif_traj_event(s->traj, kind, te, json_number_value(json_object_get(e, "value")));
    }
    return NLIF_OK;
}

static int ext_advance(void *state, double t_end, nlif_error *err)
{
    ext_state *s = state;
    if (s->status != NLIF_STATUS_OK && t_end > s->rr.t_end && !near(t_end, s->rr.t_end)) {
        int rc = replay_to(s, INFINITY);
        s->cur = s->n_snap - 1;
        nlif_traj_set_status(s->traj, s->status, s->stop_time, "%s", s->cause[0] ? s->cause : "(no cause given)");
        return rc == NLIF_ENUMERIC && s->traj->budget_exhausted ? NLIF_OK : rc;
    }
    int k = 0;
    while (k < s->n_snap && !near(s->snap_t[k], t_end))
        k++;
    if (k == s->n_snap && t_end != 0)
        return nlif_fail(err, NLIF_ENUMERIC, "solver %s: asked for t = %.17g, which is not among the times of its "
                                             "result set",
                         s->sv->name, t_end);
    s->cur = k < s->n_snap ? k : -1;
    int rc = replay_to(s, t_end);
    if (rc && !s->traj->budget_exhausted)
        return nlif_fail(err, rc, "solver %s: replaying its series", s->sv->name);
    return rc;
}

static int ext_profile(void *state, nlif_profile *out)
{
    ext_state *s = state;
    memset(out, 0, sizeof *out);
    if (s->cur < 0)
        return NLIF_EINVAL;
    const nlif_rf_table *t = &s->rr.snapshots;
    size_t w = (size_t)t->ncol;
    int dic = nlif_rf_col(t, "density_i");
    double ts = t->x[s->snap_row[s->cur] * w + 1];
    int nv = 0, nw = 0;
    for (size_t i = s->snap_row[s->cur]; i < t->nrow && t->x[i * w + 1] == ts; i++) {
        const double *row = t->x + i * w;
        if (row[0] == 'v' && nv < s->rr.nv) {
            s->v[nv] = row[2];
            if (dic >= 0)
                s->p_i[nv] = row[dic];
            s->p[nv++] = row[3];
        } else if (row[0] == 'w' && nw < s->rr.nw) {
            s->w[nw] = row[2];
            s->rho[nw++] = row[3];
        }
    }
    out->t = s->snap_t[s->cur];
    out->n = nv;
    out->v = s->v;
    out->p = s->p;
    out->p_i = dic >= 0 ? s->p_i : NULL;
    out->nw = nw;
    out->w = nw ? s->w : NULL;
    out->rho = nw ? s->rho : NULL;
    for (int a = 0; a < t->n_atoms && out->n_atoms < NLIF_PROFILE_MAX_ATOMS; a++)
        if (t->atoms[a].t == ts) {
            out->atom_v[out->n_atoms] = t->atoms[a].v;
            out->atom_mass[out->n_atoms++] = t->atoms[a].mass;
        }
    return NLIF_OK;
}


void nlif_solver_scheme_fill(nlif_scheme_type *type)
{
    type->alloc = ext_alloc;
    type->advance = ext_advance;
    type->profile = ext_profile;
    type->free = ext_free;
}
