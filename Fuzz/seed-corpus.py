#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into Fuzz/Corpus/<target>/seed-*.

Seeds come from real inputs (Profiles/, Reports/examples/, the golden report, the lab token) and
from variations built the way the unit tests build them (TokenFactory.payload, PacketDecoderTests'
Craft). Crash inputs (crash-*) and anything else in the folders are left alone. Run from anywhere:
    python3 Fuzz/seed-corpus.py
"""

import base64
import copy
import glob
import json
import os
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "Corpus")


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, "seed-" + name), "wb") as handle:
        handle.write(data)


def read(path):
    with open(os.path.join(ROOT, path), "rb") as handle:
        return handle.read()


# --- profile ----------------------------------------------------------------------------------
def profiles():
    for path in sorted(glob.glob(os.path.join(ROOT, "Profiles", "*.yaml"))):
        write("profile", os.path.basename(path), read(path))
    for path in sorted(glob.glob(os.path.join(ROOT, "Profiles", "lab", "*.yaml"))):
        write("profile", "lab-" + os.path.basename(path), read(path))
    head = "profile: {name}\ntitle: t\nreference: r\n"
    variants = {
        "range-ipv6.yaml": """sources:
  clients: {subnets: [10.10.20.0/24, 2001:db8::/64]}
destinations:
  dls: {hosts: [dls.example.internal, 198.18.2.1, "2001:db8::1"]}
flows:
  - {port: 8080-8090, protocol: tcp, direction: egress, services: [s], from: clients, to: dls, expect: block}
  - {port: [443, 8443], protocol: https, direction: egress, services: [s], from: clients, to: dls,
     http: {path: /leasing/v1/}, tls: {verify: false}}
""",
        "proxy.yaml": """sources:
  clients: {}
destinations:
  cls: {hosts: [api.cls.licensing.nvidia.com]}
