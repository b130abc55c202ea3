/* fuzz_case.c — libFuzzer target for the case parser and --set (harness/case/case.c).
 *
 * Input: case text, optionally followed by a line "%%" and then one --set override per line
 * ("section.key=value", at most 16). The parser must refuse or accept without a crash, a leak or
 * undefined behaviour; an accepted case must also survive its own round trip: written back as INI
 * (nlif_case_write_ini) it parses again. Built by `make fuzz` with clang -fsanitize=fuzzer; the
 * stored inputs (tests/fuzz/corpus_case/, tests/fuzz/crashes_case/) are replayed by
 * tests/test_fuzz.c in every build. */
#include "../../harness/case/nlif_case.h"
#include "nlif_fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int nlif_fuzz_case(const uint8_t *data, size_t size)
{
    if (size > 1 << 20) /* the loader refuses more (harness/case/nlif_limits.h) */
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *sets[16];
    int n_sets = 0;
    char *sep = strstr(text, "\n%%\n");
    if (sep) {
        *sep = '\0';
        char *save = NULL;
        for (char *l = strtok_r(sep + 4, "\n", &save); l && n_sets < 16; l = strtok_r(NULL, "\n", &save))
            sets[n_sets++] = l;
    }
    nlif_case *cs = malloc(sizeof *cs), *back = malloc(sizeof *back);
    nlif_error err = {0};
    if (cs && back && nlif_case_parse_string(cs, text, "fuzz.ini", sets, n_sets, &err) == NLIF_OK) {
        char *ini = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&ini, &len);
        if (m) {
            nlif_case_write_ini(m, cs);
            fclose(m);
            nlif_error e2 = {0};
            if (nlif_case_parse_string(back, ini, "fuzz-written.ini", NULL, 0, &e2) != NLIF_OK) {
                fprintf(stderr, "an accepted case does not parse once written: %s\n--- written:\n%s\n", e2.msg, ini);
                abort();
            }
            free(ini);
        }
    }
    free(cs);
    free(back);
    free(text);
    return 0;
}

#ifdef NLIF_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return nlif_fuzz_case(data, size); }
#endif
