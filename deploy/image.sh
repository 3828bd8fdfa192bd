#!/usr/bin/env bash
# Build xianfeng's images with podman (or docker), cached and idempotent.
#
#   deploy/image.sh [app]      the image of every piece, tagged with pyproject's version (make image)
#   deploy/image.sh base       the local Debian base (used when no registry serves python:3.11-slim)
#   deploy/image.sh infra      PostgreSQL 15 and Redis 7 from Debian's packages, for deploy/compose.yaml
#   deploy/image.sh all        all of them (make images)
#
# Where a registry answers, the app builds FROM python:3.11-slim-bookworm.  Where none does (our
# machines), the base is made here: mmdebstrap (a faster debootstrap) installs a minimal bookworm
# with python3 from the Debian mirror this machine's apt uses, the machine's CA bundle is copied in
# (pip inside the build reaches PyPI through it), and `podman import` makes the image.  Its inputs
# are hashed into a label: the base is rebuilt only when they change.
#
# Variables: ENGINE (podman|docker), IMAGE (default xianfeng:VERSION), PYTHON_IMAGE (skip the choice),
# BASE_IMAGE, POSTGRES_IMAGE, REDIS_IMAGE (local tags), DEBIAN_SOURCES (an apt sources file).
set -euo pipefail
cd "$(dirname "$0")/.."

ENGINE=${ENGINE:-$(command -v podman >/dev/null && echo podman || echo docker)}
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
IMAGE=${IMAGE:-xianfeng:$VERSION}
REGISTRY_PYTHON=python:3.11-slim-bookworm
BASE_IMAGE=${BASE_IMAGE:-localhost/xianfeng-python:3.11-bookworm}
POSTGRES_IMAGE=${POSTGRES_IMAGE:-localhost/xianfeng-postgres:15-bookworm}
REDIS_IMAGE=${REDIS_IMAGE:-localhost/xianfeng-redis:7-bookworm}
SUITE=bookworm
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

say() { echo "image.sh: $*" >&2; }

# podman: docker format, or HEALTHCHECK is dropped; host network: no container networking needed
build_flags() {
  if [ "$ENGINE" = podman ]; then echo --format docker --layers --network host; else echo --network host; fi
}

exists() { "$ENGINE" image inspect "$1" >/dev/null 2>&1; }

label() { "$ENGINE" image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }

size_mb() { "$ENGINE" image inspect --format '{{.Size}}' "$1" | awk '{printf "%.0f", $1 / 1000000}'; }

# The Debian entries of this machine's apt sources (deb822 or one-line files), as one file.
debian_sources() {
  if [ -n "${DEBIAN_SOURCES:-}" ]; then cat "$DEBIAN_SOURCES"; return; fi
  local file found=0
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    if grep -Eq '^(deb|URIs:)[[:space:]].*/debian(-security)?/?([[:space:]]|$)' "$file" \
       && grep -Eq "(^|[[:space:]])$SUITE([-[:space:]]|$)" "$file"; then
      cat "$file"; echo; found=1
    fi
  done
  [ "$found" = 1 ] || echo "deb http://deb.debian.org/debian $SUITE main"
}

