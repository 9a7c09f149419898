#!/usr/bin/env bash
# Builds dist/nlsprobe_<version>_<arch>.deb with dpkg-deb, and beside it the debug symbols the
# stripped binary points at (nlsprobe_<version>_<arch>.debug, by --add-gnu-debuglink).
#
#   scripts/package-deb.sh [--output DIR] [--scratch-path DIR]
#
# It builds the release binary (static Swift runtime, as scripts/setup.sh does), generates one man
# page per subcommand from the command definitions with swift-argument-parser's generate-manual
# plugin (the pages come from `nlsprobe --experimental-dump-help`; the plugin builds the package in
# debug, the configuration the test suite already has), strips the binary, stages the layout
# (packaging/stage-layout.sh: /usr/bin, /usr/share/nlsprobe, man pages, completions, every unit
# of deploy/systemd in /lib/systemd/system running as the nlsprobe user, /etc/default/nlsprobe as
# a conffile, the README and examples) and computes Depends: with dpkg-shlibdeps, plus libpcap's
# package (opened with dlopen for --capture, so not among the binary's NEEDED libraries). Nothing is
# fetched but Debian packages.
#
# For the test suite: --binary FILE packages that binary instead of building the release one, and
# --man-dir DIR takes pages already generated there (a package built so is for checking the
# packaging, not for installing: a debug binary needs the Swift toolchain's libraries).
set -euo pipefail
cd "$(dirname "$0")/.."

output=dist scratch=.build binary="" man_dir=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --output) output=$2; shift 2 ;;
    --scratch-path) scratch=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --man-dir) man_dir=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package-deb: unknown argument '$1' (see --help)" >&2; exit 64 ;;
  esac
done

# dpkg-deb and dpkg-shlibdeps (dpkg-dev), objcopy and strip (binutils), gzip.
scripts/apt-install.sh dpkg-dev binutils gzip
test_build=no
[ -n "$binary" ] && test_build=yes
# Reproducible dates: the last commit's (or SOURCE_DATE_EPOCH when set).
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

if [ -z "$man_dir" ]; then
  man_dir="$scratch/plugins/GenerateManual/outputs/nlsprobe"
  rm -rf "$man_dir"
  echo "package-deb: man pages (swift package plugin generate-manual)" >&2
  swift package --scratch-path "$scratch" plugin generate-manual --configuration debug --multi-page \
    --date "$(date -u -d "@$epoch" +%Y-%m-%d)" >&2
fi
if [ -z "$binary" ]; then
  echo "package-deb: release build" >&2
  # Linked with -z now (full RELRO), as Debian's hardening flags ask.
  swift build -c release --static-swift-stdlib --product nlsprobe --scratch-path "$scratch" \
    -Xlinker -z -Xlinker now >&2
  binary="$scratch/release/nlsprobe"
fi

