#!/usr/bin/env bash
# Installs what the tests need, starts a PostgreSQL of their own and dockerd (when it is not
# running), builds the session image when it is missing, builds, runs every test: the host's, and
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
guest_log=.artifacts/guest-results.txt
mkdir -p .artifacts
rm -f .artifacts/guest-status .artifacts/guest-connect-status "$log"

# The kernel's WireGuard in a qemu guest (its tests skip on a host without it): the guest's own tests,
# then a whole connect through a NodeHost in the guest (test/Kernel.Tests' GuestNodeTests, which
# boots it, run by the tests' own runner as the guest runs the rest). They run while the host's unit
# tests run, and the integration tests, some of which depend on timing, run after them with the
# machine to themselves.
connect_log=.artifacts/guest-connect-results.txt
(
  # Each status is recorded, a failure's too: this runs before the host's tests leave set -e.
  set +e
  scripts/guest.sh run scripts/guest/kernel-tests.sh >"$guest_log" 2>&1
  echo $? >.artifacts/guest-status
  OWG_GUEST_CONNECT=1 dotnet test/Kernel.Tests/bin/Release/net10.0/OrleansWg.Kernel.Tests.dll -noColor \
    -class OrleansWg.Kernel.Tests.GuestNodeTests >"$connect_log" 2>&1
  echo $? >.artifacts/guest-connect-status
) &
guest=$!
trap 'kill "$guest" 2>/dev/null' EXIT

set +e
status=0
for project in test/*.Tests/*.Tests.csproj; do
  [ "$project" != test/Integration.Tests/Integration.Tests.csproj ] || continue
  dotnet test "$project" -c Release --no-build -nologo 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
wait "$guest"
trap - EXIT
dotnet test test/Integration.Tests -c Release --no-build -nologo 2>&1 | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
set -e
cat "$guest_log" "$connect_log"
guest_test_counts "$(cat .artifacts/guest-status 2>/dev/null || echo 1)" "$guest_log" "kernel (guest)"
read -r guest_passed guest_failed guest_skipped <<<"$GUEST_PASSED $GUEST_FAILED $GUEST_SKIPPED"
guest_test_counts "$(cat .artifacts/guest-connect-status 2>/dev/null || echo 1)" "$connect_log" "kernel (a whole connect)"
[ "$guest_failed" -eq 0 ] && [ "$GUEST_FAILED" -eq 0 ] || status=1

# One closing line for the whole run, summed over the test assemblies and the guest.
awk -v p=$((guest_passed + GUEST_PASSED)) -v f=$((guest_failed + GUEST_FAILED)) -v s=$((guest_skipped + GUEST_SKIPPED)) '/(Passed|Failed|Skipped)! +- +Failed:/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") { p += $(i+1); host += $(i+1) } if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s; if (host == 0) exit 1 }' "$log"
exit "$status"
