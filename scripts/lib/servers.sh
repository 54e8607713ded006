# shellcheck shell=bash
# Servers as an admin makes them through the Gateway: a node may register only as a server an admin
# has made, and placement goes by the admin's group, capacity and address, never by the node's.

# make_server GATEWAY_URL CERTIFICATE ADMIN_HEADER_FILE ID ADDRESS CAPACITY: makes server ID with
# ADDRESS and CAPACITY; a server made before keeps its group and capacity, and takes ADDRESS.
make_server() {
  local url=$1/v1/admin/servers/$4
  local put=(curl -sS -o /dev/null -w '%{http_code}' -X PUT --cacert "$2" -H @"$3" -H 'Content-Type: application/json')
  case $("${put[@]}" -d "{\"publicAddress\":\"$5\"}" "$url") in
    204) return 0 ;;
    400) [ "$("${put[@]}" -d "{\"publicAddress\":\"$5\",\"capacity\":$6}" "$url")" = 201 ] \
      || { echo "the Gateway did not make server $4 (address $5, capacity $6)" >&2; return 1; } ;;
    401) echo "the Gateway refused the token in $3: it has expired or was revoked; make an owner's token in the console and put it in its file" >&2
      return 1 ;;
    *) echo "the Gateway did not make server $4" >&2; return 1 ;;
  esac
}

# wait_for_node GATEWAY_URL CERTIFICATE ADMIN_HEADER_FILE ID SECONDS: waits until server ID is up and
# its node has sent a heartbeat since the server's grain started (lastSeen): before that the grain
# may still hold the node agent of a NodeHost that ran before, and a connect placed there fails.
wait_for_node() {
  local i
  for ((i = 0; i < $5 * 2; i++)); do
    curl -fsS --cacert "$2" -H @"$3" "$1/v1/admin/servers" 2>/dev/null \
      | jq -e --arg id "$4" 'any(.[]; .id == $id and .status == "up" and .lastSeen != null)' >/dev/null && return 0
    sleep 0.5
  done
  echo "timed out after ${5}s waiting for node $4 to register" >&2
  return 1
}

# enroll_with_join_token GATEWAY_URL CERTIFICATE ADMIN_HEADER_FILE ID STATE_DIR TOKEN_FILE: unless node
# ID holds an identity in STATE_DIR that its server still admits, gets a join token for it into
# TOKEN_FILE, the secret file Node__JoinToken the NodeHost enrolls with at start (it then keeps its
# identity in STATE_DIR/ID.identity). A server that lost its database, or whose node was revoked,
# admits no certificate, and a node stopped past its certificate's end has none: it enrolls again.
enroll_with_join_token() {
  local issued
  issued=$(curl -fsS --cacert "$2" -H @"$3" "$1/v1/admin/servers" \
    | jq -r --arg id "$4" '.[] | select(.id == $id and .status != "revoked") | .certificateExpiresAt // empty')
  [ -n "$issued" ] && [ -f "$5/$4.identity/node.pem" ] && openssl x509 -checkend 60 -noout -in "$5/$4.identity/node.pem" >/dev/null \
    && return 0
  rm -rf "${5:?}/$4.identity"
  (umask 077 && curl -fsS -X POST --cacert "$2" -H @"$3" "$1/v1/admin/servers/$4/join-token" | jq -er .token >"$6") \
    || { echo "the Gateway gave no join token for server $4" >&2; return 1; }
}
