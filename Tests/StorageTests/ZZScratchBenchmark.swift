import Foundation
import GatewayPKI
import Storage
import Testing

@Suite("scratch benchmark") struct ScratchBenchmark {
    @Test("issuance rate", arguments: Backend.available)
    func rate(backend: Backend) async throws {
        guard ProcessInfo.processInfo.environment["GH_SCRATCH_BENCH"] != nil else { return }
        try await withStore(backend) { store, _ in
            let n: UInt64 = 200
            for g in 1...n { _ = try await store.gateways.insert(Fixture.gateway(g), audit: Fixture.event(.gatewayRegistered, gateway: g)) }
            let count = 3000
            let certs = (0..<count).map { Fixture.certificate(gateway: UInt64($0) % n + 1, issuedAt: Fixture.time($0)) }
            var start = ContinuousClock.now
            for c in certs.prefix(1000) {
                _ = try await store.certificates.recordIssuance(c, at: c.issuedAt, audit: [Fixture.event(.certificateIssued, gateway: 1, at: c.issuedAt, serial: c.serial)])
            }
            var elapsed = ContinuousClock.now - start
            print("\(backend) sequential: \(1000.0 / (Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))) /s")
            start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for c in certs.suffix(2000) {
                    group.addTask { _ = try await store.certificates.recordIssuance(c, at: c.issuedAt, audit: [Fixture.event(.certificateIssued, gateway: 1, at: c.issuedAt, serial: c.serial)]) }
                }
                try await group.waitForAll()
            }
            elapsed = ContinuousClock.now - start
            print("\(backend) concurrent: \(2000.0 / (Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))) /s")
            start = ContinuousClock.now
            for c in certs.prefix(1000) { _ = try await store.certificates.certificate(serial: c.serial) }
            elapsed = ContinuousClock.now - start
            print("\(backend) read by serial: \(1000.0 / (Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))) /s")
        }
    }
}
