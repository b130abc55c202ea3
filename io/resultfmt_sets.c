/* resultfmt_sets.c — the result format's readers of whole result sets (nlif_resultfmt.h, RESULTS.md):
 * a run (summary, series, snapshots: the fields, the grid, t_final reached or a status saying why not,
 * times that never decrease, profile lengths), a Monte Carlo reference and a convergence study, each
 * checked against the others' run ids. The single files are read by resultfmt_read.c. */
#include "nlif_resultfmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- a run's summary ---- */

static int need_num(const char *path, const json_t *o, const char *key, int nullable, double *x, nlif_error *err)
{
    json_t *v = json_object_get(o, key);
    *x = NAN;
    if (json_is_number(v)) {
        *x = json_number_value(v);
        return NLIF_OK;
    }
    if (nullable && json_is_null(v))
        return NLIF_OK;
    return nlif_fail(err, NLIF_EINVAL, "%s:1: \"%s\" %s (a number%s; RESULTS.md)", path, key,
                     v ? "is not a number" : "is missing", nullable ? " or null" : "");
}

static const char *const statuses[] = {"ok", "blowup", "runaway", "failed", NULL};

static int check_summary(const char *path, json_t *j, nlif_rf_run *r, nlif_error *err)
{
    static const char *const strs[] = {"case", "scheme", "status", NULL};
    for (int k = 0; strs[k]; k++) {
        const char *s = json_string_value(json_object_get(j, strs[k]));
        if (!s || !*s)
            return nlif_fail(err, NLIF_EINVAL, "%s:1: \"%s\" missing or not a non-empty string (RESULTS.md)", path,
                             strs[k]);
    }
    const char *status = json_string_value(json_object_get(j, "status"));
    int known = 0;
    for (int k = 0; statuses[k]; k++)
        known |= !strcmp(status, statuses[k]);
    if (!known)
        return nlif_fail(err, NLIF_EINVAL, "%s:1: status \"%s\" (allowed: ok, blowup, runaway, failed)", path, status);
    snprintf(r->status, sizeof r->status, "%s", status);
    double x;
    int rc;
    if ((rc = need_num(path, j, "t_final", 0, &r->t_final, err)) || (rc = need_num(path, j, "t_end", 0, &r->t_end, err)))
        return rc;
    if (!(r->t_final > 0) || !(r->t_end >= 0))
        return nlif_fail(err, NLIF_EINVAL, "%s:1: t_final = %g and t_end = %g (need t_final > 0, t_end >= 0)", path,
                         r->t_final, r->t_end);
    static const char *const measures[] = {"mass_drift", "min_density", "final_rate", NULL};
    for (int k = 0; measures[k]; k++)
        if ((rc = need_num(path, j, measures[k], 1, &x, err)))
            return rc;
    json_t *grid = json_object_get(j, "grid");
    json_t *nv = json_object_get(grid, "nv"), *nw = json_object_get(grid, "nw");
    if (!json_is_object(grid) || !json_is_integer(nv) || !json_is_integer(nw))
        return nlif_fail(err, NLIF_EINVAL, "%s:1: \"grid\" must be {\"nv\": integer, \"nw\": integer} (RESULTS.md)",
                         path);
    if (json_integer_value(nv) < 2 || json_integer_value(nv) > NLIF_RF_MAX_GRID || json_integer_value(nw) < 0 ||
        json_integer_value(nw) > NLIF_RF_MAX_GRID)
        return nlif_fail(err, NLIF_EINVAL, "%s:1: grid nv = %lld, nw = %lld (allowed: 2 <= nv <= %d, 0 <= nw <= %d)",
                         path, (long long)json_integer_value(nv), (long long)json_integer_value(nw), NLIF_RF_MAX_GRID,
                         NLIF_RF_MAX_GRID);
    r->nv = (int)json_integer_value(nv);
    r->nw = (int)json_integer_value(nw);
    double reach = r->t_final * (1 - 1e-9);
    if (!strcmp(status, "ok") && r->t_end < reach)
        return nlif_fail(err, NLIF_EINVAL,
                         "%s:1: status ok but t_end = %.17g < t_final = %.17g (a run that stops early must say why: "
                         "status blowup, runaway or failed)",
                         path, r->t_end, r->t_final);
    if (strcmp(status, "ok")) {
        if ((rc = need_num(path, j, "stop_time", 0, &x, err)))
            return rc;
        const char *cause = json_string_value(json_object_get(j, "cause"));
        if (!strcmp(status, "blowup") && (rc = need_num(path, j, "blowup_time", 0, &x, err)))
            return rc;
        if (!strcmp(status, "failed") && (!cause || !*cause))
            return nlif_fail(err, NLIF_EINVAL, "%s:1: status failed without a \"cause\" (a non-empty string)", path);
    }
    json_t *mfe = json_object_get(j, "mfe"), *e;
    size_t i;
    if (mfe && !json_is_array(mfe))
        return nlif_fail(err, NLIF_EINVAL, "%s:1: \"mfe\" must be an array of {\"t\", \"size\"}", path);
    double prev = -INFINITY;
    json_array_foreach(mfe, i, e)
    {
        double t, s;
        char what[32];
        snprintf(what, sizeof what, "mfe[%zu]", i);
        if ((rc = need_num(path, e, "t", 0, &t, err)) || (rc = need_num(path, e, "size", 0, &s, err))) {
            nlif_error_prefix(err, "%s", what);
            return rc;
        }
        if (t < prev)
            return nlif_fail(err, NLIF_EINVAL, "%s:1: mfe[%zu].t = %g before the previous MFE (%g)", path, i, t, prev);
        prev = t;
    }
    return NLIF_OK;
}

