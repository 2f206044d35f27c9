import LoRaWAN

extension NetworkServer {
    /// The NetID this server assigns DevAddrs from: an ABP device's DevAddr should belong to its block
    /// (LoRaWAN Backend Interfaces 1.0 §13), or another network may claim the address.
    public var netID: NetID { configuration.netID }

    /// Stores a session made outside a join (ABP provisioning), replacing the device's current one and
    /// its queued downlinks, and makes this server's cache see it at once: an uplink that arrives right
    /// after must find it, even if its DevAddr was recently looked up in vain.
    public func activate(_ session: NetworkSession) async throws {
        try await storeActivation(session)
        await cache.evict(devEUI: session.devEUI)
        await cache.activated(session)
    }

    /// Forgets a device's session here and in the store (the device was deleted).
    public func deactivate(devEUI: EUI64) async throws {
        try await sessionStore.deleteSession(devEUI: devEUI)
        await cache.evict(devEUI: devEUI)
    }
}
