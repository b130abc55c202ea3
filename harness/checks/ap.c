/* ap.c — check `ap`: asymptotic preservation (MATHEMATICS.md 6). One step of the structured case at
 * ε = 1e−2 … 1e−12 (every other ε in --quick) against one step of the scheme's ε = 0 limit scheme —
 * the option assignment the scheme declares (nlif_scheme_type.limit_option): the L1 distance of the
 * last profiles must scale like ε, fitted log–log slope 1 ± 0.05. Needs capability structured; a
 * scheme that declares no limit mode has nothing to compare the sweep with: n.a., said so. */
#include "nlif_check.h"

#include "../../core/nlif_fit.h"
#include "../../io/nlif_results.h"
#include "../case/nlif_case.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define EPS_LEVELS 11
static const double ap_eps[EPS_LEVELS] = {1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12};

static void plan(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    if (!st->limit_option)
        return;
    for (int e = -1; e < EPS_LEVELS; e++) {
        if (!nlif_verify_full(v) && e >= 0 && e % 2)
            continue; /* --quick: every other ε */
        char stem[256];
        if (e < 0)
            snprintf(stem, sizeof stem, "%s.%s.ap_limit", cs->name, st->name);
        else
            snprintf(stem, sizeof stem, "%s.%s.ap_eps%d", cs->name, st->name, e);
        if (e < 0)
            nlif_verify_run_job(v, cs, st, stem, &(nlif_run_args){.opt = st->limit_option});
        else
            nlif_verify_run_job(v, cs, st, stem, &(nlif_run_args){.set_key = "structure.epsilon", .set_value = ap_eps[e]});
    }
}

static void judge(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    const nlif_scheme_type *st = c->st;
    if (!st->limit_option) {
        nlif_check_cell(c, "ap", NLIF_NA, NAN, "", "",
                        "declares no epsilon = 0 limit mode (nlif_scheme_type.limit_option): nothing to compare the sweep with");
        return;
    }
    char lim[1400], detail[1024] = "";
    const char *runs = nlif_verify_dir(c->v, "runs");
    snprintf(lim, sizeof lim, "%s/%s.%s.ap_limit.snapshots.csv", runs, cs->name, st->name);
    if (nlif_verify_on_disk(c->v) && access(lim, F_OK) != 0) {
        nlif_check_cell(c, "ap", NLIF_NA, NAN, "", "", "no epsilon sweep on disk (%s missing)", lim);
        return;
    }
    nlif_fit fit = {0};
    int n = 0;
    json_t *levels = json_array(); /* the sweep, for the report's figure of the distance against epsilon */
    for (int e = 0; e < EPS_LEVELS; e++) {
        char p[1400];
        snprintf(p, sizeof p, "%s/%s.%s.ap_eps%d.snapshots.csv", runs, cs->name, st->name, e);
        double d = nlif_vd_profile_distance(p, lim);
        if (isnan(d))
            continue;
        snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "eps %.0e: %.3e; ", ap_eps[e], d);
        json_array_append_new(levels, json_pack("{s:f, s:o}", "epsilon", ap_eps[e], "distance", nlif_json_number(d)));
        if (d > 0) {
            nlif_fit_add(&fit, log(ap_eps[e]), log(d));
            n++;
        }
    }
    double slope = n >= 3 ? nlif_fit_slope(&fit) : NAN;
    json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:o, s:f, s:f, s:s}", "case", cs->name, "scheme", st->name, "purpose", "ap",
                            "refine", "epsilon", "levels", levels, "expected", 1.0, "tolerance", 0.05, "limit",
                            st->limit_option);
    json_object_set_new(rec, "slope", nlif_json_number(slope));
    nlif_verify_add_convergence(c->v, rec);
    json_decref(rec);
    nlif_verdict(c->v, cs->name, st->name, "ap", fabs(slope - 1) <= 0.05 ? NLIF_PASS : NLIF_FAIL, slope,
                 "slope 1 +- 0.05 over eps = 1e-2 .. 1e-12", "MATHEMATICS.md 6 (asymptotic preservation); limit mode: the scheme's",
                 NULL, "%s(%d levels, limit %s) %s", n < 3 ? "too few levels; " : "", n, st->limit_option, detail);
}

const nlif_check_type nlif_check_ap = {
    .name = "ap",
    .title = "one-step distance to the scheme's declared epsilon = 0 limit mode scales like epsilon",
    .needs = NLIF_SUPPORTS_STRUCTURED,
    .plan = plan,
    .judge = judge,
};
