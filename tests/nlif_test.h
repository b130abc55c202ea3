/* nlif_test.h — the CUnit frame shared by every test file.
 *
 * Each tests/test_X.c is its own program: it lists its tests in an nlif_test_case table and calls
 * nlif_test_main. The runner exits non-zero when any assertion failed (CU_basic_run_tests returns a
 * framework status, not a failure count) and appends its counts to $NLIF_TEST_COUNTS for
 * ci/run-tests.sh.
 */
#ifndef NLIF_TEST_H
#define NLIF_TEST_H

#include <CUnit/Basic.h>
#include <math.h>

typedef struct nlif_test_case {
    const char *name;
    void (*fn)(void);
} nlif_test_case;

int nlif_test_main(const char *suite, const nlif_test_case *tests);

/* |a − b| ≤ rtol·max(|a|, |b|) (+ atol): CU_ASSERT_DOUBLE_EQUAL is absolute only. Each use states
 * where its tolerance comes from in a comment. */
int nlif_close(double a, double b, double rtol, double atol);
#define NLIF_ASSERT_CLOSE(a, b, rtol, atol)                                                             \
    do {                                                                                                \
        double a_ = (a), b_ = (b);                                                                      \
        if (!nlif_close(a_, b_, (rtol), (atol)))                                                        \
            fprintf(stderr, "\n  %s:%d: %s = %.17g vs %s = %.17g (rtol %g, atol %g)\n", __FILE__,       \
                    __LINE__, #a, a_, #b, b_, (double)(rtol), (double)(atol));                         \
        CU_ASSERT(nlif_close(a_, b_, (rtol), (atol)));                                                  \
    } while (0)

struct nlif_case;
struct nlif_scheme_type;
struct nlif_optset;
struct nlif_trajectory;
/* Load a catalogue case with overrides; a failure fails the test (fatally). Returns 1 when loaded. */
int nlif_test_load(struct nlif_case *cs, const char *name, const char *const *sets, int n_sets);
/* alloc + advance scheme ST to t_end; failures fail the test. Returns the state (free with st->free). */
void *nlif_test_run(const struct nlif_scheme_type *st, const struct nlif_case *cs, const struct nlif_optset *o,
                    struct nlif_trajectory *tr, double t_end);

/* Path of the source tree (tests run from it) and of bin/nlif (or the sanitizer build's binary). */
const char *nlif_test_bin(void);
/* Run a shell command, capture up to len−1 bytes of stdout+stderr; returns the exit status. */
int nlif_test_sh(const char *cmd, char *out, size_t len);
/* Write text to path (a fixture file); 0, or -1 if it cannot be written. */
int nlif_test_put(const char *path, const char *text);

#endif
