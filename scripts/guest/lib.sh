# shellcheck shell=bash
# What guest scripts share (they run in the guest, from /mnt/repo): source it with
#   source scripts/guest/lib.sh

# guest_dockerd_start: dockerd in the background with every network it makes inside 198.18.0.0/15,
# as the host runs it (scripts/lib/docker.sh), and returns once its API answers. Its log is
# /var/log/dockerd.log.
guest_dockerd_start() {
  dockerd --bip 198.18.250.1/24 --default-address-pool base=198.19.192.0/18,size=24 --userland-proxy=false \
    >/var/log/dockerd.log 2>&1 </dev/null &
  local pid=$! i
  # Asked with curl: under emulation every `docker info` would cost the starting dockerd a second
  # of CPU. Dockerd takes tens of seconds to answer here.
  for ((i = 0; i < 480; i++)); do
    curl -sf --unix-socket /var/run/docker.sock http://docker/_ping >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  echo "dockerd did not answer within 120 s; its log:" >&2
  tail -n 20 /var/log/dockerd.log >&2
  return 1
}
