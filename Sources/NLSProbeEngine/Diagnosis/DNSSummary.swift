import NLSProbeCore

/// A resolver diagnosis in one line: "resolver 198.18.140.53 answered NXDOMAIN for x.lab.test (A
/// and AAAA)", "resolvers 10.0.0.2, 10.0.0.3 did not answer within 5 s".
enum DNSSummary {
    static func text(host: String, queries: [DNSQuery], servers: [String], wait: Double, hostsFile: Bool) -> String {
        let name = host.hasSuffix(".") ? String(host.dropLast()) : host
        var parts: [String] = []
        if hostsFile { parts.append("the hosts file lists \(name), but getaddrinfo found no address there") }
        // The name as given speaks for the server; search-domain names are added when they differ.
        let primary = queries.filter { $0.name == name }
        let silent = servers.filter { server in
            let own = primary.filter { $0.server == server }
            return !own.isEmpty && own.allSatisfy { $0.answer == .timeout }
        }
        if !silent.isEmpty {
            parts.append(
                "\(silent.count == 1 ? "resolver" : "resolvers") \(silent.joined(separator: ", ")) did not answer within \(Durations.format(wait))"
            )
        }
        for server in servers where !silent.contains(server) {
            let own = primary.filter { $0.server == server }
            guard !own.isEmpty else { continue }
            if own.allSatisfy({ $0.answer == .notSent }) {
                let why = Set(own.compactMap(\.error)).sorted().joined(separator: "; ")
                parts.append("resolver \(server) could not be asked: \(why.isEmpty ? "the query was not sent" : why)")
            } else {
                parts.append("resolver \(server) answered \(families(own, name: name))")
            }
        }
        let searched = Set(queries.map(\.name)).subtracting([name]).sorted()
        if !searched.isEmpty {
            let answers = Set(queries.filter { $0.name != name }.map { label($0.answer) }).sorted()
            parts.append(
                "search domains tried too (\(searched.joined(separator: ", ")): \(answers.joined(separator: ", ")))")
        }
        if queries.contains(where: { $0.answer == .addresses }) {
            parts.append(
                "a resolver gives addresses now: the failure was passing, or getaddrinfo asked other servers")
        }
        return parts.joined(separator: "; ")
    }

    /// "NXDOMAIN for x.test (A and AAAA)", "SERVFAIL (A), NOERROR with no address (AAAA) for x.test".
    static func families(_ queries: [DNSQuery], name: String) -> String {
        let a = queries.first { $0.family == "A" }
        let aaaa = queries.first { $0.family == "AAAA" }
        if let a, let aaaa, a.answer == aaaa.answer { return "\(label(a.answer)) for \(name) (A and AAAA)" }
        let each = [a, aaaa].compactMap { $0 }.map { "\(label($0.answer)) (\($0.family))" }
        return "\(each.joined(separator: ", ")) for \(name)"
    }

    static func label(_ answer: DNSAnswer) -> String {
        switch answer {
        case .addresses: return "addresses"
        case .nxdomain: return "NXDOMAIN"
        case .servfail: return "SERVFAIL"
        case .refused: return "REFUSED"
        case .noData: return "NOERROR with no address"
        case .timeout: return "no answer"
        case .unreachable: return "ICMP port unreachable (nothing listens on 53)"
        case .notSent: return "not sent (the query could not leave this host)"
        case .error: return "an unreadable or unusual answer"
        }
    }
}
