import LoRaWAN

/// Network-controlled data rate (LoRaWAN 1.1 §4.3.1.1), Semtech's recommended algorithm ("LoRaWAN –
/// simple rate adaptation recommended algorithm", also ChirpStack's default):
///
/// 1. SNRmax: the best SNR of the device's last 20 uplinks.
/// 2. margin = SNRmax − required SNR of the current data rate (the demodulation floor) − installation
///    margin (10 dB by default, headroom for fading).
/// 3. NStep = margin / 3, truncated toward zero (3 dB is roughly one spreading factor step).
/// 4. NStep > 0: raise the data rate while below the highest allowed, then lower the TX power (raise
///    the TXPower index) while above the region's minimum. NStep < 0: raise the TX power back towards
///    the maximum; the data rate is never lowered here, the device's own ADR back-off does that when
///    downlinks stop arriving (ADR_ACK_LIMIT, §4.3.1.1).
///
/// A decision is made only with a full history and only for LoRa data rates; FSK has no comparable SNR.
public struct ADRAlgorithm: Sendable, Hashable {
    public struct Configuration: Sendable, Hashable {
        /// Headroom in dB kept above the demodulation floor.
        public var installationMargin: Double
        /// Uplinks needed before deciding (and the history length that is read).
        public var requiredHistory: Int
        /// An operator cap on the data rate, below the region's and the channels' own maximum.
        public var maxDataRate: DataRateIndex?

        public init(installationMargin: Double = 10, requiredHistory: Int = UplinkSignalHistory.defaultCapacity,
                    maxDataRate: DataRateIndex? = nil) {
            self.installationMargin = installationMargin
            self.requiredHistory = max(1, requiredHistory)
            self.maxDataRate = maxDataRate
        }
    }

    /// The settings the device should move to.
    public struct Decision: Sendable, Hashable, CustomStringConvertible {
        public var dataRate: DataRateIndex
        public var txPower: TXPower
        public var nbTrans: NbTrans

        public init(dataRate: DataRateIndex, txPower: TXPower, nbTrans: NbTrans) {
            self.dataRate = dataRate
            self.txPower = txPower
            self.nbTrans = nbTrans
        }

        public var description: String { "\(dataRate), TXPower \(txPower), NbTrans \(nbTrans)" }
    }

    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The new settings from plain numbers, or `nil` when nothing changes or nothing can be decided.
    /// - Parameter maxDataRate: the highest data rate the device's enabled channels allow.
    public func decide(
        maxSNR: Double, dataRate: DataRateIndex, txPower: TXPower, nbTrans: NbTrans, maxDataRate: DataRateIndex,
        region: RegionalParameters
    ) -> Decision? {
        guard let required = DemodulationFloor.snr(for: dataRate, in: region), maxSNR.isFinite else { return nil }
        let ceiling = min(maxDataRate, configuration.maxDataRate ?? maxDataRate)
        let minimumPowerIndex = UInt8(max(0, region.txPowerOffsets.count - 1))
        var steps = Int(((maxSNR - required - configuration.installationMargin) / 3).rounded(.towardZero))
        var newDataRate = dataRate
        var power = min(txPower.rawValue, minimumPowerIndex)
        while steps > 0, newDataRate < ceiling, let next = nextLoRaDataRate(after: newDataRate, upTo: ceiling, region: region) {
            newDataRate = next
            steps -= 1
        }
        while steps > 0, power < minimumPowerIndex {
            power += 1
            steps -= 1
        }
        while steps < 0, power > 0 {
            power -= 1
            steps += 1
        }
        let decision = Decision(dataRate: newDataRate, txPower: TXPower(truncatingIfNeeded: power), nbTrans: nbTrans)
        return decision == Decision(dataRate: dataRate, txPower: txPower, nbTrans: nbTrans) ? nil : decision
    }

    /// The decision for a session: only when the device asked for ADR, no LinkADRReq is still waiting
    /// for its answer, and the history is full.
    public func decide(for session: NetworkSession) -> Decision? {
        guard session.adrEnabled,
              !session.pendingMACRequests.contains(where: { $0.cid == 0x03 }),
              session.adrHistory.count >= configuration.requiredHistory,
              let maxSNR = session.adrHistory.maxSNR,
              let maxDataRate = Self.maxDataRate(of: session.macSettings, region: session.regionalParameters)
        else { return nil }
        let settings = session.macSettings
        return decide(maxSNR: maxSNR, dataRate: settings.dataRate, txPower: settings.txPower, nbTrans: settings.nbTrans,
                      maxDataRate: maxDataRate, region: session.regionalParameters)
    }

    /// The LinkADRReq block the session needs now, empty when ADR has nothing to change.
    public func linkADRRequests(for session: NetworkSession) -> [DownlinkMACCommand] {
        guard let decision = decide(for: session) else { return [] }
        return Self.linkADRRequests(for: decision, settings: session.macSettings, region: session.regionalParameters)
    }

    /// The LinkADRReq block that moves the device to `decision` and keeps its enabled channels.
    public static func linkADRRequests(for decision: Decision, settings: MACSettings,
                                       region: RegionalParameters) -> [DownlinkMACCommand] {
        LinkADRChannelMask.masks(enabling: settings.enabledUplinkChannels, region: region).map {
            .linkADRReq(dataRate: decision.dataRate, txPower: decision.txPower, chMask: $0.chMask,
                        chMaskCntl: $0.chMaskCntl, nbTrans: decision.nbTrans)
        }
    }

    /// The highest LoRa uplink data rate every enabled channel allows, `nil` without enabled channels.
    /// Taking the lowest channel maximum keeps the device able to use all its channels (US915's
    /// 500 kHz channel 65 alone allows DR4; the 125 kHz channels stop at DR3).
    public static func maxDataRate(of settings: MACSettings, region: RegionalParameters) -> DataRateIndex? {
        let maxima = settings.uplinkChannels.filter { settings.enabledUplinkChannels.contains($0.index) }.compactMap { channel in
            DataRateIndex.allCases.last { channel.dataRates.contains($0) && isLoRaUplink($0, region: region) }
        }
        return maxima.min()
    }

    private func nextLoRaDataRate(after dataRate: DataRateIndex, upTo ceiling: DataRateIndex,
                                  region: RegionalParameters) -> DataRateIndex? {
        DataRateIndex.allCases.first { $0 > dataRate && $0 <= ceiling && Self.isLoRaUplink($0, region: region) }
    }

    private static func isLoRaUplink(_ dataRate: DataRateIndex, region: RegionalParameters) -> Bool {
        guard let rate = region.dataRate(dataRate), rate.usage.allows(.uplink), case .lora = rate.modulation else { return false }
        return true
    }
}
