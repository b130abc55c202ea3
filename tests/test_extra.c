/* test_extra.c — schemes named on the command line (harness/host/nlif_extra.h): variants. */
#include "../harness/case/nlif_case.h"
#include "../cli/nlif_cli.h"
#include "../harness/host/nlif_extra.h"
#include "nlif_test.h"

#include <stdio.h>
#include <string.h>

static void refusals(void)
{
    static const char *const bad[] = {
        "x",                            /* no colons */
        "x:spap",                       /* one colon */
        "Bad:spap:outflow=one_sided",   /* name not [a-z0-9_] */
        ":spap:outflow=one_sided",      /* empty name */
        "spap:spap:outflow=one_sided",  /* a taken name */
        "v1:nope:outflow=one_sided",    /* no such scheme */
        "v1:spap:",                     /* no assignment */
        "v1:spap:outflow=bad",          /* a value the option does not allow */
        "v1:spap:nosuch=1",             /* no such option */
        "v1:spap:outflow=one_sided,,",  /* an empty assignment */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nlif_error err = {0};
        CU_ASSERT_EQUAL(nlif_variant_define(bad[i], &err), NLIF_EINVAL);
        CU_ASSERT(err.msg[0] != '\0');
        CU_ASSERT_PTR_NULL(nlif_scheme_find("v1"));
    }
}

/* The assignments define the variant: they win over the case's [options] for the base scheme,
 * which the variant still receives; --opt wins over both. kick_input states
 * multiscale.macro_noise = finite_size. */
static void assignments_win_over_the_case(void)
{
    nlif_error err = {0};
    CU_ASSERT_EQUAL_FATAL(nlif_variant_define("ms_plain:multiscale:macro_noise=none", &err), NLIF_OK);
    const nlif_scheme_type *v = nlif_scheme_find("ms_plain"), *base = nlif_scheme_find("multiscale");
    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    CU_ASSERT_PTR_NULL(v->claims);
    CU_ASSERT_PTR_NOT_NULL(strstr(v->title, "variant of multiscale with macro_noise=none"));
    nlif_case cs;
    if (!nlif_test_load(&cs, "kick_input", NULL, 0))
        return;
    char buf[64];
    nlif_optset o;
    CU_ASSERT_EQUAL_FATAL(nlif_cli_scheme_options("test", base, &cs, NULL, 0, &o), 0);
    CU_ASSERT_STRING_EQUAL(nlif_opt_text(&o, nlif_opt_index(&o, "macro_noise"), buf, sizeof buf), "finite_size");
    CU_ASSERT_EQUAL_FATAL(nlif_cli_scheme_options("test", v, &cs, NULL, 0, &o), 0);
    CU_ASSERT_STRING_EQUAL(nlif_opt_text(&o, nlif_opt_index(&o, "macro_noise"), buf, sizeof buf), "none");
    const char *opt[] = {"macro_noise=finite_size"};
    CU_ASSERT_EQUAL_FATAL(nlif_cli_scheme_options("test", v, &cs, opt, 1, &o), 0);
    CU_ASSERT_STRING_EQUAL(nlif_opt_text(&o, nlif_opt_index(&o, "macro_noise"), buf, sizeof buf), "finite_size");
}

/* A variant is its own column of verify, run by child processes that were handed the --variant:
 * the variant's run on relax_linear differs from spap's (the one-sided outflow moves the rate). */
static void verify_runs_a_variant_as_a_column(void)
{
    char cmd[1024], out[8192];
    snprintf(cmd, sizeof cmd,
             "b=$(readlink -f %s) && d=$(mktemp -d) && cd \"$d\" && \"$b\" verify --quick --cases relax_linear --schemes spap,sp_one "
             "--variant sp_one:spap:outflow=one_sided --json > v.json 2> v.err; rc=$?; "
             "grep -c '\"scheme\": *\"sp_one\"' v.json; grep -o '\"outflow\": *\"one_sided\"' "
             "results/verify/runs/relax_linear.sp_one.json | head -1; cd / && rm -rf \"$d\"; exit $rc",
             nlif_test_bin());
    int rc = nlif_test_sh(cmd, out, sizeof out);
    CU_ASSERT_EQUAL(rc, 0);
    int cells = 0;
    CU_ASSERT_EQUAL(sscanf(out, "%d", &cells), 1);
    CU_ASSERT(cells >= 4); /* status, mass, positivity, stationary_rate at least */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "one_sided"));
    if (rc || cells < 4)
        fprintf(stderr, "\n%s\n", out);
}

int main(void)
{
    static const nlif_test_case tests[] = {
        {"a malformed variant is refused and registers nothing", refusals},
        {"a variant's assignments win over the case's options", assignments_win_over_the_case},
        {"verify runs a variant as its own column", verify_runs_a_variant_as_a_column},
        {NULL, NULL},
    };
    return nlif_test_main("extra", tests);
}
