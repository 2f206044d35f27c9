import BackendInterfaces
import Foundation
import GatehouseServer
import GatewayPKI
import JoinServer
import LoRaWAN
import Logging
import NIOSSL
import SwiftASN1
import X509

/// How a test reaches the Join Server: the `JoinService` implementations DESIGN.md promises behave alike.
enum JoinTransport: String, CaseIterable, Sendable, CustomStringConvertible {
    /// `LocalJoinService`: the Network/Application Server in the same process.
    case inProcess
    /// `HTTPJoinService` against a running server's Backend Interfaces listener, mutual TLS with
    /// client certificates from our PKI.
    case https

    var description: String { rawValue }
}

/// A Join Server with two registered peers (a Network Server and an Application Server, each with its
/// KEK) and the two worked-example devices of reference/backend-interfaces.md §6, reached as each peer.
struct JoinServiceHarness {
    static let netID = try! NetID(parsing: "000031")
    static let asID = ApplicationServerID("as.example.net")!
    static let nsKEK = LabeledKEK(label: "ns:000031", bytes: Hex.decode("849022fdbd85f95abb14b8522e55ac4d")!)!
    static let asKEK = LabeledKEK(label: "as:as.example.net", bytes: Hex.decode("114e3074db2221a00ba48609e7989c5b")!)!

    /// §6.1: a LoRaWAN 1.0.3 device.
    static let legacyDevEUI = try! EUI64(parsing: "0e6d1128609d82be")
    static let legacyJoinEUI = try! EUI64(parsing: "9f4b5bb0a4148aed")
    static let legacyAppKey = try! AppKey(parsing: "030af76db4a9d1de4772a5955ba7f65a")
    /// §6.2: a LoRaWAN 1.1 device.
    static let modernDevEUI = try! EUI64(parsing: "887712B913797B9A")
    static let modernJoinEUI = try! EUI64(parsing: "F93FA7142977F04B")
    static let modernNwkKey = try! NwkKey(parsing: "4db60d675f3c1f10ee145421915f62ee")
    static let modernAppKey = try! AppKey(parsing: "6c75c0f2acedf872b54d4b36fd0badf6")

    /// Speaks as the Network Server `ns:000031`.
    let networkServer: any JoinService
    /// Speaks as the Application Server `as:as.example.net`.
    let applicationServer: any JoinService
    let keks: KEKRing
    /// The server's log (HTTPS only; empty in process).
    let log: CapturedLog

    static func run(_ transport: JoinTransport, _ body: (JoinServiceHarness) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        let configuration = try testConfiguration(dataDirectory: directory.file("data"))
        let log = CapturedLog()
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let services = try await GatehouseServices.open(configuration, logger: logger)
        let keks = KEKRing([nsKEK, asKEK])
        var credentials: [ServerCredentials] = []
        do {
            _ = try await services.pki.initializeAuthority(actor: "test")
            try await services.joinDevices.setPeerKEK(.networkServer(netID), nsKEK, actor: "test")
            try await services.joinDevices.setPeerKEK(.applicationServer(asID), asKEK, actor: "test")
            _ = try await services.joinDevices.create(NewJoinDevice(
                devEUI: legacyDevEUI, joinEUI: legacyJoinEUI, macVersion: .v1_0_3, rootKeys: .legacy(appKey: legacyAppKey), owner: "test",
                homeNetID: netID, applicationServerID: asID), actor: "test")
            _ = try await services.joinDevices.create(NewJoinDevice(
                devEUI: modernDevEUI, joinEUI: modernJoinEUI, macVersion: .v1_1, rootKeys: .separate(nwkKey: modernNwkKey, appKey: modernAppKey),
                owner: "test", applicationServerID: asID), actor: "test")
            if transport == .inProcess {
                try await body(JoinServiceHarness(
                    networkServer: LocalJoinService(joinServer: services.joinServer, caller: .networkServer(netID)),
                    applicationServer: LocalJoinService(joinServer: services.joinServer, caller: .applicationServer(asID)), keks: keks, log: log))
                await services.close()
                return
            }
            for peer in [BackendPeer.networkServer(netID), .applicationServer(asID)] {
                credentials.append(try await services.pki.issueBackendClientCertificate(commonName: peer.description, validityDays: 30, actor: "test"))
            }
        } catch {
            await services.close()
            throw error
        }
        await services.close()
        try await withRunningServer(configuration, log: log) { endpoint in
            let clients = try credentials.map { try Self.client(endpoint: endpoint, credentials: $0) }
            do {
                try await body(JoinServiceHarness(networkServer: clients[0], applicationServer: clients[1], keks: keks, log: log))
            } catch {
                for client in clients { try? await client.shutdown() }
                throw error
            }
            for client in clients { try await client.shutdown() }
        }
    }

