import BackendInterfaces
import Foundation
import GatehouseServer
import GatewayPKI
import JoinServer
import LoRaWAN
import Logging
import NIOSSL
import Storage
import SwiftASN1
import X509

/// `gatehouse bench joins`: OTAA joins of LoRaWAN 1.1 devices answered by the Join Server with durable
/// nonce state, in process (`LocalJoinService`) and through the HTTPS Backend Interfaces, on the embedded
/// SQLite store in a temporary directory.
///
/// The in-run reference is the join's cryptography alone with the public LoRaWAN functions (join-request
/// MIC, JSIntKey, four session keys, join-accept MIC and encryption, three RFC 3394 wraps), so the ratio
/// shows what parsing, checks, storage and the answer cost on top.
struct JoinBenchmark {
    let seconds: Double
    let concurrency: Int
    static let deviceCount = 10_000
    static let netID = NetID(0x000031)!
    static let kek = LabeledKEK(label: "ns:000031", bytes: [UInt8](repeating: 0x42, count: 16))!
    static let nwkKey = NwkKey(bytes: [UInt8](repeating: 0x01, count: 16))!
    static let appKey = AppKey(bytes: [UInt8](repeating: 0x02, count: 16))!
    static let joinEUI = EUI64(0x70B3_D57E_D000_0000)

    static func devEUI(_ index: Int) -> EUI64 { EUI64(0x00BE_0000_0000_0000 | UInt64(index)) }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        print("Gatehouse Join Server benchmark (\(CoreBenchmark.buildMode) build, \(seconds) s per measurement, \(concurrency) concurrent callers)")
        print("store: SQLite (WAL, synchronous=NORMAL: a commit survives SIGKILL) in \(directory); \(Self.deviceCount) LoRaWAN 1.1 devices")

        let configuration = GatehouseConfiguration(dataDirectory: directory, bindHost: "127.0.0.1", apiPort: 0, httpPort: 0, gatewayPort: 0, backendPort: 0)
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let services = try await GatehouseServices.open(configuration, logger: quiet)
        _ = try await services.pki.initializeAuthority(actor: "bench")
        try await services.joinDevices.setPeerKEK(.networkServer(Self.netID), Self.kek, actor: "bench")
        let now = Date()
        let devices = (0..<Self.deviceCount).map { index in
            JoinDevice(
                devEUI: Self.devEUI(index), joinEUI: Self.joinEUI, macVersion: .v1_1, rootKeys: .separate(nwkKey: Self.nwkKey, appKey: Self.appKey),
                owner: "bench", createdAt: now)
        }
        for chunk in stride(from: 0, to: devices.count, by: 1000) {
            _ = try await services.store.joinDevices.insertBatch(
                Array(devices[chunk..<min(chunk + 1000, devices.count)]),
                audit: DeviceAuditEvent(time: now, actor: "bench", action: .deviceImported, devEUI: nil, detail: "bench devices"))
        }
        let requests = JoinBenchmarkRequests(deviceCount: Self.deviceCount)

        let reference = try await JoinBenchmarkRun.measure(seconds: seconds, concurrency: concurrency) { slot in
            Self.referenceJoin(requests.next(slot))
        }
        print(String(format: "  reference: the join's cryptography alone: %.0f /s", reference.rate))

        let local = LocalJoinService(joinServer: services.joinServer, caller: .networkServer(Self.netID))
        let inProcess = try await JoinBenchmarkRun.measure(seconds: seconds, concurrency: concurrency) { slot in
            let answer = try await local.join(requests.next(slot))
            guard answer.result.isSuccess else { throw CommandLineFailure.invalidData("join refused: \(answer.result)") }
        }
        print(String(format: "  in process (LocalJoinService), %d callers: %.0f /s, p50 %.2f ms, p99 %.2f ms", concurrency, inProcess.rate, inProcess.p50, inProcess.p99))

        let credentials = try await services.pki.issueBackendClientCertificate(commonName: "ns:000031", validityDays: 1, actor: "bench")
        await services.close()
        let https = try await httpsRate(configuration: configuration, credentials: credentials, requests: requests)
        print(String(format: "  through the HTTPS Backend Interfaces (mutual TLS), %d in flight: %.0f /s, p50 %.2f ms, p99 %.2f ms", concurrency, https.rate, https.p50, https.p99))

