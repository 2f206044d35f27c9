import BackendInterfaces
import Foundation
import LoRaWAN
import Logging
@testable import NetworkServer
import Synchronization
import Testing

/// The Network Server under load: a device's frames processed in the order it sent them (none taken for
/// a replay because a later one overtook it), a bounded backlog that holds the gateways' readers back,
/// and a stop that ends with frames in flight.
@Suite struct UplinkBackpressureTests {
    static let gatewayA = EUI64(0xAA55_0000_0000_0001)
    static let gatewayB = EUI64(0xAA55_0000_0000_0002)

    /// Hands uplinks to a ``RecordingApplication``, after waiting at `gate` when there is one: a slow
    /// Application Server, so frames stay in flight as long as a test needs.
    final class SlowApplication: ApplicationUplinkHandler, Sendable {
        let recording = RecordingApplication()
        let gate: TestGate?

        init(gate: TestGate?) { self.gate = gate }

        func joined(_ join: ApplicationJoin) async { await recording.joined(join) }
        func uplinkReceived(_ uplink: ApplicationUplink) async {
            if let gate { await gate.pass() }
            await recording.uplinkReceived(uplink)
        }
        func downlinkUpdated(_ event: ApplicationDownlinkEvent) async { await recording.downlinkUpdated(event) }
        func networkEvent(_ event: NetworkEvent) async { await recording.networkEvent(event) }
    }

    /// The in-memory store, answering a DevAddr's sessions after a random few milliseconds, as a
    /// database does: the first frames of a device wait for that read (the session cache is cold), and
    /// whichever read comes back first would win if they were processed at the same time.
    final class JitteryStore: NetworkSessionStore, Sendable {
        let store: InMemoryNetworkStore

        init(_ store: InMemoryNetworkStore) { self.store = store }

        func sessions(devAddr: DevAddr) async throws -> [NetworkSession] {
            try await Task.sleep(for: .milliseconds(Int.random(in: 0 ... 8)))
            return try await store.sessions(devAddr: devAddr)
        }
        func session(devEUI: EUI64) async throws -> NetworkSession? { try await store.session(devEUI: devEUI) }
        func activate(_ sessions: [NetworkSession]) async throws { try await store.activate(sessions) }
        func update(_ updates: [NetworkSessionUpdate]) async throws -> [Bool] { try await store.update(updates) }
        func deleteSession(devEUI: EUI64) async throws { try await store.deleteSession(devEUI: devEUI) }
    }

    struct Harness {
        let server: NetworkServer
        let store = InMemoryNetworkStore()
        let application: SlowApplication

        init(workers: Int, backlog: Int, gate: TestGate? = nil, sessions: [NetworkSession]) async throws {
            application = SlowApplication(gate: gate)
            server = NetworkServer(
                configuration: NetworkServerConfiguration(
                    netID: NetID(0)!, deduplicationWindow: .milliseconds(20), uplinkWorkers: workers, maximumUplinkBacklog: backlog),
                devices: store, sessions: JitteryStore(store), downlinks: store, joinService: UnreachableJoinService(), keks: KEKRing([]),
                gateways: RecordingGateways(connected: [gatewayA, gatewayB]), gatewayRegion: { _ in .eu868 },
                application: application, logger: Logger(label: "test"))
            for session in sessions { try await store.activate(session) }
        }

        var uplinks: [ApplicationUplink] { application.recording.uplinks }
        var replays: Int { application.recording.networkEvents.filter { $0.kind == .replayDropped }.count }

        /// One frame as `gateways` hear it. Each copy waits while the backlog is full, copies of a frame
        /// already collecting too, so the tests that hold frames in flight on purpose send one copy.
        func hear(_ bytes: [UInt8], by gateways: [EUI64] = [gatewayA, gatewayB]) async {
            for gateway in gateways {
                await server.uplinkReceived(GatewayUplink(gatewayEUI: gateway, phyPayload: bytes, metadata: Fixture.metadata()))
            }
        }

        func fCnts(of devEUI: EUI64) -> [UInt32] { uplinks.filter { $0.devEUI == devEUI }.map(\.fCnt) }
    }

    /// `count` devices, each with its own DevEUI and DevAddr.
    static func sessions(_ count: Int) throws -> [NetworkSession] {
        try (0 ..< count).map { index in
            try Fixture.session(devAddr: DevAddr(0x2601_0000 + UInt32(index)), devEUI: EUI64(0x0004_A30B_0000_0000 + UInt64(index)))
        }
    }

