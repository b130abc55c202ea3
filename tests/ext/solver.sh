#!/bin/sh
# solver.sh MODE PROBLEM OUT STEM — the external solvers of tests/test_ext.c (POSIX sh + sed + awk):
# MODE good solves the problem with nlif's own spap (bin/nlif run on the problem's case, dv and dt;
# a drawn instance CASE~fK as its case with the drawn parameters)
# and writes the result set under the problem's output stem; every other MODE is hostile: it breaks
# one thing (see the manifests beside this file, one per mode): its output, its result set, or the
# limits of SOLVERS.md (burn, burn_many: CPU; hog: memory; forks: processes; peek: the sandbox). The program is $NLIF_EXT_NLIF (set by
# tests/test_ext.c to the build under test), else bin/nlif of this tree.
set -eu
mode=$1 problem=$2 out=$3 stem=$4
nlif=${NLIF_EXT_NLIF:-$(dirname "$0")/../../bin/nlif}
# a member of the (indented) problem JSON: the first line "name": value
field() { sed -n "s/^ *\"$1\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$problem" | head -n 1; }
case_name=$(field case) dv=$(field dv) dt=$(field dt)
case $mode in
exit3) echo "solver: the matrix is singular at step 17" >&2; exit 3 ;;
crash) echo "solver: about to crash" >&2; kill -SEGV $$ ;;
sleep) sleep 30 ;;
flood) head -c 1100M /dev/zero > "$out/junk" ;;
many_files) i=0; while [ $i -lt 150 ]; do : > "$out/f$i"; i=$((i + 1)); done; exit 0 ;;
burn) awk 'BEGIN { while (1) x++ }' ;; # CPU time until stopped
burn_many) # four busy processes at once, none past max_cpu_seconds alone
    for i in 1 2 3 4; do awk 'BEGIN { while (1) x++ }' & done; wait ;;
hog) awk 'BEGIN { s = "x"; while (1) s = s s }' ;; # memory until refused
forks) # processes that stay (a marked sleep, so that a test can look for any left behind)
    i=0; while [ $i -lt 100 ]; do sleep 317 & i=$((i + 1)); done; wait; exit 0 ;;
peek) # what of the repository (beside this file's folder) and of the system can be read
    repo=$(cd "$(dirname "$0")/../.." && pwd) found=""
    for f in "$repo/cases/relax_linear.ini" "$repo/reference/data" "$repo/README.md" "$repo/results" \
        "/proc/1/root$repo/cases/relax_linear.ini"; do
        if [ -r "$f" ] && { [ -d "$f" ] && ls "$f" > /dev/null 2>&1 || head -c 1 "$f" > /dev/null 2>&1; }; then
            found="$found $f"
        fi
    done
    if [ -n "$found" ]; then echo "solver: read the repository:$found" >&2; exit 4; fi
    echo "solver: the repository $repo is unreadable here" >&2; exit 5 ;;
wrong_grid) dv=$(awk -v h="$dv" 'BEGIN { printf "%.17g", 2 * h }') ;;
esac
outflow=$(field outflow) # the good solver's one option (absent: spap's default)
# a problem drawn at run time (CASE~fK: verify's fresh instances) is its catalogue case with the
# parameters of the problem: the ones verify draws, handed on with --set
sets=
if [ "${case_name#*~}" != "$case_name" ]; then
    sets="--set input.type=constant" # drawn around a constant input or none (MATHEMATICS.md 6)
    for k in model.a0:a0 model.a1:a1 model.b:b model.v_r:v_r input.i0:i0 initial.mean:mean initial.sd:sd; do
        v=$(field "${k#*:}")
        [ -z "$v" ] || [ "$v" = null ] || sets="$sets --set ${k%%:*}=$v"
    done
fi
# the problem's horizon, snapshot times, initial law and input type (a run verify asks for may change
# them: stationary_rate(dv/4) starts in the stationary state for a short time), handed on with --set
member() { awk -v sec="\"$1\": {" -v key="\"$2\":" 'index($0, sec) { on = 1; next } on && /^  [}]/ { on = 0 }
    on && index($0, key) { sub(/^[^:]*: */, ""); gsub(/[",]/, ""); print; exit }' "$problem"; }
snaps=$(awk '/"snapshots": \[/ { on = 1; next } on && /\]/ { exit } on { gsub(/[ ,]/, ""); printf "%s%s", s, $0; s = "," }' "$problem")
itype=$(member initial type) root=$(member initial root) utype=$(member input type)
sets="$sets --set run.t_final=$(field t_final) --set initial.type=$itype${snaps:+ --set run.snapshots=$snaps}"
[ "$itype" != stationary ] || sets="$sets --set initial.root=$root"
[ "${case_name#*~}" != "$case_name" ] || sets="$sets --set input.type=$utype"
# shellcheck disable=SC2086 # $sets is a list of words
"$nlif" run "${case_name%%~*}" --scheme spap --dv "$dv" --dt "$dt" ${outflow:+--opt outflow=$outflow} $sets \
    --out "$out" --stem "$stem" > /dev/null
s=$out/$stem
if [ "${case_name%%~*}" != "$case_name" ]; then # the summary names the problem it solved
    sed "s/\"case\": \"${case_name%%~*}\"/\"case\": \"$case_name\"/" "$s.json" > "$s.json.tmp" && mv "$s.json.tmp" "$s.json"
fi
case $mode in
missing_file) rm "$s.snapshots.csv" ;;
missing_column) # drop the last column (min_density) of the series
    awk -F, -v OFS=, '/^#/ { print; next } { NF = NF - 1; print }' "$s.series.csv" > "$s.tmp" ;;
nan) # the rate of the third row is not a number
    awk -F, -v OFS=, '/^#/ { print; next } { n++ } n == 4 { $2 = "nan" } { print }' "$s.series.csv" > "$s.tmp" ;;
wrong_length) # the first snapshot loses one node
    awk '/^v,/ && !done { done = 1; next } { print }' "$s.snapshots.csv" > "$s.snap" && mv "$s.snap" "$s.snapshots.csv" ;;
fifo) rm "$s.json" && mkfifo "$s.json" ;; # a reader that opened it would wait for a writer forever
wrong_version) sed '1s/nlif-results 1/nlif-results 7/' "$s.series.csv" > "$s.tmp" ;;
short) # the series stops at t_final / 2, the status stays ok
    tf=$(field t_final)
    awk -F, -v h="$tf" '/^#/ || $1 !~ /^[0-9]/ || $1 + 0 <= h / 2 { print }' "$s.series.csv" > "$s.tmp" ;;
esac
if [ -f "$s.tmp" ]; then mv "$s.tmp" "$s.series.csv"; fi
exit 0
