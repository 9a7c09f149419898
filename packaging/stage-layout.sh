#!/usr/bin/env bash
# Stages nlsprobe's installed layout under ROOT for PREFIX: the one layout both the Debian package
# (scripts/package-deb.sh, prefix /usr) and scripts/install.sh (prefix /usr/local by default) use.
#
#   packaging/stage-layout.sh --root DIR --prefix PREFIX --binary FILE --man-dir DIR \
#       --unit-dir DIR [--service-user NAME] [--compress-docs] [--debug-file FILE]
#
# --binary is the executable; with --debug-file it is staged stripped, its debug symbols written
# to FILE (named nlsprobe.debug: the binary links to it by that name). --man-dir holds the pages generate-manual wrote
# (nlsprobe.1, nlsprobe.run.1, ...): they are installed as nlsprobe-run(1) and so on, with the
# hand-written nlsprobe-profile(5) from docs/man (and named in nlsprobe-profile(1)'s SEE ALSO).
# Every unit in deploy/systemd/ is installed with ExecStart pointing at PREFIX/bin/nlsprobe; with
# --service-user, each service that names no user runs as that user. The audit writes its metrics
# to /var/lib/nlsprobe/metrics, which root copies into node_exporter's textfile folder when there
# is one (the unit's ExecStartPost).
set -euo pipefail
cd "$(dirname "$0")/.."

root="" prefix="" binary="" man_dir="" unit_dir="" service_user="" compress_docs=no debug_file=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --root) root=$2; shift 2 ;;
    --prefix) prefix=$2; shift 2 ;;
    --binary) binary=$2; shift 2 ;;
    --man-dir) man_dir=$2; shift 2 ;;
    --unit-dir) unit_dir=$2; shift 2 ;;
    --service-user) service_user=$2; shift 2 ;;
    --compress-docs) compress_docs=yes; shift ;;
    --debug-file) debug_file=$2; shift 2 ;;
    *) echo "stage-layout: unknown argument '$1'" >&2; exit 64 ;;
  esac
done
for name in root prefix binary man_dir unit_dir; do
  [ -n "${!name}" ] || { echo "stage-layout: --${name//_/-} is required" >&2; exit 64; }
done
[ -x "$binary" ] || { echo "stage-layout: $binary is not an executable" >&2; exit 64; }
ls "$man_dir"/nlsprobe.1 >/dev/null 2>&1 || { echo "stage-layout: no nlsprobe.1 in $man_dir: generate the pages first" >&2; exit 64; }

dest="$root$prefix"
share="$dest/share"
umask 022
install -d "$dest/bin" "$share/nlsprobe/profiles" "$share/nlsprobe/schemas" "$share/man/man1" "$share/man/man5" \
  "$share/doc/nlsprobe/examples" "$root$unit_dir"
install -m 0755 "$binary" "$dest/bin/nlsprobe"
if [ -n "$debug_file" ]; then
  # Strip into a separate debug-symbols file; the binary keeps a link to it (gdb finds it beside the
  # binary, or as /usr/lib/debug/PREFIX/bin/nlsprobe.debug).
  objcopy --only-keep-debug "$binary" "$debug_file"
  strip --strip-unneeded --remove-section=.comment --remove-section=.note "$dest/bin/nlsprobe"
  objcopy --add-gnu-debuglink="$debug_file" "$dest/bin/nlsprobe"
fi

