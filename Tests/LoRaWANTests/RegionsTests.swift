import LoRaWAN
import Testing

private func mhz(_ hertz: UInt32) -> Frequency { Frequency(hertz: hertz) }

@Suite("Regions: names and aliases")
struct RegionNameTests {
    @Test("every region parses from its Basics Station name and prints it back")
    func stationNames() {
        for region in Region.allCases {
            #expect(Region(region.stationName) == region)
            #expect(region.description == region.rawValue)
            #expect(region.parameters.region == region)
        }
        #expect(Region.allCases.map(\.stationName) == ["EU868", "US915", "AU915", "AS923-1"])
    }

    @Test("common aliases parse in any case", arguments: [
        ("EU863-870", Region.eu868), ("eu868", .eu868), ("EU_863_870", .eu868), ("EU863", .eu868),
        ("US902-928", .us915), ("us915", .us915), ("US_902_928", .us915), ("US902", .us915),
        ("AU915-928", .au915), ("au915", .au915), ("AU_915_928", .au915),
        ("AS923-1", .as923_1), ("as923", .as923_1), ("AS_923", .as923_1), ("AS923JP", .as923_1),
    ])
    func aliases(name: String, region: Region) {
        #expect(Region(name) == region)
    }

    @Test("an unknown region name is refused", arguments: ["", "EU", "CN470", "US915x", "AS923-2"])
    func unknownName(name: String) {
        #expect(Region(name) == nil)
    }

    @Test("frequencies print in MHz with only the significant decimals")
    func frequencyDescription() {
        #expect(mhz(868_100_000).description == "868.1 MHz")
        #expect(mhz(869_525_000).description == "869.525 MHz")
        #expect(mhz(923_000_000).description == "923 MHz")
        #expect(mhz(867_100_050).description == "867.10005 MHz")
    }
}

@Suite("Regions: data rate tables (RP002-1.0.3)")
struct RegionDataRateTests {
    @Test("EU868 DR0-DR7 are SF12-SF7/125 kHz, SF7/250 kHz and FSK 50 kbit/s, both directions")
    func eu868DataRates() throws {
        let eu = RegionalParameters.eu868
        let expected: [(DataRateIndex, RegionalDataRate.Modulation, UInt32)] = [
            (.dr0, .lora(.sf12, .khz125), 250), (.dr1, .lora(.sf11, .khz125), 440),
            (.dr2, .lora(.sf10, .khz125), 980), (.dr3, .lora(.sf9, .khz125), 1760),
            (.dr4, .lora(.sf8, .khz125), 3125), (.dr5, .lora(.sf7, .khz125), 5470),
            (.dr6, .lora(.sf7, .khz250), 11000), (.dr7, .fsk(bitsPerSecond: 50000), 50000),
        ]
        for (index, modulation, bitRate) in expected {
            let rate = try #require(eu.dataRate(index))
            #expect(rate.modulation == modulation)
            #expect(rate.indicativeBitRate == bitRate)
            #expect(rate.usage == .uplinkAndDownlink)
        }
        #expect(eu.dataRate(.dr12) == nil)
    }