flows:
  - port: 443
    protocol: https
    direction: egress
    services: [License acquisition]
    from: clients
    to: cls
    proxy: http://proxy.corp.example:3128
    proxy_credentials_env: NLSPROBE_PROXY_AUTH
    connect_timeout: 500ms
    request_timeout: 2m
    dns_timeout: 1.5s
    attempts: 3
  - {port: 80, protocol: http, direction: egress, services: [r], from: clients, to: cls, proxy: socks5h://127.0.0.1:1080}
  - {port: 80, protocol: tcp, direction: egress, services: [r], from: clients, to: cls, proxy: environment}
defaults:
  proxy: direct
  tls: {verify: true, expected_issuers: ["CN=Corporate Inspection CA", "sha256:b0a7a34cea8365b1aaf9b4dcc8102c90adb1bc9ffe09dcaa2417ca72d704d15a"]}
""",
        "hosts-as-sources.yaml": """sources: {}
destinations:
  dls-nodes: {hosts: [dls-a.lab.test, dls-b.lab.test, 198.18.20.12]}
flows:
  - {port: 5671, protocol: tls, direction: ingress, services: [HA], from: dls-nodes, to: dls-nodes}
  - {port: [8081, 8084], protocol: tcp, direction: ingress, services: [HA], from: dls-nodes, to: dls-nodes, note: "ha"}
""",
        "errors.yaml": """sources:
  clients: {subnets: [10.10.20.0/33, nonsense]}
destinations:
  dls: {hosts: ["-bad-", "a..b", ""]}
flows:
  - {port: 0, protocol: udp, direction: sideways, services: [], from: nobody, to: nowhere, expect: maybe}
  - {port: 65536-1, protocol: tcp, direction: egress, services: [s], from: clients, to: dls, attempts: -1}
  - {port: "1-65535", protocol: tcp, direction: egress, services: [s], from: clients, to: dls, connect_timeout: 1e308s}
unknown_key: 1
""",
        "anchors.yaml": """sources:
  clients: &c {subnets: [10.0.0.0/8]}
  more: *c
destinations:
  d: &d {hosts: [a.example, b.example]}
  e: *d
defaults: &defaults
  connect_timeout: 3s
  tls: {verify: true, ca_file: ca.pem}
flows:
  - &f {port: 443, protocol: tls, direction: egress, services: [s], from: clients, to: d}
  - {<<: *f, port: 80, protocol: tcp, to: e, from: more}
""",
        "big-range.yaml": """sources:
  clients: {subnets: [10.10.0.0/16, 10.20.0.0/16, 10.30.0.0/16]}
destinations:
  many: {hosts: [h1.example, h2.example, h3.example, h4.example, h5.example, h6.example, h7.example]}
flows:
  - {port: 1-65535, protocol: tcp, direction: egress, services: [sweep], from: clients, to: many}
""",
        "names.yaml": """sources:
  "../../../../tmp/x": {}
destinations:
  "d|e": {hosts: ["\\u001b]0;title\\u0007.example"]}
flows:
  - {port: 443, protocol: tls, direction: egress, services: ["<script>|`*_"], from: "../../../../tmp/x", to: "d|e"}
""",
        "flow-list-forms.yaml": """sources: {clients: {}}
destinations: {d: {hosts: [d.example]}}
flows:
- port: [1, 2, 3, 65535]
  protocol: tcp
  direction: egress
  services: [a, b]
  from: clients
  to: d
  expect: block
  tls: {verify: true}
  http: {path: /}
""",
    }
    for name, body in variants.items():
        write("profile", name, head.format(name=name.split(".")[0]) + body)
    write("profile", "empty.yaml", "")
    write("profile", "scalar.yaml", "just a string\n")
    write("profile", "list.yaml", "- 1\n- 2\n")
    write("profile", "long-name.yaml", head.format(name="p" * 10_000) + "sources: {}\ndestinations: {}\nflows: []\n")


# --- token ------------------------------------------------------------------------------------
def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def payload(nodes=(("dls.example.test", 0),), sets=((0, "DLS", (("auth", 443), ("lease", 443))),),
            exp=2078000000, nbf=1764400000):
    return {
        "iss": "NLS Service Instance", "aud": "NLS Licensed Client", "iat": nbf, "nbf": nbf, "exp": exp,
        "protocol_version": "2.0", "update_mode": "ABSOLUTE",
        "scope_ref_list": ["6d3c1a52-8a8e-4f1e-9d0b-2a4c7f0e9b11"], "fulfillment_class_ref_list": [],
        "service_instance_configuration": {
            "nls_service_instance_ref": "b43d6e46-d6d0-4943-8b8d-c66a5f6ff8c0",
            "svc_port_set_list": [
                {"idx": idx, "d_name": name, "svc_port_map": [{"service": s, "port": p} for s, p in ports]}
                for idx, name, ports in sets
            ],
            "node_url_list": [
                {"idx": i, "url": url, "url_qr": url, "svc_port_set_idx": set_index}
                for i, (url, set_index) in enumerated(nodes)
            ],
        },
        "service_instance_public_key_configuration": {"service_instance_public_key_me": {"mod": "00", "exp": 65537}},
    }


def enumerated(items):
    return list(enumerate(items))


def jws(body):
    header = json.dumps({"alg": "RS256", "typ": "JWT"}, separators=(",", ":")).encode()
    signature = bytes((i * 37 + 11) % 256 for i in range(256))
    return b64(header) + "." + b64(body) + "." + b64(signature)


def tokens():
    write("token", "lab.tok", read("Profiles/lab/client_configuration_token_lab.tok"))
    payloads = {
        "one-node": payload(),
        "ha-8082": payload(nodes=(("dls-a.lab.test", 0), ("dls-b.lab.test", 1)),
                           sets=((0, "DLS", (("auth", 443), ("lease", 8082))), (1, "CLS", (("quick_release", 80),)))),
        "ipv6-nodes": payload(nodes=(("https://[2001:db8::1]:443/", 0), ("198.18.2.1", 0))),
        "expired": payload(exp=1000, nbf=500),
        "huge-dates": payload(exp=1e308, nbf=-1e308),
        "huge-index": payload(nodes=(("dls.example.test", 18446744073709551616),)),
        "dangling": payload(nodes=(("dls.example.test", 7),)),
        "bad-port": payload(sets=((0, "DLS", (("auth", 0), ("lease", 70000))),)),
        "no-nodes": payload(nodes=()),
    }
    for name, body in payloads.items():
        encoded = json.dumps(body).encode()
        write("token", name + ".tok", jws(encoded))
        write("token", name + ".json", encoded)  # starts with '{': the harness wraps it into a JWS
    odd = copy.deepcopy(payload())
    odd["service_instance_configuration"]["svc_port_set_list"] = "not a list"
    write("token", "wrong-type.json", json.dumps(odd))
    odd = copy.deepcopy(payload())
    odd["iat"] = "yesterday"
    odd["service_instance_configuration"]["node_url_list"][0]["url"] = "\u001b]0;pwned\u0007"
    write("token", "odd-fields.json", json.dumps(odd))
    write("token", "two-parts.tok", "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0")
    write("token", "not-base64.tok", "a.b!c.d")
    write("token", "header-only.tok", b64(b'{"alg":"none"}') + "..")
    write("token", "payload-array.tok", jws(b"[1,2,3]"))
    write("token", "whitespace.tok", "\n  " + jws(json.dumps(payload()).encode()) + "\r\n\n")


# --- gridd.conf -------------------------------------------------------------------------------
def gridd():
    samples = {
        "typical.conf": """# /etc/nvidia/gridd.conf
FeatureType=1

  ProxyServerAddress =  proxy.corp.example
ProxyServerPort=3128\r
ProxyUserName = "svc-license"
ClientConfigTokenPath=/etc/nvidia/ClientConfigToken/
SomeFutureKey=whatever
""",
        "proxy-url.conf": "ProxyServerAddress=http://10.0.0.5\nProxyServerPort=8080\n",
        "proxy-ipv6.conf": "ProxyServerAddress=2001:db8::5\nProxyServerPort=3128\n",
        "proxy-https.conf": "ProxyServerAddress=https://proxy.corp.example/path\nProxyServerPort='443'\n",
        "proxy-no-port.conf": "ProxyServerAddress=proxy\n",
        "proxy-bad-port.conf": "ProxyServerAddress=proxy\nProxyServerPort=99999\n",
        "proxy-host-port.conf": "ProxyServerAddress=127.0.0.1:3128\nProxyServerPort=3128\n",
        "proxy-empty-host.conf": "ProxyServerAddress=http://\nProxyServerPort=3128\n",
        "proxy-credentials.conf": "ProxyServerAddress=http://user:S3cr3tPW@host\nProxyServerPort=3128\n",
        "malformed.conf": "FeatureType=1\nthis is not a setting\n=3128\nProxyPassword S3cr3tPW\n9key=1\n",
        "windows.conf": "[Grid]\r\nFeatureType=1\r\nProxyServerAddress=proxy\r\nProxyServerPort=3128\r\n",
        "quotes.conf": "ProxyUserName=\"\nProxyServerAddress='proxy'\nProxyServerPort=\"3128\"\nA=''\n",
        "empty.conf": "",
        "comments.conf": "#\n# only comments\n   # indented\n\n\n",
        "licensing.conf": "ServerAddress=dls.example.internal\nServerPort=7070\nBackupServerAddress=10.1.1.2\n"
        "EnableUI=TRUE\nLicenseInterval=1440\nFeatureType=4\n",
    }
    for name, text in samples.items():
        write("gridd-conf", name, text)


# --- report -----------------------------------------------------------------------------------
def reports():
    golden = read("Tests/NLSReportingTests/Golden/report.json")
    write("report", "golden.json", golden)
    for path in sorted(glob.glob(os.path.join(ROOT, "Reports", "examples", "*.json"))):
        write("report", "example-" + os.path.basename(path), read(path))
    base = json.loads(golden)

    def variant(name, change):
        report = copy.deepcopy(base)
        change(report)
        write("report", name, json.dumps(report, indent=1))

    def huge_numbers(r):
        for check in r.get("checks", []):
            timings = check.get("timings_ms")
            if isinstance(timings, dict):
                for key in timings:
                    timings[key] = 1e308
        set_everywhere(r, "clock_skew_s", 1e300)

    variant("huge-timings.json", huge_numbers)
    variant("negative-numbers.json", lambda r: set_numbers(r, -1))
    variant("zero-numbers.json", lambda r: set_numbers(r, 0))
    variant("big-ints.json", lambda r: set_numbers(r, 18446744073709551615))
    variant("traversal-name.json", lambda r: set_everywhere(r, "name", "../../../../tmp/x"))
    variant("escapes.json", lambda r: set_strings(r, "\u001b]0;pwned\u0007|<b>&amp;</b>\u001b[2J`*_"))
    variant("no-checks.json", lambda r: r.__setitem__("checks", []))
    variant("lying-summary.json", lambda r: set_everywhere(r, "failed", 0))
    write("report", "wrong-schema.json", '{"schema": "something-else/v9"}')
    write("report", "not-object.json", "[1, 2, 3]")
    write("report", "empty-object.json", "{}")


def set_everywhere(node, key, value):
    if isinstance(node, dict):
        for k in list(node):
            if k == key:
                node[k] = value
            else:
                set_everywhere(node[k], key, value)
    elif isinstance(node, list):
        for item in node:
            set_everywhere(item, key, value)


def set_numbers(node, value):
    if isinstance(node, dict):
        for k, v in list(node.items()):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                node[k] = value
            else:
                set_numbers(v, value)
    elif isinstance(node, list):
        for item in node:
            set_numbers(item, value)


def set_strings(node, value):
    keep = {"schema", "observed", "expect", "protocol", "direction", "verdict", "class"}
    if isinstance(node, dict):
        for k, v in list(node.items()):
            if isinstance(v, str) and k not in keep and not k.endswith("_at") and "time" not in k:
                node[k] = value
            else:
                set_strings(v, value)
    elif isinstance(node, list):
        for item in node:
            set_strings(item, value)


# --- packet -----------------------------------------------------------------------------------
def be16(value):
    return struct.pack(">H", value & 0xFFFF)


def ip4(text):
    return bytes(int(part) for part in text.split("."))


def ip6(text):
    import ipaddress
    return ipaddress.IPv6Address(text).packed


def tcp(source, destination, flags, payload=b""):
    return be16(source) + be16(destination) + bytes([0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags]) + be16(64240) \
        + bytes(4) + payload


def ipv4(source, destination, payload, proto=6, ttl=64):
    return bytes([0x45, 0]) + be16(20 + len(payload)) + bytes([0, 1, 0x40, 0, ttl, proto, 0, 0]) + ip4(source) \
        + ip4(destination) + payload


def ipv6(source, destination, payload, next_header=6, hop=64):
    return bytes([0x60, 0, 0, 0]) + be16(len(payload)) + bytes([next_header, hop]) + ip6(source) \
        + ip6(destination) + payload


def ethernet(kind, payload):
    return bytes([2] * 12) + be16(kind) + payload


def sll(packet_type, proto, payload, hardware=1):
    return be16(packet_type) + be16(hardware) + be16(6) + bytes(8) + be16(proto) + payload


def sll2(proto, packet_type, payload, hardware=1):
    return be16(proto) + bytes(2) + bytes([0, 0, 0, 2]) + be16(hardware) + bytes([packet_type, 6]) + bytes(8) \
        + payload


CLIENT_HELLO = bytes([22, 3, 1, 0, 200, 1, 0, 0, 196, 3, 3])
SERVER_HELLO = bytes([22, 3, 3, 0, 90, 2, 0, 0, 86, 3, 3])
ALERT = bytes([21, 3, 3, 0, 2, 2, 40])


def packets():
    syn = ipv4("198.18.10.10", "198.18.20.11", tcp(40000, 443, 0x02))
    synack = ipv4("198.18.20.11", "198.18.10.10", tcp(443, 40000, 0x12), ttl=63)
    rst = ipv4("198.18.20.10", "198.18.10.10", tcp(443, 40000, 0x04))
    hello = ipv4("198.18.10.10", "198.18.20.10", tcp(40000, 443, 0x18, CLIENT_HELLO))
    server = ipv4("198.18.20.10", "198.18.10.10", tcp(443, 40000, 0x18, SERVER_HELLO))
    alert = ipv4("198.18.20.10", "198.18.10.10", tcp(443, 40000, 0x18, ALERT))
    http = ipv4("198.18.10.10", "198.18.20.10", tcp(40000, 80, 0x18, b"GET / HTTP/1.1\r\n"))
    icmp = ipv4("198.18.11.1", "198.18.10.10", bytes([3, 13, 0, 0, 0, 0, 0, 0]) + syn[:28], proto=1)
    icmp_ttl = ipv4("198.18.11.1", "198.18.10.10", bytes([11, 0, 0, 0, 0, 0, 0, 0]) + syn[:28], proto=1)
    echo = ipv4("198.18.11.1", "198.18.10.10", bytes([0, 0, 0, 0, 0, 1, 0, 1]), proto=1)
    syn6 = ipv6("2001:db8::1", "2001:db8::2", tcp(40001, 443, 0x02))
    icmp6 = ipv6("2001:db8::ff", "2001:db8::1", bytes([1, 1, 0, 0, 0, 0, 0, 0]) + syn6, next_header=58)
    extensions = ipv6("2001:db8::2", "2001:db8::1",
                      bytes([60, 0, 1, 4, 0, 0, 0, 0]) + bytes([6, 1]) + bytes(14) + tcp(443, 40000, 0x12),
                      next_header=0, hop=63)
    fragment = ipv6("2001:db8::2", "2001:db8::1", bytes([6, 0, 0, 8, 0, 0, 0, 1]) + tcp(1, 2, 2), next_header=44)
    lying = ipv6("2001:db8::2", "2001:db8::1", bytes([6, 200, 0, 0, 0, 0, 0, 0]) + tcp(1, 2, 2), next_header=60)
    frames = {
        "eth-syn": ethernet(0x0800, syn),
        "eth-vlan-syn": bytes([2] * 12) + be16(0x8100) + bytes([0, 5]) + be16(0x0800) + syn,
        "eth-qinq-synack": bytes([2] * 12) + be16(0x88A8) + bytes([0, 5]) + be16(0x8100) + bytes([0, 6])
        + be16(0x0800) + synack,
        "eth-arp": ethernet(0x0806, bytes(28)),
        "eth-ipv6-extensions": ethernet(0x86DD, extensions),
        "sll-syn": sll(0, 0x0800, syn),
        "sll-loopback-out": sll(4, 0x0800, syn, hardware=772),
        "sll-out": sll(4, 0x0800, rst),
        "sll2-syn": sll2(0x0800, 0, syn),
        "sll2-ipv6": sll2(0x86DD, 0, syn6),
        "null-syn": bytes([2, 0, 0, 0]) + syn,
        "loop-syn": bytes([0, 0, 0, 2]) + syn,
        "raw-clienthello": hello,
        "raw-serverhello": server,
        "raw-alert": alert,
        "raw-http": http,
        "raw-icmp-admin": icmp,
        "raw-icmp-ttl": icmp_ttl,
        "raw-echo": echo,
        "raw-icmp6-admin": icmp6,
        "raw-ipv6-fragment": fragment,
        "raw-ipv6-lying": lying,
        "raw-bad-ihl": bytes([0x4F]) + syn[1:],
        "raw-short-ihl": bytes([0x44]) + syn[1:],
        "raw-bad-offset": syn[:32] + bytes([0xF0]) + syn[33:],
        "raw-long-total": syn[:2] + bytes([0xFF]) + syn[3:],
        "raw-truncated": syn[:30],
        "empty": b"",
    }
    for name, frame in frames.items():
        write("packet", name + ".bin", frame)


# --- libFuzzer dictionaries (Fuzz/Dictionaries/<target>.dict) ---------------------------------
COMMON = ["1e308", "-1e308", "18446744073709551616", "9223372036854775807", "9223372036854775808", "-1", "-0",
          "NaN", "Infinity", "null", "true", "false", "\x1b]0;x\x07", "\x1b[2J", "|", "<", "&", "../../", "\x00",
          "\r\n", "\ufeff"]
DICTIONARIES = {
    "profile": ["profile:", "title:", "reference:", "sources:", "destinations:", "flows:", "defaults:", "subnets:",
                "hosts:", "description:", "port:", "protocol:", "direction:", "services:", "from:", "to:", "expect:",
                "note:", "connect_timeout:", "tls_timeout:", "dns_timeout:", "request_timeout:", "attempts:",
                "proxy:", "proxy_credentials_env:", "tls:", "http:", "verify:", "ca_file:", "expected_issuers:",
                "path:", "tcp", "tls", "https", "http", "egress", "ingress", "allow", "block", "direct",
                "environment", "http://", "socks5h://", "1-65535", "10.0.0.0/8", "::/0", "2001:db8::1", "3s",
                "500ms", "2m", "- ", "&a", "*a", "<<: ", "{", "}", "[", "]", "---"],
    "token": ["\"iss\"", "\"aud\"", "\"iat\"", "\"nbf\"", "\"exp\"", "\"protocol_version\"",
              "\"service_instance_configuration\"", "\"nls_service_instance_ref\"", "\"svc_port_set_list\"",
              "\"idx\"", "\"d_name\"", "\"svc_port_map\"", "\"service\"", "\"port\"", "\"node_url_list\"",
              "\"url\"", "\"url_qr\"", "\"svc_port_set_idx\"", "https://", "[::1]", ":443", "{", "}", "[", "]",
              ".", "eyJ"],
    "gridd-conf": ["ProxyServerAddress=", "ProxyServerPort=", "ProxyUserName=", "ProxyPassword=",
                   "ClientConfigTokenPath=", "FeatureType=", "ServerAddress=", "http://", "https://", "user:pw@",
                   "127.0.0.1:3128", "[::1]", "#", "=", "\"", "'", "\n", "\r"],
    "report": ["\"schema\"", "\"checks\"", "\"summary\"", "\"profile\"", "\"name\"", "\"timings_ms\"",
               "\"total\"", "\"clock_skew_s\"", "\"observed\"", "\"verdict\"", "\"reason\"",
               "\"attempts\"", "\"elapsed_ms\"", "\"evidence\"", "\"destination\"", "\"source\"",
               "\"flow\"", "\"port\"", "\"proxy\"", "\"tls\"", "\"chain\"", "\"expect\"", "\"id\"",
               "\"open\"", "\"blocked\"", "\"pass\"", "\"fail\"", "{", "}", "[", "]", ":", ","],
    "packet": ["\x08\x00", "\x86\xdd", "\x81\x00", "\x88\xa8", "\x45\x00", "\x60\x00\x00\x00",
               "\x16\x03\x01", "\x16\x03\x03", "\x15\x03\x03", "\x03\x0d", "\x01\x01", "\x0b\x00",
               "\x02\x00\x00\x00", "\x00\x00\x00\x02", "\x03\x04", "\x00\x04"],
}


def dictionary_entry(data):
    """A libFuzzer dictionary entry: printable ASCII as is, anything else as \\xNN."""
    text = ""
    for byte in data:
        if byte in (0x22, 0x5C) or byte < 0x20 or byte > 0x7E:
            text += "\\x%02x" % byte
        else:
            text += chr(byte)
    return '"' + text + '"'


def dictionaries():
    folder = os.path.join(ROOT, "Fuzz", "Dictionaries")
    os.makedirs(folder, exist_ok=True)
    for target, words in DICTIONARIES.items():
        # Packet words are raw bytes (latin-1 keeps them one byte each); the others are text.
        encoded = [w.encode("latin-1") for w in words] if target == "packet" else \
            [w.encode() for w in words + COMMON]
        with open(os.path.join(folder, target + ".dict"), "w") as handle:
            handle.write(f"# libFuzzer dictionary for the {target} target (written by Fuzz/seed-corpus.py)\n")
            for data in encoded:
                handle.write(dictionary_entry(data) + "\n")


if __name__ == "__main__":
    dictionaries()
    profiles()
    tokens()
    gridd()
    reports()
    packets()
    for target in sorted(os.listdir(CORPUS)):
        print(f"{target}: {len(os.listdir(os.path.join(CORPUS, target)))} files")
