#!/usr/bin/env bash
# Builds Parapet's container image without a Docker daemon and without pulling from a registry:
#
#   1. base: a Debian 13 (trixie) root filesystem made by `debootstrap --variant=minbase` from the
#      Debian mirror this machine's apt uses, security updates applied, a Java 25 runtime (jlink'ed
#      from Debian's OpenJDK 25 by default, or Debian's openjdk-25-jre-headless), the non-root user of
#      the chart's securityContext (uid/gid 185), trimmed (apt lists, docs but copyright files,
#      man pages, locales). Cached outside the work tree, keyed by its inputs, so a fresh clone
#      (CI) reuses it: ${PARAPET_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/parapet/image}/base-<key>/
#   2. app: the Quarkus fast-jar (operator/target/quarkus-app) and its CycloneDX SBOM
#      (operator/target/parapet-sbom.json) on top, from operator/src/main/image/Containerfile,
#      then the CDS archive /deployments/app.jsa: a training run of the image's own JVM (the
#      controller role to ready against a mock API server in a child JVM; no network: the build runs
#      with --network=none, loopback only) with -XX:ArchiveClassesAtExit, which writes the archive
#      at exit.
#
# Outputs: the image <repository>:<tag> in the local podman store (repository and tag default to the
# chart's image.repository and appVersion, so `helm install` with default values names this image),
# target/image/parapet-<tag>.oci.tar (OCI archive), target/image/parapet-<tag>.sbom.cdx.json,
# target/image/debian-packages.txt (the base's packages and versions) and target/image/build.env
# (name, digest, sizes, timings; read by the tests).
#
# Reproducibility: the app layers are built with a fixed timestamp (the commit time), so the same
# sources on the same base give the same layers, but for the CDS archive's layer (the training
# run's class loading order follows thread timing, so its bytes vary between builds). The base is
# not reproducible from scratch: the Debian mirror moves (package versions, and so the bytes,
# change with every point and security release); the cache key names the mirror and suite, not a
# snapshot. Rebuilt bases are normalised
# (file times, tar order, numeric owners) so two builds from the same package set differ only where
# the packages' own postinst scripts write varying data.
#
# Environment: PARAPET_IMAGE_RUNTIME=jlink|jre (default jlink), PARAPET_IMAGE_REPOSITORY,
# PARAPET_IMAGE_TAG, PARAPET_IMAGE_CACHE, PARAPET_IMAGE_REBUILD_BASE=true (ignore the cache),
# PARAPET_DEBIAN_MIRROR and PARAPET_DEBIAN_SECURITY_MIRROR (on a host whose apt has no Debian
# entry, e.g. an Ubuntu CI runner).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
START_ALL=$(date +%s.%N)

fail() {
  echo "build-image: $*" >&2
  exit 1
}
log() { echo "build-image: $*" >&2; }

"$ROOT/scripts/ensure-podman.sh" || exit 1

RUNTIME="${PARAPET_IMAGE_RUNTIME:-jlink}"
[[ "$RUNTIME" == jlink || "$RUNTIME" == jre ]] || fail "PARAPET_IMAGE_RUNTIME must be jlink or jre, not '$RUNTIME'."
SUITE=trixie
APP_UID=185
CHART="$ROOT/helm/parapet"
chart_field() { sed -n "s/^$1:[[:space:]]*\"\{0,1\}\([^\"]*\)\"\{0,1\}[[:space:]]*$/\1/p" "$2" | head -n 1; }
DEFAULT_REPOSITORY="$(sed -n '/^image:/,/^[^ ]/s/^  repository:[[:space:]]*//p' "$CHART/values.yaml" | head -n 1)"
REPOSITORY="${PARAPET_IMAGE_REPOSITORY:-$DEFAULT_REPOSITORY}"
TAG="${PARAPET_IMAGE_TAG:-$(chart_field appVersion "$CHART/Chart.yaml")}"
[[ -n "$REPOSITORY" && -n "$TAG" ]] || fail "cannot read image.repository from $CHART/values.yaml or appVersion from Chart.yaml."
IMAGE="$REPOSITORY:$TAG"
APP="$ROOT/operator/target/quarkus-app"
SBOM="$ROOT/operator/target/parapet-sbom.json"
[[ -f "$APP/quarkus-run.jar" ]] || fail "no $APP/quarkus-run.jar: package the operator first (./mvnw -B -o -pl operator -am package -DskipTests)."
[[ -f "$SBOM" ]] || fail "no $SBOM: the operator's package phase writes it (cyclonedx-maven-plugin)."
OUT="$ROOT/target/image"
mkdir -p "$OUT"
PODMAN=(podman --runtime runc)

