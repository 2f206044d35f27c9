/// Multicast keys of the LoRaWAN Remote Multicast Setup specification (TS005-1.0.0 §3.3-3.5 and 2.0.0).
public enum MulticastKeys {
    /// McRootKey of a LoRaWAN 1.0.x device: `aes128_encrypt(GenAppKey, 0x00 | pad16)`.
    public static func deriveMcRootKey(genAppKey: GenAppKey) -> McRootKey {
        McRootKey(storage: AES128Cipher(key: genAppKey).encrypted(.zero).storage)
    }

    /// McRootKey of a LoRaWAN 1.1 device: `aes128_encrypt(AppKey, 0x20 | pad16)`.
    public static func deriveMcRootKey(appKey: AppKey) -> McRootKey {
        McRootKey(storage: AES128Cipher(key: appKey).encrypted(AESBlock(bytes: [0x20])).storage)
    }

    /// `McKEKey = aes128_encrypt(McRootKey, 0x00 | pad16)`.
    public static func deriveMcKEKey(mcRootKey: McRootKey) -> McKEKey {
        McKEKey(storage: AES128Cipher(key: mcRootKey).encrypted(.zero).storage)
    }

    /// `McAppSKey = aes128_encrypt(McKey, 0x01 | McAddr | pad16)`.
    public static func deriveMcAppSKey(mcKey: McKey, mcAddr: DevAddr) -> McAppSKey {
        McAppSKey(storage: AES128Cipher(key: mcKey).encrypted(AESBlock(bytes: [0x01] + mcAddr.littleEndianBytes)).storage)
    }

    /// `McNwkSKey = aes128_encrypt(McKey, 0x02 | McAddr | pad16)`.
    public static func deriveMcNwkSKey(mcKey: McKey, mcAddr: DevAddr) -> McNwkSKey {
        McNwkSKey(storage: AES128Cipher(key: mcKey).encrypted(AESBlock(bytes: [0x02] + mcAddr.littleEndianBytes)).storage)
    }

    /// The server's side of McGroupSetupReq: `McKey_encrypted = aes128_decrypt(McKEKey, McKey)`, so the
    /// device recovers McKey with an AES encrypt.
    public static func encryptMcKey(_ mcKey: McKey, mcKEKey: McKEKey) -> [UInt8] {
        var block = AESBlock(storage: mcKey.storage)
        AES128Cipher(key: mcKEKey).decrypt(&block)
        return block.bytes
    }

    /// The device's side: `McKey = aes128_encrypt(McKEKey, McKey_encrypted)`.
    public static func decryptMcKey(_ encrypted: [UInt8], mcKEKey: McKEKey) throws(FrameError) -> McKey {
        guard encrypted.count == 16 else { throw .wrongLength(message: "encrypted McKey", expected: "16", actual: encrypted.count) }
        return McKey(storage: AES128Cipher(key: mcKEKey).encrypted(AESBlock(bytes: encrypted)).storage)
    }
}
