import LoRaWAN
import NetworkServer

/// The part of a Network Server session that is not a column of `ns_sessions`: the MAC settings the
/// device uses and those it started with, the MAC requests awaiting their answers, and the last
/// DevStatusAns. Stored as one versioned compact binary document (`mac_state`), written when the MAC
/// state changed.
///
/// Version 1: `0x01`, current `MACSettings`, provisioned `MACSettings`, the pending requests (a count,
/// then each request's wire bytes from `MACCommandCodec`, length-prefixed so a proprietary command,
/// which takes every byte after it on air, stays one command), then the device status (flag, Battery,
/// Margin, FCnt).
///
/// Version 2 appends the `MACReconciliation`: the refused operator requests (a count, then each
/// request's and its answer's wire bytes, length-prefixed) and the ForceRejoinReq still to send (flag,
/// then RejoinType, data rate, Max_Retries, Period). A version 1 document, written before, reads as
/// having neither. A new field is a new version; a reader keeps decoding every older one.
struct NetworkSessionDocument: Equatable {
    static let column = "mac_state"
    static let currentVersion: UInt8 = 2

    var macSettings: MACSettings
    var provisionedMACSettings: MACSettings
    var pendingMACRequests: [DownlinkMACCommand]
    var deviceStatus: DeviceStatus?
    var macReconciliation: MACReconciliation

    init(_ session: NetworkSession) {
        macSettings = session.macSettings
        provisionedMACSettings = session.provisionedMACSettings
        pendingMACRequests = session.pendingMACRequests
        deviceStatus = session.deviceStatus
        macReconciliation = session.macReconciliation
    }

    func encoded() -> [UInt8] {
        var writer = CompactDocumentWriter(version: Self.currentVersion, reservingCapacity: 256)
        Self.write(macSettings, to: &writer)
        Self.write(provisionedMACSettings, to: &writer)
        writer.count(pendingMACRequests.count)
        for request in pendingMACRequests { writer.data(MACCommandCodec.encode([request])) }
        if let deviceStatus {
            writer.bool(true)
            writer.byte(deviceStatus.battery.rawValue)
            writer.byte(UInt8(bitPattern: deviceStatus.margin.decibels))
            writer.uint32(deviceStatus.fCnt)
        } else {
            writer.bool(false)
        }
        Self.write(macReconciliation, to: &writer)
        return writer.bytes
    }

    init(decoding bytes: [UInt8]) throws(StorageError) {
        var reader = try CompactDocumentReader(bytes, table: NetworkSessionRows.table, column: Self.column)
        guard reader.version == 1 || reader.version == 2 else {
            throw reader.malformed("unknown document version \(reader.version): written by a newer Gatehouse?")
        }
        macSettings = try Self.readMACSettings(&reader)
        provisionedMACSettings = try Self.readMACSettings(&reader)
        let requestCount = try reader.count()
        pendingMACRequests = []
        pendingMACRequests.reserveCapacity(requestCount)
        for _ in 0..<requestCount {
            let wire = try reader.data()
            guard let commands = try? MACCommandCodec.decodeDownlink(wire), commands.count == 1 else {
                throw reader.malformed("a pending MAC request is not one downlink MAC command")
            }
            pendingMACRequests.append(commands[0])
        }
        if try reader.bool() {
            let battery = DevStatusBattery(rawValue: try reader.byte())
            guard let margin = DevStatusMargin(decibels: Int8(bitPattern: try reader.byte())) else {
                throw reader.malformed("a DevStatusAns margin outside -32...31 dB")
            }
            deviceStatus = DeviceStatus(battery: battery, margin: margin, fCnt: try reader.uint32())
        } else {
            deviceStatus = nil
        }
        macReconciliation = reader.version >= 2 ? try Self.readMACReconciliation(&reader) : MACReconciliation()
        try reader.finish()
    }

    // MARK: MAC reconciliation (version 2)

    private static func write(_ reconciliation: MACReconciliation, to writer: inout CompactDocumentWriter) {
        writer.count(reconciliation.rejections.count)
        for rejection in reconciliation.rejections {
            writer.data(MACCommandCodec.encode([rejection.request]))
            writer.data(MACCommandCodec.encode([rejection.answer]))
        }
        if let forceRejoin = reconciliation.forceRejoin {
            writer.bool(true)
            writer.byte(forceRejoin.rejoinType.rawValue)
            writer.byte(forceRejoin.dataRate.rawValue)
            writer.byte(forceRejoin.maxRetries.rawValue)
            writer.byte(forceRejoin.period.rawValue)
        } else {
            writer.bool(false)
        }
    }

