import Foundation
import GatewayPKI
import GatewayServer
import LoRaWAN
import Testing
import X509

@Suite("Gateway trust store")
struct GatewayTrustStoreTests {
    let pki: TrustPKI

    init() throws { pki = try TrustPKI() }

    @Test("after ca init the root is the anchor and the issuing CA an intermediate")
    func rootAndIssuing() {
        let snapshot = pki.trustStore().snapshot
        #expect(snapshot.anchors == [pki.root])
        #expect(snapshot.intermediates == [pki.issuing])
    }

    @Test("the PKI's trusted certificates sort the same way, in any order")
    func fromCertificates() {
        let snapshot = GatewayTrustStore.Snapshot(authorityCertificates: [pki.issuing, pki.root])
        #expect(snapshot.anchors == [pki.root])
        #expect(snapshot.intermediates == [pki.issuing])
    }

    @Test("an imported issuing CA whose root Gatehouse does not hold is an anchor itself")
    func importedIssuingWithoutRoot() {
        let snapshot = GatewayTrustStore.Snapshot(authorityCertificates: [pki.issuing])
        #expect(snapshot.anchors == [pki.issuing])
        #expect(snapshot.intermediates.isEmpty)
    }

    @Test("a CA that merely claims our root's name as issuer is not made an intermediate under it")
    func nameCollisionIsNotAnIssuer() throws {
        let impostor = try TrustPKI(now: pki.now)
        // The other hierarchy's issuing CA has a subject and issuer of the same names as ours, but our root did not sign it.
        let snapshot = GatewayTrustStore.Snapshot(authorityCertificates: [pki.root, impostor.issuing])
        #expect(snapshot.anchors.count == 2)
        #expect(snapshot.intermediates.isEmpty)
    }

    @Test("a vendor CA trusted at run time admits its gateways from the next handshake, and removing it refuses them again")
    func vendorTrustedAtRunTime() async throws {
        let vendor = try TrustPKI.makeForeignCA(now: pki.now, name: "Vendor Gateway CA")
        let leaf = try TrustPKI.leaf(signedBy: vendor, now: pki.now)
        let store = pki.trustStore()
        let policy = TrustedChainPolicy(trustStore: store)
        #expect(await policy.evaluate(try pki.candidate(leaf)) == .refused(.untrustedChain))

        let vendorRecord = AuthorityRecord(
            id: "vendor", role: .vendor, certificateDER: try TrustPKI.der(vendor.certificate), privateKey: nil, createdAt: pki.now)
        store.replace(authorities: [pki.authorities.root, pki.authorities.issuing, vendorRecord])
        #expect(store.snapshot.anchors.contains(vendor.certificate))
        #expect(await policy.evaluate(try pki.candidate(leaf)) == .meetsPolicy)

        store.replace(authorities: [pki.authorities.root, pki.authorities.issuing])
        #expect(await policy.evaluate(try pki.candidate(leaf)) == .refused(.untrustedChain))
    }
}
