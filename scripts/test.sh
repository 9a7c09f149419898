#!/usr/bin/env bash
# The test suite: installs what the tests need (Debian packages), checks the style with
# swift format, builds, and runs every test. Lab tests need root (network namespaces,
# nftables); without root they say so and skip, except under CI=true where they must run.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests use: libcurl/OpenSSL/libpcap to build, real servers and proxies (openssl, squid,
# microsocks), the lab (iproute2, nftables, procps for sysctl), the checkers (jsonschema, xmllint,
# promtool, tshark, systemd-analyze), the capture privilege test (setcap, capsh) and the benchmark
# harness (/usr/bin/time from time; the peers nmap, nc, curl). A minimal Debian has none of them.
scripts/apt-install.sh libcurl4-openssl-dev libssl-dev libpcap-dev pkg-config ca-certificates openssl \
  iproute2 nftables procps python3 python3-jsonschema python3-yaml squid-openssl microsocks tshark \
  libcap2-bin libxml2-utils prometheus systemd nmap netcat-openbsd curl time
# nlsprobe serve's deployment checks: a venv for the PyPI tools below.
scripts/apt-install.sh python3-venv

# PyPI tools, in a venv of their own (.venv-tools, ignored by git): kubernetes-validate checks
# deploy/kubernetes (ServeTests/DeploymentTests).
if [ ! -x .venv-tools/bin/kubernetes-validate ]; then
  /usr/bin/python3 -m venv .venv-tools
  .venv-tools/bin/pip install --quiet --disable-pip-version-check kubernetes-validate==1.37.0
fi

echo "test: swift format lint"
swift format lint --strict --recursive --parallel Package.swift Sources Tests Fuzz/Package.swift Fuzz/Sources Fuzz/Harness

echo "test: build"
swift build --build-tests

echo "test: swift test"
swift test --skip-build --no-parallel 2>&1 | tee .build/test-output.txt
