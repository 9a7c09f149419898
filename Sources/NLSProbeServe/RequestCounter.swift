import Hummingbird

/// Counts every request by route (``ServeRoute``) before it is answered; a request for anything
/// but a GET of a known path counts as `other` (the server answers GET only).
struct RequestCounter<Context: RequestContext>: RouterMiddleware {
    let state: ExporterState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let known = ServeRoute(rawValue: request.uri.path).flatMap { $0 == .other ? nil : $0 }
        state.count(request.method == .get ? known ?? .other : .other)
        return try await next(request, context)
    }
}
