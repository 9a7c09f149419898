#!/usr/bin/env bash
# nlsprobe benchmarks, side by side with the tools network engineers reach for.
#
#   sudo Benchmarks/run.sh                 full sizes (a few minutes); writes Benchmarks/RESULTS.md
#   sudo Benchmarks/run.sh --quick         small sizes (the test suite runs this); writes nothing unless --output
#   sudo Benchmarks/run.sh --w1-only      W1 alone (open ports vs nmap), a short table on stdout, no file
#   options: --repetitions N (default 3), --output FILE (where the results table goes);
#   NLSPROBE_BIN=PATH uses that binary instead of building a release one;
#   NLSPROBE_BASELINE=PATH also runs W1 with that binary (another build, to compare with), in the
#   same alternation: nlsprobe, nmap, baseline, one after another
#
# Every target lives in a network namespace of its own, on its loopback: accept-and-close
# listeners (Benchmarks/listeners.py), nftables dropping a port range and every DNS query, an
# openssl s_server; the namespace's own hosts and resolv.conf (/etc/netns/NAME) give the names.
# Each comparison runs in one go, alternating the tools, and reports medians and the ratio
# nlsprobe/peer. Needs root (network namespace, nftables), nmap, netcat-openbsd, curl, openssl, time.
#
#   W1  2,000 open ports (nlsprobe with --per-destination 2000, and with the defaults) vs nmap -sT
#   W2  1,000 dropped ports, --concurrency/--per-destination 1000, vs its limit and nmap
#   W3  1,000 TLS handshakes vs openssl s_time's ceiling, a curl loop, an s_client loop
#   W4  20,000 mixed checks at concurrency 2,000: memory, CPU, completeness
#   W5  W2 with the DEFAULT flags vs nmap with the same timeout
#   W6  one name whose resolver drops every query beside dropped ports of known duration: wall
#       over the longest chain (the DNS timeout and the connect timeout are equal)
#   W7  the built-in profiles cls, dls and dls-ha, default flags, against targets on lab-like
#       addresses: wall, CPU per check, and start-up (exec to the first SYN and to the first line)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

quick=0
w1only=0
reps=3
output=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --w1-only) w1only=1 ;;
    --repetitions) reps="$2"; shift ;;
    --output) output="$2"; shift ;;
    *) echo "usage: $0 [--quick] [--w1-only] [--repetitions N] [--output FILE]" >&2; exit 64 ;;
  esac
  shift
done
[ "$quick" -eq 0 ] && [ "$w1only" -eq 0 ] && [ -z "$output" ] && output="$root/Benchmarks/RESULTS.md"
[ "$(id -u)" -eq 0 ] || { echo "benchmarks: need root (network namespace, nftables): sudo $0" >&2; exit 1; }

if [ "$quick" -eq 1 ]; then
  W1=100; W2=50; W2T=1; W3=40; W3LOOP=20; W4=600; C4=200; W6T=1; W6=20
else
  W1=2000; W2=1000; W2T=2; W3=1000; W3LOOP=200; W4=20000; C4=2000; W6T=2; W6=200
fi
C2=$W2  # one wave: the limit is ceil(W2 / concurrency) x timeout

ns="nlspbench-$$"
work=$(mktemp -d /tmp/nlsprobe-bench.XXXXXX)
cleanup() {
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work" "/etc/netns/$ns"
}
trap cleanup EXIT

if [ -n "${NLSPROBE_BIN:-}" ]; then
  bin="$NLSPROBE_BIN"   # the test suite runs the quick mode on the debug build it already has
else
  echo "benchmarks: building release (as scripts/setup.sh and the container image do)" >&2
  swift build -c release --static-swift-stdlib --product nlsprobe >&2
  bin="$root/.build/release/nlsprobe"
fi
inns() { ip netns exec "$ns" "$@"; }

