#!/usr/bin/env bash
# Idempotently provides what the container-image build and tests need, from Debian's packages:
# podman and buildah (daemonless build and run), runc (crun fails on hosts with hybrid cgroups),
# debootstrap (the base root filesystem), skopeo (OCI archive copies), uidmap, the CNI plugins,
# netavark, conmon and iptables (container networking). Needs root for apt-get, as this project's
# CI has. Installs only what is missing and runs `apt-get update` once before installing.
# Prints nothing when everything is there; fails with one line saying why otherwise.
set -euo pipefail

PACKAGES=(podman buildah runc debootstrap skopeo uidmap containernetworking-plugins netavark conmon iptables)

fail() {
  echo "ensure-podman: $*" >&2
  exit 1
}

installed() {
  [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

missing=()
for p in "${PACKAGES[@]}"; do
  installed "$p" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

command -v apt-get >/dev/null 2>&1 \
  || fail "missing ${missing[*]} and no apt-get here: install podman, buildah, runc and debootstrap with this system's package manager."
[[ "$(id -u)" == 0 ]] \
  || fail "missing ${missing[*]}: run as root (or install them with apt-get as root) to build and test the container image."

# One installer at a time: another worktree's build may be running this script too.
exec 9>/var/lock/parapet-ensure-podman.lock
flock 9
missing=()
for p in "${PACKAGES[@]}"; do
  installed "$p" || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0

echo "ensure-podman: installing ${missing[*]}" >&2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! apt-get update >"$log" 2>&1; then
  fail "apt-get update failed (is the Debian mirror reachable?): $(tail -n 1 "$log")"
fi
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
  fail "apt-get install ${missing[*]} failed: $(tail -n 1 "$log")"
fi
for p in "${PACKAGES[@]}"; do
  installed "$p" || fail "$p is still not installed after apt-get install."
done
echo "ensure-podman: $(podman --version), $(runc --version | head -n 1) ready" >&2
