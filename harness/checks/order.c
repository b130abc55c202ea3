/* order.c — checks `order_v`, `order_t`, `order_w`: the observed convergence order under refinement in
 * one direction (`nlif converge`: a ladder of levels, ratio 2, against the finest level or an exact
 * solution, MATHEMATICS.md 6) against the order the scheme declares (nlif_scheme_type.order_*),
 * within expect.order_tol. A scheme that declares no order in the direction has no bound: FAIL.
 * order_t needs capability time_step (an adaptive integrator has no Δt to refine). The w ladder keeps
 * Δt fixed (explicit upwind stays within CFL) with the reference one halving finer, and is judged on
 * ρ(w) against the exact characteristic solution; its N order is in the convergence record only (the
 * fit against a reference one halving finer is biased upwards). The three directions share this
 * file: they are one check with a direction. */
#include "nlif_check.h"

#include "../case/nlif_case.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

static const char *const dirs[] = {"v", "t", "w"};

static int dir_of(const char *check)
{
    return check[6] == 'v' ? 0 : check[6] == 't' ? 1 : 2;
}

static void plan_dir(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st, int d)
{
    char stem[256];
    snprintf(stem, sizeof stem, "%s.%s.order_%s", cs->name, st->name, dirs[d]);
    /* the w ladder: dt fixed, one halving for the reference */
    nlif_converge_args study = {.refine = dirs[d], .fixed_dt = d == 2, .ref_halvings = d == 2 ? 1 : 0};
    study.levels = nlif_verify_full(v) ? (int)nlif_check_bound(cs, "levels") : 4;
    nlif_plan_converge(v, cs, st, stem, &study);
}

static void judge_dir(const nlif_check_ctx *c, const char *check)
{
    int d = dir_of(check);
    char stem[256], err_text[1200], path[1400];
    snprintf(stem, sizeof stem, "%s.%s.%s", c->cs->name, c->st->name, check);
    /* the study `nlif converge --out` wrote: CONVERGE/CASE.SCHEME.DIR.json (RESULTS.md) */
    nlif_converge_study_path(c->v, c->cs, c->st, dirs[d], path, sizeof path);
    const nlif_job *j = nlif_verify_find_job(c->v, stem);
    if (!j && nlif_verify_on_disk(c->v) && access(path, F_OK) != 0) {
        nlif_verdict(c->v, c->cs->name, c->st->name, check, NLIF_NA, NAN, "", "", NULL, "no ladder on disk (%s)", path);
        return;
    }
    err_text[0] = '\0';
    json_t *conv = (j ? j->exit_code == 0 : nlif_verify_on_disk(c->v)) ? nlif_vd_load_study(path, err_text, sizeof err_text) : NULL;
    if (!conv) {
        if (!err_text[0])
            nlif_verify_job_error(j, err_text, sizeof err_text);
        nlif_verdict(c->v, c->cs->name, c->st->name, check, NLIF_FAIL, NAN, "", "", NULL, "convergence study failed: %s",
                     err_text);
        return;
    }
    nlif_verify_add_convergence(c->v, conv);
    static const char *const kinds[2][3] = {{"p", "order_p", "expected_p"}, {"N", "order_rate", "expected_rate"}};
    int judged = 0;
    const char *ref = json_string_value(json_object_get(conv, "reference"));
    for (int k = 0; k < 2; k++) {
        double obs = nlif_vd_num(conv, kinds[k][1]), exp_ = nlif_vd_num(conv, kinds[k][2]);
        if (isnan(exp_) || (d == 2 && k == 1))
            continue;
        char name[32], bound[64];
        double tol = nlif_check_bound(c->cs, "order_tol");
        snprintf(name, sizeof name, "%s(%s)", check, kinds[k][0]);
        snprintf(bound, sizeof bound, "%.3g +- %g", exp_, tol);
        nlif_verdict(c->v, c->cs->name, c->st->name, name, fabs(obs - exp_) <= tol ? NLIF_PASS : NLIF_FAIL,
                     obs, bound, "the scheme's expected order; MATHEMATICS.md 6", NULL, "reference: %s", ref ? ref : "?");
        judged++;
    }
    if (!judged)
        nlif_verdict(c->v, c->cs->name, c->st->name, check, NLIF_FAIL, NAN, "no bound", "", NULL,
                     "no bound: %s declares no expected order in this direction (nlif_scheme_type.order_*)", c->st->name);
    json_decref(conv);
}

static void plan_v(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st) { plan_dir(v, cs, st, 0); }
static void plan_t(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st) { plan_dir(v, cs, st, 1); }
static void plan_w(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st) { plan_dir(v, cs, st, 2); }
static void judge_v(const nlif_check_ctx *c) { judge_dir(c, "order_v"); }
static void judge_t(const nlif_check_ctx *c) { judge_dir(c, "order_t"); }
static void judge_w(const nlif_check_ctx *c) { judge_dir(c, "order_w"); }

/* one table for the three directions: one check with a direction, one declaration of its keys */
static const nlif_expect_spec keys[] = {
    {"order_tol", 0, "0.15", 0, 2, 1, "order_v/t/w: bound on |observed - expected order| (MATHEMATICS.md 6)"},
    {"levels", 1, "4", 3, 8, 0, "order_v/t/w: refinement levels with errors in --full"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

const nlif_check_type nlif_check_order_v = {
    .name = "order_v",
    .title = "observed order under refinement of dv vs the scheme's declared order (p and N)",
    .plan = plan_v,
    .judge = judge_v,
    .expect = keys,
};

const nlif_check_type nlif_check_order_t = {
    .name = "order_t",
    .title = "observed order under refinement of dt vs the scheme's declared order (p and N)",
    .needs = NLIF_HAS_TIME_STEP,
    .plan = plan_t,
    .judge = judge_t,
    .expect = keys,
};

const nlif_check_type nlif_check_order_w = {
    .name = "order_w",
    .title = "observed order of rho(w) under refinement of dw vs the scheme's declared order",
    .needs = NLIF_SUPPORTS_STRUCTURED,
    .plan = plan_w,
    .judge = judge_w,
    .expect = keys,
};
