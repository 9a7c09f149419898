import NLSProbeCore

/// What a change did to the matrix, cell by cell.
///
/// A cell (``CellIdentity``) is a source group and subnet, a destination host, a protocol and
/// port, and a path; it holds one check per address the name resolved to. Cells are matched
/// between the reports, never single checks: a name that moves to other addresses, or a probe
/// host with a new address in the same subnet, is still the same cell. Within a cell, checks are
/// paired by destination address where both reports have it; addresses only one report has are
/// reported as the address change they are.
public struct ReportDiff: Codable, Sendable, Equatable {
    /// The class of a cell's change, worst first.
    public enum Change: String, Codable, Sendable, CaseIterable {
        /// The cell did not fail before and fails now (or one of its addresses did not fail and
        /// fails now). `diff` exits 1.
        case regression
        /// The cell fails now and was not measured before (absent, or skipped). `diff` exits 1.
        case newFailure = "new-failure"
        /// The cell was measured before and not after (absent, or skipped: its source group was not
        /// run). `diff` exits 2 when nothing regressed: the change cannot be called safe for it.
        case notMeasured = "not-measured"
        /// The cell was measured before and is inconclusive now. `diff` exits 2 when nothing regressed.
        case inconclusive
        /// The cell failed before and passes now.
        case fixed
        /// Same verdict, but an observation, a verdict of one address or the addresses moved.
        case changed
        /// Not measured before, measured now without failing (or skipped now).
        case added
        /// Only in the before report, where it was not measured either.
        case removed
        /// Nothing moved.
        case unchanged

        /// The words the Markdown uses ("new failure").
        public var words: String { rawValue.replacingOccurrences(of: "-", with: " ") }
    }

    /// What the whole comparison says, and the exit status `diff` gives it.
    public enum Outcome: String, Codable, Sendable {
        /// A regression or a new failure: exit 1.
        case regression
        /// Nothing regressed, but a cell measured before was not measured after, or is inconclusive: exit 2.
        case inconclusive
        /// Every cell measured before was measured after and none regressed: exit 0.
        case noRegression = "no-regression"
    }

    /// One destination address of a cell: its check before and after.
    public struct AddressEntry: Codable, Sendable, Equatable {
        /// What happened to the address.
        public enum Status: String, Codable, Sendable {
            /// Not failing before, failing now.
            case regression
            /// Failing before, passing now.
            case fixed
            /// The verdict or the observation moved.
            case changed
            /// Nothing moved.
            case unchanged
            /// Only in the after report: the name resolves to it now (or stopped resolving).
            case new
            /// Only in the before report.
            case gone
        }

        /// The destination address; nil when the name did not resolve or a proxy resolved it.
        public var address: String?
        /// What happened to it.
        public var status: Status
        /// Verdict and observation before ("pass (open)").
        public var before: String?
        /// Verdict and observation after.
        public var after: String?
        /// The source address after (before, for a gone address).
        public var sourceAddress: String?
        /// The after (before, for a gone address) reason.
        public var reason: String
    }

    /// One cell's change.
    public struct Entry: Codable, Sendable, Equatable {
        /// The cell as one line ("clients 10.10.20.0/24 -> cls api.cls.licensing.nvidia.com tls/443").
        public var id: String
        /// The cell's fields.
        public var cell: CellIdentity
        /// The class of change.
        public var change: Change
        /// The cell's verdict and observations before ("pass (open ×2)"); nil when absent.
        public var before: String?
        /// The cell's verdict and observations after; nil when absent.
        public var after: String?
        /// The address change in words ("now resolves to 198.18.0.3 instead of 198.18.0.2; the new
        /// one 198.18.0.3 passes"); nil when the addresses did not move.
        public var addresses: String?
        /// Why: the failing check's reason, the skip reason, or what is missing.
        public var reason: String
        /// The cell's checks, paired by address.
        public var checks: [AddressEntry]
    }

    /// The profile compared.
    public var profile: String
    /// The before report's file.
    public var beforeFile: String
    /// The after report's file.
    public var afterFile: String
    /// When the before run started.
    public var beforeStarted: String
    /// When the after run started.
    public var afterStarted: String
    /// The host of the before run.
    public var beforeHost: String
    /// The host of the after run.
    public var afterHost: String
    /// What the comparison says.
    public var outcome: Outcome
    /// Cells by class (every class present, zero included).
    public var counts: [String: Int]
    /// Every cell, worst change first.
    public var entries: [Entry]

    /// Compares two reports cell by cell. Reports of different profiles, or of different versions
    /// of one profile, are refused unless `allowProfileChange`; `files` name them in messages.
    public static func compare(
        _ before: Report, _ after: Report, allowProfileChange: Bool = false,
        files: (before: String, after: String) = ("before", "after")
    ) throws(CompareError) -> ReportDiff {
        let origins = (ReportOrigin(file: files.before, before), ReportOrigin(file: files.after, after))
        guard allowProfileChange || origins.0.sameProfile(as: origins.1) else {
            throw .differentProfiles(origins.0, origins.1)
        }
        let entries = CellPairing(before: before, after: after).pairs.map(CellComparison.entry)
        let order = Change.allCases
        let sorted = entries.enumerated().sorted {
            let left = order.firstIndex(of: $0.element.change) ?? 0
            let right = order.firstIndex(of: $1.element.change) ?? 0
            return (left, $0.offset) < (right, $1.offset)
        }.map(\.element)
        var counts: [String: Int] = [:]
        for change in Change.allCases { counts[change.rawValue] = sorted.filter { $0.change == change }.count }
        let outcome: Outcome
        if sorted.contains(where: { $0.change == .regression || $0.change == .newFailure }) {
            outcome = .regression
        } else if sorted.contains(where: { $0.change == .notMeasured || $0.change == .inconclusive }) {
            outcome = .inconclusive
        } else {
            outcome = .noRegression
        }
        return ReportDiff(
            profile: after.profile.name, beforeFile: files.before, afterFile: files.after,
            beforeStarted: before.run.started, afterStarted: after.run.started, beforeHost: before.run.host,
            afterHost: after.run.host, outcome: outcome, counts: counts, entries: sorted)
    }

    /// True when a cell regressed or a new one fails (`diff` exits 1).
    public var hasRegression: Bool { outcome == .regression }

    /// True when nothing regressed but a cell measured before was not measured after, or is
    /// inconclusive now (`diff` exits 2).
    public var isInconclusive: Bool { outcome == .inconclusive }
}
