import AsyncHTTPClient
import Foundation
import GatehouseServer
import NIOCore

/// Reads a server-sent-event response as a client would: events as they complete, and the raw text
/// (comments included) for assertions about heartbeats.
struct EventStreamReading {
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    private var reader = ServerSentEventReader()
    private var pending: [ServerSentEventReader.Event] = []
    private(set) var text = ""

    init(_ response: HTTPClientResponse) {
        iterator = response.body.makeAsyncIterator()
    }

    /// The next complete event; `nil` when the stream ended.
    mutating func next() async throws -> ServerSentEventReader.Event? {
        while pending.isEmpty {
            guard let chunk = try await iterator.next() else { return nil }
            text += String(buffer: chunk)
            pending += try reader.read(chunk.readableBytesView)
        }
        return pending.removeFirst()
    }

    /// Reads until the raw text contains `fragment`; `false` when the stream ended first.
    mutating func readUntil(contains fragment: String) async throws -> Bool {
        while !text.contains(fragment) {
            guard let chunk = try await iterator.next() else { return false }
            text += String(buffer: chunk)
            pending += try reader.read(chunk.readableBytesView)
        }
        return true
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Runs `body`, failing with ``TimedOut`` if it takes longer than `limit` (a liveness bound, so that a
/// missing event fails the test instead of hanging it).
func within<T: Sendable>(_ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw TimedOut(description: "\(what) took longer than \(limit)") }
        return value
    }
}

/// Polls `condition` until it holds or `patience` passes; returns whether it holds.
func eventually(_ patience: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + patience
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
