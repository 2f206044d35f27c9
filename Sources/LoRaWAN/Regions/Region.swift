/// A LoRaWAN regional channel plan that Gatehouse supports.
///
/// The raw value is the name LoRa Basics Station uses in `router_config.region`; ``init(_:)`` also
/// accepts the names the LoRa Alliance (RP002-1.0.3 §2.1 "EU863-870"), The Things Stack
/// ("EU_863_870") and ChirpStack ("eu868") use, in any letter case.
public enum Region: String, CaseIterable, Hashable, Sendable, LosslessStringConvertible {
    /// EU863-870 (RP002-1.0.3 §2.4).
    case eu868 = "EU868"
    /// US902-928 (RP002-1.0.3 §2.5).
    case us915 = "US915"
    /// AU915-928 (RP002-1.0.3 §2.8).
    case au915 = "AU915"
    /// AS923 group 1, 923.2/923.4 MHz with no frequency offset (RP002-1.0.3 §2.10).
    case as923_1 = "AS923-1"

    /// Parses a region name or one of its common aliases; `nil` when the name is not a region we model.
    public init?(_ description: String) {
        let key = Self.normalised(description)
        guard let region = Self.aliases[key] else { return nil }
        self = region
    }

    /// The Basics Station name, which is also the name Gatehouse prints and stores.
    public var description: String { rawValue }

    /// The name Basics Station expects in `router_config.region`.
    public var stationName: String { rawValue }

    /// The regional parameters of this plan.
    public var parameters: RegionalParameters {
        switch self {
        case .eu868: .eu868
        case .us915: .us915
        case .au915: .au915
        case .as923_1: .as923_1
        }
    }

    /// Upper case without separators, so "eu863-870", "EU_863_870" and "EU863870" meet.
    private static func normalised(_ name: String) -> String {
        String(name.uppercased().filter { $0 != "-" && $0 != "_" && $0 != " " && $0 != "." })
    }

    /// Every accepted spelling, after ``normalised(_:)``.
    private static let aliases: [String: Region] = [
        "EU868": .eu868, "EU863870": .eu868, "EU863": .eu868,
        "US915": .us915, "US902928": .us915, "US902": .us915,
        "AU915": .au915, "AU915928": .au915,
        "AS9231": .as923_1, "AS923": .as923_1, "AS923JP": .as923_1, "AS923GROUP1": .as923_1,
    ]
}
