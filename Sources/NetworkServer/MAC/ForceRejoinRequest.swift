import LoRaWAN

/// An operator's ForceRejoinReq (LoRaWAN 1.1 §5.13): the device sends rejoin-requests of a type at a
/// data rate, retrying `maxRetries` times every 32 s × 2^`period` (plus up to 32 s at random). The
/// device answers with the rejoin-request itself, not with a MAC command, so nothing waits for it.
public struct ForceRejoinRequest: Sendable, Hashable, CustomStringConvertible {
    /// The rejoin-request types ForceRejoinReq may ask for; 1 is another spelling of 0, 3-7 are RFU.
    public enum RejoinType: UInt8, Sendable, Hashable, CaseIterable {
        /// Rejoin-request type 0: a new session, same DevEUI, keys from the Join Server.
        case type0 = 0
        /// Rejoin-request type 2: keys and DevAddr kept, radio parameters reset.
        case type2 = 2
    }

    public var rejoinType: RejoinType
    public var dataRate: DataRateIndex
    public var maxRetries: ForceRejoinMaxRetries
    public var period: ForceRejoinPeriod

    public init(rejoinType: RejoinType, dataRate: DataRateIndex, maxRetries: ForceRejoinMaxRetries, period: ForceRejoinPeriod) {
        self.rejoinType = rejoinType
        self.dataRate = dataRate
        self.maxRetries = maxRetries
        self.period = period
    }

    /// The MAC command that carries it.
    public var command: DownlinkMACCommand {
        .forceRejoinReq(
            period: period, maxRetries: maxRetries, rejoinType: ForceRejoinType(truncatingIfNeeded: rejoinType.rawValue), dataRate: dataRate)
    }

    public var description: String { "ForceRejoinReq(type \(rejoinType.rawValue), \(dataRate), \(maxRetries) retries, period \(period))" }
}
