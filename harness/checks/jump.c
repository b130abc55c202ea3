/* jump.c — check `jump`: the first MFE against the exact jump of the case's initial data (after the
 * kick), Δ = inf{s ≥ 0 : mass above V_F − b s < s} (MATHEMATICS.md 2): its size within expect.jump_tol
 * (cell `jump`), and its time — the kick's t0, or 0 when the initial data fire at once — within
 * expect.jump_t_tol, two steps of the case by default (cell `jump(t)`). Needs capability mfe. */
#include "nlif_check.h"

#include "../case/nlif_case.h"

#include <math.h>
#include <stdio.h>

double nlif_check_jump_time_bound(const nlif_case *cs)
{
    double tol = nlif_check_bound(cs, "jump_t_tol");
    return tol > 0 ? tol : 2 * cs->run.dt;
}

static void judge(const nlif_check_ctx *c)
{
    nlif_error e = {0};
    double exact = nlif_vd_initial_jump(c->cs, &e), tol = nlif_check_bound(c->cs, "jump_tol");
    const json_t *first = json_array_get(json_object_get(c->run, "mfe"), 0);
    double size = first ? nlif_vd_num(first, "size") : NAN, t = first ? nlif_vd_num(first, "t") : NAN;
    char bound[96];
    snprintf(bound, sizeof bound, "|size - %.6g| <= %g", exact, tol);
    nlif_check_cell(c, "jump", first && fabs(size - exact) <= tol ? NLIF_PASS : NLIF_FAIL, first ? fabs(size - exact) : NAN,
                    bound, "exact jump of the initial data (MATHEMATICS.md 2)", "%s: size %.6g at t = %.6g",
                    first ? "first MFE" : "no MFE recorded", size, t);
    nlif_check_reference(c, exact);
    double t_exact = nlif_vd_initial_jump_time(c->cs), t_tol = nlif_check_jump_time_bound(c->cs);
    snprintf(bound, sizeof bound, "|t - %.6g| <= %g", t_exact, t_tol);
    nlif_check_cell(c, "jump(t)", first && fabs(t - t_exact) <= t_tol ? NLIF_PASS : NLIF_FAIL, first ? fabs(t - t_exact) : NAN,
                    bound,
                    c->cs->input.type == NLIF_INPUT_KICK ? "the kicked mass fires at the kick (MATHEMATICS.md 2)"
                                                         : "the initial data fire at t = 0 (MATHEMATICS.md 2)",
                    "%s at t = %.6g (size %.6g)", first ? "first MFE" : "no MFE recorded", t, size);
}

/* work_precision reads jump_tol too (nlif_check_bound) */
static const nlif_expect_spec keys[] = {
    {"jump_tol", 0, "0.02", 0, HUGE_VAL, 1, "jump: bound on |first MFE size - exact jump|"},
    {"jump_t_tol", 0, "0", 0, HUGE_VAL, 0,
     "jump(t): bound on |first MFE time - the kick's t0 (0 without a kick)|; 0: two steps of the case (2 run.dt)"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

const nlif_check_type nlif_check_jump = {
    .name = "jump",
    .title = "first MFE size and time vs the exact jump of the initial data",
    .needs = NLIF_SUPPORTS_MFE,
    .judge = judge,
    .expect = keys,
};
