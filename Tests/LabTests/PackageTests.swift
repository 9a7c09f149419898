import Foundation
import TestSupport
import Testing

/// The scratch folder the tests were built in (`.build`), found from the test bundle's path.
let buildScratch = URL(fileURLWithPath: nlsprobeExecutable).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Where `swift package plugin generate-manual --multi-page` wrote the pages (scripts/test.sh runs
/// it after the build; scripts/package-deb.sh runs it itself).
let generatedManPages = buildScratch.appendingPathComponent("plugins/GenerateManual/outputs/nlsprobe")

let manPagesGenerated = FileManager.default.fileExists(
    atPath: generatedManPages.appendingPathComponent("nlsprobe.1").path)

/// One command of the command tree `nlsprobe --experimental-dump-help` prints.
struct DumpedCommand: Decodable {
    struct Name: Decodable {
        var kind: String
        var name: String
    }
    struct Argument: Decodable {
        var kind: String
        var names: [Name]?
        var valueName: String?
        var shouldDisplay: Bool
    }
    var commandName: String
    var arguments: [Argument]?
    var subcommands: [DumpedCommand]?
    var shouldDisplay: Bool?
}

/// The Debian package and the man pages: built from this build's (debug) binary, as the release
/// build takes minutes; scripts/package-deb.sh without --binary packages the stripped release
/// binary. dpkg-deb, lintian (Debian's), and the pages against the command definitions.
@Suite(.serialized) struct PackageTests {
    let scratch: TemporaryFolder
    init() throws { scratch = try TemporaryFolder() }

    /// Every command with its page name: nlsprobe, nlsprobe.run, nlsprobe.token.inspect, …
    func commands() throws -> [(page: String, command: DumpedCommand)] {
        struct Dump: Decodable { var command: DumpedCommand }
        let json = try ChildProcess.run([nlsprobeExecutable, "--experimental-dump-help"]).output
        let root = try JSONDecoder().decode(Dump.self, from: Data(json.utf8)).command
        var out: [(String, DumpedCommand)] = []
        func walk(_ command: DumpedCommand, _ page: String) {
            out.append((page, command))
            for sub in command.subcommands ?? [] where sub.shouldDisplay != false {
                walk(sub, page + "." + sub.commandName)
            }
        }
        walk(root, root.commandName)
        return out
    }

    @Test(.enabled(if: manPagesGenerated || LabPrivilege.inCI, "run swift package plugin generate-manual first"))
    func everySubcommandHasAPageNamingEachOfItsOptions() throws {
        let commands = try commands()
        #expect(commands.count > 10)
        for (page, command) in commands {
            let url = generatedManPages.appendingPathComponent(page + ".1")
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                Issue.record("no man page \(page).1 for '\(page.replacingOccurrences(of: ".", with: " "))'")
                continue
            }
            for argument in command.arguments ?? [] where argument.shouldDisplay {
                if argument.kind == "positional" {
                    let value = argument.valueName ?? ""
                    #expect(text.contains("Ar \(value)"), "\(page).1 does not mention <\(value)>")
                    continue
                }
                for name in argument.names ?? [] {
                    let flag = name.kind == "long" ? "Fl -\(name.name)" : "Fl \(name.name)"
                    #expect(text.contains(flag), "\(page).1 does not mention \(flag)")
                }
            }
        }
    }

    /// `systemd-analyze verify` on the package's audit units, pointed at this build's binary (it
    /// checks that the binary exists).
    func verifyUnits(deb: String) throws {
        let folder = scratch.url.appendingPathComponent("units")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for unit in ["nlsprobe-audit.service", "nlsprobe-audit.timer"] {
            let text = try ChildProcess.run([
                "sh", "-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -xO ./lib/systemd/system/\(unit)", deb,
            ]).output.replacingOccurrences(of: "/usr/bin/nlsprobe", with: nlsprobeExecutable)
            try text.write(to: folder.appendingPathComponent(unit), atomically: true, encoding: .utf8)
        }
        let result = try ChildProcess.run(
            [
                "systemd-analyze", "verify", "--man=no", folder.appendingPathComponent("nlsprobe-audit.timer").path,
                folder.appendingPathComponent("nlsprobe-audit.service").path,
            ], allowFailure: true)
        let problems = result.output.split(separator: "\n").filter { $0.contains("nlsprobe-audit") }
        #expect(result.status == 0 && problems.isEmpty, "\(result.output)")
    }

    @Test(.enabled(if: manPagesGenerated || LabPrivilege.inCI, "run swift package plugin generate-manual first"))
    func theDebianPackageHasTheLayoutAndPassesLintian() throws {
        let output = scratch.url.appendingPathComponent("dist").path
        let built = try ChildProcess.run(
            [
                repositoryRoot.appendingPathComponent("scripts/package-deb.sh").path, "--binary", nlsprobeExecutable,
                "--man-dir", generatedManPages.path, "--output", output,
            ], timeout: 300)
        let deb = built.output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(deb.hasSuffix(".deb") && FileManager.default.fileExists(atPath: deb), "\(built.output)")

        let listing = try ChildProcess.run(["dpkg-deb", "-c", deb]).output
        let files = Set(
            listing.split(separator: "\n").compactMap { $0.split(separator: " ").last.map { String($0.dropFirst()) } })
        var expected = [
            "/usr/bin/nlsprobe", "/usr/share/nlsprobe/profiles/cls.yaml", "/usr/share/nlsprobe/profiles/dls.yaml",
            "/usr/share/nlsprobe/profiles/dls-ha.yaml", "/usr/share/nlsprobe/schemas/report.schema.json",
            "/usr/share/man/man5/nlsprobe-profile.5.gz", "/usr/share/bash-completion/completions/nlsprobe",
            "/usr/share/zsh/vendor-completions/_nlsprobe", "/usr/share/fish/vendor_completions.d/nlsprobe.fish",
            "/usr/share/doc/nlsprobe/copyright", "/usr/share/doc/nlsprobe/README.md.gz", "/etc/default/nlsprobe",
        ]
        for (page, _) in try commands() {
            expected.append("/usr/share/man/man1/\(page.replacingOccurrences(of: ".", with: "-")).1.gz")
        }
        let units = try FileManager.default.contentsOfDirectory(
            atPath: repositoryRoot.appendingPathComponent("deploy/systemd").path)
        expected += units.map { "/lib/systemd/system/\($0)" }
        for path in expected { #expect(files.contains(path), "\(path) is not in the package") }

        let fields = try ChildProcess.run(["dpkg-deb", "-f", deb, "Depends", "Package", "Section"]).output
        for dependency in ["libcurl4", "libssl3", "libpcap0.8", "libc6", "passwd"] {
            #expect(fields.contains(dependency), "Depends: lacks \(dependency): \(fields)")
        }
        let conffiles = try ChildProcess.run(["sh", "-c", "dpkg-deb --ctrl-tarfile \"$0\" | tar -xO ./conffiles", deb])
        #expect(conffiles.output == "/etc/default/nlsprobe\n")
        let service = try ChildProcess.run([
            "sh", "-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -xO ./lib/systemd/system/nlsprobe-audit.service", deb,
        ]).output
        #expect(service.contains("ExecStart=/usr/bin/nlsprobe run") && service.contains("User=nlsprobe"))
        #expect(!service.contains("/usr/local"))
        // The service user writes its metrics into its own state folder (node_exporter's is root's,
        // or missing: a missing ReadWritePaths= folder fails the unit); root copies them there.
        #expect(service.contains("--metrics-dir /var/lib/nlsprobe/metrics"))
        #expect(service.contains("\nReadWritePaths=/var/lib/nlsprobe\n"))
        #expect(service.contains("\nExecStartPost=+/bin/sh -c 'dir=/var/lib/prometheus/node-exporter;"))
        try verifyUnits(deb: deb)
        // nlsprobe-profile(1), the profile subcommand, and nlsprobe-profile(5), the format, name
        // each other.
        let profilePage = try ChildProcess.run([
            "sh", "-c", "dpkg-deb --fsys-tarfile \"$0\" | tar -xO ./usr/share/man/man1/nlsprobe-profile.1.gz | gzip -d",
            deb,
        ]).output
        #expect(profilePage.hasSuffix(".Xr nlsprobe-profile-from-token 1 ,\n.Xr nlsprobe-profile 5\n"))
        #expect(profilePage.contains("nlsprobe-profile(5): man 5 nlsprobe-profile"))
        let formatPage = try String(
            contentsOf: repositoryRoot.appendingPathComponent("docs/man/nlsprobe-profile.5"), encoding: .utf8)
        #expect(formatPage.contains(".Xr nlsprobe-profile 1\n"))

        // lintian: clean but for what a debug binary brings (the toolchain's RUNPATH; the release
        // build is linked with -z now; the release binary's ICU tables, overridden, are not in a
        // debug one) and the overrides the package carries (README, "Install").
        let lintian = try ChildProcess.run(
            [
                "lintian", "--pedantic", "--display-info", "--allow-root", "--suppress-tags",
                "custom-library-search-path,hardening-no-bindnow", deb,
            ], allowFailure: true, timeout: 300)
        // The override of the release binary's ICU fragments is unused on a debug binary.
        let tags = lintian.output.split(separator: "\n").filter {
            !$0.contains("unused-override spelling-error-in-binary")
        }.filter {
            $0.range(of: #"^[EWIP]: "#, options: .regularExpression) != nil
        }
        #expect(tags.isEmpty, "lintian:\n\(lintian.output)")
    }

    @Test(.enabled(if: manPagesGenerated || LabPrivilege.inCI, "run swift package plugin generate-manual first"))
    func installAndUninstallUnderAPrefix() throws {
        let destdir = scratch.url.appendingPathComponent("root").path
        try ChildProcess.run(
            [
                repositoryRoot.appendingPathComponent("scripts/install.sh").path, "--prefix", "/opt/nlsprobe",
                "--destdir", destdir, "--binary", nlsprobeExecutable, "--man-dir", generatedManPages.path,
            ], timeout: 120)
        let installed = destdir + "/opt/nlsprobe/bin/nlsprobe"
        // The binary finds the built-in profiles beside it (../share/nlsprobe/profiles).
        let profiles = try ChildProcess.run(["env", "-u", "NLSPROBE_PROFILES", installed, "profiles"])
        #expect(profiles.output.contains("\(destdir)/opt/nlsprobe/share/nlsprobe/profiles/cls.yaml"))
        for path in [
            "share/man/man1/nlsprobe-run.1.gz", "share/zsh/site-functions/_nlsprobe",
            "lib/systemd/system/nlsprobe-audit.timer", "lib/debug/opt/nlsprobe/bin/nlsprobe.debug",
        ] {
            #expect(FileManager.default.fileExists(atPath: destdir + "/opt/nlsprobe/" + path), "\(path)")
        }
        let unit = try String(
            contentsOfFile: destdir + "/opt/nlsprobe/lib/systemd/system/nlsprobe-audit.service", encoding: .utf8)
        #expect(unit.contains("ExecStart=/opt/nlsprobe/bin/nlsprobe run"))
        try ChildProcess.run([
            repositoryRoot.appendingPathComponent("scripts/install.sh").path, "uninstall", "--prefix", "/opt/nlsprobe",
            "--destdir", destdir,
        ])
        let left = try ChildProcess.run(["find", destdir, "-type", "f"]).output
        #expect(left == destdir + "/etc/default/nlsprobe\n", "left behind: \(left)")
    }
}
