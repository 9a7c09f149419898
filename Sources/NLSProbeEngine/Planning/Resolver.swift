internal import CSocket
import Foundation
import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// Resolves host names with the system resolver (getaddrinfo, so /etc/hosts and
/// /etc/netns/NAME/hosts count), every address kept, bounded by a timeout, on a bounded pool of
/// threads (`ResolverPool`).
public enum Resolver {
    /// Resolves every name, in parallel on the shared `ResolverPool`; the result maps each name to
    /// its resolution.
    public static func resolveAll(_ hosts: [String], timeout: Double) async -> [String: Resolution] {
        await withTaskGroup(of: (String, Resolution).self) { group in
            for host in hosts {
                group.addTask { (host, await resolve(host, timeout: timeout)) }
            }
            var result: [String: Resolution] = [:]
            for await (host, resolution) in group { result[host] = resolution }
            return result
        }
    }

    /// Resolves one name on the shared `ResolverPool`; an IP literal comes back as it is.
    public static func resolve(_ host: String, timeout: Double) async -> Resolution {
        await ResolverPool.shared.resolve(host, timeout: timeout)
    }

    /// Why a name did not resolve, in words.
    struct Failure: Error {
        /// The reason, for the report.
        let text: String
    }

    /// Asks getaddrinfo for every address of `host` (blocking), each once, in its order.
    static func lookup(_ host: String) -> Result<[String], Failure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, nil, &hints, &list)
        guard rc == 0 else { return .failure(Failure(text: explain(rc, host: host))) }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var node = list
        while let entry = node {
            if let address = entry.pointee.ai_addr,
                let text = numericAddress(address, length: entry.pointee.ai_addrlen),
                !addresses.contains(text)
            {
                addresses.append(text)
            }
            node = entry.pointee.ai_next
        }
        return addresses.isEmpty ? .failure(Failure(text: "\(host) has no IPv4 or IPv6 address")) : .success(addresses)
    }

    /// The numeric text of a socket address; nil when getnameinfo cannot give one.
    static func numericAddress(_ address: UnsafeMutablePointer<sockaddr>, length: socklen_t) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(address, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 else {
            return nil
        }
        return CText.string(buffer)
    }

    /// A getaddrinfo error code in words, naming the host.
    static func explain(_ code: Int32, host: String) -> String {
        switch code {
        case EAI_NONAME: return "\(host) does not exist in DNS (NXDOMAIN or no such name)"
        case EAI_AGAIN: return "temporary DNS failure for \(host): the resolver did not answer or is unreachable"
        case EAI_FAIL: return "DNS failed for \(host): the resolver gave a non-recoverable error"
        case nls_eai_nodata:
            return "\(host) exists but has no IPv4 or IPv6 address"
        default: return "\(host) did not resolve: \(String(cString: gai_strerror(code)))"
        }
    }
}
