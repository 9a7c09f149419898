import NLSProbeCore

/// The phases one attempt goes through and the budget of each, measured from that phase's own
/// start: `connect_timeout` for the TCP handshake and for a proxy's tunnel, `tls_timeout` for the
/// TLS handshake, `request_timeout` for the HTTP request. A slow phase never eats into the next
/// one's budget, and a reason can say which phase ran out and what its budget was.
struct PhaseBudgets: Sendable, Equatable {
    let proto: FlowProtocol
    let route: ProxyRoute
    let connect: Double
    let tls: Double
    let request: Double

    init(check: PlannedCheck, route: ProxyRoute) {
        proto = check.proto
        self.route = route
        connect = check.settings.connectTimeout
        tls = check.settings.tlsTimeout
        request = check.settings.requestTimeout
    }

    private var hasRequest: Bool { proto == .http || proto == .https }

    /// The phase after `phase`, nil when the attempt is complete once `phase` is.
    func phase(after phase: AttemptPhase) -> AttemptPhase? {
        switch phase {
        case .connect:
            if route.tunnels(proto) { return .tunnel }
            return proto.usesTLS ? .tls : (hasRequest ? .request : nil)
        case .tunnel:
            return proto.usesTLS ? .tls : (hasRequest ? .request : nil)
        case .tls:
            return hasRequest ? .request : nil
        case .request:
            return nil
        }
    }

    /// The budget of `phase` in seconds. Through an `https://` proxy the tunnel includes the TLS
    /// handshake with the proxy. A SOCKS tunnel's end cannot be seen from outside libcurl, so its
    /// phase runs on to the end of the check and has the budgets of every phase after it too.
    func budget(of phase: AttemptPhase) -> Double {
        switch phase {
        case .connect: connect
        case .tunnel:
            switch route {
            case .socks: connect + (proto.usesTLS ? tls : 0) + (hasRequest ? request : 0)
            case .https: connect + tls
            case .http, .none: connect
            }
        case .tls: tls
        case .request: request
        }
    }

    /// The sum of the budgets up to the end of the TLS handshake: libcurl's connect backstop.
    var untilTLSDone: Double {
        var sum = connect
        var phase = self.phase(after: .connect)
        while let current = phase, current != .request {
            sum += budget(of: current)
            if route == .socks && current == .tunnel { return sum }
            phase = self.phase(after: current)
        }
        return sum
    }

    /// The sum of every phase's budget: libcurl's overall backstop.
    var total: Double {
        var sum = connect
        var phase = self.phase(after: .connect)
        while let current = phase {
            sum += budget(of: current)
            if route == .socks && current == .tunnel { return sum }
            phase = self.phase(after: current)
        }
        return sum
    }
}