    @Test("US915 DR0-DR4 are uplink only (DR4 = SF8/500 kHz) and DR8-DR13 downlink only (SF12-SF7/500 kHz)")
    func us915DataRates() throws {
        let us = RegionalParameters.us915
        let uplink: [(DataRateIndex, SpreadingFactor, LoRaBandwidth)] = [
            (.dr0, .sf10, .khz125), (.dr1, .sf9, .khz125), (.dr2, .sf8, .khz125), (.dr3, .sf7, .khz125),
            (.dr4, .sf8, .khz500),
        ]
        for (index, sf, bw) in uplink {
            let rate = try #require(us.dataRate(index))
            #expect(rate.modulation == .lora(sf, bw))
            #expect(rate.usage == .uplinkOnly)
        }
        let downlink: [(DataRateIndex, SpreadingFactor)] = [
            (.dr8, .sf12), (.dr9, .sf11), (.dr10, .sf10), (.dr11, .sf9), (.dr12, .sf8), (.dr13, .sf7),
        ]
        for (index, sf) in downlink {
            let rate = try #require(us.dataRate(index))
            #expect(rate.modulation == .lora(sf, .khz500))
            #expect(rate.usage == .downlinkOnly)
        }
        #expect(us.dataRate(.dr7) == nil)
        #expect(throws: RegionalParametersError.unknownDataRate(.us915, .dr8)) {
            try us.dataRate(.dr8, direction: .uplink)
        }
    }

    @Test("SF/bandwidth map back to the data rate index, direction deciding US915's SF8/500 kHz")
    func reverseLookup() throws {
        #expect(try RegionalParameters.eu868.dataRate(forSpreadingFactor: .sf7, bandwidth: .khz125, direction: .uplink) == .dr5)
        #expect(try RegionalParameters.eu868.dataRate(forSpreadingFactor: .sf12, bandwidth: .khz125, direction: .downlink) == .dr0)
        #expect(try RegionalParameters.eu868.dataRate(for: .fsk(bitsPerSecond: 50000), direction: .uplink) == .dr7)
        #expect(try RegionalParameters.us915.dataRate(forSpreadingFactor: .sf8, bandwidth: .khz500, direction: .uplink) == .dr4)
        #expect(try RegionalParameters.us915.dataRate(forSpreadingFactor: .sf8, bandwidth: .khz500, direction: .downlink) == .dr12)
        #expect(try RegionalParameters.au915.dataRate(forSpreadingFactor: .sf12, bandwidth: .khz125, direction: .uplink) == .dr0)
        #expect(throws: RegionalParametersError.self) {
            try RegionalParameters.us915.dataRate(forSpreadingFactor: .sf12, bandwidth: .khz125, direction: .uplink)
        }
    }

    @Test("every region defines each data rate once, in index order")
    func tablesAreWellFormed() {
        for region in Region.allCases {
            let indices = region.parameters.dataRates.map(\.index)
            #expect(indices == indices.sorted(), "\(region)")
            #expect(Set(indices).count == indices.count, "\(region)")
        }
    }
}

@Suite("Regions: channels")
struct RegionChannelTests {
    @Test("EU868 has three default channels 868.1/868.3/868.5 MHz at DR0-DR5 and 863-870 MHz band")
    func eu868Channels() {
        let eu = RegionalParameters.eu868
        let channels = eu.uplinkChannelPlan.defaultChannels
        #expect(channels.map(\.frequency) == [mhz(868_100_000), mhz(868_300_000), mhz(868_500_000)])
        #expect(channels.allSatisfy { $0.dataRates == .dr0 ... .dr5 })
        #expect(eu.uplinkChannelPlan.maxChannels == 16)
        #expect(eu.frequencyRange == mhz(863_000_000)...mhz(870_000_000))
    }

    @Test("US915 has 64 × 125 kHz channels from 902.3 MHz every 200 kHz and 8 × 500 kHz from 903.0 MHz every 1.6 MHz")
    func us915Channels() throws {
        let channels = RegionalParameters.us915.uplinkChannelPlan.defaultChannels
        #expect(channels.count == 72)
        #expect(channels.map(\.index) == Array(0..<72))
        #expect(channels[0].frequency == mhz(902_300_000))
        #expect(channels[1].frequency == mhz(902_500_000))
        #expect(channels[63].frequency == mhz(914_900_000))
        #expect(channels[0].dataRates == .dr0 ... .dr3)
        #expect(channels[64].frequency == mhz(903_000_000))
        #expect(channels[71].frequency == mhz(914_200_000))
        #expect(channels[64].dataRates.contains(.dr4))
    }

