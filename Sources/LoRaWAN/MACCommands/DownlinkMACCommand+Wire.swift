/// Downlink MAC commands to and from bytes: CID, then the payload the specification lays out.
/// Multi-byte fields are little-endian. RFU bits are ignored when decoding and written as 0 when
/// encoding.
extension DownlinkMACCommand {
    /// Appends the CID and payload of this command to `bytes`.
    public func encode(into bytes: inout [UInt8]) {
        bytes.append(cid)
        switch self {
        case .devStatusReq, .pingSlotInfoAns:
            break
        // LoRaWAN 1.1 §5.1, §5.10: RFU bits 7-4, Minor bits 3-0.
        case .resetConf(let minor), .rekeyConf(let minor):
            bytes.append(minor.rawValue)
        // LoRaWAN 1.1 §5.2: Margin, GwCnt.
        case .linkCheckAns(let margin, let gwCnt):
            bytes.append(margin)
            bytes.append(gwCnt)
        // LoRaWAN 1.1 §5.3: DataRate bits 7-4 | TXPower bits 3-0, ChMask (16 bits), Redundancy
        // (RFU bit 7, ChMaskCntl bits 6-4, NbTrans bits 3-0).
        case .linkADRReq(let dataRate, let txPower, let chMask, let chMaskCntl, let nbTrans):
            bytes.append(dataRate.rawValue << 4 | txPower.rawValue)
            bytes.appendLE(chMask)
            bytes.append(chMaskCntl.rawValue << 4 | nbTrans.rawValue)
        // LoRaWAN 1.1 §5.4: RFU bits 7-4, MaxDutyCycle bits 3-0.
        case .dutyCycleReq(let maxDutyCycle):
            bytes.append(maxDutyCycle.rawValue)
        // LoRaWAN 1.1 §5.5: DLsettings (RFU bit 7, RX1DROffset bits 6-4, RX2DataRate bits 3-0), Frequency.
        case .rxParamSetupReq(let rx1DROffset, let rx2DataRate, let frequency):
            bytes.append(rx1DROffset.rawValue << 4 | rx2DataRate.rawValue)
            bytes.appendLE24(frequency.wireValue)
        // LoRaWAN 1.1 §5.7: ChIndex, Freq, DrRange (MaxDR bits 7-4, MinDR bits 3-0).
        case .newChannelReq(let chIndex, let frequency, let drRange):
            bytes.append(chIndex)
            bytes.appendLE24(frequency.wireValue)
            bytes.append(drRange.wireByte)
        // LoRaWAN 1.1 §5.8: RFU bits 7-4, Del bits 3-0.
        case .rxTimingSetupReq(let delay):
            bytes.append(delay.rawValue)
        // LoRaWAN 1.1 §5.9: RFU bits 7-6, DownlinkDwellTime bit 5, UplinkDwellTime bit 4, MaxEIRP bits 3-0.
        case .txParamSetupReq(let downlinkDwellTime, let uplinkDwellTime, let maxEIRP):
            let downlinkBit: UInt8 = downlinkDwellTime == .limited400ms ? 1 << 5 : 0
            let uplinkBit: UInt8 = uplinkDwellTime == .limited400ms ? 1 << 4 : 0
            bytes.append(downlinkBit | uplinkBit | maxEIRP.rawValue)
        // LoRaWAN 1.1 §5.7: ChIndex, Freq.
        case .dlChannelReq(let chIndex, let frequency):
            bytes.append(chIndex)
            bytes.appendLE24(frequency.wireValue)
        // LoRaWAN 1.1 §5.11: Limit_exp bits 7-4, Delay_exp bits 3-0.
        case .adrParamSetupReq(let limitExp, let delayExp):
            bytes.append(limitExp.rawValue << 4 | delayExp.rawValue)
        // LoRaWAN 1.1 §5.12: seconds since the GPS epoch (32 bits), fractional second in 1/256 s.
        case .deviceTimeAns(let time):
            bytes.appendLE(time.seconds)
            bytes.append(time.fractionalSecond)
        // LoRaWAN 1.1 §5.13, one 16-bit field: RFU bits 15-14, Period bits 13-11, Max_Retries bits
        // 10-8, RFU bit 7, RejoinType bits 6-4, DR bits 3-0.
        case .forceRejoinReq(let period, let maxRetries, let rejoinType, let dataRate):
            let field =
                UInt16(period.rawValue) << 11 | UInt16(maxRetries.rawValue) << 8
                | UInt16(rejoinType.rawValue) << 4 | UInt16(dataRate.rawValue)
            bytes.appendLE(field)
        // LoRaWAN 1.1 §5.14: MaxTimeN bits 7-4, MaxCountN bits 3-0.
        case .rejoinParamSetupReq(let maxTimeN, let maxCountN):
            bytes.append(maxTimeN.rawValue << 4 | maxCountN.rawValue)
        // LoRaWAN 1.1 §14.3: Frequency, then DR (RFU bits 7-4, data rate bits 3-0).
        case .pingSlotChannelReq(let frequency, let dataRate):
            bytes.appendLE24(frequency.wireValue)
            bytes.append(dataRate.rawValue)
        // LoRaWAN 1.1 §14.4 (deprecated): Delay (16 bits), Channel.
        case .beaconTimingAns(let delay, let channel):
            bytes.appendLE(delay)
            bytes.append(channel)
        // LoRaWAN 1.1 §14.2: Frequency.
        case .beaconFreqReq(let frequency):
            bytes.appendLE24(frequency.wireValue)
        case .deviceModeConf(let deviceClass):
            bytes.append(deviceClass.rawValue)
        case .proprietary(_, let payload):
            bytes.append(contentsOf: payload)
        }
    }

