/// Which of a device's root keys a derivation, an envelope or an error is about. LoRaWAN 1.0.x devices
/// have an AppKey only; 1.1 devices have an NwkKey as well (LoRaWAN 1.1 §6.1.1.3).
public enum RootKeyName: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case appKey = "AppKey"
    case nwkKey = "NwkKey"

    /// The ASCII label that separates this key's KDF output from the other's (see `RootKeyDerivation`).
    public var derivationLabel: String { "LoRaWAN \(rawValue)" }

    public var description: String { rawValue }
}