    @Test("uplink channel index is found from the frequency, and off-grid frequencies are not channels")
    func channelIndex() throws {
        let us = RegionalParameters.us915
        #expect(us.uplinkChannelIndex(for: mhz(902_300_000)) == 0)
        #expect(us.uplinkChannelIndex(for: mhz(903_900_000)) == 8)
        #expect(us.uplinkChannelIndex(for: mhz(904_600_000)) == 65)
        #expect(us.uplinkChannelIndex(for: mhz(902_400_000)) == nil)
        #expect(us.uplinkChannelIndex(for: mhz(915_100_000)) == nil)
        #expect(RegionalParameters.au915.uplinkChannelIndex(for: mhz(915_900_000)) == 64)
        let eu = RegionalParameters.eu868
        #expect(eu.uplinkChannelIndex(for: mhz(868_300_000)) == 1)
        #expect(eu.uplinkChannelIndex(for: mhz(867_100_000)) == nil)
        let cfList = try eu.cfList(frequencies: [mhz(867_100_000), mhz(867_300_000)])
        #expect(eu.uplinkChannelIndex(for: mhz(867_300_000), cfList: cfList) == 4)
    }
}

@Suite("Regions: receive windows")
struct RegionReceiveWindowTests {
    @Test("EU868 RX1 data rate is the uplink DR minus the offset, floored at DR0, offsets 0-5")
    func eu868RX1DataRates() throws {
        let eu = RegionalParameters.eu868
        #expect(eu.maxRX1DataRateOffset == 5)
        let uplinks: [DataRateIndex] = [.dr0, .dr1, .dr2, .dr3, .dr4, .dr5, .dr6, .dr7]
        for uplink in uplinks {
            for offset in UInt8(0)...5 {
                let expected = DataRateIndex(rawValue: uplink.rawValue > offset ? uplink.rawValue - offset : 0)
                #expect(try eu.rx1DataRate(uplink: uplink, offset: offset) == expected)
            }
        }
        #expect(throws: RegionalParametersError.rx1DataRateOffsetOutOfRange(.eu868, offset: 6, maximum: 5)) {
            try eu.rx1DataRate(uplink: .dr5, offset: 6)
        }
        #expect(throws: RegionalParametersError.unknownDataRate(.eu868, .dr12)) {
            try eu.rx1DataRate(uplink: .dr12, offset: 0)
        }
    }

    @Test("US915 RX1 maps DR0-DR4 to DR10-DR13/DR8-DR13 per RP002, offsets 0-3")
    func us915RX1DataRates() throws {
        let us = RegionalParameters.us915
        #expect(us.maxRX1DataRateOffset == 3)
        let table: [DataRateIndex: [DataRateIndex]] = [
            .dr0: [.dr10, .dr9, .dr8, .dr8],
            .dr1: [.dr11, .dr10, .dr9, .dr8],
            .dr2: [.dr12, .dr11, .dr10, .dr9],
            .dr3: [.dr13, .dr12, .dr11, .dr10],
            .dr4: [.dr13, .dr13, .dr12, .dr11],
        ]
        for (uplink, row) in table {
            for (offset, expected) in row.enumerated() {
                #expect(try us.rx1DataRate(uplink: uplink, offset: UInt8(offset)) == expected)
            }
        }
        #expect(throws: RegionalParametersError.self) { try us.rx1DataRate(uplink: .dr0, offset: 4) }
        #expect(throws: RegionalParametersError.self) { try us.rx1DataRate(uplink: .dr8, offset: 0) }
    }

    @Test("AU915 RX1 maps DR0-DR6 to DR8-DR13, offsets 0-5")
    func au915RX1DataRates() throws {
        let au = RegionalParameters.au915
        #expect(au.maxRX1DataRateOffset == 5)
        #expect(try au.rx1DataRate(uplink: .dr0, offset: 0) == .dr8)
        #expect(try au.rx1DataRate(uplink: .dr5, offset: 0) == .dr13)
        #expect(try au.rx1DataRate(uplink: .dr6, offset: 1) == .dr13)
        #expect(try au.rx1DataRate(uplink: .dr6, offset: 5) == .dr9)
    }

    @Test("AS923 RX1 offsets 6 and 7 raise the data rate, capped at DR5, and floor at DR2 under dwell time")
    func as923RX1DataRates() throws {
        let asia = RegionalParameters.as923_1
        #expect(asia.maxRX1DataRateOffset == 7)
        #expect(try asia.rx1DataRate(uplink: .dr5, offset: 5) == .dr0)
        #expect(try asia.rx1DataRate(uplink: .dr5, offset: 5, dwellTime: .limited400ms) == .dr2)
        #expect(try asia.rx1DataRate(uplink: .dr2, offset: 6) == .dr3)
        #expect(try asia.rx1DataRate(uplink: .dr2, offset: 7) == .dr4)
        #expect(try asia.rx1DataRate(uplink: .dr5, offset: 7) == .dr5)
        #expect(try asia.rx1DataRate(uplink: .dr7, offset: 0) == .dr5)
    }

    @Test("US915 uplink channel answers on 923.3 MHz + 600 kHz × (channel mod 8)", arguments: [
        (0, 923_300_000), (7, 927_500_000), (8, 923_300_000), (64, 923_300_000), (71, 927_500_000),
    ] as [(Int, UInt32)])
    func us915RX1Frequency(channel: Int, expected: UInt32) throws {
        let us = RegionalParameters.us915
        let uplink = try #require(us.uplinkChannelPlan.defaultChannels.first { $0.index == channel })
        #expect(try us.rx1Frequency(uplinkFrequency: uplink.frequency, uplinkChannel: channel) == mhz(expected))
        #expect(try us.rx1Frequency(uplinkFrequency: uplink.frequency) == mhz(expected))
    }

    @Test("US915 uplink channel 65 answers on 923.9 MHz")
    func us915Channel65() throws {
        #expect(try RegionalParameters.us915.rx1Frequency(uplinkFrequency: mhz(904_600_000)) == mhz(923_900_000))
    }

    @Test("US915 RX1 refuses an unknown frequency and a channel that does not match its frequency")
    func us915RX1Errors() {
        let us = RegionalParameters.us915
        #expect(throws: RegionalParametersError.unknownUplinkFrequency(.us915, mhz(868_100_000))) {
            try us.rx1Frequency(uplinkFrequency: mhz(868_100_000))
        }
        #expect(throws: RegionalParametersError.channelFrequencyMismatch(.us915, channel: 1, frequency: mhz(902_300_000))) {
            try us.rx1Frequency(uplinkFrequency: mhz(902_300_000), uplinkChannel: 1)
        }
        #expect(throws: RegionalParametersError.unknownUplinkChannel(.us915, 72)) {
            try us.rx1Frequency(uplinkFrequency: mhz(902_300_000), uplinkChannel: 72)
        }
    }

    @Test("EU868 answers RX1 on the uplink frequency; AU915 channel 9 on 923.9 MHz")
    func otherRX1Frequencies() throws {
        #expect(try RegionalParameters.eu868.rx1Frequency(uplinkFrequency: mhz(867_700_000)) == mhz(867_700_000))
        #expect(try RegionalParameters.au915.rx1Frequency(uplinkFrequency: mhz(917_000_000)) == mhz(923_900_000))
    }

    @Test("RX2 defaults are EU868 869.525 MHz DR0, US915 923.3 MHz DR8, AU915 923.3 MHz DR8, AS923-1 923.2 MHz DR2")
    func rx2Defaults() {
        #expect(RegionalParameters.eu868.rx2 == RX2Parameters(frequency: mhz(869_525_000), dataRate: .dr0))
        #expect(RegionalParameters.us915.rx2 == RX2Parameters(frequency: mhz(923_300_000), dataRate: .dr8))
        #expect(RegionalParameters.au915.rx2 == RX2Parameters(frequency: mhz(923_300_000), dataRate: .dr8))
        #expect(RegionalParameters.as923_1.rx2 == RX2Parameters(frequency: mhz(923_200_000), dataRate: .dr2))
    }

    @Test("default delays: RX1 1 s, RX2 = RX1 + 1 s, join-accept 5 s and 6 s, ADR 64/32")
    func defaults() {
        #expect(RegionalDefaultSettings.receiveDelay1 == .seconds(1))
        #expect(RegionalDefaultSettings.receiveDelay2 == RegionalDefaultSettings.receiveDelay1 + .seconds(1))
        #expect(RegionalDefaultSettings.joinAcceptDelay1 == .seconds(5))
        #expect(RegionalDefaultSettings.joinAcceptDelay2 == .seconds(6))
        #expect(RegionalDefaultSettings.maxFCntGap == 16384)
        #expect(RegionalDefaultSettings.adrAckLimit == 64)
        #expect(RegionalDefaultSettings.adrAckDelay == 32)
    }
}

