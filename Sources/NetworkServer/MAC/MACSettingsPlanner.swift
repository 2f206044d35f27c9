import LoRaWAN

/// Plans the MAC requests that bring a device from its current ``MACSettings`` to the operator's
/// ``DesiredMACSettings``, and carries an operator's ForceRejoinReq. Pure: a session and the wishes in,
/// requests out; the device's answers come back through ``MACCommandResponder``, which changes the
/// session's settings only when the device says it applied them.
///
/// - One request per ``ReconciledSetting`` that differs: RXTimingSetupReq, RXParamSetupReq (fields
///   without a wish keep their current value: one request sets all three, LoRaWAN 1.1 §5.5),
///   DutyCycleReq, one NewChannelReq per channel, and for LoRaWAN 1.1 RejoinParamSetupReq.
/// - Held back: a setting whose request still awaits its answer (a class C device may hear two
///   downlinks before it uplinks), a request the device refused (``MACReconciliation``: asking again
///   would repeat on every uplink), and a wish the session's region or version does not allow (the
///   device's region may have been unknown when the wish was set).
/// - Everything goes in FOpts beside the commands already chosen (MAC answers first, then ADR's
///   LinkADRReq), 15 bytes in all, so an application downlink still fits the same frame; what does
///   not fit waits for the next downlink, in ``ReconciledSetting`` order.
public enum MACSettingsPlanner {
    /// A setting that differs from the wish, the request that changes it, and where that stands.
    public struct Change: Sendable, Equatable, CustomStringConvertible {
        public var setting: ReconciledSetting
        public var request: DownlinkMACCommand
        public var state: State

        public var description: String { "\(setting): \(request), \(state)" }
    }

    /// Where a change stands.
    public enum State: Sendable, Equatable, CustomStringConvertible {
        /// It goes out with the device's next downlink.
        case queued
        /// It went out; the device's answer is awaited.
        case awaitingAnswer
        /// The device refused this very request with this answer; it is not asked again until the
        /// desired settings are set again.
        case rejected(UplinkMACCommand)
        /// The wish does not fit the session (its region or LoRaWAN version), for this reason.
        case notApplicable(String)

        public var description: String {
            switch self {
            case .queued: "queued for the next downlink"
            case .awaitingAnswer: "sent, awaiting the answer"
            case .rejected(let answer): "refused by the device (\(answer))"
            case .notApplicable(let reason): "not applicable: \(reason)"
            }
        }
    }

    /// Every setting of `session` that differs from `desired`, in ``ReconciledSetting`` order.
    public static func changes(session: NetworkSession, desired: DesiredMACSettings) -> [Change] {
        let current = session.macSettings
        let region = session.regionalParameters
        var changes: [Change] = []
        func add(_ setting: ReconciledSetting, _ request: DownlinkMACCommand, problem: String? = nil) {
            let standing = state(of: request, setting: setting, problem: problem, session: session)
            changes.append(Change(setting: setting, request: request, state: standing))
        }

        if let delay = desired.rx1Delay, delay.seconds != current.rx1Delay.seconds {
            add(.rx1Delay, .rxTimingSetupReq(delay: delay), problem: delay.rawValue == 0 ? "RX1 delay is 1 to 15 seconds" : nil)
        }
        if desired.wantsRXParameters {
            let offset = desired.rx1DROffset ?? current.rx1DROffset
            let dataRate = desired.rx2DataRate ?? current.rx2DataRate
            let frequency = desired.rx2Frequency ?? current.rx2Frequency
            if offset != current.rx1DROffset || dataRate != current.rx2DataRate || frequency != current.rx2Frequency,
               let wire = try? ChannelFrequency(hertz: frequency.hertz) {
                let problem = DesiredMACSettings(rx1DROffset: offset, rx2DataRate: dataRate, rx2Frequency: frequency)
                    .rxParameterProblems(region).first?.description
                add(.rxParameters, .rxParamSetupReq(rx1DROffset: offset, rx2DataRate: dataRate, frequency: wire), problem: problem)
            }
        }
        if let dutyCycle = desired.maxDutyCycle, dutyCycle != current.maxDutyCycle {
            add(.maxDutyCycle, .dutyCycleReq(maxDutyCycle: dutyCycle))
        }
        for channel in desired.channels.sorted(by: { $0.index < $1.index }) where current.uplinkChannel(channel.index) != channel {
            guard let index = UInt8(exactly: channel.index), let frequency = try? ChannelFrequency(hertz: channel.frequency.hertz) else {
                continue
            }
            let problem = DesiredMACSettings(channels: [channel]).channelProblems(region).first?.reason
            add(.channel(index), .newChannelReq(
                chIndex: index, frequency: frequency, drRange: DataRateRange(minDR: channel.dataRates.lowerBound, maxDR: channel.dataRates.upperBound)),
                problem: problem)
        }
        if let rejoin = desired.rejoin, current.rejoinMaxTimeN != rejoin.maxTimeN || current.rejoinMaxCountN != rejoin.maxCountN {
            add(.rejoinParameters, .rejoinParamSetupReq(maxTimeN: rejoin.maxTimeN, maxCountN: rejoin.maxCountN),
                problem: desired.rejoinProblem(macVersion: session.macVersion)?.reason)
        }
        return changes
    }

