/* nlif_test.c — see nlif_test.h. */
#include "nlif_test.h"

#include "../harness/case/nlif_case.h"
#include "../core/nlif_scheme.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

int nlif_close(double a, double b, double rtol, double atol)
{
    if (isnan(a) || isnan(b))
        return 0;
    return fabs(a - b) <= rtol * fmax(fabs(a), fabs(b)) + atol;
}

const char *nlif_test_bin(void)
{
    const char *b = getenv("NLIF");
    return b && *b ? b : "bin/nlif";
}

int nlif_test_sh(const char *cmd, char *out, size_t len)
{
    char full[4096];
    snprintf(full, sizeof full, "(%s) 2>&1", cmd);
    FILE *p = popen(full, "r");
    if (!p)
        return -1;
    size_t n = fread(out, 1, len - 1, p);
    out[n] = '\0';
    while (fgetc(p) != EOF) {
    }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int nlif_test_main(const char *suite_name, const nlif_test_case *tests)
{
    /* The tests write their scratch files under build/tests/, which the sanitizer build (build-san/)
     * does not create: make it here, so that every build runs from a fresh clone. */
    if (mkdir("build", 0755) && errno != EEXIST)
        return 2;
    if (mkdir("build/tests", 0755) && errno != EEXIST)
        return 2;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite suite = CU_add_suite(suite_name, NULL, NULL);
    if (!suite)
        return 2;
    for (const nlif_test_case *t = tests; t->name; t++)
        if (!CU_add_test(suite, t->name, t->fn))
            return 2;
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned run = CU_get_number_of_tests_run(), failed = CU_get_number_of_tests_failed();
    unsigned asserts_failed = CU_get_number_of_failures();
    const char *counts = getenv("NLIF_TEST_COUNTS");
    if (counts) {
        FILE *f = fopen(counts, "a");
        if (f) {
            fprintf(f, "%s %u %u %u\n", suite_name, run, failed, asserts_failed);
            fclose(f);
        }
    }
    CU_cleanup_registry();
    return (failed || asserts_failed) ? 1 : 0;
}

int nlif_test_load(nlif_case *cs, const char *name, const char *const *sets, int n_sets)
{
    nlif_error err = {0};
    int rc = nlif_case_load(cs, name, sets, n_sets, &err);
    if (rc)
        fprintf(stderr, "\n  case %s: %s\n", name, err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, NLIF_OK);
    return rc == NLIF_OK;
}

void *nlif_test_run(const nlif_scheme_type *st, const nlif_case *cs, const nlif_optset *o, nlif_trajectory *tr,
                    double t_end)
{
    nlif_error err = {0};
    void *state = NULL;
    nlif_traj_init(tr);
    int rc = st->alloc(&state, cs, o, tr, &err);
    if (rc)
        fprintf(stderr, "\n  alloc: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(rc, NLIF_OK);
    rc = st->advance(state, t_end, &err);
    if (rc)
        fprintf(stderr, "\n  advance: %s\n", err.msg);
    CU_ASSERT_EQUAL(rc, NLIF_OK);
    return state;
}

int nlif_test_put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}
