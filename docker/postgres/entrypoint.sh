#!/bin/bash
# Initialises the data directory on first start (database owg, password auth for the network),
# makes the roles on every start (owg_owner owns owg and applies its schema; owg_silo may only
# use the Orleans tables), then runs PostgreSQL in the foreground as the postgres user.
set -euo pipefail
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
: "${OWG_OWNER_PASSWORD:?OWG_OWNER_PASSWORD must be set}"
: "${OWG_SILO_PASSWORD:?OWG_SILO_PASSWORD must be set}"
bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
mkdir -p "$PGDATA" /run/postgresql
chown postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
if [ ! -f "$PGDATA/PG_VERSION" ]; then
  password_file=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$password_file"
  chown postgres "$password_file"
  runuser -u postgres -- "$bin/initdb" -D "$PGDATA" -U postgres --pwfile="$password_file" \
    --auth-local=peer --auth-host=scram-sha-256 -E UTF8 >/dev/null
  rm -f "$password_file"
  echo "host all all 0.0.0.0/0 scram-sha-256" >>"$PGDATA/pg_hba.conf"
  runuser -u postgres -- "$bin/postgres" --single -D "$PGDATA" -j postgres <<<"CREATE DATABASE owg;" >/dev/null
fi
sql=$(</usr/local/share/owg/roles.sql)
sql=${sql//@OWNER_PASSWORD@/$OWG_OWNER_PASSWORD}
sql=${sql//@SILO_PASSWORD@/$OWG_SILO_PASSWORD}
runuser -u postgres -- "$bin/postgres" --single -D "$PGDATA" -j owg <<<"$sql"$'\n' >/dev/null
exec runuser -u postgres -- "$bin/postgres" -D "$PGDATA" -c listen_addresses='*' -c max_connections=300
