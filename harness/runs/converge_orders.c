/* converge_orders.c — the order table of one quantity of a convergence study (nlif_converge.h):
 * error ratios, local orders, the least-squares fit and the order check's judgement, recomputed from
 * the levels the study wrote (MATHEMATICS.md 6, "Convergence order"). One definition for the check
 * (harness/checks/order.c) and for the study's own table and figure (`nlif converge --plot --tex`,
 * reports/converge_study.c), so that what the table flags is what the check fails.
 *
 * Local order of the pair (k−1, k): log(e_{k−1}/e_k) / log(h_{k−1}/h_k), as deal.II's
 * ConvergenceTable (reduction_rate_log2) and PETSc's convergence estimator print it. Against the
 * finest run at h_ref (J halvings below the last level) the error of level k is C(h_k^q − h_ref^q),
 * so the local order a scheme of order q shows there is log((h_{k−1}^q − h_ref^q)/(h_k^q − h_ref^q))
 * / log(h_{k−1}/h_k) (2.017 for the finest pair at q = 2, J = 3); against an exact solution, q.
 *
 * A Δt ladder refines only if the runs take the halved step. A scheme whose own limit (explicit's
 * CFL step) is below the ladder's Δt takes the same steps on every level: its error is flat and its
 * "order" is the slope of its round-off (0.006). The steps each level took (its samples − 1, counted
 * from the series it wrote, not from anything it says) decide: a pair whose finer level took fewer
 * than 1.5x the steps of the coarser one did not refine; it has no local order, and the fit starts
 * after it. A ladder left with fewer than two such levels shows no order: n.a. with the reason.
 */
#include "nlif_converge.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *nlif_order_why_text(nlif_order_why w)
{
    switch (w) {
    case NLIF_ORD_OK: return "";
    case NLIF_ORD_NO_ERROR: return "no error (the run did not reach t_final)";
    case NLIF_ORD_ROUNDOFF: return "error at round-off";
    case NLIF_ORD_NOT_REFINED: return "the step was not refined";
    case NLIF_ORD_NOT_MEASURED: return "not measured (no reference for it: --no-rate)";
    }
    return "?";
}

static double num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The levels as written: h, error, steps, and why a level has no usable error. */
static void read_levels(const json_t *conv, const char *err_key, const char *ref_key, nlif_order_table *T)
{
    const json_t *levels = json_object_get(conv, "levels");
    const char *ref = json_string_value(json_object_get(conv, ref_key));
    int none = ref && !strcmp(ref, "none");
    T->n = 0;
    for (size_t k = 0; k < json_array_size(levels) && k < NLIF_MAX_LEVELS; k++) {
        const json_t *l = json_array_get(levels, k);
        const char *status = json_string_value(json_object_get(l, "status"));
        const json_t *st = json_object_get(l, "steps");
        T->h[k] = num(l, "h");
        T->err[k] = num(l, err_key);
        T->steps[k] = json_is_integer(st) ? (long)json_integer_value(st) : -1;
        T->why_level[k] = none                                                  ? NLIF_ORD_NOT_MEASURED
                          : !status || strcmp(status, "ok") || !(T->err[k] >= 0) ? NLIF_ORD_NO_ERROR
                          : T->err[k] <= NLIF_CONV_ROUNDOFF                     ? NLIF_ORD_ROUNDOFF
                                                                                : NLIF_ORD_OK;
        T->n = (int)k + 1;
    }
}

/* Pair k refined: the finer run took at least 1.5x the steps of the coarser (a Δt ladder only; the
 * other directions keep Δt or scale it on purpose, and a study without step counts is taken as
 * refined). */
static int refined(const nlif_order_table *T, int k, int dt_ladder)
{
    if (!dt_ladder || T->steps[k - 1] <= 0 || T->steps[k] < 0)
        return 1;
    return (double)T->steps[k] >= 1.5 * (double)T->steps[k - 1];
}

