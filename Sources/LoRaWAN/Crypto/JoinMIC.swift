/// MICs of join-requests, rejoin-requests and join-accepts (LoRaWAN 1.0.4 §6.2.4-6.2.6, 1.1 §6.2.2-6.2.3).
/// `message` is always the wire bytes without the MIC.
public enum JoinMIC {
    /// LoRaWAN 1.0.x join-request: `cmac(AppKey, MHDR | JoinEUI | DevEUI | DevNonce)[0:4]`.
    public static func computeLegacyJoinRequestMIC(appKey: AppKey, message: [UInt8]) -> MIC {
        MIC(firstFourBytesOf: CMAC(key: appKey).mac(message))
    }

    /// LoRaWAN 1.1 join-request: the same formula under NwkKey.
    public static func computeJoinRequestMIC(nwkKey: NwkKey, message: [UInt8]) -> MIC {
        MIC(firstFourBytesOf: CMAC(key: nwkKey).mac(message))
    }

    /// Rejoin-request types 0 and 2 (§6.2.4.1): `cmac(SNwkSIntKey, MHDR | Type | NetID | DevEUI | RJcount0)[0:4]`.
    public static func computeRejoinRequestMIC(sNwkSIntKey: SNwkSIntKey, message: [UInt8]) -> MIC {
        MIC(firstFourBytesOf: CMAC(key: sNwkSIntKey).mac(message))
    }

    /// Rejoin-request type 1 (§6.2.4.2): `cmac(JSIntKey, MHDR | Type | JoinEUI | DevEUI | RJcount1)[0:4]`.
    public static func computeRejoinRequestMIC(jsIntKey: JSIntKey, message: [UInt8]) -> MIC {
        MIC(firstFourBytesOf: CMAC(key: jsIntKey).mac(message))
    }

    /// Join-accept of LoRaWAN 1.0.x, and of a 1.1 device answered with OptNeg = 0:
    /// `cmac(K, MHDR | JoinNonce | NetID | DevAddr | DLSettings | RxDelay | CFList)[0:4]` with K = AppKey
    /// (1.0.x) or NwkKey (1.1 device).
    public static func computeLegacyJoinAcceptMIC<Role: LegacyJoinRootKeyRole>(key: AES128Key<Role>, message: [UInt8]) -> MIC {
        MIC(firstFourBytesOf: CMAC(key: key).mac(message))
    }

    /// Join-accept with OptNeg = 1 (LoRaWAN 1.1 §6.2.3):
    /// `cmac(JSIntKey, JoinReqType | JoinEUI | DevNonce | MHDR | JoinNonce | NetID | DevAddr | DLSettings | RxDelay | CFList)[0:4]`.
    /// For a rejoin, `devNonce` carries the RJcount of the rejoin-request.
    public static func computeJoinAcceptMIC(
        jsIntKey: JSIntKey, joinReqType: JoinRequestType, joinEUI: EUI64, devNonce: UInt16, message: [UInt8]
    ) -> MIC {
        var input: [UInt8] = [joinReqType.rawValue]
        input += joinEUI.littleEndianBytes
        input.appendLE(devNonce)
        input += message
        return MIC(firstFourBytesOf: CMAC(key: jsIntKey).mac(input))
    }
}

/// What a join-accept answers (LoRaWAN 1.1 §6.2.3 JoinReqType).
public enum JoinRequestType: UInt8, Sendable, CustomStringConvertible {
    case rejoinType0 = 0x00
    case rejoinType1 = 0x01
    case rejoinType2 = 0x02
    case joinRequest = 0xFF

    public var description: String {
        switch self {
        case .joinRequest: "join-request"
        case .rejoinType0: "rejoin-request type 0"
        case .rejoinType1: "rejoin-request type 1"
        case .rejoinType2: "rejoin-request type 2"
        }
    }
}

/// Root keys that sign (and encrypt) a join-accept in the 1.0 way: AppKey for 1.0.x devices, NwkKey for
/// a 1.1 device answered with OptNeg = 0.
public protocol LegacyJoinRootKeyRole: KeyRole {}
extension AppKeyRole: LegacyJoinRootKeyRole {}
extension NwkKeyRole: LegacyJoinRootKeyRole {}

/// Keys that encrypt a join-accept: AppKey (1.0.x), NwkKey (1.1 join-request), JSEncKey (1.1 rejoin).
public protocol JoinAcceptEncryptionKeyRole: KeyRole {}
extension AppKeyRole: JoinAcceptEncryptionKeyRole {}
extension NwkKeyRole: JoinAcceptEncryptionKeyRole {}
extension JSEncKeyRole: JoinAcceptEncryptionKeyRole {}
