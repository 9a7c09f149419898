import Foundation
import Testing

@testable import NLSProbeCore

/// `placeholder: true` on a group, and durations as the command line and profiles write them.
@Suite struct PlaceholderAndDurationTests {
    @Test func placeholderGroupsAreReadAndWarnedAbout() throws {
        let text =
            validProfile
            .replacingOccurrences(
                of: "    subnets: [198.18.10.0/24, 198.18.11.0/24]\n",
                with: "    subnets: [198.18.10.0/24, 198.18.11.0/24]\n    placeholder: true\n"
            )
            .replacingOccurrences(
                of: "    hosts: [cls.example.test]\n", with: "    hosts: [cls.example.test]\n    placeholder: true\n")
        let profile = try parse(text)
        #expect(profile.source(named: "clients")?.placeholder == true)
        #expect(profile.source(named: "anywhere")?.placeholder == false)
        #expect(profile.destination(named: "cls")?.placeholder == true)
        let warnings = profile.placeholderWarnings
        #expect(warnings.count == 2)
        #expect(
            warnings[0].hasPrefix(
                "source group 'clients' in test.yaml still has its placeholder subnets (198.18.10.0/24"))
        #expect(
            warnings[1].hasPrefix(
                "destination group 'cls' in test.yaml still has its placeholder hosts (cls.example.test)"))
        #expect(try parse(validProfile).placeholderWarnings.isEmpty)
    }

    @Test func placeholderMustBeABoolean() {
        let text = validProfile.replacingOccurrences(
            of: "    hosts: [cls.example.test]\n", with: "    hosts: [cls.example.test]\n    placeholder: maybe\n")
        let found = issues(text)
        #expect(found.count == 1 && found[0].message.hasPrefix("placeholder must be true or false"), "\(found)")
        #expect(found.first?.line == 10)
    }

    @Test func shippedProfilesAreMarked() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Profiles")
        for name in ["dls", "dls-ha"] {
            let profile = try ProfileLoader().load(path: root.appendingPathComponent("\(name).yaml").path)
            #expect(profile.placeholderWarnings.count == 2, "\(name)")
        }
        let cls = try ProfileLoader().load(path: root.appendingPathComponent("cls.yaml").path)
        #expect(cls.placeholderWarnings.isEmpty)
    }

    @Test func commandLineDurations() throws {
        #expect(try Durations.parse(option: "--x", "500ms") == 0.5)
        #expect(try Durations.parse(option: "--x", "5s") == 5)
        #expect(try Durations.parse(option: "--x", "2m") == 120)
        #expect(try Durations.parse(option: "--x", "1h") == 3600)
        #expect(try Durations.parse(option: "--x", "7") == 7)
        #expect(throws: DurationError.negative(option: "--x", text: "-1")) { try Durations.parse(option: "--x", "-1") }
        #expect(throws: DurationError.zero(option: "--x")) { try Durations.parse(option: "--x", "0") }
        #expect(try Durations.parse(option: "--x", "0", allowZero: true) == 0)
        #expect(throws: DurationError.tooLong(option: "--x", text: "1h", maximum: 600)) {
            try Durations.parse(option: "--x", "1h", maximum: 600)
        }
        #expect(throws: DurationError.malformed(option: "--x", text: "5 minutes")) {
            try Durations.parse(option: "--x", "5 minutes")
        }
        #expect(DurationError.negative(option: "--x", text: "-1").description.contains("is negative"))
    }

    @Test func profileDurationsTakeBareSecondsAndRefuseNegatives() throws {
        let bare = try parse(validProfile.replacingOccurrences(of: "connect_timeout: 2s", with: "connect_timeout: 2"))
        #expect(bare.defaults.connectTimeout == 2)
        let negative = issues(
            validProfile.replacingOccurrences(of: "connect_timeout: 2s", with: "connect_timeout: -2s"))
        #expect(negative.count == 1 && negative[0].message.contains("is negative"), "\(negative)")
    }
}
