#!/usr/bin/env bash
# Renders an rmpopt HTML report (rmp-telemetry's ReportWriter) in headless Chromium and saves a
# screenshot. Installs Debian's chromium package with apt-get if no Chromium is found.
#
#   scripts/render-report.sh                         # the sample report -> docs/report.png
#   scripts/render-report.sh REPORT.html OUT.png     # any report
#   scripts/render-report.sh REPORT.html OUT.png 1280,2400   # window width,height in pixels
#
# Without a report, it builds rmp-telemetry and writes the sample report (a scripted 30 s of VM
# churn on a 64 GiB reference host, dev.rmpopt.telemetry.SampleReport in the module's tests) to
# rmp-telemetry/target/sample-report/ first. `mvn verify` never needs a browser; only this does.
set -euo pipefail
cd "$(dirname "$0")/.."

report=${1:-}
out=${2:-docs/report.png}
size=${3:-1280,2000}

if [ -z "$report" ]; then
    # in the reactor, so the project's own modules resolve to their target/ folders: nothing is installed
    mvn -B -q -pl rmp-telemetry -am -DskipTests test-compile dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt >/dev/null
    java -cp "rmp-telemetry/target/test-classes:rmp-telemetry/target/classes:$(cat rmp-telemetry/target/test-classpath.txt)" \
        dev.rmpopt.telemetry.SampleReport rmp-telemetry/target/sample-report
    report=rmp-telemetry/target/sample-report/report.html
fi
[ -f "$report" ] || { echo "render-report: no report at $report" >&2; exit 2; }

. scripts/chromium.sh
browser=$(chromium_path render-report)

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
mkdir -p "$(dirname "$out")"
target=$(realpath -m "$out")
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" --screenshot="$target" --window-size="$size" \
    "file://$(realpath "$report")" 2> "$profile/chromium.log" || { cat "$profile/chromium.log" >&2; exit 1; }
[ -s "$target" ] || { cat "$profile/chromium.log" >&2; echo "render-report: no screenshot written" >&2; exit 1; }
echo "render-report: $report -> $out"
