#!/bin/sh
# Gives the user's traffic a way out: wg0 carries OWG_ADDRESS (e.g. 100.64.0.1/10) and the tunnel
# is NATed out of eth0; DNS that clients send to wg0's own address goes on to the node's resolver
# at OWG_RESOLVER. Keys and peers are not set here: NodeHost sets them.
# OWG_WIREGUARD=userspace (the default): wireguard-go makes wg0 here, and NodeHost reaches it through
# the UAPI socket in /var/run/wireguard, which it bind-mounts from the host.
# OWG_WIREGUARD=kernel: NodeHost makes wg0 with the kernel's WireGuard in the host's namespace, moves
# it in here, addresses it and brings it up; this container only routes. iptables takes rules on
# wg0 before wg0 exists.
set -eu
: "${OWG_ADDRESS:?OWG_ADDRESS is required}"

route_out() {
  iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
  if [ -n "${OWG_RESOLVER:-}" ]; then
    for protocol in udp tcp; do
      iptables -t nat -A PREROUTING -i wg0 -d "${OWG_ADDRESS%/*}" -p "$protocol" --dport 53 -j DNAT --to-destination "$OWG_RESOLVER:53"
    done
  fi
}

if [ "${OWG_WIREGUARD:-userspace}" = kernel ]; then
  route_out
  echo "routing for wg0 at $OWG_ADDRESS; NodeHost brings wg0 in"
  sleep infinity &
  waiting=$!
  trap 'kill "$waiting" 2>/dev/null' TERM INT
  wait "$waiting" || true
  exit 0
fi

# A socket left by this container's previous run (it was restarted) would end the wait below
# before wireguard-go has made wg0.
rm -f /var/run/wireguard/wg0.sock
# One Go thread: a node holds hundreds of these, each idle most of the time, and one user's
# tunnel should not take more than a core from the others.
GOMAXPROCS=1 WG_PROCESS_FOREGROUND=1 wireguard-go wg0 &
wireguard=$!
trap 'kill "$wireguard" 2>/dev/null' TERM INT

i=0
while [ ! -S /var/run/wireguard/wg0.sock ]; do
  i=$((i + 1))
  [ "$i" -le 100 ] || { echo "wireguard-go made no UAPI socket" >&2; exit 1; }
  sleep 0.05
done

ip address add "$OWG_ADDRESS" dev wg0
# The port Docker publishes, set before the interface binds any: NodeHost then sets only the key.
wg set wg0 listen-port 51820
ip link set wg0 up
route_out
echo "wg0 up at $OWG_ADDRESS"
wait "$wireguard"
