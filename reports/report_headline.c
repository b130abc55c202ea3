/* report_headline.c — the headline of the report: which scheme wins where. One row per catalogue case
 * with work–precision data (verify --full), one column per scheme: the error of the case's measure at
 * the scheme's default resolution and the CPU seconds it needs to reach the case's bound (read off its
 * work–precision curve, rp_wp_cost), the best of the row marked; a known failure (ci/known_failures)
 * marked †, an unknown FAIL in words; a pair without data says why (n.a. with the capability the
 * scheme lacks, or no cell).
 *
 * The best of a row: among the pairs with no unknown FAIL, the least CPU to reach the bound; where no
 * pair reaches it, the least error. Rows: on the web every case; in LaTeX headline.tex is one page (a
 * table* of at most RP_HEADLINE_ROWS rows: the cases that compare the most schemes, in catalogue order)
 * and headline_full.tex every row as a longtable.
 */
#include "report_doc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RP_HEADLINE_ROWS 20

/* The work–precision record of (case, scheme), or NULL. */
static const json_t *wp_record(const rp_report *r, const char *cs, const char *scheme)
{
    static const char *const K_CASE[] = {"case", NULL}, *const K_SCHEME[] = {"scheme", NULL};
    json_t *c;
    size_t i;
    json_array_foreach(r->conv, i, c)
    {
        const char *a = rp_conv_str(c, K_CASE), *b = rp_conv_str(c, K_SCHEME);
        if (a && b && rp_is_wp(c) && !strcmp(a, cs) && !strcmp(b, scheme))
            return c;
    }
    return NULL;
}

/* One pair of the headline. */
typedef struct hl_pair {
    int have;          /* a work–precision record with a finite error at the default level */
    double err, cost;  /* the error at the default level; the CPU seconds to the bound (NAN: not reached) */
    int how;           /* rp_wp_cost's answer */
    int fails, known;  /* FAIL cells of the pair, and how many of them are known failures */
    int cells, nas;    /* cells of the pair, and how many are n.a. */
    const char *capability; /* a capability one of its n.a. cells names */
    const char *status;     /* a record without an error at the default level: the run's status */
    double stop;            /* and where it stopped */
} hl_pair;

/* One row: the case's measure (the first of its records) and target, and a pair per scheme. */
typedef struct hl_row {
    const char *cs, *measure;
    double target;
    int compared; /* schemes with data */
    int best;     /* the index of the best scheme, or -1 */
    hl_pair p[RP_MAX_COLS];
} hl_row;

static void fill_pair(const rp_report *r, hl_row *row, int s)
{
    hl_pair *p = &row->p[s];
    memset(p, 0, sizeof *p);
    p->err = p->cost = NAN;
    for (int i = 0; i < r->n_cells; i++) {
        const rp_cell *c = &r->cells[i];
        if (strcmp(c->case_name, row->cs) || strcmp(c->scheme, r->schemes[s]))
            continue;
        p->cells++;
        p->nas += c->verdict == RP_NA;
        p->fails += c->verdict == RP_FAIL;
        p->known += c->verdict == RP_FAIL && c->known_failure;
        if (c->verdict == RP_NA && c->capability && !p->capability)
            p->capability = c->capability;
    }
    const json_t *rec = wp_record(r, row->cs, r->schemes[s]);
    if (!rec || !row->measure)
        return;
    int dl = (int)rp_json_num(rec, "default_level");
    const json_t *l = json_array_get(json_object_get(rec, "levels"), dl >= 0 ? (size_t)dl : 0);
    p->err = rp_json_num(l, row->measure);
    if (!isfinite(p->err)) {
        p->status = json_string_value(json_object_get(l, "status"));
        p->stop = rp_json_num(l, "stop_time");
        return;
    }
    p->have = 1;
    p->how = rp_wp_cost(rec, row->measure, row->target, &p->cost);
    row->compared++;
}

/* The rows, in the record's case order; catalogue cases with a work–precision measure only (a fresh
 * instance, CASE~fK, is a check of a solve, not a point of comparison). */
