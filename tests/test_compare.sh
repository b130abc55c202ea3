#!/bin/sh
# test_compare.sh — `nlif compare` and the baselines catch what they exist for (run by
# tests/test_compare.c, one part per test), on relax_driven × spap in a private root:
#   figure    a run whose N is 1e-4 relative off (series and summary scaled alike, so the set stays
#             consistent: what a solver with a slightly wrong coefficient writes): the baseline
#             FAILs on final_rate and on N(t), and compare exits 1 naming the baseline's flip, on the
#             verdict records and on the result files (final_rate, N(t) moved by +1e-4)
#   slowdown  a run twice as costly (the record's CPU doubled): compare --fail-on-slowdown 1.5 exits
#             1 naming the pair's cpu, without the flag 0; a baseline whose CPU figure is half the
#             run's (the run is 2x slower in calibration units) FAILs; a baseline of the old format
#             (no hash, transient, CPU) passes with those parts n.a.
#   edit      the case edited (a0 = 1.0001) and verified again: compare names a case edit, exits 0,
#             and the baseline says "case edited since the baseline"; bad input exits 2
# Prints what it checks; exits 1 at the first thing wrong. Works in a private temporary folder.
set -u
B=$(realpath "$1")
part=$2
SRC=$(pwd)
W=$(mktemp -d /tmp/nlif_compare_XXXXXX)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 1
die() { echo "compare ($part): $*"; exit 1; }
mkdir -p R/ci/baselines && cp -r "$SRC/cases" R/cases && ln -s "$SRC/reference" R/reference
export NLIF_ROOT="$W/R"
V="--quick -j 1 --cases relax_driven --schemes spap --fresh 0"
# OLD: a verify that also records the baselines (its baseline cell: "rewritten")
"$B" verify $V --update-baselines --why test --out A >A.log 2>&1 || { cat A.log; die "verify"; }
edit() { python3 - "$@" || die "edit $*"; }
cell() { # verdict and reason of CHECK in record $1
    python3 -c "
import json
for c in json.load(open('$1'))['cells']:
    if c['check'] == '$2': print(c['verdict'], c['reason'])"
}

case "$part" in
figure)
    cp -r A N
    edit N/runs/relax_driven.spap.series.csv N/runs/relax_driven.spap.json <<'PY'
import json, sys
se, js = sys.argv[1:3]
out = []
for l in open(se):
    f = l.rstrip("\n").split(",")
    if len(f) == 5 and not l.startswith("#") and f[0] != "t":
        f[1] = repr(float(f[1]) * (1 + 1e-4))
    out.append(",".join(f))
open(se, "w").write("\n".join(out) + "\n")
s = json.load(open(js)); s["final_rate"] *= 1 + 1e-4; json.dump(s, open(js, "w"))
PY
    "$B" judge N --verdicts N/verdicts.json >N.log 2>&1
    b=$(cell N/verdicts.json baseline); echo "baseline: $b" | cut -c1-200
    case "$b" in "FAIL "*"final_rate moved"*"N(t = "*) ;; *) die "a 1e-4 change of N passes the baseline" ;; esac
    "$B" compare A N --junit C.xml --markdown C.md >C.log 2>&1; rc=$?
    cat C.log | cut -c1-160
    [ $rc = 1 ] || die "compare of the verdict records: exit $rc, want 1"
    grep -q "^REGRESSION .* spap .* baseline .*pass -> FAIL" C.log || die "the baseline's flip is not a regression"
    grep -q 'failure type="regression"' C.xml && grep -q '^## REGRESSION' C.md || die "JUnit / Markdown lack the regression"
    "$B" compare A/runs N/runs >R.log 2>&1; rc=$?
    [ $rc = 1 ] || die "compare of the result files: exit $rc, want 1"
    grep -q "^REGRESSION .* final_rate .*relative +0.0001" R.log || { cat R.log; die "final_rate's 1e-4 not reported"; }
    grep -q "^REGRESSION .* N(t=8) .*relative +0.0001" R.log || die "N(t=8)'s 1e-4 not reported"
    "$B" compare A A >S.log 2>&1 || { cat S.log; die "a record against itself: exit $?"; }
    echo "1e-4 in N: caught (baseline FAIL, compare exit 1 on records and on result files)"
    ;;
slowdown)
    cp -r A N
    edit A/verdicts.json N/verdicts.json <<'PY'
