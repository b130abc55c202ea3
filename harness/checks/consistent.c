/* consistent.c — check `consistent`: what a run says about itself agrees with the data it wrote
 * (RESULTS.md, "What is judged"). The checks judge figures nlif recomputes from the series and the
 * snapshots (nlif_vd_judged_summary), never the summary's members as written; this check FAILs a run
 * whose summary or columns disagree with the data they summarise beyond round-off — a mass column
 * that its own snapshots contradict, a final rate outside the N it averages, a minimum better than
 * the values written, an MFE the fired column does not show. Such a run is "inconsistent", never a
 * pass, whatever the other checks find (MATHEMATICS.md 6). */
#include "nlif_check.h"

#include <stdio.h>

static void judge(const nlif_check_ctx *c)
{
    const json_t *found = json_object_get(c->run, "inconsistencies");
    size_t n = json_array_size(found);
    if (!n) {
        nlif_check_cell(c, "consistent", NLIF_PASS, 0, "0 disagreements", "RESULTS.md (what is judged); MATHEMATICS.md 6",
                        "summary and columns agree with the series and snapshots they summarise");
        return;
    }
    /* FAIL however the list reads: a finding's text is never what decides */
    nlif_check_cell(c, "consistent", NLIF_FAIL, (double)n, "0 disagreements", "RESULTS.md (what is judged); MATHEMATICS.md 6",
                    "inconsistent result: %s%s", json_string_value(json_array_get(found, 0)),
                    n > 1 ? " (and more: nlif check lists them all)" : "");
}

const nlif_check_type nlif_check_consistent = {
    .name = "consistent",
    .title = "the run's summary and columns agree with the data they summarise (inconsistent result: FAIL)",
    .always = 1,
    .judge = judge,
};
