import Foundation
import GatehouseServer
import GatewayPKI
import LoRaWAN
import Logging
import Storage

/// One simulated gateway: its EUI and the credentials its station files would hold.
struct ConnectionBenchmarkGateway: Sendable {
    let eui: EUI64
    let certificatePEM: String
    let privateKeyPEM: String
}

/// The benchmark's gateways, made in-process on the data directory before the server starts: a CA,
/// N registered gateways, a certificate for each, and an API key to read the connection list.
struct ConnectionBenchmarkFleet: Sendable {
    let gateways: [ConnectionBenchmarkGateway]
    let trustAnchorPEM: String
    let apiKey: String
    static let callers = 64

    static func make(count: Int, dataDirectory: String) async throws -> ConnectionBenchmarkFleet {
        let configuration = GatehouseConfiguration(dataDirectory: dataDirectory, bindHost: "127.0.0.1", apiPort: 0, httpPort: 0)
        let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let services = try await GatehouseServices.open(configuration, logger: quiet)
        do {
            _ = try await services.pki.initializeAuthority(actor: "bench")
            let euis = (0..<count).map { EUI64(0x00BE_0000_0000_0000 | UInt64($0)) }
            try await forEach(euis) { eui in
                _ = try await services.pki.registerGateway(
                    eui: eui, name: "bench \(eui)", network: "bench", location: nil, frequencyPlan: .eu868, actor: "bench")
            }
            let issued = try await map(euis) { eui in
                let issued = try await services.pki.issueCertificate(for: eui, actor: "bench")
                let gateway = ConnectionBenchmarkGateway(eui: eui, certificatePEM: issued.certificate.certificatePEM, privateKeyPEM: issued.privateKey.exportPEM())
                return (gateway, issued.certificate.trustAnchorPEM)
            }
            guard let trustAnchorPEM = issued.first?.1 else { throw CommandLineFailure.usage("no gateways") }
            let gateways = issued.map(\.0)
            let apiKey = try await services.store.apiKeys.create(name: "bench", at: Date(), actor: "bench").plaintextKey
            await services.close()
            return ConnectionBenchmarkFleet(gateways: gateways, trustAnchorPEM: trustAnchorPEM, apiKey: apiKey)
        } catch {
            await services.close()
            throw error
        }
    }

    private static func forEach(_ euis: [EUI64], _ body: @escaping @Sendable (EUI64) async throws -> Void) async throws {
        _ = try await map(euis) { try await body($0) }
    }

    /// `transform` over `euis` from `callers` tasks (so storage can group their writes), in order.
    private static func map<T: Sendable>(_ euis: [EUI64], _ transform: @escaping @Sendable (EUI64) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: (Int, T).self) { group in
            var results = [T?](repeating: nil, count: euis.count)
            var next = 0
            func startNext() {
                guard next < euis.count else { return }
                let index = next
                next += 1
                group.addTask { (index, try await transform(euis[index])) }
            }
            for _ in 0..<callers { startNext() }
            while let (index, value) = try await group.next() {
                results[index] = value
                startNext()
            }
            return results.compactMap { $0 }
        }
    }
}