@Suite("Regions: payload sizes, power and channel masks")
struct RegionPayloadAndPowerTests {
    @Test("EU868 payload sizes: DR0-2 59/51, DR3 123/115, DR4-7 250/242")
    func eu868PayloadSizes() throws {
        let eu = RegionalParameters.eu868
        let expected: [(DataRateIndex, Int, Int)] = [
            (.dr0, 59, 51), (.dr1, 59, 51), (.dr2, 59, 51), (.dr3, 123, 115),
            (.dr4, 250, 242), (.dr5, 250, 242), (.dr6, 250, 242), (.dr7, 250, 242),
        ]
        for (dr, m, n) in expected {
            #expect(try eu.maxPayloadSize(dataRate: dr).macPayload == m)
            #expect(try eu.maxApplicationPayloadSize(dataRate: dr, dwellTime: .unlimited) == n)
            #expect(try eu.maxApplicationPayloadSize(dataRate: dr, dwellTime: .limited400ms) == n)
        }
    }

    @Test("US915 payload sizes: DR0 19/11, DR1 61/53, DR2 133/125, DR3-4 250/242, DR8 61/53, DR9 137/129, DR10-13 250/242")
    func us915PayloadSizes() throws {
        let us = RegionalParameters.us915
        let expected: [(DataRateIndex, Int, Int)] = [
            (.dr0, 19, 11), (.dr1, 61, 53), (.dr2, 133, 125), (.dr3, 250, 242), (.dr4, 250, 242),
            (.dr8, 61, 53), (.dr9, 137, 129), (.dr10, 250, 242), (.dr11, 250, 242), (.dr12, 250, 242),
            (.dr13, 250, 242),
        ]
        for (dr, m, n) in expected {
            #expect(try us.maxPayloadSize(dataRate: dr).macPayload == m)
            #expect(try us.maxApplicationPayloadSize(dataRate: dr, dwellTime: .limited400ms) == n)
        }
        #expect(throws: RegionalParametersError.unknownDataRate(.us915, .dr7)) {
            try us.maxApplicationPayloadSize(dataRate: .dr7, dwellTime: .unlimited)
        }
    }

    @Test("AS923 DR0 carries 51 bytes without dwell time and nothing under the 400 ms limit")
    func as923DwellTime() throws {
        let asia = RegionalParameters.as923_1
        #expect(try asia.maxApplicationPayloadSize(dataRate: .dr0, dwellTime: .unlimited) == 51)
        #expect(try asia.maxApplicationPayloadSize(dataRate: .dr2, dwellTime: .limited400ms) == 11)
        #expect(throws: RegionalParametersError.dataRateNotAllowedUnderDwellTime(.as923_1, .dr0)) {
            try asia.maxApplicationPayloadSize(dataRate: .dr0, dwellTime: .limited400ms)
        }
    }

    @Test("TX power: EU868 max EIRP 16 dBm in 8 steps of 2 dB, US915 30 dBm in 15 steps")
    func txPower() {
        let eu = RegionalParameters.eu868
        #expect(eu.maxEIRP == 16)
        #expect(eu.txPowerOffsets == [0, -2, -4, -6, -8, -10, -12, -14])
        #expect(eu.eirp(txPower: 0) == 16)
        #expect(eu.eirp(txPower: 7) == 2)
        #expect(eu.eirp(txPower: 8) == nil)
        let us = RegionalParameters.us915
        #expect(us.maxEIRP == 30)
        #expect(us.txPowerOffsets.count == 15)
        #expect(us.eirp(txPower: 14) == 2)
        #expect(us.eirp(txPower: 15) == nil)
    }

    @Test("ChMaskCntl: EU868 knows 0 and 6; US915 knows 0-4 blocks, 5 banks, 6 and 7 for the 500 kHz channels")
    func channelMaskControl() {
        let eu = RegionalParameters.eu868
        #expect(eu.channelMaskScope(chMaskCntl: 0) == .channels(0...15))
        #expect(eu.channelMaskScope(chMaskCntl: 6) == .allDefinedChannelsOn)
        #expect(eu.channelMaskScope(chMaskCntl: 1) == nil)
        let us = RegionalParameters.us915
        #expect(us.channelMaskScope(chMaskCntl: 0) == .channels(0...15))
        #expect(us.channelMaskScope(chMaskCntl: 3) == .channels(48...63))
        #expect(us.channelMaskScope(chMaskCntl: 4) == .channels(64...71))
        #expect(us.channelMaskScope(chMaskCntl: 5) == .banksOfEight)
        #expect(us.channelMaskScope(chMaskCntl: 6) == .all125kHzOnMasking500kHz)
        #expect(us.channelMaskScope(chMaskCntl: 7) == .all125kHzOffMasking500kHz)
        #expect(us.channelMaskScope(chMaskCntl: 8) == nil)
    }
}

