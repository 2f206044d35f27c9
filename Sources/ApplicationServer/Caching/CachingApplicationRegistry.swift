import Foundation
import LoRaWAN
import Synchronization

/// The registry with the per-event reads answered from memory: the application each device's events
/// go to (``application(of:)``, every uplink) and an application with its webhooks and its webhook
/// secret, opened (``recentApplication(_:)``, every webhook attempt). A query each, and unsealing the
/// secret each time, would cost more than the rest of the Application Server's work on an event.
///
/// How fresh the answers are:
///
/// - **Changes made through this instance** (the REST API and everything else in this process) apply
///   at once: each write drops what it changes, after it is stored, and a read that was under way
///   during a write does not put its older answer back. A rotated secret signs the next attempt.
/// - **Changes made by another process** sharing the database (the `gatehouse app` commands beside a
///   running server, another instance on PostgreSQL) apply within ``lifetime`` (60 s by default), a
///   safety net only: until then an event may still go to the application a device left, and webhooks
///   may still be signed with a secret rotated elsewhere.
///
/// ``application(_:)``, the operator's read before an edit that saves the application whole, always
/// reads the registry (and refreshes the cache), so an edit never saves back an older copy.
///
/// The secret stays a ``WebhookSecret`` in memory, which never prints.
public final class CachingApplicationRegistry: ApplicationRegistry {
    /// A cached answer and until when it may be given.
    private struct Expiring<Value> {
        var value: Value
        var until: ContinuousClock.Instant
    }

    private struct State {
        /// Which application each device belongs to (`nil`: none).
        var devices: [EUI64: Expiring<ApplicationID?>] = [:]
        var applications: [ApplicationID: Expiring<Application>] = [:]
        /// Moved on by every write: a read that started before may have read the older state, and
        /// does not fill the cache.
        var generation: UInt64 = 0
    }

    /// How long an answer is given from memory, for changes made by other processes.
    public let lifetime: Duration
    private let registry: any ApplicationRegistry
    private let capacity: Int
    private let state = Mutex(State())

    /// - Parameters:
    ///   - lifetime: the bound on how late changes made by other processes show.
    ///   - capacity: devices remembered; past it, the cache starts over.
    public init(_ registry: any ApplicationRegistry, lifetime: Duration = .seconds(60), capacity: Int = 500_000) {
        self.registry = registry
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    public func application(of devEUI: EUI64) async throws -> Application? {
        let now = ContinuousClock.now
        let (cached, generation) = state.withLock { state -> (Application??, UInt64) in
            guard let device = state.devices[devEUI], device.until > now else { return (nil, state.generation) }
            guard let id = device.value else { return (.some(nil), state.generation) }
            guard let application = state.applications[id], application.until > now else { return (nil, state.generation) }
            return (.some(application.value), state.generation)
        }
        if let cached { return cached }
        let application = try await registry.application(of: devEUI)
        let until = now.advanced(by: lifetime)
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.devices.count >= capacity { state.devices.removeAll(keepingCapacity: true) }
            state.devices[devEUI] = Expiring(value: application?.id, until: until)
            if let application { state.applications[application.id] = Expiring(value: application, until: until) }
        }
        return application
    }

    public func recentApplication(_ id: ApplicationID) async throws -> Application? {
        let now = ContinuousClock.now
        let (cached, generation) = state.withLock { state -> (Application?, UInt64) in
            guard let application = state.applications[id], application.until > now else { return (nil, state.generation) }
            return (application.value, state.generation)
        }
        if let cached { return cached }
        return try await read(id, startedAt: now, generation: generation)
    }

    /// Always from the registry: see the type's documentation.
    public func application(_ id: ApplicationID) async throws -> Application? {
        let now = ContinuousClock.now
        let generation = state.withLock { $0.generation }
        return try await read(id, startedAt: now, generation: generation)
    }

    public func devices(of application: ApplicationID) async throws -> [EUI64] { try await registry.devices(of: application) }
    public func applications() async throws -> [Application] { try await registry.applications() }

    public func save(_ application: Application) async throws {
        defer { forget(application.id) }
        try await registry.save(application)
    }

    /// Device entries that named the application find it gone and read the registry again.
    public func delete(_ id: ApplicationID) async throws -> Bool {
        defer { forget(id) }
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

    /// Reads the registry and remembers what it found, unless a write happened meanwhile. An
    /// application that is gone is forgotten, not remembered as gone: asking for one is rare (a
    /// delivery queued before its application was deleted) and an operator may create it again.
    private func read(_ id: ApplicationID, startedAt now: ContinuousClock.Instant, generation: UInt64) async throws -> Application? {
        let application = try await registry.application(id)
        let until = now.advanced(by: lifetime)
        state.withLock { state in
            guard let application else {
                state.applications[id] = nil
                return
            }
            guard state.generation == generation else { return }
            state.applications[id] = Expiring(value: application, until: until)
        }
        return application
    }

    // Writes drop what they change after the registry stored it (also when it failed: the outcome may
    // be unknown), and move the generation on, so a read that overlapped the write does not refill it.

    private func forget(_ id: ApplicationID) {
        state.withLock { state in
            state.generation &+= 1
            state.applications[id] = nil
        }
    }

    private func forget(_ devEUI: EUI64) {
        state.withLock { state in
            state.generation &+= 1
            state.devices[devEUI] = nil
        }
    }
}
