import ReferenceVectors
import LoRaWAN
import PropertyBased
import Testing

/// MAC commands of LoRaWAN 1.0.4 and 1.1 in both directions: known byte vectors, field layouts, RFU
/// handling, errors, and properties over random commands and random bytes.
@Suite("MAC commands")
struct MACCommandTests {
    // MARK: - Known vectors

    /// One command and its bytes (CID first), hex as in the specification's examples.
    struct Vector<Command: Sendable>: Sendable, CustomTestStringConvertible {
        let hex: String
        let build: @Sendable () throws -> Command
        var testDescription: String { hex }
    }

    static let uplinkVectors: [Vector<UplinkMACCommand>] = [
        .init(hex: "0101") { .resetInd(minor: .lorawan1_1) },
        .init(hex: "02") { .linkCheckReq },
        .init(hex: "0301") { .linkADRAns(.channelMaskACK) },
        .init(hex: "0302") { .linkADRAns(.dataRateACK) },
        .init(hex: "0304") { .linkADRAns(.powerACK) },
        .init(hex: "0307") { .linkADRAns([.powerACK, .dataRateACK, .channelMaskACK]) },
        .init(hex: "04") { .dutyCycleAns },
        .init(hex: "0505") { .rxParamSetupAns([.rx1DROffsetACK, .channelACK]) },
        .init(hex: "0502") { .rxParamSetupAns(.rx2DataRateACK) },
        .init(hex: "060022") { .devStatusAns(battery: .externalPower, margin: try margin(-30)) },
        .init(hex: "06FF1E") { .devStatusAns(battery: .notMeasurable, margin: try margin(30)) },
        .init(hex: "067F3F") { .devStatusAns(battery: DevStatusBattery(rawValue: 127), margin: try margin(-1)) },
        .init(hex: "06FE20") { .devStatusAns(battery: DevStatusBattery(rawValue: 254), margin: try margin(-32)) },
        .init(hex: "0700") { .newChannelAns([]) },
        .init(hex: "0701") { .newChannelAns(.channelFrequencyOK) },
        .init(hex: "0702") { .newChannelAns(.dataRateRangeOK) },
        .init(hex: "0703") { .newChannelAns([.dataRateRangeOK, .channelFrequencyOK]) },
        .init(hex: "08") { .rxTimingSetupAns },
        .init(hex: "09") { .txParamSetupAns },
        .init(hex: "0A01") { .dlChannelAns(.channelFrequencyOK) },
        .init(hex: "0A02") { .dlChannelAns(.uplinkFrequencyExists) },
        .init(hex: "0B01") { .rekeyInd(minor: .lorawan1_1) },
        .init(hex: "0C") { .adrParamSetupAns },
        .init(hex: "0D") { .deviceTimeReq },
        .init(hex: "0F01") { .rejoinParamSetupAns(.timeOK) },
        .init(hex: "0F00") { .rejoinParamSetupAns([]) },
        .init(hex: "1003") { .pingSlotInfoReq(periodicity: bits(3)) },
        .init(hex: "1102") { .pingSlotChannelAns(.dataRateOK) },
        .init(hex: "1103") { .pingSlotChannelAns([.dataRateOK, .channelFrequencyOK]) },
        .init(hex: "12") { .beaconTimingReq },
        .init(hex: "1301") { .beaconFreqAns(.beaconFrequencyOK) },
        .init(hex: "2000") { .deviceModeInd(.classA) },
        .init(hex: "2002") { .deviceModeInd(.classC) },
        .init(hex: "80DEAD") { .proprietary(cid: try proprietaryCID(0x80), payload: [0xDE, 0xAD]) },
        .init(hex: "FF") { .proprietary(cid: try proprietaryCID(0xFF), payload: []) },
    ]

