import Foundation
import TestSupport
import Testing

/// The benchmark harness in quick mode, so it cannot rot: every tool runs, and W4's report holds
/// every planned check exactly once with its expected answer. The full mode runs on demand.
@Suite(.serialized, .enabled(if: LabPrivilege.canRun, LabPrivilege.skipReason))
struct BenchmarkHarnessTests {
    @Test func quickModeRuns() throws {
        let result = try ChildProcess.run(
            [
                "env", "NLSPROBE_BIN=\(nlsprobeExecutable)",
                repositoryRoot.appendingPathComponent("Benchmarks/run.sh").path, "--quick", "--repetitions", "1",
            ], allowFailure: true)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("w4: 600 checks, each exactly once, all as expected"))
        #expect(result.output.contains("w6: 20 dropped ports filtered, slow.bench dns-failed"))
        #expect(result.output.contains("w7: dls-ha: 10 checks run, all pass"))
        for row in [
            "| W1: 100 open TCP ports", "| W2: 50 dropped ports", "| W3: 40 TLS handshakes", "| W4: 600 checks",
            "| W1 with the default flags", "| W5: W2 with the default flags", "| W6: 20 dropped ports",
            "| W7: built-in `cls`", "| W7: built-in `dls`", "| W7: built-in `dls-ha`",
        ] {
            #expect(result.output.contains(row), "missing \(row)")
        }
        #expect(!result.output.contains("| nan"), "a tool did not run: \(result.output)")
    }
}
