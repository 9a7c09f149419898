/// Limits on what a profile names and sets: names that reach file names, attempts, ports, and how
/// many problems are listed. The command line checks its options against the same limits.
public enum ProfileLimits {
    /// The longest profile identifier: it becomes part of report file names.
    public static let maxNameLength = 64
    /// The longest group name.
    public static let maxGroupNameLength = 64
    /// The most problems listed for one file; the rest are counted in a last line.
    public static let maxIssues = 100
    /// How many attempts a check may get: `attempts:` in a profile, `--attempts` on the command line.
    public static let attempts: ClosedRange<Int> = 1...10
    /// The TCP ports a flow (or a token, or a gridd.conf) may name.
    public static let ports: ClosedRange<Int> = 1...65535
    /// The profile identifier as a regular expression: what ``isValidProfileName(_:)`` accepts,
    /// and the `profile` pattern of the profile schema.
    public static let profileNamePattern = "^[a-z0-9][a-z0-9-]{0,63}$"

    /// A range as messages write it: "from 1 to 10".
    public static func describe(_ range: ClosedRange<Int>) -> String {
        "from \(range.lowerBound) to \(range.upperBound)"
    }

    /// A port range as messages write it: "1-65535".
    public static var portsText: String { "\(ports.lowerBound)-\(ports.upperBound)" }

    /// True for a profile identifier: 1 to `maxNameLength` of `a-z`, `0-9` and `-`, not starting
    /// with `-` (safe in a file name on every system).
    public static func isValidProfileName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...maxNameLength).contains(bytes.count), bytes[0] != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }

    /// True for a group name: 1 to `maxGroupNameLength` of `A-Za-z0-9._-`, starting with a letter or digit.
    public static func isValidGroupName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...maxGroupNameLength).contains(bytes.count) else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool {
            (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
        }
        return alphanumeric(bytes[0]) && bytes.allSatisfy { alphanumeric($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }
}
