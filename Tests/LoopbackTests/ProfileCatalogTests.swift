import Foundation
import NLSProbeCore
import NLSProbeRun
import TestSupport
import Testing

/// Profiles named on the command line: one file named twice, by any spelling, is one profile.
@Suite struct ProfileCatalogTests {
    static let yaml = """
        profile: catalog-test
        title: one file, many names
        sources:
          here: {}
        destinations:
          target:
            hosts: [127.0.0.1]
        flows:
          - {port: 9, protocol: tcp, direction: egress, from: here, to: target, expect: block}
        """

    @Test func oneFileNamedTwiceIsOneProfile() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write(Self.yaml, "catalog.yaml")
        let link = folder.url.appendingPathComponent("link.yaml").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        let roundabout = folder.url.appendingPathComponent("sub").path
        try FileManager.default.createDirectory(atPath: roundabout, withIntermediateDirectories: true)
        let profiles = try ProfileCatalog.load([path, link, roundabout + "/../catalog.yaml", path])
        #expect(profiles.map(\.name) == ["catalog-test"])
        #expect(profiles.first?.path == path)
    }

    @Test func twoFilesOfOneNameAreRefused() throws {
        let folder = try TemporaryFolder()
        let first = try folder.write(Self.yaml, "first.yaml")
        let second = try folder.write(Self.yaml, "second.yaml")
        #expect {
            try ProfileCatalog.load([first, second])
        } throws: { error in
            "\(error)".contains("is already used by \(first)")
        }
    }
}
