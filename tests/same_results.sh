#!/bin/sh
# same_results.sh — the proof that a restructuring changed no behaviour: two result trees (two
# `nlif verify --out` folders, two `nlif run --out` folders, ...) hold the same files with the same
# bytes, but for what differs between any two runs of the same program: run ids, CPU and wall
# seconds, the commit, the date, the program's hash and the content hashes of the files a verdict
# was judged from (they hold run ids; the files themselves are compared here). verdicts.json is compared cell by cell (the
# same cells, verdicts, figures to the last digit, bounds and reasons), with the same exceptions.
# The folders' own paths, and the source roots of the two programs (--roots: where the case files
# are, which a verify folder records), are written as one name. What is not a result is not
# compared: the jobs' logs, verify's lock and journal (the order jobs finished in, their wall times).
# Prints every difference; exits 0 when there is none, 1 otherwise, 2 on bad usage.
# Usage: sh tests/same_results.sh [--roots OLD_ROOT NEW_ROOT] OLD_DIR NEW_DIR
set -u
oroot="" nroot=""
if [ "${1:-}" = --roots ] && [ $# -ge 3 ]; then oroot=$(realpath "$2"); nroot=$(realpath "$3"); shift 3; fi
[ $# -eq 2 ] && [ -d "$1" ] && [ -d "$2" ] || { echo "usage: sh tests/same_results.sh [--roots OLD_ROOT NEW_ROOT] OLD_DIR NEW_DIR (two folders)" >&2; exit 2; }
old=$1 new=$2
aold=$(realpath "$old") anew=$(realpath "$new")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# What may differ between two runs of the same program on the same input: on a JSON line or a '#'
# provenance line, the values of these fields; the logs of the jobs (timings) are not results.
# $1: the file; $2: its folder's absolute path; $3: its program's source root (or "").
norm() {
    sed -E -e "s|$2|DIR|g" ${3:+-e "s|$3/|ROOT/|g"} \
           -e 's/("(run_id|[a-z_]*seconds|commit|date|executable_hash|hash|started|finished|elapsed)"[[:space:]]*:[[:space:]]*)("[^"]*"|[-0-9.eE+]+)/\1X/g' \
           -e 's/^(# (run_id|[a-z_]*seconds|commit|date)):.*/\1: X/' \
           -e 's/("(commit|date)":")[^"]*"/\1X"/g' "$1"
}
skip() { find . -type f ! -path './logs/*' ! -name '*.tmp*' ! -name .lock ! -name journal.jsonl | sort; }
(cd "$old" && skip) > "$tmp/a"
(cd "$new" && skip) > "$tmp/b"
st=0
if ! cmp -s "$tmp/a" "$tmp/b"; then
    echo "same_results: the file lists differ (< only in $old, > only in $new):"
    diff "$tmp/a" "$tmp/b" | grep '^[<>]'
    st=1
fi
n=0 same=0
for f in $(comm -12 "$tmp/a" "$tmp/b"); do
    n=$((n + 1))
    if cmp -s "$old/$f" "$new/$f"; then same=$((same + 1)); continue; fi
    norm "$old/$f" "$aold" "$oroot" > "$tmp/x"
    norm "$new/$f" "$anew" "$nroot" > "$tmp/y"
    if cmp -s "$tmp/x" "$tmp/y"; then same=$((same + 1)); continue; fi
    echo "same_results: $f differs:"
    diff "$tmp/x" "$tmp/y" | head -6
    st=1
done
echo "same_results: $n files in both, $same the same (provenance aside), $((n - same)) different"
exit $st