@Suite("Regions: join-accept CFList")
struct RegionCFListTests {
    @Test("an EU868 CFList of 867.1-867.9 MHz encodes as 100 Hz units, little endian, type 0")
    func eu868Vector() throws {
        let eu = RegionalParameters.eu868
        let frequencies = [867_100_000, 867_300_000, 867_500_000, 867_700_000, 867_900_000].map(mhz)
        let cfList = try eu.cfList(frequencies: frequencies)
        let bytes: [UInt8] = [0x18, 0x4F, 0x84, 0xE8, 0x56, 0x84, 0xB8, 0x5E, 0x84, 0x88, 0x66, 0x84,
                              0x58, 0x6E, 0x84, 0x00]
        #expect(cfList.bytes == bytes)
        #expect(try eu.decodeCFList(bytes) == cfList)
    }

    @Test("EU868 CFLists round trip, including empty slots")
    func eu868RoundTrip() throws {
        let eu = RegionalParameters.eu868
        for frequencies in [[], [mhz(867_100_000)], [mhz(863_000_000), mhz(869_900_000), mhz(864_100_100)]] {
            let cfList = try eu.cfList(frequencies: frequencies)
            #expect(cfList.bytes.count == 16)
            let decoded = try eu.decodeCFList(cfList.bytes)
            #expect(decoded == cfList)
            guard case .frequencies(let list) = decoded else { Issue.record("wrong kind"); continue }
            #expect(list.frequencies == frequencies)
        }
    }

