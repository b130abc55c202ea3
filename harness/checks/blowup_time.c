/* blowup_time.c — check `blowup_time`: when the solution first blows up. For a scheme without
 * capability mfe, where it stops (its blow-up indicator); for one with it, its first MFE. Both against
 * the first Monte Carlo MFE (mean over the realisations), within expect.blowup_tol (MATHEMATICS.md 6). */
#include "nlif_check.h"

#include "../case/nlif_case.h"

#include <math.h>
#include <stdio.h>

static void judge(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    if (!c->mc) {
        nlif_check_cell(c, "blowup_time", NLIF_FAIL, NAN, "", "",
                        "no usable stored Monte Carlo data for %s (reference/data/%s/: %s): the case states a check without its reference",
                        cs->name, cs->name, c->mc_why);
        return;
    }
    int passes = !!(c->st->flags & NLIF_SUPPORTS_MFE);
    const json_t *first = json_array_get(json_object_get(c->run, "mfe"), 0);
    const json_t *m1 = json_array_get(json_object_get(c->mc->summary, "mfe"), 0);
    double tb = passes ? (first ? nlif_vd_num(first, "t") : NAN) : nlif_vd_num(c->run, "blowup_time");
    double tm = m1 ? nlif_vd_num(m1, "t_mean") : NAN;
    double tol = nlif_check_bound(cs, "blowup_tol");
    char bound[96];
    snprintf(bound, sizeof bound, "|t_blowup - t_MFE1| <= %g", tol);
    nlif_check_cell(c, "blowup_time", fabs(tb - tm) <= tol ? NLIF_PASS : NLIF_FAIL, fabs(tb - tm), bound,
                    "case expect.blowup_tol; Monte Carlo reference/data", "%s at %.6g, first Monte Carlo MFE at %.6g",
                    passes ? "first MFE" : "blow-up (the run stops)", tb, tm);
}

static const nlif_expect_spec keys[] = {
    {"blowup_tol", 0, "0.1", 0, HUGE_VAL, 1, "blowup_time: bound on |blow-up time - first Monte Carlo MFE time|"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

const nlif_check_type nlif_check_blowup_time = {
    .name = "blowup_time",
    .title = "first blow-up (where the run stops, or its first MFE) vs the first Monte Carlo MFE",
    .uses_mc = 1,
    .judge = judge,
    .expect = keys,
};
