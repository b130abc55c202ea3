/* select.c — what a verification covers: the cases (names, globs, tags) times the schemes, and the
 * Monte Carlo column; from the catalogue and the command line (verify), or from what a folder holds
 * and its job record (judge, io/nlif_jobrec.h); and the cases of the smoke tier (verify --smoke,
 * MATHEMATICS.md 6, "The smoke tier").
 */
#include "nlif_verify.h"

#include "../checks/nlif_check.h"
#include "../judge/judge_state.h"
#include "../../io/nlif_results.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The smoke tier: the fewest cases on which every check the catalogue's mutants are caught by sees
 * every parameter they misuse, at a value where a misreading shows (MATHEMATICS.md 6, "Which checks
 * see which parameters" and "The smoke tier"). Judged as --quick (4-level ladders, every other ε),
 * with one fresh instance around each stationary case. Each line: what the case lets which check see.
 * tests/test_mutants.c (NLIF_MUTANT_TIER=smoke) runs every mutant through this list and fails if
 * one survives; in make check it counts the mutants caught on one of their own cases in this list
 * and fails below all of them: a case leaves the list only with a measurement that the rest still
 * catch every mutant, and the catalogue naming a case of the list for each. */
static const char smoke_cases[] =
    "relax_driven,"     /* stationary_rate: i0 != 1, a bound 0.5% of N (a 1% bias, a reset off its node);
                         * mass, positivity, status, consistent, the reader, accuracy of p on a calm run;
                         * its fresh instance: a stored answer */
    "relax_threshold,"  /* stationary_rate: V_F != 2, V_R != 1, a0 != 1, b != 1 at once */
    "noisy_inhibitory," /* stationary_rate: a1 > 0, with a0, b (< 0) and i0 away from 1 */
    "smooth_short,"     /* order_v, order_t (p and N), accuracy(N): what no bound on a value resolves */
    "transient_phase,"  /* accuracy(p): the sine input's phase */
    "transient_pulse,"  /* accuracy(p): a pulse's start and end before t_final */
    "pulse_on,"         /* stationary_rate: a pulse still on at t_final (m_pulse_never_on's meant check;
                         * transient_pulse catches it too) */
    "ap_sweep,"         /* ap: epsilon, swept */
    "learning_contract," /* order_w(p): the learning rule's rate, w* and the sign of K */
    "jump_gaussian,"    /* jump: V_F, V_min, b, the initial mean and sd */
    "kick_input,"       /* jump and mfe_mc: the kick's size, an MFE's time and the mass beyond V_F */
    "cascade_example,"  /* jump at 1e-4: an MFE's size (m_mfe_small's meant check; jump_gaussian and
                         * single_mfe catch it too; n.a. and free for a solver without MFEs) */
    "single_mfe,"       /* blowup_time: a blow-up time */
    "mms_base,"         /* mms: the exact time-dependent solution (n.a. and free for a solver without
                         * the source capability; m_source_dropped's meant check) */
    "refractory_excitatory," /* stationary_rate: tau_ref > 0 and R(0) > 0; rate_mc: the transient against
                              * refractory clocks; consistent: the column R (n.a. and free for a solver without
                              * the refractory capability; the refractory mutants) */
    "kick_late,"        /* jump(t): the kick's time away from 1 (m_kick_at_one; n.a. without MFEs) */
    "delay_periodic,"   /* accuracy: a synaptic delay and its history N_h = 0.4 (m_delay_ignored,
                         * m_history_ignored; n.a. and free for a solver without the delay capability) */
    "hebbian_gauss,"    /* learning_limit: the Hebbian alpha and beta and the weight range (m_hebbian_*,
                         * m_w_range_fixed; n.a. for a solver without the structured capability) */
    "ei_inhibition";    /* stationary_rate and stationary_rate(I): two populations, I's own reset and noise
                         * (m_ei_swapped, m_ei_reset_shared; n.a. without the populations capability) */

const char *nlif_verify_smoke_cases(void)
{
    return smoke_cases;
}

/* Whether entry E of a --cases list (a name, a glob, or tag:T) selects case cs. */
static int entry_matches(const char *e, const nlif_case *cs)
{
    if (!strncmp(e, "tag:", 4)) {
        for (int t = 0; t < cs->n_tags; t++)
            if (!strcmp(cs->tags[t], e + 4))
                return 1;
        return 0;
    }
    return fnmatch(e, cs->name, 0) == 0;
}

int nlif_verify_select_cases(nlif_verify *v, const nlif_case *cand, int n_cand, const char *list)
{
    char buf[2048], *save = NULL;
    snprintf(buf, sizeof buf, "%s", list && list[0] ? list : "*");
    char *entries[128];
    int n_e = 0;
    for (char *t = strtok_r(buf, ",", &save); t && n_e < 128; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        if (!*t)
            continue;
        if (!strcmp(t, "tag:")) {
            fprintf(stderr, "nlif %s: --cases: 'tag:' needs a tag name (nlif list shows the tags)\n", v->command);
            return NLIF_EXIT_USAGE;
        }
        entries[n_e++] = t;
    }
    if (!n_e) {
        fprintf(stderr, "nlif %s: --cases '%s': no entry (a name, a glob or tag:TAG, comma-separated)\n", v->command, list);
        return NLIF_EXIT_USAGE;
    }
    for (int e = 0; e < n_e; e++) {
        int hits = 0;
        for (int c = 0; c < n_cand; c++)
            hits += entry_matches(entries[e], &cand[c]);
        if (!hits) {
            fprintf(stderr, "nlif %s: --cases: '%s' matches no case%s (a name, a glob or tag:TAG; nlif list shows the "
                            "cases and their tags)\n", v->command, entries[e], v->on_disk ? " on disk" : " of the catalogue");
            return NLIF_EXIT_USAGE;
        }
    }
    v->n_cases = 0;
    for (int c = 0; c < n_cand && v->n_cases < NLIF_MAX_CASES; c++) {
        int want = 0;
        for (int e = 0; e < n_e && !want; e++)
            want = entry_matches(entries[e], &cand[c]);
        if (want)
            v->cases[v->n_cases++] = cand[c];
    }
    return 0;
}

/* Whether the comma-separated LIST names NAME. */
static int list_has(const char *list, const char *name)
{
    char buf[512], *save = NULL;
    snprintf(buf, sizeof buf, "%s", list);
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (!strcmp(t, name))
            return 1;
    return 0;
}

int nlif_verify_select_schemes(nlif_verify *v, const char *list)
{
    v->n_use = 0;
    v->want_mc = !list || list_has(list, "mc");
    if (list) {
        char buf[512], *save = NULL;
        snprintf(buf, sizeof buf, "%s", list);
        for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
            if (strcmp(t, "mc") && !nlif_scheme_find(t)) {
                fprintf(stderr, "nlif %s: unknown scheme '%s' (nlif list shows the registered schemes)\n", v->command, t);
                return NLIF_EXIT_USAGE;
            }
    }
    for (int s = 0; nlif_schemes[s] && v->n_use < NLIF_VERIFY_MAX_SCHEMES; s++)
        if (!list || list_has(list, nlif_schemes[s]->name))
            v->use[v->n_use++] = nlif_schemes[s];
    return 0;
}

void nlif_verify_set_mc(nlif_verify *v, int want_mc)
{
    v->want_mc = want_mc;
}

int nlif_verify_want_mc(const nlif_verify *v)
{
    return v->want_mc;
}



void nlif_verify_mark_pair(nlif_verify *v, const char *cs, const char *scheme)
{
    for (int c = 0; c < v->n_cases; c++)
        for (int s = 0; s < v->n_use; s++)
            if ((!cs || !strcmp(v->cases[c].name, cs)) && (!scheme || !strcmp(v->use[s]->name, scheme)))
                v->pair[c][s] = 1;
}

int nlif_verify_select_catalogue(nlif_verify *v, const char *list, nlif_error *err)
{
    /* the catalogue, every case loaded (tags), then selected */
    static char names[NLIF_MAX_CASES][NLIF_NAME_MAX];
    nlif_case *all = calloc(NLIF_MAX_CASES, sizeof *all);
    int n_names = 0, rc = 0;
    if (!all)
        return nlif_exit_code(nlif_fail(err, NLIF_ENOMEM, "case table"));
    if (nlif_catalogue(names, NLIF_MAX_CASES, &n_names, err))
        rc = nlif_exit_code(err->code);
    for (int i = 0; !rc && i < n_names; i++) {
        if (nlif_checks_load_case(&all[i], names[i], NULL, 0, err))
            rc = nlif_exit_code(err->code);
        /* children get the absolute path of the case file */
        snprintf(all[i].path, sizeof all[i].path, "%s/cases/%s.ini", nlif_root(), names[i]);
    }
    if (!rc)
        rc = nlif_verify_select_cases(v, all, n_names, list);
    /* verify --set: applied to the cases selected (by their own tags and names), each validated as a
     * case file is; a case that is not selected is not asked to take it */
    for (int c = 0; !rc && v->n_sets && c < v->n_cases; c++) {
        char path[sizeof v->cases[c].path];
        snprintf(path, sizeof path, "%s", v->cases[c].path);
        if (nlif_checks_load_case(&v->cases[c], v->cases[c].name, v->sets, v->n_sets, err))
            rc = nlif_exit_code(err->code);
        snprintf(v->cases[c].path, sizeof v->cases[c].path, "%s", path);
    }
    free(all);
    return rc;
}

int nlif_verify_take_jobrec(nlif_verify *v, const char *path, const nlif_jobrec *r, nlif_error *err)
{
    v->full = r->full;
    v->want_mc = r->mc_column;
    for (int i = 0; i < r->n_jobs; i++) {
        nlif_job *j = nlif_verify_add_job(v, r->jobs[i].stem);
        if (!j)
            return nlif_exit_code(nlif_fail(err, NLIF_EINVAL, "%s:1: jobs[%d]: stem %s twice, or more than %d jobs", path, i,
                                            r->jobs[i].stem, NLIF_VERIFY_MAX_JOBS));
        j->exit_code = r->jobs[i].exit_code;
        j->wall_seconds = r->jobs[i].wall_seconds;
    }
    return 0;
}
