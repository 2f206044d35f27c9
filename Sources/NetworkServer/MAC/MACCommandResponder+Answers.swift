import LoRaWAN

/// Settling the requests the network sent with the device's answers (LoRaWAN 1.1 §5.3-§5.14). An answer
/// carries the CID of its request, and a device answers in the order it was asked, so each answer
/// settles the first pending request with its CID.
extension MACCommandResponder {
    func settle(
        answer: UplinkMACCommand, fCnt: UInt32, pending: inout [DownlinkMACCommand], session: inout NetworkSession,
        response: inout MACCommandResponse
    ) {
        guard let position = pending.firstIndex(where: { $0.cid == answer.cid }) else {
            response.notices.append(.unsolicitedAnswer(answer))
            return
        }
        let request = pending.remove(at: position)
        var settings = session.macSettings
        let accepted: Bool
        switch (request, answer) {
        case (.devStatusReq, .devStatusAns(let battery, let margin)):
            let status = DeviceStatus(battery: battery, margin: margin, fCnt: fCnt)
            session.deviceStatus = status
            response.notices.append(.deviceStatus(status))
            return
        case (.dutyCycleReq(let maxDutyCycle), .dutyCycleAns):
            settings.maxDutyCycle = maxDutyCycle
            accepted = true
        case (.rxParamSetupReq(let offset, let dataRate, let frequency), .rxParamSetupAns(let status)):
            // §5.5: the device applies the request only when all three checks pass.
            accepted = status.isAccepted
            if accepted {
                settings.rx1DROffset = offset
                settings.rx2DataRate = dataRate
                settings.rx2Frequency = Frequency(hertz: frequency.hertz)
            }
        case (.rxTimingSetupReq(let delay), .rxTimingSetupAns):
            settings.rx1Delay = delay
            accepted = true
        case (.newChannelReq(let chIndex, let frequency, let drRange), .newChannelAns(let status)):
            accepted = status.isAccepted && Self.applyNewChannel(
                index: Int(chIndex), frequency: frequency, drRange: drRange, to: &settings)
        case (.txParamSetupReq(let downlinkDwellTime, let uplinkDwellTime, let maxEIRP), .txParamSetupAns):
            settings.downlinkDwellTime = downlinkDwellTime
            settings.uplinkDwellTime = uplinkDwellTime
            settings.maxEIRP = maxEIRP
            accepted = true
        case (.dlChannelReq(let chIndex, let frequency), .dlChannelAns(let status)):
            accepted = status.isAccepted && frequency.hertz != 0
            if accepted { settings.downlinkFrequencies[Int(chIndex)] = Frequency(hertz: frequency.hertz) }
        case (.adrParamSetupReq(let limitExp, let delayExp), .adrParamSetupAns):
            settings.adrAckLimitExponent = limitExp
            settings.adrAckDelayExponent = delayExp
            accepted = true
        case (.rejoinParamSetupReq(let maxTimeN, let maxCountN), .rejoinParamSetupAns(let status)):
            // §5.14: MaxCountN is always applied; TimeOK = 0 means MaxTimeN was not.
            settings.rejoinMaxCountN = maxCountN
            accepted = status.contains(.timeOK)
            if accepted { settings.rejoinMaxTimeN = maxTimeN }
        case (.pingSlotChannelReq, .pingSlotChannelAns(let status)):
            accepted = status.isAccepted
        case (.beaconFreqReq, .beaconFreqAns(let status)):
            accepted = status.isAccepted
        default:
            // Same CID always pairs request and answer; kept as a notice rather than a trap.
            response.notices.append(.unsolicitedAnswer(answer))
            return
        }
        if accepted {
            session.macSettings = settings
            session.macReconciliation.forgetRejection(of: request)
            response.notices.append(.requestAccepted(request))
        } else {
            if case .rejoinParamSetupReq = request { session.macSettings = settings }
            // Remembered so that the planner does not ask for the same thing on every uplink.
            session.macReconciliation.recordRejection(of: request, answer: answer)
            response.notices.append(.requestRejected(request, answer: answer))
        }
    }

    /// Settles a block of LinkADRReqs (§5.3.1): the device answers each, and applies the block only if
    /// it accepts every part; then the masks apply in order and DataRate, TXPower and NbTrans come from
    /// the last command (15 keeps the current value, 1.0.4 and 1.1). The ADR history restarts when the
    /// data rate or power changes, since the old SNRs were measured under other settings.
    func settleLinkADR(
        answers: [UplinkMACCommand], pending: inout [DownlinkMACCommand], session: inout NetworkSession,
        response: inout MACCommandResponse
    ) {
        let requests = pending.filter { $0.cid == 0x03 }
        pending.removeAll { $0.cid == 0x03 }
        guard let last = requests.last, case .linkADRReq(let dataRate, let txPower, _, _, let nbTrans) = last else {
            response.notices += answers.map { .unsolicitedAnswer($0) }
            return
        }
        let refusal = answers.first { answer in
            guard case .linkADRAns(let status) = answer else { return true }
            return !status.isAccepted
        }
        var settings = session.macSettings
        let masks = requests.compactMap { request -> LinkADRChannelMask? in
            guard case .linkADRReq(_, _, let chMask, let chMaskCntl, _) = request else { return nil }
            return LinkADRChannelMask(chMaskCntl: chMaskCntl, chMask: chMask)
        }
        guard refusal == nil,
              let enabled = LinkADRChannelMask.apply(
                masks, to: settings.enabledUplinkChannels, defined: Set(settings.uplinkChannels.map(\.index)),
                region: session.regionalParameters)
        else {
            response.notices += requests.map { .requestRejected($0, answer: refusal ?? answers[0]) }
            return
        }
        settings.enabledUplinkChannels = enabled
        if dataRate != .dr15 { settings.dataRate = dataRate }
        if txPower != .keepCurrent { settings.txPower = txPower }
        if nbTrans.rawValue != 0 {
            settings.nbTrans = nbTrans
        } else if session.macVersion != .v1_0_4 {
            // NbTrans 0: 1.0.4 keeps the current value, the other versions fall back to 1.
            settings.nbTrans = NbTrans(truncatingIfNeeded: 1)
        }
        if settings.dataRate != session.macSettings.dataRate || settings.txPower != session.macSettings.txPower {
            session.adrHistory.removeAll()
        }
        session.macSettings = settings
        response.notices += requests.map { .requestAccepted($0) }
    }

    /// NewChannelReq (§5.7): frequency 0 deletes the channel, anything else defines (or redefines) it
    /// and enables it. A data rate range whose MinDR is above MaxDR cannot be applied.
    static func applyNewChannel(index: Int, frequency: ChannelFrequency, drRange: DataRateRange,
                                to settings: inout MACSettings) -> Bool {
        settings.uplinkChannels.removeAll { $0.index == index && frequency.hertz == 0 }
        if frequency.hertz == 0 {
            settings.enabledUplinkChannels.remove(index)
            settings.downlinkFrequencies[index] = nil
            return true
        }
        guard drRange.minDR <= drRange.maxDR else { return false }
        let channel = RegionalChannel(index: index, frequency: Frequency(hertz: frequency.hertz),
                                      dataRates: drRange.minDR ... drRange.maxDR)
        settings.uplinkChannels.removeAll { $0.index == index }
        settings.uplinkChannels.append(channel)
        settings.uplinkChannels.sort { $0.index < $1.index }
        settings.enabledUplinkChannels.insert(index)
        settings.downlinkFrequencies[index] = nil
        return true
    }
}
