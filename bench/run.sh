#!/usr/bin/env bash
# Operator benchmark (docs/benchmarks.md): builds the operator and a bare Quarkus REST app, then runs
# the @Tag("bench") suite, which prints its figures and writes operator/target/bench-results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -f bench/bare-rest/pom.xml package -DskipTests
./mvnw -B -pl operator -am package -DskipTests -Dspotless.check.skip=true
./mvnw -B -pl operator -am test -Pbench -Dtest='OperatorBenchmark' -Dsurefire.failIfNoSpecifiedTests=false
cat operator/target/bench-results.txt
