import LoRaWAN

/// The Network Server's side of the MAC layer for one uplink (LoRaWAN 1.1 §5, 1.0.4 §5): answers the
/// device's requests and applies its answers to the requests the network sent.
///
/// - Requests from the device get an answer for the next downlink: LinkCheckReq → LinkCheckAns
///   (margin above the demodulation floor of the uplink's spreading factor, gateway count),
///   DeviceTimeReq → DeviceTimeAns (GPS time of the uplink, passed in), 1.1 RekeyInd → RekeyConf,
///   1.1 ABP ResetInd → ResetConf, PingSlotInfoReq → PingSlotInfoAns, DeviceModeInd → DeviceModeConf.
/// - Answers from the device settle the pending request with the same CID: accepted requests change
///   the session's ``MACSettings``, rejected ones are dropped and, when the planner sends that kind,
///   remembered in ``MACReconciliation`` (`MACCommandResponder+Answers.swift`).
///   A block of LinkADRReqs is settled as a whole (§5.3.1).
/// - Pending requests left without an answer are dropped and reported, so they can be sent again.
///
/// Pure: the session is changed in place, time comes from the `UplinkRadioContext`.
public struct MACCommandResponder: Sendable, Hashable {
    /// The Minor the network answers RekeyInd and ResetInd with: the LoRaWAN 1.1 it implements
    /// (§5.1, §5.10: the server's version, which must not exceed the device's).
    public var networkMinorVersion: LoRaWANMinorVersion

    public init(networkMinorVersion: LoRaWANMinorVersion = .lorawan1_1) {
        self.networkMinorVersion = networkMinorVersion
    }

    /// Processes the MAC commands of an accepted new uplink.
    /// - Parameters:
    ///   - block: the commands as read by ``UplinkMACCommandReader``.
    ///   - context: how the uplink was received.
    ///   - fCnt: the uplink's 32-bit counter.
    ///   - session: updated with every accepted change; its pending requests are settled.
    public func respond(
        to block: UplinkMACCommandBlock, context: UplinkRadioContext, fCnt: UInt32, session: inout NetworkSession
    ) -> MACCommandResponse {
        var response = MACCommandResponse(parseStop: block.stop)
        var pending = session.pendingMACRequests
        session.pendingMACRequests = []
        var linkADRAnswers: [UplinkMACCommand] = []
        for command in block.commands {
            switch command {
            case .linkCheckReq:
                let margin = DemodulationFloor.linkMargin(
                    bestSNR: context.bestSNR, dataRate: context.dataRate, region: session.regionalParameters)
                response.answers.append(.linkCheckAns(margin: margin, gwCnt: UInt8(clamping: context.gatewayCount)))
            case .deviceTimeReq:
                if let gpsTime = context.gpsTime, let time = GPSEpochTime(sinceGPSEpoch: gpsTime) {
                    response.answers.append(.deviceTimeAns(time))
                } else {
                    response.notices.append(.ignored(command, reason: "the time of the uplink is unknown"))
                }
            case .linkADRAns:
                linkADRAnswers.append(command)
            case .rekeyInd(let minor):
                guard session.isLoRaWAN11, session.activation == .otaa else {
                    response.notices.append(.ignored(command, reason: "RekeyInd is for LoRaWAN 1.1 OTAA sessions"))
                    continue
                }
                response.answers.append(.rekeyConf(minor: networkMinorVersion))
                response.notices.append(.rekeyIndicated(minor: minor))
            case .resetInd(let minor):
                guard session.isLoRaWAN11, session.activation == .abp else {
                    response.notices.append(.ignored(command, reason: "ResetInd is for LoRaWAN 1.1 ABP sessions"))
                    continue
                }
                // §5.1: the device is back to its provisioned MAC and radio settings (frame counters
                // excepted); requests sent before the reset no longer apply.
                session.macSettings = session.provisionedMACSettings
                session.adrHistory.removeAll()
                response.notices += pending.map { .requestUnanswered($0) }
                pending = []
                linkADRAnswers = []
                response.answers.append(.resetConf(minor: networkMinorVersion))
                response.notices.append(.resetIndicated(minor: minor))
            case .pingSlotInfoReq(let periodicity):
                session.macSettings.pingSlotPeriodicity = periodicity
                response.answers.append(.pingSlotInfoAns)
            case .deviceModeInd(let deviceClass):
                session.macSettings.deviceClass = deviceClass
                response.answers.append(.deviceModeConf(deviceClass))
                response.notices.append(.deviceClassChanged(deviceClass))
            case .beaconTimingReq:
                response.notices.append(.ignored(command, reason: "deprecated since LoRaWAN 1.0.3; devices use DeviceTimeReq"))
            case .proprietary:
                response.notices.append(.ignored(command, reason: "proprietary commands are not interpreted"))
            case .dutyCycleAns, .rxParamSetupAns, .devStatusAns, .newChannelAns, .rxTimingSetupAns, .txParamSetupAns,
                .dlChannelAns, .adrParamSetupAns, .rejoinParamSetupAns, .pingSlotChannelAns, .beaconFreqAns:
                settle(answer: command, fCnt: fCnt, pending: &pending, session: &session, response: &response)
            }
        }
        if !linkADRAnswers.isEmpty {
            settleLinkADR(answers: linkADRAnswers, pending: &pending, session: &session, response: &response)
        }
        response.notices += pending.map { .requestUnanswered($0) }
        return response
    }
}
