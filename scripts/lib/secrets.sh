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
