/* report_sections.c — the sections of the report, built once as a document (report_doc.h): the
 * provenance and the count of verdicts, the inputs that are missing, the verdict matrix (also
 * verdicts.tex), every check, the named Choices, the error and cost per scheme (report_wp.c), the
 * convergence studies (their orders also orders.tex) and the figures. The emitters (emit_html.c,
 * emit_md.c, emit_tex.c) render it; what only one format shows is marked here, where it is said.
 */
#include "report_doc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/nlif_options.h"
#include "../io/nlif_results.h"

static const char *const K_CASE[] = {"case", "case_name", NULL};
static const char *const K_SCHEME[] = {"scheme", NULL};
static const char *const K_DIR[] = {"refine", "dir", "direction", NULL};
static const char *const K_REF[] = {"reference", NULL};
static const char *const K_OP[] = {"order_p", NULL};
static const char *const K_ON[] = {"order_rate", NULL};
static const char *const K_XP[] = {"expected_p", NULL};
static const char *const K_XN[] = {"expected_rate", NULL};


static void json_text(char *buf, size_t len, const json_t *v)
{
    if (json_is_string(v)) {
        snprintf(buf, len, "%s", json_string_value(v));
        return;
    }
    if (json_is_real(v)) { /* shortest text that reads back as the value: 0.99, not 0.98999999999999999 */
        nlif_format_double(buf, len, json_real_value(v));
        return;
    }
    char *d = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    snprintf(buf, len, "%s", d ? d : "?");
    free(d);
}

