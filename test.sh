#!/usr/bin/env bash
# Set-up command 2: installs what the tests need (the peers they compare with included), builds
# the NativeAOT executables and runs the whole test suite. Fails if any test fails.
set -euo pipefail
cd "$(dirname "$0")"

if [ "$(id -u)" != 0 ]; then
  echo "test.sh: run as root (the tests run real containers)" >&2
  exit 1
fi

packages=(build-essential libseccomp2 libseccomp-dev busybox-static procps util-linux runc crun podman docker.io skopeo zstd xz-utils bzip2 python3 python3-docker libsqlite3-0 nftables iproute2 docker-registry apache2-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

./build.sh
# The whole log is long and CI shows its end, so the failures are repeated there.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Berth.slnx -c Release --nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" != 0 ]; then
  echo
  echo "test.sh: the suite failed (exit $status); the failures:"
  awk '/^ *Failed [^ ]/ { show = 1; n = 0 } /^ *(Passed|Skipped) [^ ]/ { show = 0 }
       show && n++ < 40 { print }
       /^ *(Failed!|Test Run Failed|Test Run Aborted|error )|test run was aborted|host process crashed/ { print }' "$log"
fi
exit "$status"
