import Foundation
import NLSProbeCore
import NLSProbeEngine

/// Parses a profile written inline and runs it on a fresh engine.
func runProfile(
    _ yaml: String, options: RunOptions = RunOptions(localAddresses: []),
    limits: ConcurrencyLimits = ConcurrencyLimits()
) async throws -> Report {
    let profile = try ProfileLoader().parse(yaml, file: "inline.yaml")
    let engine = try ProbeEngine(limits: limits)
    defer { engine.shutdown() }
    let plan = try await ProbeRunner.plan(profile, options: options)
    return await ProbeRunner(engine: engine, toolVersion: "test").run(plan)
}

/// A one-flow profile towards loopback.
func loopbackProfile(
    host: String = "127.0.0.1", port: UInt16, proto: String, expect: String = "allow", extra: String = ""
) -> String {
    """
    profile: loopback
    title: loopback test
    sources:
      local: {}
    destinations:
      target:
        hosts: [\(host)]
    flows:
      - port: \(port)
        protocol: \(proto)
        direction: egress
        from: local
        to: target
        expect: \(expect)
    \(extra.isEmpty ? "" : extra.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
    defaults:
      connect_timeout: 1s
      tls_timeout: 1s
      request_timeout: 2s
      attempts: 1
    """
}

/// A profile of many flows towards loopback, each line of `flows` one flow (`{port: …, protocol: …}`
/// and what else it needs), with one attempt each and the `defaults` given.
func manyFlowsProfile(_ flows: [String], defaults: String = "") -> String {
    let lines = flows.map { "  - {\($0), direction: egress, from: local, to: target}" }
    return """
        profile: many
        title: many checks
        sources:
          local: {}
        destinations:
          target:
            hosts: [127.0.0.1]
        flows:
        \(lines.joined(separator: "\n"))
        defaults:
          attempts: 1
        \(defaults.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        """
}
