import ApplicationServer
import Foundation
import Logging
import NetworkServer

/// Gatehouse's database, opened and migrated, with one repository per aggregate.
///
/// One set of SQL serves SQLite (the embedded default) and PostgreSQL (several instances): the
/// repositories are written once against sql-kit, so there is one source of truth for the schema and
/// the queries, and the same test suite runs on both databases. The dialects differ in a handful of
/// places, each handled where it arises: column types (sql-kit's dialects), transactions and locking
/// (`DatabaseEngine`), the audit log's append-only triggers (migration 3).
///
/// ```swift
/// let kek = try KeyEncryptionKeySource.fromEnvironment(env, storage: storage, dataDirectory: dir).load(logger: logger)
/// let store = try await GatehouseStore.open(storage, keyEncryptionKey: kek, logger: logger)
/// let outcome = try await store.gateways.insert(gateway, audit: event)
/// ```
///
/// Opening runs the pending migrations and checks that `keyEncryptionKey` is the key the database's
/// secrets are sealed under (a wrong key fails here, with `StorageError.wrongKeyEncryptionKey`).
public final class GatehouseStore: Sendable {
    public let gateways: SQLGatewayRepository
    public let certificates: SQLCertificateRepository
    public let authorities: SQLAuthorityRepository
    public let audit: SQLAuditRepository
    public let crls: SQLCRLRepository
    public let apiKeys: SQLAPIKeyRepository
    /// The Join Server's devices, nonces, sessions and device audit log.
    public let joinDevices: SQLJoinDeviceRepository
    /// The Join Server's master keys and peer KEKs.
    public let joinKeys: SQLJoinKeyRepository
    /// The Application Server's sessions, with their AppSKeys sealed.
    public let applicationSessions: any ApplicationSessionStore
    /// The Application Server's applications, webhooks (secrets sealed) and device assignments.
    public let applications: any ApplicationRegistry
    /// The Application Server's durable queue of webhook deliveries.
    public let webhookOutbox: any WebhookOutbox
    /// The Network Server's devices.
    public let networkDevices: any NetworkDeviceRegistry
    /// The Network Server's sessions, with the network session keys sealed and the frame counters guarded.
    public let networkSessions: any NetworkSessionStore
    /// The application downlinks the Network Server holds for the devices' receive windows.
    public let networkDownlinks: any NetworkDownlinkStore

    /// The schema version after opening: the number of the newest migration applied.
    public let schemaVersion: Int
    public let configuration: StorageConfiguration

    let engine: any DatabaseEngine

    private init(engine: any DatabaseEngine, sealer: SecretSealer, schemaVersion: Int, configuration: StorageConfiguration) {
        self.engine = engine
        self.schemaVersion = schemaVersion
        self.configuration = configuration
        gateways = SQLGatewayRepository(engine: engine)
        certificates = SQLCertificateRepository(engine: engine)
        authorities = SQLAuthorityRepository(engine: engine, sealer: sealer)
        audit = SQLAuditRepository(engine: engine)
        crls = SQLCRLRepository(engine: engine)
        apiKeys = SQLAPIKeyRepository(engine: engine)
        joinDevices = SQLJoinDeviceRepository(engine: engine, sealer: sealer)
        joinKeys = SQLJoinKeyRepository(engine: engine, sealer: sealer)
        applicationSessions = SQLApplicationSessionStore(engine: engine, sealer: sealer)
        applications = SQLApplicationRegistry(engine: engine, sealer: sealer)
        webhookOutbox = SQLWebhookOutbox(engine: engine)
        networkDevices = SQLNetworkDeviceRegistry(engine: engine)
        networkSessions = SQLNetworkSessionStore(engine: engine, sealer: sealer)
        networkDownlinks = SQLNetworkDownlinkStore(engine: engine)
    }

    /// Opens the database, applies pending migrations and verifies the key-encryption key.
    ///
    /// - Parameter time: the clock reading recorded with applied migrations and the key check.
    public static func open(
        _ configuration: StorageConfiguration, keyEncryptionKey: KeyEncryptionKey, logger: Logger, at time: Date = Date()
    ) async throws -> GatehouseStore {
        let engine = try await openEngine(configuration, logger: logger)
        do {
            let version = try await MigrationRunner.migrate(engine, at: time, logger: logger)
            let sealer = SecretSealer(key: keyEncryptionKey)
            try await KeyEncryptionKeyCheck.verify(sealer, engine: engine, at: time)
            logger.info(
                "storage open",
                metadata: ["storage": "\(configuration)", "schema_version": "\(version)", "kek_id": "\(keyEncryptionKey.id)"]
            )
            return GatehouseStore(engine: engine, sealer: sealer, schemaVersion: version, configuration: configuration)
        } catch {
            await engine.close()
            throw DriverError.storageError(error)
        }
    }

    /// Connects to the configured database, before migrations.
    static func openEngine(_ configuration: StorageConfiguration, logger: Logger) async throws -> any DatabaseEngine {
        switch configuration {
        case .sqlite(let path): try await SQLiteEngine.open(path: path, logger: logger)
        case .postgres(let url, let schema): try await PostgresEngine.open(url: url, schema: schema, logger: logger)
        }
    }

    /// Waits for running statements and closes every connection. Repositories fail with
    /// `StorageError.closed` afterwards.
    public func close() async {
        await engine.close()
    }
}
