/// The RX1 data rate for each uplink data rate and RX1DROffset (RP002-1.0.3 §2.x.7 "Receive windows").
///
/// Each row lists the downlink data rate for offsets 0, 1, 2...; an offset past the end of the row is
/// not allowed in the region. AS923 defines the table by a formula, which ``as923(minimum:)`` turns
/// into the same kind of table so that every region is looked up the same way.
public struct RX1DataRateTable: Hashable, Sendable {
    /// Uplink data rate → downlink data rate per RX1DROffset.
    public let rows: [DataRateIndex: [DataRateIndex]]

    public init(rows: [DataRateIndex: [DataRateIndex]]) { self.rows = rows }

    /// The largest RX1DROffset the table defines for any uplink data rate.
    public var maxOffset: UInt8 {
        UInt8(clamping: (rows.values.map(\.count).max() ?? 1) - 1)
    }

    /// The RX1 data rate, or `nil` when the uplink data rate or the offset is not in the table.
    public func downlinkDataRate(uplink: DataRateIndex, offset: UInt8) -> DataRateIndex? {
        guard let row = rows[uplink], Int(offset) < row.count else { return nil }
        return row[Int(offset)]
    }

    /// AS923's rule as a table: RX1DROffset 0-5 lower the data rate, 6 and 7 raise it by 1 and 2
    /// ("effective offset" -1 and -2), and the result is clamped to [minimum, DR5], where `minimum`
    /// is DR2 under a 400 ms downlink dwell time and DR0 otherwise.
    // RP002-1.0.3 §2.10.7: DR = MIN(5, MAX(MinDR, Upstream DR - Effective_RX1DROffset))
    static func as923(minimum: DataRateIndex) -> RX1DataRateTable {
        let effectiveOffsets = [0, 1, 2, 3, 4, 5, -1, -2]
        let uplinks: [DataRateIndex] = [.dr0, .dr1, .dr2, .dr3, .dr4, .dr5, .dr6, .dr7]
        var rows: [DataRateIndex: [DataRateIndex]] = [:]
        for uplink in uplinks {
            rows[uplink] = effectiveOffsets.map { offset in
                let value = min(5, max(Int(minimum.rawValue), Int(uplink.rawValue) - offset))
                return DataRateIndex(rawValue: UInt8(value)) ?? minimum
            }
        }
        return RX1DataRateTable(rows: rows)
    }
}

/// Where the network answers in RX1.
public enum RX1FrequencyRule: Hashable, Sendable {
    /// On the uplink's own frequency (EU868, AS923: RP002-1.0.3 §2.4.7, §2.10.7).
    case uplinkFrequency
    /// On downlink channel (uplink channel mod `channels.count`) of a fixed grid: US915 and AU915
    /// answer on 923.3 MHz + 600 kHz × (uplink channel mod 8) (RP002-1.0.3 §2.5.7, §2.8.7).
    case downlinkChannel(ChannelGrid)
}

/// The fixed second receive window: one frequency and one data rate per region until the network
/// changes them with RXParamSetupReq or the join-accept's DLSettings.
public struct RX2Parameters: Hashable, Sendable {
    public let frequency: Frequency
    public let dataRate: DataRateIndex

    public init(frequency: Frequency, dataRate: DataRateIndex) {
        self.frequency = frequency
        self.dataRate = dataRate
    }
}

/// The default timing and ADR constants, the same in every region (RP002-1.0.3 §2.3).
public enum RegionalDefaultSettings {
    /// RECEIVE_DELAY1: RX1 opens this long after the end of the uplink.
    public static let receiveDelay1: Duration = .seconds(1)
    /// RECEIVE_DELAY2: RX2 opens one second after RX1 (RP002-1.0.3 §2.3: RECEIVE_DELAY1 + 1 s).
    public static let receiveDelay2: Duration = .seconds(2)
    /// JOIN_ACCEPT_DELAY1: RX1 of a join-request.
    public static let joinAcceptDelay1: Duration = .seconds(5)
    /// JOIN_ACCEPT_DELAY2: RX2 of a join-request.
    public static let joinAcceptDelay2: Duration = .seconds(6)
    /// MAX_FCNT_GAP: the largest frame counter jump a LoRaWAN 1.0.0-1.0.3 receiver accepts.
    /// LoRaWAN 1.0.4 and 1.1 dropped the rule; Gatehouse keeps it as a policy knob.
    public static let maxFCntGap: UInt32 = 16384
    /// ADR_ACK_LIMIT: uplinks without a downlink after which the device sets ADRACKReq.
    public static let adrAckLimit: Int = 64
    /// ADR_ACK_DELAY: further uplinks the device waits for a downlink before it backs off.
    public static let adrAckDelay: Int = 32
    /// RETRANSMIT_TIMEOUT: a confirmed frame is retransmitted 2 s ± 1 s after RX2 without an ack.
    public static let retransmitTimeout: ClosedRange<Duration> = .seconds(1) ... .seconds(3)
    /// The RX1DROffset a device uses until the network sets another.
    public static let rx1DataRateOffset: UInt8 = 0
}
