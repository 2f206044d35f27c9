public import ApplicationServer
public import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A webhook receiver on 127.0.0.1 for the demo, the end-to-end tests and the benchmark: it checks
/// every POST's signature against the application's secret, answers 204 (401 for a bad signature),
/// and hands each verified body on with the time it arrived.
public final class LocalWebhookReceiver: Sendable {
    public struct Delivery: Sendable {
        public var eventType: String
        public var body: [UInt8]
        public var receivedAt: ContinuousClock.Instant
    }

    private let secret: Mutex<WebhookSecret?>
    private let continuation: AsyncStream<Delivery>.Continuation
    /// Every verified delivery, in arrival order.
    public let deliveries: AsyncStream<Delivery>
    private let refusedCount = Atomic<Int>(0)

    public init(secret: WebhookSecret? = nil) {
        self.secret = Mutex(secret)
        (deliveries, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// The secret to verify with (known once the application's secret is rotated).
    public func use(secret: WebhookSecret) { self.secret.withLock { $0 = secret } }

    /// POSTs whose signature did not verify.
    public var refused: Int { refusedCount.load(ordering: .relaxed) }

    /// Serves on 127.0.0.1 at a free port until the task is cancelled; `onListening` gets the URL.
    public func run(onListening: @escaping @Sendable (URL) async -> Void) async throws {
        let router = Router()
        router.post("/**") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let bytes = Array(body.readableBytesView)
            let headers = request.headers
            guard let secret = self.secret.withLock({ $0 }),
                  let timestamp = headers[HTTPField.Name(WebhookSignature.timestampHeader)!],
                  let signature = headers[HTTPField.Name(WebhookSignature.signatureHeader)!],
                  (try? WebhookSignature.verify(body: bytes, timestamp: timestamp, signature: signature, secret: secret, now: Date())) != nil
            else {
                self.refusedCount.add(1, ordering: .relaxed)
                return Response(status: .unauthorized)
            }
            let type = headers[HTTPField.Name(WebhookDispatcher.eventHeader)!] ?? ""
            self.continuation.yield(Delivery(eventType: type, body: bytes, receivedAt: .now))
            return Response(status: .noContent)
        }
        var logger = Logger(label: "gatehouse.webhook-receiver")
        // Its own shutdown (the caller cancels it) is not an error worth a line.
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                await onListening(URL(string: "http://127.0.0.1:\(channel.localAddress?.port ?? 0)/hook")!)
            },
            logger: logger)
        try await app.run()
        continuation.finish()
    }
}