    @Test("a US915 CFList of sub-band 2 encodes ChMask1 = 0x00FF, ChMask4 bit 1, five RFU zeros, type 1")
    func us915Vector() throws {
        let us = RegionalParameters.us915
        let cfList = try us.cfList(enabledChannels: Array(8...15) + [65])
        let bytes: [UInt8] = [0x00, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0, 0, 0, 0, 0, 0x01]
        #expect(cfList.bytes == bytes)
        #expect(try us.decodeCFList(bytes) == cfList)
    }

    @Test("US915 and AU915 CFLists round trip")
    func fixedPlanRoundTrip() throws {
        for region in [Region.us915, .au915] {
            let parameters = region.parameters
            for channels in [[], Array(0..<72), [0, 15, 16, 63, 64, 71]] {
                let cfList = try parameters.cfList(enabledChannels: channels)
                let decoded = try parameters.decodeCFList(cfList.bytes)
                #expect(decoded == cfList)
                guard case .channelMask(let mask) = decoded else { Issue.record("wrong kind"); continue }
                #expect(mask.enabledChannels == channels)
            }
        }
    }

    @Test("a CFList of the wrong length is refused", arguments: [0, 15, 17, 32])
    func wrongLength(length: Int) {
        let bytes = [UInt8](repeating: 0, count: length)
        for region in Region.allCases {
            #expect(throws: RegionalParametersError.cfListWrongLength(length)) {
                try region.parameters.decodeCFList(bytes)
            }
        }
    }

    @Test("a CFList with another region's type byte is refused")
    func wrongType() {
        var bytes = [UInt8](repeating: 0, count: 16)
        bytes[15] = 1
        #expect(throws: RegionalParametersError.cfListWrongType(.eu868, expected: 0, actual: 1)) {
            try RegionalParameters.eu868.decodeCFList(bytes)
        }
        bytes[15] = 0
        #expect(throws: RegionalParametersError.cfListWrongType(.us915, expected: 1, actual: 0)) {
            try RegionalParameters.us915.decodeCFList(bytes)
        }
        bytes[15] = 7
        #expect(throws: RegionalParametersError.cfListWrongType(.as923_1, expected: 0, actual: 7)) {
            try RegionalParameters.as923_1.decodeCFList(bytes)
        }
    }

    @Test("malformed CFLists are refused: RFU bytes, missing channels, out-of-band or unencodable frequencies")
    func malformed() throws {
        var rfu = [UInt8](repeating: 0, count: 16)
        rfu[15] = 1
        rfu[12] = 0x80
        #expect(throws: RegionalParametersError.cfListNonZeroRFU(index: 12, value: 0x80)) {
            try RegionalParameters.us915.decodeCFList(rfu)
        }
        var channel72 = [UInt8](repeating: 0, count: 16)
        channel72[15] = 1
        channel72[9] = 0x01  // ChMask4 bit 8: channel 72
        #expect(throws: RegionalParametersError.channelMaskChannelOutOfRange(.us915, channel: 72, channelCount: 72)) {
            try RegionalParameters.us915.decodeCFList(channel72)
        }
        // 915 MHz is not in EU868's 863-870 MHz band.
        let outOfBand = try RegionalParameters.as923_1.cfList(frequencies: [mhz(915_000_000)]).bytes
        #expect(throws: RegionalParametersError.cfListFrequencyOutOfBand(.eu868, mhz(915_000_000))) {
            try RegionalParameters.eu868.decodeCFList(outOfBand)
        }
        #expect(throws: RegionalParametersError.cfListFrequencyNotEncodable(mhz(868_100_050))) {
            try RegionalParameters.eu868.cfList(frequencies: [mhz(868_100_050)])
        }
        #expect(throws: RegionalParametersError.cfListTooManyFrequencies(6)) {
            try RegionalParameters.eu868.cfList(frequencies: Array(repeating: mhz(867_100_000), count: 6))
        }
        #expect(throws: RegionalParametersError.self) {
            try RegionalParameters.us915.cfList(frequencies: [mhz(903_900_000)])
        }
        #expect(throws: RegionalParametersError.channelMaskChannelOutOfRange(.us915, channel: -1, channelCount: 72)) {
            try RegionalParameters.us915.cfList(enabledChannels: [-1])
        }
    }
}

