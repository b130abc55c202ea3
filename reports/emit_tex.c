/* emit_tex.c — the tables of the report's document (report_doc.h) that name a LaTeX file, each as a
 * booktabs table with \caption and \label (a float, a table* across a two-column page, or a longtable
 * that breaks across pages): headline.tex, headline_full.tex, orders.tex, verdicts.tex, workprec.tex.
 */
#include "report_doc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void tex_num(rp_sb *t, double x, int digits)
{
    if (!isfinite(x))
        rp_sb_add(t, "--");
    else
        rp_sb_printf(t, "%.*g", digits, x);
}

/* A quantity written as text: "--" for none, "$\le$ x" kept, "not reached" in words; 1e-05 as
 * $1\times10^{-5}$. */
static void tex_qty(rp_sb *t, const char *s)
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

static void spans(rp_sb *t, const rp_spans *s)
{
    for (int i = 0; i < s->n; i++) {
        const rp_span *x = &s->v[i];
        if (!(x->fmts & RP_TEX))
            continue;
        switch (x->kind) {
        case RP_SP_TEXT:
        case RP_SP_LINK:
        case RP_SP_CLASS: rp_tex_esc(t, x->text); break;
        case RP_SP_VERB: rp_sb_add(t, x->text); break;
        case RP_SP_CODE: rp_sb_add(t, "\\texttt{"), rp_tex_esc(t, x->text), rp_sb_add(t, "}"); break;
        case RP_SP_BOLD: rp_sb_add(t, "\\textbf{"), rp_tex_esc(t, x->text), rp_sb_add(t, "}"); break;
        case RP_SP_NUMBER: tex_num(t, x->x, x->digits); break;
        case RP_SP_QTY: tex_qty(t, x->text); break;
        case RP_SP_COUNTS: {
            int fail = x->verdict == RP_FAIL;
            rp_sb_printf(t, "%s%s%s %d/%d/%d", fail ? "\\textbf{" : "", RP_VTEXT[x->verdict], fail ? "}" : "",
                         x->counts[0], x->counts[1], x->counts[2]);
            break;
        }
        }
    }
}

static void cell(rp_sb *t, const rp_tcell *c)
{
    if (c->mark)
        rp_sb_add(t, "\\textbf{");
    spans(t, &c->s);
    if (c->mark)
        rp_sb_add(t, "}");
}

/* The rows; with tex_group, the first column only where it changes and a little space before. */
static void rows(rp_sb *t, const rp_table *tb)
{
    rp_sb prev = {0}, now = {0};
    for (int i = 0; i < tb->nrow; i++) {
        const rp_tcell *row = tb->cells + (size_t)i * (size_t)tb->ncol;
        if (tb->tex_group) {
            now.n = 0;
            cell(&now, &row[0]);
            int same = prev.s && now.s && prev.n == now.n && !memcmp(prev.s, now.s, now.n);
            if (i > 0 && !same)
                rp_sb_add(t, "\\addlinespace\n");
            if (!same)
                rp_sb_addn(t, now.s ? now.s : "", now.n);
            rp_sb tmp = prev;
            prev = now, now = tmp;
        } else {
            cell(t, &row[0]);
        }
        for (int c = 1; c < tb->ncol; c++) {
            rp_sb_add(t, " & ");
            cell(t, &row[c]);
        }
        rp_sb_add(t, " \\\\\n");
    }
    t->oom |= prev.oom | now.oom;
    rp_sb_free(&prev);
    rp_sb_free(&now);
}

static void header_row(rp_sb *t, const rp_table *tb)
{
    if (tb->tex_head) {
        rp_sb_add(t, tb->tex_head);
        return;
    }
    for (int c = 0; c < tb->ncol; c++) {
        rp_sb_add(t, c ? " & " : "");
        spans(t, &tb->head[c].s);
    }
    rp_sb_add(t, " \\\\\n");
}

/* A float (table, or table* across both columns of a two-column page), or a longtable that breaks
 * across pages with its header repeated. */
static int table(const rp_report *r, const rp_table *tb, nlif_error *err)
{
    rp_sb t = {0};
    const char *spec = tb->tex_colspec ? tb->tex_colspec : "";
    spans(&t, &tb->tex_prologue);
    if (tb->tex_env == RP_TEX_LONG) {
        rp_sb_printf(&t, "\\begin{footnotesize}\\setlength{\\tabcolsep}{2pt}\n\\begin{longtable}{%s}\n\\caption{", spec);
        spans(&t, &tb->tex_caption);
        rp_sb_printf(&t, "}\n\\label{%s} \\\\\n\\toprule\n", tb->tex_label);
        header_row(&t, tb);
        rp_sb_add(&t, "\\midrule\n\\endfirsthead\n\\toprule\n");
        header_row(&t, tb);
        rp_sb_add(&t, "\\midrule\n\\endhead\n\\bottomrule\n\\endfoot\n");
    } else {
        const char *env = tb->tex_env == RP_TEX_WIDE ? "table*" : "table";
        rp_sb_printf(&t, "\\begin{%s}\n\\centering\n\\caption{", env);
        spans(&t, &tb->tex_caption);
        /* across a page: a size and a column gap that let a row of six schemes fit its width */
        rp_sb_printf(&t, "}\n\\label{%s}\n%s\n\\begin{tabular}{%s}\n\\toprule\n", tb->tex_label,
                     tb->tex_env == RP_TEX_WIDE ? "\\footnotesize\\setlength{\\tabcolsep}{2pt}" : "\\small", spec);
        header_row(&t, tb);
        rp_sb_add(&t, "\\midrule\n");
    }
    rows(&t, tb);
    if (!tb->nrow) {
        rp_sb_printf(&t, "\\multicolumn{%d}{l}{", tb->ncol);
        spans(&t, &tb->empty);
        rp_sb_add(&t, "} \\\\\n");
    }
    if (tb->tex_env == RP_TEX_LONG)
        rp_sb_add(&t, "\\end{longtable}\n\\end{footnotesize}\n");
    else
        rp_sb_printf(&t, "\\bottomrule\n\\end{tabular}\n\\end{%s}\n", tb->tex_env == RP_TEX_WIDE ? "table*" : "table");
    int rc = rp_doc_write(r, tb->tex_file, &t, err);
    rp_sb_free(&t);
    return rc;
}

int rp_emit_latex(rp_report *r, const rp_doc *d, nlif_error *err)
{
    for (int i = 0; i < d->n; i++) {
        const rp_block *b = &d->b[i];
        if (b->kind == RP_B_TABLE && (b->fmts & RP_TEX) && b->t->tex_file) {
            int rc = table(r, b->t, err);
            if (rc)
                return rc;
        }
    }
    return NLIF_OK;
}