    @Test(
        "every device's burst of frames, sent in FCnt order while many devices send at once, is accepted in that order",
        arguments: [
            10_000,  // everything fits: a device's frames are in the backlog together
            16,  // far below the offered frames: the readers wait for room most of the time
        ])
    func burstsOfManyDevicesAreAllAccepted(backlog: Int) async throws {
        let sessions = try Self.sessions(40)
        let perDevice = 15
        let harness = try await Harness(workers: 8, backlog: backlog, sessions: sessions)
        let frames = try sessions.map { session in try (1 ... perDevice).map { try Fixture.uplink(for: session, fCnt: UInt32($0)) } }
        await withTaskGroup(of: Void.self) { group in
            for burst in frames {
                // One copy per frame: with a second gateway's copy, a sender descheduled for longer
                // than the late-copy memory (1 s, possible on a saturated test machine) would make
                // that copy a replay of its own frame, which is right but not what this test is about.
                group.addTask { for frame in burst { await harness.hear(frame, by: [Self.gatewayA]) } }
            }
        }
        try await waitUntil("every frame processed") {
            harness.uplinks.count + harness.application.recording.networkEvents.count >= sessions.count * perDevice
        }
        #expect(harness.replays == 0)
        #expect(harness.uplinks.count == sessions.count * perDevice)
        for session in sessions {
            #expect(harness.fCnts(of: session.devEUI) == (1 ... perDevice).map(UInt32.init), "device \(session.devEUI)")
            #expect(harness.store.stored(session.devEUI)?.fCntUp == UInt32(perDevice))
        }
        #expect(harness.server.uplinkWorkerCount <= 8)
        await harness.server.stop()
    }

    @Test("a full backlog makes uplinkReceived wait until a worker makes room, then it goes on")
    func fullBacklogHoldsTheReaderBack() async throws {
        let session = try Fixture.session()
        let gate = TestGate()
        let harness = try await Harness(workers: 1, backlog: 2, gate: gate, sessions: [session])
        let frames = try (1 ... 4).map { try Fixture.uplink(for: session, fCnt: UInt32($0)) }

        await harness.hear(frames[0], by: [Self.gatewayA])
        try await waitUntil("FCnt 1 in flight") { gate.arrivals == 1 }
        await harness.hear(frames[1], by: [Self.gatewayA])
        await harness.hear(frames[2], by: [Self.gatewayA])
        #expect(harness.server.uplinkBacklog == 2)

        let returned = Mutex(false)
        let reader = Task {
            await harness.hear(frames[3], by: [Self.gatewayA])
            returned.withLock { $0 = true }
        }
        try await waitUntil("the reader waiting for room") { harness.server.readersWaitingForBacklog == 1 }
        try await letOthersRun()
        #expect(!returned.withLock { $0 })
        #expect(harness.server.uplinkBacklog == 2)

        gate.open()
        await reader.value
        try await waitUntil("every frame processed") { harness.uplinks.count == 4 }
        #expect(harness.fCnts(of: Fixture.devEUI) == [1, 2, 3, 4])
        #expect(harness.replays == 0)
        try await waitUntil("the backlog empty") { harness.server.uplinkBacklog == 0 }
        await harness.server.stop()
    }

    @Test("stop with frames in flight finishes them and every frame taken in, then takes no more")
    func stopWithFramesInFlight() async throws {
        let sessions = try Self.sessions(3)
        let gate = TestGate()
        let harness = try await Harness(workers: 2, backlog: 100, gate: gate, sessions: sessions)
        for fCnt in 1 ... 3 {
            for session in sessions { await harness.hear(try Fixture.uplink(for: session, fCnt: UInt32(fCnt))) }
        }
        try await waitUntil("two frames in flight") { gate.arrivals == 2 }

        let stopped = Mutex(false)
        let stopping = Task {
            await harness.server.stop()
            stopped.withLock { $0 = true }
        }
        try await letOthersRun()
        #expect(!stopped.withLock { $0 })

        gate.open()
        await stopping.value
        #expect(harness.uplinks.count == 9)
        #expect(harness.replays == 0)
        #expect(harness.server.uplinkWorkerCount == 0)

        // Stopped: a copy is not taken in, and nothing waits.
        await harness.hear(try Fixture.uplink(for: sessions[0], fCnt: 4))
        #expect(harness.server.uplinkBacklog == 0)
        #expect(harness.server.uplinkWorkerCount == 0)
    }

    @Test("stop releases the readers waiting for room")
    func stopReleasesWaitingReaders() async throws {
        let session = try Fixture.session()
        let gate = TestGate()
        let harness = try await Harness(workers: 1, backlog: 1, gate: gate, sessions: [session])
        await harness.hear(try Fixture.uplink(for: session, fCnt: 1), by: [Self.gatewayA])
        try await waitUntil("FCnt 1 in flight") { gate.arrivals == 1 }
        await harness.hear(try Fixture.uplink(for: session, fCnt: 2), by: [Self.gatewayA])
        // Both gateways' copies: the first waits and is refused at stop, the second is refused at once.
        let reader = Task { await harness.hear(try Fixture.uplink(for: session, fCnt: 3)) }
        try await waitUntil("the reader waiting for room") { harness.server.readersWaitingForBacklog == 1 }

        let stopping = Task { await harness.server.stop() }
        try await reader.value
        gate.open()
        await stopping.value
        // What was taken in was processed; the refused copy was not.
        #expect(harness.fCnts(of: Fixture.devEUI) == [1, 2])
        #expect(harness.server.uplinkWorkerCount == 0)
    }
}
