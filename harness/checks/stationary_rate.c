/* stationary_rate.c — check `stationary_rate`: the rate at t_final against the exact stationary root
 * expect.stationary_root (MATHEMATICS.md 2), within the case's expect.rate_tol — one bound for every
 * scheme, derived in the case's source from the problem at its default resolution (MATHEMATICS.md 6).
 * Without a stated bound the check FAILs ("no bound"). A scheme that claims a tighter bound
 * (nlif_scheme_type.claims) is held to it as well.
 *
 * Cell stationary_rate(dv/4): the rate of a run at Δv/4 and Δt/4 started in the exact stationary
 * state (initial.type = stationary, the same root; under the constant input i0 the root is of, a
 * pulse that is on by then included), over T = 0.1, against rate_tol/4 — the bound at
 * Δv/4 of the first-order leading error rate_tol is derived from, the weakest claim a consistent
 * solver makes (MATHEMATICS.md 6). Started there, a consistent solver's N moves from the discrete
 * flux of the exact profile towards its own discrete stationary rate, both within that bound at any
 * T; a rate biased by a fixed fraction does not shrink with Δv: a 1% bias, inside rate_tol (up to 2%
 * of N) at the default Δv, is 1.5 to 8 times rate_tol/4 on every stationary case. T is short because
 * an explicit scheme's cost grows like Δv^−3 under its CFL step (60 to 120 s of CPU at Δv/4 for
 * T = 5). Every solver, whatever it declares: it needs only a grid and a step.
 *
 * Two populations (MATHEMATICS.md §1.6): the roots are the E-I states (N_E, N_I) of §2, and each
 * population has its own cells, stationary_rate and stationary_rate(I) (and their dv/4 cells), against
 * the one rate_tol: a solver wrong in I alone FAILs the I cells. */
#include "nlif_check.h"

#include "../../exact/nlif_exact.h"
#include "../case/nlif_case.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define REFINE 4      /* Δv/4, Δt/4 */
#define REFINED_T 0.1 /* the refined run's horizon (at most the case's) */

static void refined_stem(const nlif_case *cs, const nlif_scheme_type *st, char *out, size_t len)
{
    snprintf(out, len, "%s.%s.rate_dv4", cs->name, st->name);
}

static void plan(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    char stem[256], root[64], tf[64], snap[64];
    refined_stem(cs, st, stem, sizeof stem);
    double t = fmin(cs->run.t_final, REFINED_T);
    snprintf(root, sizeof root, "initial.root=%d", (int)nlif_check_bound(cs, "stationary_root"));
    snprintf(tf, sizeof tf, "run.t_final=%.17g", t);
    snprintf(snap, sizeof snap, "run.snapshots=%.17g", t);
    /* the exact root is the one of the constant input i0 the case relaxes under (a pulse on until
     * after t_final, pulse_on): the refined run holds that input from its start */
    const char *input = cs->input.type == NLIF_INPUT_NONE || cs->input.type == NLIF_INPUT_CONSTANT ? NULL
                                                                                                    : "input.type=constant";
    /* a delayed case (MATHEMATICS.md 1.4): the history is the root too, so that the exact stationary
     * state solves the delayed problem from t = 0 on (a history of 0 would kick it); the delay is cut
     * to the short horizon (d <= t_final), which changes nothing of a solution that stays at rest */
    double roots[NLIF_MAX_ROOTS];
    int nr = 0, k = (int)nlif_check_bound(cs, "stationary_root");
    nlif_error e = {0};
    char hist[64] = "", delay[64] = "";
    if (cs->model.delay > 0 && !nlif_stationary_rates(&cs->model, cs->input.i0, roots, NLIF_MAX_ROOTS, &nr, &e) &&
        k >= 0 && k < nr) {
        snprintf(hist, sizeof hist, "model.delay_history=%.17g", roots[k]);
        snprintf(delay, sizeof delay, "model.delay=%.17g", fmin(cs->model.delay, t));
    }
    nlif_verify_run_job(v, cs, st, stem,
                        &(nlif_run_args){.dv = cs->run.dv / REFINE, .dt = cs->run.dt / REFINE,
                                         .sets = {"initial.type=stationary", root, tf, snap, hist[0] ? hist : NULL,
                                                  hist[0] ? delay : NULL},
                                         .set_key = input ? "input.type" : NULL, .set_text = input ? "constant" : NULL});
}