@Suite("Regions: Basics Station router_config")
struct RegionStationTests {
    @Test("EU868 DRs match the station's table: SF12-SF7/125, SF7/250, FSK, then undefined")
    func eu868StationDataRates() {
        let triples = RegionalParameters.eu868.stationDataRates.map(\.routerConfigTriple)
        let expected: [[Int]] = [[12, 125, 0], [11, 125, 0], [10, 125, 0], [9, 125, 0], [8, 125, 0], [7, 125, 0],
                                 [7, 250, 0], [0, 0, 0]] + Array(repeating: [-1, 0, 0], count: 8)
        #expect(triples == expected)
        #expect(RegionalParameters.eu868.stationRegionName == "EU868")
    }

    @Test("US915 DRs mark DR8-DR13 downlink only and leave LR-FHSS undefined")
    func us915StationDataRates() {
        let triples = RegionalParameters.us915.stationDataRates.map(\.routerConfigTriple)
        let expected: [[Int]] = [[10, 125, 0], [9, 125, 0], [8, 125, 0], [7, 125, 0], [8, 500, 0],
                                 [-1, 0, 0], [-1, 0, 0], [-1, 0, 0],
                                 [12, 500, 1], [11, 500, 1], [10, 500, 1], [9, 500, 1], [8, 500, 1], [7, 500, 1],
                                 [-1, 0, 0], [-1, 0, 0]]
        #expect(triples == expected)
    }

