#!/bin/sh
# trust.sh — the judge believes nothing a run says about itself (run by tests/test_trust.c).
# Usage: sh tests/trust.sh NLIF PART, PART one of
#   summary  a summary edited after the run (final_rate set to the exact rate, mass_drift and
#            min_density to 0): judge FAILs it "inconsistent result" and judges the rate it recomputes
#            from the series, the same figure as for the untouched set
#   leak     a run whose snapshots lose 0.5% of the mass while its mass column stays 1: mass FAILs on
#            the snapshots' own sum and the set is inconsistent
#   clipped  a state with a negative value, written honestly (positivity FAILs, the set is consistent),
#            then written clipped to 0 in the snapshot, the series and the summary (the mass column
#            unchanged): the clipped set FAILs as inconsistent (its snapshot no longer sums to its mass)
#   check    nlif check says "inconsistent" (exit 1) for the edited summary and "ok" for the untouched set
# Prints what it checks; exits 1 at the first thing wrong. Works in a private temporary folder.
set -u
B=$(realpath "$1")
part=$2
SRC=$(pwd)
CHECK="python3 $SRC/tests/verdict_check.py"
W=$(mktemp -d /tmp/nlif_trust_XXXXXX)
trap 'rm -rf "$W"' EXIT
export NLIF_ROOT="$SRC"
cd "$W" || exit 1
die() { echo "trust ($part): $*"; exit 1; }

# one honest run of relax_driven (stationary, exact rate 0.764787) by spap into $1
honest() {
    mkdir -p "$1"
    "$B" run "$SRC/cases/relax_driven.ini" --scheme spap --out "$1" >run.log 2>&1 || { cat run.log; die "run"; }
}
# verdict of CHECK in the judge of folder $1 (written to $1.json)
judged() {
    "$B" judge "$1" --verdicts "$1.json" >"$1.log" 2>&1
    python3 -c "
import json,sys
for c in json.load(open('$1.json'))['cells']:
    if c['check'] == '$2': print(c['verdict'], c['measured'], c['reason'] or '')" 
}
edit() { python3 - "$@" || die "edit $*"; }

case "$part" in
summary)
    honest A; cp -r A E
    edit E/relax_driven.spap.json <<'PY'
import json, sys
p = sys.argv[1]; s = json.load(open(p))
s["final_rate"] = 0.764787; s["mass_drift"] = 0.0; s["min_density"] = 0.0
json.dump(s, open(p, "w"))
PY
    a=$(judged A stationary_rate); e=$(judged E stationary_rate)
    echo "untouched: stationary_rate $a"; echo "edited:    stationary_rate $e"
    [ "$(echo "$a" | cut -d' ' -f1-2)" = "$(echo "$e" | cut -d' ' -f1-2)" ] || die "the edited summary's rate was judged"
    c=$(judged E consistent); echo "edited:    consistent $c"
    case "$c" in "FAIL "*"inconsistent result: the summary's final_rate 0.764787 is outside"*) ;; *) die "edited summary not caught" ;; esac
    case "$(judged A consistent)" in "pass "*) ;; *) die "the untouched set is not consistent" ;; esac
    ;;
leak)
    honest A
    edit A/relax_driven.spap.snapshots.csv <<'PY'
import sys
p = sys.argv[1]; out = []
for l in open(p):
    f = l.rstrip("\n").split(",")
    if len(f) == 4 and f[0] == "v":
        f[3] = repr(float(f[3]) * 0.995)
    out.append(",".join(f))
open(p, "w").write("\n".join(out) + "\n")
PY
    m=$(judged A mass); c=$(judged A consistent)
    echo "leak: mass $m"; echo "leak: consistent $c"
    case "$m" in "FAIL 0.00"[45]*) ;; *) die "a 0.5% leak behind a constant mass column passes mass" ;; esac
    case "$c" in "FAIL "*"the mass column says 1 at t = "*) ;; *) die "the leak's mass column not found inconsistent" ;; esac
    ;;
