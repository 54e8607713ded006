#!/usr/bin/env bash
# In the guest: the kernel backend's tests (test/Kernel.Tests, built on the host by scripts/test.sh)
# as a program of their own, on the host's .NET runtime, after dockerd is up for the container tests.
# OWG_REQUIRE_KERNEL=1 makes a missing WireGuard a failure, never a skip.
set -euo pipefail
source scripts/guest/lib.sh
tests=test/Kernel.Tests/bin/Release/net10.0/OrleansWg.Kernel.Tests.dll
[ -f "$tests" ] || { echo "$tests is missing: build the solution first" >&2; exit 1; }
guest_dockerd_start
OWG_REQUIRE_KERNEL=1 DOTNET_ROOT=/mnt/dotnet /mnt/dotnet/dotnet "$tests" -noColor "$@"
