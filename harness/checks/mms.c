/* mms.c — check `mms`: a run of a manufactured case (MATHEMATICS.md §6b) against its exact solution, at
 * the case's default resolution. Cells `mms(p)`: the L1 distance of EVERY snapshot the run wrote to the
 * exact profile p_m(·, t) at its time (the worst by error over bound), and `mms(N)`: |N(t) − N_m(t)|
 * at every sample t > 0 of its series (the worst by error over bound). Every figure is recomputed from
 * the files the run wrote; the snapshot times the case asks for, and t_final, must be among them.
 *
 * Bounds (§6b, from the closed form, not fitted): the leading truncation error of a scheme of first
 * order in v and in t at the case's Δv, Δt — for p at t, (Δv/2) TV(p_m(t)) + (Δt/2) ∫_0^t ||∂_tt p_m||_1;
 * for N at t, (Δv/2) (dN/dg) |∂_vv p_m(V_F, t)| + (Δt/2) ∫_0^t |N̈_m| (core/nlif_mms.c). A scheme
 * that drops the source, or any part of it, misses them by an order of magnitude (tests/test_mms.c).
 * Needs capability source (a scheme without it is n.a.); a case that states mms without a
 * [manufactured] section FAILs: a check that silently does not apply catches nothing.
 */
#include "nlif_check.h"

#include "../../core/nlif_mms.h"
#include "../../io/nlif_identity.h"
#include "../../io/nlif_resultfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct worst {
    double err, bound, t;
    int n;
} worst;

static void note(worst *w, double t, double err, double bound)
{
    /* a NaN error (a NaN density or rate) is the worst of all */
    if (w->n == 0 || !(err / bound <= w->err / w->bound))
        w->err = err, w->bound = bound, w->t = t;
    w->n++;
}

/* Every snapshot of the run's snapshot file against p_m at its time; the case's snapshot times and
 * t_final must all be there. 0, or −1 with why. */
static int snapshots(const nlif_case *cs, const char *path, worst *W, char *why, size_t wl)
{
    nlif_rf_table tab;
    nlif_judged_note(path);
    if (nlif_rf_table_read(path, nlif_rf_snapshot_cols, &tab, NULL) || !tab.nrow) {
        snprintf(why, wl, "no snapshots (%s)", path);
        return -1;
    }
    int rc = 0;
    double *v = malloc(tab.nrow * sizeof *v), *p = malloc(tab.nrow * sizeof *p);
    double want[NLIF_MAX_SNAPSHOTS + 1];
    int nwant = 0, seen[NLIF_MAX_SNAPSHOTS + 1] = {0};
    for (int k = 0; k < cs->run.n_snapshots; k++)
        want[nwant++] = cs->run.snapshots[k];
    want[nwant++] = cs->run.t_final;
    for (size_t i = 0; v && p && i < tab.nrow;) {
        double t = tab.x[i * 4 + 1];
        int m = 0;
        for (; i < tab.nrow && tab.x[i * 4 + 1] == t; i++)
            if (tab.x[i * 4] == 'v')
                v[m] = tab.x[i * 4 + 2], p[m++] = tab.x[i * 4 + 3];
        if (W->n > NLIF_MAX_SNAPSHOTS + 1) { /* each costs a quadrature; a run writes the case's times only */
            snprintf(why, wl, "more snapshot times than the case asks for (%d and t_final) in %s", cs->run.n_snapshots,
                     path);
            rc = -1;
            break;
        }
        double err = nlif_mms_profile_error(cs, t, v, p, m);
        if (isnan(err) && m >= 2 && fabs(v[0] - cs->model.v_min) <= 1e-9 && fabs(v[m - 1] - cs->model.v_f) <= 1e-9) {
            /* the nodes are the case's grid but a value is NaN: that is an error, not a refusal */
            err = INFINITY;
        } else if (isnan(err)) {
            snprintf(why, wl, "the snapshot at t = %g is not on a uniform grid of the case from V_min to V_F "
                     "(%d nodes)", t, m);
            rc = -1;
            break;
        }
        note(W, t, err, nlif_mms_bound_p(cs, t));
        for (int k = 0; k < nwant; k++)
            seen[k] |= fabs(t - want[k]) <= 1e-9 * (1 + want[k]);
    }
    for (int k = 0; !rc && k < nwant; k++)
        if (!seen[k]) {
            snprintf(why, wl, "no snapshot at t = %g, which the case asks for (%s)", want[k], path);
            rc = -1;
        }
    if (!v || !p)
        snprintf(why, wl, "out of memory"), rc = -1;
    free(v), free(p);
    nlif_rf_table_free(&tab);
    return rc;
}

