#!/bin/sh
# docs.sh — every command the documents print runs as printed, from the source root.
#
# Documents: the glob DOCS below (README.md, RESULTS.md, SOLVERS.md, the guides of every folder and
# example); a document the glob names twice is read once.
# A printed command is a line of a code block (a block indented by four spaces after a blank line,
# or a ``` fence) whose first word is a program a reader would type here: bin/nlif, bin/nlif-mpi,
# make, sh, mpirun, srun, python3, /usr/bin/python3, examples/..., mkdir, cd, cp, export (other
# lines of code blocks are formulas, output or file listings). Commands in running text (`...`) are
# mentions, not checked.
#
# Each document gets a private copy of the source tree (bin/ included; build folders, results/ and
# .git left out), and its commands run there in document order with sh -c, so a command may use
# what an earlier one of the same document wrote, and nothing is written into the real tree.
# A command must exit 0, or the exit status its marker states; it fails as DOC:LINE.
#
# Markers: an HTML comment on a line of its own in the document (invisible when rendered), anywhere:
#     <!-- docs-test: skip `PREFIX` why it is not run -->
#     <!-- docs-test: exit N `PREFIX` why it exits N -->
# applies to the command of that document that begins with PREFIX (the longest matching prefix
# wins). A marker must match exactly one command — none: it is stale; several: a new command would
# hide behind an old marker — so there is one marker per command. `skip` is for what make check
# cannot afford or this machine cannot do (make run, verify --full, Slurm) and for templates
# (COMMAND, DIR/STEM): such a command is still parsed — sh -n; every bin/nlif subcommand must exist
# (its --help exits 0; a placeholder in capitals is let through) and every --option must appear in
# that subcommand's --help or among the options of every command (bin/nlif --help: --solver,
# --variant); every make target must be a rule of the Makefile; every script run by sh must exist.
# A malformed marker (no reason, no `PREFIX`) fails the test; every skipped command is listed with
# its reason.
#
# Usage: [NLIF=PROGRAM] sh tests/docs.sh [SOURCE_ROOT]   (make unit runs it with the build's program:
# bin/nlif, or build-san/nlif under make sanitize; it is bin/nlif in every copy). Exit 1 on a
# failure, 2 on bad usage.
set -u
root=$(cd "${1:-$(dirname "$0")/..}" && pwd) || exit 2
cd "$root" || exit 2
DOCS="*.md */README.md */*/README.md examples/*/README.md"
PER_COMMAND_SECONDS=${DOCS_TEST_TIMEOUT:-120}
program=${NLIF:-bin/nlif}
case "$program" in /*) ;; *) program="$root/$program" ;; esac
[ -x "$program" ] || { echo "docs: $program is not built (make)" >&2; exit 2; }
unset NLIF_ROOT

work=$(mktemp -d "${TMPDIR:-/tmp}/nlif-docs.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP

# The commands and markers of one document: C<TAB>LINE<TAB>COMMAND and M<TAB>LINE<TAB>MARKER.
extract() {
    awk '
    function is_command(s,   w) {
        w = s; sub(/^[ \t]+/, "", w); sub(/[ \t].*$/, "", w)
        return w ~ /^(bin\/nlif|bin\/nlif-mpi|make|sh|mpirun|srun|python3|\/usr\/bin\/python3|examples\/.*[^\/]|mkdir|cd|cp|export)$/
    }
    BEGIN { blank = 1 }
    /^[ \t]*```/ { fence = !fence; blank = 0; next }
    fence { if (is_command($0)) { s = $0; sub(/^[ \t]+/, "", s); print "C\t" NR "\t" s }; next }
    /^<!-- docs-test:/ {
        s = $0; sub(/^.*<!-- docs-test:[ \t]*/, "", s); sub(/[ \t]*-->.*$/, "", s); print "M\t" NR "\t" s
    }
    /^[ \t]*$/ { blank = 1; next }
    /^    / && (blank || code) {
        code = 1; blank = 0
        if (is_command($0)) { s = $0; sub(/^    /, "", s); print "C\t" NR "\t" s }
        next
    }
    { code = 0; blank = 0 }
    ' "$1"
}

# Parse-only check of a command that is not run; prints what is wrong, returns 1 if anything is.
dry_parse() {
    cmd=$1 bad=0
    sh -n -c "$cmd" 2>"$work/sh.err" || { echo "shell syntax: $(cat "$work/sh.err")"; bad=1; }
    # shellcheck disable=SC2086
    set -f; set -- $cmd; set +f
    prog="" sub=""
    while [ $# -gt 0 ]; do
        w=$1; shift
        case "$w" in
        '#'*) break ;;
        '&&' | '||' | ';' | '|') prog="" sub="" ;;
        bin/nlif | bin/nlif-mpi)
            prog=bin/nlif
            [ "$w" = bin/nlif-mpi ] && [ -x bin/nlif-mpi ] && prog=bin/nlif-mpi
            sub=${1:-}
            case "$sub" in
            --version | --help) continue ;;
            esac
            [ $# -gt 0 ] && shift
            if printf '%s' "$sub" | grep -q '^[A-Z][A-Z_]*$'; then
                sub=""            # a placeholder (COMMAND)
            elif ! "$prog" "$sub" --help >"$work/help" 2>&1; then
                echo "'$w $sub': no such subcommand ($prog $sub --help fails)"; bad=1; sub=""
            else
                "$prog" --help >>"$work/help" 2>&1   # the options of every command
            fi ;;
        --*)
            opt=${w%%=*}
            if [ -n "$sub" ] && ! grep -q -E -e "(^|[^a-z0-9_-])$opt([^a-z0-9_-]|\$)" "$work/help"; then
                echo "'$opt' is not an option of '$prog $sub' (not in its --help)"; bad=1
            fi ;;
        make)
            while [ $# -gt 0 ]; do
                case "$1" in
                -* | *=*) shift ;;
                '&&' | '||' | ';' | '#'*) break ;;
                *) grep -q "^$1:" Makefile || { echo "make: no rule '$1' in the Makefile"; bad=1; }; shift ;;
                esac
            done ;;
        sh)
            [ -f "${1:-}" ] || { echo "sh: no script '${1:-}'"; bad=1; } ;;
        esac
    done
    return $bad
}

