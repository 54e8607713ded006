#!/bin/sh
# Sets the bandwidth limits of wg0's peers, replacing any set before. Arguments: triples
# ADDRESS DOWN_KBIT UP_KBIT (0: that direction is not limited); none: nothing is limited.
# Downloads are shaped where they leave wg0 towards the client. Uploads arrive on wg0's ingress,
# which is redirected to ifb0 and shaped there (this kernel has no policing action).
# Unclassified traffic passes HTB unshaped.
set -eu
tc qdisc del dev wg0 root 2>/dev/null || true
tc qdisc del dev wg0 ingress 2>/dev/null || true
ip link del ifb0 2>/dev/null || true
[ "$#" -gt 0 ] || exit 0

ip link add ifb0 type ifb
ip link set ifb0 up
tc qdisc add dev wg0 root handle 1: htb
tc qdisc add dev ifb0 root handle 1: htb
tc qdisc add dev wg0 handle ffff: ingress
tc filter add dev wg0 parent ffff: protocol ip u32 match u32 0 0 action mirred egress redirect dev ifb0

class=1
shape() { # DEVICE FIELD ADDRESS KBIT
  [ "$4" -gt 0 ] || return 0
  tc class add dev "$1" parent 1: classid "1:$(printf %x "$class")" htb rate "$4kbit"
  tc filter add dev "$1" parent 1: protocol ip prio 1 u32 match ip "$2" "$3" flowid "1:$(printf %x "$class")"
}
while [ "$#" -ge 3 ]; do
  class=$((class + 1))
  shape wg0 dst "$1" "$2"
  shape ifb0 src "$1" "$3"
  shift 3
done