    @Test("EU868 concentrator: radio 0 867.5 MHz, radio 1 868.5 MHz, upchannels the three default channels")
    func eu868Concentrator() {
        let eu = RegionalParameters.eu868
        let plan = eu.defaultConcentrator
        #expect(plan.radio0.frequency == mhz(867_500_000))
        #expect(plan.radio1.frequency == mhz(868_500_000))
        #expect(plan.multiSFFrequencies == [868_100_000, 868_300_000, 868_500_000, 867_100_000, 867_300_000,
                                            867_500_000, 867_700_000, 867_900_000].map(mhz))
        #expect(eu.stationUplinkChannels.map(\.frequency) == [868_100_000, 868_300_000, 868_500_000].map(mhz))
        #expect(eu.stationUplinkChannels.allSatisfy { $0.dataRates == .dr0 ... .dr5 })
    }

    @Test("US915 concentrator hears sub-band 2: channels 8-15 and the 500 kHz channel 65")
    func us915Concentrator() throws {
        let us = RegionalParameters.us915
        let plan = us.defaultConcentrator
        #expect(plan.radio0.frequency == mhz(904_300_000))
        #expect(plan.radio1.frequency == mhz(905_000_000))
        let std = try #require(plan.loraStandardChannel)
        #expect(std.bandwidth == .khz500)
        #expect(plan.frequency(radio: std.radio, intermediateFrequency: std.intermediateFrequency) == mhz(904_600_000))
        #expect(us.stationUplinkChannels.map(\.index) == Array(8...15) + [65])
        #expect(us.stationUplinkChannels.last?.dataRates == .dr4 ... .dr4)
    }

    @Test("every built-in concentrator plan fits an SX1301 and lies in its region's band")
    func concentratorPlansFit() {
        for region in Region.allCases {
            let parameters = region.parameters
            let plan = parameters.defaultConcentrator
            #expect(plan.multiSFChannels.count <= SX1301Configuration.multiSFChannelCount, "\(region)")
            #expect(plan.multiSFFrequencies.allSatisfy(parameters.frequencyRange.contains), "\(region)")
            #expect(!parameters.stationUplinkChannels.isEmpty, "\(region)")
            #expect(parameters.stationDataRates.count == 16, "\(region)")
        }
    }

    @Test("a concentrator plan with more than eight multi-SF channels is refused")
    func tooManyMultiSF() {
        let radio = SX1301Radio(frequency: mhz(868_000_000))
        let channels = Array(repeating: SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: 0), count: 9)
        #expect(throws: RegionalParametersError.tooManyMultiSFChannels(9)) {
            try SX1301Configuration(radio0: radio, radio1: radio, multiSFChannels: channels)
        }
    }
}
