/* child.c — the command lines of verify's child processes from their typed arguments (nlif_child.h).
 * Numbers are written so that the child reads back the same double: %.17g. */
#include "nlif_child.h"

void nlif_run_argv(nlif_job *j, const nlif_run_args *a)
{
    j->argc = 0;
    nlif_job_arg(j, "run");
    nlif_job_arg(j, "%s", a->case_path);
    nlif_job_arg(j, "--scheme");
    nlif_job_arg(j, "%s", a->scheme);
    nlif_job_arg(j, "--out");
    nlif_job_arg(j, "%s", a->out);
    nlif_job_arg(j, "--stem");
    nlif_job_arg(j, "%s", a->stem);
    if (a->seeded) {
        nlif_job_arg(j, "--seed");
        nlif_job_arg(j, "%llu", a->seed);
    }
    if (a->opt) {
        nlif_job_arg(j, "--opt");
        nlif_job_arg(j, "%s", a->opt);
    }
    if (a->set_key) {
        nlif_job_arg(j, "--set");
        if (a->set_text)
            nlif_job_arg(j, "%s=%s", a->set_key, a->set_text);
        else
            nlif_job_arg(j, "%s=%.17g", a->set_key, a->set_value);
    }
    if (a->dv > 0) {
        nlif_job_arg(j, "--dv");
        nlif_job_arg(j, "%.17g", a->dv);
    }
    if (a->dt > 0) {
        nlif_job_arg(j, "--dt");
        nlif_job_arg(j, "%.17g", a->dt);
    }
    for (size_t k = 0; k < sizeof a->sets / sizeof a->sets[0] && a->sets[k]; k++) {
        nlif_job_arg(j, "--set");
        nlif_job_arg(j, "%s", a->sets[k]);
    }
    if (a->repeat_under > 0) {
        nlif_job_arg(j, "--repeat-under");
        nlif_job_arg(j, "%.17g", a->repeat_under);
    }
}

void nlif_converge_argv(nlif_job *j, const nlif_converge_args *a)
{
    j->argc = 0;
    nlif_job_arg(j, "converge");
    nlif_job_arg(j, "%s", a->case_path);
    nlif_job_arg(j, "--scheme");
    nlif_job_arg(j, "%s", a->scheme);
    nlif_job_arg(j, "--refine");
    nlif_job_arg(j, "%s", a->refine);
    nlif_job_arg(j, "--levels");
    nlif_job_arg(j, "%d", a->levels);
    nlif_job_arg(j, "--json");
    nlif_job_arg(j, "--out");
    nlif_job_arg(j, "%s", a->out);
    if (a->fixed_dt)
        nlif_job_arg(j, "--fixed-dt");
    if (a->no_rate)
        nlif_job_arg(j, "--no-rate");
    if (a->coarsest > 0) {
        nlif_job_arg(j, "--coarsest");
        nlif_job_arg(j, "%.17g", a->coarsest);
    }
    if (a->ref_halvings > 0) {
        nlif_job_arg(j, "--ref-halvings");
        nlif_job_arg(j, "%d", a->ref_halvings);
    }
}

void nlif_mc_argv(nlif_job *j, const nlif_mc_args *a)
{
    j->argc = 0;
    nlif_job_arg(j, "mc");
    nlif_job_arg(j, "%s", a->case_path);
    if (a->particles > 0) {
        nlif_job_arg(j, "--particles");
        nlif_job_arg(j, "%.0f", a->particles);
    }
    if (a->realisations > 0) {
        nlif_job_arg(j, "--realisations");
        nlif_job_arg(j, "%d", a->realisations);
    }
    if (a->threads > 0) {
        nlif_job_arg(j, "--threads");
        nlif_job_arg(j, "%d", a->threads);
    }
    nlif_job_arg(j, "--out");
    nlif_job_arg(j, "%s", a->out);
    for (int i = 0; i < a->n_extra; i++)
        nlif_job_arg(j, "%s", a->extra[i]);
}
