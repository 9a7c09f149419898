import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

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
