/* test_mutants.c — the kill score of the judge (MATHEMATICS.md §6, "The mutant catalogue").
 *
 * Every mutant of tests/mutants.h goes through `nlif verify --quick` on the case(s) it states, with
 * the real scheme it wraps beside it (one verify per case, build/tests/nlif_mutants). A mutant is
 * caught when the check meant for it FAILs on each of its cases; the real scheme must pass that
 * check there, or the FAIL would say nothing about the mutant. The test fails if any mutant
 * survives or is caught only by other checks. It prints, per mutant, the check and case that
 * caught it with the measured figure and the bound, and every other check that failed; then the
 * kill score (caught / total). The table is also written to results/check/mutants/kill_score.md.
 *
 * NLIF_MUTANT_TIER=smoke runs the catalogue through `nlif verify --smoke` instead (MATHEMATICS.md §6,
 * "The smoke tier"): every mutant on every case of the smoke tier, as a solver's author runs it, one
 * verify per control (the schemes a mutant wraps, extfv for the external ones). A mutant is caught
 * when some check FAILs it where its control passes that check on that case; the test fails if one
 * survives or a control fails anywhere. It prints, per mutant, the checks and cases that caught it,
 * and "smoke kill score: X / N" (also results/check/mutants/smoke/kill_score.md). NLIF_MUTANT_SMOKE_CASES=LIST
 * (case names) tries another choice of cases instead of the tier's; with NLIF_MUTANT_REJUDGE=1 it
 * runs nothing and judges the last run's verdicts on those cases only. NLIF_MUTANT_REJUDGE=1 in the
 * --quick mode judges the last run's verdicts again too (results/check/mutants/CASE.json).
 */
#include "mutants.h"
#include "nlif_test.h"
#include "../harness/verify/nlif_verify.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CASES 64
#define MAX_ENTRIES 128
#define OUT_DIR "results/check/mutants"

/* One mutant of either kind: an internal one (tests/mutants.h) or an external program through the
 * solver protocol (SOLVERS.md; a manifest of tests/extsolver/), with the correct scheme or solver it
 * is judged beside (the control: the meant check must pass there, or its FAIL says nothing). */
typedef struct entry {
    const char *name, *control, *wrong, *check, *cases;
    const char *manifest, *control_manifest; /* external only */
    const char *also; /* cases for the kill margin only (NULL: none) */
} entry;

/* The external mutants: one program (tests/extsolver/extfv.c, written against the protocol only),
 * each with one defect fixed by its manifest; the control is the same program without a defect. */
