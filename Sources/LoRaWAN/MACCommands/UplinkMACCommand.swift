/// A MAC command an end device sends to the Network Server (in FOpts or in an FPort 0 FRMPayload).
///
/// Requests the network sends live in ``DownlinkMACCommand``; a CID means a different command in each
/// direction (0x03 is LinkADRAns here, LinkADRReq there), so the two enums keep a downlink request
/// from ever being decoded from, or encoded into, an uplink.
public enum UplinkMACCommand: Equatable, Sendable, CustomStringConvertible {
    /// ResetInd (0x01): an ABP device reports a reset and its LoRaWAN minor version (LoRaWAN 1.1 §5.1).
    case resetInd(minor: LoRaWANMinorVersion)
    /// LinkCheckReq (0x02): the device asks how well the network hears it (LoRaWAN 1.1 §5.2).
    case linkCheckReq
    /// LinkADRAns (0x03): which parts of a LinkADRReq the device accepted (LoRaWAN 1.1 §5.3).
    case linkADRAns(LinkADRAnswerStatus)
    /// DutyCycleAns (0x04): acknowledges DutyCycleReq (LoRaWAN 1.1 §5.4).
    case dutyCycleAns
    /// RXParamSetupAns (0x05): which parts of an RXParamSetupReq the device accepted (LoRaWAN 1.1 §5.5).
    case rxParamSetupAns(RXParamSetupAnswerStatus)
    /// DevStatusAns (0x06): the device's battery level and the SNR margin of the DevStatusReq it
    /// answers (LoRaWAN 1.1 §5.6).
    case devStatusAns(battery: DevStatusBattery, margin: DevStatusMargin)
    /// NewChannelAns (0x07): whether the device accepted the frequency and data rate range of a
    /// NewChannelReq (LoRaWAN 1.1 §5.7).
    case newChannelAns(NewChannelAnswerStatus)
    /// RXTimingSetupAns (0x08): acknowledges RXTimingSetupReq (LoRaWAN 1.1 §5.8).
    case rxTimingSetupAns
    /// TxParamSetupAns (0x09): acknowledges TxParamSetupReq (LoRaWAN 1.1 §5.9).
    case txParamSetupAns
    /// DlChannelAns (0x0A): whether the device accepted a DlChannelReq (LoRaWAN 1.1 §5.7).
    case dlChannelAns(DlChannelAnswerStatus)
    /// RekeyInd (0x0B): an OTAA 1.1 device confirms its new security context and reports its LoRaWAN
    /// minor version (LoRaWAN 1.1 §5.10).
    case rekeyInd(minor: LoRaWANMinorVersion)
    /// ADRParamSetupAns (0x0C): acknowledges ADRParamSetupReq (LoRaWAN 1.1 §5.11).
    case adrParamSetupAns
    /// DeviceTimeReq (0x0D): the device asks for the current GPS time (LoRaWAN 1.1 §5.12).
    case deviceTimeReq
    /// RejoinParamSetupAns (0x0F): whether the device accepted the time limit of a
    /// RejoinParamSetupReq (LoRaWAN 1.1 §5.14).
    case rejoinParamSetupAns(RejoinParamSetupAnswerStatus)
    /// PingSlotInfoReq (0x10): a class B device tells its unicast ping slot periodicity
    /// (LoRaWAN 1.1 §14.1).
    case pingSlotInfoReq(periodicity: PingSlotPeriodicity)
    /// PingSlotChannelAns (0x11): whether the device accepted a PingSlotChannelReq (LoRaWAN 1.1 §14.3).
    case pingSlotChannelAns(PingSlotChannelAnswerStatus)
    /// BeaconTimingReq (0x12): asks for the next beacon's timing. Deprecated by LoRaWAN 1.0.3 and 1.1
    /// §14.4 in favour of DeviceTimeReq; decoded so that older class B devices can be served.
    case beaconTimingReq
    /// BeaconFreqAns (0x13): whether the device accepted a BeaconFreqReq (LoRaWAN 1.1 §14.2).
    case beaconFreqAns(BeaconFreqAnswerStatus)
    /// DeviceModeInd (0x20): the class the device switched to (LoRaWAN 1.1 §18.1).
    case deviceModeInd(DeviceModeClass)
    /// A proprietary command (CID 0x80-0xFF). Its length is not known, so it takes every remaining
    /// byte as its payload: put it last in a list, or the commands after it decode as its payload.
    case proprietary(cid: ProprietaryCID, payload: [UInt8])

