#!/usr/bin/env bash
# Runs a script in a qemu guest whose kernel has WireGuard (this machine's kernel has none):
#
#   scripts/guest.sh run SCRIPT [ARGS...]
#
# The guest (Debian 12, 2 vCPUs, 3 GiB) is built once and cached under /var/lib/orleanswg/guest.
# SCRIPT runs as root from the repository (mounted read-only at /mnt/repo), with the host's .NET at
# /mnt/dotnet, the images owg/session and debian:bookworm-slim in its dockerd (not started), and no
# network. Exits 0 when SCRIPT passed, 1 when it failed or gave no exit code within
# OWG_GUEST_TIMEOUT s (default 600), and 75 when it did not run: the guest could not be installed,
# built or booted. Then the first line is `not run: REASON`, followed by the tail of a log.
set -euo pipefail
script=$(realpath "${2:-}" 2>/dev/null || true)
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/guest.sh
source scripts/lib/guest.sh

if [ "${1:-}" != run ] || [ $# -lt 2 ]; then
  echo "usage: scripts/guest.sh run SCRIPT [ARGS...]" >&2
  exit 2
fi
shift 2
guest_run "$script" "$@"
