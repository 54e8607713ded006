# shellcheck shell=bash
# How the guest's test run (scripts/guest.sh running scripts/guest/kernel-tests.sh) counts in
# scripts/test.sh's closing line.

# guest_test_counts STATUS LOG NAME: sets GUEST_PASSED, GUEST_FAILED and GUEST_SKIPPED for a guest run
# that exited with STATUS and printed LOG, and prints them after NAME, from the summary line of the
# kernel tests' runner (xunit v3:
# "Total: N, Errors: E, Failed: F, Skipped: S, Not Run: R"). A run that did not run (75) counts as one
# skipped, never as passed, and says why; a run without a summary (a hang, a crash) counts as one failed.
# shellcheck disable=SC2034 # the counts are the caller's to read
guest_test_counts() {
  local status=$1 log=$2 name=$3 summary
  GUEST_PASSED=0 GUEST_FAILED=0 GUEST_SKIPPED=0
  if [ "$status" -eq 75 ]; then
    GUEST_SKIPPED=1
    echo "$name: $(grep -m 1 '^not run: ' "$log" || echo 'not run: no reason given')"
    return 0
  fi
  summary=$(grep -m 1 -E 'Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+, Not Run: [0-9]+' "$log" |
    sed -E 's/.*Total: ([0-9]+), Errors: ([0-9]+), Failed: ([0-9]+), Skipped: ([0-9]+), Not Run: ([0-9]+).*/\1 \2 \3 \4 \5/' || true)
  if [ -n "$summary" ]; then
    local total errors failed skipped not_run
    read -r total errors failed skipped not_run <<<"$summary"
    GUEST_FAILED=$((errors + failed))
    GUEST_SKIPPED=$((skipped + not_run))
    GUEST_PASSED=$((total - GUEST_FAILED - GUEST_SKIPPED))
  fi
  if { [ "$status" -ne 0 ] || [ -z "$summary" ]; } && [ "$GUEST_FAILED" -eq 0 ]; then
    GUEST_FAILED=1
  fi
  echo "$name: $GUEST_PASSED passed, $GUEST_FAILED failed, $GUEST_SKIPPED skipped"
}
