#!/bin/sh
# Check the Debian packages the build needs; as root, install the missing ones, otherwise print the
# exact command and stop. Called by every make target that builds.
# OPTIONAL: Open MPI, for bin/nlif-mpi; installed as root like the others, otherwise only noted (the
# build then skips the MPI program and its tests).
set -u
PKGS="gcc make libc6-dev pkg-config libgsl-dev libsundials-dev libcunit1-dev libinih-dev libjansson-dev librandom123-dev gnuplot-nox git"
OPTIONAL="openmpi-bin libopenmpi-dev"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
opt_missing=""
for p in $OPTIONAL; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || opt_missing="$opt_missing $p"
done
if [ "$(id -u)" = 0 ]; then
    missing="$missing$opt_missing"
elif [ -n "$opt_missing" ]; then
    echo "nlif deps: optional packages missing:$opt_missing (the MPI program bin/nlif-mpi is skipped)" >&2
fi
[ -z "$missing" ] && exit 0
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
