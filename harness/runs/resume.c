/* resume.c — the plan file and the journal of finished jobs of `nlif verify`, and what --resume may
 * reuse (nlif_resume.h). Kill-safety: the plan is written atomically; a journal line is one write(2)
 * of a whole line to a file opened O_APPEND, after the job's files are in place, so a verify killed at
 * any moment leaves at worst a job that ran and is not in the journal (it runs again) or one torn last
 * line (ignored). */
#include "nlif_resume.h"

#include "../../io/nlif_resultfmt.h"
#include "../../io/nlif_identity.h"
#include "../../io/nlif_results.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_OUTPUTS 140 /* logs, a run's set, or a Monte Carlo set with 64 snapshots and weights */

static json_t *argv_json(const nlif_job *j)
{
    json_t *a = json_array();
    for (int i = 0; i < j->argc; i++)
        json_array_append_new(a, json_string(j->argv[i]));
    return a;
}

json_t *nlif_plan_json(const char *mode, const char *const *case_paths, int n_cases, const nlif_job *jobs, int n_jobs)
{
    json_t *prov = nlif_provenance_json();
    char exe[NLIF_HASH_TEXT] = "";
    nlif_error e = {0};
    if (nlif_file_hash("/proc/self/exe", exe, &e))
        snprintf(exe, sizeof exe, "unknown");
    json_t *cases = json_array(), *js = json_array();
    for (int i = 0; i < n_cases; i++) {
        char h[NLIF_HASH_TEXT] = "";
        nlif_file_hash(case_paths[i], h, &e);
        nlif_error_clear(&e);
        json_array_append_new(cases, json_pack("{s:s, s:s}", "path", case_paths[i], "hash", h));
    }
    for (int i = 0; i < n_jobs; i++)
        json_array_append_new(js, argv_json(&jobs[i]));
    json_t *p = json_pack("{s:s, s:i, s:{s:O, s:O, s:s}, s:s, s:o, s:o}", "format", "nlif-verify-plan", "format_version",
                          1, "program", "version", json_object_get(prov, "version"), "commit",
                          json_object_get(prov, "commit"), "executable_hash", exe, "mode", mode, "cases", cases, "jobs",
                          js);
    json_decref(prov);
    return p;
}

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "?";
}

