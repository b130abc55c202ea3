/* emit_html.c — the report's document (report_doc.h) as index.html: one self-contained page (inline CSS,
 * figures as data:image/png;base64 URIs, no external resource).
 */
#include "report_doc.h"

#include <stdlib.h>
#include <string.h>

static const char *CSS =
    "body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:1.5em auto;max-width:1200px;"
    "padding:0 1em;color:#222;line-height:1.4}"
    "h1{margin-bottom:.2em}h2{border-bottom:1px solid #ccc;margin-top:2em}"
    "table{border-collapse:collapse;margin:.6em 0;font-size:90%}"
    "th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}"
    "th{background:#f2f2f2}td.num{text-align:right;font-family:monospace}"
    ".pass{background:#c8e6c9}.fail{background:#ffcdd2;font-weight:bold}.na{background:#e6e6e6;color:#555}"
    ".none{color:#999}.best{font-weight:bold;background:#dcedc8;text-align:right;font-family:monospace}.prov{color:#555;font-size:90%}.note{color:#8a4b00}"
    "figure{margin:1em 0;border:1px solid #ddd;padding:.5em;display:inline-block;max-width:100%}"
    "figure img{max-width:100%;height:auto;display:block}figcaption{font-size:90%;color:#333;max-width:900px}"
    "code{font-size:90%}";

static void spans(rp_sb *h, const rp_spans *s)
{
    char b[64];
    for (int i = 0; i < s->n; i++) {
        const rp_span *x = &s->v[i];
        if (!(x->fmts & RP_HTML))
            continue;
        switch (x->kind) {
        case RP_SP_TEXT: rp_html_esc(h, x->text); break;
        case RP_SP_VERB:
        case RP_SP_QTY: rp_sb_add(h, x->text); break;
        case RP_SP_CODE: rp_sb_add(h, "<code>"), rp_html_esc(h, x->text), rp_sb_add(h, "</code>"); break;
        case RP_SP_BOLD: rp_sb_add(h, "<b>"), rp_html_esc(h, x->text), rp_sb_add(h, "</b>"); break;
        case RP_SP_LINK:
            rp_sb_printf(h, "<a href=\"%s\">", x->arg), rp_html_esc(h, x->text), rp_sb_add(h, "</a>");
            break;
        case RP_SP_CLASS:
            rp_sb_printf(h, "<span class=\"%s\">&nbsp;", x->arg), rp_html_esc(h, x->text), rp_sb_add(h, "&nbsp;</span>");
            break;
        case RP_SP_NUMBER: rp_sb_add(h, rp_num(b, sizeof b, x->x, x->digits)); break;
        case RP_SP_COUNTS:
            rp_sb_printf(h, "%s — %d pass, %d FAIL, %d n.a.", RP_VTEXT[x->verdict], x->counts[0], x->counts[1],
                         x->counts[2]);
            break;
        }
    }
}

static void cell(rp_sb *h, const rp_tcell *c)
{
    if (c->head)
        rp_sb_add(h, "<th>");
    else if (c->cls)
        rp_sb_printf(h, "<td class=\"%s\">", c->cls);
    else
        rp_sb_add(h, "<td>");
    spans(h, &c->s);
    rp_sb_add(h, c->head ? "</th>" : "</td>");
}

static void table(rp_sb *h, const rp_table *t)
{
    int shown = 0;
    rp_sb_add(h, "<table");
    if (t->cls)
        rp_sb_printf(h, " class=\"%s\"", t->cls);
    rp_sb_add(h, "><tr>");
    for (int c = 0; c < t->ncol; c++)
        if (t->col_fmts[c] & RP_HTML) {
            rp_sb_add(h, "<th>");
            spans(h, &t->head[c].s);
            rp_sb_add(h, "</th>");
            shown++;
        }
    rp_sb_add(h, "</tr>\n");
    for (int i = 0; i < t->nrow; i++) {
        rp_sb_add(h, "<tr>");
        for (int c = 0; c < t->ncol; c++)
            if (t->col_fmts[c] & RP_HTML)
                cell(h, &t->cells[i * t->ncol + c]);
        rp_sb_add(h, "</tr>\n");
    }
    int empty = 0;
    for (int k = 0; k < t->empty.n; k++)
        empty |= t->empty.v[k].fmts & RP_HTML;
    if (!t->nrow && empty) {
        rp_sb_printf(h, "<tr><td colspan=\"%d\" class=\"none\">", shown);
        spans(h, &t->empty);
        rp_sb_add(h, "</td></tr>\n");
    }
    rp_sb_add(h, "</table>\n");
}

/* The figure's PNG embedded as a data: URI, with its caption; −1 if it cannot be read. */
static int figure(const rp_report *r, rp_sb *h, const rp_figure *f)
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

static void block(rp_report *r, rp_sb *h, const rp_block *b)
{
    switch (b->kind) {
    case RP_B_HEADING:
        rp_sb_printf(h, "<h%d", b->level);
        if (b->id)
            rp_sb_printf(h, " id=\"%s\"", b->id);
        rp_sb_add(h, ">");
        spans(h, &b->s);
        rp_sb_printf(h, "</h%d>\n", b->level);
        break;
    case RP_B_PARA:
        rp_sb_add(h, "<p");
        if (b->cls)
            rp_sb_printf(h, " class=\"%s\"", b->cls);
        rp_sb_add(h, ">");
        spans(h, &b->s);
        rp_sb_add(h, "</p>\n");
        break;
    case RP_B_NOTES:
        rp_sb_printf(h, "<ul class=\"%s\">", b->cls);
        for (int i = 0; i < b->n_items; i++) {
            rp_sb_add(h, "<li>");
            rp_html_esc(h, b->items[i]);
            rp_sb_add(h, "</li>\n");
        }
        rp_sb_add(h, "</ul>\n");
        break;
    case RP_B_TABLE: table(h, b->t); break;
    case RP_B_FIGURE:
        if (b->fig->ok && figure(r, h, b->fig))
            b->fig->ok = 0; /* nor is it shown in report.md */
        break;
    }
}

int rp_emit_html(rp_report *r, const rp_doc *d, nlif_error *err)
{
    rp_sb h = {0};
    rp_sb_printf(&h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>nlif report</title>\n"
                     "<style>%s</style></head><body>\n",
                 CSS);
    for (int i = 0; i < d->n; i++)
        if (d->b[i].fmts & RP_HTML)
            block(r, &h, &d->b[i]);
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
    int rc = rp_doc_write(r, "index.html", &h, err);
    rp_sb_free(&h);
    return rc;
}
