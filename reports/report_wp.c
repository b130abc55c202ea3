/* report_wp.c — the table a paper prints: per case, scheme and work–precision measure, the error at
 * the case's default resolution, its CPU seconds, the CPU seconds needed to reach the target error
 * (read off the work–precision curve by linear interpolation in log error against log CPU between
 * the two levels that bracket the target), and the verdict of the pair: the section of the report's
 * document (report_doc.h) that the emitters render in HTML, Markdown and LaTeX (workprec.tex: booktabs,
 * \caption, \label). The data are the work–precision records of verify --full
 * (harness/checks/work_precision.c); a report without them says so and prints no table.
 */
#include "report_doc.h"

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
    "it (interpolated in log–log between the two ladder levels that bracket it; ≤: the coarsest level, about 8× "
    "the default steps, already meets it; not reached: no level does), and the verdict of the pair "
    "(pass/FAIL/n.a. counts of its checks). For mc (nlif mc itself, 8 realisations) the levels are 500, 2000 "
    "and 8000 particles, and the error and CPU seconds are those of the largest.";

const char *rp_wp_measure_tex(const char *m)
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

/* The section "Error and cost per scheme": the table on the web and as workprec.tex (booktabs, with its
 * caption in plain TeX: no UTF-8 dash or ≤ that a document without the right inputenc refuses). */
void rp_wp_section(const rp_report *r, rp_doc *d)
{
    wp_row *rows;
    int n = wp_rows(r, &rows);
    rp_span_add(d, &rp_doc_heading(d, RP_WEB, 2, "workprec")->s, RP_ALL, RP_SP_TEXT, "Error and cost per scheme");
    if (!n) {
        rp_span_add(d, &rp_doc_para(d, RP_WEB, "note")->s, RP_ALL, RP_SP_TEXT,
                    "No work–precision data in the verdict record (nlif verify --full records them).");
    } else {
        rp_spans *s = &rp_doc_para(d, RP_WEB, NULL)->s;
        rp_span_add(d, s, RP_ALL, RP_SP_TEXT, INTRO);
        rp_span_add(d, s, RP_ALL, RP_SP_VERB, " LaTeX: ");
        rp_span_add(d, s, RP_ALL, RP_SP_CODE, "workprec.tex");
        rp_span_add(d, s, RP_ALL, RP_SP_VERB, ".");
    }
    rp_table *t = rp_doc_table(d, n ? RP_ALL : RP_TEX, NULL, 8);
    static const char *const names[] = {"case", "scheme", "measure", "error", "CPU s", "target", "CPU s to target",
                                        "verdict"};
    for (int c = 0; c < t->ncol; c++)
        rp_span_add(d, &t->head[c].s, RP_ALL, RP_SP_TEXT, names[c]);
    rp_span_add(d, &t->head[3].s, RP_WEB, RP_SP_VERB, " at default");
    for (int i = 0; i < n; i++) {
        const wp_row *w = &rows[i];
        rp_tcell *row = rp_table_row(d, t);
        if (!row)
            break;
        rp_span_add(d, &row[0].s, RP_ALL, RP_SP_TEXT, w->cs);
        rp_span_add(d, &row[1].s, RP_ALL, RP_SP_TEXT, w->scheme);
        rp_span_add(d, &row[2].s, RP_WEB, RP_SP_TEXT, rp_wp_measure_label(w->measure));
        const char *tm = rp_wp_measure_tex(w->measure);
        rp_span_add(d, &row[2].s, RP_TEX, tm ? RP_SP_VERB : RP_SP_TEXT, tm ? tm : w->measure);
        const char *cells[] = {w->err, w->cpu, w->target, w->cost};
        for (int k = 0; k < 4; k++) {
            row[3 + k].cls = "num";
            rp_span_add(d, &row[3 + k].s, RP_ALL, RP_SP_QTY, cells[k]);
        }
        row[7].cls = RP_VCLASS[w->vclass], row[7].mark = w->vclass == RP_FAIL;
        rp_span_add(d, &row[7].s, RP_ALL, RP_SP_TEXT, w->verdict);
    }
    free(rows);
    t->tex_file = "workprec.tex", t->tex_label = "tab:nlif-workprec", t->tex_colspec = strdup("lllrrrrl");
    t->tex_env = RP_TEX_LONG; /* a row per case, scheme and measure: pages of them */
    t->tex_group = 1;
    rp_span_add(d, &t->tex_prologue, RP_TEX, RP_SP_VERB, "% workprec.tex — error and cost per scheme, written by nlif "
                                                         "report from ");
    rp_span_add(d, &t->tex_prologue, RP_TEX, RP_SP_TEXT, r->opt->verdicts);
    rp_span_printf(d, &t->tex_prologue, RP_TEX, RP_SP_VERB, "\n%% (commit %s, %s, mode %s). Needs \\usepackage{booktabs}.\n",
                   r->commit, r->date, r->mode);
    rp_sb cap = {0};
    rp_sb_add(&cap, "Error and cost per scheme. ");
    for (const char *q = INTRO; *q;) {
        if (!strncmp(q, "–", strlen("–")))
            rp_sb_add(&cap, "--"), q += strlen("–");
        else if (!strncmp(q, "≤", strlen("≤")))
            rp_sb_add(&cap, "$\\le$"), q += strlen("≤");
        else if (!strncmp(q, "×", strlen("×")))
            rp_sb_add(&cap, "$\\times$"), q += strlen("×");
        else {
            char one[2] = {*q++, 0};
            rp_tex_esc(&cap, one);
        }
    }
    rp_sb_add(&cap, " Schemes are reconstructions from the papers' abstracts (nlif README).");
    d->oom |= cap.oom;
    rp_span_add(d, &t->tex_caption, RP_TEX, RP_SP_VERB, cap.s);
    rp_sb_free(&cap);
    rp_span_add(d, &t->empty, RP_TEX, RP_SP_VERB, "no work--precision data in the verdict record (nlif verify --full)");
}
