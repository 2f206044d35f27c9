import LoRaWAN

extension VirtualDevice {
    /// Reads a data downlink as the device does (LoRaWAN 1.1 §4.3, §4.4.1; 1.0.4 the same with one
    /// counter): the DevAddr must be the session's, the counter is rebuilt from its 16 bits and must be
    /// above the last accepted one, the MIC must verify (1.0: NwkSKey; 1.1: SNwkSIntKey with ConfFCnt
    /// when the ACK bit is set), then FOpts and the payload are decrypted and MAC commands answered.
    ///
    /// - Parameter uplinkFCnt: the uplink in whose receive windows the downlink arrives, when known. If
    ///   that uplink was confirmed, an ACK refers to it (its counter is the ConfFCnt of the 1.1 MIC);
    ///   otherwise to the newest confirmed uplink awaiting acknowledgement.
    ///
    /// A refused downlink changes nothing.
    public mutating func receiveDownlink(_ phyPayload: [UInt8], answering uplinkFCnt: UInt32? = nil) throws(VirtualDeviceError) -> ReceivedDownlink {
        guard var session else { throw .notJoined(devEUI: devEUI) }
        let frame: DataFrame
        do {
            frame = try DataFrame(decoding: phyPayload)
        } catch {
            throw .malformedFrame(error)
        }
        guard frame.direction == .downlink else {
            throw .malformedFrame(.invalidField(field: "MHDR", reason: "\(frame.mType) is not a downlink"))
        }
        guard frame.devAddr == session.devAddr else { throw .downlinkForAnotherDevice(devEUI: devEUI, devAddr: frame.devAddr) }

        // LoRaWAN 1.1 §4.3.1.5: network frames (no FPort, or FPort 0) count NFCntDown, application
        // frames AFCntDown; a 1.0 session has one FCntDown.
        let counter: ReceivedDownlink.Counter
        let last: UInt32?
        if !session.isLoRaWAN11 {
            counter = .fCntDown
            last = session.nFCntDown
        } else if (frame.fPort ?? 0) == 0 {
            counter = .nFCntDown
            last = session.nFCntDown
        } else {
            counter = .aFCntDown
            last = session.aFCntDown
        }
        let fCnt = FrameCounter.full(fromLow16: frame.fCnt16, lastAccepted: last)
        let awaiting = session.confirmedUplinksAwaitingAck
        let confirmedUplink = uplinkFCnt.flatMap { awaiting.contains($0) ? $0 : nil } ?? awaiting.last
        let parameters = MICParameters(confFCnt: UInt16(truncatingIfNeeded: confirmedUplink ?? 0))
        let verified: Bool
        do {
            verified = try DataFrameCrypto.verifyMIC(frame: phyPayload, fCnt: fCnt, keys: session.networkKeys, micParameters: parameters)
        } catch {
            throw .malformedFrame(error)
        }
        guard verified else { throw .downlinkMICMismatch(devEUI: devEUI, devAddr: frame.devAddr) }
        if let last, fCnt <= last {
            throw .downlinkCounterReplayed(devEUI: devEUI, counter: counter.rawValue, received: fCnt, last: last)
        }

        // Clear text: FOpts (1.1 encrypts them), then the payload under the key its FPort names.
        let macBytes: [UInt8]
        var payload: [UInt8] = []
        do {
            if frame.fPort == 0 {
                macBytes = DataFrameCrypto.cryptNetworkPayload(
                    frame.frmPayload, direction: .downlink, devAddr: frame.devAddr, fCnt: fCnt, keys: session.networkKeys)
            } else {
                macBytes = try DataFrameCrypto.cryptFOpts(frame.fOpts, frame: frame, fCnt: fCnt, keys: session.networkKeys)
            }
        } catch {
            throw .malformedFrame(error)
        }
        if let fPort = frame.fPort, fPort > 0 {
            payload = PayloadCipher.cryptFRMPayload(
                frame.frmPayload, key: session.appSKey, direction: .downlink, devAddr: frame.devAddr, fCnt: fCnt)
        }

        switch counter {
        case .fCntDown, .nFCntDown: session.nFCntDown = fCnt
        case .aFCntDown: session.aFCntDown = fCnt
        }
        let acknowledged = frame.fCtrl.ack ? confirmedUplink : nil
        // The acknowledged uplink and any older one are settled (the older ones were lost or answered).
        if let acknowledged { session.confirmedUplinksAwaitingAck.removeAll { $0 <= acknowledged } }
        // A confirmed downlink is acknowledged by the next uplink's ACK bit (and its ConfFCnt in 1.1).
        session.downlinkToAcknowledge = frame.confirmed ? fCnt : nil
        self.session = session
        // Any downlink in a receive window ends the repetition of sticky answers.
        pendingAnswers.removeAll { $0.sticky }

        let (commands, macError) = readMACCommands(macBytes, lorawan11: session.isLoRaWAN11)
        let answers = handle(commands)
        var fPending = false
        if case .downlink(let fCtrl) = frame.fCtrl { fPending = fCtrl.fPending }
        return ReceivedDownlink(
            devEUI: devEUI, counter: counter, fCnt: fCnt, confirmed: frame.confirmed, ack: frame.fCtrl.ack,
            acknowledgedUplink: acknowledged, fPending: fPending, adr: frame.fCtrl.adr, fPort: frame.fPort,
            payload: payload, macCommands: commands, macCommandError: macError, answers: answers)
    }
}
