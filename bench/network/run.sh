#!/usr/bin/env bash
# bench/network: berthd (artifacts/bin, run ./build.sh first) beside dockerd (docker.io, runc, its own
# bridge, iptables NAT without docker-proxy), both driven by the docker CLI, interleaved, in one run. As root.
# Usage: bench/network/run.sh [--iterations N] [--megabytes M] [--with-proxy]
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v q . >/dev/null
exec dotnet "$(pwd)/../../artifacts/build/bin/Berth.Bench.Network/release_linux-x64/Berth.Bench.Network.dll" "$@"
