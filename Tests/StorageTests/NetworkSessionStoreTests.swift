import BackendInterfaces
import Foundation
import LoRaWAN
import NetworkServer
import SQLKit
@testable import Storage
import Testing

@Suite("Network session store")
struct NetworkSessionStoreTests {
    @Test("1.0 and 1.1 sessions with non-default MAC state round-trip whole", arguments: Backend.available)
    func roundTrip(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let sessions = [
                try NetworkFixture.busySession(1, version: .v1_0_3), try NetworkFixture.busySession(2, version: .v1_1),
                try NetworkFixture.busySession(3, version: .v1_0_4, region: .us915), try NetworkFixture.busySession(4, version: .v1_1, region: .as923_1),
                NetworkFixture.session(5, version: .v1_0_2), NetworkFixture.session(6, version: .v1_1, region: .au915),
            ]
            for session in sessions { try await store.networkSessions.activate(session) }
            for session in sessions {
                let read = try #require(try await store.networkSessions.session(devEUI: session.devEUI))
                #expect(read == session)
                // `==` compares keys in constant time; compare the bytes as well, to be sure which keys came back.
                #expect(NetworkSessionRows.plaintext(read.keys) == NetworkSessionRows.plaintext(session.keys))
                #expect(read.provisionedMACSettings == session.provisionedMACSettings)
            }
            #expect(try await store.networkSessions.session(devEUI: NetworkFixture.devEUI(99)) == nil)
        }
    }

    @Test("the sessions of a DevAddr are the uplink's candidates: two devices may share one", arguments: Backend.available)
    func candidatesByDevAddr(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let shared = DevAddr(0x2601_0001)
            let first = NetworkFixture.session(1, version: .v1_1, devAddr: shared)
            let second = NetworkFixture.session(2, version: .v1_0_3, devAddr: shared)
            let other = NetworkFixture.session(3, devAddr: DevAddr(0x2601_0002))
            for session in [second, other, first] { try await store.networkSessions.activate(session) }

            #expect(try await store.networkSessions.sessions(devAddr: shared) == [first, second])
            #expect(try await store.networkSessions.sessions(devAddr: other.devAddr) == [other])
            #expect(try await store.networkSessions.sessions(devAddr: DevAddr(0x2601_0003)).isEmpty)

            // A rejoin moves device 2 to a new DevAddr: it is no longer a candidate for the old one.
            let rejoined = NetworkFixture.session(2, version: .v1_0_3, devAddr: DevAddr(0x2601_0003))
            try await store.networkSessions.activate(rejoined)
            #expect(try await store.networkSessions.sessions(devAddr: shared) == [first])
            #expect(try await store.networkSessions.sessions(devAddr: rejoined.devAddr) == [rejoined])
        }
    }

    @Test("a batch of activations replaces each device's session and drops its queued downlinks; a device listed twice keeps the later", arguments: Backend.available)
    func batchedActivation(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            for n: UInt64 in 1...4 { try await store.networkDevices.save(NetworkFixture.device(n)) }
            let earlier = (1...3 as ClosedRange<UInt64>).map { NetworkFixture.session($0, devAddr: DevAddr(0x2601_0010)) }
            for session in earlier { try await store.networkSessions.activate(session) }
            for n: UInt64 in [1, 2, 4] {
                try await store.networkDownlinks.enqueue(NetworkFixture.downlink(n, fCnt: 1, sessionKeyID: earlier[0].sessionKeyID))
            }

            let first = NetworkFixture.session(1, version: .v1_0_3, devAddr: DevAddr(0x2601_0021))
            let secondSuperseded = NetworkFixture.session(2, devAddr: DevAddr(0x2601_0022))
            let second = NetworkFixture.session(2, version: .v1_0_4, devAddr: DevAddr(0x2601_0023))
            let fresh = NetworkFixture.session(5, devAddr: DevAddr(0x2601_0025))
            try await store.networkSessions.activate([first, secondSuperseded, fresh, second])

            #expect(try await store.networkSessions.session(devEUI: first.devEUI) == first)
            #expect(try await store.networkSessions.session(devEUI: second.devEUI) == second)
            #expect(try await store.networkSessions.session(devEUI: fresh.devEUI) == fresh)
            #expect(try await store.networkSessions.session(devEUI: earlier[2].devEUI) == earlier[2], "not in the batch")
            #expect(try await store.networkSessions.sessions(devAddr: DevAddr(0x2601_0022)).isEmpty)
            #expect(try await store.networkDownlinks.queued(devEUI: NetworkFixture.devEUI(1)).isEmpty)
            #expect(try await store.networkDownlinks.queued(devEUI: NetworkFixture.devEUI(2)).isEmpty)
            #expect(try await store.networkDownlinks.queued(devEUI: NetworkFixture.devEUI(4)).count == 1, "not in the batch")
            try await store.networkSessions.activate([])
        }
    }

    @Test("an uplink's update stores counters, ADR and data rate; a MAC update stores the whole session", arguments: Backend.available)
    func updateStores(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let session = try NetworkFixture.busySession(1, version: .v1_1)
            try await store.networkSessions.activate(session)

            // The device moved to DR3 on its own: the uplink path changes the data rate without a MAC change.
            var uplink = session.afterUplink(65_540, confirmed: true, snr: -3.25, dataRate: .dr3)
            uplink.pendingConfirmedDownlinkID = nil
            uplink.downlinkCounters.spend(70_000, of: .aFCntDown)
            #expect(try await store.networkSessions.update([NetworkSessionUpdate(session: uplink, macStateChanged: false)]) == [true])
            #expect(try await store.networkSessions.session(devEUI: session.devEUI) == uplink)

            var mac = uplink
            mac.pendingMACRequests = [.dutyCycleReq(maxDutyCycle: MaxDutyCycle(truncatingIfNeeded: 2))]
            mac.macSettings.enabledUplinkChannels = [0, 1]
            mac.macSettings.pingSlotPeriodicity = nil
            mac.deviceStatus = nil
            mac.devAddr = DevAddr(0x2601_7777)
            mac.pendingConfirmedDownlinkID = UUID()
            mac.lastConfirmedDownlinkFCnt = 12
            mac.downlinkCounters.spend(12, of: .nFCntDown)
            #expect(try await store.networkSessions.update([NetworkSessionUpdate(session: mac, macStateChanged: true)]) == [true])
            #expect(try await store.networkSessions.session(devEUI: session.devEUI) == mac)
            #expect(try await store.networkSessions.sessions(devAddr: mac.devAddr) == [mac])

            // Counter-only means counter-only: a MAC change passed as `false` is not written.
            var unflagged = mac.afterUplink(65_541)
            unflagged.macSettings.maxDutyCycle = MaxDutyCycle(truncatingIfNeeded: 1)
            #expect(try await store.networkSessions.update([NetworkSessionUpdate(session: unflagged, macStateChanged: false)]) == [true])
            let read = try #require(try await store.networkSessions.session(devEUI: session.devEUI))
            #expect(read.fCntUp == 65_541)
            #expect(read.macSettings == mac.macSettings)
        }
    }

    @Test("an update behind a stored counter returns false and stores nothing", arguments: Backend.available)
    func counterGuard(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let legacy = NetworkFixture.session(1, version: .v1_0_3).afterUplink(10)
            let current = NetworkFixture.session(2, version: .v1_1).afterUplink(10)
            for session in [legacy, current] { try await store.networkSessions.activate(session) }

            // FCntUp lower than stored, equal (a retransmission's update) and higher.
            var lower = legacy.withFCntUp(9)
            lower.adrEnabled = false
            #expect(try await store.networkSessions.update([NetworkSessionUpdate(session: lower, macStateChanged: true)]) == [false])
            #expect(try await store.networkSessions.session(devEUI: legacy.devEUI) == legacy)
            #expect(try await store.networkSessions.update([NetworkSessionUpdate(session: legacy, macStateChanged: false)]) == [true])

            // Accepting a new uplink needs the stored FCntUp strictly below: a second instance that
            // heard the same frame through another gateway is refused.
            #expect(try await store.networkSessions.update([
                NetworkSessionUpdate(session: legacy, macStateChanged: false, advancesUplinkCounter: true),
            ]) == [false])
            #expect(try await store.networkSessions.update([
                NetworkSessionUpdate(session: legacy.afterUplink(11), macStateChanged: false, advancesUplinkCounter: true),
                NetworkSessionUpdate(session: legacy.afterUplink(11), macStateChanged: false, advancesUplinkCounter: true),
            ]) == [true, false])
            try await store.networkSessions.activate(legacy)

            // No FCntUp at all (a session stored before its first uplink) is behind any stored one.
            #expect(try await store.networkSessions.update([NetworkSessionUpdate(session: legacy.withFCntUp(nil), macStateChanged: false)]) == [false])

            // Each downlink counter: FCntDown (1.0), NFCntDown and AFCntDown (1.1).
            var spent = legacy
            spent.downlinkCounters.spend(4, of: .fCntDown)
            #expect(try await store.networkSessions.update([NetworkSessionUpdate(session: spent, macStateChanged: false)]) == [true])
            #expect(try await store.networkSessions.update([NetworkSessionUpdate(session: legacy.afterUplink(11), macStateChanged: false)]) == [false])
            #expect(try await store.networkSessions.session(devEUI: legacy.devEUI) == spent)

            var network = current
            network.downlinkCounters.spend(0, of: .nFCntDown)
            var application = current
            application.downlinkCounters.spend(0, of: .aFCntDown)
            #expect(try await store.networkSessions.update([NetworkSessionUpdate(session: network, macStateChanged: false)]) == [true])
            #expect(try await store.networkSessions.update([NetworkSessionUpdate(session: application, macStateChanged: false)]) == [false])
            #expect(try await store.networkSessions.session(devEUI: current.devEUI) == network)
        }
    }

    @Test("an update for another SessionKeyID returns false: the device rejoined meanwhile", arguments: Backend.available)
    func otherSessionKeyID(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let old = NetworkFixture.session(1)
            try await store.networkSessions.activate(old)
            let rejoined = NetworkFixture.session(1)
            try await store.networkSessions.activate(rejoined)

            #expect(try await store.networkSessions.update([NetworkSessionUpdate(session: old.afterUplink(1), macStateChanged: false)]) == [false])
            #expect(try await store.networkSessions.update([NetworkSessionUpdate(session: old.afterUplink(1), macStateChanged: true)]) == [false])
            #expect(try await store.networkSessions.session(devEUI: old.devEUI) == rejoined)
            // And a device without a session.
            #expect(try await store.networkSessions.update([NetworkSessionUpdate(session: NetworkFixture.session(2).afterUplink(1), macStateChanged: false)]) == [false])
        }
    }

    @Test("a batch has one outcome per update, in order; a device's updates apply in batch order", arguments: Backend.available)
    func mixedBatch(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let sessions = (1...4).map { NetworkFixture.session($0, version: $0 % 2 == 0 ? .v1_1 : .v1_0_3).afterUplink(100) }
            for session in sessions { try await store.networkSessions.activate(session) }
            let foreign = NetworkFixture.session(1)  // device 1, another SessionKeyID

            let batch = [
                NetworkSessionUpdate(session: sessions[0].afterUplink(101), macStateChanged: false),
                NetworkSessionUpdate(session: sessions[1].withFCntUp(99), macStateChanged: false),  // behind
                NetworkSessionUpdate(session: sessions[0].afterUplink(102), macStateChanged: true),  // same device, later
                NetworkSessionUpdate(session: sessions[0].afterUplink(101), macStateChanged: false),  // behind the one before
                NetworkSessionUpdate(session: foreign.afterUplink(200), macStateChanged: false),  // other session
                NetworkSessionUpdate(session: sessions[2].afterUplink(150), macStateChanged: true),
                NetworkSessionUpdate(session: sessions[3].afterUplink(100), macStateChanged: false),  // equal: applies
            ]
            #expect(try await store.networkSessions.update(batch) == [true, false, true, false, false, true, true])
            #expect(try await store.networkSessions.session(devEUI: sessions[0].devEUI) == sessions[0].afterUplink(102))
            #expect(try await store.networkSessions.session(devEUI: sessions[1].devEUI) == sessions[1])
            #expect(try await store.networkSessions.session(devEUI: sessions[2].devEUI) == sessions[2].afterUplink(150))
            #expect(try await store.networkSessions.update([]) == [])
        }
    }

    @Test("a batch larger than one statement: 1,200 devices, every second update behind", arguments: Backend.available)
    func largeBatch(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let sessions = (1...1_200).map { NetworkFixture.session(UInt64($0), version: $0 % 2 == 0 ? .v1_1 : .v1_0_3).afterUplink(50) }
            for session in sessions { try await store.networkSessions.activate(session) }
            let batch = sessions.enumerated().map { index, session in
                NetworkSessionUpdate(session: index % 2 == 0 ? session.afterUplink(51) : session.withFCntUp(49), macStateChanged: index % 3 == 0)
            }
            let outcomes = try await store.networkSessions.update(batch)
            #expect(outcomes == (0..<1_200).map { $0 % 2 == 0 })
            for index in [0, 1, 599, 600, 1_199] {
                let read = try await store.networkSessions.session(devEUI: sessions[index].devEUI)
                #expect(read?.fCntUp == (index % 2 == 0 ? 51 : 50))
            }
        }
    }

    @Test("counters survive closing and reopening the store", arguments: Backend.available)
    func countersSurviveReopen(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            let legacy = try NetworkFixture.busySession(1, version: .v1_0_3)
            let current = try NetworkFixture.busySession(2, version: .v1_1)
            for session in [legacy, current] { try await store.networkSessions.activate(session) }
            var legacyNext = legacy.afterUplink(4_000_000_000, confirmed: true)
            legacyNext.downlinkCounters.spend(4_000_000_001, of: .fCntDown)
            var currentNext = current.afterUplink(70_000)
            currentNext.downlinkCounters.spend(80_000, of: .aFCntDown)
            currentNext.downlinkCounters.spend(13, of: .nFCntDown)
            let updates = [NetworkSessionUpdate(session: legacyNext, macStateChanged: false), NetworkSessionUpdate(session: currentNext, macStateChanged: true)]
            #expect(try await store.networkSessions.update(updates) == [true, true])
            await store.close()

            let reopened = try await database.open()
            #expect(try await reopened.networkSessions.session(devEUI: legacy.devEUI) == legacyNext)
            #expect(try await reopened.networkSessions.session(devEUI: current.devEUI) == currentNext)
            // And the guard holds against the reopened state.
            #expect(try await reopened.networkSessions.update([NetworkSessionUpdate(session: legacy.afterUplink(65_534), macStateChanged: false)]) == [false])
            await reopened.close()
        }
    }

    @Test("activating a session replaces the old one and clears the device's queued downlinks only", arguments: Backend.available)
    func activateClearsQueue(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let old = try NetworkFixture.busySession(1, version: .v1_1)
            try await store.networkSessions.activate(old)
            for fCnt: UInt32 in [1, 2, 3] { try await store.networkDownlinks.enqueue(NetworkFixture.downlink(1, fCnt: fCnt, sessionKeyID: old.sessionKeyID)) }
            let neighbour = NetworkFixture.downlink(2, fCnt: 1)
            try await store.networkDownlinks.enqueue(neighbour)

            let fresh = NetworkFixture.session(1, version: .v1_1, devAddr: DevAddr(0x2601_0100))
            try await store.networkSessions.activate(fresh)
            #expect(try await store.networkSessions.session(devEUI: fresh.devEUI) == fresh)
            #expect(try await store.networkSessions.sessions(devAddr: old.devAddr).isEmpty)
            #expect(try await store.networkDownlinks.queued(devEUI: fresh.devEUI).isEmpty)
            #expect(try await store.networkDownlinks.queued(devEUI: neighbour.devEUI) == [neighbour])
            // The counters start over with the new session: an update from zero applies.
            #expect(try await store.networkSessions.update([NetworkSessionUpdate(session: fresh.afterUplink(0), macStateChanged: false)]) == [true])
        }
    }

    @Test("deleting a session removes its queued downlinks too", arguments: Backend.available)
    func deleteSession(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let session = NetworkFixture.session(1)
            try await store.networkSessions.activate(session)
            try await store.networkDownlinks.enqueue(NetworkFixture.downlink(1, fCnt: 1, sessionKeyID: session.sessionKeyID))
            try await store.networkSessions.deleteSession(devEUI: session.devEUI)
            #expect(try await store.networkSessions.session(devEUI: session.devEUI) == nil)
            #expect(try await store.networkDownlinks.queued(devEUI: session.devEUI).isEmpty)
            try await store.networkSessions.deleteSession(devEUI: session.devEUI)
        }
    }

    @Test("network keys sealed for one device do not open as another's", arguments: Backend.available)
    func sealedKeysBoundToRow(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            for n: UInt64 in [1, 2] { try await store.networkSessions.activate(NetworkFixture.session(n)) }
            try await store.engine.transaction { sql in
                try await sql.raw("""
                    UPDATE ns_sessions SET keys_sealed = (SELECT keys_sealed FROM ns_sessions WHERE dev_eui = \(bind: NetworkFixture.devEUI(1).description))
                    WHERE dev_eui = \(bind: NetworkFixture.devEUI(2).description)
                    """).run()
            }
            await #expect(throws: StorageError.secretRejected(table: "ns_sessions", row: NetworkFixture.devEUI(2).description)) {
                _ = try await store.networkSessions.session(devEUI: NetworkFixture.devEUI(2))
            }
        }
    }
}

