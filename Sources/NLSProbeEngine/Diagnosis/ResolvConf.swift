import Foundation
import NLSProbeCore

/// What /etc/resolv.conf says, as glibc reads it: its nameservers (at most three), search list
/// (at most six domains) and options. Under `ip netns exec NAME`, /etc/resolv.conf is the
/// namespace's own (/etc/netns/NAME/resolv.conf is bind-mounted over it). Read bounded.
public struct ResolvConf: Sendable, Equatable {
    /// The file read.
    public var path: String
    /// Nameserver addresses, in order.
    public var servers: [String]
    /// Search domains, in order.
    public var search: [String]
    /// `options ndots:n` (default 1).
    public var ndots = 1

    /// The most bytes read.
    static let maxBytes = 64 * 1024

    /// Reads `path`; an unreadable file reads as empty (glibc then asks 127.0.0.1).
    public static func read(path: String = "/etc/resolv.conf") -> ResolvConf {
        let text =
            (try? BoundedFile.read(path: path, limit: maxBytes)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return parse(text, path: path)
    }

    /// Parses resolv.conf text.
    public static func parse(_ text: String, path: String) -> ResolvConf {
        var conf = ResolvConf(path: path, servers: [], search: [])
        for line in text.split(whereSeparator: \.isNewline).prefix(1000) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let key = words.first, !key.hasPrefix("#"), !key.hasPrefix(";") else { continue }
            switch key {
            case "nameserver":
                if words.count > 1, conf.servers.count < 3 {
                    let address = String(words[1].prefix { $0 != "%" })
                    if IPAddress(address) != nil { conf.servers.append(address) }
                }
            case "search", "domain":
                // The last search or domain line wins, as in glibc.
                conf.search = words.dropFirst().filter { $0.utf8.count <= 253 }.prefix(6).map {
                    $0.hasSuffix(".") ? String($0.dropLast()) : $0
                }
            case "options":
                for option in words.dropFirst() where option.hasPrefix("ndots:") {
                    if let value = Int(option.dropFirst(6)) { conf.ndots = min(max(value, 0), 15) }
                }
            default: continue
            }
        }
        return conf
    }

    /// The names getaddrinfo tries for `host`, in order: as it is first when it has at least
    /// `ndots` dots, else after the search domains; a name ending in "." only as it is.
    public func candidates(for host: String) -> [String] {
        if host.hasSuffix(".") { return [String(host.dropLast())] }
        let searched = search.map { "\(host).\($0)" }.filter { $0.utf8.count <= 253 }
        let dots = host.filter { $0 == "." }.count
        return dots >= ndots ? [host] + searched : searched + [host]
    }
}
