import BackendInterfaces
import LoRaWAN

/// One device of a manufacturer's batch: who it is, how it joins, the code that lets its buyer claim
/// it, and (unless the Join Server derives them from a master key) its root keys wrapped under a KEK
/// the manufacturer shares with this Join Server.
public struct ManufacturerDevice: Sendable, Equatable, CustomStringConvertible {
    public var devEUI: EUI64
    public var joinEUI: EUI64
    public var macVersion: MACVersion
    public var claimCode: ClaimCode
    /// `nil` when the batch carries no keys for the device (a master key covers its JoinEUI, or keys
    /// are set later).
    public var wrappedRootKeys: WrappedRootKeys?

    public init(devEUI: EUI64, joinEUI: EUI64, macVersion: MACVersion, claimCode: ClaimCode, wrappedRootKeys: WrappedRootKeys?) {
        self.devEUI = devEUI
        self.joinEUI = joinEUI
        self.macVersion = macVersion
        self.claimCode = claimCode
        self.wrappedRootKeys = wrappedRootKeys
    }

    /// The device's root keys, unwrapped with the KEK the batch names; `nil` when the batch has none.
    public func rootKeys(unwrappingWith keks: some KEKLookup) throws(RootKeyUnwrapError) -> RootKeys? {
        try wrappedRootKeys?.unwrap(with: keks)
    }

    /// The claim code's hash as `JoinDevice.claimCodeHash` stores it.
    public var claimCodeHash: [UInt8] { claimCode.hash(joinEUI: joinEUI, devEUI: devEUI) }

    public var description: String {
        "ManufacturerDevice(\(devEUI), JoinEUI: \(joinEUI), \(macVersion), \(claimCode), \(wrappedRootKeys.map(String.init(describing:)) ?? "no keys"))"
    }
}

extension ManufacturerDevice {
    /// Builds a device from one record's text fields (a CSV row or a JSON object), checking each field
    /// and how they fit together. An empty text counts as absent, since a CSV cell cannot be null.
    init(fields: [ManufacturerBatchField: String], at location: RecordLocation) throws(ManufacturerBatchError) {
        func value(_ field: ManufacturerBatchField) -> String? {
            guard let text = fields[field], !text.isEmpty else { return nil }
            return text
        }
        func required(_ field: ManufacturerBatchField) throws(ManufacturerBatchError) -> String {
            guard let text = value(field) else { throw .invalidField(at: location, field, .missing) }
            return text
        }
        func fail(_ field: ManufacturerBatchField, _ problem: FieldProblem) -> ManufacturerBatchError {
            .invalidField(at: location, field, problem)
        }

        let devEUIText = try required(.devEUI)
        guard let devEUI = try? EUI64(parsing: devEUIText) else { throw fail(.devEUI, .notEUI64) }
        let joinEUIText = try required(.joinEUI)
        guard let joinEUI = try? EUI64(parsing: joinEUIText) else { throw fail(.joinEUI, .notEUI64) }
        guard let macVersion = MACVersion(spelling: try required(.macVersion)) else { throw fail(.macVersion, .unknownMACVersion) }
        let claimCodeText = try required(.claimCode)
        let claimCode: ClaimCode
        do {
            claimCode = try ClaimCode(parsing: claimCodeText)
        } catch {
            throw fail(.claimCode, .invalidClaimCode(error))
        }
        self.init(devEUI: devEUI, joinEUI: joinEUI, macVersion: macVersion, claimCode: claimCode, wrappedRootKeys: nil)
        wrappedRootKeys = try Self.wrappedRootKeys(
            label: value(.kekLabel), appKey: value(.appKey), nwkKey: value(.nwkKey), macVersion: macVersion, fail: fail)
    }

    /// The checks on `kek_label`, `app_key` and `nwk_key` together, in the order a reader fixes them.
    private static func wrappedRootKeys(
        label: String?, appKey: String?, nwkKey: String?, macVersion: MACVersion,
        fail: (ManufacturerBatchField, FieldProblem) -> ManufacturerBatchError
    ) throws(ManufacturerBatchError) -> WrappedRootKeys? {
        if nwkKey != nil, !macVersion.hasSeparateNetworkRootKey { throw fail(.nwkKey, .notForMACVersion(macVersion)) }
        guard appKey != nil || nwkKey != nil else {
            if label != nil { throw fail(.kekLabel, .withoutWrappedKeys) }
            return nil
        }
        guard let label else { throw fail(appKey != nil ? .appKey : .nwkKey, .withoutKEKLabel) }
        guard KEKLabelRule.isValid(label) else { throw fail(.kekLabel, .invalidKEKLabel) }
        guard let appKey else { throw fail(.appKey, .requiredForMACVersion(macVersion)) }
        guard let wrappedAppKey = Hex.decode(appKey, count: WrappedRootKeys.wrappedKeyLength) else { throw fail(.appKey, .notWrappedKey) }
        let appEnvelope = KeyEnvelope(kekLabel: label, aesKey: wrappedAppKey)
        guard macVersion.hasSeparateNetworkRootKey else { return .legacy(appKey: appEnvelope) }
        guard let nwkKey else { throw fail(.nwkKey, .requiredForMACVersion(macVersion)) }
        guard let wrappedNwkKey = Hex.decode(nwkKey, count: WrappedRootKeys.wrappedKeyLength) else { throw fail(.nwkKey, .notWrappedKey) }
        return .separate(nwkKey: KeyEnvelope(kekLabel: label, aesKey: wrappedNwkKey), appKey: appEnvelope)
    }
}
