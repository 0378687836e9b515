#!/usr/bin/env bash
# Renders an experiment's index.html in headless Chromium and fails on any console message or
# uncaught error, or when the page's script did not run (it marks <body data-rendered=...>).
# Installs Debian's chromium package with apt-get if no Chromium is found.
#
#   scripts/check-report-in-browser.sh                      # runs a small sweep first, checks its index.html
#   scripts/check-report-in-browser.sh INDEX.html           # checks a given page
#   scripts/check-report-in-browser.sh INDEX.html OUT.png   # and saves a screenshot (1280 x 2400)
#
# Without a page it runs scenarios/sweep-small.yaml with two seeds into target/browser-check/
# through ./rmpopt (which builds the command line with mvn package; nothing is installed).
set -euo pipefail
cd "$(dirname "$0")/.."

page=${1:-}
shot=${2:-}

if [ -z "$page" ]; then
    out=target/browser-check
    rm -rf "$out"
    ./rmpopt run scenarios/sweep-small.yaml --seed 1,2 --quiet --format csv --out "$out" > /dev/null
    page=$out/index.html
fi
[ -f "$page" ] || { echo "check-report: no page at $page" >&2; exit 2; }

. scripts/chromium.sh
browser=$(chromium_path check-report)

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
url="file://$(realpath "$page")"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile")

# The page's console, through Chromium's log: every console message and uncaught error is a
# CONSOLE(line) or CONSOLE:line entry there; the page writes none when it works.
"$browser" "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "$url" > "$profile/dom.html" 2> "$profile/chromium.log" \
    || { cat "$profile/chromium.log" >&2; echo "check-report: chromium failed" >&2; exit 1; }
if grep -E 'CONSOLE[(:]|Uncaught' "$profile/chromium.log" >&2; then
    echo "check-report: $page: console errors (above)" >&2
    exit 1
fi
if ! grep -q 'data-rendered="charts:' "$profile/dom.html"; then
    echo "check-report: $page: the page's script did not run (no data-rendered mark)" >&2
    exit 1
fi
charts=$(grep -o 'data-rendered="charts:[0-9]*"' "$profile/dom.html")
echo "check-report: $page rendered with no console message ($charts)"

if [ -n "$shot" ]; then
    mkdir -p "$(dirname "$shot")"
    target=$(realpath -m "$shot")
    "$browser" "${flags[@]}" --screenshot="$target" --window-size=1280,2400 "$url" 2> "$profile/shot.log" \
        || { cat "$profile/shot.log" >&2; exit 1; }
    [ -s "$target" ] || { cat "$profile/shot.log" >&2; echo "check-report: no screenshot written" >&2; exit 1; }
    echo "check-report: screenshot $shot"
fi
