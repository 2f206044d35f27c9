import Synchronization

/// The application side of `gatehouse bench uplinks`: when each event reached the webhook receiver and
/// the live stream. An uplink event is keyed by its device and FCnt (``UplinkBenchmarkObserver/key``),
/// read from the event's JSON without a JSON parser, so recording stays cheap next to the server
/// under test on the same cores.
final class UplinkBenchmarkObserver: Sendable {
    enum Path: Sendable { case webhook, stream }

    /// An uplink event's arrival.
    struct Arrival: Sendable {
        let key: UInt64
        let at: ContinuousClock.Instant
    }

    /// What arrived since the last ``take()``.
    struct Collected: Sendable {
        var webhook: [Arrival] = []
        var stream: [Arrival] = []
        /// Events the stream dropped for this slow reader (its `lagged` markers).
        var streamDropped = 0
        /// `error` events on the stream (MIC failures, replays, undecryptable uplinks; each is also a webhook).
        var errors = 0
        /// Of those, frames the Network Server dropped as replays (`replay_dropped`).
        var replays = 0
        var firstError: String?
    }

    private struct State {
        var collected = Collected()
        var webhookJoins = 0
        var streamJoins = 0
        var webhookUplinks = 0
        var streamUplinks = 0
    }

    private let state = Mutex(State())

    /// The key of an uplink: the device index (DevEUI's low 32 bits) and the FCnt.
    static func key(device: Int, fCnt: UInt32) -> UInt64 { UInt64(device) << 32 | UInt64(fCnt) }

    func record(_ path: Path, type: String, json: some Collection<UInt8>, at time: ContinuousClock.Instant) {
        switch type {
        case "uplink":
            guard let devEUI = Self.hexField(#""dev_eui":""#, in: json), let device = UplinkBenchmarkFleet.deviceIndex(devEUI),
                  let fCnt = Self.integerField(#""f_cnt":"#, in: json)
            else { return }
            let arrival = Arrival(key: Self.key(device: device, fCnt: UInt32(truncatingIfNeeded: fCnt)), at: time)
            state.withLock { state in
                switch path {
                case .webhook: state.collected.webhook.append(arrival); state.webhookUplinks += 1
                case .stream: state.collected.stream.append(arrival); state.streamUplinks += 1
                }
            }
        case "join":
            state.withLock { state in
                switch path {
                case .webhook: state.webhookJoins += 1
                case .stream: state.streamJoins += 1
                }
            }
        case "lagged":
            let dropped = Int(Self.integerField(#""dropped":"#, in: json) ?? 0)
            state.withLock { $0.collected.streamDropped += dropped }
        case "error":
            guard path == .stream else { return }
            let replay = Self.valueStart(#""error":"replay_dropped""#, in: json) != nil
            state.withLock { state in
                state.collected.errors += 1
                if replay { state.collected.replays += 1 }
                if state.collected.firstError == nil { state.collected.firstError = String(decoding: json.prefix(300), as: UTF8.self) }
            }
        default:
            break
        }
    }

    /// Join events seen on each path so far.
    var joins: (webhook: Int, stream: Int) { state.withLock { ($0.webhookJoins, $0.streamJoins) } }

    /// Uplink events seen on each path so far.
    var uplinks: (webhook: Int, stream: Int) { state.withLock { ($0.webhookUplinks, $0.streamUplinks) } }

    /// Events the stream dropped since the last ``take()``.
    var streamDropped: Int { state.withLock { $0.collected.streamDropped } }

    /// Everything collected since the last call, and starts afresh.
    func take() -> Collected {
        state.withLock { state in
            defer { state.collected = Collected() }
            return state.collected
        }
    }

    // MARK: Reading the event JSON

    /// The 16 hex digits after `name` (`"dev_eui":"`).
    static func hexField(_ name: String, in json: some Collection<UInt8>) -> UInt64? {
        guard var index = valueStart(name, in: json) else { return nil }
        var value: UInt64 = 0
        for _ in 0..<16 {
            guard index != json.endIndex else { return nil }
            let byte = json[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
            index = json.index(after: index)
        }
        return value
    }

    /// The non-negative integer after `name` (`"f_cnt":`).
    static func integerField(_ name: String, in json: some Collection<UInt8>) -> UInt64? {
        guard var index = valueStart(name, in: json) else { return nil }
        var value: UInt64 = 0
        var digits = 0
        while index != json.endIndex, case let byte = json[index], byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 19 {
            value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
            digits += 1
            index = json.index(after: index)
        }
        return digits > 0 ? value : nil
    }

    /// Where the value after the first occurrence of `name` starts.
    private static func valueStart<C: Collection<UInt8>>(_ name: String, in json: C) -> C.Index? {
        let pattern = Array(name.utf8)
        guard let first = pattern.first else { return nil }
        var start = json.startIndex
        while let found = json[start...].firstIndex(of: first) {
            var probe = found
            var matched = 0
            while matched < pattern.count, probe != json.endIndex, json[probe] == pattern[matched] {
                matched += 1
                probe = json.index(after: probe)
            }
            if matched == pattern.count { return probe }
            start = json.index(after: found)
        }
        return nil
    }
}
