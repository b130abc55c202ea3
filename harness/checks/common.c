/* common.c — helpers shared by the checks of harness/checks/ (nlif_check.h). */
#include "nlif_check.h"

#include "../case/nlif_case.h"

#include <stdio.h>
#include <string.h>

const char *nlif_lacks(unsigned flag, char *out, size_t len)
{
    snprintf(out, len, "lacks capability %s (%s)", nlif_capability_name(flag), nlif_capability_meaning(flag));
    return out;
}

void nlif_plan_seeds(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    if (!(st->flags & NLIF_IS_RANDOM))
        return;
    for (int s = 2; s <= NLIF_RANDOM_SEEDS; s++) {
        char stem[256];
        snprintf(stem, sizeof stem, "%s.%s.seed%d", cs->name, st->name, s);
        nlif_verify_run_job(v, cs, st, stem,
                            &(nlif_run_args){.seeded = 1, .seed = (unsigned long long)(cs->run.seed + (uint64_t)s - 1)});
    }
}

nlif_job *nlif_plan_converge(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st, const char *stem,
                             const nlif_converge_args *study)
{
    nlif_job *j = nlif_verify_job(v, st->name, stem);
    if (!j)
        return NULL;
    nlif_converge_args a = *study;
    a.case_path = cs->path, a.scheme = st->name, a.out = nlif_verify_dir(v, "converge");
    nlif_converge_argv(j, &a);
    return j;
}

const char *nlif_converge_study_path(const nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st,
                                     const char *refine, char *path, size_t len)
{
    snprintf(path, len, "%s/%s.%s.%s.json", nlif_verify_dir(v, "converge"), cs->name, st->name, refine);
    return path;
}

const nlif_scheme_claim *nlif_check_claim(const nlif_scheme_type *st, const char *check, double case_bound)
{
    for (const nlif_scheme_claim *c = st ? st->claims : NULL; c && c->check; c++)
        if (!strcmp(c->check, check) && c->bound < case_bound)
            return c;
    return NULL;
}

int nlif_check_judged_times(const nlif_case *cs, double *t, int max)
{
    int n = 0;
    for (int k = 0; k < cs->run.n_snapshots && n < max - 1; k++)
        if (cs->run.snapshots[k] > 0 && cs->run.snapshots[k] < cs->run.t_final * (1 - 1e-12))
            t[n++] = cs->run.snapshots[k];
    t[n++] = cs->run.t_final;
    return n;
}
