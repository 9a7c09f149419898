import Logging
import NLSProbeEngine
import NLSReporting

/// Everything a run needs: which profiles, how checks are sent, where the reports go.
public struct RunConfiguration: Sendable {
    /// Profiles to run: paths or built-in names (may be empty with ``token`` or a gridd.conf).
    public var profiles: [String]
    /// How checks are sent (source group, bind address, proxy, timeouts, attempts, plan limit).
    public var settings = RunSettings()
    /// A client configuration token: its nodes and ports become the destinations.
    public var token: String?
    /// Checks in flight at once, and towards one destination address.
    public var limits = ConcurrencyLimits()
    /// The folder the reports are written to (made when missing).
    public var output = "Reports"
    /// The report formats; JSON is always written, and first.
    public var formats: [ReportFormat] = [.json, .md]
    /// False: no file is written (no report, no metrics, no capture), no folder is prepared; the
    /// reports are only returned (``RunResult/report``), as `nlsprobe serve` keeps them in memory.
    public var writesReports = true
    /// Also write the metrics to `<metricsDirectory>/nlsprobe_<profile>.prom`.
    public var metricsDirectory: String?
    /// A file holding "user:password" for the proxy (mode 0600).
    public var proxyCredentialsFile: String?
    /// Capture the handshakes, or nil for no capture.
    public var capture: CaptureRequest?
    /// Servers whose clock is further off than this many seconds are flagged.
    public var clockSkewLimit: Double = 60
    /// Where diagnostics go.
    public var logger = Logger(label: "nlsprobe") { _ in SwiftLogNoOpLogHandler() }
    /// The version written into reports and sent as the user agent.
    public var toolVersion = ToolVersion.current

    /// A run of `profiles` with the default settings.
    public init(profiles: [String]) {
        self.profiles = profiles
    }
}

/// A capture of the run's handshakes to a pcap file beside its reports.
public struct CaptureRequest: Sendable, Equatable {
    /// The interface to capture on; "any" for every interface.
    public var interface: String
    /// Stop (``RunError/capture(_:)``) when the capture cannot start, instead of running without it.
    public var required: Bool

    /// A capture on `interface`.
    public init(interface: String = "any", required: Bool = false) {
        self.interface = interface
        self.required = required
    }
}
