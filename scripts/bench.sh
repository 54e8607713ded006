#!/usr/bin/env bash
# Prints the benchmark figures of one run on this machine. Compare ratios, not absolute times.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/prerequisites.sh
source scripts/lib/prerequisites.sh
# shellcheck source=scripts/lib/postgres.sh
source scripts/lib/postgres.sh
# shellcheck source=scripts/lib/docker.sh
source scripts/lib/docker.sh

install_prerequisites
docker_start
docker_session_image
pg_for_tests bench "${OWG_BENCH_PG_PORT:-55434}"

dotnet build OrleansWg.sln -c Release -v quiet -nologo
dotnet test/Benchmarks/bin/Release/net10.0/OrleansWg.Benchmarks.dll
