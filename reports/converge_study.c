/* converge_study.c — the product of one convergence study (nlif_study.h): the table deal.II's
 * ConvergenceTable and PETSc's convergence estimator print (level, h, error, ratio e_{k−1}/e_k,
 * local order log(e_{k−1}/e_k)/log(h_{k−1}/h_k), and the fitted order), for p and for N, on stdout
 * and as a booktabs LaTeX table, and the log–log figure (fig_convergence.c).
 *
 * Every figure comes from the order check's table (nlif_order_table_of, harness/runs/
 * converge_orders.c; MATHEMATICS.md 6): the same least-squares fit, the same tolerance (the case's
 * expect.order_tol) and the same drift rule (a local order more than order_tol below the local order
 * the claim implies there, after an earlier pair reached it), so that what this table flags is what
 * `nlif verify`'s order cells fail. The column "claim" is that implied local order: q against an
 * exact solution, log((h_{k−1}^q − h_ref^q)/(h_k^q − h_ref^q))/log 2 against the finest run. A pair
 * without an order (round-off, a stopped level, a Δt the scheme did not take) is n.a. with its
 * reason, never a number; a ladder left without two such levels has no fit.
 */
#include "nlif_study.h"

#include "report_internal.h"
#include "../harness/runs/nlif_converge.h"

#include <math.h>
#include <string.h>

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "?";
}

/* The tables of p and of N with the claims order.c judges: none for vt (work–precision), none for N
 * in w (its reference is one halving finer: the fit is biased upwards, MATHEMATICS.md 6). */
static void tables(const json_t *conv, double tol, nlif_order_table T[2])
{
    const char *dir = str(conv, "refine");
    double qp = rp_json_num(conv, "expected_p"), qn = rp_json_num(conv, "expected_rate");
    if (!strcmp(dir, "w"))
        qn = NAN;
    nlif_order_table_of(conv, "err_p", "reference", qp, tol, &T[0]);
    nlif_order_table_of(conv, "err_rate", "reference_rate", qn, tol, &T[1]);
}

static const char *step_name(const char *dir)
{
    return !strcmp(dir, "t") ? "dt" : !strcmp(dir, "w") ? "dw" : "dv";
}

/* The step not refined that the table shows beside h (vt: dt, which halves with dv). */
static const char *other_name(const char *dir)
{
    return !strcmp(dir, "t") ? "dv" : "dt";
}

/* A number of the table: "-" for none, else FMT. */
static const char *cell(char *buf, size_t len, const char *fmt, double x)
{
    if (isfinite(x))
        snprintf(buf, len, fmt, x);
    else
        snprintf(buf, len, "-");
    return buf;
}

/* The local order of pair k as the table shows it: the number with '*' when it drifts, n.a. */
static const char *local_cell(char *buf, size_t len, const nlif_order_table *T, int k)
{
    if (k == 0)
        snprintf(buf, len, "-");
    else if (T->why_pair[k])
        snprintf(buf, len, "n.a.");
    else
        snprintf(buf, len, "%.3f%s", T->local[k], T->drift[k] ? "*" : "");
    return buf;
}

/* One line on the fit of quantity WHAT: the fitted order, the claim, the check's three conditions. */
static void fit_line(FILE *f, const char *what, const char *dir, const nlif_order_table *T)
{
    if (!isfinite(T->fit)) {
        fprintf(f, "  fitted order: %s n.a. — %s\n", what, T->na);
        if (isfinite(T->q))
            fprintf(f, "    the order check (order_%s(%s)): FAIL (a claimed order %g the ladder cannot show)\n", dir, what, T->q);
        return;
    }
    fprintf(f, "  fitted order: %s %.3f (levels %d-%d, least squares of log e on log h)", what, T->fit, T->fit_from,
            T->n - 1);
    if (!isfinite(T->q)) {
        fprintf(f, ", no order claimed\n");
        return;
    }
    fprintf(f, ", claimed %g +- %g: %s; finest pair %.3f against %.3f +- %g: %s; %s\n", T->q, T->tol,
            T->fit_ok ? "within" : "OFF", T->fin, T->fin_expect, T->tol, T->fin_ok ? "within" : "OFF",
            T->drift_at < 0 ? "no drift" : "DRIFT");
    if (T->drift_at > 0)
        fprintf(f, "    drift: levels %d-%d local order %.3f < %.3f - %g (an earlier pair had reached its claim)\n",
                T->drift_at - 1, T->drift_at, T->local[T->drift_at], T->expect_local[T->drift_at], T->tol);
    fprintf(f, "    the order check (order_%s(%s)): %s\n", dir, what, T->pass ? "pass" : "FAIL");
}