version=$("$binary" --version)
arch=$(dpkg --print-architecture)
name="nlsprobe_${version}_${arch}"
mkdir -p "$output"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The binary is staged stripped, its debug symbols in a separate file it keeps a link to (gdb finds
# it beside the binary, or as /usr/lib/debug/usr/bin/nlsprobe.debug).
pkg="$work/pkg"
packaging/stage-layout.sh --root "$pkg" --prefix /usr --binary "$binary" --man-dir "$man_dir" \
  --unit-dir /lib/systemd/system --service-user nlsprobe --compress-docs --debug-file "$work/nlsprobe.debug"
cp "$work/nlsprobe.debug" "$output/$name.debug"
install -D -m 0644 packaging/debian/default "$pkg/etc/default/nlsprobe"
install -m 0644 packaging/debian/copyright "$pkg/usr/share/doc/nlsprobe/copyright"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$(date -u -R -d "@$epoch")/" packaging/debian/changelog.in \
  | gzip -9n > "$pkg/usr/share/doc/nlsprobe/changelog.gz"
install -D -m 0644 packaging/debian/lintian-overrides "$pkg/usr/share/lintian/overrides/nlsprobe"
chmod 0644 "$pkg/usr/share/doc/nlsprobe/changelog.gz"

# Depends: from the libraries the binary links (dpkg-shlibdeps wants a debian/control to read),
# and those it loads at first use.
mkdir -p "$work/src/debian"
printf 'Source: nlsprobe\n\nPackage: nlsprobe\nArchitecture: any\n' > "$work/src/debian/control"
shlibdeps_flags=()
# A debug binary links the toolchain's Swift libraries, which no Debian package provides.
[ "$test_build" = yes ] && shlibdeps_flags+=(--ignore-missing-info)
shlibs=$(cd "$work/src" && dpkg-shlibdeps -O "${shlibdeps_flags[@]}" "$pkg/usr/bin/nlsprobe" 2>/dev/null \
  | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || { echo "package-deb: dpkg-shlibdeps found no dependencies" >&2; exit 70; }
# libcurl, the OpenSSL the TLS callbacks call through it, and libpcap (for --capture) are opened
# with dlopen at first use (Sources/CCurl, Sources/CPcap), so dpkg-shlibdeps does not see them.
# Their dependencies are written as dpkg-shlibdeps would: the package holding the soname, at the
# lowest version (from the package's symbols file) that has every function the loader resolves;
# the package's shlibs line when its symbols file lacks one of them.
count() { printf '%s\n' "$1" | grep -c . || true; }
# loaded_depends SONAME FUNCTIONS...: the dependency for a library opened at first use.
loaded_depends() {
  local soname=$1 package functions versions depends
  shift
  functions=$(printf '%s\n' "$@")
  package=$(dpkg -S "$(dpkg-architecture -qDEB_HOST_MULTIARCH)/$soname" 2>/dev/null | sed -n '1s/:.*//p' || true)
  [ -n "$soname" ] && [ -n "$package" ] || {
    echo "package-deb: no installed package holds ${soname:-a library the binary opens} (scripts/setup.sh installs them)" >&2
    exit 70
  }
  versions=$(dpkg-query --control-show "$package:$arch" symbols 2>/dev/null | awk -v wanted="$functions" '
    BEGIN { n = split(wanted, list); for (i = 1; i <= n; i++) want[list[i]] = 1 }
    /^ / { name = $1; sub(/@.*/, "", name); if (name in want && !(name in seen)) { seen[name] = 1; print $2 } }' || true)
  if [ "$#" -gt 0 ] && [ "$(count "$versions")" -eq "$#" ]; then
    depends="$package (>= $(printf '%s\n' "$versions" | sort -V | tail -n 1))"
  else
    depends=$(dpkg-query --control-show "$package:$arch" shlibs 2>/dev/null \
      | awk '{ $1 = $2 = ""; sub(/^ +/, ""); print; exit }' || true)
  fi
  [ -n "$depends" ] || { echo "package-deb: no dependency found for $package" >&2; exit 70; }
  printf '%s\n' "$depends"
}
curl_soname=$(sed -n 's/^#define NLS_CURL_LIBRARY "\(.*\)"$/\1/p' Sources/CCurl/include/ccurl.h)
symbols_of() { sed -n "/^#define $1(X)/,/^\$/p" Sources/CCurl/curl_symbols.h | sed -n 's/^ *X(\([A-Za-z0-9_]*\)).*/\1/p'; }
curl_depends=$(loaded_depends "$curl_soname" $(symbols_of NLS_CURL_FUNCTIONS)) || exit 70
ssl_depends=$(loaded_depends libssl.so.3 $(symbols_of NLS_SSL_FUNCTIONS)) || exit 70
pcap_soname=$(sed -n 's/^#define NLS_PCAP_SONAME "\(.*\)"$/\1/p' Sources/CPcap/include/cpcap.h)
pcap_depends=$(loaded_depends "$pcap_soname" $(sed -n 's/^ *X(\(pcap_[a-z_]*\)).*/\1/p' Sources/CPcap/cpcap.c)) || exit 70

units=$(cd "$pkg/lib/systemd/system" && echo *)
install -d "$pkg/DEBIAN"
for script in postinst prerm postrm; do
  sed "s/@UNITS@/$units/" "packaging/debian/$script" > "$pkg/DEBIAN/$script"
  chmod 0755 "$pkg/DEBIAN/$script"
done
install -m 0644 packaging/debian/conffiles "$pkg/DEBIAN/conffiles"
size=$(du -sk --apparent-size --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$size/" \
  -e "s/@DEPENDS@/$shlibs, $curl_depends, $ssl_depends, $pcap_depends, passwd/" packaging/debian/control.in \
  > "$pkg/DEBIAN/control"
(cd "$pkg" && find . -path ./DEBIAN -prune -o -path ./etc -prune -o -type f -printf '%P\0' | sort -z \
  | xargs -0 md5sum) > "$pkg/DEBIAN/md5sums"
chmod 0644 "$pkg/DEBIAN/md5sums" "$pkg/DEBIAN/control"
find "$pkg" -exec touch -h -d "@$epoch" {} +

dpkg-deb --root-owner-group -Zxz --build "$pkg" "$output/$name.deb" >&2
echo "package-deb: binary $(stat -c %s "$binary") bytes, stripped $(stat -c %s "$pkg/usr/bin/nlsprobe") bytes, debug symbols $(stat -c %s "$output/$name.debug") bytes" >&2
echo "$output/$name.deb"
