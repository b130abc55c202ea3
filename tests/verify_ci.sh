#!/bin/sh
# verify_ci.sh — what CI reads of `nlif verify` and `nlif judge`, end to end (run by tests/test_ci.c).
# Usage: sh tests/verify_ci.sh NLIF PART, PART one of
#   folders  two verify runs in two --out folders at once both finish with the same verdicts; a third
#            in a folder in use refuses at once (exit 2) naming the holder's pid; progress is one line
#            per finished job when stderr is a file; nothing is written to results/verify
#   judge    verify --quick (2 cases x 2 schemes, ladders included) into a private folder, then judge of
#            that folder: the same verdicts; both JUnit files agree with their records
#   foreign  judge of result files written elsewhere (a folder named with XML's special characters, a
#            tab and a byte that is not UTF-8, which the reasons carry into the record and the XML):
#            a known failure is a <failure type="known_failure"> and does not fail the run, a ladder
#            that is not on disk is n.a. (<skipped>) saying so; --cases entries that match nothing and
#            a summary naming another pair are exit 2
# Prints what it checks; exits 1 at the first thing wrong. Works in a private temporary folder.
set -u
B=$(realpath "$1")
part=$2
SRC=$(pwd)
CHECK="python3 $SRC/tests/verdict_check.py"
W=$(mktemp -d /tmp/nlif_ci_XXXXXX)
trap 'rm -rf "$W"' EXIT
export NLIF_ROOT="$SRC"
cd "$W" || exit 1
die() { echo "verify_ci ($part): $*"; exit 1; }

case "$part" in
folders)
    # a fixed seed: the fresh instances of relax_linear (MATHEMATICS.md 6) are the same in both folders
    args="--quick --cases relax_linear --schemes spap,dilated -j 1 --seed 1"
    "$B" verify $args --out "$W/X" >X.log 2>X.err & A=$!
    "$B" verify $args --out "$W/Y" >Y.log 2>Y.err & C=$!
    i=0
    until [ -f X/.lock ] && ! flock -n X/.lock true; do
        sleep 0.05; i=$((i + 1)); [ $i -lt 600 ] || die "X/.lock never held"
    done
    t0=$(date +%s)
    timeout 30 "$B" verify $args --out "$W/X" >Z.log 2>&1; rc=$?
    t1=$(date +%s)
    wait $A; ra=$?
    wait $C; rc2=$?
    [ $rc = 2 ] || { cat Z.log; die "a second verify in a folder in use: exit $rc, want 2"; }
    grep -q "$W/X is in use by another nlif verify (pid $A" Z.log || { cat Z.log; die "the refusal names no pid $A"; }
    [ $((t1 - t0)) -le 5 ] || die "the refusal took $((t1 - t0)) s"
    echo "refused at once: $(head -1 Z.log)"
    [ $ra = 0 ] && [ $rc2 = 0 ] || { tail -3 X.log Y.log X.err Y.err; die "the two verify runs: exit $ra and $rc2, want 0"; }
    $CHECK same X/verdicts.json Y/verdicts.json "$W/Y" "$W/X" || die "X and Y judge differently"
    # relax_linear and its two fresh instances, by both schemes
    [ "$($CHECK count X/verdicts.json pass stationary_rate)" = 6 ] || die "stationary_rate not passed by both schemes"
    [ ! -e results ] || die "results/ written although --out was given"
    # stderr a file: one progress line per job, no terminal control sequence
    # six runs (two schemes on relax_linear and its two instances), their six runs at dv/4
    # (stationary_rate(dv/4)) and a reference for accuracy on each case
    n=$(grep -c '^\[[0-9]*/15\] relax_linear[~f0-9]*\.[a-z_0-9.]*: run, [0-9.]* s, exit 0$' X.err)
    [ "$n" = 15 ] || { cat X.err; die "$n progress lines for 15 jobs"; }
    ! grep -q "$(printf '\033')" X.err || die "terminal control sequences in a log"
    echo "progress: $(head -1 X.err)"
    ;;
