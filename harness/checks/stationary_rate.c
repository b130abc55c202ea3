/* stationary_rate.c — check `stationary_rate`: the rate at t_final against the exact stationary root
 * expect.stationary_root (MATHEMATICS.md 2), within the case's expect.rate_tol — one bound for every
 * scheme, derived in the case's source from the problem at its default resolution (MATHEMATICS.md 6).
 * Without a stated bound the check FAILs ("no bound"). A scheme that claims a tighter bound
 * (nlif_scheme_type.claims) is held to it as well. */
#include "nlif_check.h"

#include "../../exact/nlif_exact.h"
#include "../case/nlif_case.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void judge(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    double rate = nlif_vd_num(c->run, "final_rate"), tol = nlif_check_bound(cs, "rate_tol"), roots[NLIF_MAX_ROOTS];
    if (!(tol > 0)) {
        nlif_check_cell(c, "stationary_rate", NLIF_FAIL, NAN, "no bound", "",
                        "no bound: the case states the check but no expect.rate_tol");
        return;
    }
    int nr = 0, root = (int)nlif_check_bound(cs, "stationary_root");
    nlif_error e = {0};
    int rc = nlif_stationary_rates(&cs->model, cs->input.i0, roots, NLIF_MAX_ROOTS, &nr, &e);
    if (rc || root >= nr) {
        nlif_check_cell(c, "stationary_rate", NLIF_FAIL, rate, "", "", "no exact stationary root %d: %s",
                        root, rc ? e.msg : "too few roots");
        return;
    }
    double exact = roots[root], dist = fabs(rate - exact);
    char bound[160];
    snprintf(bound, sizeof bound, "|N - %.9g| <= %g", exact, tol);
    const nlif_scheme_claim *claim = nlif_check_claim(c->st, "stationary_rate", tol);
    if (!claim) {
        nlif_check_cell(c, "stationary_rate", dist <= tol ? NLIF_PASS : NLIF_FAIL, dist, bound, cs->expect.source,
                        "final rate %.9g, exact %.9g", rate, exact);
        nlif_check_reference(c, exact);
        return;
    }
    /* the scheme claims better than the case's bound: both are judged, the tighter one decides */
    snprintf(bound + strlen(bound), sizeof bound - strlen(bound), " (the case); <= %g (%s's own claim)", claim->bound,
             c->st->name);
    nlif_check_cell(c, "stationary_rate", dist <= claim->bound ? NLIF_PASS : NLIF_FAIL, dist, bound, cs->expect.source,
                    "final rate %.9g, exact %.9g; %s the case's bound %g; %s the scheme's claim %g (%s)", rate, exact,
                    dist <= tol ? "within" : "beyond", tol, dist <= claim->bound ? "within" : "beyond", claim->bound,
                    claim->source);
    nlif_check_reference(c, exact);
}

/* mc_stationary and work_precision read these too (nlif_check_bound) */
static const nlif_expect_spec keys[] = {
    {"rate_tol", 0, "0", 0, HUGE_VAL, 0,
     "stationary_rate: bound on |final rate - exact|, for every scheme (0: not stated, the check FAILs 'no bound')"},
    {"stationary_root", 1, "0", 0, 7, 0, "stationary_rate: which exact root (0 = lowest)"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

const nlif_check_type nlif_check_stationary_rate = {
    .name = "stationary_rate",
    .title = "long-time rate vs the exact stationary root, within the case's rate_tol",
    .judge = judge,
    .expect = keys,
};
