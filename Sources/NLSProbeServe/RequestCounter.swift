import Hummingbird

/// Counts every request by route (``ServeRoute``) before it is answered; a request for anything
/// but GET or HEAD of a known path counts as `other`.
struct RequestCounter<Context: RequestContext>: RouterMiddleware {
    let state: ExporterState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let known = ServeRoute(rawValue: request.uri.path).flatMap { $0 == .other ? nil : $0 }
        let readOnly = request.method == .get || request.method == .head
        state.count(readOnly ? known ?? .other : .other)
        return try await next(request, context)
    }
}
