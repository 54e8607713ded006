# shellcheck shell=bash
# A DNS server of this machine's own, for scripts/run.sh: the upstream of the node's resolver, in a
# namespace joined to the root namespace by a veth (198.18.202.0/30). It answers for demo.example
# (www.demo.example is the demo's site) and REFUSED for every other name, so no query a run
# here makes leaves the machine. A real installation gives its nodes real upstreams instead.

OWG_RUN_DNS_NET=owg-run-dns
OWG_RUN_DNS_ADDRESS=198.18.202.2

run_dns_stop() {
  ip netns pids "$OWG_RUN_DNS_NET" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns del "$OWG_RUN_DNS_NET" 2>/dev/null || true
  ip link del owgdns-r 2>/dev/null || true
}

# run_dns_start STATE_DIRECTORY SITE_ADDRESS
run_dns_start() {
  local directory=$1/run-dns i
  run_dns_stop
  mkdir -p "$directory"
  cat >"$directory/unbound.conf" <<CONF
server:
  username: ""
  chroot: ""
  directory: "$directory"
  pidfile: ""
  use-syslog: no
  logfile: ""
  interface: $OWG_RUN_DNS_ADDRESS
  access-control: 0.0.0.0/0 allow
  module-config: "iterator"
  local-zone: "." refuse
  local-zone: "demo.example." static
  local-data: "www.demo.example. 60 IN A $2"
remote-control:
  control-enable: yes
  control-interface: "$directory/control.sock"
  control-use-cert: no
CONF
  ip netns add "$OWG_RUN_DNS_NET"
  ip link add owgdns-r type veth peer name owgdns-n
  ip link set owgdns-n netns "$OWG_RUN_DNS_NET"
  ip addr add 198.18.202.1/30 dev owgdns-r
  ip link set owgdns-r up
  ip netns exec "$OWG_RUN_DNS_NET" ip link set lo up
  ip netns exec "$OWG_RUN_DNS_NET" ip addr add "$OWG_RUN_DNS_ADDRESS/30" dev owgdns-n
  ip netns exec "$OWG_RUN_DNS_NET" ip link set owgdns-n up
  ip netns exec "$OWG_RUN_DNS_NET" unbound -d -c "$directory/unbound.conf" >"$1/logs/run-dns.log" 2>&1 &
  for ((i = 0; i < 50; i++)); do
    unbound-control -c "$directory/unbound.conf" status >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the run's DNS server did not start; see $1/logs/run-dns.log" >&2
  return 1
}
