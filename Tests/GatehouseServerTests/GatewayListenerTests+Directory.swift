import Foundation
@testable import GatehouseServer
import GatewayPKI
import GatewayServer
import Logging
import LoRaWAN
import StationSimulator
import SwiftASN1
import Synchronization
import Testing
import X509

/// The listener's registered-gateway check, held in memory: a gateway the running server has not
/// seen is looked up in storage at once, and a deletion made by another process (the CLI on the same
/// data directory) is refused at the next handshake.
extension GatewayListenerTests {
    static let gatewayC = "0016C001FF10A237"
    static let gatewayCID6 = "16:c001:ff10:a237"

    /// Opens the data directory again, as the CLI does beside a running server.
    private static func withCLI(_ fixture: GatewayFixture, _ body: (GatehouseServices) async throws -> Void) async throws {
        let cli = try await GatehouseServices.open(fixture.configuration, logger: Logger(label: "cli") { _ in SwiftLogNoOpLogHandler() })
        do { try await body(cli) } catch {
            await cli.close()
            throw error
        }
        await cli.close()
    }

    @Test("a gateway registered and issued by another process is admitted at its first handshake")
    func registeredByAnotherProcess() async throws {
        try await GatewayFixture.run { fixture in
            let eui = try EUI64(parsing: Self.gatewayC)
            try await Self.withCLI(fixture) { cli in
                try await cli.pki.registerGateway(eui: eui, name: "C", network: "default", location: nil, frequencyPlan: .eu868, actor: "cli")
                let credentials = try await cli.pki.issueCertificate(for: eui, actor: "cli")
                try credentials.certificate.certificate.serializeAsPEM().pemString.write(toFile: fixture.path("c.crt"), atomically: true, encoding: .utf8)
                try credentials.privateKey.exportPEM().write(toFile: fixture.path("c.key"), atomically: true, encoding: .utf8)
            }
            let result = try await fixture.curlUpdateInfo(certificate: "c.crt", key: "c.key", body: #"{"router":"\#(Self.gatewayCID6)"}"#)
            #expect(result.standardOutput == "200", "\(result.standardError)")
        }
    }

    @Test("a gateway deleted by another process is refused at the next handshake: its certificate was revoked with it")
    func deletedByAnotherProcess() async throws {
        let log = CapturedLog()
        try await GatewayFixture.run(log: log) { fixture in
            // Connected: the server now holds A as registered, and its chain as verified.
            let socket = try await Self.connectTraffic(fixture, gateway: GatewayFixture.gatewayA, certificate: "gateway")
            let before = try await fixture.curlUpdateInfo(certificate: "gateway.crt", key: "gateway.key", body: #"{"router":"\#(GatewayFixture.gatewayAID6)"}"#)
            #expect(before.standardOutput == "200")

            try await Self.withCLI(fixture) { cli in try await cli.pki.deleteGateway(try EUI64(parsing: GatewayFixture.gatewayA), actor: "cli") }

            #expect((try? await socket.receive()) == nil, "the connection of a gateway deleted by the CLI stayed open")
            let refused = try await fixture.curlUpdateInfo(certificate: "gateway.crt", key: "gateway.key", body: #"{"router":"\#(GatewayFixture.gatewayAID6)"}"#)
            #expect(refused.exitCode != 0)
            #expect(await log.waitFor(1, containing: "reason=revoked") == 1)
        }
    }

    @Test("a gateway with a certificate Gatehouse did not issue, deleted by another process, is closed and then refused as unregistered")
    func deletedByAnotherProcessWithForeignCertificate() async throws {
        let log = CapturedLog()
        try await GatewayFixture.run(log: log) { fixture in
            // Signed by the root outside the PKI's records, like a vendor's: deleting B revokes nothing.
            try fixture.writeClientCertificate("foreign-b", commonName: GatewayFixture.gatewayB)
            let socket = try await Self.connectTraffic(fixture, gateway: GatewayFixture.gatewayB, certificate: "foreign-b")
            let body = #"{"router":"\#(GatewayFixture.gatewayBID6)"}"#
            #expect(try await fixture.curlUpdateInfo(certificate: "foreign-b.crt", key: "foreign-b.key", body: body).standardOutput == "200")

            try await Self.withCLI(fixture) { cli in try await cli.pki.deleteGateway(try EUI64(parsing: GatewayFixture.gatewayB), actor: "cli") }

            // The server follows deletions made elsewhere as it follows revocations: it closes B's
            // connection and forgets B, so the next handshake asks storage.
            #expect((try? await socket.receive()) == nil, "the connection of a gateway deleted by the CLI stayed open")
            let refused = try await fixture.curlUpdateInfo(certificate: "foreign-b.crt", key: "foreign-b.key", body: body)
            #expect(refused.exitCode != 0)
            #expect(await log.waitFor(1, containing: "reason=unregistered_gateway") == 1)
            #expect(log.count(containing: "reason=revoked") == 0)
        }
    }

    /// A traffic connection that got its `router_config`.
    private static func connectTraffic(_ fixture: GatewayFixture, gateway: String, certificate: String) async throws -> StationWebSocket {
        let credentials = try StationTLSCredentials(
            trustFile: fixture.path("root-ca.crt"), certificateFile: fixture.path(certificate + ".crt"), keyFile: fixture.path(certificate + ".key"))
        let socket = try await StationWebSocket.connect(
            host: "localhost", port: fixture.endpoint.gatewayPort, path: "/traffic/\(gateway)", credentials: credentials)
        try await socket.send(text: #"{"msgtype":"version","station":"2.0.6(linux/std)","protocol":2}"#)
        guard case .text(let reply) = try #require(try await socket.receive()), reply.contains("router_config") else {
            throw ScaffoldingFailure(description: "no router_config for \(gateway)")
        }
        return socket
    }
}

/// The directory alone, on a real store: a miss goes to storage, a gateway found is then answered from
/// memory, and a deletion, made here or by another process, is forgotten.
extension GatewayListenerTests {
    @Test("the gateway directory answers a miss from storage, then from memory, and forgets deletions made here and elsewhere")
    func directoryCache() async throws {
        let directory = try TemporaryDirectory()
        let configuration = try testConfiguration(dataDirectory: directory.file("data"))
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let server = try await GatehouseServices.open(configuration, logger: quiet)
        let cli = try await GatehouseServices.open(configuration, logger: quiet)
        let (a, b, c) = (EUI64(0x0016_C001_FF10_0001), EUI64(0x0016_C001_FF10_0002), EUI64(0x0016_C001_FF10_0003))
        for eui in [a, b, c] {
            try await server.pki.registerGateway(eui: eui, name: "\(eui)", network: "default", location: nil, frequencyPlan: .us915, actor: "test")
        }
        let deleted = DeletionRecorder()
        server.pki.observeGatewayDeletions { deleted.append($0) }
        let gateways = PKIGatewayDirectory(pki: server.pki)

        #expect(gateways.knownRegistration(of: a) == nil, "nothing is held before a lookup")
        #expect(try await gateways.isRegisteredGateway(a))
        #expect(gateways.knownRegistration(of: a) == true)
        #expect(try await gateways.frequencyPlan(of: b) == .us915)
        #expect(gateways.knownRegistration(of: b) == true)
        #expect(try await gateways.isRegisteredGateway(c))
        #expect(try await gateways.isRegisteredGateway(EUI64(0x0016_C001_FF10_00FF)) == false)
        #expect(gateways.knownRegistration(of: EUI64(0x0016_C001_FF10_00FF)) == nil, "a miss is never held")

        // Here: forgotten at once.
        try await server.pki.deleteGateway(a, actor: "test")
        #expect(gateways.knownRegistration(of: a) == nil)
        #expect(try await gateways.isRegisteredGateway(a) == false)

        // Elsewhere: forgotten at the PKI's next poll, announced once, and a deletion made here not again.
        try await cli.pki.deleteGateway(b, actor: "cli")
        #expect(gateways.knownRegistration(of: b) == true, "the held answer is stale until the poll")
        try await server.pki.readGatewayDeletions()
        #expect(gateways.knownRegistration(of: b) == nil)
        try await server.pki.readGatewayDeletions()
        #expect(deleted.all == [a, b])
        #expect(gateways.knownRegistration(of: c) == true)
        await cli.close()
        await server.close()
    }
}

/// Deletions an observer was told of, in order.
final class DeletionRecorder: Sendable {
    private let told = Mutex<[EUI64]>([])
    func append(_ eui: EUI64) { told.withLock { $0.append(eui) } }
    var all: [EUI64] { told.withLock { $0 } }
}
