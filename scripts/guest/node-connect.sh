#!/usr/bin/env bash
# In the guest, for test/Kernel.Tests' GuestNodeTests: a NodeHost on the kernel's WireGuard that joins
# the host's control plane through the forwarded ports, then a WireGuard client in a namespace of the
# guest that fetches a page through the user's container. The host hands over the node's settings
# (/mnt/exchange/node.env, before the boot) and the client's (/mnt/exchange/client.env, once it has
# connected). The NodeHost logs to /mnt/exchange/nodehost.log, where the host reads it as it goes.
set -euo pipefail
source scripts/guest/lib.sh
exchange=/mnt/exchange
node=NodeHost/bin/Release/net10.0/OrleansWg.NodeHost.dll
[ -f "$node" ] || { echo "$node is missing: build the solution first" >&2; exit 1; }
guest_dockerd_start

set -a
# shellcheck source=/dev/null # written by the test
source "$exchange/node.env"
set +a
log=$exchange/nodehost.log
/mnt/dotnet/dotnet "$node" >"$log" 2>&1 &
nodehost=$!
trap 'kill "$nodehost" 2>/dev/null' EXIT

for ((i = 0; i < 1200; i++)); do
  [ -f "$exchange/client.env" ] && break
  kill -0 "$nodehost" 2>/dev/null || { echo "the NodeHost ended:"; tail -n 30 "$log"; exit 1; }
  sleep 0.5
done
[ -f "$exchange/client.env" ] || { echo "no client settings from the host within 10 min"; exit 1; }
grep -m 1 'WireGuard: ' "$log" || true
# shellcheck source=/dev/null # written by the test
source "$exchange/client.env"

# The client's namespace reaches the node's public address (this guest's eth0) through a veth;
# only the page's address and the tunnel pool go through the tunnel.
ip netns add client
ip link add owgc0 type veth peer name owgc1 netns client
ip address add 198.18.44.1/24 dev owgc0
ip link set owgc0 up
ip -n client address add 198.18.44.2/24 dev owgc1
ip -n client link set owgc1 up
ip -n client link set lo up
ip -n client route add default via 198.18.44.1
ip -n client link add wg0 type wireguard
umask 077
printf '%s\n' "$CLIENT_PRIVATE_KEY" >/tmp/client.key
ip netns exec client wg set wg0 private-key /tmp/client.key \
  peer "$SERVER_PUBLIC_KEY" endpoint "$ENDPOINT" allowed-ips "100.64.0.0/10,$PAGE_ADDRESS/32"
ip -n client address add "$CLIENT_ADDRESS" dev wg0
ip -n client link set wg0 up
ip -n client route add 100.64.0.0/10 dev wg0
ip -n client route add "$PAGE_ADDRESS/32" dev wg0

for ((i = 0; i < 30; i++)); do
  if page=$(ip netns exec client curl -sf -m 10 "$PAGE_URL"); then
    echo "page: $page"
    exit 0
  fi
  sleep 2
done
echo "no page through the tunnel within a minute"
ip netns exec client wg show
exit 1
