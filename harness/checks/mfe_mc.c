/* mfe_mc.c — check `mfe_mc`: MFE times and sizes against the stored Monte Carlo reference
 * (MATHEMATICS.md 6). Needs capability mfe. Only the MFEs every realisation has are complete
 * references.
 * - A deterministic scheme: every MFE time and size inside the Monte Carlo 2.5–97.5% spread across
 *   realisations, widened by the allowances the case states (expect.mfe_t_allow, mfe_size_allow).
 * - A random scheme: the mean over its seeds of every MFE time and size against the Monte Carlo mean,
 *   in standard errors of the difference, judged family-wise at 95% with a drift figure (the mean
 *   period) over K >= 3 MFEs (nlif_vd_judge_mfe_random). A seed without one of the MFEs fails. */
#include "nlif_check.h"

#include "../case/nlif_case.h"
#include "../../io/nlif_results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void judge_deterministic(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    const json_t *mcm = json_object_get(c->mc->summary, "mfe"), *mfe = json_object_get(c->run, "mfe");
    int n_mc = (int)json_array_size(mcm), inside = 0, total = 0;
    double ta = nlif_check_bound(cs, "mfe_t_allow"), sa = nlif_check_bound(cs, "mfe_size_allow");
    char detail[1024] = "", bound[160];
    for (int k = 0; k < n_mc; k++) {
        const json_t *m = json_array_get(mcm, k);
        if (nlif_vd_num(m, "count") < nlif_vd_num(c->mc->summary, "realisations"))
            continue;
        total += 2;
        const json_t *e = json_array_get(mfe, k);
        if (!e) {
            snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "MFE %d missing; ", k + 1);
            continue;
        }
        double tm = nlif_vd_num(e, "t"), sm = nlif_vd_num(e, "size");
        const json_t *tq = json_object_get(m, "t_q95"), *sq = json_object_get(m, "size_q95");
        double tlo = json_number_value(json_array_get(tq, 0)), thi = json_number_value(json_array_get(tq, 1));
        double slo = json_number_value(json_array_get(sq, 0)), shi = json_number_value(json_array_get(sq, 1));
        int ti = tm >= tlo - ta && tm <= thi + ta, si = sm >= slo - sa && sm <= shi + sa;
        inside += ti + si;
        if ((!ti || !si) && strlen(detail) < 800) { /* only what is outside */
            snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "MFE %d:", k + 1);
            if (!ti)
                snprintf(detail + strlen(detail), sizeof detail - strlen(detail), " t %.5g not in [%.5g, %.5g]", tm, tlo, thi);
            if (!si)
                snprintf(detail + strlen(detail), sizeof detail - strlen(detail), " size %.5g not in [%.5g, %.5g]", sm, slo, shi);
            snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "; ");
        }
    }
    snprintf(bound, sizeof bound, "every MFE time and size inside the MC 2.5-97.5%% range +- (%g, %g)", ta, sa);
    nlif_check_cell(c, "mfe_mc", total > 0 && inside == total ? NLIF_PASS : NLIF_FAIL, total ? (double)inside / total : NAN,
                    bound, "MATHEMATICS.md 6; reference/data Monte Carlo; allowances: case expect",
                    "%d of %d MFE times and sizes inside (allowances included); %s%s", inside, total,
                    total ? "" : "no complete Monte Carlo MFE to compare; ", detail);
    nlif_check_note(c, "t_allow", ta); /* the report draws the band judged: the spread widened by these */
    nlif_check_note(c, "size_allow", sa);
}

