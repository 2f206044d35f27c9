/// One of the two SX1255/SX1257 radios of an SX1301 concentrator.
public enum SX1301RadioID: Int, Hashable, Sendable {
    case radio0 = 0, radio1 = 1
}

/// A radio's centre frequency; the IF channels sit at offsets from it.
public struct SX1301Radio: Hashable, Sendable {
    public let enabled: Bool
    public let frequency: Frequency

    public init(enabled: Bool = true, frequency: Frequency) {
        self.enabled = enabled
        self.frequency = frequency
    }
}

/// A multi-SF LoRa demodulator (`chan_multiSF_n`): 125 kHz, SF7-SF12, at an offset from its radio.
public struct SX1301MultiSFChannel: Hashable, Sendable {
    public let radio: SX1301RadioID
    /// The intermediate frequency in hertz relative to the radio's centre (`if`).
    public let intermediateFrequency: Int32

    public init(radio: SX1301RadioID, intermediateFrequency: Int32) {
        self.radio = radio
        self.intermediateFrequency = intermediateFrequency
    }
}

/// The single-SF LoRa demodulator (`chan_Lora_std`), used for 250 or 500 kHz channels.
public struct SX1301LoRaStandardChannel: Hashable, Sendable {
    public let radio: SX1301RadioID
    public let intermediateFrequency: Int32
    public let bandwidth: LoRaBandwidth
    public let spreadingFactor: SpreadingFactor

    public init(radio: SX1301RadioID, intermediateFrequency: Int32, bandwidth: LoRaBandwidth,
                spreadingFactor: SpreadingFactor) {
        self.radio = radio
        self.intermediateFrequency = intermediateFrequency
        self.bandwidth = bandwidth
        self.spreadingFactor = spreadingFactor
    }
}

/// The FSK demodulator (`chan_FSK`).
public struct SX1301FSKChannel: Hashable, Sendable {
    public let radio: SX1301RadioID
    public let intermediateFrequency: Int32
    public let bitsPerSecond: UInt32

    public init(radio: SX1301RadioID, intermediateFrequency: Int32, bitsPerSecond: UInt32) {
        self.radio = radio
        self.intermediateFrequency = intermediateFrequency
        self.bitsPerSecond = bitsPerSecond
    }
}

/// The receive side of an SX1301 concentrator as Basics Station's `router_config.sx1301_conf[0]`
/// describes it: two radios, eight multi-SF channels, one LoRa standard and one FSK channel. Plain
/// values: the LNS serialises them (`radio_0`, `chan_multiSF_0`...`7`, `chan_Lora_std`, `chan_FSK`).
public struct SX1301Configuration: Hashable, Sendable {
    public let radio0: SX1301Radio
    public let radio1: SX1301Radio
    /// `chan_multiSF_0` onwards; at most eight, the rest are disabled.
    public let multiSFChannels: [SX1301MultiSFChannel]
    /// `nil` when `chan_Lora_std` is disabled.
    public let loraStandardChannel: SX1301LoRaStandardChannel?
    /// `nil` when `chan_FSK` is disabled.
    public let fskChannel: SX1301FSKChannel?

    /// An SX1301 has eight multi-SF demodulators.
    public static let multiSFChannelCount = 8

    public init(radio0: SX1301Radio, radio1: SX1301Radio, multiSFChannels: [SX1301MultiSFChannel],
                loraStandardChannel: SX1301LoRaStandardChannel? = nil,
                fskChannel: SX1301FSKChannel? = nil) throws(RegionalParametersError) {
        guard multiSFChannels.count <= Self.multiSFChannelCount else {
            throw .tooManyMultiSFChannels(multiSFChannels.count)
        }
        self.init(unchecked: radio0, radio1, multiSFChannels, loraStandardChannel, fskChannel)
    }

    /// For the built-in plans, whose channel counts the tests check.
    init(unchecked radio0: SX1301Radio, _ radio1: SX1301Radio, _ multiSFChannels: [SX1301MultiSFChannel],
         _ loraStandardChannel: SX1301LoRaStandardChannel?, _ fskChannel: SX1301FSKChannel?) {
        self.radio0 = radio0
        self.radio1 = radio1
        self.multiSFChannels = multiSFChannels
        self.loraStandardChannel = loraStandardChannel
        self.fskChannel = fskChannel
    }

    /// The absolute frequency of an IF channel, or `nil` when it would fall below 0 Hz or past 32 bits.
    public func frequency(radio: SX1301RadioID, intermediateFrequency: Int32) -> Frequency? {
        let centre = radio == .radio0 ? radio0.frequency : radio1.frequency
        let value = Int64(centre.hertz) + Int64(intermediateFrequency)
        guard let hertz = UInt32(exactly: value) else { return nil }
        return Frequency(hertz: hertz)
    }

    /// The centre frequencies of the multi-SF channels, in channel order.
    public var multiSFFrequencies: [Frequency] {
        multiSFChannels.compactMap { frequency(radio: $0.radio, intermediateFrequency: $0.intermediateFrequency) }
    }
}

/// One `DRs` entry of Basics Station's `router_config`: `[SF, BW kHz, dnonly]`, SF 0 meaning FSK and
/// SF -1 a data rate the station must not use.
public enum StationDataRate: Hashable, Sendable {
    case lora(SpreadingFactor, LoRaBandwidth, downlinkOnly: Bool)
    case fsk(downlinkOnly: Bool)
    /// RFU in the region, or a modulation an SX1301 cannot receive (LR-FHSS).
    case undefined

    /// The three integers Basics Station expects.
    public var routerConfigTriple: [Int] {
        switch self {
        case .lora(let sf, let bw, let downlinkOnly): [Int(sf.rawValue), Int(bw.rawValue), downlinkOnly ? 1 : 0]
        case .fsk(let downlinkOnly): [0, 0, downlinkOnly ? 1 : 0]
        case .undefined: [-1, 0, 0]
        }
    }
}
