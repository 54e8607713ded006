# shellcheck shell=bash
# The host firewall rules a node's fence (NodeHost's NodeFence) made for its container subnet.

# remove_node_fence SUBNET: every DOCKER-USER and INPUT rule for traffic from SUBNET, and the
# node's own chain they jump to; for taking a node down for good (a NodeHost that stops keeps them).
remove_node_fence() {
  local subnet=$1 builtin rule chain chains=() words
  for builtin in DOCKER-USER INPUT; do
    while read -r rule; do
      [[ $rule == "-A $builtin -s $subnet "* ]] || continue
      read -ra words <<<"$rule"
      iptables -D "${words[@]:1}"
      [[ ${words[-1]} == OWGF-* ]] && chains+=("${words[-1]}")
    done < <(iptables -S "$builtin" 2>/dev/null)
  done
  for chain in "${chains[@]}"; do
    iptables -F "$chain"
    iptables -X "$chain"
  done
}
