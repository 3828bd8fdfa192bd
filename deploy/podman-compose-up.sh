#!/usr/bin/env bash
# deploy/compose.yaml with podman-compose on podman 4.3 (Debian 12), in the order its depends_on
# states.  podman 4.3 can neither wait for "healthy" (podman-compose skips service_healthy before
# podman 4.6) nor start a container whose required containers require others (--requires
# chains fail), so this starts the stack in the three steps compose would take:
#   1. postgres and redis, until their compose healthchecks pass;
#   2. the three migration jobs, each of which must exit 0;
#   3. everything else (web, workers, beat, flower).
# With docker compose, or a podman that has neither limit, `up -d` alone does the same.
#
#   PROJECT=xianfeng PODMAN_COMPOSE=podman-compose deploy/podman-compose-up.sh
# Settings come from the environment or deploy/.env, as for compose (see deploy/env.example).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PROJECT=${PROJECT:-xianfeng}
TIMEOUT=${TIMEOUT:-120}
read -r -a PODMAN_COMPOSE <<< "${PODMAN_COMPOSE:-podman-compose}"
compose() { "${PODMAN_COMPOSE[@]}" -p "$PROJECT" -f "$here/compose.yaml" "$@"; }

container() {  # the container of a service (the first replica)
  podman ps -a --filter "label=io.podman.compose.project=$PROJECT" \
    --filter "label=com.docker.compose.service=$1" --format '{{.Names}}' | head -n1
}

compose up -d --no-build --no-deps postgres redis
for service in postgres redis; do
  name=$(container "$service")
  deadline=$((SECONDS + TIMEOUT))
  until podman healthcheck run "$name" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "podman-compose-up: $service not healthy after ${TIMEOUT} s" >&2; podman logs --tail 30 "$name" >&2; exit 1
    fi
    sleep 1
  done
done

migrations=$(compose config --services | grep '^migrate-')
# shellcheck disable=SC2086
compose up -d --no-build --no-deps $migrations
for service in $migrations; do
  name=$(container "$service")
  code=$(podman wait "$name")
  if [ "$code" != 0 ]; then
    echo "podman-compose-up: $service exited $code" >&2; podman logs --tail 30 "$name" >&2; exit 1
  fi
done

rest=$(compose config --services | grep -v -x -e postgres -e redis -e 'migrate-.*')
# shellcheck disable=SC2086
compose up -d --no-build --no-deps $rest
