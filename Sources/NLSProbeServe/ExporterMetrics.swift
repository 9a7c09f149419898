import NLSReporting

/// The exporter's own metrics (`nlsprobe_serve_*`), after the reports' (see
/// ``ExporterState/Snapshot/reportMetrics``): the two sets have no family in common.
public enum ExporterMetrics {
    /// The whole `/metrics` text of `snapshot`, with `version` in `nlsprobe_serve_info`.
    public static func render(_ snapshot: ExporterState.Snapshot, version: String) -> String {
        snapshot.reportMetrics + own(snapshot, version: version)
    }

    /// The exporter's own metrics.
    public static func own(_ snapshot: ExporterState.Snapshot, version: String) -> String {
        var out: [String] = []
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
            out.append("# HELP \(name) \(help)")
            out.append("# TYPE \(name) \(type)")
            for sample in samples {
                let labels = sample.labels.isEmpty ? "" : "{\(sample.labels)}"
                out.append("\(name)\(labels) \(PrometheusText.sampleValue(sample.value))")
            }
        }
        func label(_ name: String, _ value: String) -> String { "\(name)=\"\(PrometheusText.labelValue(value))\"" }
        let profiles = snapshot.profiles

        family(
            "nlsprobe_serve_info", "gauge", "The exporter's version (always 1).",
            [(label("version", version), 1)])
        family(
            "nlsprobe_serve_started_timestamp_seconds", "gauge", "When the exporter started.",
            [("", snapshot.started)])
        family(
            "nlsprobe_serve_interval_seconds", "gauge", "Seconds between the end of a run and the start of the next.",
            [("", snapshot.schedule.interval)])
        family(
            "nlsprobe_serve_ready", "gauge", "1 once a first run has completed (as /readyz says).",
            [("", snapshot.ready && !snapshot.stopping ? 1 : 0)])
        family(
            "nlsprobe_serve_run_in_progress", "gauge", "1 while a run goes on.",
            [("", snapshot.running ? 1 : 0)])
        family(
            "nlsprobe_serve_next_run_timestamp_seconds", "gauge",
            "When the next run starts (0 while one runs or once stopping).",
            [("", snapshot.nextRun ?? 0)])
        family(
            "nlsprobe_serve_runs_total", "counter",
            "Scheduled runs by outcome: complete (published), interrupted (cut by a shutdown), error.",
            ExporterState.RunOutcome.allCases.map { (label("result", $0.rawValue), Double(snapshot.runs[$0] ?? 0)) })
        family(
            "nlsprobe_serve_checks_total", "counter", "Checks sent (skipped ones are not), by profile.",
            profiles.map { (label("profile", $0), Double(snapshot.checks[$0] ?? 0)) })
        family(
            "nlsprobe_serve_run_duration_seconds", "gauge", "How long the last complete run of the profile took.",
            profiles.compactMap { name in snapshot.runDuration[name].map { (label("profile", name), $0) } })
        family(
            "nlsprobe_serve_last_success_timestamp_seconds", "gauge",
            "When the last run of the profile whose every check passed finished (0: none yet).",
            profiles.map { (label("profile", $0), snapshot.lastSuccess[$0] ?? 0) })
        family(
            "nlsprobe_serve_errors_total", "counter",
            "Errors by stage: configuration (profiles, token or settings no longer load), run, report (--output).",
            ExporterState.ErrorStage.allCases.map { (label("stage", $0.rawValue), Double(snapshot.errors[$0] ?? 0)) })
        family(
            "nlsprobe_serve_http_requests_total", "counter", "HTTP requests by route (never a probe).",
            ServeRoute.allCases.map { (label("route", $0.rawValue), Double(snapshot.requests[$0] ?? 0)) })
        return out.joined(separator: "\n") + "\n"
    }
}
