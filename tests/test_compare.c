/* test_compare.c — `nlif compare` and the baselines catch a 1e-4 change of N, a 2x slowdown and
 * name a case edit as one (README, "Comparing two verifications"; MATHEMATICS.md 6, "Baselines").
 * The work is in tests/test_compare.sh, one part per test. */
#include "nlif_test.h"

#include <stdio.h>
#include <string.h>

static char out[1 << 16];

static void part(const char *name)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sh tests/test_compare.sh '%s' %s", nlif_test_bin(), name);
    int rc = nlif_test_sh(cmd, out, sizeof out);
    if (rc != 0)
        fprintf(stderr, "\n  tests/test_compare.sh %s: exit %d\n%s\n", name, rc, out);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "): ok"));
}

static void test_figure(void) { part("figure"); }
static void test_slowdown(void) { part("slowdown"); }
static void test_edit(void) { part("edit"); }

int main(void)
{
    static const nlif_test_case tests[] = {
        {"a 1e-4 change of N: the baseline FAILs, compare exits 1", test_figure},
        {"a 2x slowdown: compare --fail-on-slowdown 1.5 exits 1, the baseline FAILs", test_slowdown},
        {"a case edit is named as one, not a regression; bad input exits 2", test_edit},
        {NULL, NULL},
    };
    return nlif_test_main("compare", tests);
}
