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
}
