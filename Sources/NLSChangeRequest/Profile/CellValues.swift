import NLSProbeCore

/// The words a change request writes in its Protocol, Eg-/Ingress and Expect cells.
enum CellValues {
    /// What a Protocol cell says: the protocol, and whether TCP was written (so that the ports of
    /// `--tls-ports` are checked with TLS).
    struct ProtocolValue: Equatable {
        var proto: FlowProtocol
        var tcpMayBeTLS: Bool
    }

    /// "TCP", "TLS", "HTTPS", "HTTP", and combinations such as "TLS, TCP" (TLS over TCP, as
    /// NVIDIA's tables write it: checked as TCP unless the port is in `--tls-ports`).
    static func parseProtocol(_ text: String) -> Result<ProtocolValue, PortListError> {
        let words = text.lowercased().split { ",/+;&".contains($0) || $0.isWhitespace }.map(String.init)
            .filter { !["and", "over", "or"].contains($0) }
        guard !words.isEmpty else {
            return .failure(PortListError("the Protocol cell is empty; write TCP, TLS, HTTPS or HTTP"))
        }
        var found = Set<FlowProtocol>()
        for word in words {
            switch word {
            case "tcp": found.insert(.tcp)
            case "tls", "ssl", "tls1.2", "tls1.3": found.insert(.tls)
            case "https": found.insert(.https)
            case "http": found.insert(.http)
            case "udp":
                return .failure(
                    PortListError(
                        "UDP cannot be checked: nlsprobe checks TCP paths only; leave UDP rows out of the table it reads"
                    ))
            default:
                let hint = NameSuggestion.closest(word, in: ["tcp", "tls", "https", "http"]).map {
                    " (did you mean \($0.uppercased())?)"
                }
                return .failure(
                    PortListError(
                        "'\(Excerpt.quote(word))' is not a protocol nlsprobe checks\(hint ?? ""); write TCP, TLS, HTTPS or HTTP"
                    ))
            }
        }
        let applications = found.subtracting([.tcp, .tls])
        if applications.count > 1 {
            return .failure(
                PortListError("'\(Excerpt.quote(text))' names both HTTP and HTTPS; write one protocol per row"))
        }
        if let application = applications.first {
            return .success(ProtocolValue(proto: application, tcpMayBeTLS: false))
        }
        if found == [.tls] { return .success(ProtocolValue(proto: .tls, tcpMayBeTLS: false)) }
        return .success(ProtocolValue(proto: .tcp, tcpMayBeTLS: true))
    }

    /// "Egress", "Ingress", "Outbound", "Inbound", "Out", "In".
    static func parseDirection(_ text: String) -> Result<Direction, PortListError> {
        switch text.lowercased().trimmingCharacters(in: .whitespaces) {
        case "egress", "outbound", "out", "outgoing", "eg": return .success(.egress)
        case "ingress", "inbound", "in", "incoming": return .success(.ingress)
        case "": return .failure(PortListError("the Eg-/Ingress cell is empty; write Egress or Ingress"))
        default:
            let hint = NameSuggestion.closest(text.lowercased(), in: ["egress", "ingress"]).map {
                " (did you mean \($0.capitalized)?)"
            }
            return .failure(
                PortListError("'\(Excerpt.quote(text))' is not a direction\(hint ?? ""); write Egress or Ingress"))
        }
    }

    /// "allow", "permit", "accept", "open", "yes"; "block", "deny", "drop", "reject", "closed", "no";
    /// an empty cell is allow.
    static func parseExpect(_ text: String) -> Result<Expectation, PortListError> {
        switch text.lowercased().trimmingCharacters(in: .whitespaces) {
        case "", "allow", "allowed", "permit", "accept", "open", "yes", "required": return .success(.allow)
        case "block", "blocked", "deny", "denied", "drop", "reject", "closed", "close", "no": return .success(.block)
        default:
            return .failure(
                PortListError(
                    "'\(Excerpt.quote(text))' is not an expectation; write allow or block (or leave it empty: allow)"))
        }
    }

    /// The services of a Service cell: separated by ',', ';' or line breaks.
    static func services(_ text: String) -> [String] {
        text.split { ",;\n".contains($0) }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
