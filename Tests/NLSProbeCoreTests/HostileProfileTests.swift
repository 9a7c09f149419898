import Foundation
import Testing

@testable import NLSProbeCore

/// A profile with one flow of `port` from a source group of `subnets` subnets to `hosts` hosts.
func largeProfile(port: String, hosts: Int, subnets: Int = 0, name: String = "large") -> String {
    let hostList = (0..<hosts).map { "h\($0).example.test" }.joined(separator: ", ")
    let subnetList = (0..<subnets).map { "10.\($0 / 256).\($0 % 256).0/24" }.joined(separator: ", ")
    return """
        profile: \(name)
        title: Large
        sources:
          clients:
            subnets: [\(subnetList)]
        destinations:
          servers:
            hosts: [\(hostList)]
        flows:
          - port: "\(port)"
            protocol: tcp
            direction: egress
            from: clients
            to: servers

        """
}

/// Seconds `body` takes.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}

@Suite struct PlanLimitTests {
    @Test func aPortRangeTimesHostsTimesSubnetsIsRefusedWithTheCount() {
        // 65535 ports × 100 hosts × 20 subnets: 131,070,000 checks, counted, never expanded.
        let text = largeProfile(port: "1-65535", hosts: 100, subnets: 20)
        var caught: ProfileError?
        let elapsed = seconds {
            do throws(ProfileError) {
                _ = try parse(text)
            } catch {
                caught = error
            }
        }
        #expect(elapsed < 2)
        guard case .planTooLarge(let path, let count, let limit, let largest) = caught else {
            Issue.record("expected planTooLarge, got \(String(describing: caught))")
            return
        }
        #expect(path == "test.yaml")
        #expect(count == 131_070_000)
        #expect(limit == PlanLimits.defaultMaxChecks)
        #expect(largest?.line == 10)
        let message = caught?.description ?? ""
        #expect(
            message.contains(
                "expands to 131070000 checks, more than the limit of 100000; split the profile or raise the limit with --max-checks"
            ))
        #expect(message.contains("test.yaml:10:5: the largest flow (flow 1, port 1-65535 from clients to servers)"))
    }

    @Test func oneFlowOfEveryPortToAHundredHostsIsRefusedQuickly() {
        let elapsed = seconds {
            #expect(throws: ProfileError.self) { try parse(largeProfile(port: "1-65535", hosts: 100)) }
        }
        #expect(elapsed < 2)
    }

    @Test func theLimitCanBeRaisedAndThePlanIsCountedWithoutBuildingIt() throws {
        let text = largeProfile(port: "1-65535", hosts: 100)
        let profile = try ProfileLoader(maxChecks: 10_000_000).parse(text, file: "big.yaml")
        #expect(profile.checkCount() == 6_553_500)
        #expect(profile.checkCount(pathVariants: 2) == 13_107_000)
        #expect(throws: ProfileError.self) { try profile.checkPlanSize() }
        try profile.checkPlanSize(maxChecks: 6_553_500)
        let planner = Planner(profile: profile, localAddresses: [])
        let resolutions = Dictionary(
            uniqueKeysWithValues: (0..<100).map {
                ("h\($0).example.test", Resolution.addresses(["198.18.0.\($0)", "2001:db8::\($0)"], milliseconds: 1))
            })
        var count = 0
        let elapsed = seconds { count = planner.checkCount(resolutions: resolutions) }
        #expect(count == 13_107_000)
        #expect(elapsed < 2)
        #expect(throws: ProfileError.self) { try planner.checks(resolutions: resolutions, maxChecks: 1_000_000) }
        // The lazy sequence builds only what is walked.
        #expect(Array(planner.lazyChecks(resolutions: resolutions).prefix(3)).map(\.port) == [1, 1, 1])
    }

    @Test func atTheLimitIsAccepted() throws {
        let profile = try parse(largeProfile(port: "1-1000", hosts: 100))
        #expect(profile.checkCount() == 100_000)
        #expect(profile.flows[0].ports.count == 1000)
    }

    @Test func manyRangesWithNoPairsStillCountEveryPort() {
        // A flow between two groups sharing their only host has no pairs; its ports are still bounded.
        var flows = ""
        for _ in 0..<50 {
            flows += "  - {port: \"1-65535\", protocol: tcp, direction: egress, from: a, to: b}\n"
        }
        let text = """
            profile: pairs
            title: t
            destinations:
              a:
                hosts: [x.example.test]
              b:
                hosts: [x.example.test]
            flows:
            \(flows)
            """
        let elapsed = seconds {
            #expect(throws: ProfileError.self) { try parse(text) }
        }
        #expect(elapsed < 2)
    }

    @Test func countsSaturateInsteadOfTrapping() {
        #expect(PlanLimits.product(Int.max, 2) == Int.max)
        #expect(PlanLimits.sum(Int.max, 1) == Int.max)
        #expect(PlanLimits.describe(Int.max).hasPrefix("more than"))
        let hosts = (0..<3).map { "h\($0).test" }
        let profile = Profile(
            name: "p", title: "t", sources: [SourceGroup(name: "s")],
            destinations: [DestinationGroup(name: "d", hosts: hosts)],
            flows: [Flow(index: 0, ports: Array(1...10), proto: .tcp, from: "s", to: "d")])
        #expect(profile.checkCount(pathVariants: Int.max) == Int.max)
    }

    @Test func lazyAndEagerChecksAgree() throws {
        let profile = try parse(validProfile)
        let planner = Planner(profile: profile, localAddresses: [IPAddress("198.18.10.5")].compactMap { $0 })
        let resolutions: [String: Resolution] = ["cls.example.test": .addresses(["198.18.2.1"], milliseconds: 1)]
        let eager = planner.checks(resolutions: resolutions)
        #expect(Array(planner.lazyChecks(resolutions: resolutions)) == eager)
        #expect(planner.checkCount(resolutions: resolutions) == eager.count)
        #expect(try planner.checks(resolutions: resolutions, maxChecks: eager.count) == eager)
    }
}

