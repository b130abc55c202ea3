/* test_core.c — the core units: options, initial laws, trajectory bookkeeping, input current. */
#include "../exact/nlif_density.h"
#include "../core/nlif_options.h"
#include "../core/nlif_trajectory.h"
#include "../harness/case/nlif_case.h"
#include "nlif_test.h"

#include <string.h>

static const nlif_option_spec spec[] = {
    {"theta", NLIF_OPT_DOUBLE, "0.5", 0, 1, NULL, 1, "a threshold"},
    {"levels", NLIF_OPT_INT, "4", 2, 10, NULL, 0, "levels"},
    {"bridge", NLIF_OPT_BOOL, "true", 0, 0, NULL, 1, "bridge correction"},
    {"outflow", NLIF_OPT_ENUM, "maxwellian", 0, 0, "maxwellian|onesided", 1, "outflow form"},
    {NULL, 0, NULL, 0, 0, NULL, 0, NULL},
};

static void test_options(void)
{
    nlif_optset o;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_optset_init(&o, spec, &err), NLIF_OK);
    CU_ASSERT_EQUAL(o.n, 4);
    CU_ASSERT_EQUAL(nlif_opt_double(&o, "theta"), 0.5);
    CU_ASSERT_EQUAL(nlif_opt_int(&o, "levels"), 4);
    CU_ASSERT_EQUAL(nlif_opt_bool(&o, "bridge"), 1);
    CU_ASSERT_EQUAL(nlif_opt_enum(&o, "outflow"), 0);
    CU_ASSERT_EQUAL(nlif_optset_assign(&o, "outflow=onesided", &err), NLIF_OK);
    CU_ASSERT_EQUAL(nlif_opt_enum(&o, "outflow"), 1);
    CU_ASSERT_EQUAL(nlif_optset_set(&o, "theta", "1.5", &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "out of range"));
    CU_ASSERT_EQUAL(nlif_optset_set(&o, "levels", "3.5", &err), NLIF_EINVAL);
    CU_ASSERT_EQUAL(nlif_optset_set(&o, "bridge", "maybe", &err), NLIF_EINVAL);
    CU_ASSERT_EQUAL(nlif_optset_set(&o, "outflow", "twosided", &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "maxwellian|onesided"));
    CU_ASSERT_EQUAL(nlif_optset_set(&o, "thetaa", "1", &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "allowed: theta, levels, bridge, outflow"));
    CU_ASSERT_EQUAL(nlif_optset_assign(&o, "=1", &err), NLIF_EINVAL);
    char buf[64];
    CU_ASSERT_STRING_EQUAL(nlif_opt_text(&o, 3, buf, sizeof buf), "onesided");
    CU_ASSERT_STRING_EQUAL(nlif_opt_text(&o, 2, buf, sizeof buf), "true");
}

static void test_gaussian_law(void)
{
    nlif_case cs;
    nlif_case_defaults(&cs);
    nlif_density d;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_density_init(&d, &cs, &err), NLIF_OK);
    /* Cell means telescope the exact cdf: mass 1 up to round-off (1e-14 for 300 cells). */
    double h = 0.02, p[301], mass = 0;
    nlif_density_cell_means(&d, -4, h, 301, p);
    for (int i = 0; i < 301; i++)
        mass += p[i] * h;
    NLIF_ASSERT_CLOSE(mass, 1.0, 0, 1e-14);
    /* quantile inverts cdf (bisection to 1e-15 relative). */
    for (double u = 0.01; u < 1; u += 0.07)
        NLIF_ASSERT_CLOSE(nlif_density_cdf(&d, nlif_density_quantile(&d, u)), u, 0, 1e-12);
    /* Truncation to [-4, 2] of N(0, 0.25): normalising constant differs from 1 by ~3e-5 only, so
     * the pdf at 0 is 1/(0.5 sqrt(2 pi)) / z: compare with the exact z. */
    double z = 0.5 * (erfc(-4.0 / M_SQRT2) - erfc(8.0 / M_SQRT2));
    NLIF_ASSERT_CLOSE(nlif_density_pdf(&d, 0), 1 / (0.5 * sqrt(2 * M_PI)) / z, 1e-14, 0);
    nlif_density_free(&d);
}

static void test_blocks_law(void)
{
    /* The worked example: p = 5 on [1.9, 2], 0.5 on [0, 1]: mass 1, half of it above 1.9. */
    nlif_case cs;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_case_load(&cs, "cascade_example", NULL, 0, &err), NLIF_OK);
    nlif_density d;
    CU_ASSERT_EQUAL_FATAL(nlif_density_init(&d, &cs, &err), NLIF_OK);
    NLIF_ASSERT_CLOSE(nlif_density_cdf(&d, 1.9), 0.5, 0, 1e-15);
    NLIF_ASSERT_CLOSE(nlif_density_cdf(&d, 0.5), 0.25, 0, 1e-15);
    NLIF_ASSERT_CLOSE(nlif_density_cdf(&d, 1.95), 0.75, 0, 1e-14);
    NLIF_ASSERT_CLOSE(nlif_density_quantile(&d, 0.75), 1.95, 0, 1e-14);
    NLIF_ASSERT_CLOSE(nlif_density_quantile(&d, 0.25), 0.5, 0, 1e-14);
    CU_ASSERT_EQUAL(nlif_density_pdf(&d, 1.5), 0.0);
    NLIF_ASSERT_CLOSE(nlif_density_pdf(&d, 1.95), 5.0, 1e-15, 0);
    nlif_density_free(&d);
}

