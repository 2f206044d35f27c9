extension RegionalParameters {
    /// AU915-928 (RP002-1.0.3 §2.8): US915's fixed 72-channel layout moved up to 915.2 MHz, with
    /// SF7-SF12 at 125 kHz and a dwell-time dependent payload table.
    public static let au915 = RegionalParameters(
        region: .au915,
        frequencyRange: Frequency(hertz: 915_000_000)...Frequency(hertz: 928_000_000),
        // RP002-1.0.3 §2.8.3: DR0-DR7 uplink only, DR8-DR13 downlink only.
        dataRates: [
            RegionalDataRate(.dr0, .lora(.sf12, .khz125), bitRate: 250, usage: .uplinkOnly),
            RegionalDataRate(.dr1, .lora(.sf11, .khz125), bitRate: 440, usage: .uplinkOnly),
            RegionalDataRate(.dr2, .lora(.sf10, .khz125), bitRate: 980, usage: .uplinkOnly),
            RegionalDataRate(.dr3, .lora(.sf9, .khz125), bitRate: 1760, usage: .uplinkOnly),
            RegionalDataRate(.dr4, .lora(.sf8, .khz125), bitRate: 3125, usage: .uplinkOnly),
            RegionalDataRate(.dr5, .lora(.sf7, .khz125), bitRate: 5470, usage: .uplinkOnly),
            RegionalDataRate(.dr6, .lora(.sf8, .khz500), bitRate: 12500, usage: .uplinkOnly),
            RegionalDataRate(.dr7, .lrFHSS(.oneThird, .khz1523), bitRate: 162, usage: .uplinkOnly),
        ] + fixedPlanDownlinkDataRates,
        // RP002-1.0.3 §2.8.2: 64 × 125 kHz from 915.2 MHz every 200 kHz (DR0-5), then 8 × 500 kHz
        // from 915.9 MHz every 1.6 MHz (DR6, and LR-FHSS DR7).
        uplinkChannelPlan: .fixed(grids: [
            ChannelGrid(first: Frequency(hertz: 915_200_000), spacing: 200_000, count: 64, firstIndex: 0,
                        dataRates: .dr0 ... .dr5),
            ChannelGrid(first: Frequency(hertz: 915_900_000), spacing: 1_600_000, count: 8, firstIndex: 64,
                        dataRates: .dr6 ... .dr7),
        ]),
        rx1DataRates: au915RX1,
        rx1DataRatesUnderDwellTimeLimit: au915RX1,
        // RP002-1.0.3 §2.8.7: same downlink channels and rule as US915.
        rx1FrequencyRule: .downlinkChannel(fixedPlanDownlinkChannels),
        rx2: RX2Parameters(frequency: Frequency(hertz: 923_300_000), dataRate: .dr8),
        // RP002-1.0.3 §2.8.6, not repeater compatible; DR0-1 are unusable under the 400 ms limit.
        maxPayloadSizes: .dependsOnDwellTime(
            unlimited: [
                .dr0: .m59, .dr1: .m59, .dr2: .m59, .dr3: .m123, .dr4: .m250, .dr5: .m250, .dr6: .m250,
                .dr7: .m58, .dr8: .m61, .dr9: .m137, .dr10: .m250, .dr11: .m250, .dr12: .m250, .dr13: .m250,
            ],
            limited400ms: [
                .dr2: .m19, .dr3: .m61, .dr4: .m133, .dr5: .m250, .dr6: .m250,
                .dr7: .m58, .dr8: .m61, .dr9: .m137, .dr10: .m250, .dr11: .m250, .dr12: .m250, .dr13: .m250,
            ]),
        // RP002-1.0.3 §2.8.3: max EIRP 30 dBm, TXPower 0-14.
        maxEIRP: 30,
        txPowerOffsets: fixedPlanTXPowerOffsets,
        channelMaskScopes: ChannelMaskScope.fixedPlan72,
        cfListKind: .channelMask,
        // RP002-1.0.3 §2.8: AU915 devices implement TxParamSetupReq.
        supportsTxParamSetup: true,
        // Sub-band 2: channels 8-15 (916.8-918.2 MHz) and 65 (917.5 MHz).
        defaultConcentrator: subBand2Concentrator(radio0: 917_200_000, radio1: 917_900_000)
    )

    // RP002-1.0.3 §2.8.7, Table "AU915-928 downlink RX1 data rate mapping": offsets 0-5.
    private static let au915RX1 = RX1DataRateTable(rows: [
        .dr0: [.dr8, .dr8, .dr8, .dr8, .dr8, .dr8],
        .dr1: [.dr9, .dr8, .dr8, .dr8, .dr8, .dr8],
        .dr2: [.dr10, .dr9, .dr8, .dr8, .dr8, .dr8],
        .dr3: [.dr11, .dr10, .dr9, .dr8, .dr8, .dr8],
        .dr4: [.dr12, .dr11, .dr10, .dr9, .dr8, .dr8],
        .dr5: [.dr13, .dr12, .dr11, .dr10, .dr9, .dr8],
        .dr6: [.dr13, .dr13, .dr12, .dr11, .dr10, .dr9],
        .dr7: [.dr9, .dr8, .dr8, .dr8, .dr8, .dr8],
    ])
}
