import Foundation
import LoRaWAN

/// Applications and which device belongs to which: the Application Server routes every event of a
/// device to the application it is assigned to.
///
/// `Storage` implements it on SQLite and PostgreSQL and seals each ``WebhookSecret`` at rest; the
/// Application Server never sees a database. Infrastructure failures are thrown; outcomes are return
/// values. A device belongs to at most one application.
public protocol ApplicationRegistry: Sendable {
    /// The application as stored now: what an operator's edit reads before it saves the application
    /// whole.
    func application(_ id: ApplicationID) async throws -> Application?
    /// The application as recently known: what each webhook attempt reads (its URL and secret). A
    /// registry that keeps applications in memory answers from there (``CachingApplicationRegistry``);
    /// by default, the same as ``application(_:)``.
    func recentApplication(_ id: ApplicationID) async throws -> Application?
    /// The application `devEUI` is assigned to; `nil` when it is assigned to none.
    func application(of devEUI: EUI64) async throws -> Application?
    /// Creates or replaces (by id) an application.
    func save(_ application: Application) async throws
    /// Deletes an application and its device assignments. `false` when it does not exist.
    func delete(_ id: ApplicationID) async throws -> Bool
    /// Assigns a device to an application, replacing an earlier assignment. `false` when the
    /// application does not exist.
    func assign(_ devEUI: EUI64, to application: ApplicationID) async throws -> Bool
    /// Removes a device's assignment. `false` when it had none.
    func unassign(_ devEUI: EUI64) async throws -> Bool
    /// The devices assigned to an application, ordered by DevEUI.
    func devices(of application: ApplicationID) async throws -> [EUI64]
    /// Every application, ordered by id (the operator's list; not on any per-frame path).
    func applications() async throws -> [Application]
}

extension ApplicationRegistry {
    public func recentApplication(_ id: ApplicationID) async throws -> Application? {
        try await application(id)
    }
}
