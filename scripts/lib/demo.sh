# shellcheck shell=bash
# The demo of scripts/run.sh --demo: a client namespace runs client/owg, and fetches a page from
# an "internet" namespace that it can reach only through its container's NAT.

OWG_DEMO_CLIENT="owg-demo-client"
OWG_DEMO_NET="owg-demo-net"
OWG_DEMO_SITE=198.18.201.2

demo_cleanup() {
  ip netns pids "$OWG_DEMO_NET" 2>/dev/null | xargs -r kill 2>/dev/null || true
  ip netns del "$OWG_DEMO_CLIENT" 2>/dev/null || true
  ip netns del "$OWG_DEMO_NET" 2>/dev/null || true
  ip link del owgdemo-c 2>/dev/null || true
  ip link del owgdemo-n 2>/dev/null || true
  rm -rf /var/lib/orleanswg/demo-client /var/lib/orleanswg/demo-site "/etc/netns/$OWG_DEMO_CLIENT"
}

# demo_namespace NAME ROOT_VETH NS_VETH ROOT_ADDRESS NS_ADDRESS: a namespace joined by a /30 veth.
demo_namespace() {
  ip netns add "$1"
  ip link add "$2" type veth peer name "$3"
  ip link set "$3" netns "$1"
  ip addr add "$4/30" dev "$2"
  ip link set "$2" up
  ip netns exec "$1" ip link set lo up
  ip netns exec "$1" ip addr add "$5/30" dev "$3"
  ip netns exec "$1" ip link set "$3" up
}

# demo_user GATEWAY_URL CERTIFICATE ADMIN_HEADER_FILE PASSWORD_FILE: the user demo, its password
# random and kept in PASSWORD_FILE. Made only for a demo, so that no installation has a user whose
# password everybody knows; the password goes to curl on stdin, not on its command line.
demo_user() {
  local gateway=$1 certificate=$2 header=$3 password
  password=$(secret_file "$4")
  # A demo user of an earlier demo (or installation) gets this password; else the user is made with it.
  curl -fs -o /dev/null -X PUT --cacert "$certificate" -H @"$header" -H 'Content-Type: application/json' -d @- \
    "$gateway/v1/admin/users/demo/password" <<<"{\"password\":\"$password\"}" \
    || curl -fsS -o /dev/null --cacert "$certificate" -H @"$header" -H 'Content-Type: application/json' -d @- \
      "$gateway/v1/admin/users" <<<"{\"username\":\"demo\",\"password\":\"$password\"}"
}

# run_demo GATEWAY_URL GATEWAY_CERTIFICATE NODE_ADDRESS USER PASSWORD [SITE_NAME]: SITE_NAME, when the
# node's resolver knows it, is fetched by that name too.
run_demo() {
  local gateway=$1 certificate=$2 node=$3 user=$4 password=$5 name=${6:-} i
  demo_cleanup
  demo_namespace "$OWG_DEMO_NET" owgdemo-n owgdemo-ni 198.18.201.1 "$OWG_DEMO_SITE"
  mkdir -p /var/lib/orleanswg/demo-site
  echo "hello from the demo internet, reached through your OrleansWg container" >/var/lib/orleanswg/demo-site/index.html
  ip netns exec "$OWG_DEMO_NET" /usr/bin/python3 -m http.server 8080 --bind "$OWG_DEMO_SITE" \
    --directory /var/lib/orleanswg/demo-site >/var/lib/orleanswg/logs/demo-site.log 2>&1 &
  for ((i = 0; i < 50; i++)); do
    ip netns exec "$OWG_DEMO_NET" curl -fsS -o /dev/null "http://$OWG_DEMO_SITE:8080/" 2>/dev/null && break
    sleep 0.1
  done

  # The client's own resolv.conf, which owg changes while connected (ip netns exec mounts it over
  # /etc/resolv.conf): its "home" resolver is one nothing answers at, as names are for the tunnel.
  mkdir -p "/etc/netns/$OWG_DEMO_CLIENT"
  printf 'nameserver 198.19.253.1\n' >"/etc/netns/$OWG_DEMO_CLIENT/resolv.conf"
  demo_namespace "$OWG_DEMO_CLIENT" owgdemo-c owgdemo-ci 198.19.253.1 198.19.253.2
  ip netns exec "$OWG_DEMO_CLIENT" ip route add "$node/32" via 198.19.253.1

  local owg=(ip netns exec "$OWG_DEMO_CLIENT" env OWG_STATE_DIR=/var/lib/orleanswg/demo-client client/owg)
  echo "demo: before connecting, the client cannot reach http://$OWG_DEMO_SITE:8080/:"
  ip netns exec "$OWG_DEMO_CLIENT" curl -sS --max-time 3 "http://$OWG_DEMO_SITE:8080/" 2>&1 | sed 's/^/  /' || true
  echo "demo: $ owg connect --gateway $gateway --ca $certificate --user $user --interface owgdemo0"
  "${owg[@]}" connect --gateway "$gateway" --ca "$certificate" --user "$user" --interface owgdemo0 --password-stdin <<<"$password" | sed 's/^/  /'
  echo "demo: through the tunnel:"
  ip netns exec "$OWG_DEMO_CLIENT" curl -sS --max-time 5 "http://$OWG_DEMO_SITE:8080/" | sed 's/^/  /'
  if [ -n "$name" ]; then
    echo "demo: and by name, which the node's resolver answers through the tunnel:"
    ip netns exec "$OWG_DEMO_CLIENT" curl -sS --max-time 5 "http://$name:8080/" | sed 's/^/  /'
  fi
  echo "demo: the site saw the request come from $(tail -n 1 /var/lib/orleanswg/logs/demo-site.log | cut -d' ' -f1), the node's NAT address"
  "${owg[@]}" status --interface owgdemo0 | sed 's/^/  /'
  "${owg[@]}" disconnect --interface owgdemo0 | sed 's/^/  /'
  demo_cleanup
}
