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
#include "../runs/nlif_converge.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const dirs[] = {"v", "t", "w"};

static int dir_of(const char *check)
{
    return check[6] == 'v' ? 0 : check[6] == 't' ? 1 : 2;
}

/* Whether the scheme claims an order in direction d (p or N in v). */
static int claims(const nlif_scheme_type *st, int d)
{
    return d == 0 ? isfinite(st->order_v_density) || isfinite(st->order_v_rate) : d == 1 ? isfinite(st->order_t)
                                                                                      : isfinite(st->order_w);
}

static void plan_dir(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st, int d)
{
    char stem[256];
    if (!claims(st, d))
        return; /* no claim, no ladder: the cell is an honest n.a. */
    snprintf(stem, sizeof stem, "%s.%s.order_%s", cs->name, st->name, dirs[d]);
    /* the w ladder: dt fixed, one halving for the reference. order_w judges p alone: where p has its exact
     * reference (the linear rule), the quick and smoke tiers skip N's reference run (--no-rate: it costs
     * more than the ladder); --full keeps it for the report's N curve */
    int no_rate = d == 2 && !nlif_verify_full(v) && cs->structure.rule == NLIF_RULE_LINEAR;
    nlif_converge_args study = {.refine = dirs[d], .fixed_dt = d == 2, .ref_halvings = d == 2 && !no_rate ? 1 : 0,
                                .no_rate = no_rate};
    study.levels = nlif_verify_levels(v) ? nlif_verify_levels(v) : nlif_verify_full(v) ? (int)nlif_check_bound(cs, "levels") : 4;
    nlif_plan_converge(v, cs, st, stem, &study);
}

/* One cell per direction and quantity, from the study's order table (nlif_order_table_of,
 * harness/runs/converge_orders.c: the one definition of the local orders, the fit and the drift that
 * `nlif converge --plot --tex` prints too): the fit within tol of q, the finest pair within tol of its
 * expected local order, and no local order that falls more than tol below its expected one after an
 * earlier pair reached it (a defect that shows only at the fine end of the ladder moves the last
 * local orders before it moves the fit; a coarse pair still rising towards q is not a drift). The
 * cell's figure is the fit, or the first local order that fails. */
void nlif_order_judge_quantity(const json_t *conv, const char *err_key, const char *ref_key, double q, double tol,
                               int *pass, double *measured, char *bound, size_t blen, char *detail, size_t dlen)
{
    const char *ref = json_string_value(json_object_get(conv, ref_key));
    nlif_order_table F;
    nlif_order_table_of(conv, err_key, ref_key, q, tol, &F);
    int last = F.n - 1, drift_at = F.drift_at;
    char locals[400] = "";
    for (int k = 1; k < F.n; k++)
        snprintf(locals + strlen(locals), sizeof locals - strlen(locals), "%s%.3f", k > 1 ? " " : "", F.local[k]);
    *pass = F.pass;
    *measured = !F.fit_ok || *pass ? F.fit : !F.fin_ok ? F.fin : F.local[drift_at];
    snprintf(bound, blen, "fit %.3g +- %g; finest pair %.3f +- %g; no drift below expected - %g", q, tol, F.fin_expect, tol, tol);
    snprintf(detail, dlen, "%s%sfit %.3f, finest pair (levels %d-%d) %.3f (expected %.3f%s), local %s; reference: %s",
             F.fit_ok ? "" : "FIT off; ", F.fin_ok ? (drift_at < 0 ? "" : "LOCAL ORDER drifts below; ") : "FINEST PAIR off; ",
             F.fit, last - 1, last, F.fin, F.fin_expect, isfinite(F.ref_h) ? ": the reference's own error, MATHEMATICS.md 6" : "",
             locals, ref ? ref : "?");
    if (drift_at > 0)
        snprintf(detail + strlen(detail), dlen - strlen(detail), "; levels %d-%d: %.3f < %.3f - %g", drift_at - 1, drift_at,
                 F.local[drift_at], F.expect_local[drift_at], tol);
    if (F.na[0])
        snprintf(detail + strlen(detail), dlen - strlen(detail), "; no order: %s", F.na);
}

static void judge_dir(const nlif_check_ctx *c, const char *check)
{
    int d = dir_of(check);
    char stem[256], err_text[1200], path[1400];
    snprintf(stem, sizeof stem, "%s.%s.%s", c->cs->name, c->st->name, check);
    /* the study `nlif converge --out` wrote: CONVERGE/CASE.SCHEME.DIR.json (RESULTS.md) */
    nlif_converge_study_path(c->v, c->cs, c->st, dirs[d], path, sizeof path);
    const nlif_job *j = nlif_verify_find_job(c->v, stem);
    if (!claims(c->st, d)) {
        nlif_check_no_claim(c, check, "makes no order claim in %s (nlif_scheme_type.order_*): only the accuracy check "
                            "holds it here (MATHEMATICS.md 6)", dirs[d]);
        return;
    }
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
    static const char *const kinds[2][3] = {{"p", "err_p", "reference"}, {"N", "err_rate", "reference_rate"}};
    const double exp_[2] = {d == 0 ? c->st->order_v_density : d == 1 ? c->st->order_t : c->st->order_w,
                            d == 0 ? c->st->order_v_rate : d == 1 ? c->st->order_t : NAN};
    for (int k = 0; k < 2; k++) {
        if (isnan(exp_[k]) || (d == 2 && k == 1))
            continue;
        char name[32], bound[160], detail[1000];
        double tol = nlif_check_bound(c->cs, "order_tol"), measured;
        int pass;
        snprintf(name, sizeof name, "%s(%s)", check, kinds[k][0]);
        nlif_order_judge_quantity(conv, kinds[k][1], kinds[k][2], exp_[k], tol, &pass, &measured, bound, sizeof bound,
                                  detail, sizeof detail);
        nlif_verdict(c->v, c->cs->name, c->st->name, name, pass ? NLIF_PASS : NLIF_FAIL, measured, bound,
                     "the scheme's expected order; MATHEMATICS.md 6", NULL, "%s", detail);
    }
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
