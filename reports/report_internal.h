/* report_internal.h — the data model shared by the files of reports/ (not a public interface).
 *
 * rp_report holds the parsed verdict record (cells point into the jansson tree, which it owns),
 * the cases and schemes in display order, the run files found, the figures drawn and the sentences
 * about missing inputs. report_util.c: strings, escaping, base64, running gnuplot;
 * report_load.c: reading the inputs (the Monte Carlo data by the one lookup, io/nlif_mc_store.h);
 * scheme_style.c: how each scheme looks; fig_common.c and fig_*.c: the gnuplot figures, one file per
 * kind; report_doc.h: the report as one document (report_sections.c, report_wp.c build it) and its
 * emitters (emit_html.c, emit_md.c, emit_tex.c).
 */
#ifndef NLIF_REPORT_INTERNAL_H
#define NLIF_REPORT_INTERNAL_H

#include "nlif_report.h"
#include "../io/nlif_resultfmt.h" /* every result file is read through it */

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#define RP_PATH 4096

enum { RP_PASS = 0, RP_FAIL = 1, RP_NA = 2 };

/* ---- growing string ---- */
typedef struct rp_sb {
    char *s;
    size_t n, cap;
    int oom;
} rp_sb;
void rp_sb_add(rp_sb *b, const char *s);
void rp_sb_addn(rp_sb *b, const char *s, size_t n);
void rp_sb_printf(rp_sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rp_sb_free(rp_sb *b);
void rp_html_esc(rp_sb *b, const char *s);
void rp_md_esc(rp_sb *b, const char *s);
void rp_tex_esc(rp_sb *b, const char *s);
void rp_gp_quote(rp_sb *b, const char *s); /* a gnuplot single-quoted string literal */
void rp_base64(rp_sb *b, const unsigned char *data, size_t n);
/* A file name piece from free text: [A-Za-z0-9_.-] kept, anything else '_'. */
void rp_safe_name(char *out, size_t len, const char *s);
/* Format a number for tables: "–" for NaN, %.3g / %.4g style. */
const char *rp_num(char *buf, size_t len, double x, int digits);

/* ---- files ---- */
int rp_read_file(const char *path, unsigned char **data, size_t *n);
int rp_write_text(const char *path, const char *text, size_t n, nlif_error *err);
int rp_exists(const char *path);
/* PNG signature and IHDR width/height; 0 if not a PNG. */
int rp_png_size(const unsigned char *d, size_t n, unsigned *w, unsigned *h);

/* ---- the model ---- */
typedef struct rp_cell {
    const char *case_name, *scheme, *check, *verdict_text;
    int verdict;           /* RP_PASS, RP_FAIL, RP_NA */
    double measured;       /* NAN when null */
    double reference;      /* an exact value given by the cell ("reference"/"exact"/"expected"), else NAN */
    const char *bound, *source, *reason, *run;
    int known_failure;     /* listed in ci/known_failures ("known_failure": true) */
    const char *capability; /* an n.a. for a capability the scheme lacks: its name ("capability"), else NULL */
    const json_t *json;    /* the cell as recorded (owned by rp_report.root): members a figure needs */
    int refused;           /* a file it was judged from is not the one verify judged (nlif_identity.h):
                              shown as "refused" (counted as FAIL), measured blanked, reason = refusal */
    const char *refusal;   /* the file and what differs (owned by rp_report.refusals) */
    int unchecked;         /* the record names no files for it (an older verdict record) */
} rp_cell;

typedef struct rp_run {
    char case_name[128], scheme[64];
    char summary[RP_PATH], series[RP_PATH], snapshots[RP_PATH]; /* resolved paths ("" if not found or the
                                                                   set was refused by the reader) */
    json_t *sum;           /* the checked summary, or NULL */
    int refused;           /* the reader refused the set (a note says why) */
} rp_run;

typedef struct rp_mc {
    int have;              /* the summary was found */
    char dir[RP_PATH];
    json_t *sum;
    char rate_csv[RP_PATH];          /* "" if absent */
    int n_snap;
    char snap_csv[16][RP_PATH];
    double snap_t[16];
} rp_mc;

typedef struct rp_figure {
    char stem[192];        /* fig/STEM.png, fig/STEM.pdf, fig/STEM.gp */
    char title[256];
    char caption[2048];
    char case_name[128];   /* "" for figures of the whole report */
    int ok;                /* gnuplot produced a PNG */
} rp_figure;

typedef struct rp_note {
    char case_name[128];
    char text[1024];
} rp_note;

typedef struct rp_report {
    const nlif_report_options *opt;
    json_t *root;
    char base[RP_PATH];    /* where relative paths of the verdict file are resolved, besides "." */
    const char *mode, *commit, *date;
    double wall_seconds;
    rp_cell *cells;
    int n_cells;
    char (*cases)[128];
    int n_cases;
    char (*schemes)[64];
    int n_schemes;
    rp_run *runs;
    int n_runs;
    rp_mc *mc;             /* per case */
    json_t *conv;          /* borrowed: the "convergence" array (may be NULL) */
    json_t *choices;       /* owned: {scheme: {name: value}} */
    rp_figure *figs;
    int n_figs, cap_figs;
    rp_note *notes;
    int n_notes, cap_notes;
    char out[RP_PATH], fig_dir[RP_PATH];
    char png_term[16], pdf_term[16];
    int fig_counter;
    json_t *refusals;      /* owned: {path: what differs} for every recorded input that is not as judged */
    int n_refused, n_unchecked;
} rp_report;

void rp_note_add(rp_report *r, const char *case_name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int rp_load(rp_report *r, nlif_error *err);
void rp_free(rp_report *r);
const rp_run *rp_find_run(const rp_report *r, const char *case_name, const char *scheme);
int rp_case_index(const rp_report *r, const char *case_name);
/* Aggregate verdict of (case, scheme): counts of pass/FAIL/n.a.; returns the colour class. */
int rp_cell_counts(const rp_report *r, const char *case_name, const char *scheme, int counts[3]);
/* An exact stationary rate for the case from its verdict cells, NAN if none. */
double rp_exact_rate(const rp_report *r, const char *case_name);
/* Convergence object fields (tolerant to key spellings). */
const char *rp_conv_str(const json_t *c, const char *const *keys);
double rp_conv_num(const json_t *c, const char *const *keys);
double rp_level_h(const json_t *level, const char *dir);

/* ---- how a scheme looks (scheme_style.c: the one table) ---- */
typedef struct rp_scheme_style {
    const char *name;
    const char *colour;    /* gnuplot rgb, '#rrggbb' */
    int point;             /* gnuplot point type of its markers */
    const char *dash;      /* gnuplot dash type of its lines ("1", or a pattern "(6,3)") */
    int rank;              /* its place in every table and figure (lowest first) */
} rp_scheme_style;
/* The grid of every figure: thin, light grey, solid, so that no reference line (black, dashed or
 * dash-dotted) and no scheme's curve can be taken for it. */
#define RP_GRID "set grid lc rgb '#d9d9d9' lw 0.5 dt 1\n"
enum { RP_RANK_OTHER = 100 }; /* a scheme the table does not know: after the known ones, in record order */
rp_scheme_style rp_style_of(const char *scheme);

/* ---- figures: fig_common.c (what every figure does), one file per kind (fig_matrix.c, fig_rate.c,
 * fig_snapshots.c, fig_mfe.c, fig_convergence.c, fig_work_precision.c) ---- */
/* Print sizes: one journal column (3.4 in) or the full text width (7 in); text 8 pt at print size
 * (≥ 7 pt after a journal's own scaling to the column). The PNG is the same figure at 150 dpi: the
 * cairo terminals size fonts at 72 dpi, so fontscale 150/72 keeps 8 pt at print size. Labels are
 * UTF-8 (Δv, N(t), t*, ‖·‖₁) with enhanced text off, so that case names keep their underscores. */
#define RP_COLUMN_IN 3.4
#define RP_FULL_IN 7.0
#define RP_PNG_DPI 150
/* A new figure fig/fNNN_KIND_CASE (case_name NULL: a figure of the whole report); NULL out of memory. */
rp_figure *rp_fig_new(rp_report *r, const char *kind, const char *case_name);
/* fig/NAME opened for writing (a figure's data file). */
FILE *rp_dat_open(const rp_report *r, const char *name);
/* Write fig/STEM.gp drawing BODY to PNG and PDF at W × H inches, run it, record success or a note. */
void rp_fig_draw(rp_report *r, rp_figure *f, const rp_sb *body, double w, double h);
/* "plot " before the first layer of a plot command, a continuation before every other. */
void rp_plot_sep(rp_sb *b, int *first);
/* Append FMT (with up to two %s: a, b) to the figure's caption. */
void rp_caption_add(rp_figure *f, const char *fmt, const char *a, const char *b);
/* About 4 ticks on AXIS ("x", "y") over [lo, hi], with the digits that tell their labels apart (nothing
 * for an empty or infinite range). */
void rp_gp_ticks(rp_sb *body, const char *axis, double lo, double hi);
int rp_cmp_double(const void *a, const void *b);
/* A number member of a JSON object, NAN if absent or not a number. */
double rp_json_num(const json_t *o, const char *key);
void rp_fig_matrix(rp_report *r);
void rp_fig_rate(rp_report *r, int ci);
void rp_fig_snapshots(rp_report *r, int ci);
void rp_fig_mfe(rp_report *r, int ci);
void rp_fig_ap(rp_report *r, int ci);
void rp_fig_convergence(rp_report *r, const json_t *c);
/* Draw convergence study C into figure F (its data F.dat beside; TOL: the order check's tolerance, NAN
 * for no drift rings): 0, or NLIF_EIO when the data file cannot be written (fig_convergence.c). */
int rp_conv_draw(rp_report *r, rp_figure *f, const json_t *c, double tol);
/* The figure of `nlif converge --plot`: DIR/STEM.gp, .dat, .png, .pdf, each file named on LIST. */
int rp_conv_study_figure(const json_t *c, const char *dir, const char *stem, FILE *list, nlif_error *err, double tol);
void rp_fig_work_precision(rp_report *r, int ci);

/* Detect the gnuplot terminals; run one script (in fig_dir). 0 ok. */
void rp_gnuplot_detect(rp_report *r);
int rp_gnuplot_run(const rp_report *r, const char *stem, char *why, size_t why_len);
int rp_figures(rp_report *r, nlif_error *err);
/* A record of the "convergence" array that is work–precision data ("purpose": "work_precision"). */
int rp_is_wp(const json_t *c);
/* A convergence study (no "purpose": neither work–precision nor an epsilon sweep, "purpose": "ap"). */
int rp_is_study(const json_t *c);
/* The label of a work–precision measure (err_p, err_rate, err_final_rate, err_mfe_t, err_mfe_size). */
const char *rp_wp_measure_label(const char *m);
/* A measure's label in LaTeX math (NULL for an unknown measure) (report_wp.c). */
const char *rp_wp_measure_tex(const char *m);
/* The CPU seconds at which a work–precision record reaches TARGET in MEASURE (report_wp.c). */
enum { RP_WP_NOT_REACHED = 0, RP_WP_INTERPOLATED = 1, RP_WP_AT_COARSEST = 2 };
int rp_wp_cost(const json_t *rec, const char *measure, double target, double *cost);
#endif
