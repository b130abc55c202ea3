/* verify_overrides.c — `nlif verify --set KEY=VALUE` and `--levels K`: what CI changes in a
 * verification without editing the catalogue. Each --set is applied to every selected case when the
 * catalogue is loaded, through the case format's own override (the syntax and the validation of
 * `nlif run --set`: a key the format does not know, a value out of range or a case it breaks is
 * refused with the reason, exit 2), so that the bounds the checks judge with are the overridden
 * case's. The runs read the case from OUT/cases/NAME.ini, written here (the catalogue's file is left
 * alone), and verify --resume's plan holds that file's hash: a resume with other --set is refused.
 * --levels sets the number of levels of every convergence study of the order checks (harness/checks/
 * order.c). Both are recorded in verdicts.json ("sets", "levels").
 */
#include "nlif_verify.h"

#include "../case/nlif_fresh.h"
#include "../judge/judge_state.h"
#include "../runs/nlif_converge.h"
#include "../../io/nlif_results.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int nlif_verify_set_overrides(nlif_verify *v, const char *const *sets, int n, int levels)
{
    if (n > NLIF_VERIFY_MAX_SETS) {
        fprintf(stderr, "nlif %s: --set given %d times (at most %d)\n", v->command, n, NLIF_VERIFY_MAX_SETS);
        return NLIF_EXIT_USAGE;
    }
    if (levels && (levels < 2 || levels > NLIF_MAX_LEVELS)) {
        fprintf(stderr, "nlif %s: --levels %d (allowed: 2..%d levels per convergence study)\n", v->command, levels,
                NLIF_MAX_LEVELS);
        return NLIF_EXIT_USAGE;
    }
    for (int i = 0; i < n; i++)
        v->sets[i] = sets[i];
    v->n_sets = n, v->levels = levels;
    return 0;
}

int nlif_verify_overrides_write(nlif_verify *v, nlif_error *err)
{
    if (!v->n_sets)
        return NLIF_OK;
    char dir[1200], tmp[1400], cwd[1024] = "";
    snprintf(dir, sizeof dir, "%s/cases", v->out);
    if (nlif_mkdir_p(dir, err))
        return err->code;
    if (v->out[0] != '/' && !getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    for (int c = 0; c < v->n_cases; c++) {
        nlif_case *cs = &v->cases[c];
        if (nlif_fresh_name(cs->name, NULL, 0))
            continue; /* a fresh instance's file is written from its own parameters (verify_fresh.c) */
        /* absolute: the children run in other folders */
        snprintf(cs->path, sizeof cs->path, "%s%s%s/cases/%s.ini", cwd, cwd[0] ? "/" : "", v->out, cs->name);
        FILE *f = nlif_atomic_open(cs->path, tmp, sizeof tmp, err);
        if (!f)
            return err->code;
        nlif_case_write_ini(f, cs);
        if (nlif_atomic_close(f, tmp, cs->path, err))
            return err->code;
    }
    return NLIF_OK;
}

void nlif_verify_overrides_into(const nlif_verify *v, json_t *verdicts)
{
    if (v->n_sets) {
        json_t *sets = json_array();
        for (int i = 0; i < v->n_sets; i++)
            json_array_append_new(sets, json_string(v->sets[i]));
        json_object_set_new(verdicts, "sets", sets);
    }
    if (v->levels)
        json_object_set_new(verdicts, "levels", json_integer(v->levels));
}
