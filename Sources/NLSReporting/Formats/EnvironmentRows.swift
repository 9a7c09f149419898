import NLSProbeCore

/// The environment a report was made in, as label and value pairs (values untrusted, not yet
/// escaped): one list for every format that shows it as a table.
enum EnvironmentRows {
    /// Host, sources, addresses, proxy (redacted), capture, times, tool and profile.
    static func of(_ report: Report) -> [(label: String, value: String)] {
        let run = report.run
        return [
            ("Host", run.host),
            ("Local sources", run.localSources.isEmpty ? "none" : run.localSources.joined(separator: ", ")),
            (
                "Local addresses used",
                run.localAddresses.isEmpty ? "not bound (the kernel chose)" : run.localAddresses.joined(separator: ", ")
            ),
            ("Proxy", Credentials.redacted(run.proxy)),
            ("Packet capture", run.capture ?? "off"),
            ("Started / finished (UTC)", "\(run.started) / \(run.finished)"),
            ("Tool", "\(report.tool.name) \(report.tool.version)"),
            ("Profile", "\(report.profile.name), \(report.profile.digest)"),
            ("Reference", report.profile.reference ?? "none"),
        ]
    }
}
