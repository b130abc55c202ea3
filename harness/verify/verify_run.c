/* verify_run.c — the running half of `nlif verify`: the output folder prepared and locked, the plan
 * (orchestrate.c), its jobs run as child `nlif` processes -j at a time (a crash is a verdict), with
 * the plan and journal of --resume (harness/runs/nlif_resume.h) and, over MPI, shared among the
 * processes; then what was planned and how every job ended, OUT/jobs.json (io/nlif_jobrec.h).
 */
#include "nlif_verify.h"

#include "../host/nlif_solver_ext.h"
#include "../judge/judge_state.h"
#include "../runs/nlif_resume.h"
#include "../../io/nlif_jobrec.h"
#include "../../io/nlif_results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void nlif_verify_set_run(nlif_verify *v, int update_baselines, const char *why, const char *const *mc_args, int n_mc_args)
{
    v->update_baselines = update_baselines, v->why = why;
    for (int i = 0; i < n_mc_args && v->n_mc_args < 8; i++)
        v->mc_args[v->n_mc_args++] = mc_args[i];
}

/* The stem of a job: its stdout log's name without the folder and ".out". */
static const char *job_stem(const nlif_job *j, char *out, size_t len)
{
    const char *b = strrchr(j->stdout_path, '/');
    b = b ? b + 1 : j->stdout_path;
    size_t n = strlen(b);
    snprintf(out, len, "%.*s", (int)(n > 4 ? n - 4 : n), b);
    return out;
}

/* OUT/jobs.json: what was planned and how every job ended (io/nlif_jobrec.h). */
static int write_jobrec(const nlif_verify *v, nlif_error *err)
{
    const char *cases[NLIF_MAX_CASES], *schemes[NLIF_VERIFY_MAX_SCHEMES];
    nlif_jobrec r = {.full = v->full, .mc_column = v->want_mc, .cases = cases, .schemes = schemes,
                     .n_cases = v->n_cases, .n_schemes = v->n_use, .n_jobs = v->n_jobs};
    char(*stems)[300] = calloc((size_t)v->n_jobs + 1, sizeof *stems);
    r.jobs = calloc((size_t)v->n_jobs + 1, sizeof *r.jobs);
    if (!stems || !r.jobs) {
        free(stems);
        free(r.jobs);
        return nlif_fail(err, NLIF_ENOMEM, "job record");
    }
    for (int c = 0; c < v->n_cases; c++)
        cases[c] = v->cases[c].name;
    for (int s = 0; s < v->n_use; s++)
        schemes[s] = v->use[s]->name;
    for (int i = 0; i < v->n_jobs; i++)
        r.jobs[i] = (nlif_jobrec_job){.stem = job_stem(&v->jobs[i], stems[i], sizeof stems[i]),
                                      .command = v->jobs[i].argc ? v->jobs[i].argv[0] : "",
                                      .exit_code = v->jobs[i].exit_code, .wall_seconds = v->jobs[i].wall_seconds};
    char path[1200];
    snprintf(path, sizeof path, "%s/jobs.json", v->out);
    int rc = nlif_jobrec_write(path, &r, err);
    free(stems);
    free(r.jobs);
    return rc;
}

/* Rank 0 (or the one process) prepares and locks OUT and refuses a malformed ci/known_failures
 * before anything runs; over MPI every process then learns how that and the selection (STATUS) went,
 * on every process. 0 or an exit code. */
