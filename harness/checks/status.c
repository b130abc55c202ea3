/* status.c — check `status`: how the run ended. A case whose solution blows up (expect.blowup) is
 * passed by a scheme with capability mfe, which must reach t_final, and stops one without it, which
 * must report status blowup; without a blow-up every scheme reaches t_final (MATHEMATICS.md 6). */
#include "nlif_check.h"

#include "../case/nlif_case.h"

#include <stdio.h>
#include <string.h>

static void judge(const nlif_check_ctx *c)
{
    const char *status = json_string_value(json_object_get(c->run, "status"));
    const char *cause = json_string_value(json_object_get(c->run, "cause"));
    int passes = !!(c->st->flags & NLIF_SUPPORTS_MFE);
    const char *want = c->cs->expect.blowup && !passes ? "blowup" : "ok";
    char bound[64];
    snprintf(bound, sizeof bound, "status %s", want);
    nlif_check_cell(c, "status", status && !strcmp(status, want) ? NLIF_PASS : NLIF_FAIL, nlif_vd_num(c->run, "stop_time"),
                    bound,
                    c->cs->expect.blowup ? (passes ? "case expect.blowup; capability mfe: passes it"
                                                   : "case expect.blowup; no capability mfe: stops at it")
                                         : "the run reaches t_final",
                    "status %s%s%s", status ? status : "?", cause ? ": " : "", cause ? cause : "");
}

const nlif_check_type nlif_check_status = {
    .name = "status",
    .title = "the run reaches t_final, or stops at the blow-up the case states when the scheme cannot pass it",
    .always = 1,
    .judge = judge,
};
