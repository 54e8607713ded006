#!/usr/bin/env bash
# Brings the whole stack up on this machine: PostgreSQL (data in /var/lib/orleanswg), dockerd,
# the Silo, the Gateway and one NodeHost (node-1, public address 198.18.4.1 on lo). Prints the
# Gateway URL, where the owner's password and token are, and how to add a user and connect; Ctrl-C stops what it
# started. With --demo it makes a user demo, runs a client in a network namespace of its own,
# fetches a page through the tunnel, prints what happened, cleans up and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/prerequisites.sh
source scripts/lib/prerequisites.sh
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=scripts/lib/processes.sh
source scripts/lib/processes.sh
# shellcheck source=scripts/lib/docker.sh
source scripts/lib/docker.sh
# shellcheck source=scripts/lib/demo.sh
source scripts/lib/demo.sh
# shellcheck source=scripts/lib/dns.sh
source scripts/lib/dns.sh
# shellcheck source=scripts/lib/secrets.sh
source scripts/lib/secrets.sh
# shellcheck source=scripts/lib/pki.sh
source scripts/lib/pki.sh
# shellcheck source=scripts/lib/servers.sh
source scripts/lib/servers.sh
# shellcheck source=scripts/lib/owner.sh
source scripts/lib/owner.sh

demo=false
case ${1:-} in
  --demo) demo=true ;;
  "") ;;
  *) echo "usage: scripts/run.sh [--demo]" >&2; exit 2 ;;
esac

# OWG_RUN_STATE moves the stack's state (database, secrets, logs, the node's directories) elsewhere;
# CI runs a first run from an empty one.
state=${OWG_RUN_STATE:-/var/lib/orleanswg}
pg_data=$state/postgres
pg_port=${OWG_PG_PORT:-55432}
http_port=${OWG_HTTP_PORT:-8080}
logs=$state/logs
node_address=198.18.4.1
# A /20: an address for each of up to ~4,000 containers (docs/operations.md, "Sizing a node").
node_subnet=198.18.48.0/20

install_prerequisites
mkdir -p "$logs"
adopt_admin_token "$state"
secret_file "$state/bootstrap-token" >/dev/null
secret_file "$state/session-seal-key" >/dev/null
secret_file "$state/mfa-secret-key" >/dev/null
admin_header=$state/admin-header
# The installation's own cluster: a random id, and a CA whose certificates and role credentials
# every process needs to join it (mutual TLS). The node enrolls with a join token instead: the silo
# issues its certificate with the node CA.
pki=$state/pki
pki_authority "$pki"
pki_member "$pki" silo silo
pki_member "$pki" gateway gateway
pki_node_authority "$pki"
pki_web "$pki" 127.0.0.1 "$node_address"
gateway_url=https://$node_address:$http_port
cluster_id=owg-$(secret_file "$state/cluster-id" | cut -c1-16)

