import Synchronization

/// One subscriber's bounded buffer: the publisher never waits for it. When it is full, the oldest
/// event is dropped and counted; the reader then gets `.lagged(dropped:)` before the rest.
final class EventMailbox: Sendable {
    private let state: Mutex<State>

    init(capacity: Int) {
        state = Mutex(State(capacity: max(1, capacity)))
    }

    /// Hands `event` to a waiting reader, or buffers it. Returns `true` when an older event was
    /// dropped to make room.
    @discardableResult
    func deliver(_ event: EncodedApplicationEvent) -> Bool {
        let (reader, dropped) = state.withLock { state -> (CheckedContinuation<EventStreamItem?, Never>?, Bool) in
            guard !state.finished else { return (nil, false) }
            if let reader = state.reader {
                state.reader = nil
                return (reader, false)
            }
            return (nil, state.push(event))
        }
        reader?.resume(returning: .event(event))
        return dropped
    }

    /// The next item; waits while the buffer is empty; `nil` once finished (or if another task is
    /// already reading: a subscription has one reader).
    func next() async -> EventStreamItem? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<EventStreamItem?, Never>) in
                let immediate = state.withLock { state -> EventStreamItem?? in
                    if state.finished || state.reader != nil { return .some(nil) }
                    if let item = state.take() { return .some(item) }
                    state.reader = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            finish()
        }
    }

    /// Ends the subscription: a waiting reader gets `nil`, buffered events are discarded.
    func finish() {
        let reader = state.withLock { state in
            state.finished = true
            state.clear()
            defer { state.reader = nil }
            return state.reader
        }
        reader?.resume(returning: nil)
    }

    private struct State {
        /// A ring of `capacity` slots; `head` is the oldest buffered event.
        var ring: [EncodedApplicationEvent?]
        var head = 0
        var count = 0
        var dropped = 0
        var reader: CheckedContinuation<EventStreamItem?, Never>?
        var finished = false

        init(capacity: Int) {
            ring = Array(repeating: nil, count: capacity)
        }

        mutating func push(_ event: EncodedApplicationEvent) -> Bool {
            var droppedOne = false
            if count == ring.count {
                ring[head] = nil
                head = (head + 1) % ring.count
                count -= 1
                dropped += 1
                droppedOne = true
            }
            ring[(head + count) % ring.count] = event
            count += 1
            return droppedOne
        }

        mutating func take() -> EventStreamItem? {
            if dropped > 0 {
                defer { dropped = 0 }
                return .lagged(dropped: dropped)
            }
            guard count > 0, let event = ring[head] else { return nil }
            ring[head] = nil
            head = (head + 1) % ring.count
            count -= 1
            return .event(event)
        }

        mutating func clear() {
            ring = ring.map { _ in nil }
            head = 0
            count = 0
            dropped = 0
        }
    }
}