    static let downlinkVectors: [Vector<DownlinkMACCommand>] = [
        .init(hex: "0101") { .resetConf(minor: .lorawan1_1) },
        .init(hex: "020A0F") { .linkCheckAns(margin: 10, gwCnt: 15) },
        .init(hex: "0312040045") {
            .linkADRReq(dataRate: .dr1, txPower: bits(2), chMask: 0x0004, chMaskCntl: bits(4), nbTrans: bits(5))
        },
        .init(hex: "040D") { .dutyCycleReq(maxDutyCycle: bits(13)) },
        .init(hex: "053B010204") {
            .rxParamSetupReq(
                rx1DROffset: bits(3), rx2DataRate: .dr11, frequency: try ChannelFrequency(hertz: 26_265_700))
        },
        .init(hex: "06") { .devStatusReq },
        .init(hex: "07030102045A") {
            .newChannelReq(
                chIndex: 3, frequency: try ChannelFrequency(hertz: 26_265_700),
                drRange: DataRateRange(minDR: .dr10, maxDR: .dr5))
        },
        .init(hex: "0702287684" + "50") {
            .newChannelReq(
                chIndex: 2, frequency: try ChannelFrequency(hertz: 868_100_000),
                drRange: DataRateRange(minDR: .dr0, maxDR: .dr5))
        },
        .init(hex: "080F") { .rxTimingSetupReq(delay: bits(15)) },
        .init(hex: "090F") {
            .txParamSetupReq(downlinkDwellTime: .unlimited, uplinkDwellTime: .unlimited, maxEIRP: bits(15))
        },
        .init(hex: "091F") {
            .txParamSetupReq(downlinkDwellTime: .unlimited, uplinkDwellTime: .limited400ms, maxEIRP: bits(15))
        },
        .init(hex: "0925") {
            .txParamSetupReq(downlinkDwellTime: .limited400ms, uplinkDwellTime: .unlimited, maxEIRP: bits(5))
        },
        .init(hex: "0A00287684") { .dlChannelReq(chIndex: 0, frequency: try ChannelFrequency(hertz: 868_100_000)) },
        .init(hex: "0A01107A84") { .dlChannelReq(chIndex: 1, frequency: try ChannelFrequency(hertz: 868_200_000)) },
        .init(hex: "0B01") { .rekeyConf(minor: .lorawan1_1) },
        .init(hex: "0CAF") { .adrParamSetupReq(limitExp: bits(10), delayExp: bits(15)) },
        .init(hex: "0D0100000000") { .deviceTimeAns(GPSEpochTime(seconds: 1)) },
        .init(hex: "0D0100000002") { .deviceTimeAns(GPSEpochTime(seconds: 1, fractionalSecond: 2)) },
        .init(hex: "0E251C") {
            .forceRejoinReq(period: bits(3), maxRetries: bits(4), rejoinType: bits(2), dataRate: .dr5)
        },
        .init(hex: "0FEF") { .rejoinParamSetupReq(maxTimeN: bits(14), maxCountN: bits(15)) },
        .init(hex: "10") { .pingSlotInfoAns },
        .init(hex: "1128768405") {
            .pingSlotChannelReq(frequency: try ChannelFrequency(hertz: 868_100_000), dataRate: .dr5)
        },
        .init(hex: "12341207") { .beaconTimingAns(delay: 0x1234, channel: 7) },
        .init(hex: "13287684") { .beaconFreqReq(frequency: try ChannelFrequency(hertz: 868_100_000)) },
        .init(hex: "2000") { .deviceModeConf(.classA) },
        .init(hex: "2002") { .deviceModeConf(.classC) },
        .init(hex: "C001") { .proprietary(cid: try proprietaryCID(0xC0), payload: [0x01]) },
    ]

    @Test("every uplink command decodes from, and encodes to, its known bytes", arguments: uplinkVectors)
    func uplinkVector(_ vector: Vector<UplinkMACCommand>) throws {
        let bytes = try Self.bytes(vector.hex)
        let command = try vector.build()
        #expect(try MACCommandCodec.decodeUplink(bytes) == [command])
        #expect(MACCommandCodec.encode([command]) == bytes)
        #expect(bytes.count == 1 + command.payloadLength)
    }

    @Test("every downlink command decodes from, and encodes to, its known bytes", arguments: downlinkVectors)
    func downlinkVector(_ vector: Vector<DownlinkMACCommand>) throws {
        let bytes = try Self.bytes(vector.hex)
        let command = try vector.build()
        #expect(try MACCommandCodec.decodeDownlink(bytes) == [command])
        #expect(MACCommandCodec.encode([command]) == bytes)
        #expect(bytes.count == 1 + command.payloadLength)
    }

    @Test("the known vectors cover every CID each direction defines")
    func vectorsCoverEveryCID() throws {
        let uplinkCIDs = Set(try Self.uplinkVectors.map { try $0.build().cid }.filter { $0 < 0x80 })
        let downlinkCIDs = Set(try Self.downlinkVectors.map { try $0.build().cid }.filter { $0 < 0x80 })
        #expect(uplinkCIDs == Set(Self.uplinkDefinedBits.keys))
        #expect(downlinkCIDs == Set(Self.downlinkDefinedBits.keys))
    }