# The node's containers whose directories are in $1: a demo's, whose state goes with it.
remove_containers_in() {
  # shellcheck disable=SC2046 # one word per container id
  docker_remove $(docker ps -a --filter "label=owg.installation=$cluster_id" --filter label=owg.node=node-1 --format '{{.ID}} {{.Label "owg.uapi"}}' \
    | while read -r id uapi; do if [[ $uapi == "$1"/* ]]; then echo "$id"; fi; done)
}

cleanup() {
  trap '' INT TERM
  stop_all
  iptables -D DOCKER-USER -s "$node_subnet" ! -d 198.18.0.0/15 -j DROP 2>/dev/null || true
  demo_cleanup
  run_dns_stop
  if $demo; then remove_containers_in "$state/nodes"; fi
  pg_stop "$pg_data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
pg_start "$pg_data" "$pg_port"
# Least privilege in the database: passwords over TCP; the schema is owg_owner's, applied at
# install; the silo logs in as owg_silo, which may only use the Orleans tables.
pg_require_passwords "$pg_data"
owner_password=$(secret_file "$state/db-owner-password")
silo_password=$(secret_file "$state/db-silo-password")
pg_app_roles "$pg_data" "$pg_port" "$owner_password" "$silo_password"
docker_start
docker_session_image
ip -4 -o addr show dev lo | grep -q " $node_address/" || ip addr add "$node_address/32" dev lo
remove_unlabelled_node_containers node-1
# The node network of an earlier state directory (another cluster id) on this subnet would keep the
# node from making its own: that state's containers go with it.
for network in $(docker network ls -q --filter label=owg.node=node-1); do
  installation=$(docker network inspect "$network" --format '{{index .Labels "owg.installation"}}')
  if [ "$installation" != "$cluster_id" ] \
    && [ "$(docker network inspect "$network" --format '{{(index .IPAM.Config 0).Subnet}}')" = "$node_subnet" ]; then
    remove_node_containers "$installation" node-1
  fi
done
# A node network left by an earlier version on another subnet would escape the rule below:
# the node's containers are its state, and the node makes them again from the database.
if [ -n "$(docker network ls -q --filter "name=^$cluster_id.node-1$")" ] \
  && [ "$(docker network inspect "$cluster_id.node-1" --format '{{(index .IPAM.Config 0).Subnet}}')" != "$node_subnet" ]; then
  remove_node_containers "$cluster_id" node-1
fi
# This machine's rule: the session network reaches 198.18.0.0/15 and nothing else.
iptables -I DOCKER-USER -s "$node_subnet" ! -d 198.18.0.0/15 -j DROP
dotnet build OrleansWg.sln -c Release -v quiet -nologo
# The node's resolver forwards to OWG_DNS_UPSTREAMS (comma-separated addresses; empty: recursion
# from the root servers); by default to this run's own DNS server, which answers for demo.example only.
if [ -z "${OWG_DNS_UPSTREAMS+set}" ]; then
  run_dns_start "$state" "$OWG_DEMO_SITE"
  export Dns__Upstreams=$OWG_RUN_DNS_ADDRESS Dns__Dnssec=false
else
  export Dns__Upstreams=$OWG_DNS_UPSTREAMS
fi

export Cluster__ClusterId=$cluster_id Cluster__ServiceId=$cluster_id
# Each process gets only what it needs, its secrets as files (SecretsDirectory), none in its
# environment: the database login is the silo's, the bootstrap secret the Gateway's; the Gateway and
# the node join through the silo's gateway port.
secrets=$state/secrets
secret_settings "$secrets/schema" "Cluster__DatabasePassword=$state/db-owner-password"
silo_secrets=("Cluster__DatabasePassword=$state/db-silo-password" "Users__SecretKeys__0=$state/mfa-secret-key")
gateway_secrets=("Gateway__BootstrapToken=$state/bootstrap-token" "Gateway__SessionSealKeys__0=$state/session-seal-key")
# Single sign-on's client secrets, when an operator has put them there (docs/operations.md).
[ ! -s "$state/sso-client-secret" ] || silo_secrets+=("Sso__ClientSecret=$state/sso-client-secret")
[ ! -s "$state/console-sso-client-secret" ] || gateway_secrets+=("ConsoleSso__ClientSecret=$state/console-sso-client-secret")
secret_settings "$secrets/silo" "${silo_secrets[@]}"
secret_settings "$secrets/gateway" "${gateway_secrets[@]}"
secret_settings "$secrets/node" # none
ConnectionStrings__Orleans=$(pg_connection_string "$pg_port" owg owg_owner) SecretsDirectory=$secrets/schema \
  dotnet Silo/bin/Release/net10.0/OrleansWg.Silo.dll install-schema owg_silo >"$logs/schema.log" 2>&1 \
  || { cat "$logs/schema.log" >&2; exit 1; }
database=$(pg_connection_string "$pg_port" owg owg_silo)
# HTTPS, also on the node's address, so that client namespaces with a route to it reach the Gateway.
export ASPNETCORE_URLS="https://127.0.0.1:$http_port;https://$node_address:$http_port"
export Kestrel__Certificates__Default__Path=$pki/web.pem Kestrel__Certificates__Default__KeyPath=$pki/web.key

mapfile -t silo_identity < <(pki_env "$pki" silo)
mapfile -t gateway_identity < <(pki_env "$pki" gateway)
# env execs each process: the pid start_logged keeps is the process's, which Ctrl-C stops.
ConnectionStrings__Orleans=$database SecretsDirectory=$secrets/silo start_logged "$logs/silo.log" \
  env "${silo_identity[@]}" Silo__ApplySchema=false Metrics__Port=9101 dotnet Silo/bin/Release/net10.0/OrleansWg.Silo.dll
SecretsDirectory=$secrets/gateway start_logged "$logs/gateway.log" \
  env "${gateway_identity[@]}" Cluster__Gateways__0=127.0.0.1:30000 dotnet Gateway/bin/Release/net10.0/OrleansWg.Gateway.dll
wait_for_url_content "https://127.0.0.1:$http_port/healthz" "" 120 "the Gateway to reach the cluster" --cacert "$pki/web.pem"
bootstrap_owner "https://127.0.0.1:$http_port" "$pki/web.pem" "$state"
make_server "https://127.0.0.1:$http_port" "$pki/web.pem" "$admin_header" node-1 "$node_address" 100
enroll_with_join_token "https://127.0.0.1:$http_port" "$pki/web.pem" "$admin_header" node-1 "$state/nodes" "$secrets/node/Node__JoinToken"
SecretsDirectory=$secrets/node start_logged "$logs/nodehost.log" env Node__EnrollUrl="https://127.0.0.1:$http_port" Node__GatewayCertificate="$pki/web.pem" \
  Cluster__Gateways__0=127.0.0.1:30000 Node__ServerId=node-1 \
  Node__PublicAddress="$node_address" Node__ContainerSubnet="$node_subnet" Node__StateDirectory="$state/nodes" Metrics__Port=9102 \
  dotnet NodeHost/bin/Release/net10.0/OrleansWg.NodeHost.dll
wait_for_node "https://127.0.0.1:$http_port" "$pki/web.pem" "$admin_header" node-1 120

if $demo; then
  demo_user "https://127.0.0.1:$http_port" "$pki/web.pem" "$admin_header" "$state/demo-password"
  run_demo "$gateway_url" "$pki/web.pem" "$node_address" demo "$(cat "$state/demo-password")" \
    "$([ -z "${OWG_DNS_UPSTREAMS+set}" ] && echo www.demo.example)"
  exit 0
fi

cat <<INFO

OrleansWg is up.
  Gateway:      https://127.0.0.1:$http_port   (OpenAPI: /openapi/v1.json)
                its certificate: $pki/web.pem
                SHA-256 fingerprint $(pki_fingerprint "$pki/web.pem")
  Node:         node-1 at $node_address, UDP 51000-52999, containers $cluster_id.node-1-*
  Owner:        the account owner; its password is in the file $state/owner-password
  Console:      https://127.0.0.1:$http_port/admin   (log in as owner; the first login sets up the
                code of an authenticator app. The browser asks you to accept the certificate:
                compare its fingerprint)
  Owner token:  the file $state/owner-token;  curl -H @$admin_header sends it
  Dashboard:    https://127.0.0.1:$http_port/dashboard/   (the console's login, or any user name and
                an API token as password)
  Metrics:      curl --cacert $pki/web.pem -H @$admin_header https://127.0.0.1:$http_port/metrics
                (a scraper gets a token of role metrics: POST /v1/admin/tokens)
                silo: http://127.0.0.1:9101/metrics   node: http://127.0.0.1:9102/metrics
  Audit log:    the console, or GET /v1/admin/audit?user=&since=&limit= with a token
  Logs:         $logs
  A user (or in the console; no installation has one with a known password):
    curl -s --cacert $pki/web.pem -H @$admin_header -H 'Content-Type: application/json' \\
      -d '{"username":"alice","password":"a-password-of-its-own"}' https://127.0.0.1:$http_port/v1/admin/users
  Connect, from a network namespace with a route to $node_address (a full tunnel in this
  machine's own namespace would take all its traffic; scripts/run.sh --demo shows one made for it):
    client/owg connect --gateway $gateway_url --ca $pki/web.pem --user alice
Ctrl-C stops everything.
INFO
wait -n "${OWG_PIDS[@]}"
echo "a process stopped; see $logs" >&2
