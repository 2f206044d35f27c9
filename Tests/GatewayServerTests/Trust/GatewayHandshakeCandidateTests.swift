import _CryptoExtras
import Crypto
import Foundation
import GatewayPKI
import GatewayServer
import NIOSSL
import Testing
import X509

/// What a candidate reads once for every policy, and the shortcuts it takes reading it: each must
/// give what the long way gives.
@Suite("Gateway handshake candidate")
struct GatewayHandshakeCandidateTests {
    let pki: TrustPKI

    init() throws { pki = try TrustPKI() }

    @Test("the key algorithm read without re-encoding the key is the one SubjectPublicKeyAlgorithm reads", arguments: [
        "P-256", "P-384", "P-521", "RSA-2048",
    ])
    func keyAlgorithmShortcut(kind: String) throws {
        let key: Certificate.PublicKey = switch kind {
        case "P-256": Certificate.PublicKey(P256.Signing.PrivateKey().publicKey)
        case "P-384": Certificate.PublicKey(P384.Signing.PrivateKey().publicKey)
        case "P-521": Certificate.PublicKey(P521.Signing.PrivateKey().publicKey)
        default: Certificate.PublicKey(try _RSA.Signing.PrivateKey(keySize: .bits2048).publicKey)
        }
        #expect(GatewayHandshakeCandidate.keyAlgorithm(of: key) == SubjectPublicKeyAlgorithm(publicKey: key))
    }

    @Test("the candidate's EUI and digest are the leaf's, whether or not its DER is given")
    func readOnce() throws {
        let credentials = try pki.issue()
        let given = GatewayHandshakeCandidate(
            leaf: credentials.certificate, presentedIntermediates: [], leafKeyAlgorithm: .ecdsa(.p256), validationTime: pki.now,
            leafDER: try TrustPKI.der(credentials.certificate))
        let serialised = try pki.candidate(credentials.certificate)
        #expect(given.gatewayEUI == GatewayIdentity.gatewayEUI(of: credentials.certificate))
        #expect(given.gatewayEUI == .success(TrustPKI.gateway))
        #expect(given.leafDigest == serialised.leafDigest)
        #expect(CertificateEncoding.fingerprintSHA256(der: try TrustPKI.der(credentials.certificate)) == credentials.fingerprintSHA256)
        #expect(given.leafDigest.map { String(format: "%02x", $0) }.joined() == credentials.fingerprintSHA256)
    }

    @Test("a handshake that ends in EOF, or any error but BoringSSL's missing-certificate one, is not reported as no certificate")
    func handshakeErrors() {
        #expect(HandshakeFailureReportingHandler.refusal(forHandshakeError: NIOSSLError.handshakeFailed(.sslError([.eofDuringHandshake]))) == nil)
        #expect(HandshakeFailureReportingHandler.refusal(
            forHandshakeError: NIOSSLError.handshakeFailed(.sslError([.eofDuringAdditionalCertficiateChainValidation]))) == nil)
        #expect(HandshakeFailureReportingHandler.refusal(forHandshakeError: NIOSSLError.handshakeFailed(.syscallError)) == nil)
        #expect(HandshakeFailureReportingHandler.refusal(forHandshakeError: NIOSSLError.uncleanShutdown) == nil)
    }
}
