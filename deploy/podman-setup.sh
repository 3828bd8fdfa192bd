#!/usr/bin/env bash
# Make this machine run containers the way deploy/ and tests/deploy/containers expect (root, Debian):
# podman with runc (crun fails on these machines), mmdebstrap for the local base image, iptables for
# netavark (a compose network), and
# /etc/containers/containers.conf with no default ulimits and no pids limit (the machines refuse
# both).  Installs only what is missing; never overwrites a containers.conf it did not write.
set -euo pipefail

CONF=/etc/containers/containers.conf
MARK="# written by xianfeng deploy/podman-setup.sh"

missing=()
command -v podman >/dev/null || missing+=(podman)
command -v runc >/dev/null || missing+=(runc)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
command -v iptables >/dev/null || missing+=(iptables)  # netavark sets up the compose stack's network with it
if [ ${#missing[@]} -gt 0 ]; then
  echo "podman-setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    catatonit netavark aardvark-dns uidmap >/dev/null
fi

if [ ! -e "$CONF" ] || head -n1 "$CONF" | grep -qxF "$MARK"; then
  mkdir -p "$(dirname "$CONF")"
  cat > "$CONF" <<EOF
$MARK
[containers]
default_ulimits = []
pids_limit = 0

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
else
  for setting in 'default_ulimits = \[\]' 'pids_limit = 0' 'runtime = "runc"'; do
    if ! grep -Eq "^[[:space:]]*$setting" "$CONF"; then
      echo "podman-setup: $CONF lacks ${setting//\\/}; add it (this script does not edit a file it did not write)" >&2
      exit 1
    fi
  done
fi

podman info --format '{{.Host.OCIRuntime.Name}}' | grep -qx runc
echo "podman-setup: $(podman --version) with runc, $CONF ready"