@Suite struct ValidateScalingTests {
    @Test func aHundredThousandHostsValidateInBoundedTime() throws {
        let text = largeProfile(port: "443", hosts: 100_000)
        var profile: Profile?
        let elapsed = try seconds { profile = try parse(text) }
        #expect(profile?.destinations[0].hosts.count == 100_000)
        #expect(elapsed < 5, "validate took \(elapsed) s")
    }

    @Test func aDuplicateAmongManyHostsIsStillFound() {
        let text = largeProfile(port: "443", hosts: 20_000).replacingOccurrences(
            of: "h19999.example.test", with: "h5.example.test")
        let found = issues(text)
        #expect(found.map(\.message) == ["host 'h5.example.test' is listed twice in group 'servers'"])
    }

    @Test func aLongPortListIsCheckedForDuplicatesInBoundedTime() throws {
        let list = (1...65535).map(String.init).joined(separator: ", ")
        let text = validProfile.replacingOccurrences(of: "port: 443", with: "port: [\(list)]")
        var profile: Profile?
        let elapsed = try seconds { profile = try ProfileLoader(maxChecks: 1_000_000).parse(text, file: "t.yaml") }
        #expect(profile?.flows[0].ports.count == 65535)
        #expect(elapsed < 5, "took \(elapsed) s")
    }

    @Test func problemsAreCappedAndCounted() {
        let bad = (0..<500).map { "\"bad host \($0)\"" }.joined(separator: ", ")
        let text = validProfile.replacingOccurrences(of: "hosts: [cls.example.test]", with: "hosts: [\(bad)]")
        let found = issues(text)
        #expect(found.count == ProfileLimits.maxIssues + 1)
        #expect(found.last?.message.contains("more problems") == true)
    }

