/// MICs of data frames (LoRaWAN 1.0.4 §4.4, LoRaWAN 1.1 §4.4). `message` is the PHYPayload without its
/// MIC: MHDR | FHDR | FPort | FRMPayload.
public enum DataFrameMIC {
    /// LoRaWAN 1.0.x uplink: `cmac(NwkSKey, B0 | msg)[0:4]`.
    @inlinable
    public static func computeLegacyUplinkMIC(
        nwkSKey: NwkSKey, devAddr: DevAddr, fCnt: UInt32, message: UnsafeRawBufferPointer
    ) -> MIC {
        let b0 = block(confFCnt: 0, txDR: 0, txCh: 0, direction: .uplink, devAddr: devAddr, fCnt: fCnt, length: message.count)
        return MIC(firstFourBytesOf: CMAC(key: nwkSKey).mac(prefix: b0, message: message))
    }

    /// LoRaWAN 1.0.x downlink: `cmac(NwkSKey, B0 | msg)[0:4]`; B0 bytes 1-4 are zero even when ACK is set.
    @inlinable
    public static func computeLegacyDownlinkMIC(
        nwkSKey: NwkSKey, devAddr: DevAddr, fCnt: UInt32, message: UnsafeRawBufferPointer
    ) -> MIC {
        let b0 = block(confFCnt: 0, txDR: 0, txCh: 0, direction: .downlink, devAddr: devAddr, fCnt: fCnt, length: message.count)
        return MIC(firstFourBytesOf: CMAC(key: nwkSKey).mac(prefix: b0, message: message))
    }

    /// LoRaWAN 1.1 uplink (§4.4.2): `cmac(SNwkSIntKey, B1 | msg)[0:2] | cmac(FNwkSIntKey, B0 | msg)[0:2]`.
    ///
    /// - Parameter confFCnt: the low 16 bits of the confirmed downlink this frame acknowledges, or 0
    ///   when its ACK bit is clear.
    /// - Parameters txDR/txCh: the data rate and channel index the frame was received on.
    @inlinable
    public static func computeUplinkMIC(
        fNwkSIntKey: FNwkSIntKey, sNwkSIntKey: SNwkSIntKey, confFCnt: UInt16, txDR: UInt8, txCh: UInt8,
        devAddr: DevAddr, fCnt: UInt32, message: UnsafeRawBufferPointer
    ) -> MIC {
        let b0 = block(confFCnt: 0, txDR: 0, txCh: 0, direction: .uplink, devAddr: devAddr, fCnt: fCnt, length: message.count)
        let b1 = block(confFCnt: confFCnt, txDR: txDR, txCh: txCh, direction: .uplink, devAddr: devAddr, fCnt: fCnt, length: message.count)
        let cmacS = MIC(firstFourBytesOf: CMAC(key: sNwkSIntKey).mac(prefix: b1, message: message)).rawValue
        let cmacF = MIC(firstFourBytesOf: CMAC(key: fNwkSIntKey).mac(prefix: b0, message: message)).rawValue
        return MIC(cmacS & 0xFFFF | (cmacF & 0xFFFF) << 16)
    }

    /// The half of a 1.1 uplink MIC that a forwarding (roaming) Network Server can check alone.
    @inlinable
    public static func computeUplinkFMIC(
        fNwkSIntKey: FNwkSIntKey, devAddr: DevAddr, fCnt: UInt32, message: UnsafeRawBufferPointer
    ) -> MIC {
        let b0 = block(confFCnt: 0, txDR: 0, txCh: 0, direction: .uplink, devAddr: devAddr, fCnt: fCnt, length: message.count)
        return MIC(firstFourBytesOf: CMAC(key: fNwkSIntKey).mac(prefix: b0, message: message))
    }

    /// LoRaWAN 1.1 downlink (§4.4.1): `cmac(SNwkSIntKey, B0 | msg)[0:4]`, B0 carrying ConfFCnt (the
    /// uplink counter being acknowledged, or 0) and the NFCntDown or AFCntDown used.
    @inlinable
    public static func computeDownlinkMIC(
        sNwkSIntKey: SNwkSIntKey, confFCnt: UInt16, devAddr: DevAddr, fCnt: UInt32, message: UnsafeRawBufferPointer
    ) -> MIC {
        let b0 = block(confFCnt: confFCnt, txDR: 0, txCh: 0, direction: .downlink, devAddr: devAddr, fCnt: fCnt, length: message.count)
        return MIC(firstFourBytesOf: CMAC(key: sNwkSIntKey).mac(prefix: b0, message: message))
    }

    /// `49 | ConfFCnt(2) | TxDr | TxCh | Dir | DevAddr(4) | FCnt(4) | 00 | len`.
    @inlinable
    static func block(
        confFCnt: UInt16, txDR: UInt8, txCh: UInt8, direction: Direction, devAddr: DevAddr, fCnt: UInt32, length: Int
    ) -> AESBlock {
        // Little-endian words: byte 0 is the lowest byte of word 0.
        let w0 = UInt64(0x49) | UInt64(confFCnt) << 8 | UInt64(txDR) << 24 | UInt64(txCh) << 32
            | UInt64(direction.rawValue) << 40 | UInt64(devAddr.rawValue & 0xFFFF) << 48
        let w1 = UInt64(devAddr.rawValue >> 16) | UInt64(fCnt) << 16 | UInt64(UInt8(truncatingIfNeeded: length)) << 56
        return AESBlock(storage: (w0.littleEndian, w1.littleEndian))
    }
}

extension DataFrameMIC {
    public static func computeLegacyUplinkMIC(nwkSKey: NwkSKey, devAddr: DevAddr, fCnt: UInt32, message: [UInt8]) -> MIC {
        message.withUnsafeBytes { computeLegacyUplinkMIC(nwkSKey: nwkSKey, devAddr: devAddr, fCnt: fCnt, message: $0) }
    }

    public static func computeLegacyDownlinkMIC(nwkSKey: NwkSKey, devAddr: DevAddr, fCnt: UInt32, message: [UInt8]) -> MIC {
        message.withUnsafeBytes { computeLegacyDownlinkMIC(nwkSKey: nwkSKey, devAddr: devAddr, fCnt: fCnt, message: $0) }
    }

    public static func computeUplinkMIC(
        fNwkSIntKey: FNwkSIntKey, sNwkSIntKey: SNwkSIntKey, confFCnt: UInt16, txDR: UInt8, txCh: UInt8,
        devAddr: DevAddr, fCnt: UInt32, message: [UInt8]
    ) -> MIC {
        message.withUnsafeBytes {
            computeUplinkMIC(
                fNwkSIntKey: fNwkSIntKey, sNwkSIntKey: sNwkSIntKey, confFCnt: confFCnt, txDR: txDR, txCh: txCh,
                devAddr: devAddr, fCnt: fCnt, message: $0)
        }
    }

    public static func computeDownlinkMIC(
        sNwkSIntKey: SNwkSIntKey, confFCnt: UInt16, devAddr: DevAddr, fCnt: UInt32, message: [UInt8]
    ) -> MIC {
        message.withUnsafeBytes {
            computeDownlinkMIC(sNwkSIntKey: sNwkSIntKey, confFCnt: confFCnt, devAddr: devAddr, fCnt: fCnt, message: $0)
        }
    }
}
