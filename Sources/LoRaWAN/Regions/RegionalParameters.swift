/// The LoRaWAN regional parameters of one channel plan (RP002-1.0.3), as immutable data.
///
/// Look one up with ``Region/parameters`` (or ``eu868``, ``us915``, ``au915``, ``as923_1``); the
/// lookups in `RegionalParameters+Lookups.swift` answer the questions a Network Server asks per frame
/// (which RX1 data rate and frequency, how large a payload), and `RegionalParameters+Station.swift`
/// derives what Basics Station's `router_config` needs. Values that RP002 fixes for every region
/// (RECEIVE_DELAY1, JOIN_ACCEPT_DELAY1, ADR_ACK_LIMIT...) are in ``RegionalDefaultSettings``.
public struct RegionalParameters: Hashable, Sendable {
    public let region: Region
    /// The band a gateway may transmit in (Basics Station's `freq_range`).
    public let frequencyRange: ClosedRange<Frequency>
    /// Every data rate the region defines, in index order; an index that is missing is RFU.
    public let dataRates: [RegionalDataRate]
    /// The uplink channels a device knows before any MAC command.
    public let uplinkChannelPlan: UplinkChannelPlan
    /// RX1 data rate per uplink data rate and RX1DROffset.
    public let rx1DataRates: RX1DataRateTable
    /// The same under a 400 ms downlink dwell time limit (differs in AS923 only).
    public let rx1DataRatesUnderDwellTimeLimit: RX1DataRateTable
    /// Where RX1 is.
    public let rx1FrequencyRule: RX1FrequencyRule
    /// The default RX2 frequency and data rate.
    public let rx2: RX2Parameters
    /// The maximum MACPayload and FRMPayload per data rate.
    public let maxPayloadSizes: PayloadSizeTable
    /// The default maximum EIRP in dBm that TXPower 0 stands for.
    public let maxEIRP: Int
    /// TXPower index → offset in dB from ``maxEIRP`` (0, -2, -4...). Indices past the end are RFU.
    public let txPowerOffsets: [Int]
    /// ChMaskCntl value → what a LinkADRReq's ChMask applies to; values not listed are RFU.
    public let channelMaskScopes: [UInt8: ChannelMaskScope]
    /// Which CFList the join-accept carries.
    public let cfListKind: CFListKind
    /// Whether devices in the region implement TxParamSetupReq (dwell time and max EIRP).
    public let supportsTxParamSetup: Bool
    /// A default receive plan for an SX1301 gateway in the region (one sub-band in US915/AU915).
    public let defaultConcentrator: SX1301Configuration
}
