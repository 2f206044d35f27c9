/// A field of a manufacturer's batch: a CSV column or a JSON member of a device object, by the name
/// both formats use.
public enum ManufacturerBatchField: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case devEUI = "dev_eui"
    case joinEUI = "join_eui"
    case macVersion = "mac_version"
    case claimCode = "claim_code"
    case kekLabel = "kek_label"
    case appKey = "app_key"
    case nwkKey = "nwk_key"

    /// The fields every record must have; the others may be empty (no keys in the batch).
    public var isRequired: Bool {
        switch self {
        case .devEUI, .joinEUI, .macVersion, .claimCode: true
        case .kekLabel, .appKey, .nwkKey: false
        }
    }

    public var description: String { rawValue }

    /// "dev_eui, join_eui, ..." for error messages that list what is allowed.
    static let allNames = allCases.map(\.rawValue).joined(separator: ", ")
}