# --- the Debian mirror apt uses here (deb822 .sources or one-line .list) ------------------------
mirror_for() { # $1 = suite; prints the first URI serving it
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    awk -v s="$1" '$1=="deb" { i=2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1)==s) { print $i; exit } }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    awk -v s="$1" '
      BEGIN { RS=""; FS="\n" }
      { uri=""; ok=0; deb=0
        for (i=1; i<=NF; i++) {
          if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); uri=a[2] }
          if ($i ~ /^Types:/ && $i ~ /[ \t]deb([ \t]|$)/) deb=1
          if ($i ~ /^Suites:/) { n=split($i, a, /[ \t]+/); for (j=2; j<=n; j++) if (a[j]==s) ok=1 }
        }
        if (ok && deb && uri!="") { print uri; exit } }' "$f"
  done
}
# A Debian archive serves every suite: on a Debian host of another release (e.g. bookworm) with no
# trixie entry, the mirror and security mirror of the host's own suite serve trixie too.
HOST_SUITE="$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release 2>/dev/null | head -n 1)"
MIRROR="${PARAPET_DEBIAN_MIRROR:-$({ mirror_for "$SUITE"; [[ -n "$HOST_SUITE" ]] && mirror_for "$HOST_SUITE"; } | head -n 1)}"
SECURITY_MIRROR="${PARAPET_DEBIAN_SECURITY_MIRROR:-$({ mirror_for "$SUITE-security"; [[ -n "$HOST_SUITE" ]] && mirror_for "$HOST_SUITE-security"; } | head -n 1)}"
[[ -n "$MIRROR" ]] || fail "no Debian mirror in /etc/apt/sources.list*: add one, or set PARAPET_DEBIAN_MIRROR (and PARAPET_DEBIAN_SECURITY_MIRROR)."
[[ -f /usr/share/keyrings/debian-archive-keyring.gpg ]] || fail "no /usr/share/keyrings/debian-archive-keyring.gpg: install debian-archive-keyring (debootstrap checks the mirror's signatures with it)."

# --- 1. the base root filesystem, cached by its inputs -------------------------------------------
# jlink: the modules the application needs. `jdeps -s --multi-release 25` (JDK 25) over each jar of
# operator/target/quarkus-app lists java.base, java.compiler, java.logging, java.management,
# java.naming, java.net.http, java.sql, java.xml, jdk.management, jdk.unsupported, plus
# java.desktop and jdk.compiler, which are left out:
# their only users are java.beans.Transient annotations on AWS SDK models (absent annotations are
# ignored), GraalVM substitutions in quarkus-core (native builds only), commons-lang3's unused
# circuit breaker and vertx-codegen (build time). Added because they are loaded as services, not
# linked: jdk.localedata (en and ja only), jdk.zipfs, jdk.naming.dns. jdk.crypto.ec is no longer
# needed: since JDK 22 its SunEC provider (TLS with EC keys and ECDHE) is in java.base and the module
# is an empty, deprecated shell. The image tests start both roles and scan moto on this runtime.
MODULES=java.base,java.compiler,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.localedata,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs
BASE_RECIPE=5 # bump when the steps below change in a way the other inputs do not show
KEY_INPUTS="recipe=$BASE_RECIPE suite=$SUITE mirror=$MIRROR security=$SECURITY_MIRROR runtime=$RUNTIME uid=$APP_UID arch=$(dpkg --print-architecture)"
[[ "$RUNTIME" == jlink ]] && KEY_INPUTS+=" modules=$MODULES"
KEY="$(printf '%s' "$KEY_INPUTS" | sha256sum | cut -c1-16)"
CACHE="${PARAPET_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/parapet/image}"
BASE_DIR="$CACHE/base-$KEY"
BASE_IMAGE="localhost/parapet-base:$KEY"
mkdir -p "$CACHE"
exec 8>"$CACHE/.lock-$KEY"
flock 8

BASE_SECONDS=0
if [[ "${PARAPET_IMAGE_REBUILD_BASE:-false}" == true ]]; then
  rm -rf "$BASE_DIR"
  "${PODMAN[@]}" rmi -f "$BASE_IMAGE" >/dev/null 2>&1 || true
