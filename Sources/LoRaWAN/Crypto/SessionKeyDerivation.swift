/// Session key derivation after a join (LoRaWAN 1.0.4 §6.2.5, LoRaWAN 1.1 §6.2.2 and §6.3.2).
public enum SessionKeyDerivation {
    /// LoRaWAN 1.0.x: `K = aes128_encrypt(AppKey, t | JoinNonce | NetID | DevNonce | pad16)`,
    /// t = 0x01 for NwkSKey and 0x02 for AppSKey.
    public static func deriveLegacySessionKeys(
        appKey: AppKey, joinNonce: JoinNonce, netID: NetID, devNonce: DevNonce
    ) -> LegacySessionKeys {
        let cipher = AES128Cipher(key: appKey)
        let tail = netID.littleEndianBytes + littleEndian(devNonce.rawValue)
        return LegacySessionKeys(
            nwkSKey: NwkSKey(storage: derive(cipher, 0x01, joinNonce, tail)),
            appSKey: AppSKey(storage: derive(cipher, 0x02, joinNonce, tail)))
    }

    /// A LoRaWAN 1.1 device joined with OptNeg = 0 (a 1.0 network): the 1.0 formula under NwkKey, and the
    /// three network keys are all the same 1.0 NwkSKey (LoRaWAN 1.1 §6.2.2).
    public static func deriveSessionKeysForOptNegZero(
        nwkKey: NwkKey, joinNonce: JoinNonce, netID: NetID, devNonce: DevNonce
    ) -> SessionKeys {
        let cipher = AES128Cipher(key: nwkKey)
        let tail = netID.littleEndianBytes + littleEndian(devNonce.rawValue)
        let network = derive(cipher, 0x01, joinNonce, tail)
        return SessionKeys(
            fNwkSIntKey: FNwkSIntKey(storage: network), sNwkSIntKey: SNwkSIntKey(storage: network),
            nwkSEncKey: NwkSEncKey(storage: network), appSKey: AppSKey(storage: derive(cipher, 0x02, joinNonce, tail)))
    }

    /// LoRaWAN 1.1 with OptNeg = 1: `aes128_encrypt(root, t | JoinNonce | JoinEUI | DevNonce | pad16)`,
    /// t = 0x01 FNwkSIntKey, 0x03 SNwkSIntKey, 0x04 NwkSEncKey (root NwkKey), 0x02 AppSKey (root AppKey).
    /// After a rejoin, `devNonce` is the RJcount of the rejoin-request.
    public static func deriveSessionKeys(
        nwkKey: NwkKey, appKey: AppKey, joinNonce: JoinNonce, joinEUI: EUI64, devNonce: DevNonce
    ) -> SessionKeys {
        let network = AES128Cipher(key: nwkKey)
        let tail = joinEUI.littleEndianBytes + littleEndian(devNonce.rawValue)
        return SessionKeys(
            fNwkSIntKey: FNwkSIntKey(storage: derive(network, 0x01, joinNonce, tail)),
            sNwkSIntKey: SNwkSIntKey(storage: derive(network, 0x03, joinNonce, tail)),
            nwkSEncKey: NwkSEncKey(storage: derive(network, 0x04, joinNonce, tail)),
            appSKey: AppSKey(storage: derive(AES128Cipher(key: appKey), 0x02, joinNonce, tail)))
    }

    /// LoRaWAN 1.1 §6.1.1.3: `JSIntKey = aes128_encrypt(NwkKey, 0x06 | DevEUI | pad16)`,
    /// `JSEncKey = aes128_encrypt(NwkKey, 0x05 | DevEUI | pad16)`.
    public static func deriveJoinServerKeys(nwkKey: NwkKey, devEUI: EUI64) -> (jsIntKey: JSIntKey, jsEncKey: JSEncKey) {
        let cipher = AES128Cipher(key: nwkKey)
        let int = cipher.encrypted(AESBlock(bytes: [0x06] + devEUI.littleEndianBytes))
        let enc = cipher.encrypted(AESBlock(bytes: [0x05] + devEUI.littleEndianBytes))
        return (JSIntKey(storage: int.storage), JSEncKey(storage: enc.storage))
    }

    private static func derive(_ cipher: AES128Cipher, _ type: UInt8, _ joinNonce: JoinNonce, _ tail: [UInt8]) -> (UInt64, UInt64) {
        var input: [UInt8] = [type]
        input.appendLE24(joinNonce.rawValue)
        input += tail
        return cipher.encrypted(AESBlock(bytes: input)).storage
    }

    private static func littleEndian(_ value: UInt16) -> [UInt8] { [UInt8(truncatingIfNeeded: value), UInt8(value >> 8)] }
}

/// The two session keys of a LoRaWAN 1.0.x session.
public struct LegacySessionKeys: Sendable, Equatable {
    public let nwkSKey: NwkSKey
    public let appSKey: AppSKey

    public init(nwkSKey: NwkSKey, appSKey: AppSKey) {
        self.nwkSKey = nwkSKey
        self.appSKey = appSKey
    }
}

/// The four session keys of a LoRaWAN 1.1 session.
public struct SessionKeys: Sendable, Equatable {
    public let fNwkSIntKey: FNwkSIntKey
    public let sNwkSIntKey: SNwkSIntKey
    public let nwkSEncKey: NwkSEncKey
    public let appSKey: AppSKey

    public init(fNwkSIntKey: FNwkSIntKey, sNwkSIntKey: SNwkSIntKey, nwkSEncKey: NwkSEncKey, appSKey: AppSKey) {
        self.fNwkSIntKey = fNwkSIntKey
        self.sNwkSIntKey = sNwkSIntKey
        self.nwkSEncKey = nwkSEncKey
        self.appSKey = appSKey
    }
}

extension SessionKeys {
    /// The single 1.0 network key of a 1.1 device joined with OptNeg = 0, whose three network keys are
    /// that one key (LoRaWAN 1.1 §6.2.2). A Join Server sends it as `NwkSKey`.
    public var optNegZeroNwkSKey: NwkSKey { NwkSKey(reinterpreting: fNwkSIntKey) }
}
