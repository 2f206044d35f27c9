import Foundation
import LoRaWAN
import Synchronization

/// The registry with the per-event lookup, ``application(of:)``, answered from memory: every uplink
/// needs its device's application and webhooks, and a query each would cost more than the rest of the
/// Application Server's work on it.
///
/// Changes made through this instance apply at once (they clear the cache); changes made by another
/// instance sharing the database apply within `lifetime`.
public final class CachingApplicationRegistry: ApplicationRegistry {
    private struct Entry {
        var application: Application?
        var until: ContinuousClock.Instant
    }

    private let registry: any ApplicationRegistry
    private let lifetime: Duration
    private let capacity: Int
    private let entries = Mutex<[EUI64: Entry]>([:])

    public init(_ registry: any ApplicationRegistry, lifetime: Duration = .seconds(5), capacity: Int = 500_000) {
        self.registry = registry
        self.lifetime = lifetime
        self.capacity = capacity
    }

    public func application(of devEUI: EUI64) async throws -> Application? {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[devEUI] }), entry.until > now { return entry.application }
        let application = try await registry.application(of: devEUI)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[devEUI] = Entry(application: application, until: now.advanced(by: lifetime))
        }
        return application
    }

    public func application(_ id: ApplicationID) async throws -> Application? { try await registry.application(id) }
    public func devices(of application: ApplicationID) async throws -> [EUI64] { try await registry.devices(of: application) }
    public func applications() async throws -> [Application] { try await registry.applications() }

    public func save(_ application: Application) async throws {
        try await registry.save(application)
        forgetAll()
    }

    public func delete(_ id: ApplicationID) async throws -> Bool {
        defer { forgetAll() }
        return try await registry.delete(id)
    }

    public func assign(_ devEUI: EUI64, to application: ApplicationID) async throws -> Bool {
        defer { forget(devEUI) }
        return try await registry.assign(devEUI, to: application)
    }

    public func unassign(_ devEUI: EUI64) async throws -> Bool {
        defer { forget(devEUI) }
        return try await registry.unassign(devEUI)
    }

    private func forget(_ devEUI: EUI64) { _ = entries.withLock { $0.removeValue(forKey: devEUI) } }
    private func forgetAll() { entries.withLock { $0.removeAll() } }
}
