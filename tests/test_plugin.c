/* test_plugin.c — C plugins (--plugin, harness/host/plugin.c): what is refused and why, and the example
 * plugin (examples/plugin/) loaded by bin/nlif, its verify children included. The plugins are built
 * here against the installed headers (make install-headers into a temporary folder). */
#include "../harness/host/nlif_plugin_host.h"
#include "../core/nlif_scheme.h"
#include "nlif_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[256];

static int build(const char *out, const char *src, const char *defines)
{
    char cmd[2048], log[4096];
    const char *cc = getenv("CC");
    snprintf(cmd, sizeof cmd,
             "%s -std=c11 -O1 -Wall -Wextra -Werror -fPIC -fvisibility=hidden -shared -I%s/include %s -o %s/%s %s -lm",
             cc && *cc ? cc : "cc", dir, defines, dir, out, src);
    int rc = nlif_test_sh(cmd, log, sizeof log);
    if (rc)
        fprintf(stderr, "\n%s\n%s\n", cmd, log);
    return rc;
}

static int setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/nlif_test_plugin.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char cmd[1024], log[4096];
    snprintf(cmd, sizeof cmd, "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s install-headers PREFIX=%s", dir);
    if (nlif_test_sh(cmd, log, sizeof log)) {
        fprintf(stderr, "\n%s\n%s\n", cmd, log);
        return -1;
    }
    return 0;
}

static void teardown(void)
{
    char cmd[512], log[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    nlif_test_sh(cmd, log, sizeof log);
}

/* Each plugin has one thing wrong; the refusal says what, and registers nothing. */
static void refusals(void)
{
    static const struct {
        const char *so, *defines, *says;
    } bad[] = {
        {"abi999.so", "-DABI=999", "was built for nlif plugin ABI 999, this nlif speaks ABI 6: rebuild it against this nlif's headers"},
        {"abi0.so", "-DABI=0", "was built for nlif plugin ABI 0, this nlif speaks ABI 6"},
        {"size.so", "-DCASE_SIZE=8", "nlif_case has 8 bytes"},
        {"name.so", "-DNAME='\"Bad-Name\"'", "the name 'Bad-Name' is not 1-63 characters of [a-z0-9_]"},
        {"taken.so", "-DNAME='\"spap\"'", "the name 'spap' is taken by a scheme already"},
        {"null.so", "-DNULL_ADVANCE", "a NULL advance function"},
        {"option.so", "-DBAD_OPTION", "option table"},
        {"noentry.so", "-DNO_ENTRY", "defines no symbol nlif_plugin_entry"},
        {"undef.so", "-DUNDEFINED_FUNCTION", "undefined symbol: nlif_no_such_function"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (build(bad[i].so, "tests/plugin_bad.c", bad[i].defines)) {
            CU_FAIL("a test plugin did not build");
            continue;
        }
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, bad[i].so);
        nlif_error err = {0};
        CU_ASSERT_EQUAL(nlif_plugin_load(path, &err), NLIF_EINVAL);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[i].says));
        if (!strstr(err.msg, bad[i].says))
            fprintf(stderr, "\n  %s: '%s' does not say '%s'\n", bad[i].so, err.msg, bad[i].says);
        CU_ASSERT_PTR_NULL(nlif_scheme_find("bad_scheme"));
    }
    /* no file, and a file that is no shared object */
    char path[512];
    nlif_error err = {0};
    snprintf(path, sizeof path, "%s/missing.so", dir);
    CU_ASSERT_EQUAL(nlif_plugin_load(path, &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no such file"));
    snprintf(path, sizeof path, "%s/include/nlif/nlif_plugin.h", dir);
    CU_ASSERT_EQUAL(nlif_plugin_load(path, &err), NLIF_EINVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "cannot load"));
}

/* bin/nlif refuses the ABI-999 plugin on its command line with exit 2, and loads the example, whose
 * calls into nlif resolve in bin/nlif; verify's children, started in the same folder, load it from
 * the same relative path: sine_calm's checks all pass (status, mass, positivity, rate_mc). */
static void the_example_in_bin_nlif(void)
{
    if (build("sg_implicit.so", "examples/plugin/sg_implicit.c", "")) {
        CU_FAIL("the example plugin did not build");
        return;
    }
    char cmd[2048], out[8192];
    snprintf(cmd, sizeof cmd, "b=$(readlink -f %s) && cd %s && \"$b\" list --plugin abi999.so", nlif_test_bin(), dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "abi999.so was built for nlif plugin ABI 999, this nlif speaks ABI 6"));
    snprintf(cmd, sizeof cmd,
             "b=$(readlink -f %s) && cd %s && NLIF_ROOT=\"$OLDPWD\" \"$b\" verify --quick -j 1 --cases sine_calm "
             "--schemes sg_implicit --plugin sg_implicit.so",
             nlif_test_bin(), dir);
    int rc = nlif_test_sh(cmd, out, sizeof out);
    CU_ASSERT_EQUAL(rc, 0);
    /* status, consistent, mass, positivity, accuracy(p), accuracy(N), rate_mc */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "verify: 7 passed, 0 failed"));
    if (rc || !strstr(out, "verify: 7 passed, 0 failed"))
        fprintf(stderr, "\n%s\n", out);
    /* the result file names the plugin the scheme came from */
    snprintf(cmd, sizeof cmd, "grep -o '\"scheme_title\": *\"[^\"]*(plugin [^\"]*sg_implicit.so)\"' %s/results/verify/runs/sine_calm.sg_implicit.json", dir);
    CU_ASSERT_EQUAL(nlif_test_sh(cmd, out, sizeof out), 0);
}

int main(void)
{
    if (setup()) {
        fprintf(stderr, "test_plugin: no temporary folder with the installed headers\n");
        return 1;
    }
    static const nlif_test_case tests[] = {
        {"a malformed plugin is refused with the reason and registers nothing", refusals},
        {"bin/nlif loads the example plugin, and verify's children too", the_example_in_bin_nlif},
        {NULL, NULL},
    };
    int rc = nlif_test_main("plugin", tests);
    teardown();
    return rc;
}
