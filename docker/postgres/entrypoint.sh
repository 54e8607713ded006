#!/bin/bash
# Initialises the data directory on first start (database owg, password auth for the network;
# the superuser has no password, so only the container's own postgres user can be it), makes the
# roles on every start (owg_owner owns owg and applies its schema; owg_silo may only use the
# Orleans tables), then runs PostgreSQL in the foreground as the postgres user. The two logins'
# passwords come as files (compose's secrets), never in the container's environment.
set -euo pipefail
owner_password_file=${OWG_OWNER_PASSWORD_FILE:-/run/secrets/db-owner-password}
silo_password_file=${OWG_SILO_PASSWORD_FILE:-/run/secrets/db-silo-password}
for file in "$owner_password_file" "$silo_password_file"; do
  [ -s "$file" ] || { echo "the password file $file is missing or empty" >&2; exit 1; }
  # One line, as the processes read it, and nothing that would end the SQL string it goes into.
  [ "$(wc -l <"$file")" -le 1 ] && ! grep -q "['\\]" "$file" \
    || { echo "the password file $file must hold one line without ' or \\" >&2; exit 1; }
done
bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
mkdir -p "$PGDATA" /run/postgresql
chown postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
if [ ! -f "$PGDATA/PG_VERSION" ]; then
  runuser -u postgres -- "$bin/initdb" -D "$PGDATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 -E UTF8 >/dev/null
  echo "host all all 0.0.0.0/0 scram-sha-256" >>"$PGDATA/pg_hba.conf"
  runuser -u postgres -- "$bin/postgres" --single -D "$PGDATA" -j postgres <<<"CREATE DATABASE owg;" >/dev/null
fi
sql=$(</usr/local/share/owg/roles.sql)
sql=${sql//@OWNER_PASSWORD@/"$(<"$owner_password_file")"}
sql=${sql//@SILO_PASSWORD@/"$(<"$silo_password_file")"}
runuser -u postgres -- "$bin/postgres" --single -D "$PGDATA" -j owg <<<"$sql"$'\n' >/dev/null
exec runuser -u postgres -- "$bin/postgres" -D "$PGDATA" -c listen_addresses='*' -c max_connections=300
