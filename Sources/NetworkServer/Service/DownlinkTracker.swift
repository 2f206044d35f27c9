import Foundation
import LoRaWAN

/// Downlinks handed to gateways and not yet reported transmitted, by `diid`, so a `dntxed` can be told
/// to the Application Server as the application downlink it carried. Bounded: the oldest entries go
/// when it is full (a gateway that never reports must not grow memory).
actor DownlinkTracker {
    struct Entry: Sendable {
        var devEUI: EUI64?
        var applicationDownlinkID: UUID?
        var confirmed: Bool
    }

    private var nextID: Int64
    private var entries: [Int64: Entry] = [:]
    private var order: [Int64] = []
    private var head = 0
    private let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = capacity
        // Random start: ids from an earlier run still in flight at a gateway must not match new ones.
        nextID = Int64.random(in: 1 ... (1 << 40))
    }

    /// A fresh `diid` for a downlink about to be sent.
    func register(_ entry: Entry) -> Int64 {
        nextID += 1
        if entries.count >= capacity, head < order.count {
            entries.removeValue(forKey: order[head])
            head += 1
        }
        entries[nextID] = entry
        order.append(nextID)
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        return nextID
    }

    /// The downlink `diid` named, once: a second report of the same transmission finds nothing.
    func transmitted(_ diid: Int64) -> Entry? {
        entries.removeValue(forKey: diid)
    }

    /// Forgets a downlink that could not be handed to any gateway.
    func cancel(_ diid: Int64) {
        entries.removeValue(forKey: diid)
    }
}
