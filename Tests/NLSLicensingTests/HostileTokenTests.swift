import Foundation
import NLSProbeCore
import TestSupport
import Testing

@testable import NLSLicensing

/// Tokens whose payload is written as JSON text, so numbers no Swift type holds can be written.
/// The signature is not verified, so none is made.
func unsignedToken(_ payload: String) -> String {
    TokenFactory.base64url(Data(#"{"alg":"RS256","typ":"JWT"}"#.utf8)) + "."
        + TokenFactory.base64url(Data(payload.utf8)) + ".c2ln"
}

/// A payload with the given pieces of JSON text in place.
func payloadJSON(
    idx: String = "0", nodeIndex: String = "0", port: String = "443", exp: String = "4102444800",
    nbf: String = "1700000000", service: String = #""auth""#, setName: String = #""DLS""#,
    url: String = #""dls.example.test""#, extraSet: String = ""
) -> String {
    """
    {"iss": "NLS Service Instance", "iat": 1700000000, "nbf": \(nbf), "exp": \(exp),
     "service_instance_configuration": {
       "nls_service_instance_ref": "b43d6e46-d6d0-4943-8b8d-c66a5f6ff8c0",
       "svc_port_set_list": [{"idx": \(idx), "d_name": \(setName), "svc_port_map": [{"service": \(service), "port": \(port)}]}\(extraSet)],
       "node_url_list": [{"idx": 0, "url": \(url), "svc_port_set_idx": \(nodeIndex)}]}}
    """
}

@Suite struct HostileTokenTests {
    func error(_ payload: String) -> TokenError? {
        do {
            _ = try ClientToken.decode(unsignedToken(payload))
            return nil
        } catch {
            return error
        }
    }

    @Test func theBaselineDecodes() throws {
        let token = try ClientToken.decode(unsignedToken(payloadJSON()))
        #expect(token.nodes.map(\.url) == ["dls.example.test"])
        #expect(token.nodes[0].ports == [ClientToken.ServicePort(service: "auth", port: 443)])
    }

    @Test func hugeIndicesAreOutOfRangeNotZero() {
        let field = "service_instance_configuration.node_url_list[0].svc_port_set_idx"
        for value in ["18446744073709551616", "9223372036854775808", "1e308", "-1", "65536"] {
            let found = error(payloadJSON(nodeIndex: value))
            guard case .invalidValue(let name, let detail) = found else {
                Issue.record("\(value): \(String(describing: found))")
                continue
            }
            #expect(name == field)
            #expect(detail.contains("is not a port-set index (0-65535)"), "\(detail)")
        }
        // 2^64 for the set's own idx too.
        guard case .invalidValue(let name, _) = error(payloadJSON(idx: "18446744073709551616")) else {
            Issue.record("2^64 idx decoded")
            return
        }
        #expect(name == "service_instance_configuration.svc_port_set_list[0].idx")
        #expect(error(payloadJSON(nodeIndex: "0.5")) == .wrongType(field: field, expected: "a whole number"))
    }

    @Test func hugePortsAreOutOfRange() {
        let field = "service_instance_configuration.svc_port_set_list[0].svc_port_map[0].port"
        for value in ["18446744073709551616", "-9223372036854775808", "0", "65536", "1e300"] {
            guard case .invalidValue(let name, let detail) = error(payloadJSON(port: value)) else {
                Issue.record("\(value) decoded")
                continue
            }
            #expect(name == field && detail.contains("is not a port (1-65535)"))
        }
    }

    @Test func timesOutsideTheYears2000To2200AreRefused() {
        for value in ["1e308", "183882168000", "-9223372036854775808", "0", "7258118401"] {
            guard case .invalidValue(let name, let detail) = error(payloadJSON(exp: value)) else {
                Issue.record("exp \(value) decoded")
                continue
            }
            #expect(name == "exp" && detail.contains("between the years 2000 and 2200"))
        }
        #expect(error(payloadJSON(nbf: "1e400")) != nil)
    }

    @Test func aRepeatedSetIndexIsRefused() {
        let found = error(payloadJSON(extraSet: #", {"idx": 0, "svc_port_map": []}"#))
        #expect(
            found
                == .invalidValue(
                    field: "service_instance_configuration.svc_port_set_list[1].idx",
                    detail: "0 is the idx of an earlier port set too"))
    }

    @Test func stringsAreBoundedAndFreeOfControlCharacters() {
        let escape = #""auth\u001b]0;owned\u0007""#
        guard case .invalidValue(let name, let detail) = error(payloadJSON(service: escape)) else {
            Issue.record("escape in service decoded")
            return
        }
        #expect(name.hasSuffix("svc_port_map[0].service"))
        #expect(detail.contains("U+001B") && !detail.contains("\u{1B}"))
        let long = "\"" + String(repeating: "a", count: 5000) + "\""
        #expect(error(payloadJSON(setName: long)) != nil)
        #expect(error(payloadJSON(service: #""auth]\n  evil: 1""#)) != nil)
        // A URL with user information is not echoed with it.
        let found = error(payloadJSON(url: #""https://user:S3cr3tPW@""#))
        #expect(found != nil && found?.description.contains("S3cr3tPW") == false)
    }

    @Test func deepJSONIsAnErrorNotACrash() {
        let depth = 100_000
        let deep = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(error(deep) != nil)
    }

    @Test func specialFilesAreNotRead() {
        #expect(throws: TokenError.self) { try ClientToken.load(path: "/dev/zero") }
        #expect(throws: TokenError.self) { try ClientToken.load(path: "/tmp") }
        #expect(throws: TokenError.unreadable(path: "/nonexistent.tok", reason: "no such file")) {
            try ClientToken.load(path: "/nonexistent.tok")
        }
    }

    @Test func theProfileYAMLCannotBeInjectedThroughTheSourceName() throws {
        let token = try ClientToken.decode(unsignedToken(payloadJSON(setName: #""--DLS 1""#)))
        let source = "x.tok\nflows: []\n#"
        let profile = TokenProfile.profile(from: token, source: source)
        #expect(profile.destinations.map(\.name) == ["dls1"])
        let yaml = TokenProfile.yaml(profile, source: "t.tok")
        #expect(yaml.contains(#"title: "Licensed clients to the service instance of x.tok\nflows: []\n#""#))
        // The source name stays one value; the profile still has its flows.
        let reloaded = try? ProfileLoader().parse(yaml, file: "p.yaml")
        #expect(reloaded == nil || reloaded?.flows.count == 2)
        // Nor through the token file's name, which the header comment quotes.
        let named = TokenProfile.yaml(profile, source: source)
        #expect(named.contains("from-token x.tok\\u{A}flows: []\\u{A}#`"), "\(named)")
        #expect(named.split(separator: "\n").filter { $0.hasPrefix("flows:") }.count == 1, "\(named)")
    }
}
