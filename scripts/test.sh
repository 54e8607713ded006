#!/usr/bin/env bash
# Installs what the tests need, starts a PostgreSQL of their own and dockerd (when it is not
# running), builds the session image when it is missing, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/test-machine.sh
source scripts/lib/test-machine.sh

prepare_test_machine test "${OWG_TEST_PG_PORT:-55433}"

dotnet build OrleansWg.sln -c Release -v quiet -nologo
log=.artifacts/test-results.txt
mkdir -p .artifacts
set +e
dotnet test OrleansWg.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line for the whole run, summed over the test assemblies.
awk '/(Passed|Failed)! +- +Failed:/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s; if (p == 0) exit 1 }' "$log"
exit "$status"
