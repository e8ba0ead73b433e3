#!/usr/bin/env bash
# actionlint (the GitHub Actions workflow linter) from the Go module proxy, cached by version
# (scripts/ensure-go-tool.sh). Prints the binary's path. Cold build: about 20 s; cache hit: instant.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/ensure-go-tool.sh" actionlint \
  github.com/rhysd/actionlint/cmd/actionlint "${PARAPET_ACTIONLINT_VERSION:-v1.7.12}" \
  "it lints .github/workflows in the test command"
