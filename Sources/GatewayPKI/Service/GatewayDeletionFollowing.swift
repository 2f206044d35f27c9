import Foundation
import LoRaWAN

/// Which gateway deletions a process has told its observers of, so that following the audit log
/// for deletions made elsewhere (the CLI, other instances) announces each one exactly once, and
/// never again one this process made and announced itself.
///
/// Deletions are read from the audit log (`gateway.deleted` events) rather than from the gateways
/// table because a deleted row leaves nothing to read. Each poll re-reads a little before the last
/// event it saw, like the revocation follower: a transaction that took its timestamp earlier may
/// commit later. Events already announced are recognised by their storage id; a deletion made here
/// by its gateway and time (storage keeps microseconds, so the times match within a millisecond).
/// Memory holds only the re-read window.
///
/// The window follows this process's clock as well as the events: after a burst of audit events
/// (a fleet registered and issued at once), a poll must not read the burst's last seconds again
/// every second until the next event comes. So processes writing the audit log are assumed to
/// agree on the time within the window, as they must for certificate validity anyway.
struct GatewayDeletionFollowing: Sendable {
    /// How far before the last event seen each poll starts.
    static let rereadWindow: TimeInterval = 5

    /// The time of the newest audit event seen (of any action) or of the last poll's start, whichever
    /// is later: the next poll reads from a window before it.
    private(set) var readSince: Date
    private var announcedEventIDs: [Int64: Date] = [:]
    private var madeHere: [(eui: EUI64, time: Date)] = []

    init(readSince: Date) {
        self.readSince = readSince
    }

    /// Where the next poll starts.
    var pollFrom: Date { readSince.addingTimeInterval(-Self.rereadWindow) }

    /// A deletion this process made and announced.
    mutating func deletedHere(_ eui: EUI64, at time: Date) {
        madeHere.append((eui, time))
    }

    /// Takes one poll's audit events (time order, any action) and returns the gateways deleted
    /// elsewhere that were not announced yet, in order.
    mutating func news(in events: [AuditEvent]) -> [EUI64] {
        var deleted: [EUI64] = []
        for event in events where event.action == .gatewayDeleted {
            guard let eui = event.gatewayEUI, let id = event.id, announcedEventIDs[id] == nil else { continue }
            announcedEventIDs[id] = event.time
            if madeHere.contains(where: { $0.eui == eui && abs($0.time.timeIntervalSince(event.time)) < 0.001 }) { continue }
            deleted.append(eui)
        }
        if let newest = events.last?.time, newest > readSince { readSince = newest }
        return deleted
    }

    /// A poll that started at `time` has read every page.
    mutating func polled(startedAt time: Date) {
        if time > readSince { readSince = time }
        // Anything older than the next poll's start cannot be read again.
        let horizon = pollFrom.addingTimeInterval(-1)
        announcedEventIDs = announcedEventIDs.filter { $0.value >= horizon }
        madeHere.removeAll { $0.time < horizon }
    }
}
