import Foundation
import NLSProbeCore

/// Whether the hosts file lists a name (getaddrinfo answers from it before DNS when nsswitch.conf
/// says "files dns", as it usually does). Under `ip netns exec NAME`, /etc/hosts is the
/// namespace's own. Read bounded.
enum HostsFile {
    /// The most bytes read.
    static let maxBytes = 1024 * 1024

    /// The addresses the hosts file at `path` gives `host` (empty when it does not list it).
    static func addresses(of host: String, path: String = "/etc/hosts") -> [String] {
        guard let data = try? BoundedFile.read(path: path, limit: maxBytes) else { return [] }
        return addresses(of: host, in: String(decoding: data, as: UTF8.self))
    }

    /// The addresses `text` (hosts file syntax) gives `host`.
    static func addresses(of host: String, in text: String) -> [String] {
        let wanted = (host.hasSuffix(".") ? String(host.dropLast()) : host).lowercased()
        var found: [String] = []
        for line in text.split(whereSeparator: \.isNewline).prefix(100_000) {
            let content = line.prefix { $0 != "#" }
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count > 1, IPAddress(String(words[0])) != nil else { continue }
            if words.dropFirst().contains(where: { $0.lowercased() == wanted }) { found.append(String(words[0])) }
        }
        return found
    }
}
