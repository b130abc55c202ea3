/* report_doc.c — building the document of the report (report_doc.h): blocks, tables, spans, and
 * freeing them. Running out of memory marks the document (d->oom) and drops what could not be added;
 * the emitters then refuse to write it.
 */
#include "report_doc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const RP_VCLASS[3] = {"pass", "fail", "na"};
const char *const RP_VTEXT[3] = {"pass", "FAIL", "n.a."};

static char *dup(rp_doc *d, const char *s)
{
    if (!s)
        return NULL;
    char *p = strdup(s);
    if (!p)
        d->oom = 1;
    return p;
}

static rp_block *block(rp_doc *d, rp_block_kind kind, int fmts)
{
    if (d->n == d->cap) {
        int cap = d->cap ? 2 * d->cap : 64;
        rp_block *p = realloc(d->b, (size_t)cap * sizeof *p);
        if (!p) {
            d->oom = 1;
            return NULL;
        }
        d->b = p, d->cap = cap;
    }
    rp_block *b = &d->b[d->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind, b->fmts = fmts;
    return b;
}

static void spans_free(rp_spans *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->v[i].text), free(s->v[i].arg);
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* A block that could not be made (out of memory) still takes spans: into this sink, emptied before each
 * use and never shown. */
static rp_block sink;

static rp_block *sunk(void)
{
    spans_free(&sink.s);
    return memset(&sink, 0, sizeof sink);
}

rp_block *rp_doc_heading(rp_doc *d, int fmts, int level, const char *id)
{
    rp_block *b = block(d, RP_B_HEADING, fmts);
    if (!b)
        return sunk();
    b->level = level;
    b->id = dup(d, id);
    return b;
}

rp_block *rp_doc_para(rp_doc *d, int fmts, const char *cls)
{
    rp_block *b = block(d, RP_B_PARA, fmts);
    if (!b)
        return sunk();
    b->cls = cls;
    return b;
}

/* Everything a table owns but itself. */
static void table_clear(rp_table *t)
{
    for (int c = 0; c < RP_MAX_COLS; c++)
        spans_free(&t->head[c].s);
    for (int i = 0; i < t->nrow * t->ncol; i++)
        spans_free(&t->cells[i].s);
    free(t->cells);
    spans_free(&t->empty);
    spans_free(&t->tex_prologue);
    spans_free(&t->tex_caption);
    free(t->tex_head);
    free(t->tex_colspec);
    memset(t, 0, sizeof *t);
}

rp_table *rp_doc_table(rp_doc *d, int fmts, const char *cls, int ncol)
{
    static rp_table none; /* out of memory: a table that takes what is added and is never shown */
    rp_table *t = calloc(1, sizeof *t);
    rp_block *b = t && ncol <= RP_MAX_COLS ? block(d, RP_B_TABLE, fmts) : NULL;
    if (!b) {
        free(t);
        d->oom = 1;
        table_clear(&none);
        return &none;
    }
    b->t = t;
    t->cls = cls, t->ncol = ncol;
    for (int c = 0; c < ncol; c++)
        t->col_fmts[c] = RP_ALL;
    return t;
}

void rp_doc_figure(rp_doc *d, rp_figure *f)
{
    rp_block *b = block(d, RP_B_FIGURE, RP_WEB);
    if (b)
        b->fig = f;
}

void rp_doc_notes(rp_doc *d, const rp_report *r, const char *case_name)
{
    int n = 0;
    for (int i = 0; i < r->n_notes; i++)
        n += !strcmp(r->notes[i].case_name, case_name);
    if (!n)
        return;
    rp_block *b = block(d, RP_B_NOTES, RP_WEB);
    if (!b)
        return;
    b->cls = "note";
    b->items = calloc((size_t)n, sizeof *b->items);
    if (!b->items) {
        d->oom = 1;
        return;
    }
    for (int i = 0; i < r->n_notes; i++)
        if (!strcmp(r->notes[i].case_name, case_name))
            b->items[b->n_items++] = dup(d, r->notes[i].text);
}

rp_tcell *rp_table_row(rp_doc *d, rp_table *t)
{
    if (!t->ncol)
        return NULL;
    if (t->nrow == t->cap) {
        int cap = t->cap ? 2 * t->cap : 16;
        rp_tcell *p = realloc(t->cells, (size_t)cap * (size_t)t->ncol * sizeof *p);
        if (!p) {
            d->oom = 1;
            return NULL;
        }
        t->cells = p, t->cap = cap;
    }
    rp_tcell *row = t->cells + (size_t)t->nrow++ * (size_t)t->ncol;
    memset(row, 0, (size_t)t->ncol * sizeof *row);
    return row;
}

static rp_span *span(rp_doc *d, rp_spans *s, int fmts, rp_span_kind kind)
{
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 8;
        rp_span *p = realloc(s->v, (size_t)cap * sizeof *p);
        if (!p) {
            d->oom = 1;
            return NULL;
        }
        s->v = p, s->cap = cap;
    }
    rp_span *x = &s->v[s->n++];
    memset(x, 0, sizeof *x);
    x->kind = kind, x->fmts = fmts;
    return x;
}

void rp_span_add(rp_doc *d, rp_spans *s, int fmts, rp_span_kind kind, const char *text)
{
    rp_span *x = span(d, s, fmts, kind);
    if (x)
        x->text = dup(d, text ? text : "");
}

void rp_span_printf(rp_doc *d, rp_spans *s, int fmts, rp_span_kind kind, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    rp_span_add(d, s, fmts, kind, buf);
}

void rp_span_arg(rp_doc *d, rp_spans *s, int fmts, rp_span_kind kind, const char *arg, const char *text)
{
    rp_span *x = span(d, s, fmts, kind);
    if (x)
        x->text = dup(d, text ? text : ""), x->arg = dup(d, arg);
}

void rp_span_number(rp_doc *d, rp_spans *s, int fmts, double x, int digits)
{
    rp_span *p = span(d, s, fmts, RP_SP_NUMBER);
    if (p)
        p->x = x, p->digits = digits;
}

void rp_span_counts(rp_doc *d, rp_spans *s, int fmts, int verdict, const int counts[3])
{
    rp_span *p = span(d, s, fmts, RP_SP_COUNTS);
    if (p) {
        p->verdict = verdict;
        memcpy(p->counts, counts, sizeof p->counts);
    }
}

void rp_doc_free(rp_doc *d)
{
    for (int i = 0; i < d->n; i++) {
        rp_block *b = &d->b[i];
        free(b->id);
        spans_free(&b->s);
        if (b->t) {
            table_clear(b->t);
            free(b->t);
        }
        for (int k = 0; k < b->n_items; k++)
            free(b->items[k]);
        free(b->items);
    }
    free(d->b);
    spans_free(&sink.s);
    memset(d, 0, sizeof *d);
}

int rp_doc_write(const rp_report *r, const char *name, rp_sb *b, nlif_error *err)
{
    char p[2 * RP_PATH];
    snprintf(p, sizeof p, "%s/%s", r->out, name);
    if (b->oom)
        return nlif_fail(err, NLIF_ENOMEM, "%s: out of memory", p);
    return rp_write_text(p, b->s ? b->s : "", b->n, err);
}
