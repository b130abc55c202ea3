/* jump.c — check `jump`: the size of the first MFE against the exact jump of the case's initial data
 * (after the kick), Δ = inf{s ≥ 0 : mass above V_F − b s < s} (MATHEMATICS.md 2), within expect.jump_tol.
 * Needs capability mfe. */
#include "nlif_check.h"

#include "../case/nlif_case.h"

#include <math.h>
#include <stdio.h>

static void judge(const nlif_check_ctx *c)
{
    nlif_error e = {0};
    double exact = nlif_vd_initial_jump(c->cs, &e), tol = nlif_check_bound(c->cs, "jump_tol");
    const json_t *first = json_array_get(json_object_get(c->run, "mfe"), 0);
    double size = first ? nlif_vd_num(first, "size") : NAN;
    char bound[96];
    snprintf(bound, sizeof bound, "|size - %.6g| <= %g", exact, tol);
    nlif_check_cell(c, "jump", first && fabs(size - exact) <= tol ? NLIF_PASS : NLIF_FAIL, first ? fabs(size - exact) : NAN,
                    bound, "exact jump of the initial data (MATHEMATICS.md 2)", "%s: size %.6g at t = %.6g",
                    first ? "first MFE" : "no MFE recorded", first ? size : NAN, first ? nlif_vd_num(first, "t") : NAN);
    nlif_check_reference(c, exact);
}

/* work_precision reads it too (nlif_check_bound) */
static const nlif_expect_spec keys[] = {
    {"jump_tol", 0, "0.02", 0, HUGE_VAL, 1, "jump: bound on |first MFE size - exact jump|"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

const nlif_check_type nlif_check_jump = {
    .name = "jump",
    .title = "first MFE size vs the exact jump of the initial data",
    .needs = NLIF_SUPPORTS_MFE,
    .judge = judge,
    .expect = keys,
};
