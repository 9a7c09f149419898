#!/usr/bin/env bash
# Installs a built nlsprobe .deb into a clean Debian root and uses it there, as a new user would:
#
#   scripts/check-deb-install.sh dist/nlsprobe_<version>_<arch>.deb [SUITE]     (root; SUITE bookworm)
#
# The root is made by mmdebstrap from Debian's packages (variant apt, plus man-db); then
# `apt-get install ./nlsprobe_*.deb` (Depends resolved from Debian), `nlsprobe profiles`,
# `nlsprobe run cls` (in a network namespace of its own with loopback only: nothing leaves this
# machine, so the CLS checks end as dns-failed, exit 1, as on any host without internet access),
# `man -w nlsprobe` and `man -w nlsprobe-run`, the nlsprobe user, `systemctl enable` of the audit
# timer (offline), bash completion of a subcommand and an option, then `apt-get remove` (nothing may
# be left but the conffile /etc/default/nlsprobe) and `apt-get purge` (the user goes too).
# Too slow for the test suite (a minute or more for the root alone); its output is in the README.
# scripts/check-deb-systemd.sh boots such a root with systemd and starts the timer and the service.
set -euo pipefail
deb=$(readlink -f "${1:?usage: scripts/check-deb-install.sh NLSPROBE.deb [SUITE]}")
suite=${2:-bookworm}
[ "$(id -u)" -eq 0 ] || { echo "check-deb-install: run as root (chroot, unshare)" >&2; exit 64; }
cd "$(dirname "$0")/.."
scripts/apt-install.sh mmdebstrap
root=$(mktemp -d /tmp/nlsprobe-clean-root.XXXXXX)
cleanup() {
  umount "$root/proc" 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT

step() { printf '\n$ %s\n' "$*"; }
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

start=$(date +%s)
step "mmdebstrap --variant=apt --include=man-db,systemd $suite (clean root)"
# The package lists stay (apt-get install resolves Depends: from them). systemd is there so that
# `systemctl enable` can be checked; it is not running (no PID 1 in a chroot).
mmdebstrap --quiet --variant=apt --include=man-db,systemd --skip=cleanup/apt/lists "$suite" "$root" >/dev/null
cp /etc/resolv.conf "$root/etc/resolv.conf"
echo "root made in $(( $(date +%s) - start )) s"
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/"

step "apt-get install ./$(basename "$deb")"
in_root apt-get install -y -q "/tmp/$(basename "$deb")" > "$root/tmp/apt.log" 2>&1 || {
  cat "$root/tmp/apt.log" >&2; echo "check-deb-install: apt-get install failed" >&2; exit 1; }
grep -A40 "^The following NEW" "$root/tmp/apt.log" | grep -E "^(The following NEW| +[a-z]|Setting up)" || true
step "nlsprobe --version; nlsprobe profiles"
in_root nlsprobe --version
in_root nlsprobe profiles
step "cd /tmp && unshare --net nlsprobe run cls    (loopback only)"
status=0
unshare --net chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 sh -c 'cd /tmp && nlsprobe run cls --no-color' \
  || status=$?
echo "exit status $status"
[ "$status" -eq 1 ] || { echo "check-deb-install: expected exit 1 (dns-failed offline), got $status" >&2; exit 1; }
step "man -w nlsprobe; man -w nlsprobe-run; man -w nlsprobe-profile; man -w 5 nlsprobe-profile"
in_root man -w nlsprobe
in_root man -w nlsprobe-run
in_root man -w nlsprobe-profile
in_root man -w 5 nlsprobe-profile
step "getent passwd nlsprobe; ls /lib/systemd/system/nlsprobe*; completions"
in_root getent passwd nlsprobe
ls "$root"/lib/systemd/system/nlsprobe* | sed "s#^$root##"
ls "$root"/usr/share/bash-completion/completions/nlsprobe "$root"/usr/share/zsh/vendor-completions/_nlsprobe \
  "$root"/usr/share/fish/vendor_completions.d/nlsprobe.fish | sed "s#^$root##"

step "systemctl enable nlsprobe-audit.timer; systemctl is-enabled (offline: no systemd runs in a chroot)"
in_root systemctl enable nlsprobe-audit.timer 2>&1
enabled=$(in_root systemctl is-enabled nlsprobe-audit.timer)
echo "nlsprobe-audit.timer: $enabled"
[ "$enabled" = enabled ] || { echo "check-deb-install: the timer could not be enabled" >&2; exit 1; }
in_root systemctl disable nlsprobe-audit.timer 2>&1
step "bash completion: nlsprobe r<TAB>; nlsprobe run --per<TAB>"
complete_words() {
  in_root bash -c 'source /usr/share/bash-completion/completions/nlsprobe
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _nlsprobe nlsprobe "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"; echo "${COMPREPLY[*]}"' bash "$@"
}
words=$(complete_words nlsprobe r); echo "nlsprobe r<TAB>: $words"
options=$(complete_words nlsprobe run --per); echo "nlsprobe run --per<TAB>: $options"
case " $words " in *" run "*) ;; *) echo "check-deb-install: bash completion did not offer run" >&2; exit 1 ;; esac
case " $options " in *" --per-destination "*) ;; *)
  echo "check-deb-install: bash completion did not offer --per-destination" >&2; exit 1 ;; esac

step "apt-get remove nlsprobe"
rm -rf "$root/tmp/Reports"
in_root apt-get remove -y -q nlsprobe 2>&1 | grep -E '^Removing'
# Every file the package shipped must be gone but the conffile; dpkg keeps it as config-files.
left=$(dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's#^\./#/#' | while read -r path; do
  [ -f "$root$path" ] || [ -L "$root$path" ] && echo "$path"; done || true)
echo "left after remove: ${left:-nothing}"
[ "$left" = /etc/default/nlsprobe ] || { echo "check-deb-install: files left that are not conffiles: $left" >&2; exit 1; }
in_root dpkg-query -W -f='dpkg status: ${db:Status-Abbrev}(removed, config-files)\n' nlsprobe
step "apt-get purge nlsprobe"
in_root apt-get purge -y -q nlsprobe 2>&1 | grep -E '^Purging'
[ ! -e "$root/etc/default/nlsprobe" ] && ! in_root getent passwd nlsprobe >/dev/null && echo "conffile and user gone"
echo
echo "check-deb-install: ok ($(( $(date +%s) - start )) s)"
