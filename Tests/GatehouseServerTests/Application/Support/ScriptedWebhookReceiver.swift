import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// A real HTTP server on 127.0.0.1 that plays a misbehaving webhook receiver for the transport's
/// tests: records what it is sent, signed or not, and answers as each path says.
///
/// Not the production ``LocalWebhookReceiver`` (the demo's, the benchmark's and the dispatcher tests'),
/// which verifies signatures and always answers 204: answering any status, hanging, redirecting and
/// sending endless bodies on request is test scaffolding that a shipped receiver should not have.
///
/// - `POST /hook`: records the request, answers 204.
/// - `POST /status/{code}`: answers `code`.
/// - `POST /slow`: answers after 30 seconds (longer than any test's transport waits).
/// - `POST /redirect`: answers 302 to `/hook`.
/// - `POST /big`: answers 200 with an endless body.
final class ScriptedWebhookReceiver: Sendable {
    struct Received: Sendable {
        var path: String
        var headers: [String: String]
        var body: [UInt8]
    }

    private let received = Mutex<[Received]>([])

    var requests: [Received] { received.withLock { $0 } }

    private func record(_ request: Request) async throws {
        let body = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let entry = Received(path: request.uri.path, headers: headers, body: Array(buffer: body))
        received.withLock { $0.append(entry) }
    }

    /// Runs the receiver and `body` with its base URL (`http://127.0.0.1:PORT`).
    static func with<T: Sendable>(_ body: (ScriptedWebhookReceiver, String) async throws -> T) async throws -> T {
        let receiver = ScriptedWebhookReceiver()
        let router = Router()
        router.post("hook") { request, _ in
            try await receiver.record(request)
            return Response(status: .noContent)
        }
        router.post("status/:code") { request, context in
            try await receiver.record(request)
            return Response(status: HTTPResponse.Status(code: Int(context.parameters.get("code") ?? "") ?? 500))
        }
        router.post("slow") { request, _ in
            try await receiver.record(request)
            try await Task.sleep(for: .seconds(30))
            return Response(status: .ok)
        }
        router.post("redirect") { request, _ in
            try await receiver.record(request)
            return Response(status: .found, headers: [.location: "/hook"])
        }
        router.post("big") { request, _ in
            try await receiver.record(request)
            return Response(status: .ok, body: ResponseBody { writer in
                let chunk = ByteBuffer(repeating: 0x61, count: 64 << 10)
                while !Task.isCancelled { try await writer.write(chunk) }
            })
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw ScaffoldingFailure(description: "the receiver did not start") }
            return try await body(receiver, "http://127.0.0.1:\(port)")
        }
    }
}
