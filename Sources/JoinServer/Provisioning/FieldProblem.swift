import LoRaWAN

/// What is wrong with one field of an imported device record. Each case is a sentence about the field
/// that never repeats its value: a misaligned CSV row can put a key or a claim code in any column.
public enum FieldProblem: Hashable, Sendable, CustomStringConvertible {
    case missing
    /// A JSON value that should be a string (or an object) is another JSON type.
    case wrongJSONType
    case notEUI64
    case unknownMACVersion
    case invalidClaimCode(ClaimCodeError)
    case invalidKEKLabel
    /// Not 48 hex digits: a wrapped 128-bit key is 24 bytes (RFC 3394).
    case notWrappedKey
    /// A KEK label is given but no wrapped key.
    case withoutWrappedKeys
    /// A wrapped key is given without the label of its KEK.
    case withoutKEKLabel
    /// An NwkKey for a device whose version has only an AppKey.
    case notForMACVersion(MACVersion)
    /// A key the device's version needs when its keys are given at all.
    case requiredForMACVersion(MACVersion)
    /// A key envelope names a different KEK than the record's `kek_label`.
    case labelDiffers

    public var description: String {
        switch self {
        case .missing: "is missing"
        case .wrongJSONType: "has the wrong JSON type"
        case .notEUI64: "is not an EUI-64 (16 hex digits)"
        case .unknownMACVersion: "is not a LoRaWAN MAC version (1.0.0 to 1.0.4, or 1.1)"
        case .invalidClaimCode(let error): "is not a valid claim code: \(error)"
        case .invalidKEKLabel: "is not a KEK label (1 to \(KEKLabelRule.maximumLength) printable ASCII characters)"
        case .notWrappedKey: "is not a wrapped 128-bit key (48 hex digits, RFC 3394)"
        case .withoutWrappedKeys: "is given but no wrapped key is"
        case .withoutKEKLabel: "is given without the kek_label of the key-encryption key it is wrapped under"
        case .notForMACVersion(let version): "must be empty: a LoRaWAN \(version) device has one root key, the AppKey"
        case .requiredForMACVersion(let version): "is required: a LoRaWAN \(version) device has two root keys, NwkKey and AppKey"
        case .labelDiffers: "is wrapped under a different KEK than kek_label names"
        }
    }
}
