extension RegionalParameters {
    /// US902-928 (RP002-1.0.3 §2.5).
    public static let us915 = RegionalParameters(
        region: .us915,
        frequencyRange: Frequency(hertz: 902_000_000)...Frequency(hertz: 928_000_000),
        // RP002-1.0.3 §2.5.3: DR0-DR6 uplink only, DR8-DR13 downlink only, DR7 and DR14-15 RFU.
        dataRates: [
            RegionalDataRate(.dr0, .lora(.sf10, .khz125), bitRate: 980, usage: .uplinkOnly),
            RegionalDataRate(.dr1, .lora(.sf9, .khz125), bitRate: 1760, usage: .uplinkOnly),
            RegionalDataRate(.dr2, .lora(.sf8, .khz125), bitRate: 3125, usage: .uplinkOnly),
            RegionalDataRate(.dr3, .lora(.sf7, .khz125), bitRate: 5470, usage: .uplinkOnly),
            RegionalDataRate(.dr4, .lora(.sf8, .khz500), bitRate: 12500, usage: .uplinkOnly),
            RegionalDataRate(.dr5, .lrFHSS(.oneThird, .khz1523), bitRate: 162, usage: .uplinkOnly),
            RegionalDataRate(.dr6, .lrFHSS(.twoThirds, .khz1523), bitRate: 325, usage: .uplinkOnly),
        ] + fixedPlanDownlinkDataRates,
        // RP002-1.0.3 §2.5.2: 64 × 125 kHz from 902.3 MHz every 200 kHz (DR0-3), then 8 × 500 kHz
        // from 903.0 MHz every 1.6 MHz (DR4, and LR-FHSS DR5-6).
        uplinkChannelPlan: .fixed(grids: [
            ChannelGrid(first: Frequency(hertz: 902_300_000), spacing: 200_000, count: 64, firstIndex: 0,
                        dataRates: .dr0 ... .dr3),
            ChannelGrid(first: Frequency(hertz: 903_000_000), spacing: 1_600_000, count: 8, firstIndex: 64,
                        dataRates: .dr4 ... .dr6),
        ]),
        // RP002-1.0.3 §2.5.7, Table "US902-928 downlink RX1 data rate mapping": offsets 0-3.
        rx1DataRates: us915RX1,
        rx1DataRatesUnderDwellTimeLimit: us915RX1,
        // RP002-1.0.3 §2.5.7: RX1 channel = uplink channel mod 8 of the 8 downlink channels.
        rx1FrequencyRule: .downlinkChannel(fixedPlanDownlinkChannels),
        // RP002-1.0.3 §2.5.7: RX2 is 923.3 MHz at DR8 (SF12/500 kHz).
        rx2: RX2Parameters(frequency: Frequency(hertz: 923_300_000), dataRate: .dr8),
        // RP002-1.0.3 §2.5.6, not repeater compatible; the table already assumes the 400 ms dwell time.
        maxPayloadSizes: .independentOfDwellTime([
            .dr0: .m19, .dr1: .m61, .dr2: .m133, .dr3: .m250, .dr4: .m250, .dr5: .m58, .dr6: .m133,
            .dr8: .m61, .dr9: .m137, .dr10: .m250, .dr11: .m250, .dr12: .m250, .dr13: .m250,
        ]),
        // RP002-1.0.3 §2.5.3: max EIRP 30 dBm, TXPower 0-14 in 2 dB steps.
        maxEIRP: 30,
        txPowerOffsets: fixedPlanTXPowerOffsets,
        channelMaskScopes: ChannelMaskScope.fixedPlan72,
        // RP002-1.0.3 §2.5.4: CFListType 1, channel masks.
        cfListKind: .channelMask,
        supportsTxParamSetup: false,
        // Sub-band 2 (channels 8-15 and 65), the plan most US915 networks use.
        defaultConcentrator: subBand2Concentrator(radio0: 904_300_000, radio1: 905_000_000)
    )

    // RP002-1.0.3 §2.5.7.
    private static let us915RX1 = RX1DataRateTable(rows: [
        .dr0: [.dr10, .dr9, .dr8, .dr8],
        .dr1: [.dr11, .dr10, .dr9, .dr8],
        .dr2: [.dr12, .dr11, .dr10, .dr9],
        .dr3: [.dr13, .dr12, .dr11, .dr10],
        .dr4: [.dr13, .dr13, .dr12, .dr11],
        .dr5: [.dr10, .dr9, .dr8, .dr8],
        .dr6: [.dr11, .dr10, .dr9, .dr8],
    ])

    /// DR8-DR13, the 500 kHz downlink data rates US915 and AU915 share (RP002-1.0.3 §2.5.3, §2.8.3).
    static let fixedPlanDownlinkDataRates: [RegionalDataRate] = [
        RegionalDataRate(.dr8, .lora(.sf12, .khz500), bitRate: 980, usage: .downlinkOnly),
        RegionalDataRate(.dr9, .lora(.sf11, .khz500), bitRate: 1760, usage: .downlinkOnly),
        RegionalDataRate(.dr10, .lora(.sf10, .khz500), bitRate: 3900, usage: .downlinkOnly),
        RegionalDataRate(.dr11, .lora(.sf9, .khz500), bitRate: 7000, usage: .downlinkOnly),
        RegionalDataRate(.dr12, .lora(.sf8, .khz500), bitRate: 12500, usage: .downlinkOnly),
        RegionalDataRate(.dr13, .lora(.sf7, .khz500), bitRate: 21900, usage: .downlinkOnly),
    ]

    /// The eight 500 kHz downlink channels, 923.3 MHz + 600 kHz × n (RP002-1.0.3 §2.5.2, §2.8.2).
    static let fixedPlanDownlinkChannels = ChannelGrid(
        first: Frequency(hertz: 923_300_000), spacing: 600_000, count: 8, firstIndex: 0,
        dataRates: .dr8 ... .dr13)

    /// TXPower 0-14: max EIRP down to max EIRP - 28 dB (RP002-1.0.3 §2.5.3, §2.8.3).
    static let fixedPlanTXPowerOffsets = [0, -2, -4, -6, -8, -10, -12, -14, -16, -18, -20, -22, -24, -26, -28]

    /// Sub-band 2 of a 72-channel plan on an SX1301: radio 0 hears channels 8-11 and the 500 kHz
    /// channel 65 (at +300 kHz), radio 1 hears channels 12-15. `radio0` is the centre of channels
    /// 8-11 plus 400 kHz and `radio1` the centre of channels 12-15.
    static func subBand2Concentrator(radio0: UInt32, radio1: UInt32) -> SX1301Configuration {
        SX1301Configuration(
            unchecked: SX1301Radio(frequency: Frequency(hertz: radio0)),
            SX1301Radio(frequency: Frequency(hertz: radio1)),
            [
                SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: -400_000),
                SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: -200_000),
                SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: 0),
                SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: 200_000),
                SX1301MultiSFChannel(radio: .radio1, intermediateFrequency: -300_000),
                SX1301MultiSFChannel(radio: .radio1, intermediateFrequency: -100_000),
                SX1301MultiSFChannel(radio: .radio1, intermediateFrequency: 100_000),
                SX1301MultiSFChannel(radio: .radio1, intermediateFrequency: 300_000),
            ],
            SX1301LoRaStandardChannel(radio: .radio0, intermediateFrequency: 300_000,
                                      bandwidth: .khz500, spreadingFactor: .sf8),
            nil
        )
    }
}
