#!/usr/bin/env bash
# Brings the whole stack up on this machine: PostgreSQL (data in /var/lib/orleanswg), the Silo
# and the Gateway on 127.0.0.1. Prints the Gateway URL and the admin token; Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/prerequisites.sh
source scripts/lib/prerequisites.sh
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=scripts/lib/processes.sh
source scripts/lib/processes.sh

state=/var/lib/orleanswg
pg_data=$state/postgres
pg_port=${OWG_PG_PORT:-55432}
http_port=${OWG_HTTP_PORT:-8080}
logs=$state/logs

install_prerequisites
mkdir -p "$logs"
if [ ! -s "$state/admin-token" ]; then
  (umask 077; tr -dc 'A-Za-z0-9' </dev/urandom | head -c 40 >"$state/admin-token")
fi

cleanup() {
  trap '' INT TERM
  stop_all
  pg_stop "$pg_data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pg_start "$pg_data" "$pg_port"
dotnet build OrleansWg.sln -c Release -v quiet -nologo

export ConnectionStrings__Orleans
ConnectionStrings__Orleans=$(pg_connection_string "$pg_port")
export Gateway__AdminToken
Gateway__AdminToken=$(cat "$state/admin-token")
export ASPNETCORE_URLS="http://127.0.0.1:$http_port"

start_logged "$logs/silo.log" dotnet Silo/bin/Release/net10.0/OrleansWg.Silo.dll
start_logged "$logs/gateway.log" dotnet Gateway/bin/Release/net10.0/OrleansWg.Gateway.dll
wait_for_url "http://127.0.0.1:$http_port/healthz" 120 "the Gateway to reach the cluster"

cat <<INFO

OrleansWg is up.
  Gateway:      http://127.0.0.1:$http_port   (OpenAPI: /openapi/v1.json)
  Admin token:  $Gateway__AdminToken
  Logs:         $logs
  Create a user:
    curl -s -H "Authorization: Bearer $Gateway__AdminToken" -H 'Content-Type: application/json' \\
      -d '{"username":"alice","password":"alice-password"}' http://127.0.0.1:$http_port/v1/admin/users
Ctrl-C stops everything.
INFO
wait -n "${OWG_PIDS[@]}"
echo "a process stopped; see $logs" >&2
