#!/usr/bin/env bash
# bench/runtime: berth-runtime beside runc and crun, in one run. As root, after ./build.sh.
# crun 1.8 refuses hybrid cgroup hosts, so on such a host the whole bench runs in a private mount
# namespace without /sys/fs/cgroup/unified: every runtime then sees the same (v1) cgroups.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v q . >/dev/null
bench=(dotnet "$(pwd)/../../artifacts/build/bin/Berth.Bench.Runtime/release_linux-x64/Berth.Bench.Runtime.dll" --berth "$(pwd)/../../artifacts/bin/berth-runtime" "$@")
if mountpoint -q /sys/fs/cgroup/unified 2>/dev/null; then
  exec unshare -m --propagation private sh -c 'umount /sys/fs/cgroup/unified && exec "$@"' sh "${bench[@]}"
fi
exec "${bench[@]}"
