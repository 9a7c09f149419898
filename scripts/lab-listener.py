#!/usr/bin/env python3
"""Plain HTTP listeners for the nlsprobe lab: one process, one thread per port.

    lab-listener.py DIRECTORY PORT [PORT ...]

Serves DIRECTORY read-only on 0.0.0.0 on every port given; stands in for the plain TCP/HTTP
ports of the lab's license-service look-alikes. Runs until killed.
"""
import functools
import http.server
import sys
import threading


def main() -> None:
    directory, ports = sys.argv[1], [int(p) for p in sys.argv[2:]]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
    handler.log_message = lambda *args: None
    # A deep accept queue: benchmarks open hundreds of connections at once, and a full queue
    # drops SYNs, which would look like a firewall.
    http.server.ThreadingHTTPServer.request_queue_size = 4096
    servers = [http.server.ThreadingHTTPServer(("0.0.0.0", port), handler) for port in ports]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    threading.Event().wait()


if __name__ == "__main__":
    main()