    /// The command identifier on the wire.
    public var cid: UInt8 {
        switch self {
        case .resetInd: 0x01
        case .linkCheckReq: 0x02
        case .linkADRAns: 0x03
        case .dutyCycleAns: 0x04
        case .rxParamSetupAns: 0x05
        case .devStatusAns: 0x06
        case .newChannelAns: 0x07
        case .rxTimingSetupAns: 0x08
        case .txParamSetupAns: 0x09
        case .dlChannelAns: 0x0A
        case .rekeyInd: 0x0B
        case .adrParamSetupAns: 0x0C
        case .deviceTimeReq: 0x0D
        case .rejoinParamSetupAns: 0x0F
        case .pingSlotInfoReq: 0x10
        case .pingSlotChannelAns: 0x11
        case .beaconTimingReq: 0x12
        case .beaconFreqAns: 0x13
        case .deviceModeInd: 0x20
        case .proprietary(let cid, _): cid.rawValue
        }
    }

    /// The command's name in the specification ("LinkADRAns"); "Proprietary" for 0x80-0xFF.
    public var name: String { Self.name(cid: cid) ?? "Proprietary" }

    /// The payload length after the CID: fixed for standard commands, the payload's own length for a
    /// proprietary one.
    public var payloadLength: Int {
        if case .proprietary(_, let payload) = self { return payload.count }
        return Self.payloadLength(cid: cid) ?? 0
    }

    /// The payload length in bytes of the uplink command `cid`, or `nil` when uplinks define no such
    /// standard command (proprietary CIDs have no fixed length).
    public static func payloadLength(cid: UInt8) -> Int? {
        MACCommandCatalog.entry(cid: cid, direction: .uplink)?.payloadLength
    }

    /// The specification's name of the uplink command `cid`, or `nil` when uplinks define no such
    /// standard command.
    public static func name(cid: UInt8) -> String? {
        MACCommandCatalog.entry(cid: cid, direction: .uplink)?.name
    }

    /// The command with its fields in the specification's words, e.g.
    /// `DevStatusAns(Battery: 254/254, Margin: 7 dB)`.
    public var description: String {
        switch self {
        case .resetInd(let minor), .rekeyInd(let minor):
            "\(name)(Minor: \(minor))"
        case .linkCheckReq, .dutyCycleAns, .rxTimingSetupAns, .txParamSetupAns, .adrParamSetupAns,
            .deviceTimeReq, .beaconTimingReq:
            name
        case .linkADRAns(let status): "\(name)(\(status))"
        case .rxParamSetupAns(let status): "\(name)(\(status))"
        case .devStatusAns(let battery, let margin): "\(name)(Battery: \(battery), Margin: \(margin))"
        case .newChannelAns(let status): "\(name)(\(status))"
        case .dlChannelAns(let status): "\(name)(\(status))"
        case .rejoinParamSetupAns(let status): "\(name)(\(status))"
        case .pingSlotInfoReq(let periodicity): "\(name)(Periodicity: \(periodicity))"
        case .pingSlotChannelAns(let status): "\(name)(\(status))"
        case .beaconFreqAns(let status): "\(name)(\(status))"
        case .deviceModeInd(let deviceClass): "\(name)(Class: \(deviceClass))"
        case .proprietary(let cid, let payload): "Proprietary(CID: \(cid), Payload: \(Hex.encode(payload)))"
        }
    }
}
