import ApplicationServer
import Foundation
import LoRaWAN
import SQLKit
@testable import Storage
import Testing

@Suite("Application session store")
struct ApplicationSessionStoreTests {
    @Test("a session round-trips with its AppSKey and is found by DevEUI and SessionKeyID only", arguments: Backend.available)
    func roundTrip(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let sessions = store.applicationSessions
            let session = ApplicationFixture.session(1, keyID: 0xA1)
            try await sessions.store(session)

            let found = try #require(try await sessions.session(devEUI: session.devEUI, sessionKeyID: session.sessionKeyID))
            #expect(found == session)
            #expect(found.appSKey.exportBytes() == session.appSKey.exportBytes())
            #expect(try await sessions.latestSession(devEUI: session.devEUI) == session)

            #expect(try await sessions.session(devEUI: session.devEUI, sessionKeyID: Array(repeating: 0xA2, count: 16)) == nil)
            #expect(try await sessions.session(devEUI: ApplicationFixture.devEUI(2), sessionKeyID: session.sessionKeyID) == nil)
            #expect(try await sessions.latestSession(devEUI: ApplicationFixture.devEUI(2)) == nil)
        }
    }

    @Test("an ABP session keeps its ABP mark; a session stored again takes the new mark", arguments: Backend.available)
    func abpMark(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let sessions = store.applicationSessions
            var abp = ApplicationFixture.session(3, keyID: 0xB1)
            abp.isABP = true
            let otaa = ApplicationFixture.session(4, keyID: 0xB2)
            try await sessions.store(abp)
            try await sessions.store(otaa)
            #expect(try await sessions.session(devEUI: abp.devEUI, sessionKeyID: abp.sessionKeyID)?.isABP == true)
            #expect(try await sessions.latestSession(devEUI: otaa.devEUI)?.isABP == false)
            abp.isABP = false
            try await sessions.store(abp)
            #expect(try await sessions.latestSession(devEUI: abp.devEUI)?.isABP == false)
        }
    }

    @Test("a device keeps its latest two sessions: storing a third drops the oldest", arguments: Backend.available)
    func keepsTwo(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let sessions = store.applicationSessions
            // The same creation time for all three: "latest" is the order they were stored in.
            let first = ApplicationFixture.session(1, keyID: 1)
            let second = ApplicationFixture.session(1, keyID: 2)
            let third = ApplicationFixture.session(1, keyID: 3)
            let otherDevice = ApplicationFixture.session(2, keyID: 1)
            try await sessions.store(otherDevice)
            try await sessions.store(first)
            try await sessions.store(second)
            #expect(try await sessions.session(devEUI: first.devEUI, sessionKeyID: first.sessionKeyID) == first)
            #expect(try await sessions.latestSession(devEUI: first.devEUI) == second)

            try await sessions.store(third)
            #expect(try await sessions.session(devEUI: first.devEUI, sessionKeyID: first.sessionKeyID) == nil)
            #expect(try await sessions.session(devEUI: second.devEUI, sessionKeyID: second.sessionKeyID) == second)
            #expect(try await sessions.session(devEUI: third.devEUI, sessionKeyID: third.sessionKeyID) == third)
            #expect(try await sessions.latestSession(devEUI: first.devEUI) == third)
            #expect(try await countRows("application_sessions", in: store, where: "dev_eui = \(bind: first.devEUI.description)") == 2)
            // Another device's sessions are its own.
            #expect(try await sessions.latestSession(devEUI: otherDevice.devEUI) == otherDevice)
        }
    }

    @Test("storing a session with a stored SessionKeyID replaces it and makes it the latest, keeping the other", arguments: Backend.available)
    func replacesSameSessionKeyID(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let sessions = store.applicationSessions
            let first = ApplicationFixture.session(1, keyID: 1)
            let second = ApplicationFixture.session(1, keyID: 2)
            try await sessions.store(first)
            try await sessions.store(second)

            var replacement = ApplicationFixture.session(1, keyID: 1, at: 60)
            replacement.devAddr = DevAddr(0x2600_FFFF)
            try await sessions.store(replacement)
            #expect(try await sessions.session(devEUI: first.devEUI, sessionKeyID: first.sessionKeyID) == replacement)
            #expect(try await sessions.session(devEUI: second.devEUI, sessionKeyID: second.sessionKeyID) == second, "the replacement is no third session")
            #expect(try await sessions.latestSession(devEUI: first.devEUI) == replacement)
            #expect(try await countRows("application_sessions", in: store) == 2)

            // A new session now drops `second`, which is older than the replaced one.
            let third = ApplicationFixture.session(1, keyID: 3)
            try await sessions.store(third)
            #expect(try await sessions.session(devEUI: second.devEUI, sessionKeyID: second.sessionKeyID) == nil)
            #expect(try await sessions.session(devEUI: first.devEUI, sessionKeyID: first.sessionKeyID) == replacement)
        }
    }

    @Test("a batch stores its sessions as storing them one by one would: in order, the latest two per device, a repeated one once", arguments: Backend.available)
    func batch(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let sessions = store.applicationSessions
            let earlier = ApplicationFixture.session(1, keyID: 1)
            try await sessions.store(earlier)
            let second = ApplicationFixture.session(1, keyID: 2)
            let third = ApplicationFixture.session(1, keyID: 3)
            let alone = ApplicationFixture.session(3, keyID: 1)
            let stale = ApplicationFixture.session(2, keyID: 1)
            let other = ApplicationFixture.session(2, keyID: 2)
            var replacement = ApplicationFixture.session(2, keyID: 1, at: 60)
            replacement.devAddr = DevAddr(0x2600_FFFF)
            try await sessions.store([second, alone, stale, third, other, replacement])
            try await sessions.store([])

            #expect(try await sessions.session(devEUI: earlier.devEUI, sessionKeyID: earlier.sessionKeyID) == nil, "a third session drops the oldest")
            #expect(try await sessions.session(devEUI: second.devEUI, sessionKeyID: second.sessionKeyID) == second)
            #expect(try await sessions.latestSession(devEUI: third.devEUI) == third)
            #expect(try await sessions.latestSession(devEUI: alone.devEUI) == alone)
            // Stored twice in one batch: the later one, at its place, so it is the latest.
            #expect(try await sessions.session(devEUI: stale.devEUI, sessionKeyID: stale.sessionKeyID) == replacement)
            #expect(try await sessions.latestSession(devEUI: other.devEUI) == replacement)
            #expect(try await sessions.session(devEUI: other.devEUI, sessionKeyID: other.sessionKeyID) == other)
            #expect(try await countRows("application_sessions", in: store) == 5)
        }
    }

    @Test("a batch of many devices, larger than one statement, stores every session", arguments: Backend.available)
    func largeBatch(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            let batch = (0..<1_200).map { ApplicationFixture.session(UInt64($0 % 700), keyID: UInt8($0 / 700 + 1)) }
            try await store.applicationSessions.store(batch)
            let reopened = try await database.open()
            for session in batch {
                #expect(try await reopened.applicationSessions.session(devEUI: session.devEUI, sessionKeyID: session.sessionKeyID) == session)
            }
            #expect(try await reopened.applicationSessions.latestSession(devEUI: ApplicationFixture.devEUI(0)) == batch[700])
            await reopened.close()
            #expect(try await countRows("application_sessions", in: store) == 1_200)
        }
    }

    @Test("deleting a device's sessions forgets all of them and no other device's", arguments: Backend.available)
    func deleteSessions(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let sessions = store.applicationSessions
            for keyID: UInt8 in [1, 2] { try await sessions.store(ApplicationFixture.session(1, keyID: keyID)) }
            let kept = ApplicationFixture.session(2, keyID: 1)
            try await sessions.store(kept)

            try await sessions.deleteSessions(devEUI: ApplicationFixture.devEUI(1))
            #expect(try await sessions.latestSession(devEUI: ApplicationFixture.devEUI(1)) == nil)
            #expect(try await sessions.session(devEUI: ApplicationFixture.devEUI(1), sessionKeyID: Array(repeating: 1, count: 16)) == nil)
            #expect(try await sessions.latestSession(devEUI: kept.devEUI) == kept)
            // Deleting again, or a device without sessions, is fine.
            try await sessions.deleteSessions(devEUI: ApplicationFixture.devEUI(1))
            try await sessions.deleteSessions(devEUI: ApplicationFixture.devEUI(9))

            // A device that joins again starts over.
            let rejoined = ApplicationFixture.session(1, keyID: 7)
            try await sessions.store(rejoined)
            #expect(try await sessions.latestSession(devEUI: rejoined.devEUI) == rejoined)
        }
    }

    @Test("sessions of one device stored at once, from two store instances, still leave the latest two", arguments: Backend.available)
    func concurrentStores(backend: Backend) async throws {
        try await withStore(backend) { store, database in
            let second = try await database.open()
            let sessions = (1...24).map { ApplicationFixture.session(1, keyID: UInt8($0)) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, session) in sessions.enumerated() {
                    let target = index.isMultiple(of: 2) ? store.applicationSessions : second.applicationSessions
                    group.addTask { try await target.store(session) }
                }
                try await group.waitForAll()
            }
            await second.close()
            #expect(try await countRows("application_sessions", in: store) == 2)
            let latest = try #require(try await store.applicationSessions.latestSession(devEUI: ApplicationFixture.devEUI(1)))
            #expect(sessions.contains(latest))
        }
    }

    @Test("an AppSKey sealed for one session does not open as another's", arguments: Backend.available)
    func sealedKeysAreBoundToTheirRow(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let victim = ApplicationFixture.session(1, keyID: 1)
            let donor = ApplicationFixture.session(2, keyID: 1)
            try await store.applicationSessions.store(victim)
            try await store.applicationSessions.store(donor)
            let victimRow = ApplicationSessionRows.id(devEUI: victim.devEUI, sessionKeyID: victim.sessionKeyID)
            let donorRow = ApplicationSessionRows.id(devEUI: donor.devEUI, sessionKeyID: donor.sessionKeyID)
            try await store.engine.transaction { sql in
                try await sql.raw("""
                    UPDATE application_sessions SET app_s_key_sealed = (SELECT app_s_key_sealed FROM application_sessions WHERE id = \(bind: donorRow))
                    WHERE id = \(bind: victimRow)
                    """).run()
            }
            await #expect(throws: StorageError.secretRejected(table: "application_sessions", row: victimRow)) {
                _ = try await store.applicationSessions.session(devEUI: victim.devEUI, sessionKeyID: victim.sessionKeyID)
            }
        }
    }
}
