/* positivity.c — check `positivity`: the minimum over the run of p (and queue, Dirac masses) is
 * non-negative, with a rounding floor of −1e−15·max p reported, never hidden (MATHEMATICS.md 6). */
#include "nlif_check.h"

#include <math.h>
#include <stdio.h>

static void judge(const nlif_check_ctx *c)
{
    double minp = nlif_vd_num(c->run, "min_density"), maxp = nlif_vd_num(c->run, "max_density");
    double floor_ = -1e-15 * (isfinite(maxp) && maxp > 0 ? maxp : 1);
    char bound[96];
    snprintf(bound, sizeof bound, ">= %.3g (rounding floor -1e-15 max p)", floor_);
    if (minp < 0 && minp >= floor_)
        nlif_check_cell(c, "positivity", NLIF_PASS, minp, bound, "MATHEMATICS.md 6",
                        "negative values within the rounding floor (reported)");
    else
        nlif_check_cell(c, "positivity", minp >= floor_ ? NLIF_PASS : NLIF_FAIL, minp, bound, "MATHEMATICS.md 6", NULL);
}

const nlif_check_type nlif_check_positivity = {
    .name = "positivity",
    .title = "the density stays non-negative (rounding floor -1e-15 max p)",
    .always = 1,
    .judge = judge,
};
