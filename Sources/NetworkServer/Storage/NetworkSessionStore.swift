import LoRaWAN

/// Durable device sessions of the Network Server. `Storage` implements it on SQLite and PostgreSQL and
/// **seals the network session keys at rest** (AES-GCM under the key-encryption key, DESIGN.md
/// invariant 2).
///
/// Counters are the contract (invariant 7): ``update(_:)`` stores a session only if none of its
/// counters (FCntUp, the downlink counters) is behind the stored ones, in one transaction, so a frame
/// accepted by one instance cannot be accepted again by another sharing the database, and a crash after
/// ``update(_:)`` returns loses no counter.
///
/// A device has at most one session; its DevAddr may be shared with other devices' sessions.
public protocol NetworkSessionStore: Sendable {
    /// The sessions that hold `devAddr`: the candidates for an uplink's MIC.
    func sessions(devAddr: DevAddr) async throws -> [NetworkSession]
    func session(devEUI: EUI64) async throws -> NetworkSession?
    /// Stores devices' new sessions (joins, rejoins or ABP provisioning) in one transaction, each
    /// replacing its device's current session and any downlinks queued for the old one. A device
    /// listed twice ends with the later session.
    func activate(_ sessions: [NetworkSession]) async throws
    /// Stores changed sessions; one outcome per update, in order: `false` when the stored session has a
    /// different SessionKeyID, a counter ahead of the update's, or (``NetworkSessionUpdate/advancesUplinkCounter``)
    /// an FCntUp not below the update's (another instance moved on, or the
    /// device rejoined): the caller reloads and decides again.
    func update(_ updates: [NetworkSessionUpdate]) async throws -> [Bool]
    /// Forgets a device's session (its queued downlinks too).
    func deleteSession(devEUI: EUI64) async throws
}

extension NetworkSessionStore {
    /// Stores one device's new session (see ``activate(_:)-([NetworkSession])``).
    public func activate(_ session: NetworkSession) async throws {
        try await activate([session])
    }
}

/// One session to store, and whether more than its counters changed.
public struct NetworkSessionUpdate: Sendable, Equatable {
    public var session: NetworkSession
    /// `false` when only counters, the ADR history and the confirmed-uplink state moved (the common
    /// uplink): the store may then write the counter columns only.
    public var macStateChanged: Bool
    /// The update accepts a new uplink: the stored FCntUp must be below the session's, not equal. Two
    /// instances that both heard a frame (through different gateways) cannot both accept it.
    public var advancesUplinkCounter: Bool

    public init(session: NetworkSession, macStateChanged: Bool, advancesUplinkCounter: Bool = false) {
        self.session = session
        self.macStateChanged = macStateChanged
        self.advancesUplinkCounter = advancesUplinkCounter
    }
}
