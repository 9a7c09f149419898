#!/usr/bin/env bash
# The nlsprobe lab: network namespaces standing in for licensed clients, a firewall and the
# license services, all inside 198.18.0.0/15 on this machine.
#
#   scripts/lab.sh up       build the lab (removes leftovers of an earlier or failed run first)
#   scripts/lab.sh down     remove everything the lab made (safe to run twice)
#   scripts/lab.sh status   what is up
#
# Needs root, iproute2, nftables, procps (sysctl), openssl and python3. NLSPROBE_LAB_PREFIX (default "nlsp")
# names the namespaces, so tests can run a lab of their own next to yours.
#
# Topology (router forwards between all links; its nftables forward chain is the firewall):
#
#   <p>-client  198.18.10.10/24 (clients-a), 198.18.11.10/24 (clients-b)
#        |
#   <p>-router  198.18.10.1, 198.18.11.1 | 198.18.20.1 | 198.18.21.1 | 198.18.22.1
#        |                |                 |
#   <p>-cls 198.18.20.10 + .11   <p>-dls-a 198.18.21.10   <p>-dls-b 198.18.22.10
#   (api.cls.licensing.nvidia.com: TLS 443, HTTP 80)   (dls-a/dls-b.lab.test: TLS 443, 8082, 5671; TCP 80, 8081, 8084)
#
# The router also runs the lab's resolver, 198.18.10.53 (scripts/dns-responder.py: NXDOMAIN for
# every name), the nameserver of the client and DLS namespaces; their hosts files list the lab's
# names. Where each failed cell stops (hop, device, resolver) is data: Profiles/lab/ground-truth.json.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${NLSPROBE_LAB_PREFIX:-nlsp}"
state="${NLSPROBE_LAB_STATE:-$here/.lab/$prefix}"
namespaces=("$prefix-client" "$prefix-router" "$prefix-cls" "$prefix-dls-a" "$prefix-dls-b")
lab_name=lab
# shellcheck source=lib/netns.sh
. "$here/scripts/lib/netns.sh"

need_root() {
  [ "$(id -u)" -eq 0 ] || { echo "lab: needs root (network namespaces, nftables): sudo $0 $*" >&2; exit 1; }
}

down() {
  netns_remove "${namespaces[@]}"
  rm -rf "$state"
}

certificate() { # name -> $state/name.pem, $state/name.key signed by the lab CA
  local name="$1"
  openssl req -newkey rsa:2048 -nodes -keyout "$state/$name.key" -out "$state/$name.csr" \
    -subj "/CN=$name" -addext "subjectAltName=DNS:$name" 2>/dev/null
  printf 'subjectAltName=DNS:%s\n' "$name" > "$state/$name.ext"
  openssl x509 -req -in "$state/$name.csr" -CA "$state/ca.pem" -CAkey "$state/ca.key" -CAcreateserial \
    -out "$state/$name.pem" -days 30 -extfile "$state/$name.ext" 2>/dev/null
}

serve_tls() { # namespace port certificate-name: openssl s_server kept in the background
  ns "$1" setsid openssl s_server -accept "$2" -cert "$state/$3.pem" -key "$state/$3.key" -www -quiet \
    </dev/null >/dev/null 2>&1 &
}

serve_http() { # namespace port...: plain HTTP listeners, one process for all the ports
  local n="$1"; shift
  ns "$n" setsid python3 "$here/scripts/lab-listener.py" "$state/www" "$@" </dev/null >/dev/null 2>&1 &
}