import json, sys
for p, f in zip(sys.argv[1:3], (1.0, 2.0)):
    d = json.load(open(p))
    for r in d["cpu"]:
        r["cpu_seconds"], r["calibration_seconds"] = 0.5 * f, 0.004
    json.dump(d, open(p, "w"))
PY
    "$B" compare A N --fail-on-slowdown 1.5 >C.log 2>&1; rc=$?
    cat C.log | cut -c1-160
    [ $rc = 1 ] && grep -q "^REGRESSION .* relax_driven .* spap .* cpu .*2 x in calibration units" C.log ||
        die "a 2x slowdown passes --fail-on-slowdown 1.5 (exit $rc)"
    "$B" compare A N >C2.log 2>&1 || die "without --fail-on-slowdown a slowdown fails (exit $?)"
    "$B" compare A N --fail-on-slowdown 2.5 >C3.log 2>&1 || die "2x fails --fail-on-slowdown 2.5 (exit $?)"
    edit R/ci/baselines/relax_driven.spap.json <<'PY'
import json, sys
p = sys.argv[1]; b = json.load(open(p))
run = json.load(open("A/runs/relax_driven.spap.json"))
b["cpu"].update(cpu_seconds=0.5, ratio=run["cpu_seconds"] / run["calibration_seconds"] / 2.2)
json.dump(b, open(p, "w"))
PY
    "$B" judge A --verdicts J.json >J.log 2>&1
    b=$(cell J.json baseline); echo "baseline: $b" | cut -c1-200
    case "$b" in "FAIL "*"CPU 2.2 x the baseline's in calibration units (threshold 2 x)"*) ;; *) die "a 2.2x slower run passes the baseline" ;; esac
    # a baseline written before the hash, the transient and the CPU: those parts n.a., not a failure
    edit R/ci/baselines/relax_driven.spap.json <<'PY'
import json, sys
p = sys.argv[1]; b = json.load(open(p))
for k in ("case_hash", "transient", "cpu"):
    del b[k]
json.dump(b, open(p, "w"))
PY
    "$B" judge A --verdicts O.json >O.log 2>&1
    b=$(cell O.json baseline); echo "old baseline: $b" | cut -c1-200
    case "$b" in "pass case hash n.a. (the baseline predates it); figures unchanged; transient n.a."*"CPU n.a."*) ;;
    *) die "an old baseline is not read as before" ;; esac
    echo "2x slowdown: caught (compare exit 1 with --fail-on-slowdown 1.5; baseline FAIL at 2.2x)"
    ;;
edit)
    sed -i 's/^b = 0$/b = 0\na0 = 1.0001/' R/cases/relax_driven.ini
    grep -q "^a0 = 1.0001" R/cases/relax_driven.ini || die "editing the case"
    "$B" verify $V --out N >N.log 2>&1
    b=$(cell N/verdicts.json baseline); echo "baseline: $b" | cut -c1-200
    case "$b" in *"case edited since the baseline (case hash fnv1a64:"*) ;; *) die "the baseline does not name the case edit" ;; esac
    "$B" compare A N --junit C.xml >C.log 2>&1; rc=$?
    cat C.log | cut -c1-160
    [ $rc = 0 ] || die "a case edit is a regression (exit $rc)"
    grep -q "^case edits: relax_driven " C.log && grep -q "^case edit .* relax_driven .* spap .* stationary_rate" C.log ||
        die "the case edit is not named"
    grep -q "^REGRESSION" C.log && die "a case edit reported as a regression"
    grep -q "case edited (its hash differs), not a solver regression" C.xml || die "JUnit does not name the case edit"
    "$B" compare A/runs N/runs >R.log 2>&1; rc=$?
    [ $rc = 0 ] && grep -q "^case edits: relax_driven " R.log || { cat R.log; die "result files: the case edit not named (exit $rc)"; }
    "$B" compare A nowhere >E.log 2>&1; rc=$?
    [ $rc = 2 ] || die "a missing NEW: exit $rc, want 2"
    "$B" compare A A/runs >E.log 2>&1; rc=$?
    [ $rc = 2 ] && grep -q "compare two verdict records or two sets of result files" E.log || die "mixed kinds: exit $rc, want 2"
    echo "case edit: named as one (exit 0); bad input: exit 2"
    ;;
*) die "unknown part" ;;
esac
echo "compare ($part): ok"
