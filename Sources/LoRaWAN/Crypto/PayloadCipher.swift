/// FRMPayload and FOpts encryption (LoRaWAN 1.0.4 §4.3.3, LoRaWAN 1.1 §4.3.1.6 and §4.3.3).
/// Both are AES in counter mode, so encryption and decryption are the same operation.
public enum PayloadCipher {
    /// Encrypts or decrypts an FRMPayload in place: `payload[i] ^= aes(K, A_i)`,
    /// `A_i = 01 | 00 00 00 00 | Dir | DevAddr | FCnt | 00 | i`.
    ///
    /// The key is the AppSKey for FPort > 0, the NwkSKey (1.0) or NwkSEncKey (1.1) for FPort 0, or a
    /// multicast McAppSKey; the `FRMPayloadKeyRole` constraint lets only those through.
    @inlinable
    public static func cryptFRMPayload<Role: FRMPayloadKeyRole>(
        _ payload: UnsafeMutableRawBufferPointer, key: AES128Key<Role>, direction: Direction, devAddr: DevAddr, fCnt: UInt32
    ) {
        let cipher = AES128Cipher(key: key)
        let a = counterBlock(first: 0x01, fourth: 0, direction: direction, devAddr: devAddr, fCnt: fCnt, last: 0)
        applyKeystream(payload, cipher: cipher, counterBlock: a, startCounter: 1)
    }

    /// Encrypts or decrypts an FRMPayload held in an array.
    public static func cryptFRMPayload<Role: FRMPayloadKeyRole>(
        _ payload: [UInt8], key: AES128Key<Role>, direction: Direction, devAddr: DevAddr, fCnt: UInt32
    ) -> [UInt8] {
        var out = payload
        out.withUnsafeMutableBytes { cryptFRMPayload($0, key: key, direction: direction, devAddr: devAddr, fCnt: fCnt) }
        return out
    }

    /// Encrypts or decrypts LoRaWAN 1.1 FOpts (at most 15 bytes, one keystream block) with NwkSEncKey.
    ///
    /// Two block layouts exist in deployed devices, so the variant is a per-device setting:
    /// - `.asPublished`: `A = 01 | 00 00 00 | 00 | Dir | DevAddr | FCnt | 00 | 00` (the 1.1 text; The Things
    ///   Stack; LoRaMac-node configured as exactly 1.1.0).
    /// - `.errata`: `A = 01 | 00 00 00 | X | Dir | DevAddr | FCnt | 00 | 01`, X = 01 for uplinks and
    ///   NFCntDown downlinks, 02 for AFCntDown downlinks (the "FCntDwn usage in FOpts encryption" change
    ///   request; later LoRaMac-node, ChirpStack, brocaar/lorawan).
    ///
    /// - Parameter downlinkCounter: which counter `fCnt` is for a downlink (ignored for uplinks and by
    ///   `.asPublished`).
    public static func cryptFOpts(
        _ fOpts: [UInt8], key: NwkSEncKey, variant: FOptsEncryptionVariant, direction: Direction,
        devAddr: DevAddr, fCnt: UInt32, downlinkCounter: DownlinkCounter = .nFCntDown
    ) throws(FrameError) -> [UInt8] {
        guard fOpts.count <= 15 else { throw .tooLong(field: "FOpts", maximum: 15, actual: fOpts.count) }
        let fourth: UInt8
        let last: UInt8
        switch variant {
        case .asPublished:
            fourth = 0
            last = 0
        case .errata:
            fourth = direction == .downlink && downlinkCounter == .aFCntDown ? 0x02 : 0x01
            last = 0x01
        }
        let a = counterBlock(first: 0x01, fourth: fourth, direction: direction, devAddr: devAddr, fCnt: fCnt, last: last)
        let keystream = AES128Cipher(key: key).encrypted(a)
        return fOpts.enumerated().map { $0.element ^ keystream[$0.offset] }
    }

    /// `first | 00 00 00 | fourth | Dir | DevAddr(4) | FCnt(4) | 00 | last`.
    @inlinable
    static func counterBlock(
        first: UInt8, fourth: UInt8, direction: Direction, devAddr: DevAddr, fCnt: UInt32, last: UInt8
    ) -> AESBlock {
        let w0 = UInt64(first) | UInt64(fourth) << 32 | UInt64(direction.rawValue) << 40
            | UInt64(devAddr.rawValue & 0xFFFF) << 48
        let w1 = UInt64(devAddr.rawValue >> 16) | UInt64(fCnt) << 16 | UInt64(last) << 56
        return AESBlock(storage: (w0.littleEndian, w1.littleEndian))
    }

    /// XORs `aes(K, A_i)` for i = startCounter, startCounter + 1, ... over `data`. The counter is the
    /// last byte of A; a 255-byte payload needs 16 blocks, so it never wraps.
    @inlinable
    static func applyKeystream(
        _ data: UnsafeMutableRawBufferPointer, cipher: AES128Cipher, counterBlock: AESBlock, startCounter: UInt8
    ) {
        var counter = startCounter
        var offset = 0
        while offset < data.count {
            var a = counterBlock
            a[15] = counter
            cipher.encrypt(&a)
            let n = min(16, data.count - offset)
            if n == 16 {
                let plain = AESBlock(loading: UnsafeRawBufferPointer(data), at: offset)
                let out = plain ^ a
                out.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: data[offset..<offset + 16]).copyMemory(from: $0) }
            } else {
                for i in 0..<n { data[offset + i] ^= a[i] }
            }
            offset += 16
            counter &+= 1
        }
    }
}

/// The FOpts encryption block layout a LoRaWAN 1.1 device implements (see `PayloadCipher.cryptFOpts`).
public enum FOptsEncryptionVariant: String, Sendable, CaseIterable {
    /// LoRaWAN 1.1 as published.
    case asPublished = "1.1"
    /// LoRaWAN 1.1 with the FCntDwn change request.
    case errata = "1.1.1"
}

/// The two downlink counters of LoRaWAN 1.1 (§4.3.1.5).
public enum DownlinkCounter: String, Sendable {
    /// Network downlinks: FPort 0 or absent.
    case nFCntDown = "NFCntDown"
    /// Application downlinks: FPort > 0.
    case aFCntDown = "AFCntDown"
}
