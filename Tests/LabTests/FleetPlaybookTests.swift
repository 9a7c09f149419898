import Foundation
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The playbook as the linters and Debian's ansible-core see it, and the role's steps on hosts
/// reached with Ansible's local connection (nothing is installed, nothing leaves this machine).
/// Under CI=true every tool must be there (scripts/test.sh installs them); elsewhere a missing tool
/// skips its test and says how to get it.
@Suite struct FleetPlaybookTests {
    static var playbook: String { repositoryRoot.appendingPathComponent("deploy/ansible/nlsprobe.yml").path }
    static var inventory: String {
        repositoryRoot.appendingPathComponent("deploy/ansible/inventory.example.ini").path
    }
    static var ansibleLint: String { repositoryRoot.appendingPathComponent(".venv-tools/bin/ansible-lint").path }
    static var hasAnsibleLint: Bool { FileManager.default.isExecutableFile(atPath: ansibleLint) }
    static var hasAnsible: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/ansible-playbook") }
    /// The apt module needs python3-apt; without it, it would refresh the package lists to install it.
    static var hasPythonApt: Bool {
        (try? ChildProcess.run(["/usr/bin/python3", "-c", "import apt"], allowFailure: true).status) == 0
    }

    /// ansible-playbook with Ansible's own files in `folder`.
    static func play(_ arguments: [String], folder: URL, environment: [String] = []) throws -> (
        status: Int32, output: String
    ) {
        let ansible = folder.appendingPathComponent("ansible").path
        let result = try ChildProcess.run(
            [
                "env", "ANSIBLE_HOME=\(ansible)", "ANSIBLE_LOCAL_TEMP=\(ansible)/tmp",
                "ANSIBLE_RETRY_FILES_ENABLED=false",
                "ANSIBLE_NOCOLOR=1", "ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3",
            ] + environment + ["ansible-playbook"] + arguments, allowFailure: true, timeout: 300)
        return (result.status, result.output)
    }

    @Test(
        .enabled(
            if: LabPrivilege.inCI || hasAnsibleLint,
            "needs ansible-lint: run scripts/test.sh (it makes .venv-tools) or pip install ansible-lint"))
    func ansibleLintPassesWithTheProductionProfile() throws {
        try #require(Self.hasAnsibleLint, "ansible-lint is missing: scripts/test.sh installs it into .venv-tools")
        let result = try ChildProcess.run(
            [
                "env", "PATH=\(repositoryRoot.appendingPathComponent(".venv-tools/bin").path):/usr/bin:/bin",
                "HOME=\(FileManager.default.temporaryDirectory.path)", "sh", "-c",
                "cd \(repositoryRoot.appendingPathComponent("deploy/ansible").path) && ansible-lint --offline --nocolor --profile production nlsprobe.yml",
            ], allowFailure: true, timeout: 300)
        #expect(result.status == 0, "\(result.output)")
    }