    private static func readMACReconciliation(_ reader: inout CompactDocumentReader) throws(StorageError) -> MACReconciliation {
        var rejections: [RejectedMACRequest] = []
        for _ in 0..<(try reader.count()) {
            let request = try reader.data()
            let answer = try reader.data()
            guard let requests = try? MACCommandCodec.decodeDownlink(request), requests.count == 1,
                  let answers = try? MACCommandCodec.decodeUplink(answer), answers.count == 1
            else {
                throw reader.malformed("a refused MAC request is not one request and one answer")
            }
            rejections.append(RejectedMACRequest(request: requests[0], answer: answers[0]))
        }
        var forceRejoin: ForceRejoinRequest?
        if try reader.bool() {
            guard let rejoinType = ForceRejoinRequest.RejoinType(rawValue: try reader.byte()) else {
                throw reader.malformed("a ForceRejoinReq RejoinType other than 0 or 2")
            }
            let dataRate = try Self.dataRate(&reader)
            let maxRetries: ForceRejoinMaxRetries = try field(&reader, "Max_Retries")
            forceRejoin = ForceRejoinRequest(rejoinType: rejoinType, dataRate: dataRate, maxRetries: maxRetries, period: try field(&reader, "Period"))
        }
        return MACReconciliation(rejections: rejections, forceRejoin: forceRejoin)
    }

    // MARK: MAC settings

    /// Every field, in declaration order. Sets and dictionaries are written sorted, so equal settings
    /// encode alike. An absent optional 4-bit field is 0xFF, which no field can hold.
    private static func write(_ settings: MACSettings, to writer: inout CompactDocumentWriter) {
        writer.byte(settings.rx1Delay.rawValue)
        writer.byte(settings.rx1DROffset.rawValue)
        writer.byte(settings.rx2DataRate.rawValue)
        writer.uint32(settings.rx2Frequency.hertz)
        writer.byte(settings.dataRate.rawValue)
        writer.byte(settings.txPower.rawValue)
        writer.byte(settings.nbTrans.rawValue)
        writer.byte(settings.maxDutyCycle.rawValue)
        writer.count(settings.uplinkChannels.count)
        for channel in settings.uplinkChannels {
            writer.integer(channel.index)
            writer.uint32(channel.frequency.hertz)
            writer.byte(channel.dataRates.lowerBound.rawValue)
            writer.byte(channel.dataRates.upperBound.rawValue)
        }
        writer.count(settings.enabledUplinkChannels.count)
        for index in settings.enabledUplinkChannels.sorted() { writer.integer(index) }
        writer.count(settings.downlinkFrequencies.count)
        for (index, frequency) in settings.downlinkFrequencies.sorted(by: { $0.key < $1.key }) {
            writer.integer(index)
            writer.uint32(frequency.hertz)
        }
        writer.bool(settings.uplinkDwellTime == .limited400ms)
        writer.bool(settings.downlinkDwellTime == .limited400ms)
        writer.byte(settings.maxEIRP?.rawValue ?? absent)
        writer.byte(settings.adrAckLimitExponent?.rawValue ?? absent)
        writer.byte(settings.adrAckDelayExponent?.rawValue ?? absent)
        writer.byte(settings.rejoinMaxTimeN?.rawValue ?? absent)
        writer.byte(settings.rejoinMaxCountN?.rawValue ?? absent)
        writer.byte(settings.pingSlotPeriodicity?.rawValue ?? absent)
        writer.byte(settings.deviceClass.rawValue)
    }

    private static let absent: UInt8 = 0xFF

