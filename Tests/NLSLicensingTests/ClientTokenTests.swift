import Foundation
import NLSProbeCore
import TestSupport
import Testing

@testable import NLSLicensing

@Suite struct ClientTokenTests {
    let factory: TokenFactory
    init() throws { factory = try TokenFactory() }

    @Test func oneNode() throws {
        let token = try ClientToken.decode(try factory.token(TokenFactory.payload()))
        #expect(token.nodes.map(\.url) == ["dls.example.test"])
        #expect(token.nodes[0].ports.map(\.port) == [443, 443])
        #expect(token.portServices.map(\.port) == [443])
        #expect(token.portServices[0].services == ["auth", "lease"])
        #expect(token.serviceInstance == "b43d6e46-d6d0-4943-8b8d-c66a5f6ff8c0")
        #expect(token.validityWarnings().isEmpty)
        let profile = TokenProfile.profile(from: token, source: "t.tok")
        #expect(profile.flows.map(\.ports) == [[443], [80]])
        #expect(profile.flows.map(\.proto) == [.tls, .tcp])
        #expect(profile.flows[0].services == ["auth", "lease"])
        #expect(profile.flows.allSatisfy { $0.direction == .ingress })
        // The printed profile is itself a valid profile.
        let yaml = TokenProfile.yaml(profile, source: "t.tok")
        let reloaded = try ProfileLoader().parse(yaml, file: "from-token.yaml")
        #expect(reloaded.flows.count == 2 && reloaded.destinations[0].hosts == ["dls.example.test"])
    }

