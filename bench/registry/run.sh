#!/usr/bin/env bash
# bench/registry: berth registry serve (artifacts/bin, run ./build.sh first) beside distribution 2.8 (docker-registry),
# pushed to and pulled from by the same clients; then berthd's pull and push beside dockerd's against one registry. As root.
# Usage: bench/registry/run.sh [--iterations N] [--megabytes M] [--blobs N]
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v q . >/dev/null
exec dotnet "$(pwd)/../../artifacts/build/bin/Berth.Bench.Registry/release_linux-x64/Berth.Bench.Registry.dll" "$@"
