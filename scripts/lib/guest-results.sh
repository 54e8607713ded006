# shellcheck shell=bash
# How a guest run (scripts/guest.sh) counts in scripts/test.sh's closing line.

# guest_test_counts STATUS LOG: sets GUEST_PASSED, GUEST_FAILED and GUEST_SKIPPED for a guest run that
# exited with STATUS and printed LOG. A run that did not run (75) counts as skipped, never as passed,
# and says why. The smoke run counts as one test; a guest run that reports several tests of its own
# is to be read from LOG here.
# shellcheck disable=SC2034 # the counts are the caller's to read
guest_test_counts() {
  local status=$1 log=$2
  GUEST_PASSED=0 GUEST_FAILED=0 GUEST_SKIPPED=0
  case "$status" in
    0) GUEST_PASSED=1 ;;
    75)
      GUEST_SKIPPED=1
      echo "kernel (guest): $(grep -m 1 '^not run: ' "$log" || echo 'not run: no reason given')"
      ;;
    *) GUEST_FAILED=1 ;;
  esac
}
