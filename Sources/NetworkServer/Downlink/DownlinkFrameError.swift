import Foundation
import LoRaWAN

/// Why a downlink cannot be built or scheduled. Each case says what to do about it.
public enum DownlinkFrameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The frame is longer than the region allows at the window's data rate (RP002-1.0.3 §2.x.6).
    case tooLongForDataRate(DataRateIndex, maximumMACPayload: Int, actualMACPayload: Int)
    /// MAC commands and an application payload together, with more than FOpts' 15 bytes of commands.
    case macCommandsTooLongForFOpts(length: Int)
    /// The application downlink was encrypted for another device or session.
    case sessionMismatch(downlinkID: UUID)
    /// The application downlink's counter was already used (or skipped past) on this session: it must
    /// be encrypted again with a fresh reservation, since a counter is never reused.
    case applicationCounterAlreadyUsed(fCnt: UInt32, next: UInt32, counter: DownlinkFrameCounterKind)
    /// The counter reached 2^32 − 1, which is never used: the session is exhausted and the device
    /// must rejoin (a counter never wraps, or keystreams would repeat).
    case counterExhausted(DownlinkFrameCounterKind)
    /// FPort 0 carries MAC commands only; an application cannot use it (LoRaWAN 1.1 §4.3.2).
    case applicationFPortZero(downlinkID: UUID)
    /// The data rate is not a downlink data rate of the region, or a window cannot be computed.
    case regional(RegionalParametersError)
    /// The frame could not be encoded.
    case frame(FrameError)

    public var description: String {
        switch self {
        case .tooLongForDataRate(let dataRate, let maximum, let actual):
            "the downlink's MACPayload is \(actual) bytes, \(dataRate) allows \(maximum)"
        case .macCommandsTooLongForFOpts(let length):
            "\(length) bytes of MAC commands do not fit FOpts (15 bytes) beside an application payload"
        case .sessionMismatch(let id):
            "application downlink \(id) was encrypted for another session"
        case .applicationCounterAlreadyUsed(let fCnt, let next, let counter):
            "\(counter) \(fCnt) is already used (next is \(next)); encrypt the payload again"
        case .counterExhausted(let counter):
            "\(counter) is exhausted; the device must rejoin"
        case .applicationFPortZero(let id):
            "application downlink \(id) uses FPort 0, which is reserved for MAC commands"
        case .regional(let error):
            "\(error)"
        case .frame(let error):
            "\(error)"
        }
    }
}
