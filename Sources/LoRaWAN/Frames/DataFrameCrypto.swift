/// The network side of data-frame security: MIC, FOpts encryption (1.1) and FPort 0 payloads.
///
/// Application payloads (FPort > 0) are encrypted and decrypted by the Application Server with the
/// AppSKey (`PayloadCipher.cryptFRMPayload`); here they pass through untouched.
public enum DataFrameCrypto {
    /// Turns a frame with clear FOpts and clear FPort-0 payload (application payloads already encrypted)
    /// into wire bytes: encrypts what the network encrypts, then appends the MIC.
    /// - Parameter fCnt: the full 32-bit counter (FCntUp, or FCntDown / NFCntDown / AFCntDown).
    public static func seal(
        _ frame: DataFrame, fCnt: UInt32, keys: NetworkSessionKeys, micParameters: MICParameters = MICParameters()
    ) throws(FrameError) -> [UInt8] {
        guard UInt16(truncatingIfNeeded: fCnt) == frame.fCnt16 else {
            throw .invalidField(field: "FCnt", reason: "the frame's 16-bit counter is not the low half of \(fCnt)")
        }
        var wire = frame
        wire.fOpts = try cryptFOpts(frame.fOpts, frame: frame, fCnt: fCnt, keys: keys)
        if frame.fPort == 0 {
            wire.frmPayload = cryptNetworkPayload(frame.frmPayload, direction: frame.direction, devAddr: frame.devAddr, fCnt: fCnt, keys: keys)
        }
        let message = try wire.encodeWithoutMIC()
        let mic = computeMIC(message: message, direction: frame.direction, ack: frame.fCtrl.ack, devAddr: frame.devAddr,
                             fCnt: fCnt, keys: keys, micParameters: micParameters)
        return message + mic.bytes
    }

    /// The MIC of a data frame's bytes (without MIC) under the session's network keys.
    public static func computeMIC(
        message: [UInt8], direction: Direction, ack: Bool, devAddr: DevAddr, fCnt: UInt32, keys: NetworkSessionKeys,
        micParameters: MICParameters
    ) -> MIC {
        message.withUnsafeBytes {
            computeMIC(message: $0, direction: direction, ack: ack, devAddr: devAddr, fCnt: fCnt, keys: keys, micParameters: micParameters)
        }
    }

    @inlinable
    public static func computeMIC(
        message: UnsafeRawBufferPointer, direction: Direction, ack: Bool, devAddr: DevAddr, fCnt: UInt32,
        keys: NetworkSessionKeys, micParameters: MICParameters
    ) -> MIC {
        let confFCnt = ack ? micParameters.confFCnt : 0
        switch (keys, direction) {
        case (.legacy(let nwkSKey), .uplink):
            return DataFrameMIC.computeLegacyUplinkMIC(nwkSKey: nwkSKey, devAddr: devAddr, fCnt: fCnt, message: message)
        case (.legacy(let nwkSKey), .downlink):
            return DataFrameMIC.computeLegacyDownlinkMIC(nwkSKey: nwkSKey, devAddr: devAddr, fCnt: fCnt, message: message)
        case (.current(let f, let s, _, _), .uplink):
            return DataFrameMIC.computeUplinkMIC(
                fNwkSIntKey: f, sNwkSIntKey: s, confFCnt: confFCnt, txDR: micParameters.txDR, txCh: micParameters.txCh,
                devAddr: devAddr, fCnt: fCnt, message: message)
        case (.current(_, let s, _, _), .downlink):
            return DataFrameMIC.computeDownlinkMIC(sNwkSIntKey: s, confFCnt: confFCnt, devAddr: devAddr, fCnt: fCnt, message: message)
        }
    }

    /// Checks the MIC of received wire bytes whose layout was already parsed. Allocation-free.
    @inlinable
    public static func verifyMIC(
        frame: UnsafeRawBufferPointer, layout: DataFrameLayout, fCnt: UInt32, keys: NetworkSessionKeys,
        micParameters: MICParameters = MICParameters()
    ) -> Bool {
        let covered = UnsafeRawBufferPointer(rebasing: frame[layout.micCovered])
        let mic = computeMIC(
            message: covered, direction: layout.direction, ack: layout.fCtrlByte & 0x20 != 0, devAddr: layout.devAddr,
            fCnt: fCnt, keys: keys, micParameters: micParameters)
        return mic == layout.mic
    }

    public static func verifyMIC(frame: [UInt8], fCnt: UInt32, keys: NetworkSessionKeys, micParameters: MICParameters = MICParameters()) throws(FrameError) -> Bool {
        let layout = try DataFrameLayout(parsing: frame)
        return frame.withUnsafeBytes { verifyMIC(frame: $0, layout: layout, fCnt: fCnt, keys: keys, micParameters: micParameters) }
    }

    /// FOpts in clear: 1.1 sessions encrypt them (in the device's variant), 1.0 sessions send them clear.
    public static func cryptFOpts(_ fOpts: [UInt8], frame: DataFrame, fCnt: UInt32, keys: NetworkSessionKeys) throws(FrameError) -> [UInt8] {
        guard case .current(_, _, let nwkSEncKey, let variant) = keys, !fOpts.isEmpty else { return fOpts }
        let counter: DownlinkCounter = (frame.fPort ?? 0) > 0 ? .aFCntDown : .nFCntDown
        return try PayloadCipher.cryptFOpts(
            fOpts, key: nwkSEncKey, variant: variant, direction: frame.direction, devAddr: frame.devAddr, fCnt: fCnt,
            downlinkCounter: counter)
    }

    /// An FPort 0 payload (MAC commands) under NwkSKey (1.0) or NwkSEncKey (1.1).
    public static func cryptNetworkPayload(
        _ payload: [UInt8], direction: Direction, devAddr: DevAddr, fCnt: UInt32, keys: NetworkSessionKeys
    ) -> [UInt8] {
        switch keys {
        case .legacy(let nwkSKey):
            PayloadCipher.cryptFRMPayload(payload, key: nwkSKey, direction: direction, devAddr: devAddr, fCnt: fCnt)
        case .current(_, _, let nwkSEncKey, _):
            PayloadCipher.cryptFRMPayload(payload, key: nwkSEncKey, direction: direction, devAddr: devAddr, fCnt: fCnt)
        }
    }
}
