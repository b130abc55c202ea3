/* judge.c — the verifier's state and its services to the checks (nlif_judge.h): the cells of the
 * verdict table (with --strict and the known failures of ci/known_failures applied as each cell is
 * written), the job table the checks plan into, the mode and the folders of the result files.
 *
 * A cell is what a check concluded: pass / FAIL / n.a. with the measured figure, the bound and where
 * it comes from (MATHEMATICS.md §6); its JSON is the verdict record's (io/nlif_verdicts.h). The
 * files it was judged from are attached by the orchestrator (harness/verify/orchestrate.c).
 */
#include "judge_state.h"

#include "../case/nlif_fresh.h"
#include "../../io/nlif_verdicts.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------------ */
/* The state. */

nlif_verify *nlif_verify_new(const char *command, const char *out, int flat)
{
    nlif_verify *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->command = command;
    v->jobs = calloc(NLIF_VERIFY_MAX_JOBS, sizeof *v->jobs);
    v->cases = calloc(NLIF_MAX_CASES, sizeof *v->cases);
    v->pair = calloc(NLIF_MAX_CASES, sizeof *v->pair);
    v->cells = json_array();
    v->convergence = json_array();
    v->runs = json_array();
    v->choices = json_object();
    v->inputs = json_array();
    v->input_seen = json_object();
    if (!v->jobs || !v->cases || !v->pair) {
        nlif_verify_free(v);
        return NULL;
    }
    snprintf(v->out, sizeof v->out, "%s", out);
    /* flat: a folder of result files written by any code (judge), everything in it */
    snprintf(v->runs_dir, sizeof v->runs_dir, "%s%s", out, flat ? "" : "/runs");
    snprintf(v->converge_dir, sizeof v->converge_dir, "%s%s", out, flat ? "" : "/converge");
    snprintf(v->mc_dir, sizeof v->mc_dir, "%s%s", out, flat ? "" : "/mc");
    snprintf(v->logs_dir, sizeof v->logs_dir, "%s/logs", out);
    return v;
}

void nlif_verify_free(nlif_verify *v)
{
    if (!v)
        return;
    json_decref(v->cells);
    json_decref(v->convergence);
    json_decref(v->runs);
    json_decref(v->choices);
    json_decref(v->inputs);
    json_decref(v->input_seen);
    json_decref(v->fresh);
    free(v->jobs);
    free(v->cases);
    free(v->pair);
    free(v);
}

void nlif_verify_set_flags(nlif_verify *v, int full, int strict, int on_disk)
{
    v->full = full, v->strict = strict, v->on_disk = on_disk;
}

/* ------------------------------------------------------------------------------------------------ */
/* Cells. */

/* NA_KIND says what an n.a. is (nlif_judge.h): "capability" (CAPABILITY names it), "no_claim" (honest:
 * the scheme makes no claim the check could judge), or NULL (nothing to judge on disk, ...). */
static void vcell(nlif_verify *v, const char *cs, const char *scheme, const char *check, int verdict, double measured,
                  const char *bound, const char *source, const char *run, const char *na_kind, const char *capability,
                  const char *fmt, va_list ap)
{
    char reason[1400] = "", runpath[1400];
    if (fmt)
        vsnprintf(reason, sizeof reason, fmt, ap);

    /* --strict: every n.a. but the regression baseline, the Monte Carlo data column and an honest n.a.
     * (a claim the scheme does not make) counts. */
    int honest = verdict == NLIF_NA && na_kind && !strcmp(na_kind, "no_claim");
    if (v->strict && verdict == NLIF_NA && !honest && strcmp(check, "baseline") && strcmp(scheme, "mc")) {
        verdict = NLIF_FAIL;
        char tmp[1400];
        snprintf(tmp, sizeof tmp, "--strict: n.a. counts as a failure: %s", reason);
        snprintf(reason, sizeof reason, "%s", tmp);
    }
    int known = 0;
    /* a known failure of a catalogue case covers the failure of the same scheme and check on its fresh
     * instances (a property of the scheme, MATHEMATICS.md 6); a pass there does not make it stale */
    char base[NLIF_NAME_MAX];
    int fresh = nlif_fresh_name(cs, base, sizeof base);
    for (int k = 0; k < v->n_known; k++) {
        nlif_known_failure *kf = &v->known[k];
        if (strcmp(kf->cs, fresh ? base : cs) || strcmp(kf->scheme, scheme) || strcmp(kf->check, check))
            continue;
        if (fresh) {
            if (verdict == NLIF_FAIL) {
                known = 1;
                v->n_known_failed++;
                snprintf(reason + strlen(reason), sizeof reason - strlen(reason), " [known failure of %s: %s]", base,
                         kf->reason);
            }
            continue;
        }
        kf->seen = 1;
        if (verdict == NLIF_FAIL) {
            known = 1;
            v->n_known_failed++;
            snprintf(reason + strlen(reason), sizeof reason - strlen(reason), " [known failure: %s]", kf->reason);
        } else if (verdict == NLIF_PASS) {
            v->n_stale++;
            snprintf(reason + strlen(reason), sizeof reason - strlen(reason),
                     " [listed in ci/known_failures but passes now: remove the line]");
        }
    }
    /* a reason or a path may carry a file name's bytes, a cut one half a character: the record is
     * JSON, UTF-8 only (json_pack refuses anything else, and the cell would be lost) */
    nlif_utf8_sanitize(reason);
    if (run) {
        snprintf(runpath, sizeof runpath, "%s", run);
        nlif_utf8_sanitize(runpath);
        run = runpath;
    }
    json_t *cell = nlif_verdict_cell_json(cs, scheme, check, verdict, measured, bound, source, reason, run, known);
    if (verdict == NLIF_NA || (v->strict && (na_kind || capability))) {
        json_object_set_new(cell, "na", json_string(na_kind ? na_kind : "other"));
        if (capability)
            json_object_set_new(cell, "capability", json_string(capability));
    }
    json_array_append_new(v->cells, cell);
    v->count[verdict]++;
}


