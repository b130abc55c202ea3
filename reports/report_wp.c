/* report_wp.c — the table a paper prints: per case, scheme and work–precision measure, the error at
 * the case's default resolution, its CPU seconds, the CPU seconds needed to reach the target error
 * (read off the work–precision curve by linear interpolation in log error against log CPU between
 * the two levels that bracket the target), and the verdict of the pair; in HTML, Markdown and
 * LaTeX (booktabs, \caption, \label). The data are the work–precision records of verify --full
 * (harness/checks/work_precision.c); a report without them says so and prints no table.
 */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const K_CASE[] = {"case", NULL};
static const char *const K_SCHEME[] = {"scheme", NULL};

static double num(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

int rp_wp_cost(const json_t *rec, const char *measure, double target, double *cost)
{
    *cost = NAN;
    if (!(target > 0))
        return RP_WP_NOT_REACHED;
    const json_t *levels = json_object_get(rec, "levels");
    double pc = NAN, pe = NAN;
    /* levels run coarse to fine: the first one at or below the target, the one before brackets it */
    for (size_t i = 0; i < json_array_size(levels); i++) {
        const json_t *l = json_array_get(levels, i);
        double c = num(l, "cpu_seconds"), e = num(l, measure);
        if (!(c > 0) || !(e >= 0) || !isfinite(e))
            continue;
        if (e <= target) {
            if (!(pc > 0)) {
                *cost = c;
                return RP_WP_AT_COARSEST;
            }
            if (!(e > 0) || !(pe > e)) { /* flat or round-off: no slope to read */
                *cost = c;
                return RP_WP_INTERPOLATED;
            }
            double s = (log(target) - log(pe)) / (log(e) - log(pe));
            *cost = exp(log(pc) + s * (log(c) - log(pc)));
            return RP_WP_INTERPOLATED;
        }
        pc = c, pe = e;
    }
    return RP_WP_NOT_REACHED;
}

/* One row's cells as text (plain: each writer escapes). */
typedef struct wp_row {
    const char *cs, *scheme, *measure;
    char err[64], cpu[64], target[64], cost[96], verdict[64];
    int vclass;
} wp_row;

static int wp_rows(const rp_report *r, wp_row **out)
{
    int n = 0, cap = 0;
    wp_row *rows = NULL;
    json_t *c;
    size_t i;
    for (int ci = 0; ci < r->n_cases; ci++)
        json_array_foreach(r->conv, i, c)
        {
            const char *cs = rp_conv_str(c, K_CASE), *sc = rp_conv_str(c, K_SCHEME);
            if (!cs || !sc || strcmp(cs, r->cases[ci]) || !rp_is_wp(c))
                continue;
            json_t *m;
            size_t k;
            json_array_foreach(json_object_get(c, "measures"), k, m)
            {
                const char *ms = json_string_value(m);
                if (!ms)
                    continue;
                if (n == cap) {
                    cap = cap ? 2 * cap : 32;
                    wp_row *p = realloc(rows, (size_t)cap * sizeof *p);
                    if (!p)
                        break;
                    rows = p;
                }
                wp_row *w = &rows[n++];
                memset(w, 0, sizeof *w);
                w->cs = cs, w->scheme = sc, w->measure = ms;
                int dl = (int)num(c, "default_level");
                const json_t *l = json_array_get(json_object_get(c, "levels"), dl >= 0 ? (size_t)dl : 0);
                const char *st = json_string_value(json_object_get(l, "status"));
                char b[64];
                if (st && strcmp(st, "ok") && !isfinite(num(l, ms)))
                    snprintf(w->err, sizeof w->err, "%s at t = %s", st, rp_num(b, sizeof b, num(l, "stop_time"), 3));
                else
                    rp_num(w->err, sizeof w->err, num(l, ms), 2);
                rp_num(w->cpu, sizeof w->cpu, num(l, "cpu_seconds"), 2);
                double target = num(json_object_get(c, "targets"), ms), cost;
                rp_num(w->target, sizeof w->target, target, 2);
                int how = rp_wp_cost(c, ms, target, &cost);
                if (how == RP_WP_NOT_REACHED)
                    snprintf(w->cost, sizeof w->cost, "not reached");
                else
                    snprintf(w->cost, sizeof w->cost, "%s%s", how == RP_WP_AT_COARSEST ? "≤ " : "",
                             rp_num(b, sizeof b, cost, 2));
                int counts[3];
                w->vclass = rp_cell_counts(r, cs, sc, counts);
                snprintf(w->verdict, sizeof w->verdict, "%s %d/%d/%d", w->vclass == RP_FAIL ? "FAIL"
                                                                       : w->vclass == RP_PASS ? "pass"
                                                                                              : "n.a.",
                         counts[0], counts[1], counts[2]);
            }
        }
    *out = rows;
    return n;
}

static const char *const INTRO =
    "Per case and scheme: the error of each work–precision measure at the case's default resolution, its CPU "
    "seconds, the target error (the case's own bound where it states one, else 1e-3), the CPU seconds to reach "
    "it (interpolated in log–log between the two ladder levels that bracket it; ≤: the coarsest level, about 4× "
    "the default steps, already meets it; not reached: no level does), and the verdict of the pair "
    "(pass/FAIL/n.a. counts of its checks). For mc (nlif mc itself, 8 realisations) the levels are 500, 2000 "
    "and 8000 particles, and the error and CPU seconds are those of the largest.";

void rp_wp_table_html(const rp_report *r, rp_sb *h)
{
    wp_row *rows;
    int n = wp_rows(r, &rows);
    rp_sb_add(h, "<h2 id=\"workprec\">Error and cost per scheme</h2>\n");
    if (!n) {
        rp_sb_add(h, "<p class=\"note\">No work–precision data in the verdict record (nlif verify --full records "
                     "them).</p>\n");
        free(rows);
        return;
    }
    rp_sb_add(h, "<p>");
    rp_html_esc(h, INTRO);
    rp_sb_add(h, " LaTeX: <code>workprec.tex</code>.</p>\n<table><tr><th>case</th><th>scheme</th><th>measure</th>"
                 "<th>error at default</th><th>CPU s</th><th>target</th><th>CPU s to target</th><th>verdict</th></tr>\n");
    static const char *const VCLASS[3] = {"pass", "fail", "na"};
    for (int i = 0; i < n; i++) {
        const wp_row *w = &rows[i];
        rp_sb_add(h, "<tr><td>");
        rp_html_esc(h, w->cs);
        rp_sb_add(h, "</td><td>");
        rp_html_esc(h, w->scheme);
        rp_sb_add(h, "</td><td>");
        rp_html_esc(h, rp_wp_measure_label(w->measure));
        rp_sb_printf(h, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td "
                        "class=\"num\">%s</td><td class=\"%s\">%s</td></tr>\n",
                     w->err, w->cpu, w->target, w->cost, VCLASS[w->vclass], w->verdict);
    }
    rp_sb_add(h, "</table>\n");
    free(rows);
}

void rp_wp_table_md(const rp_report *r, rp_sb *m)
{
    wp_row *rows;
    int n = wp_rows(r, &rows);
    rp_sb_add(m, "## Error and cost per scheme\n\n");
    if (!n) {
        rp_sb_add(m, "No work–precision data in the verdict record (nlif verify --full records them).\n\n");
        free(rows);
        return;
    }
    rp_md_esc(m, INTRO);
    rp_sb_add(m, " LaTeX: `workprec.tex`.\n\n| case | scheme | measure | error at default | CPU s | target | CPU s to target "
                 "| verdict |\n|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < n; i++) {
        const wp_row *w = &rows[i];
        rp_sb_add(m, "| ");
        rp_md_esc(m, w->cs);
        rp_sb_add(m, " | ");
        rp_md_esc(m, w->scheme);
        rp_sb_add(m, " | ");
        rp_md_esc(m, rp_wp_measure_label(w->measure));
        rp_sb_printf(m, " | %s | %s | %s | %s | %s%s%s |\n", w->err, w->cpu, w->target, w->cost,
                     w->vclass == RP_FAIL ? "**" : "", w->verdict, w->vclass == RP_FAIL ? "**" : "");
    }
    rp_sb_add(m, "\n");
    free(rows);
}

/* A measure's label in LaTeX math. */
static const char *tex_measure(const char *m)
{
    if (!strcmp(m, "err_p"))
        return "$\\|p - p_{\\mathrm{ref}}\\|_1$ at $T$";
    if (!strcmp(m, "err_rate"))
        return "$\\max_t |N - N_{\\mathrm{ref}}|$";
    if (!strcmp(m, "err_final_rate"))
        return "$|N(T) - N_\\infty|$";
    if (!strcmp(m, "err_mfe_t"))
        return "$\\max_k |t^*_k - t^*_{k,\\mathrm{ref}}|$";
    if (!strcmp(m, "err_mfe_size"))
        return "$\\max_k |\\Delta_k - \\Delta_{k,\\mathrm{ref}}|$";
    return NULL;
}

/* A number cell: "--" for none, "$\le$ x" kept, "not reached" in words; 1e-05 as $1\times10^{-5}$. */
static void tex_cell(rp_sb *t, const char *s)
{
    if (!strcmp(s, "–")) {
        rp_sb_add(t, "--");
        return;
    }
    if (!strncmp(s, "≤ ", strlen("≤ "))) {
        rp_sb_add(t, "$\\le$ ");
        s += strlen("≤ ");
    }
    const char *e = strchr(s, 'e');
    char *end;
    strtod(s, &end);
    if (e && end > s && !*end) {
        rp_sb_printf(t, "$%.*s\\times 10^{%d}$", (int)(e - s), s, atoi(e + 1));
        return;
    }
    rp_tex_esc(t, s);
}

int rp_wp_table_tex(const rp_report *r, nlif_error *err)
{
    wp_row *rows;
    int n = wp_rows(r, &rows);
    rp_sb t = {0};
    rp_sb_add(&t, "% workprec.tex — error and cost per scheme, written by nlif report from ");
    rp_tex_esc(&t, r->opt->verdicts);
    rp_sb_printf(&t, "\n%% (commit %s, %s, mode %s). Needs \\usepackage{booktabs}.\n", r->commit, r->date, r->mode);
    rp_sb_add(&t, "\\begin{table}\n\\centering\n\\caption{Error and cost per scheme. ");
    /* the caption in plain TeX: no UTF-8 dash or ≤ that a document without the right inputenc refuses */
    for (const char *q = INTRO; *q;) {
        if (!strncmp(q, "–", strlen("–")))
            rp_sb_add(&t, "--"), q += strlen("–");
        else if (!strncmp(q, "≤", strlen("≤")))
            rp_sb_add(&t, "$\\le$"), q += strlen("≤");
        else if (!strncmp(q, "×", strlen("×")))
            rp_sb_add(&t, "$\\times$"), q += strlen("×");
        else {
            char one[2] = {*q++, 0};
            rp_tex_esc(&t, one);
        }
    }
    rp_sb_add(&t, " Schemes are reconstructions from the papers' abstracts (nlif README).}\n\\label{tab:nlif-workprec}\n"
                  "\\small\n\\begin{tabular}{lllrrrrl}\n\\toprule\ncase & scheme & measure & error & CPU s & target & "
                  "CPU s to target & verdict \\\\\n\\midrule\n");
    const char *prev = NULL;
    for (int i = 0; i < n; i++) {
        const wp_row *w = &rows[i];
        if (prev && strcmp(prev, w->cs))
            rp_sb_add(&t, "\\addlinespace\n");
        if (!prev || strcmp(prev, w->cs))
            rp_tex_esc(&t, w->cs);
        prev = w->cs;
        rp_sb_add(&t, " & ");
        rp_tex_esc(&t, w->scheme);
        rp_sb_add(&t, " & ");
        const char *tm = tex_measure(w->measure);
        if (tm)
            rp_sb_add(&t, tm);
        else
            rp_tex_esc(&t, w->measure);
        const char *cells[] = {w->err, w->cpu, w->target, w->cost};
        for (int k = 0; k < 4; k++) {
            rp_sb_add(&t, " & ");
            tex_cell(&t, cells[k]);
        }
        rp_sb_add(&t, " & ");
        if (w->vclass == RP_FAIL)
            rp_sb_add(&t, "\\textbf{");
        rp_tex_esc(&t, w->verdict);
        if (w->vclass == RP_FAIL)
            rp_sb_add(&t, "}");
        rp_sb_add(&t, " \\\\\n");
    }
    if (!n)
        rp_sb_add(&t, "\\multicolumn{8}{l}{no work--precision data in the verdict record (nlif verify --full)} \\\\\n");
    rp_sb_add(&t, "\\bottomrule\n\\end{tabular}\n\\end{table}\n");
    free(rows);
    char p[2 * RP_PATH];
    snprintf(p, sizeof p, "%s/workprec.tex", r->out);
    int rc = t.oom ? nlif_fail(err, NLIF_ENOMEM, "%s: out of memory", p) : rp_write_text(p, t.s ? t.s : "", t.n, err);
    rp_sb_free(&t);
    return rc;
}