    /// `profile from-token` prints what `run --token` runs: read back, it is the same profile, digest included.
    @Test func theTokenProfileReadsBackTheSame() throws {
        let payload = TokenFactory.payload(
            nodes: [("dls-a.lab.test", 0), ("dls-b.lab.test", 0), ("198.18.21.99", 1)],
            sets: [(0, "DLS", [("auth", 443), ("lease", 8082)]), (1, "DLS", [("auth", 443), ("quick_release", 80)])])
        let profile = TokenProfile.profile(
            from: try ClientToken.decode(try factory.token(payload)), source: "ha \"1\".tok")
        let yaml = TokenProfile.yaml(profile, source: "ha \"1\".tok")
        var expected = profile
        expected.path = "from-token.yaml"
        #expect(try ProfileLoader().parse(yaml, file: "from-token.yaml") == expected, "\(yaml)")
        #expect(yaml.hasPrefix("# yaml-language-server: $schema=profile.schema.json\n"))
        #expect(yaml.contains("    hosts: [\"dls-a.lab.test\", \"dls-b.lab.test\"]\n"), "\(yaml)")
        #expect(yaml.contains("  services: [\"auth\", \"lease\"]\n") || yaml.contains("  services: [\"auth\"]\n"))
        #expect(
            yaml.hasSuffix(
                "\ndefaults:\n  connect_timeout: 3s\n  tls_timeout: 5s\n  attempts: 2\n  proxy: direct\n  trace: on-failure\n"
            ))
        #expect(profile.flows.allSatisfy { $0.settings.trace == .onFailure }, "as the built-in profiles")
    }

    @Test func haPairWith443And8082() throws {
        let payload = TokenFactory.payload(
            nodes: [("dls-a.lab.test", 0), ("dls-b.lab.test", 0), ("198.18.21.99", 1)],
            sets: [(0, "DLS", [("auth", 443), ("lease", 8082)]), (1, "DLS", [("auth", 443)])])
        let token = try ClientToken.decode(try factory.token(payload))
        #expect(token.nodes.count == 3)
        #expect(token.nodes[0].ports.map(\.port) == [443, 8082])
        #expect(token.portServices.map(\.port) == [443, 8082])
        let profile = TokenProfile.profile(from: token, source: "ha.tok")
        #expect(profile.destinations.map(\.hosts) == [["dls-a.lab.test", "dls-b.lab.test"], ["198.18.21.99"]])
        #expect(profile.flows.map(\.ports) == [[443], [8082], [80], [443], [80]])
        // With a profile given, the token fills its destinations.
        let dls = try ProfileLoader().parse(
            "profile: p\ntitle: t\nsources:\n  c: {}\ndestinations:\n  dls:\n    hosts: [placeholder.example]\nflows:\n  - {port: 443, protocol: tls, direction: ingress, from: c, to: dls}\n",
            file: "p.yaml")
        #expect(
            TokenProfile.fill(dls, with: token).destinations[0].hosts == [
                "dls-a.lab.test", "dls-b.lab.test", "198.18.21.99",
            ])
    }

    @Test func expiredAndNotYetValid() throws {
        let now = Date().timeIntervalSince1970
        let expired = try ClientToken.decode(try factory.token(TokenFactory.payload(exp: now - 3600, nbf: now - 7200)))
        #expect(expired.validityWarnings().first?.contains("the token expired on") == true)
        let early = try ClientToken.decode(try factory.token(TokenFactory.payload(exp: now + 7200, nbf: now + 3600)))
        #expect(early.validityWarnings().first?.contains("not valid before") == true)
    }

    func payloadWith(_ change: (inout [String: Any]) -> Void) -> [String: Any] {
        var payload = TokenFactory.payload()
        change(&payload)
        return payload
    }

    func configuration(_ change: @escaping (inout [String: Any]) -> Void) -> [String: Any] {
        payloadWith { payload in
            var configuration = payload["service_instance_configuration"] as? [String: Any] ?? [:]
            change(&configuration)
            payload["service_instance_configuration"] = configuration
        }
    }

    @Test func malformedTokens() throws {
        let good = try factory.token(TokenFactory.payload())
        let parts = good.split(separator: ".").map(String.init)
        let garbage = TokenFactory.base64url(Data("not json".utf8))
        let array = TokenFactory.base64url(Data("[1, 2]".utf8))
        var cases: [(String, TokenError)] = [
            (parts[0] + "." + parts[1], .notCompactJWS(parts: 2)),
            (good + ".extra", .notCompactJWS(parts: 4)),
            (parts[0] + ".!!!." + parts[2], .badBase64(part: "payload")),
            (parts[0] + "." + garbage + "." + parts[2], .notJSON(part: "payload", detail: "")),
            (parts[0] + "." + array + "." + parts[2], .notJSON(part: "payload", detail: "it is not an object")),
            (String(repeating: "A", count: 10_000_000), .tooLarge(bytes: 10_000_000, limit: ClientToken.sizeLimit)),
        ]
        let payloads: [([String: Any], TokenError)] = [
            (
                payloadWith { $0["service_instance_configuration"] = nil },
                .missing(field: "service_instance_configuration")
            ),
            (
                payloadWith { $0["service_instance_configuration"] = "DLS" },
                .wrongType(field: "service_instance_configuration", expected: "an object")
            ),
            (
                configuration { $0["node_url_list"] = nil },
                .missing(field: "service_instance_configuration.node_url_list")
            ),
            (
                configuration { $0["node_url_list"] = [Any]() },
                .invalidValue(field: "service_instance_configuration.node_url_list", detail: "it lists no node")
            ),
            (
                configuration { $0["node_url_list"] = [["idx": 0, "url": "dls.example.test", "svc_port_set_idx": 7]] },
                .danglingIndex(field: "service_instance_configuration.node_url_list[0].svc_port_set_idx", value: 7)
            ),
            (
                configuration { $0["node_url_list"] = [["idx": 0, "url": "not a host!", "svc_port_set_idx": 0]] },
                .invalidValue(
                    field: "service_instance_configuration.node_url_list[0].url",
                    detail: "'not a host!' is neither a host name nor an IP address")
            ),
            (
                configuration {
                    $0["svc_port_set_list"] = [["idx": 0, "svc_port_map": [["service": "auth", "port": "443"]]]]
                },
                .wrongType(
                    field: "service_instance_configuration.svc_port_set_list[0].svc_port_map[0].port",
                    expected: "a whole number")
            ),
            (
                configuration {
                    $0["svc_port_set_list"] = [["idx": 0, "svc_port_map": [["service": "auth", "port": 70000]]]]
                },
                .invalidValue(
                    field: "service_instance_configuration.svc_port_set_list[0].svc_port_map[0].port",
                    detail: "70000 is not a port (1-65535)")
            ),
            (
                configuration { $0["svc_port_set_list"] = [["idx": true, "svc_port_map": [Any]()]] },
                .wrongType(field: "service_instance_configuration.svc_port_set_list[0].idx", expected: "a whole number")
            ),
            (
                payloadWith { $0["exp"] = "tomorrow" },
                .wrongType(field: "exp", expected: "a number of seconds since 1970")
            ),
        ]
        for (payload, error) in payloads { cases.append((try factory.token(payload), error)) }
        #expect(cases.count >= 16)
        for (text, expected) in cases {
            do {
                _ = try ClientToken.decode(text)
                Issue.record("decoded a malformed token; expected \(expected)")
            } catch {
                if case .notJSON(let part, _) = expected, case .notJSON(let found, _) = error {
                    #expect(found == part)
                } else {
                    #expect(error == expected)
                }
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func tokenFileTooLargeIsNotRead() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).tok").path
        FileManager.default.createFile(atPath: path, contents: Data(count: 10 * 1024 * 1024))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: TokenError.tooLarge(bytes: 10 * 1024 * 1024, limit: ClientToken.sizeLimit)) {
            try ClientToken.load(path: path)
        }
    }
}
