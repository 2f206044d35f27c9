/// The LoRaWAN link-layer version a device implements. It decides the join procedure: which root key
/// signs the join-request, how session keys are derived, and how the Join Server guards DevNonce.
public enum MACVersion: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case v1_0_0 = "1.0.0"
    case v1_0_1 = "1.0.1"
    case v1_0_2 = "1.0.2"
    case v1_0_3 = "1.0.3"
    case v1_0_4 = "1.0.4"
    case v1_1 = "1.1"

    /// Reads every spelling implementations send: `1.0`, `1.0.0`...`1.0.4`, `1.1` and `1.1.0`
    /// (ChirpStack writes three parts, The Things Stack two for 1.0 and 1.1).
    public init?(spelling text: some StringProtocol) {
        switch text.trimmingSpaces {
        case "1.0", "1.0.0": self = .v1_0_0
        case "1.0.1": self = .v1_0_1
        case "1.0.2": self = .v1_0_2
        case "1.0.3": self = .v1_0_3
        case "1.0.4": self = .v1_0_4
        case "1.1", "1.1.0": self = .v1_1
        default: return nil
        }
    }

    /// 1.1 devices have two root keys (NwkKey and AppKey) and derive four session keys.
    public var hasSeparateNetworkRootKey: Bool { self == .v1_1 }

    /// How the Join Server must guard this device's DevNonce.
    ///
    /// LoRaWAN 1.0.0-1.0.3 devices pick DevNonce at random, so only reuse can be refused; 1.0.4 §6.2.5
    /// and 1.1 §6.2.5 make it a counter that starts at 0 and must grow with every join-request.
    public var devNonceRule: DevNonceRule {
        switch self {
        case .v1_0_0, .v1_0_1, .v1_0_2, .v1_0_3: .neverReused
        case .v1_0_4, .v1_1: .increasing
        }
    }

    public var description: String { rawValue }
}

/// What makes a DevNonce acceptable.
public enum DevNonceRule: String, Hashable, Sendable {
    /// A value this device has used before is refused (random nonces, LoRaWAN 1.0.0-1.0.3).
    case neverReused
    /// The value must be greater than the last accepted one (counting nonces, 1.0.4 and 1.1).
    case increasing
}
