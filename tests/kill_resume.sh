#!/bin/sh
# kill_resume.sh [ROUNDS [CASES]] — kill-safety of `nlif verify` (README, "Hostile input and bounded
# resources"): in a private folder, run verify uninterrupted once (the reference), then ROUNDS times
# (default 4): start verify, kill -9 it at a random moment, and in every other round also kill -9 the
# first `verify --resume`; then `verify --resume` to the end. Every round must give
#   - verdicts identical to the reference (every member of every cell but the identities of the files
#     judged from, which name run ids: with jq, verdicts.json; without, the verdict table),
#   - no process of the killed verify's process group left 5 s after the kill (pgrep -g),
#   - no temporary file (*.tmp-*) left in the folder after the resume.
# Round 1 also starts a second verify in the same folder while the first runs: it must refuse at once
# (exit 2) naming the first one's pid. CASES is a verify --cases pattern (default 'relax_[li]*', two
# cases); the schemes are dilated and spap, --quick, -j 2. make check runs 3 rounds; make kill-test 20
# on a larger set. Prints one summary line; exits 1 on any failure.
set -u
rounds=${1:-4}
cases=${2:-relax_[li]*}
src=$(cd "$(dirname "$0")/.." && pwd)
bin=${NLIF:-bin/nlif}
case "$bin" in /*) ;; *) bin="$src/$bin" ;; esac
work=$(mktemp -d /tmp/nlif_kill_XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
have_jq=0
command -v jq >/dev/null 2>&1 && have_jq=1

# verify ARGS... in folder $1 (cd there: verify writes results/verify/ under the working directory)
verify_in() {
    d=$1
    shift
    (cd "$d" && "$bin" verify --cases "$cases" --schemes dilated,spap --quick -j 2 --seed 1 "$@")
}

# The verdicts of folder $1 in a comparable form, on stdout.
verdicts_of() {
    if [ $have_jq = 1 ]; then
        jq -c '.cells[] | del(.inputs)' "$1/results/verify/verdicts.json"
    else
        grep -v '^verify (' "$1/table"
    fi
}

# kill -9 the verify whose pid (and process-group id) is $1 after a random delay of up to $2 seconds;
# wait up to 5 s for its group to empty; count what is left in $orphans.
kill_at_random() {
    pg=$1
    delay=$(awk -v max="$2" -v seed="$3" 'BEGIN { srand(seed); printf "%.2f", 0.05 + rand() * max }')
    sleep "$delay"
    if kill -0 "$pg" 2>/dev/null; then
        landed=$((landed + 1)) # verify still ran (else it had ended: the resume only re-judges)
    fi
    kill -9 "$pg" 2>/dev/null
    wait "$pg" 2>/dev/null
    i=0
    while [ $i -lt 50 ] && pgrep -g "$pg" >/dev/null 2>&1; do
        sleep 0.1
        i=$((i + 1))
    done
    left=$(pgrep -g "$pg" 2>/dev/null | wc -l)
    if [ "$left" -gt 0 ]; then
        echo "kill_resume: $left process(es) of the killed verify (group $pg) still run 5 s after the kill:"
        pgrep -a -g "$pg"
        kill -9 -- "-$pg" # the group of the verify this script started
        orphans=$((orphans + left))
    fi
    kills=$((kills + 1))
    echo "  killed after $delay s"
}

mkdir -p "$work/ref"
t0=$(date +%s.%N)
verify_in "$work/ref" >"$work/ref/table" 2>"$work/ref/err"
ref_rc=$?
t1=$(date +%s.%N)
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
if [ $ref_rc -gt 1 ]; then
    echo "kill_resume: the uninterrupted verify failed (exit $ref_rc):"
    cat "$work/ref/err"
    exit 1
fi
verdicts_of "$work/ref" >"$work/ref/verdicts"
ncells=$(wc -l <"$work/ref/verdicts")
echo "kill_resume: reference: $ncells verdicts, exit $ref_rc, $wall s; $rounds rounds of kill -9 and --resume"

same=0 differ=0 orphans=0 tmpleft=0 kills=0 landed=0 lock_ok=0 lock_tried=0
r=1
while [ $r -le "$rounds" ]; do
    d="$work/r$r"
    mkdir -p "$d"
    (cd "$d" && exec setsid "$bin" verify --cases "$cases" --schemes dilated,spap --quick -j 2 --seed 1 >/dev/null 2>&1) &
    pg=$!
    if [ $r = 1 ]; then
        # a second verify in the same folder while the first runs: refused at once, naming the holder
        lock_tried=1
        i=0
        while [ $i -lt 50 ] && [ ! -s "$d/results/verify/.lock" ]; do
            sleep 0.05
            i=$((i + 1))
        done
        verify_in "$d" --resume >"$d/second" 2>&1
        src2=$?
        if [ $src2 = 2 ] && grep -q "in use by another nlif verify (pid $pg" "$d/second"; then
            lock_ok=1
        elif kill -0 "$pg" 2>/dev/null; then
            echo "kill_resume: a second verify in a locked folder gave exit $src2:"
            cat "$d/second"
        else
            lock_tried=0 # the first had already ended: nothing to judge
        fi
    fi
    kill_at_random "$pg" "$wall" "$r$$"
    if [ $((r % 2)) = 0 ]; then
        # kill the resume too: a resume of a resume
        (cd "$d" && exec setsid "$bin" verify --cases "$cases" --schemes dilated,spap --quick -j 2 --seed 1 --resume \
            >/dev/null 2>&1) &
        kill_at_random $! "$wall" "${r}9$$"
    fi
    # bounded: a resume that hangs is a failure, not a hung make check
    (cd "$d" && exec timeout 120 "$bin" verify --cases "$cases" --schemes dilated,spap --quick -j 2 --seed 1 --resume) \
        >"$d/table" 2>"$d/err"
    rc=$?
    verdicts_of "$d" >"$d/verdicts"
    if [ $rc = $ref_rc ] && cmp -s "$work/ref/verdicts" "$d/verdicts"; then
        same=$((same + 1))
    else
        differ=$((differ + 1))
        echo "kill_resume: round $r: exit $rc (reference $ref_rc), verdicts differ from the uninterrupted run:"
        diff "$work/ref/verdicts" "$d/verdicts" | head -20
        cat "$d/err"
    fi
    echo "  round $r: $(grep -h 'resume' "$d/err" | tail -1)"
    n=$(find "$d" -name '*.tmp-*' | wc -l)
    if [ "$n" -gt 0 ]; then
        echo "kill_resume: round $r: $n temporary file(s) left:"
        find "$d" -name '*.tmp-*'
        tmpleft=$((tmpleft + n))
    fi
    r=$((r + 1))
done
echo "kill_resume: $kills kill -9 ($landed while verify ran), $rounds rounds: $same identical to the uninterrupted run, $differ differ;" \
    "$orphans orphan process(es); $tmpleft temporary file(s) left; second verify refused: $lock_ok of $lock_tried"
[ $differ = 0 ] && [ $orphans = 0 ] && [ $tmpleft = 0 ] && [ $lock_ok = $lock_tried ]
