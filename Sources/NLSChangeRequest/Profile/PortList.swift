import NLSProbeCore

/// The ports of a table cell: a number ("443"), a list ("80, 443"), ranges ("8081-8085",
/// "8081–8085" as word processors write the dash, "8081 to 8085"), and any mix; "443/tcp" is 443.
public enum PortList {
    /// The ports as sorted, merged ranges, or a message saying what is wrong with the cell.
    public static func parse(_ text: String) -> Result<[ClosedRange<Int>], PortListError> {
        let expected =
            "write a port (443), a list (80, 443) or a range (8081-8085); ports are \(ProfileLimits.portsText)"
        var normalised = text.replacingOccurrences(of: "–", with: "-").replacingOccurrences(of: "—", with: "-")
        normalised = normalised.replacingOccurrences(of: " to ", with: "-", options: .caseInsensitive)
        normalised = normalised.replacingOccurrences(of: " and ", with: ",", options: .caseInsensitive)
        let tokens = normalised.split { ",;\n".contains($0) }.flatMap { piece in
            piece.split(whereSeparator: \.isWhitespace).map(String.init)
        }
        let joined = joinDashes(tokens)
        guard !joined.isEmpty else { return .failure(PortListError("the Port cell is empty; \(expected)")) }
        var ranges: [ClosedRange<Int>] = []
        for token in joined {
            var item = token
            let lower = item.lowercased()
            if lower.hasSuffix("/udp") {
                return .failure(
                    PortListError(
                        "'\(Excerpt.quote(token))' is a UDP port; nlsprobe checks TCP paths only: leave UDP rows out of the table it reads"
                    ))
            }
            if lower.hasSuffix("/tcp") { item = String(item.dropLast(4)) }
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            switch bounds.count {
            case 1:
                guard let port = number(bounds[0]) else {
                    return .failure(PortListError(notAPort(token, expected)))
                }
                guard ProfileLimits.ports.contains(port) else {
                    return .failure(PortListError("port \(port) is out of range; ports are \(ProfileLimits.portsText)"))
                }
                ranges.append(port...port)
            case 2:
                guard let low = number(bounds[0]), let high = number(bounds[1]) else {
                    return .failure(PortListError("'\(Excerpt.quote(token))' is not a port range; \(expected)"))
                }
                guard ProfileLimits.ports.contains(low), ProfileLimits.ports.contains(high) else {
                    return .failure(
                        PortListError(
                            "port range '\(low)-\(high)' is out of range; ports are \(ProfileLimits.portsText)"))
                }
                guard low <= high else {
                    return .failure(
                        PortListError(
                            "port range '\(low)-\(high)' runs backwards; write the lower port first (\(high)-\(low))"))
                }
                ranges.append(low...high)
            default:
                return .failure(PortListError("'\(Excerpt.quote(token))' is not a port range; \(expected)"))
            }
        }
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.lowerBound <= previous.upperBound {
            let port = next.lowerBound
            return .failure(PortListError("port \(port) is named twice in this cell; name each port once"))
        }
        return .success(merged(sorted))
    }

    /// Ranges merged where they touch: [80...80, 81...85] is [80...85].
    public static func merged(_ ranges: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        var out: [ClosedRange<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, range.lowerBound <= last.upperBound + 1 {
                out[out.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                out.append(range)
            }
        }
        return out
    }

    /// Sorted ports as merged ranges.
    public static func ranges(of ports: [Int]) -> [ClosedRange<Int>] {
        merged(ports.map { $0...$0 })
    }

    /// Ranges as a firewall team writes them: "80, 443, 8081-8085".
    public static func text(_ ranges: [ClosedRange<Int>]) -> String {
        ranges.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ", ")
    }

    /// Tokens with a lone "-" (from "8081 - 8085") joined to their neighbours.
    static func joinDashes(_ tokens: [String]) -> [String] {
        var out: [String] = []
        var pendingDash = false
        for token in tokens {
            if token == "-", !out.isEmpty {
                pendingDash = true
            } else if pendingDash, let last = out.popLast() {
                out.append(last + "-" + token)
                pendingDash = false
            } else if token.hasPrefix("-"), token.count > 1, let last = out.last, !last.contains("-") {
                out[out.count - 1] = last + token
            } else if token.hasSuffix("-"), token.count > 1 {
                out.append(token)
                pendingDash = false
            } else {
                if let last = out.last, last.hasSuffix("-") {
                    out[out.count - 1] = last + token
                } else {
                    out.append(token)
                }
            }
        }
        if pendingDash, let last = out.popLast() { out.append(last + "-") }
        return out
    }

    /// 1 to 6 ASCII digits.
    static func number(_ text: String) -> Int? {
        guard (1...6).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return nil
        }
        return Int(text)
    }

    static func notAPort(_ token: String, _ expected: String) -> String {
        if !token.isEmpty, token.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            return "port \(Excerpt.quote(token)) is out of range; ports are \(ProfileLimits.portsText)"
        }
        return "'\(Excerpt.quote(token))' is not a port; \(PortListError.expected)"
    }
}

/// What is wrong with a Port cell.
public struct PortListError: Error, Sendable, Equatable {
    /// The message, without a location.
    public var message: String

    static let expected =
        "write a port (443), a list (80, 443) or a range (8081-8085); ports are \(ProfileLimits.portsText)"

    init(_ message: String) { self.message = message }
}
