#!/usr/bin/env bash
# Boots a clean Debian with systemd as its PID 1, installs a built nlsprobe .deb there with apt-get
# and starts the scheduled audit as an administrator would:
#
#   scripts/check-deb-systemd.sh dist/nlsprobe_<version>_<arch>.deb [SUITE]     (root; SUITE bookworm)
#
# The root is made by mmdebstrap from Debian's packages (variant apt, plus systemd, systemd-sysv and
# dbus); the package's dependencies are downloaded into its apt cache from Debian, then it boots
# with `systemd-nspawn --boot --private-network` (Debian's systemd-container: the container's PID 1
# is Debian's systemd; its only network is loopback, so nothing leaves this machine). In the booted
# system, through nsenter: `apt-get install ./nlsprobe_*.deb` (offline, from the cache),
# `systemctl enable --now nlsprobe-audit.timer`, the timer active and scheduled (list-timers,
# status), one `systemctl start nlsprobe-audit.service`: it runs as the nlsprobe user and writes its
# reports to /var/lib/nlsprobe/reports and its metrics to /var/lib/nlsprobe/metrics (with no
# network the CLS checks end as dns-failed, exit 1, which the unit counts as a result, not a
# failure); then again with node_exporter's textfile folder present, which gets the metrics from
# root. Then the container is powered off.
#
# Every wait is bounded; the container is stopped and the root removed on any exit. Too slow for
# the test suite (the root alone takes from 30 s to 2 minutes); its output is in the README.
set -euo pipefail
deb=$(readlink -f "${1:?usage: scripts/check-deb-systemd.sh NLSPROBE.deb [SUITE]}")
suite=${2:-bookworm}
[ -f "$deb" ] || { echo "check-deb-systemd: $deb is not a file" >&2; exit 64; }
[ "$(id -u)" -eq 0 ] || { echo "check-deb-systemd: run as root (mmdebstrap, systemd-nspawn, nsenter)" >&2; exit 64; }
cd "$(dirname "$0")/.."
scripts/apt-install.sh mmdebstrap systemd-container

