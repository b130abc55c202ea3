/* nlif_fuzz.h — the fuzz targets as plain functions: libFuzzer calls them through
 * LLVMFuzzerTestOneInput (built with -DNLIF_LIBFUZZER by `make fuzz`); tests/test_fuzz.c replays the
 * stored corpus and every crash input through them in every build, sanitizer build included. */
#ifndef NLIF_FUZZ_H
#define NLIF_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The case parser and --set (fuzz_case.c). */
int nlif_fuzz_case(const uint8_t *data, size_t size);
/* The reader of a run's result files: summary .json, .series.csv, .snapshots.csv, and a Monte Carlo
 * MFE list (fuzz_result.c). */
int nlif_fuzz_result(const uint8_t *data, size_t size);

#endif
