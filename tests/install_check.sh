#!/bin/sh
# install_check.sh — make install into a temporary prefix, then what a user of it does (make check
# runs it; make install-check alone):
#   1. every installed header compiles alone with only -I PREFIX/include, and includes no file
#      outside PREFIX/include/nlif/;
#   2. every function those headers declare is exported by bin/nlif (a plugin may call any of them);
#   3. a program links against libnlif.so and libnlif.a through `pkg-config --cflags --libs nlif`,
#      and needs the shared library by its soname (libnlif.so.SOVERSION, a link to the installed
#      libnlif.so.VERSION);
#   4. the example plugin, copied out of the tree, builds with PKG_CONFIG_PATH=PREFIX/lib/pkgconfig;
#      bin/nlif refuses a plugin built for ABI 999 with exit 2 and the reason, and
#      `nlif verify --quick` judges the example on the calm cases: every check must pass.
# Usage: sh tests/install_check.sh (from the source root; $NLIF is bin/nlif, $MAKE make)
set -u
NLIF=$(readlink -f "${NLIF:-bin/nlif}")
MAKE=${MAKE:-make}
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install-check: FAIL: $*"; exit 1; }
start=$(date +%s)

$MAKE -s --no-print-directory install PREFIX="$tmp/prefix" > "$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "make install"; }
inc=$tmp/prefix/include/nlif
CC=${CC:-cc}

# 1. each header alone; its own includes (-MM: not the system's) all in include/nlif/
n=0
for h in "$inc"/*.h; do
    $CC -std=c11 -Wall -Wextra -Werror -fsyntax-only -I"$tmp/prefix/include" "$h" 2> "$tmp/cc.log" || { cat "$tmp/cc.log"; fail "$(basename "$h") does not compile alone"; }
    for dep in $($CC -std=c11 -MM -I"$tmp/prefix/include" "$h" | sed 's/^[^:]*://; s/\\$//'); do
        case $(readlink -f "$dep") in
        "$(readlink -f "$inc")"/*) ;;
        *) fail "$(basename "$h") includes $dep, outside include/nlif/" ;;
        esac
    done
    n=$((n + 1))
done
echo "install-check: $n headers compile alone and include nothing outside include/nlif/"

# 2. the functions of the headers (not static inline) are in bin/nlif's dynamic symbol table
missing=""
for f in $(grep -ho '\bnlif_[a-z0-9_]*(' "$inc"/*.h | tr -d '(' | sort -u); do
    grep -q "static inline [^(]*\b$f(" "$inc"/*.h && continue
    nm -D --defined-only "$NLIF" | grep -q " $f\$" || missing="$missing $f"
done
[ -z "$missing" ] || fail "bin/nlif does not export:$missing"
echo "install-check: bin/nlif exports every function the installed headers declare"

# 3. the library through pkg-config, shared and static
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
cat > "$tmp/prog.c" <<'C'
#include <nlif/nlif_trajectory.h>
#include <stdio.h>
int main(void)
{
    nlif_trajectory tr;
    nlif_traj_init(&tr);
    nlif_traj_record(&tr, 0.0, 0.5, 0.0, 1.0, 0.0);
    printf("%zu %s\n", tr.n, nlif_status_name(tr.status));
    nlif_traj_free(&tr);
    return 0;
}
C
# shellcheck disable=SC2046
$CC -std=c11 -o "$tmp/prog" "$tmp/prog.c" $(pkg-config --cflags --libs nlif) || fail "a program does not link libnlif.so"
[ "$(LD_LIBRARY_PATH="$tmp/prefix/lib" "$tmp/prog")" = "1 ok" ] || fail "the program linked to libnlif.so does not run"
# the program needs the library by its soname (libnlif.so.SOVERSION), the link the install made
sov=$(sed -n 's/^SOVERSION = //p' "$root/Makefile")
needed=$(readelf -d "$tmp/prog" | sed -n 's/.*(NEEDED).*\[\(libnlif[^]]*\)\].*/\1/p')
[ -n "$sov" ] && [ "$needed" = "libnlif.so.$sov" ] || fail "the program needs '$needed', not the soname libnlif.so.$sov"
[ -L "$tmp/prefix/lib/libnlif.so.$sov" ] && [ -L "$tmp/prefix/lib/libnlif.so" ] \
    || fail "lib/libnlif.so.$sov and lib/libnlif.so are not the links to the versioned library"
# shellcheck disable=SC2046
$CC -std=c11 -o "$tmp/prog_static" "$tmp/prog.c" "$tmp/prefix/lib/libnlif.a" $(pkg-config --cflags --static --libs-only-other --libs-only-l nlif | sed 's/-lnlif//') \
    || fail "a program does not link libnlif.a"
[ "$("$tmp/prog_static")" = "1 ok" ] || fail "the program linked to libnlif.a does not run"
echo "install-check: a program links libnlif.so (soname libnlif.so.$sov) and libnlif.a with pkg-config --cflags --libs nlif"

# 4. the example, out of the tree
cp -r "$root/examples/plugin" "$tmp/example"
$MAKE -s --no-print-directory -C "$tmp/example" > "$tmp/example.log" 2>&1 || { cat "$tmp/example.log"; fail "the example plugin does not build"; }
$CC -std=c11 -Wall -Wextra -Werror -fPIC -fvisibility=hidden -shared $(pkg-config --cflags nlif) -DABI=999 \
    -o "$tmp/abi999.so" "$root/tests/plugin_bad.c" || fail "the ABI-999 plugin does not build"
"$NLIF" list --plugin "$tmp/abi999.so" > "$tmp/abi.log" 2>&1
rc=$?
[ $rc -eq 2 ] || fail "the ABI-999 plugin: exit $rc, not 2"
grep -q "abi999.so was built for nlif plugin ABI 999, this nlif speaks ABI 6: rebuild it against this nlif's headers" "$tmp/abi.log" \
    || { cat "$tmp/abi.log"; fail "the ABI-999 plugin: no such message"; }
echo "install-check: $(cat "$tmp/abi.log")"

mkdir "$tmp/run"
cd "$tmp/run" || fail "no run folder"
rc=0
for pattern in 'relax_*' smooth_short sine_calm; do
    NLIF_ROOT=$root "$NLIF" verify --quick -j 2 --cases "$pattern" --schemes sg_implicit \
        --plugin "$tmp/example/sg_implicit.so" > "verify.$pattern.log" 2>&1 || rc=$?
done
cd "$root" || exit 1
cat "$tmp/run"/verify.*.log > "$tmp/verify.log"
grep ' sg_implicit ' "$tmp/verify.log" | grep -v ' baseline ' | awk '{ printf "  %-18s %-16s %-5s %s\n", $1, $3, $4, $5 }'
[ $rc -eq 0 ] || { cat "$tmp/verify.log"; fail "verify of the example plugin exited $rc"; }
grep ' sg_implicit ' "$tmp/verify.log" | grep -q ' FAIL ' && fail "a check of the example plugin FAILs"
echo "install-check: the example plugin passes $(grep ' sg_implicit ' "$tmp/verify.log" | grep -c ' pass ') checks of verify --quick on the calm cases, FAILs none"
echo "install-check: ok ($(($(date +%s) - start)) s)"