static int rows_of(const rp_report *r, hl_row **out)
{
    hl_row *rows = calloc((size_t)r->n_cases + 1, sizeof *rows);
    int n = 0;
    if (!rows)
        return *out = NULL, 0;
    for (int ci = 0; ci < r->n_cases; ci++) {
        const char *cs = r->cases[ci];
        if (strchr(cs, '~'))
            continue;
        hl_row *row = &rows[n];
        row->cs = cs;
        row->best = -1;
        for (int s = 0; s < r->n_schemes && !row->measure; s++) {
            const json_t *rec = wp_record(r, cs, r->schemes[s]);
            if (rec) {
                row->measure = json_string_value(json_array_get(json_object_get(rec, "measures"), 0));
                row->target = rp_json_num(json_object_get(rec, "targets"), row->measure ? row->measure : "");
            }
        }
        if (!row->measure)
            continue;
        for (int s = 0; s < r->n_schemes && s < RP_MAX_COLS; s++)
            fill_pair(r, row, s);
        /* the best: no unknown FAIL; least cost to the bound, else (none reaches it) least error */
        int reach = 0;
        for (int s = 0; s < r->n_schemes && s < RP_MAX_COLS; s++)
            reach |= row->p[s].have && row->p[s].fails == row->p[s].known && isfinite(row->p[s].cost);
        for (int s = 0; s < r->n_schemes && s < RP_MAX_COLS; s++) {
            const hl_pair *p = &row->p[s];
            if (!p->have || p->fails != p->known || (reach && !isfinite(p->cost)))
                continue;
            const hl_pair *b = row->best >= 0 ? &row->p[row->best] : NULL;
            if (!b || (reach ? p->cost < b->cost : p->err < b->err))
                row->best = s;
        }
        n++;
    }
    *out = rows;
    return n;
}

/* An unknown FAIL in words, a known one †. */
static void marks(rp_doc *d, rp_tcell *x, const hl_pair *p)
{
    if (p->fails > p->known)
        rp_span_add(d, &x->s, RP_ALL, RP_SP_TEXT, " FAIL");
    else if (p->fails) {
        rp_span_add(d, &x->s, RP_WEB, RP_SP_VERB, " †");
        rp_span_add(d, &x->s, RP_TEX, RP_SP_VERB, "$^\\dagger$");
    }
}

/* The pair's cell: "error / CPU s" with the marks. */
static void pair_cell(rp_doc *d, const rp_report *r, rp_tcell *x, const hl_pair *p, int best)
{
    char e[64], c[96], k[64];
    (void)r;
    if (!p->have) {
        x->cls = p->fails > p->known ? "fail" : "none";
        if (p->status && strcmp(p->status, "ok")) { /* e.g. a blow-up: the run has no MFE error */
            rp_span_add(d, &x->s, RP_TEX, RP_SP_VERB, "\\begin{tabular}[t]{@{}r@{}}");
            rp_span_add(d, &x->s, RP_ALL, RP_SP_TEXT, p->status);
            rp_span_add(d, &x->s, RP_WEB, RP_SP_VERB, " at ");
            rp_span_add(d, &x->s, RP_TEX, RP_SP_VERB, " at\\\\ ");
            rp_span_printf(d, &x->s, RP_ALL, RP_SP_TEXT, "t = %s", rp_num(e, sizeof e, p->stop, 3));
            marks(d, x, p);
            rp_span_add(d, &x->s, RP_TEX, RP_SP_VERB, "\\end{tabular}");
            return;
        }
        else if (p->fails > p->known)
            rp_span_add(d, &x->s, RP_ALL, RP_SP_TEXT, "FAIL, no error");
        else if (p->cells && p->nas == p->cells && p->capability)
            rp_span_printf(d, &x->s, RP_ALL, RP_SP_TEXT, "n.a. (%s)", p->capability);
        else if (p->cells && p->nas == p->cells)
            rp_span_add(d, &x->s, RP_ALL, RP_SP_TEXT, "n.a.");
        else {
            rp_span_add(d, &x->s, RP_WEB, RP_SP_VERB, "–");
            rp_span_add(d, &x->s, RP_TEX, RP_SP_VERB, "--");
        }
        return;
    }
    x->cls = best ? "best" : p->fails > p->known ? "fail" : "num";
    x->mark = best;
    rp_num(e, sizeof e, p->err, 2);
    if (!isfinite(p->cost))
        snprintf(c, sizeof c, "not reached");
    else
        snprintf(c, sizeof c, "%s%s s", p->how == RP_WP_AT_COARSEST ? "≤ " : "", rp_num(k, sizeof k, p->cost, 2));
    /* LaTeX: error above cost in the cell, so that a row of six schemes fits a page's width */
    rp_span_add(d, &x->s, RP_TEX, RP_SP_VERB, "\\begin{tabular}[t]{@{}r@{}}");
    rp_span_add(d, &x->s, RP_ALL, RP_SP_QTY, e);
    rp_span_add(d, &x->s, RP_WEB, RP_SP_VERB, " / ");
    rp_span_add(d, &x->s, RP_TEX, RP_SP_VERB, "\\\\ ");
    rp_span_add(d, &x->s, RP_ALL, RP_SP_QTY, c);
    marks(d, x, p);
    rp_span_add(d, &x->s, RP_TEX, RP_SP_VERB, "\\end{tabular}");
}

