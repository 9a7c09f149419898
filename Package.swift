// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "nlsprobe",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nlsprobe", targets: ["nlsprobe"]),
        .library(name: "NLSProbeCore", targets: ["NLSProbeCore"]),
        .library(name: "NLSProbeEngine", targets: ["NLSProbeEngine"]),
        .library(name: "NLSReporting", targets: ["NLSReporting"]),
        .library(name: "NLSLicensing", targets: ["NLSLicensing"]),
        .library(name: "NLSCapture", targets: ["NLSCapture"]),
        // A whole run as a library: what the executable, a fleet agent or a test calls.
        .library(name: "NLSProbeRun", targets: ["NLSProbeRun"]),
        // Change requests in and out: a firewall team's table to a profile, a report to the rules still missing.
        .library(name: "NLSChangeRequest", targets: ["NLSChangeRequest"]),
        // The fuzz targets' shared harness, for the libFuzzer package in Fuzz/ (not for users).
        .library(name: "NLSFuzzing", targets: ["NLSFuzzing"]),
    ],
    // Exact versions: the build machines' package mirrors have commit ids of their own, so a
    // Package.resolved made on one does not resolve on another and is not committed; pinning here
    // keeps every build on the versions the suite last passed with. Raise them deliberately.
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        // The HTTP server of `nlsprobe serve` (SwiftNIO underneath).
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
    ],
    targets: [
        // Typed C wrappers over libcurl's variadic calls and the socket callbacks. libcurl (and the
        // OpenSSL it uses) is loaded at first use with dlopen, not linked: a run of plain TCP checks
        // never pays for loading it. libcurl4-openssl-dev is still needed to build (its headers).
        .target(
            name: "CCurl",
            dependencies: ["CSocket"],
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // Sockets bound and connected without libcurl, and the socket facts the engine reads.
        .target(name: "CSocket"),
        // libpcap opened with dlopen at the first capture (not linked: a run without --capture never
        // loads it); built against libpcap-dev's header, imported only by NLSCapture.
        .target(name: "CPcap", linkerSettings: [.linkedLibrary("dl")]),
        .target(
            name: "NLSCapture",
            dependencies: ["CPcap", "NLSProbeCore"]
        ),
        .target(
            name: "NLSProbeCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "NLSProbeEngine",
            dependencies: [
                "CCurl", "CSocket", "NLSProbeCore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "NLSLicensing",
            dependencies: ["NLSProbeCore"]
        ),
        .target(
            name: "NLSReporting",
            dependencies: ["NLSProbeCore", "NLSChangeRequest"]
        ),
        // A whole run: profiles, token and gridd.conf discovery, capture, the engine, report files.
        .target(
            name: "NLSProbeRun",
            dependencies: [
                "NLSProbeCore", "NLSProbeEngine", "NLSReporting", "NLSLicensing", "NLSCapture",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Change requests: reads the firewall team's table (CSV, TSV, Markdown) into a profile, and
        // derives from a report the allow and deny rules still missing (Markdown, CSV, JSON, nftables).
        .target(name: "NLSChangeRequest", dependencies: ["NLSProbeCore"]),
        .testTarget(
            name: "NLSChangeRequestTests", dependencies: ["NLSChangeRequest", "NLSProbeCore", "NLSReporting"]),
        // `nlsprobe serve`: runs profiles on a schedule and serves the latest report and its
        // metrics over HTTP (a Prometheus exporter).
        .target(
            name: "NLSProbeServe",
            dependencies: [
                "NLSProbeRun", "NLSProbeCore", "NLSReporting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The command line: parses arguments, calls the libraries, prints.
        .executableTarget(
            name: "nlsprobe",
            dependencies: [
                "NLSProbeRun", "NLSProbeServe", "NLSProbeCore", "NLSProbeEngine", "NLSReporting", "NLSLicensing",
                "NLSChangeRequest",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Real servers for tests (certificates made at test time, openssl s_server, misbehaving
        // sockets, helper daemons); used by test targets only.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "NLSProbeCoreTests", dependencies: ["NLSProbeCore", "TestSupport"]),
        .testTarget(name: "NLSCaptureTests", dependencies: ["NLSCapture", "NLSProbeCore"]),
        .testTarget(name: "NLSLicensingTests", dependencies: ["NLSLicensing", "NLSProbeCore", "TestSupport"]),
        // Unit tests: no network, no root.
        .testTarget(name: "NLSProbeEngineTests", dependencies: ["NLSProbeEngine", "NLSProbeCore"]),
        .testTarget(
            name: "NLSReportingTests",
            dependencies: ["NLSReporting", "NLSProbeCore", "TestSupport"],
            resources: [.copy("Golden")]
        ),
        // Fuzzing: one target per decoder of untrusted input (Fuzz/Harness), run from raw bytes by
        // the libFuzzer executables in Fuzz/Package.swift and by FuzzTests (corpus replay and a
        // seeded mutation run).
        .target(
            name: "NLSFuzzing",
            dependencies: ["NLSProbeCore", "NLSLicensing", "NLSReporting", "NLSCapture"],
            path: "Fuzz/Harness"
        ),
        .testTarget(name: "FuzzTests", dependencies: ["NLSFuzzing"]),
        // Real servers and proxies on loopback (openssl s_server, squid, microsocks, hostile peers):
        // the engine, the proxies and a whole run through the library. No root.
        .testTarget(
            name: "LoopbackTests",
            dependencies: ["NLSProbeEngine", "NLSProbeRun", "NLSProbeCore", "NLSReporting", "TestSupport"]
        ),
        // The benchmark harness in quick mode (root: it builds its own namespaces), apart from the
        // rest so it can be left out: swift test --skip BenchmarkTests.
        .testTarget(name: "BenchmarkTests", dependencies: ["TestSupport"]),
        // `nlsprobe serve` as a process: scrapes, reports, signals; the deployment manifests checked.
        .testTarget(
            name: "ServeTests", dependencies: ["NLSProbeServe", "NLSProbeCore", "NLSReporting", "TestSupport"]),
        // Root tests in network namespaces: the command line, the lab's firewalls, capture.
        .testTarget(
            name: "LabTests",
            dependencies: ["NLSProbeCore", "NLSReporting", "TestSupport"]
        ),
    ]
)
