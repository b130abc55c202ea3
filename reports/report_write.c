/* report_write.c — the documents of the report: index.html (self-contained: inline CSS, figures as
 * data:image/png;base64 URIs, no external resource), report.md (the same content, figures as
 * relative links) and the booktabs tables orders.tex and verdicts.tex.
 */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../io/nlif_results.h"
#include "../core/nlif_options.h"

static const char *const VCLASS[3] = {"pass", "fail", "na"};
static const char *const VTEXT[3] = {"pass", "FAIL", "n.a."};

static const char *const K_CASE[] = {"case", "case_name", NULL};
static const char *const K_SCHEME[] = {"scheme", NULL};
static const char *const K_DIR[] = {"refine", "dir", "direction", NULL};
static const char *const K_REF[] = {"reference", NULL};
static const char *const K_OP[] = {"order_p", NULL};
static const char *const K_ON[] = {"order_rate", NULL};
static const char *const K_XP[] = {"expected_p", NULL};
static const char *const K_XN[] = {"expected_rate", NULL};

static int write_sb(rp_report *r, const char *name, rp_sb *b, nlif_error *err)
{
    char p[2 * RP_PATH];
    snprintf(p, sizeof p, "%s/%s", r->out, name);
    if (b->oom)
        return nlif_fail(err, NLIF_ENOMEM, "%s: out of memory", p);
    return rp_write_text(p, b->s ? b->s : "", b->n, err);
}

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

/* ---- HTML ---- */

static const char *CSS =
    "body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:1.5em auto;max-width:1200px;"
    "padding:0 1em;color:#222;line-height:1.4}"
    "h1{margin-bottom:.2em}h2{border-bottom:1px solid #ccc;margin-top:2em}"
    "table{border-collapse:collapse;margin:.6em 0;font-size:90%}"
    "th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}"
    "th{background:#f2f2f2}td.num{text-align:right;font-family:monospace}"
    ".pass{background:#c8e6c9}.fail{background:#ffcdd2;font-weight:bold}.na{background:#e6e6e6;color:#555}"
    ".none{color:#999}.prov{color:#555;font-size:90%}.note{color:#8a4b00}"
    "figure{margin:1em 0;border:1px solid #ddd;padding:.5em;display:inline-block;max-width:100%}"
    "figure img{max-width:100%;height:auto;display:block}figcaption{font-size:90%;color:#333;max-width:900px}"
    "code{font-size:90%}";

static int embed_png(rp_report *r, rp_sb *h, const rp_figure *f)
{
    char p[2 * RP_PATH];
    snprintf(p, sizeof p, "%s/%s.png", r->fig_dir, f->stem);
    unsigned char *d;
    size_t n;
    unsigned w, hh;
    if (rp_read_file(p, &d, &n))
        return -1;
    if (!rp_png_size(d, n, &w, &hh) || !w || !hh) {
        free(d);
        return -1;
    }
    rp_sb_add(h, "<figure><img alt=\"");
    rp_html_esc(h, f->title);
    rp_sb_printf(h, "\" width=\"%u\" height=\"%u\" src=\"data:image/png;base64,", w, hh);
    rp_base64(h, d, n);
    free(d);
    rp_sb_add(h, "\"><figcaption><b>");
    rp_html_esc(h, f->title);
    rp_sb_add(h, ".</b> ");
    rp_html_esc(h, f->caption);
    rp_sb_printf(h, " <span class=\"prov\">(fig/%s.png%s, data and script fig/%s.gp)</span></figcaption></figure>\n",
                 f->stem, r->pdf_term[0] ? ", .pdf" : "", f->stem);
    return 0;
}

static void html_notes(const rp_report *r, rp_sb *h, const char *case_name)
{
    int any = 0;
    for (int i = 0; i < r->n_notes; i++) {
        if (strcmp(r->notes[i].case_name, case_name))
            continue;
        rp_sb_add(h, any ? "<li>" : "<ul class=\"note\"><li>");
        rp_html_esc(h, r->notes[i].text);
        rp_sb_add(h, "</li>\n");
        any = 1;
    }
    if (any)
        rp_sb_add(h, "</ul>\n");
}