static void judge_random(const nlif_check_ctx *c, json_t *const *runs, int n)
{
    const nlif_case *cs = c->cs;
    const mc_data *mc = c->mc;
    const json_t *mcm = json_object_get(mc->summary, "mfe");
    int k = 0, n_mc = (int)json_array_size(mcm);
    while (k < n_mc && k < 512 && nlif_vd_num(json_array_get(mcm, k), "count") >= nlif_vd_num(mc->summary, "realisations"))
        k++;
    const char *src = "MATHEMATICS.md 6 (family-wise; calibration reference/data/dtstudy/TABLE.md); reference/data Monte Carlo; "
                      "allowances: case expect";
    char missing[300] = "";
    for (int i = 0; i < n && !*missing; i++) {
        int have = (int)json_array_size(json_object_get(runs[i], "mfe"));
        if (have < k)
            snprintf(missing, sizeof missing, "seed %d has %d MFEs, every Monte Carlo realisation at least %d", i + 1, have, k);
    }
    if (k == 0 || n < 2 || *missing) {
        nlif_check_cell(c, "mfe_mc", NLIF_FAIL, NAN, "family-wise 95% over the MFE figures of >= 2 seeds", src, "%s",
                        *missing ? missing : k ? "fewer than 2 seeds to average" : "no complete Monte Carlo MFE to compare");
        return;
    }
    double *buf = malloc(sizeof *buf * (size_t)(2 * n * k + 8 * k));
    if (!buf) {
        nlif_check_cell(c, "mfe_mc", NLIF_FAIL, NAN, "", src, "out of memory");
        return;
    }
    double *t = buf, *s = t + n * k, *tm = s + n * k, *tse = tm + k, *sm = tse + k, *sse = sm + k;
    double *tz = sse + k, *sz = tz + k, *t95 = sz + k, *s95 = t95 + k;
    for (int q = 0; q < k; q++) {
        const json_t *m = json_array_get(mcm, q);
        tm[q] = nlif_vd_num(m, "t_mean"), tse[q] = nlif_vd_num(m, "t_se");
        sm[q] = nlif_vd_num(m, "size_mean"), sse[q] = nlif_vd_num(m, "size_se");
        for (int i = 0; i < n; i++) {
            const json_t *e = json_array_get(json_object_get(runs[i], "mfe"), q);
            t[i * k + q] = nlif_vd_num(e, "t"), s[i * k + q] = nlif_vd_num(e, "size");
        }
    }
    char path[700];
    snprintf(path, sizeof path, "%s/reference/data/%s/%s_mfe.csv", nlif_root(), cs->name, cs->name);
    double *mct = NULL;
    int r = 0;
    if (nlif_vd_load_mc_mfe_times(path, k, &mct, &r))
        mct = NULL, r = 0;
    nlif_mfe_judgement j;
    double ta = nlif_check_bound(cs, "mfe_t_allow"), sa = nlif_check_bound(cs, "mfe_size_allow");
    nlif_vd_judge_mfe_random(t, s, n, k, tm, tse, sm, sse, (int)nlif_vd_num(mc->summary, "realisations"), mct, r,
                             ta, sa, tz, sz, t95, s95, &j);
    char detail[1024] = "", dtext[400], bound[256];
    for (int q = 0; q < k && strlen(detail) < 800; q++) {
        if (!(tz[q] <= t95[q]))
            snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "; MFE %d time z %.2f > %.2f", q + 1, tz[q], t95[q]);
        if (!(sz[q] <= s95[q]))
            snprintf(detail + strlen(detail), sizeof detail - strlen(detail), "; MFE %d size z %.2f > %.2f", q + 1, sz[q], s95[q]);
    }
    if (j.kdrift)
        snprintf(dtext, sizeof dtext,
                 "drift: mean period over MFE 1-%d %.5f +- %.5f (%d seeds) vs MC %.5f +- %.5f (%d realisations), z %.2f <= %.2f "
                 "(t, %.1f df)%s",
                 j.kdrift, j.period, j.period_se, n, j.mc_period, j.mc_period_se, r, j.zdrift, j.drift_bound, j.drift_df,
                 j.zdrift <= j.drift_bound ? "" : " (FAIL)");
    else
        snprintf(dtext, sizeof dtext, "drift not judged (%s)", k < 3 ? "fewer than 3 MFEs" : "no per-realisation Monte Carlo MFE times");
    snprintf(bound, sizeof bound, "family-wise 95%%: every MFE figure within its Bonferroni Welch-t bound (%s of the 5%%)%s",
             j.kdrift ? "2.5%" : "all", j.kdrift ? ", the drift within its 2.5% bound" : "");
    double worst = j.zworst / j.worst_bound;
    char dfbuf[40] = "normal: SE 0 on both sides";
    if (isfinite(j.worst_df))
        snprintf(dfbuf, sizeof dfbuf, "t, %.1f df", j.worst_df);
    nlif_check_cell(c, "mfe_mc", j.pass ? NLIF_PASS : NLIF_FAIL, j.kdrift ? fmax(worst, j.zdrift / j.drift_bound) : worst, bound,
                    src,
                    "%d figures (the time and size of %d MFE%s), mean over %d seeds vs the MC mean; z = (|difference| - allowance "
                    "(%g, %g)) / SE of the difference. %d figure%s over the bound; the closest: MFE %d %s, z %.2f vs %.2f (%s). %s. "
                    "Per-figure 95%% (the issue's reading, Welch t; information): %d of %d inside%s",
                    j.nfig, j.nfig / 2, j.nfig == 2 ? "" : "s", n, ta, sa, j.fails,
                    j.fails == 1 ? "" : "s", j.kworst, j.what == 't' ? "time" : "size", j.zworst, j.worst_bound, dfbuf, dtext,
                    j.in95, j.nfig, detail);
    free(mct);
    free(buf);
}

