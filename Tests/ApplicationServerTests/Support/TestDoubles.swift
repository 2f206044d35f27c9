import ApplicationServer
import BackendInterfaces
import Foundation
import LoRaWAN
import Logging
import Synchronization

/// A clock the test moves.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Fixtures.t0) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var function: @Sendable () -> Date { { [self] in self.now } }
}

/// A webhook receiver that answers from a script, one entry per request (the last entry repeats).
final class ScriptedTransport: WebhookTransport {
    enum Reply: Sendable {
        case status(Int)
        case failure(String)
    }

    struct Request: Sendable {
        var url: URL
        var headers: [String: String]
        var body: [UInt8]
    }

    struct ConnectionRefused: Error, CustomStringConvertible {
        var description: String
    }

    private let script: Mutex<[Reply]>
    private let received = Mutex<[Request]>([])

    init(_ script: [Reply]) { self.script = Mutex(script) }

    func post(url: URL, headers: [(name: String, value: String)], body: [UInt8]) async throws -> Int {
        received.withLock {
            $0.append(Request(url: url, headers: Dictionary(headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }), body: body))
        }
        let reply = script.withLock { script in script.count > 1 ? script.removeFirst() : script[0] }
        switch reply {
        case .status(let status): return status
        case .failure(let reason): throw ConnectionRefused(description: reason)
        }
    }

    var requests: [Request] { received.withLock { $0 } }
}

/// A Join Server that answers `AppSKeyReq`s from a script and records what it was asked. It must never
/// be asked to join: the Application Server has no business with network keys.
final class FakeJoinService: JoinService {
    enum Behaviour: Sendable {
        /// Answers with the AppSKey wrapped under `kek`.
        case wrapped(AppSKey, under: LabeledKEK)
        /// Answers with the AppSKey in clear.
        case plain(AppSKey)
        /// Answers with a failure result.
        case refuse(BackendResultCode, String)
        /// Cannot be reached.
        case unreachable
        /// Answers a success without a key.
        case emptySuccess
    }

    private let behaviour: Mutex<Behaviour>
    private let requests = Mutex<[AppSKeyReq]>([])
    private let joinCalls = Mutex(0)

    init(_ behaviour: Behaviour) { self.behaviour = Mutex(behaviour) }

    func set(_ behaviour: Behaviour) { self.behaviour.withLock { $0 = behaviour } }

    func join(_ request: JoinReq) async throws(JoinServiceError) -> JoinAns {
        joinCalls.withLock { $0 += 1 }
        throw .unreachable("the Application Server must never send a JoinReq")
    }

    func appSKey(_ request: AppSKeyReq) async throws(JoinServiceError) -> AppSKeyAns {
        requests.withLock { $0.append(request) }
        let answerHeader = request.header.answerHeader()
        switch behaviour.withLock({ $0 }) {
        case .wrapped(let key, let kek):
            return AppSKeyAns(
                header: answerHeader, result: .success, devEUI: request.devEUI, appSKey: KeyEnvelope(wrapping: key, under: kek),
                sessionKeyID: request.sessionKeyID)
        case .plain(let key):
            return AppSKeyAns(header: answerHeader, result: .success, devEUI: request.devEUI, appSKey: KeyEnvelope(plain: key), sessionKeyID: request.sessionKeyID)
        case .refuse(let code, let detail):
            return AppSKeyAns(failing: request.header, BackendResult(code, detail))
        case .unreachable:
            throw .unreachable("connection refused")
        case .emptySuccess:
            return AppSKeyAns(header: answerHeader, result: .success, devEUI: request.devEUI)
        }
    }

    func homeNS(_ request: HomeNSReq) async throws(JoinServiceError) -> HomeNSAns {
        throw .unreachable("not used by the Application Server")
    }

    var appSKeyRequests: [AppSKeyReq] { requests.withLock { $0 } }
    var joinRequestCount: Int { joinCalls.withLock { $0 } }
}

/// The Network Server's side of the downlink queue: reserves counters and keeps what is queued.
final class FakeNetworkDownlinkQueue: ApplicationDownlinkQueue {
    struct NoSession: Error, CustomStringConvertible {
        var description: String { "the device has no session" }
    }

    private let state: Mutex<(sessionKeyID: [UInt8]?, nextFCnt: UInt32, maximumPayloadSize: Int, queue: [ApplicationDownlink])>

    init(sessionKeyID: [UInt8]?, nextFCnt: UInt32 = 0, maximumPayloadSize: Int = 51) {
        state = Mutex((sessionKeyID, nextFCnt, maximumPayloadSize, []))
    }

    func setSession(_ sessionKeyID: [UInt8]?) { state.withLock { $0.sessionKeyID = sessionKeyID } }

    func reserveDownlinkCounter(devEUI: EUI64) async throws -> DownlinkCounterReservation {
        try state.withLock { state in
            guard let sessionKeyID = state.sessionKeyID else { throw NoSession() }
            defer { state.nextFCnt += 1 }
            return DownlinkCounterReservation(sessionKeyID: sessionKeyID, fCnt: state.nextFCnt, maximumPayloadSize: state.maximumPayloadSize)
        }
    }

    func enqueue(_ downlink: ApplicationDownlink) async throws { state.withLock { $0.queue.append(downlink) } }
    func queued(devEUI: EUI64) async throws -> [ApplicationDownlink] { state.withLock { $0.queue.filter { $0.devEUI == devEUI } } }
    func clear(devEUI: EUI64) async throws { state.withLock { $0.queue.removeAll { $0.devEUI == devEUI } } }
    var nextFCnt: UInt32 { state.withLock { $0.nextFCnt } }
}

/// Collects every log line (message and metadata), to check that no key reaches a log.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    var logger: Logger {
        var logger = Logger(label: "test") { _ in RecordingHandler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }

    struct RecordingHandler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            recorder.append("\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        }
    }
}

/// A receiver whose host `slow.example` does not answer until released; every other host answers 200.
final class GatedTransport: WebhookTransport {
    private let released = Mutex(false)
    private let answered = Mutex<[String]>([])
    private let blocked = Mutex(0)

    func post(url: URL, headers: [(name: String, value: String)], body: [UInt8]) async throws -> Int {
        if url.host == "slow.example" {
            blocked.withLock { $0 += 1 }
            defer { blocked.withLock { $0 -= 1 } }
            while !released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(2)) }
        }
        answered.withLock { $0.append(url.host ?? "") }
        return 200
    }

    func release() { released.withLock { $0 = true } }
    /// Requests to the slow host waiting for an answer.
    var waiting: Int { blocked.withLock { $0 } }
    var answeredHosts: [String] { answered.withLock { $0 } }
}

/// A receiver that holds every request until opened, then answers 200 to each; it records the
/// `X-Gatehouse-Delivery` id of every request, answered or waiting.
final class LatchedTransport: WebhookTransport {
    private let isOpen = Mutex(false)
    private let received = Mutex<[String]>([])

    func post(url: URL, headers: [(name: String, value: String)], body: [UInt8]) async throws -> Int {
        received.withLock { $0.append(headers.first { $0.name == WebhookDispatcher.deliveryHeader }?.value ?? "") }
        while !isOpen.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(2)) }
        return 200
    }

    func open() { isOpen.withLock { $0 = true } }
    /// Delivery ids of the requests made so far, in order.
    var deliveryIDs: [String] { received.withLock { $0 } }
}

/// Waits until `condition` holds, up to a liveness bound (not a timing assertion: under the full
/// parallel suite on 2 cores, CPU-bound tests can hold the cooperative pool for many seconds).
func eventually(_ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(60)
    while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
}