    /// Reads one command at the reader's position: `.unknownMACCommand` for a CID downlinks do not
    /// define, `.truncated` when its payload is cut short, `.invalidField` for an RFU device class.
    static func decode(from reader: inout ByteReader) throws(FrameError) -> DownlinkMACCommand {
        let cid = try reader.uint8("CID")
        if let proprietary = ProprietaryCID(rawValue: cid) {
            return .proprietary(cid: proprietary, payload: reader.rest())
        }
        guard let entry = MACCommandCatalog.entry(cid: cid, direction: .downlink) else {
            throw .unknownMACCommand(cid: cid, direction: Direction.downlink.description)
        }
        guard reader.remaining >= entry.payloadLength else {
            throw .truncated(field: entry.name, needed: entry.payloadLength, available: reader.remaining)
        }
        switch cid {
        case 0x01:
            return .resetConf(minor: LoRaWANMinorVersion(truncatingIfNeeded: try reader.uint8("ResetConf")))
        case 0x02:
            let margin = try reader.uint8("LinkCheckAns Margin")
            return .linkCheckAns(margin: margin, gwCnt: try reader.uint8("LinkCheckAns GwCnt"))
        case 0x03:
            let dataRateTXPower = try reader.uint8("LinkADRReq DataRate_TXPower")
            let chMask = try reader.uint16LE("LinkADRReq ChMask")
            let redundancy = try reader.uint8("LinkADRReq Redundancy")
            return .linkADRReq(
                dataRate: DataRateIndex(lowBitsOf: dataRateTXPower >> 4),
                txPower: TXPower(truncatingIfNeeded: dataRateTXPower),
                chMask: chMask,
                chMaskCntl: ChannelMaskControl(truncatingIfNeeded: redundancy >> 4),
                nbTrans: NbTrans(truncatingIfNeeded: redundancy))
        case 0x04:
            return .dutyCycleReq(maxDutyCycle: MaxDutyCycle(truncatingIfNeeded: try reader.uint8("DutyCycleReq")))
        case 0x05:
            let dlSettings = try reader.uint8("RXParamSetupReq DLsettings")
            let frequency = try reader.uint24LE("RXParamSetupReq Frequency")
            return .rxParamSetupReq(
                rx1DROffset: RX1DROffset(truncatingIfNeeded: dlSettings >> 4),
                rx2DataRate: DataRateIndex(lowBitsOf: dlSettings),
                frequency: ChannelFrequency(wireValue: frequency))
        case 0x06:
            return .devStatusReq
        case 0x07:
            let chIndex = try reader.uint8("NewChannelReq ChIndex")
            let frequency = try reader.uint24LE("NewChannelReq Freq")
            let drRange = try reader.uint8("NewChannelReq DrRange")
            return .newChannelReq(
                chIndex: chIndex, frequency: ChannelFrequency(wireValue: frequency),
                drRange: DataRateRange(wireByte: drRange))
        case 0x08:
            return .rxTimingSetupReq(delay: RXTimingDelay(truncatingIfNeeded: try reader.uint8("RXTimingSetupReq")))
        case 0x09:
            let eirpDwellTime = try reader.uint8("TxParamSetupReq EIRP_DwellTime")
            return .txParamSetupReq(
                downlinkDwellTime: eirpDwellTime & 1 << 5 == 0 ? .unlimited : .limited400ms,
                uplinkDwellTime: eirpDwellTime & 1 << 4 == 0 ? .unlimited : .limited400ms,
                maxEIRP: MaxEIRP(truncatingIfNeeded: eirpDwellTime))
        case 0x0A:
            let chIndex = try reader.uint8("DlChannelReq ChIndex")
            let frequency = try reader.uint24LE("DlChannelReq Freq")
            return .dlChannelReq(chIndex: chIndex, frequency: ChannelFrequency(wireValue: frequency))
        case 0x0B:
            return .rekeyConf(minor: LoRaWANMinorVersion(truncatingIfNeeded: try reader.uint8("RekeyConf")))
        case 0x0C:
            let adrParam = try reader.uint8("ADRParamSetupReq ADRparam")
            return .adrParamSetupReq(
                limitExp: ADRAckLimitExponent(truncatingIfNeeded: adrParam >> 4),
                delayExp: ADRAckDelayExponent(truncatingIfNeeded: adrParam))
        case 0x0D:
            let seconds = try reader.uint32LE("DeviceTimeAns Seconds")
            let fraction = try reader.uint8("DeviceTimeAns FractionalSecond")
            return .deviceTimeAns(GPSEpochTime(seconds: seconds, fractionalSecond: fraction))
        case 0x0E:
            let field = try reader.uint16LE("ForceRejoinReq")
            return .forceRejoinReq(
                period: ForceRejoinPeriod(truncatingIfNeeded: UInt8(truncatingIfNeeded: field >> 11)),
                maxRetries: ForceRejoinMaxRetries(truncatingIfNeeded: UInt8(truncatingIfNeeded: field >> 8)),
                rejoinType: ForceRejoinType(truncatingIfNeeded: UInt8(truncatingIfNeeded: field >> 4)),
                dataRate: DataRateIndex(lowBitsOf: UInt8(truncatingIfNeeded: field)))
        case 0x0F:
            let param = try reader.uint8("RejoinParamSetupReq")
            return .rejoinParamSetupReq(
                maxTimeN: RejoinMaxTimeN(truncatingIfNeeded: param >> 4),
                maxCountN: RejoinMaxCountN(truncatingIfNeeded: param))
        case 0x10:
            return .pingSlotInfoAns
        case 0x11:
            let frequency = try reader.uint24LE("PingSlotChannelReq Frequency")
            let dataRate = try reader.uint8("PingSlotChannelReq DR")
            return .pingSlotChannelReq(
                frequency: ChannelFrequency(wireValue: frequency), dataRate: DataRateIndex(lowBitsOf: dataRate))
        case 0x12:
            let delay = try reader.uint16LE("BeaconTimingAns Delay")
            return .beaconTimingAns(delay: delay, channel: try reader.uint8("BeaconTimingAns Channel"))
        case 0x13:
            return .beaconFreqReq(
                frequency: ChannelFrequency(wireValue: try reader.uint24LE("BeaconFreqReq Frequency")))
        case 0x20:
            return .deviceModeConf(
                try DeviceModeClass(wireByte: try reader.uint8("DeviceModeConf Class"), in: "DeviceModeConf"))
        default:
            // The catalog and this switch list the same CIDs (a test checks it); kept as a typed error
            // rather than a trap should they ever drift apart.
            throw .unknownMACCommand(cid: cid, direction: Direction.downlink.description)
        }
    }
}