# The namespace's names: lab-like addresses for W7's built-in profiles, and a resolver (W6) that
# drops every query. `ip netns exec` puts these files in place of /etc/hosts and /etc/resolv.conf.
mkdir -p "/etc/netns/$ns"
cat > "/etc/netns/$ns/hosts" <<'EOF'
127.0.0.1 localhost
127.0.0.1 fast.bench
10.10.20.2 api.cls.licensing.nvidia.com
10.10.20.3 dls.example.internal
10.10.20.1 dls-node-a.example.internal
10.10.20.4 dls-node-b.example.internal
EOF
printf 'nameserver 127.0.0.1\noptions timeout:5 attempts:1\n' > "/etc/netns/$ns/resolv.conf"
ip netns add "$ns"
ip -n "$ns" link set lo up
# W7: this host is a client (10.10.20.1, in the profiles' client subnet) and DLS node a; the CLS,
# the DLS and node b are other addresses on the same loopback.
ip -n "$ns" addr add 10.10.20.1/24 dev lo
for a in 2 3 4; do ip -n "$ns" addr add "10.10.20.$a/32" dev lo; done
inns nft -f - <<'EOF'
table inet bench {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 30000-39999 ct state new drop   # new connections only: our own ephemeral ports share the range
    udp dport 53 drop                         # W6: the resolver never answers
    tcp dport 53 drop
  }
}
EOF

# Targets: open ports 20000.., nothing on 25000-29999 (refused), dropped 30000-39999, TLS on 18443.
open_count=$(( W1 > 2000 ? W1 : 2000 ))
[ "$quick" -eq 1 ] && open_count=$W1
inns python3 "$root/Benchmarks/listeners.py" 20000 "$open_count" > "$work/listeners.out" 2>&1 &
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 1 \
  -subj "/CN=localhost" 2>/dev/null \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:api.cls.licensing.nvidia.com,DNS:dls.example.internal,DNS:dls-node-a.example.internal,DNS:dls-node-b.example.internal"
inns openssl s_server -accept 127.0.0.1:18443 -cert "$work/cert.pem" -key "$work/key.pem" -www -quiet \
  </dev/null >/dev/null 2>&1 &
# W7's targets: TLS on 443, 8082 and 5671, plain TCP on 80, 8081 and 8084, on every address.
for port in 443 8082 5671; do
  inns openssl s_server -accept "$port" -cert "$work/cert.pem" -key "$work/key.pem" -www -quiet \
    </dev/null >/dev/null 2>&1 &
done
for port in 80 8081 8084; do
  inns python3 "$root/Benchmarks/listeners.py" "$port" 1 0.0.0.0 > "$work/listeners$port.out" 2>&1 &
done
for _ in $(seq 1 200); do grep -q ready "$work/listeners.out" 2>/dev/null && break; sleep 0.05; done
grep -q ready "$work/listeners.out" || { echo "benchmarks: listeners did not start" >&2; exit 1; }
for port in 18443 443 8082 5671; do
  for _ in $(seq 1 100); do inns ss -Hltn "sport = :$port" | grep -q . && break; sleep 0.05; done
done
for f in listeners80 listeners8081 listeners8084; do
  for _ in $(seq 1 200); do grep -q ready "$work/$f.out" 2>/dev/null && break; sleep 0.05; done
done

profile() { # name, then flow lines on stdin
  { printf 'profile: %s\ntitle: benchmark %s\nsources:\n  here: {}\ndestinations:\n' "$1" "$1"
    for d in 1 2 3 4; do printf '  lo%s:\n    hosts: [127.0.0.1]\n' "$d"; done
    printf 'flows:\n'; cat
    printf 'defaults:\n  attempts: 1\n  tls:\n    ca_file: %s\n' "$work/cert.pem"
  } > "$work/$1.yaml"
}
profile w1 <<EOF
  - {port: "20000-$((20000 + W1 - 1))", protocol: tcp, direction: egress, from: here, to: lo1}
EOF
profile w2 <<EOF
  - {port: "30000-$((30000 + W2 - 1))", protocol: tcp, direction: egress, from: here, to: lo1, expect: block}