static int prepare(nlif_verify *v, const nlif_jobs_comm *world, int lead, int status, int resume, nlif_error *err)
{
    int rc = status;
    if (!rc && world && resume) {
        fprintf(stderr, "nlif verify: --resume is for one process, not over MPI (run bin/nlif verify --resume)\n");
        rc = NLIF_EXIT_USAGE;
    }
    char sub[1200];
    static const char *const subdirs[] = {"logs", "runs", "converge", "mc", NULL};
    if (!rc && lead && (nlif_mkdir_p(v->out, err) || nlif_dir_lock(v->out, "nlif verify", err)))
        rc = nlif_exit_code(err->code);
    for (int i = 0; !rc && lead && subdirs[i]; i++) {
        snprintf(sub, sizeof sub, "%s/%s", v->out, subdirs[i]);
        if (nlif_mkdir_p(sub, err))
            rc = nlif_exit_code(err->code);
    }
    if (!rc && lead && nlif_verify_load_known(v, err))
        rc = nlif_exit_code(err->code);
    if (world) {
        nlif_error jerr = {0};
        rc = nlif_jobs_world_join(world, v->out, rc, &jerr);
        if (rc && jerr.code && !err->code)
            *err = jerr;
    }
    return rc;
}

int nlif_verify_run(nlif_verify *v, int status, int resume, int jobs_at_once, int *judge_here, nlif_error *err)
{
    /* Over MPI (bin/nlif-mpi; nlif_jobs.h): rank 0 prepares and locks the folder, keeps the journal,
     * judges and writes; every process runs a share of the jobs. */
    const nlif_jobs_comm *world = nlif_jobs_world;
    int lead = !world || world->rank == 0;
    *judge_here = 0;
    int rc = prepare(v, world, lead, status, resume, err);
    if (rc)
        return rc;
    struct timespec w0, w1;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    if (nlif_verify_plan(v, err))
        return nlif_exit_code(err->code);
    /* The plan and the journal of finished jobs (nlif_resume.h): --resume reuses what an interrupted
     * verify of the same plan finished. */
    const char *case_paths[NLIF_MAX_CASES];
    for (int c = 0; c < v->n_cases; c++)
        case_paths[c] = v->cases[c].path;
    json_t *plan_rec = nlif_plan_json(v->full ? "full" : "quick", case_paths, v->n_cases, v->jobs, v->n_jobs);
    nlif_journal journal = {.fd = -1};
    int no_plan = 0;
    int jrc = lead ? nlif_journal_open(&journal, v->out, plan_rec, resume, v->jobs, v->n_jobs, &v->n_reused, &no_plan, err) : 0;
    json_decref(plan_rec);
    if (jrc)
        return nlif_exit_code(err->code);
    if (resume && no_plan)
        fprintf(stderr, "nlif verify: --resume: no plan in %s (nothing to resume): every job runs\n", v->out);
    else if (resume)
        fprintf(stderr, "nlif verify: --resume: %d of %d jobs reused, %d to run\n", v->n_reused, v->n_jobs,
                v->n_jobs - v->n_reused);
    char iso[1200]; /* where each external solver runs, before it runs (SOLVERS.md, "The limits") */
    for (int s = 0; lead && s < v->n_use; s++)
        if (!nlif_solver_isolation(v->use[s], iso, sizeof iso))
            fprintf(stderr, "isolation %s: %s\n", v->use[s]->name, iso);
    int progress = isatty(2) ? NLIF_PROGRESS_TERMINAL : NLIF_PROGRESS_LINES;
    if (!world)
        nlif_jobs_run_each(v->jobs, v->n_jobs, jobs_at_once, progress, nlif_journal_job_done, &journal);
    else if (nlif_jobs_run_shared(v->jobs, v->n_jobs, jobs_at_once, lead ? progress : NLIF_PROGRESS_NONE, world, v->out,
                                  lead ? nlif_journal_job_done : NULL, &journal, err)) {
        nlif_journal_close(&journal);
        return nlif_exit_code(err->code);
    }
    nlif_journal_close(&journal);
    if (!lead) /* rank 0 judges from the shared folder */
        return 0;
    clock_gettime(CLOCK_MONOTONIC, &w1);
    v->wall = (w1.tv_sec - w0.tv_sec) + 1e-9 * (w1.tv_nsec - w0.tv_nsec);
    if (write_jobrec(v, err))
        return nlif_exit_code(err->code);
    *judge_here = 1;
    return 0;
}