    @Test func unknownGroupListsAreBounded() {
        let groups = (0..<1000).map { "  g\($0):\n    hosts: [h\($0).test]" }.joined(separator: "\n")
        let text = """
            profile: many
            title: t
            destinations:
            \(groups)
            flows:
              - {port: 443, protocol: tcp, direction: egress, from: nowhere, to: g1}
            """
        let message = issues(text).first?.message ?? ""
        #expect(message.contains("names no group"))
        #expect(message.contains("(1000 groups)"))
        #expect(message.count < 300)
    }
}

@Suite struct FileNameSafetyTests {
    func profile(named name: String) -> String {
        validProfile.replacingOccurrences(of: "profile: lab-test", with: "profile: \(name)")
    }

    @Test func aTenThousandCharacterNameIsRefusedWhereItStands() {
        let found = issues(profile(named: String(repeating: "a", count: 10_000)))
        #expect(found.count == 1)
        #expect(found.first?.line == 1 && found.first?.column == 10)
        #expect(found.first?.message.contains("10000 characters long, more than 64") == true)
        #expect((found.first?.description.count ?? 0) < 200)
    }

    @Test func namesThatWouldBeAwkwardFileNamesAreRefused() throws {
        for name in ["-rf", "UPPER", "a.b", "a/b", "..", "\"a b\"", "\"caf\u{E9}\""] {
            #expect(issues(profile(named: name)).count == 1, "\(name)")
        }
        #expect(try parse(profile(named: String(repeating: "a", count: 64))).name.count == 64)
        #expect(issues(profile(named: String(repeating: "a", count: 65))).count == 1)
        #expect(ProfileLimits.isValidProfileName("dls-ha"))
        #expect(!ProfileLimits.isValidProfileName("../../tmp/x"))
    }

    @Test func groupNamesAreBounded() {
        let long = String(repeating: "g", count: 65)
        let text = validProfile.replacingOccurrences(of: "  anywhere: {}", with: "  \(long): {}")
        let found = issues(text)
        #expect(found.first?.message.contains("65 characters long") == true)
        #expect(!ProfileLimits.isValidGroupName(".hidden"))
        #expect(ProfileLimits.isValidGroupName("DLS_1.a-b"))
    }

    @Test func controlCharactersAreRefusedAndNeverEchoed() {
        let text = validProfile.replacingOccurrences(
            of: "title: Test profile", with: "title: \"Test\\e]0;pwned\\a profile\"")
        let found = issues(text)
        #expect(found.first?.message.contains("control character U+001B") == true)
        #expect(found.allSatisfy { !$0.description.contains("\u{1B}") })
    }

    @Test func hugeValuesAreEchoedAsShortExcerpts() {
        let huge = String(repeating: "x", count: 1_000_000)
        for text in [
            validProfile.replacingOccurrences(of: "protocol: tls", with: "protocol: \(huge)"),
            validProfile.replacingOccurrences(of: "hosts: [cls.example.test]", with: "hosts: [\"\(huge) y\"]"),
            validProfile.replacingOccurrences(of: "attempts: 3", with: "\(huge): 3"),
            validProfile.replacingOccurrences(of: "connect_timeout: 2s", with: "connect_timeout: \(huge)s"),
        ] {
            let found = issues(text)
            #expect(!found.isEmpty)
            #expect(found.allSatisfy { $0.description.count < 400 })
        }
    }
}

@Suite struct NumberBoundsTests {
    @Test func durationsAcceptOnlyPlainBoundedNumbers() {
        #expect(Durations.parse("1.5s") == 1.5)
        #expect(Durations.parse("500ms") == 0.5)
        #expect(Durations.parse("2m") == 120)
        for text in [
            "1e308s", "-1s", "nans", "infs", "NaNs", "+3s", "1.2.3s", ".s", "s", "3x", "-3", "\u{0663}s",
            String(repeating: "9", count: 400) + "s", "0x10s",
        ] {
            #expect(Durations.parse(text) == nil, "\(text)")
        }
    }

