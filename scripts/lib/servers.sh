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
