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
# The fleet test (LabTests/FleetLabTests): OpenSSH's sshd in each probe host's namespace and the
# real ansible-playbook on the controller; python3-venv for the PyPI tools below.
scripts/apt-install.sh openssh-server ansible-core python3-venv
# The fleet role's install step (apt module) on the lab's hosts: python3-apt, or the module refreshes
# the package lists to install it.
scripts/apt-install.sh python3-apt

# PyPI tools, in a venv of their own (.venv-tools, ignored by git): ansible-lint for the playbook,
# kubernetes-validate for deploy/kubernetes (ServeTests/DeploymentTests).
[ -x .venv-tools/bin/ansible-lint ] && [ -x .venv-tools/bin/kubernetes-validate ] || {
  python3 -m venv .venv-tools && .venv-tools/bin/pip install -q --disable-pip-version-check \
    ansible-lint==26.10.1 kubernetes-validate==1.37.0
}
# The lab tests that hide libcurl or libpcap from the binary (unshare --mount, mount --bind): mount
# is of Debian's required priority, listed so that a trimmed image still has it.
scripts/apt-install.sh mount
# Packaging and ticket reports: the .deb (dpkg-dev, binutils for strip/objcopy, lintian), the HTML
# report in a real browser (chromium), man -w and the clean-root install (man-db, mmdebstrap).
scripts/apt-install.sh dpkg-dev binutils lintian chromium man-db mmdebstrap

echo "test: swift format lint"
swift format lint --strict --recursive --parallel Package.swift Sources Tests Fuzz/Package.swift Fuzz/Sources Fuzz/Harness

echo "test: build"
swift build --build-tests

# The man pages from the command definitions, where PackageTests and scripts/package-deb.sh find them.
echo "test: man pages (swift package plugin generate-manual)"
swift package plugin generate-manual --configuration debug --multi-page >/dev/null

echo "test: swift test"
swift test --skip-build --no-parallel 2>&1 | tee .build/test-output.txt
