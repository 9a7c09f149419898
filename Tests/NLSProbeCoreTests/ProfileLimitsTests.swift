import Foundation
import Testing

@testable import NLSProbeCore

/// One source for every limit: the loader's messages and checks, and what the command line uses.
@Suite struct ProfileLimitsTests {
    @Test func theLimitsAndHowMessagesWriteThem() {
        #expect(ProfileLimits.attempts == 1...10)
        #expect(ProfileLimits.describe(ProfileLimits.attempts) == "from 1 to 10")
        #expect(ProfileLimits.portsText == "1-65535")
        #expect(Durations.maxSeconds == 600 && Durations.maxText == "10m")
        #expect(PlanLimits.leastMaxChecks == 1)
    }

    @Test func theNamePatternAcceptsWhatTheLoaderAccepts() throws {
        let pattern = try Regex(ProfileLimits.profileNamePattern)
        let names = [
            "cls", "dls-ha", "a", "0", "a-", String(repeating: "a", count: 64), String(repeating: "a", count: 65), "",
            "-a", "A", "a_b", "a.b", "../x", "é", "a b",
        ]
        for name in names {
            #expect(ProfileLimits.isValidProfileName(name) == (name.wholeMatch(of: pattern) != nil), "\(name)")
        }
    }

    @Test func theProfileSchemaUsesTheSamePattern() throws {
        let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Profiles/profile.schema.json").standardized
        let text = try String(contentsOf: schema, encoding: .utf8)
        #expect(text.contains(#""pattern": "\#(ProfileLimits.profileNamePattern)""#))
    }

    @Test func validateCountsWhatThePlannerCountsBeforeResolving() throws {
        let profile = try parse(validProfile)
        // Every source subnet local and every name resolved to one address: the planner's count is
        // the profile's own count (which `validate` prints).
        let planner = Planner(
            profile: profile, localAddresses: ["198.18.10.5", "198.18.11.5"].compactMap(IPAddress.init))
        let resolutions: [String: Resolution] = ["cls.example.test": .addresses(["198.18.2.1"], milliseconds: 1)]
        #expect(profile.checkCount() == 9)
        #expect(planner.checkCount(resolutions: resolutions) == profile.checkCount())
        #expect(planner.checks(resolutions: resolutions).count == profile.checkCount())
        #expect(profile.checkCount(pathVariants: 2) == 18)
    }
}
