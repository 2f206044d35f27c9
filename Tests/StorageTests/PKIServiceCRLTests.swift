import Foundation
import GatewayPKI
import LoRaWAN
import Storage
import Testing

/// The CRL the PKI service regenerates from storage while certificates are re-issued and revoked:
/// entries kept from one regeneration to the next must never leave the CRL out of date.
@Suite("PKI service CRL over storage")
struct PKIServiceCRLTests {
    static func pkiStore(_ store: GatehouseStore) -> PKIStore {
        PKIStore(gateways: store.gateways, certificates: store.certificates, authorities: store.authorities, audit: store.audit, crls: store.crls)
    }

    @Test("each regenerated CRL lists exactly the revoked certificates, with their latest reasons, under a higher number", arguments: Backend.available)
    func regenerations(backend: Backend) async throws {
        try await withStore(backend) { store, _ in
            let pki = try await GatewayPKIService.open(store: Self.pkiStore(store))
            _ = try await pki.initializeAuthority(actor: "test")
            let gateways = (1...5).map { EUI64(0x00AB_0000_0000_0000 | UInt64($0)) }
            for eui in gateways {
                try await pki.registerGateway(eui: eui, name: "g", network: "n", location: nil, frequencyPlan: .eu868, actor: "test")
            }
            var revoked: [String: CRLReason] = [:]
            var current: [EUI64: String] = [:]
            var lastNumber: Int64 = -1
            for round in 0..<4 {
                for eui in gateways.prefix(round + 2) {
                    let serial = try await pki.issueCertificate(for: eui, actor: "test").certificate.record.serial
                    if let previous = current[eui] { revoked[previous] = .superseded }
                    current[eui] = serial
                }
                if round == 2, let victim = current[gateways[0]] {
                    try await pki.revoke(serial: victim, reason: .keyCompromise, actor: "test")
                    revoked[victim] = .keyCompromise
                    current[gateways[0]] = nil
                }
                let crl = try await pki.currentCRL()
                let list = try CertificateList(derEncoded: crl.der)
                #expect(crl.number > lastNumber)
                lastNumber = crl.number
                let listed = Dictionary(uniqueKeysWithValues: list.revokedCertificates.map { ($0.serialHex, $0.reason) })
                let expected = Dictionary(uniqueKeysWithValues: try revoked.map { serial, reason in
                    (try RevokedCertificate(serialHex: serial, revocationDate: Date(), reason: reason).serialHex, reason)
                })
                #expect(listed == expected, "round \(round)")
            }
        }
    }
}