void nlif_rf_run_free(nlif_rf_run *r)
{
    json_decref(r->summary);
    nlif_rf_table_free(&r->series);
    nlif_rf_table_free(&r->snapshots);
    memset(r, 0, sizeof *r);
}

static int check_series(nlif_rf_run *r, nlif_error *err)
{
    const nlif_rf_table *t = &r->series;
    if (t->nrow < 1)
        return nlif_fail(err, NLIF_EINVAL, "%s: no rows (RESULTS.md: one row per step, from t = 0)", t->path);
    int rc = nlif_rf_check_increasing(t, 0, 0, err);
    if (rc)
        return rc;
    if (t->x[0] < 0)
        return nlif_fail(err, NLIF_EINVAL, "%s:%d: t = %g < 0", t->path, t->line[0], t->x[0]);
    double last = t->x[(t->nrow - 1) * t->ncol];
    if (!strcmp(r->status, "ok") && last < r->t_final * (1 - 1e-9))
        return nlif_fail(err, NLIF_EINVAL,
                         "%s:%d: the series ends at t = %.17g before t_final = %.17g and the status is ok (a run that "
                         "stops early must say why: status blowup, runaway or failed)",
                         t->path, t->line[t->nrow - 1], last, r->t_final);
    if (last > r->t_end * (1 + 1e-9) + 1e-12)
        return nlif_fail(err, NLIF_EINVAL, "%s:%d: t = %.17g after the summary's t_end = %.17g", t->path,
                         t->line[t->nrow - 1], last, r->t_end);
    return NLIF_OK;
}

static int check_snapshots(nlif_rf_run *r, nlif_error *err)
{
    const nlif_rf_table *t = &r->snapshots;
    int rc = nlif_rf_check_increasing(t, 1, 0, err);
    if (rc)
        return rc;
    int nsnap = 0;
    size_t w = (size_t)t->ncol; /* 4, or 5 with population I's density_i */
    for (size_t i = 0; i < t->nrow;) {
        double ts = t->x[i * w + 1];
        size_t start = i;
        int nv = 0, nw = 0;
        double prev_v = -INFINITY, prev_w = -INFINITY;
        for (; i < t->nrow && t->x[i * w + 1] == ts; i++) {
            const double *row = t->x + i * w;
            double *prev = row[0] == 'v' ? &prev_v : &prev_w;
            if (!(row[2] > *prev))
                return nlif_fail(err, NLIF_EINVAL, "%s:%d: x = %.17g does not increase within the snapshot at t = %g",
                                 t->path, t->line[i], row[2], ts);
            *prev = row[2];
            nv += row[0] == 'v';
            nw += row[0] == 'w';
        }
        if (nv != r->nv || nw != r->nw)
            return nlif_fail(err, NLIF_EINVAL,
                             "%s:%d: the snapshot at t = %g has %d v rows and %d w rows; the summary's grid says nv = "
                             "%d, nw = %d",
                             t->path, t->line[start], ts, nv, nw, r->nv, r->nw);
        if (ts > r->t_end * (1 + 1e-9) + 1e-12)
            return nlif_fail(err, NLIF_EINVAL, "%s:%d: a snapshot at t = %g after t_end = %g", t->path, t->line[start],
                             ts, r->t_end);
        if (++nsnap > NLIF_RF_MAX_SNAPSHOTS)
            return nlif_fail(err, NLIF_EINVAL, "%s:%d: more than %d snapshots", t->path, t->line[start],
                             NLIF_RF_MAX_SNAPSHOTS);
    }
    if (!nsnap)
        return nlif_fail(err, NLIF_EINVAL, "%s: no snapshot (at least the final state is required; RESULTS.md)",
                         t->path);
    return NLIF_OK;
}

static void sibling(const char *json_path, const char *suffix, char *out, size_t len)
{
    size_t n = strlen(json_path);
    if (n > 5 && !strcmp(json_path + n - 5, ".json"))
        n -= 5;
    snprintf(out, len, "%.*s%s", (int)n, json_path, suffix);
}

