#!/usr/bin/env bash
# bench/engine: berthd (artifacts/bin, run ./build.sh first) beside dockerd (docker.io, runc, its own
# data root and socket), both driven by the docker CLI, interleaved, in one run. As root.
# Usage: bench/engine/run.sh [--iterations N]
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v q . >/dev/null
exec dotnet "$(pwd)/../../artifacts/build/bin/Berth.Bench.Engine/release_linux-x64/Berth.Bench.Engine.dll" "$@"