n_docs=0 n_run=0 n_skip=0 n_fail=0 started=$(date +%s)
skipped="" failures=""
seen=" "
for doc in $DOCS; do
    [ -f "$doc" ] || continue
    case "$seen" in *" $doc "*) continue ;; esac
    seen="$seen$doc "
    extract "$doc" >"$work/items"
    grep -q '^C' "$work/items" || { grep -q '^M' "$work/items" || continue; }
    n_docs=$((n_docs + 1))
    grep '^M' "$work/items" | cut -f2- >"$work/markers"
    : >"$work/used"
    # Check the markers' own form.
    while IFS='	' read -r mline mark; do
        case "$mark" in
        skip\ \`*\`\ ?* | exit\ [0-9]*\ \`*\`\ ?*) ;;
        *) failures="$failures
$doc:$mline: malformed marker '$mark' (docs-test: skip \`PREFIX\` REASON, or exit N \`PREFIX\` REASON)"
           n_fail=$((n_fail + 1)) ;;
        esac
    done <"$work/markers"
    copy="$work/tree$n_docs"
    mkdir -p "$copy"
    tar --exclude='./build*' --exclude=./results --exclude=./.git --exclude='./reports/out' -cf - . |
        (cd "$copy" && tar -xf -) || { echo "docs: cannot copy the tree" >&2; exit 2; }
    mkdir -p "$copy/bin" && cp "$program" "$copy/bin/nlif" || { echo "docs: cannot copy $program" >&2; exit 2; }
    grep '^C' "$work/items" | cut -f2- >"$work/commands"
    while IFS='	' read -r line cmd; do
        # The marker of this command, if any: the one with the longest prefix that begins it.
        kind="" want=0 why="" mline="" best=-1
        while IFS='	' read -r ml mark; do
            prefix=${mark#*\`}; prefix=${prefix%%\`*}
            case "$cmd" in
            "$prefix"*)
                [ ${#prefix} -gt $best ] || continue
                best=${#prefix} mline=$ml why=${mark#*\`*\` } kind="" want=0
                case "$mark" in
                skip*) kind=skip ;;
                exit*) want=$(printf '%s' "$mark" | cut -d' ' -f2) ;;
                esac ;;
            esac
        done <"$work/markers"
        [ -n "$mline" ] && echo "$mline" >>"$work/used"
        if [ "$kind" = skip ]; then
            n_skip=$((n_skip + 1))
            if problems=$(cd "$copy" && dry_parse "$cmd"); then
                skipped="$skipped
  $doc:$line: $cmd
      not run: $why"
            else
                n_fail=$((n_fail + 1))
                failures="$failures
$doc:$line: \`$cmd\` (not run) does not parse: $problems"
            fi
            continue
        fi
        n_run=$((n_run + 1))
        (cd "$copy" && timeout -k 5 "$PER_COMMAND_SECONDS" sh -c "$cmd") >"$work/out" 2>&1 </dev/null
        rc=$?
        if [ "$rc" -ne "$want" ]; then
            n_fail=$((n_fail + 1))
            [ "$rc" -eq 124 ] && rc="124 (timeout after ${PER_COMMAND_SECONDS} s)"
            failures="$failures
$doc:$line: \`$cmd\` exited $rc, expected $want; its last lines:
$(tail -n 4 "$work/out" | sed 's/^/      /')"
        fi
    done <"$work/commands"
    # A marker that matched nothing is stale; one that matched several would hide a new command.
    while IFS='	' read -r ml mark; do
        uses=$(grep -cx "$ml" "$work/used")
        [ "$uses" -eq 1 ] && continue
        n_fail=$((n_fail + 1))
        if [ "$uses" -eq 0 ]; then
            failures="$failures
$doc:$ml: marker '$mark' matches no printed command of $doc"
        else
            failures="$failures
$doc:$ml: marker '$mark' matches $uses printed commands of $doc: one marker per command"
        fi
    done <"$work/markers"
    rm -rf "$copy"
done

echo "docs: $n_docs documents; $n_run commands run, $n_skip parsed but not run (listed below), $n_fail failed;" \
    "$(($(date +%s) - started)) s"
[ -n "$skipped" ] && printf '%s\n' "not run (each with its marker's reason):$skipped"
if [ "$n_fail" -gt 0 ]; then
    printf '%s\n' "FAILED:$failures"
    exit 1
fi
exit 0
