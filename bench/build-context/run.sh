#!/usr/bin/env bash
# bench/build-context: ContextPacker.Pack and BuildContext.Receive of a 51 MB context (5,000 x 4 KiB files and one
# 30 MB file) beside GNU tar -c and -x of the same tree, interleaved, medians. Usage: bench/build-context/run.sh [--iterations N] [--dir DIR]
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v q . >/dev/null
exec dotnet "$(pwd)/../../artifacts/build/bin/Berth.Bench.BuildContext/release_linux-x64/Berth.Bench.BuildContext.dll" "$@"
