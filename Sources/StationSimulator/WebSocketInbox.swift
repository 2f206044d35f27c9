import NIOCore
import NIOWebSocket
import Synchronization

/// The messages a websocket received and `receive()` has not taken yet, shared between the event loop
/// (which delivers) and the receiving task.
///
/// It holds at most a few messages: at `highWatermark` it asks the frame handler to stop reading from
/// the socket, and once `receive()` has brought it down to `lowWatermark` it reads again. A waiting
/// `receive()` is one continuation, not a task or a thread.
final class WebSocketInbox: Sendable {
    static let highWatermark = 8
    static let lowWatermark = 2

    /// How the conversation ended; the inbox hands out its remaining messages first.
    enum End: Sendable {
        case closed(WebSocketErrorCode?)
        case failed(StationConnectionError)
    }

    private struct State {
        var messages: [StationWebSocket.Message] = []
        var end: End?
        var waiter: CheckedContinuation<StationWebSocket.Message?, any Error>?
        var readingPaused = false
    }

    private let state = Mutex(State())
    /// Asked to read from the socket again after a pause.
    private let channel: any Channel

    init(channel: any Channel) {
        self.channel = channel
    }

    /// The code of the server's close frame, once one arrived.
    var closeCode: WebSocketErrorCode? {
        state.withLock { state in
            if case .closed(let code) = state.end { return code }
            return nil
        }
    }

    /// Whether the conversation has ended (all remaining messages may still be unread).
    var hasEnded: Bool {
        state.withLock { $0.end != nil }
    }

    // MARK: Event loop side

    func deliver(_ message: StationWebSocket.Message) {
        let waiter = state.withLock { state -> CheckedContinuation<StationWebSocket.Message?, any Error>? in
            guard state.end == nil else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.messages.append(message)
            return nil
        }
        waiter?.resume(returning: message)
    }

    /// Records how the conversation ended; the first end stands.
    func finish(_ end: End) {
        let waiter = state.withLock { state -> CheckedContinuation<StationWebSocket.Message?, any Error>? in
            guard state.end == nil else { return nil }
            state.end = end
            defer { state.waiter = nil }
            return state.waiter
        }
        guard let waiter else { return }
        switch end {
        case .closed: waiter.resume(returning: nil)
        case .failed(let error): waiter.resume(throwing: error)
        }
    }

    /// Whether the socket may be read now; if not, reading resumes when `receive()` drains the inbox.
    func mayRead() -> Bool {
        state.withLock { state in
            guard state.messages.count >= Self.highWatermark else { return true }
            state.readingPaused = true
            return false
        }
    }

    // MARK: Receiving side

    func receive() async throws(StationConnectionError) -> StationWebSocket.Message? {
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    take(into: continuation)
                }
            } onCancel: {
                cancelWaiter()
            }
        } catch let error as StationConnectionError {
            throw error
        } catch {
            throw .cancelled
        }
    }

    private func take(into continuation: CheckedContinuation<StationWebSocket.Message?, any Error>) {
        enum Outcome {
            case message(StationWebSocket.Message, resumeReading: Bool)
            case end(End)
            case busy
            case cancelled
            case waiting
        }
        let outcome = state.withLock { state -> Outcome in
            if !state.messages.isEmpty {
                let message = state.messages.removeFirst()
                let resume = state.readingPaused && state.messages.count <= Self.lowWatermark
                if resume { state.readingPaused = false }
                return .message(message, resumeReading: resume)
            }
            if let end = state.end { return .end(end) }
            if state.waiter != nil { return .busy }
            if Task.isCancelled { return .cancelled }
            state.waiter = continuation
            return .waiting
        }
        switch outcome {
        case .message(let message, let resumeReading):
            if resumeReading { channel.read() }
            continuation.resume(returning: message)
        case .end(.closed):
            continuation.resume(returning: nil)
        case .end(.failed(let error)):
            continuation.resume(throwing: error)
        case .busy:
            continuation.resume(throwing: StationConnectionError.concurrentReceive)
        case .cancelled:
            continuation.resume(throwing: StationConnectionError.cancelled)
        case .waiting:
            break
        }
    }

    private func cancelWaiter() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(throwing: StationConnectionError.cancelled)
    }
}
