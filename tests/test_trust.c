/* test_trust.c — the judge believes nothing a run says about itself (RESULTS.md, "What is judged";
 * MATHEMATICS.md 6): an edited summary, a mass column that hides a leak and a clipped snapshot are
 * each caught by `nlif judge` from the data, and `nlif check` calls an edited summary inconsistent.
 * The work is in tests/trust.sh, one part per test. */
#include "nlif_test.h"

#include <stdio.h>
#include <string.h>

static char out[1 << 16];

static void part(const char *name)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sh tests/trust.sh '%s' %s", nlif_test_bin(), name);
    int rc = nlif_test_sh(cmd, out, sizeof out);
    if (rc != 0)
        fprintf(stderr, "\n  tests/trust.sh %s: exit %d\n%s\n", name, rc, out);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "): ok"));
}

static void test_summary(void) { part("summary"); }
static void test_leak(void) { part("leak"); }
static void test_clipped(void) { part("clipped"); }
static void test_check(void) { part("check"); }

int main(void)
{
    static const nlif_test_case tests[] = {
        {"an edited summary is inconsistent; the rate judged is the one recomputed", test_summary},
        {"a leak behind a constant mass column FAILs mass and is inconsistent", test_leak},
        {"an honest negative FAILs positivity; clipped to 0 it is inconsistent", test_clipped},
        {"nlif check calls an edited summary inconsistent", test_check},
        {NULL, NULL},
    };
    return nlif_test_main("trust", tests);
}