    private static func readMACSettings(_ reader: inout CompactDocumentReader) throws(StorageError) -> MACSettings {
        let rx1Delay: RXTimingDelay = try field(&reader, "RX1 delay")
        let rx1DROffset: RX1DROffset = try field(&reader, "RX1DROffset")
        let rx2DataRate = try dataRate(&reader)
        let rx2Frequency = Frequency(hertz: try reader.uint32())
        let dataRate = try dataRate(&reader)
        let txPower: TXPower = try field(&reader, "TXPower")
        let nbTrans: NbTrans = try field(&reader, "NbTrans")
        let maxDutyCycle: MaxDutyCycle = try field(&reader, "MaxDutyCycle")

        var channels: [RegionalChannel] = []
        for _ in 0..<(try reader.count()) {
            let index = try reader.integer()
            let frequency = Frequency(hertz: try reader.uint32())
            let lowest = try Self.dataRate(&reader)
            let highest = try Self.dataRate(&reader)
            guard lowest <= highest else { throw reader.malformed("a channel's data rates are not a range") }
            channels.append(RegionalChannel(index: index, frequency: frequency, dataRates: lowest...highest))
        }
        var enabled: Set<Int> = []
        for _ in 0..<(try reader.count()) { enabled.insert(try reader.integer()) }
        var downlinkFrequencies: [Int: Frequency] = [:]
        for _ in 0..<(try reader.count()) {
            let index = try reader.integer()
            guard downlinkFrequencies.updateValue(Frequency(hertz: try reader.uint32()), forKey: index) == nil else {
                throw reader.malformed("two downlink frequencies for one channel")
            }
        }
        let uplinkDwellTime: DwellTimeLimit = try reader.bool() ? .limited400ms : .unlimited
        let downlinkDwellTime: DwellTimeLimit = try reader.bool() ? .limited400ms : .unlimited
        let maxEIRP: MaxEIRP? = try optionalField(&reader, "MaxEIRP")
        let limitExponent: ADRAckLimitExponent? = try optionalField(&reader, "Limit_exp")
        let delayExponent: ADRAckDelayExponent? = try optionalField(&reader, "Delay_exp")
        let rejoinMaxTimeN: RejoinMaxTimeN? = try optionalField(&reader, "MaxTimeN")
        let rejoinMaxCountN: RejoinMaxCountN? = try optionalField(&reader, "MaxCountN")
        let pingSlotPeriodicity: PingSlotPeriodicity? = try optionalField(&reader, "Periodicity")
        guard let deviceClass = DeviceModeClass(rawValue: try reader.byte()) else {
            throw reader.malformed("an unknown device class")
        }
        return MACSettings(
            rx1Delay: rx1Delay, rx1DROffset: rx1DROffset, rx2DataRate: rx2DataRate, rx2Frequency: rx2Frequency,
            dataRate: dataRate, txPower: txPower, nbTrans: nbTrans, maxDutyCycle: maxDutyCycle,
            uplinkChannels: channels, enabledUplinkChannels: enabled, downlinkFrequencies: downlinkFrequencies,
            uplinkDwellTime: uplinkDwellTime, downlinkDwellTime: downlinkDwellTime, maxEIRP: maxEIRP,
            adrAckLimitExponent: limitExponent, adrAckDelayExponent: delayExponent,
            rejoinMaxTimeN: rejoinMaxTimeN, rejoinMaxCountN: rejoinMaxCountN,
            pingSlotPeriodicity: pingSlotPeriodicity, deviceClass: deviceClass)
    }

    private static func dataRate(_ reader: inout CompactDocumentReader) throws(StorageError) -> DataRateIndex {
        guard let rate = DataRateIndex(rawValue: try reader.byte()) else { throw reader.malformed("a data rate above DR15") }
        return rate
    }

    private static func field<Field: MACCommandBitField>(
        _ reader: inout CompactDocumentReader, _ name: String
    ) throws(StorageError) -> Field {
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

/// `ns_sessions.adr_history`: the link quality of recent uplinks, which every accepted uplink moves,
/// so it is a column of its own that the counter-only update writes. Version 1: `0x01`, capacity,
/// count, then per uplink FCnt, the best SNR (IEEE 754 bits, exact) and the gateway count.
enum ADRHistoryDocument {
    static let column = "adr_history"

    static func encode(_ history: UplinkSignalHistory) -> [UInt8] {
        var writer = CompactDocumentWriter(version: 1, reservingCapacity: 4 + history.count * 14)
        writer.integer(history.capacity)
        writer.count(history.count)
        for entry in history.entries {
            writer.uint32(entry.fCnt)
            writer.uint64(entry.maxSNR.bitPattern)
            writer.integer(entry.gatewayCount)
        }
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws(StorageError) -> UplinkSignalHistory {
        var reader = try CompactDocumentReader(bytes, table: NetworkSessionRows.table, column: column)
        guard reader.version == 1 else {
            throw reader.malformed("unknown document version \(reader.version): written by a newer Gatehouse?")
        }
        let capacity = try reader.integer()
        guard capacity >= 1 else { throw reader.malformed("an ADR history without capacity") }
        var entries: [UplinkSignalHistory.Entry] = []
        for _ in 0..<(try reader.count()) {
            let fCnt = try reader.uint32()
            let snr = Double(bitPattern: try reader.uint64())
            entries.append(.init(fCnt: fCnt, maxSNR: snr, gatewayCount: try reader.integer()))
        }
        try reader.finish()
        return UplinkSignalHistory(capacity: capacity, entries: entries)
    }
}