/* Why each pair without a local order has none (p and N on one line when the reason is the same). */
static void na_lines(FILE *f, const nlif_order_table T[2])
{
    for (int k = 1; k < T[0].n; k++)
        for (int q = 0; q < 2; q++) {
            nlif_order_why w = T[q].why_pair[k];
            int both = q == 0 && w == T[1].why_pair[k];
            if (!w || (q == 1 && w == T[0].why_pair[k]))
                continue;
            fprintf(f, "  n.a. %s, levels %d-%d: %s", both ? "p and N" : q ? "N" : "p", k - 1, k, nlif_order_why_text(w));
            if (w == NLIF_ORD_NOT_REFINED)
                fprintf(f, " (%ld and %ld steps taken)", T[q].steps[k - 1], T[q].steps[k]);
            fprintf(f, "\n");
        }
}

void nlif_study_table(FILE *f, const json_t *conv, double tol)
{
    nlif_order_table T[2];
    tables(conv, tol, T);
    const char *dir = str(conv, "refine");
    json_t *levels = json_object_get(conv, "levels");
    fprintf(f, "case %s, scheme %s, refine %s, reference %s", str(conv, "case"), str(conv, "scheme"), dir,
            str(conv, "reference"));
    if (strcmp(str(conv, "reference_rate"), str(conv, "reference")))
        fprintf(f, " (N: %s)", str(conv, "reference_rate"));
    double ref_h = rp_json_num(conv, "reference_h");
    if (isfinite(ref_h))
        fprintf(f, " at h = %g = h_%d/2^%d (status %s, cpu %.3f s)", ref_h, T[0].n - 1,
                (int)json_integer_value(json_object_get(conv, "reference_halvings")), str(conv, "reference_status"),
                rp_json_num(conv, "reference_cpu_seconds"));
    fprintf(f, "\n  %s\n  error p: %s\n  error N: %s\n", str(conv, "note"), str(conv, "measure_p"),
            str(conv, "measure_rate"));
    fprintf(f, "  order = log(e_{k-1}/e_k)/log(h_{k-1}/h_k); claim = the local order the claimed order implies there; "
               "* = drift (more than order_tol %g below the claim after an earlier pair reached it)\n", tol);
    fprintf(f, "  %5s %10s %10s %8s | %11s %8s %7s %6s | %11s %8s %7s %6s | %8s %s\n", "level", step_name(dir),
            other_name(dir), "steps", "error p", "ratio", "order", "claim", "error N", "ratio",
            "order", "claim", "cpu s", "status");
    for (int k = 0; k < T[0].n; k++) {
        const json_t *l = json_array_get(levels, (size_t)k);
        char b[12][32];
        fprintf(f, "  %5d %10.4g %10.4g %8ld | %11s %8s %7s %6s | %11s %8s %7s %6s | %8.3f %s\n", k, T[0].h[k],
                rp_json_num(l, other_name(dir)), T[0].steps[k],
                cell(b[0], 32, "%.4e", T[0].err[k]), cell(b[1], 32, "%.3f", T[0].ratio[k]), local_cell(b[2], 32, &T[0], k),
                cell(b[3], 32, "%.3f", T[0].expect_local[k]), cell(b[4], 32, "%.4e", T[1].err[k]),
                cell(b[5], 32, "%.3f", T[1].ratio[k]), local_cell(b[6], 32, &T[1], k),
                cell(b[7], 32, "%.3f", T[1].expect_local[k]), rp_json_num(l, "cpu_seconds"), str(l, "status"));
    }
    fit_line(f, "p", dir, &T[0]);
    fit_line(f, "N", dir, &T[1]);
    na_lines(f, T);
}

/* ---- the LaTeX table ------------------------------------------------------------------------- */

static void tex_sci(rp_sb *t, double x)
{
    if (!isfinite(x)) {
        rp_sb_add(t, "--");
        return;
    }
    int e = x > 0 ? (int)floor(log10(x)) : 0;
    double m = x / pow(10.0, e);
    if (m >= 9.9995) /* %.3f would print 10.000 */
        m /= 10, e++;
    rp_sb_printf(t, "$%.3f\\times 10^{%d}$", m, e);
}

static void tex_local(rp_sb *t, const nlif_order_table *T, int k)
{
    if (k == 0)
        rp_sb_add(t, "--");
    else if (T->why_pair[k])
        rp_sb_add(t, "n.a.");
    else
        rp_sb_printf(t, "%.3f%s", T->local[k], T->drift[k] ? "$^*$" : "");
}

static void tex_fit(rp_sb *t, const nlif_order_table *T)
{
    if (!isfinite(T->fit))
        rp_sb_add(t, "n.a.");
    else if (isfinite(T->q))
        rp_sb_printf(t, "%.3f (claimed %g%s)", T->fit, T->q, T->pass ? "" : ", order check FAILs");
    else
        rp_sb_printf(t, "%.3f (no claim)", T->fit);
}

static const char *tex_step(const char *dir)
{
    return !strcmp(dir, "t") ? "$\\Delta t$" : !strcmp(dir, "w") ? "$\\Delta w$" : "$\\Delta v$";
}

