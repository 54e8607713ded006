#!/usr/bin/env bash
# Prints the benchmark figures of one run on this machine. Compare ratios, not absolute times.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/prerequisites.sh
source scripts/lib/prerequisites.sh
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh

install_prerequisites
pg_data=/var/lib/orleanswg/postgres-bench
pg_port=${OWG_BENCH_PG_PORT:-55434}
trap 'pg_stop "$pg_data"' EXIT
pg_start "$pg_data" "$pg_port"
export OWG_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"

dotnet build OrleansWg.sln -c Release -v quiet -nologo
dotnet test/Benchmarks/bin/Release/net10.0/OrleansWg.Benchmarks.dll