up() {
  down
  trap 'echo "lab: setup failed, cleaning up" >&2; down' ERR
  mkdir -p "$state/www"
  echo "nlsprobe lab" > "$state/www/index.html"
  netns_add "${namespaces[@]}"
  local c="$prefix-client" r="$prefix-router" s="$prefix-cls" a="$prefix-dls-a" b="$prefix-dls-b"

  link "$c" eth0 "$r" clients
  link "$r" cls "$s" eth0
  link "$r" dls-a "$a" eth0
  link "$r" dls-b "$b" eth0
  addr "$c" eth0 198.18.10.10/24; ip -n "$c" addr add 198.18.11.10/24 dev eth0
  addr "$r" clients 198.18.10.1/24; ip -n "$r" addr add 198.18.11.1/24 dev clients
  addr "$r" cls 198.18.20.1/24
  addr "$r" dls-a 198.18.21.1/24
  addr "$r" dls-b 198.18.22.1/24
  addr "$s" eth0 198.18.20.10/24; ip -n "$s" addr add 198.18.20.11/24 dev eth0
  addr "$a" eth0 198.18.21.10/24
  addr "$b" eth0 198.18.22.10/24
  ip -n "$c" route add default via 198.18.10.1
  ip -n "$s" route add default via 198.18.20.1
  ip -n "$a" route add default via 198.18.21.1
  ip -n "$b" route add default via 198.18.22.1
  ns "$r" sysctl -qw net.ipv4.ip_forward=1
  # The router answers every trace probe (Linux limits ICMP errors to about one a second per peer).
  ns "$r" sysctl -qw net.ipv4.icmp_ratelimit=0
  ns "$r" nft -f "$here/Profiles/lab/firewall.nft"
  # The lab's resolver, on the router (its input, not the forward chain): NXDOMAIN for every name,
  # so a name the namespaces' hosts files do not list fails there and never leaves the lab.
  ip -n "$r" addr add 198.18.10.53/32 dev lo

  local hosts="127.0.0.1 localhost
198.18.20.10 api.cls.licensing.nvidia.com
198.18.20.11 api.cls.licensing.nvidia.com
198.18.21.10 dls-a.lab.test
198.18.22.10 dls-b.lab.test"
  for n in "$c" "$a" "$b"; do
    mkdir -p "/etc/netns/$n"
    printf '%s\n' "$hosts" > "/etc/netns/$n/hosts"
    printf 'nameserver 198.18.10.53\noptions timeout:1 attempts:1\n' > "/etc/netns/$n/resolv.conf"
  done
  ns "$r" setsid python3 "$here/scripts/dns-responder.py" 198.18.10.53 nxdomain </dev/null >/dev/null 2>&1 &

  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$state/ca.key" -out "$state/ca.pem" -days 30 \
    -subj "/CN=nlsprobe lab CA" 2>/dev/null
  # The lab profiles name ../../.lab/ca.pem; the default lab puts its CA there.
  if [ "$prefix" = nlsp ]; then cp "$state/ca.pem" "$here/.lab/ca.pem"; fi
  certificate api.cls.licensing.nvidia.com
  certificate dls-a.lab.test
  certificate dls-b.lab.test

  serve_tls "$s" 443 api.cls.licensing.nvidia.com
  serve_http "$s" 80
  for node in a b; do
    local n="$prefix-dls-$node" name="dls-$node.lab.test"
    serve_tls "$n" 443 "$name"; serve_tls "$n" 8082 "$name"; serve_tls "$n" 5671 "$name"
    serve_http "$n" 80 8081 8084
  done
  wait_tcp "$s" 443 80
  wait_tcp "$a" 443 8082 5671 80 8081 8084
  wait_tcp "$b" 443 8082 5671 80 8081 8084
  wait_udp "$r" 198.18.10.53 53
  trap - ERR
  echo "lab: up (namespaces ${namespaces[*]}; CA $state/ca.pem)"
}

status() {
  local any=0
  for n in "${namespaces[@]}"; do
    if ip netns list | grep -qw "^$n"; then
      any=1
      echo "$n: $(ip -n "$n" -br addr | awk '$1 != "lo" {print $3, $4}' | xargs) listening: $(ns "$n" ss -Hltn | awk '{print $4}' | sed 's/.*://' | sort -n | uniq | xargs)"
    else
      echo "$n: absent"
    fi
  done
  [ "$any" -eq 1 ]
}

case "${1:-}" in
  up) need_root up; up ;;
  down) need_root down; down; echo "lab: down" ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 64 ;;
esac