clipped)
    honest H
    # node j near V_F with p_j ~ 1e-2: honest state p_j -> -p_j, p_{j-1} -> p_{j-1} + 2 p_j (mass kept)
    edit H/relax_driven.spap.snapshots.csv H/relax_driven.spap.series.csv H/relax_driven.spap.json <<'PY'
import json, sys
sp, se, js = sys.argv[1:4]
rows = [l.rstrip("\n").split(",") for l in open(sp)]
tl = max(float(r[1]) for r in rows if len(r) == 4 and r[0] == "v")
idx = [i for i, r in enumerate(rows) if len(r) == 4 and r[0] == "v" and float(r[1]) == tl]
j = next(i for i in reversed(idx) if 5e-3 < float(rows[i][3]) < 5e-2)
pj = float(rows[j][3])
rows[j][3] = repr(-pj); rows[j - 1][3] = repr(float(rows[j - 1][3]) + 2 * pj)
open(sp, "w").write("\n".join(",".join(r) for r in rows) + "\n")
srows = [l.rstrip("\n").split(",") for l in open(se)]
for r in srows:
    if len(r) == 5 and r[0] != "t" and not r[0].startswith("#") and float(r[0]) == tl:
        r[4] = repr(-pj)
open(se, "w").write("\n".join(",".join(r) for r in srows) + "\n")
s = json.load(open(js)); s["min_density"] = -pj; json.dump(s, open(js, "w"))
open("pj", "w").write(repr(pj) + " " + repr(j) + "\n")
PY
    cp -r H C
    p=$(judged H positivity); c=$(judged H consistent)
    echo "honest negative: positivity $p"; echo "honest negative: consistent $c"
    case "$p" in "FAIL -"*) ;; *) die "an honest negative value passes positivity" ;; esac
    case "$c" in "pass "*) ;; *) die "the honest negative set is found inconsistent" ;; esac
    edit C/relax_driven.spap.snapshots.csv C/relax_driven.spap.series.csv C/relax_driven.spap.json <<'PY'
import json, sys
sp, se, js = sys.argv[1:4]
rows = [l.rstrip("\n").split(",") for l in open(sp)]
rows = [r[:3] + ["0"] if len(r) == 4 and r[0] in "vw" and r[0] != "" and not r[0].startswith("#") and r[0] != "kind" and float(r[3]) < 0 else r for r in rows]
open(sp, "w").write("\n".join(",".join(r) for r in rows) + "\n")
srows = [l.rstrip("\n").split(",") for l in open(se)]
for r in srows:
    if len(r) == 5 and r[0] != "t" and not r[0].startswith("#") and float(r[4]) < 0:
        r[4] = "0"
open(se, "w").write("\n".join(",".join(r) for r in srows) + "\n")
s = json.load(open(js)); s["min_density"] = 0.0; json.dump(s, open(js, "w"))
PY
    p=$(judged C positivity); c=$(judged C consistent); m=$(judged C mass)
    echo "clipped: positivity $p"; echo "clipped: consistent $c"; echo "clipped: mass $m"
    case "$c" in "FAIL "*"the mass column says"*) ;; *) die "a clipped snapshot is not found inconsistent" ;; esac
    case "$m" in "FAIL "*) ;; *) die "a clipped snapshot passes mass" ;; esac
    ;;
check)
    honest A; cp -r A E
    edit E/relax_driven.spap.json <<'PY'
import json, sys
p = sys.argv[1]; s = json.load(open(p)); s["final_rate"] = 0.764787; json.dump(s, open(p, "w"))
PY
    "$B" check A/relax_driven.spap.json >a.log 2>&1; ra=$?
    "$B" check E/relax_driven.spap.json >e.log 2>&1; re=$?
    cat a.log e.log
    [ $ra = 0 ] && grep -q ': ok' a.log || die "nlif check of the untouched set: exit $ra"
    [ $re = 1 ] && grep -q 'inconsistent' e.log || die "nlif check of the edited summary: exit $re, want 1 and 'inconsistent'"
    ;;
*) die "unknown part" ;;
esac
echo "trust ($part): ok"
