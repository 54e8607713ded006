#!/usr/bin/env bash
# Prints the benchmark figures of one run on this machine. Compare ratios, not absolute times.
# --scale [node|control-plane]: instead, a node filled with a thousand users' containers, and the
# control plane with 100,000 sessions on 100 simulated nodes, on one and on three silos.
# --moves: only the failover figures (a node dies under a connected client).
# --traces: only a warm connect's stages, from its trace.
# --guest [N]: only the kernel's WireGuard against wireguard-go (a peer's change, and the memory and
# idle CPU of N containers, 8 by default), in one boot of the qemu guest (scripts/guest.sh), whose
# kernel has WireGuard; its exit status is guest.sh's (75: not run).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/test-machine.sh
source scripts/lib/test-machine.sh

# The guest has a dockerd of its own and no PostgreSQL.
[ "${1:-}" = --guest ] || prepare_test_machine bench "${OWG_BENCH_PG_PORT:-55434}"

dotnet build OrleansWg.sln -c Release -v quiet -nologo
if [ "${1:-}" = --guest ]; then
  # The guest's emulated CPUs take about ten minutes for the whole run; this bounds a hung one.
  OWG_GUEST_TIMEOUT=${OWG_GUEST_TIMEOUT:-900} exec scripts/guest.sh run scripts/guest/bench.sh "$@"
fi
dotnet test/Benchmarks/bin/Release/net10.0/OrleansWg.Benchmarks.dll "$@"
