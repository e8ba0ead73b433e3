#!/usr/bin/env bash
# Idempotently provides the AWS emulator used by the tests: a git-ignored, project-local
# virtualenv at <repo>/.venv with a pinned moto[server]. Re-installs only when moto_server is
# missing or the installed version differs from the pin. Fails with one clear message otherwise.
set -euo pipefail

MOTO_VERSION="${PARAPET_MOTO_VERSION:-5.2.5}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PARAPET_VENV:-$ROOT/.venv}"

fail() {
  echo "ensure-moto: $*" >&2
  exit 1
}

installed_version() {
  "$VENV/bin/python" - <<'PY' 2>/dev/null || true
import importlib.metadata as m
print(m.version("moto"))
PY
}

if [[ -x "$VENV/bin/moto_server" && "$(installed_version)" == "$MOTO_VERSION" ]]; then
  exit 0
fi

PYTHON="${PARAPET_PYTHON:-$(command -v python3 || true)}"
[[ -n "$PYTHON" && -x "$(command -v "$PYTHON" 2>/dev/null || echo /nonexistent)" ]] \
  || fail "python3 not found (${PYTHON:-not on PATH}); install Python >= 3.9 with venv and pip to run the AWS emulator tests."
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null \
  || fail "$PYTHON is $("$PYTHON" -V 2>&1); moto[server]==$MOTO_VERSION needs Python >= 3.9."
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null \
  || fail "$PYTHON lacks the venv/ensurepip modules; install them (e.g. apt-get install python3-venv) to run the AWS emulator tests."

if [[ ! -x "$VENV/bin/python" ]]; then
  "$PYTHON" -m venv "$VENV" >/dev/null || fail "could not create the virtualenv at $VENV with $PYTHON."
fi
"$VENV/bin/python" -m pip --version >/dev/null 2>&1 \
  || fail "pip is not available in $VENV; install python3-pip / ensurepip."

echo "ensure-moto: installing moto[server]==$MOTO_VERSION into $VENV" >&2
if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2; then
  fail "pip could not install moto[server]==$MOTO_VERSION into $VENV (is the package index reachable?)."
fi
[[ -x "$VENV/bin/moto_server" ]] || fail "moto[server]==$MOTO_VERSION installed but $VENV/bin/moto_server is missing."
echo "ensure-moto: moto $(installed_version) ready at $VENV/bin/moto_server" >&2
