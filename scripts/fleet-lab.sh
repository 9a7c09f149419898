#!/usr/bin/env bash
# The nlsprobe fleet lab: three probe hosts in three client subnets, each running its own sshd,
# behind a router whose nftables rules differ per subnet, one license service; this machine's
# root namespace is the Ansible controller. All inside 198.18.0.0/15 on this machine.
#
#   scripts/fleet-lab.sh up                  build the lab (removes leftovers of an earlier run first)
#   scripts/fleet-lab.sh playbook [ARGS...]  run deploy/ansible/nlsprobe.yml across the lab's fleet
#   scripts/fleet-lab.sh stop-host NAME      stop one probe host's sshd (probe-a, probe-b, probe-c)
#   scripts/fleet-lab.sh down                remove everything the lab made (safe to run twice)
#   scripts/fleet-lab.sh status              what is up
#
# Needs root, iproute2, nftables, procps, openssl, python3, openssh-server (sshd, not started as a
# service: each host's sshd runs with a config of its own in the lab's state folder) and
# ansible-core. NLSPROBE_FLEET_PREFIX (default "nlsf") names the namespaces and the controller's
# link; NLSPROBE_FLEET_STATE (default .lab/<prefix>) holds keys, configs, inventory and reports;
# NLSPROBE_BINARY (default .build/release/nlsprobe) is the binary the playbook copies.
#
# Topology (the router forwards; its forward chain, Profiles/lab/fleet/firewall.nft, is the firewall):
#
#   root namespace (controller) 198.18.39.2 --- <p>-router 198.18.39.1
#                                                  |  198.18.30.1 | 198.18.31.1 | 198.18.32.1 | 198.18.40.1
#   <p>-a probe-a 198.18.30.10 (vdi)   <p>-b probe-b 198.18.31.10 (ml)   <p>-c probe-c 198.18.32.10 (branch)
#   <p>-dest 198.18.40.10 dls.fleet.test: TLS 443 and 8082, HTTP 80
#
# Each probe host is also a licensed client: its own gridd.conf and client configuration token
# (Profiles/lab/client_configuration_token_lab.tok, whose nodes dls-a.lab.test and dls-b.lab.test
# are the license service too) under $state/licensing/probe-<x>/, named by nlsprobe_gridd_conf in the
# inventory; `playbook -e nlsprobe_client_config=true` tests what those clients use.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${NLSPROBE_FLEET_PREFIX:-nlsf}"
state="${NLSPROBE_FLEET_STATE:-$here/.lab/$prefix}"
hosts=(a b c)
namespaces=("$prefix-router" "$prefix-a" "$prefix-b" "$prefix-c" "$prefix-dest")
controller_link="${prefix}m"
lab_name=fleet-lab
# shellcheck source=lib/netns.sh
. "$here/scripts/lib/netns.sh"

need_root() {
  [ "$(id -u)" -eq 0 ] || { echo "fleet-lab: needs root (network namespaces, nftables, sshd): sudo $0 $*" >&2; exit 1; }
}

