import ApplicationServer
import Foundation
import LoRaWAN
import Testing

/// The in-memory fronts of the registry and the session store: what changes through them shows at
/// once; what the store holds is read once.
@Suite struct CachingStoresTests {
    static let application = Application(
        id: Fixtures.applicationID, name: "Weather", webhooks: [Fixtures.webhook], webhookSecret: Fixtures.secret, createdAt: Fixtures.t0)

    @Test func assignmentsMadeThroughTheCacheShowAtOnce() async throws {
        let registry = CachingApplicationRegistry(InMemoryApplicationRegistry([Self.application]), lifetime: .seconds(3600))
        #expect(try await registry.application(of: Fixtures.devEUI) == nil)
        #expect(try await registry.assign(Fixtures.devEUI, to: Fixtures.applicationID))
        #expect(try await registry.application(of: Fixtures.devEUI)?.id == Fixtures.applicationID)
        var renamed = Self.application
        renamed.webhooks = []
        try await registry.save(renamed)
        #expect(try await registry.application(of: Fixtures.devEUI)?.webhooks == [])
        #expect(try await registry.unassign(Fixtures.devEUI))
        #expect(try await registry.application(of: Fixtures.devEUI) == nil)
    }

    @Test func changesMadeElsewhereShowAfterTheLifetime() async throws {
        let backing = InMemoryApplicationRegistry([Self.application])
        let registry = CachingApplicationRegistry(backing, lifetime: .milliseconds(50))
        #expect(try await registry.application(of: Fixtures.devEUI) == nil)
        _ = try await backing.assign(Fixtures.devEUI, to: Fixtures.applicationID)
        #expect(try await registry.application(of: Fixtures.devEUI) == nil)
        try await Task.sleep(for: .milliseconds(80))
        #expect(try await registry.application(of: Fixtures.devEUI)?.id == Fixtures.applicationID)
    }

    @Test func sessionsAreReadOnceAndForgottenWithTheDevice() async throws {
        let backing = InMemorySessionStore()
        let sessions = CachingApplicationSessionStore(backing)
        let session = ApplicationSession(
            devEUI: Fixtures.devEUI, devAddr: Fixtures.devAddr, sessionKeyID: Fixtures.sessionKeyID, appSKey: Fixtures.appSKey, createdAt: Fixtures.t0)
        try await backing.store(session)
        #expect(try await sessions.session(devEUI: Fixtures.devEUI, sessionKeyID: Fixtures.sessionKeyID) == session)
        try await backing.deleteSessions(devEUI: Fixtures.devEUI)
        // Read from memory now: a session's AppSKey never changes once stored.
        #expect(try await sessions.session(devEUI: Fixtures.devEUI, sessionKeyID: Fixtures.sessionKeyID) == session)
        try await sessions.deleteSessions(devEUI: Fixtures.devEUI)
        #expect(try await sessions.session(devEUI: Fixtures.devEUI, sessionKeyID: Fixtures.sessionKeyID) == nil)
    }
}
