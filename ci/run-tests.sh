#!/bin/sh
# Run every unit-test binary given as argument, NLIF_TEST_JOBS (default 2) at a time, each with its
# output kept in a file and printed whole, in the order given, once it has ended; each appends "suite
# tests_run tests_failed asserts_failed" to its own counts file. Print each binary's wall seconds after
# its output (what to trim when make check grows), one closing line, and fail if any test failed or any
# binary crashed.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
jobs=${NLIF_TEST_JOBS:-2}
n=0
for t in "$@"; do
    n=$((n + 1))
    # at most $jobs at once: wait for the oldest still running
    while [ "$(ls "$tmp" | grep -c '\.running$')" -ge "$jobs" ]; do
        sleep 0.1
    done
    : >"$tmp/$n.running"
    (s0=$(date +%s); NLIF_TEST_COUNTS="$tmp/$n.counts" "$t" >"$tmp/$n.log" 2>&1; echo $? >"$tmp/$n.rc"
     echo $(($(date +%s) - s0)) >"$tmp/$n.secs"; rm -f "$tmp/$n.running") &
done
wait
status=0
i=0
for t in "$@"; do
    i=$((i + 1))
    cat "$tmp/$i.log"
    echo "($t: $(cat "$tmp/$i.secs" 2>/dev/null || echo '?') s of wall time)"
    rc=$(cat "$tmp/$i.rc" 2>/dev/null || echo 127)
    [ "$rc" = 0 ] || { echo "FAILED: $t exited with $rc"; status=1; }
done
cat "$tmp"/*.counts >"$tmp/all" 2>/dev/null || : >"$tmp/all"
run=$(awk '{s+=$2} END {print s+0}' "$tmp/all")
failed=$(awk '{s+=$3} END {print s+0}' "$tmp/all")
echo
echo "tests: $((run - failed)) passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