judge)
    "$B" verify --quick --cases relax_linear,smooth_short --schemes spap,dilated -j 2 --seed 1 --out "$W/V" --junit V.xml \
        >V.log 2>V.err; rc=$?
    [ $rc = 0 ] || { tail -5 V.log V.err; die "verify: exit $rc"; }
    [ "$($CHECK count V/verdicts.json pass 'order_t(N)')" = 2 ] || die "the ladders were not judged"
    $CHECK junit V.xml V/verdicts.json || die "verify's JUnit file"
    "$B" judge "$W/V" --verdicts J.json --junit J.xml >J.log 2>&1; rc=$?
    [ $rc = 0 ] || { cat J.log; die "judge: exit $rc"; }
    $CHECK same V/verdicts.json J.json || die "judge gives other verdicts than verify"
    $CHECK junit J.xml J.json || die "judge's JUnit file"
    "$B" judge "$W/V" --json | python3 -c 'import json,sys; json.load(sys.stdin)' || die "judge --json is not JSON"
    tail -1 J.log
    ;;
foreign)
    D="$W/from elsewhere &<\"'>$(printf '\t')tab$(printf '\377')"
    mkdir -p "$D" R/ci
    "$B" run "$SRC/cases/relax_linear.ini" --scheme spap --out "$D" >run.log 2>&1 || { cat run.log; die "run"; }
    "$B" run "$SRC/cases/smooth_short.ini" --scheme dilated --out "$D" >>run.log 2>&1 || { cat run.log; die "run"; }
    # a private root: the same cases and data, its own ci/known_failures
    ln -s "$SRC/cases" R/cases && ln -s "$SRC/reference" R/reference && ln -s "$SRC/ci/baselines" R/ci/baselines
    echo "relax_linear spap positivity listed by tests/verify_ci.sh" >R/ci/known_failures
    python3 - "$D/relax_linear.spap.json" <<'EOF' || die "tamper"
import json, sys
p = sys.argv[1]; s = json.load(open(p)); s["min_density"] = -1.0; json.dump(s, open(p, "w"))
EOF
    NLIF_ROOT="$W/R" "$B" judge "$D" --junit F.xml --verdicts F.json >F.log 2>&1; rc=$?
    [ $rc = 0 ] || { cat F.log; die "judge with only a known failure: exit $rc, want 0"; }
    $CHECK junit F.xml F.json || die "judge's JUnit file"
    grep -q 'type="known_failure" message="known failure (ci/known_failures; does not fail the run): positivity: measured -1' F.xml ||
        die "the known failure is not marked in the JUnit file"
    grep -q 'no ladder on disk' F.xml || die "a missing ladder is not n.a. with its reason"
    grep -q '&amp;&lt;&quot;&apos;&gt;' F.xml || die "the folder name is not escaped"
    [ "$($CHECK count F.json n.a. order_v)" = 1 ] || die "order_v of dilated is not n.a."
    echo "known failure and missing ladder: $(tail -1 F.log)"
    "$B" judge "$D" --cases 'relax_linear,tag:nope' >E.log 2>&1; rc=$?
    [ $rc = 2 ] && grep -q "'tag:nope' matches no case on disk" E.log || { cat E.log; die "--cases tag:nope: exit $rc"; }
    cp "$D/relax_linear.spap.json" "$D/relax_linear.dilated.json"
    "$B" judge "$D" >E.log 2>&1; rc=$?
    [ $rc = 2 ] && grep -q "names case 'relax_linear', scheme 'spap'" E.log || { cat E.log; die "a misnamed summary: exit $rc"; }
    echo "bad input: $(head -1 E.log)"
    ;;
*)
    die "unknown part (folders, judge, foreign)"
    ;;
esac
echo "verify_ci ($part): ok"
