#!/usr/bin/env bash
# Publishes every executable Berth users run with NativeAOT into artifacts/bin/.
# Fails on any trim or AOT warning: the executables must stay AOT-clean.
set -euo pipefail
cd "$(dirname "$0")"

executables=(src/Berth.Runtime/Berth.Runtime.csproj src/Berth.Shim/Berth.Shim.csproj src/Berth.Init/Berth.Init.csproj src/Berth.Api/Berth.Api.csproj src/Berth.Cli/Berth.Cli.csproj)

mkdir -p artifacts/bin
for project in "${executables[@]}"; do
  log=$(mktemp)
  if ! dotnet publish "$project" -c Release -o artifacts/bin -nologo -clp:NoSummary >"$log" 2>&1; then
    cat "$log"; rm -f "$log"
    echo "build.sh: publishing $project failed" >&2
    exit 1
  fi
  if grep -E "warning (IL|CS|CA|SYSLIB)[0-9]+" "$log" >/dev/null; then
    grep -E "warning (IL|CS|CA|SYSLIB)[0-9]+" "$log" | sort -u
    rm -f "$log"
    echo "build.sh: $project has trim/AOT or compiler warnings" >&2
    exit 1
  fi
  rm -f "$log"
done
rm -f artifacts/bin/*.pdb artifacts/bin/*.dbg
echo "build.sh: published to artifacts/bin: $(cd artifacts/bin && ls | tr '\n' ' ')"
