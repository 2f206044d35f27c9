import Foundation
import Synchronization

/// What the running dispatcher holds in memory: deliveries leased to it that wait for an attempt slot,
/// and the attempts in flight, in all and per webhook.
///
/// A delivery waits here only while the outbox has it leased to this dispatcher (its `nextAttemptAt`
/// is the lease's end), so no claimant, here or in another instance, takes it meanwhile. It comes in
/// one of two ways:
///
/// - handed over by the dispatcher's `enqueue`, which reserves its place here first and then stores
///   the row already leased (so a stored lease always has its place, and a row is never attempted
///   before it is stored);
/// - claimed from the outbox, into room reserved the same way.
///
/// It leaves by starting an attempt, or by being let go when less than half its lease is left: an
/// attempt started then might outlive the lease and meet a second claimant. A delivery let go stays
/// leased in the outbox until the lease ends; then a claim takes it.
///
/// Everything here is bounded: waiting deliveries in all and per webhook (a slow receiver cannot take
/// every place), attempts in all and per webhook.
final class LeasedDeliveries: Sendable {
    struct Limits: Sendable {
        var waiting: Int
        var waitingPerWebhook: Int
        var inFlight: Int
        var inFlightPerWebhook: Int
    }

    /// Room held for one event's deliveries between reserving it and handing them over. It belongs to
    /// one run of the dispatcher: once that run ended, handing over or cancelling does nothing.
    struct Reservation: Sendable {
        fileprivate let run: UInt64
        fileprivate let webhooks: [UUID]
    }

    /// Room held for one claim's deliveries, and the webhooks the claim should skip.
    struct ClaimRoom: Sendable {
        fileprivate let run: UInt64
        let limit: Int
        let excluding: Set<UUID>
    }

    let limits: Limits
    private let state = Mutex(State())

    init(_ limits: Limits) {
        self.limits = limits
    }

    /// Starts taking deliveries: the dispatcher's `run()` began.
    func open() {
        state.withLock { state in
            state.run += 1
            state.accepting = true
        }
    }

    /// Stops taking deliveries and lets every waiting one go: their rows stay leased until their
    /// leases end, then a claim (after a restart, or by another instance) takes them. Attempts in flight
    /// still call ``finish(_:)``.
    func close() {
        state.withLock { state in
            state.run += 1
            state.accepting = false
            state.queues = [:]
            state.reserved = [:]
            state.waiting = 0
            state.skippedByClaim = []
        }
    }

    /// Reserves a place for one delivery to each of `webhooks` if the dispatcher is running and has room:
    /// the caller then stores them leased and calls ``handOver(_:_:)``, or ``cancel(_:)`` if storing
    /// failed. `nil`: no room; store them due at once, for a claim.
    func reserve(_ webhooks: [UUID]) -> Reservation? {
        state.withLock { state in
            guard state.accepting, state.waiting + webhooks.count <= limits.waiting,
                webhooks.allSatisfy({ state.held(by: $0) < limits.waitingPerWebhook })
            else { return nil }
            for webhook in webhooks { state.reserved[webhook, default: 0] += 1 }
            state.waiting += webhooks.count
            return Reservation(run: state.run, webhooks: webhooks)
        }
    }

    /// The deliveries of `reservation`, stored and leased, to wait for a slot.
    func handOver(_ deliveries: [WebhookDelivery], _ reservation: Reservation) {
        state.withLock { state in
            guard state.run == reservation.run else { return }
            state.release(reservation.webhooks)
            for delivery in deliveries { state.append(delivery) }
        }
    }

    /// Gives back a reservation whose deliveries were not stored.
    func cancel(_ reservation: Reservation) {
        state.withLock { state in
            guard state.run == reservation.run else { return }
            state.release(reservation.webhooks)
        }
    }

    /// Room for a claim of up to `batchSize`, reserved until ``add(_:into:)``; `nil` while the room is
    /// less than `minimum` (a claim is a transaction: it should bring in a worthwhile batch). The claim
    /// skips webhooks that already have a round of attempts in flight or waiting here, so one busy
    /// receiver's backlog stays in the outbox, not in memory; ``finish(_:)`` says when one of them has
    /// room again, so that what the claim left behind is claimed then, not at the next poll.
    func claimRoom(batchSize: Int, minimum: Int) -> ClaimRoom? {
        state.withLock { state in
            let limit = min(batchSize, limits.waiting - state.waiting)
            guard state.accepting, limit >= max(1, minimum) else { return nil }
            var excluding = Set<UUID>()
            for (webhook, count) in state.inFlightByWebhook where count + state.held(by: webhook) >= limits.inFlightPerWebhook {
                excluding.insert(webhook)
            }
            for webhook in state.queues.keys where state.inFlightByWebhook[webhook, default: 0] + state.held(by: webhook) >= limits.inFlightPerWebhook {
                excluding.insert(webhook)
            }
            state.waiting += limit
            state.skippedByClaim = excluding
            return ClaimRoom(run: state.run, limit: limit, excluding: excluding)
        }
    }

    /// Claimed deliveries (at most the room's limit), to wait for a slot; the room's rest is given back.
    func add(_ claimed: [WebhookDelivery], into room: ClaimRoom) {
        state.withLock { state in
            guard state.run == room.run else { return }
            state.waiting -= room.limit
            for delivery in claimed.prefix(room.limit) { state.append(delivery) }
        }
    }