static void judge(const nlif_check_ctx *c)
{
    if (!c->mc) {
        nlif_check_cell(c, "mfe_mc", NLIF_FAIL, NAN, "", "",
                        "no usable stored Monte Carlo data for %s (%s): the case states a check without its reference",
                        c->cs->name, c->mc_why);
        return;
    }
    if (!(c->st->flags & NLIF_IS_RANDOM)) {
        judge_deterministic(c);
        return;
    }
    /* the MFE lists of every seed (seed 1 is the run at the default resolution) */
    json_t *runs[NLIF_RANDOM_SEEDS] = {(json_t *)c->run};
    int n = 1;
    for (int s = 2; s <= NLIF_RANDOM_SEEDS; s++) {
        char p[1400];
        snprintf(p, sizeof p, "%s/%s.%s.seed%d.json", nlif_verify_dir(c->v, "runs"), c->cs->name, c->st->name, s);
        char why[1200];
        if ((runs[n] = nlif_vd_load_run(p, why, sizeof why)))
            n++;
    }
    if (n < 2 && nlif_verify_on_disk(c->v))
        nlif_check_cell(c, "mfe_mc", NLIF_NA, NAN, "", "",
                        "no seeds on disk: a random scheme is judged on the mean over its seeds (%s.%s.seed2.json ...)",
                        c->cs->name, c->st->name);
    else
        judge_random(c, runs, n);
    for (int i = 1; i < n; i++)
        json_decref(runs[i]);
}

/* work_precision and work_precision_mc read them too (nlif_check_bound) */
static const nlif_expect_spec keys[] = {
    {"mfe_t_allow", 0, "0", 0, HUGE_VAL, 0, "mfe_mc: allowance added to the Monte Carlo time interval (a bias the case states)"},
    {"mfe_size_allow", 0, "0", 0, HUGE_VAL, 0, "mfe_mc: allowance added to the Monte Carlo size interval (a bias the case states)"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

const nlif_check_type nlif_check_mfe_mc = {
    .name = "mfe_mc",
    .title = "MFE times and sizes against Monte Carlo (deterministic: inside its spread; random: family-wise 95%)",
    .needs = NLIF_SUPPORTS_MFE,
    .uses_mc = 1,
    .plan = nlif_plan_seeds,
    .judge = judge,
    .expect = keys,
};
