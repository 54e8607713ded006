# shellcheck shell=bash
# The guest's /var/lib/docker: a disk of its own holding the host's session image and its base, made
# on the host and cached beside the guest's image for as long as these images stay the same. A
# dockerd of its own on the host loads them in seconds; the guest's dockerd, under emulation, took
# minutes for the same `docker load`.

OWG_GUEST_DOCKER_IMAGES=(owg/session debian:bookworm-slim)

# Set by guest_docker_disk: the path of the disk.
GUEST_DOCKER_DISK=
# The loading dockerd while it runs, for guest_stop.
GUEST_LOADER_PID=

# guest_docker_disk IMAGE_DIR WORK_DIR: sets GUEST_DOCKER_DISK, making the disk first when the host's
# images have none yet. Says how long that took.
guest_docker_disk() {
  local image=$1 work="$2/docker" key partial start=$SECONDS
  key=$(docker image inspect -f '{{.Id}}' "${OWG_GUEST_DOCKER_IMAGES[@]}" | sha256sum | cut -c1-16) || return 1
  GUEST_DOCKER_DISK="$image/docker-$key.img"
  [ -f "$GUEST_DOCKER_DISK" ] && return 0
  mkdir -p "$work"
  guest_load_images "$work" >"$image/docker-load.log" 2>&1 || return 1
  # Under a name no run takes until it is whole; sparse, so it takes only what the images fill.
  partial="$image/docker.partial.img"
  if ! { truncate -s 8G "$partial" && mkfs.ext4 -q -F -L owgdocker -d "$work/data" "$partial"; } >>"$image/docker-load.log" 2>&1; then
    rm -f "$partial"
    return 1
  fi
  rm -f "$image"/docker-*.img
  mv "$partial" "$GUEST_DOCKER_DISK"
  rm -rf "$work"
  echo "guest: Docker disk (docker load on the host, mkfs): $((SECONDS - start)) s"
}

# guest_load_images WORK_DIR: the images in WORK_DIR/data, a data root no dockerd uses any more.
guest_load_images() {
  local work=$1 socket="unix://$1/docker.sock" i status=0
  # It only stores images: no network of its own, no rule in the host's iptables, and its own
  # sockets and state, so the host's dockerd never notices it.
  dockerd --data-root "$work/data" --exec-root "$work/exec" --pidfile "$work/dockerd.pid" -H "$socket" \
    --bridge=none --iptables=false --ip-forward=false --ip-masq=false --userland-proxy=false \
    >"$work/dockerd.log" 2>&1 </dev/null &
  GUEST_LOADER_PID=$!
  for ((i = 0; i < 120; i++)); do
    docker -H "$socket" info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker save "${OWG_GUEST_DOCKER_IMAGES[@]}" | docker -H "$socket" load || status=1
  kill "$GUEST_LOADER_PID" 2>/dev/null
  for ((i = 0; i < 60; i++)); do
    kill -0 "$GUEST_LOADER_PID" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$GUEST_LOADER_PID" 2>/dev/null; then
    echo "the loading dockerd still runs 30 s after TERM" >&2
    return 1
  fi
  GUEST_LOADER_PID=
  cat "$work/dockerd.log"
  # What that dockerd kept of its own run (its containerd, networks, temporary files): the guest's
  # dockerd makes its own.
  rm -rf "$work/data/containerd" "$work/data/network" "$work/data/tmp"
  return "$status"
}