@Suite("Network session store: the stored documents")
struct NetworkSessionStoreDocumentTests {
    @Test("the MAC state document round-trips, and every cut-short or altered copy is refused or read, never a crash")
    func macStateDocument() throws {
        for session in [try NetworkFixture.busySession(1, version: .v1_1, region: .us915), NetworkFixture.session(2, version: .v1_0_2)] {
            let document = NetworkSessionDocument(session)
            let bytes = document.encoded()
            #expect(try NetworkSessionDocument(decoding: bytes) == document)
            for length in 0..<bytes.count {
                #expect(throws: StorageError.self) { try NetworkSessionDocument(decoding: Array(bytes.prefix(length))) }
            }
            #expect(throws: StorageError.self) { try NetworkSessionDocument(decoding: bytes + [0]) }
            var newer = bytes
            newer[0] = NetworkSessionDocument.currentVersion + 1
            #expect(throws: StorageError.self) { try NetworkSessionDocument(decoding: newer) }
            for index in bytes.indices {
                for bit in 0..<8 {
                    var altered = bytes
                    altered[index] ^= 1 << bit
                    do {
                        _ = try NetworkSessionDocument(decoding: altered)
                    } catch {
                        // Any failure is a typed storage error.
                    }
                }
            }
        }
    }

    @Test("a version 1 MAC state document, stored before refusals and ForceRejoinReq were kept, still reads, with neither")
    func macStateVersion1() throws {
        var session = try NetworkFixture.busySession(1, version: .v1_1, region: .us915)
        session.macReconciliation = MACReconciliation()
        let current = NetworkSessionDocument(session).encoded()
        // Version 2 is version 1 followed by the reconciliation: no refusal (count 0), no ForceRejoinReq (flag 0).
        #expect(current.suffix(2) == [0, 0])
        let version1 = [1] + current.dropFirst().dropLast(2)
        let read = try NetworkSessionDocument(decoding: Array(version1))
        #expect(read == NetworkSessionDocument(session))
        #expect(read.macReconciliation.isEmpty)
        #expect(throws: StorageError.self) { try NetworkSessionDocument(decoding: Array(version1) + [0, 0]) }
    }

