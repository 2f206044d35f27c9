import GatewayPKI
import NIOSSL
import SwiftASN1
import X509

/// The TLS rules of the gateway listeners (LoRa Basics Station CUPS and LNS), DESIGN.md invariant 4.
///
/// - TLS 1.2 and 1.3 only.
/// - TLS 1.2: ECDHE key exchange (forward secrecy) with AES-GCM only, AES-256 first. No CBC
///   (padding-oracle history), no static RSA key exchange, no SHA-1 MAC, no ChaCha20 (Basics
///   Station's mbedTLS builds offer AES-GCM; the API listener keeps ChaCha20 for browsers). BoringSSL
///   picks by the client's preference among these, since swift-nio-ssl does not expose server
///   preference; all of them are acceptable.
/// - TLS 1.3: BoringSSL's suites, all AEAD, not configurable.
/// - Signatures (CertificateVerify and ServerKeyExchange): no SHA-1.
/// - A client certificate is required: `certificateVerification = .noHostnameVerification` makes
///   BoringSSL send a CertificateRequest and fail a client that sends none
///   (`SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT`). The chain is then judged only by the
///   custom verification callback of ``GatewayHandshakeVerifier``, which swift-nio-ssl installs with
///   `SSL_set_custom_verify`, replacing BoringSSL's own verification and its trust roots.
/// - `trustRoots` is an empty list, so BoringSSL neither loads the system roots (which must never
///   vouch for a gateway) nor would trust anything if a listener were ever built without the
///   callback: that mistake fails closed.
/// - The server key is RSA of at least 2048 bits or ECDSA P-256, which every Basics Station build
///   verifies.
public enum GatewayTLSPolicy {
    /// The TLS 1.2 cipher suites offered, AES-256 first.
    public static let tls12CipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    ]

    public static let minimumVersion: TLSVersion = .tlsv12
    public static let maximumVersion: TLSVersion = .tlsv13

    /// Signature schemes accepted from clients and used by the server: none with SHA-1
    /// (`rsa_pkcs1_sha1`, `ecdsa_sha1` are left out, BoringSSL verifies them by default).
    public static let signatureAlgorithms: [SignatureAlgorithm] = [
        .ecdsaSecp256R1Sha256,
        .ecdsaSecp384R1Sha384,
        .rsaPssRsaeSha256,
        .rsaPssRsaeSha384,
        .rsaPssRsaeSha512,
        .rsaPkcs1Sha256,
        .rsaPkcs1Sha384,
        .rsaPkcs1Sha512,
    ]

    /// Whether the gateway listeners may present a key of this algorithm.
    public static func acceptsServerKey(_ algorithm: SubjectPublicKeyAlgorithm) -> Bool {
        switch algorithm {
        case .ecdsa(.p256): true
        case .rsa(let bits): bits >= ClientKeyPolicy.minimumRSABits
        case .ecdsa, .ed25519, .ed448, .other: false
        }
    }

    /// The server configuration of a gateway listener presenting `certificateChain` (leaf first).
    /// Build the `NIOSSLContext` once from it, and a handler per connection with
    /// ``GatewayHandshakeVerifier/makeServerHandler(context:remoteAddress:)``.
    public static func serverConfiguration(
        certificateChain: [Certificate], privateKey: Certificate.PrivateKey
    ) throws(GatewayTLSPolicyError) -> TLSConfiguration {
        guard let leaf = certificateChain.first else { throw .emptyCertificateChain }
        let algorithm = SubjectPublicKeyAlgorithm(publicKey: leaf.publicKey)
        guard acceptsServerKey(algorithm) else { throw .weakServerKey(algorithm) }
        guard privateKey.publicKey == leaf.publicKey else { throw .privateKeyDoesNotMatchCertificate }

        let chain: [NIOSSLCertificateSource]
        do {
            chain = try certificateChain.map { certificate in
                var serializer = DER.Serializer()
                try serializer.serialize(certificate)
                return .certificate(try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der))
            }
        } catch {
            throw .rejectedByTLSLibrary("certificate")
        }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(bytes: try privateKey.serializeAsPEM().derBytes, format: .der) } catch {
            throw .rejectedByTLSLibrary("private key")
        }

        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = minimumVersion
        configuration.maximumTLSVersion = maximumVersion
        configuration.cipherSuiteValues = tls12CipherSuites
        configuration.verifySignatureAlgorithms = signatureAlgorithms
        configuration.signingSignatureAlgorithms = signatureAlgorithms
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates([])
        configuration.sendCANameList = false
        configuration.renegotiationSupport = .none
        return configuration
    }
}
