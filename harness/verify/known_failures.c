/* known_failures.c — the parser of ci/known_failures: "case scheme check  reason" per line ('#'
 * comments, blank lines), a figure a scheme is known not to meet. Listed failures stay FAIL in every
 * table and report but do not fail the run; a listed one that passes is an error of its own (the
 * cells meet the list as they are written: harness/judge/judge.c). A malformed line is refused with
 * FILE:LINE.
 */
#include "nlif_verify.h"

#include "../judge/judge_state.h"
#include "../../io/nlif_results.h"

#include <stdio.h>
#include <string.h>

int nlif_verify_load_known(nlif_verify *v, nlif_error *err)
{
    if (v->known_loaded++)
        return NLIF_OK;
    char path[4200];
    snprintf(path, sizeof path, "%s/ci/known_failures", nlif_root());
    FILE *f = fopen(path, "r");
    if (!f)
        return NLIF_OK;
    char line[1024];
    int ln = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        line[strcspn(line, "\n")] = '\0';
        char *p = line;
        while (*p == ' ')
            p++;
        if (!*p || *p == '#')
            continue;
        if (v->n_known == NLIF_VERIFY_MAX_KNOWN) {
            fclose(f);
            return nlif_fail(err, NLIF_EINVAL, "%s:%d: more than %d known failures", path, ln, NLIF_VERIFY_MAX_KNOWN);
        }
        nlif_known_failure *k = &v->known[v->n_known];
        int used = 0;
        if (sscanf(p, "%63s %31s %47s %n", k->cs, k->scheme, k->check, &used) != 3 || !p[used]) {
            fclose(f);
            return nlif_fail(err, NLIF_EINVAL, "%s:%d: not 'case scheme check reason' (the reason is required)", path, ln);
        }
        snprintf(k->reason, sizeof k->reason, "%s", p + used);
        v->n_known++;
    }
    fclose(f);
    return NLIF_OK;
}
