#!/usr/bin/env bash
# Idempotently provides actionlint (the GitHub Actions workflow linter), built from the Go module
# proxy into a per-user cache keyed by version, outside the work tree so a fresh clone reuses it:
#
#   ${PARAPET_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/parapet/tools}/actionlint-<version>/actionlint
#
# Prints the binary's path on stdout; fails with one line when Go is missing or the build fails.
# Cold build: about 20 s; cache hit: instant.
set -euo pipefail

VERSION="${PARAPET_ACTIONLINT_VERSION:-v1.7.12}"
DIR="${PARAPET_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/parapet/tools}/actionlint-$VERSION"
BIN="$DIR/actionlint"

fail() {
  echo "ensure-actionlint: $*" >&2
  exit 1
}

if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi
GO="${PARAPET_GO:-$(command -v go || true)}"
[[ -n "$GO" ]] || fail "Go not found on PATH; install Go >= 1.22 to build actionlint $VERSION (it lints .github/workflows in the test command)."
mkdir -p "$DIR"
exec 9>"$DIR/.lock"
flock 9
if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi
echo "ensure-actionlint: building github.com/rhysd/actionlint/cmd/actionlint@$VERSION" >&2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$DIR" "$GO" install -trimpath -ldflags "-s -w" \
  "github.com/rhysd/actionlint/cmd/actionlint@$VERSION" >"$log" 2>&1; then
  fail "go install actionlint@$VERSION failed: $(tail -n 1 "$log")"
fi
[[ -x "$BIN" ]] || fail "go install succeeded but $BIN is missing."
echo "$BIN"