#define EXTFV "tests/extsolver/extfv.ini"
static const entry externals[] = {
#include "extsolver/mutants.inc"
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

static entry entries[MAX_ENTRIES];
static int n_entries;
static char case_name[MAX_CASES][64];
static json_t *verdicts[MAX_CASES]; /* the cells of each case's verify */
static int n_cases;

static const char *program(void)
{
    /* the sanitizer build keeps its own copy next to its tests */
    const char *b = getenv("NLIF");
    return b && strstr(b, "build-san") ? "build-san/tests/nlif_mutants" : "build/tests/nlif_mutants";
}

/* Does the comma-separated LIST hold WORD? */
static int listed(const char *list, const char *word)
{
    char buf[512], *save = NULL;
    snprintf(buf, sizeof buf, "%s", list);
    for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
        if (!strcmp(t, word))
            return 1;
    return 0;
}

static void add_word(char *list, size_t len, const char *word, const char *sep)
{
    if (!listed(list, word))
        snprintf(list + strlen(list), len - strlen(list), "%s%s", list[0] ? sep : "", word);
}

static const json_t *cell_of(const char *cs, const char *scheme, const char *check)
{
    for (int c = 0; c < n_cases; c++) {
        if (strcmp(case_name[c], cs) && strcmp(case_name[c], "*")) /* "*": a smoke verify, every case */
            continue;
        size_t i;
        json_t *x;
        json_array_foreach(verdicts[c], i, x)
        {
            if (!strcmp(json_string_value(json_object_get(x, "case")), cs) &&
                !strcmp(json_string_value(json_object_get(x, "scheme")), scheme) &&
                !strcmp(json_string_value(json_object_get(x, "check")), check))
                return x;
        }
    }
    return NULL;
}

#define MAX_FAILS 64

/* The FAIL cells of SCHEME on case CS (at most MAX_FAILS), into OUT; their number. */
static int fails_of(const char *cs, const char *scheme, const json_t **out)
{
    int n = 0;
    for (int c = 0; c < n_cases; c++) {
        if (strcmp(case_name[c], cs) && strcmp(case_name[c], "*"))
            continue;
        size_t i;
        json_t *x;
        json_array_foreach(verdicts[c], i, x)
        {
            if (n < MAX_FAILS && !strcmp(json_string_value(json_object_get(x, "case")), cs) &&
                !strcmp(json_string_value(json_object_get(x, "scheme")), scheme) &&
                !strcmp(json_string_value(json_object_get(x, "verdict")), "FAIL"))
                out[n++] = x;
        }
    }
    return n;
}

static const char *verdict_of(const json_t *cell)
{
    return cell ? json_string_value(json_object_get(cell, "verdict")) : "(no cell)";
}

static void collect(void)
{
    n_entries = 0;
    for (int k = 0; nlif_mutants[k].name && n_entries < MAX_ENTRIES; k++) {
        const nlif_mutant *m = &nlif_mutants[k];
        entries[n_entries++] = (entry){m->name, m->wraps->name, m->wrong, m->check, m->cases, NULL, NULL, m->also};
    }
    for (int k = 0; externals[k].name && n_entries < MAX_ENTRIES; k++)
        entries[n_entries++] = externals[k];
    for (int k = 0; k < n_entries; k++) {
        char buf[512], *save = NULL;
        snprintf(buf, sizeof buf, "%s%s%s", entries[k].cases, entries[k].also ? "," : "",
                 entries[k].also ? entries[k].also : "");
        for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
            int seen = 0;
            for (int c = 0; c < n_cases; c++)
                seen |= !strcmp(case_name[c], t);
            if (!seen && n_cases < MAX_CASES)
                snprintf(case_name[n_cases++], sizeof case_name[0], "%s", t);
            else if (!seen) { /* never drop a case silently: its mutants would look uncaught */
                fprintf(stderr, "\n  test_mutants: more than %d cases in the catalogue's lists: raise MAX_CASES\n", MAX_CASES);
                CU_FAIL("MAX_CASES too small");
            }
        }
    }
}

static void run_catalogue(void)
{
    char cmd[8192], out[1 << 12];
    CU_ASSERT_EQUAL_FATAL(nlif_test_sh("mkdir -p " OUT_DIR, out, sizeof out), 0);
    collect();
    for (int c = 0; c < n_cases; c++) {
        /* the controls first, then the mutants of this case; external ones by --solver */
        char schemes[4096] = "", solvers[4096] = "";
        for (int pass = 0; pass < 2; pass++)
            for (int k = 0; k < n_entries; k++) {
                const entry *m = &entries[k];
                if (!listed(m->cases, case_name[c]) && !(m->also && listed(m->also, case_name[c])))
                    continue;
                add_word(schemes, sizeof schemes, pass ? m->name : m->control, ",");
                if (m->manifest) {
                    char a[600];
                    snprintf(a, sizeof a, "--solver %s", pass ? m->manifest : m->control_manifest);
                    if (!strstr(solvers, a))
                        snprintf(solvers + strlen(solvers), sizeof solvers - strlen(solvers), " %s", a);
                }
            }
        /* a fresh instance (CASE~fK, MATHEMATICS.md 6) is drawn around its catalogue case, from a fixed seed */
        int drawn = strchr(case_name[c], '~') != NULL; /* only a drawn case needs the draws */
        snprintf(cmd, sizeof cmd, "rm -f " OUT_DIR "/verify/verdicts.json; %s verify --quick --seed 1 --fresh %d --cases %.*s "
                 "--schemes %s%s -j 2 --out " OUT_DIR "/verify > " OUT_DIR "/%s.txt 2>&1",
                 program(), drawn ? 2 : 0, (int)strcspn(case_name[c], "~"), case_name[c], schemes, solvers, case_name[c]);
        /* 1: some check failed (the mutants' meant checks, at least); 0 or 2 would be wrong.
         * NLIF_MUTANT_REJUDGE=1: run nothing, judge the verdicts the last run left */
        int rejudge = getenv("NLIF_MUTANT_REJUDGE") != NULL;
        int rc = rejudge ? 1 : nlif_test_sh(cmd, out, sizeof out);
        if (rc != 1)
            fprintf(stderr, "\n  %s: exit %d (see " OUT_DIR "/%s.txt)\n", cmd, rc, case_name[c]);
        CU_ASSERT_EQUAL(rc, 1);
        snprintf(cmd, sizeof cmd, "cp " OUT_DIR "/verify/verdicts.json " OUT_DIR "/%s.json", case_name[c]);
        CU_ASSERT_EQUAL_FATAL(rejudge ? 0 : nlif_test_sh(cmd, out, sizeof out), 0);
        char path[256];
        snprintf(path, sizeof path, OUT_DIR "/%s.json", case_name[c]);
        json_error_t e;
        json_t *v = json_load_file(path, 0, &e);
        CU_ASSERT_PTR_NOT_NULL_FATAL(v);
        verdicts[c] = json_incref(json_object_get(v, "cells"));
        json_decref(v);
        printf("\n  verify on %s: %s", case_name[c], schemes);
    }
    printf("\n");
}

