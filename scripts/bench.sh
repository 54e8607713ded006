#!/usr/bin/env bash
# Prints the benchmark figures of one run on this machine. Compare ratios, not absolute times.
# --scale [node|control-plane]: instead, a node filled with a thousand users' containers, and the
# control plane with 100,000 sessions on 100 simulated nodes, on one and on three silos.
# --moves: only the failover figures (a node dies under a connected client).
# --traces: only a warm connect's stages, from its trace.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/test-machine.sh
source scripts/lib/test-machine.sh

prepare_test_machine bench "${OWG_BENCH_PG_PORT:-55434}"

dotnet build OrleansWg.sln -c Release -v quiet -nologo
dotnet test/Benchmarks/bin/Release/net10.0/OrleansWg.Benchmarks.dll "$@"
