// swift-tools-version:6.0
// libFuzzer executables, one per decoder of untrusted input (Fuzz/Harness/FuzzTarget.swift), built
// apart from the root package with coverage and AddressSanitizer on every module. scripts/fuzz.sh
// builds and runs them:
//   swift build -c release --package-path Fuzz --scratch-path Fuzz/.build \
//     -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address
// (`--sanitize fuzzer --sanitize address` does not work: swiftc then receives two -sanitize flags,
// the last wins, and the Swift code gets no coverage.)
import PackageDescription

let targets = ["FuzzProfile", "FuzzToken", "FuzzGriddConf", "FuzzReport", "FuzzPacket"]

let package = Package(
    name: "nlsprobe-fuzz",
    platforms: [.macOS(.v15)],
    products: targets.map { .executable(name: $0, targets: [$0]) },
    dependencies: [.package(name: "nlsprobe", path: "..")],
    targets: [
        // Calls libFuzzer's LLVMFuzzerRunDriver from each executable's own main.
        .target(name: "CFuzzDriver")
    ]
        + targets.map { name in
            .executableTarget(
                name: name,
                dependencies: ["CFuzzDriver", .product(name: "NLSFuzzing", package: "nlsprobe")]
            )
        }
)
