/// A LoRaWAN data rate index, DR0...DR15: the 4-bit value of LinkADRReq, RXParamSetupReq, DLSettings
/// and Basics Station's `DR` field. What it means depends on the region (DR4 is SF8/125 kHz in EU868
/// and SF8/500 kHz in US915), so only ``RegionalParameters`` turns it into a modulation.
public enum DataRateIndex: UInt8, CaseIterable, Hashable, Comparable, Sendable, CustomStringConvertible {
    case dr0, dr1, dr2, dr3, dr4, dr5, dr6, dr7, dr8, dr9, dr10, dr11, dr12, dr13, dr14, dr15

    public static func < (a: DataRateIndex, b: DataRateIndex) -> Bool { a.rawValue < b.rawValue }

    public var description: String { "DR\(rawValue)" }
}

/// A LoRa spreading factor. LoRaWAN's sub-GHz regions use SF7 to SF12.
public enum SpreadingFactor: UInt8, CaseIterable, Hashable, Comparable, Sendable, CustomStringConvertible {
    case sf7 = 7, sf8, sf9, sf10, sf11, sf12

    public static func < (a: SpreadingFactor, b: SpreadingFactor) -> Bool { a.rawValue < b.rawValue }

    public var description: String { "SF\(rawValue)" }
}

/// A LoRa channel bandwidth; the raw value is in kHz, as Basics Station writes it in `DRs`.
public enum LoRaBandwidth: UInt16, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case khz125 = 125, khz250 = 250, khz500 = 500

    /// The bandwidth in hertz (the unit ChirpStack and Semtech's packet forwarder use).
    public var hertz: UInt32 { UInt32(rawValue) * 1000 }

    public var description: String { "\(rawValue) kHz" }
}

/// One row of a region's data rate table (RP002-1.0.3 §2.x.3, "Data Rate and End-device Output Power
/// encoding"): what DRn means on air and in which direction the region allows it.
public struct RegionalDataRate: Hashable, Sendable, CustomStringConvertible {
    /// How the bits go on air.
    public enum Modulation: Hashable, Sendable, CustomStringConvertible {
        /// LoRa chirp spread spectrum (coding rate 4/5 in every LoRaWAN region).
        case lora(SpreadingFactor, LoRaBandwidth)
        /// GFSK at a bit rate in bit/s (50 kbit/s in EU868 and AS923).
        case fsk(bitsPerSecond: UInt32)
        /// LR-FHSS, added by RP002-1.0.3; uplink only, and not receivable by an SX1301 gateway.
        case lrFHSS(LRFHSSCodingRate, LRFHSSChannelWidth)

        public var description: String {
            switch self {
            case .lora(let sf, let bw): "LoRa \(sf)/\(bw)"
            case .fsk(let rate): "FSK \(rate / 1000) kbit/s"
            case .lrFHSS(let cr, let ocw): "LR-FHSS CR\(cr) \(ocw)"
            }
        }
    }

    /// The coding rate of an LR-FHSS data rate.
    public enum LRFHSSCodingRate: String, Hashable, Sendable, CustomStringConvertible {
        case oneThird = "1/3", twoThirds = "2/3"
        public var description: String { rawValue }
    }

    /// The occupied channel width of an LR-FHSS data rate (nominal, as the specification names it).
    public enum LRFHSSChannelWidth: UInt32, Hashable, Sendable, CustomStringConvertible {
        case khz137 = 137_000, khz336 = 336_000, khz1523 = 1_523_000
        public var description: String { Frequency(hertz: rawValue).description }
    }

    /// Which way a frame travels.
    public enum Direction: String, Hashable, Sendable, CustomStringConvertible {
        case uplink, downlink
        public var description: String { rawValue }
    }

    /// The directions in which the region allows a data rate. There is no "neither" case: a data
    /// rate that is not usable at all is simply not in the table (RFU).
    public enum Usage: Hashable, Sendable {
        case uplinkAndDownlink, uplinkOnly, downlinkOnly

        /// Whether a frame in `direction` may use the data rate.
        public func allows(_ direction: Direction) -> Bool {
            switch (self, direction) {
            case (.uplinkAndDownlink, _), (.uplinkOnly, .uplink), (.downlinkOnly, .downlink): true
            default: false
            }
        }
    }

    public let index: DataRateIndex
    public let modulation: Modulation
    /// The indicative physical bit rate in bit/s that RP002 lists beside the data rate.
    public let indicativeBitRate: UInt32
    public let usage: Usage

    public init(_ index: DataRateIndex, _ modulation: Modulation, bitRate: UInt32, usage: Usage) {
        self.index = index
        self.modulation = modulation
        self.indicativeBitRate = bitRate
        self.usage = usage
    }

    public var description: String { "\(index) \(modulation)" }
}