EOF
for _ in $(seq 1 "$W3"); do echo "  - {port: 18443, protocol: tls, direction: egress, from: here, to: lo1}"; done | profile w3
# W4: open, refused and dropped in the proportions 40/25/35, over four destination groups for distinct identities.
w4_open=$(( W4 * 40 / 100 / 4 )); w4_refused=$(( W4 * 25 / 100 )); w4_dropped=$(( W4 - w4_open * 4 - w4_refused ))
[ "$w4_open" -le "$open_count" ] || w4_open=$open_count
w4_dropped=$(( W4 - w4_open * 4 - w4_refused ))
{ for d in 1 2 3 4; do echo "  - {port: \"20000-$((20000 + w4_open - 1))\", protocol: tcp, direction: egress, from: here, to: lo$d}"; done
  echo "  - {port: \"25000-$((25000 + w4_refused - 1))\", protocol: tcp, direction: egress, from: here, to: lo1, expect: block}"
  echo "  - {port: \"30000-$((30000 + w4_dropped - 1))\", protocol: tcp, direction: egress, from: here, to: lo2, expect: block}"
} | profile w4

# W6: dropped ports towards a name from the hosts file, beside a name that never resolves.
{ printf 'profile: w6\ntitle: benchmark w6\nsources:\n  here: {}\ndestinations:\n'
  printf '  fast:\n    hosts: [fast.bench]\n  slow:\n    hosts: [slow.bench]\nflows:\n'
  echo "  - {port: \"30000-$((30000 + W6 - 1))\", protocol: tcp, direction: egress, from: here, to: fast, expect: block}"
  echo "  - {port: 443, protocol: tls, direction: egress, from: here, to: slow}"
  printf 'defaults:\n  attempts: 1\n  connect_timeout: %ss\n  dns_timeout: %ss\n' "$W6T" "$W6T"
} > "$work/w6.yaml"

