#!/usr/bin/env bash
# Idempotently provides a Go command-line tool the tests run, built from the Go module proxy (no
# GitHub download) into a per-user cache keyed by name and version, outside the work tree so a
# fresh clone reuses it:
#
#   ${PARAPET_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/parapet/tools}/<name>-<version>/<name>
#
# Usage: ensure-go-tool.sh <name> <package> <version> [why it is needed] [go build tags]
# Prints the binary's path on stdout; fails with one line when Go is missing or the build fails.
# Used by ensure-actionlint.sh and ensure-promtool.sh.
set -euo pipefail

NAME="$1"
PACKAGE="$2"
VERSION="$3"
WHY="${4:-the test command runs it}"
TAGS="${5:-}"
DIR="${PARAPET_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/parapet/tools}/$NAME-$VERSION${TAGS:+-${TAGS//,/-}}"
BIN="$DIR/$NAME"

fail() {
  echo "ensure-$NAME: $*" >&2
  exit 1
}

if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi
GO="${PARAPET_GO:-$(command -v go || true)}"
[[ -n "$GO" ]] || fail "Go not found on PATH; install Go >= 1.24 to build $NAME $VERSION ($WHY)."
mkdir -p "$DIR"
exec 9>"$DIR/.lock"
flock 9
if [[ -x "$BIN" ]]; then
  echo "$BIN"
  exit 0
fi
echo "ensure-$NAME: building $PACKAGE@$VERSION" >&2
START=$(date +%s)
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod GOBIN="$DIR" "$GO" install -trimpath \
  -tags "$TAGS" -ldflags "-s -w" "$PACKAGE@$VERSION" >"$log" 2>&1; then
  fail "go install $PACKAGE@$VERSION failed: $(tail -n 1 "$log")"
fi
[[ -x "$BIN" ]] || fail "go install succeeded but $BIN is missing."
echo "ensure-$NAME: built $NAME $VERSION in $(($(date +%s) - START)) s" >&2
echo "$BIN"