    /// Takes waiting deliveries into free attempt slots, webhook by webhook in turns, and counts them
    /// in flight. Deliveries whose lease ends at or before `cutoff` are let go instead (returned so the
    /// caller can say so); they are let go from the front of every webhook's queue, slots or not.
    func start(leaseEndingAfter cutoff: Date) -> (started: [WebhookDelivery], letGo: [WebhookDelivery]) {
        state.withLock { state in
            var letGo: [WebhookDelivery] = []
            for webhook in Array(state.queues.keys) {
                letGo += state.dropExpired(of: webhook, cutoff: cutoff)
            }
            var started: [WebhookDelivery] = []
            while state.inFlight < limits.inFlight, !state.queues.isEmpty {
                // A fair share each round: a busy webhook does not take the slots of those after it.
                let share = max(1, (limits.inFlight - state.inFlight) / state.queues.count)
                var progress = false
                for webhook in Array(state.queues.keys) {
                    var taken = 0
                    while taken < share, state.inFlight < limits.inFlight,
                        state.inFlightByWebhook[webhook, default: 0] < limits.inFlightPerWebhook,
                        let delivery = state.popFirst(of: webhook)
                    {
                        state.inFlight += 1
                        state.inFlightByWebhook[webhook, default: 0] += 1
                        started.append(delivery)
                        taken += 1
                    }
                    progress = progress || taken > 0
                }
                if !progress { break }
            }
            return (started, letGo)
        }
    }

    /// An attempt started by ``start(leaseEndingAfter:)`` got its answer: its slot is free.
    ///
    /// - Returns: whether to claim now: the last claim skipped this webhook, which has drained to half a
    ///   round since, and due deliveries of it may be waiting in the outbox. At most one claim follows
    ///   each claim that skipped a webhook, so a receiver that stays busy costs no claim per attempt.
    func finish(_ delivery: WebhookDelivery) -> Bool {
        state.withLock { state in
            let webhook = delivery.webhookID
            state.inFlight -= 1
            let remaining = state.inFlightByWebhook[webhook, default: 1] - 1
            state.inFlightByWebhook[webhook] = remaining > 0 ? remaining : nil
            guard state.skippedByClaim.contains(webhook), remaining + state.held(by: webhook) <= limits.inFlightPerWebhook / 2 else { return false }
            state.skippedByClaim = []
            return true
        }
    }

    /// Deliveries waiting (or reserved) and attempts in flight.
    var counts: (waiting: Int, inFlight: Int) {
        state.withLock { ($0.waiting, $0.inFlight) }
    }

    private struct State {
        /// Which run of the dispatcher the reservations and claim rooms belong to.
        var run: UInt64 = 0
        var accepting = false
        var queues: [UUID: DeliveryQueue] = [:]
        var reserved: [UUID: Int] = [:]
        /// Waiting deliveries, reserved places and claim rooms, in all.
        var waiting = 0
        var inFlight = 0
        var inFlightByWebhook: [UUID: Int] = [:]
        /// The webhooks the last claim skipped.
        var skippedByClaim: Set<UUID> = []

        /// Waiting deliveries and reserved places of one webhook.
        func held(by webhook: UUID) -> Int {
            (queues[webhook]?.count ?? 0) + (reserved[webhook] ?? 0)
        }

        mutating func append(_ delivery: WebhookDelivery) {
            queues[delivery.webhookID, default: DeliveryQueue()].append(delivery)
            waiting += 1
        }

        mutating func release(_ webhooks: [UUID]) {
            for webhook in webhooks {
                let remaining = reserved[webhook, default: 1] - 1
                reserved[webhook] = remaining > 0 ? remaining : nil
            }
            waiting -= webhooks.count
        }

        mutating func popFirst(of webhook: UUID) -> WebhookDelivery? {
            guard let delivery = queues[webhook]?.popFirst() else { return nil }
            waiting -= 1
            if queues[webhook]?.isEmpty == true { queues[webhook] = nil }
            return delivery
        }

        /// Leases end roughly in queue order (hand-overs and claims each lease for the same time from
        /// when they happen), so expired deliveries gather at the front.
        mutating func dropExpired(of webhook: UUID, cutoff: Date) -> [WebhookDelivery] {
            var dropped: [WebhookDelivery] = []
            while let first = queues[webhook]?.first, first.nextAttemptAt <= cutoff, let delivery = popFirst(of: webhook) {
                dropped.append(delivery)
            }
            return dropped
        }
    }
}

/// A first-in first-out queue of deliveries: an array read from a moving head, compacted when the
/// consumed part grows larger than the rest.
private struct DeliveryQueue {
    private var items: [WebhookDelivery] = []
    private var head = 0

    var count: Int { items.count - head }
    var isEmpty: Bool { head == items.count }
    var first: WebhookDelivery? { isEmpty ? nil : items[head] }

    mutating func append(_ delivery: WebhookDelivery) {
        items.append(delivery)
    }

    mutating func popFirst() -> WebhookDelivery? {
        guard !isEmpty else { return nil }
        let delivery = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return delivery
    }
}
