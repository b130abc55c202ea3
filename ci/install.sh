#!/bin/sh
# install.sh — make install (Makefile): the programs, the public headers, the libraries and
# lib/pkgconfig/nlif.pc under PREFIX.
#
# The public headers are the scheme interface and what it includes, the initial projection
# (exact/nlif_density.h, so that a plugin starts from the numbers every grid scheme starts from)
# and the plugin entry (harness/host/nlif_plugin.h). They stay where they are in the tree; the copies in
# PREFIX/include/nlif/ have their "../dir/" include paths made flat, and an include of anything
# that is not one of them stops the install (a public header must not reach into the tree).
# Usage: SOVERSION=N sh ci/install.sh PREFIX BUILD PROGRAM... -- HEADER...   (a PROGRAM may be "")
#        sh ci/install.sh PREFIX - -- HEADER...                    (the headers alone)
set -eu
prefix=$1 build=$2
shift 2
programs=""
while [ $# -gt 0 ] && [ "$1" != -- ]; do
    [ -n "$1" ] && programs="$programs $1"
    shift
done
[ $# -gt 0 ] && shift
case $prefix in
/*) ;;
*) echo "install: PREFIX must be an absolute path (got '$prefix')" >&2; exit 2 ;;
esac
inc=$prefix/include/nlif
mkdir -p "$inc"
[ "$build" = - ] || mkdir -p "$prefix/bin" "$prefix/lib/pkgconfig"
names=""
for h in "$@"; do names="$names $(basename "$h")"; done
for h in "$@"; do
    out=$inc/$(basename "$h")
    sed 's|^\([[:space:]]*#[[:space:]]*include[[:space:]]*"\)\([^"]*/\)\([^"/]*"\)|\1\3|' "$h" > "$out.tmp"
    for i in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$out.tmp"); do
        case " $names " in
        *" $i "*) ;;
        *) rm -f "$out.tmp"; echo "install: $h includes \"$i\", which is not a public header (public:$names)" >&2; exit 2 ;;
        esac
    done
    mv "$out.tmp" "$out"
    chmod 644 "$out"
done
if [ "$build" = - ]; then
    echo "installed the nlif headers under $inc:$names"
    exit 0
fi
for p in $programs; do
    install -m 755 "$p" "$prefix/bin/"
done
install -m 644 "$build/libnlif.a" "$prefix/lib/"
# the shared library under its full version, found by the loader under its soname (libnlif.so.SOVERSION,
# the Makefile's) and by the linker under libnlif.so
version=$(sed -n 's/^#define NLIF_VERSION "\(.*\)"/\1/p' io/results.c)
soversion=${SOVERSION:?install: SOVERSION is not set (make install sets it)}
case $version in
"$soversion" | "$soversion".*) ;;
*) echo "install: the version $version does not belong to the library interface $soversion (Makefile SOVERSION)" >&2
   exit 2 ;;
esac
install -m 755 "$build/libnlif.so" "$prefix/lib/libnlif.so.$version"
ln -sf "libnlif.so.$version" "$prefix/lib/libnlif.so.$soversion"
ln -sf "libnlif.so.$soversion" "$prefix/lib/libnlif.so"

# nlif.pc: a dependency with a .pc file of its own is Requires.private, the others Libs.private
requires="" libs="-lsundials_cvode -lsundials_nvecserial -lm -pthread"
for dep in jansson:-ljansson inih:-linih gsl:"-lgsl -lgslcblas"; do
    name=${dep%%:*}
    if pkg-config --exists "$name" 2>/dev/null; then
        requires="$requires $name"
    else
        libs="$libs ${dep#*:}"
    fi
done
cat > "$prefix/lib/pkgconfig/nlif.pc" <<PC
prefix=$prefix
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include

Name: nlif
Description: nlif, verification suite for NNLIF Fokker-Planck solvers: scheme interface, plugin headers, library
Version: ${version:-0}
Requires.private:$requires
Cflags: -I\${includedir}
Libs: -L\${libdir} -lnlif
Libs.private: $libs
PC
echo "installed nlif $version under $prefix:$programs, include/nlif/ ($(echo $names)), lib/libnlif.a, lib/libnlif.so.$version (libnlif.so.$soversion, libnlif.so), lib/pkgconfig/nlif.pc"
