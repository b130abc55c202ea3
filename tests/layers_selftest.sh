#!/bin/sh
# layers_selftest.sh — tests/layers.sh must catch what it exists to catch. On small trees built here:
#   1. clean: core <- io <- cli, nothing upward: accepted;
#   2. an #include that runs up (core/ includes a cli/ header): refused on the include graph;
#   3. a call that runs up behind a declaration in the lower file itself (core/ calls a function
#      cli/ defines, no include): the include graph is clean, the link graph refuses it;
#   4. a cycle between two rooms of one layer (solvers/a <-> solvers/b): refused as sideways and as
#      a cycle;
#   5. the declared sideways edge (solvers/multiscale -> reference): accepted.
# Usage: sh tests/layers_selftest.sh [SOURCE_ROOT]   (CC from the environment, default cc)
set -u
root=$(cd "${1:-$(dirname "$0")/..}" && pwd)
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# tree NAME: make $tmp/NAME from the here-document lines "PATH|TEXT" ("\n" for new lines), build it
tree() {
    d=$tmp/$1
    mkdir -p "$d"
    while IFS='|' read -r path text; do
        [ -n "$path" ] || continue
        mkdir -p "$d/$(dirname "$path")"
        printf '%b\n' "$text" > "$d/$path"
    done
    for c in $(cd "$d" && find . -name '*.c' | sed 's|^\./||'); do
        mkdir -p "$d/build/$(dirname "$c")"
        $cc -c "$d/$c" -o "$d/build/${c%.c}.o" || { echo "layers_selftest: $1: $c does not compile"; exit 2; }
    done
}
# expect NAME STATUS PATTERN: layers.sh on NAME exits STATUS and prints PATTERN (grep -E)
expect() {
    out=$(sh "$root/tests/layers.sh" "$tmp/$1" "$tmp/$1/build" 2>&1)
    st=$?
    if [ "$st" -ne "$2" ] || ! printf '%s\n' "$out" | grep -Eq "$3"; then
        echo "layers_selftest: $1: exit $st (wanted $2), output lacks /$3/:"
        printf '%s\n' "$out" | sed 's/^/    /'
        fails=$((fails + 1))
    else
        echo "layers_selftest: $1: exit $st, as it should ($(printf '%s\n' "$out" | grep -E "$3" | head -1 | sed 's/^ *//'))"
    fi
}
BASE='core/m.h|int core_f(void);
core/m.c|#include "m.h"\nint core_f(void) { return 1; }
io/w.c|#include "../core/m.h"\nint io_w(void) { return core_f(); }
cli/main.c|#include "../core/m.h"\nint io_w(void);\nint main(void) { return io_w() + core_f(); }'
printf '%s\n' "$BASE" | tree clean
expect clean 0 'link graph: [0-9]+ room edges, 0 upward or sideways, 0 cycles'
printf '%s\n%s\n' "$BASE" 'cli/c.h|int cli_g(void);
cli/c.c|#include "c.h"\nint cli_g(void) { return 2; }
core/up.c|#include "../cli/c.h"\nint core_up(void) { return cli_g(); }' | tree include_up
expect include_up 1 'include edge core -> cli'
printf '%s\n%s\n' "$BASE" 'cli/c.c|int cli_g(void) { return 2; }
core/hidden.c|int cli_g(void); /* declared here, defined in cli/: no include runs up */\nint core_h(void) { return cli_g(); }' | tree link_up
expect link_up 1 'link edge core -> cli'
printf '%s\n%s\n' "$BASE" 'solvers/a/a.c|int b_f(void);\nint a_f(void) { return b_f(); }
solvers/b/b.c|int a_f(void);\nint b_f(void) { return a_f(); }' | tree sideways
expect sideways 1 'link cycle through room solvers/(a|b)'
printf '%s\n%s\n' "$BASE" 'reference/k.c|int kernel(void) { return 3; }
solvers/multiscale/ms.c|int kernel(void);\nint ms(void) { return kernel(); }' | tree declared
expect declared 0 'solvers/multiscale +-> reference .*\[declared\]'
echo "layers_selftest: $((5 - fails)) of 5 trees judged as they should be"
[ $fails -eq 0 ]
