/* cmd_compare.h — `nlif compare` (cli/cmd_compare.c reads the two sides, cli/compare_diff.c compares
 * them cell by cell and writes the text, Markdown and JUnit outputs). */
#ifndef NLIF_CMD_COMPARE_H
#define NLIF_CMD_COMPARE_H

#include "../core/nlif_model.h"

#include <jansson.h>

#define NLIF_COMPARE_MAX_AS 16
typedef struct nlif_compare_opts {
    double slowdown;      /* --fail-on-slowdown (0: CPU ratios shown only) */
    double min_cpu;       /* pairs with less CPU in OLD are not judged */
    double rtol;          /* a figure moved beyond this relative change */
    double bound_frac;    /* a move towards the bound smaller than this × |bound| is not worse */
    int allow_vanished;
    const char *markdown, *junit, *old_name, *new_name;
    int n_as;
    char as_new[NLIF_COMPARE_MAX_AS][NLIF_NAME_MAX], as_old[NLIF_COMPARE_MAX_AS][NLIF_NAME_MAX];
} nlif_compare_opts;

/* What one compared cell (or one pair's CPU) is. */
enum { NLIF_CMP_SAME, NLIF_CMP_WORSE, NLIF_CMP_EDIT, NLIF_CMP_BETTER, NLIF_CMP_CHANGED, NLIF_CMP_KINDS };

typedef struct nlif_compare_item {
    int kind;
    int cpu;               /* 1: a pair's CPU, not a cell */
    char cs[NLIF_NAME_MAX], scheme[NLIF_NAME_MAX], check[96];
    char old_v[24], new_v[24]; /* verdicts ("" for none, "-" absent) */
    double old_m, new_m;   /* measured figures (CPU: seconds) */
    double delta, rel, in_bound; /* new − old, relative to |old|, in units of |bound| (CPU: rel is the ratio) */
    char bound[160];
    char text[512];        /* what happened, one line */
} nlif_compare_item;

typedef struct nlif_compare_result {
    nlif_compare_item *items;
    int n, cap;
    int count[NLIF_CMP_KINDS];
    int matched, appeared, vanished, edited_cases, cpu_judged, cpu_pairs;
    double cpu_worst;      /* the largest CPU ratio judged */
    char edited[2048];     /* the edited cases, comma-separated */
} nlif_compare_result;

int nlif_compare_records(const nlif_compare_opts *o, const json_t *old, const json_t *new_, nlif_compare_result *r);
/* Print the comparison, write --markdown and --junit; the exit code (0, 1 regression, 2 cannot write). */
int nlif_compare_print(const nlif_compare_opts *o, const nlif_compare_result *r);
void nlif_compare_result_free(nlif_compare_result *r);

#endif
