#!/usr/bin/env bash
# The path-trace lab: a client two routers away from its servers, so a trace has hops to name.
#
#   scripts/trace-lab.sh up       build it (removes leftovers of an earlier or failed run first)
#   scripts/trace-lab.sh down     remove everything it made (safe to run twice)
#
# Needs root, iproute2, nftables, procps (sysctl) and python3. NLSPROBE_TRACE_LAB_PREFIX (default
# "nlst") names the namespaces. Everything is inside 198.18.0.0/15 on this machine.
#
#   <p>-client 198.18.110.10 --- 198.18.110.1 <p>-r1 198.18.111.1 --- 198.18.111.2 <p>-r2
#                                        | 198.18.140.1                  | 198.18.120.1    | 198.18.121.1
#   <p>-dns 198.18.140.53 (NXDOMAIN)   --+              <p>-srv-a 198.18.120.10   <p>-srv-b 198.18.121.10
#           198.18.140.54 (SERVFAIL)                    (TCP 80)                  (TCP 81-88, all listening)
#           198.18.140.55 (drops queries)
#
# r2's rules for 198.18.121.0/24 (Profiles/lab/trace-topology.json has them as data):
#   81  dropped before routing (prerouting): r2 never answers, so the flow dies after hop 1 (r1)
#   82  rejected with ICMP admin-prohibited by r2 (forward): hop 2
#   83  rejected with a TCP reset by r2 (forward): hop 2, told apart from the server by the TTL
#   84  open: a plain HTTP listener, so a TLS check fails above TCP
#   85  rejected with ICMP admin-prohibited by r2, for a tls check (the error named through libcurl)
#   86  the same for an http check, and for a check through a "proxy" at 198.18.121.10:86
#   87  open, but r2 rejects the client's data (PSH) with ICMP host-unreachable: a tls check's
#   88  ClientHello, an http check's request. The connection is up, so the error stays soft (as without
#       IP_RECVERR): the checks end at their phase budget, not at once.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${NLSPROBE_TRACE_LAB_PREFIX:-nlst}"
www="${TMPDIR:-/tmp}/nlsprobe-trace-lab-$prefix"
namespaces=("$prefix-client" "$prefix-r1" "$prefix-r2" "$prefix-srv-a" "$prefix-srv-b" "$prefix-dns")
lab_name=trace-lab
# shellcheck source=lib/netns.sh
. "$here/scripts/lib/netns.sh"

[ "$(id -u)" -eq 0 ] || { echo "trace-lab: needs root (network namespaces, nftables)" >&2; exit 1; }

down() {
  netns_remove "${namespaces[@]}"
  rm -rf "$www"
}

up() {
  down
  trap 'echo "trace-lab: setup failed, cleaning up" >&2; down' ERR
  netns_add "${namespaces[@]}"
  local c="$prefix-client" r1="$prefix-r1" r2="$prefix-r2" a="$prefix-srv-a" b="$prefix-srv-b" d="$prefix-dns"
  link "$c" eth0 "$r1" client
  link "$r1" r2 "$r2" r1
  link "$r1" dns "$d" eth0
  link "$r2" srva "$a" eth0
  link "$r2" srvb "$b" eth0
  addr "$c" eth0 198.18.110.10/24
  addr "$r1" client 198.18.110.1/24
  addr "$r1" r2 198.18.111.1/24
  addr "$r1" dns 198.18.140.1/24
  addr "$r2" r1 198.18.111.2/24
  addr "$r2" srva 198.18.120.1/24
  addr "$r2" srvb 198.18.121.1/24
  addr "$a" eth0 198.18.120.10/24
  addr "$b" eth0 198.18.121.10/24
  addr "$d" eth0 198.18.140.53/24
  ip -n "$d" addr add 198.18.140.54/24 dev eth0
  ip -n "$d" addr add 198.18.140.55/24 dev eth0
  ip -n "$c" route add default via 198.18.110.1
  ip -n "$r1" route add 198.18.120.0/23 via 198.18.111.2
  ip -n "$r2" route add default via 198.18.111.1
  ip -n "$a" route add default via 198.18.120.1
  ip -n "$b" route add default via 198.18.121.1
  ip -n "$d" route add default via 198.18.140.1
  for r in "$r1" "$r2"; do
    ns "$r" sysctl -qw net.ipv4.ip_forward=1
    # Routers answer every probe here (Linux limits ICMP errors to about one a second per peer).
    ns "$r" sysctl -qw net.ipv4.icmp_ratelimit=0
  done
  ns "$r2" nft -f - <<'NFT'
table ip trace_lab {
  chain prerouting {
    type filter hook prerouting priority -150; policy accept;
    ip daddr 198.18.121.0/24 tcp dport 81 drop
  }
  chain forward {
    type filter hook forward priority 0; policy accept;
    ip daddr 198.18.121.0/24 tcp dport { 82, 85, 86 } reject with icmp type admin-prohibited
    ip daddr 198.18.121.0/24 tcp dport 83 reject with tcp reset
    ip daddr 198.18.121.0/24 tcp dport { 87, 88 } tcp flags & psh == psh reject with icmp type host-unreachable
  }
}
NFT
  mkdir -p "/etc/netns/$c" "$www"
  echo "nlsprobe trace lab" > "$www/index.html"
  printf '127.0.0.1 localhost\n198.18.120.10 srv-a.trace.test\n198.18.121.10 srv-b.trace.test\n' > "/etc/netns/$c/hosts"
  printf 'nameserver 198.18.140.53\nsearch trace.test\noptions timeout:1 attempts:1\n' > "/etc/netns/$c/resolv.conf"

  ns "$a" setsid python3 "$here/scripts/lab-listener.py" "$www" 80 </dev/null >/dev/null 2>&1 &
  ns "$b" setsid python3 "$here/scripts/lab-listener.py" "$www" 81 82 83 84 85 86 87 88 </dev/null >/dev/null 2>&1 &
  ns "$d" setsid python3 "$here/scripts/dns-responder.py" 198.18.140.53 nxdomain </dev/null >/dev/null 2>&1 &
  ns "$d" setsid python3 "$here/scripts/dns-responder.py" 198.18.140.54 servfail </dev/null >/dev/null 2>&1 &
  ns "$d" setsid python3 "$here/scripts/dns-responder.py" 198.18.140.55 drop </dev/null >/dev/null 2>&1 &
  wait_tcp "$a" 80
  wait_tcp "$b" 81 82 83 84 85 86 87 88
  wait_udp "$d" 198.18.140.53 53; wait_udp "$d" 198.18.140.54 53; wait_udp "$d" 198.18.140.55 53
  trap - ERR
  echo "trace-lab: up (namespaces ${namespaces[*]})"
}

case "${1:-}" in
  up) up ;;
  down) down; echo "trace-lab: down" ;;
  *) echo "usage: $0 up|down" >&2; exit 64 ;;
esac
