import _CryptoExtras
import Crypto
import Foundation
import GatewayPKI
import GatewayServer
import NIOSSL
import Testing
import X509

@Suite("Gateway TLS policy")
struct GatewayTLSPolicyTests {
    @Test("the listener speaks TLS 1.2 and 1.3 only, with ECDHE AES-GCM suites, AES-256 first")
    func protocolAndSuites() throws {
        let identity = try TrustServerIdentity()
        let configuration = try GatewayTLSPolicy.serverConfiguration(certificateChain: [identity.certificate], privateKey: identity.privateKey)
        #expect(configuration.minimumTLSVersion == .tlsv12)
        #expect(configuration.maximumTLSVersion == .tlsv13)
        #expect(configuration.cipherSuites == [
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        ].joined(separator: ":"))
        // What BoringSSL made of the list: exactly these, no CBC, no static RSA, no SHA-1 MAC.
        let tls13: Set<UInt16> = [0x1301, 0x1302, 0x1303]
        #expect(configuration.cipherSuiteValues.filter { !tls13.contains($0.rawValue) } == GatewayTLSPolicy.tls12CipherSuites)
    }

    @Test("no SHA-1 signature scheme is accepted or used")
    func signatureSchemes() throws {
        let identity = try TrustServerIdentity()
        let configuration = try GatewayTLSPolicy.serverConfiguration(certificateChain: [identity.certificate], privateKey: identity.privateKey)
        for algorithms in [configuration.verifySignatureAlgorithms, configuration.signingSignatureAlgorithms] {
            let list = try #require(algorithms)
            #expect(!list.contains(.rsaPkcs1Sha1) && !list.contains(.ecdsaSha1))
        }
    }

    @Test("a client certificate is required, judged only by our callback, never by system roots")
    func clientCertificateRequired() throws {
        let identity = try TrustServerIdentity()
        let configuration = try GatewayTLSPolicy.serverConfiguration(certificateChain: [identity.certificate], privateKey: identity.privateKey)
        #expect(configuration.certificateVerification == .noHostnameVerification)
        #expect(configuration.trustRoots == .certificates([]))
        _ = try NIOSSLContext(configuration: configuration)
    }

    @Test("an RSA-2048 server key is accepted")
    func rsaServerKey() throws {
        let identity = try TrustServerIdentity(privateKey: Certificate.PrivateKey(try _RSA.Signing.PrivateKey(keySize: .bits2048)))
        _ = try GatewayTLSPolicy.serverConfiguration(certificateChain: [identity.certificate], privateKey: identity.privateKey)
    }

    @Test("a P-384 server key is refused: Basics Station builds verify P-256")
    func p384ServerKey() throws {
        let identity = try TrustServerIdentity(privateKey: Certificate.PrivateKey(P384.Signing.PrivateKey()))
        #expect(throws: GatewayTLSPolicyError.weakServerKey(.ecdsa(.p384))) {
            try GatewayTLSPolicy.serverConfiguration(certificateChain: [identity.certificate], privateKey: identity.privateKey)
        }
    }

    @Test("an RSA-1024 server key is refused as weak")
    func rsa1024ServerKey() throws {
        let identity = try TrustServerIdentity(privateKey: Certificate.PrivateKey(try _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))))
        #expect(throws: GatewayTLSPolicyError.weakServerKey(.rsa(modulusBits: 1024))) {
            try GatewayTLSPolicy.serverConfiguration(certificateChain: [identity.certificate], privateKey: identity.privateKey)
        }
    }

    @Test("a key that is not the certificate's, and an empty chain, are refused")
    func mismatchedKey() throws {
        let identity = try TrustServerIdentity()
        #expect(throws: GatewayTLSPolicyError.privateKeyDoesNotMatchCertificate) {
            try GatewayTLSPolicy.serverConfiguration(certificateChain: [identity.certificate], privateKey: Certificate.PrivateKey(P256.Signing.PrivateKey()))
        }
        #expect(throws: GatewayTLSPolicyError.emptyCertificateChain) {
            try GatewayTLSPolicy.serverConfiguration(certificateChain: [], privateKey: identity.privateKey)
        }
    }
}
