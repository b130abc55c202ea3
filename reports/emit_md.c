/* emit_md.c — the report's document (report_doc.h) as report.md: the same content as index.html in
 * Markdown, figures as relative links to fig/.
 */
#include "report_doc.h"

#include <string.h>

static void spans(rp_sb *m, const rp_spans *s)
{
    char b[64];
    for (int i = 0; i < s->n; i++) {
        const rp_span *x = &s->v[i];
        if (!(x->fmts & RP_MD))
            continue;
        switch (x->kind) {
        case RP_SP_TEXT:
        case RP_SP_LINK:
        case RP_SP_CLASS: rp_md_esc(m, x->text); break;
        case RP_SP_VERB:
        case RP_SP_QTY: rp_sb_add(m, x->text); break;
        case RP_SP_CODE: rp_sb_add(m, "`"), rp_sb_add(m, x->text), rp_sb_add(m, "`"); break;
        case RP_SP_BOLD: rp_sb_add(m, "**"), rp_md_esc(m, x->text), rp_sb_add(m, "**"); break;
        case RP_SP_NUMBER: rp_sb_add(m, rp_num(b, sizeof b, x->x, x->digits)); break;
        case RP_SP_COUNTS: {
            const char *bold = x->verdict == RP_FAIL ? "**" : "";
            rp_sb_printf(m, "%s%s%s %d/%d/%d", bold, RP_VTEXT[x->verdict], bold, x->counts[0], x->counts[1],
                         x->counts[2]);
            break;
        }
        }
    }
}

static void table(rp_sb *m, const rp_table *t)
{
    rp_sb_add(m, "|");
    for (int c = 0; c < t->ncol; c++)
        if (t->col_fmts[c] & RP_MD) {
            rp_sb_add(m, " ");
            spans(m, &t->head[c].s);
            rp_sb_add(m, " |");
        }
    rp_sb_add(m, "\n|");
    for (int c = 0; c < t->ncol; c++)
        if (t->col_fmts[c] & RP_MD)
            rp_sb_add(m, "---|");
    rp_sb_add(m, "\n");
    for (int i = 0; i < t->nrow; i++) {
        rp_sb_add(m, "|");
        for (int c = 0; c < t->ncol; c++) {
            const rp_tcell *x = &t->cells[i * t->ncol + c];
            if (!(t->col_fmts[c] & RP_MD))
                continue;
            rp_sb_add(m, x->mark ? " **" : " ");
            spans(m, &x->s);
            rp_sb_add(m, x->mark ? "** |" : " |");
        }
        rp_sb_add(m, "\n");
    }
    rp_sb_add(m, "\n");
}

static void figure(const rp_report *r, rp_sb *m, const rp_figure *f)
{
    rp_sb_add(m, "![");
    rp_md_esc(m, f->title);
    rp_sb_printf(m, "](fig/%s.png)\n\n*", f->stem);
    rp_md_esc(m, f->title);
    rp_sb_add(m, ".* ");
    rp_md_esc(m, f->caption);
    rp_sb_printf(m, " (`fig/%s.gp`%s)\n\n", f->stem, r->pdf_term[0] ? ", PDF beside it" : "");
}

int rp_emit_markdown(rp_report *r, const rp_doc *d, nlif_error *err)
{
    rp_sb m = {0};
    for (int i = 0; i < d->n; i++) {
        const rp_block *b = &d->b[i];
        if (!(b->fmts & RP_MD))
            continue;
        switch (b->kind) {
        case RP_B_HEADING:
            for (int k = 0; k < b->level; k++)
                rp_sb_add(&m, "#");
            rp_sb_add(&m, " ");
            spans(&m, &b->s);
            rp_sb_add(&m, "\n\n");
            break;
        case RP_B_PARA:
            spans(&m, &b->s);
            rp_sb_add(&m, "\n\n");
            break;
        case RP_B_NOTES:
            for (int k = 0; k < b->n_items; k++) {
                rp_sb_add(&m, "- ");
                rp_md_esc(&m, b->items[k]);
                rp_sb_add(&m, "\n");
            }
            rp_sb_add(&m, "\n");
            break;
        case RP_B_TABLE: table(&m, b->t); break;
        case RP_B_FIGURE:
            if (b->fig->ok) /* shown in index.html */
                figure(r, &m, b->fig);
            break;
        }
    }
    int rc = rp_doc_write(r, "report.md", &m, err);
    rp_sb_free(&m);
    return rc;
}
