#!/usr/bin/env python3
"""A tiny DNS responder for the path-trace lab: answers every query the same way.

    dns-responder.py ADDRESS MODE      MODE: nxdomain | servfail | refused | drop

Binds UDP ADDRESS:53 and answers each query with the response code MODE names (echoing the
question, no records), or reads and drops it (drop). Bounded: datagrams over 512 bytes or
without a header are ignored. Runs until killed.
"""
import socket
import sys

RCODES = {"nxdomain": 3, "servfail": 2, "refused": 5}


def main() -> None:
    address, mode = sys.argv[1], sys.argv[2]
    if mode != "drop" and mode not in RCODES:
        sys.exit(f"unknown mode {mode}: nxdomain, servfail, refused or drop")
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((address, 53))
    while True:
        data, peer = sock.recvfrom(512)
        if mode == "drop" or len(data) < 12 or data[2] & 0x80:
            continue
        flags = 0x8180 | RCODES[mode]  # response, recursion desired and available
        sock.sendto(data[:2] + flags.to_bytes(2, "big") + data[4:6] + b"\0\0\0\0\0\0" + data[12:], peer)


if __name__ == "__main__":
    main()
