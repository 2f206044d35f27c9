import BackendInterfaces
import LoRaWAN
import Synchronization

/// The Network Server's side of the downlink queue, in memory: one session per device with its next
/// counter and the payload size its data rate allows; queued frames kept in order.
final class FakeNetworkDownlinkQueue: ApplicationDownlinkQueue {
    struct DeviceSession {
        var sessionKeyID: [UInt8]
        var nextFCnt: UInt32
        var maximumPayloadSize: Int
    }

    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    private let state = Mutex<(sessions: [EUI64: DeviceSession], queues: [EUI64: [ApplicationDownlink]])>(([:], [:]))
    /// When set, every call throws it (the Network Server refuses).
    let refusal = Mutex<String?>(nil)

    func setSession(_ devEUI: EUI64, sessionKeyID: [UInt8], nextFCnt: UInt32 = 0, maximumPayloadSize: Int = 51) {
        state.withLock { $0.sessions[devEUI] = DeviceSession(sessionKeyID: sessionKeyID, nextFCnt: nextFCnt, maximumPayloadSize: maximumPayloadSize) }
    }

    func reserveDownlinkCounter(devEUI: EUI64) async throws -> DownlinkCounterReservation {
        try refuseIfAsked()
        return try state.withLock { state in
            guard var session = state.sessions[devEUI] else { throw Refusal(description: "device \(devEUI) has no session") }
            defer {
                session.nextFCnt += 1
                state.sessions[devEUI] = session
            }
            return DownlinkCounterReservation(sessionKeyID: session.sessionKeyID, fCnt: session.nextFCnt, maximumPayloadSize: session.maximumPayloadSize)
        }
    }

    func enqueue(_ downlink: ApplicationDownlink) async throws {
        try refuseIfAsked()
        state.withLock { $0.queues[downlink.devEUI, default: []].append(downlink) }
    }

    func queued(devEUI: EUI64) async throws -> [ApplicationDownlink] {
        try refuseIfAsked()
        return state.withLock { $0.queues[devEUI] ?? [] }
    }

    func clear(devEUI: EUI64) async throws {
        try refuseIfAsked()
        state.withLock { $0.queues[devEUI] = nil }
    }

    private func refuseIfAsked() throws {
        if let reason = refusal.withLock({ $0 }) { throw Refusal(description: reason) }
    }
}
