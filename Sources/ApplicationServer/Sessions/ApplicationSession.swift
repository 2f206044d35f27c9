import Foundation
import LoRaWAN

/// What the Application Server knows of one session of a device: its address and the AppSKey that
/// encrypts its FRMPayloads on FPort 1-223 (LoRaWAN 1.1 §4.3.3).
///
/// The AppSKey is the only key this module ever holds (DESIGN.md invariant 3): a session record has no
/// field for a network key, and its type system cannot be given one. The key never prints.
public struct ApplicationSession: Sendable, Equatable, CustomStringConvertible {
    public var devEUI: EUI64
    public var devAddr: DevAddr
    /// The Join Server's `SessionKeyID`: uplinks and downlink counter reservations name their session by it.
    public var sessionKeyID: [UInt8]
    public var appSKey: AppSKey
    public var createdAt: Date
    /// Activation by personalisation: the operator gave this AppSKey (no Join Server), and the device
    /// keeps it and its counters for life. Its uplink events say the device is insecure.
    public var isABP: Bool

    public init(devEUI: EUI64, devAddr: DevAddr, sessionKeyID: [UInt8], appSKey: AppSKey, createdAt: Date, isABP: Bool = false) {
        self.devEUI = devEUI
        self.devAddr = devAddr
        self.sessionKeyID = sessionKeyID
        self.appSKey = appSKey
        self.createdAt = createdAt
        self.isABP = isABP
    }

    public var description: String {
        "ApplicationSession(DevEUI: \(devEUI), DevAddr: \(devAddr), SessionKeyID: \(Hex.encode(sessionKeyID)), "
            + "\(isABP ? "ABP, " : "")AppSKey: <redacted>)"
    }
}