int nlif_plan_compare(const json_t *old, const json_t *now, char *why, size_t len)
{
    const json_t *po = json_object_get(old, "program"), *pn = json_object_get(now, "program");
    static const char *const prog[] = {"commit", "version", "executable_hash"};
    for (int k = 0; k < 3; k++)
        if (strcmp(str(po, prog[k]), str(pn, prog[k]))) {
            snprintf(why, len, "the program differs: %s %s then, %s now", prog[k], str(po, prog[k]), str(pn, prog[k]));
            return 1;
        }
    if (strcmp(str(old, "mode"), str(now, "mode"))) {
        snprintf(why, len, "the mode differs: --%s then, --%s now", str(old, "mode"), str(now, "mode"));
        return 1;
    }
    const json_t *co = json_object_get(old, "cases"), *cn = json_object_get(now, "cases");
    size_t nc = json_array_size(cn);
    for (size_t i = 0; i < nc; i++) {
        const json_t *c = json_array_get(cn, i), *o = NULL;
        for (size_t k = 0; k < json_array_size(co) && !o; k++)
            if (!strcmp(str(json_array_get(co, k), "path"), str(c, "path")))
                o = json_array_get(co, k);
        if (!o) {
            snprintf(why, len, "case file %s was not in the plan", str(c, "path"));
            return 1;
        }
        if (strcmp(str(o, "hash"), str(c, "hash"))) {
            snprintf(why, len, "case file %s changed (%s then, %s now)", str(c, "path"), str(o, "hash"), str(c, "hash"));
            return 1;
        }
    }
    if (json_array_size(co) != nc) {
        snprintf(why, len, "the plan had %zu case files, now %zu (--cases differs)", json_array_size(co), nc);
        return 1;
    }
    const json_t *jo = json_object_get(old, "jobs"), *jn = json_object_get(now, "jobs");
    size_t n = json_array_size(jn);
    for (size_t i = 0; i < n; i++)
        if (!json_equal(json_array_get(jo, i), json_array_get(jn, i))) {
            char *a = json_dumps(json_array_get(jo, i), JSON_COMPACT | JSON_ENCODE_ANY);
            char *b = json_dumps(json_array_get(jn, i), JSON_COMPACT | JSON_ENCODE_ANY);
            snprintf(why, len, "job %zu differs (options, schemes or resolution): %s then, %s now", i + 1,
                     a ? a : "none", b ? b : "?");
            free(a);
            free(b);
            return 1;
        }
    if (json_array_size(jo) != n) {
        snprintf(why, len, "the plan had %zu jobs, now %zu (--schemes or options differ)", json_array_size(jo), n);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------------ */

static const char *arg_after(const nlif_job *j, const char *flag)
{
    for (int i = 0; i + 1 < j->argc; i++)
        if (!strcmp(j->argv[i], flag))
            return j->argv[i + 1];
    return NULL;
}

static int add(char (*out)[1024], int *n, const char *fmt, const char *a, const char *b)
{
    if (*n == MAX_OUTPUTS)
        return -1;
    snprintf(out[(*n)++], 1024, fmt, a, b);
    return 0;
}

/* The files of job j that judging reads: its logs, and the result set of `run` (DIR/STEM.*) or `mc`
 * (DIR/NAME.json and NAME_*.csv). −1 for a job of another kind: it is never reused. */
static int job_outputs(const nlif_job *j, char (*out)[1024], int *n)
{
    *n = 0;
    add(out, n, "%s%s", j->stdout_path, "");
    add(out, n, "%s%s", j->stderr_path, "");
    if (j->argc < 1)
        return -1;
    const char *dir = arg_after(j, "--out");
    if (!strcmp(j->argv[0], "converge"))
        return 0; /* the study is its stdout (the judge reads it there) */
    if (!strcmp(j->argv[0], "run")) {
        const char *stem = arg_after(j, "--stem");
        if (!dir || !stem)
            return -1;
        static const char *const sfx[] = {".json", ".series.csv", ".snapshots.csv"};
        for (int k = 0; k < 3; k++) {
            char p[1024];
            snprintf(p, sizeof p, "%s/%s", dir, stem);
            add(out, n, "%s%s", p, sfx[k]);
        }
        return 0;
    }
    if (!strcmp(j->argv[0], "mc") && dir && j->argc > 1) {
        char name[256];
        const char *b = strrchr(j->argv[1], '/');
        snprintf(name, sizeof name, "%s", b ? b + 1 : j->argv[1]);
        size_t l = strlen(name);
        if (l > 4 && !strcmp(name + l - 4, ".ini"))
            name[l - 4] = '\0';
        char p[1024];
        static const char *const sfx[] = {".json", "_rate.csv", "_mfe.csv", "_mfe_summary.csv"};
        for (int k = 0; k < 4; k++) {
            snprintf(p, sizeof p, "%s/%s", dir, name);
            add(out, n, "%s%s", p, sfx[k]);
        }
        for (int k = 1; k <= NLIF_RF_MAX_SNAPSHOTS; k++) {
            char q[1100];
            snprintf(q, sizeof q, "%s/%s_snap%d.csv", dir, name, k);
            if (access(q, F_OK))
                break;
            add(out, n, "%s%s", q, "");
            snprintf(q, sizeof q, "%s/%s_weights%d.csv", dir, name, k);
            if (!access(q, F_OK))
                add(out, n, "%s%s", q, "");
        }
        return 0;
    }
    return -1;
}

void nlif_journal_job_done(const nlif_job *j, void *arg)
{
    nlif_journal *jl = arg;
    static char out[MAX_OUTPUTS][1024];
    int n;
    if (!jl || jl->fd < 0 || job_outputs(j, out, &n))
        return;
    json_t *files = json_array();
    for (int i = 0; i < n; i++) {
        nlif_identity id;
        nlif_identity_of(out[i], &id);
        json_array_append_new(files, nlif_identity_json(&id));
    }
    json_t *line = json_pack("{s:s, s:o, s:i, s:f, s:o}", "log", j->stdout_path, "argv", argv_json(j), "exit",
                             j->exit_code, "wall_seconds", j->wall_seconds, "outputs", files);
    char *text = json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_decref(line);
    if (!text)
        return;
    size_t len = strlen(text);
    char *buf = realloc(text, len + 2);
    if (buf) {
        buf[len] = '\n';
        /* one write of the whole line: a kill leaves it whole or absent (or torn, then ignored) */
        if (write(jl->fd, buf, len + 1) != (ssize_t)(len + 1))
            fprintf(stderr, "nlif verify: cannot append to %s: %s (a resume will run this job again)\n", jl->path,
                    strerror(errno));
        text = buf;
    }
    free(text);
}

/* Whether journal line L lets job j be reused: the same argument list, every file as recorded. */
static int reusable(const json_t *l, const nlif_job *j)
{
    json_t *a = argv_json(j);
    int same = json_equal(a, json_object_get(l, "argv"));
    json_decref(a);
    const json_t *outs = json_object_get(l, "outputs");
    if (!same || !json_is_integer(json_object_get(l, "exit")) || !json_is_array(outs))
        return 0;
    static char want[MAX_OUTPUTS][1024];
    int n;
    if (job_outputs(j, want, &n) || (size_t)n > json_array_size(outs))
        return 0;
    /* the files the job names now (a Monte Carlo set may have more snapshots than recorded: then not) */
    if ((size_t)n != json_array_size(outs))
        return 0;
    size_t i;
    const json_t *o;
    json_array_foreach(outs, i, o)
    {
        const char *p = json_string_value(json_object_get(o, "path"));
        char why[1200];
        if (!p || strcmp(p, want[i]) ||
            nlif_identity_check(p, p, json_string_value(json_object_get(o, "run_id")),
                                json_string_value(json_object_get(o, "hash")), why, sizeof why))
            return 0;
    }
    return 1;
}

/* Read the journal: mark every job a whole, matching line allows to reuse (the last line of a job wins). */
static int mark_reused(const char *path, nlif_job *jobs, int n_jobs, int *reused)
{
    FILE *f = fopen(path, "r");
    *reused = 0;
    if (!f)
        return 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int torn = 0;
    while ((got = getline(&line, &cap, f)) >= 0) {
        torn = got == 0 || line[got - 1] != '\n';
        json_error_t je;
        json_t *l = json_loads(line, JSON_REJECT_DUPLICATES, &je);
        const char *log = json_string_value(json_object_get(l, "log"));
        for (int i = 0; l && log && i < n_jobs; i++)
            if (!strcmp(jobs[i].stdout_path, log)) {
                int ok = reusable(l, &jobs[i]);
                *reused += ok - jobs[i].reused;
                jobs[i].reused = ok;
                if (ok) {
                    jobs[i].exit_code = (int)json_integer_value(json_object_get(l, "exit"));
                    jobs[i].wall_seconds = json_number_value(json_object_get(l, "wall_seconds"));
                }
                break;
            }
        json_decref(l);
    }
    free(line);
    fclose(f);
    return torn;
}

int nlif_journal_open(nlif_journal *jl, const char *out, const json_t *plan, int resume, nlif_job *jobs, int n_jobs,
                      int *reused, int *no_plan, nlif_error *err)
{
    jl->fd = -1;
    *reused = 0;
    *no_plan = 0;
    static const char *const sub[] = {"", "/runs", "/converge", "/mc", "/logs"};
    for (int k = 0; k < 5; k++) {
        char d[2100];
        snprintf(d, sizeof d, "%s%s", out, sub[k]);
        nlif_rf_remove_stale(d, "");
    }
    char plan_path[2200];
    snprintf(plan_path, sizeof plan_path, "%s/" NLIF_PLAN_FILE, out);
    snprintf(jl->path, sizeof jl->path, "%s/" NLIF_JOURNAL_FILE, out);
    int torn = 0;
    if (resume) {
        json_error_t je;
        json_t *old = json_load_file(plan_path, JSON_REJECT_DUPLICATES, &je);
        if (!old)
            *no_plan = 1;
        else {
            char why[1600];
            int differs = nlif_plan_compare(old, plan, why, sizeof why);
            json_decref(old);
            if (differs)
                return nlif_fail(err, NLIF_EINVAL, "%s: --resume needs the same plan: %s; run without --resume to start "
                                                   "over", plan_path, why);
            torn = mark_reused(jl->path, jobs, n_jobs, reused);
        }
    }
    if (!resume || *no_plan) {
        /* a new verify: the old journal goes before the new plan is in place */
        if (unlink(jl->path) && errno != ENOENT)
            return nlif_fail(err, NLIF_EIO, "cannot remove %s: %s", jl->path, strerror(errno));
        int rc = nlif_write_json(plan_path, plan, err);
        if (rc)
            return rc;
    }
    jl->fd = open(jl->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (jl->fd < 0)
        return nlif_fail(err, NLIF_EIO, "cannot open %s: %s", jl->path, strerror(errno));
    if (torn && write(jl->fd, "\n", 1) != 1) /* end a torn last line so that the next one stands alone */
        return nlif_fail(err, NLIF_EIO, "cannot write %s: %s", jl->path, strerror(errno));
    return NLIF_OK;
}

void nlif_journal_close(nlif_journal *jl)
{
    if (jl->fd >= 0)
        close(jl->fd);
    jl->fd = -1;
}
