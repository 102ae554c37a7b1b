#!/usr/bin/env bash
# bench/images: Berth's image store beside Docker (docker.io, a private dockerd on overlay2) and GNU tar,
# in one run, interleaved. As root. Usage: bench/images/run.sh [--iterations N]
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v q . >/dev/null
exec dotnet "$(pwd)/../../artifacts/build/bin/Berth.Bench.Images/release_linux-x64/Berth.Bench.Images.dll" "$@"
