#!/usr/bin/env bash
# The long fuzz run: builds the libFuzzer executables of Fuzz/Package.swift (coverage-guided, with
# AddressSanitizer) and runs each target for SECONDS (default 600) on a copy of its corpus, one
# target at a time. Prints a figures line per target and a Markdown table for the README; every
# crash, out-of-memory or timeout input is copied to Fuzz/Corpus/<target>/crash-* so that the
# replay test in Tests/FuzzTests keeps failing until it is fixed.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: profile token gridd-conf report packet
#
# FUZZ_WORK (default Fuzz/.work) holds the working corpora, logs, artifacts and figures.txt.
# Where the toolchain has no libFuzzer runtime, the seeded mutation run of the test suite runs
# instead, for SECONDS per target.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
[ "$#" -gt 0 ] && shift
case "$seconds" in '' | *[!0-9]*) echo "fuzz: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;; esac
all=(profile token gridd-conf report packet)
targets=("$@")
[ "${#targets[@]}" -eq 0 ] && targets=("${all[@]}")

executable() {
  case "$1" in
    profile) echo FuzzProfile ;;
    token) echo FuzzToken ;;
    gridd-conf) echo FuzzGriddConf ;;
    report) echo FuzzReport ;;
    packet) echo FuzzPacket ;;
    *) echo "fuzz: unknown target '$1' (targets: ${all[*]})" >&2; exit 2 ;;
  esac
}
# The largest input worth trying, as FuzzTarget.maxLength says.
max_len() {
  case "$1" in
    profile | token) echo 16384 ;;
    gridd-conf) echo 4096 ;;
    report) echo 65536 ;;
    packet) echo 2048 ;;
  esac
}
for target in "${targets[@]}"; do executable "$target" >/dev/null; done

# What the root package needs to build (libcurl, OpenSSL and libpcap headers).
scripts/apt-install.sh libcurl4-openssl-dev libssl-dev libpcap-dev pkg-config
command -v swift >/dev/null || { echo "fuzz: the Swift toolchain is not on PATH" >&2; exit 1; }

toolchain="$(dirname "$(readlink -f "$(command -v swiftc)")")"
runtime="$(find "$toolchain/../lib/clang" -name 'libclang_rt.fuzzer-*.a' 2>/dev/null | head -n 1)"
if [ -z "$runtime" ]; then
  echo "fuzz: this toolchain has no libFuzzer runtime (libclang_rt.fuzzer); running the seeded" >&2
  echo "fuzz: mutation run of the test suite instead, ${seconds} s per target (all targets)" >&2
  swift build --build-tests --scratch-path .build-fuzz >&2
  NLSPROBE_FUZZ_SECONDS="$seconds" NLSPROBE_FUZZ_ITERATIONS=1000000000 \
    swift test --skip-build --scratch-path .build-fuzz --filter FuzzTests 2>&1 | tee /dev/stderr | grep '^fuzz-suite:'
  exit "${PIPESTATUS[0]}"
fi

# Coverage and ASan on every module. Not `--sanitize fuzzer --sanitize address`: SwiftPM then
# passes two -sanitize flags to swiftc, the last wins, and the Swift code gets no coverage.
# lld, because gold fails on these objects ("internal error in format_file_lineno").
work="${FUZZ_WORK:-Fuzz/.work}"
mkdir -p "$work"
echo "fuzz: building the libFuzzer executables (release, -sanitize=fuzzer,address; log: $work/build.log)" >&2
if ! swift build -c release --package-path Fuzz --scratch-path Fuzz/.build \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld \
  -Xcc -fsanitize=fuzzer-no-link,address >"$work/build.log" 2>&1; then
  grep -v "Cannot export local symbol" "$work/build.log" | tail -n 40 >&2
  echo "fuzz: the build failed" >&2
  exit 1
fi
bin="Fuzz/.build/release"
export ASAN_SYMBOLIZER_PATH="$toolchain/llvm-symbolizer"
# Leak checks off: the Swift runtime fills its caches lazily during the first inputs, which
# LeakSanitizer reports as leaks. A leak is not what this run looks for.
export ASAN_OPTIONS="detect_leaks=0:symbolize=1:handle_abort=1:handle_sigill=1:handle_sigtrap=1"

figures=()
failed=0
for target in "${targets[@]}"; do
  dir="$work/$target"
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  # A copy: what libFuzzer adds stays out of the repository's corpus.
  cp Fuzz/Corpus/"$target"/* "$dir/corpus/"
  log="$dir/fuzz.log"
  echo "fuzz: $target for ${seconds} s (log: $log)" >&2
  status=0
  "$bin/$(executable "$target")" "$dir/corpus" \
    -max_total_time="$seconds" -max_len="$(max_len "$target")" -rss_limit_mb=2048 -timeout=10 \
    -dict="Fuzz/Dictionaries/$target.dict" -artifact_prefix="$dir/artifacts/" -print_final_stats=1 \
    >"$log" 2>&1 || status=$?

  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
  added="$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -n 1)"
  rss="$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)"
  features="$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)"
  corpus="$(find "$dir/corpus" -type f | wc -l | tr -d ' ')"
  crashes=0
  for artifact in "$dir"/artifacts/*; do
    [ -f "$artifact" ] || continue
    crashes=$((crashes + 1))
    name="$(basename "$artifact")"
    case "$name" in crash-*) saved="crash-libfuzzer-${name#crash-}" ;; *) saved="crash-libfuzzer-$name" ;; esac
    cp "$artifact" "Fuzz/Corpus/$target/$saved"
    echo "fuzz: $target: $name saved as Fuzz/Corpus/$target/$saved" >&2
  done
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
  if [ "$crashes" -gt 0 ]; then
    failed=1
    echo "fuzz: $target failed (exit $status); the end of its log:" >&2
    grep -v '^#[0-9]' "$log" | tail -n 60 | swift demangle --simplified >&2 || true
  fi
  line="fuzz: target=$target seconds=$seconds execs=${execs:-0} exec/s=${rate:-0} cov=${cov:-0} ft=${features:-0} corpus=$corpus new_units=${added:-0} peak_rss_mb=${rss:-0} crashes=$crashes"
  echo "$line"
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $line" >>"$work/figures.txt"
  figures+=("| $target | $seconds | ${execs:-0} | ${rate:-0} | ${cov:-0} | ${features:-0} | $corpus | $crashes |")
done

echo
echo "| target | seconds | executions | exec/s | coverage (edges) | features | corpus | crashes |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${figures[@]}"
exit "$failed"
