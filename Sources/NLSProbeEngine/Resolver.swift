import Foundation
import NLSProbeCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Resolves host names with the system resolver (getaddrinfo, so /etc/hosts and
/// /etc/netns/NAME/hosts count), every address kept, bounded by a timeout.
public enum Resolver {
    /// Resolves every name at once; the result maps each name to its resolution.
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

    /// Resolves one name; an IP literal comes back as it is.
    public static func resolve(_ host: String, timeout: Double) async -> Resolution {
        if let literal = IPAddress(host) { return .literal(literal.description) }
        let started = Date()
        let once = Once()
        return await withCheckedContinuation { continuation in
            let worker = Thread {
                let outcome = lookup(host)
                guard once.claim() else { return }
                let ms = (Date().timeIntervalSince(started) * 10_000).rounded() / 10
                switch outcome {
                case .success(let addresses): continuation.resume(returning: .addresses(addresses, milliseconds: ms))
                case .failure(let reason):
                    continuation.resume(returning: .failed(reason: reason.text, milliseconds: ms))
                }
            }
            worker.stackSize = 256 * 1024
            worker.start()
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                guard once.claim() else { return }
                continuation.resume(
                    returning: .failed(
                        reason: "no answer from the resolver within \(Durations.format(timeout))",
                        milliseconds: timeout * 1000))
            }
        }
    }

    struct Failure: Error {
        let text: String
    }

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

    static func numericAddress(_ address: UnsafeMutablePointer<sockaddr>, length: socklen_t) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(address, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 else {
            return nil
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func explain(_ code: Int32, host: String) -> String {
        switch code {
        case EAI_NONAME: return "\(host) does not exist in DNS (NXDOMAIN or no such name)"
        case EAI_AGAIN: return "temporary DNS failure for \(host): the resolver did not answer or is unreachable"
        case EAI_FAIL: return "DNS failed for \(host): the resolver gave a non-recoverable error"
        case -5:  // EAI_NODATA, a GNU extension Swift does not import
            return "\(host) exists but has no IPv4 or IPv6 address"
        default: return "\(host) did not resolve: \(String(cString: gai_strerror(code)))"
        }
    }
}

/// A flag that lets exactly one of several racers resume a continuation.
final class Once: Sendable {
    private let taken = Mutex(false)

    /// True for the first caller only.
    func claim() -> Bool {
        taken.withLock { taken in
            defer { taken = true }
            return !taken
        }
    }
}

/// This host's interface addresses.
public enum LocalAddresses {
    /// Every IPv4 and IPv6 address configured on an interface (IPv6 link-local excluded:
    /// it cannot be bound without a scope).
    public static func current() -> [IPAddress] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return [] }
        defer { freeifaddrs(list) }
        var result: [IPAddress] = []
        var node = list
        while let entry = node {
            node = entry.pointee.ifa_next
            guard let address = entry.pointee.ifa_addr else { continue }
            let family = Int32(address.pointee.sa_family)
            let length =
                family == AF_INET
                ? socklen_t(MemoryLayout<sockaddr_in>.size) : socklen_t(MemoryLayout<sockaddr_in6>.size)
            guard family == AF_INET || family == AF_INET6, let text = Resolver.numericAddress(address, length: length),
                let ip = IPAddress(text), !(ip.isIPv6 && ip.bytes[0] == 0xfe && ip.bytes[1] & 0xc0 == 0x80),
                !result.contains(ip)
            else { continue }
            result.append(ip)
        }
        return result
    }
}
