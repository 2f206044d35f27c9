/// A MAC command the Network Server sends to an end device (in FOpts or in an FPort 0 FRMPayload).
///
/// Answers and indications devices send live in ``UplinkMACCommand``; a CID means a different command
/// in each direction, so the two enums keep an uplink answer from ever being sent to a device.
public enum DownlinkMACCommand: Equatable, Sendable, CustomStringConvertible {
    /// ResetConf (0x01): the network's LoRaWAN minor version, answering ResetInd (LoRaWAN 1.1 §5.1).
    case resetConf(minor: LoRaWANMinorVersion)
    /// LinkCheckAns (0x02): the link margin in dB above the demodulation floor of the LinkCheckReq
    /// (0-254; 255 is reserved) and how many gateways received it (LoRaWAN 1.1 §5.2).
    case linkCheckAns(margin: UInt8, gwCnt: UInt8)
    /// LinkADRReq (0x03): data rate, transmit power, enabled channels and repetitions
    /// (LoRaWAN 1.1 §5.3). DataRate or TXPower 15 leaves that setting unchanged.
    case linkADRReq(
        dataRate: DataRateIndex, txPower: TXPower, chMask: UInt16, chMaskCntl: ChannelMaskControl,
        nbTrans: NbTrans)
    /// DutyCycleReq (0x04): limits the aggregated transmit duty cycle (LoRaWAN 1.1 §5.4).
    case dutyCycleReq(maxDutyCycle: MaxDutyCycle)
    /// RXParamSetupReq (0x05): the RX1 data rate offset and the RX2 data rate and frequency
    /// (LoRaWAN 1.1 §5.5).
    case rxParamSetupReq(rx1DROffset: RX1DROffset, rx2DataRate: DataRateIndex, frequency: ChannelFrequency)
    /// DevStatusReq (0x06): asks for battery level and SNR margin (LoRaWAN 1.1 §5.6).
    case devStatusReq
    /// NewChannelReq (0x07): creates, changes or (frequency 0) disables uplink channel ChIndex
    /// (LoRaWAN 1.1 §5.7).
    case newChannelReq(chIndex: UInt8, frequency: ChannelFrequency, drRange: DataRateRange)
    /// RXTimingSetupReq (0x08): the delay between the end of an uplink and RX1 (LoRaWAN 1.1 §5.8).
    case rxTimingSetupReq(delay: RXTimingDelay)
    /// TxParamSetupReq (0x09): dwell time limits and maximum EIRP, where regulation requires them
    /// (LoRaWAN 1.1 §5.9).
    case txParamSetupReq(downlinkDwellTime: DwellTimeLimit, uplinkDwellTime: DwellTimeLimit, maxEIRP: MaxEIRP)
    /// DlChannelReq (0x0A): moves the RX1 downlink frequency of channel ChIndex away from its uplink
    /// frequency (LoRaWAN 1.1 §5.7).
    case dlChannelReq(chIndex: UInt8, frequency: ChannelFrequency)
    /// RekeyConf (0x0B): the network's LoRaWAN minor version, answering RekeyInd (LoRaWAN 1.1 §5.10).
    case rekeyConf(minor: LoRaWANMinorVersion)
    /// ADRParamSetupReq (0x0C): ADR_ACK_LIMIT and ADR_ACK_DELAY as powers of two (LoRaWAN 1.1 §5.11).
    case adrParamSetupReq(limitExp: ADRAckLimitExponent, delayExp: ADRAckDelayExponent)
    /// DeviceTimeAns (0x0D): the GPS time at the end of the DeviceTimeReq uplink (LoRaWAN 1.1 §5.12).
    case deviceTimeAns(GPSEpochTime)
    /// ForceRejoinReq (0x0E): tells the device to send rejoin-requests of a type at a data rate
    /// (LoRaWAN 1.1 §5.13).
    case forceRejoinReq(
        period: ForceRejoinPeriod, maxRetries: ForceRejoinMaxRetries, rejoinType: ForceRejoinType,
        dataRate: DataRateIndex)
    /// RejoinParamSetupReq (0x0F): how often the device sends periodic rejoin-requests type 0
    /// (LoRaWAN 1.1 §5.14).
    case rejoinParamSetupReq(maxTimeN: RejoinMaxTimeN, maxCountN: RejoinMaxCountN)
    /// PingSlotInfoAns (0x10): acknowledges PingSlotInfoReq (LoRaWAN 1.1 §14.1).
    case pingSlotInfoAns
    /// PingSlotChannelReq (0x11): the frequency (0: regional default) and data rate of unicast ping
    /// slots (LoRaWAN 1.1 §14.3).
    case pingSlotChannelReq(frequency: ChannelFrequency, dataRate: DataRateIndex)
    /// BeaconTimingAns (0x12): the time to the next beacon in units of 30 ms and the beacon channel.
    /// Deprecated by LoRaWAN 1.0.3 and 1.1 §14.4; kept for older class B devices.
    case beaconTimingAns(delay: UInt16, channel: UInt8)
    /// BeaconFreqReq (0x13): the beacon frequency (0: regional default) (LoRaWAN 1.1 §14.2).
    case beaconFreqReq(frequency: ChannelFrequency)
    /// DeviceModeConf (0x20): the class the network now uses for the device, answering DeviceModeInd
    /// (LoRaWAN 1.1 §18.1).
    case deviceModeConf(DeviceModeClass)
    /// A proprietary command (CID 0x80-0xFF). Its length is not known, so it takes every remaining
    /// byte as its payload: put it last in a list, or the commands after it decode as its payload.
    case proprietary(cid: ProprietaryCID, payload: [UInt8])

