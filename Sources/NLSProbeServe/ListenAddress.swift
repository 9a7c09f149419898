/// Where the exporter listens: an IP address and a port, loopback by default.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The default port: 9623.
    public static let defaultPort = 9623
    /// The default: 127.0.0.1:9623, reachable from this host only.
    public static let loopback = ListenAddress(host: "127.0.0.1", port: defaultPort)

    /// The IP address (IPv6 without brackets).
    public var host: String
    /// The TCP port (0 lets the system choose one).
    public var port: Int

    /// An address as it is.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses "127.0.0.1:9623", "0.0.0.0:9623" or "[::1]:9623". Host names are refused: the
    /// address bound must be the one the person wrote, not whatever a name resolves to.
    public init(parsing text: String) throws(ServeError) {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw .invalidListen(text)
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
            guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw .invalidListen(text)
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .invalidListen(text) }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            let parts = host.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4,
                parts.allSatisfy({ part in
                    (1...3).contains(part.count) && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
                        && (Int(part) ?? 256) <= 255
                })
            else {
                throw .invalidListen(text)
            }
        }
        guard (1...5).contains(port.count), port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port),
            number <= 65535
        else {
            throw .invalidListen(text)
        }
        self.init(host: String(host), port: number)
    }

    /// "127.0.0.1:9623", "[::1]:9623".
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
