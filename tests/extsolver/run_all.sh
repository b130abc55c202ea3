#!/bin/sh
# run_all.sh — the correct external solver extfv and each of its defects (the external mutants,
# README.md here) through `nlif verify --quick`, one verify per solver, and a table of what each FAILs.
# The correct solver must FAIL nothing (exit 1 if it does); a defect that FAILs nothing is reported
# as NOT CAUGHT (the judge's miss, not this script's failure).
# Usage: sh tests/extsolver/run_all.sh OUTDIR [DEFECT...]
#   OUTDIR/NAME/ holds each verify's folder, OUTDIR/NAME.log its output, OUTDIR/SUMMARY.md the table.
#   Without DEFECT every m_*.ini here; CASES (comma list) overrides the calm cases; NLIF the program.
#   BLOWUP_CASES (default single_mfe) are added for extfv and for the defects that act on a blow-up
#   (stale_blowup): the calm cases have none.
# Needs bin/nlif and build/tests/extfv (make && make extfv).
set -u
out=${1:?usage: run_all.sh OUTDIR [DEFECT...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
NLIF=${NLIF:-$root/bin/nlif}
CASES=${CASES:-relax_linear,relax_driven,relax_excitatory,relax_inhibitory,smooth_short,noisy_rate,sine_calm}
BLOWUP_CASES=${BLOWUP_CASES:-single_mfe}
for f in "$NLIF" "$root/build/tests/extfv"; do
    [ -x "$f" ] || { echo "run_all.sh: $f missing (make && make extfv)" >&2; exit 2; }
done
mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd)
if [ $# -eq 0 ]; then
    set -- $(cd "$here" && ls m_*.ini | sed 's/^m_//; s/\.ini$//')
fi
cd "$root" || exit 2

# one verify: manifest, scheme list, name, cases
run() {
    printf '%-22s ' "$3"
    start=$(date +%s)
    nice "$NLIF" verify --quick --solver "$1" --schemes "$2" --cases "$4" -j 1 --out "$out/$3" \
        >"$out/$3.log" 2>&1
    echo "exit $?, $(($(date +%s) - start)) s"
}

run tests/extsolver/extfv.ini spap,extfv extfv "$CASES,$BLOWUP_CASES"
for d in "$@"; do
    [ -f "$here/m_$d.ini" ] || { echo "run_all.sh: no manifest $here/m_$d.ini" >&2; exit 2; }
    cases=$CASES
    [ "$d" = stale_blowup ] && cases="$CASES,$BLOWUP_CASES"
    run "tests/extsolver/m_$d.ini" "x_$d" "x_$d" "$cases"
done

# The table: per solver, its pass / FAIL / n.a. counts and every FAIL cell.
python3 - "$out" extfv $(for d in "$@"; do echo "x_$d"; done) <<'EOF'
import json, sys
out, names = sys.argv[1], sys.argv[2:]
lines, bad = ["| solver | pass | FAIL | n.a. | FAIL cells (case / check: measured, reason) |", "|---|---|---|---|---|"], 0
for name in names:
    try:
        cells = [c for c in json.load(open(f"{out}/{name}/verdicts.json"))["cells"] if c["scheme"] == name]
    except (OSError, ValueError, KeyError) as e:
        lines.append(f"| {name} | | | | no verdicts: {e} |")
        bad += name == "extfv"
        continue
    count = {v: sum(c["verdict"] == v for c in cells) for v in ("pass", "FAIL", "n.a.")}
    fails = ["%s / %s: %s, %s" % (c["case"], c["check"], c.get("measured"), (c.get("reason") or "")[:90].replace("|", "/"))
             for c in cells if c["verdict"] == "FAIL"]
    if name == "extfv":
        bad += count["FAIL"] > 0
    caught = "" if name == "extfv" else (" **caught**" if fails else " **NOT CAUGHT**")
    lines.append("| %s%s | %d | %d | %d | %s |" % (name, caught, count["pass"], count["FAIL"], count["n.a."],
                                                 "<br>".join(fails) or "none"))
text = "\n".join(lines) + "\n"
open(f"{out}/SUMMARY.md", "w").write(text)
print(text, end="")
sys.exit(1 if bad else 0)
EOF
