#!/usr/bin/env bash
# The guest's first test: the kernel's WireGuard loads, two kernel interfaces in two network
# namespaces handshake and carry a ping, dockerd starts and runs the session image. Prints a PASS or
# FAIL line for each check with the time it took, and fails when any check failed.
set -uo pipefail
source scripts/guest/lib.sh

passed=0
failed=0

# check NAME COMMAND...
check() {
  local name=$1 start=${EPOCHREALTIME/./} ms
  shift
  if "$@"; then
    passed=$((passed + 1))
    ms=$(((${EPOCHREALTIME/./} - start) / 1000))
    printf 'PASS: %s (%d.%01d s)\n' "$name" $((ms / 1000)) $((ms % 1000 / 100))
  else
    failed=$((failed + 1))
    echo "FAIL: $name"
  fi
}

wireguard_link() {
  ip link add wgtest type wireguard && ip link del wgtest
}

# Two namespaces joined by a veth on underlay addresses, a kernel WireGuard interface in each with
# the other as its peer: the ping goes through the tunnel only after a handshake.
tunnel_between_namespaces() {
  local keys ok=1
  keys=$(mktemp -d)
  (umask 077 && wg genkey >"$keys/a" && wg genkey >"$keys/b") &&
    ip netns add smoke-a && ip netns add smoke-b &&
    ip link add veth-a netns smoke-a type veth peer name veth-b netns smoke-b &&
    ip -n smoke-a address add 198.18.0.1/30 dev veth-a && ip -n smoke-b address add 198.18.0.2/30 dev veth-b &&
    tunnel_end smoke-a veth-a "$keys/a" "$keys/b" 100.64.0.1 100.64.0.2 198.18.0.2 &&
    tunnel_end smoke-b veth-b "$keys/b" "$keys/a" 100.64.0.2 100.64.0.1 198.18.0.1 &&
    ip netns exec smoke-a ping -c 3 -i 0.2 -W 5 100.64.0.2 >/dev/null &&
    ip netns exec smoke-a wg show wg0 latest-handshakes | awk '$2 > 0 {found = 1} END {exit !found}' &&
    ok=0
  ip netns del smoke-a 2>/dev/null
  ip netns del smoke-b 2>/dev/null
  rm -rf "$keys"
  return "$ok"
}

# tunnel_end NETNS VETH OWN_KEY PEER_KEY ADDRESS PEER_ADDRESS PEER_UNDERLAY
tunnel_end() {
  local ns=$1
  ip -n "$ns" link set lo up && ip -n "$ns" link set "$2" up &&
    ip -n "$ns" link add wg0 type wireguard &&
    ip netns exec "$ns" wg set wg0 private-key "$3" listen-port 51820 \
      peer "$(wg pubkey <"$4")" allowed-ips "$6/32" endpoint "$7:51820" &&
    ip -n "$ns" address add "$5/24" dev wg0 && ip -n "$ns" link set wg0 up
}

# The session image's entrypoint needs a tunnel address and brings wireguard-go up: running only
# `true` in it proves the image, the runtime and the bridge without that.
session_image_runs() {
  docker run --rm --entrypoint true owg/session
}

check "kernel WireGuard link (modprobe wireguard)" wireguard_link
check "kernel WireGuard handshake and ping between two namespaces" tunnel_between_namespaces
check "dockerd starts" guest_dockerd_start
check "docker run owg/session" session_image_runs

echo "smoke checks: $passed of $((passed + failed)) passed"
[ "$failed" -eq 0 ]
