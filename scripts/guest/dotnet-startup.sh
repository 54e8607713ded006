#!/usr/bin/env bash
# How long .NET takes to start in the guest, whose CPU is emulated: `dotnet --info` (the host's SDK
# from the dotnet share) and each framework-dependent DLL given (a path under the repository), each
# run twice, the second time with the files in the guest's cache. Prints one line per run.
#   scripts/guest.sh run scripts/guest/dotnet-startup.sh path/to/App.dll...
set -uo pipefail

# timed NAME COMMAND...
timed() {
  local name=$1 start=${EPOCHREALTIME/./} status ms
  shift
  "$@" >/tmp/timed.out 2>&1
  status=$?
  ms=$(((${EPOCHREALTIME/./} - start) / 1000))
  printf '%s: %d.%01d s (status %d)\n' "$name" $((ms / 1000)) $((ms % 1000 / 100)) "$status"
  [ "$status" -eq 0 ] || tail -n 5 /tmp/timed.out
  return "$status"
}

failed=0
for run in first second; do
  timed "dotnet --info, $run run" /mnt/dotnet/dotnet --info || failed=1
  for dll in "$@"; do
    timed "dotnet $dll, $run run" /mnt/dotnet/dotnet "$dll" || failed=1
  done
done
[ "$failed" -eq 0 ]
