#!/bin/bash
# One database and one role per service: a service's credentials open its own database only.
# Runs once, when the PostgreSQL volume is empty (docker-entrypoint-initdb.d).
# Passwords come from PLEDGE_DB_PASSWORD, SURVEY_DB_PASSWORD, NOTIFY_DB_PASSWORD.
set -euo pipefail

for service in pledge survey notify; do
  var="${service^^}_DB_PASSWORD"
  password="${!var:?$var is not set}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v role="$service" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role" ENCODING 'UTF8' TEMPLATE template0;
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
