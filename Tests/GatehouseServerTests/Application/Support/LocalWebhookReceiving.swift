import ApplicationServer
import Foundation
import GatehouseServer
import Synchronization

/// The production receiver (``LocalWebhookReceiver``: it checks every signature, answers 204, or 401
/// for a bad one) run for one test, with the bodies it accepted collected in arrival order.
final class ReceivedWebhooks: Sendable {
    let receiver: LocalWebhookReceiver
    private let bodies = Mutex<[[UInt8]]>([])

    init(_ receiver: LocalWebhookReceiver) { self.receiver = receiver }

    /// The verified bodies so far, in arrival order.
    var all: [[UInt8]] { bodies.withLock { $0 } }

    fileprivate func record(_ body: [UInt8]) { bodies.withLock { $0.append(body) } }

    /// Waits until `count` bodies arrived, up to a liveness bound (not a timing assertion).
    func waitFor(_ count: Int, within limit: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + limit
        while all.count < count {
            guard ContinuousClock.now < deadline else {
                throw ScaffoldingFailure(description: "\(all.count) of \(count) webhooks arrived within \(limit); \(receiver.refused) refused")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// Runs a ``LocalWebhookReceiver`` verifying with `secret` and `body` with it and its URL; stops it
/// however `body` ends.
func withLocalWebhookReceiver<T: Sendable>(
    secret: WebhookSecret? = nil, _ body: (ReceivedWebhooks, URL) async throws -> T
) async throws -> T {
    let receiver = LocalWebhookReceiver(secret: secret)
    let received = ReceivedWebhooks(receiver)
    let (urls, continuation) = AsyncStream.makeStream(of: URL.self)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await receiver.run { continuation.yield($0) } }
        group.addTask {
            for await delivery in receiver.deliveries { received.record(delivery.body) }
        }
        defer { group.cancelAll() }
        var iterator = urls.makeAsyncIterator()
        guard let url = await iterator.next() else { throw ScaffoldingFailure(description: "the webhook receiver did not start") }
        return try await body(received, url)
    }
}