build_base() (  # a subshell: its temporary directory goes when it ends
  workdir=$(mktemp -d)
  trap 'rm -rf "$workdir"' EXIT
  debian_sources > "$workdir/debian.sources"
  mkdir -p "$workdir/local-ca"
  cp /usr/local/share/ca-certificates/*.crt "$workdir/local-ca/" 2>/dev/null || true
  # minbase + python3; no docs, man pages, locales or apt lists; merged /usr without the usrmerge
  # package (which would pull in perl)
  # shellcheck disable=SC2054  # the commas belong to --include
  recipe=(--variant=minbase --include=python3,python3-venv,python-is-python3,ca-certificates
          --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr --aptopt='Acquire::Languages "none"'
          --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
          --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
          --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/lintian/*')
  inputs=$({ printf '%s\n' "$SUITE" "${recipe[@]}"; cat "$workdir/debian.sources" "$CA_BUNDLE" "$workdir"/local-ca/*; } \
           2>/dev/null | sha256sum | cut -c1-16)
  if exists "$BASE_IMAGE" && [ "$(label "$BASE_IMAGE" xianfeng.base.inputs)" = "$inputs" ]; then
    say "$BASE_IMAGE is up to date ($inputs)"; exit 0
  fi
  if ! command -v mmdebstrap >/dev/null; then
    say "installing mmdebstrap"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
  fi
  say "building $BASE_IMAGE from Debian $SUITE (mirror: this machine's apt sources)"
  started=$SECONDS
  # the machine's CAs: in the bundle, and where update-ca-certificates keeps them in derived images
  mmdebstrap --quiet "${recipe[@]}" \
    --customize-hook="copy-in $CA_BUNDLE /etc/ssl/certs" \
    --customize-hook="sync-in $workdir/local-ca /usr/local/share/ca-certificates" \
    "$SUITE" "$workdir/rootfs.tar" "$workdir/debian.sources"
  "$ENGINE" import --quiet \
    --change "LABEL xianfeng.base.inputs=$inputs" \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["python3"]' \
    "$workdir/rootfs.tar" "$BASE_IMAGE" >/dev/null
  say "$BASE_IMAGE: $(size_mb "$BASE_IMAGE") MB, built in $((SECONDS - started)) s"
)

# python:3.11-slim from a registry where one answers, else the local base
python_image() {
  if [ -n "${PYTHON_IMAGE:-}" ]; then echo "$PYTHON_IMAGE"; return; fi
  if exists "$REGISTRY_PYTHON" || timeout 120 "$ENGINE" pull --quiet "docker.io/library/$REGISTRY_PYTHON" \
       >/dev/null 2>&1; then
    echo "$REGISTRY_PYTHON"; return
  fi
  say "no registry serves $REGISTRY_PYTHON: using the local Debian base"
  build_base
  echo "$BASE_IMAGE"
}

# A digest of what a build reads (its files and its base image): an image carrying the same digest
# in its label is up to date, and the build is skipped (the engine's layer cache serves the rest).
inputs_of() {  # BASE PATH...
  local base=$1; shift
  { "$ENGINE" image inspect --format '{{.Id}}' "$base"
    find "$@" -type f ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-16
}

up_to_date() {  # IMAGE INPUTS
  exists "$1" && [ "$(label "$1" xianfeng.inputs)" = "$2" ]
}

build_app() {
  local base inputs started=$SECONDS
  base=$(python_image)
  inputs=$(inputs_of "$base" pyproject.toml README.md shared services deploy/Dockerfile \
           deploy/Dockerfile.dockerignore deploy/healthcheck.py deploy/prune_bytecode.py)
  if up_to_date "$IMAGE" "$inputs"; then
    say "$IMAGE is up to date ($inputs): $(size_mb "$IMAGE") MB"; return
  fi
  say "building $IMAGE from $base"
  # docker reads deploy/Dockerfile.dockerignore by itself; podman 4.3 is told
  local ignore=(); [ "$ENGINE" = podman ] && ignore=(--ignorefile deploy/Dockerfile.dockerignore)
  # shellcheck disable=SC2046
  "$ENGINE" build $(build_flags) "${ignore[@]}" \
    --build-arg "PYTHON_IMAGE=$base" --label "org.opencontainers.image.version=$VERSION" \
    --label "xianfeng.inputs=$inputs" -f deploy/Dockerfile -t "$IMAGE" . >&2
  say "$IMAGE: $(size_mb "$IMAGE") MB, build took $((SECONDS - started)) s"
}

# Debian's postgresql-15 and redis-server on the same base (it has apt and this machine's CAs)
build_infra() {
  local base name tag inputs started
  base=$(python_image)
  for name in postgres redis; do
    started=$SECONDS
    tag=$POSTGRES_IMAGE; [ "$name" = redis ] && tag=$REDIS_IMAGE
    inputs=$(inputs_of "$base" "deploy/images/$name")
    if up_to_date "$tag" "$inputs"; then
      say "$tag is up to date ($inputs): $(size_mb "$tag") MB"; continue
    fi
    # shellcheck disable=SC2046
    "$ENGINE" build $(build_flags) --build-arg "BASE_IMAGE=$base" --label "xianfeng.inputs=$inputs" \
      -f "deploy/images/$name/Dockerfile" -t "$tag" "deploy/images/$name" >&2
    say "$tag: $(size_mb "$tag") MB, build took $((SECONDS - started)) s"
  done
}

case "${1:-app}" in
  app) build_app ;;
  base) build_base ;;
  infra) build_infra ;;
  all)  # the base once, then the app and the infrastructure images side by side
    PYTHON_IMAGE=$(python_image)
    build_app & app=$!
    build_infra & infra=$!
    status=0; wait "$app" || status=$?; wait "$infra" || status=$?
    exit "$status" ;;
  *) echo "usage: deploy/image.sh [app|base|infra|all]" >&2; exit 2 ;;
esac
