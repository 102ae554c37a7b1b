#!/usr/bin/env bash
# Set-up command 1: installs what Berth needs, builds every executable with NativeAOT, installs
# them on PATH (/usr/local/bin) and runs a first container, offline (a busybox rootfs made here).
set -euo pipefail
cd "$(dirname "$0")"

if [ "$(id -u)" != 0 ]; then
  echo "install.sh: run as root (it installs packages and runs a container)" >&2
  exit 1
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "install.sh: the .NET 10 SDK is needed to build Berth (https://dotnet.microsoft.com/download)" >&2
  exit 1
fi

packages=(build-essential libseccomp2 libseccomp-dev busybox-static procps)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

./build.sh
install -m 0755 artifacts/bin/berth-runtime /usr/local/bin/berth-runtime

# A first container: a busybox bundle, run by berth-runtime.
bundle=$(mktemp -d /tmp/berth-first-XXXXXX)
trap 'rm -rf "$bundle"' EXIT
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/sys" "$bundle/rootfs/dev" "$bundle/rootfs/etc"
cp /bin/busybox "$bundle/rootfs/bin/busybox"
for applet in sh echo uname hostname cat; do ln -s busybox "$bundle/rootfs/bin/$applet"; done
echo "root:x:0:0:root:/root:/bin/sh" > "$bundle/rootfs/etc/passwd"
(cd "$bundle" && berth-runtime spec)
sed -i 's/"terminal": true/"terminal": false/; s/"hostname": "runc"/"hostname": "berth"/; s/"sh"$/"sh", "-c", "echo Hello from a Berth container: $(hostname), $(uname -sr)"/' "$bundle/config.json"
berth-runtime run --bundle "$bundle" "berth-first-$$"
