/* report_doc.h — the report as one document: an ordered list of blocks (headings, paragraphs, tables,
 * figures, lists of notes) built once from the loaded report (report_sections.c, report_wp.c), and
 * three thin emitters that render it: emit_html.c (index.html), emit_md.c (report.md) and
 * emit_tex.c (headline.tex, headline_full.tex, orders.tex, verdicts.tex, workprec.tex: the tables that
 * name a LaTeX file).
 *
 * What differs between the formats is data, not code: every block, span and table column carries the
 * formats it appears in (RP_HTML, RP_MD, RP_TEX), so that a sentence only the web page has, or a column
 * only the HTML table has, is stated where the document is built. Spans say what a piece of text is
 * (plain text, code, a number, a link, a verdict count) and each emitter renders that in its own markup
 * and escaping.
 */
#ifndef NLIF_REPORT_DOC_H
#define NLIF_REPORT_DOC_H

#include "report_internal.h"

enum { RP_TEX_TABLE = 0, RP_TEX_WIDE = 1, RP_TEX_LONG = 2 };
enum { RP_HTML = 1, RP_MD = 2, RP_TEX = 4, RP_WEB = RP_HTML | RP_MD, RP_ALL = RP_HTML | RP_MD | RP_TEX };

typedef enum rp_span_kind {
    RP_SP_TEXT,   /* text, escaped for the format */
    RP_SP_VERB,   /* markup or text written as it is, in every format */
    RP_SP_CODE,   /* code: <code> (escaped) in HTML, backticks (verbatim) in Markdown */
    RP_SP_BOLD,   /* <b>, **…**, \textbf{…} */
    RP_SP_LINK,   /* a link to arg in HTML; its text elsewhere */
    RP_SP_CLASS,  /* a highlighted phrase: <span class="arg">&nbsp;…&nbsp;</span> in HTML; its text elsewhere */
    RP_SP_NUMBER, /* x with digits significant digits: "–" for none (HTML, Markdown), "--" in LaTeX */
    RP_SP_QTY,    /* a quantity already written as text ("≤ 0.12", "1e-05", "not reached"): verbatim on the
                     web, in LaTeX math where it is a number */
    RP_SP_COUNTS, /* a verdict and the pass/FAIL/n.a. counts of a case and scheme */
} rp_span_kind;

typedef struct rp_span {
    rp_span_kind kind;
    int fmts;          /* the formats it appears in */
    char *text;
    char *arg;         /* RP_SP_LINK: the target; RP_SP_CLASS: the class */
    double x;          /* RP_SP_NUMBER */
    int digits;
    int verdict;       /* RP_SP_COUNTS: RP_PASS, RP_FAIL, RP_NA, and the counts */
    int counts[3];
} rp_span;

typedef struct rp_spans {
    rp_span *v;
    int n, cap;
} rp_spans;

/* A table cell: its spans, its HTML class ("num", a verdict class, "none"), whether it heads its row,
 * whether it is marked as a failure (bold in Markdown and LaTeX; the HTML class says it there). */
typedef struct rp_tcell {
    rp_spans s;
    const char *cls;
    int head, mark;
} rp_tcell;

#define RP_MAX_COLS 64

typedef struct rp_table {
    const char *cls;               /* HTML class of the table, or NULL */
    int ncol;
    int col_fmts[RP_MAX_COLS];     /* the formats each column appears in */
    rp_tcell head[RP_MAX_COLS];
    rp_tcell *cells;               /* nrow × ncol, row by row */
    int nrow, cap;
    rp_spans empty;                /* the one row said when there is none (HTML, LaTeX) */
    /* LaTeX: a table that names a file is written to it as a booktabs table */
    const char *tex_file, *tex_label;
    char *tex_colspec;             /* owned */
    rp_spans tex_prologue;         /* the file's opening comment lines */
    rp_spans tex_caption;
    char *tex_head;                /* the header lines as written, or NULL: the header cells */
    int tex_group;                 /* the first column once per group, \addlinespace between groups */
    int tex_env;                   /* RP_TEX_TABLE (a float), RP_TEX_WIDE (table*: both columns of a
                                      two-column page) or RP_TEX_LONG (longtable: breaks across pages) */
} rp_table;

typedef enum rp_block_kind { RP_B_HEADING, RP_B_PARA, RP_B_TABLE, RP_B_FIGURE, RP_B_NOTES } rp_block_kind;

typedef struct rp_block {
    rp_block_kind kind;
    int fmts;
    int level;                     /* heading: 1 to 3 */
    char *id;                      /* heading: the HTML anchor, or NULL */
    const char *cls;               /* paragraph, list: HTML class, or NULL */
    rp_spans s;                    /* heading, paragraph */
    rp_table *t;
    rp_figure *fig;                /* a figure of the report (its ok flag is cleared if it cannot be shown) */
    char **items;                  /* notes */
    int n_items;
} rp_block;

typedef struct rp_doc {
    rp_block *b;
    int n, cap;
    int oom;
} rp_doc;

/* ---- building (report_doc.c) ---- */
rp_block *rp_doc_heading(rp_doc *d, int fmts, int level, const char *id);
rp_block *rp_doc_para(rp_doc *d, int fmts, const char *cls);
rp_table *rp_doc_table(rp_doc *d, int fmts, const char *cls, int ncol);
void rp_doc_figure(rp_doc *d, rp_figure *f);
/* The notes of case_name ("" for the report's own) as a list, if there is any. */
void rp_doc_notes(rp_doc *d, const rp_report *r, const char *case_name);
/* A new row of t: its ncol cells, empty (NULL out of memory). */
rp_tcell *rp_table_row(rp_doc *d, rp_table *t);
void rp_span_add(rp_doc *d, rp_spans *s, int fmts, rp_span_kind kind, const char *text);
void rp_span_printf(rp_doc *d, rp_spans *s, int fmts, rp_span_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void rp_span_arg(rp_doc *d, rp_spans *s, int fmts, rp_span_kind kind, const char *arg, const char *text);
void rp_span_number(rp_doc *d, rp_spans *s, int fmts, double x, int digits);
void rp_span_counts(rp_doc *d, rp_spans *s, int fmts, int verdict, const int counts[3]);
void rp_doc_free(rp_doc *d);

/* The whole document of a loaded report with its figures drawn (report_sections.c). */
int rp_doc_build(rp_report *r, rp_doc *d, nlif_error *err);
/* The headline: case × scheme, error at the default resolution and CPU seconds to the case's bound,
 * the best of each row marked (report_headline.c). */
void rp_headline_section(const rp_report *r, rp_doc *d);
/* The section "Error and cost per scheme" (report_wp.c). */
void rp_wp_section(const rp_report *r, rp_doc *d);
/* The class and the word of each verdict (report_doc.c). */
extern const char *const RP_VCLASS[3], *const RP_VTEXT[3];

/* ---- emitters ---- */
int rp_emit_html(rp_report *r, const rp_doc *d, nlif_error *err);
int rp_emit_markdown(rp_report *r, const rp_doc *d, nlif_error *err);
int rp_emit_latex(rp_report *r, const rp_doc *d, nlif_error *err);
/* Write b to OUT/name. */
int rp_doc_write(const rp_report *r, const char *name, rp_sb *b, nlif_error *err);

#endif
