import ApplicationServer
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// `GET /api/v1/events[?application=<id>]`: the live stream of application events as server-sent
/// events (`text/event-stream`), those of one application or, without the parameter, all of them.
///
/// Each event is written as it is published; nothing is replayed (webhooks are the durable path). The
/// stream sends a comment every `heartbeat` while idle, which keeps proxies from closing it and makes
/// a client that went away show up as a failed write; it ends then, or when the server shuts down.
///
/// A slow reader never slows the server: the subscription buffers a bounded number of events and
/// drops the oldest, and this stream then writes an `event: lagged` saying how many were lost. Nothing
/// here buffers more than one event of its own.
public struct EventStreamRoutes: Sendable {
    public static let defaultHeartbeat: Duration = .seconds(15)

    let stream: EventStream
    let registry: any ApplicationRegistry
    let heartbeat: Duration

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("events") { request, context in
            let scope = try await scope(request)
            let subscription = stream.subscribe(scope)
            context.logger.info("event stream opened", metadata: ["scope": "\(scope)", "actor": "\(context.actor)"])
            let logger = context.logger
            let heartbeat = heartbeat
            let body = ResponseBody { writer in
                defer { subscription.cancel() }
                do {
                    try await withTaskCancellationOrGracefulShutdownHandler {
                        try await Self.write(subscription, heartbeat: heartbeat, to: &writer)
                    } onCancelOrGracefulShutdown: {
                        subscription.cancel()
                    }
                } catch {
                    logger.info("event stream closed: the client went away", metadata: ["scope": "\(scope)"])
                    throw error
                }
                logger.info("event stream closed by the server", metadata: ["scope": "\(scope)"])
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: Self.headers, body: body)
        }
    }

    static let headers: HTTPFields = [
        .contentType: "text/event-stream; charset=utf-8",
        .cacheControl: "no-store",
        // nginx buffers responses unless told not to: events would arrive in batches.
        HTTPField.Name("X-Accel-Buffering")!: "no",
    ]

    /// `?application=<id>`: that application, which must exist; absent: every event.
    private func scope(_ request: Request) async throws -> EventScope {
        guard let text = request.uri.queryParameters.get("application") else { return .all }
        let id = try ApplicationFields.applicationID(text, "application")
        guard try await registry.application(id) != nil else { throw ApplicationAdministrationError.notFound(id) }
        return .application(id)
    }

    /// What the writer waits for: the subscription's next item, or a due heartbeat.
    private enum Output: Sendable {
        case item(EventStreamItem)
        case heartbeat
    }

    /// Writes the opening, then items and heartbeats until the subscription ends or a write fails
    /// (the client went away).
    ///
    /// Two child tasks feed one writer: one reads the subscription and hands over one item at a time,
    /// waiting until it is written before reading the next (so the subscription's bounded buffer is the
    /// only buffer, and its drop count stays true); the other marks a heartbeat due every `heartbeat`,
    /// at most one pending at a time.
    private static func write(_ subscription: EventSubscription, heartbeat: Duration, to writer: inout any ResponseBodyWriter) async throws {
        try await writer.write(ByteBuffer(string: ServerSentEvent.opening(subscription.scope)))
        let (outputs, output) = AsyncStream.makeStream(of: Output.self)
        let (written, wroteOne) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let heartbeatPending = PendingFlag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var acknowledgements = written.makeAsyncIterator()
                for await item in subscription {
                    output.yield(.item(item))
                    guard await acknowledgements.next() != nil else { break }
                }
                output.finish()
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: heartbeat)
                    if !Task.isCancelled, heartbeatPending.raise() { output.yield(.heartbeat) }
                }
            }
            for await next in outputs {
                switch next {
                case .item(let item):
                    try await writer.write(ServerSentEvent.frame(item))
                    wroteOne.yield()
                case .heartbeat:
                    heartbeatPending.lower()
                    try await writer.write(ByteBuffer(string: ServerSentEvent.heartbeat))
                }
            }
            group.cancelAll()
        }
    }
}

/// Whether a heartbeat is waiting to be written: the ticker raises it (once), the writer lowers it.
private final class PendingFlag: Sendable {
    private let value = Atomic(false)

    /// Raises the flag; `true` when it was down (so this caller should announce it).
    func raise() -> Bool { !value.exchange(true, ordering: .acquiringAndReleasing) }

    func lower() { value.store(false, ordering: .releasing) }
}
