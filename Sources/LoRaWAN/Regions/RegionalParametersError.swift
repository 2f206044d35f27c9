/// Why a regional lookup or a CFList cannot be answered. Every throwing function under `Regions/`
/// throws only this type, with a sentence a user can act on.
public enum RegionalParametersError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The region does not define the data rate (RFU), or not in the direction asked.
    case unknownDataRate(Region, DataRateIndex)
    /// No data rate of the region has this modulation in this direction.
    case noDataRateForModulation(Region, RegionalDataRate.Modulation, RegionalDataRate.Direction)
    /// The data rate cannot be used under the 400 ms dwell time limit ("N/A" in RP002).
    case dataRateNotAllowedUnderDwellTime(Region, DataRateIndex)
    /// RX1DROffset is larger than the region allows.
    case rx1DataRateOffsetOutOfRange(Region, offset: UInt8, maximum: UInt8)
    /// The frequency is not one of the region's uplink channels.
    case unknownUplinkFrequency(Region, Frequency)
    /// The uplink channel index does not exist in the region.
    case unknownUplinkChannel(Region, Int)
    /// The uplink channel index and frequency disagree.
    case channelFrequencyMismatch(Region, channel: Int, frequency: Frequency)
    /// A CFList is always 16 bytes.
    case cfListWrongLength(Int)
    /// The CFListType byte is not the one the region uses.
    case cfListWrongType(Region, expected: UInt8, actual: UInt8)
    /// A CFList RFU byte is not zero.
    case cfListNonZeroRFU(index: Int, value: UInt8)
    /// A type 0 CFList carries at most five frequencies.
    case cfListTooManyFrequencies(Int)
    /// A CFList frequency must be a multiple of 100 Hz that fits in 24 bits of 100 Hz units.
    case cfListFrequencyNotEncodable(Frequency)
    /// A CFList frequency lies outside the region's band.
    case cfListFrequencyOutOfBand(Region, Frequency)
    /// A channel mask names a channel the region does not have.
    case channelMaskChannelOutOfRange(Region, channel: Int, channelCount: Int)
    /// A concentrator has eight multi-SF demodulators; a plan asked for more.
    case tooManyMultiSFChannels(Int)

    public var description: String {
        switch self {
        case .unknownDataRate(let region, let dr):
            "\(region) does not define \(dr)"
        case .noDataRateForModulation(let region, let modulation, let direction):
            "\(region) has no \(direction) data rate for \(modulation)"
        case .dataRateNotAllowedUnderDwellTime(let region, let dr):
            "\(region) does not allow \(dr) under the 400 ms dwell time limit"
        case .rx1DataRateOffsetOutOfRange(let region, let offset, let maximum):
            "RX1DROffset \(offset) is out of range for \(region) (maximum \(maximum))"
        case .unknownUplinkFrequency(let region, let frequency):
            "\(frequency) is not an uplink channel of \(region)"
        case .unknownUplinkChannel(let region, let channel):
            "\(region) has no uplink channel \(channel)"
        case .channelFrequencyMismatch(let region, let channel, let frequency):
            "uplink channel \(channel) of \(region) is not on \(frequency)"
        case .cfListWrongLength(let length):
            "a CFList is 16 bytes, got \(length)"
        case .cfListWrongType(let region, let expected, let actual):
            "\(region) uses CFListType \(expected), got \(actual)"
        case .cfListNonZeroRFU(let index, let value):
            "CFList byte \(index) is RFU and must be 0, got \(value)"
        case .cfListTooManyFrequencies(let count):
            "a CFList carries at most 5 frequencies, got \(count)"
        case .cfListFrequencyNotEncodable(let frequency):
            "\(frequency) cannot be encoded in a CFList (multiples of 100 Hz up to 1677.7215 MHz)"
        case .cfListFrequencyOutOfBand(let region, let frequency):
            "\(frequency) is outside the \(region) band"
        case .channelMaskChannelOutOfRange(let region, let channel, let channelCount):
            "\(region) has \(channelCount) uplink channels, a channel mask names channel \(channel)"
        case .tooManyMultiSFChannels(let count):
            "an SX1301 has 8 multi-SF channels, the plan asks for \(count)"
        }
    }
}
