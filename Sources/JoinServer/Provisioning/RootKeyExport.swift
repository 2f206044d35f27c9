import BackendInterfaces
import LoRaWAN

/// One device's root keys on their way to another Join Server (a device transferred to a new owner's
/// network), wrapped under a KEK the two Join Servers share, so the document can travel by any
/// channel and be stored without exposing the keys.
///
/// JSON, with each key in the Backend Interfaces `KeyEnvelope` shape (`AESKey` is the RFC 3394 wrap of
/// the key, 48 upper-case hex digits); `nwk_key` only for a 1.1 device:
///
///     {"dev_eui": "0004A30B001C0530", "join_eui": "70B3D57ED0000001", "mac_version": "1.1",
///      "kek_label": "js-transfer",
///      "app_key": {"KEKLabel": "js-transfer", "AESKey": "..."},
///      "nwk_key": {"KEKLabel": "js-transfer", "AESKey": "..."}}
///
/// Exporting does not stop the device joining here; the caller marks it transferred (`JoinDevice.transferredAt`)
/// in the same step, so two Join Servers never answer for it.
public struct RootKeyExport: Sendable, Hashable, CustomStringConvertible {
    public var devEUI: EUI64
    public var joinEUI: EUI64
    public var macVersion: MACVersion
    public var wrappedRootKeys: WrappedRootKeys

    /// The label of the KEK both keys are wrapped under.
    public var kekLabel: String { wrappedRootKeys.kekLabel }

    /// - Throws: `.rootKeysDoNotFit` when the keys are not the ones a device of `macVersion` has, so a
    ///   document the receiver would refuse is never produced.
    public static func export(
        devEUI: EUI64, joinEUI: EUI64, macVersion: MACVersion, rootKeys: RootKeys, under kek: LabeledKEK
    ) throws(RootKeyExportError) -> RootKeyExport {
        guard rootKeys.fit(macVersion) else { throw .rootKeysDoNotFit(devEUI: devEUI, macVersion) }
        return RootKeyExport(
            devEUI: devEUI, joinEUI: joinEUI, macVersion: macVersion, wrappedRootKeys: WrappedRootKeys(wrapping: rootKeys, under: kek))
    }

    /// Joins parts already checked to fit: `export` and `decode` are the ways in from outside.
    init(devEUI: EUI64, joinEUI: EUI64, macVersion: MACVersion, wrappedRootKeys: WrappedRootKeys) {
        self.devEUI = devEUI
        self.joinEUI = joinEUI
        self.macVersion = macVersion
        self.wrappedRootKeys = wrappedRootKeys
    }

    /// The root keys, unwrapped with the KEK the document names.
    public func rootKeys(with keks: some KEKLookup) throws(RootKeyUnwrapError) -> RootKeys {
        try wrappedRootKeys.unwrap(with: keks)
    }

    public var description: String { "RootKeyExport(\(devEUI), JoinEUI: \(joinEUI), \(macVersion), \(wrappedRootKeys))" }
}

/// Why root keys could not be exported or an export document could not be read. Never carries a key.
public enum RootKeyExportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The keys given for export are not the ones a device of this version has.
    case rootKeysDoNotFit(devEUI: EUI64, MACVersion)
    /// Not JSON, or not the document's shape (an object; for a batch, an object with a `devices` array).
    case malformedJSON
    case tooLarge(bytes: Int, maximum: Int)
    case tooManyDevices(maximum: Int)
    case invalidField(at: RecordLocation, RootKeyExportField, FieldProblem)
    case duplicateDevEUI(EUI64, first: RecordLocation, again: RecordLocation)

    public var description: String {
        switch self {
        case .rootKeysDoNotFit(let devEUI, let version):
            "the root keys of \(devEUI) are not those of a LoRaWAN \(version) device (\(version.hasSeparateNetworkRootKey ? "NwkKey and AppKey" : "AppKey only"))"
        case .malformedJSON: "the root key export is not a JSON document of the expected shape"
        case .tooLarge(let bytes, let maximum): "the root key export is \(bytes) bytes, more than the maximum \(maximum)"
        case .tooManyDevices(let maximum): "the root key export has more than \(maximum) devices; split it"
        case .invalidField(let location, let field, let problem): "\(location): \(field) \(problem)"
        case .duplicateDevEUI(let devEUI, let first, let again): "DevEUI \(devEUI) appears twice, at \(first) and \(again)"
        }
    }
}

/// A member of a root key export document.
public enum RootKeyExportField: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case devEUI = "dev_eui"
    case joinEUI = "join_eui"
    case macVersion = "mac_version"
    case kekLabel = "kek_label"
    case appKey = "app_key"
    case nwkKey = "nwk_key"

    public var description: String { rawValue }
}
