import BackendInterfaces
import Foundation
import LoRaWAN
import NetworkServer
import Synchronization

/// The storage contracts in memory, with the same counter guard as the SQL stores, so the service's
/// logic is tested alone; `Storage`'s tests and the end-to-end suites run the real ones.
final class InMemoryNetworkStore: NetworkSessionStore, NetworkDeviceRegistry, NetworkDownlinkStore, Sendable {
    private struct State {
        var sessions: [EUI64: NetworkSession] = [:]
        var devices: [EUI64: NetworkDevice] = [:]
        var queue: [ApplicationDownlink] = []
        var updates = 0
    }
    private let state = Mutex(State())

    var updateCount: Int { state.withLock { $0.updates } }
    func stored(_ devEUI: EUI64) -> NetworkSession? { state.withLock { $0.sessions[devEUI] } }

    func sessions(devAddr: DevAddr) async throws -> [NetworkSession] {
        state.withLock { $0.sessions.values.filter { $0.devAddr == devAddr } }
    }
    func session(devEUI: EUI64) async throws -> NetworkSession? { state.withLock { $0.sessions[devEUI] } }
    func activate(_ sessions: [NetworkSession]) async throws {
        state.withLock { state in
            for session in sessions {
                state.sessions[session.devEUI] = session
                state.queue.removeAll { $0.devEUI == session.devEUI }
            }
        }
    }
    func update(_ updates: [NetworkSessionUpdate]) async throws -> [Bool] {
        state.withLock { state in
            updates.map { update in
                state.updates += 1
                let new = update.session
                guard let old = state.sessions[new.devEUI], old.sessionKeyID == new.sessionKeyID else { return false }
                if let up = old.fCntUp, (new.fCntUp ?? 0) < up || (update.advancesUplinkCounter && new.fCntUp == up) { return false }
                state.sessions[new.devEUI] = new
                return true
            }
        }
    }
    func deleteSession(devEUI: EUI64) async throws { _ = state.withLock { $0.sessions.removeValue(forKey: devEUI) } }

    func device(_ devEUI: EUI64) async throws -> NetworkDevice? { state.withLock { $0.devices[devEUI] } }
    func save(_ device: NetworkDevice) async throws { state.withLock { $0.devices[device.devEUI] = device } }
    func delete(_ devEUI: EUI64) async throws -> Bool { state.withLock { $0.devices.removeValue(forKey: devEUI) != nil } }
    func devices(after: EUI64?, limit: Int) async throws -> [NetworkDevice] {
        state.withLock { Array($0.devices.values.sorted { $0.devEUI.rawValue < $1.devEUI.rawValue }.prefix(limit)) }
    }

    func enqueue(_ downlink: ApplicationDownlink) async throws { state.withLock { $0.queue.append(downlink) } }
    func queued(devEUI: EUI64) async throws -> [ApplicationDownlink] {
        state.withLock { $0.queue.filter { $0.devEUI == devEUI }.sorted { $0.fCnt < $1.fCnt } }
    }
    func remove(id: UUID) async throws -> Bool {
        state.withLock { state in
            let before = state.queue.count
            state.queue.removeAll { $0.id == id }
            return state.queue.count != before
        }
    }
    func clear(devEUI: EUI64) async throws -> Int {
        state.withLock { state in
            let before = state.queue.count
            state.queue.removeAll { $0.devEUI == devEUI }
            return before - state.queue.count
        }
    }
}

/// Records what the Network Server hands the Application Server.
final class RecordingApplication: ApplicationUplinkHandler, Sendable {
    private struct State {
        var uplinks: [ApplicationUplink] = []
        var joins: [ApplicationJoin] = []
        var downlinkEvents: [ApplicationDownlinkEvent] = []
        var networkEvents: [NetworkEvent] = []
    }
    private let state = Mutex(State())

    var uplinks: [ApplicationUplink] { state.withLock { $0.uplinks } }
    var downlinkEvents: [ApplicationDownlinkEvent] { state.withLock { $0.downlinkEvents } }
    var networkEvents: [NetworkEvent] { state.withLock { $0.networkEvents } }

    func joined(_ join: ApplicationJoin) async { state.withLock { $0.joins.append(join) } }
    func uplinkReceived(_ uplink: ApplicationUplink) async { state.withLock { $0.uplinks.append(uplink) } }
    func downlinkUpdated(_ event: ApplicationDownlinkEvent) async { state.withLock { $0.downlinkEvents.append(event) } }
    func networkEvent(_ event: NetworkEvent) async { state.withLock { $0.networkEvents.append(event) } }
}

/// Records downlinks as a gateway connection would take them; `connected` gateways accept.
final class RecordingGateways: GatewayDownlinkSender, Sendable {
    private let sent = Mutex<[(GatewayDownlink, EUI64)]>([])
    let connected: Set<EUI64>

    init(connected: Set<EUI64>) { self.connected = connected }

    var downlinks: [(downlink: GatewayDownlink, gateway: EUI64)] { sent.withLock { $0.map { (downlink: $0.0, gateway: $0.1) } } }

    func send(_ downlink: GatewayDownlink, through gateway: EUI64) async throws {
        guard connected.contains(gateway) else { throw NotConnected() }
        sent.withLock { $0.append((downlink, gateway)) }
    }

    struct NotConnected: Error {}
}

/// A Join Server that must not be asked (the data-path suites activate sessions directly).
struct UnreachableJoinService: JoinService {
    func join(_ request: JoinReq) async throws(JoinServiceError) -> JoinAns { throw .unreachable("not in this test") }
    func appSKey(_ request: AppSKeyReq) async throws(JoinServiceError) -> AppSKeyAns { throw .unreachable("not in this test") }
    func homeNS(_ request: HomeNSReq) async throws(JoinServiceError) -> HomeNSAns { throw .unreachable("not in this test") }
}
