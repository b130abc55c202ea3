/* nlif_resume.h — `nlif verify --resume`: finish an interrupted verify of the same folder.
 *
 * At its start a verify writes OUT/plan.json (atomically): the plan, that is what decides every
 * result file its jobs write —
 *   the program: its version, commit ("-dirty" included) and the FNV-1a 64 hash of the executable;
 *   the mode (quick or full) and the case files, each with the hash of its contents;
 *   every job in order, as its argument list (scheme, options, resolution, ladders, seeds, --mc-arg).
 * As each job ends, verify appends one line to OUT/journal.jsonl: the job's argument list, its exit
 * code and wall time, and the identity (path, run id, hash; nlif_identity.h) of every file it wrote
 * that the judging reads — its logs, and the result set of a `run` or `mc` job. A plain verify starts
 * a new journal; --resume keeps it.
 *
 * --resume compares the plan it would make with OUT/plan.json: any difference refuses (the first one
 * named). Without a plan file it runs everything (and says so). A job is reused when its journal line
 * has the same argument list and every file it names has the recorded identity now; every other job
 * runs again. Judging then reads the files as an uninterrupted run would, so the verdicts are the same
 * (the run ids and hashes recorded in verdicts.json differ for the jobs that ran again).
 */
#ifndef NLIF_RESUME_H
#define NLIF_RESUME_H

#include "../../core/nlif_error.h"
#include "nlif_jobs.h"

#include <jansson.h>

#define NLIF_PLAN_FILE "plan.json"
#define NLIF_JOURNAL_FILE "journal.jsonl"

typedef struct nlif_journal {
    int fd;        /* OUT/journal.jsonl, appended to; −1 when closed */
    char path[2200];
} nlif_journal;

/* The plan of a verify: mode, the case files CASE_PATHS[0..n_cases) and the jobs (nlif_resume.h). */
json_t *nlif_plan_json(const char *mode, const char *const *case_paths, int n_cases, const nlif_job *jobs, int n_jobs);
/* 0 when OLD and NOW are the same plan; else 1 with the first difference in why. */
int nlif_plan_compare(const json_t *old, const json_t *now, char *why, size_t len);
/* Start the journal of OUT for this PLAN. Fresh (resume = 0): a new journal, the plan written. Resume:
 * refuse (NLIF_EINVAL) a different plan; mark the jobs that can be reused (reused = 1, their exit code
 * and wall time set) and count them in *reused; a folder without a plan runs everything (*no_plan = 1).
 * Every temporary file a killed writer left in OUT and its subfolders is removed first. */
int nlif_journal_open(nlif_journal *jl, const char *out, const json_t *plan, int resume, nlif_job *jobs, int n_jobs,
                      int *reused, int *no_plan, nlif_error *err);
/* Record a finished job (a callback of nlif_jobs_run_each; arg is the nlif_journal). */
void nlif_journal_job_done(const nlif_job *j, void *arg);
void nlif_journal_close(nlif_journal *jl);

#endif
