# shellcheck shell=bash
# The host firewall rules a node's fence (NodeHost's NodeFence) made.

# node_fence_chain INSTALLATION SERVER_ID: the node's chain, named as NodeFence names it.
node_fence_chain() { printf 'OWGF-%s' "$(printf '%s.%s' "$1" "$2" | sha256sum | cut -c1-12 | tr a-f A-F)"; }

# remove_node_fence INSTALLATION SERVER_ID: the node's chain and the DOCKER-USER and INPUT rules
# that name it; for taking a node down for good (a NodeHost that stops keeps them).
remove_node_fence() {
  local chain builtin rule words
  chain=$(node_fence_chain "$1" "$2")
  for builtin in DOCKER-USER INPUT; do
    while read -r rule; do
      read -ra words <<<"$rule"
      iptables -D "${words[@]:1}"
    done < <(iptables -S "$builtin" 2>/dev/null | grep -F -- " $chain")
  done
  if iptables -S "$chain" >/dev/null 2>&1; then
    iptables -F "$chain"
    iptables -X "$chain"
  fi
}
