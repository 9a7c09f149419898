#!/usr/bin/env bash
# Installs nlsprobe on hosts without dpkg, in the Debian package's layout under a prefix:
#
#   scripts/install.sh [--prefix /usr/local] [--destdir DIR]      # build (release), install
#   scripts/install.sh uninstall [--prefix /usr/local] [--destdir DIR]
#
# PREFIX/bin/nlsprobe (stripped; the debug symbols in PREFIX/lib/debug/PREFIX/bin), the built-in
# profiles and schemas in PREFIX/share/nlsprobe (found by the binary as ../share/nlsprobe/profiles),
# man pages, bash/zsh/fish completions, the systemd units of deploy/systemd in
# PREFIX/lib/systemd/system (systemd reads /usr/local/lib/systemd/system; for another prefix, link
# them into /etc/systemd/system), /etc/default/nlsprobe when missing (never replaced), and a
# manifest of every file in PREFIX/share/nlsprobe/install-manifest that uninstall removes (it
# keeps /etc/default/nlsprobe, like a conffile). --destdir stages under DIR (for packagers).
set -euo pipefail
cd "$(dirname "$0")/.."

action=install prefix=/usr/local destdir="" scratch=.build binary="" man_dir=""
if [ "${1:-}" = uninstall ] || [ "${1:-}" = install ]; then action=$1; shift; fi
while [ "$#" -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --destdir) destdir=$2; shift 2 ;;
    --scratch-path) scratch=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;     # a binary already built (default: build the release one)
    --man-dir) man_dir=$2; shift 2 ;;   # pages generate-manual already wrote there
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install: unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
done
case "$prefix" in /*) ;; *) echo "install: --prefix must be an absolute path, not '$prefix'" >&2; exit 64 ;; esac
prefix=${prefix%/}
manifest="$destdir$prefix/share/nlsprobe/install-manifest"

if [ "$action" = uninstall ]; then
  [ -f "$manifest" ] || { echo "install: nothing to uninstall: no $manifest" >&2; exit 64; }
  while IFS= read -r file; do
    rm -f "$destdir$file"
  done < "$manifest"
  rm -f "$manifest"
  # Folders of ours left empty (never the prefix's own bin, share, …).
  for dir in share/nlsprobe/profiles share/nlsprobe/schemas share/nlsprobe share/doc/nlsprobe/examples share/doc/nlsprobe \
    lib/debug"$prefix"/bin; do
    rmdir "$destdir$prefix/$dir" 2>/dev/null || true
  done
  echo "install: removed nlsprobe from $prefix (kept /etc/default/nlsprobe)"
  exit 0
fi

scripts/apt-install.sh binutils gzip 2>/dev/null || command -v objcopy >/dev/null || {
  echo "install: objcopy and strip (binutils) are needed" >&2; exit 1; }
[ -n "$binary" ] || command -v swift >/dev/null || {
  echo "install: the Swift toolchain (6.0 or later) is not on PATH" >&2; exit 1; }
if [ -z "$man_dir" ]; then
  man_dir="$scratch/plugins/GenerateManual/outputs/nlsprobe"
  rm -rf "$man_dir"
  swift package --scratch-path "$scratch" plugin generate-manual --configuration debug --multi-page >&2
fi
if [ -z "$binary" ]; then
  swift build -c release --static-swift-stdlib --product nlsprobe --scratch-path "$scratch" >&2
  binary="$scratch/release/nlsprobe"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage="$work/stage"
packaging/stage-layout.sh --root "$stage" --prefix "$prefix" --binary "$binary" --man-dir "$man_dir" \
  --unit-dir "$prefix/lib/systemd/system" --debug-file "$work/nlsprobe.debug"
install -D -m 0644 "$work/nlsprobe.debug" "$stage$prefix/lib/debug$prefix/bin/nlsprobe.debug"
(cd "$stage" && find . -type f -printf '/%P\n' | sort) > "$work/manifest"
echo "$prefix/share/nlsprobe/install-manifest" >> "$work/manifest"
# File by file: never touches the attributes of folders that exist (/usr/local, …).
while IFS= read -r file; do
  [ -f "$stage$file" ] && install -D -m "$(stat -c %a "$stage$file")" "$stage$file" "$destdir$file"
done < "$work/manifest"
install -D -m 0644 "$work/manifest" "$manifest"
if [ ! -e "$destdir/etc/default/nlsprobe" ]; then
  install -D -m 0644 packaging/debian/default "$destdir/etc/default/nlsprobe"
fi
echo "install: nlsprobe $("$destdir$prefix/bin/nlsprobe" --version) in $prefix ($(wc -l < "$manifest") files; scripts/install.sh uninstall --prefix $prefix removes them)"
