/* test_mutants.c — the kill score of the judge (MATHEMATICS.md §6, "The mutant catalogue").
 *
 * Every mutant of tests/mutants.h goes through `nlif verify --quick` on the case(s) it states, with
 * the real scheme it wraps beside it (one verify per case, build/tests/nlif_mutants). A mutant is
 * caught when the check meant for it FAILs on each of its cases; the real scheme must pass that
 * check there, or the FAIL would say nothing about the mutant. The test fails if any mutant
 * survives or is caught only by other checks. It prints, per mutant, the check and case that
 * caught it with the measured figure and the bound, and every other check that failed; then the
 * kill score (caught / total). The table is also written to results/mutants/kill_score.md.
 */
#include "mutants.h"
#include "nlif_test.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CASES 32
#define OUT_DIR "results/mutants"

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

static const json_t *cell_of(const char *cs, const char *scheme, const char *check)
{
    for (int c = 0; c < n_cases; c++) {
        if (strcmp(case_name[c], cs))
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

static const char *verdict_of(const json_t *cell)
{
    return cell ? json_string_value(json_object_get(cell, "verdict")) : "(no cell)";
}

static void run_catalogue(void)
{
    char cmd[4096], out[1 << 12];
    CU_ASSERT_EQUAL_FATAL(nlif_test_sh("mkdir -p " OUT_DIR, out, sizeof out), 0);
    for (int k = 0; nlif_mutants[k].name; k++) {
        char buf[512], *save = NULL;
        snprintf(buf, sizeof buf, "%s", nlif_mutants[k].cases);
        for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
            int seen = 0;
            for (int c = 0; c < n_cases; c++)
                seen |= !strcmp(case_name[c], t);
            if (!seen && n_cases < MAX_CASES)
                snprintf(case_name[n_cases++], sizeof case_name[0], "%s", t);
        }
    }
    for (int c = 0; c < n_cases; c++) {
        /* the real schemes first (the controls), then the mutants of this case */
        char schemes[2048] = "";
        for (int pass = 0; pass < 2; pass++)
            for (int k = 0; nlif_mutants[k].name; k++) {
                const nlif_mutant *m = &nlif_mutants[k];
                const char *name = pass ? m->name : m->wraps->name;
                if (!listed(m->cases, case_name[c]) || listed(schemes, name))
                    continue;
                snprintf(schemes + strlen(schemes), sizeof schemes - strlen(schemes), "%s%s", schemes[0] ? "," : "", name);
            }
        /* a fresh instance (CASE~fK, MATHEMATICS.md 6) is drawn around its catalogue case, from a fixed seed */
        snprintf(cmd, sizeof cmd, "rm -f " OUT_DIR "/verify/verdicts.json; %s verify --quick --seed 1 --cases %.*s --schemes %s "
                 "-j 2 --out " OUT_DIR "/verify > " OUT_DIR "/%s.txt 2>&1",
                 program(), (int)strcspn(case_name[c], "~"), case_name[c], schemes, case_name[c]);
        /* 1: some check failed (the mutants' meant checks, at least); 0 or 2 would be wrong */
        CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 1);
        snprintf(cmd, sizeof cmd, "cp " OUT_DIR "/verify/verdicts.json " OUT_DIR "/%s.json", case_name[c]);
        CU_ASSERT_EQUAL_FATAL(nlif_test_sh(cmd, out, sizeof out), 0);
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

static void judge_catalogue(void)
{
    FILE *md = fopen(OUT_DIR "/kill_score.md", "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(md);
    fprintf(md, "| mutant | wraps | what is wrong | meant check @ case | verdict | measured | bound | real scheme | other checks failed |\n"
                "|---|---|---|---|---|---|---|---|---|\n");
    int total = 0, caught = 0;
    printf("\n");
    for (int k = 0; nlif_mutants[k].name; k++) {
        const nlif_mutant *m = &nlif_mutants[k];
        int ok = 1;
        total++;
        char buf[512], *save = NULL;
        snprintf(buf, sizeof buf, "%s", m->cases);
        for (char *cs = strtok_r(buf, ", ", &save); cs; cs = strtok_r(NULL, ", ", &save)) {
            const json_t *mine = cell_of(cs, m->name, m->check), *real = cell_of(cs, m->wraps->name, m->check);
            int hit = mine && !strcmp(verdict_of(mine), "FAIL");
            /* verify writes a "run" cell only when a run fails (or its result set is refused): for the
             * real scheme, no such cell is the pass */
            int control = real ? !strcmp(verdict_of(real), "pass") : !strcmp(m->check, "run");
            ok &= hit && control;
            /* the other checks that failed on this case */
            char others[1024] = "";
            for (int c = 0; c < n_cases; c++) {
                if (strcmp(case_name[c], cs))
                    continue;
                size_t i;
                json_t *x;
                json_array_foreach(verdicts[c], i, x)
                {
                    const char *ck = json_string_value(json_object_get(x, "check"));
                    if (!strcmp(json_string_value(json_object_get(x, "scheme")), m->name) && strcmp(ck, m->check) &&
                        !strcmp(verdict_of(x), "FAIL"))
                        snprintf(others + strlen(others), sizeof others - strlen(others), "%s%s", others[0] ? ", " : "", ck);
                }
            }
            const json_t *mj = mine ? json_object_get(mine, "measured") : NULL;
            const char *bound = mine ? json_string_value(json_object_get(mine, "bound")) : "";
            char mtext[32] = "none";
            if (json_is_number(mj))
                snprintf(mtext, sizeof mtext, "%.4g", json_number_value(mj));
            printf("  %-24s %-8s %s %s @ %s: %s (%s; bound %s); %s %s there; other FAILs: %s\n", m->name, m->wraps->name,
                   hit ? "CAUGHT by" : "SURVIVES", m->check, cs, verdict_of(mine), mtext, bound, m->wraps->name,
                   verdict_of(real), others[0] ? others : "none");
            if (!hit || !control)
                fprintf(stderr, "\n  %s: meant check %s on %s is %s (the real %s: %s)\n  %s\n", m->name, m->check, cs,
                        verdict_of(mine), m->wraps->name, verdict_of(real),
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
            fprintf(md, "| `%s` | %s | %s | %s @ %s | %s | %s | %s | %s | %s |\n", m->name, m->wraps->name, m->wrong, m->check,
                    cs, verdict_of(mine), mtext, mdbound, verdict_of(real), others[0] ? others : "none");
        }
        caught += ok;
    }
    printf("\n  kill score: %d / %d mutants caught by the check meant for them\n", caught, total);
    fprintf(md, "\nkill score: %d / %d\n", caught, total);
    fclose(md);
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
    return nlif_test_main("mutants", tests);
}
