import LoRaWAN

/// Storage for the Application Server's sessions. `Storage` implements it on SQLite and PostgreSQL and
/// **seals every AppSKey at rest** (AES-GCM under the key-encryption key, DESIGN.md invariant 2): a
/// dump of the database holds no AppSKey in plain text. The Application Server never sees a database.
///
/// A device keeps its latest two sessions: after a join, frames the device sent in its previous
/// session may still arrive, and must still decrypt. Storing a third drops the oldest.
/// Infrastructure failures are thrown; "not found" is `nil`.
public protocol ApplicationSessionStore: Sendable {
    /// Stores a device's new session (replacing one with the same `SessionKeyID`) and drops all but the
    /// device's latest two.
    func store(_ session: ApplicationSession) async throws
    /// Stores each session of `batch` as storing it alone would, in order (of two sessions of one
    /// device, the later is the latest), in one transaction: joins arriving together are group-committed.
    func store(_ batch: [ApplicationSession]) async throws
    /// The session an uplink or a downlink counter reservation names.
    func session(devEUI: EUI64, sessionKeyID: [UInt8]) async throws -> ApplicationSession?
    /// The device's most recently stored session.
    func latestSession(devEUI: EUI64) async throws -> ApplicationSession?
    /// Forgets every session of a device (it was deleted or left its application).
    func deleteSessions(devEUI: EUI64) async throws
}
