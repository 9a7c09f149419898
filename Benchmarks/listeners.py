#!/usr/bin/env python3
"""Benchmark targets: accept-and-close TCP listeners on many ports, in one process.

    listeners.py FIRST_PORT COUNT [ADDRESS]

Listens on COUNT consecutive ports from FIRST_PORT (default address 127.0.0.1), accepts every
connection and closes it at once with a reset (SO_LINGER 0). A plain close would leave the
listener's side of every connection in TIME_WAIT for a minute: after a few runs of 2,000 checks,
new SYNs from reused source ports meet those and wait for a retransmission, for every tool alike.
Prints "ready" when every port listens; runs until killed.
"""
import selectors
import socket
import struct
import sys

RESET_ON_CLOSE = struct.pack("ii", 1, 0)


def main() -> None:
    first, count = int(sys.argv[1]), int(sys.argv[2])
    address = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
    selector = selectors.DefaultSelector()
    for port in range(first, first + count):
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((address, port))
        server.listen(4096)
        server.setblocking(False)
        selector.register(server, selectors.EVENT_READ)
    print("ready", flush=True)
    while True:
        for key, _ in selector.select():
            try:
                connection, _ = key.fileobj.accept()
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET_ON_CLOSE)
                connection.close()
            except (BlockingIOError, ConnectionAbortedError):
                pass


if __name__ == "__main__":
    main()
