import LoRaWAN

/// An answer waiting for the next uplink.
struct QueuedMACAnswer: Sendable, Equatable {
    var command: UplinkMACCommand
    /// RXParamSetupAns, RXTimingSetupAns and DlChannelAns repeat in every uplink until the device
    /// receives a downlink (LoRaWAN 1.0.4 §5.5, §5.7, §5.8; 1.1 the same), because the network cannot
    /// otherwise know that the device has switched its receive windows.
    var sticky: Bool
}

extension VirtualDevice {
    /// CIDs only LoRaWAN 1.1 defines in the downlink direction (ResetConf, RekeyConf, ADRParamSetupReq,
    /// ForceRejoinReq, RejoinParamSetupReq, DeviceModeConf): a 1.0 device does not know them.
    static let lorawan11OnlyDownlinkCIDs: Set<UInt8> = [0x01, 0x0B, 0x0C, 0x0E, 0x0F, 0x20]

    /// Decodes clear MAC command bytes the way this device's LoRaWAN version reads them, stopping at
    /// the first command it does not understand (LoRaWAN 1.1 §5).
    func readMACCommands(_ bytes: [UInt8], lorawan11: Bool) -> (commands: [DownlinkMACCommand], error: FrameError?) {
        var commands: [DownlinkMACCommand] = []
        var offset = 0
        while offset < bytes.count {
            let cid = bytes[offset]
            let end: Int
            if cid >= 0x80 {
                end = bytes.count
            } else {
                guard let length = DownlinkMACCommand.payloadLength(cid: cid), lorawan11 || !Self.lorawan11OnlyDownlinkCIDs.contains(cid) else {
                    return (commands, .unknownMACCommand(cid: cid, direction: Direction.downlink.description))
                }
                end = offset + 1 + length
                guard end <= bytes.count else {
                    return (commands, .truncated(field: DownlinkMACCommand.name(cid: cid) ?? "MAC command", needed: length, available: bytes.count - offset - 1))
                }
            }
            do {
                commands += try MACCommandCodec.decodeDownlink(Array(bytes[offset..<end]))
            } catch {
                return (commands, error)
            }
            offset = end
        }
        return (commands, nil)
    }

    /// Acts on the network's MAC commands as a well-behaved class A device and queues the answers
    /// (LoRaWAN 1.1 §5). Settings that only matter on a real radio (duty cycle, receive windows, dwell
    /// time) are acknowledged and recorded where the device keeps them, not enforced.
    mutating func handle(_ commands: [DownlinkMACCommand]) -> [UplinkMACCommand] {
        var answers: [QueuedMACAnswer] = []
        var linkADRBlock: [LinkADRRequest] = []
        func settleLinkADRBlock() {
            guard !linkADRBlock.isEmpty else { return }
            // LoRaWAN 1.1 §5.3.1: one LinkADRAns per LinkADRReq of the block, all with the block's status.
            let status = channels.applyLinkADR(linkADRBlock)
            answers += linkADRBlock.map { _ in QueuedMACAnswer(command: .linkADRAns(status), sticky: false) }
            linkADRBlock = []
        }
        for command in commands {
            if case .linkADRReq(let dataRate, let txPower, let chMask, let chMaskCntl, _) = command {
                linkADRBlock.append(LinkADRRequest(dataRate: dataRate, txPower: txPower.rawValue, chMask: chMask, chMaskCntl: chMaskCntl.rawValue))
                continue
            }
            settleLinkADRBlock()
            if let answer = answer(to: command) { answers.append(answer) }
        }
        settleLinkADRBlock()
        pendingAnswers += answers
        return answers.map(\.command)
    }

