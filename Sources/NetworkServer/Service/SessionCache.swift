import LoRaWAN

/// The sessions this process works with, in memory, in front of the durable ``NetworkSessionStore``.
///
/// Reading candidates for every uplink from the database would cost a query per frame; the cache
/// loads a DevAddr's sessions once and keeps them current as this process changes them. Changes are
/// optimistic: ``commit(_:replacing:)`` succeeds only if the session is still the one the caller read,
/// so two frames of one device processed at the same time cannot both advance from the same state (the
/// loser reads again). The store's own counter guard is the last word across processes; a refused
/// write evicts the device here (``evict(devEUI:)``) so the next frame reads the database again.
actor SessionCache {
    private let store: any NetworkSessionStore
    private var sessions: [EUI64: NetworkSession] = [:]
    private var devicesByAddress: [DevAddr: Set<EUI64>] = [:]
    /// DevAddrs whose sessions were all loaded from the store.
    private var loadedAddresses: Set<DevAddr> = []
    /// DevAddrs the store had no session for, and until when to believe it: another network's devices
    /// must not cost a query per frame.
    private var absentAddresses: [DevAddr: ContinuousClock.Instant] = [:]
    private let absenceMemory: Duration = .seconds(10)
    private let maximumAbsentAddresses = 100_000

    init(store: any NetworkSessionStore) {
        self.store = store
    }

    /// The sessions holding `devAddr`: candidates for an uplink's MIC.
    func candidates(devAddr: DevAddr) async throws -> [NetworkSession] {
        if loadedAddresses.contains(devAddr) {
            return (devicesByAddress[devAddr] ?? []).compactMap { sessions[$0] }
        }
        let now = ContinuousClock.now
        if let until = absentAddresses[devAddr], until > now { return [] }
        let loaded = try await store.sessions(devAddr: devAddr)
        // Another task may have committed while the query ran: what is in memory is newer.
        for session in loaded where sessions[session.devEUI] == nil { insert(session) }
        if loaded.isEmpty && (devicesByAddress[devAddr] ?? []).isEmpty {
            if absentAddresses.count >= maximumAbsentAddresses { absentAddresses.removeAll(keepingCapacity: true) }
            absentAddresses[devAddr] = now.advanced(by: absenceMemory)
        } else {
            loadedAddresses.insert(devAddr)
        }
        return (devicesByAddress[devAddr] ?? []).compactMap { sessions[$0] }
    }

    /// A device's session, loaded if needed.
    func session(devEUI: EUI64) async throws -> NetworkSession? {
        if let session = sessions[devEUI] { return session }
        guard let session = try await store.session(devEUI: devEUI) else { return nil }
        if sessions[devEUI] == nil { insert(session) }
        return sessions[devEUI]
    }

    /// Replaces `previous` with `session` if `previous` is still current; `false` when another frame
    /// changed it first.
    func commit(_ session: NetworkSession, replacing previous: NetworkSession) -> Bool {
        guard sessions[session.devEUI] == previous else { return false }
        insert(session)
        return true
    }

    /// A new session (join, ABP) that the store has already activated.
    func activated(_ session: NetworkSession) {
        insert(session)
    }

    /// Forgets a device; its next frame reads the store.
    func evict(devEUI: EUI64) {
        guard let old = sessions.removeValue(forKey: devEUI) else { return }
        devicesByAddress[old.devAddr]?.remove(devEUI)
        loadedAddresses.remove(old.devAddr)
    }

    private func insert(_ session: NetworkSession) {
        if let old = sessions[session.devEUI], old.devAddr != session.devAddr {
            devicesByAddress[old.devAddr]?.remove(session.devEUI)
        }
        sessions[session.devEUI] = session
        devicesByAddress[session.devAddr, default: []].insert(session.devEUI)
        absentAddresses.removeValue(forKey: session.devAddr)
    }
}
