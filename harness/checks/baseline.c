/* baseline.c — check `baseline`: regression against ci/baselines/CASE.SCHEME.json. What a baseline
 * holds (MATHEMATICS.md §6, "Baselines"): the content hash of the case it was recorded on; the key
 * figures of the pair (final rate, mass drift, blow-up time, MFE count, first MFE time and size); a
 * few points of the transient (N at 5 times, p at 5 nodes of the final snapshot); the run's CPU
 * seconds as a multiple of a calibration sweep run in the run's own process; each with its tolerance,
 * and the provenance of the run that recorded them. Deterministic code on the same inputs: the figures
 * differ between machines by compilers and libm only. A part an older baseline lacks is n.a. for that
 * part, never a failure. A case edited since the baseline is said to be one ("case edited since the
 * baseline"), not taken for a solver's regression. `verify --update-baselines --why TEXT` rewrites
 * them. */
#include "nlif_check.h"

#include "../case/nlif_case.h"
#include "../case/nlif_fresh.h"
#include "../../io/nlif_results.h"
#include "../../io/nlif_verdicts.h"

#include <math.h>
#include <stdarg.h>
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
/* the transient's points: the tolerance of final_rate for N, the same relative one for p */
static const double transient_rtol = 1e-6, transient_atol = 1e-10;
/* CPU (MATHEMATICS.md §6, "Baselines", where the threshold is measured against this machine's noise):
 * a run more than cpu_threshold times as costly, in calibration units, as its baseline FAILs; below
 * cpu_floor CPU seconds in the baseline the ratio is shown, not judged (start-up and the timer's
 * resolution weigh on a few milliseconds). */
static const double cpu_threshold = 2.0, cpu_floor = 0.1;
/* The kind of build the CPU was measured by: a sanitizer build's instrumentation slows a solver and
 * the calibration sweep by different factors, so its CPU is compared with its own kind only. */
#if defined(__SANITIZE_ADDRESS__)
#define BUILD_KIND "sanitizer"
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BUILD_KIND "sanitizer"
#endif
#endif
#ifndef BUILD_KIND
#define BUILD_KIND "optimized"
#endif

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

/* What the baseline compares of the run now (the transient read again by the one reader). */
typedef struct now {
    char hash[NLIF_HASH_TEXT];
    int have_transient;
    double t[NLIF_TRANSIENT_N], n[NLIF_TRANSIENT_N], v[NLIF_TRANSIENT_N], p[NLIF_TRANSIENT_N];
    double cpu, cal;
} now;

static void measure(const nlif_check_ctx *c, now *m)
{
    nlif_case_hash(c->cs, m->hash);
    nlif_rf_run r;
    nlif_error e = {0};
    m->have_transient = nlif_rf_run_read(c->runpath, &r, &e) == NLIF_OK;
    if (m->have_transient) {
        nlif_run_transient(&r, m->t, m->n, m->v, m->p);
        nlif_rf_run_free(&r);
    }
    m->cpu = nlif_vd_num(c->run, "cpu_seconds"), m->cal = nlif_vd_num(c->run, "calibration_seconds");
}

static json_t *points(const double *x, const char *xname, const double *y)
{
    json_t *a = json_array();
    for (int k = 0; k < NLIF_TRANSIENT_N; k++)
        json_array_append_new(a, json_pack("{s:o, s:o}", xname, nlif_json_number(x[k]), "value", nlif_json_number(y[k])));
    return a;
}

