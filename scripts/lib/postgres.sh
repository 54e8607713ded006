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

# pg_app_roles DATA_DIR PORT OWNER_PASSWORD SILO_PASSWORD: owg_owner owns database owg and applies
# its schema; owg_silo may read and write the Orleans tables and run their functions, nothing more.
# Idempotent; the passwords reach psql on stdin, not on a command line.
pg_app_roles() {
  runuser -u postgres -- "$(pg_bin)/psql" -h "$1" -p "$2" -U postgres -d owg -v ON_ERROR_STOP=1 -q -f - <<SQL >/dev/null
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'owg_owner') THEN CREATE ROLE owg_owner LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'owg_silo') THEN CREATE ROLE owg_silo LOGIN; END IF;
END \$\$;
ALTER ROLE owg_owner PASSWORD '$3';
ALTER ROLE owg_silo PASSWORD '$4';
ALTER DATABASE owg OWNER TO owg_owner;
ALTER SCHEMA public OWNER TO owg_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO owg_silo;
-- An installation from before the roles: its tables and functions were the superuser's.
DO \$\$ DECLARE o record; BEGIN
  FOR o IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'owg_owner' LOOP
    EXECUTE format('ALTER TABLE %I OWNER TO owg_owner', o.tablename);
  END LOOP;
  FOR o IN SELECT p.oid::regprocedure AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> 'owg_owner' LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO owg_owner', o.f);
  END LOOP;
END \$\$;
SQL
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