fi
if [[ ! -f "$BASE_DIR/.complete" ]]; then
  log "building the $RUNTIME base ($SUITE from $MIRROR) into $BASE_DIR (about 5 minutes)"
  T0=$(date +%s)
  rm -rf "$BASE_DIR"
  WORK="$CACHE/work-$KEY-$$"
  ROOTFS="$WORK/rootfs"
  mkdir -p "$WORK"
  cleanup_work() {
    mountpoint -q "$ROOTFS/proc" 2>/dev/null && umount -l "$ROOTFS/proc"
    mountpoint -q "$ROOTFS/dev/pts" 2>/dev/null && umount -l "$ROOTFS/dev/pts"
    rm -rf "$WORK"
  }
  trap cleanup_work EXIT
  # The bare debootstrap result is cached too (keyed by suite, mirror and architecture), so a base
  # for another runtime or module list starts from it instead of from the mirror.
  STAGE0="$CACHE/debootstrap-$(printf '%s' "$SUITE $MIRROR $(dpkg --print-architecture)" | sha256sum | cut -c1-16).tar"
  if [[ -f "$STAGE0" ]]; then
    mkdir -p "$ROOTFS" && tar --numeric-owner -xpf "$STAGE0" -C "$ROOTFS"
  else
    debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
      || fail "debootstrap $SUITE from $MIRROR failed: $(tail -n 2 "$WORK/debootstrap.log" | tr '\n' ' ')"
    tar --numeric-owner --exclude=./proc/* --exclude=./sys/* -C "$ROOTFS" -cf "$STAGE0.tmp" . \
      && mv "$STAGE0.tmp" "$STAGE0"
  fi
  {
    echo "Types: deb"
    echo "URIs: $MIRROR"
    echo "Suites: $SUITE $SUITE-updates"
    echo "Components: main"
    echo "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
    if [[ -n "$SECURITY_MIRROR" ]]; then
      echo
      echo "Types: deb"
      echo "URIs: $SECURITY_MIRROR"
      echo "Suites: $SUITE-security"
      echo "Components: main"
      echo "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
    fi
  } >"$ROOTFS/etc/apt/sources.list.d/debian.sources"
  rm -f "$ROOTFS/etc/apt/sources.list"
  mount -t proc proc "$ROOTFS/proc"
  in_root() { chroot "$ROOTFS" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
  apt_in_root() {
    in_root apt-get -o APT::Sandbox::User=root -y --no-install-recommends "$@" >>"$WORK/apt.log" 2>&1 \
      || fail "apt-get $* in the base failed: $(tail -n 2 "$WORK/apt.log" | tr '\n' ' ')"
  }
  apt_in_root update
  apt_in_root upgrade
  case "$RUNTIME" in
    jre)
      apt_in_root install openjdk-25-jre-headless ca-certificates
      # Symlinks resolved inside the root (an absolute link resolved on the host names the host's JDK).
      ln -s "$(basename "$(dirname "$(dirname "$(in_root readlink -f /usr/bin/java)")")")" "$ROOTFS/usr/lib/jvm/current"
      ln -s /usr/lib/jvm/current "$ROOTFS/opt/java"
      ;;
    jlink)
      # jlink inside the base from Debian's JDK (same libc and libraries as the runtime), then
      # remove the JDK: only the jlink'ed runtime and the CA store it was given stay.
      apt_in_root install openjdk-25-jdk-headless ca-certificates ca-certificates-java
      JDK="$(dirname "$(dirname "$(in_root readlink -f /usr/bin/javac)")")"
      [[ -f "$ROOTFS$JDK/jmods/java.base.jmod" ]] || fail "no jmods in $JDK (jlink's input) after installing openjdk-25-jdk-headless."
      in_root "$JDK/bin/jlink" --add-modules "$MODULES" --strip-java-debug-attributes --no-header-files \
        --no-man-pages --include-locales=en,ja --generate-cds-archive --output /opt/java >>"$WORK/apt.log" 2>&1 \
        || fail "jlink failed: $(tail -n 2 "$WORK/apt.log" | tr '\n' ' ')"
      rm -f "$ROOTFS/opt/java/lib/security/cacerts"
      cp --dereference "$ROOTFS/etc/ssl/certs/java/cacerts" "$ROOTFS/opt/java/lib/security/cacerts"
      apt_in_root purge --autoremove openjdk-25-jdk-headless \
        openjdk-25-jre-headless ca-certificates-java java-common
      missing="$(in_root sh -c 'ldd /opt/java/bin/java /opt/java/lib/*.so /opt/java/lib/server/libjvm.so' 2>&1 | grep 'not found' | grep -v 'libjvm.so' | sort -u || true)"
      [[ -z "$missing" ]] || fail "the jlink'ed runtime lacks libraries after the JDK was removed: $missing"
      ;;
  esac
  in_root /opt/java/bin/java -Xshare:auto -version >>"$WORK/apt.log" 2>&1 \
    || fail "the $RUNTIME runtime does not start in the base: $(tail -n 2 "$WORK/apt.log" | tr '\n' ' ')"
  in_root groupadd --gid "$APP_UID" parapet
  in_root useradd --uid "$APP_UID" --gid "$APP_UID" --no-create-home --home-dir /deployments \
    --shell /usr/sbin/nologin parapet
  # shellcheck disable=SC2016 # dpkg-query's format, not a shell expansion
  in_root dpkg-query -W -f '${Package} ${Version} ${Architecture}\n' | sort >"$WORK/debian-packages.txt"
  # The newest Release date of the package lists used: the base's file times (stable for a
  # given set of lists).
  EPOCH=0
  for release in "$ROOTFS"/var/lib/apt/lists/*InRelease; do
    d="$(date -d "$(sed -n 's/^Date: //p' "$release" | head -n 1)" +%s 2>/dev/null || echo 0)"
    ((d > EPOCH)) && EPOCH=$d
  done
  ((EPOCH > 0)) || EPOCH="$(stat -c %Y "$ROOTFS/var/lib/dpkg/status")"
  umount -l "$ROOTFS/proc"
  # Trim what a JVM service never reads. Copyright files stay (licence compliance).
  rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/* "$ROOTFS"/var/cache/debconf/*-old \
    "$ROOTFS"/var/lib/dpkg/*-old "$ROOTFS"/var/log/* "$ROOTFS"/usr/share/man "$ROOTFS"/usr/share/info \
    "$ROOTFS"/usr/share/locale "$ROOTFS"/usr/share/lintian "$ROOTFS"/usr/share/linda \
    "$ROOTFS"/var/cache/ldconfig/aux-cache "$ROOTFS"/etc/machine-id "$ROOTFS"/tmp/* "$ROOTFS"/root/.??* \
    "$ROOTFS"/etc/*- "$ROOTFS"/etc/ssl/certs/java
  find "$ROOTFS/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete
  # Normalise for a stable tar: file times from the newest package list's date, numeric owners,
  # name order; /dev, /proc, /sys and /run come from the container runtime.
  find "$ROOTFS" -xdev -newermt "@$EPOCH" -exec touch --no-dereference --date "@$EPOCH" {} +
  mkdir -p "$BASE_DIR.new"
  tar --sort=name --numeric-owner --mtime="@$EPOCH" --clamp-mtime \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* --exclude=./run/* \
    -C "$ROOTFS" -cf "$BASE_DIR.new/rootfs.tar" .
  mv "$WORK/debian-packages.txt" "$BASE_DIR.new/"
  echo "$KEY_INPUTS" >"$BASE_DIR.new/inputs"
  echo "$EPOCH" >"$BASE_DIR.new/epoch"
  trap - EXIT
  cleanup_work
  mv "$BASE_DIR.new" "$BASE_DIR"
  touch "$BASE_DIR/.complete"
  "${PODMAN[@]}" rmi -f "$BASE_IMAGE" >/dev/null 2>&1 || true
  BASE_SECONDS=$(($(date +%s) - T0))
  log "base ready in ${BASE_SECONDS}s ($(du -sh "$BASE_DIR/rootfs.tar" | cut -f1) uncompressed)"
fi
if ! "${PODMAN[@]}" image exists "$BASE_IMAGE"; then
  CTX="$(mktemp -d)"
  ln "$BASE_DIR/rootfs.tar" "$CTX/rootfs.tar" 2>/dev/null || cp "$BASE_DIR/rootfs.tar" "$CTX/rootfs.tar"
  printf 'FROM scratch\nADD rootfs.tar /\n' >"$CTX/Containerfile"
  "${PODMAN[@]}" build --pull=never --quiet --timestamp "$(cat "$BASE_DIR/epoch")" \
    --label "dev.parapet.base.inputs=$(cat "$BASE_DIR/inputs")" -t "$BASE_IMAGE" "$CTX" >/dev/null \
    || { rm -rf "$CTX"; fail "podman could not import the base root filesystem as $BASE_IMAGE."; }
  rm -rf "$CTX"
fi
flock -u 8

# --- 2. the application on top --------------------------------------------------------------------
T1=$(date +%s.%N)
REVISION="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
if [[ "$REVISION" != unknown && -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
  REVISION="$REVISION-dirty"
fi
SOURCE="${PARAPET_IMAGE_SOURCE:-https://github.com/parapet-dev/parapet}"
CREATED_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 0)}"
VERSION="$TAG"
CTX="$OUT/context"
rm -rf "$CTX"
mkdir -p "$CTX/sbom"
cp -a "$APP" "$CTX/quarkus-app"
cp "$SBOM" "$CTX/sbom/parapet-sbom.cdx.json"
cp "$BASE_DIR/debian-packages.txt" "$CTX/sbom/debian-packages.txt"
cp "$ROOT/operator/src/main/image/Containerfile" "$CTX/Containerfile"
# Stable file metadata in the context: COPY keeps mode bits, --timestamp sets the times.
find "$CTX" -type d -exec chmod 0755 {} + && find "$CTX" -type f -exec chmod 0644 {} +
PREVIOUS_ID="$("${PODMAN[@]}" image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
"${PODMAN[@]}" build --pull=never --layers --network=none --timestamp "$CREATED_EPOCH" \
  --build-arg "BASE=$BASE_IMAGE" --build-arg "VERSION=$VERSION" --build-arg "REVISION=$REVISION" \
  --build-arg "SOURCE=$SOURCE" --build-arg "RUNTIME=$RUNTIME" --build-arg "UID=$APP_UID" \
  -t "$IMAGE" -f "$CTX/Containerfile" "$CTX" >"$OUT/podman-build.log" 2>&1 \
  || fail "podman build failed: $(tail -n 3 "$OUT/podman-build.log" | tr '\n' ' ')"
rm -rf "$CTX"
# The image this build replaced under the same name: removed once no name is left on it (another
# tag of it stays, and so does an image a container still uses).
if [[ -n "$PREVIOUS_ID" && "$PREVIOUS_ID" != "$("${PODMAN[@]}" image inspect --format '{{.Id}}' "$IMAGE")" ]] \
  && [[ "$("${PODMAN[@]}" image inspect --format '{{len .RepoTags}}' "$PREVIOUS_ID" 2>/dev/null)" == 0 ]]; then
  "${PODMAN[@]}" rmi "$PREVIOUS_ID" >/dev/null 2>&1 || true
fi
APP_SECONDS=$(awk -v a="$T1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

# --- outputs beside the image ------------------------------------------------------------------
ARCHIVE="$OUT/parapet-$TAG.oci.tar"
rm -f "$ARCHIVE"
# skopeo writes each layer gzip-compressed, as a registry would store it.
skopeo copy --quiet "containers-storage:$IMAGE" "oci-archive:$ARCHIVE:$IMAGE" >/dev/null 2>"$OUT/skopeo.log" \
  || fail "skopeo could not write $ARCHIVE: $(tail -n 1 "$OUT/skopeo.log")"
cp "$SBOM" "$OUT/parapet-$TAG.sbom.cdx.json"
cp "$BASE_DIR/debian-packages.txt" "$OUT/debian-packages.txt"
ID="$("${PODMAN[@]}" image inspect --format '{{.Id}}' "$IMAGE")"
DIGEST="$("${PODMAN[@]}" image inspect --format '{{.Digest}}' "$IMAGE")"
UNCOMPRESSED="$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE")"
COMPRESSED="$(stat -c %s "$ARCHIVE")"
cat >"$OUT/build.env" <<EOF
IMAGE=$IMAGE
IMAGE_ID=$ID
IMAGE_DIGEST=$DIGEST
BASE_IMAGE=$BASE_IMAGE
RUNTIME=$RUNTIME
REVISION=$REVISION
UNCOMPRESSED_BYTES=$UNCOMPRESSED
ARCHIVE=$ARCHIVE
ARCHIVE_BYTES=$COMPRESSED
BASE_BUILD_SECONDS=$BASE_SECONDS
APP_BUILD_SECONDS=$APP_SECONDS
EOF
TOTAL=$(awk -v a="$START_ALL" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "TOTAL_SECONDS=$TOTAL" >>"$OUT/build.env"
log "$IMAGE ($RUNTIME) $((UNCOMPRESSED / 1000000)) MB, archive $((COMPRESSED / 1000000)) MB at ${ARCHIVE#"$ROOT/"}, in ${TOTAL}s (base ${BASE_SECONDS}s, app ${APP_SECONDS}s)"