static void rewrite(const nlif_check_ctx *c, const char *path, const char *why)
{
    now m;
    measure(c, &m);
    json_t *figs = json_object();
    for (const figure *f = figures; f->name; f++)
        json_object_set_new(figs, f->name,
                            json_pack("{s:o, s:f, s:f}", "value", nlif_json_number(figure_value(c->run, f->name)), "rtol", f->rtol,
                                      "atol", f->atol));
    json_t *out = json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:o}", "case", c->cs->name, "scheme", c->st->name, "case_hash",
                            m.hash, "figures", figs, "why", why, "provenance", nlif_provenance_json(), "options",
                            json_deep_copy(json_object_get(c->run, "options")));
    if (m.have_transient)
        json_object_set_new(out, "transient",
                            json_pack("{s:o, s:o, s:f, s:f}", "rate", points(m.t, "t", m.n), "density", points(m.v, "v", m.p),
                                      "rtol", transient_rtol, "atol", transient_atol));
    if (m.cpu > 0 && m.cal > 0)
        json_object_set_new(out, "cpu",
                            json_pack("{s:f, s:f, s:f, s:s}", "cpu_seconds", m.cpu, "calibration_seconds", m.cal, "ratio", m.cpu / m.cal,
                                      "build", BUILD_KIND));
    nlif_error e = {0};
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/ci/baselines", nlif_root());
    if (nlif_mkdir_p(dir, &e) || nlif_write_json(path, out, &e))
        nlif_check_cell(c, "baseline", NLIF_FAIL, NAN, "", "", "cannot write %s: %s", path, e.msg);
    else
        nlif_check_cell(c, "baseline", NLIF_PASS, NAN, "rewritten", "--update-baselines", "rewritten: %s", why);
    json_decref(out);
}

typedef struct verdict {
    int moved;      /* a figure or a transient point beyond its tolerance */
    int cpu_bad;    /* the CPU ratio beyond the threshold */
    double worst;   /* largest |now − baseline| of the figures */
    char text[2048];
} verdict;

static void say(verdict *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(verdict *d, const char *fmt, ...)
{
    size_t l = strlen(d->text);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->text + l, sizeof d->text - l, fmt, ap);
    va_end(ap);
}

static int same(double old, double now, double rtol, double atol)
{
    return (isnan(old) && isnan(now)) || fabs(now - old) <= rtol * fmax(fabs(old), fabs(now)) + atol;
}

static void compare_figures(const nlif_check_ctx *c, const json_t *base, verdict *d)
{
    const json_t *figs = json_object_get(base, "figures");
    for (const figure *f = figures; f->name; f++) {
        const json_t *b = json_object_get(figs, f->name);
        if (!b)
            continue;
        double old = nlif_vd_num(b, "value"), now = figure_value(c->run, f->name), rtol = nlif_vd_num(b, "rtol"),
               atol = nlif_vd_num(b, "atol");
        if (isfinite(old) && isfinite(now))
            d->worst = fmax(d->worst, fabs(now - old));
        if (!same(old, now, rtol, atol)) {
            d->moved = 1;
            say(d, "%s moved: baseline %.12g, now %.12g (relative change %.3g; tolerance rtol %g, atol %g); ", f->name, old, now,
                old != 0 && isfinite(old) ? (now - old) / fabs(old) : NAN, rtol, atol);
        }
    }
}

static void compare_transient(const json_t *base, const now *m, verdict *d)
{
    const json_t *tr = json_object_get(base, "transient");
    if (!tr) {
        say(d, "transient n.a. (the baseline predates it); ");
        return;
    }
    if (!m->have_transient) {
        d->moved = 1;
        say(d, "transient: the run's series and snapshots cannot be read; ");
        return;
    }
    double rtol = nlif_vd_num(tr, "rtol"), atol = nlif_vd_num(tr, "atol");
    int bad = 0;
    for (int k = 0; k < NLIF_TRANSIENT_N; k++) {
        const json_t *r = json_array_get(json_object_get(tr, "rate"), (size_t)k), *p = json_array_get(json_object_get(tr, "density"), (size_t)k);
        double n0 = nlif_vd_num(r, "value"), p0 = nlif_vd_num(p, "value"), v0 = nlif_vd_num(p, "v");
        if (r && !same(n0, m->n[k], rtol, atol))
            bad++, say(d, "N(t = %.6g) moved: baseline %.12g, now %.12g (relative change %.3g); ", m->t[k], n0, m->n[k],
                       (m->n[k] - n0) / fabs(n0));
        if (p && !same(v0, m->v[k], 1e-12, 1e-12))
            bad++, say(d, "final snapshot: node %d at v = %.12g, was v = %.12g (the grid changed); ", k + 1, m->v[k], v0);
        else if (p && !same(p0, m->p[k], rtol, atol))
            bad++, say(d, "p(v = %.6g, t_end) moved: baseline %.12g, now %.12g (relative change %.3g); ", m->v[k], p0, m->p[k],
                       (m->p[k] - p0) / fabs(p0));
    }
    d->moved |= bad > 0;
    if (!bad)
        say(d, "transient unchanged (N at %d times, p at %d nodes); ", NLIF_TRANSIENT_N, NLIF_TRANSIENT_N);
}

