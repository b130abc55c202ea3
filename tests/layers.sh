#!/bin/sh
# layers.sh — the house of nlif (README "The layout"): the folders are the layers, lowest first,
#
#    0 core/            the model, the problem, the scheme type, options, errors, the grid, landing
#    1 exact/           exact references, initial laws and their projection onto a grid
#    2 io/              the result format, provenance and atomic files, identities, records
#    3 solvers/SCHEME/  one room per scheme, side by side (no scheme uses another)
#    4 reference/       the particle kernel, Monte Carlo, CVODE and its bordered solve
#    5 harness/host/    where schemes come from: registry, variants, plugins, external solvers
#    6 harness/case/    case files: parse, keys, limits
#    7 harness/runs/    run, converge, child jobs, resume
#    8 harness/judge/   what the checks call: cells, the data they read, measures
#    9 harness/checks/  the checks, one type object per file, and their registry
#   10 harness/verify/  select, plan and orchestrate a verification; known failures, JUnit
#   11 reports/         the report from result files
#   12 cli/             bin/nlif and bin/nlif-mpi: main, one file per command
#
# and a room may use only its own folder or a lower one. Checked on two graphs:
#   - includes: every #include "…" of every .c and .h file;
#   - links: for every object of the build, each symbol it needs (nm -u) and the object that defines
#     it (nm --defined-only), so that a function declared in a lower header but defined higher up is
#     seen for the upward call it is.
# On each: no edge from a room to a higher one or to another room of its own layer (sideways), no
# cycle among rooms, and no two files that include each other. One sideways edge is declared
# (ALLOWED below): the multiscale scheme runs its particle phase with the particle kernel of
# reference/ (MATHEMATICS.md §4), the kernel the Monte Carlo reference uses.
# Prints both room graphs; exits 1 on any violation, 2 when the build's objects are missing.
# Usage: sh tests/layers.sh [SOURCE_ROOT [BUILD_DIR]]   (BUILD_DIR default: SOURCE_ROOT/build)
set -u
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
build=${2:-build}
ALLOWED="solvers/multiscale>reference"

