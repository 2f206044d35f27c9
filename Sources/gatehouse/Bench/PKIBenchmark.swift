import AsyncHTTPClient
import Foundation
import GatehouseServer
import GatewayPKI
import LoRaWAN
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Storage

/// `gatehouse bench pki`: gateway certificate issuance with server-side P-256 keys, in-process and
/// through the HTTPS API, on the embedded SQLite store in a temporary directory, and how soon a
/// revocation is visible to the handshake verifier.
///
/// The in-run reference is the same issuance without storage (key generation plus CA signature), so
/// the ratio shows what storage and audit cost on top of the cryptography.
struct PKIBenchmark {
    let seconds: Double
    let concurrency: Int
    static let fleetCallers = 64

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        print("Gatehouse PKI benchmark (\(CoreBenchmark.buildMode) build, \(seconds) s per measurement, \(concurrency) concurrent issuers)")
        print("store: SQLite (WAL, synchronous=NORMAL) in \(directory)")

        let configuration = GatehouseConfiguration(dataDirectory: directory, bindHost: "127.0.0.1", apiPort: 0, httpPort: 0)
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let services = try await GatehouseServices.open(configuration, logger: quiet)
        let authorities = try await services.pki.initializeAuthority(actor: "bench")
        let gatewayCount = 1000
        for index in 0..<gatewayCount {
            try await services.pki.registerGateway(
                eui: EUI64(0x00AB_0000_0000_0000 | UInt64(index)), name: "bench \(index)", network: "bench", location: nil,
                frequencyPlan: .eu868, actor: "bench")
        }

        // Reference: the cryptography alone.
        let issuer = try GatewayCertificateIssuer(signer: authorities.issuingSigner, trustAnchor: authorities.rootSigner.certificate)
        let reference = try await rate(concurrency: concurrency) { index in
            _ = try issuer.issueWithServerKey(for: EUI64(0x00AB_0000_0000_0000 | UInt64(index % gatewayCount)), now: Date())
        }
        print(String(format: "  reference: P-256 key + certificate signature, no storage: %.0f /s", reference))

        let sequential = try await rate(concurrency: concurrency) { index in
            _ = try await services.pki.issueCertificate(for: EUI64(0x00AB_0000_0000_0000 | UInt64(index % gatewayCount)), actor: "bench")
        }
        print(String(format: "  in-process issuance, %d callers (stored, previous revoked, audited, CRL regenerated): %.0f /s", concurrency, sequential))
        // A fleet re-issue: many callers at once, so the group commit batches their transactions.
        let inProcess = try await rate(concurrency: Self.fleetCallers) { index in
            _ = try await services.pki.issueCertificate(for: EUI64(0x00AB_0000_0000_0000 | UInt64(index % gatewayCount)), actor: "bench")
        }
        print(String(format: "  in-process issuance, %d callers (a fleet re-issue): %.0f /s", Self.fleetCallers, inProcess))

        // Revocation: how long the call takes, and whether the verifier's live state has it on return.
        let serials = try await (0..<200).asyncMap { index in
            try await services.pki.issueCertificate(for: EUI64(0x00AC_0000_0000_0000 | UInt64(index)).registered(in: services), actor: "bench").certificate.record.serial
        }
        var revokeDurations: [Double] = []
        var visibleOnReturn = 0
        var checkNanoseconds: [Double] = []
        for serial in serials {
            let start = ContinuousClock.now
            try await services.pki.revoke(serial: serial, reason: .keyCompromise, actor: "bench")
            let returned = ContinuousClock.now
            let seen = services.pki.revocation.isRevoked(serial: serial)
            let checked = ContinuousClock.now
            revokeDurations.append(Self.milliseconds(returned - start))
            checkNanoseconds.append(Self.milliseconds(checked - returned) * 1e6)
            if seen { visibleOnReturn += 1 }
        }
        revokeDurations.sort()
        checkNanoseconds.sort()
        print(String(format: "  revocation: call p50 %.2f ms (transaction + CRL), visible to the verifier on return: %d/%d, live-state lookup p50 %.0f ns",
                     revokeDurations[revokeDurations.count / 2], visibleOnReturn, serials.count, checkNanoseconds[checkNanoseconds.count / 2]))
        let apiKey = try await services.store.apiKeys.create(name: "bench", at: Date(), actor: "bench").plaintextKey
        await services.close()

        let api = try await apiRate(configuration: configuration, apiKey: apiKey, gatewayCount: gatewayCount)
        print(String(format: "  through the HTTPS API (curl-equivalent requests, %d in flight): %.0f /s", Self.fleetCallers, api))

        print("")
        print("measurement                                              certificates/s   vs reference")
        for (name, value) in [
            ("P-256 key + signature (reference)", reference), ("issuance in-process, \(concurrency) callers", sequential),
            ("issuance in-process, \(Self.fleetCallers) callers", inProcess), ("issuance through the HTTPS API", api),
        ] {
            print(name.padding(toLength: 56, withPad: " ", startingAt: 0) + String(format: "%15.0f %14.2f", value, value / reference))
        }
        print(String(format: "target 3,000 P-256 certificates/s in-process (fleet re-issue): %@", inProcess >= 3000 ? "met" : "NOT met"))
    }

    /// Runs `body` from `concurrency` tasks for the time budget; returns completed operations per second.
    private func rate(concurrency: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws -> Double {
        let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
        let start = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var done = 0
                    while ContinuousClock.now < deadline {
                        try await body(worker * 1_000_000 + done)
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(total) / Self.seconds(ContinuousClock.now - start)
    }

    private func apiRate(configuration: GatehouseConfiguration, apiKey: String, gatewayCount: Int) async throws -> Double {
        let (endpoints, continuation) = AsyncStream.makeStream(of: APIEndpoint.self)
        let server = try GatehouseServer(configuration: configuration, logDestination: .lines { _ in }) { continuation.yield($0) }
        return try await withThrowingTaskGroup(of: Double?.self) { group in
            group.addTask {
                try await server.run()
                return nil
            }
            defer { group.cancelAll() }
            var iterator = endpoints.makeAsyncIterator()
            guard let endpoint = await iterator.next() else { throw CommandLineFailure.invalidData("the server did not start") }
            var tls = TLSConfiguration.makeClientConfiguration()
            // The benchmark talks to the server it started itself on loopback. BoringSSL does not take the
            // self-signed development certificate (key usage without keyCertSign) as a trust anchor, so
            // verification is off here only; TLS is still negotiated and encrypted as for any client.
            tls.certificateVerification = .none
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            do {
                let result = try await rate(concurrency: Self.fleetCallers) { index in
                    var request = HTTPClientRequest(url: "https://localhost:\(endpoint.port)/api/v1/gateways/\(EUI64(0x00AB_0000_0000_0000 | UInt64(index % gatewayCount)))/certificates")
                    request.method = .POST
                    request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(string: "{}"))
                    let response = try await client.execute(request, timeout: .seconds(30))
                    _ = try await response.body.collect(upTo: 1 << 20)
                    guard response.status == .created else { throw CommandLineFailure.invalidData("API answered \(response.status)") }
                }
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func milliseconds(_ duration: Duration) -> Double { seconds(duration) * 1000 }
}

extension EUI64 {
    /// Registers this EUI as a gateway (for the revocation measurement) and returns it.
    fileprivate func registered(in services: GatehouseServices) async throws -> EUI64 {
        try await services.pki.registerGateway(eui: self, name: "revocation", network: "bench", location: nil, frequencyPlan: .eu868, actor: "bench")
        return self
    }
}

extension Sequence {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
