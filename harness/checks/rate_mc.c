/* rate_mc.c — check `rate_mc`: N(t) against the stored Monte Carlo mean (MATHEMATICS.md 6). Bin by bin
 * through the cumulative firing E(t), so that MFE mass lands in the bin of its time: at least
 * expect.mc_inside of the bins inside the Monte Carlo mean ± 3 SE (for a random scheme, the mean over
 * its seeds, the band combined with its own SE: nlif_vd_rate_band); and the L1-in-time distance of a
 * run's N(t) to the Monte Carlo mean no larger than the spread between Monte Carlo realisations
 * (l1_loo_mean of the stored data), judged when the run covers the Monte Carlo interval. A scheme
 * without capability mfe that stops at the case's blow-up before the first bin ends is n.a. */
#include "nlif_check.h"

#include "../case/nlif_case.h"

#include <math.h>
#include <stdio.h>

static void judge(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    const nlif_scheme_type *st = c->st;
    const mc_data *mc = c->mc;
    if (!mc || mc->nbins < 2) {
        nlif_check_cell(c, "rate_mc", NLIF_FAIL, NAN, "", "",
                        "no usable stored Monte Carlo rate series for %s (%s): the case states a check without its reference",
                        cs->name, c->mc_why);
        return;
    }
    int random = !!(st->flags & NLIF_IS_RANDOM), seeds = random ? NLIF_RANDOM_SEEDS : 1;
    series ser[NLIF_RANDOM_SEEDS];
    int ok = 0;
    for (int r = 0; r < seeds; r++) {
        char p[1400];
        const char *runs = nlif_verify_dir(c->v, "runs");
        if (r == 0)
            snprintf(p, sizeof p, "%s/%s.%s.series.csv", runs, cs->name, st->name);
        else
            snprintf(p, sizeof p, "%s/%s.%s.seed%d.series.csv", runs, cs->name, st->name, r + 1);
        ok += nlif_vd_load_series(p, &ser[ok]) == 0;
    }
    int in = 0, nb = 0;
    double l1 = 0, l1_runs = 0; /* of the mean over seeds; the mean over seeds of each run's */
    double t_end = ok ? ser[0].t[ser[0].n - 1] : 0;
    for (int b = 0; b < mc->nbins && ok; b++) {
        double a = mc->t_mid[b] - 0.5 * mc->bin, e = mc->t_mid[b] + 0.5 * mc->bin;
        if (e > t_end + 1e-12)
            break;
        double rate = 0, rr[NLIF_RANDOM_SEEDS];
        for (int r = 0; r < ok; r++) {
            rr[r] = (nlif_vd_fired_at(&ser[r], e) - nlif_vd_fired_at(&ser[r], a)) / mc->bin;
            rate += rr[r];
            l1_runs += fabs(rr[r] - mc->mean[b]) * mc->bin / ok;
        }
        rate /= ok;
        nb++;
        in += fabs(rate - mc->mean[b]) <= nlif_vd_rate_band(mc->se[b], rr, ok, random) + 1e-12;
        l1 += fabs(rate - mc->mean[b]) * mc->bin;
    }
    double spread = nlif_vd_num(mc->summary, "l1_loo_mean");
    int covered = nb == mc->nbins, l1_judged = covered && isfinite(spread);
    int l1_ok = !l1_judged || l1_runs <= spread;
    char l1_text[200], bound[200], na[200];
    if (l1_judged)
        snprintf(l1_text, sizeof l1_text, "; L1 of a run to the MC mean %.4g (mean over %d run%s) vs the MC spread %.4g%s", l1_runs,
                 ok, ok == 1 ? "" : "s", spread, l1_ok ? "" : " (larger: FAIL)");
    else
        snprintf(l1_text, sizeof l1_text, "; L1 of a run to the MC mean %.4g (%s)", l1_runs,
                 covered ? "no stored MC spread l1_loo_mean" : "run shorter than the MC interval: not judged");
    for (int r = 0; r < ok; r++)
        nlif_vd_free_series(&ser[r]);
    double frac = nb ? (double)in / nb : NAN, inside = nlif_check_bound(cs, "mc_inside");
    snprintf(bound, sizeof bound, ">= %.3g of bins within MC mean +- 3 SE%s, and L1 to the MC mean <= the MC spread",
             inside, random && ok > 1 ? " (combined with the SE over seeds)" : "");
    const char *status = json_string_value(json_object_get(c->run, "status"));
    if (!nb && cs->expect.blowup && !(st->flags & NLIF_SUPPORTS_MFE))
        nlif_check_cell(c, "rate_mc", NLIF_NA, NAN, bound, "",
                        "%s: the run stopped at the blow-up, t = %.4g, before the first Monte Carlo bin ended",
                        nlif_lacks(NLIF_SUPPORTS_MFE, na, sizeof na), t_end);
    else if (!nb)
        nlif_check_cell(c, "rate_mc", NLIF_FAIL, NAN, bound, "",
                        "the run stopped at t = %.4g (status %s), before the first Monte Carlo bin ended", t_end,
                        status ? status : "?");
    else
        nlif_check_cell(c, "rate_mc", frac >= inside && l1_ok ? NLIF_PASS : NLIF_FAIL, frac, bound,
                        "MATHEMATICS.md 6; case expect.mc_inside; reference/data l1_loo_mean",
                        "%d of %d bins inside (up to t = %.4g); L1-in-time distance of the mean over runs %.4g%s", in, nb, t_end,
                        l1, l1_text);
}

static const nlif_expect_spec keys[] = {
    {"mc_inside", 0, "0.95", 0, 1, 1, "rate_mc: fraction of time bins inside the Monte Carlo mean +- 3 SE"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

const nlif_check_type nlif_check_rate_mc = {
    .name = "rate_mc",
    .title = "N(t) inside the Monte Carlo mean +- 3 SE, L1 distance within the Monte Carlo spread",
    .uses_mc = 1,
    .plan = nlif_plan_seeds,
    .judge = judge,
    .expect = keys,
};