    @Test func durationsFormatAnyDoubleWithoutTrapping() {
        #expect(Durations.format(0.5) == "500 ms")
        #expect(Durations.format(3) == "3.0 s")
        #expect(Durations.format(-1e300) == "0 ms")
        #expect(Durations.format(.nan) == "0 ms")
        #expect(Durations.format(.infinity) == "0 ms")
        #expect(Durations.format(1e300).hasSuffix(" s"))
    }

    @Test func outOfRangeSettingsAreIssues() {
        let cases = [
            ("connect_timeout: 2s", "connect_timeout: 1e308s", "is not a duration"),
            ("connect_timeout: 2s", "connect_timeout: 601s", "out of range"),
            ("connect_timeout: 2s", "connect_timeout: 0s", "out of range"),
            ("attempts: 3", "attempts: 99999999999999999999", "attempts must be a whole number from 1 to 10"),
            ("attempts: 3", "attempts: -1", "attempts must be a whole number from 1 to 10"),
            ("port: 443", "port: 99999999999999999999", "is out of range; ports are 1-65535"),
            ("port: 443", "port: -443", "is not a port"),
            ("port: 443", "port: \"1-99999999999999999999\"", "is not a port range"),
        ]
        for (old, new, expected) in cases {
            let found = issues(validProfile.replacingOccurrences(of: old, with: new))
            #expect(found.count == 1 && found[0].message.contains(expected), "\(new): \(found)")
        }
    }

    @Test func deepNestingIsAnIssueNotACrash() {
        let depth = 200_000
        let text =
            "profile: x\ntitle: t\nflows: " + String(repeating: "[", count: depth)
            + String(repeating: "]", count: depth) + "\n"
        let found = issues(text)
        #expect(found.first?.message.contains("not valid YAML") == true)
    }

    @Test func aliasesDoNotMultiplyWork() {
        // A "billion laughs" shape: aliases of aliases, in a key nothing walks.
        var text = "profile: x\ntitle: t\ndestinations:\n  d:\n    hosts: [h.test]\nflows:\n"
        text += "  - &a {port: 443, protocol: tcp, direction: egress, from: d2, to: d}\n"
        text += "  - *a\n"
        let found = issues(text)
        #expect(found.count == 2 && found.allSatisfy { $0.message.contains("names no group") })
    }
}

@Suite struct ProfileFileTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("h2-\(UUID().uuidString)").path

    @Test func specialAndHugeFilesAreNotRead() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: ProfileError.unreadable(path: directory, reason: "it is a directory, not a regular file")) {
            try ProfileLoader().load(path: directory)
        }
        #expect(
            throws: ProfileError.unreadable(path: "/dev/zero", reason: "it is a character device, not a regular file")
        ) {
            try ProfileLoader().load(path: "/dev/zero")
        }
        let big = directory + "/big.yaml"
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: big))
        try handle.truncate(atOffset: UInt64(ProfileLoader.maxFileBytes + 1))
        try handle.close()
        do {
            _ = try ProfileLoader().load(path: big)
            Issue.record("read a file over the limit")
        } catch {
            #expect(error.description.contains("larger than the limit of \(ProfileLoader.maxFileBytes) bytes"))
        }
        #expect(throws: ProfileError.unreadable(path: directory + "/none", reason: "no such file")) {
            try ProfileLoader().load(path: directory + "/none")
        }
    }

    @Test func bytesThatAreNotUTF8AreRefused() {
        #expect(throws: ProfileError.unreadable(path: "b.yaml", reason: "the file is not UTF-8 text")) {
            try ProfileLoader().parse(data: Data([0x70, 0xFF, 0xFE]), file: "b.yaml")
        }
    }

    @Test func boundedReadsMatchTheFile() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/p.yaml"
        try Data(validProfile.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try BoundedFile.read(path: path, limit: 1 << 20) == Data(validProfile.utf8))
        #expect(throws: BoundedFile.Failure.self) { try BoundedFile.read(path: path, limit: 10) }
        #expect(try ProfileLoader().load(path: path).name == "lab-test")
    }
}