static void html_figures(rp_report *r, rp_sb *h, const char *case_name)
{
    for (int i = 0; i < r->n_figs; i++)
        if (!strcmp(r->figs[i].case_name, case_name) && r->figs[i].ok && embed_png(r, h, &r->figs[i]))
            r->figs[i].ok = 0;
}

static void count_all(const rp_report *r, int c[3])
{
    c[0] = c[1] = c[2] = 0;
    for (int i = 0; i < r->n_cells; i++)
        c[r->cells[i].verdict]++;
}

static double lnum(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static void html_conv_table(rp_sb *h, const json_t *c)
{
    const char *dir = rp_conv_str(c, K_DIR);
    char b1[64], b2[64], b3[64], b4[64], b5[64], b6[64];
    rp_sb_add(h, "<h3>");
    rp_html_esc(h, rp_conv_str(c, K_SCHEME));
    rp_sb_add(h, " on ");
    rp_html_esc(h, rp_conv_str(c, K_CASE));
    rp_sb_add(h, ", refine ");
    rp_html_esc(h, dir ? dir : "?");
    rp_sb_add(h, " (reference: ");
    rp_html_esc(h, rp_conv_str(c, K_REF) ? rp_conv_str(c, K_REF) : "not stated");
    rp_sb_printf(h, ")</h3>\n<p>order of p: observed <b>%s</b>, expected %s; order of N: observed <b>%s</b>, expected "
                    "%s</p>\n",
                 rp_num(b1, 64, rp_conv_num(c, K_OP), 3), rp_num(b2, 64, rp_conv_num(c, K_XP), 3),
                 rp_num(b3, 64, rp_conv_num(c, K_ON), 3), rp_num(b4, 64, rp_conv_num(c, K_XN), 3));
    const char *note = json_string_value(json_object_get(c, "note"));
    if (note && *note) {
        rp_sb_add(h, "<p class=\"prov\">");
        rp_html_esc(h, note);
        rp_sb_add(h, "</p>\n");
    }
    rp_sb_add(h, "<table><tr><th>level</th><th>h</th><th>error of p (L1)</th><th>ratio</th><th>error of N (max)</th>"
                 "<th>ratio</th><th>CPU s</th><th>status</th></tr>\n");
    json_t *l;
    size_t i;
    json_array_foreach(json_object_get(c, "levels"), i, l)
    {
        json_t *st = json_object_get(l, "status");
        char stt[64];
        json_text(stt, sizeof stt, st ? st : json_null());
        rp_sb_printf(h, "<tr><td class=\"num\">%zu</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td "
                        "class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s"
                        "</td><td>",
                     i, rp_num(b1, 64, rp_level_h(l, dir), 4),
                     rp_num(b2, 64, lnum(l, "err_p"), 4), rp_num(b3, 64, lnum(l, "ratio_p"), 4),
                     rp_num(b4, 64, lnum(l, "err_rate"), 4), rp_num(b5, 64, lnum(l, "ratio_rate"), 4),
                     rp_num(b6, 64, lnum(l, "cpu_seconds"), 3));
        rp_html_esc(h, st ? stt : "");
        rp_sb_add(h, "</td></tr>\n");
    }
    rp_sb_add(h, "</table>\n");
}

int rp_write_html(rp_report *r, nlif_error *err)
{
    rp_sb h = {0};
    char now[64], b[64];
    nlif_now_iso(now, sizeof now);
    int c[3];
    count_all(r, c);
    rp_sb_printf(&h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>nlif report</title>\n"
                     "<style>%s</style></head><body>\n<h1>nlif — verification report</h1>\n<p class=\"prov\">",
                 CSS);
    rp_sb_add(&h, "verdicts: commit <code>");
    rp_html_esc(&h, r->commit);
    rp_sb_add(&h, "</code>, date ");
    rp_html_esc(&h, r->date);
    rp_sb_add(&h, ", mode <b>");
    rp_html_esc(&h, r->mode);
    rp_sb_printf(&h, "</b>, verify wall time %s s; read from <code>", rp_num(b, sizeof b, r->wall_seconds, 4));
    rp_html_esc(&h, r->opt->verdicts);
    rp_sb_add(&h, "</code>. Report written ");
    rp_html_esc(&h, now);
    rp_sb_add(&h, " by nlif report (commit <code>");
    rp_html_esc(&h, nlif_commit());
    rp_sb_printf(&h, "</code>); figures by gnuplot, terminal %s.</p>\n", r->png_term[0] ? r->png_term : "none");
    rp_sb_printf(&h, "<p><b>%d checks</b> over %d cases and %d schemes: <span class=\"pass\">&nbsp;%d pass&nbsp;</span> "
                     "<span class=\"fail\">&nbsp;%d FAIL&nbsp;</span> <span class=\"na\">&nbsp;%d n.a.&nbsp;</span></p>\n",
                 r->n_cells, r->n_cases, r->n_schemes, c[0], c[1], c[2]);
    if (r->n_refused)
        rp_sb_printf(&h, "<p class=\"fail\"><b>%d verdict(s) refused</b>: a file they were judged from is no longer the "
                         "one verify judged (see <a href=\"#missing\">Missing inputs</a>); they are counted as FAIL.</p>\n",
                     r->n_refused);
    rp_sb_add(&h, "<p>Each scheme is a reconstruction from the papers' abstracts (README): never cite a number of "
                  "this report as a paper's own.</p>\n<p>Contents: <a href=\"#matrix\">verdict matrix</a> · <a "
                  "href=\"#checks\">every check</a> · <a href=\"#choices\">named Choices</a> · <a "
                  "href=\"#workprec\">error and cost</a> · <a href=\"#convergence\">convergence</a> · <a "
                  "href=\"#figures\">figures</a></p>\n");
    int global_notes = 0;
    for (int i = 0; i < r->n_notes; i++)
        global_notes += !r->notes[i].case_name[0];
    if (global_notes) {
        rp_sb_add(&h, "<h2 id=\"missing\">Missing inputs</h2>\n");
        html_notes(r, &h, "");
    }
    /* matrix */
    rp_sb_add(&h, "<h2 id=\"matrix\">Verdict matrix</h2>\n<p>Each cell: the checks of that case and scheme; red if "
                  "any failed, green if any passed and none failed, grey if all were n.a. The detail of every check "
                  "follows.</p>\n<table class=\"matrix\"><tr><th>case</th>");
    for (int s = 0; s < r->n_schemes; s++) {
        rp_sb_add(&h, "<th>");
        rp_html_esc(&h, r->schemes[s]);
        rp_sb_add(&h, "</th>");
    }
    rp_sb_add(&h, "</tr>\n");
    for (int i = 0; i < r->n_cases; i++) {
        rp_sb_printf(&h, "<tr><th><a href=\"#case-%d\">", i);
        rp_html_esc(&h, r->cases[i]);
        rp_sb_add(&h, "</a></th>");
        for (int s = 0; s < r->n_schemes; s++) {
            int k[3], v = rp_cell_counts(r, r->cases[i], r->schemes[s], k);
            if (k[0] + k[1] + k[2] == 0)
                rp_sb_add(&h, "<td class=\"none\">no cell</td>");
            else
                rp_sb_printf(&h, "<td class=\"%s\">%s — %d pass, %d FAIL, %d n.a.</td>", VCLASS[v], VTEXT[v], k[0],
                             k[1], k[2]);
        }
        rp_sb_add(&h, "</tr>\n");
    }
    rp_sb_add(&h, "</table>\n");
    /* every check */
    rp_sb_add(&h, "<h2 id=\"checks\">Every check</h2>\n");
    for (int i = 0; i < r->n_cases; i++) {
        rp_sb_printf(&h, "<h3 id=\"case-%d\">", i);
        rp_html_esc(&h, r->cases[i]);
        rp_sb_add(&h, "</h3>\n<table class=\"checks\"><tr><th>scheme</th><th>check</th><th>verdict</th><th>measured"
                      "</th><th>bound</th><th>source</th><th>reason</th><th>run</th></tr>\n");
        for (int k = 0; k < r->n_cells; k++) {
            const rp_cell *x = &r->cells[k];
            if (strcmp(x->case_name, r->cases[i]))
                continue;
            rp_sb_add(&h, "<tr><td>");
            rp_html_esc(&h, x->scheme);
            rp_sb_add(&h, "</td><td>");
            rp_html_esc(&h, x->check);
            rp_sb_printf(&h, "</td><td class=\"%s\">%s</td><td class=\"num\">%s</td><td>", VCLASS[x->verdict],
                         x->refused ? "refused" : VTEXT[x->verdict], rp_num(b, sizeof b, x->measured, 6));
            if (x->known_failure)
                rp_sb_add(&h, "<b>known failure</b> ");
            rp_html_esc(&h, x->bound);
            rp_sb_add(&h, "</td><td>");
            rp_html_esc(&h, x->source);
            rp_sb_add(&h, "</td><td>");
            if (x->refused)
                rp_sb_add(&h, "<b>verdict refused:</b> ");
            rp_html_esc(&h, x->refused ? x->refusal : x->reason);
            rp_sb_add(&h, "</td><td><code>");
            rp_html_esc(&h, x->run ? x->run : "");
            rp_sb_add(&h, "</code></td></tr>\n");
        }
        rp_sb_add(&h, "</table>\n");
    }
    /* choices */
    rp_sb_add(&h, "<h2 id=\"choices\">Named Choices in force</h2>\n<p>Every choice a paper may have made "
                  "differently is an option (MATHEMATICS.md); these are the values the results were made "
                  "with.</p>\n<table><tr><th>scheme</th><th>Choice</th><th>value</th></tr>\n");
    const char *sk;
    json_t *sv;
    int n_choices = 0;
    json_object_foreach(r->choices, sk, sv)
    {
        const char *k;
        json_t *v;
        json_object_foreach(sv, k, v)
        {
            char t[600];
            json_text(t, sizeof t, v);
            rp_sb_add(&h, "<tr><td>");
            rp_html_esc(&h, sk);
            rp_sb_add(&h, "</td><td><code>");
            rp_html_esc(&h, k);
            rp_sb_add(&h, "</code></td><td>");
            rp_html_esc(&h, t);
            rp_sb_add(&h, "</td></tr>\n");
            n_choices++;
        }
    }
    if (!n_choices)
        rp_sb_add(&h, "<tr><td colspan=\"3\" class=\"none\">no Choice is recorded in the inputs</td></tr>\n");
    rp_sb_add(&h, "</table>\n");
    rp_wp_table_html(r, &h);
    /* convergence (the work–precision records are in the table above and the figures) */
    rp_sb_add(&h, "<h2 id=\"convergence\">Convergence</h2>\n");
    if (!r->conv)
        rp_sb_add(&h, "<p class=\"note\">The verdict record holds no convergence studies.</p>\n");
    json_t *cv;
    size_t ci;
    json_array_foreach(r->conv, ci, cv) if (!rp_is_wp(cv)) html_conv_table(&h, cv);
    /* figures */
    rp_sb_add(&h, "<h2 id=\"figures\">Figures</h2>\n");
    html_figures(r, &h, "");
    for (int i = 0; i < r->n_cases; i++) {
        rp_sb_add(&h, "<h3>");
        rp_html_esc(&h, r->cases[i]);
        rp_sb_add(&h, "</h3>\n");
        html_notes(r, &h, r->cases[i]);
        html_figures(r, &h, r->cases[i]);
    }
    /* For reports/check_html.sh: once loaded, the page states how many images it has and how many failed
     * to decode (naturalWidth 0). The marker is assembled at run time so that the script's own text never
     * matches it. */
    rp_sb_add(&h, "<script>window.addEventListener('load',function(){var im=Array.prototype.slice.call("
                  "document.images);function mark(b){var m=document.createElement('p');m.id='image-check';"
                  "m.className='prov';m.textContent='NLIF'+'-IMAGES total='+im.length+' broken='+b;"
                  "document.body.appendChild(m);}"
                  /* At the load event every data: image is decoded or broken (naturalWidth 0).
                   * img.decode() is not used: its promise does not settle for offscreen images in
                   * headless Chromium, and a report has dozens of them. */
                  "mark(im.filter(function(x){return !x.complete||x.naturalWidth===0;}).length);});"
                  "</script>\n</body></html>\n");
    int rc = write_sb(r, "index.html", &h, err);
    rp_sb_free(&h);
    return rc;
}

/* ---- Markdown ---- */

static void md_notes(const rp_report *r, rp_sb *m, const char *case_name)
{
    int any = 0;
    for (int i = 0; i < r->n_notes; i++) {
        if (strcmp(r->notes[i].case_name, case_name))
            continue;
        rp_sb_add(m, "- ");
        rp_md_esc(m, r->notes[i].text);
        rp_sb_add(m, "\n");
        any = 1;
    }
    if (any)
        rp_sb_add(m, "\n");
}

static void md_figures(const rp_report *r, rp_sb *m, const char *case_name)
{
    for (int i = 0; i < r->n_figs; i++) {
        const rp_figure *f = &r->figs[i];
        if (strcmp(f->case_name, case_name) || !f->ok)
            continue;
        rp_sb_add(m, "![");
        rp_md_esc(m, f->title);
        rp_sb_printf(m, "](fig/%s.png)\n\n*", f->stem);
        rp_md_esc(m, f->title);
        rp_sb_add(m, ".* ");
        rp_md_esc(m, f->caption);
        rp_sb_printf(m, " (`fig/%s.gp`%s)\n\n", f->stem, r->pdf_term[0] ? ", PDF beside it" : "");
    }
}

int rp_write_markdown(rp_report *r, nlif_error *err)
{
    rp_sb m = {0};
    char b[64], b2[64], b3[64], b4[64], now[64];
    nlif_now_iso(now, sizeof now);
    int c[3];
    count_all(r, c);
    rp_sb_add(&m, "# nlif — verification report\n\nVerdicts: commit `");
    rp_sb_add(&m, r->commit);
    rp_sb_add(&m, "`, date ");
    rp_md_esc(&m, r->date);
    rp_sb_add(&m, ", mode **");
    rp_md_esc(&m, r->mode);
    rp_sb_printf(&m, "**, verify wall time %s s; read from `%s`. Report written %s by nlif report (commit `%s`); "
                     "figures by gnuplot, terminal %s.\n\n",
                 rp_num(b, sizeof b, r->wall_seconds, 4), r->opt->verdicts, now, nlif_commit(),
                 r->png_term[0] ? r->png_term : "none");
    rp_sb_printf(&m, "**%d checks** over %d cases and %d schemes: %d pass, %d FAIL, %d n.a.\n\n", r->n_cells,
                 r->n_cases, r->n_schemes, c[0], c[1], c[2]);
    if (r->n_refused)
        rp_sb_printf(&m, "**%d verdict(s) refused**: a file they were judged from is no longer the one verify judged "
                         "(see Missing inputs); they are counted as FAIL.\n\n", r->n_refused);
    rp_sb_add(&m, "Each scheme is a reconstruction from the papers' abstracts (README): never cite a number of this "
                  "report as a paper's own.\n\n");
    int global_notes = 0;
    for (int i = 0; i < r->n_notes; i++)
        global_notes += !r->notes[i].case_name[0];
    if (global_notes) {
        rp_sb_add(&m, "## Missing inputs\n\n");
        md_notes(r, &m, "");
    }
    rp_sb_add(&m, "## Verdict matrix\n\n| case |");
    for (int s = 0; s < r->n_schemes; s++) {
        rp_sb_add(&m, " ");
        rp_md_esc(&m, r->schemes[s]);
        rp_sb_add(&m, " |");
    }
    rp_sb_add(&m, "\n|---|");
    for (int s = 0; s < r->n_schemes; s++)
        rp_sb_add(&m, "---|");
    rp_sb_add(&m, "\n");
    for (int i = 0; i < r->n_cases; i++) {
        rp_sb_add(&m, "| ");
        rp_md_esc(&m, r->cases[i]);
        rp_sb_add(&m, " |");
        for (int s = 0; s < r->n_schemes; s++) {
            int k[3], v = rp_cell_counts(r, r->cases[i], r->schemes[s], k);
            if (k[0] + k[1] + k[2] == 0)
                rp_sb_add(&m, " — |");
            else
                rp_sb_printf(&m, " %s%s%s %d/%d/%d |", v == RP_FAIL ? "**" : "", VTEXT[v], v == RP_FAIL ? "**" : "",
                             k[0], k[1], k[2]);
        }
        rp_sb_add(&m, "\n");
    }
    rp_sb_add(&m, "\nCells: aggregate verdict, then pass/FAIL/n.a. counts.\n\n## Every check\n\n");
    for (int i = 0; i < r->n_cases; i++) {
        rp_sb_add(&m, "### ");
        rp_md_esc(&m, r->cases[i]);
        rp_sb_add(&m, "\n\n| scheme | check | verdict | measured | bound | source | reason |\n|---|---|---|---|---|---|---|\n");
        for (int k = 0; k < r->n_cells; k++) {
            const rp_cell *x = &r->cells[k];
            if (strcmp(x->case_name, r->cases[i]))
                continue;
            rp_sb_add(&m, "| ");
            rp_md_esc(&m, x->scheme);
            rp_sb_add(&m, " | ");
            rp_md_esc(&m, x->check);
            rp_sb_printf(&m, " | %s%s%s | %s | ", x->verdict == RP_FAIL ? "**" : "", x->refused ? "refused" : VTEXT[x->verdict],
                         x->verdict == RP_FAIL ? "**" : "", rp_num(b, sizeof b, x->measured, 6));
            rp_md_esc(&m, x->bound);
            rp_sb_add(&m, " | ");
            rp_md_esc(&m, x->source);
            rp_sb_add(&m, " | ");
            if (x->refused)
                rp_sb_add(&m, "**verdict refused:** ");
            rp_md_esc(&m, x->refused ? x->refusal : x->reason);
            rp_sb_add(&m, " |\n");
        }
        rp_sb_add(&m, "\n");
    }
    rp_sb_add(&m, "## Named Choices in force\n\n| scheme | Choice | value |\n|---|---|---|\n");
    const char *sk;
    json_t *sv;
    json_object_foreach(r->choices, sk, sv)
    {
        const char *k;
        json_t *v;
        json_object_foreach(sv, k, v)
        {
            char t[600];
            json_text(t, sizeof t, v);
            rp_sb_add(&m, "| ");
            rp_md_esc(&m, sk);
            rp_sb_add(&m, " | `");
            rp_sb_add(&m, k);
            rp_sb_add(&m, "` | ");
            rp_md_esc(&m, t);
            rp_sb_add(&m, " |\n");
        }
    }
    rp_sb_add(&m, "\n");
    rp_wp_table_md(r, &m);
    rp_sb_add(&m, "## Convergence\n\n");
    if (!r->conv)
        rp_sb_add(&m, "The verdict record holds no convergence studies.\n\n");
    json_t *cv;
    size_t ci;
    json_array_foreach(r->conv, ci, cv)
    {
        const char *dir = rp_conv_str(cv, K_DIR);
        if (rp_is_wp(cv))
            continue;
        rp_sb_add(&m, "### ");
        rp_md_esc(&m, rp_conv_str(cv, K_SCHEME));
        rp_sb_add(&m, " on ");
        rp_md_esc(&m, rp_conv_str(cv, K_CASE));
        rp_sb_printf(&m, ", refine %s (reference: %s)\n\norder of p: observed **%s**, expected %s; order of N: "
                         "observed **%s**, expected %s\n\n| level | h | error of p | ratio | error of N | ratio | CPU s |\n"
                         "|---|---|---|---|---|---|---|\n",
                     dir ? dir : "?", rp_conv_str(cv, K_REF) ? rp_conv_str(cv, K_REF) : "not stated",
                     rp_num(b, 64, rp_conv_num(cv, K_OP), 3), rp_num(b2, 64, rp_conv_num(cv, K_XP), 3),
                     rp_num(b3, 64, rp_conv_num(cv, K_ON), 3), rp_num(b4, 64, rp_conv_num(cv, K_XN), 3));
        json_t *l;
        size_t i;
        json_array_foreach(json_object_get(cv, "levels"), i, l)
        {
            static const char *const keys[] = {"err_p", "ratio_p", "err_rate", "ratio_rate", "cpu_seconds"};
            rp_sb_printf(&m, "| %zu | %s |", i, rp_num(b, 64, rp_level_h(l, dir), 4));
            for (int k = 0; k < 5; k++) {
                json_t *v = json_object_get(l, keys[k]);
                rp_sb_printf(&m, " %s |", rp_num(b, 64, json_is_number(v) ? json_number_value(v) : NAN, 4));
            }
            rp_sb_add(&m, "\n");
        }
        rp_sb_add(&m, "\n");
    }
    rp_sb_add(&m, "## Figures\n\n");
    md_figures(r, &m, "");
    for (int i = 0; i < r->n_cases; i++) {
        rp_sb_add(&m, "### ");
        rp_md_esc(&m, r->cases[i]);
        rp_sb_add(&m, "\n\n");
        md_notes(r, &m, r->cases[i]);
        md_figures(r, &m, r->cases[i]);
    }
    int rc = write_sb(r, "report.md", &m, err);
    rp_sb_free(&m);
    return rc;
}

/* ---- LaTeX (booktabs) ---- */

static void tex_num(rp_sb *t, double x, int digits)
{
    if (!isfinite(x))
        rp_sb_add(t, "--");
    else
        rp_sb_printf(t, "%.*g", digits, x);
}

int rp_write_latex(rp_report *r, nlif_error *err)
{
    rp_sb t = {0};
    rp_sb_add(&t, "% orders.tex — observed vs expected convergence orders, written by nlif report\n% from ");
    rp_tex_esc(&t, r->opt->verdicts);
    rp_sb_printf(&t, " (commit %s, %s). Needs \\usepackage{booktabs}.\n", r->commit, r->date);
    rp_sb_add(&t, "\\begin{table}\n\\centering\n\\caption{Observed and expected convergence orders (least-squares "
                  "log--log slopes over the refinement levels; ratios: successive error ratios of $p$).}\n"
                  "\\label{tab:nlif-orders}\n\\small\n");
    rp_sb_add(&t, "\\begin{tabular}{llllrrrrl}\n\\toprule\ncase & scheme & refine & reference & "
                  "\\multicolumn{2}{c}{order of $p$} & \\multicolumn{2}{c}{order of $N$} & ratios of $p$ errors \\\\\n"
                  "\\cmidrule(lr){5-6}\\cmidrule(lr){7-8}\n & & & & observed & expected & observed & expected & \\\\\n"
                  "\\midrule\n");
    int rows = 0;
    json_t *cv;
    size_t ci;
    json_array_foreach(r->conv, ci, cv)
    {
        const char *dir = rp_conv_str(cv, K_DIR);
        if (rp_is_wp(cv))
            continue;
        rp_tex_esc(&t, rp_conv_str(cv, K_CASE));
        rp_sb_add(&t, " & ");
        rp_tex_esc(&t, rp_conv_str(cv, K_SCHEME));
        rp_sb_add(&t, " & ");
        rp_tex_esc(&t, dir ? dir : "?");
        rp_sb_add(&t, " & ");
        rp_tex_esc(&t, rp_conv_str(cv, K_REF) ? rp_conv_str(cv, K_REF) : "--");
        const char *const *keys[] = {K_OP, K_XP, K_ON, K_XN};
        for (int k = 0; k < 4; k++) {
            rp_sb_add(&t, " & ");
            tex_num(&t, rp_conv_num(cv, keys[k]), 3);
        }
        rp_sb_add(&t, " & ");
        json_t *l;
        size_t i;
        int first = 1;
        json_array_foreach(json_object_get(cv, "levels"), i, l)
        {
            json_t *v = json_object_get(l, "ratio_p");
            if (!json_is_number(v))
                continue;
            rp_sb_add(&t, first ? "" : ", ");
            tex_num(&t, json_number_value(v), 3);
            first = 0;
        }
        rp_sb_add(&t, " \\\\\n");
        rows++;
    }
    if (!rows)
        rp_sb_add(&t, "\\multicolumn{9}{l}{no convergence studies in the verdict record} \\\\\n");
    rp_sb_add(&t, "\\bottomrule\n\\end{tabular}\n\\end{table}\n");
    int rc = write_sb(r, "orders.tex", &t, err);
    rp_sb_free(&t);
    if (rc)
        return rc;

    rp_sb v = {0};
    rp_sb_add(&v, "% verdicts.tex — the verdict matrix (case x scheme), written by nlif report\n% from ");
    rp_tex_esc(&v, r->opt->verdicts);
    rp_sb_printf(&v, " (commit %s, %s, mode %s). Needs \\usepackage{booktabs}.\n%% Each cell: aggregate verdict, "
                     "then pass/FAIL/n.a. counts of its checks.\n",
                 r->commit, r->date, r->mode);
    rp_sb_add(&v, "\\begin{table}\n\\centering\n\\caption{Verdicts per case and scheme: the aggregate verdict, then "
                  "the counts of checks that passed, FAILED and were n.a.}\n\\label{tab:nlif-verdicts}\n\\small\n");
    rp_sb_add(&v, "\\begin{tabular}{l");
    for (int s = 0; s < r->n_schemes; s++)
        rp_sb_add(&v, "c");
    rp_sb_add(&v, "}\n\\toprule\ncase");
    for (int s = 0; s < r->n_schemes; s++) {
        rp_sb_add(&v, " & ");
        rp_tex_esc(&v, r->schemes[s]);
    }
    rp_sb_add(&v, " \\\\\n\\midrule\n");
    for (int i = 0; i < r->n_cases; i++) {
        rp_tex_esc(&v, r->cases[i]);
        for (int s = 0; s < r->n_schemes; s++) {
            int k[3], vv = rp_cell_counts(r, r->cases[i], r->schemes[s], k);
            if (k[0] + k[1] + k[2] == 0)
                rp_sb_add(&v, " & --");
            else
                rp_sb_printf(&v, " & %s%s%s %d/%d/%d", vv == RP_FAIL ? "\\textbf{" : "", VTEXT[vv],
                             vv == RP_FAIL ? "}" : "", k[0], k[1], k[2]);
        }
        rp_sb_add(&v, " \\\\\n");
    }
    if (!r->n_cases)
        rp_sb_add(&v, "\\multicolumn{1}{l}{no verdict cells} \\\\\n");
    rp_sb_add(&v, "\\bottomrule\n\\end{tabular}\n\\end{table}\n");
    rc = write_sb(r, "verdicts.tex", &v, err);
    if (!rc)
        rc = rp_wp_table_tex(r, err);
    rp_sb_free(&v);
    return rc;
}
