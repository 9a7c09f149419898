import NLSProbeCore

/// Hints that name the device or resolver where a failed check stops, from its path trace or
/// resolver diagnosis; nil when the check carries neither (the general hint applies).
enum PathHints {
    static func hint(for check: CheckRecord) -> String? {
        let source = check.source.address ?? "the \(check.source.group) subnet"
        let destination = check.destination.address ?? check.destination.host
        let port = "\(check.flow.port)/tcp"
        if check.observed == .dnsFailed, let dns = check.evidence.dns {
            return
                "Make \(dns.servers.count == 1 ? "resolver" : "resolvers") \(dns.servers.joined(separator: ", ")) (from \(dns.resolvConf)) answer for \(check.destination.host) (with split-horizon DNS, the view for this subnet must know it), or point \(dns.resolvConf) at one that does; then run again."
        }
        guard let path = check.evidence.path else { return nil }
        let at = path.stopHop.map { hop in "hop \(hop)" + (path.stopAddress.map { " (\($0))" } ?? "") }
        switch path.stop {
        case .dropped:
            guard let address = path.stopAddress, let at else { return nil }
            return
                "The flow \(source) → \(destination) \(port) dies after \(at): the firewall between \(address) and \(destination) drops it silently. Open that rule there (and check the return route)."
        case .rejected:
            guard let at else { return nil }
            return
                "\(at.prefix(1).uppercased() + at.dropFirst()) rejects \(source) → \(destination) \(port) with an ICMP error: open the rule on that device."
        case .reset:
            guard let at, path.stopAddress != check.destination.address else {
                return
                    "A reset comes back once the probe gets past the last router that answers: \(destination) itself or a device right in front of it. Check the service listens on \(port); if it does, open \(source) → \(destination) \(port) on the device in front of it."
            }
            return
                "\(at.prefix(1).uppercased() + at.dropFirst()) answers \(source) → \(destination) \(port) with a forged reset (\(path.resetOrigin ?? "the reset's TTL shows it")): open the rule on that device."
        case .reachedDestination:
            return
                "The path is open: \(destination) \(port) answers the SYN, so no firewall drops the flow at the TCP level. The failure is above TCP: look for TLS inspection or SNI filtering on the path, or a service on this port that does not speak what the check expects."
        case .unknown:
            return nil
        }
    }
}
