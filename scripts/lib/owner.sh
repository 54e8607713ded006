# shellcheck shell=bash
# The installation's first owner. Every admin has an account; a fresh installation makes its first
# owner with the bootstrap secret, which works once. The scripts make that owner, "owner", on the
# first start, and keep its password and an owner's API token in the state directory.

# adopt_admin_token STATE: an installation of before, whose admin token opened everything, keeps it
# as its bootstrap secret; its metrics token is gone (a scraper gets an API token of role metrics).
adopt_admin_token() {
  [ ! -s "$1/admin-token" ] || [ -e "$1/bootstrap-token" ] || mv "$1/admin-token" "$1/bootstrap-token"
  rm -f "$1/metrics-token"
}

# bootstrap_owner GATEWAY_URL CERTIFICATE STATE: on the first start, makes the owner (its password
# in STATE/owner-password) with STATE/bootstrap-token, and keeps the token the answer holds in
# STATE/owner-token; every start writes STATE/admin-header, which sends that token from curl.
bootstrap_owner() {
  local url=$1 certificate=$2 state=$3 answer status
  if [ ! -s "$state/owner-token" ]; then
    secret_file "$state/owner-password" >/dev/null
    bearer_header_file "$state/bootstrap-token" "$state/bootstrap-header"
    answer=$(jq -n --rawfile password "$state/owner-password" '{name: "owner", password: ($password | rtrimstr("\n"))}' \
      | curl -sS --cacert "$certificate" -H @"$state/bootstrap-header" -H 'Content-Type: application/json' -d @- \
        -w '\n%{http_code}' "$url/v1/bootstrap")
    rm -f "$state/bootstrap-header"
    status=${answer##*$'\n'}
    case $status in
      201) (umask 077; jq -r .token <<<"${answer%$'\n'*}" >"$state/owner-token") ;;
      409) echo "this installation has its first owner already, but $state/owner-token is missing:" \
             "make an owner's token in the console (Access) and put it there" >&2; return 1 ;;
      *) echo "the Gateway did not make the first owner (HTTP $status): ${answer%$'\n'*}" >&2; return 1 ;;
    esac
  fi
  bearer_header_file "$state/owner-token" "$state/admin-header"
}
