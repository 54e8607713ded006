#!/usr/bin/env bash
# In the guest: the benchmarks' --guest mode (test/Benchmarks, built on the host by
# scripts/bench.sh --guest), the kernel's WireGuard against wireguard-go, once dockerd is up.
# wireguard-go's containers need /dev/net/tun, whose module nothing else in the guest loads.
set -euo pipefail
source scripts/guest/lib.sh
benchmarks=test/Benchmarks/bin/Release/net10.0/OrleansWg.Benchmarks.dll
[ -f "$benchmarks" ] || { echo "$benchmarks is missing: build the solution first" >&2; exit 1; }
modprobe tun
guest_dockerd_start
DOTNET_ROOT=/mnt/dotnet /mnt/dotnet/dotnet "$benchmarks" "$@"