/* Why the ladder shows no order, into T->na. */
static void say_na(nlif_order_table *T, int last_unrefined)
{
    int usable = 0, roundoff = 0;
    for (int k = 0; k < T->n; k++)
        usable += T->why_level[k] == NLIF_ORD_OK, roundoff += T->why_level[k] == NLIF_ORD_ROUNDOFF;
    if (last_unrefined > 0) {
        int k = last_unrefined;
        snprintf(T->na, sizeof T->na,
                 "the Δt ladder did not refine: levels %d-%d took %ld and %ld steps for Δt %g and %g (the scheme's "
                 "own step limit, e.g. a CFL step, is below the ladder's Δt): the errors measure no order in Δt",
                 k - 1, k, T->steps[k - 1], T->steps[k], T->h[k - 1], T->h[k]);
    } else if (roundoff && usable < 2)
        snprintf(T->na, sizeof T->na, "%d of %d levels have errors at round-off (<= %g): no order to measure", roundoff,
                 T->n, NLIF_CONV_ROUNDOFF);
    else
        snprintf(T->na, sizeof T->na, "fewer than two levels with an error (%d of %d)", usable, T->n);
}

/* The check's judgement (harness/checks/order.c): fit, finest pair, drift. */
static void judge(nlif_order_table *T)
{
    int last = T->n - 1, reached = 0;
    T->fin = last > 0 ? T->local[last] : NAN;
    T->fin_expect = last > 0 ? T->expect_local[last] : NAN;
    T->fit_ok = fabs(T->fit - T->q) <= T->tol;
    T->fin_ok = fabs(T->fin - T->fin_expect) <= T->tol;
    T->drift_at = -1;
    for (int k = 1; k < T->n; k++) {
        if (T->why_pair[k] == NLIF_ORD_NOT_REFINED)
            continue; /* no local order to judge; the fit says n.a. */
        int within = T->local[k] >= T->expect_local[k] - T->tol;
        /* coarse pairs still rising towards q (pre-asymptotic) are not a drift; a pair without a local
         * order after the ladder reached its order is (a level that stopped) */
        if (!within && reached) {
            T->drift[k] = isfinite(T->local[k]);
            if (T->drift_at < 0)
                T->drift_at = k;
        }
        reached |= within;
    }
    T->pass = T->fit_ok && T->fin_ok && T->drift_at < 0;
}

void nlif_order_table_of(const json_t *conv, const char *err_key, const char *ref_key, double q, double tol,
                         nlif_order_table *T)
{
    memset(T, 0, sizeof *T);
    T->q = q, T->tol = tol;
    const char *ref = json_string_value(json_object_get(conv, ref_key));
    const char *dir = json_string_value(json_object_get(conv, "refine"));
    int dt_ladder = dir && (!strcmp(dir, "t") || !strcmp(dir, "vt"));
    T->ref_h = ref && !strcmp(ref, "finest") ? num(conv, "reference_h") : NAN;
    read_levels(conv, err_key, ref_key, T);
    int last_unrefined = 0;
    for (int k = 0; k < T->n; k++) {
        T->ratio[k] = T->local[k] = T->expect_local[k] = NAN;
        if (k == 0)
            continue;
        T->ratio[k] = T->err[k - 1] / T->err[k];
        if (!(T->h[k - 1] > T->h[k] && T->h[k] > 0)) {
            T->why_pair[k] = NLIF_ORD_NO_ERROR;
            continue;
        }
        if (!refined(T, k, dt_ladder))
            T->why_pair[k] = NLIF_ORD_NOT_REFINED, last_unrefined = k;
        else if (T->why_level[k - 1] || T->why_level[k])
            T->why_pair[k] = T->why_level[k - 1] ? T->why_level[k - 1] : T->why_level[k];
        double lr = log(T->h[k - 1] / T->h[k]);
        if (!T->why_pair[k])
            T->local[k] = log(T->err[k - 1] / T->err[k]) / lr;
        double rq = isfinite(T->ref_h) && T->ref_h > 0 && T->ref_h < T->h[k] ? pow(T->ref_h, q) : 0.0;
        T->expect_local[k] = log((pow(T->h[k - 1], q) - rq) / (pow(T->h[k], q) - rq)) / lr;
    }
    /* the fit: the usable levels after the last pair that did not refine */
    T->fit_from = last_unrefined;
    double h[NLIF_MAX_LEVELS], e[NLIF_MAX_LEVELS];
    int m = 0;
    for (int k = T->fit_from; k < T->n; k++) {
        h[k - T->fit_from] = T->h[k];
        e[k - T->fit_from] = T->why_level[k] ? NAN : T->err[k];
        m += !T->why_level[k];
    }
    T->fit = nlif_fit_order(h, e, T->n - T->fit_from);
    if (m < 2 || !isfinite(T->fit)) {
        T->fit = NAN;
        say_na(T, last_unrefined);
    }
    judge(T);
}
