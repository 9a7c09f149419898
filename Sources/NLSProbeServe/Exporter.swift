import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NLSProbeCore
import NLSProbeRun
import ServiceLifecycle
import Synchronization

/// `nlsprobe serve` as a library: runs the profiles on a schedule and serves the latest complete
/// report and its metrics over HTTP (Hummingbird on SwiftNIO).
///
/// ```swift
/// var messages: [RunMessage] = []
/// let exporter = try Exporter(ServeConfiguration(run: RunConfiguration(profiles: ["cls"]),
///                                                schedule: ServeSchedule(interval: 300)),
///                             events: ServeEvents(), messages: &messages)
/// try await exporter.run()   // until exporter.stop()
/// ```
///
/// Scrapes never send a probe: the HTTP handlers only read what the scheduler published.
public final class Exporter: Sendable {
    /// The configuration the exporter was made with.
    public let configuration: ServeConfiguration
    /// The profile names served, in order.
    public let profiles: [String]
    /// What the endpoints serve.
    public let state: ExporterState
    private let events: ServeEvents
    private let loop: AuditLoop
    private let serverStarted: AsyncStream<Void>.Continuation
    private let listening = ListeningFlag()

    /// Prepares the exporter: loads and checks everything a run needs (as `nlsprobe run` would),
    /// so that a profile, token or setting that cannot be used stops it before it listens.
    ///
    /// - Throws: ``ServeError/run(_:)`` for what `nlsprobe run` would refuse,
    ///   ``ServeError/duplicateProfile(_:)`` for two profiles of one name.
    public init(_ configuration: ServeConfiguration, events: ServeEvents, messages: inout [RunMessage])
        throws(ServeError)
    {
        let session: RunSession
        do {
            session = try RunSession(configuration.run, messages: &messages)
        } catch {
            throw .run(error)
        }
        let names = session.profiles.map(\.name)
        var seen = Set<String>()
        if let twice = names.first(where: { !seen.insert($0).inserted }) {
            session.shutdown()
            throw .duplicateProfile(twice)
        }
        self.configuration = configuration
        self.profiles = names
        self.events = events
        let state = ExporterState(profiles: names, schedule: configuration.schedule)
        self.state = state
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        serverStarted = continuation
        loop = AuditLoop(
            configuration: configuration, state: state, events: events, first: session, serverStarted: stream)
    }

    /// Serves until ``stop()``: the HTTP server first, then the first run, then one each
    /// interval. Returns once the run in progress was cut and the server closed its connections.
    ///
    /// - Throws: ``ServeError/cannotListen(address:reason:)`` when the address cannot be bound,
    ///   ``ServeError/serverFailed(_:)`` when the server stops with an error.
    public func run() async throws(ServeError) {
        let listen = configuration.listen
        let logger = configuration.run.logger
        let events = self.events
        let started = serverStarted
        let listening = self.listening
        let router = ExporterRoutes.router(
            state: state, profiles: profiles, version: configuration.run.toolVersion)
        let app = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .seconds(configuration.idleTimeout))),
            configuration: ApplicationConfiguration(
                address: .hostname(listen.host, port: listen.port), serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maximumConnections)),
            onServerRunning: { channel in
                listening.set()
                var bound = listen
                if let port = channel.localAddress?.port { bound.port = port }
                events.listening(bound)
                started.yield()
                started.finish()
            },
            logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                .init(service: app),
                // The loop ends only when stopped: the server then finishes its requests and closes.
                .init(
                    service: loop, successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup),
            ],
            logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = Duration.seconds(configuration.shutdownGrace)
        let group = ServiceGroup(configuration: groupConfiguration)
        do {
            try await group.run()
        } catch {
            started.finish()
            if listening.isSet { throw .serverFailed("\(error)") }
            throw .cannotListen(address: listen.description, reason: Self.reason(error))
        }
    }

    /// Stops serving: the run in progress is cut within a second (its reports are not published;
    /// the last complete one stays served until the server closes), then the server finishes
    /// the requests it has and ``run()`` returns.
    public func stop() { loop.stop() }

    /// Why a bind failed, in words: NIO's errors name the system call and errno.
    static func reason(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("errno: 98") || text.contains("Address already in use") {
            return "the port is in use by another program"
        }
        if text.contains("errno: 99") || text.contains("Cannot assign requested address") {
            return "this host has no such address (see: ip address)"
        }
        if text.contains("errno: 13") || text.contains("Permission denied") {
            return "permission denied (ports below 1024 need privileges)"
        }
        return text
    }
}

/// Set once the server listens: an error after that is not a bind failure.
private final class ListeningFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