        print("")
        print("measurement                                              joins/s   vs reference   p50 ms   p99 ms")
        for (name, value) in [("the join's cryptography (reference)", reference), ("in process, durable", inProcess), ("HTTPS Backend Interfaces", https)] {
            print(name.padding(toLength: 56, withPad: " ", startingAt: 0)
                + String(format: "%8.0f %14.2f %8.2f %8.2f", value.rate, value.rate / reference.rate, value.p50, value.p99))
        }
        print("target 5,000 joins/s in process with state that survives SIGKILL: \(inProcess.rate >= 5000 ? "met" : "NOT met")")
    }

    /// What every join costs in cryptography, whoever does it.
    static func referenceJoin(_ request: JoinReq) {
        guard let join = try? JoinRequest(decoding: request.phyPayload) else { return }
        _ = JoinMIC.computeJoinRequestMIC(nwkKey: nwkKey, message: join.encodedWithoutMIC) == join.mic
        let js = SessionKeyDerivation.deriveJoinServerKeys(nwkKey: nwkKey, devEUI: join.devEUI)
        let joinNonce = JoinNonce(UInt32(join.devNonce.rawValue))!
        let keys = SessionKeyDerivation.deriveSessionKeys(nwkKey: nwkKey, appKey: appKey, joinNonce: joinNonce, joinEUI: join.joinEUI, devNonce: join.devNonce)
        var accept = JoinAccept(joinNonce: joinNonce, homeNetID: netID, devAddr: request.devAddr, dlSettings: DLSettings(byte: 0x83), rxDelay: 5)
        accept.mic = JoinMIC.computeJoinAcceptMIC(
            jsIntKey: js.jsIntKey, joinReqType: .joinRequest, joinEUI: join.joinEUI, devNonce: join.devNonce.rawValue, message: accept.encodedWithoutMIC)
        _ = try? JoinAcceptCipher.encrypt(accept.encodedPlaintext, key: nwkKey)
        _ = KeyEnvelope(wrapping: keys.fNwkSIntKey, under: kek)
        _ = KeyEnvelope(wrapping: keys.sNwkSIntKey, under: kek)
        _ = KeyEnvelope(wrapping: keys.nwkSEncKey, under: kek)
    }

    private func httpsRate(configuration: GatehouseConfiguration, credentials: ServerCredentials, requests: JoinBenchmarkRequests) async throws -> JoinBenchmarkRun {
        let (endpoints, continuation) = AsyncStream.makeStream(of: APIEndpoint.self)
        let server = try GatehouseServer(configuration: configuration, logDestination: .lines { _ in }) { continuation.yield($0) }
        return try await withThrowingTaskGroup(of: JoinBenchmarkRun?.self) { group in
            group.addTask {
                try await server.run()
                return nil
            }
            defer { group.cancelAll() }
            var iterator = endpoints.makeAsyncIterator()
            guard let endpoint = await iterator.next() else { throw CommandLineFailure.invalidData("the server did not start") }
            var clientConfiguration = try HTTPJoinServiceConfiguration(
                url: "https://localhost:\(endpoint.backendPort)/",
                certificateChain: try credentials.certificateChain.map { try NIOSSLCertificate(bytes: try Self.der($0), format: .der) },
                privateKey: try NIOSSLPrivateKey(bytes: Array(credentials.privateKey.exportPEM().utf8), format: .pem),
                trustRoots: [try NIOSSLCertificate(bytes: try Self.der(credentials.trustAnchor), format: .der)])
            clientConfiguration.maximumConnections = concurrency
            let client = HTTPJoinService(configuration: clientConfiguration, logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
            do {
                let result = try await JoinBenchmarkRun.measure(seconds: seconds, concurrency: concurrency) { slot in
                    let answer = try await client.join(requests.next(slot))
                    guard answer.result.isSuccess else { throw CommandLineFailure.invalidData("join refused: \(answer.result)") }
                }
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}