room_of() {
    case "$1" in
    core/*) echo "0 core" ;;
    exact/*) echo "1 exact" ;;
    io/*) echo "2 io" ;;
    solvers/*/*) r=${1#solvers/}; echo "3 solvers/${r%%/*}" ;;
    reference/*) echo "4 reference" ;;
    harness/host/*) echo "5 harness/host" ;;
    harness/case/*) echo "6 harness/case" ;;
    harness/runs/*) echo "7 harness/runs" ;;
    harness/judge/*) echo "8 harness/judge" ;;
    harness/checks/*) echo "9 harness/checks" ;;
    harness/verify/*) echo "10 harness/verify" ;;
    reports/*) echo "11 reports" ;;
    cli/*) echo "12 cli" ;;
    *) echo "- -" ;;
    esac
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
files=$(find core exact io solvers reference harness reports cli -name '*.[ch]' | sort)

# Every file's room, once: "FILE LAYER ROOM".
for f in $files; do echo "$f $(room_of "$f")"; done > "$tmp/rooms"
if grep -q ' - -$' "$tmp/rooms"; then
    grep ' - -$' "$tmp/rooms" | sed 's/ - -$//;s/^/layers: a file outside every room: /'
    status=1
fi

# The include graph: "FROM TO" per include.
for f in $files; do
    dir=$(dirname "$f")
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
        target=$(realpath -m --relative-to=. "$dir/$inc")
        if [ -f "$target" ]; then
            echo "$f $target"
        else
            echo "layers: $f includes $inc, which is not a file of the tree" >&2
            echo BAD
        fi
    done
done > "$tmp/inc"
grep -q '^BAD$' "$tmp/inc" && status=1
grep -v '^BAD$' "$tmp/inc" > "$tmp/inc.ok"

# The link graph: "FROM TO SYMBOL" per symbol an object needs and another defines.
objs=$(for f in $files; do case $f in *.c) o="$build/${f%.c}.o"; [ -f "$o" ] && echo "$o" ;; esac; done)
nobj=$(echo "$objs" | grep -c . || true)
nsrc=$(echo "$files" | grep -c '\.c$')
# cli/main_mpi.c is built only where there is an MPI compiler: its object may be missing.
if [ "$nobj" -lt $((nsrc - 1)) ]; then
    echo "layers: $nobj objects under $build/ for $nsrc .c files: build first (make)" >&2
    exit 2
fi
for o in $objs; do
    s=${o#"$build"/}; s=${s%.o}.c
    nm --defined-only -g "$o" | awk -v f="$s" 'NF == 3 { print $3, f }'
done | sort -k1,1 > "$tmp/defs"
for o in $objs; do
    s=${o#"$build"/}; s=${s%.o}.c
    nm -u "$o" | awk -v f="$s" '{ print $2, f }'
done | sort -k1,1 > "$tmp/uses"
join "$tmp/uses" "$tmp/defs" | awk '$2 != $3 { print $2, $3, $1 }' > "$tmp/link"

# judge KIND EDGES: the room graph of one file graph, its violations and its cycles.
judge() {
    kind=$1
    awk -v kind="$kind" -v allowed="$ALLOWED" '
        FNR == NR { layer[$1] = $2; room[$1] = $3; next }
        {
            a = room[$1]; b = room[$2]
            if (a == "" || b == "") next
            if (a != b) { n[a SUBSEP b]++; if (!((a, b) in ex)) ex[a, b] = $1 " -> " $2 ($3 != "" ? " (" $3 ")" : "") }
            if (kind == "include") { fe[$1 SUBSEP $2] = 1 }
        }
        END {
            split(allowed, al, " ")
            for (i in al) { split(al[i], p, ">"); ok[p[1], p[2]] = 1 }
            for (f in layer) { lr[room[f]] = layer[f] }
            bad = 0; ne = 0
            printf "layers: the %s graph of the rooms (an arrow: uses)\n", kind
            for (k in n) {
                split(k, p, SUBSEP); a = p[1]; b = p[2]; ne++
                mark = ""
                if (lr[b] > lr[a]) mark = (ok[a, b] ? "  [declared]" : "  UPWARD")
                else if (lr[b] == lr[a]) mark = (ok[a, b] ? "  [declared]" : "  SIDEWAYS")
                line[ne] = sprintf("  %-18s -> %-18s %4d%s", a, b, n[k], mark)
                if (mark == "  UPWARD" || mark == "  SIDEWAYS") {
                    bad++; why[bad] = sprintf("layers: %s edge %s -> %s, e.g. %s", kind, a, b, ex[a, b])
                }
                adj[a, b] = 1; rooms[a] = 1; rooms[b] = 1
            }
            # the lines sorted by room layer, then name (insertion sort: a few dozen lines)
            for (i = 2; i <= ne; i++) { v = line[i]; j = i - 1; while (j > 0 && line[j] > v) { line[j + 1] = line[j]; j-- } line[j + 1] = v }
            for (i = 1; i <= ne; i++) print line[i]
            for (i = 1; i <= bad; i++) print why[i]
            # cycles among rooms: the transitive closure (Floyd–Warshall on a dozen rooms)
            for (k in rooms) for (i in rooms) if ((i, k) in adj) for (j in rooms) if ((k, j) in adj) adj[i, j] = 1
            nc = 0
            for (i in rooms) if ((i, i) in adj) { nc++; print "layers: " kind " cycle through room " i }
            if (kind == "include") for (k in fe) { split(k, p, SUBSEP); if ((p[2] SUBSEP p[1]) in fe && p[1] < p[2]) { nc++; print "layers: files that include each other: " p[1] " <-> " p[2] } }
            printf "layers: %s graph: %d room edges, %d upward or sideways, %d cycles\n", kind, ne, bad, nc
            exit (bad + nc > 0)
        }' "$tmp/rooms.tab" "$2"
}
awk '{ print $1, $2, $3 }' "$tmp/rooms" > "$tmp/rooms.tab"
judge include "$tmp/inc.ok" || status=1
judge link "$tmp/link" || status=1
echo "layers: $(wc -l < "$tmp/inc.ok") includes, $(wc -l < "$tmp/link") link edges between files; $( [ $status -eq 0 ] && echo ok || echo FAILED)"
exit $status
