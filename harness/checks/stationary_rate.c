/* stationary_rate.c — check `stationary_rate`: the rate at t_final against the exact stationary root
 * expect.stationary_root (MATHEMATICS.md 2), within the case's expect.rate_tol — one bound for every
 * scheme, derived in the case's source from the problem at its default resolution (MATHEMATICS.md 6).
 * Without a stated bound the check FAILs ("no bound"). */
#include "nlif_check.h"

#include "../../reference/nlif_exact.h"
#include "../nlif_case.h"

#include <math.h>
#include <stdio.h>

static void judge(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    double rate = nlif_vd_num(c->run, "final_rate"), tol = cs->expect.rate_tol, roots[NLIF_MAX_ROOTS];
    if (!(tol > 0)) {
        nlif_check_cell(c, "stationary_rate", NLIF_FAIL, NAN, "no bound", "",
                        "no bound: the case states the check but no expect.rate_tol");
        return;
    }
    int nr = 0;
    nlif_error e = {0};
    int rc = nlif_stationary_rates(&cs->model, cs->input.i0, roots, NLIF_MAX_ROOTS, &nr, &e);
    if (rc || cs->expect.stationary_root >= nr) {
        nlif_check_cell(c, "stationary_rate", NLIF_FAIL, rate, "", "", "no exact stationary root %d: %s",
                        cs->expect.stationary_root, rc ? e.msg : "too few roots");
        return;
    }
    double exact = roots[cs->expect.stationary_root];
    char bound[96];
    snprintf(bound, sizeof bound, "|N - %.9g| <= %g", exact, tol);
    nlif_check_cell(c, "stationary_rate", fabs(rate - exact) <= tol ? NLIF_PASS : NLIF_FAIL, fabs(rate - exact), bound,
                    cs->expect.source, "final rate %.9g, exact %.9g", rate, exact);
}

const nlif_check_type nlif_check_stationary_rate = {
    .name = "stationary_rate",
    .title = "long-time rate vs the exact stationary root, within the case's rate_tol",
    .judge = judge,
};