static void test_table_law(void)
{
    /* A hat on [0, 2] (peak 1 at 1): cdf(0.5) = 0.125, quantile(0.5) = 1. */
    double v[] = {0, 1, 2}, p[] = {0, 1, 0};
    nlif_density d;
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_density_table(&d, v, p, 3, 1, &err), NLIF_OK);
    NLIF_ASSERT_CLOSE(nlif_density_cdf(&d, 0.5), 0.125, 0, 1e-15);
    NLIF_ASSERT_CLOSE(nlif_density_quantile(&d, 0.5), 1.0, 0, 1e-14);
    NLIF_ASSERT_CLOSE(nlif_density_quantile(&d, 0.125), 0.5, 0, 1e-14);
    nlif_density_free(&d);
    double bad_v[] = {0, 1, 0.5};
    CU_ASSERT_EQUAL(nlif_density_table(&d, bad_v, p, 3, 1, &err), NLIF_EINVAL);
}

static void test_trajectory(void)
{
    nlif_trajectory tr;
    nlif_traj_init(&tr);
    for (int i = 0; i < 5000; i++) /* crosses the initial capacity: growth keeps the data */
        CU_ASSERT_EQUAL(nlif_traj_record(&tr, i * 1e-3, 0.1, i * 1e-4, 1 + (i == 77 ? 3e-13 : 0), i == 99 ? -1e-16 : 0), NLIF_OK);
    CU_ASSERT_EQUAL(tr.n, 5000u);
    NLIF_ASSERT_CLOSE(tr.mass_drift, 3e-13, 1e-3, 0);
    CU_ASSERT_EQUAL(tr.min_density, -1e-16);
    CU_ASSERT_EQUAL(tr.s[4321].t, 4.321);
    nlif_traj_mfe(&tr, 1.0, 0.5);
    nlif_traj_event(&tr, "switch_micro", 0.9, 0);
    CU_ASSERT_EQUAL(nlif_traj_count_events(&tr, "mfe"), 1u);
    nlif_traj_stat(&tr, "x", 2);
    nlif_traj_stat(&tr, "x", 3);
    CU_ASSERT_EQUAL(nlif_traj_get_stat(&tr, "x"), 3.0);
    CU_ASSERT(isnan(nlif_traj_get_stat(&tr, "y")));
    nlif_traj_set_status(&tr, NLIF_STATUS_BLOWUP, 0.25, "b p = %g", 0.9);
    CU_ASSERT_STRING_EQUAL(nlif_status_name(tr.status), "blowup");
    CU_ASSERT_STRING_EQUAL(tr.cause, "b p = 0.9");
    nlif_traj_free(&tr);
}

static void test_model(void)
{
    nlif_model m = {.a0 = 1, .a1 = 0, .b = 0.5, .v_f = 2, .v_r = 1, .v_min = -4, .convention = NLIF_CONVENTION_A};
    int n, r;
    CU_ASSERT_EQUAL(nlif_grid_nodes(&m, 0.02, &n, &r), 0);
    CU_ASSERT_EQUAL(n, 300);
    CU_ASSERT_EQUAL(r, 250);
    CU_ASSERT_EQUAL(nlif_grid_nodes(&m, 0.1, &n, &r), 0);
    CU_ASSERT_EQUAL(n, 60);
    CU_ASSERT_NOT_EQUAL(nlif_grid_nodes(&m, 0.03, &n, &r), 0);
    nlif_input in = {NLIF_INPUT_SINE, 0.5, 2, M_PI, 0, 0, 0, 0};
    NLIF_ASSERT_CLOSE(nlif_input_current(&in, 0.5), 2.5, 1e-15, 0);
    nlif_input pulse = {NLIF_INPUT_PULSE, 1, 0, 0, 0, 1, 2, 0};
    CU_ASSERT_EQUAL(nlif_input_current(&pulse, 0.5), 0.0);
    CU_ASSERT_EQUAL(nlif_input_current(&pulse, 1.5), 1.0);
    nlif_input kick = {NLIF_INPUT_KICK, 0, 0, 0, 0, 1, 0, 0.5};
    CU_ASSERT(nlif_input_kick_between(&kick, 0.999, 1.0));
    CU_ASSERT(!nlif_input_kick_between(&kick, 1.0, 1.001));
}

int main(void)
{
    static const nlif_test_case tests[] = {
        {"options", test_options},
        {"gaussian initial law", test_gaussian_law},
        {"uniform blocks law (worked example)", test_blocks_law},
        {"table law", test_table_law},
        {"trajectory", test_trajectory},
        {"model and input", test_model},
        {NULL, NULL},
    };
    return nlif_test_main("core", tests);
}
