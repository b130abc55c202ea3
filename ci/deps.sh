#!/bin/sh
# Check the Debian packages the build needs; as root, install the missing ones, otherwise print the
# exact command and stop. Called by every make target that builds.
set -u
PKGS="gcc make libc6-dev pkg-config libgsl-dev libsundials-dev libcunit1-dev libinih-dev libjansson-dev librandom123-dev gnuplot-nox git python3-numpy python3-scipy"
# python3-numpy and python3-scipy: the example external solver examples/python/solver.py (run by
# tests/docs.sh through the commands of SOLVERS.md and its README).
# Optional: clang and its libFuzzer runtime for `make fuzz` (ci/fuzz.sh skips fuzzing without them);
# Open MPI for bin/nlif-mpi (the build skips the MPI program and its tests without it); bubblewrap, the
# sandbox of external solvers (SOLVERS.md, "The limits": without it nlif makes namespaces itself where
# it may, else runs solvers unsandboxed, and says so on each solver's isolation line; tests/test_ext.c
# skips the sandbox levels the machine does not have, saying so).
OPTIONAL="clang libclang-rt-14-dev openmpi-bin libopenmpi-dev bubblewrap"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
optional=""
for p in $OPTIONAL; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || optional="$optional $p"
done
[ -z "$missing" ] && [ -z "$optional" ] && exit 0
if [ -z "$missing" ] && [ "$(id -u)" != 0 ]; then
    echo "nlif deps: optional packages missing:$optional (make fuzz, the MPI program and the solver sandbox say they are skipped)" >&2
    exit 0
fi
missing="$missing$optional"
if [ "$(id -u)" = 0 ]; then
    echo "nlif deps: installing:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || { echo "nlif deps: apt-get update failed" >&2; exit 1; }
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >&2 || { echo "nlif deps: apt-get install failed" >&2; exit 1; }
    exit 0
fi
echo "nlif deps: missing Debian packages:$missing" >&2
echo "run as root:  apt-get update && apt-get install -y$missing" >&2
exit 1
