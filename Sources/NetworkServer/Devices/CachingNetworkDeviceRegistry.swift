import LoRaWAN
import Synchronization

/// A registry whose per-uplink lookup, ``desiredMACSettings(of:)``, is answered from memory: every
/// accepted uplink asks what the operator wants of its device, and a query each would cost more than
/// the rest of the MAC layer's work on it.
///
/// Changes saved through this registry apply at once (they clear the device's entry); changes saved by
/// another instance sharing the database apply within `lifetime`. Everything else passes through.
public final class CachingNetworkDeviceRegistry: NetworkDeviceRegistry {
    private struct Entry {
        var desired: DesiredMACSettings
        var until: ContinuousClock.Instant
    }

    private struct State {
        var entries: [EUI64: Entry] = [:]
        /// Moves on every change made here: a lookup that started before a change must not store
        /// what it read, which may be the value from before the change.
        var generation: UInt64 = 0
    }

    private let registry: any NetworkDeviceRegistry
    private let lifetime: Duration
    private let capacity: Int
    private let state = Mutex(State())

    public init(_ registry: any NetworkDeviceRegistry, lifetime: Duration = .seconds(30), capacity: Int = 500_000) {
        self.registry = registry
        self.lifetime = lifetime
        self.capacity = capacity
    }

    public func desiredMACSettings(of devEUI: EUI64) async throws -> DesiredMACSettings {
        let now = ContinuousClock.now
        let (cached, generation) = state.withLock { ($0.entries[devEUI], $0.generation) }
        if let cached, cached.until > now { return cached.desired }
        let desired = try await registry.desiredMACSettings(of: devEUI)
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[devEUI] = Entry(desired: desired, until: now.advanced(by: lifetime))
        }
        return desired
    }

    public func device(_ devEUI: EUI64) async throws -> NetworkDevice? { try await registry.device(devEUI) }

    public func devices(after: EUI64?, limit: Int) async throws -> [NetworkDevice] { try await registry.devices(after: after, limit: limit) }

    public func save(_ device: NetworkDevice) async throws {
        defer { forget(device.devEUI) }
        try await registry.save(device)
    }

    public func delete(_ devEUI: EUI64) async throws -> Bool {
        defer { forget(devEUI) }
        return try await registry.delete(devEUI)
    }

    private func forget(_ devEUI: EUI64) {
        state.withLock { state in
            state.entries.removeValue(forKey: devEUI)
            state.generation &+= 1
        }
    }
}
