#!/usr/bin/env bash
# The test suite: installs what the tests need (Debian packages), checks the style with
# swift format, builds, and runs every test. Lab tests need root (network namespaces,
# nftables); without root they say so and skip, except under CI=true where they must run.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)

packages=(libcurl4-openssl-dev libssl-dev libpcap-dev pkg-config ca-certificates openssl
          iproute2 nftables python3 python3-jsonschema python3-yaml squid-openssl microsocks tshark libcap2-bin
          libxml2-utils prometheus systemd nmap netcat-openbsd curl)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "test: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "test: swift format lint"
swift format lint --strict --recursive --parallel Package.swift Sources Tests

echo "test: build"
swift build --build-tests

echo "test: swift test"
swift test --skip-build --no-parallel 2>&1 | tee .build/test-output.txt
