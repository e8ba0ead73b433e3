#!/usr/bin/env bash
# Parapet against Prowler on one emulated AWS account (docs/benchmarks.md, "Prowler comparison").
# Installs Prowler into bench/.prowler-venv (once), packages the operator (the `parapet` CLI), then
# runs the @Tag("bench") ProwlerComparison, which prints the figures and writes
# operator/target/bench/prowler/results.txt (both tools' output sits beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
PROWLER="$(bench/ensure-prowler.sh)"
./mvnw -B -q -pl operator -am package -DskipTests -Dspotless.check.skip=true
./mvnw -B -pl operator -am test -Pbench -Dtest=ProwlerComparison -Dsurefire.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true -Dbench.prowler="$PROWLER"
cat operator/target/bench/prowler/results.txt