# The built-in profiles (the lab's stay in the repository) and the schemas.
install -m 0644 Profiles/*.yaml Profiles/profile.schema.json "$share/nlsprobe/profiles/"
install -m 0644 Reports/report.schema.json Reports/junit.xsd "$share/nlsprobe/schemas/"

# Man pages: nlsprobe.token.inspect.1 becomes nlsprobe-token-inspect(1), cross-references too.
for page in "$man_dir"/*.1; do
  name=$(basename "$page" .1)
  target="$share/man/man1/${name//./-}.1"
  # A hand-written page of the same name in another section (nlsprobe-profile(5) beside the
  # profile subcommand's nlsprobe-profile(1)) is added to SEE ALSO: generate-manual lists only
  # the subcommands there and has no option to add more.
  also=""
  for other in docs/man/"${name//./-}".[2-9]; do
    [ -f "$other" ] && also="$also${also:+ }${name//./-} ${other##*.}"
  done
  # whatis wants "nlsprobe-run - ..." in NAME; the synopsis keeps the command as typed
  # ("nlsprobe run"); blank lines (from help text) become paragraph breaks.
  sed -E -e '/^\.(Dt|Xr) /s/(nlsprobe|NLSPROBE)\.([A-Za-z0-9.-]+)/\1-\2/' -e '/^\.(Dt|Xr) /s/([a-zA-Z0-9])\.([a-zA-Z])/\1-\2/g' \
    -e 's/^$/.Pp/' "$page" | awk -v also="$also" '
      function see_also(   n, refs, i) {
        n = split(also, refs, " ")
        if (pending != "" && n > 0 && pending !~ / ,$/) pending = pending " ,"
        if (pending != "") print pending
        pending = ""
        for (i = 1; i < n; i += 2) print ".Xr " refs[i] " " refs[i + 1] (i + 1 < n ? " ," : "")
      }
      /^\.Sh NAME/ { in_name = 1; print; next }
      in_name && /^\.Nm / { command = substr($0, 5); page = command; gsub(/"/, "", page); gsub(/ /, "-", page)
        print ".Nm " page; in_name = 0; next }
      /^\.Nm$/ && command != "" { print ".Nm " command; next }
      /^\.Sh "?SEE ALSO"?$/ { in_see = 1; seen_see = 1; print; next }
      in_see && /^\.Xr / { if (pending != "") print pending; pending = $0; next }
      in_see && /^\.Sh / { see_also(); in_see = 0 }
      { print }
      END { if (in_see) see_also(); else if (!seen_see && also != "") { print ".Sh \"SEE ALSO\""; see_also() } }' > "$target"
  chmod 0644 "$target"
done
install -m 0644 docs/man/nlsprobe-profile.5 "$share/man/man5/"
gzip -9nf "$share"/man/man1/*.1 "$share"/man/man5/*.5

# Shell completions, from the command definitions.
# zsh: Debian's folder for packages under /usr, zsh's own site-functions elsewhere (/usr/local).
zsh_dir="$share/zsh/site-functions"
[ "$prefix" = /usr ] && zsh_dir="$share/zsh/vendor-completions"
install -d "$share/bash-completion/completions" "$zsh_dir" "$share/fish/vendor_completions.d"
# (bash-completion sources the file: no #! line.)
"$binary" --generate-completion-script bash | sed '1{/^#!/d}' > "$share/bash-completion/completions/nlsprobe"
"$binary" --generate-completion-script zsh > "$zsh_dir/_nlsprobe"
"$binary" --generate-completion-script fish > "$share/fish/vendor_completions.d/nlsprobe.fish"
chmod 0644 "$share/bash-completion/completions/nlsprobe" "$zsh_dir/_nlsprobe" \
  "$share/fish/vendor_completions.d/nlsprobe.fish"

# systemd units: every unit in deploy/systemd/, pointed at this prefix's binary.
for unit in deploy/systemd/*; do
  case "$unit" in *.service|*.timer|*.socket|*.path|*.target) ;; *) continue ;; esac
  target="$root$unit_dir/$(basename "$unit")"
  sed -e "s#/usr/local/bin/nlsprobe#$prefix/bin/nlsprobe#g" \
      -e '/^# Install: copy/d' \
      -e "s#^Documentation=file:///usr/share/doc/nlsprobe/README.md#Documentation=man:nlsprobe-run(1)#" "$unit" > "$target"
  if [ -n "$service_user" ] && [[ "$unit" == *.service ]] && ! grep -Eq '^(User|DynamicUser)=' "$target"; then
    sed -i "s/^\[Service\]\$/[Service]\nUser=$service_user\nGroup=$service_user/" "$target"
  fi
  chmod 0644 "$target"
done

# Documentation and examples.
install -m 0644 README.md "$share/doc/nlsprobe/"
install -m 0644 Reports/examples/* deploy/kubernetes/*.yaml "$share/doc/nlsprobe/examples/"
if [ "$compress_docs" = yes ]; then
  gzip -9nf "$share/doc/nlsprobe/README.md"
  find "$share/doc/nlsprobe/examples" -type f -size +4k -exec gzip -9nf {} +
fi
