#!/usr/bin/env bash
# promtool (Prometheus' rule checker and rule unit-test runner) from the Go module proxy, cached by
# version (scripts/ensure-go-tool.sh). Prometheus' Go module versions are v0.<minor>.<patch> for
# Prometheus 3.<minor>.<patch>. Built with Prometheus' own build tag remove_all_sd: no service
# discovery plugins (cloud SDKs, Kubernetes client), which rule checks and rule tests never use,
# and a much shorter build. Prints the binary's path. Cache hit: instant.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/ensure-go-tool.sh" promtool \
  github.com/prometheus/prometheus/cmd/promtool "${PARAPET_PROMTOOL_VERSION:-v0.316.0}" \
  "it checks and unit-tests the chart's alert rules in the test command" remove_all_sd