static const char *const CAPTION =
    "Headline: per case, the error of the case's measure at each scheme's default resolution and the CPU "
    "seconds it needs to reach the case's bound (error / CPU s; read off the scheme's work–precision curve; "
    "≤: its coarsest level already meets the bound; not reached: no level does). Best of each row (bold): "
    "among the pairs with no unknown FAIL, the least CPU to the bound, else the least error. †: a known "
    "failure (ci/known_failures); FAIL: an unknown one; n.a. (capability): the scheme lacks it.";

/* A measure's symbol in LaTeX, short enough for a column of the one-page table. */
static const char *short_tex(const char *m)
{
    static const char *const sym[][2] = {
        {"err_p", "$\\|p_T - p_{\\mathrm{ref}}\\|_1$"},   {"err_rate", "$\\|N - N_{\\mathrm{ref}}\\|_\\infty$"},
        {"err_final_rate", "$|N_T - N_\\infty|$"},      {"err_mfe_t", "$|t^*_k - \\bar t^*_k|$"},
        {"err_mfe_size", "$|\\Delta_k - \\bar\\Delta_k|$"},
    };
    for (size_t i = 0; i < sizeof sym / sizeof sym[0]; i++)
        if (!strcmp(m, sym[i][0]))
            return sym[i][1];
    return rp_wp_measure_tex(m);
}

static void row_cells(rp_doc *d, const rp_report *r, rp_table *t, const hl_row *w)
{
    rp_tcell *row = rp_table_row(d, t);
    if (!row)
        return;
    char b[64];
    row[0].head = 1;
    rp_span_add(d, &row[0].s, RP_ALL, RP_SP_TEXT, w->cs);
    rp_span_add(d, &row[1].s, RP_WEB, RP_SP_TEXT, rp_wp_measure_label(w->measure));
    const char *tm = short_tex(w->measure);
    rp_span_add(d, &row[1].s, RP_TEX, tm ? RP_SP_VERB : RP_SP_TEXT, tm ? tm : w->measure);
    row[2].cls = "num";
    rp_span_add(d, &row[2].s, RP_ALL, RP_SP_QTY, rp_num(b, sizeof b, w->target, 2));
    for (int s = 0; s < r->n_schemes && 3 + s < t->ncol; s++)
        pair_cell(d, r, &row[3 + s], &w->p[s], s == w->best);
}

/* The LaTeX caption: the web caption with its UTF-8 signs in TeX. */
static void tex_caption(rp_doc *d, rp_table *t, const char *extra)
{
    rp_sb cap = {0};
    for (const char *q = CAPTION; *q;) {
        if (!strncmp(q, "–", strlen("–")))
            rp_sb_add(&cap, "--"), q += strlen("–");
        else if (!strncmp(q, "≤", strlen("≤")))
            rp_sb_add(&cap, "$\\le$"), q += strlen("≤");
        else if (!strncmp(q, "†", strlen("†")))
            rp_sb_add(&cap, "$^\\dagger$"), q += strlen("†");
        else {
            char one[2] = {*q++, 0};
            rp_tex_esc(&cap, one);
        }
    }
    rp_sb_add(&cap, extra);
    d->oom |= cap.oom;
    rp_span_add(d, &t->tex_caption, RP_TEX, RP_SP_VERB, cap.s ? cap.s : "");
    rp_sb_free(&cap);
}

