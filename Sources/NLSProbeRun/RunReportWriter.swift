import Foundation
import NLSProbeCore
import NLSReporting

/// Writes a run's reports in every format asked for, under the run's claimed names (never over
/// another run's file). The JSON report, the source of truth for `report`, `diff` and `merge`, is
/// written first; when the output folder refuses it, it is saved to the fallback folder
/// (`$TMPDIR` or /tmp) and the run says where.
struct RunReportWriter: Sendable {
    /// The folder the reports go to.
    var output: String
    /// The formats asked for.
    var formats: [ReportFormat]
    /// The textfile collector's folder, when metrics are written there too.
    var metricsDirectory: String?

    /// Writes `report`; every failure is a message, the run goes on.
    func write(_ report: Report, names: RunFileNames, started: Date, messages: (RunMessage) -> Void) -> (
        paths: [String], saved: Bool
    ) {
        let name = report.profile.name
        var paths: [String] = []
        let formats = [.json] + formats.filter { $0 != .json }
        var failed = false
        var jsonWritten = false
        do {
            try AtomicFile.ensureDirectory(output)
            for format in formats {
                // Metrics get a stable name, replaced by each run: the textfile collector reads
                // every *.prom in its folder, and only the latest run's metrics count.
                let metrics = format == .prom
                let path =
                    metrics
                    ? FileNames.path(in: output, parts: [name], suffix: ".prom")
                    : names.path(".\(format.fileExtension)")
                try ReportRenderer.write(report, as: format, to: path, replace: metrics)
                paths.append(path)
                if format == .json { jsonWritten = true }
            }
        } catch {
            messages(RunMessage(.error, error.description))
            failed = true
        }
        if let metricsDirectory {
            do {
                try AtomicFile.ensureDirectory(metricsDirectory)
                let path = FileNames.path(in: metricsDirectory, parts: ["nlsprobe_" + name], suffix: ".prom")
                try ReportRenderer.write(report, as: .prom, to: path)
                paths.append(path)
            } catch {
                messages(RunMessage(.error, error.description))
                failed = true
            }
        }
        if !jsonWritten {
            let fallback = FileNames.path(
                in: OutputFolder.fallbackDirectory,
                parts: ["nlsprobe", name, RunFileNames.stamp(started), String(getpid())], suffix: ".json")
            do {
                try ReportRenderer.write(report, as: .json, to: fallback)
                messages(
                    RunMessage(
                        .error, "the JSON report could not be written to \(output); it was saved to \(fallback) instead"
                    ))
                paths.append(fallback)
            } catch {
                messages(
                    RunMessage(.error, "\(error.description); the results of this run could not be saved anywhere"))
            }
        }
        return (paths, !failed)
    }
}
