/* jobrec.c — the job record of verify, OUT/jobs.json (nlif_jobrec.h): its writer and its reader. */
#include "nlif_jobrec.h"

#include "nlif_results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int nlif_jobrec_write(const char *path, const nlif_jobrec *r, nlif_error *err)
{
    json_t *cases = json_array(), *schemes = json_array(), *jobs = json_array();
    for (int c = 0; c < r->n_cases; c++)
        json_array_append_new(cases, json_string(r->cases[c]));
    for (int s = 0; s < r->n_schemes; s++)
        json_array_append_new(schemes, json_string(r->schemes[s]));
    for (int i = 0; i < r->n_jobs; i++) {
        const nlif_jobrec_job *j = &r->jobs[i];
        json_array_append_new(jobs, json_pack("{s:s, s:s, s:i, s:f}", "stem", j->stem, "command", j->command,
                                              "exit_code", j->exit_code, "wall_seconds", j->wall_seconds));
    }
    json_t *p = json_pack("{s:s, s:i, s:o, s:s, s:o, s:o, s:b, s:o}", "format", "nlif-verify-jobs", "format_version", 1,
                          "provenance", nlif_provenance_json(), "mode", r->full ? "full" : "quick", "cases", cases,
                          "schemes", schemes, "mc_column", r->mc_column, "jobs", jobs);
    int rc = nlif_write_json(path, p, err);
    json_decref(p);
    return rc;
}

/* The members of the array A as strings (NULL for one that is not a string) into *out, n of them.
 * 0, or -1 when out of memory. */
static int strings(const json_t *a, const char ***out, int *n)
{
    *out = calloc(json_array_size(a) + 1, sizeof **out);
    *n = 0;
    if (!*out)
        return -1;
    size_t i;
    const json_t *x;
    json_array_foreach(a, i, x)
        (*out)[(*n)++] = json_string_value(x);
    return 0;
}

int nlif_jobrec_read(const char *path, int name_max, int max_cases, nlif_jobrec *r, nlif_error *err)
{
    memset(r, 0, sizeof *r);
    json_error_t je;
    json_t *p = r->root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!p)
        return nlif_fail(err, NLIF_EINVAL, "%s:%d: %s", path, je.line, je.text);
    const json_t *cases = json_object_get(p, "cases"), *sch = json_object_get(p, "schemes"), *jobs = json_object_get(p, "jobs");
    const char *fmt = json_string_value(json_object_get(p, "format")), *mode = json_string_value(json_object_get(p, "mode"));
    if (!fmt || strcmp(fmt, "nlif-verify-jobs") || json_integer_value(json_object_get(p, "format_version")) != 1 ||
        !json_is_array(cases) || !json_is_array(sch) || !json_is_array(jobs) || !mode ||
        !json_is_boolean(json_object_get(p, "mc_column")))
        return nlif_fail(err, NLIF_EINVAL, "%s:1: not a verify job record of format version 1 (format \"nlif-verify-jobs\", "
                                           "mode, cases, schemes, mc_column, jobs: nlif_jobrec.h)", path);
    r->full = !strcmp(mode, "full");
    r->mc_column = json_is_true(json_object_get(p, "mc_column"));
    r->jobs = calloc(json_array_size(jobs) + 1, sizeof *r->jobs);
    if (!r->jobs || strings(cases, &r->cases, &r->n_cases) || strings(sch, &r->schemes, &r->n_schemes))
        return nlif_fail(err, NLIF_ENOMEM, "%s: job record", path);
    for (int i = 0; i < r->n_cases; i++) {
        const char *n = r->cases[i];
        if (!n || !n[0] || strlen(n) >= (size_t)name_max || i == max_cases)
            return nlif_fail(err, NLIF_EINVAL, "%s:1: cases[%d]: not a case name (or more than %d cases)", path, i, max_cases);
    }
    for (int i = 0; i < r->n_schemes; i++) {
        const char *n = r->schemes[i];
        if (!n || !n[0] || strchr(n, ','))
            return nlif_fail(err, NLIF_EINVAL, "%s:1: schemes[%d]: not a scheme name", path, i);
    }
    size_t i;
    const json_t *x;
    json_array_foreach(jobs, i, x)
    {
        const char *stem = json_string_value(json_object_get(x, "stem")), *cmd = json_string_value(json_object_get(x, "command"));
        const json_t *code = json_object_get(x, "exit_code"), *wall = json_object_get(x, "wall_seconds");
        if (!stem || !stem[0] || strchr(stem, '/') || !json_is_integer(code))
            return nlif_fail(err, NLIF_EINVAL, "%s:1: jobs[%zu]: needs a stem (no '/') and an integer exit_code", path, i);
        nlif_jobrec_job *j = &r->jobs[r->n_jobs++];
        j->stem = stem;
        j->command = cmd ? cmd : "";
        j->exit_code = (int)json_integer_value(code);
        j->wall_seconds = json_is_number(wall) ? json_number_value(wall) : NAN;
    }
    return NLIF_OK;
}

void nlif_jobrec_free(nlif_jobrec *r)
{
    free(r->cases);
    free(r->schemes);
    free(r->jobs);
    json_decref(r->root);
    memset(r, 0, sizeof *r);
}
