#!/usr/bin/env bash
# Idempotently provides a real Kubernetes control plane for the real-API-server test tier:
# etcd, kube-apiserver, kube-controller-manager and kubectl, built from the Go module proxy
# (no GitHub download, no container registry) into a cache keyed by version:
#
#   ${PARAPET_KUBE_DIR:-$HOME/.cache/parapet/kube}/k8s/<version>-linux-<arch>/{etcd,kube-apiserver,...}
#
# That layout is the one io.fabric8:kube-api-test reads offline. The cache lives outside the work
# tree so that a fresh clone (CI) reuses binaries built for an earlier clone; when present and
# complete nothing is built. Prints the binary directory on stdout, progress on stderr.
#
# Cold build on 2 busy cores: about 20 minutes (kube-apiserver dominates); warm Go build cache:
# about 1.5 minutes; cache hit: instant.
set -euo pipefail

K8S_VERSION="${PARAPET_K8S_VERSION:-1.34.4}"
ETCD_VERSION="${PARAPET_ETCD_VERSION:-3.6.17}"
CACHE="${PARAPET_KUBE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/parapet/kube}"

fail() {
  echo "ensure-kube: $*" >&2
  exit 1
}

GO="${PARAPET_GO:-$(command -v go || true)}"
ARCH="$(uname -m)"
case "$ARCH" in
  x86_64) ARCH=amd64 ;;
  aarch64) ARCH=arm64 ;;
esac
BIN="$CACHE/k8s/${K8S_VERSION}-linux-${ARCH}"
BINARIES=(etcd kube-apiserver kube-controller-manager kubectl)

complete() {
  [[ -f "$BIN/.complete" && "$(cat "$BIN/.complete")" == "k8s=$K8S_VERSION etcd=$ETCD_VERSION" ]] || return 1
  for b in "${BINARIES[@]}"; do [[ -x "$BIN/$b" ]] || return 1; done
}

if complete; then
  echo "$BIN"
  exit 0
fi

[[ -n "$GO" ]] || fail "Go not found on PATH; install Go >= 1.24 (the real-API-server tests build kube-apiserver, etcd and kubectl ${K8S_VERSION} from the Go module proxy)."

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
if complete; then
  echo "$BIN"
  exit 0
fi

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
WORK="$CACHE/src"
mkdir -p "$WORK" "$BIN"
START=$(date +%s)

# --- Kubernetes: k8s.io/kubernetes replaces its staging modules with ./staging/...; a wrapper module
# requires it and points every such replace at the published k8s.io/<m> v0.<minor>.<patch>.
KW="$WORK/k8s-$K8S_VERSION"
if [[ ! -f "$KW/go.sum" ]]; then
  echo "ensure-kube: resolving k8s.io/kubernetes v$K8S_VERSION" >&2
  rm -rf "$KW" && mkdir -p "$KW"
  UPSTREAM_MOD="$("$GO" mod download -json "k8s.io/kubernetes@v$K8S_VERSION" \
    | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [[ -f "$UPSTREAM_MOD" ]] || fail "could not download k8s.io/kubernetes@v$K8S_VERSION from the Go module proxy."
  STAGING_VERSION="v0.${K8S_VERSION#*.}"
  {
    echo "module parapet.dev/kube-bins"
    echo
    sed -n 's/^go \(.*\)$/go \1/p' "$UPSTREAM_MOD" | head -1
    grep '^godebug ' "$UPSTREAM_MOD" || true
    echo
    echo "require k8s.io/kubernetes v$K8S_VERSION"
    echo
    grep -E '^[[:space:]]*k8s\.io/[a-z0-9-]+ => \./staging/' "$UPSTREAM_MOD" \
      | awk -v v="$STAGING_VERSION" '{print "replace " $1 " => " $1 " " v}'
  } >"$KW/go.mod"
  cat >"$KW/tools.go" <<'EOF'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
EOF
  (cd "$KW" && "$GO" mod tidy -e >&2) || fail "go mod tidy failed for the k8s.io/kubernetes wrapper module."
fi

build() { # dir package output
  local dir="$1" pkg="$2" out="$3"
  if [[ -x "$BIN/$out" ]]; then return 0; fi
  echo "ensure-kube: building $out ($pkg)" >&2
  local t0=$(date +%s)
  (cd "$dir" && "$GO" build -trimpath -ldflags "-s -w" -o "$BIN/$out.tmp" "$pkg") \
    || fail "go build $pkg failed (see above)."
  mv "$BIN/$out.tmp" "$BIN/$out"
  echo "ensure-kube: built $out in $(($(date +%s) - t0)) s" >&2
}

# --- etcd: its own wrapper module (etcd's dependency set differs from Kubernetes').
EW="$WORK/etcd-$ETCD_VERSION"
if [[ ! -f "$EW/go.sum" ]]; then
  echo "ensure-kube: resolving go.etcd.io/etcd/server/v3 v$ETCD_VERSION" >&2
  rm -rf "$EW" && mkdir -p "$EW/etcd"
  cat >"$EW/go.mod" <<EOF
module parapet.dev/etcd-bin

go 1.24

require go.etcd.io/etcd/server/v3 v$ETCD_VERSION
EOF
  cat >"$EW/etcd/main.go" <<'EOF'
// Command etcd runs go.etcd.io/etcd/server/v3/etcdmain, as etcd's own main package does.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
  (cd "$EW" && "$GO" mod tidy -e >&2) || fail "go mod tidy failed for the etcd wrapper module."
fi

build "$EW" ./etcd etcd
build "$KW" k8s.io/kubernetes/cmd/kubectl kubectl
build "$KW" k8s.io/kubernetes/cmd/kube-apiserver kube-apiserver
build "$KW" k8s.io/kubernetes/cmd/kube-controller-manager kube-controller-manager

echo "k8s=$K8S_VERSION etcd=$ETCD_VERSION" >"$BIN/.complete"
echo "ensure-kube: Kubernetes $K8S_VERSION control plane ready in $BIN ($(($(date +%s) - START)) s)" >&2
echo "$BIN"
