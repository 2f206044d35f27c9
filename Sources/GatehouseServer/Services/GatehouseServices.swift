import ApplicationServer
import BackendInterfaces
public import GatewayPKI
public import GatewayServer
public import JoinServer
public import Logging
public import NetworkServer
public import Storage

/// The roles a running Gatehouse holds, wired to one store. The server opens them at start-up; the
/// CLI's administrative commands open the same set on the same data directory.
public struct GatehouseServices: Sendable {
    public let store: GatehouseStore
    public let pki: GatewayPKIService
    /// Live station connections: closed on revocation and gateway deletion, shown by the API.
    public let gatewayConnections: GatewayConnectionRegistry
    /// The Join Server: answers joins over the Backend Interfaces and in process.
    public let joinServer: JoinServer
    /// Devices, root keys, claiming, transfers, master keys and peer KEKs.
    public let joinDevices: JoinDeviceRegistry
    /// The Network Server: what gateways hear goes in, downlinks come out through `gatewayConnections`.
    public let network: NetworkServer
    /// The Application Server: applications, webhooks, the event stream and the downlink queue.
    public let applications: ApplicationServices

    /// Opens the database (running migrations, checking the key-encryption key) and the PKI.
    public static func open(_ configuration: GatehouseConfiguration, logger: Logger) async throws -> GatehouseServices {
        let storage = configuration.storage
        let kek = try KeyEncryptionKeySource.fromEnvironment(
            configuration.keyEncryptionKeyEnvironment, storage: storage, dataDirectory: configuration.dataDirectory
        ).load(logger: logger)
        let store = try await GatehouseStore.open(storage, keyEncryptionKey: kek, logger: logger)
        do {
            let pki = try await GatewayPKIService.open(store: store.pkiStore)
            let connections = GatewayConnectionRegistry()
            connections.follow(pki.revocation)
            pki.observeGatewayDeletions { [weak connections] eui in connections?.closeConnections(gateway: eui) }
            let joinServer = JoinServer(
                devices: store.joinDevices, keys: store.joinKeys,
                configuration: JoinServerConfiguration(
                    allowPlainSessionKeys: configuration.allowPlainSessionKeys,
                    defaultApplicationServerID: GatehouseConfiguration.applicationServerID),
                logger: logger)
            try await joinServer.keyring.reload()
            let joinDevices = JoinDeviceRegistry(joinServer: joinServer, keys: store.joinKeys, logger: logger)
            let nsPeer = BackendPeer.networkServer(configuration.netID)
            let asPeer = BackendPeer.applicationServer(GatehouseConfiguration.applicationServerID)
            try await InProcessPeers.ensure([nsPeer, asPeer], registry: joinDevices, logger: logger)
            let handOver = NetworkDownlinkQueueHandOver()
            let applications = ApplicationServices.make(
                store: store, joinService: LocalJoinService(joinServer: joinServer, caller: asPeer),
                keks: InProcessPeerKEK(keyring: joinServer.keyring, peer: asPeer),
                applicationServerID: GatehouseConfiguration.applicationServerID, networkDownlinks: handOver, logger: logger)
            let directory = PKIGatewayDirectory(pki: pki)
            var nsLogger = logger
            nsLogger[metadataKey: "role"] = "ns"
            let network = NetworkServer(
                configuration: NetworkServerConfiguration(
                    netID: configuration.netID, deduplicationWindow: configuration.deduplicationWindow,
                    uplinkWorkers: configuration.uplinkWorkers, maximumUplinkBacklog: configuration.maximumUplinkBacklog),
                devices: CachingNetworkDeviceRegistry(JoinBackedNetworkDevices(network: store.networkDevices, join: store.joinDevices)),
                sessions: store.networkSessions, downlinks: store.networkDownlinks,
                joinService: LocalJoinService(joinServer: joinServer, caller: nsPeer), keks: InProcessPeerKEK(keyring: joinServer.keyring, peer: nsPeer),
                gateways: GatewayDownlinkRouter(registry: connections),
                gatewayRegion: { gateway in try? await directory.frequencyPlan(of: gateway) },
                application: applications.server, logger: nsLogger)
            handOver.connect(network)
            return GatehouseServices(
                store: store, pki: pki, gatewayConnections: connections, joinServer: joinServer, joinDevices: joinDevices, network: network,
                applications: applications)
        } catch {
            await store.close()
            throw error
        }
    }

    /// Closes the database. It runs to the end even when the caller was cancelled (a server stopping):
    /// SQLite connections must be closed before they are released.
    public func close() async {
        let store = store
        let network = network
        let applications = applications
        await Task {
            await network.stop()
            await applications.shutdown()
            await store.close()
        }.value
    }
}

extension GatehouseStore {
    /// The repositories the Gateway PKI needs.
    public var pkiStore: PKIStore {
        PKIStore(gateways: gateways, certificates: certificates, authorities: authorities, audit: audit, crls: crls)
    }
}
