/// A live subscription to application events: an `AsyncSequence` of ``EventStreamItem``s that ends
/// when it is cancelled, when the reading task is cancelled, or when the subscription is released.
///
/// It buffers at most the stream's `bufferSize` events; a reader that falls further behind loses the
/// oldest and reads `.lagged(dropped:)` in their place, so one slow client never slows the pipeline or
/// the other subscribers. One task reads a subscription.
///
/// Not an `AsyncStream`: its `.bufferingNewest` policy drops silently, and a subscriber must be told.
public final class EventSubscription: AsyncSequence, Sendable {
    public typealias Element = EventStreamItem
    public typealias Failure = Never

    public let scope: EventScope
    private let mailbox: EventMailbox
    private let onCancel: @Sendable () -> Void

    init(scope: EventScope, mailbox: EventMailbox, onCancel: @escaping @Sendable () -> Void) {
        self.scope = scope
        self.mailbox = mailbox
        self.onCancel = onCancel
    }

    deinit { cancel() }

    /// Ends the subscription: the reader's next call returns `nil` and no more events are buffered.
    public func cancel() {
        mailbox.finish()
        onCancel()
    }

    public func makeAsyncIterator() -> Iterator { Iterator(subscription: self) }

    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = EventStreamItem
        public typealias Failure = Never

        let subscription: EventSubscription

        public mutating func next() async -> EventStreamItem? {
            await subscription.mailbox.next()
        }
    }
}
