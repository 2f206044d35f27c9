/// Join-accept encryption (LoRaWAN 1.0.4 §6.2.6, 1.1 §6.2.3).
///
/// The network *decrypts* `payload | MIC` with AES-ECB so that the device only needs the AES encrypt
/// function to read it. The MHDR stays in clear.
public enum JoinAcceptCipher {
    /// `MHDR | aes128_decrypt(key, JoinNonce .. CFList | MIC)`.
    /// - Parameter plaintext: MHDR | JoinNonce | NetID | DevAddr | DLSettings | RxDelay | [CFList] | MIC:
    ///   17 or 33 bytes.
    public static func encrypt<Role: JoinAcceptEncryptionKeyRole>(
        _ plaintext: [UInt8], key: AES128Key<Role>
    ) throws(FrameError) -> [UInt8] {
        try transform(plaintext, key: key, encrypting: true)
    }

    /// The device's side: `MHDR | aes128_encrypt(key, bytes 1...)`, giving back the plaintext with its MIC.
    public static func decrypt<Role: JoinAcceptEncryptionKeyRole>(
        _ phyPayload: [UInt8], key: AES128Key<Role>
    ) throws(FrameError) -> [UInt8] {
        try transform(phyPayload, key: key, encrypting: false)
    }

    private static func transform<Role>(_ bytes: [UInt8], key: AES128Key<Role>, encrypting: Bool) throws(FrameError) -> [UInt8] {
        guard bytes.count == 17 || bytes.count == 33 else {
            throw .wrongLength(message: "join-accept", expected: "17 or 33", actual: bytes.count)
        }
        let cipher = AES128Cipher(key: key)
        var out = [bytes[0]]
        out.reserveCapacity(bytes.count)
        for start in stride(from: 1, to: bytes.count, by: 16) {
            var block = AESBlock(bytes: Array(bytes[start..<start + 16]))
            if encrypting { cipher.decrypt(&block) } else { cipher.encrypt(&block) }
            out += block.bytes
        }
        return out
    }
}