/* STEM.tex: the table as a booktabs table to \input (the preamble needs booktabs). */
static void tex_table(rp_sb *t, const json_t *conv, const char *stem, const nlif_order_table T[2])
{
    const char *dir = str(conv, "refine");
    rp_sb_printf(t, "%% %s.tex — a convergence study, written by nlif converge --tex. \\input it; the preamble needs "
                    "\\usepackage{booktabs}.\n\\begin{table}[ht]\n\\centering\n\\caption{Convergence of ", stem);
    rp_sb_add(t, "\\texttt{");
    rp_tex_esc(t, str(conv, "scheme"));
    rp_sb_add(t, "} on \\texttt{");
    rp_tex_esc(t, str(conv, "case"));
    rp_sb_printf(t, "} under refinement of %s%s, against the ", tex_step(dir), !strcmp(dir, "vt") ? " and $\\Delta t$" : "");
    const char *ref = str(conv, "reference");
    double ref_h = rp_json_num(conv, "reference_h");
    if (!strcmp(ref, "finest") && isfinite(ref_h)) {
        rp_sb_add(t, "same scheme's finest run ($h_\\mathrm{ref} = $ ");
        tex_sci(t, ref_h);
        rp_sb_add(t, ")");
    } else if (!strcmp(ref, "exact"))
        rp_sb_add(t, "exact solution");
    else {
        rp_tex_esc(t, ref);
        rp_sb_add(t, " reference");
    }
    rp_sb_add(t, ". Error of $p$: ");
    rp_tex_esc(t, str(conv, "measure_p"));
    rp_sb_printf(t, "; of $N$: the largest $|N - N_\\mathrm{ref}|$ over $t > 0$. Order: $\\log(e_{k-1}/e_k)/\\log(h_{k-1}/h_k)$; "
                    "claim: the local order the claimed order implies there; $^*$: a drift, more than %g (order\\_tol) "
                    "below the claim after an earlier pair reached it; n.a.: no order (round-off, a stopped level, or a "
                    "step the scheme did not take).}\n", T[0].tol);
    rp_sb_printf(t, "\\label{tab:conv:%s}", stem); /* the stem is [A-Za-z0-9_.-]: a label takes it as it is */
    rp_sb_add(t, "\n\\begin{tabular}{rrrrrrrrrr}\n\\toprule\n & & \\multicolumn{4}{c}{$p$} & \\multicolumn{4}{c}{$N$} \\\\\n"
                 "\\cmidrule(lr){3-6}\\cmidrule(lr){7-10}\n");
    rp_sb_printf(t, "level & %s & error & ratio & order & claim & error & ratio & order & claim \\\\\n\\midrule\n", tex_step(dir));
    for (int k = 0; k < T[0].n; k++) {
        rp_sb_printf(t, "%d & %g", k, T[0].h[k]);
        for (int q = 0; q < 2; q++) {
            rp_sb_add(t, " & ");
            tex_sci(t, T[q].err[k]);
            rp_sb_add(t, " & ");
            if (isfinite(T[q].ratio[k]))
                rp_sb_printf(t, "%.3f", T[q].ratio[k]);
            else
                rp_sb_add(t, "--");
            rp_sb_add(t, " & ");
            tex_local(t, &T[q], k);
            rp_sb_add(t, " & ");
            if (isfinite(T[q].expect_local[k]))
                rp_sb_printf(t, "%.3f", T[q].expect_local[k]);
            else
                rp_sb_add(t, "--");
        }
        rp_sb_add(t, " \\\\\n");
    }
    rp_sb_add(t, "\\midrule\nfit & & \\multicolumn{4}{c}{");
    tex_fit(t, &T[0]);
    rp_sb_add(t, "} & \\multicolumn{4}{c}{");
    tex_fit(t, &T[1]);
    rp_sb_add(t, "} \\\\\n\\bottomrule\n\\end{tabular}\n\\end{table}\n");
}

/* ---- the files ------------------------------------------------------------------------------- */

int nlif_study_write(const json_t *conv, const nlif_study_options *o, FILE *list, nlif_error *err)
{
    char stem[192], raw[192], path[2 * RP_PATH];
    snprintf(raw, sizeof raw, "%s.%s.%s", str(conv, "case"), str(conv, "scheme"), str(conv, "refine"));
    rp_safe_name(stem, sizeof stem, raw);
    nlif_order_table T[2];
    tables(conv, o->tol, T);
    if (o->tex) {
        rp_sb t = {0};
        tex_table(&t, conv, stem, T);
        snprintf(path, sizeof path, "%s/%s.tex", o->out_dir, stem);
        int rc = t.oom ? nlif_fail(err, NLIF_ENOMEM, "converge --tex: the table") : rp_write_text(path, t.s, t.n, err);
        rp_sb_free(&t);
        if (rc)
            return rc;
        fprintf(list, "  table:  %s\n", path);
    }
    if (o->plot)
        return rp_conv_study_figure(conv, o->out_dir, stem, list, err, o->tol);
    return NLIF_OK;
}
