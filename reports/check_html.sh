#!/bin/sh
# check_html.sh — render the report in headless Chromium and fail if any figure is missing.
#
#   sh reports/check_html.sh [HTML] [SCREENSHOT]     (defaults: reports/out/index.html, beside it screenshot.png)
#
# The page carries a small inline script that, on load, appends "NLIF-IMAGES total=T broken=B" (B: images
# whose naturalWidth is 0, i.e. that did not decode). We dump the DOM after load and require T > 0, B = 0 and
# T equal to the number of <img tags in the file; then take a screenshot for a person to look at.
# Run by `make run` (not by `make check`: CI must not download a browser). As root, a missing Chromium is
# installed with apt-get (Debian's package); otherwise the exact command is printed.
set -u
html=${1:-reports/out/index.html}
[ -f "$html" ] || { echo "check_html: $html not found (run bin/nlif report first)" >&2; exit 2; }
dir=$(cd "$(dirname "$html")" && pwd)
url="file://$dir/$(basename "$html")"
shot=${2:-$dir/screenshot.png}

browser=""
for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "check_html: installing chromium (apt-get install -y chromium)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null 2>&1 ||
            { echo "check_html: apt-get install -y chromium failed" >&2; exit 2; }
        browser=chromium
    else
        echo "check_html: no Chromium found; install it with: sudo apt-get install -y chromium" >&2
        exit 2
    fi
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir=$profile"

# shellcheck disable=SC2086  # flags are words on purpose
timeout 180 "$browser" $flags --virtual-time-budget=15000 --dump-dom "$url" >"$profile/dom.html" 2>"$profile/err.log"
rc=$?
marker=$(grep -o 'NLIF-IMAGES total=[0-9]* broken=[0-9]*' "$profile/dom.html" | head -1)
if [ $rc -ne 0 ] || [ -z "$marker" ]; then
    echo "check_html: FAIL: $browser did not complete the image check of $html (exit $rc, no NLIF-IMAGES marker: the page did not load, or an image never decoded); its log:" >&2
    tail -5 "$profile/err.log" >&2
    exit 1
fi
total=$(echo "$marker" | sed 's/.*total=\([0-9]*\).*/\1/')
broken=$(echo "$marker" | sed 's/.*broken=\([0-9]*\).*/\1/')
in_file=$(grep -o '<img' "$html" | wc -l)

# shellcheck disable=SC2086
timeout 180 "$browser" $flags --hide-scrollbars --window-size=1280,4000 --screenshot="$shot" "$url" \
    >/dev/null 2>>"$profile/err.log" || echo "check_html: screenshot failed (not a verdict)" >&2

echo "check_html: $html in $browser: $total images rendered by the page, $broken broken, $in_file <img> tags in the file; screenshot $shot"
if [ "$total" -eq 0 ]; then
    echo "check_html: FAIL: the page has no image" >&2
    exit 1
fi
if [ "$broken" -ne 0 ] || [ "$total" -ne "$in_file" ]; then
    echo "check_html: FAIL: $broken broken image(s); $total rendered vs $in_file in the file" >&2
    exit 1
fi
echo "check_html: ok"
