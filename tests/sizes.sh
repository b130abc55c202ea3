#!/bin/sh
# sizes.sh — every file read in one sitting, every function on a screen or two (README "The layout"):
# no .c file over 600 lines and no function over 120 lines, in the library, the programs and the
# tests alike. Prints the five largest of each and every one over its limit; exits 1 if there is one.
# A function is counted from the first line of its definition (a line at column 0 that starts a
# declaration) to its closing brace at column 0, as the code is written here (K&R, clang-format).
# Usage: sh tests/sizes.sh [SOURCE_ROOT]
set -u
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
FILE_MAX=600
FUNC_MAX=120
files=$(find core exact io solvers reference harness reports cli tests examples -name '*.c' | sort)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wc -l $files | grep -v ' total$' | sort -rn > "$tmp/files"
# One line per function: LINES FILE:LINE NAME
for f in $files; do
    awk -v f="$f" '
        /^[A-Za-z_]/ && !body { if (!decl) { start = FNR; text = "" } decl = 1; text = text " " $0 }
        /^$/ && !body { decl = 0 }
        /^#/ && !body { decl = 0 }
        decl && !body && /\{[[:space:]]*$/ { body = 1; init = (text ~ /=[[:space:]]*\{[[:space:]]*$/) }
        /^\{/ && decl && !body { body = 1; init = 0 }
        /^\}/ && body {
            if (!init && $0 ~ /^\}[[:space:]]*$/) {
                name = text; sub(/\(.*/, "", name); n = split(name, w, /[ *]+/); name = w[n]
                print FNR - start + 1, f ":" start, name
            }
            body = 0; decl = 0
        }' "$f"
done | sort -rn > "$tmp/funcs"
status=0
echo "sizes: the five largest .c files (limit $FILE_MAX lines):"
head -5 "$tmp/files" | awk '{ printf "  %5d  %s\n", $1, $2 }'
echo "sizes: the five largest functions (limit $FUNC_MAX lines):"
head -5 "$tmp/funcs" | awk '{ printf "  %5d  %s  %s\n", $1, $2, $3 }'
over_f=$(awk -v m=$FILE_MAX '$1 > m' "$tmp/files")
over_fn=$(awk -v m=$FUNC_MAX '$1 > m' "$tmp/funcs")
[ -n "$over_f" ] && { echo "$over_f" | awk '{ print "sizes: " $2 ": " $1 " lines (over the limit)" }'; status=1; }
[ -n "$over_fn" ] && { echo "$over_fn" | awk '{ print "sizes: " $2 " " $3 ": " $1 " lines (over the limit)" }'; status=1; }
echo "sizes: $(wc -l < "$tmp/files") files, $(wc -l < "$tmp/funcs") functions; $(echo "$over_f" | grep -c .) files and $(echo "$over_fn" | grep -c .) functions over the limits"
exit $status
