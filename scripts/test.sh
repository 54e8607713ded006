#!/usr/bin/env bash
# Installs what the tests need, starts a PostgreSQL of their own and dockerd (when it is not
# running), builds the session image when it is missing, builds, runs every test: the host's, then
# the kernel's WireGuard in a qemu guest.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/test-machine.sh
source scripts/lib/test-machine.sh
# shellcheck source=scripts/lib/guest-results.sh
source scripts/lib/guest-results.sh

prepare_test_machine test "${OWG_TEST_PG_PORT:-55433}"

dotnet build OrleansWg.sln -c Release -v quiet -nologo
log=.artifacts/test-results.txt
mkdir -p .artifacts
set +e
dotnet test OrleansWg.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# After the host's tests, not beside them: the guest's emulated CPUs take both cores, and some host
# tests depend on timing.
guest_log=.artifacts/guest-results.txt
scripts/guest.sh run scripts/guest/smoke.sh 2>&1 | tee "$guest_log"
guest_status=${PIPESTATUS[0]}
set -e
guest_test_counts "$guest_status" "$guest_log"
[ "$GUEST_FAILED" -eq 0 ] || status=1

# One closing line for the whole run, summed over the test assemblies and the guest.
awk -v p="$GUEST_PASSED" -v f="$GUEST_FAILED" -v s="$GUEST_SKIPPED" '/(Passed|Failed)! +- +Failed:/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") { p += $(i+1); host += $(i+1) } if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s; if (host == 0) exit 1 }' "$log"
exit "$status"
