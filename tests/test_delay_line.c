/* test_delay_line.c — the history of N a delayed drift reads (core/nlif_delay.c, MATHEMATICS.md §1.4):
 * the constant history before 0, linear interpolation exact on lines, cubic Hermite exact on cubics,
 * pruning to one window d with the storage bounded while every query at t − d still answers, growth
 * beyond the first capacity. */
#include "../core/nlif_delay.h"
#include "nlif_test.h"

#include <math.h>

static double cubic(double t) { return 0.3 + 0.5 * t - 0.2 * t * t + 0.07 * t * t * t; }
static double cubic_slope(double t) { return 0.5 - 0.4 * t + 0.21 * t * t; }

static void test_history_and_linear(void)
{
    nlif_delay_line dl;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_delay_init(&dl, 0.5, 0.7, 4, &err), NLIF_OK);
    CU_ASSERT_DOUBLE_EQUAL(nlif_delay_at(&dl, -0.3), 0.7, 0); /* before any sample: the history */
    for (int k = 0; k <= 20; k++)
        CU_ASSERT_EQUAL(nlif_delay_push(&dl, 0.1 * k, 1.0 + 2.0 * (0.1 * k), NAN, &err), NLIF_OK);
    CU_ASSERT_DOUBLE_EQUAL(nlif_delay_at(&dl, -1e-9), 0.7, 0);
    /* every query at t_last − d and later is exact on a line */
    for (double s = 1.5; s <= 2.0; s += 0.013)
        NLIF_ASSERT_CLOSE(nlif_delay_at(&dl, s), 1.0 + 2.0 * s, 1e-14, 1e-14);
    NLIF_ASSERT_CLOSE(nlif_delay_slope_at(&dl, 1.77), 2.0, 1e-12, 0);
    /* pruned to the window: 0.5/0.1 + 2 samples at most, though 21 were pushed into a ring of 8 */
    CU_ASSERT(dl.count <= 7);
    CU_ASSERT(dl.cap == 8);
    nlif_delay_free(&dl);
}

static void test_hermite_and_growth(void)
{
    nlif_delay_line dl;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_delay_init(&dl, 3.0, 0.0, 2, &err), NLIF_OK);
    /* uneven steps, more than the first capacity inside one window: the ring grows */
    double t = 0;
    for (int k = 0; t < 4.0; k++, t += 0.05 + 0.04 * (k % 3))
        CU_ASSERT_EQUAL(nlif_delay_push(&dl, t, cubic(t), cubic_slope(t), &err), NLIF_OK);
    CU_ASSERT(dl.cap > 8);
    for (double s = 1.2; s < 3.9; s += 0.0371)
        NLIF_ASSERT_CLOSE(nlif_delay_at(&dl, s), cubic(s), 1e-13, 1e-13);
    NLIF_ASSERT_CLOSE(nlif_delay_slope_at(&dl, 2.345), cubic_slope(2.345), 1e-11, 0);
    nlif_delay_free(&dl);
}

static const nlif_test_case tests[] = {{"history and linear interpolation, pruning", test_history_and_linear},
                                       {"cubic Hermite exact on cubics, growth", test_hermite_and_growth},
                                       {NULL, NULL}};

int main(void) { return nlif_test_main("delay_line", tests); }
