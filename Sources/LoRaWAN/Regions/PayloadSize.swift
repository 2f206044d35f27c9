/// Whether a 400 ms dwell time limit applies to the frame (TxParamSetupReq's UplinkDwellTime or
/// DownlinkDwellTime bit). AS923 and AU915 shrink their payload tables under the limit; EU868 has no
/// limit and US915's table already assumes the FCC's 400 ms.
public enum DwellTimeLimit: Hashable, Sendable {
    case unlimited
    case limited400ms
}

/// The largest MACPayload (M) a data rate may carry, and the application payload (N) that leaves.
///
/// N is M minus the smallest FHDR (7 bytes) and the FPort (1 byte), so only M is stored and the two
/// can never disagree (RP002-1.0.3 §2.x.6: every table row has N = M - 8).
public struct MaxPayloadSize: Hashable, Sendable, CustomStringConvertible {
    /// M: the largest MACPayload in bytes (FHDR + FPort + FRMPayload).
    public let macPayload: Int

    /// - Returns: `nil` when `macPayload` cannot hold an FHDR and an FPort.
    public init?(macPayload: Int) {
        guard macPayload >= Self.overhead, macPayload <= 250 else { return nil }
        self.macPayload = macPayload
    }

    private init(uncheckedMACPayload: Int) { macPayload = uncheckedMACPayload }

    /// N: the largest FRMPayload in bytes when FOpts is empty.
    public var applicationPayload: Int { macPayload - Self.overhead }

    /// FHDR without FOpts (7 bytes) plus FPort (1 byte).
    static let overhead = 8

    public var description: String { "M=\(macPayload) N=\(applicationPayload)" }

    // The sizes that appear in RP002-1.0.3 §2.x.6 for the regions modelled here.
    static let m19 = MaxPayloadSize(uncheckedMACPayload: 19)
    static let m58 = MaxPayloadSize(uncheckedMACPayload: 58)
    static let m59 = MaxPayloadSize(uncheckedMACPayload: 59)
    static let m61 = MaxPayloadSize(uncheckedMACPayload: 61)
    static let m123 = MaxPayloadSize(uncheckedMACPayload: 123)
    static let m133 = MaxPayloadSize(uncheckedMACPayload: 133)
    static let m137 = MaxPayloadSize(uncheckedMACPayload: 137)
    static let m250 = MaxPayloadSize(uncheckedMACPayload: 250)
}

/// A region's maximum payload sizes per data rate (not repeater compatible, RP002-1.0.3 §2.x.6).
public enum PayloadSizeTable: Hashable, Sendable {
    /// One table whatever the dwell time setting.
    case independentOfDwellTime([DataRateIndex: MaxPayloadSize])
    /// One table without a dwell time limit and one under the 400 ms limit; a data rate missing from
    /// the limited table cannot be used at all under the limit ("N/A" in RP002).
    case dependsOnDwellTime(unlimited: [DataRateIndex: MaxPayloadSize],
                            limited400ms: [DataRateIndex: MaxPayloadSize])

    /// The size for a data rate, or `nil` when the region does not allow it with that dwell time.
    public func size(for dataRate: DataRateIndex, dwellTime: DwellTimeLimit) -> MaxPayloadSize? {
        switch (self, dwellTime) {
        case (.independentOfDwellTime(let table), _): table[dataRate]
        case (.dependsOnDwellTime(let table, _), .unlimited): table[dataRate]
        case (.dependsOnDwellTime(_, let table), .limited400ms): table[dataRate]
        }
    }
}
