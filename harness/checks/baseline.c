/* baseline.c — check `baseline`: regression against ci/baselines/CASE.SCHEME.json, the key figures of
 * the pair (final rate, mass drift, blow-up time, MFE count, first MFE time and size) with tolerances
 * and the provenance of the run that recorded them. Deterministic code on the same inputs: differences
 * come from compilers and libm only. `verify --update-baselines --why TEXT` rewrites them. */
#include "nlif_check.h"

#include "../case/nlif_case.h"
#include "../case/nlif_fresh.h"
#include "../../io/nlif_results.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct figure {
    const char *name;
    double rtol, atol;
} figure;

static const figure figures[] = {
    {"final_rate", 1e-6, 1e-10}, {"mass_drift", 0, 1e-12}, {"blowup_time", 1e-6, 1e-9},
    {"mfe_count", 0, 0},         {"mfe1_t", 1e-6, 1e-9},   {"mfe1_size", 1e-6, 1e-9},
    {NULL, 0, 0},
};

static double figure_value(const json_t *run, const char *name)
{
    const json_t *mfe = json_object_get(run, "mfe");
    if (!strcmp(name, "mfe_count"))
        return (double)json_array_size(mfe);
    if (!strcmp(name, "mfe1_t"))
        return json_array_size(mfe) ? nlif_vd_num(json_array_get(mfe, 0), "t") : NAN;
    if (!strcmp(name, "mfe1_size"))
        return json_array_size(mfe) ? nlif_vd_num(json_array_get(mfe, 0), "size") : NAN;
    return nlif_vd_num(run, name);
}

static void rewrite(const nlif_check_ctx *c, const char *path, const char *why)
{
    json_t *figs = json_object();
    for (const figure *f = figures; f->name; f++)
        json_object_set_new(figs, f->name,
                            json_pack("{s:o, s:f, s:f}", "value", nlif_json_number(figure_value(c->run, f->name)), "rtol", f->rtol,
                                      "atol", f->atol));
    json_t *out = json_pack("{s:s, s:s, s:o, s:s, s:o, s:o}", "case", c->cs->name, "scheme", c->st->name, "figures", figs,
                            "why", why, "provenance", nlif_provenance_json(), "options",
                            json_deep_copy(json_object_get(c->run, "options")));
    nlif_error e = {0};
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/ci/baselines", nlif_root());
    if (nlif_mkdir_p(dir, &e) || nlif_write_json(path, out, &e))
        nlif_check_cell(c, "baseline", NLIF_FAIL, NAN, "", "", "cannot write %s: %s", path, e.msg);
    else
        nlif_check_cell(c, "baseline", NLIF_PASS, NAN, "rewritten", "--update-baselines", "rewritten: %s", why);
    json_decref(out);
}

static void judge(const nlif_check_ctx *c)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/ci/baselines/%s.%s.json", nlif_root(), c->cs->name, c->st->name);
    if (nlif_fresh_name(c->cs->name, NULL, 0)) { /* drawn at run time: no stored figure can stand for it */
        nlif_check_cell(c, "baseline", NLIF_NA, NAN, "", "", "a fresh instance (drawn at run time) has no baseline");
        return;
    }
    const char *set;
    if (nlif_verify_run_overridden(c->v, &set)) { /* verify --set: another problem than the one recorded */
        nlif_check_cell(c, "baseline", NLIF_NA, NAN, "", "", "the case is overridden (--set %s): its baseline was "
                        "recorded for the catalogue's case", set);
        return;
    }
    const char *why = nlif_verify_update_why(c->v);
    if (why) {
        rewrite(c, path, why);
        return;
    }
    json_t *base = nlif_vd_load_json(path);
    if (!base) {
        nlif_check_cell(c, "baseline", NLIF_NA, NAN, "", "", "no baseline yet (nlif verify --update-baselines --why TEXT records one)");
        return;
    }
    const json_t *figs = json_object_get(base, "figures");
    int bad = 0;
    char detail[1024] = "";
    double worst = 0;
    for (const figure *f = figures; f->name; f++) {
        const json_t *b = json_object_get(figs, f->name);
        if (!b)
            continue;
        double old = nlif_vd_num(b, "value"), now = figure_value(c->run, f->name), rtol = nlif_vd_num(b, "rtol"),
               atol = nlif_vd_num(b, "atol");
        int same = (isnan(old) && isnan(now)) || fabs(now - old) <= rtol * fmax(fabs(old), fabs(now)) + atol;
        if (isfinite(old) && isfinite(now))
            worst = fmax(worst, fabs(now - old));
        if (!same) {
            bad = 1;
            snprintf(detail + strlen(detail), sizeof detail - strlen(detail),
                     "%s moved: baseline %.12g, now %.12g (tolerance rtol %g, atol %g); ", f->name, old, now, rtol, atol);
        }
    }
    nlif_check_cell(c, "baseline", bad ? NLIF_FAIL : NLIF_PASS, worst, "every figure within its tolerance", "ci/baselines", "%s",
                    bad ? detail : "figures unchanged");
    json_decref(base);
}

const nlif_check_type nlif_check_baseline = {
    .name = "baseline",
    .title = "regression: the pair's key figures against ci/baselines",
    .always = 1,
    .judge = judge,
};
