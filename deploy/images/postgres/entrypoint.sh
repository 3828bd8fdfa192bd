#!/bin/bash
# A small docker-entrypoint.sh of the official postgres image: first start initialises PGDATA with
# POSTGRES_USER / POSTGRES_PASSWORD (scram-sha-256 over TCP), runs /docker-entrypoint-initdb.d once
# on a server listening on its unix socket only, then runs postgres on every address as user postgres.
set -euo pipefail

if [ "$(id -u)" = 0 ]; then  # a fresh volume is root's: hand it to postgres, then drop root
  install -d -o postgres -g postgres -m 0700 "$PGDATA"
  chown -R postgres:postgres "$PGDATA" /run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ "${1:-}" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  export POSTGRES_USER=${POSTGRES_USER:-postgres}
  : "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") --encoding=UTF8 \
    --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  for f in /docker-entrypoint-initdb.d/*; do  # shellcheck disable=SC1090  # the scripts compose mounts
    case "$f" in
      *.sh) echo "entrypoint: running $f"; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
      *.sql) echo "entrypoint: running $f"; psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" -d postgres -f "$f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "entrypoint: database initialised"
fi

if [ "${1:-}" = postgres ]; then
  set -- "$@" -c listen_addresses='*'
fi
exec "$@"