    /// The answer to one command other than LinkADRReq, after applying what the device applies.
    private mutating func answer(to command: DownlinkMACCommand) -> QueuedMACAnswer? {
        switch command {
        case .dutyCycleReq:
            return QueuedMACAnswer(command: .dutyCycleAns, sticky: false)
        case .rxParamSetupReq(let rx1DROffset, let rx2DataRate, let frequency):
            var status: RXParamSetupAnswerStatus = []
            if channels.parameters.frequencyRange.contains(Frequency(hertz: frequency.hertz)) { status.insert(.channelACK) }
            if channels.parameters.dataRate(rx2DataRate)?.usage.allows(.downlink) == true { status.insert(.rx2DataRateACK) }
            if rx1DROffset.rawValue <= channels.parameters.maxRX1DataRateOffset { status.insert(.rx1DROffsetACK) }
            if status.isAccepted {
                session?.rx1DROffset = rx1DROffset.rawValue
                session?.rx2DataRate = rx2DataRate
            }
            return QueuedMACAnswer(command: .rxParamSetupAns(status), sticky: true)
        case .devStatusReq:
            let margin = DevStatusMargin(decibels: min(31, max(-32, statusMargin))) ?? DevStatusMargin(decibels: 0)!
            return QueuedMACAnswer(command: .devStatusAns(battery: DevStatusBattery(rawValue: batteryLevel), margin: margin), sticky: false)
        case .newChannelReq(let chIndex, let frequency, let drRange):
            // Fixed plans (US915, AU915) do not implement NewChannelReq: the device ignores it.
            guard case .dynamic = channels.parameters.uplinkChannelPlan else { return nil }
            return QueuedMACAnswer(command: .newChannelAns(channels.applyNewChannel(index: chIndex, frequency: frequency, drRange: drRange)), sticky: false)
        case .rxTimingSetupReq(let delay):
            session?.rxDelay = delay.seconds
            return QueuedMACAnswer(command: .rxTimingSetupAns, sticky: true)
        case .txParamSetupReq:
            // Only regions with dwell time rules define it; elsewhere it is not answered (RP002-1.0.3 §2.x).
            return channels.parameters.supportsTxParamSetup ? QueuedMACAnswer(command: .txParamSetupAns, sticky: false) : nil
        case .dlChannelReq(let chIndex, let frequency):
            guard case .dynamic = channels.parameters.uplinkChannelPlan else { return nil }
            return QueuedMACAnswer(command: .dlChannelAns(channels.checkDownlinkChannel(index: chIndex, frequency: frequency)), sticky: true)
        case .rekeyConf:
            session?.awaitsRekeyConf = false
            return nil
        case .adrParamSetupReq:
            return QueuedMACAnswer(command: .adrParamSetupAns, sticky: false)
        case .rejoinParamSetupReq:
            // The device accepts the time limit; it never sends periodic rejoin-requests in a simulation.
            return QueuedMACAnswer(command: .rejoinParamSetupAns(.timeOK), sticky: false)
        case .linkCheckAns, .deviceTimeAns, .resetConf, .deviceModeConf, .forceRejoinReq, .proprietary, .linkADRReq:
            // Information for the device, or (ForceRejoinReq) a rejoin the simulator does not perform.
            return nil
        case .pingSlotInfoAns, .pingSlotChannelReq, .beaconTimingAns, .beaconFreqReq:
            // Class B: a class A device does not implement these commands and does not answer them.
            return nil
        }
    }

    /// The MAC commands the next uplink carries: RekeyInd while a 1.1 session awaits RekeyConf, then the
    /// queued answers in order, as many as fit in FOpts' 15 bytes. Empty (and allocation-free) when
    /// nothing is queued.
    func uplinkMACCommandBytes(_ session: VirtualDeviceSession) -> (bytes: [UInt8], answersIncluded: Int) {
        guard session.awaitsRekeyConf || !pendingAnswers.isEmpty else { return ([], 0) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(15)
        if session.awaitsRekeyConf {
            UplinkMACCommand.rekeyInd(minor: .lorawan1_1).encode(into: &bytes)
        }
        var included = 0
        for answer in pendingAnswers {
            guard bytes.count + 1 + answer.command.payloadLength <= 15 else { break }
            answer.command.encode(into: &bytes)
            included += 1
        }
        return (bytes, included)
    }
}
