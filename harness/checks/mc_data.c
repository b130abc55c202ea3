/* mc_data.c — the Monte Carlo reference column's `data` cell: the stored data the case's checks rely on
 * (reference/data/CASE/, with provenance). n.a. when no check of the case reads it. */
#include "nlif_check.h"

#include "../case/nlif_case.h"

#include <math.h>

static void judge(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    int used = 0;
    for (int i = 0; nlif_checks[i]; i++)
        used |= nlif_checks[i]->uses_mc && nlif_case_states(cs, nlif_checks[i]->name);
    if (!used) {
        nlif_verdict(c->v, cs->name, "mc", "data", NLIF_NA, NAN, "", "", NULL, "no check of this case uses Monte Carlo data");
        return;
    }
    if (!c->mc) {
        nlif_verdict(c->v, cs->name, "mc", "data", NLIF_FAIL, NAN, "stored data present", "reference/data", NULL,
                     "the case's checks need reference/data/%s/: %s", cs->name, c->mc_why);
        return;
    }
    const json_t *s = c->mc->summary, *prov = json_object_get(s, "provenance");
    nlif_verdict(c->v, cs->name, "mc", "data", prov ? NLIF_PASS : NLIF_FAIL, nlif_vd_num(s, "particles"),
                 "stored data with provenance", "reference/data", NULL, "N_p %g, R %g, dt %g, seed %g, commit %s",
                 nlif_vd_num(s, "particles"), nlif_vd_num(s, "realisations"), nlif_vd_num(s, "dt"), nlif_vd_num(s, "seed"),
                 prov ? json_string_value(json_object_get(prov, "commit")) : "?");
}

const nlif_check_type nlif_check_mc_data = {
    .name = "data",
    .title = "the stored Monte Carlo data the case's checks rely on",
    .always = 1,
    .per_case = 1,
    .judge = judge,
};
