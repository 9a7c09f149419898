#!/usr/bin/env bash
# Installs what nlsprobe needs on Debian, builds it (release), and runs it with the
# arguments given, if any:  scripts/setup.sh run cls
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  sudo_cmd=(sudo)
fi

packages=(libcurl4-openssl-dev libssl-dev libpcap-dev pkg-config ca-certificates)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: the Swift toolchain (6.0 or later) is not on PATH" >&2; exit 1; }
swift build -c release --product nlsprobe >&2

if [ "$#" -gt 0 ]; then
  exec .build/release/nlsprobe "$@"
fi
