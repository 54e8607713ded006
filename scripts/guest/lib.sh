# shellcheck shell=bash
# What guest scripts share (they run in the guest, from /mnt/repo): source it with
#   source scripts/guest/lib.sh

# guest_dockerd_start: dockerd in the background with every network it makes inside 198.18.0.0/15,
# as the host runs it (scripts/lib/docker.sh), and returns once it answers. Its log is
# /var/log/dockerd.log.
guest_dockerd_start() {
  dockerd --bip 198.18.250.1/24 --default-address-pool base=198.19.192.0/18,size=24 --userland-proxy=false \
    >/var/log/dockerd.log 2>&1 </dev/null &
  local i
  # Under emulation dockerd takes tens of seconds to answer.
  for ((i = 0; i < 240; i++)); do
    docker info >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "dockerd did not answer within 120 s; its log:" >&2
  tail -n 20 /var/log/dockerd.log >&2
  return 1
}

# guest_dockerd_stop: stops dockerd and waits until it is gone, so what it wrote is on the disk.
guest_dockerd_stop() {
  local pid i
  pid=$(cat /var/run/docker.pid 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 120; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  echo "dockerd still runs 60 s after TERM" >&2
  return 1
}