    /// The command identifier on the wire.
    public var cid: UInt8 {
        switch self {
        case .resetConf: 0x01
        case .linkCheckAns: 0x02
        case .linkADRReq: 0x03
        case .dutyCycleReq: 0x04
        case .rxParamSetupReq: 0x05
        case .devStatusReq: 0x06
        case .newChannelReq: 0x07
        case .rxTimingSetupReq: 0x08
        case .txParamSetupReq: 0x09
        case .dlChannelReq: 0x0A
        case .rekeyConf: 0x0B
        case .adrParamSetupReq: 0x0C
        case .deviceTimeAns: 0x0D
        case .forceRejoinReq: 0x0E
        case .rejoinParamSetupReq: 0x0F
        case .pingSlotInfoAns: 0x10
        case .pingSlotChannelReq: 0x11
        case .beaconTimingAns: 0x12
        case .beaconFreqReq: 0x13
        case .deviceModeConf: 0x20
        case .proprietary(let cid, _): cid.rawValue
        }
    }

    /// The command's name in the specification ("LinkADRReq"); "Proprietary" for 0x80-0xFF.
    public var name: String { Self.name(cid: cid) ?? "Proprietary" }

    /// The payload length after the CID: fixed for standard commands, the payload's own length for a
    /// proprietary one.
    public var payloadLength: Int {
        if case .proprietary(_, let payload) = self { return payload.count }
        return Self.payloadLength(cid: cid) ?? 0
    }

    /// The payload length in bytes of the downlink command `cid`, or `nil` when downlinks define no
    /// such standard command (proprietary CIDs have no fixed length).
    public static func payloadLength(cid: UInt8) -> Int? {
        MACCommandCatalog.entry(cid: cid, direction: .downlink)?.payloadLength
    }

    /// The specification's name of the downlink command `cid`, or `nil` when downlinks define no such
    /// standard command.
    public static func name(cid: UInt8) -> String? {
        MACCommandCatalog.entry(cid: cid, direction: .downlink)?.name
    }

    /// The command with its fields in the specification's words, e.g.
    /// `LinkADRReq(DataRate: DR5, TXPower: 2, ChMask: 0x00FF, ChMaskCntl: 0, NbTrans: 1)`.
    public var description: String {
        switch self {
        case .devStatusReq, .pingSlotInfoAns:
            name
        case .resetConf(let minor), .rekeyConf(let minor):
            "\(name)(Minor: \(minor))"
        case .linkCheckAns(let margin, let gwCnt):
            "\(name)(Margin: \(margin) dB, GwCnt: \(gwCnt))"
        case .linkADRReq(let dataRate, let txPower, let chMask, let chMaskCntl, let nbTrans):
            "\(name)(DataRate: \(dataRate), TXPower: \(txPower), ChMask: 0x\(Self.hex16(chMask)), "
                + "ChMaskCntl: \(chMaskCntl), NbTrans: \(nbTrans))"
        case .dutyCycleReq(let maxDutyCycle):
            "\(name)(MaxDutyCycle: \(maxDutyCycle))"
        case .rxParamSetupReq(let rx1DROffset, let rx2DataRate, let frequency):
            "\(name)(RX1DROffset: \(rx1DROffset), RX2DataRate: \(rx2DataRate), Frequency: \(frequency))"
        case .newChannelReq(let chIndex, let frequency, let drRange):
            "\(name)(ChIndex: \(chIndex), Freq: \(frequency), DrRange: \(drRange))"
        case .rxTimingSetupReq(let delay):
            "\(name)(Del: \(delay))"
        case .txParamSetupReq(let downlinkDwellTime, let uplinkDwellTime, let maxEIRP):
            "\(name)(DownlinkDwellTime: \(Self.describe(downlinkDwellTime)), "
                + "UplinkDwellTime: \(Self.describe(uplinkDwellTime)), MaxEIRP: \(maxEIRP.dBm) dBm)"
        case .dlChannelReq(let chIndex, let frequency):
            "\(name)(ChIndex: \(chIndex), Freq: \(frequency))"
        case .adrParamSetupReq(let limitExp, let delayExp):
            "\(name)(Limit_exp: \(limitExp), Delay_exp: \(delayExp))"
        case .deviceTimeAns(let time):
            "\(name)(\(time))"
        case .forceRejoinReq(let period, let maxRetries, let rejoinType, let dataRate):
            "\(name)(Period: \(period), Max_Retries: \(maxRetries), RejoinType: \(rejoinType), DR: \(dataRate))"
        case .rejoinParamSetupReq(let maxTimeN, let maxCountN):
            "\(name)(MaxTimeN: \(maxTimeN), MaxCountN: \(maxCountN))"
        case .pingSlotChannelReq(let frequency, let dataRate):
            "\(name)(Frequency: \(frequency), DR: \(dataRate))"
        case .beaconTimingAns(let delay, let channel):
            "\(name)(Delay: \(delay), Channel: \(channel))"
        case .beaconFreqReq(let frequency):
            "\(name)(Frequency: \(frequency))"
        case .deviceModeConf(let deviceClass):
            "\(name)(Class: \(deviceClass))"
        case .proprietary(let cid, let payload):
            "Proprietary(CID: \(cid), Payload: \(Hex.encode(payload)))"
        }
    }

    private static func hex16(_ value: UInt16) -> String {
        Hex.encode([UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)], uppercase: true)
    }

    private static func describe(_ dwellTime: DwellTimeLimit) -> String {
        dwellTime == .unlimited ? "no limit" : "400 ms"
    }
}
