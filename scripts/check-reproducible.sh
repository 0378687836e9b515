#!/usr/bin/env bash
# Builds the project twice from clean and checks that every jar (the modules' jars, their sources
# and Javadoc jars, the shaded rmp-cli/target/rmpopt.jar and rmp-bench/target/benchmarks.jar) is
# byte-identical in both builds. Prints each jar that differs or is missing from one build, then
# a one-line summary; exits non-zero if any jar differs. On a mismatch both builds' jars are kept
# (the path is printed) for comparing with unzip, zipinfo or diffoscope.
#
#   scripts/check-reproducible.sh            # what CI runs after mvn -B verify
#
# Every archive's time stamps come from project.build.outputTimestamp in the parent POM.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/rmpopt-reproducible.XXXXXX")
keep=false
trap '$keep || rm -rf "$work"' EXIT

# One clean build, its jars copied to $work/$1 under their paths in the tree.
build() {
    echo "check-reproducible: build $1 (mvn -B -q clean package -DskipTests)..."
    mvn -B -q clean package -DskipTests
    local jar
    for jar in */target/*.jar; do
        [ -f "$jar" ] || continue
        mkdir -p "$work/$1/$(dirname "$jar")"
        cp -p "$jar" "$work/$1/$jar"
    done
}

build first
build second

(cd "$work/first" && find . -name '*.jar' | sed 's|^\./||' | sort) >"$work/first.list"
(cd "$work/second" && find . -name '*.jar' | sed 's|^\./||' | sort) >"$work/second.list"

total=0
bad=0
while read -r jar; do
    total=$((total + 1))
    a=$(sha256sum "$work/first/$jar" | cut -d' ' -f1)
    if [ ! -f "$work/second/$jar" ]; then
        echo "MISSING  $jar: built only the first time"
        bad=$((bad + 1))
        continue
    fi
    b=$(sha256sum "$work/second/$jar" | cut -d' ' -f1)
    if [ "$a" != "$b" ]; then
        echo "MISMATCH $jar: $a then $b"
        bad=$((bad + 1))
    fi
done <"$work/first.list"
while read -r jar; do
    echo "MISSING  $jar: built only the second time"
    total=$((total + 1))
    bad=$((bad + 1))
done < <(comm -13 "$work/first.list" "$work/second.list")

if [ "$total" -eq 0 ]; then
    echo "check-reproducible: FAILED, the builds made no jar"
    exit 1
fi
if [ "$bad" -ne 0 ]; then
    keep=true
    echo "check-reproducible: FAILED, $bad of $total jars differ between two clean builds (both kept in $work)"
    exit 1
fi
echo "check-reproducible: OK, all $total jars byte-identical across two clean builds"
