import BackendInterfaces
import Foundation
import LoRaWAN
import Logging

/// The Application Server's way in: downlink counters are reserved from the session, encrypted
/// downlinks are queued durably and go out in the device's next window (class A) or at once (class C).
extension NetworkServer: ApplicationDownlinkQueue {
    public func reserveDownlinkCounter(devEUI: EUI64) async throws -> DownlinkCounterReservation {
        guard let session = try await cache.session(devEUI: devEUI) else { throw ApplicationDownlinkQueueError.noSession(devEUI) }
        let kind = session.downlinkCounters.kind(forApplicationPayload: true)
        let next = session.downlinkCounters.next(kind) ?? 0
        // Downlinks already queued hold the counters after `next`: the new one takes the one after them.
        let queued = try await downlinkStore.queued(devEUI: devEUI).filter { $0.sessionKeyID == session.sessionKeyID }
        let fCnt = max(next, (queued.map(\.fCnt).max().map { $0 + 1 }) ?? 0)
        let dataRate = session.macSettings.deviceClass == .classC
            ? session.macSettings.rx2DataRate
            : Self.roomier(session.macSettings.rx2DataRate, session.macSettings.dataRate, region: session.regionalParameters)
        let maximum = (try? session.regionalParameters.maxPayloadSize(dataRate: dataRate, dwellTime: session.macSettings.downlinkDwellTime))?
            .macPayload ?? 0
        // MACPayload = FHDR (7 + FOpts, which an application downlink may share with up to 15 bytes of
        // MAC commands) + FPort; what remains is the FRMPayload.
        return DownlinkCounterReservation(sessionKeyID: session.sessionKeyID, fCnt: fCnt, maximumPayloadSize: max(0, maximum - 8 - 15))
    }

    public func enqueue(_ downlink: ApplicationDownlink) async throws {
        guard let session = try await cache.session(devEUI: downlink.devEUI) else {
            throw ApplicationDownlinkQueueError.noSession(downlink.devEUI)
        }
        guard session.sessionKeyID == downlink.sessionKeyID else { throw ApplicationDownlinkQueueError.sessionChanged(downlink.devEUI) }
        let kind = session.downlinkCounters.kind(forApplicationPayload: true)
        if let next = session.downlinkCounters.next(kind), downlink.fCnt < next {
            throw ApplicationDownlinkQueueError.counterUsed(fCnt: downlink.fCnt, next: next)
        }
        try await downlinkStore.enqueue(downlink)
        await queuedIndex.markQueued(downlink.devEUI)
        if session.macSettings.deviceClass == .classC {
            let devEUI = downlink.devEUI
            Task { await self.sendClassCDownlinks(of: devEUI) }
        }
    }

    public func queued(devEUI: EUI64) async throws -> [ApplicationDownlink] {
        try await downlinkStore.queued(devEUI: devEUI)
    }

    public func clear(devEUI: EUI64) async throws {
        _ = try await downlinkStore.clear(devEUI: devEUI)
        await queuedIndex.markEmpty(devEUI)
    }
}

/// Why the Network Server refuses an application downlink.
public enum ApplicationDownlinkQueueError: Error, Equatable, Sendable, CustomStringConvertible {
    case noSession(EUI64)
    case sessionChanged(EUI64)
    case counterUsed(fCnt: UInt32, next: UInt32)

    public var description: String {
        switch self {
        case .noSession(let devEUI): "device \(devEUI) has no session: it has not joined"
        case .sessionChanged(let devEUI): "device \(devEUI) joined again since the counter was reserved; reserve a new one"
        case .counterUsed(let fCnt, let next): "downlink counter \(fCnt) is already spent (next is \(next))"
        }
    }
}
