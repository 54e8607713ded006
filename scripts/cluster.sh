#!/usr/bin/env bash
# The control plane as a cluster under docker-compose: PostgreSQL, three silos, the Gateway and
# this host's NodeHost (docker/compose.yaml), on images built here without a registry.
#   init           makes what compose needs (secrets, identities, settings files, images) and writes
#                  docker/.env (OWG_COMPOSE_ENV), for `docker-compose -f docker/compose.yaml up -d` by hand
#   up             builds what is missing, starts the stack, waits until the node is registered
#   down [--keep-data]  stops it and removes its containers, networks, volume and the node's containers
#   status         the services and the servers as the Gateway sees them
#   demo           an owg client in a namespace of its own fetches a page through the cluster
#   backup FILE    a pg_dump of the cluster's database into FILE, taken while everything runs
#   restore FILE   the silos and the Gateway stopped, the database made as FILE holds it, and
#                  started again; the node runs on and converges to the restored desired state
# Settings (environment, with these defaults) let a second stack run beside the first:
#   OWG_CLUSTER_NAME=owg-cluster OWG_CLUSTER_NET=198.18.96 (a /24 for the control network)
#   OWG_CLUSTER_NODE_ADDRESS=198.18.6.1 OWG_CLUSTER_NODE_SUBNET=198.18.97.0/24
#   OWG_CLUSTER_NODE_PORT_MIN=52000 OWG_CLUSTER_NODE_PORT_MAX=52999 OWG_CLUSTER_HTTP_PORT=8090
set -euo pipefail
# A FILE given relative to where the command was run from, before the cd below.
file_argument=${2:-}
[[ -z $file_argument || $file_argument == /* || $file_argument == --* ]] || file_argument=$PWD/$file_argument
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/prerequisites.sh
source scripts/lib/prerequisites.sh
# shellcheck source=scripts/lib/docker.sh
source scripts/lib/docker.sh
# shellcheck source=scripts/lib/processes.sh
source scripts/lib/processes.sh
# shellcheck source=scripts/lib/secrets.sh
source scripts/lib/secrets.sh
# shellcheck source=scripts/lib/demo.sh
source scripts/lib/demo.sh
# shellcheck source=scripts/lib/fence.sh
source scripts/lib/fence.sh
# shellcheck source=scripts/lib/pki.sh
source scripts/lib/pki.sh
# shellcheck source=scripts/lib/servers.sh
source scripts/lib/servers.sh
# shellcheck source=scripts/lib/owner.sh
source scripts/lib/owner.sh
# shellcheck source=scripts/lib/backup.sh
source scripts/lib/backup.sh

usage() { echo "usage: scripts/cluster.sh init | up | down [--keep-data] | status | demo | backup FILE | restore FILE" >&2; exit 2; }

export OWG_CLUSTER_NAME=${OWG_CLUSTER_NAME:-owg-cluster}
export OWG_CLUSTER_NET=${OWG_CLUSTER_NET:-198.18.96}
export OWG_CLUSTER_NODE_ADDRESS=${OWG_CLUSTER_NODE_ADDRESS:-198.18.6.1}
export OWG_CLUSTER_NODE_SUBNET=${OWG_CLUSTER_NODE_SUBNET:-198.18.97.0/24}
export OWG_CLUSTER_NODE_PORT_MIN=${OWG_CLUSTER_NODE_PORT_MIN:-52000}
export OWG_CLUSTER_NODE_PORT_MAX=${OWG_CLUSTER_NODE_PORT_MAX:-52999}
export OWG_CLUSTER_HTTP_PORT=${OWG_CLUSTER_HTTP_PORT:-8090}
# Where the node's resolver sends its users' queries. Loopback by default, where unbound never
# sends one (so a cluster started here resolves nothing outside and sends nothing off the machine):
# give real upstreams, or an empty value for recursion from the root servers.
export OWG_DNS_UPSTREAMS=${OWG_DNS_UPSTREAMS-127.0.0.1}
export OWG_CLUSTER_NODE_ID=$OWG_CLUSTER_NAME-node
export OWG_CLUSTER_STATE=/var/lib/orleanswg/$OWG_CLUSTER_NAME
# Any other setting of a service: NAME=VALUE lines in these files (made from docker/settings/ on first use).
export OWG_SILO_SETTINGS=${OWG_SILO_SETTINGS:-$OWG_CLUSTER_STATE/settings/silo.env}
export OWG_GATEWAY_SETTINGS=${OWG_GATEWAY_SETTINGS:-$OWG_CLUSTER_STATE/settings/gateway.env}
export OWG_NODEHOST_SETTINGS=${OWG_NODEHOST_SETTINGS:-$OWG_CLUSTER_STATE/settings/nodehost.env}
[[ $OWG_CLUSTER_NAME =~ ^[a-z0-9][a-z0-9-]{0,20}$ ]] || { echo "OWG_CLUSTER_NAME: 1-21 of a-z 0-9 -" >&2; exit 2; }
[[ $OWG_CLUSTER_NET =~ ^198\.1[89]\.[0-9]{1,3}$ ]] || { echo "OWG_CLUSTER_NET: the first three numbers of a /24 in 198.18.0.0/15" >&2; exit 2; }

gateway=https://127.0.0.1:$OWG_CLUSTER_HTTP_PORT
web_certificate=$OWG_CLUSTER_STATE/pki/web.pem
admin_header=$OWG_CLUSTER_STATE/admin-header
logs=$OWG_CLUSTER_STATE/logs

compose() { docker-compose -p "$OWG_CLUSTER_NAME" -f docker/compose.yaml "$@"; }

# The installation's secrets, each a file of OWG_CLUSTER_STATE (mode 600) that compose mounts into
# the services that need it, made on first use.
make_secrets() {
  local name
  adopt_admin_token "$OWG_CLUSTER_STATE"
  for name in db-owner-password db-silo-password bootstrap-token session-seal-key mfa-secret-key; do
    secret_file "$OWG_CLUSTER_STATE/$name" >/dev/null
  done
  if [ -s "$OWG_CLUSTER_STATE/owner-token" ]; then
    bearer_header_file "$OWG_CLUSTER_STATE/owner-token" "$admin_header"
  else
    rm -f "$admin_header" # the admin token's of before: up makes the owner and the header anew
  fi
  # The superuser's network password of before, which nothing uses now.
  rm -f "$OWG_CLUSTER_STATE/db-password"
  # Random per installation: a process of another installation never joins this cluster by mistake.
  OWG_CLUSTER_ID=owg-$(secret_file "$OWG_CLUSTER_STATE/cluster-id" | cut -c1-12)
  export OWG_CLUSTER_ID
}

# The services' settings files, each made from docker/settings/ when it is not there.
make_settings() {
  local file service
  for service in silo gateway nodehost; do
    file=OWG_${service^^}_SETTINGS
    [ -f "${!file}" ] || { mkdir -p "$(dirname "${!file}")" && cp "docker/settings/$service.env" "${!file}"; }
  done
}

# The installation's CA, and a certificate and role credential for the silos, the Gateway and the node.
make_identities() {
  local pki=$OWG_CLUSTER_STATE/pki
  pki_authority "$pki"
  pki_member "$pki" silo silo
  pki_member "$pki" gateway gateway
  pki_node_authority "$pki"
  pki_web "$pki" 127.0.0.1 "$OWG_CLUSTER_NODE_ADDRESS"
}

# The images: self-contained publishes of the three processes on the locally made Debian base.
build_images() {
  local context=.artifacts/image project
  rm -rf "$context"
  mkdir -p "$context"
  for project in Silo Gateway NodeHost; do
    dotnet publish "$project" -c Release -r linux-x64 --self-contained -v quiet -nologo \
      -o "$context/${project,,}" >"$logs/publish-${project,,}.log" 2>&1 \
      || { cat "$logs/publish-${project,,}.log" >&2; return 1; }
  done
  cp docker/app/Dockerfile docker/app/healthcheck.sh "$context/"
  docker build -q -t owg/app "$context" >"$logs/app-image.log" 2>&1 || { cat "$logs/app-image.log" >&2; return 1; }
  docker build -q -t owg/postgres docker/postgres >"$logs/postgres-image.log" 2>&1 || { cat "$logs/postgres-image.log" >&2; return 1; }
}

fence() {
  # This machine's rule: the session network reaches 198.18.0.0/15 and nothing else.
  iptables -C DOCKER-USER -s "$OWG_CLUSTER_NODE_SUBNET" ! -d 198.18.0.0/15 -j DROP 2>/dev/null \
    || iptables -I DOCKER-USER -s "$OWG_CLUSTER_NODE_SUBNET" ! -d 198.18.0.0/15 -j DROP
}

# What the stack needs before compose starts it: secrets, identities, settings files and images.
prepare() {
  install_prerequisites
  mkdir -p "$logs" "$OWG_CLUSTER_STATE/nodes"
  docker_start
  docker_session_image
  make_secrets
  make_settings
  make_identities
  (umask 077 && touch "$OWG_CLUSTER_STATE/node-join-token")
  build_images
  ip -4 -o addr show dev lo | grep -q " $OWG_CLUSTER_NODE_ADDRESS/" || ip addr add "$OWG_CLUSTER_NODE_ADDRESS/32" dev lo
  fence
}

# init: what compose needs, and the variables it reads in docker/.env (kept when there), so that
# compose runs the stack by hand; the steps up takes after compose starts it are printed.
init() {
  local env_file=${OWG_COMPOSE_ENV:-docker/.env}
  prepare
  if [ -e "$env_file" ]; then
    echo "$env_file is there already: kept as it is"
  else
    (umask 077 && cat >"$env_file" <<ENV
# Written by scripts/cluster.sh init; every variable is described in docker/.env.example.
COMPOSE_PROJECT_NAME=$OWG_CLUSTER_NAME
OWG_CLUSTER_STATE=$OWG_CLUSTER_STATE
OWG_CLUSTER_ID=$OWG_CLUSTER_ID
OWG_CLUSTER_NET=$OWG_CLUSTER_NET
OWG_CLUSTER_NODE_ID=$OWG_CLUSTER_NODE_ID
OWG_CLUSTER_NODE_ADDRESS=$OWG_CLUSTER_NODE_ADDRESS
OWG_CLUSTER_NODE_SUBNET=$OWG_CLUSTER_NODE_SUBNET
OWG_CLUSTER_NODE_PORT_MIN=$OWG_CLUSTER_NODE_PORT_MIN
OWG_CLUSTER_NODE_PORT_MAX=$OWG_CLUSTER_NODE_PORT_MAX
OWG_CLUSTER_HTTP_PORT=$OWG_CLUSTER_HTTP_PORT
OWG_DNS_UPSTREAMS=$OWG_DNS_UPSTREAMS
OWG_DNS_DNSSEC=${OWG_DNS_DNSSEC:-true}
OWG_SILO_SETTINGS=$OWG_SILO_SETTINGS
OWG_GATEWAY_SETTINGS=$OWG_GATEWAY_SETTINGS
OWG_NODEHOST_SETTINGS=$OWG_NODEHOST_SETTINGS
ENV
    )
    echo "wrote $env_file"
  fi
  cat <<INFO
The cluster $OWG_CLUSTER_NAME is ready for compose (state in $OWG_CLUSTER_STATE). By hand:
  1. docker-compose -f docker/compose.yaml --env-file $env_file up -d postgres schema silo1 silo2 silo3 gateway
  2. make the first owner with the secret in $OWG_CLUSTER_STATE/bootstrap-token (POST $gateway/v1/bootstrap), the server
     $OWG_CLUSTER_NODE_ID (PUT $gateway/v1/admin/servers/$OWG_CLUSTER_NODE_ID) and its join token into
     $OWG_CLUSTER_STATE/node-join-token (POST $gateway/v1/admin/servers/$OWG_CLUSTER_NODE_ID/join-token); docs/operations.md
  3. docker-compose -f docker/compose.yaml --env-file $env_file up -d nodehost
Or scripts/cluster.sh up does all of it. Settings beyond docker/.env: $OWG_CLUSTER_STATE/settings/*.env
INFO
}

up() {
  prepare
  # The node last: it enrolls with a join token, which an admin gets once the server is made.
  compose up -d postgres schema silo1 silo2 silo3 gateway >"$logs/compose-up.log" 2>&1 || { cat "$logs/compose-up.log" >&2; return 1; }
  wait_for_url_content "$gateway/healthz" "" 180 "the Gateway to reach the cluster" --cacert "$web_certificate"
  bootstrap_owner "$gateway" "$web_certificate" "$OWG_CLUSTER_STATE"
  make_server "$gateway" "$web_certificate" "$admin_header" "$OWG_CLUSTER_NODE_ID" "$OWG_CLUSTER_NODE_ADDRESS" 100
  enroll_with_join_token "$gateway" "$web_certificate" "$admin_header" "$OWG_CLUSTER_NODE_ID" "$OWG_CLUSTER_STATE/nodes" "$OWG_CLUSTER_STATE/node-join-token"
  compose up -d nodehost >>"$logs/compose-up.log" 2>&1 || { cat "$logs/compose-up.log" >&2; return 1; }
  wait_for_node "$gateway" "$web_certificate" "$admin_header" "$OWG_CLUSTER_NODE_ID" 180
  cat <<INFO
The OrleansWg cluster $OWG_CLUSTER_NAME is up: PostgreSQL, three silos, the Gateway and node $OWG_CLUSTER_NODE_ID.
  Gateway:      $gateway   (client namespaces: https://$OWG_CLUSTER_NODE_ADDRESS:$OWG_CLUSTER_HTTP_PORT; certificate $web_certificate)
  Owner:        the account owner; its password is in the file $OWG_CLUSTER_STATE/owner-password
  Console:      $gateway/admin   (log in as owner; the first login sets up an authenticator app's code)
  Owner token:  the file $OWG_CLUSTER_STATE/owner-token;  curl -H @$admin_header sends it
  Dashboard:    $gateway/dashboard/   (any user name, an API token as password)
  Demo:         scripts/cluster.sh demo   makes a user demo and runs a client through the cluster
  Services:     scripts/cluster.sh status;   docker-compose -p $OWG_CLUSTER_NAME -f docker/compose.yaml logs SERVICE
INFO
}

down() {
  local keep=false
  case ${1:-} in
    --keep-data) keep=true ;;
    "") ;;
    *) usage ;;
  esac
  docker info >/dev/null 2>&1 || { echo "dockerd is not running: nothing to take down"; return 0; }
  make_secrets
  make_settings
  if $keep; then
    compose down --remove-orphans
  else
    compose down --remove-orphans --volumes
    # The owner's token was the database's, which is gone: the next start makes the owner anew.
    rm -f "$OWG_CLUSTER_STATE/owner-token" "$admin_header"
  fi
  # The node's session containers and network are the NodeHost's, not compose's.
  remove_node_containers "$OWG_CLUSTER_ID" "$OWG_CLUSTER_NODE_ID"
  iptables -D DOCKER-USER -s "$OWG_CLUSTER_NODE_SUBNET" ! -d 198.18.0.0/15 -j DROP 2>/dev/null || true
  remove_node_fence "$OWG_CLUSTER_ID" "$OWG_CLUSTER_NODE_ID"
  ip addr del "$OWG_CLUSTER_NODE_ADDRESS/32" dev lo 2>/dev/null || true
  rm -rf "$OWG_CLUSTER_STATE/nodes"
  $keep || rm -rf "$OWG_CLUSTER_STATE"/db-*password "$OWG_CLUSTER_STATE/demo-password" "$OWG_CLUSTER_STATE/cluster-id" "$OWG_CLUSTER_STATE/pki" \
    "$OWG_CLUSTER_STATE/node-join-token"
  echo "the cluster $OWG_CLUSTER_NAME is down$($keep && echo '; its database is kept')"
}

status() {
  docker info >/dev/null 2>&1 || { echo "dockerd is not running: the cluster is down" >&2; return 1; }
  make_secrets
  make_settings
  compose ps
  curl -fsS --cacert "$web_certificate" -H @"$admin_header" "$gateway/v1/admin/servers" \
    | jq -r '.[] | "server \(.id): \(.status), \(.sessions)/\(.capacity) sessions"' \
    || echo "the Gateway does not answer at $gateway"
}

# require_up: the variables compose reads, or an exit when the cluster was never brought up or its database is not running.
require_up() {
  local not_up="the cluster $OWG_CLUSTER_NAME is not up: run scripts/cluster.sh up first"
  [ -r "$web_certificate" ] || { echo "$not_up" >&2; exit 1; }
  make_secrets
  make_settings
  local container try
  # Asked of Docker a few times: one docker-compose listing can come back empty while dockerd is busy.
  for try in 1 2 3; do
    container=$(compose ps -q postgres 2>/dev/null || true)
    [ -n "$container" ] && [ "$(docker inspect -f '{{.State.Running}}' "$container" 2>/dev/null)" = true ] && return 0
    [ "$try" = 3 ] || sleep 1
  done
  echo "$not_up" >&2
  exit 1
}

# restore FILE: the control plane stopped, the database restored with this version's schema on top
# (a backup from before an upgrade lacks what the upgrade added), and the control plane started
# again, also when the restore failed (in one transaction, it changed nothing then).
restore() {
  local restored=true log=$logs/compose-restore.log
  [ -r "$1" ] || { echo "cannot read the backup $1" >&2; exit 1; }
  require_up
  compose stop gateway silo1 silo2 silo3 >"$log" 2>&1 || { cat "$log" >&2; return 1; }
  db_restore "$1" owg compose exec -T -u postgres postgres || restored=false
  if $restored; then
    compose start schema >>"$log" 2>&1 && [ "$(docker wait "$(compose ps -q schema)")" = 0 ] || restored=false
  fi
  compose start silo1 silo2 silo3 gateway >>"$log" 2>&1 || { cat "$log" >&2; return 1; }
  wait_for_url_content "$gateway/healthz" "" 180 "the Gateway to reach the cluster" --cacert "$web_certificate"
  $restored || { echo "the restore of $1 failed (above, and $log); the cluster runs on its database as it was" >&2; return 1; }
  echo "the cluster $OWG_CLUSTER_NAME runs on the database of $1; its node converges to it"
}

case ${1:-} in
  init) [ $# -eq 1 ] || usage; init ;;
  up) [ $# -eq 1 ] || usage; up ;;
  down) [ $# -le 2 ] || usage; down "${2:-}" ;;
  status) [ $# -eq 1 ] || usage; status ;;
  backup) [ $# -eq 2 ] || usage; require_up; db_backup "$file_argument" owg compose exec -T -u postgres postgres
    echo "the cluster's database is in $file_argument" ;;
  restore) [ $# -eq 2 ] || usage; restore "$file_argument" ;;
  demo) [ $# -eq 1 ] || usage
    require_up
    mkdir -p /var/lib/orleanswg/logs
    demo_user "$gateway" "$web_certificate" "$admin_header" "$OWG_CLUSTER_STATE/demo-password"
    run_demo "https://$OWG_CLUSTER_NODE_ADDRESS:$OWG_CLUSTER_HTTP_PORT" "$web_certificate" "$OWG_CLUSTER_NODE_ADDRESS" \
      demo "$(cat "$OWG_CLUSTER_STATE/demo-password")" ;;
  *) usage ;;
esac
