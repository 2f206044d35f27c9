extension RegionalParameters {
    /// EU863-870 (RP002-1.0.3 §2.4).
    public static let eu868 = RegionalParameters(
        region: .eu868,
        // RP002-1.0.3 §2.4.2: the band is 863-870 MHz.
        frequencyRange: Frequency(hertz: 863_000_000)...Frequency(hertz: 870_000_000),
        // RP002-1.0.3 §2.4.3, Table "EU863-870 Data rate and end-device output power encoding".
        dataRates: [
            RegionalDataRate(.dr0, .lora(.sf12, .khz125), bitRate: 250, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr1, .lora(.sf11, .khz125), bitRate: 440, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr2, .lora(.sf10, .khz125), bitRate: 980, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr3, .lora(.sf9, .khz125), bitRate: 1760, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr4, .lora(.sf8, .khz125), bitRate: 3125, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr5, .lora(.sf7, .khz125), bitRate: 5470, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr6, .lora(.sf7, .khz250), bitRate: 11000, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr7, .fsk(bitsPerSecond: 50000), bitRate: 50000, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr8, .lrFHSS(.oneThird, .khz137), bitRate: 162, usage: .uplinkOnly),
            RegionalDataRate(.dr9, .lrFHSS(.twoThirds, .khz137), bitRate: 325, usage: .uplinkOnly),
            RegionalDataRate(.dr10, .lrFHSS(.oneThird, .khz336), bitRate: 162, usage: .uplinkOnly),
            RegionalDataRate(.dr11, .lrFHSS(.twoThirds, .khz336), bitRate: 325, usage: .uplinkOnly),
        ],
        // RP002-1.0.3 §2.4.2: three default channels, DR0-DR5, 16 channels at most.
        uplinkChannelPlan: .dynamic(defaults: [
            RegionalChannel(index: 0, frequency: Frequency(hertz: 868_100_000), dataRates: .dr0 ... .dr5),
            RegionalChannel(index: 1, frequency: Frequency(hertz: 868_300_000), dataRates: .dr0 ... .dr5),
            RegionalChannel(index: 2, frequency: Frequency(hertz: 868_500_000), dataRates: .dr0 ... .dr5),
        ], maxChannels: 16),
        // RP002-1.0.3 §2.4.7: RX1DROffset 0-5; LR-FHSS uplinks answer at DR1/DR2 and below.
        rx1DataRates: eu868RX1,
        rx1DataRatesUnderDwellTimeLimit: eu868RX1,
        // RP002-1.0.3 §2.4.7: RX1 uses the uplink's frequency.
        rx1FrequencyRule: .uplinkFrequency,
        // RP002-1.0.3 §2.4.7: RX2 is 869.525 MHz at DR0 (SF12/125 kHz).
        rx2: RX2Parameters(frequency: Frequency(hertz: 869_525_000), dataRate: .dr0),
        // RP002-1.0.3 §2.4.6, not repeater compatible; EU868 has no dwell time limit.
        maxPayloadSizes: .independentOfDwellTime([
            .dr0: .m59, .dr1: .m59, .dr2: .m59, .dr3: .m123,
            .dr4: .m250, .dr5: .m250, .dr6: .m250, .dr7: .m250,
            .dr8: .m58, .dr9: .m123, .dr10: .m58, .dr11: .m123,
        ]),
        // RP002-1.0.3 §2.4.3: max EIRP +16 dBm, TXPower 0-7 in 2 dB steps.
        maxEIRP: 16,
        txPowerOffsets: [0, -2, -4, -6, -8, -10, -12, -14],
        channelMaskScopes: ChannelMaskScope.dynamicPlan,
        // RP002-1.0.3 §2.4.4: CFListType 0, five frequencies.
        cfListKind: .frequencies,
        supportsTxParamSetup: false,
        // Basics Station's EU868 example: radio 1 hears the three default channels, radio 0 the
        // usual CFList channels 867.1-867.9 MHz.
        defaultConcentrator: SX1301Configuration(
            unchecked: SX1301Radio(frequency: Frequency(hertz: 867_500_000)),
            SX1301Radio(frequency: Frequency(hertz: 868_500_000)),
            [
                SX1301MultiSFChannel(radio: .radio1, intermediateFrequency: -400_000),
                SX1301MultiSFChannel(radio: .radio1, intermediateFrequency: -200_000),
                SX1301MultiSFChannel(radio: .radio1, intermediateFrequency: 0),
                SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: -400_000),
                SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: -200_000),
                SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: 0),
                SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: 200_000),
                SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: 400_000),
            ],
            nil,
            nil
        )
    )

    // RP002-1.0.3 §2.4.7, Table "EU863-870 downlink RX1 data rate mapping".
    private static let eu868RX1 = RX1DataRateTable(rows: [
        .dr0: [.dr0, .dr0, .dr0, .dr0, .dr0, .dr0],
        .dr1: [.dr1, .dr0, .dr0, .dr0, .dr0, .dr0],
        .dr2: [.dr2, .dr1, .dr0, .dr0, .dr0, .dr0],
        .dr3: [.dr3, .dr2, .dr1, .dr0, .dr0, .dr0],
        .dr4: [.dr4, .dr3, .dr2, .dr1, .dr0, .dr0],
        .dr5: [.dr5, .dr4, .dr3, .dr2, .dr1, .dr0],
        .dr6: [.dr6, .dr5, .dr4, .dr3, .dr2, .dr1],
        .dr7: [.dr7, .dr6, .dr5, .dr4, .dr3, .dr2],
        .dr8: [.dr1, .dr0, .dr0, .dr0, .dr0, .dr0],
        .dr9: [.dr2, .dr1, .dr0, .dr0, .dr0, .dr0],
        .dr10: [.dr1, .dr0, .dr0, .dr0, .dr0, .dr0],
        .dr11: [.dr2, .dr1, .dr0, .dr0, .dr0, .dr0],
    ])
}
