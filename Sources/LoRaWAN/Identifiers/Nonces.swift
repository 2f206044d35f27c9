/// The 16-bit nonce a device sends in a join-request. LoRaWAN 1.0.0-1.0.3 devices pick it at random
/// (so the Join Server must refuse reuse); 1.0.4 and 1.1 devices count it up (so it must grow).
public struct DevNonce: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    public static func < (a: DevNonce, b: DevNonce) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

/// The 24-bit nonce of a join-accept (AppNonce in LoRaWAN 1.0). The Join Server counts it up per device
/// so that a 1.1 device can refuse a replayed join-accept.
public struct JoinNonce: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public static let max = JoinNonce(uncheckedRawValue: 0xFF_FFFF)

    /// - Returns: `nil` when the value does not fit in 24 bits.
    public init?(_ rawValue: UInt32) {
        guard rawValue <= 0xFF_FFFF else { return nil }
        self.rawValue = rawValue
    }

    init(uncheckedRawValue: UInt32) { rawValue = uncheckedRawValue & 0xFF_FFFF }

    /// The next nonce, or `nil` when the 24-bit space is exhausted (the device must be re-keyed).
    public var next: JoinNonce? { JoinNonce(rawValue + 1) }

    public static func < (a: JoinNonce, b: JoinNonce) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}

/// RJcount0 (rejoin types 0 and 2) or RJcount1 (type 1): the rejoin counterpart of DevNonce (LoRaWAN 1.1 §6.2.5).
public struct RJCount: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    public static func < (a: RJCount, b: RJCount) -> Bool { a.rawValue < b.rawValue }
    public var description: String { String(rawValue) }
}
