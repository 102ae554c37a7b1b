#!/usr/bin/env bash
# Set-up command 1: installs what Berth needs, builds every executable with NativeAOT, installs
# them on PATH (/usr/local/bin), starts berthd and runs a first container, offline (a busybox image
# made here from Debian's busybox-static).
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

packages=(build-essential libseccomp2 libseccomp-dev busybox-static procps libnftables1)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

./build.sh
for exe in berth-runtime berth-shim berth-init berthd berth; do
  install -m 0755 "artifacts/bin/$exe" "/usr/local/bin/$exe"
done

# berthd: as a service where the machine has systemd, in the background otherwise.
socket=/run/berth/berth.sock
if ! berth version >/dev/null 2>&1; then
  if [ -d /run/systemd/system ]; then
    cat > /etc/systemd/system/berthd.service <<'UNIT'
[Unit]
Description=Berth engine (Docker Engine API)
After=network.target

[Service]
ExecStart=/usr/local/bin/berthd
KillMode=process
Restart=on-failure

[Install]
WantedBy=multi-user.target
UNIT
    systemctl daemon-reload
    systemctl enable --now berthd.service
  else
    mkdir -p /var/log
    nohup /usr/local/bin/berthd >>/var/log/berthd.log 2>&1 &
  fi
  for _ in $(seq 1 100); do
    [ -S "$socket" ] && berth version >/dev/null 2>&1 && break
    sleep 0.1
  done
fi

# A first image, made offline from Debian's busybox-static, and a first container.
if ! berth image inspect busybox:latest >/dev/null 2>&1; then
  rootfs=$(mktemp -d /tmp/berth-busybox-XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,var,run,home}
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  /bin/busybox --install -s "$rootfs/bin" 2>/dev/null || for applet in $(/bin/busybox --list); do ln -sf busybox "$rootfs/bin/$applet"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
  tar -C "$rootfs" -c . | berth import - busybox:latest >/dev/null
fi
berth run --rm busybox sh -c 'echo "Hello from a Berth container: $(hostname), $(uname -sr)"'
