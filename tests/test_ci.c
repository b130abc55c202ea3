/* test_ci.c — what CI reads of `nlif verify` and `nlif judge`: --out folders that never collide and a
 * lock per folder, progress lines in a log, JUnit XML that agrees with the verdict record (checked by
 * python3's xml.etree in tests/verdict_check.py), judge of a verify folder giving verify's verdicts,
 * judge of result files written elsewhere. The work is in tests/verify_ci.sh, one part per test. */
#include "nlif_test.h"

#include <stdio.h>
#include <string.h>

static char out[1 << 16];

static void part(const char *name)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sh tests/verify_ci.sh '%s' %s", nlif_test_bin(), name);
    int rc = nlif_test_sh(cmd, out, sizeof out);
    if (rc != 0)
        fprintf(stderr, "\n  tests/verify_ci.sh %s: exit %d\n%s\n", name, rc, out);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "): ok"));
}

static void test_folders(void) { part("folders"); }
static void test_judge(void) { part("judge"); }
static void test_foreign(void) { part("foreign"); }

int main(void)
{
    static const nlif_test_case tests[] = {
        {"verify --out: two folders at once, a folder in use refused, progress lines", test_folders},
        {"judge of a verify folder gives its verdicts; JUnit agrees with the record", test_judge},
        {"judge of foreign result files: known failure, missing ladder, bad input", test_foreign},
        {NULL, NULL},
    };
    return nlif_test_main("ci", tests);
}
