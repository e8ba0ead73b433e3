#!/usr/bin/env bash
# Installs Prowler (PyPI, pinned) into its own virtualenv bench/.prowler-venv (git-ignored), once.
# Prints the path of the prowler executable. Used by bench/prowler-compare.sh (docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")"
PROWLER_VERSION="${PROWLER_VERSION:-5.46.0}"
VENV=.prowler-venv
PY="${PYTHON:-python3}"
if [[ -x "$VENV/bin/prowler" ]] && "$VENV/bin/python" -c \
    "import importlib.metadata as m, sys; sys.exit(m.version('prowler') != '$PROWLER_VERSION')" 2>/dev/null; then
  echo "$PWD/$VENV/bin/prowler"
  exit 0
fi
# Prowler 5.x needs Python >= 3.9.1, < 3.13.
"$PY" -c 'import sys; sys.exit(not ((3, 9, 1) <= sys.version_info[:3] < (3, 13)))' || {
  echo "ensure-prowler: $PY is $("$PY" --version 2>&1); Prowler $PROWLER_VERSION needs Python 3.9.1-3.12 (set PYTHON=...)" >&2
  exit 2
}
rm -rf "$VENV"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip >&2
"$VENV/bin/python" -m pip install -q "prowler==$PROWLER_VERSION" >&2
echo "$PWD/$VENV/bin/prowler"
