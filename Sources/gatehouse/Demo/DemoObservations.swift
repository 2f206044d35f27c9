import Foundation
import Synchronization

/// What the demo's application side saw, from the webhook receiver and the live stream, so each step
/// can wait for its evidence.
final class DemoObservations: Sendable {
    enum Source: String, Sendable { case webhook, stream }

    struct Observation: Sendable {
        var source: Source
        var type: String
        var json: [String: any Sendable]
    }

    private let seen = Mutex<[Observation]>([])

    func record(_ source: Source, type: String, body: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return }
        let sendable = object.compactMapValues { value -> (any Sendable)? in
            switch value {
            case let text as String: text
            case let number as NSNumber: number.doubleValue
            default: nil
            }
        }
        seen.withLock { $0.append(Observation(source: source, type: type, json: sendable)) }
    }

    /// Waits until an observation from `source` of `type` satisfies `matches`.
    func wait(
        for source: Source, type: String, timeout: Duration = .seconds(30), _ matches: @escaping @Sendable ([String: any Sendable]) -> Bool = { _ in true }
    ) async throws -> [String: any Sendable] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if let found = seen.withLock({ $0.first { $0.source == source && $0.type == type && matches($0.json) } }) { return found.json }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw DemoFailure("no \(type) event reached the \(source.rawValue) within \(timeout)")
    }
}