/* The refined cell: the run at Δv/4 against rate_tol/4 (ALPHA 1: population I's rate, MATHEMATICS.md §1.6). */
static void judge_refined(const nlif_check_ctx *c, double exact, double tol, int alpha)
{
    const char *cell = alpha ? "stationary_rate(I, dv/4)" : "stationary_rate(dv/4)", *key = alpha ? "final_rate_i" : "final_rate";
    char stem[256], path[1400], why[1200] = "", bound[160];
    refined_stem(c->cs, c->st, stem, sizeof stem);
    snprintf(path, sizeof path, "%s/%s.json", nlif_verify_dir(c->v, "runs"), stem);
    const nlif_job *j = nlif_verify_find_job(c->v, stem);
    if (!j && nlif_verify_on_disk(c->v) && access(path, F_OK) != 0) {
        nlif_check_no_claim(c, cell, "no refined run on disk (%s; nlif verify runs it)", path);
        return;
    }
    json_t *run = nlif_vd_load_run(path, why, sizeof why);
    const char *st = run ? json_string_value(json_object_get(run, "status")) : NULL;
    snprintf(bound, sizeof bound, "|N - %.9g| <= %g (rate_tol/%d)", exact, tol / REFINE, REFINE);
    if (!run || !st || strcmp(st, "ok")) {
        char err[1200];
        if (j && j->exit_code)
            nlif_verify_job_error(j, err, sizeof err);
        nlif_check_cell(c, cell, NLIF_FAIL, NAN, bound, "MATHEMATICS.md 6",
                        "the run at dv/4 from the stationary state %s: %s", run ? "stopped" : "failed",
                        run ? (st ? st : "no status") : (j && j->exit_code ? err : why));
        json_decref(run);
        return;
    }
    double rate = nlif_vd_num(run, key), dist = fabs(rate - exact);
    nlif_check_cell(c, cell, dist <= tol / REFINE ? NLIF_PASS : NLIF_FAIL, dist, bound,
                    "rate_tol at dv/4: the first-order leading error at a quarter of the default dv (MATHEMATICS.md 6)",
                    "final rate %.9g at dv = %g, dt = %g from the exact stationary state, exact %.9g", rate,
                    c->cs->run.dv / REFINE, c->cs->run.dt / REFINE, exact);
    nlif_check_reference(c, exact);
    json_decref(run);
}

/* The exact rate of root ROOT: of the one population, or (two populations, MATHEMATICS.md §1.6) N_E and
 * N_I of the E-I state; 0, or 1 with WHY. */
static int exact_rates(const nlif_case *cs, int root, double *ne, double *ni, char *why, size_t len)
{
    double roots[NLIF_MAX_ROOTS], pair[NLIF_MAX_ROOTS][2];
    int nr = 0, two = cs->model.populations == 2;
    nlif_error e = {0};
    int rc = two ? nlif_population_rates(&cs->model, cs->input.i0, pair, NLIF_MAX_ROOTS, &nr, &e)
                 : nlif_stationary_rates(&cs->model, cs->input.i0, roots, NLIF_MAX_ROOTS, &nr, &e);
    if (rc || root >= nr) {
        snprintf(why, len, "no exact stationary root %d: %s", root, rc ? e.msg : "too few roots");
        return 1;
    }
    *ne = two ? pair[root][0] : roots[root];
    *ni = two ? pair[root][1] : NAN;
    return 0;
}

/* One population's cell (ALPHA 1: I's, judged on final_rate_i: a solver wrong in I alone FAILs here). */
static void judge_one(const nlif_check_ctx *c, double exact, double tol, int alpha)
{
    const nlif_case *cs = c->cs;
    const char *cell = alpha ? "stationary_rate(I)" : "stationary_rate";
    double rate = nlif_vd_num(c->run, alpha ? "final_rate_i" : "final_rate"), dist = fabs(rate - exact);
    if (isnan(dist)) /* I's rate absent: the result set has no column rate_i */
        dist = INFINITY;
    char bound[160];
    snprintf(bound, sizeof bound, "|N%s - %.9g| <= %g", alpha ? "_I" : "", exact, tol);
    const nlif_scheme_claim *claim = nlif_check_claim(c->st, "stationary_rate", tol);
    if (!claim) {
        nlif_check_cell(c, cell, dist <= tol ? NLIF_PASS : NLIF_FAIL, dist, bound, cs->expect.source,
                        "final rate %.9g, exact %.9g", rate, exact);
        nlif_check_reference(c, exact);
        judge_refined(c, exact, tol, alpha);
        return;
    }
    /* the scheme claims better than the case's bound: both are judged, the tighter one decides */
    snprintf(bound + strlen(bound), sizeof bound - strlen(bound), " (the case); <= %g (%s's own claim)", claim->bound,
             c->st->name);
    nlif_check_cell(c, cell, dist <= claim->bound ? NLIF_PASS : NLIF_FAIL, dist, bound, cs->expect.source,
                    "final rate %.9g, exact %.9g; %s the case's bound %g; %s the scheme's claim %g (%s)", rate, exact,
                    dist <= tol ? "within" : "beyond", tol, dist <= claim->bound ? "within" : "beyond", claim->bound,
                    claim->source);
    nlif_check_reference(c, exact);
    judge_refined(c, exact, tol, alpha);
}

static void judge(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    double rate = nlif_vd_num(c->run, "final_rate"), tol = nlif_check_bound(cs, "rate_tol"), ne, ni;
    if (!(tol > 0)) {
        nlif_check_cell(c, "stationary_rate", NLIF_FAIL, NAN, "no bound", "",
                        "no bound: the case states the check but no expect.rate_tol");
        return;
    }
    char why[400];
    if (exact_rates(cs, (int)nlif_check_bound(cs, "stationary_root"), &ne, &ni, why, sizeof why)) {
        nlif_check_cell(c, "stationary_rate", NLIF_FAIL, rate, "", "", "%s", why);
        return;
    }
    judge_one(c, ne, tol, 0);
    if (cs->model.populations == 2) /* both populations, each against its own exact rate and the one bound */
        judge_one(c, ni, tol, 1);
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
    .plan = plan,
    .judge = judge,
    .expect = keys,
};