down() {
  # Ansible's SSH connections to the hosts (ControlPersist), which would outlive the lab a minute.
  for socket in "$state"/ansible/cp/*; do
    [ -S "$socket" ] && ssh -o ControlPath="$socket" -O exit fleet-lab >/dev/null 2>&1 || true
  done
  netns_remove "${namespaces[@]}"
  ip link del "$controller_link" 2>/dev/null || true
  rm -rf "$state"
}

start_sshd() { # host letter: its sshd, in a UTS namespace of its own so that it has its own host name
  local h="$1" n="$prefix-$1"
  ns "$n" setsid unshare --uts sh -c "hostname probe-$h.fleet.test && exec /usr/sbin/sshd -D -e -f '$state/ssh/sshd-$h.conf'" \
    </dev/null >>"$state/ssh/sshd-$h.log" 2>&1 &
}

up() {
  down
  # The controller's routes to the client subnets live in the root namespace: one fleet lab at a time.
  if [ -n "$(ip route show 198.18.30.0/24)" ]; then
    echo "fleet-lab: another fleet lab is up (the root namespace routes 198.18.30.0/24): take it down first" >&2
    exit 1
  fi
  trap 'echo "fleet-lab: setup failed, cleaning up" >&2; down' ERR
  mkdir -p "$state/ssh" "$state/www" "$state/ansible"
  chmod 700 "$state" "$state/ssh"
  echo "nlsprobe fleet lab" > "$state/www/index.html"
  netns_add "${namespaces[@]}"
  local r="$prefix-router" d="$prefix-dest"

  ip link add "$controller_link" type veth peer name controller netns "$r"
  ip addr add 198.18.39.2/30 dev "$controller_link"; ip link set "$controller_link" up
  addr "$r" controller 198.18.39.1/30
  local subnet=30
  for h in "${hosts[@]}"; do
    link "$prefix-$h" eth0 "$r" "probe-$h"
    addr "$prefix-$h" eth0 "198.18.$subnet.10/24"
    addr "$r" "probe-$h" "198.18.$subnet.1/24"
    ip -n "$prefix-$h" route add default via "198.18.$subnet.1"
    ip route add "198.18.$subnet.0/24" via 198.18.39.1 dev "$controller_link"
    subnet=$((subnet + 1))
  done
  link "$r" dest "$d" eth0
  addr "$r" dest 198.18.40.1/24
  addr "$d" eth0 198.18.40.10/24
  ip -n "$d" route add default via 198.18.40.1
  ns "$r" sysctl -qw net.ipv4.ip_forward=1
  ns "$r" nft -f "$here/Profiles/lab/fleet/firewall.nft"
  for h in "${hosts[@]}"; do
    mkdir -p "/etc/netns/$prefix-$h"
    printf '127.0.0.1 localhost\n198.18.40.10 dls.fleet.test dls-a.lab.test dls-b.lab.test\n' > "/etc/netns/$prefix-$h/hosts"
    mkdir -p "$state/licensing/probe-$h/ClientConfigToken"
    cp "$here/Profiles/lab/client_configuration_token_lab.tok" "$state/licensing/probe-$h/ClientConfigToken/"
    printf '# probe-%s, a licensed client of the fleet lab\nFeatureType=1\nClientConfigTokenPath=%s\n' \
      "$h" "$state/licensing/probe-$h/ClientConfigToken/" > "$state/licensing/probe-$h/gridd.conf"
  done

  # The license service: TLS 443 and 8082 with a certificate of the lab's CA, HTTP on 80.
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$state/ca.key" -out "$state/fleet-ca.pem" -days 30 \
    -subj "/CN=nlsprobe fleet lab CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$state/dls.key" -out "$state/dls.csr" -subj "/CN=dls.fleet.test" 2>/dev/null
  printf 'subjectAltName=DNS:dls.fleet.test,DNS:dls-a.lab.test,DNS:dls-b.lab.test\n' > "$state/dls.ext"
  openssl x509 -req -in "$state/dls.csr" -CA "$state/fleet-ca.pem" -CAkey "$state/ca.key" -CAcreateserial \
    -out "$state/dls.pem" -days 30 -extfile "$state/dls.ext" 2>/dev/null
  for port in 443 8082; do
    ns "$d" setsid openssl s_server -accept "$port" -cert "$state/dls.pem" -key "$state/dls.key" -www -quiet \
      </dev/null >/dev/null 2>&1 &
  done
  ns "$d" setsid python3 "$here/scripts/lab-listener.py" "$state/www" 80 </dev/null >/dev/null 2>&1 &

  # SSH: the controller's key, one host key per probe host, a known_hosts naming each, one sshd
  # config per host (no system-wide configuration is touched).
  ssh-keygen -q -t ed25519 -N '' -C "nlsprobe fleet lab controller" -f "$state/ssh/id_ed25519"
  cp "$state/ssh/id_ed25519.pub" "$state/ssh/authorized_keys"
  : > "$state/ssh/known_hosts"
  mkdir -p /run/sshd # sshd's privilege separation directory (Debian's service creates it the same way)
  subnet=30
  for h in "${hosts[@]}"; do
    local address="198.18.$subnet.10"
    ssh-keygen -q -t ed25519 -N '' -C "probe-$h" -f "$state/ssh/host-$h"
    echo "$address $(cut -d' ' -f1,2 "$state/ssh/host-$h.pub")" >> "$state/ssh/known_hosts"
    cat > "$state/ssh/sshd-$h.conf" <<EOF
ListenAddress $address:22
HostKey $state/ssh/host-$h
PidFile $state/ssh/sshd-$h.pid
AuthorizedKeysFile $state/ssh/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel ERROR
EOF
    start_sshd "$h"
    subnet=$((subnet + 1))
  done

  cat > "$state/inventory.ini" <<EOF
# The fleet lab's inventory (scripts/fleet-lab.sh up): one probe host per client subnet.
[vdi]
probe-a ansible_host=198.18.30.10 nlsprobe_sources=vdi nlsprobe_gridd_conf=$state/licensing/probe-a/gridd.conf

[ml]
probe-b ansible_host=198.18.31.10 nlsprobe_sources=ml nlsprobe_gridd_conf=$state/licensing/probe-b/gridd.conf

[branch]
probe-c ansible_host=198.18.32.10 nlsprobe_sources=branch nlsprobe_gridd_conf=$state/licensing/probe-c/gridd.conf

[nlsprobe:children]
vdi
ml
branch

[nlsprobe:vars]
ansible_user=root
ansible_python_interpreter=/usr/bin/python3
ansible_ssh_private_key_file=$state/ssh/id_ed25519
ansible_ssh_common_args='-o UserKnownHostsFile=$state/ssh/known_hosts -o StrictHostKeyChecking=yes -o ConnectTimeout=5'
ansible_remote_tmp=$state/ansible/remote
ansible_pipelining=true
EOF

  wait_tcp "$d" 443 8082
  for h in "${hosts[@]}"; do wait_tcp "$prefix-$h" 22; done
  trap - ERR
  echo "fleet-lab: up (namespaces ${namespaces[*]}; inventory $state/inventory.ini)"
}

playbook() {
  [ -f "$state/inventory.ini" ] || { echo "fleet-lab: not up: scripts/fleet-lab.sh up" >&2; exit 1; }
  local binary="${NLSPROBE_BINARY:-$here/.build/release/nlsprobe}"
  # Ansible's own files (control sockets, temporary files) stay in the lab's state folder. SSH
  # without Ansible's default -C: compressing the binary for links inside this machine costs about
  # ten times what sending it does. The connection to each host is kept (ControlPersist) between runs.
  env ANSIBLE_HOME="$state/ansible" ANSIBLE_LOCAL_TEMP="$state/ansible/tmp" \
    ANSIBLE_SSH_CONTROL_PATH_DIR="$state/ansible/cp" ANSIBLE_SSH_ARGS="-o ControlMaster=auto -o ControlPersist=60s" \
    ANSIBLE_RETRY_FILES_ENABLED=false ANSIBLE_NOCOLOR=1 \
    ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 \
    ansible-playbook -i "$state/inventory.ini" "$here/deploy/ansible/nlsprobe.yml" \
    -e "nlsprobe_binary=$binary" -e "nlsprobe_profile=$here/Profiles/lab/fleet/fleet.yaml" \
    -e "{\"nlsprobe_files\": [\"$state/fleet-ca.pem\"], \"nlsprobe_args\": [\"--ca-file\", \"fleet-ca.pem\"]}" \
    -e "nlsprobe_reports=$state/reports" "$@"
}

stop_host() { # the host's sshd and every session it started (an open session keeps a host reachable)
  local h="${1#probe-}" n="$prefix-${1#probe-}"
  ip netns list | grep -qw "^$n" || { echo "fleet-lab: no probe host $1" >&2; exit 1; }
  sshds() { for pid in $(ip netns pids "$n" 2>/dev/null); do [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sshd ] && echo "$pid"; done; }
  for pid in $(sshds); do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    [ -z "$(sshds)" ] && { echo "fleet-lab: probe-$h's sshd stopped"; return 0; }
    sleep 0.05
  done
  echo "fleet-lab: probe-$h's sshd did not stop" >&2
  return 1
}

status() {
  local any=0
  for n in "${namespaces[@]}"; do
    if ip netns list | grep -qw "^$n"; then
      any=1
      echo "$n: $(ip -n "$n" -br addr | awk '$1 != "lo" {print $3}' | xargs) listening: $(ns "$n" ss -Hltn | awk '{print $4}' | sed 's/.*://' | sort -n | uniq | xargs)"
    else
      echo "$n: absent"
    fi
  done
  [ "$any" -eq 1 ]
}

case "${1:-}" in
  up) need_root up; up ;;
  down) need_root down; down; echo "fleet-lab: down" ;;
  playbook) need_root playbook; shift; playbook "$@" ;;
  stop-host) need_root stop-host; stop_host "${2:?stop-host needs a host name}" ;;
  status) status ;;
  *) echo "usage: $0 up|playbook [ARGS...]|stop-host NAME|down|status" >&2; exit 64 ;;
esac
