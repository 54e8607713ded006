# shellcheck shell=bash
# dockerd from Debian's docker.io, started by hand (no systemd) with every network it makes
# inside 198.18.0.0/15, and the owg/session image, built without a registry when missing.

OWG_DOCKER_LOG=/var/lib/orleanswg/logs/dockerd.log

docker_start() {
  # A node runs up to a thousand containers. Each wireguard-go takes an inotify instance, and they
  # all run as root, who has 128 by default; each container costs ~25 threads, which pid_max counts;
  # the host keeps a neighbour entry for each container its clients' packets go to (1,024 at most by default);
  # an ARP request to a container is copied to every port of the node's bridge at once, into one
  # CPU's backlog of 1,000 packets by default: past ~1,000 containers the oldest ones never got it.
  sysctl -qw fs.inotify.max_user_instances=8192 kernel.pid_max=4194304 \
    net.ipv4.neigh.default.gc_thresh1=4096 net.ipv4.neigh.default.gc_thresh2=8192 net.ipv4.neigh.default.gc_thresh3=16384 \
    net.core.netdev_max_backlog=8192
  docker info >/dev/null 2>&1 && return 0
  mkdir -p "$(dirname "$OWG_DOCKER_LOG")"
  # A dockerd that was killed leaves its pid file behind, and a new one refuses to start beside it.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    rm -f /var/run/docker.pid
  fi
  # setsid: dockerd outlives the script that started it, like a system service. No userland proxy:
  # iptables alone forwards published ports, where a docker-proxy per port would cost 3 MiB and 7 threads.
  setsid dockerd --bip 198.18.250.1/24 --default-address-pool base=198.19.192.0/18,size=24 --userland-proxy=false \
    >"$OWG_DOCKER_LOG" 2>&1 </dev/null &
  local i
  for ((i = 0; i < 120; i++)); do
    docker info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "dockerd did not start within 60s; see $OWG_DOCKER_LOG" >&2
  return 1
}

# docker_remove CONTAINER...: removes them and returns once they are gone. A NodeHost stopped a
# moment before may have left removals under way in dockerd, which refuses a second one.
docker_remove() {
  [ $# -gt 0 ] || return 0
  docker rm -f "$@" >/dev/null 2>&1 || true
  local i
  for ((i = 0; i < 60; i++)); do
    # One line for each of them still there.
    [ -z "$(docker container inspect --format x "$@" 2>/dev/null)" ] && return 0
    sleep 0.5
  done
  echo "containers still present 30 s after their removal: $*" >&2
  return 1
}

# remove_node_containers INSTALLATION SERVER_ID: a node's session containers and its network,
# which its NodeHost keeps when it stops; another installation's node of the same id keeps its own.
remove_node_containers() {
  # shellcheck disable=SC2046 # one word per container id
  docker_remove $(docker ps -aq --filter "label=owg.installation=$1" --filter "label=owg.node=$2")
  if docker network inspect "$1.$2" >/dev/null 2>&1; then
    docker network rm "$1.$2" >/dev/null
  fi
}

# remove_unlabelled_node_containers SERVER_ID: the containers and network (owg-SERVER_ID) of a node
# of SERVER_ID that carry no installation (owg.installation), which no node lists or removes: a
# node of 0.1 made them so. The node makes them again under its installation's name.
remove_unlabelled_node_containers() {
  # shellcheck disable=SC2046 # one word per container id
  docker_remove $(docker ps -a --filter "label=owg.node=$1" --format '{{.ID}} {{.Label "owg.installation"}}' | awk 'NF == 1 {print $1}')
  if docker network inspect "owg-$1" >/dev/null 2>&1 && [ -z "$(docker network inspect "owg-$1" --format '{{index .Labels "owg.installation"}}')" ]; then
    docker network rm "owg-$1" >/dev/null
  fi
}

# The Debian mirror apt itself uses: debootstrap's built-in default may not be reachable.
apt_mirror() {
  sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n 1
}

# debian:bookworm-slim made locally (debootstrap + docker import) when no registry has it for us.
docker_base_image() {
  docker image inspect debian:bookworm-slim >/dev/null 2>&1 && return 0
  mkdir -p "$(dirname "$OWG_DOCKER_LOG")"
  local root
  root=$(mktemp -d /var/tmp/owg-debootstrap.XXXXXX)
  debootstrap --variant=minbase --include=iproute2,iptables,wireguard-tools,wireguard-go \
    bookworm "$root" "$(apt_mirror)" >/var/lib/orleanswg/logs/debootstrap.log 2>&1
  tar -C "$root" -c . | docker import - debian:bookworm-slim >/dev/null
  rm -rf "$root"
}

# owg/session, rebuilt when its Dockerfile or entrypoint changed (docker's cache makes that cheap).
docker_session_image() {
  docker_base_image
  # Its own log directory: a dockerd started by someone else did not make it.
  mkdir -p "$(dirname "$OWG_DOCKER_LOG")"
  local log=/var/lib/orleanswg/logs/session-image.log
  docker build -q -t owg/session docker/session >"$log" 2>&1 || { cat "$log" >&2; return 1; }
}