void nlif_verdict(nlif_verify *v, const char *cs, const char *scheme, const char *check, int verdict, double measured,
                  const char *bound, const char *source, const char *run, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vcell(v, cs, scheme, check, verdict, measured, bound, source, run, NULL, NULL, fmt, ap);
    va_end(ap);
}

void nlif_check_cell(const nlif_check_ctx *c, const char *check, int verdict, double measured, const char *bound,
                     const char *source, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vcell(c->v, c->cs->name, c->st ? c->st->name : "mc", check, verdict, measured, bound, source, c->runpath, NULL, NULL,
          fmt, ap);
    va_end(ap);
}

void nlif_verdict_lacks(nlif_verify *v, const char *cs, const char *scheme, const char *check, const char *capability,
                        const char *run, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vcell(v, cs, scheme, check, NLIF_NA, NAN, "", "", run, "capability", capability, fmt, ap);
    va_end(ap);
}

void nlif_check_no_claim(const nlif_check_ctx *c, const char *check, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vcell(c->v, c->cs->name, c->st ? c->st->name : "mc", check, NLIF_NA, NAN, "", "", c->runpath, "no_claim", NULL, fmt, ap);
    va_end(ap);
}

void nlif_check_note(const nlif_check_ctx *c, const char *key, double value)
{
    size_t n = json_array_size(c->v->cells);
    if (n && isfinite(value))
        json_object_set_new(json_array_get(c->v->cells, n - 1), key, json_real(value));
}

void nlif_check_reference(const nlif_check_ctx *c, double value) { nlif_check_note(c, "reference", value); }

/* ------------------------------------------------------------------------------------------------ */
/* Services to the checks (nlif_judge.h). */

int nlif_verify_full(const nlif_verify *v)
{
    return v->full;
}

int nlif_verify_levels(const nlif_verify *v)
{
    return v->levels;
}

int nlif_verify_run_overridden(const nlif_verify *v, const char **which)
{
    for (int i = 0; i < v->n_sets; i++)
        if (strncmp(v->sets[i], "expect.", 7)) {
            if (which)
                *which = v->sets[i];
            return 1;
        }
    return 0;
}

int nlif_verify_on_disk(const nlif_verify *v)
{
    return v->on_disk;
}

const char *nlif_verify_dir(const nlif_verify *v, const char *what)
{
    if (!strcmp(what, "runs"))
        return v->runs_dir;
    if (!strcmp(what, "converge"))
        return v->converge_dir;
    if (!strcmp(what, "mc"))
        return v->mc_dir;
    return v->logs_dir;
}

int nlif_verify_mc_args(const nlif_verify *v, const char *const **args)
{
    *args = v->mc_args;
    return v->n_mc_args;
}

void nlif_verify_add_convergence(nlif_verify *v, json_t *conv)
{
    json_array_append(v->convergence, conv);
}

const char *nlif_verify_update_why(const nlif_verify *v)
{
    return v->update_baselines ? (v->why ? v->why : "") : NULL;
}

/* A job of stem STEM in the table, its logs under OUT/logs (no process yet: exit code -1). */
nlif_job *nlif_verify_add_job(nlif_verify *v, const char *stem)
{
    if (v->n_jobs == NLIF_VERIFY_MAX_JOBS || nlif_verify_find_job(v, stem))
        return NULL;
    nlif_job *j = &v->jobs[v->n_jobs++];
    memset(j, 0, sizeof *j);
    j->exit_code = -1;
    snprintf(j->label, sizeof j->label, "%s", stem);
    snprintf(j->stdout_path, sizeof j->stdout_path, "%s/%s.out", v->logs_dir, stem);
    snprintf(j->stderr_path, sizeof j->stderr_path, "%s/%s.err", v->logs_dir, stem);
    return j;
}

nlif_job *nlif_verify_job(nlif_verify *v, const char *label, const char *stem)
{
    (void)label; /* the stem names the job in progress lines and in OUT/jobs.json */
    return nlif_verify_add_job(v, stem);
}

const nlif_job *nlif_verify_find_job(const nlif_verify *v, const char *stem)
{
    char path[1300];
    snprintf(path, sizeof path, "%s/%s.out", v->logs_dir, stem);
    for (int i = 0; i < v->n_jobs; i++)
        if (!strcmp(v->jobs[i].stdout_path, path))
            return &v->jobs[i];
    return NULL;
}

void nlif_verify_job_error(const nlif_job *j, char *out, size_t len)
{
    snprintf(out, len, "exit code %d", j ? j->exit_code : -1);
    if (!j)
        return;
    FILE *f = fopen(j->stderr_path, "r");
    if (!f)
        return;
    char line[1024], last[1024] = "";
    while (fgets(line, sizeof line, f))
        if (line[0] != '\n')
            snprintf(last, sizeof last, "%s", line);
    fclose(f);
    last[strcspn(last, "\n")] = '\0';
    if (last[0])
        snprintf(out, len, "exit code %d: %s", j->exit_code, last);
}

nlif_job *nlif_verify_run_job(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st, const char *stem,
                              const nlif_run_args *more)
{
    nlif_job *j = nlif_verify_job(v, st->name, stem);
    if (!j)
        return NULL;
    nlif_run_args a = more ? *more : (nlif_run_args){0};
    a.case_path = cs->path, a.scheme = st->name, a.out = v->runs_dir, a.stem = stem;
    nlif_run_argv(j, &a);
    return j;
}

