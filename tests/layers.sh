#!/bin/sh
# layers.sh — the layers of nlif as README.md draws them, checked on every #include "…":
#
#   0 core       solvers/core/              (problem, resolution, initial projection, result format)
#   1 exact      reference/ exact references and initial laws (stationary, jump, ou, bordered, density)
#   2 schemes    solvers/<scheme>/, the Monte Carlo reference and cvode (reference/particles,
#                montecarlo, cvode_ref and its linear solver bordered)
#   3 harness    harness/ (cases, runs, checks, verify, converge)
#   4 reports    reports/
#   5 program    the command line: harness/cli*.c, harness/cmd_*.c, harness/main.c, harness/nlif_cli.h,
#                harness/verify.c (the verify command: it plans, runs and prints what harness/checks/ judge),
#                reference/montecarlo_mpi.c (bin/nlif-mpi's main and its MPI communicator)
#
# A file may include its own layer or a lower one, never a higher one (no arrow running back up),
# and no two files include each other. Prints every violation; exits 1 if there is one.
# Usage: sh tests/layers.sh [SOURCE_ROOT]
set -u
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2

layer_of() {
    case "$1" in
    solvers/core/*) echo 0 ;;
    reference/montecarlo_mpi.c) echo 5 ;;
    reference/particles.* | reference/montecarlo.* | reference/cvode_ref.c | reference/bordered.c | reference/nlif_cvode.h) echo 2 ;;
    reference/*) echo 1 ;;
    solvers/*) echo 2 ;;
    harness/cli*.c | harness/cmd_*.c | harness/main.c | harness/nlif_cli.h | harness/verify.c) echo 5 ;;
    harness/*) echo 3 ;;
    reports/*) echo 4 ;;
    *) echo - ;;
    esac
}

edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
status=0
for f in $(find solvers reference harness reports -name '*.[ch]' | sort); do
    dir=$(dirname "$f")
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
        target=$(realpath -m --relative-to=. "$dir/$inc")
        [ -f "$target" ] || { echo "layers: $f includes $inc, which is not a file of the tree"; status=1; continue; }
        echo "$f $target" >> "$edges"
        lf=$(layer_of "$f")
        lt=$(layer_of "$target")
        if [ "$lf" = - ] || [ "$lt" = - ]; then
            echo "layers: $f -> $target: a file outside every layer"
            status=1
        elif [ "$lt" -gt "$lf" ]; then
            echo "layers: $f (layer $lf) includes $target (layer $lt): an arrow running back up"
            status=1
        fi
    done
done
# Two files that include each other.
mutual=$(awk '{ e[$1 " " $2] = 1 } END { for (k in e) { split(k, p, " "); if ((p[2] " " p[1]) in e && p[1] < p[2]) print p[1] " <-> " p[2] } }' "$edges")
if [ -n "$mutual" ]; then
    echo "$mutual" | sed 's/^/layers: files that include each other: /'
    status=1
fi
n=$(wc -l < "$edges")
if [ $status -eq 0 ]; then
    echo "layers: $n includes, none running back up, no two files including each other"
fi
exit $status