work=$(mktemp -d /tmp/nlsprobe-systemd-root.XXXXXX)
root="$work/root"
machine="nlsprobe-check-$$"
nspawn_pid="" init_pid=""
cleanup() {
  status=$?
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    # systemd-nspawn halts the container on SIGTERM (SIGRTMIN+3 to its systemd); a second
    # SIGTERM, or SIGKILL of the container's PID 1 (which ends its PID namespace), if it hangs.
    kill -TERM "$nspawn_pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$nspawn_pid" 2>/dev/null; then
      [ -n "$init_pid" ] && kill -KILL "$init_pid" 2>/dev/null || true
      kill -KILL "$nspawn_pid" 2>/dev/null || true
    fi
    wait "$nspawn_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -s "$work/nspawn.log" ]; then
    echo "check-deb-systemd: the container's console (last 30 lines):" >&2
    tail -30 "$work/nspawn.log" >&2
  fi
  rm -rf "/run/systemd/nspawn/propagate/$machine"
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n$ %s\n' "$*"; }
fail() { echo "check-deb-systemd: $*" >&2; exit 1; }
# A command in the booted container: its namespaces and root, PID 1's working directory.
in_machine() {
  timeout "${limit:-60}" nsenter --target "$init_pid" --all --root --wd \
    /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 SYSTEMD_COLORS=0 "$@"
}

start=$(date +%s)
step "mmdebstrap --variant=apt --include=systemd,systemd-sysv,dbus $suite (clean root)"
# The package lists stay: apt-get install resolves Depends: from them.
timeout 900 mmdebstrap --quiet --variant=apt --include=systemd,systemd-sysv,dbus --skip=cleanup/apt/lists \
  "$suite" "$root" >/dev/null
echo nlsprobe-check > "$root/etc/hostname"
echo "root made in $(( $(date +%s) - start )) s"

step "apt-get install --download-only ./$(basename "$deb")    (in the root, before it boots: it has no network)"
cp "$deb" "$root/root/"
cp /etc/resolv.conf "$root/etc/resolv.conf"
timeout 600 chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  apt-get install -y -q --download-only "/root/$(basename "$deb")" > "$work/download.log" 2>&1 \
  || { cat "$work/download.log" >&2; fail "the dependencies could not be downloaded"; }
rm -f "$root/etc/resolv.conf"
echo "$(find "$root/var/cache/apt/archives" -name '*.deb' | wc -l) packages in /var/cache/apt/archives"

step "systemd-nspawn --boot --private-network --directory=ROOT"
systemd-nspawn --boot --directory="$root" --machine="$machine" --private-network --register=no --keep-unit \
  --console=passive > "$work/nspawn.log" 2>&1 &
nspawn_pid=$!
# The container's PID 1 is systemd-nspawn's child.
for _ in $(seq 100); do
  init_pid=$(pgrep -P "$nspawn_pid" -x systemd || true)
  [ -n "$init_pid" ] && break
  kill -0 "$nspawn_pid" 2>/dev/null || fail "systemd-nspawn exited before the container started"
  sleep 0.1
done
[ -n "$init_pid" ] || fail "no systemd in the container after 10 s"
# systemctl talks to PID 1 over /run/systemd/private, which exists once systemd has started.
for _ in $(seq 300); do
  in_machine test -S /run/systemd/private && break
  sleep 0.1
done
state=$(limit=120 in_machine systemctl is-system-running --wait || true)
echo "PID 1: $(in_machine readlink /proc/1/exe) ($(in_machine systemctl --version | head -1)); $(in_machine systemd-detect-virt)"
echo "system state: $state"
[ "$state" = running ] || { in_machine systemctl --failed --no-pager || true; fail "the system did not boot cleanly"; }

step "apt-get install ./$(basename "$deb")    (offline: the packages downloaded above)"
limit=300 in_machine apt-get install -y -q "/root/$(basename "$deb")" > "$work/apt.log" 2>&1 \
  || { cat "$work/apt.log" >&2; fail "apt-get install failed"; }
grep -E '^(Setting up nlsprobe|[0-9]+ upgraded)' "$work/apt.log"

step "systemctl enable --now nlsprobe-audit.timer"
in_machine systemctl enable --now nlsprobe-audit.timer 2>&1
active=$(in_machine systemctl is-active nlsprobe-audit.timer || true)
echo "nlsprobe-audit.timer: $(in_machine systemctl is-enabled nlsprobe-audit.timer || true), $active"
[ "$active" = active ] || fail "the timer is not active"
step "systemctl list-timers nlsprobe-audit.timer"
in_machine systemctl list-timers --no-pager nlsprobe-audit.timer
step "systemctl status nlsprobe-audit.timer"
in_machine systemctl status --no-pager nlsprobe-audit.timer || true
next=$(in_machine systemctl show -P NextElapseUSecRealtime nlsprobe-audit.timer)
[ -n "$next" ] || fail "the timer has no next elapse time"

step "systemctl start nlsprobe-audit.service    (one run now; no network in the container: dns-failed)"
limit=300 in_machine systemctl start nlsprobe-audit.service || fail "the audit service failed"
in_machine systemctl status --no-pager --lines=0 nlsprobe-audit.service || true
result=$(in_machine systemctl show -P Result nlsprobe-audit.service)
main_status=$(in_machine systemctl show -P ExecMainStatus nlsprobe-audit.service)
echo "Result=$result ExecMainStatus=$main_status (1: a check failed, in SuccessExitStatus=1 2)"
[ "$result" = success ] && [ "$main_status" = 1 ] || fail "expected Result=success with exit 1 (dns-failed)"
step "journalctl -u nlsprobe-audit.service _UID=\$(id -u nlsprobe)    (what the run logged, as nlsprobe)"
uid=$(in_machine id -u nlsprobe)
echo "nlsprobe is uid $uid"
in_machine journalctl --no-pager -o cat -u nlsprobe-audit.service "_UID=$uid" | tee "$work/journal.txt"
grep -q '^report: /var/lib/nlsprobe/reports/cls-.*\.json$' "$work/journal.txt" || fail "no report logged by uid $uid"
step "ls -l /var/lib/nlsprobe/reports /var/lib/nlsprobe/metrics"
in_machine ls -l /var/lib/nlsprobe/reports /var/lib/nlsprobe/metrics
owners=$(in_machine find /var/lib/nlsprobe -mindepth 1 -printf '%u:%g\n' | sort -u)
[ "$owners" = nlsprobe:nlsprobe ] || fail "files in /var/lib/nlsprobe owned by $owners, not nlsprobe"
step "the JSON report's observations"
in_machine sh -c 'grep -ho "\"observed\" *: *\"[a-z-]*\"" /var/lib/nlsprobe/reports/cls-*.json | sort | uniq -c'
in_machine sh -c 'grep -q "\"observed\" *: *\"dns-failed\"" /var/lib/nlsprobe/reports/cls-*.json' \
  || fail "the report does not say dns-failed"

step "mkdir /var/lib/prometheus/node-exporter; systemctl start nlsprobe-audit.service    (node_exporter's textfile folder, root's)"
in_machine mkdir -p /var/lib/prometheus/node-exporter
limit=300 in_machine systemctl start nlsprobe-audit.service || fail "the audit service failed"
in_machine ls -l /var/lib/prometheus/node-exporter
in_machine grep -E '^nlsprobe_run_(checks|success)\{' /var/lib/prometheus/node-exporter/nlsprobe_cls.prom \
  || fail "no metrics in node_exporter's textfile folder"

step "systemctl poweroff"
in_machine systemctl poweroff 2>&1 || true
for _ in $(seq 60); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 1; done
kill -0 "$nspawn_pid" 2>/dev/null && fail "the container did not power off within 60 s"
nspawn_status=0
wait "$nspawn_pid" || nspawn_status=$?
nspawn_pid=""
grep -E '^(Halting system|Powering off|Container .* (exited|has been shut down))' "$work/nspawn.log" | tail -2 || true
echo "systemd-nspawn exit status $nspawn_status"
[ "$nspawn_status" -eq 0 ] || fail "systemd-nspawn ended with status $nspawn_status"
echo
echo "check-deb-systemd: ok ($(( $(date +%s) - start )) s)"