    /// A host whose nlsprobe is another version, one where it cannot run at all (a missing
    /// library), and one whose install step fails (a package that does not exist): the real
    /// playbook, on hosts reached with Ansible's local connection, installs only what is missing,
    /// checks each host's copy with `--version` before the run, and the merge names all three,
    /// with the reason, while the fourth host's report is merged.
    @Test(
        .enabled(
            if: LabPrivilege.inCI || (hasAnsible && hasPythonApt),
            "needs ansible-core and python3-apt: scripts/test.sh installs them"))
    func versionSkewABinaryThatCannotRunAndAFailedInstallAreNamed() throws {
        try #require(Self.hasAnsible, "ansible-playbook is missing: scripts/test.sh installs ansible-core")
        try #require(Self.hasPythonApt, "python3-apt is missing: scripts/test.sh installs it")
        let folder = try TemporaryFolder()
        let skew = folder.url.appendingPathComponent("nlsprobe-skew").path
        // The controller's copy answers as the real binary; the copy on the host says 0.0.9.
        try """
        #!/bin/sh
        if [ "$0" != "\(skew)" ] && [ "$1" = "--version" ]; then echo 0.0.9; exit 0; fi
        exec \(nlsprobeExecutable) "$@"
        """.write(toFile: skew, atomically: true, encoding: .utf8)
        let broken = try folder.write(
            """
            #!/bin/sh
            echo "nlsprobe: error while loading shared libraries: libcurl.so.4: cannot open shared object file" >&2
            exit 127
            """, "nlsprobe-broken")
        chmod(skew, 0o755)
        chmod(broken, 0o755)
        // probe-nopkg needs a package no mirror has; its package lists count as fresh for ten
        // years, so apt looks it up in the lists this machine has and refreshes nothing.
        let inventory = try folder.write(
            """
            localhost ansible_connection=local nlsprobe_binary=\(nlsprobeExecutable)

            [nlsprobe]
            probe-ok ansible_connection=local nlsprobe_binary=\(nlsprobeExecutable) nlsprobe_sources=local
            probe-skew ansible_connection=local nlsprobe_binary=\(skew) nlsprobe_sources=local
            probe-broken ansible_connection=local nlsprobe_binary=\(broken) nlsprobe_sources=local
            probe-nopkg ansible_connection=local nlsprobe_binary=\(nlsprobeExecutable) nlsprobe_sources=local nlsprobe_packages_apt='["libcurl4", "nlsprobe-no-such-package"]' nlsprobe_apt_cache_valid_time=315360000
            """, "inventory.ini")
        // One refused port on loopback, expected closed: nothing leaves this host.
        let profile = try folder.write(
            """
            profile: skew
            title: version skew in a fleet
            sources:
              local: {}
            destinations:
              here:
                hosts: [127.0.0.1]
            flows:
              - {port: \(freePort()), protocol: tcp, direction: egress, from: local, to: here, expect: block}
            defaults:
              connect_timeout: 1s
            """, "skew.yaml")
        let reports = folder.url.appendingPathComponent("fleet-reports").path
        let play = try Self.play(
            ["-i", inventory, Self.playbook, "-e", "nlsprobe_profile=\(profile)", "-e", "nlsprobe_reports=\(reports)"],
            folder: folder.url)
        #expect(play.status == 0, "\(play.output)")
        #expect(play.output.contains("PASS: 1 checks, 1 passed") && play.output.contains("4 probe hosts, 1 reported"))
        let merged = try #require(
            try FileManager.default.contentsOfDirectory(atPath: reports).first {
                $0.contains("-merged-") && $0.hasSuffix(".json")
            })
        let hosts = try #require(try JSONReport.read(path: reports + "/" + merged).probeHosts)
        let version = try ChildProcess.run([nlsprobeExecutable, "--version"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let byName = Dictionary(uniqueKeysWithValues: hosts.map { ($0.name, $0) })
        #expect(byName["probe-ok"]?.status == .reported)
        #expect(byName["probe-skew"]?.status == .notReported)
        #expect(
            byName["probe-skew"]?.problem == "version skew: the host runs 0.0.9, the controller \(version)",
            "\(byName["probe-skew"]?.problem ?? "no problem")")
        #expect(byName["probe-broken"]?.status == .notReported)
        #expect(
            byName["probe-broken"]?.problem?.hasPrefix("nlsprobe cannot run here (exit 127): ") == true
                && byName["probe-broken"]?.problem?.contains("libcurl.so.4") == true,
            "\(byName["probe-broken"]?.problem ?? "no problem")")
        // The install step found the missing package and apt could not install it: the host is
        // named with apt's reason, and nothing was refreshed or installed.
        #expect(byName["probe-nopkg"]?.status == .notReported)
        #expect(
            byName["probe-nopkg"]?.problem
                == "Install the missing packages (apt) failed: No package matching 'nlsprobe-no-such-package' is available",
            "\(byName["probe-nopkg"]?.problem ?? "no problem")")
    }

    /// The install step on a RHEL-like host: facts from Ansible's fact cache say RedHat, and in
    /// check mode the step queries rpm and hands the missing packages to dnf. This machine has
    /// neither rpm nor dnf's Python module, so the query finds nothing and dnf fails to load:
    /// what is exercised is the choice of tasks and their arguments, not an install by dnf.
    @Test(.enabled(if: LabPrivilege.inCI || hasAnsible, "needs ansible-core: scripts/test.sh installs it"))
    func installStepChoosesRpmAndDnfOnRHELLikes() throws {
        try #require(Self.hasAnsible, "ansible-playbook is missing: scripts/test.sh installs ansible-core")
        let folder = try TemporaryFolder()
        let facts = folder.url.appendingPathComponent("facts")
        try FileManager.default.createDirectory(at: facts, withIntermediateDirectories: true)
        try #"{"ansible_os_family": "RedHat", "ansible_distribution": "Rocky", "ansible_pkg_mgr": "dnf"}"#
            .write(to: facts.appendingPathComponent("probe-rhel"), atomically: true, encoding: .utf8)
        let inventory = try folder.write("probe-rhel ansible_connection=local\n", "inventory.ini")
        let play = try folder.write(
            """
            - name: The install step alone
              hosts: all
              gather_facts: false
              tasks:
                - name: Install what nlsprobe needs
                  ansible.builtin.include_role:
                    name: nlsprobe
                    tasks_from: packages
            """, "packages.yml")
        let result = try Self.play(
            ["-i", inventory, play, "--check"], folder: folder.url,
            environment: [
                "ANSIBLE_ROLES_PATH=\(repositoryRoot.appendingPathComponent("deploy/ansible/roles").path)",
                "ANSIBLE_CACHE_PLUGIN=jsonfile", "ANSIBLE_CACHE_PLUGIN_CONNECTION=\(facts.path)",
                "ANSIBLE_STDOUT_CALLBACK=json",
            ])
        let start = try #require(result.output.firstIndex(of: "{"), "\(result.output)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.output[start...].utf8)) as? [String: Any])
        let plays = try #require(json["plays"] as? [[String: Any]])
        let tasks = try #require(plays.first?["tasks"] as? [[String: Any]])
        var byTask: [String: [String: Any]] = [:]
        for task in tasks {
            let name = ((task["task"] as? [String: Any])?["name"] as? String) ?? ""
            byTask[name] = (task["hosts"] as? [String: Any])?["probe-rhel"] as? [String: Any]
        }
        func skipped(_ name: String) -> Bool { (byTask["nlsprobe : \(name)"]?["skipped"] as? Bool) == true }
        func arguments(_ name: String) -> [String: Any]? {
            ((byTask["nlsprobe : \(name)"]?["invocation"] as? [String: Any])?["module_args"]) as? [String: Any]
        }
        // The cached facts are used: no fact gathering; the apt tasks are skipped.
        #expect(skipped("Learn the distribution"), "\(byTask.keys.sorted())")
        #expect(skipped("Find the packages that are not installed (dpkg)"))
        #expect(skipped("Install the missing packages (apt)"))
        let query = try #require(arguments("Find the packages that are not installed (rpm)")?["argv"] as? [String])
        #expect(query == ["rpm", "--query", "--queryformat", "%{NAME}\n", "libcurl", "libpcap", "ca-certificates"])
        let dnf = try #require(arguments("Install the missing packages (dnf)"), "\(byTask.keys.sorted())")
        #expect(
            dnf["name"] as? [String] == ["libcurl", "libpcap", "ca-certificates"]
                && dnf["state"] as? String == "present")
        let message = byTask["nlsprobe : Install the missing packages (dnf)"]?["msg"] as? String ?? ""
        #expect(message.contains("dnf python module"), "\(message)")
    }

    @Test(.enabled(if: LabPrivilege.inCI || hasAnsible, "needs ansible-core: scripts/test.sh installs it"))
    func debiansAnsibleCoreTakesThePlaybookAndTheExampleInventory() throws {
        let check = try ChildProcess.run(
            ["ansible-playbook", "-i", Self.inventory, "--syntax-check", Self.playbook], allowFailure: true)
        #expect(check.status == 0, "\(check.output)")
        let graph = try ChildProcess.run(
            ["ansible-inventory", "-i", Self.inventory, "--graph", "nlsprobe"], allowFailure: true)
        #expect(graph.status == 0 && graph.output.contains("vdi-probe-01") && graph.output.contains("branch-lyon"))
    }
}