static rp_table *new_table(const rp_report *r, rp_doc *d, int fmts, const char *file, const char *label, int env)
{
    rp_table *t = rp_doc_table(d, fmts, "headline", 3 + r->n_schemes < RP_MAX_COLS ? 3 + r->n_schemes : RP_MAX_COLS);
    static const char *const names[] = {"case", "measure", "bound"};
    for (int c = 0; c < 3; c++)
        rp_span_add(d, &t->head[c].s, RP_ALL, RP_SP_TEXT, names[c]);
    for (int s = 0; s + 3 < t->ncol; s++)
        rp_span_add(d, &t->head[3 + s].s, RP_ALL, RP_SP_TEXT, r->schemes[s]);
    t->tex_file = file, t->tex_label = label, t->tex_env = env;
    char spec[RP_MAX_COLS + 4] = "llr";
    for (int s = 3; s < t->ncol; s++)
        strcat(spec, "r");
    t->tex_colspec = strdup(spec);
    rp_span_add(d, &t->tex_prologue, RP_TEX, RP_SP_VERB, "% ");
    rp_span_add(d, &t->tex_prologue, RP_TEX, RP_SP_VERB, file);
    rp_span_add(d, &t->tex_prologue, RP_TEX, RP_SP_VERB, " — the headline of nlif report, from ");
    rp_span_add(d, &t->tex_prologue, RP_TEX, RP_SP_TEXT, r->opt->verdicts);
    rp_span_printf(d, &t->tex_prologue, RP_TEX, RP_SP_VERB, "\n%% (commit %s, %s, mode %s). Needs \\usepackage{booktabs}%s.\n",
                   r->commit, r->date, r->mode, env == RP_TEX_LONG ? " and \\usepackage{longtable}" : "");
    rp_span_add(d, &t->empty, RP_TEX, RP_SP_VERB, "no work--precision data in the verdict record (nlif verify --full)");
    return t;
}

/* Which rows the one-page table keeps: the RP_HEADLINE_ROWS that compare the most schemes (ties: the
 * record's order), shown in the record's order. */
static void one_page(const hl_row *rows, int n, int *keep)
{
    for (int i = 0; i < n; i++) {
        int ahead = 0;
        for (int j = 0; j < n; j++)
            ahead += rows[j].compared > rows[i].compared || (rows[j].compared == rows[i].compared && j < i);
        keep[i] = ahead < RP_HEADLINE_ROWS;
    }
}

void rp_headline_section(const rp_report *r, rp_doc *d)
{
    hl_row *rows;
    int n = rows_of(r, &rows);
    rp_span_add(d, &rp_doc_heading(d, RP_WEB, 2, "headline")->s, RP_ALL, RP_SP_TEXT, "Headline: which scheme where");
    rp_spans *s = &rp_doc_para(d, RP_WEB, n ? NULL : "note")->s;
    if (!n) {
        rp_span_add(d, s, RP_ALL, RP_SP_TEXT, "No work–precision data in the verdict record: the headline needs "
                                              "nlif verify --full.");
    } else {
        rp_span_add(d, s, RP_ALL, RP_SP_TEXT, CAPTION);
        rp_span_add(d, s, RP_ALL, RP_SP_VERB, " LaTeX: ");
        rp_span_add(d, s, RP_ALL, RP_SP_CODE, "headline.tex");
        rp_span_printf(d, s, RP_ALL, RP_SP_VERB, " (one page, table*, at most %d rows: the cases that compare the most "
                       "schemes), ", RP_HEADLINE_ROWS);
        rp_span_add(d, s, RP_ALL, RP_SP_CODE, "headline_full.tex");
        rp_span_add(d, s, RP_ALL, RP_SP_VERB, " (every row, longtable).");
    }
    int *keep = calloc((size_t)n + 1, sizeof *keep);
    if (!keep)
        d->oom = 1;
    else
        one_page(rows, n, keep);
    rp_table *web = new_table(r, d, RP_WEB, NULL, NULL, RP_TEX_TABLE);
    rp_table *page = new_table(r, d, RP_TEX, "headline.tex", "tab:nlif-headline", RP_TEX_WIDE);
    rp_table *full = new_table(r, d, RP_TEX, "headline_full.tex", "tab:nlif-headline-full", RP_TEX_LONG);
    int kept = 0;
    for (int i = 0; i < n; i++) {
        row_cells(d, r, web, &rows[i]);
        row_cells(d, r, full, &rows[i]);
        if (keep && keep[i])
            row_cells(d, r, page, &rows[i]), kept++;
    }
    char extra[256];
    snprintf(extra, sizeof extra, " %d of %d cases (those that compare the most schemes); every case: "
             "Table~\\ref{tab:nlif-headline-full}.", kept, n);
    tex_caption(d, page, kept < n ? extra : "");
    tex_caption(d, full, "");
    free(keep);
    free(rows);
}
