#!/usr/bin/env python3
"""Start-up: the time from exec to a command's first SYN and to its first line of output.

    startup.py PORTS COMMAND...

PORTS is a comma-separated list of destination ports. Watches the loopback interface (of the
network namespace it runs in) with a packet socket, starts COMMAND, and prints two figures in
milliseconds: exec to the first SYN towards one of PORTS (the kernel's receive time stamp), and
exec to the first line COMMAND writes on standard output. "exec" is taken just before the fork,
so both include the fork and exec themselves (about a millisecond).
"""
import select
import socket
import struct
import subprocess
import sys
import time

ETH_P_ALL = 0x0003
SO_TIMESTAMPNS = 35


def first_syn(packet: bytes, ports: set) -> bool:
    if len(packet) < 14 + 20 + 20 or packet[12:14] != b"\x08\x00":
        return False
    ip = packet[14:]
    header = (ip[0] & 0x0F) * 4
    if ip[9] != 6 or len(ip) < header + 14:
        return False
    tcp = ip[header:]
    port = struct.unpack("!H", tcp[2:4])[0]
    flags = tcp[13]
    return port in ports and flags & 0x02 != 0 and flags & 0x10 == 0


def main() -> None:
    ports = {int(port) for port in sys.argv[1].split(",")}
    command = sys.argv[2:]
    sniffer = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sniffer.bind(("lo", 0))
    sniffer.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    started = time.time_ns()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    syn = line = None
    open_output = True
    deadline = time.monotonic() + 60
    while (syn is None or (line is None and open_output)) and time.monotonic() < deadline:
        readable, _, _ = select.select([sniffer] + ([process.stdout] if open_output else []), [], [], 1)
        if sniffer in readable:
            data, ancillary, _, _ = sniffer.recvmsg(128, 64)
            if syn is None and first_syn(data, ports):
                stamp = next((d for level, kind, d in ancillary if kind == SO_TIMESTAMPNS), None)
                seconds, nanoseconds = struct.unpack("qq", stamp[:16]) if stamp else (0, time.time_ns())
                syn = seconds * 1_000_000_000 + nanoseconds
        if open_output and process.stdout in readable:
            text = process.stdout.readline()
            if not text:
                open_output = False
            elif line is None:
                line = time.time_ns()
    process.stdout.read()
    process.wait()
    show = lambda stamp: f"{(stamp - started) / 1e6:.2f}" if stamp else "nan"
    print(show(syn), show(line))


if __name__ == "__main__":
    main()
