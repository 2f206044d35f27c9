/// The link quality of a device's recent uplinks, which the ADR algorithm reads (Semtech, "LoRaWAN –
/// simple rate adaptation recommended algorithm": the last 20 uplinks).
///
/// Each entry is one accepted uplink: the best SNR any gateway measured and how many gateways heard it.
/// The history is cleared when the device's data rate or TX power changes, so the SNRs always describe
/// the settings the device uses now.
public struct UplinkSignalHistory: Sendable, Hashable {
    /// One uplink.
    public struct Entry: Sendable, Hashable {
        public var fCnt: UInt32
        /// The highest SNR in dB among the gateways that heard the frame.
        public var maxSNR: Double
        public var gatewayCount: Int

        public init(fCnt: UInt32, maxSNR: Double, gatewayCount: Int) {
            self.fCnt = fCnt
            self.maxSNR = maxSNR
            self.gatewayCount = gatewayCount
        }
    }

    /// The number of uplinks the Semtech algorithm looks at.
    public static let defaultCapacity = 20

    /// Oldest first, at most `capacity`.
    public private(set) var entries: [Entry]
    public let capacity: Int

    public init(capacity: Int = Self.defaultCapacity, entries: [Entry] = []) {
        self.capacity = max(1, capacity)
        self.entries = Array(entries.suffix(self.capacity))
    }

    /// Adds an uplink, dropping the oldest beyond `capacity`.
    public mutating func record(_ entry: Entry) {
        entries.append(entry)
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }

    public mutating func removeAll() { entries.removeAll() }

    public var count: Int { entries.count }
    public var isFull: Bool { entries.count >= capacity }

    /// The highest SNR of the history, `nil` when it is empty.
    public var maxSNR: Double? { entries.map(\.maxSNR).max() }
}
