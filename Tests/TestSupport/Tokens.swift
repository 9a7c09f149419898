import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Client configuration tokens made at test time: compact JWS signed RS256 with a key made for
/// the test (nlsprobe does not verify the signature; the tokens are real JWS all the same).
public final class TokenFactory: Sendable {
    /// The RSA key the tokens are signed with.
    public let key: String

    /// Makes the key.
    public init() throws {
        key =
            FileManager.default.temporaryDirectory.appendingPathComponent("nlsprobe-token-\(UUID().uuidString).key")
            .path
        _ = try Self.openssl(["genrsa", "-out", key, "2048"], input: Data())
    }

    deinit { try? FileManager.default.removeItem(atPath: key) }

    /// base64url without padding.
    public static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Runs openssl with input on stdin; returns stdout.
    public static func openssl(_ arguments: [String], input: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        guard let status = ChildProcess.waitForExit(process, timeout: 10), status == 0 else {
            throw TestSetupError("\(process.arguments?.joined(separator: " ") ?? "openssl") failed")
        }
        return output
    }

    /// A signed token for the payload.
    public func token(_ payload: Any) throws -> String {
        let header = try JSONSerialization.data(withJSONObject: ["alg": "RS256", "typ": "JWT"])
        let body = try JSONSerialization.data(withJSONObject: payload)
        let signingInput = Self.base64url(header) + "." + Self.base64url(body)
        let signature = try Self.openssl(["dgst", "-sha256", "-sign", key], input: Data(signingInput.utf8))
        return signingInput + "." + Self.base64url(signature)
    }

    /// The payload shape of docs/NLS-FACTS.md (facts F16-F19), with nodes and port sets to taste.
    public static func payload(
        nodes: [(String, Int)] = [("dls.example.test", 0)],
        sets: [(Int, String, [(String, Int)])] = [(0, "DLS", [("auth", 443), ("lease", 443)])],
        exp: Double = Date().timeIntervalSince1970 + 86_400, nbf: Double = Date().timeIntervalSince1970 - 60
    ) -> [String: Any] {
        [
            "iss": "NLS Service Instance", "aud": "NLS Licensed Client", "iat": nbf, "nbf": nbf, "exp": exp,
            "protocol_version": "2.0", "update_mode": "ABSOLUTE", "scope_ref_list": [UUID().uuidString],
            "fulfillment_class_ref_list": [Any](),
            "service_instance_configuration": [
                "nls_service_instance_ref": "b43d6e46-d6d0-4943-8b8d-c66a5f6ff8c0",
                "svc_port_set_list": sets.map { set in
                    [
                        "idx": set.0, "d_name": set.1,
                        "svc_port_map": set.2.map { ["service": $0.0, "port": $0.1] as [String: Any] },
                    ] as [String: Any]
                },
                "node_url_list": nodes.enumerated().map { index, node in
                    ["idx": index, "url": node.0, "url_qr": node.0, "svc_port_set_idx": node.1] as [String: Any]
                },
            ] as [String: Any],
            "service_instance_public_key_configuration": [
                "service_instance_public_key_me": ["mod": "00", "exp": 65537]
            ],
        ]
    }
}
