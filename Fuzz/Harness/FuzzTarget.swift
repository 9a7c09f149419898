import Foundation
import NLSCapture
import NLSLicensing
import NLSProbeCore
import NLSReporting

/// A decoder of untrusted input, driven from raw bytes the way nlsprobe meets them: a file or a
/// captured frame. Each run decodes the input and, when that succeeds, does with the result what
/// the tool does next (plan, render, merge, ...). A typed error is a pass; only a crash is a bug.
///
/// Shared by the libFuzzer executables (`Fuzz/Package.swift`) and the in-suite replay and
/// mutation tests (`Tests/FuzzTests`).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Profile YAML (`ProfileLoader.parse(data:file:baseDirectory:)`), then the plan.
    case profile
    /// Client configuration token (`ClientToken.decode`), then the profile made from it.
    case token
    /// The licensed client's gridd.conf (`GriddConf(text:path:)`), then its proxy setting.
    case griddConf = "gridd-conf"
    /// A JSON report (`JSONReport.decode`), then every renderer, diff and merge.
    case report
    /// A captured frame (`PacketDecoder.decode`) under every link type.
    case packet

    /// The most bytes worth feeding the target (libFuzzer's `-max_len`); the decoders' own size
    /// limits are far above it and are tested by the owners' unit tests.
    public var maxLength: Int {
        switch self {
        case .profile: 16_384
        case .token: 16_384
        case .griddConf: 4_096
        case .report: 65_536
        case .packet: 2_048
        }
    }

    /// The folder of this target under `Fuzz/Corpus`.
    public var corpusFolder: String { rawValue }

    /// Feeds `bytes` to the decoder and what follows it; true when the decoder accepted them.
    @discardableResult
    public func run(_ bytes: UnsafeRawBufferPointer) -> Bool {
        run(Array(bytes))
    }

    /// Feeds `bytes` to the decoder and what follows it; true when the decoder accepted them.
    @discardableResult
    public func run(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .profile: Self.profile(bytes)
        case .token: Self.token(bytes)
        case .griddConf: Self.griddConf(bytes)
        case .report: Self.report(bytes)
        case .packet: Self.packet(bytes)
        }
    }

    /// The plan limit used while fuzzing: small, so a valid profile expands in microseconds.
    static let fuzzMaxChecks = 2_000

    static func profile(_ bytes: [UInt8]) -> Bool {
        let loader = ProfileLoader(maxChecks: fuzzMaxChecks)
        guard let profile = try? loader.parse(data: Data(bytes), file: "fuzz.yaml", baseDirectory: nil) else {
            return false
        }
        _ = ProfileLoader.duplicateNames([profile, profile])
        let local = [IPAddress("10.10.20.5"), IPAddress("198.18.10.15"), IPAddress("2001:db8::5")].compactMap { $0 }
        let planner = Planner(profile: profile, localAddresses: local)
        var resolutions: [String: Resolution] = [:]
        for (index, host) in planner.hostsToResolve().enumerated() {
            resolutions[host] =
                index % 2 == 0
                ? .addresses(["198.18.2.1", "2001:db8::1"], milliseconds: 1) : .failed(reason: "fuzz", milliseconds: 1)
        }
        _ = planner.localSourceGroups(resolutions: resolutions)
        for check in planner.lazyChecks(resolutions: resolutions) {
            _ = check.id
        }
        return true
    }

    static func token(_ bytes: [UInt8]) -> Bool {
        let text = tokenText(bytes)
        guard let token = try? ClientToken.decode(text) else { return false }
        _ = token.validityWarnings(now: Date(timeIntervalSince1970: 1_800_000_000))
        let profile = TokenProfile.profile(from: token, source: "fuzz")
        _ = TokenProfile.yaml(profile, source: "fuzz")
        _ = TokenProfile.fill(profile, with: token)
        return true
    }

    /// Token text as nlsprobe reads it. Input that starts with `{` is taken as the payload JSON
    /// and wrapped into a compact JWS, so that mutations reach the JSON rather than base64.
    static func tokenText(_ bytes: [UInt8]) -> String {
        guard bytes.first == UInt8(ascii: "{") else { return String(decoding: bytes, as: UTF8.self) }
        let header = Array(#"{"alg":"RS256","typ":"JWT"}"#.utf8)
        return base64url(header) + "." + base64url(bytes) + ".c2lnbmF0dXJl"
    }

    /// base64url without padding.
    public static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func griddConf(_ bytes: [UInt8]) -> Bool {
        let conf = GriddConf(text: String(decoding: bytes, as: UTF8.self), path: "gridd.conf")
        for issue in conf.issues {
            _ = issue.description
        }
        _ = conf.proxyUser
        _ = conf.tokenPath
        do {
            _ = try conf.proxy()
            return conf.issues.isEmpty
        } catch {
            _ = error.description
            return false
        }
    }

    static func report(_ bytes: [UInt8]) -> Bool {
        guard let report = try? JSONReport.decode(Data(bytes), path: "fuzz.json") else { return false }
        for format in ReportFormat.allCases {
            _ = ReportRenderer.render(report, as: format)
        }
        _ = MarkdownReport.render(report)
        _ = JUnitReport.render(report)
        _ = PrometheusReport.render(report, finished: 1_800_000_000)
        _ = TerminalReport(color: true, quiet: false).render(report, paths: ["fuzz.json"])
        var pieces = 0
        JSONReport.write(report) { pieces += $0.count }
        if let diff = try? ReportDiff.compare(report, report, allowProfileChange: true) {
            _ = diff.markdown()
        }
        if let merged = try? ReportMerge.merge([report, report]) {
            _ = MarkdownReport.render(merged)
        }
        return true
    }

    /// Every link type nlsprobe decodes.
    static let linkTypes: [LinkType] = [.null, .ethernet, .raw, .rawIP, .loop, .linuxSLL, .linuxSLL2]

    static func packet(_ bytes: [UInt8]) -> Bool {
        var decoded = false
        for linkType in linkTypes {
            guard let packet = PacketDecoder.decode(bytes, linkType: linkType, time: 1_800_000_000.5) else { continue }
            decoded = true
            _ = packet.source.description
            _ = packet.destination.description
            switch packet.payload {
            case .tcp(let segment):
                _ = (segment.isSYN, segment.isSYNACK, segment.isRST, segment.tls)
            case .icmpError(let error):
                _ = (error.summary, error.isAdminProhibited, error.quoted?.source.description)
            }
        }
        return decoded
    }
}
