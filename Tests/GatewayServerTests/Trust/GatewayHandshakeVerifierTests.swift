import Crypto
import Foundation
import GatewayPKI
import GatewayServer
import LoRaWAN
import SwiftASN1
import Testing
import X509

/// The composed verifier: one test per refusal reason through `verify(peerChain:)`, each refused
/// for exactly that reason, logged with it and counted under its label.
@Suite("Gateway handshake verifier")
struct GatewayHandshakeVerifierTests {
    let pki: TrustPKI
    let harness: TrustVerifierHarness

    init() throws {
        pki = try TrustPKI()
        harness = TrustVerifierHarness(pki: pki)
    }

    /// Verifies, and checks that the refusal was logged and counted once under its label and nothing else was.
    private func expectRefusal(
        _ chain: [Certificate], is expected: GatewayHandshakeRefusal, gateway: EUI64? = TrustPKI.gateway,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        let result = await harness.verifier.verify(peerChain: chain, remoteAddress: TrustVerifierHarness.remoteAddress)
        #expect(result == .failure(expected), sourceLocation: sourceLocation)
        expectCounted(expected, gateway: gateway, sourceLocation: sourceLocation)
    }

    private func expectCounted(_ expected: GatewayHandshakeRefusal, gateway: EUI64?, sourceLocation: SourceLocation = #_sourceLocation) {
        let observation = harness.observation
        #expect(observation.refusals(expected.reason) == 1, sourceLocation: sourceLocation)
        #expect(observation.allRefusals == 1, sourceLocation: sourceLocation)
        #expect(observation.admissions == 0, sourceLocation: sourceLocation)
        let logged = observation.log.refusals(labelled: expected.label)
        #expect(logged.count == 1, sourceLocation: sourceLocation)
        #expect(logged.first?.metadata["remote"] == TrustVerifierHarness.remoteAddress, sourceLocation: sourceLocation)
        #expect(logged.first?.metadata["gateway"] == gateway?.description, sourceLocation: sourceLocation)
        #expect(logged.first?.message.contains(expected.description) == true, sourceLocation: sourceLocation)
    }

    @Test("a certificate Gatehouse issued to a registered gateway is admitted, logged and counted")
    func admitted() async throws {
        let credentials = try pki.issue()
        let result = await harness.verifier.verify(peerChain: [credentials.certificate], remoteAddress: TrustVerifierHarness.remoteAddress)
        let identity = try result.get()
        #expect(identity.eui == TrustPKI.gateway)
        #expect(identity.serial == credentials.serial)
        #expect(harness.observation.admissions == 1)
        #expect(harness.observation.allRefusals == 0)
        let line = try #require(harness.observation.log.all.first)
        #expect(line.metadata["gateway"] == TrustPKI.gateway.description)
        #expect(line.metadata["remote"] == TrustVerifierHarness.remoteAddress)
    }

    @Test("an RSA-2048 gateway certificate is admitted too")
    func admittedRSA() async throws {
        let credentials = try pki.issue(keyType: .rsa2048)
        #expect(await harness.verifier.verify(peerChain: [credentials.certificate], remoteAddress: nil).map(\.eui) == .success(TrustPKI.gateway))
    }

    @Test("no certificate is refused as no certificate")
    func noCertificate() async {
        await expectRefusal([], is: .noCertificate, gateway: nil)
    }

    @Test("a certificate from an unknown CA is refused as an untrusted chain")
    func untrustedChain() async throws {
        let stranger = try TrustPKI.makeForeignCA(now: pki.now)
        await expectRefusal([try TrustPKI.leaf(signedBy: stranger, now: pki.now), stranger.certificate], is: .untrustedChain)
    }

    @Test("an expired gateway certificate is refused as expired")
    func expired() async throws {
        let leaf = try pki.craft(subject: try TrustPKI.subject(), notBefore: pki.now.addingTimeInterval(-30 * 86_400), notAfter: pki.now.addingTimeInterval(-1))
        await expectRefusal([leaf], is: .expired(notAfter: leaf.notValidAfter))
    }

    @Test("a gateway certificate not valid yet is refused as not yet valid")
    func notYetValid() async throws {
        let leaf = try pki.craft(subject: try TrustPKI.subject(), notBefore: pki.now.addingTimeInterval(600), notAfter: pki.now.addingTimeInterval(86_400))
        await expectRefusal([leaf], is: .notYetValid(notBefore: leaf.notValidBefore))
    }

    @Test("an expired certificate from an unknown CA is refused as expired: the leaf's own dates are checked first")
    func expiredAndUntrusted() async throws {
        let stranger = try TrustPKI.makeForeignCA(now: pki.now)
        let leaf = try TrustPKI.leaf(signedBy: stranger, now: pki.now.addingTimeInterval(-10 * 86_400))
        await expectRefusal([leaf], is: .expired(notAfter: leaf.notValidAfter))
    }

    @Test("a certificate without clientAuth is refused as missing clientAuth")
    func missingClientAuth() async throws {
        let leaf = try pki.craft(subject: try TrustPKI.subject(), extensions: try TrustPKI.gatewayExtensions(usages: [.serverAuth]))
        await expectRefusal([leaf], is: .missingClientAuthentication)
    }

