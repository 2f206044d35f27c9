import LoRaWAN

/// A device's root keys, by MAC version: one AppKey for LoRaWAN 1.0.x, NwkKey and AppKey for 1.1.
/// They never leave the Join Server: no API reads them back, storage seals them, and they print redacted.
public enum RootKeys: Sendable, Equatable, CustomStringConvertible {
    case legacy(appKey: AppKey)
    case separate(nwkKey: NwkKey, appKey: AppKey)

    /// Whether these keys fit a device of `version` (two keys for 1.1, one before).
    public func fit(_ version: MACVersion) -> Bool {
        switch self {
        case .legacy: !version.hasSeparateNetworkRootKey
        case .separate: version.hasSeparateNetworkRootKey
        }
    }

    public var description: String {
        switch self {
        case .legacy: "RootKeys(AppKey: <redacted>)"
        case .separate: "RootKeys(NwkKey: <redacted>, AppKey: <redacted>)"
        }
    }
}
