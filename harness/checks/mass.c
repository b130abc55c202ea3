/* mass.c — check `mass`: max over the run of |mass(t) − mass(0)|, all parts included, against the
 * case's expect.mass_drift (MATHEMATICS.md 6). A scheme that renormalises its mass reports the largest
 * correction it applied (cell `mass_guard`): it may only remove round-off, or the renormalisation would
 * hide a conservation defect from the mass check. */
#include "nlif_check.h"

#include "../case/nlif_case.h"

#include <math.h>
#include <stdio.h>

static void judge(const nlif_check_ctx *c)
{
    char bound[64];
    double bound_v = nlif_check_bound(c->cs, "mass_drift"), drift = nlif_vd_num(c->run, "mass_drift");
    snprintf(bound, sizeof bound, "<= %g", bound_v);
    nlif_check_cell(c, "mass", drift <= bound_v ? NLIF_PASS : NLIF_FAIL, drift, bound, "MATHEMATICS.md 6 (mass, all parts)",
                    NULL);
    double guard = nlif_vd_num(json_object_get(c->run, "stats"), "mass_renormalisation_max");
    if (isfinite(guard))
        nlif_check_cell(c, "mass_guard", guard <= bound_v ? NLIF_PASS : NLIF_FAIL, guard, bound,
                        "MATHEMATICS.md 6: a renormalisation may only remove round-off",
                        "largest mass correction applied by the scheme's renormalisation");
}

static const nlif_expect_spec keys[] = {
    {"mass_drift", 0, "1e-12", 0, 1, 1, "mass: bound on max |mass(t) - mass(0)| (MATHEMATICS.md 6)"},
    {NULL, 0, NULL, 0, 0, 0, NULL},
};

const nlif_check_type nlif_check_mass = {
    .name = "mass",
    .title = "mass conserved to expect.mass_drift (and any renormalisation only removes round-off)",
    .always = 1,
    .judge = judge,
    .expect = keys,
};
