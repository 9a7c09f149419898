import Foundation
import NLSFuzzing
import Testing

/// The fuzz targets in the test suite: every corpus file (Fuzz/Corpus/<target>/, crash inputs
/// included) is replayed through its decoder, then a seeded mutation run feeds each decoder
/// thousands of hostile variations. A typed error is a pass; a crash fails the test, names the
/// input and, for the mutation run, saves it as Fuzz/Corpus/<target>/crash-suite-<seed>-<n> so the
/// replay keeps it.
///
/// Each target runs in an exit test (a child process), so a crash fails one test instead of
/// ending the suite. `NLSPROBE_FUZZ_SECONDS` and `NLSPROBE_FUZZ_ITERATIONS` lengthen the mutation
/// run (defaults: 6 s or 4,000 inputs per target, whichever comes first); `NLSPROBE_FUZZ_SEED`
/// changes its seed.
@Suite(.serialized) struct FuzzTests {
    /// Fuzz/Corpus in this checkout.
    static let corpusRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus")

    /// The files of a target's corpus, by name.
    static func corpus(_ target: FuzzTarget) -> [(path: String, bytes: [UInt8])] {
        let folder = corpusRoot.appendingPathComponent(target.corpusFolder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().compactMap { name in
            let path = folder.appendingPathComponent(name).path
            return FileManager.default.contents(atPath: path).map { (path, Array($0)) }
        }
    }

    static func environment(_ name: String) -> String? { ProcessInfo.processInfo.environment[name] }

    /// A file for a child's stderr: the runtime's message, the backtrace and the crash input's name.
    static func logPath(_ test: String, _ target: FuzzTarget) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent(
            "nlsprobe-fuzz-\(test)-\(target.rawValue)-\(UUID().uuidString).log"
        ).path
    }

    /// Records what a crashed child wrote to stderr (the end of it) and removes the log.
    static func collect(_ log: String, passed: Bool, _ target: FuzzTarget) {
        defer { try? FileManager.default.removeItem(atPath: log) }
        guard !passed else { return }
        let text = FileManager.default.contents(atPath: log).map { String(decoding: $0.suffix(6_000), as: UTF8.self) }
        Issue.record("\(target.rawValue) crashed:\n\(text ?? "(no output)")")
    }

    @Test(arguments: FuzzTarget.allCases)
    func corpusReplays(_ target: FuzzTarget) async {
        #expect(Self.corpus(target).count >= 10, "the corpus of \(target.rawValue) is missing or small")
        let log = Self.logPath("replay", target)
        let result = await #expect(processExitsWith: .success) {
            [name = target.rawValue as String, log = log as String] in
            CrashGuard.redirectStandardError(to: log)
            guard let target = FuzzTarget(rawValue: name) else { exit(2) }
            CrashGuard.install()
            for (path, bytes) in FuzzTests.corpus(target) {
                CrashGuard.arm(bytes, label: path, saveTo: nil)
                target.run(bytes)
            }
            CrashGuard.disarm()
        }
        Self.collect(log, passed: result != nil, target)
    }

    @Test(arguments: FuzzTarget.allCases)
    func seededMutationsNeverCrash(_ target: FuzzTarget) async {
        let log = Self.logPath("mutations", target)
        let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
            [name = target.rawValue as String, log = log as String] in
            CrashGuard.redirectStandardError(to: log)
            guard let target = FuzzTarget(rawValue: name) else { exit(2) }
            FuzzTests.mutationRun(target)
        }
        if let result { print(String(decoding: result.standardOutputContent, as: UTF8.self), terminator: "") }
        Self.collect(log, passed: result != nil, target)
    }

    /// The seeded mutation run of one target; prints a figures line.
    static func mutationRun(_ target: FuzzTarget) {
        let seconds = environment("NLSPROBE_FUZZ_SECONDS").flatMap(Double.init) ?? 6
        let iterations = environment("NLSPROBE_FUZZ_ITERATIONS").flatMap(Int.init) ?? 4_000
        let index = FuzzTarget.allCases.firstIndex(of: target) ?? 0
        let seed = environment("NLSPROBE_FUZZ_SEED").flatMap { UInt64($0) } ?? (0x6E6C_7370_7266_7A00 + UInt64(index))
        let seeds = corpus(target).map(\.bytes)
        var pool = seeds.isEmpty ? [[]] : seeds
        var mutator = SeededMutator(seed: seed)
        let folder = corpusRoot.appendingPathComponent(target.corpusFolder).path
        let start = Date()
        var runs = 0
        var accepted = 0
        CrashGuard.install()
        while runs < iterations && Date().timeIntervalSince(start) < seconds {
            let parent = pool[mutator.below(pool.count)]
            let input = mutator.mutate(parent, corpus: seeds, maxLength: target.maxLength)
            CrashGuard.arm(
                input, label: "\(target.rawValue) mutation \(runs) of seed \(seed)",
                saveTo: "\(folder)/crash-suite-\(String(seed, radix: 16))-\(runs)")
            if target.run(input) {
                accepted += 1
                // Inputs the decoder accepts lead deeper: keep a few as parents.
                if pool.count < seeds.count + 64 { pool.append(input) } else { pool[mutator.below(pool.count)] = input }
            }
            runs += 1
        }
        CrashGuard.disarm()
        let elapsed = Date().timeIntervalSince(start)
        print(
            "fuzz-suite: target=\(target.rawValue) seed=\(seed) runs=\(runs) accepted=\(accepted) "
                + "seconds=\(String(format: "%.1f", elapsed)) crashes=0")
    }
}