/* A cell's figure over its bound, from the bound text the checks write ("<= B", "... <= B (...)",
 * "E +- T", ">= F ..."); NAN when the bound is not a number (a count, a status). */
static double over_bound(const json_t *cell)
{
    const json_t *mj = json_object_get(cell, "measured");
    const char *b = json_string_value(json_object_get(cell, "bound"));
    if (!json_is_number(mj) || !b)
        return NAN;
    double x = json_number_value(mj), e, t;
    const char *le = strstr(b, "<=");
    if (le && sscanf(le + 2, "%lf", &t) == 1 && t > 0)
        return fabs(x) / t;
    const char *fit = strstr(b, "fit "); /* an order: "fit Q +- TOL; ..." */
    if (sscanf(fit ? fit + 4 : b, "%lf +- %lf", &e, &t) == 2 && t > 0)
        return fabs(x - e) / t;
    const char *ge = strstr(b, ">=");
    if (ge && sscanf(ge + 2, "%lf", &t) == 1 && t != 0)
        return -x / fabs(t);
    return NAN;
}

/* The kill margin of mutant M: the checks that FAIL it where its control passes that check (or
 * has no such cell), on how many of its cases (those it must be caught on and its margin-only ones),
 * and the largest figure ÷ bound among them. */
static void margin(const entry *m, int *n_checks, int *n_cases_hit, double *strongest, char *checks, size_t len)
{
    *n_checks = *n_cases_hit = 0;
    *strongest = NAN;
    checks[0] = '\0';
    char buf[512], *save = NULL;
    snprintf(buf, sizeof buf, "%s%s%s", m->cases, m->also ? "," : "", m->also ? m->also : "");
    for (char *cs = strtok_r(buf, ", ", &save); cs; cs = strtok_r(NULL, ", ", &save)) {
        int hit_here = 0;
        const json_t *fail[MAX_FAILS];
        for (int k = 0, n = fails_of(cs, m->name, fail); k < n; k++) {
            const char *ck = json_string_value(json_object_get(fail[k], "check"));
            const json_t *real = cell_of(cs, m->control, ck);
            if (real && strcmp(verdict_of(real), "pass"))
                continue; /* the control fails it too: it says nothing about the mutant */
            hit_here = 1;
            if (!listed(checks, ck)) {
                add_word(checks, len, ck, ", ");
                (*n_checks)++;
            }
            double r = over_bound(fail[k]);
            if (isfinite(r) && !(r <= *strongest))
                *strongest = r;
        }
        *n_cases_hit += hit_here;
    }
}

/* Whether the smoke tier (verify --smoke) runs case CS: one of its cases, or a fresh instance CASE~fK of
 * one with K within its count (1). Its verdicts there are these: --smoke judges as --quick, and a
 * case's cells do not depend on what else is selected (an instance is drawn from (seed, case, k)). */
static int smoke_runs(const char *cs, const char *list)
{
    char base[64];
    snprintf(base, sizeof base, "%.*s", (int)strcspn(cs, "~"), cs);
    const char *tilde = strchr(cs, '~');
    return listed(list, base) && (!tilde || !strcmp(tilde, "~f1"));
}