    @Test("payloadLength(cid:) follows the specification's command tables in each direction")
    func payloadLengthTable() {
        for cid in UInt8.min...UInt8.max {
            #expect(UplinkMACCommand.payloadLength(cid: cid) == Self.uplinkDefinedBits[cid]?.count, "uplink CID \(cid)")
            #expect(
                DownlinkMACCommand.payloadLength(cid: cid) == Self.downlinkDefinedBits[cid]?.count,
                "downlink CID \(cid)")
        }
    }

    @Test("commands are named as in the specification")
    func specificationNames() throws {
        #expect(UplinkMACCommand.name(cid: 0x03) == "LinkADRAns")
        #expect(DownlinkMACCommand.name(cid: 0x03) == "LinkADRReq")
        #expect(UplinkMACCommand.name(cid: 0x0E) == nil)
        #expect(DownlinkMACCommand.name(cid: 0x0E) == "ForceRejoinReq")
        #expect(UplinkMACCommand.deviceTimeReq.name == "DeviceTimeReq")
        #expect(DownlinkMACCommand.deviceModeConf(.classC).name == "DeviceModeConf")
        let linkADRReq = DownlinkMACCommand.linkADRReq(
            dataRate: .dr5, txPower: Self.bits(2), chMask: 0x00FF, chMaskCntl: Self.bits(0), nbTrans: Self.bits(1))
        #expect(
            linkADRReq.description == "LinkADRReq(DataRate: DR5, TXPower: 2, ChMask: 0x00FF, ChMaskCntl: 0, NbTrans: 1)"
        )
        #expect(
            UplinkMACCommand.linkADRAns([.powerACK, .channelMaskACK]).description
                == "LinkADRAns(PowerACK=1 DataRateACK=0 ChannelMaskACK=1)")
        #expect(
            UplinkMACCommand.devStatusAns(battery: .externalPower, margin: try Self.margin(7)).description
                == "DevStatusAns(Battery: external power, Margin: 7 dB)")
    }

    // MARK: - Field layouts

    @Test("LinkADRReq carries ChMask little-endian")
    func linkADRReqChMaskIsLittleEndian() throws {
        let command = DownlinkMACCommand.linkADRReq(
            dataRate: .dr0, txPower: Self.bits(0), chMask: 0x80FF, chMaskCntl: Self.bits(0), nbTrans: Self.bits(0))
        #expect(MACCommandCodec.encode([command]) == [0x03, 0x00, 0xFF, 0x80, 0x00])
        let decoded = try MACCommandCodec.decodeDownlink([0x03, 0x00, 0x01, 0x80, 0x00])
        guard case .linkADRReq(_, _, let chMask, _, _) = decoded.first else {
            Issue.record("expected a LinkADRReq, got \(decoded)")
            return
        }
        #expect(chMask == 0x8001)
    }

    @Test("LinkADRReq puts DataRate above TXPower and ChMaskCntl above NbTrans")
    func linkADRReqNibbles() throws {
        let command = DownlinkMACCommand.linkADRReq(
            dataRate: .dr15, txPower: .keepCurrent, chMask: 0, chMaskCntl: Self.bits(7), nbTrans: Self.bits(1))
        #expect(MACCommandCodec.encode([command]) == [0x03, 0xFF, 0x00, 0x00, 0x71])
    }

    @Test("frequencies travel as 24-bit little-endian counts of 100 Hz")
    func frequencyWireFormat() throws {
        let beacon = DownlinkMACCommand.beaconFreqReq(frequency: try ChannelFrequency(hertz: 868_100_000))
        #expect(MACCommandCodec.encode([beacon]) == [0x13, 0x28, 0x76, 0x84])
        let highest = DownlinkMACCommand.beaconFreqReq(
            frequency: try ChannelFrequency(hertz: ChannelFrequency.maximumHertz))
        #expect(MACCommandCodec.encode([highest]) == [0x13, 0xFF, 0xFF, 0xFF])
        #expect(try MACCommandCodec.decodeDownlink([0x13, 0xFF, 0xFF, 0xFF]) == [highest])
    }

    @Test("a frequency that is not a multiple of 100 Hz is refused")
    func frequencyMustBeMultipleOf100() {
        #expect(throws: FrameError.self) { try ChannelFrequency(hertz: 868_100_050) }
        #expect(throws: FrameError.self) { try ChannelFrequency(hertz: 1) }
    }

    @Test("a frequency beyond the 24-bit field is refused")
    func frequencyMustFit24Bits() throws {
        #expect(throws: FrameError.self) { try ChannelFrequency(hertz: ChannelFrequency.maximumHertz + 100) }
        #expect(throws: FrameError.self) { try ChannelFrequency(hertz: 2_410_000_000) }
        #expect(try ChannelFrequency(hertz: 0).hertz == 0)
    }

    @Test("DevStatusAns Margin is a 6-bit signed value from -32 to 31 dB")
    func devStatusMarginRange() throws {
        #expect(DevStatusMargin(decibels: -33) == nil)
        #expect(DevStatusMargin(decibels: 32) == nil)
        #expect(DevStatusMargin(decibels: -32)?.decibels == -32)
        #expect(DevStatusMargin(decibels: 31)?.decibels == 31)
        // 0xE0: RFU bits 7-6 set, Margin bits 100000 = -32.
        #expect(
            try MACCommandCodec.decodeUplink([0x06, 0x05, 0xE0])
                == [.devStatusAns(battery: DevStatusBattery(rawValue: 5), margin: try Self.margin(-32))])
    }

    @Test("DevStatusAns Battery tells external power, a level, and not measurable apart")
    func devStatusBattery() {
        #expect(DevStatusBattery.externalPower.level == nil)
        #expect(DevStatusBattery.notMeasurable.level == nil)
        #expect(DevStatusBattery(rawValue: 1).level == 1)
        #expect(DevStatusBattery(rawValue: 254).level == 254)
    }

    @Test("ForceRejoinReq packs Period, Max_Retries, RejoinType and DR into one little-endian 16-bit field")
    func forceRejoinLayout() {
        let command = DownlinkMACCommand.forceRejoinReq(
            period: Self.bits(7), maxRetries: Self.bits(0), rejoinType: Self.bits(0), dataRate: .dr0)
        #expect(MACCommandCodec.encode([command]) == [0x0E, 0x00, 0x38])
        let retries = DownlinkMACCommand.forceRejoinReq(
            period: Self.bits(0), maxRetries: Self.bits(7), rejoinType: Self.bits(7), dataRate: .dr15)
        #expect(MACCommandCodec.encode([retries]) == [0x0E, 0x7F, 0x07])
    }

    @Test("DeviceTimeAns counts seconds since the GPS epoch and fractions of 1/256 s")
    func deviceTimeDuration() throws {
        let time = GPSEpochTime(seconds: 1_400_000_000, fractionalSecond: 128)
        #expect(time.sinceGPSEpoch == .seconds(1_400_000_000) + .milliseconds(500))
        #expect(
            GPSEpochTime(sinceGPSEpoch: .seconds(1_400_000_000) + .milliseconds(999))
                == GPSEpochTime(
                    seconds: 1_400_000_000, fractionalSecond: 255))
        #expect(GPSEpochTime(sinceGPSEpoch: .seconds(-1)) == nil)
        #expect(GPSEpochTime(sinceGPSEpoch: .seconds(Int64(UInt32.max) + 1)) == nil)
        #expect(
            MACCommandCodec.encode([DownlinkMACCommand.deviceTimeAns(time)]) == [0x0D, 0x00, 0x4E, 0x72, 0x53, 0x80])
    }

    @Test("coded values mean what the specification's tables say")
    func codedValues() throws {
        #expect(try #require(MaxEIRP(rawValue: 0)).dBm == 8)
        #expect(try #require(MaxEIRP(rawValue: 15)).dBm == 36)
        #expect(try #require(RXTimingDelay(rawValue: 0)).seconds == 1)
        #expect(try #require(RXTimingDelay(rawValue: 15)).seconds == 15)
        #expect(try #require(ADRAckLimitExponent(rawValue: 6)).adrAckLimit == 64)
        #expect(try #require(ADRAckDelayExponent(rawValue: 5)).adrAckDelay == 32)
        #expect(try #require(RejoinMaxTimeN(rawValue: 0)).seconds == 1024)
        #expect(try #require(RejoinMaxCountN(rawValue: 0)).uplinks == 16)
        #expect(try #require(PingSlotPeriodicity(rawValue: 7)).seconds == 128)
    }

    @Test("a sub-byte field refuses a value wider than its bits")
    func bitFieldsRefuseWideValues() {
        #expect(TXPower(rawValue: 16) == nil)
        #expect(TXPower(rawValue: 15) == .keepCurrent)
        #expect(ChannelMaskControl(rawValue: 8) == nil)
        #expect(ChannelMaskControl(rawValue: 7)?.rawValue == 7)
        #expect(RX1DROffset(rawValue: 8) == nil)
        #expect(ForceRejoinType(rawValue: 8) == nil)
        #expect(PingSlotPeriodicity(rawValue: 8) == nil)
        #expect(LoRaWANMinorVersion(rawValue: 16) == nil)
        #expect(TXPower(truncatingIfNeeded: 0x3A).rawValue == 0x0A)
        #expect(ProprietaryCID(rawValue: 0x7F) == nil)
        #expect(ProprietaryCID(rawValue: 0x80)?.rawValue == 0x80)
    }

    @Test("an answer is accepted only when every defined bit is set")
    func answerAcceptance() {
        #expect(LinkADRAnswerStatus.all.isAccepted)
        #expect(!LinkADRAnswerStatus([.powerACK, .dataRateACK]).isAccepted)
        #expect(RejoinParamSetupAnswerStatus.timeOK.isAccepted)
        #expect(LinkADRAnswerStatus.all.rawValue == 0x07)
        #expect(RXParamSetupAnswerStatus.all.rawValue == 0x07)
        #expect(DlChannelAnswerStatus.all.rawValue == 0x03)
    }

    // MARK: - RFU bits and errors

    @Test("RFU bits are ignored on decode and written as zero on encode")
    func rfuBits() throws {
        #expect(try MACCommandCodec.decodeUplink([0x03, 0xFF]) == [.linkADRAns(.all)])
        #expect(MACCommandCodec.encode(try MACCommandCodec.decodeUplink([0x03, 0xFF])) == [0x03, 0x07])
        #expect(MACCommandCodec.encode(try MACCommandCodec.decodeDownlink([0x08, 0xF5])) == [0x08, 0x05])
        #expect(
            MACCommandCodec.encode(try MACCommandCodec.decodeDownlink([0x03, 0x12, 0x04, 0x00, 0xC5]))
                == [0x03, 0x12, 0x04, 0x00, 0x45])
        #expect(MACCommandCodec.encode(try MACCommandCodec.decodeDownlink([0x0E, 0xA5, 0xFC])) == [0x0E, 0x25, 0x3C])
        #expect(MACCommandCodec.encode(try MACCommandCodec.decodeDownlink([0x09, 0xC0])) == [0x09, 0x00])
        #expect(MACCommandCodec.encode(try MACCommandCodec.decodeUplink([0x0B, 0xF1])) == [0x0B, 0x01])
    }

    @Test("a CID the direction does not define throws unknownMACCommand naming the direction")
    func unknownCID() {
        #expect(throws: FrameError.unknownMACCommand(cid: 0x0E, direction: "uplink")) {
            try MACCommandCodec.decodeUplink([0x0E, 0x00, 0x00])
        }
        #expect(throws: FrameError.unknownMACCommand(cid: 0x14, direction: "downlink")) {
            try MACCommandCodec.decodeDownlink([0x14])
        }
        #expect(throws: FrameError.unknownMACCommand(cid: 0x00, direction: "uplink")) {
            try MACCommandCodec.decodeUplink([0x02, 0x00])
        }
        #expect(throws: FrameError.unknownMACCommand(cid: 0x7F, direction: "downlink")) {
            try MACCommandCodec.decodeDownlink([0x7F])
        }
    }

    @Test("a command cut short throws truncated with the command's name")
    func truncatedCommand() {
        #expect(throws: FrameError.truncated(field: "LinkADRReq", needed: 4, available: 1)) {
            try MACCommandCodec.decodeDownlink([0x06, 0x03, 0x12])
        }
        #expect(throws: FrameError.truncated(field: "DevStatusAns", needed: 2, available: 0)) {
            try MACCommandCodec.decodeUplink([0x06])
        }
    }

    @Test("an RFU device class is refused")
    func rfuDeviceClass() {
        #expect(throws: FrameError.self) { try MACCommandCodec.decodeUplink([0x20, 0x01]) }
        #expect(throws: FrameError.self) { try MACCommandCodec.decodeDownlink([0x20, 0x03]) }
    }

    @Test("a proprietary CID takes every remaining byte as its payload")
    func proprietaryTakesTheRest() throws {
        let decoded = try MACCommandCodec.decodeUplink([0x02, 0x80, 0x02, 0x06])
        #expect(decoded == [.linkCheckReq, .proprietary(cid: try Self.proprietaryCID(0x80), payload: [0x02, 0x06])])
    }

    @Test("no bytes decode to no commands, and no commands encode to no bytes")
    func emptyList() throws {
        #expect(try MACCommandCodec.decodeUplink([]).isEmpty)
        #expect(try MACCommandCodec.decodeDownlink([]).isEmpty)
        #expect(MACCommandCodec.encode([UplinkMACCommand]()).isEmpty)
        #expect(MACCommandCodec.encode([DownlinkMACCommand]()).isEmpty)
    }

    // MARK: - Properties

    @Test("any list of valid uplink commands survives encode then decode")
    func uplinkRoundTrip() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let commands = try RandomCommand.uplinkList(&rng, allowProprietary: true)
            #expect(try MACCommandCodec.decodeUplink(MACCommandCodec.encode(commands)) == commands)
        }
    }

    @Test("any list of valid downlink commands survives encode then decode")
    func downlinkRoundTrip() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let commands = try RandomCommand.downlinkList(&rng, allowProprietary: true)
            #expect(try MACCommandCodec.decodeDownlink(MACCommandCodec.encode(commands)) == commands)
        }
    }

    @Test("the random command generators reach every CID of both directions")
    func generatorsReachEveryCID() throws {
        var rng = SplitMix64(seed: 1)
        var uplink = Set<UInt8>()
        var downlink = Set<UInt8>()
        for _ in 0..<2_000 {
            uplink.insert(try RandomCommand.uplink(&rng).cid)
            downlink.insert(try RandomCommand.downlink(&rng).cid)
        }
        #expect(Set(Self.uplinkDefinedBits.keys).isSubset(of: uplink))
        #expect(Set(Self.downlinkDefinedBits.keys).isSubset(of: downlink))
    }

    @Test("random bytes never trap; what decodes re-encodes to the same bytes with RFU bits cleared")
    func randomBytes() async {
        await propertyCheck(count: 1_000, input: Gen.uint8().array(of: 0...24)) { bytes in
            Self.checkDecodeIsFaithful(bytes)
        }
    }

    @Test("plausible random bytes (standard CIDs, right and wrong lengths) never trap and re-encode faithfully")
    func plausibleRandomBytes() async {
        await propertyCheck(count: 1_000, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                let cid = Self.interestingCIDs.randomElement(using: &rng) ?? 0
                bytes.append(cid)
                let length = max(Self.uplinkDefinedBits[cid]?.count ?? 0, Self.downlinkDefinedBits[cid]?.count ?? 0)
                let jitter = Int.random(in: -1...1, using: &rng)
                for _ in 0..<max(0, length + (Bool.random(using: &rng) ? 0 : jitter)) {
                    bytes.append(UInt8.random(in: 0...255, using: &rng))
                }
            }
            Self.checkDecodeIsFaithful(bytes)
        }
    }

    @Test(
        "cutting a valid command list inside a command throws truncated; cutting between commands loses only the tail")
    func truncations() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let uplink = try RandomCommand.uplinkList(&rng, allowProprietary: false)
            Self.checkTruncations(uplink, encode: { MACCommandCodec.encode($0) }, decode: MACCommandCodec.decodeUplink)
            let downlink = try RandomCommand.downlinkList(&rng, allowProprietary: false)
            Self.checkTruncations(
                downlink, encode: { MACCommandCodec.encode($0) }, decode: MACCommandCodec.decodeDownlink)
        }
    }
}

