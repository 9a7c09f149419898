#!/usr/bin/env bash
# Installs what nlsprobe needs on Debian, builds it (release), and runs it with the
# arguments given, if any:  scripts/setup.sh run cls
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/apt-install.sh libcurl4-openssl-dev libssl-dev libpcap-dev pkg-config ca-certificates
command -v swift >/dev/null || { echo "setup: the Swift toolchain (6.0 or later) is not on PATH" >&2; exit 1; }
# The Swift runtime is linked in, as in the container image: the binary runs on hosts without the
# toolchain (it still needs libcurl, OpenSSL and libpcap), and starts faster.
swift build -c release --static-swift-stdlib --product nlsprobe >&2
if [ "$#" -gt 0 ]; then
  exec .build/release/nlsprobe "$@"
fi