    /// The requests to add to the next downlink of `session`, after `chosen` (the answers and requests
    /// already in it): a queued ForceRejoinReq first, then the queued changes in order, as many as fit
    /// FOpts. Empty when the device already has what is wished.
    public static func requests(
        for session: NetworkSession, desired: DesiredMACSettings, alongside chosen: [DownlinkMACCommand]
    ) -> [DownlinkMACCommand] {
        var candidates: [DownlinkMACCommand] = []
        if let forceRejoin = session.macReconciliation.forceRejoin, session.isLoRaWAN11, !chosen.contains(where: { $0.cid == 0x0E }) {
            candidates.append(forceRejoin.command)
        }
        if !desired.isEmpty {
            let taken = Set(chosen.compactMap(ReconciledSetting.init))
            // The device applies a frame's commands in order, but the Network Server settles a LinkADRReq
            // block after every other answer of the uplink (§5.3.1): masks computed before a new channel
            // existed would then switch it off in the Network Server's copy while the device keeps it on.
            let linkADRInFlight = (chosen + session.pendingMACRequests).contains { $0.cid == 0x03 }
            for change in changes(session: session, desired: desired) where change.state == .queued && !taken.contains(change.setting) {
                if case .channel = change.setting, linkADRInFlight { continue }
                candidates.append(change.request)
            }
        }
        var room = DownlinkFrameBuilder.maximumFOptsLength - length(of: chosen)
        var requests: [DownlinkMACCommand] = []
        for candidate in candidates {
            let size = length(of: [candidate])
            guard size <= room else { continue }
            requests.append(candidate)
            room -= size
        }
        return requests
    }

    /// Whether `command` still fits FOpts after `chosen`.
    public static func fitsFOpts(_ command: DownlinkMACCommand, after chosen: [DownlinkMACCommand]) -> Bool {
        length(of: chosen) + length(of: [command]) <= DownlinkFrameBuilder.maximumFOptsLength
    }

    /// The encoded length of `commands`: a CID and its payload each.
    static func length(of commands: [DownlinkMACCommand]) -> Int {
        commands.reduce(0) { $0 + 1 + $1.payloadLength }
    }

    private static func state(of request: DownlinkMACCommand, setting: ReconciledSetting, problem: String?, session: NetworkSession) -> State {
        if let problem { return .notApplicable(problem) }
        if let rejection = session.macReconciliation.rejection(of: request) { return .rejected(rejection.answer) }
        if session.pendingMACRequests.contains(where: { ReconciledSetting($0) == setting }) { return .awaitingAnswer }
        return .queued
    }
}
