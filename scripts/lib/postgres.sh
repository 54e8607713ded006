# shellcheck shell=bash
# A PostgreSQL server of the project's own: Debian's binaries, a data directory under
# .artifacts, a port on 127.0.0.1, started and stopped with pg_ctl (no systemd needed).

pg_bin() { printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

# pg_start DATA_DIR PORT: initialise DATA_DIR when empty, start the server, create database owg.
pg_start() {
  local data=$1 port=$2 bin
  bin=$(pg_bin)
  mkdir -p "$data"
  chmod 755 "$(dirname "$data")"
  chown postgres:postgres "$data"
  chmod 700 "$data"
  if [ ! -f "$data/PG_VERSION" ]; then
    runuser -u postgres -- "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  if ! runuser -u postgres -- "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $data -c max_connections=200" start >/dev/null
  fi
  runuser -u postgres -- "$bin/psql" -h "$data" -p "$port" -U postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'owg'" | grep -q 1 \
    || runuser -u postgres -- "$bin/createdb" -h "$data" -p "$port" -U postgres owg
}

# pg_require_passwords DATA_DIR: from now on a connection over TCP needs a password (scram-sha-256);
# the postgres superuser keeps peer access over the socket in DATA_DIR, for administration.
pg_require_passwords() {
  printf 'local all postgres peer\nhost all all 127.0.0.1/32 scram-sha-256\n' >"$1/pg_hba.conf"
  runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$1" reload >/dev/null
}

# pg_app_roles DATA_DIR PORT OWNER_PASSWORD SILO_PASSWORD: the roles of docker/postgres/roles.sql
# (owg_owner owns the schema; owg_silo may only use the Orleans tables). The passwords reach psql
# on stdin, not on a command line.
pg_app_roles() {
  local sql
  sql=$(<docker/postgres/roles.sql)
  sql=${sql//@OWNER_PASSWORD@/"$3"}
  sql=${sql//@SILO_PASSWORD@/"$4"}
  runuser -u postgres -- "$(pg_bin)/psql" -h "$1" -p "$2" -U postgres -d owg -v ON_ERROR_STOP=1 -q -f - <<<"$sql" >/dev/null
}

# pg_stop DATA_DIR
pg_stop() {
  local data=$1
  [ -f "$data/PG_VERSION" ] || return 0
  runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_connection_string PORT [DATABASE] [USER PASSWORD]
pg_connection_string() {
  echo "Host=127.0.0.1;Port=$1;Database=${2:-owg};Username=${3:-postgres};${4:+Password=$4;}Pooling=true;Maximum Pool Size=50"
}

# pg_for_tests NAME PORT: a server of the tests' (or benchmarks') own, stopped when the
# calling script exits; OWG_TEST_POSTGRES tells the test harness where it is.
pg_for_tests() {
  local data=/var/lib/orleanswg/postgres-$1
  # shellcheck disable=SC2064 # the trap must keep this call's data directory
  trap "pg_stop '$data'" EXIT
  pg_start "$data" "$2"
  export OWG_TEST_POSTGRES="Host=127.0.0.1;Port=$2;Username=postgres;Database=postgres"
}
