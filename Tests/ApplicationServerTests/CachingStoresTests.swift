import ApplicationServer
import Foundation
import LoRaWAN
import Synchronization
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

    @Test("a webhook attempt's read of the application is answered from memory; an edit's read always asks the registry")
    func recentApplicationFromMemory() async throws {
        let backing = CountingApplicationRegistry(InMemoryApplicationRegistry([Self.application]))
        let registry = CachingApplicationRegistry(backing, lifetime: .seconds(3600))
        for _ in 0..<3 { #expect(try await registry.recentApplication(Fixtures.applicationID)?.webhookSecret == Fixtures.secret) }
        #expect(backing.reads == 1)
        _ = try await registry.application(Fixtures.applicationID)
        _ = try await registry.application(Fixtures.applicationID)
        #expect(backing.reads == 3, "an operator's edit never starts from a cached copy")
        #expect(try await registry.recentApplication(ApplicationID("unknown")!) == nil)
        #expect(try await registry.recentApplication(ApplicationID("unknown")!) == nil)
        #expect(backing.reads == 5, "an application that is not there is not remembered as missing")
    }

    @Test("a secret rotated through the cache signs the next attempt: the write drops the cached application")
    func rotationThroughTheCache() async throws {
        let registry = CachingApplicationRegistry(InMemoryApplicationRegistry([Self.application]), lifetime: .seconds(3600))
        #expect(try await registry.recentApplication(Fixtures.applicationID)?.webhookSecret == Fixtures.secret)
        var rotated = Self.application
        rotated.webhookSecret = WebhookSecret.generate()
        try await registry.save(rotated)
        #expect(try await registry.recentApplication(Fixtures.applicationID)?.webhookSecret == rotated.webhookSecret)
        #expect(try await registry.delete(Fixtures.applicationID))
        #expect(try await registry.recentApplication(Fixtures.applicationID) == nil)
    }

    @Test("a read that overlapped a write does not put its older answer back")
    func overlappingReadDoesNotRefill() async throws {
        let backing = PausingApplicationRegistry(InMemoryApplicationRegistry([Self.application]))
        let registry = CachingApplicationRegistry(backing, lifetime: .seconds(3600))
        backing.pauseNextRead()
        let staleRead = Task { try await registry.recentApplication(Fixtures.applicationID) }
        try await eventually { backing.isPaused }
        var rotated = Self.application
        rotated.webhookSecret = WebhookSecret.generate()
        // The paused read took its copy before the rotation: release it only after the write.
        let old = backing.takePausedCopy()
        try await registry.save(rotated)
        backing.resume(answering: old)
        #expect(try await staleRead.value?.webhookSecret == Fixtures.secret)
        #expect(try await registry.recentApplication(Fixtures.applicationID)?.webhookSecret == rotated.webhookSecret)
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

/// A registry that counts reads of ``application(_:)``.
final class CountingApplicationRegistry: ApplicationRegistry {
    private let registry: InMemoryApplicationRegistry
    private let count = Mutex(0)

    init(_ registry: InMemoryApplicationRegistry) { self.registry = registry }

    var reads: Int { count.withLock { $0 } }

    func application(_ id: ApplicationID) async throws -> Application? {
        count.withLock { $0 += 1 }
        return try await registry.application(id)
    }

    func application(of devEUI: EUI64) async throws -> Application? { try await registry.application(of: devEUI) }
    func save(_ application: Application) async throws { try await registry.save(application) }
    func delete(_ id: ApplicationID) async throws -> Bool { try await registry.delete(id) }
    func assign(_ devEUI: EUI64, to application: ApplicationID) async throws -> Bool { try await registry.assign(devEUI, to: application) }
    func unassign(_ devEUI: EUI64) async throws -> Bool { try await registry.unassign(devEUI) }
    func devices(of application: ApplicationID) async throws -> [EUI64] { try await registry.devices(of: application) }
    func applications() async throws -> [Application] { try await registry.applications() }
}

/// A registry whose next read of ``application(_:)`` takes its answer, then waits until the test
/// resumes it: a read slower than a write that happens meanwhile.
final class PausingApplicationRegistry: ApplicationRegistry {
    private let registry: InMemoryApplicationRegistry
    private let state = Mutex<(pauseNext: Bool, paused: Application??, resumed: Application??)>((false, nil, nil))

    init(_ registry: InMemoryApplicationRegistry) { self.registry = registry }

    func pauseNextRead() { state.withLock { $0.pauseNext = true } }
    var isPaused: Bool { state.withLock { $0.paused != nil } }
    func takePausedCopy() -> Application? { state.withLock { $0.paused ?? nil } }
    func resume(answering application: Application?) { state.withLock { $0.resumed = .some(application) } }

    func application(_ id: ApplicationID) async throws -> Application? {
        let copy = try await registry.application(id)
        let pausing = state.withLock { state in
            defer { state.pauseNext = false }
            if state.pauseNext { state.paused = .some(copy) }
            return state.pauseNext
        }
        guard pausing else { return copy }
        while true {
            if let answer = state.withLock({ $0.resumed }) { return answer }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    func application(of devEUI: EUI64) async throws -> Application? { try await registry.application(of: devEUI) }
    func save(_ application: Application) async throws { try await registry.save(application) }
    func delete(_ id: ApplicationID) async throws -> Bool { try await registry.delete(id) }
    func assign(_ devEUI: EUI64, to application: ApplicationID) async throws -> Bool { try await registry.assign(devEUI, to: application) }
    func unassign(_ devEUI: EUI64) async throws -> Bool { try await registry.unassign(devEUI) }
    func devices(of application: ApplicationID) async throws -> [EUI64] { try await registry.devices(of: application) }
    func applications() async throws -> [Application] { try await registry.applications() }
}
