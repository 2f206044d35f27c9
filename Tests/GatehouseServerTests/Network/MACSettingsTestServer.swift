import Foundation
import GatehouseServer
import JoinServer
import LoRaWAN
import Storage
import Logging

/// A real server for the MAC settings API and CLI suites, on a real SQLite data directory, with three
/// devices: ABP LoRaWAN 1.0.3 and 1.1 devices in EU868 (each with a session) and an OTAA 1.1 device
/// that has not joined and has no region.
enum MACSettingsTestServer {
    static let legacy = EUI64(0x70B3_D57E_D000_0A01)
    static let current = EUI64(0x70B3_D57E_D000_0A02)
    static let notJoined = EUI64(0x70B3_D57E_D000_0A03)

    /// Provisions the devices and an API key, runs `body` against the running server (its endpoint, the
    /// key, a scratch directory's path), then opens the same data again for `check`.
    static func run(
        _ body: (TestEndpoint, String, String) async throws -> Void,
        check: (GatehouseServices) async throws -> Void = { _ in }
    ) async throws {
        let directory = try TemporaryDirectory()
        let configuration = try testConfiguration(dataDirectory: directory.file("data"))
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        var services = try await GatehouseServices.open(configuration, logger: quiet)
        let key: String
        do {
            key = try await services.store.apiKeys.create(name: "tests", at: Date(), actor: "test").plaintextKey
            let nwkSKey: NwkSKey = ABPTestData.key(ABPTestData.nwkSKey)
            _ = try await services.createABPDevice(
                .init(devEUI: legacy, devAddr: DevAddr(netID: NetID(0)!, nwkAddr: 0x0A01), macVersion: .v1_0_3, region: .eu868,
                      networkKeys: .legacy(nwkSKey: nwkSKey), appSKey: ABPTestData.key(ABPTestData.appSKey)),
                acknowledgeInsecure: true, actor: "test", logger: quiet)
            _ = try await services.createABPDevice(
                .init(devEUI: current, devAddr: DevAddr(netID: NetID(0)!, nwkAddr: 0x0A02), macVersion: .v1_1, region: .eu868,
                      networkKeys: .current(fNwkSIntKey: ABPTestData.key(ABPTestData.fNwkSIntKey), sNwkSIntKey: ABPTestData.key(ABPTestData.sNwkSIntKey),
                                            nwkSEncKey: ABPTestData.key(ABPTestData.nwkSEncKey), fOptsVariant: .errata),
                      appSKey: ABPTestData.key(ABPTestData.appSKey)),
                acknowledgeInsecure: true, actor: "test", logger: quiet)
            _ = try await services.createDevice(
                NewJoinDevice(devEUI: notJoined, joinEUI: EUI64(0x70B3_D57E_D000_0001), macVersion: .v1_1, rootKeys: nil, owner: nil),
                profile: .init(), actor: "test")
        } catch {
            await services.close()
            throw error
        }
        await services.close()
        let scratch = directory.path
        try await withRunningServer(configuration) { endpoint in try await body(endpoint, key, scratch) }
        services = try await GatehouseServices.open(configuration, logger: quiet)
        do {
            try await check(services)
            await services.close()
        } catch {
            await services.close()
            throw error
        }
    }
}
