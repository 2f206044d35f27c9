import LoRaWAN

extension VirtualDevice {
    /// Builds the next data uplink (LoRaWAN 1.1 §4.3): `MHDR | DevAddr | FCtrl | FCnt | FOpts | FPort |
    /// FRMPayload | MIC`, the payload encrypted with AppSKey, queued MAC answers in FOpts (encrypted with
    /// NwkSEncKey in a 1.1 session), the ACK bit set when a confirmed downlink awaits acknowledgement,
    /// and the MIC of the session's version on the channel and data rate chosen for it.
    ///
    /// The frame is written into one array and encrypted and signed in place: this runs for every
    /// uplink of a load test.
    public mutating func makeUplink(fPort: UInt8, payload: [UInt8], confirmed: Bool = false) throws(VirtualDeviceError) -> VirtualDeviceTransmission {
        guard (1...224).contains(fPort) else { throw .invalidFPort(fPort) }
        guard var session else { throw .notJoined(devEUI: devEUI) }
        guard session.fCntUp < UInt32.max else { throw .uplinkCounterExhausted(devEUI: devEUI) }
        let dataRate = channels.dataRate
        let (macBytes, answersIncluded) = uplinkMACCommandBytes(session)
        // FHDR (7 + FOpts) + FPort + FRMPayload must fit the region's MACPayload at this data rate.
        let macPayloadSize = 7 + macBytes.count + 1 + payload.count
        let maximum = (try? channels.parameters.maxPayloadSize(dataRate: dataRate).macPayload) ?? 0
        guard macPayloadSize <= maximum else {
            throw .payloadTooLarge(size: macPayloadSize, maximum: maximum, dataRate: dataRate)
        }
        guard let channel = channels.nextUplinkChannel() else {
            throw .noUsableChannel(devEUI: devEUI, dataRate: dataRate)
        }

        let fCnt = session.fCntUp
        let devAddr = session.devAddr
        let keys = session.networkKeys
        let ack = session.downlinkToAcknowledge != nil
        let fOpts: [UInt8]
        if macBytes.isEmpty {
            fOpts = macBytes
        } else if case .current(_, _, let nwkSEncKey, let variant) = keys {
            // 15 bytes at most by construction, so the cipher cannot refuse them.
            fOpts = (try? PayloadCipher.cryptFOpts(
                macBytes, key: nwkSEncKey, variant: variant, direction: .uplink, devAddr: devAddr, fCnt: fCnt)) ?? []
        } else {
            fOpts = macBytes
        }

        var frame: [UInt8] = []
        frame.reserveCapacity(1 + macPayloadSize + 4)
        frame.append(MHDR(mType: confirmed ? .confirmedDataUp : .unconfirmedDataUp).byte)
        appendLittleEndian(devAddr.rawValue, byteCount: 4, to: &frame)
        frame.append(UplinkFCtrlByte.make(adr: adr, ack: ack, fOptsLength: fOpts.count))
        appendLittleEndian(fCnt, byteCount: 2, to: &frame)
        frame += fOpts
        frame.append(fPort)
        let payloadStart = frame.count
        frame += payload
        let appSKey = session.appSKey
        frame.withUnsafeMutableBytes { raw in
            PayloadCipher.cryptFRMPayload(
                UnsafeMutableRawBufferPointer(rebasing: raw[payloadStart...]), key: appSKey, direction: .uplink,
                devAddr: devAddr, fCnt: fCnt)
        }
        // LoRaWAN 1.1 §4.4.2: B1 carries ConfFCnt (the acknowledged downlink's counter), TxDr and TxCh.
        let parameters = MICParameters(
            confFCnt: UInt16(truncatingIfNeeded: session.downlinkToAcknowledge ?? 0), txDR: dataRate.rawValue,
            txCh: UInt8(truncatingIfNeeded: channel.index))
        let mic = frame.withUnsafeBytes { raw in
            DataFrameCrypto.computeMIC(
                message: raw, direction: .uplink, ack: ack, devAddr: devAddr, fCnt: fCnt, keys: keys, micParameters: parameters)
        }
        appendLittleEndian(mic.rawValue, byteCount: 4, to: &frame)

        session.fCntUp = fCnt + 1
        session.downlinkToAcknowledge = nil
        if confirmed { session.sentConfirmedUplink(fCnt) }
        self.session = session
        if answersIncluded > 0 {
            // Sent answers leave the queue, except the sticky ones, which wait for a downlink.
            var kept: [QueuedMACAnswer] = []
            for (index, answer) in pendingAnswers.enumerated() where index >= answersIncluded || answer.sticky {
                kept.append(answer)
            }
            pendingAnswers = kept
        }
        return VirtualDeviceTransmission(
            phyPayload: frame, dataRate: dataRate, frequency: channel.frequency, channelIndex: channel.index, fCnt: fCnt)
    }
}

/// The uplink FCtrl byte (LoRaWAN 1.1 §4.3.1): ADR | ADRACKReq | ACK | ClassB | FOptsLen.
enum UplinkFCtrlByte {
    static func make(adr: Bool, ack: Bool, fOptsLength: Int) -> UInt8 {
        (adr ? 0x80 : 0) | (ack ? 0x20 : 0) | UInt8(fOptsLength & 0x0F)
    }
}

@inline(__always)
func appendLittleEndian(_ value: UInt32, byteCount: Int, to bytes: inout [UInt8]) {
    for index in 0..<byteCount { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(index)))) }
}
