import LoRaWAN
import NetworkServer

/// `ns_devices.desired_mac_settings`: a device's `DesiredMACSettings` as a versioned compact binary
/// document (the uplink path reads it, see `CompactDocumentWriter`), NULL when there is no wish.
///
/// Version 1: `0x01`, RX1DROffset, RX2 data rate, RX1 delay and MaxDutyCycle (a byte each, 0xFF when
/// not wished, which none of these 4-bit fields can hold), RX2 frequency (flag, then Hz), the channels
/// (a count, then index, Hz, MinDR and MaxDR each, in the operator's order), and the rejoin parameters
/// (flag, then MaxTimeN and MaxCountN). A new field is a new version; a reader keeps every older one.
enum DesiredMACSettingsDocument {
    static let column = "desired_mac_settings"
    static let currentVersion: UInt8 = 1
    private static let absent: UInt8 = 0xFF

    /// The column's value: `nil` (NULL) for no wish.
    static func encode(_ desired: DesiredMACSettings) -> [UInt8]? {
        guard !desired.isEmpty else { return nil }
        var writer = CompactDocumentWriter(version: currentVersion, reservingCapacity: 16 + desired.channels.count * 8)
        writer.byte(desired.rx1DROffset?.rawValue ?? absent)
        writer.byte(desired.rx2DataRate?.rawValue ?? absent)
        writer.byte(desired.rx1Delay?.rawValue ?? absent)
        writer.byte(desired.maxDutyCycle?.rawValue ?? absent)
        writer.bool(desired.rx2Frequency != nil)
        if let frequency = desired.rx2Frequency { writer.uint32(frequency.hertz) }
        writer.count(desired.channels.count)
        for channel in desired.channels {
            writer.integer(channel.index)
            writer.uint32(channel.frequency.hertz)
            writer.byte(channel.dataRates.lowerBound.rawValue)
            writer.byte(channel.dataRates.upperBound.rawValue)
        }
        writer.bool(desired.rejoin != nil)
        if let rejoin = desired.rejoin {
            writer.byte(rejoin.maxTimeN.rawValue)
            writer.byte(rejoin.maxCountN.rawValue)
        }
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(StorageError) -> DesiredMACSettings {
        var reader = try CompactDocumentReader(bytes, table: SQLNetworkDeviceRegistry.table, column: column)
        guard reader.version == 1 else {
            throw reader.malformed("unknown document version \(reader.version): written by a newer Gatehouse?")
        }
        var desired = DesiredMACSettings()
        desired.rx1DROffset = try optionalField(&reader, "RX1DROffset")
        desired.rx2DataRate = try optionalDataRate(&reader)
        desired.rx1Delay = try optionalField(&reader, "RX1 delay")
        desired.maxDutyCycle = try optionalField(&reader, "MaxDutyCycle")
        if try reader.bool() { desired.rx2Frequency = Frequency(hertz: try reader.uint32()) }
        for _ in 0..<(try reader.count()) {
            let index = try reader.integer()
            let frequency = Frequency(hertz: try reader.uint32())
            let lowest = try dataRate(&reader)
            let highest = try dataRate(&reader)
            guard lowest <= highest else { throw reader.malformed("a channel's data rates are not a range") }
            desired.channels.append(RegionalChannel(index: index, frequency: frequency, dataRates: lowest...highest))
        }
        if try reader.bool() {
            let maxTimeN: RejoinMaxTimeN = try field(&reader, "MaxTimeN")
            desired.rejoin = DesiredRejoinParameters(maxTimeN: maxTimeN, maxCountN: try field(&reader, "MaxCountN"))
        }
        try reader.finish()
        return desired
    }

    private static func dataRate(_ reader: inout CompactDocumentReader) throws(StorageError) -> DataRateIndex {
        guard let rate = DataRateIndex(rawValue: try reader.byte()) else { throw reader.malformed("a data rate above DR15") }
        return rate
    }

    private static func optionalDataRate(_ reader: inout CompactDocumentReader) throws(StorageError) -> DataRateIndex? {
        let raw = try reader.byte()
        if raw == absent { return nil }
        guard let rate = DataRateIndex(rawValue: raw) else { throw reader.malformed("a data rate above DR15") }
        return rate
    }

    private static func field<Field: MACCommandBitField>(_ reader: inout CompactDocumentReader, _ name: String) throws(StorageError) -> Field {
        guard let value = Field(rawValue: try reader.byte()) else { throw reader.malformed("\(name) does not fit its field") }
        return value
    }

    private static func optionalField<Field: MACCommandBitField>(
        _ reader: inout CompactDocumentReader, _ name: String
    ) throws(StorageError) -> Field? {
        let raw = try reader.byte()
        if raw == absent { return nil }
        guard let value = Field(rawValue: raw) else { throw reader.malformed("\(name) does not fit its field") }
        return value
    }
}
