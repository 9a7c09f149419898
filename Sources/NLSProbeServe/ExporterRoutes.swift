import Foundation
import Hummingbird

/// The exporter's HTTP endpoints, all read-only: none of them changes anything, none sends a
/// probe; each answers from ``ExporterState`` (copies of bytes rendered when a run ended).
enum ExporterRoutes {
    /// The Prometheus text format's content type.
    static let metricsType = "text/plain; version=0.0.4; charset=utf-8"

    /// A router with every endpoint.
    static func router(state: ExporterState, profiles: [String], version: String) -> Router<BasicRequestContext> {
        let router = Router()
        router.middlewares.add(RequestCounter(state: state))
        router.get("/") { _, _ in
            text(.ok, index(profiles: profiles))
        }
        router.get("/metrics") { _, _ in
            text(.ok, ExporterMetrics.render(state.snapshot(), version: version), type: metricsType)
        }
        router.get("/healthz") { _, _ in
            text(.ok, "ok\n")
        }
        router.get("/readyz") { _, _ in
            let snapshot = state.snapshot()
            if snapshot.stopping { return text(.serviceUnavailable, "stopping\n") }
            return snapshot.ready
                ? text(.ok, "ready\n") : text(.serviceUnavailable, "not ready: the first run has not completed\n")
        }
        router.get("/report.json") { request, _ in
            report(request, state: state, profiles: profiles) { data($0.json, type: "application/json") }
        }
        router.get("/report.md") { request, _ in
            report(request, state: state, profiles: profiles) {
                data($0.markdown, type: "text/markdown; charset=utf-8")
            }
        }
        return router
    }

    /// The latest complete report of the profile the query names (`?profile=NAME`, the first
    /// profile without one), or why there is none. The name asked for is never echoed back.
    static func report(
        _ request: Request, state: ExporterState, profiles: [String], body: (PublishedReport) -> Response
    ) -> Response {
        let asked = request.uri.queryParameters["profile"].map(String.init)
        guard let name = asked ?? profiles.first, profiles.contains(name) else {
            return text(.notFound, "no such profile; this exporter serves: \(profiles.joined(separator: ", "))\n")
        }
        guard let published = state.published(name) else {
            return text(.serviceUnavailable, "no complete run of this profile yet (see /readyz)\n")
        }
        return body(published)
    }

    /// The index page: what is served where.
    static func index(profiles: [String]) -> String {
        """
        nlsprobe serve: NVIDIA License System egress audits
        /metrics        Prometheus metrics of the latest complete run and of the exporter
        /report.json    the latest complete JSON report (?profile=NAME; default \(profiles.first ?? ""))
        /report.md      the same as Markdown
        /healthz        200 while the process serves
        /readyz         200 once a first run has completed
        profiles: \(profiles.joined(separator: ", "))

        """
    }

    /// A text response.
    static func text(_ status: HTTPResponse.Status, _ body: String, type: String = "text/plain; charset=utf-8")
        -> Response
    {
        response(status, ByteBuffer(string: body), type: type)
    }

    /// A 200 response of `bytes`.
    static func data(_ bytes: Data, type: String) -> Response {
        response(.ok, ByteBuffer(bytes: bytes), type: type)
    }

    /// A response that no cache keeps (every scrape sees the latest state).
    static func response(_ status: HTTPResponse.Status, _ body: ByteBuffer, type: String) -> Response {
        Response(
            status: status, headers: [.contentType: type, .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: body))
    }
}