    @Test("a P-521 gateway key is refused as a weak key")
    func weakCurve() async throws {
        let leaf = try pki.craft(subject: try TrustPKI.subject(), publicKey: Certificate.PublicKey(P521.Signing.PrivateKey().publicKey))
        await expectRefusal([leaf], is: .weakKey(.ecdsa(.p521)))
    }

    @Test("an RSA-1024 gateway certificate made with openssl is refused as a weak key, not as malformed")
    func rsa1024() async throws {
        let directory = try TrustTemporaryDirectory()
        try directory.write(try TrustPKI.pem(pki.issuing), to: "issuing.pem")
        let issuingKey = try #require(pki.authorities.issuing.privateKey).exportDER()
        try directory.write(PEMDocument(type: "PRIVATE KEY", derBytes: issuingKey).pemString, to: "issuing.key")
        try directory.write("basicConstraints=critical,CA:FALSE\nextendedKeyUsage=clientAuth\n", to: "gateway.ext")
        try TrustOpenSSL.succeed(
            ["req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", "gateway.key", "-subj", "/CN=\(TrustPKI.gateway)", "-out", "gateway.csr"],
            in: directory)
        try TrustOpenSSL.succeed(
            ["x509", "-req", "-in", "gateway.csr", "-CA", "issuing.pem", "-CAkey", "issuing.key", "-set_serial", "0x4a7e", "-days", "2",
             "-extfile", "gateway.ext", "-out", "gateway.pem"],
            in: directory)
        let der = try PEMDocument(pemString: try directory.read("gateway.pem")).derBytes
        #expect(throws: (any Error).self) { try Certificate(derEncoded: der) }  // why the DER entry point exists

        let result = await harness.verifier.verify(peerChainDER: [der], remoteAddress: TrustVerifierHarness.remoteAddress)
        #expect(result == .failure(.weakKey(.rsa(modulusBits: 1024))))
        expectCounted(.weakKey(.rsa(modulusBits: 1024)), gateway: nil)
    }

    @Test("bytes that are not a certificate are refused as malformed")
    func malformed() async {
        let result = await harness.verifier.verify(peerChainDER: [[0x30, 0x03, 0x02, 0x01, 0x00]], remoteAddress: TrustVerifierHarness.remoteAddress)
        #expect(result == .failure(.malformedCertificate))
        expectCounted(.malformedCertificate, gateway: nil)
    }

    @Test("a revoked gateway certificate is refused as revoked")
    func revoked() async throws {
        let credentials = try pki.issue()
        harness.revocation.markRevoked(serials: [credentials.serial])
        await expectRefusal([credentials.certificate], is: .revoked(serial: credentials.serial))
    }

    @Test("a CN that is not an EUI is refused as subject not an EUI")
    func subjectNotEUI() async throws {
        let leaf = try pki.craft(subject: try DistinguishedName { CommonName("gateway-1") })
        let expected = try #require(GatewayIdentity.gatewayEUI(of: leaf).trustFailure)
        await expectRefusal([leaf], is: expected, gateway: nil)
    }

    @Test("the CN of an unregistered EUI is refused as an unregistered gateway")
    func unregistered() async throws {
        let leaf = try pki.issue(TrustPKI.unregisteredGateway).certificate
        await expectRefusal([leaf], is: .unregisteredGateway(TrustPKI.unregisteredGateway), gateway: TrustPKI.unregisteredGateway)
    }

    @Test("a directory that cannot answer refuses the handshake as directory unavailable")
    func directoryUnavailable() async throws {
        let failing = TrustVerifierHarness(pki: pki, directory: TrustDirectory(registered: [TrustPKI.gateway], failing: true))
        let result = await failing.verifier.verify(peerChain: [try pki.issue().certificate], remoteAddress: nil)
        #expect(result == .failure(.directoryUnavailable(TrustPKI.gateway, error: "the database is unreachable")))
        #expect(failing.observation.refusals(.directoryUnavailable) == 1)
        #expect(failing.observation.admissions == 0)
    }

    @Test("a revocation applies to the very next verification of the same certificate")
    func revocationAppliesAtOnce() async throws {
        let credentials = try pki.issue()
        #expect((try? await harness.verifier.verify(peerChain: [credentials.certificate], remoteAddress: nil).get()) != nil)
        harness.revocation.markRevoked(serials: [credentials.serial])
        #expect(await harness.verifier.verify(peerChain: [credentials.certificate], remoteAddress: nil) == .failure(.revoked(serial: credentials.serial)))
        #expect(harness.observation.admissions == 1)
        #expect(harness.observation.refusals(.revoked) == 1)
    }

    @Test("every refusal reason has its own metrics label")
    func distinctLabels() {
        let labels = GatewayHandshakeRefusal.Reason.allCases.map(\.rawValue)
        #expect(Set(labels).count == labels.count)
        #expect(labels.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "_" } })
    }
}
