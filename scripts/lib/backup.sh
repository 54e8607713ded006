# shellcheck shell=bash
# A backup of the control plane's database, and its restore. Everything durable of the control
# plane is in that one PostgreSQL database. Orleans' membership rows are left out: they list the
# silos of the moment, which a restored cluster must not wait for (each silo enters itself at start).
#
# RUNNER... is what runs the PostgreSQL client as a role that may read and make every object, e.g.
# `runuser -u postgres -- env PGHOST=/var/lib/orleanswg/postgres PGPORT=55432` (run.sh's server) or
# `docker-compose -p NAME -f docker/compose.yaml exec -T -u postgres postgres` (compose's).

# db_backup FILE DATABASE RUNNER...: a pg_dump of DATABASE into FILE (custom format, mode 600: it
# holds password hashes and the installation's records), taken while everything runs; FILE appears
# only once the dump is whole.
db_backup() {
  local file=$1 database=$2
  shift 2
  if ! (umask 077 && "$@" pg_dump --format=custom --exclude-table-data='orleansmembership*' "$database" >"$file.partial"); then
    rm -f "$file.partial"
    return 1
  fi
  mv "$file.partial" "$file"
}

# db_restore FILE DATABASE RUNNER...: DATABASE made as the backup FILE holds it, in one transaction
# (every object of the backup dropped and made again). Stop the silos and Gateways first and start
# them after; the nodes keep running and converge to the restored desired state.
db_restore() {
  local file=$1 database=$2
  shift 2
  "$@" pg_restore --clean --if-exists --single-transaction --exit-on-error --dbname="$database" <"$file"
}