    /// An HTTPS client presenting `credentials` and trusting our root.
    static func client(endpoint: TestEndpoint, credentials: ServerCredentials, port: Int? = nil) throws -> HTTPJoinService {
        let chain = try credentials.certificateChain.map { try NIOSSLCertificate(bytes: try der($0), format: .der) }
        let key = try NIOSSLPrivateKey(bytes: Array(credentials.privateKey.exportPEM().utf8), format: .pem)
        let root = try NIOSSLCertificate(bytes: try der(credentials.trustAnchor), format: .der)
        return HTTPJoinService(
            configuration: try HTTPJoinServiceConfiguration(
                url: "https://localhost:\(port ?? endpoint.backendPort)/", certificateChain: chain, privateKey: key, trustRoots: [root]),
            // Quiet: the crash test makes the client see a dying server on purpose.
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}

/// Builds signed requests the way a device and its Network Server would.
enum JoinRequests {
    static func header(_ type: BackendMessageType = .joinReq, sender: String = "000031", receiver: EUI64, version: BackendProtocolVersion = .v1_0, transaction: UInt32 = 7)
        -> BackendHeader
    {
        BackendHeader(
            protocolVersion: version, senderID: sender, receiverID: receiver.description, transactionID: transaction, messageType: type,
            senderNSID: version == .v1_1 ? try! EUI64(parsing: "095B25BD4633EB9F") : nil)
    }

    /// A 1.0.3 join-request of the legacy device, signed with its AppKey.
    static func legacy(devNonce: UInt16, sender: String = "000031", micKey: AppKey = JoinServiceHarness.legacyAppKey) -> JoinReq {
        var join = JoinRequest(joinEUI: JoinServiceHarness.legacyJoinEUI, devEUI: JoinServiceHarness.legacyDevEUI, devNonce: DevNonce(devNonce))
        join.mic = JoinMIC.computeLegacyJoinRequestMIC(appKey: micKey, message: join.encodedWithoutMIC)
        return JoinReq(
            header: header(sender: sender, receiver: JoinServiceHarness.legacyJoinEUI), macVersion: .v1_0_3, phyPayload: join.encode(),
            devEUI: JoinServiceHarness.legacyDevEUI, devAddr: DevAddr(0x2600_0001), dlSettings: DLSettings(byte: 0x03), rxDelay: 1)
    }

    /// A 1.1 join-request of the modern device, signed with its NwkKey.
    static func modern(devNonce: UInt16) -> JoinReq {
        var join = JoinRequest(joinEUI: JoinServiceHarness.modernJoinEUI, devEUI: JoinServiceHarness.modernDevEUI, devNonce: DevNonce(devNonce))
        join.mic = JoinMIC.computeJoinRequestMIC(nwkKey: JoinServiceHarness.modernNwkKey, message: join.encodedWithoutMIC)
        return JoinReq(
            header: header(receiver: JoinServiceHarness.modernJoinEUI, version: .v1_1), macVersion: .v1_1, phyPayload: join.encode(),
            devEUI: JoinServiceHarness.modernDevEUI, devAddr: DevAddr(0x2600_0002), dlSettings: DLSettings(byte: 0x03), rxDelay: 5)
    }

    /// A rejoin-request type 1 of the modern device, signed with its JSIntKey.
    static func rejoinType1(rjCount: UInt16) -> JoinReq {
        var message: [UInt8] = [MHDR(mType: .rejoinRequest).byte, 0x01]
        message += JoinServiceHarness.modernJoinEUI.littleEndianBytes + JoinServiceHarness.modernDevEUI.littleEndianBytes
        message += [UInt8(truncatingIfNeeded: rjCount), UInt8(rjCount >> 8)]
        let jsIntKey = SessionKeyDerivation.deriveJoinServerKeys(nwkKey: JoinServiceHarness.modernNwkKey, devEUI: JoinServiceHarness.modernDevEUI).jsIntKey
        let mic = JoinMIC.computeRejoinRequestMIC(jsIntKey: jsIntKey, message: message)
        return JoinReq(
            header: header(.rejoinReq, receiver: JoinServiceHarness.modernJoinEUI, version: .v1_1), macVersion: .v1_1, phyPayload: message + mic.bytes,
            devEUI: JoinServiceHarness.modernDevEUI, devAddr: DevAddr(0x2600_0002), dlSettings: DLSettings(byte: 0x03), rxDelay: 5)
    }
}