/* The smoke tier's kill score read from the --quick verdicts: a mutant caught by its meant check, its
 * control passing it, on one of its cases that verify --smoke runs. The end-to-end run is
 * NLIF_MUTANT_TIER=smoke; this keeps make check from losing it when a case or a mutant changes. */
static void smoke_from_quick(FILE *md)
{
    int shown = 0;
    char missing[2048] = "";
    for (int k = 0; k < n_entries; k++) {
        const entry *m = &entries[k];
        int ok = 0;
        char buf[512], *save = NULL;
        snprintf(buf, sizeof buf, "%s", m->cases);
        for (char *cs = strtok_r(buf, ", ", &save); cs; cs = strtok_r(NULL, ", ", &save)) {
            const json_t *mine = cell_of(cs, m->name, m->check), *real = cell_of(cs, m->control, m->check);
            int control = real ? !strcmp(verdict_of(real), "pass") : !strcmp(m->check, "run");
            ok |= smoke_runs(cs, nlif_verify_smoke_cases()) && mine && !strcmp(verdict_of(mine), "FAIL") && control;
        }
        shown += ok;
        if (!ok)
            add_word(missing, sizeof missing, m->name, ", ");
    }
    printf("\n  smoke kill score: %d / %d mutants caught on a case of verify --smoke (%s), by the same cells%s%s\n",
           shown, n_entries, nlif_verify_smoke_cases(), missing[0] ? "; not shown: " : "", missing);
    fprintf(md, "\nsmoke kill score: %d / %d (caught on a case verify --smoke runs)%s%s\n", shown, n_entries,
            missing[0] ? "; not shown: " : "", missing);
    CU_ASSERT_EQUAL(shown, n_entries);
}

