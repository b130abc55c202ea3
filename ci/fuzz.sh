#!/bin/sh
# Fuzz the case parser (tests/fuzz/fuzz_case.c) and the result reader (tests/fuzz/fuzz_result.c)
# with libFuzzer for FUZZ_SECONDS in all (half each). Needs clang with libFuzzer (ci/deps.sh installs
# clang and libclang-rt-14-dev); without them it says so and exits 0 (skipped, not passed).
# The seed corpora under tests/fuzz/ are copied to build-fuzz/ (the fuzzer grows the copies, not the
# tracked ones). A crash leaves its input in build-fuzz/crashes/ and fails; keep it as a regression
# test in tests/fuzz/crashes_case/ or crashes_result/ (tests/test_fuzz.c replays those in every build).
set -u
secs=${FUZZ_SECONDS:-60}
MAKE=${MAKE:-make}
CLANG=${FUZZ_CC:-clang}
if ! command -v "$CLANG" >/dev/null 2>&1 ||
   ! printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}\n' |
     "$CLANG" -fsanitize=fuzzer -x c - -o /tmp/nlif-fuzz-probe.$$ >/dev/null 2>&1; then
    rm -f /tmp/nlif-fuzz-probe.$$
    echo "fuzz: SKIPPED: $CLANG with libFuzzer not found (apt-get install clang libclang-rt-14-dev)"
    exit 0
fi
rm -f /tmp/nlif-fuzz-probe.$$
# -Wno-unknown-warning-option: clang does not know gcc's -Wno-format-truncation.
mkdir -p build-fuzz
$MAKE --no-print-directory BUILD=build-fuzz CC="$CLANG" OPT="-O1 -g" \
    EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer -Wno-unknown-warning-option" \
    fuzz-bins >build-fuzz/build.log 2>&1 || { tail -30 build-fuzz/build.log; echo "fuzz: build failed (build-fuzz/build.log)"; exit 1; }
half=$((secs / 2))
[ "$half" -ge 1 ] || half=1
status=0
for t in case result; do
    mkdir -p build-fuzz/corpus_$t build-fuzz/crashes
    cp -n tests/fuzz/corpus_$t/* build-fuzz/corpus_$t/ 2>/dev/null
    log=build-fuzz/fuzz_$t.log
    # -rss_limit_mb and -timeout: an input that makes a reader grow or hang is a finding too
    build-fuzz/fuzz_$t -max_total_time="$half" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix=build-fuzz/crashes/$t- -print_final_stats=1 \
        build-fuzz/corpus_$t >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    echo "fuzz: $t: ${runs:-?} executions in ${half} s (${speed:-?}/s), exit $rc"
    if [ "$rc" -ne 0 ]; then
        grep -E "ERROR|SUMMARY|Test unit written|runtime error" "$log" | head -8
        status=1
    fi
done
[ "$status" -eq 0 ] && echo "fuzz: no crash" || echo "fuzz: FAILED (inputs in build-fuzz/crashes/; logs build-fuzz/fuzz_*.log)"
exit $status