// MARK: - Helpers

extension MACCommandTests {
    static func bytes(_ hex: String) throws -> [UInt8] { try #require(Hex.decode(hex)) }

    /// A sub-byte field from a constant known to fit.
    static func bits<Field: MACCommandBitField>(_ value: UInt8) -> Field { Field(truncatingIfNeeded: value) }

    static func margin(_ decibels: Int8) throws -> DevStatusMargin { try #require(DevStatusMargin(decibels: decibels)) }

    static func proprietaryCID(_ cid: UInt8) throws -> ProprietaryCID { try #require(ProprietaryCID(rawValue: cid)) }

    /// The bits each payload byte defines, per CID, read off the specification's payload tables
    /// (LoRaWAN 1.1 §5, §14, §18) independently of the codec: a 0 bit is RFU. The count is the payload
    /// length.
    static let uplinkDefinedBits: [UInt8: [UInt8]] = [
        0x01: [0x0F], 0x02: [], 0x03: [0x07], 0x04: [], 0x05: [0x07], 0x06: [0xFF, 0x3F], 0x07: [0x03],
        0x08: [], 0x09: [], 0x0A: [0x03], 0x0B: [0x0F], 0x0C: [], 0x0D: [], 0x0F: [0x01], 0x10: [0x07],
        0x11: [0x03], 0x12: [], 0x13: [0x01], 0x20: [0xFF],
    ]

    static let downlinkDefinedBits: [UInt8: [UInt8]] = [
        0x01: [0x0F], 0x02: [0xFF, 0xFF], 0x03: [0xFF, 0xFF, 0xFF, 0x7F], 0x04: [0x0F],
        0x05: [0x7F, 0xFF, 0xFF, 0xFF], 0x06: [], 0x07: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 0x08: [0x0F],
        0x09: [0x3F], 0x0A: [0xFF, 0xFF, 0xFF, 0xFF], 0x0B: [0x0F], 0x0C: [0xFF],
        0x0D: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF], 0x0E: [0x7F, 0x3F], 0x0F: [0xFF], 0x10: [],
        0x11: [0xFF, 0xFF, 0xFF, 0x0F], 0x12: [0xFF, 0xFF, 0xFF], 0x13: [0xFF, 0xFF, 0xFF], 0x20: [0xFF],
    ]

    /// Standard CIDs, their unknown neighbours and the proprietary edges.
    static let interestingCIDs: [UInt8] = Array(0x00...0x14) + [0x1F, 0x20, 0x21, 0x7F, 0x80, 0xFF]

    /// `bytes` with every RFU bit cleared, walking commands with the specification's table.
    static func clearingRFUBits(_ bytes: [UInt8], _ definedBits: [UInt8: [UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let cid = bytes[index]
            out.append(cid)
            index += 1
            if cid >= 0x80 {
                out.append(contentsOf: bytes[index...])
                break
            }
            for mask in definedBits[cid] ?? [] where index < bytes.count {
                out.append(bytes[index] & mask)
                index += 1
            }
        }
        return out
    }

    /// Decoding `bytes` either fails with one of the codec's documented errors or gives commands
    /// that encode back to `bytes` with RFU bits cleared.
    static func checkDecodeIsFaithful(_ bytes: [UInt8]) {
        do {
            let commands = try MACCommandCodec.decodeUplink(bytes)
            #expect(
                MACCommandCodec.encode(commands) == clearingRFUBits(bytes, uplinkDefinedBits), "uplink \(bytes.hex)")
        } catch {
            expectDocumentedError(error, bytes)
        }
        do {
            let commands = try MACCommandCodec.decodeDownlink(bytes)
            #expect(
                MACCommandCodec.encode(commands) == clearingRFUBits(bytes, downlinkDefinedBits), "downlink \(bytes.hex)"
            )
        } catch {
            expectDocumentedError(error, bytes)
        }
    }

    static func expectDocumentedError(_ error: FrameError, _ bytes: [UInt8]) {
        switch error {
        case .truncated, .unknownMACCommand, .invalidField: break
        default: Issue.record("unexpected \(error) for \(bytes.hex)")
        }
    }

    /// Every strict prefix of the encoded list that ends inside a command throws `.truncated`; one
    /// that ends between commands decodes to the commands before the cut.
    static func checkTruncations<Command: Equatable>(
        _ commands: [Command], encode: ([Command]) -> [UInt8], decode: ([UInt8]) throws(FrameError) -> [Command]
    ) {
        let bytes = encode(commands)
        var boundaries = [0]
        for command in commands { boundaries.append((boundaries.last ?? 0) + encode([command]).count) }
        for cut in 0..<bytes.count {
            let prefix = Array(bytes[..<cut])
            do {
                let decoded = try decode(prefix)
                if let complete = boundaries.firstIndex(of: cut) {
                    #expect(decoded == Array(commands[..<complete]), "cut at \(cut) of \(bytes.hex)")
                } else {
                    Issue.record("cut at \(cut) of \(bytes.hex) decoded instead of throwing truncated")
                }
            } catch {
                guard case .truncated = error else {
                    Issue.record("cut at \(cut) of \(bytes.hex) threw \(error), not truncated")
                    continue
                }
                #expect(!boundaries.contains(cut), "cut at \(cut) of \(bytes.hex) is between commands")
            }
        }
    }

    /// A small seeded generator so that one property-test seed reproduces a whole command list.
    struct SplitMix64: RandomNumberGenerator {
        private var state: UInt64
        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Random valid commands with every field drawn from its whole range.
    enum RandomCommand {
        static func field<Field: MACCommandBitField>(_ rng: inout SplitMix64) -> Field {
            Field(truncatingIfNeeded: UInt8.random(in: 0...Field.maximum, using: &rng))
        }

        static func dataRate(_ rng: inout SplitMix64) -> DataRateIndex {
            DataRateIndex.allCases.randomElement(using: &rng) ?? .dr0
        }

        static func frequency(_ rng: inout SplitMix64) throws -> ChannelFrequency {
            try ChannelFrequency(hertz: UInt32.random(in: 0...0xFF_FFFF, using: &rng) * 100)
        }

        static func status<Status: MACCommandAnswerStatus>(_ rng: inout SplitMix64) -> Status {
            Status(rawValue: UInt8.random(in: 0...255, using: &rng) & Status.all.rawValue)
        }

        static func byte(_ rng: inout SplitMix64) -> UInt8 { UInt8.random(in: 0...255, using: &rng) }

        static func dwellTime(_ rng: inout SplitMix64) -> DwellTimeLimit {
            Bool.random(using: &rng) ? .unlimited : .limited400ms
        }

        static func deviceClass(_ rng: inout SplitMix64) -> DeviceModeClass {
            DeviceModeClass.allCases.randomElement(using: &rng) ?? .classA
        }

        static func proprietaryPayload(_ rng: inout SplitMix64) throws -> (ProprietaryCID, [UInt8]) {
            let cid = try MACCommandTests.proprietaryCID(UInt8.random(in: 0x80...0xFF, using: &rng))
            return (cid, (0..<Int.random(in: 0...8, using: &rng)).map { _ in byte(&rng) })
        }

        /// A random standard uplink command.
        static func uplink(_ rng: inout SplitMix64) throws -> UplinkMACCommand {
            switch Int.random(in: 0...18, using: &rng) {
            case 0: .resetInd(minor: field(&rng))
            case 1: .linkCheckReq
            case 2: .linkADRAns(status(&rng))
            case 3: .dutyCycleAns
            case 4: .rxParamSetupAns(status(&rng))
            case 5:
                .devStatusAns(
                    battery: DevStatusBattery(rawValue: byte(&rng)),
                    margin: try MACCommandTests.margin(Int8.random(in: -32...31, using: &rng)))
            case 6: .newChannelAns(status(&rng))
            case 7: .rxTimingSetupAns
            case 8: .txParamSetupAns
            case 9: .dlChannelAns(status(&rng))
            case 10: .rekeyInd(minor: field(&rng))
            case 11: .adrParamSetupAns
            case 12: .deviceTimeReq
            case 13: .rejoinParamSetupAns(status(&rng))
            case 14: .pingSlotInfoReq(periodicity: field(&rng))
            case 15: .pingSlotChannelAns(status(&rng))
            case 16: .beaconTimingReq
            case 17: .beaconFreqAns(status(&rng))
            default: .deviceModeInd(deviceClass(&rng))
            }
        }

        /// A random standard downlink command.
        static func downlink(_ rng: inout SplitMix64) throws -> DownlinkMACCommand {
            switch Int.random(in: 0...19, using: &rng) {
            case 0: .resetConf(minor: field(&rng))
            case 1: .linkCheckAns(margin: byte(&rng), gwCnt: byte(&rng))
            case 2:
                .linkADRReq(
                    dataRate: dataRate(&rng), txPower: field(&rng), chMask: UInt16.random(in: 0...0xFFFF, using: &rng),
                    chMaskCntl: field(&rng), nbTrans: field(&rng))
            case 3: .dutyCycleReq(maxDutyCycle: field(&rng))
            case 4:
                .rxParamSetupReq(rx1DROffset: field(&rng), rx2DataRate: dataRate(&rng), frequency: try frequency(&rng))
            case 5: .devStatusReq
            case 6:
                .newChannelReq(
                    chIndex: byte(&rng), frequency: try frequency(&rng),
                    drRange: DataRateRange(minDR: dataRate(&rng), maxDR: dataRate(&rng)))
            case 7: .rxTimingSetupReq(delay: field(&rng))
            case 8:
                .txParamSetupReq(
                    downlinkDwellTime: dwellTime(&rng), uplinkDwellTime: dwellTime(&rng), maxEIRP: field(&rng))
            case 9: .dlChannelReq(chIndex: byte(&rng), frequency: try frequency(&rng))
            case 10: .rekeyConf(minor: field(&rng))
            case 11: .adrParamSetupReq(limitExp: field(&rng), delayExp: field(&rng))
            case 12:
                .deviceTimeAns(
                    GPSEpochTime(seconds: UInt32.random(in: 0...UInt32.max, using: &rng), fractionalSecond: byte(&rng)))
            case 13:
                .forceRejoinReq(
                    period: field(&rng), maxRetries: field(&rng), rejoinType: field(&rng), dataRate: dataRate(&rng))
            case 14: .rejoinParamSetupReq(maxTimeN: field(&rng), maxCountN: field(&rng))
            case 15: .pingSlotInfoAns
            case 16: .pingSlotChannelReq(frequency: try frequency(&rng), dataRate: dataRate(&rng))
            case 17: .beaconTimingAns(delay: UInt16.random(in: 0...0xFFFF, using: &rng), channel: byte(&rng))
            case 18: .beaconFreqReq(frequency: try frequency(&rng))
            default: .deviceModeConf(deviceClass(&rng))
            }
        }

        /// Up to eight standard commands, and sometimes a proprietary one last (it takes the rest).
        static func uplinkList(_ rng: inout SplitMix64, allowProprietary: Bool) throws -> [UplinkMACCommand] {
            var commands = try (0..<Int.random(in: 0...8, using: &rng)).map { _ in try uplink(&rng) }
            if allowProprietary, Int.random(in: 0..<5, using: &rng) == 0 {
                let (cid, payload) = try proprietaryPayload(&rng)
                commands.append(.proprietary(cid: cid, payload: payload))
            }
            return commands
        }

        /// Up to eight standard commands, and sometimes a proprietary one last (it takes the rest).
        static func downlinkList(_ rng: inout SplitMix64, allowProprietary: Bool) throws -> [DownlinkMACCommand] {
            var commands = try (0..<Int.random(in: 0...8, using: &rng)).map { _ in try downlink(&rng) }
            if allowProprietary, Int.random(in: 0..<5, using: &rng) == 0 {
                let (cid, payload) = try proprietaryPayload(&rng)
                commands.append(.proprietary(cid: cid, payload: payload))
            }
            return commands
        }
    }
}
