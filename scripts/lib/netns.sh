# shellcheck shell=bash
# Network namespaces joined by veth pairs: the pieces the lab scripts share (scripts/lab.sh,
# scripts/trace-lab.sh). Source it; set `lab_name` first (it starts every message).
#
#   ns NAMESPACE COMMAND...            run COMMAND inside NAMESPACE
#   netns_add NAMESPACE...             create the namespaces, loopback up
#   netns_remove NAMESPACE...          kill what runs in them, delete them and their /etc/netns files
#                                      (safe to run twice, and on namespaces that do not exist)
#   link NS_A IF_A NS_B IF_B           a veth pair created straight into the two namespaces
#   addr NAMESPACE IF CIDR             an address on an interface, and the interface up
#   wait_tcp NAMESPACE PORT...         wait (at most 15 s a port) for a TCP listener; fail if none
#   wait_udp NAMESPACE ADDRESS PORT    wait (at most 10 s) for a UDP socket on ADDRESS:PORT; fail if none

ns() { ip netns exec "$1" "${@:2}"; }

netns_add() {
  for n in "$@"; do ip netns add "$n"; ip -n "$n" link set lo up; done
}

netns_remove() {
  for n in "$@"; do
    if ip netns list | grep -qw "^$n"; then
      for pid in $(ip netns pids "$n" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
      ip netns del "$n" 2>/dev/null || true
    fi
    rm -rf "/etc/netns/$n"
  done
}

link() { ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"; }

addr() { ip -n "$1" addr add "$3" dev "$2"; ip -n "$1" link set "$2" up; }

wait_tcp() {
  local n="$1"; shift
  for port in "$@"; do
    for _ in $(seq 1 300); do
      ns "$n" ss -Hltn "sport = :$port" | grep -q . && break
      sleep 0.05
    done
    ns "$n" ss -Hltn "sport = :$port" | grep -q . || { echo "${lab_name:-lab}: nothing listens on $n:$port" >&2; return 1; }
  done
}

wait_udp() {
  for _ in $(seq 1 200); do
    ns "$1" ss -Hlun "sport = :$3" | grep -qF "$2:$3" && return 0
    sleep 0.05
  done
  echo "${lab_name:-lab}: nothing listens on $1 $2:$3/udp" >&2; return 1
}
