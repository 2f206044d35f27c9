import BackendInterfaces
import Foundation
import LoRaWAN
import Synchronization

/// One measurement: joins per second and latency percentiles over the run.
struct JoinBenchmarkRun: Sendable {
    var rate: Double
    var p50: Double
    var p99: Double

    /// Runs `body` from `concurrency` callers (each with its own slot) for `seconds`.
    static func measure(seconds: Double, concurrency: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws -> JoinBenchmarkRun {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for slot in 0..<concurrency {
                group.addTask {
                    var mine: [Double] = []
                    while ContinuousClock.now < deadline {
                        let begin = ContinuousClock.now
                        try await body(slot)
                        mine.append(PKIBenchmark.milliseconds(ContinuousClock.now - begin))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }.sorted()
        }
        let elapsed = PKIBenchmark.seconds(ContinuousClock.now - start)
        guard !latencies.isEmpty else { return JoinBenchmarkRun(rate: 0, p50: 0, p99: 0) }
        return JoinBenchmarkRun(
            rate: Double(latencies.count) / elapsed, p50: latencies[latencies.count / 2],
            p99: latencies[min(latencies.count - 1, latencies.count * 99 / 100)])
    }
}

/// Join-requests for the benchmark's 1.1 devices: each caller slot walks its own devices, and each
/// device's DevNonce counts up, as LoRaWAN 1.1 devices do, so every request is a fresh, valid join.
final class JoinBenchmarkRequests: Sendable {
    private let deviceCount: Int
    /// Per device, the next DevNonce; per slot, the next device.
    private let state: Mutex<(nonces: [UInt16], cursor: [Int: Int])>

    init(deviceCount: Int) {
        self.deviceCount = deviceCount
        state = Mutex(([UInt16](repeating: 1, count: deviceCount), [:]))
    }

    /// The next join-request of caller `slot`. Slots draw from disjoint devices (slot + k·64), so no two
    /// callers race on one device's counter.
    func next(_ slot: Int) -> JoinReq {
        let (device, nonce) = state.withLock { state -> (Int, UInt16) in
            let step = 64
            var index = state.cursor[slot, default: slot % step]
            if index >= deviceCount { index = slot % step }
            state.cursor[slot] = index + step
            let nonce = state.nonces[index]
            state.nonces[index] = nonce &+ 1
            return (index, nonce)
        }
        var join = JoinRequest(joinEUI: JoinBenchmark.joinEUI, devEUI: JoinBenchmark.devEUI(device), devNonce: DevNonce(nonce))
        join.mic = JoinMIC.computeJoinRequestMIC(nwkKey: JoinBenchmark.nwkKey, message: join.encodedWithoutMIC)
        return JoinReq(
            header: BackendHeader(
                protocolVersion: .v1_1, senderID: "000031", receiverID: JoinBenchmark.joinEUI.description, transactionID: 0, messageType: .joinReq,
                senderNSID: EUI64(0x0000_0000_0000_0031)),
            macVersion: .v1_1, phyPayload: join.encode(), devEUI: join.devEUI, devAddr: DevAddr(0x2600_0000 | UInt32(device)),
            dlSettings: DLSettings(byte: 0x03), rxDelay: 5)
    }
}
