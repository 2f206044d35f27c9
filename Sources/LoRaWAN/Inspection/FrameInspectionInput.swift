/// What an operator can give `FrameInspector` to look inside a frame: any keys they hold and the
/// context a MIC needs. Every field is optional; without a key the matching check is reported as skipped.
public struct FrameInspectionInput: Sendable {
    public enum Version: String, Sendable, CaseIterable {
        case v1_0 = "1.0"
        case v1_1 = "1.1"
    }

    public var version: Version
    public var nwkSKey: NwkSKey?
    public var appSKey: AppSKey?
    public var fNwkSIntKey: FNwkSIntKey?
    public var sNwkSIntKey: SNwkSIntKey?
    public var nwkSEncKey: NwkSEncKey?
    public var appKey: AppKey?
    public var nwkKey: NwkKey?
    /// The full 32-bit frame counter, needed when it is above 65535.
    public var fCnt: UInt32?
    public var micParameters: MICParameters
    public var fOptsVariant: FOptsEncryptionVariant
    /// For the 1.1 join-accept MIC (OptNeg = 1): from the join-request being answered.
    public var joinEUI: EUI64?
    public var devEUI: EUI64?
    public var devNonce: DevNonce?

    public init(
        version: Version = .v1_0, nwkSKey: NwkSKey? = nil, appSKey: AppSKey? = nil, fNwkSIntKey: FNwkSIntKey? = nil,
        sNwkSIntKey: SNwkSIntKey? = nil, nwkSEncKey: NwkSEncKey? = nil, appKey: AppKey? = nil, nwkKey: NwkKey? = nil,
        fCnt: UInt32? = nil, micParameters: MICParameters = MICParameters(), fOptsVariant: FOptsEncryptionVariant = .errata,
        joinEUI: EUI64? = nil, devEUI: EUI64? = nil, devNonce: DevNonce? = nil
    ) {
        self.version = version
        self.nwkSKey = nwkSKey
        self.appSKey = appSKey
        self.fNwkSIntKey = fNwkSIntKey
        self.sNwkSIntKey = sNwkSIntKey
        self.nwkSEncKey = nwkSEncKey
        self.appKey = appKey
        self.nwkKey = nwkKey
        self.fCnt = fCnt
        self.micParameters = micParameters
        self.fOptsVariant = fOptsVariant
        self.joinEUI = joinEUI
        self.devEUI = devEUI
        self.devNonce = devNonce
    }

    /// The network keys for a data frame, if enough were given for this version.
    var networkSessionKeys: NetworkSessionKeys? {
        switch version {
        case .v1_0:
            return nwkSKey.map { .legacy(nwkSKey: $0) }
        case .v1_1:
            guard let s = sNwkSIntKey else { return nil }
            // A downlink MIC needs only SNwkSIntKey; absent keys are never used for a check.
            let f = fNwkSIntKey ?? FNwkSIntKey(reinterpreting: s)
            let e = nwkSEncKey ?? NwkSEncKey(reinterpreting: s)
            return .current(fNwkSIntKey: f, sNwkSIntKey: s, nwkSEncKey: e, fOptsVariant: fOptsVariant)
        }
    }
}
