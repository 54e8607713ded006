# shellcheck shell=bash
# Secrets made on this machine: no pipe into head, which under pipefail dies of SIGPIPE.

# random_secret: 40 hexadecimal characters from /dev/urandom.
random_secret() { od -An -N20 -tx1 /dev/urandom | tr -d ' \n'; }

# secret_file PATH: the secret kept in PATH (mode 600), made on first use.
secret_file() {
  if [ ! -s "$1" ]; then
    mkdir -p "$(dirname "$1")"
    (umask 077; random_secret >"$1")
  fi
  cat "$1"
}

# bearer_header_file TOKEN_FILE HEADER_FILE: HEADER_FILE (mode 600) holds the HTTP header that sends
# the token, for `curl -H @HEADER_FILE`: the token on no command line, where `ps` would show it.
bearer_header_file() {
  (umask 077; printf 'Authorization: Bearer %s\n' "$(cat "$1")" >"$2")
}

# secret_settings DIR SETTING=FILE...: DIR (a process's SecretsDirectory, Hosting/SecretFiles.cs)
# holds exactly these settings, each a link to the secret file that is its value.
secret_settings() {
  local dir=$1 pair
  shift
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 700 "$dir"
  for pair in "$@"; do ln -s "${pair#*=}" "$dir/${pair%%=*}"; done
}
