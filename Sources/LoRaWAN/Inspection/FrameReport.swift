/// Every field of a frame, and what the given keys revealed. Its `Codable` form is the CLI's `--json`
/// output; the property names are stable and documented in the README.
public struct FrameReport: Codable, Sendable, Equatable {
    public var phyPayload: String
    public var mType: String
    public var major: Int
    public var mic: String?
    /// `true`/`false` when a MIC was checked, absent when no key allowed it.
    public var micValid: Bool?
    /// Which key or formula checked the MIC.
    public var micCheckedWith: String?

    // Data frames
    public var devAddr: String?
    public var direction: String?
    public var confirmed: Bool?
    public var fCtrl: FCtrlReport?
    public var fCnt16: Int?
    public var fCnt: Int?
    public var fOpts: String?
    public var fOptsDecrypted: String?
    public var fOptsMACCommands: [String]?
    public var fPort: Int?
    public var frmPayload: String?
    public var frmPayloadDecrypted: String?
    public var frmPayloadMACCommands: [String]?

    // Join-request and rejoin-request
    public var joinEUI: String?
    public var devEUI: String?
    public var devNonce: Int?
    public var rejoinType: Int?
    public var netID: String?
    public var rjCount: Int?

    // Join-accept
    public var encryptedPayload: String?
    public var joinAccept: JoinAcceptReport?

    // Proprietary
    public var proprietaryPayload: String?

    /// Checks that could not be made and why (a missing key, a counter assumed).
    public var notes: [String]

    public struct FCtrlReport: Codable, Sendable, Equatable {
        public var adr: Bool
        public var adrAckReq: Bool?
        public var ack: Bool
        public var classB: Bool?
        public var fPending: Bool?
        public var fOptsLen: Int
    }

    public struct JoinAcceptReport: Codable, Sendable, Equatable {
        public var joinNonce: Int
        public var homeNetID: String
        public var devAddr: String
        public var optNeg: Bool
        public var rx1DROffset: Int
        public var rx2DataRate: Int
        public var rxDelay: Int
        public var cfList: String?
        public var cfListType: Int?
    }

    init(phyPayload: [UInt8], mType: MType) {
        self.phyPayload = Hex.encode(phyPayload)
        self.mType = mType.description
        self.major = 0
        self.notes = []
    }
}
