/// The exporter's endpoints, as its request counter labels them (any other path is `other`: a
/// label never takes a value from a request, so a client cannot make series without end).
public enum ServeRoute: String, Sendable, CaseIterable {
    /// The index page.
    case index = "/"
    /// The metrics, Prometheus text format.
    case metrics = "/metrics"
    /// The latest complete JSON report.
    case reportJSON = "/report.json"
    /// The latest complete Markdown report.
    case reportMarkdown = "/report.md"
    /// 200 while the process serves.
    case healthz = "/healthz"
    /// 200 once a first run has completed.
    case readyz = "/readyz"
    /// Anything else, or a method other than GET (answered 404).
    case other = "other"
}
