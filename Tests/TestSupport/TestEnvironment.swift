import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Tests that need root (network namespaces, nftables, raw capture) skip with this reason when
/// run without it, except under CI=true, where they must run (and fail loudly if they cannot).
public enum LabPrivilege {
    /// True when the tests run as root.
    public static var isRoot: Bool { getuid() == 0 }
    /// True under CI=true.
    public static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    /// True when root tests run: as root, or under CI (where they must).
    public static var canRun: Bool { isRoot || inCI }
    /// Why a root test was skipped, and how to run it.
    public static let skipReason: Comment =
        "needs root for network namespaces and nftables: run the suite as root (sudo scripts/test.sh)"
}

/// The nlsprobe executable built next to the test bundle.
public var nlsprobeExecutable: String {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("nlsprobe").path
}

/// The root of the repository the tests were built from.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
    "../.."
)
.standardized
