extension RegionalParameters {
    /// AS923 group 1 (RP002-1.0.3 §2.10, AS923-1: no frequency offset): EU868's data rates with
    /// dwell-time dependent payloads and RX1 rule.
    public static let as923_1 = RegionalParameters(
        region: .as923_1,
        // RP002-1.0.3 §2.10: AS923 spans 915-928 MHz.
        frequencyRange: Frequency(hertz: 915_000_000)...Frequency(hertz: 928_000_000),
        // RP002-1.0.3 §2.10.3.
        dataRates: [
            RegionalDataRate(.dr0, .lora(.sf12, .khz125), bitRate: 250, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr1, .lora(.sf11, .khz125), bitRate: 440, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr2, .lora(.sf10, .khz125), bitRate: 980, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr3, .lora(.sf9, .khz125), bitRate: 1760, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr4, .lora(.sf8, .khz125), bitRate: 3125, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr5, .lora(.sf7, .khz125), bitRate: 5470, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr6, .lora(.sf7, .khz250), bitRate: 11000, usage: .uplinkAndDownlink),
            RegionalDataRate(.dr7, .fsk(bitsPerSecond: 50000), bitRate: 50000, usage: .uplinkAndDownlink),
        ],
        // RP002-1.0.3 §2.10.2: two default channels, DR0-DR5, 16 channels at most.
        uplinkChannelPlan: .dynamic(defaults: [
            RegionalChannel(index: 0, frequency: Frequency(hertz: 923_200_000), dataRates: .dr0 ... .dr5),
            RegionalChannel(index: 1, frequency: Frequency(hertz: 923_400_000), dataRates: .dr0 ... .dr5),
        ], maxChannels: 16),
        // RP002-1.0.3 §2.10.7: MinDR is DR0, or DR2 when DownlinkDwellTime = 1.
        rx1DataRates: .as923(minimum: .dr0),
        rx1DataRatesUnderDwellTimeLimit: .as923(minimum: .dr2),
        rx1FrequencyRule: .uplinkFrequency,
        // RP002-1.0.3 §2.10.7: RX2 is 923.2 MHz at DR2.
        rx2: RX2Parameters(frequency: Frequency(hertz: 923_200_000), dataRate: .dr2),
        // RP002-1.0.3 §2.10.6, not repeater compatible.
        maxPayloadSizes: .dependsOnDwellTime(
            unlimited: [
                .dr0: .m59, .dr1: .m59, .dr2: .m123, .dr3: .m123,
                .dr4: .m250, .dr5: .m250, .dr6: .m250, .dr7: .m250,
            ],
            limited400ms: [
                .dr2: .m19, .dr3: .m61, .dr4: .m133, .dr5: .m250, .dr6: .m250, .dr7: .m250,
            ]),
        // RP002-1.0.3 §2.10.3: max EIRP 16 dBm, TXPower 0-7.
        maxEIRP: 16,
        txPowerOffsets: [0, -2, -4, -6, -8, -10, -12, -14],
        channelMaskScopes: ChannelMaskScope.dynamicPlan,
        cfListKind: .frequencies,
        supportsTxParamSetup: true,
        // Eight 125 kHz channels 923.2-924.6 MHz every 200 kHz, the plan common in AS923-1 networks.
        defaultConcentrator: SX1301Configuration(
            unchecked: SX1301Radio(frequency: Frequency(hertz: 923_600_000)),
            SX1301Radio(frequency: Frequency(hertz: 924_600_000)),
            [
                SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: -400_000),
                SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: -200_000),
                SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: 0),
                SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: 200_000),
                SX1301MultiSFChannel(radio: .radio0, intermediateFrequency: 400_000),
                SX1301MultiSFChannel(radio: .radio1, intermediateFrequency: -400_000),
                SX1301MultiSFChannel(radio: .radio1, intermediateFrequency: -200_000),
                SX1301MultiSFChannel(radio: .radio1, intermediateFrequency: 0),
            ],
            nil,
            nil
        )
    )
}