int nlif_rf_run_read(const char *json_path, nlif_rf_run *r, nlif_error *err)
{
    memset(r, 0, sizeof *r);
    int rc;
    r->summary = nlif_rf_json_read(json_path, err);
    if (!r->summary)
        return err ? err->code : NLIF_EINVAL;
    const char *id = json_string_value(json_object_get(r->summary, "run_id"));
    char path[2600];
    if ((rc = check_summary(json_path, r->summary, r, err)))
        goto fail;
    sibling(json_path, ".series.csv", path, sizeof path);
    if ((rc = nlif_rf_table_read(path, nlif_rf_series_cols, &r->series, err)) ||
        (rc = nlif_rf_same_run(json_path, id, path, r->series.run_id, err)) || (rc = check_series(r, err)))
        goto fail;
    sibling(json_path, ".snapshots.csv", path, sizeof path);
    if ((rc = nlif_rf_table_read(path, nlif_rf_snapshot_cols, &r->snapshots, err)) ||
        (rc = nlif_rf_same_run(json_path, id, path, r->snapshots.run_id, err)) || (rc = check_snapshots(r, err)))
        goto fail;
    return NLIF_OK;
fail:
    nlif_rf_run_free(r);
    return rc;
}

/* ---- Monte Carlo ---- */

json_t *nlif_rf_mc_read(const char *dir, const char *name, nlif_rf_table *rate, nlif_error *err)
{
    char path[2600];
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    json_t *j = nlif_rf_json_read(path, err);
    if (!j)
        return NULL;
    const char *c = json_string_value(json_object_get(j, "case"));
    double x;
    if (!c || !*c) {
        nlif_fail(err, NLIF_EINVAL, "%s:1: \"case\" missing or not a non-empty string (RESULTS.md)", path);
        goto fail;
    }
    json_t *reals = json_object_get(j, "realisations");
    if (!json_is_integer(reals) || json_integer_value(reals) < 1) {
        nlif_fail(err, NLIF_EINVAL, "%s:1: \"realisations\" missing or not an integer >= 1 (RESULTS.md)", path);
        goto fail;
    }
    if (need_num(path, j, "dt", 0, &x, err) || need_num(path, j, "particles", 0, &x, err))
        goto fail;
    if (rate) {
        char rp[2600];
        snprintf(rp, sizeof rp, "%s/%s_rate.csv", dir, name);
        if (nlif_rf_table_read(rp, nlif_rf_mc_rate_cols, rate, err))
            goto fail;
        if (nlif_rf_same_run(path, json_string_value(json_object_get(j, "run_id")), rp, rate->run_id, err) ||
            nlif_rf_check_increasing(rate, 0, 1, err)) {
            nlif_rf_table_free(rate);
            goto fail;
        }
    }
    return j;
fail:
    json_decref(j);
    return NULL;
}

int nlif_rf_mc_mfe_read(const char *path, const char *run_id, nlif_rf_table *t, nlif_error *err)
{
    int rc = nlif_rf_table_read(path, nlif_rf_mc_mfe_cols, t, err);
    if (rc)
        return rc;
    if (run_id && (rc = nlif_rf_same_run("the Monte Carlo summary", run_id, path, t->run_id, err)))
        goto fail;
    for (size_t i = 0; i < t->nrow; i++) {
        double re = t->x[i * 4], k = t->x[i * 4 + 1];
        if (re < 0 || re != floor(re) || re > 1e6 || k < 1 || k != floor(k) || k > 1e6) {
            rc = nlif_fail(err, NLIF_EINVAL, "%s:%d: realisation %g, index %g (need integers, realisation >= 0, index >= 1)",
                           path, t->line[i], re, k);
            goto fail;
        }
    }
    return NLIF_OK;
fail:
    nlif_rf_table_free(t);
    return rc;
}

/* ---- convergence studies ---- */

json_t *nlif_rf_study_read(const char *path, nlif_error *err)
{
    json_t *j = nlif_rf_json_read(path, err);
    if (!j)
        return NULL;
    static const char *const strs[] = {"case", "scheme", "refine", NULL};
    for (int k = 0; strs[k]; k++) {
        const char *s = json_string_value(json_object_get(j, strs[k]));
        if (!s || !*s) {
            nlif_fail(err, NLIF_EINVAL, "%s:1: \"%s\" missing or not a non-empty string (RESULTS.md)", path, strs[k]);
            json_decref(j);
            return NULL;
        }
    }
    json_t *levels = json_object_get(j, "levels"), *l;
    size_t i;
    if (!json_is_array(levels) || json_array_size(levels) < 2 || json_array_size(levels) > 64) {
        nlif_fail(err, NLIF_EINVAL, "%s:1: \"levels\" must be an array of 2..64 levels (RESULTS.md)", path);
        json_decref(j);
        return NULL;
    }
    json_array_foreach(levels, i, l)
    {
        double h;
        if (need_num(path, l, "h", 0, &h, err)) {
            nlif_error_prefix(err, "levels[%zu]", i);
            json_decref(j);
            return NULL;
        }
    }
    return j;
}
