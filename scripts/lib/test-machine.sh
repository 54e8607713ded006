# shellcheck shell=bash
# What tests and benchmarks need of this machine: the packages, dockerd, the session image,
# and a PostgreSQL of their own that stops when the calling script exits.
# shellcheck source=scripts/lib/prerequisites.sh
source scripts/lib/prerequisites.sh
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=scripts/lib/docker.sh
source scripts/lib/docker.sh

# prepare_test_machine NAME PORT
prepare_test_machine() {
  install_prerequisites
  docker_start
  docker_session_image
  pg_for_tests "$1" "$2"
  oidc_provider_packages
}

# The tests' identity provider (test/OidcProvider, npm's oidc-provider) with its packages, installed
# from the lockfile into the state directory once, and again only when the lockfile changes.
oidc_provider_packages() {
  local dir=/var/lib/orleanswg/test-oidc-provider
  mkdir -p "$dir"
  if ! cmp -s test/OidcProvider/package-lock.json "$dir/package-lock.json" || [ ! -d "$dir/node_modules" ]; then
    cp test/OidcProvider/package.json test/OidcProvider/package-lock.json "$dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}
