#!/usr/bin/env bash
# bench/build: berthd's builder (artifacts/bin, run ./build.sh first) beside dockerd's legacy builder (docker.io,
# its own data root and socket), both driven by the docker CLI with DOCKER_BUILDKIT=0, interleaved, in one run. As root.
# Usage: bench/build/run.sh [--iterations N] [--megabytes M]
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v q . >/dev/null
exec dotnet "$(pwd)/../../artifacts/build/bin/Berth.Bench.Build/release_linux-x64/Berth.Bench.Build.dll" "$@"