/* Points of the table of the bound's time term: a series may hold any number of samples, and the time
 * term (a quadrature over [0, t]) is nondecreasing, so each sample takes the value at the table point
 * at or after it — never below the bound at its own time, and above it by one table step's growth. */
#define TIME_TABLE 1000

static int rates(const nlif_case *cs, const char *path, worst *W, char *why, size_t wl)
{
    series s = {0};
    if (nlif_vd_load_series(path, &s)) {
        snprintf(why, wl, "no series (%s)", path);
        return -1;
    }
    double T = cs->run.t_final, tab[TIME_TABLE + 1];
    for (int k = 0; k <= TIME_TABLE; k++)
        tab[k] = nlif_mms_bound_rate_time(cs, T * k / TIME_TABLE);
    for (int i = 0; i < s.n; i++) {
        if (!(s.t[i] > 0)) /* N(0) is the discrete rate of the data (MATHEMATICS.md 6) */
            continue;
        double x = ceil(s.t[i] / T * TIME_TABLE);
        double time = tab[x < 0 ? 0 : x > TIME_TABLE ? TIME_TABLE : (int)x];
        note(W, s.t[i], fabs(s.rate[i] - nlif_mms_rate(cs, s.t[i])), nlif_mms_bound_rate_space(cs, s.t[i]) + time);
    }
    nlif_vd_free_series(&s);
    if (!W->n) {
        snprintf(why, wl, "the series has no sample after t = 0 (%s)", path);
        return -1;
    }
    return 0;
}

static void judge(const nlif_check_ctx *c)
{
    const nlif_case *cs = c->cs;
    if (!cs->manufactured.enabled) {
        nlif_check_cell(c, "mms", NLIF_FAIL, NAN, "", "MATHEMATICS.md 6b",
                        "the case states mms but has no [manufactured] section: no exact solution to judge against");
        return;
    }
    const char *status = json_string_value(json_object_get(c->run, "status"));
    if (!status || strcmp(status, "ok")) {
        nlif_check_cell(c, "mms", NLIF_FAIL, NAN, "", "MATHEMATICS.md 6b",
                        "the run stopped (status %s) before t_final: the exact solution is smooth and positive",
                        status ? status : "?");
        return;
    }
    char snap[1400], ser[1400], why[600] = "", bound[64];
    snprintf(snap, sizeof snap, "%.*s.snapshots.csv", (int)strlen(c->runpath) - 5, c->runpath);
    snprintf(ser, sizeof ser, "%.*s.series.csv", (int)strlen(c->runpath) - 5, c->runpath);
    worst P = {0}, N = {0};
    if (snapshots(cs, snap, &P, why, sizeof why) || rates(cs, ser, &N, why, sizeof why)) {
        nlif_check_cell(c, "mms", NLIF_FAIL, NAN, "", "MATHEMATICS.md 6b", "%s", why);
        return;
    }
    const char *src = "first-order truncation bound at the case's dv, dt from the closed form; MATHEMATICS.md 6b";
    snprintf(bound, sizeof bound, "<= %.3g", P.bound);
    nlif_check_cell(c, "mms(p)", P.err <= P.bound ? NLIF_PASS : NLIF_FAIL, P.err, bound, src,
                    "L1 distance of p to the exact p_m at each of %d snapshots; the worst (error / bound) at t = %g",
                    P.n, P.t);
    snprintf(bound, sizeof bound, "<= %.3g", N.bound);
    nlif_check_cell(c, "mms(N)", N.err <= N.bound ? NLIF_PASS : NLIF_FAIL, N.err, bound, src,
                    "|N - N_m| at each of %d samples t > 0; the worst (error / bound) at t = %g", N.n, N.t);
}

const nlif_check_type nlif_check_mms = {
    .name = "mms",
    .title = "every snapshot and N(t) against the exact manufactured solution (cases with a [manufactured] section)",
    .needs = NLIF_SUPPORTS_SOURCE,
    .judge = judge,
};