static void compare_cpu(const json_t *base, const now *m, verdict *d)
{
    const json_t *cpu = json_object_get(base, "cpu");
    double b = nlif_vd_num(cpu, "ratio"), bs = nlif_vd_num(cpu, "cpu_seconds"), thr = cpu_threshold, floor_s = cpu_floor;
    if (!cpu || !(b > 0)) {
        say(d, "CPU n.a. (the baseline predates it)");
        return;
    }
    const char *build = json_string_value(json_object_get(cpu, "build"));
    if (build && strcmp(build, BUILD_KIND)) {
        say(d, "CPU n.a. (measured by a %s build, this is a%s %s build)", build, BUILD_KIND[0] == 'o' ? "n" : "", BUILD_KIND);
        return;
    }
    if (!(m->cpu > 0 && m->cal > 0)) {
        say(d, "CPU n.a. (the run records no CPU or calibration seconds)");
        return;
    }
    double r = m->cpu / m->cal / b;
    /* the ratio itself only when it FAILs: a verdict's text must not change from run to run (two
     * verifications of one tree give identical records; `nlif compare` shows every ratio) */
    if (bs < floor_s)
        say(d, "CPU not judged (%.3g s in the baseline, under %g s)", bs, floor_s);
    else if (r > thr) {
        d->cpu_bad = 1;
        say(d, "CPU %.3g x the baseline's in calibration units (threshold %g x): %.3g s now (calibration %.3g s), %.3g s then", r, thr,
            m->cpu, m->cal, bs);
    } else
        say(d, "CPU within %g x the baseline's in calibration units", thr);
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
    now m;
    measure(c, &m);
    verdict d = {0};
    const char *h = json_string_value(json_object_get(base, "case_hash"));
    int edited = h && m.hash[0] && strcmp(h, m.hash);
    compare_figures(c, base, &d);
    compare_transient(base, &m, &d);
    compare_cpu(base, &m, &d);
    char head[300] = "";
    if (edited) /* the case moved, not necessarily the solver: say so first */
        snprintf(head, sizeof head, "case edited since the baseline (case hash %s then, %s now)%s; ", h, m.hash,
                 d.moved ? ": its figures moved with it, not a solver regression; re-record with --update-baselines --why TEXT" : "");
    else if (!h)
        snprintf(head, sizeof head, "case hash n.a. (the baseline predates it); ");
    int fail = d.moved || d.cpu_bad;
    nlif_check_cell(c, "baseline", fail ? NLIF_FAIL : NLIF_PASS, d.worst,
                    "figures and transient within tolerance, CPU within 2x", "ci/baselines; MATHEMATICS.md 6",
                    "%s%s%s", head, d.moved ? "" : "figures unchanged; ", d.text);
    json_decref(base);
}

const nlif_check_type nlif_check_baseline = {
    .name = "baseline",
    .title = "regression: the pair's key figures, transient and CPU against ci/baselines",
    .always = 1,
    .judge = judge,
};
