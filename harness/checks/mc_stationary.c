/* mc_stationary.c — check `mc_stationary` (Monte Carlo column): a live `nlif mc` run of the case; its
 * stationary rate within 3 SE of the exact root (MATHEMATICS.md 1.1, 2). The check that catches a
 * Monte Carlo without the bridge correction (its O(dt) bias is several SE at the case's step). Two
 * populations (MATHEMATICS.md 1.6): each population's rate against its exact E-I rate, cells
 * stationary_rate and stationary_rate(I) (reference/montecarlo_ei.c). */
#include "nlif_check.h"

#include "../../exact/nlif_exact.h"
#include "../../io/nlif_resultfmt.h"
#include "../case/nlif_case.h"
#include "../../io/nlif_identity.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

static void plan(nlif_verify *v, const nlif_case *cs, const nlif_scheme_type *st)
{
    (void)st;
    char stem[256];
    snprintf(stem, sizeof stem, "%s.mc", cs->name);
    nlif_job *j = nlif_verify_job(v, "mc", stem);
    if (!j)
        return;
    nlif_mc_args a = {.case_path = cs->path, .threads = 1, .out = nlif_verify_dir(v, "mc")};
    a.n_extra = nlif_verify_mc_args(v, &a.extra);
    nlif_mc_argv(j, &a);
}

static void judge(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    char path[1400], bound[160], err_text[1200], stem[256];
    const char *dir = nlif_verify_dir(c->v, "mc");
    snprintf(stem, sizeof stem, "%s.mc", cs->name);
    snprintf(path, sizeof path, "%s/%s.json", dir, cs->name);
    const nlif_job *j = nlif_verify_find_job(c->v, stem);
    if (!j && nlif_verify_on_disk(c->v) && access(path, F_OK) != 0) {
        nlif_verdict(c->v, cs->name, "mc", "stationary_rate", NLIF_NA, NAN, "", "", NULL, "no live Monte Carlo run on disk (%s)",
                     path);
        return;
    }
    nlif_error e = {0};
    int produced = j ? j->exit_code == 0 : nlif_verify_on_disk(c->v);
    nlif_judged_note(path);
    json_t *mc = produced ? nlif_rf_mc_read(dir, cs->name, NULL, &e) : NULL;
    double roots[NLIF_MAX_ROOTS];
    int nr = 0, root = (int)nlif_check_bound(cs, "stationary_root");
    if (!mc) {
        if (e.code)
            snprintf(err_text, sizeof err_text, "result set refused: %s", e.msg);
        else
            nlif_verify_job_error(j, err_text, sizeof err_text);
        nlif_error_clear(&e);
        nlif_verdict(c->v, cs->name, "mc", "stationary_rate", NLIF_FAIL, NAN, "the Monte Carlo run completes", "", NULL, "%s",
                     err_text);
        return;
    }
    double pair[NLIF_MAX_ROOTS][2];
    int two = cs->model.populations == 2; /* two populations (MATHEMATICS.md 1.6): both rates, each its own cell */
    if (two ? nlif_population_rates(&cs->model, cs->input.i0, pair, NLIF_MAX_ROOTS, &nr, &e) || root >= nr
            : nlif_stationary_rates(&cs->model, cs->input.i0, roots, NLIF_MAX_ROOTS, &nr, &e) || root >= nr) {
        nlif_verdict(c->v, cs->name, "mc", "stationary_rate", NLIF_FAIL, NAN, "", "", path, "no exact stationary root: %s", e.msg);
        json_decref(mc);
        return;
    }
    for (int al = 0; al <= two; al++) {
        double exact = two ? pair[root][al] : roots[root];
        double m = nlif_vd_num(mc, al ? "rate_final_mean_i" : "rate_final_mean"), se = nlif_vd_num(mc, al ? "rate_final_se_i" : "rate_final_se");
        snprintf(bound, sizeof bound, "|N%s - %.6g| <= 3 SE = %.3g", al ? "_I" : "", exact, 3 * se);
        const json_t *bridge = json_object_get(mc, "bridge");
        nlif_verdict(c->v, cs->name, "mc", al ? "stationary_rate(I)" : "stationary_rate",
                     fabs(m - exact) <= 3 * se ? NLIF_PASS : NLIF_FAIL, (m - exact) / se, bound,
                     "MATHEMATICS.md 1.1 (bridge correction: O(dt) bias), 2 (exact root)", path,
                     "measured in SE: rate %.6g +- %.2g (N_p %g, R %g, dt %g, bridge %s)", m, se, nlif_vd_num(mc, "particles"),
                     nlif_vd_num(mc, "realisations"), nlif_vd_num(mc, "dt"), json_is_true(bridge) ? "on" : "off");
    }
    json_decref(mc);
}

const nlif_check_type nlif_check_mc_stationary = {
    .name = "mc_stationary",
    .title = "a live Monte Carlo run: its stationary rate within 3 SE of the exact root",
    .per_case = 1,
    .plan = plan,
    .judge = judge,
};