static void judge_catalogue(void)
{
    FILE *md = fopen(OUT_DIR "/kill_score.md", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    fprintf(md, "| mutant | control | what is wrong | meant check @ case | verdict | measured | bound | control's verdict | other checks failed |\n"
                "|---|---|---|---|---|---|---|---|---|\n");
    int total = 0, caught = 0, external = 0;
    printf("\n");
    for (int k = 0; k < n_entries; k++) {
        const entry *m = &entries[k];
        int ok = 1;
        total++;
        external += m->manifest != NULL;
        char buf[512], *save = NULL;
        snprintf(buf, sizeof buf, "%s", m->cases);
        for (char *cs = strtok_r(buf, ", ", &save); cs; cs = strtok_r(NULL, ", ", &save)) {
            const json_t *mine = cell_of(cs, m->name, m->check), *real = cell_of(cs, m->control, m->check);
            int hit = mine && !strcmp(verdict_of(mine), "FAIL");
            /* verify writes a "run" cell only when a run fails (or its result set is refused): for the
             * control, no such cell is the pass */
            int control = real ? !strcmp(verdict_of(real), "pass") : !strcmp(m->check, "run");
            ok &= hit && control;
            /* the other checks that failed on this case */
            char others[1024] = "";
            const json_t *fail[MAX_FAILS];
            for (int k = 0, n = fails_of(cs, m->name, fail); k < n; k++) {
                const char *ck = json_string_value(json_object_get(fail[k], "check"));
                if (strcmp(ck, m->check))
                    add_word(others, sizeof others, ck, ", ");
            }
            const json_t *mj = mine ? json_object_get(mine, "measured") : NULL;
            const char *bound = mine ? json_string_value(json_object_get(mine, "bound")) : "";
            char mtext[32] = "none";
            if (json_is_number(mj))
                snprintf(mtext, sizeof mtext, "%.4g", json_number_value(mj));
            printf("  %-24s %-8s %s %s @ %s: %s (%s; bound %s); %s %s there; other FAILs: %s\n", m->name, m->control,
                   hit ? "CAUGHT by" : "SURVIVES", m->check, cs, verdict_of(mine), mtext, bound, m->control,
                   verdict_of(real), others[0] ? others : "none");
            if (!hit || !control)
                fprintf(stderr, "\n  %s: meant check %s on %s is %s (the control %s: %s)\n  %s\n", m->name, m->check, cs,
                        verdict_of(mine), m->control, verdict_of(real),
                        mine ? json_string_value(json_object_get(mine, "reason")) : "");
            CU_ASSERT_PTR_NOT_NULL(mine);
            CU_ASSERT(hit);
            CU_ASSERT(control);
            char mdbound[256]; /* a '|' inside a Markdown cell must be escaped */
            size_t o = 0;
            for (const char *b = bound; *b && o < sizeof mdbound - 3; b++) {
                if (*b == '|')
                    mdbound[o++] = '\\';
                mdbound[o++] = *b;
            }
            mdbound[o] = '\0';
            fprintf(md, "| `%s` | %s | %s | %s @ %s | %s | %s | %s | %s | %s |\n", m->name, m->control, m->wrong, m->check,
                    cs, verdict_of(mine), mtext, mdbound, verdict_of(real), others[0] ? others : "none");
        }
        caught += ok;
    }
    printf("\n  kill score: %d / %d mutants caught by the check meant for them (%d external programs)\n", caught, total,
           external);
    fprintf(md, "\nkill score: %d / %d (%d external programs through the solver protocol)\n", caught, total, external);
    smoke_from_quick(md);
    /* the kill margin: a defect that one cell catches is caught by luck */
    int thin = 0;
    printf("\n  kill margin (checks that FAIL the mutant where its control passes them; cases; strongest figure / bound):\n");
    fprintf(md, "\n## Kill margin\n\n| mutant | checks | cases (of listed) | strongest figure / bound | the checks |\n|---|---|---|---|---|\n");
    for (int k = 0; k < n_entries; k++) {
        const entry *m = &entries[k];
        int nc, nk, listed_n = 0;
        double strongest;
        char checks[1024], buf[512], *save = NULL;
        snprintf(buf, sizeof buf, "%s%s%s", m->cases, m->also ? "," : "", m->also ? m->also : "");
        for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
            listed_n++;
        margin(m, &nc, &nk, &strongest, checks, sizeof checks);
        int ok = nc >= 2 && nk >= 2;
        thin += !ok;
        printf("  %-24s %2d checks on %d of %d cases; strongest %8.3g x bound%s: %s\n", m->name, nc, nk, listed_n, strongest,
               ok ? "" : "  (THIN)", checks);
        fprintf(md, "| `%s` | %d | %d of %d | %.3g | %s |\n", m->name, nc, nk, listed_n, strongest, checks);
    }
    printf("\n  kill margin: %d of %d mutants caught by >= 2 checks on >= 2 cases\n", total - thin, total);
    fprintf(md, "\nkill margin: %d of %d mutants caught by >= 2 checks on >= 2 cases\n", total - thin, total);
    fclose(md);
    CU_ASSERT_EQUAL(caught, total);
    CU_ASSERT(total >= 15);
    for (int c = 0; c < n_cases; c++)
        json_decref(verdicts[c]);
}

/* ---- The smoke tier (NLIF_MUTANT_TIER=smoke) ----------------------------------------------------- */

#define SMOKE_DIR OUT_DIR "/smoke"

static const char *controls[8];
static int n_controls;

/* The cases judged: the smoke tier's, or NLIF_MUTANT_SMOKE_CASES (names, comma-separated). */
static const char *smoke_list(void)
{
    const char *only = getenv("NLIF_MUTANT_SMOKE_CASES");
    return only && only[0] ? only : nlif_verify_smoke_cases();
}

static int is_control(const char *scheme)
{
    for (int g = 0; g < n_controls; g++)
        if (!strcmp(controls[g], scheme))
            return 1;
    return 0;
}

/* One verify --smoke per control, with every mutant judged beside it (a verify holds at most 32
 * schemes; a control's mutants fit), over the smoke tier's own cases: what a solver's author runs. */
static void run_smoke(void)
{
    char cmd[16384], out[1 << 12];
    CU_ASSERT_EQUAL_FATAL(nlif_test_sh("mkdir -p " SMOKE_DIR, out, sizeof out), 0);
    collect();
    n_cases = n_controls = 0;
    for (int k = 0; k < n_entries; k++)
        if (!is_control(entries[k].control) && n_controls < 8)
            controls[n_controls++] = entries[k].control;
    /* NLIF_MUTANT_REJUDGE=1: judge the verdicts of the last run again, on the cases of smoke_list()
     * only (a case's cells do not depend on what else was selected: the verdicts of a smaller tier) */
    int rejudge = getenv("NLIF_MUTANT_REJUDGE") != NULL;
    printf("\n  the smoke tier: %s%s", smoke_list(), rejudge ? " (judged again from the verdicts on disk)" : "");
    for (int g = 0; g < n_controls; g++) {
        char schemes[4096], solvers[8192] = "";
        snprintf(schemes, sizeof schemes, "%s", controls[g]);
        for (int k = 0; k < n_entries; k++) {
            const entry *m = &entries[k];
            if (strcmp(m->control, controls[g]))
                continue;
            add_word(schemes, sizeof schemes, m->name, ",");
            if (m->manifest) {
                if (!solvers[0])
                    snprintf(solvers, sizeof solvers, " --solver %s", m->control_manifest);
                snprintf(solvers + strlen(solvers), sizeof solvers - strlen(solvers), " --solver %s", m->manifest);
            }
        }
        /* the fresh instances from a fixed seed, as make check draws them; NLIF_MUTANT_SMOKE_CASES=LIST
         * tries another choice of cases (--cases LIST) */
        char cases[600] = "";
        if (getenv("NLIF_MUTANT_SMOKE_CASES"))
            snprintf(cases, sizeof cases, " --cases '%s'", smoke_list());
        snprintf(cmd, sizeof cmd, "rm -f " SMOKE_DIR "/%s/verdicts.json; %s verify --smoke --seed 1%s --schemes %s%s -j 2 --out "
                 SMOKE_DIR "/%s > " SMOKE_DIR "/%s.txt 2>&1", controls[g], program(), cases, schemes, solvers, controls[g],
                 controls[g]);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int rc = rejudge ? 1 : nlif_test_sh(cmd, out, sizeof out);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (rc != 1)
            fprintf(stderr, "\n  %s: exit %d (see " SMOKE_DIR "/%s.txt)\n", cmd, rc, controls[g]);
        CU_ASSERT_EQUAL(rc, 1); /* some check failed: the mutants' */
        char path[256];
        snprintf(path, sizeof path, SMOKE_DIR "/%s/verdicts.json", controls[g]);
        json_error_t e;
        json_t *v = json_load_file(path, 0, &e);
        CU_ASSERT_PTR_NOT_NULL_FATAL(v);
        snprintf(case_name[n_cases], sizeof case_name[0], "*");
        verdicts[n_cases++] = json_incref(json_object_get(v, "cells"));
        json_decref(v);
        printf("\n  verify --smoke beside %s: %s (%.0f s wall)", controls[g], schemes,
               (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
    }
    printf("\n");
}

/* Mutant M under the smoke tier: the checks that FAIL it where its control passes that check on that
 * case (or has no such cell), the cases they FAIL on, the largest figure / bound, and whether the
 * check meant for it is among them. */
static int smoke_hits(const entry *m, char *checks, size_t lc, char *cases, size_t ls, double *strongest, int *meant)
{
    int hits = 0;
    checks[0] = cases[0] = '\0';
    *strongest = NAN;
    *meant = 0;
    for (int c = 0; c < n_cases; c++) {
        size_t i;
        json_t *x;
        json_array_foreach(verdicts[c], i, x)
        {
            const char *cs = json_string_value(json_object_get(x, "case"));
            const char *ck = json_string_value(json_object_get(x, "check"));
            if (strcmp(json_string_value(json_object_get(x, "scheme")), m->name) || strcmp(verdict_of(x), "FAIL") ||
                !smoke_runs(cs, smoke_list()))
                continue;
            const json_t *real = cell_of(cs, m->control, ck);
            if (real && strcmp(verdict_of(real), "pass"))
                continue; /* the control fails it too: it says nothing about the mutant */
            char at[160];
            snprintf(at, sizeof at, "%s@%s", ck, cs);
            add_word(checks, lc, at, ", ");
            add_word(cases, ls, cs, ",");
            *meant |= !strcmp(ck, m->check);
            double r = over_bound(x);
            if (isfinite(r) && !(r <= *strongest))
                *strongest = r;
            hits++;
        }
    }
    return hits;
}

static void judge_smoke(void)
{
    FILE *md = fopen(SMOKE_DIR "/kill_score.md", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    fprintf(md, "smoke tier: %s\n\n| mutant | control | what is wrong | FAIL cells (control passes) | cases | strongest figure / bound | meant check among them |\n"
                "|---|---|---|---|---|---|---|\n", smoke_list());
    int control_fails = 0;
    for (int c = 0; c < n_cases; c++) {
        size_t i;
        json_t *x;
        json_array_foreach(verdicts[c], i, x)
        {
            const char *scheme = json_string_value(json_object_get(x, "scheme"));
            /* a failure ci/known_failures lists for the control is the control's own (its mutants'
             * FAILs of that cell count for nothing, as the control does not pass it) */
            if (is_control(scheme) && !strcmp(verdict_of(x), "FAIL") && !json_is_true(json_object_get(x, "known_failure")) &&
                smoke_runs(json_string_value(json_object_get(x, "case")), smoke_list())) {
                control_fails++;
                fprintf(stderr, "\n  control %s FAILs %s on %s under --smoke: %s\n", scheme,
                        json_string_value(json_object_get(x, "check")), json_string_value(json_object_get(x, "case")),
                        json_string_value(json_object_get(x, "reason")));
            }
        }
    }
    int total = 0, caught = 0, thick = 0, external = 0;
    printf("\n");
    for (int k = 0; k < n_entries; k++) {
        const entry *m = &entries[k];
        char checks[4096], cases[1024];
        double strongest;
        int meant, hits = smoke_hits(m, checks, sizeof checks, cases, sizeof cases, &strongest, &meant);
        int n_cs = 0, n_ck = 0;
        char buf[4096], names[2048] = "", *save = NULL;
        snprintf(buf, sizeof buf, "%s", cases);
        for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
            n_cs++;
        snprintf(buf, sizeof buf, "%s", checks);
        for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
            t[strcspn(t, "@")] = '\0';
            if (!listed(names, t))
                add_word(names, sizeof names, t, ",");
        }
        snprintf(buf, sizeof buf, "%s", names);
        for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
            n_ck++;
        total++, caught += hits > 0, thick += n_ck >= 2 && n_cs >= 2, external += m->manifest != NULL;
        printf("  %-24s %-8s %s: %d cells, %d checks on %d cases; strongest %8.3g x bound; meant %s %s: %s\n", m->name,
               m->control, hits ? "CAUGHT" : "SURVIVES", hits, n_ck, n_cs, strongest, m->check, meant ? "among them" : "not among them",
               hits ? checks : "nothing");
        if (!hits)
            fprintf(stderr, "\n  %s (%s) survives the smoke tier\n", m->name, m->wrong);
        fprintf(md, "| `%s` | %s | %s | %s | %s | %.3g | %s |\n", m->name, m->control, m->wrong, hits ? checks : "none",
                cases, strongest, meant ? "yes" : "no");
    }
    printf("\n  smoke kill score: %d / %d mutants caught by nlif verify --smoke (%d external programs)\n", caught, total, external);
    printf("  smoke kill margin: %d of %d mutants caught by >= 2 checks on >= 2 cases\n", thick, total);
    fprintf(md, "\nsmoke kill score: %d / %d (%d external programs)\n\nsmoke kill margin: %d of %d mutants caught by >= 2 checks on >= 2 cases\n",
            caught, total, external, thick, total);
    fclose(md);
    CU_ASSERT_EQUAL(control_fails, 0);
    CU_ASSERT_EQUAL(caught, total);
    CU_ASSERT(total >= 15);
    for (int c = 0; c < n_cases; c++)
        json_decref(verdicts[c]);
}

int main(void)
{
    static const nlif_test_case tests[] = {
        {"the catalogue through nlif verify --quick, one verify per case", run_catalogue},
        {"every mutant caught by the check meant for it; the real scheme passes it", judge_catalogue},
        {NULL, NULL},
    };
    static const nlif_test_case smoke[] = {
        {"the catalogue through nlif verify --smoke, one verify per control", run_smoke},
        {"every mutant caught by the smoke tier where its control passes", judge_smoke},
        {NULL, NULL},
    };
    const char *tier = getenv("NLIF_MUTANT_TIER");
    if (tier && strcmp(tier, "smoke") && strcmp(tier, "quick")) {
        fprintf(stderr, "test_mutants: NLIF_MUTANT_TIER=%s: allowed quick (default) or smoke\n", tier);
        return 2;
    }
    return tier && !strcmp(tier, "smoke") ? nlif_test_main("mutants, smoke tier", smoke) : nlif_test_main("mutants", tests);
}