static double lnum(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

/* A header cell per column, from text in every format. */
static void header(rp_doc *d, rp_table *t, const char *const *names)
{
    for (int c = 0; c < t->ncol && names[c]; c++)
        rp_span_add(d, &t->head[c].s, RP_ALL, RP_SP_TEXT, names[c]);
}

/* The title, where the verdicts come from, how many passed, and what the numbers are not. */
static void front(rp_report *r, rp_doc *d)
{
    char now[64], b[64];
    nlif_now_iso(now, sizeof now);
    int c[3] = {0, 0, 0};
    for (int i = 0; i < r->n_cells; i++)
        c[r->cells[i].verdict]++;
    rp_span_add(d, &rp_doc_heading(d, RP_WEB, 1, NULL)->s, RP_ALL, RP_SP_TEXT, "nlif — verification report");
    rp_spans *s = &rp_doc_para(d, RP_WEB, "prov")->s;
    rp_span_add(d, s, RP_HTML, RP_SP_VERB, "verdicts: commit ");
    rp_span_add(d, s, RP_MD, RP_SP_VERB, "Verdicts: commit ");
    rp_span_add(d, s, RP_ALL, RP_SP_CODE, r->commit);
    rp_span_add(d, s, RP_ALL, RP_SP_VERB, ", date ");
    rp_span_add(d, s, RP_ALL, RP_SP_TEXT, r->date);
    rp_span_add(d, s, RP_ALL, RP_SP_VERB, ", mode ");
    rp_span_add(d, s, RP_ALL, RP_SP_BOLD, r->mode);
    rp_span_printf(d, s, RP_ALL, RP_SP_VERB, ", verify wall time %s s; read from ", rp_num(b, sizeof b, r->wall_seconds, 4));
    rp_span_add(d, s, RP_ALL, RP_SP_CODE, r->opt->verdicts);
    rp_span_add(d, s, RP_ALL, RP_SP_VERB, ". Report written ");
    rp_span_add(d, s, RP_ALL, RP_SP_TEXT, now);
    rp_span_add(d, s, RP_ALL, RP_SP_VERB, " by nlif report (commit ");
    rp_span_add(d, s, RP_ALL, RP_SP_CODE, nlif_commit());
    rp_span_printf(d, s, RP_ALL, RP_SP_VERB, "); figures by gnuplot, terminal %s.", r->png_term[0] ? r->png_term : "none");
    s = &rp_doc_para(d, RP_WEB, NULL)->s;
    rp_span_printf(d, s, RP_ALL, RP_SP_BOLD, "%d checks", r->n_cells);
    rp_span_printf(d, s, RP_ALL, RP_SP_VERB, " over %d cases and %d schemes: ", r->n_cases, r->n_schemes);
    for (int v = 0; v < 3; v++) {
        if (v)
            rp_span_add(d, s, RP_HTML, RP_SP_VERB, " "), rp_span_add(d, s, RP_MD, RP_SP_VERB, ", ");
        char text[64];
        snprintf(text, sizeof text, "%d %s", c[v], RP_VTEXT[v]);
        rp_span_arg(d, s, RP_ALL, RP_SP_CLASS, RP_VCLASS[v], text);
    }
    int known = 0;
    for (int i = 0; i < r->n_cells; i++)
        known += r->cells[i].verdict == RP_FAIL && r->cells[i].known_failure;
    /* the one line that says whether a FAIL is news */
    if (!c[RP_FAIL])
        rp_span_add(d, s, RP_ALL, RP_SP_VERB, ". No FAIL.");
    else if (known == c[RP_FAIL])
        rp_span_printf(d, s, RP_ALL, RP_SP_VERB, ". All %d FAILs are known failures (ci/known_failures).", known);
    else
        rp_span_printf(d, s, RP_ALL, RP_SP_BOLD, ". %d of the %d FAILs are not known failures (ci/known_failures "
                       "lists %d of them).", c[RP_FAIL] - known, c[RP_FAIL], known);
    if (r->n_refused) {
        s = &rp_doc_para(d, RP_WEB, "fail")->s;
        rp_span_printf(d, s, RP_ALL, RP_SP_BOLD, "%d verdict(s) refused", r->n_refused);
        rp_span_add(d, s, RP_ALL, RP_SP_VERB, ": a file they were judged from is no longer the one verify judged (see ");
        rp_span_arg(d, s, RP_ALL, RP_SP_LINK, "#missing", "Missing inputs");
        rp_span_add(d, s, RP_ALL, RP_SP_VERB, "); they are counted as FAIL.");
    }
    rp_span_add(d, &rp_doc_para(d, RP_WEB, NULL)->s, RP_ALL, RP_SP_VERB,
                "Each scheme is a reconstruction from the papers' abstracts (README): never cite a number of this "
                "report as a paper's own.");
    s = &rp_doc_para(d, RP_HTML, NULL)->s;
    static const char *const toc[][2] = {{"#headline", "headline"}, {"#matrix", "verdict matrix"}, {"#checks", "every check"},
                                         {"#choices", "named Choices"},  {"#workprec", "error and cost"},
                                         {"#convergence", "convergence"}, {"#figures", "figures"}};
    rp_span_add(d, s, RP_ALL, RP_SP_VERB, "Contents: ");
    for (int i = 0; i < 7; i++) {
        if (i)
            rp_span_add(d, s, RP_ALL, RP_SP_VERB, " · ");
        rp_span_arg(d, s, RP_ALL, RP_SP_LINK, toc[i][0], toc[i][1]);
    }
}

/* The verdict matrix: one row per case, one column per scheme (also verdicts.tex). */
static void matrix(rp_report *r, rp_doc *d)
{
    rp_span_add(d, &rp_doc_heading(d, RP_WEB, 2, "matrix")->s, RP_ALL, RP_SP_TEXT, "Verdict matrix");
    rp_span_add(d, &rp_doc_para(d, RP_HTML, NULL)->s, RP_ALL, RP_SP_VERB,
                "Each cell: the checks of that case and scheme; red if any failed, green if any passed and none "
                "failed, grey if all were n.a. The detail of every check follows.");
    rp_table *t = rp_doc_table(d, RP_ALL, "matrix", 1 + r->n_schemes);
    rp_span_add(d, &t->head[0].s, RP_ALL, RP_SP_TEXT, "case");
    for (int s = 0; s < r->n_schemes && s + 1 < t->ncol; s++)
        rp_span_add(d, &t->head[s + 1].s, RP_ALL, RP_SP_TEXT, r->schemes[s]);
    for (int i = 0; i < r->n_cases; i++) {
        rp_tcell *row = rp_table_row(d, t);
        if (!row)
            break;
        char id[32];
        snprintf(id, sizeof id, "#case-%d", i);
        row[0].head = 1;
        rp_span_arg(d, &row[0].s, RP_ALL, RP_SP_LINK, id, r->cases[i]);
        for (int s = 0; s < r->n_schemes; s++) {
            int k[3], v = rp_cell_counts(r, r->cases[i], r->schemes[s], k);
            rp_tcell *x = &row[s + 1];
            if (k[0] + k[1] + k[2] == 0) {
                x->cls = "none";
                rp_span_add(d, &x->s, RP_HTML, RP_SP_VERB, "no cell");
                rp_span_add(d, &x->s, RP_MD, RP_SP_VERB, "—");
                rp_span_add(d, &x->s, RP_TEX, RP_SP_VERB, "--");
            } else {
                x->cls = RP_VCLASS[v];
                rp_span_counts(d, &x->s, RP_ALL, v, k);
            }
        }
    }
    rp_span_add(d, &t->empty, RP_TEX, RP_SP_VERB, "no verdict cells");
    t->tex_file = "verdicts.tex", t->tex_label = "tab:nlif-verdicts";
    rp_span_add(d, &t->tex_prologue, RP_TEX, RP_SP_VERB, "% verdicts.tex — the verdict matrix (case x scheme), written by nlif "
                                                "report\n% from ");
    rp_span_add(d, &t->tex_prologue, RP_TEX, RP_SP_TEXT, r->opt->verdicts);
    rp_span_printf(d, &t->tex_prologue, RP_TEX, RP_SP_VERB, " (commit %s, %s, mode %s). Needs \\usepackage{booktabs}.\n%% Each "
                   "cell: aggregate verdict, then pass/FAIL/n.a. counts of its checks.\n", r->commit, r->date, r->mode);
    rp_span_add(d, &t->tex_caption, RP_TEX, RP_SP_VERB, "Verdicts per case and scheme: the aggregate verdict, then the counts "
                                               "of checks that passed, FAILED and were n.a.");
    char spec[RP_MAX_COLS + 2] = "l";
    for (int s = 1; s < t->ncol; s++)
        strcat(spec, "c");
    t->tex_colspec = strdup(spec);
    rp_span_add(d, &rp_doc_para(d, RP_MD, NULL)->s, RP_ALL, RP_SP_VERB, "Cells: aggregate verdict, then pass/FAIL/n.a. counts.");
}

/* Every check of every case: its verdict, the figure measured, the bound, where the bound comes from,
 * why, and (HTML) the run judged. */
static void checks(rp_report *r, rp_doc *d)
{
    char b[64];
    rp_span_add(d, &rp_doc_heading(d, RP_WEB, 2, "checks")->s, RP_ALL, RP_SP_TEXT, "Every check");
    static const char *const names[] = {"scheme", "check", "verdict", "measured", "bound", "source", "reason", "run"};
    for (int i = 0; i < r->n_cases; i++) {
        snprintf(b, sizeof b, "case-%d", i);
        rp_span_add(d, &rp_doc_heading(d, RP_WEB, 3, b)->s, RP_ALL, RP_SP_TEXT, r->cases[i]);
        rp_table *t = rp_doc_table(d, RP_WEB, "checks", 8);
        header(d, t, names);
        t->col_fmts[7] = RP_HTML;
        for (int k = 0; k < r->n_cells; k++) {
            const rp_cell *x = &r->cells[k];
            rp_tcell *row;
            if (strcmp(x->case_name, r->cases[i]) || !(row = rp_table_row(d, t)))
                continue;
            rp_span_add(d, &row[0].s, RP_ALL, RP_SP_TEXT, x->scheme);
            rp_span_add(d, &row[1].s, RP_ALL, RP_SP_TEXT, x->check);
            row[2].cls = RP_VCLASS[x->verdict], row[2].mark = x->verdict == RP_FAIL;
            rp_span_add(d, &row[2].s, RP_ALL, RP_SP_VERB, x->refused ? "refused" : RP_VTEXT[x->verdict]);
            row[3].cls = "num";
            rp_span_add(d, &row[3].s, RP_ALL, RP_SP_VERB, rp_num(b, sizeof b, x->measured, 6));
            if (x->known_failure)
                rp_span_add(d, &row[4].s, RP_HTML, RP_SP_BOLD, "known failure"), rp_span_add(d, &row[4].s, RP_HTML, RP_SP_VERB, " ");
            rp_span_add(d, &row[4].s, RP_ALL, RP_SP_TEXT, x->bound);
            rp_span_add(d, &row[5].s, RP_ALL, RP_SP_TEXT, x->source);
            if (x->refused)
                rp_span_add(d, &row[6].s, RP_ALL, RP_SP_BOLD, "verdict refused:"), rp_span_add(d, &row[6].s, RP_ALL, RP_SP_VERB, " ");
            rp_span_add(d, &row[6].s, RP_ALL, RP_SP_TEXT, x->refused ? x->refusal : x->reason);
            rp_span_add(d, &row[7].s, RP_ALL, RP_SP_CODE, x->run ? x->run : "");
        }
    }
}

/* The named Choices in force, per scheme. */
static void choices(rp_report *r, rp_doc *d)
{
    rp_span_add(d, &rp_doc_heading(d, RP_WEB, 2, "choices")->s, RP_ALL, RP_SP_TEXT, "Named Choices in force");
    rp_span_add(d, &rp_doc_para(d, RP_HTML, NULL)->s, RP_ALL, RP_SP_VERB,
                "Every choice a paper may have made differently is an option (MATHEMATICS.md); these are the values "
                "the results were made with.");
    rp_table *t = rp_doc_table(d, RP_WEB, NULL, 3);
    static const char *const names[] = {"scheme", "Choice", "value"};
    header(d, t, names);
    const char *sk, *k;
    json_t *sv, *v;
    json_object_foreach(r->choices, sk, sv)
    {
        json_object_foreach(sv, k, v)
        {
            char text[600];
            json_text(text, sizeof text, v);
            rp_tcell *row = rp_table_row(d, t);
            if (!row)
                break;
            rp_span_add(d, &row[0].s, RP_ALL, RP_SP_TEXT, sk);
            rp_span_add(d, &row[1].s, RP_ALL, RP_SP_CODE, k);
            rp_span_add(d, &row[2].s, RP_ALL, RP_SP_TEXT, text);
        }
    }
    rp_span_add(d, &t->empty, RP_HTML, RP_SP_VERB, "no Choice is recorded in the inputs");
}

/* One convergence study: its orders, its note (HTML) and its levels. */
static void study(rp_doc *d, const json_t *c)
{
    const char *dir = rp_conv_str(c, K_DIR), *ref = rp_conv_str(c, K_REF);
    rp_spans *s = &rp_doc_heading(d, RP_WEB, 3, NULL)->s;
    rp_span_add(d, s, RP_ALL, RP_SP_TEXT, rp_conv_str(c, K_SCHEME));
    rp_span_add(d, s, RP_ALL, RP_SP_VERB, " on ");
    rp_span_add(d, s, RP_ALL, RP_SP_TEXT, rp_conv_str(c, K_CASE));
    rp_span_add(d, s, RP_ALL, RP_SP_VERB, ", refine ");
    rp_span_add(d, s, RP_HTML, RP_SP_TEXT, dir ? dir : "?"); /* the Markdown heading has them as written */
    rp_span_add(d, s, RP_MD, RP_SP_VERB, dir ? dir : "?");
    rp_span_add(d, s, RP_ALL, RP_SP_VERB, " (reference: ");
    rp_span_add(d, s, RP_HTML, RP_SP_TEXT, ref ? ref : "not stated");
    rp_span_add(d, s, RP_MD, RP_SP_VERB, ref ? ref : "not stated");
    rp_span_add(d, s, RP_ALL, RP_SP_VERB, ")");
    s = &rp_doc_para(d, RP_WEB, NULL)->s;
    char b[64];
    const char *const *k4[] = {K_OP, K_XP, K_ON, K_XN};
    static const char *const words[] = {"order of p: observed ", ", expected ", "; order of N: observed ", ", expected "};
    for (int k = 0; k < 4; k++) {
        rp_span_add(d, s, RP_ALL, RP_SP_VERB, words[k]);
        rp_span_add(d, s, RP_ALL, k % 2 ? RP_SP_VERB : RP_SP_BOLD, rp_num(b, sizeof b, rp_conv_num(c, k4[k]), 3));
    }
    const char *note = json_string_value(json_object_get(c, "note"));
    if (note && *note)
        rp_span_add(d, &rp_doc_para(d, RP_HTML, "prov")->s, RP_ALL, RP_SP_TEXT, note);
    rp_table *t = rp_doc_table(d, RP_WEB, NULL, 8);
    static const char *const names[] = {"level", "h", "error of p", "ratio", "error of N", "ratio", "CPU s", "status"};
    header(d, t, names);
    rp_span_add(d, &t->head[2].s, RP_HTML, RP_SP_VERB, " (L1)");
    rp_span_add(d, &t->head[4].s, RP_HTML, RP_SP_VERB, " (max)");
    t->col_fmts[7] = RP_HTML;
    json_t *l;
    size_t i;
    json_array_foreach(json_object_get(c, "levels"), i, l)
    {
        static const char *const keys[] = {"err_p", "ratio_p", "err_rate", "ratio_rate"};
        rp_tcell *row = rp_table_row(d, t);
        if (!row)
            break;
        for (int q = 0; q < 7; q++)
            row[q].cls = "num";
        rp_span_printf(d, &row[0].s, RP_ALL, RP_SP_VERB, "%zu", i);
        rp_span_number(d, &row[1].s, RP_ALL, rp_level_h(l, dir), 4);
        for (int q = 0; q < 4; q++)
            rp_span_number(d, &row[2 + q].s, RP_ALL, lnum(l, keys[q]), 4);
        rp_span_number(d, &row[6].s, RP_HTML, lnum(l, "cpu_seconds"), 3);
        rp_span_number(d, &row[6].s, RP_MD, lnum(l, "cpu_seconds"), 4);
        json_t *st = json_object_get(l, "status");
        char stt[64];
        json_text(stt, sizeof stt, st ? st : json_null());
        rp_span_add(d, &row[7].s, RP_ALL, RP_SP_TEXT, st ? stt : "");
    }
}

/* The orders of every study in one booktabs table (orders.tex): observed against expected, and the
 * successive ratios of the errors of p. */
static void orders(rp_report *r, rp_doc *d)
{
    rp_table *t = rp_doc_table(d, RP_TEX, NULL, 9);
    t->tex_file = "orders.tex", t->tex_label = "tab:nlif-orders", t->tex_colspec = strdup("llllrrrrl");
    rp_span_add(d, &t->tex_prologue, RP_TEX, RP_SP_VERB, "% orders.tex — observed vs expected convergence orders, written by "
                                                "nlif report\n% from ");
    rp_span_add(d, &t->tex_prologue, RP_TEX, RP_SP_TEXT, r->opt->verdicts);
    rp_span_printf(d, &t->tex_prologue, RP_TEX, RP_SP_VERB, " (commit %s, %s). Needs \\usepackage{booktabs}.\n", r->commit,
                   r->date);
    rp_span_add(d, &t->tex_caption, RP_TEX, RP_SP_VERB, "Observed and expected convergence orders (least-squares log--log "
                                               "slopes over the refinement levels; ratios: successive error ratios of "
                                               "$p$).");
    t->tex_head = strdup("case & scheme & refine & reference & \\multicolumn{2}{c}{order of $p$} & "
                         "\\multicolumn{2}{c}{order of $N$} & ratios of $p$ errors \\\\\n"
                         "\\cmidrule(lr){5-6}\\cmidrule(lr){7-8}\n & & & & observed & expected & observed & expected & "
                         "\\\\\n");
    json_t *cv;
    size_t ci;
    json_array_foreach(r->conv, ci, cv)
    {
        const char *dir = rp_conv_str(cv, K_DIR);
        rp_tcell *row;
        if (!rp_is_study(cv) || !(row = rp_table_row(d, t)))
            continue;
        rp_span_add(d, &row[0].s, RP_ALL, RP_SP_TEXT, rp_conv_str(cv, K_CASE));
        rp_span_add(d, &row[1].s, RP_ALL, RP_SP_TEXT, rp_conv_str(cv, K_SCHEME));
        rp_span_add(d, &row[2].s, RP_ALL, RP_SP_TEXT, dir ? dir : "?");
        rp_span_add(d, &row[3].s, RP_ALL, RP_SP_TEXT, rp_conv_str(cv, K_REF) ? rp_conv_str(cv, K_REF) : "--");
        const char *const *keys[] = {K_OP, K_XP, K_ON, K_XN};
        for (int k = 0; k < 4; k++)
            rp_span_number(d, &row[4 + k].s, RP_ALL, rp_conv_num(cv, keys[k]), 3);
        json_t *l;
        size_t i;
        int first = 1;
        json_array_foreach(json_object_get(cv, "levels"), i, l)
        {
            json_t *v = json_object_get(l, "ratio_p");
            if (!json_is_number(v))
                continue;
            if (!first)
                rp_span_add(d, &row[8].s, RP_ALL, RP_SP_VERB, ", ");
            rp_span_number(d, &row[8].s, RP_ALL, json_number_value(v), 3);
            first = 0;
        }
    }
    rp_span_add(d, &t->empty, RP_TEX, RP_SP_VERB, "no convergence studies in the verdict record");
}

/* The convergence studies (the work–precision records are in the table of error and cost and the
 * figures). */
static void convergence(rp_report *r, rp_doc *d)
{
    rp_span_add(d, &rp_doc_heading(d, RP_WEB, 2, "convergence")->s, RP_ALL, RP_SP_TEXT, "Convergence");
    if (!r->conv)
        rp_span_add(d, &rp_doc_para(d, RP_WEB, "note")->s, RP_ALL, RP_SP_TEXT, "The verdict record holds no convergence studies.");
    json_t *cv;
    size_t ci;
    json_array_foreach(r->conv, ci, cv) if (rp_is_study(cv)) study(d, cv);
    orders(r, d);
}

/* The figures of the whole report, then per case its notes and its figures. */
static void figures(rp_report *r, rp_doc *d)
{
    rp_span_add(d, &rp_doc_heading(d, RP_WEB, 2, "figures")->s, RP_ALL, RP_SP_TEXT, "Figures");
    for (int i = 0; i < r->n_figs; i++)
        if (!r->figs[i].case_name[0])
            rp_doc_figure(d, &r->figs[i]);
    for (int c = 0; c < r->n_cases; c++) {
        rp_span_add(d, &rp_doc_heading(d, RP_WEB, 3, NULL)->s, RP_ALL, RP_SP_TEXT, r->cases[c]);
        rp_doc_notes(d, r, r->cases[c]);
        for (int i = 0; i < r->n_figs; i++)
            if (!strcmp(r->figs[i].case_name, r->cases[c]))
                rp_doc_figure(d, &r->figs[i]);
    }
}

int rp_doc_build(rp_report *r, rp_doc *d, nlif_error *err)
{
    memset(d, 0, sizeof *d);
    front(r, d);
    rp_headline_section(r, d);
    int global_notes = 0;
    for (int i = 0; i < r->n_notes; i++)
        global_notes += !r->notes[i].case_name[0];
    if (global_notes) {
        rp_span_add(d, &rp_doc_heading(d, RP_WEB, 2, "missing")->s, RP_ALL, RP_SP_TEXT, "Missing inputs");
        rp_doc_notes(d, r, "");
    }
    matrix(r, d);
    checks(r, d);
    choices(r, d);
    rp_wp_section(r, d);
    convergence(r, d);
    figures(r, d);
    if (d->oom)
        return nlif_fail(err, NLIF_ENOMEM, "%s: the report's document: out of memory", r->out);
    return NLIF_OK;
}
