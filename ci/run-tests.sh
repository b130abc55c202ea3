#!/bin/sh
# Run every unit-test binary given as argument; each appends "suite tests_run tests_failed
# asserts_failed" to $NLIF_TEST_COUNTS. Print one closing line and fail if any test failed or any
# binary crashed.
set -u
counts=$(mktemp)
trap 'rm -f "$counts"' EXIT
status=0
for t in "$@"; do
    NLIF_TEST_COUNTS="$counts" "$t" || { echo "FAILED: $t exited with $?"; status=1; }
done
run=$(awk '{s+=$2} END {print s+0}' "$counts")
failed=$(awk '{s+=$3} END {print s+0}' "$counts")
echo
echo "tests: $((run - failed)) passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
