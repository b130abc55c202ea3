/* test_fuzz.c — replays the fuzz targets' stored inputs in every build (the sanitizer build included):
 * the seed corpora tests/fuzz/corpus_case/ and corpus_result/, and every input that once crashed a
 * target, kept in tests/fuzz/crashes_case/ and crashes_result/ as a regression test. A crash ends
 * this program (ci/run-tests.sh counts it as a failure); each replayed file is also an assertion. The
 * fuzzing itself is `make fuzz` (libFuzzer; tests/fuzz/README.md). */
#include "fuzz/nlif_fuzz.h"
#include "nlif_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every regular file of DIR through FN; returns how many were replayed. */
static int replay(const char *dir, int (*fn)(const uint8_t *, size_t))
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        FILE *f = fopen(path, "rb");
        CU_ASSERT_PTR_NOT_NULL(f);
        if (!f)
            continue;
        static uint8_t buf[1 << 20];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        CU_ASSERT_EQUAL(fn(buf, len), 0);
        n++;
    }
    closedir(d);
    return n;
}

static void test_case_corpus(void)
{
    /* the seed corpus holds every catalogue case at least */
    CU_ASSERT(replay("tests/fuzz/corpus_case", nlif_fuzz_case) >= 18);
    replay("tests/fuzz/crashes_case", nlif_fuzz_case);
}

static void test_result_corpus(void)
{
    CU_ASSERT(replay("tests/fuzz/corpus_result", nlif_fuzz_result) >= 3);
    replay("tests/fuzz/crashes_result", nlif_fuzz_result);
}

int main(void)
{
    static const nlif_test_case tests[] = {
        {"case parser: seed corpus and crash regressions", test_case_corpus},
        {"result reader: seed corpus and crash regressions", test_result_corpus},
        {NULL, NULL},
    };
    return nlif_test_main("fuzz_replay", tests);
}