    @Test("the desired MAC settings document round-trips, is absent (NULL) without wishes, and a damaged copy is refused or read")
    func desiredMACSettingsDocument() throws {
        #expect(DesiredMACSettingsDocument.encode(DesiredMACSettings()) == nil)
        for desired in [NetworkFixture.desired(), DesiredMACSettings(maxDutyCycle: MaxDutyCycle(truncatingIfNeeded: 0)),
                        DesiredMACSettings(rx2Frequency: Frequency(hertz: 923_300_000))] {
            let bytes = try #require(DesiredMACSettingsDocument.encode(desired))
            #expect(try DesiredMACSettingsDocument.decode(bytes) == desired)
            for length in 0..<bytes.count {
                #expect(throws: StorageError.self) { try DesiredMACSettingsDocument.decode(Array(bytes.prefix(length))) }
            }
            for index in bytes.indices {
                for bit in 0..<8 {
                    var altered = bytes
                    altered[index] ^= 1 << bit
                    _ = try? DesiredMACSettingsDocument.decode(altered)
                }
            }
        }
    }

    @Test("the ADR history round-trips exactly, negative and fractional SNRs included, and a cut-short copy is refused")
    func adrHistory() throws {
        let session = try NetworkFixture.busySession(1, version: .v1_0_3)
        for history in [session.adrHistory, UplinkSignalHistory(), UplinkSignalHistory(capacity: 3, entries: session.adrHistory.entries)] {
            let bytes = ADRHistoryDocument.encode(history)
            #expect(try ADRHistoryDocument.decode(bytes) == history)
            for length in 0..<bytes.count {
                #expect(throws: StorageError.self) { try ADRHistoryDocument.decode(Array(bytes.prefix(length))) }
            }
        }
    }
}