# measure LABEL COMMAND...: appends "label seconds maxrss_kb cpu_seconds" to $work/times. Wall time
# is read from the clock in nanoseconds (time(1) rounds to 10 ms, too coarse for W1's 0.1 s runs).
measure() {
  local label="$1"; shift
  local started=$SECONDS begin end
  begin=$(date +%s%N)
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.one" bash -c '"$@"' _ "$@" >"$work/last.out" 2>&1 || true
  end=$(date +%s%N)
  # time(1) puts "Command exited with non-zero status N" first when the command fails: take its last line.
  tail -n 1 "$work/time.one" | awk -v label="$label" -v wall="$(( (end - begin) / 1000 ))" \
    '{ printf "%s %.4f %s %.3f\n", label, wall / 1e6, $2, $3 + $4 }' >> "$work/times"
  echo "  $label: $(tail -n 1 "$work/times" | cut -d' ' -f2) s ($((SECONDS - started)) s wall)" >&2
}
nls() { inns "$bin" run "$work/$1.yaml" --output "$work/out-$1" --format json --quiet "${@:2}"; }
# The same with the baseline binary (NLSPROBE_BASELINE), into a folder of its own.
nlsbase() { inns "$baseline" run "$work/$1.yaml" --output "$work/base-$1" --format json --quiet "${@:2}"; }
# W7: a built-in profile by name, default flags (the CA of the lab-like targets trusted).
builtin() { inns "$bin" run "$1" --ca-file "$work/cert.pem" --output "$work/out-$1" --format json,md "${@:2}"; }
ncloop() { for p in $(seq 20000 $((20000 + W1 - 1))); do nc -z -w 1 127.0.0.1 "$p"; done; }
curlloop() { for _ in $(seq 1 "$W3LOOP"); do curl -s -o /dev/null --cacert "$work/cert.pem" https://localhost:18443/; done; }
sclientloop() { for _ in $(seq 1 "$W3LOOP"); do openssl s_client -connect 127.0.0.1:18443 -CAfile "$work/cert.pem" </dev/null >/dev/null 2>&1; done; }
curldrop() { for p in 30000 30001 30002; do curl -s -o /dev/null --connect-timeout "$W2T" "http://127.0.0.1:$p/"; done; }
export -f inns nls nlsbase builtin ncloop curlloop sclientloop curldrop
baseline="${NLSPROBE_BASELINE:-}"
export W1 W3LOOP W2T work bin ns baseline

# W1 alone: alternating runs of nlsprobe, nmap and the baseline binary if given; medians on stdout.
if [ "$w1only" -eq 1 ]; then
  echo "benchmarks: W1 only ($reps x 5 alternating runs; load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  for r in $(seq 1 "$reps"); do
    for _ in 1 2 3 4 5; do
      measure w1-nlsprobe nls w1 --per-destination "$W1"
      measure w1-nmap inns nmap -sT -Pn -n -T4 -p "20000-$((20000 + W1 - 1))" 127.0.0.1
      if [ -n "$baseline" ]; then measure w1-baseline nlsbase w1 --per-destination "$W1"; fi
    done
  done
  python3 - "$work/times" "$W1" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, elapsed, rss, cpu = line.split()
    rows.setdefault(label, []).append((float(elapsed), float(cpu)))
nmap = statistics.median(r[0] for r in rows["w1-nmap"])
print(f"W1: {sys.argv[2]} open ports, medians of {len(rows['w1-nmap'])} alternating runs; load after: {sys.argv[3]}")
print("| binary | wall | CPU (user + system) | wall / nmap |")
print("| --- | --- | --- | --- |")
for label in ("w1-nlsprobe", "w1-baseline", "w1-nmap"):
    if label in rows:
        wall = statistics.median(r[0] for r in rows[label])
        cpu = statistics.median(r[1] for r in rows[label])
        print(f"| {label[3:]} | {wall:.3f} s | {cpu:.3f} s | {wall / nmap:.2f} |")
EOF
  exit 0
fi

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "benchmarks: running ($reps repetitions, alternating tools; load $load_before)" >&2
for r in $(seq 1 "$reps"); do
  for _ in 1 2 3 4 5; do  # W1 runs take 0.1 s: five alternating pairs per repetition
    measure w1-nlsprobe nls w1 --per-destination "$W1"
    measure w1-nmap inns nmap -sT -Pn -n -T4 -p "20000-$((20000 + W1 - 1))" 127.0.0.1
    measure w1d-nlsprobe nls w1
    if [ -n "$baseline" ]; then measure w1-baseline nlsbase w1 --per-destination "$W1"; fi
  done
  measure w1-nc inns bash -c ncloop
  measure w2-nlsprobe nls w2 --concurrency "$C2" --per-destination "$C2" --connect-timeout "${W2T}s"
  measure w2-nmap inns nmap -sT -Pn -n --max-retries 0 --initial-rtt-timeout "${W2T}000ms" \
    --max-rtt-timeout "${W2T}000ms" --min-parallelism "$C2" -p "30000-$((30000 + W2 - 1))" 127.0.0.1
  measure w5-nlsprobe nls w2 --connect-timeout "${W2T}s"
  measure w2-curl3 inns bash -c curldrop
  measure w6-nlsprobe nls w6
  for p in cls dls dls-ha; do
    measure "w7-$p" builtin "$p"
    inns python3 "$root/Benchmarks/startup.py" 443,80,8082,5671,8081,8084 \
      "$bin" run "$p" --ca-file "$work/cert.pem" --output "$work/out-$p" --format json \
      | sed "s/^/w7-$p /" >> "$work/startup"
  done
  measure w3-nlsprobe nls w3
  measure w3-curl inns bash -c curlloop
  measure w3-sclient inns bash -c sclientloop
done
# s_time reports its wall time in whole seconds: time it here, in nanoseconds, instead.
stime_begin=$(date +%s%N)
inns openssl s_time -connect 127.0.0.1:18443 -new -time 3 > "$work/stime.out" 2>&1 || true
echo "wall $(( ($(date +%s%N) - stime_begin) / 1000 ))" >> "$work/stime.out"
measure w4-nlsprobe nls w4 --concurrency "$C4" --per-destination "$C4" --connect-timeout 1s

# W1: every port answered as open (a check that went wrong would make the timing meaningless).
w1_report=$(ls "$work"/out-w1/*.json | tail -1)
python3 - "$w1_report" "$W1" <<'EOF'
import json, sys
summary = json.load(open(sys.argv[1]))["summary"]
assert summary["total"] == int(sys.argv[2]) and summary["pass"] == int(sys.argv[2]), summary
print(f"w1: {sys.argv[2]} checks, all open")
EOF

# W6: the name that never resolves failed on its own, the dropped ports beside it ran.
python3 - "$(ls "$work"/out-w6/*.json | tail -1)" "$W6" <<'EOF'
import json, sys
checks = json.load(open(sys.argv[1]))["checks"]
dropped = [c for c in checks if c["destination"]["host"] == "fast.bench"]
slow = [c for c in checks if c["destination"]["host"] == "slow.bench"]
assert len(dropped) == int(sys.argv[2]) and all(c["observed"] == "filtered" for c in dropped), dropped[:2]
assert len(slow) == 1 and slow[0]["observed"] == "dns-failed", slow
print(f"w6: {len(dropped)} dropped ports filtered, slow.bench dns-failed: {slow[0]['reason']}")
EOF
# W7: every check the built-in profiles run here gets its expected answer.
for p in cls dls dls-ha; do
  python3 - "$(ls "$work/out-$p"/*.json | tail -1)" "$p" <<'EOF' >> "$work/w7checks"
import json, sys
checks = json.load(open(sys.argv[1]))["checks"]
ran = [c for c in checks if c["verdict"] != "skipped"]
failed = [c["id"] + ": " + c["reason"] for c in ran if c["verdict"] != "pass"]
assert ran and not failed, failed
print(sys.argv[2], len(ran), len(checks))
EOF
done
cat "$work/w7checks" | sed 's/^/w7: /' | awk '{ print $1, $2 ": " $3 " checks run, all pass (" $4 " planned)" }'
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
export load_before load_after W6 W6T
binary_size=$(stat -c %s "$bin"); export binary_size

# W4 completeness: every planned check present exactly once.
w4_report=$(ls "$work"/out-w4/*.json | tail -1)
python3 - "$w4_report" "$W4" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
ids = [c["id"] for c in report["checks"]]
assert len(ids) == int(sys.argv[2]), f"{len(ids)} checks in the report, {sys.argv[2]} planned"
assert len(set(ids)) == len(ids), "a check is in the report twice"
lost = [c["id"] for c in report["checks"] if c["verdict"] != "pass"]
assert not lost, f"{len(lost)} checks did not get their expected answer, e.g. {lost[:3]}"
print(f"w4: {len(ids)} checks, each exactly once, all as expected")
EOF

python3 - "$work/times" "$work/stime.out" "$quick" "$W1" "$W2" "$W2T" "$C2" "$W3" "$W3LOOP" "$W4" "$C4" "$output" <<'EOF'
import math, os, platform, statistics, subprocess, sys
times, stime, quick, W1, W2, W2T, C2, W3, W3LOOP, W4, C4, output = sys.argv[1:13]
W1, W2, W2T, C2, W3, W3LOOP, W4, C4 = map(int, (W1, W2, W2T, C2, W3, W3LOOP, W4, C4))
rows = {}
for line in open(times):
    label, elapsed, rss, cpu = line.split()
    rows.setdefault(label, []).append((float(elapsed), int(rss), float(cpu)))
med = lambda label: statistics.median(r[0] for r in rows[label]) if label in rows else float("nan")
rate = None
connections = wall = None
for line in open(stime):
    if "connections in" in line and "real seconds" in line:
        connections = int(line.split()[0])
    if line.startswith("wall "):
        wall = int(line.split()[1]) / 1e6
if connections and wall:
    rate = connections / wall
limit2 = math.ceil(W2 / C2) * W2T
w3_ceiling = W3 / rate if rate else float("nan")
w3_curl = med("w3-curl") * W3 / W3LOOP
w3_sclient = med("w3-sclient") * W3 / W3LOOP
w2_curl = med("w2-curl3") / 3 * W2
w4 = rows["w4-nlsprobe"][0]
env = os.environ
W6T = float(env["W6T"])
W6 = int(env["W6"])
startup = {}
for line in open(os.path.join(env["work"], "startup")):
    label, syn, first = line.split()
    startup.setdefault(label, []).append((float(syn), float(first)))
ran = {}
for line in open(os.path.join(env["work"], "w7checks")):
    name, count, planned = line.split()
    ran[name] = (int(count), int(planned))
def startup_med(label, i):
    values = [v[i] for v in startup.get(label, []) if not math.isnan(v[i])]
    return statistics.median(values) if values else float("nan")
def cpu_med(label):
    return statistics.median(r[2] for r in rows[label]) if label in rows else float("nan")
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
def ratio(a, b): return f"{a / b:.2f}" if b and not math.isnan(b) else "n/a"
lines = [
    "# nlsprobe benchmark results", "",
    f"Machine: {os.cpu_count()} cores ({cpu}), Linux {platform.release()}; {'quick' if quick == '1' else 'full'} sizes, "
    f"medians of {len(rows.get('w2-nlsprobe', []))} alternating runs ({len(rows.get('w1-nlsprobe', []))} for W1). "
    "Reproduce: `sudo Benchmarks/run.sh`.", "",
    "| workload | nlsprobe | peer | peer time | nlsprobe/peer | target |", "| --- | --- | --- | --- | --- | --- |",
    f"| W1: {W1} open TCP ports, loopback | {med('w1-nlsprobe'):.3f} s | nmap -sT -Pn | {med('w1-nmap'):.3f} s | {ratio(med('w1-nlsprobe'), med('w1-nmap'))} | at most 1 (as fast as nmap) |",
    f"| W1 | | `nc -z` loop | {med('w1-nc'):.3f} s | {ratio(med('w1-nlsprobe'), med('w1-nc'))} | |",
    f"| W2: {W2} dropped ports, {W2T} s timeout, 1 attempt | {med('w2-nlsprobe'):.3f} s | limit ceil({W2}/{C2}) x {W2T} s | {limit2:.3f} s | {ratio(med('w2-nlsprobe'), limit2)} | at most 1.2 |",
    f"| W2 | | nmap -sT, same timeout, no retries | {med('w2-nmap'):.3f} s | {ratio(med('w2-nlsprobe'), med('w2-nmap'))} | |",
    f"| W2 | | `curl --connect-timeout {W2T}` loop (3 measured, x{W2}) | {w2_curl:.1f} s | {ratio(med('w2-nlsprobe'), w2_curl)} | |",
    f"| W3: {W3} TLS handshakes, one openssl s_server | {med('w3-nlsprobe'):.3f} s | `openssl s_time -new` ceiling | {w3_ceiling:.3f} s | {ratio(med('w3-nlsprobe'), w3_ceiling)} | at most 1.5 |",
    f"| W3 | | curl loop ({W3LOOP} measured, x{W3 // W3LOOP}) | {w3_curl:.3f} s | {ratio(med('w3-nlsprobe'), w3_curl)} | at most 0.1 |",
    f"| W3 | | `openssl s_client` loop ({W3LOOP} measured, x{W3 // W3LOOP}) | {w3_sclient:.3f} s | {ratio(med('w3-nlsprobe'), w3_sclient)} | |",
    f"| W3 | | the best any client can do against this server: its ceiling over the curl loop | {w3_ceiling:.3f} s | {ratio(w3_ceiling, w3_curl)} | |",
    f"| W4: {W4} checks (open, refused, dropped), concurrency {C4} | {w4[0]:.3f} s, peak RSS {w4[1] / 1024:.0f} MB, {w4[2] / W4 * 1e6:.0f} us CPU per check | | | | RSS under 150 MB, no check lost or twice |",
    f"| W1 with the default flags (`--concurrency 256`, `--per-destination 64`) | {med('w1d-nlsprobe'):.3f} s | nmap -sT -Pn | {med('w1-nmap'):.3f} s | {ratio(med('w1d-nlsprobe'), med('w1-nmap'))} | |",
    f"| W5: W2 with the default flags | {med('w5-nlsprobe'):.3f} s | nmap -sT, same timeout, no retries, parallelism {C2} | {med('w2-nmap'):.3f} s | {ratio(med('w5-nlsprobe'), med('w2-nmap'))} | at most 1.1 |",
    f"| W6: {W6} dropped ports ({W6T:g} s timeout) beside a name whose resolver drops every query ({W6T:g} s DNS timeout) | {med('w6-nlsprobe'):.3f} s | the longest chain | {W6T:.3f} s | {ratio(med('w6-nlsprobe'), W6T)} | at most 1.1 |",
] + ([
    f"| W1 with the baseline binary (`NLSPROBE_BASELINE`), same flags | {med('w1-baseline'):.3f} s | nmap -sT -Pn | {med('w1-nmap'):.3f} s | {ratio(med('w1-baseline'), med('w1-nmap'))} | |"
] if "w1-baseline" in rows else []) + [
    f"| W7: built-in `{p}`, default flags, {ran.get(p, (0, 0))[0]} of {ran.get(p, (0, 0))[1]} checks run | {med('w7-' + p):.3f} s, {cpu_med('w7-' + p) / max(1, ran.get(p, (1, 1))[0]) * 1000:.1f} ms CPU per check | start-up: exec to first SYN; to first line of output | {startup_med('w7-' + p, 0):.1f} ms; {startup_med('w7-' + p, 1):.1f} ms | | |"
    for p in ("cls", "dls", "dls-ha")
] + [
    "",
    f"Binary: {int(env['binary_size']) / 1e6:.1f} MB (`{os.path.basename(env['bin'])}`, release, Swift standard library linked statically). "
    f"Load average (1, 5, 15 min) before the runs: {env['load_before']}; after: {env['load_after']}.",
    "",
    "How the figures are taken (see the top of `Benchmarks/run.sh`):",
    "- Every target lives in a network namespace of the harness's own; the tools alternate, run after run,",
    "  and the table gives medians. Wall times come from the clock in nanoseconds; peak RSS and CPU from time(1).",
    "- The open-port listeners accept and reset at once (SO_LINGER 0): with a plain close every connection",
    "  left the listener's side in TIME_WAIT, and after a few runs of 2,000 ports new SYNs from reused",
    "  source ports met those and waited a second for their retransmission, for every tool alike.",
    "- `openssl s_time -new` makes handshakes one after another against the same `s_server`: its rate is",
    "  that server's ceiling. The last W3 row is that ceiling over the curl loop: no client, however",
    "  fast, gets a lower ratio against this server.",
    "- W1 and W4 reports are checked: every W1 port open; every W4 check present once, with its expected answer; W6 and W7 likewise.",
    "- W1, W2 and W4 run nlsprobe with `--per-destination` (W2 and W4 also `--concurrency`) raised to the",
    "  workload's size, as in earlier runs; the second W1 row, W5, W6 and W7 use the default flags.",
    "- W6: the namespace's resolv.conf points at 127.0.0.1, where nftables drops every DNS query; `fast.bench`",
    "  comes from the namespace's hosts file. The limit is the longest chain: the DNS timeout and the connect",
    "  timeout are equal.",
    "- W7: `nlsprobe run cls|dls|dls-ha` (the built-in profiles, by name) with only `--ca-file` for the targets'",
    "  self-signed certificate. The namespace's hosts file points their names at 10.10.20.x on its loopback,",
    "  where `openssl s_server` (443, 8082, 5671) and listeners (80, 8081, 8084) answer; this host is 10.10.20.1",
    "  (the clients' subnet, and DLS node a). CPU per check is user + system time, start-up included, over the",
    "  checks run. Start-up (`Benchmarks/startup.py`): exec to the first SYN (the kernel's time stamp of the",
    "  packet on the loopback) and to the first line on standard output, medians over the repetitions.",
    "- Load: the machine is shared with engineers compiling; the load average is given above. Above one",
    "  per core every time is several times an idle machine's, and the CPU-bound ratios (W1, W3) suffer",
    "  most (nlsprobe's loops and runner wait for a core where nmap's single thread does not).",
    "",
]
text = "\n".join(lines)
print(text)
if output:
    open(output, "w").write(text)
EOF
