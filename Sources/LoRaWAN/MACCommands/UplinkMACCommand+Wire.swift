/// Uplink MAC commands to and from bytes: CID, then the payload the specification lays out.
/// RFU bits are ignored when decoding and written as 0 when encoding.
extension UplinkMACCommand {
    /// Appends the CID and payload of this command to `bytes`.
    public func encode(into bytes: inout [UInt8]) {
        bytes.append(cid)
        switch self {
        case .linkCheckReq, .dutyCycleAns, .rxTimingSetupAns, .txParamSetupAns, .adrParamSetupAns,
            .deviceTimeReq, .beaconTimingReq:
            break
        // LoRaWAN 1.1 §5.1, §5.10: RFU bits 7-4, Minor bits 3-0.
        case .resetInd(let minor), .rekeyInd(let minor):
            bytes.append(minor.rawValue)
        case .linkADRAns(let status):
            bytes.append(status.wireByte)
        case .rxParamSetupAns(let status):
            bytes.append(status.wireByte)
        // LoRaWAN 1.1 §5.6: Battery, then Margin (RFU bits 7-6, signed Margin bits 5-0).
        case .devStatusAns(let battery, let margin):
            bytes.append(battery.rawValue)
            bytes.append(margin.wireByte)
        case .newChannelAns(let status):
            bytes.append(status.wireByte)
        case .dlChannelAns(let status):
            bytes.append(status.wireByte)
        case .rejoinParamSetupAns(let status):
            bytes.append(status.wireByte)
        // LoRaWAN 1.1 §14.1: RFU bits 7-3, Periodicity bits 2-0.
        case .pingSlotInfoReq(let periodicity):
            bytes.append(periodicity.rawValue)
        case .pingSlotChannelAns(let status):
            bytes.append(status.wireByte)
        case .beaconFreqAns(let status):
            bytes.append(status.wireByte)
        case .deviceModeInd(let deviceClass):
            bytes.append(deviceClass.rawValue)
        case .proprietary(_, let payload):
            bytes.append(contentsOf: payload)
        }
    }

    /// Reads one command at the reader's position: `.unknownMACCommand` for a CID uplinks do not
    /// define, `.truncated` when its payload is cut short, `.invalidField` for an RFU device class.
    static func decode(from reader: inout ByteReader) throws(FrameError) -> UplinkMACCommand {
        let cid = try reader.uint8("CID")
        if let proprietary = ProprietaryCID(rawValue: cid) {
            return .proprietary(cid: proprietary, payload: reader.rest())
        }
        guard let entry = MACCommandCatalog.entry(cid: cid, direction: .uplink) else {
            throw .unknownMACCommand(cid: cid, direction: Direction.uplink.description)
        }
        guard reader.remaining >= entry.payloadLength else {
            throw .truncated(field: entry.name, needed: entry.payloadLength, available: reader.remaining)
        }
        switch cid {
        case 0x01: return .resetInd(minor: LoRaWANMinorVersion(truncatingIfNeeded: try reader.uint8("ResetInd")))
        case 0x02: return .linkCheckReq
        case 0x03: return .linkADRAns(LinkADRAnswerStatus(wireByte: try reader.uint8("LinkADRAns")))
        case 0x04: return .dutyCycleAns
        case 0x05: return .rxParamSetupAns(RXParamSetupAnswerStatus(wireByte: try reader.uint8("RXParamSetupAns")))
        case 0x06:
            let battery = DevStatusBattery(rawValue: try reader.uint8("DevStatusAns Battery"))
            let margin = DevStatusMargin(wireByte: try reader.uint8("DevStatusAns Margin"))
            return .devStatusAns(battery: battery, margin: margin)
        case 0x07: return .newChannelAns(NewChannelAnswerStatus(wireByte: try reader.uint8("NewChannelAns")))
        case 0x08: return .rxTimingSetupAns
        case 0x09: return .txParamSetupAns
        case 0x0A: return .dlChannelAns(DlChannelAnswerStatus(wireByte: try reader.uint8("DlChannelAns")))
        case 0x0B: return .rekeyInd(minor: LoRaWANMinorVersion(truncatingIfNeeded: try reader.uint8("RekeyInd")))
        case 0x0C: return .adrParamSetupAns
        case 0x0D: return .deviceTimeReq
        case 0x0F:
            return .rejoinParamSetupAns(RejoinParamSetupAnswerStatus(wireByte: try reader.uint8("RejoinParamSetupAns")))
        case 0x10:
            return .pingSlotInfoReq(
                periodicity: PingSlotPeriodicity(truncatingIfNeeded: try reader.uint8("PingSlotInfoReq")))
        case 0x11:
            return .pingSlotChannelAns(PingSlotChannelAnswerStatus(wireByte: try reader.uint8("PingSlotChannelAns")))
        case 0x12: return .beaconTimingReq
        case 0x13: return .beaconFreqAns(BeaconFreqAnswerStatus(wireByte: try reader.uint8("BeaconFreqAns")))
        case 0x20:
            return .deviceModeInd(
                try DeviceModeClass(wireByte: try reader.uint8("DeviceModeInd Class"), in: "DeviceModeInd"))
        default:
            // The catalog and this switch list the same CIDs (a test checks it); kept as a typed error
            // rather than a trap should they ever drift apart.
            throw .unknownMACCommand(cid: cid, direction: Direction.uplink.description)
        }
    }
}
