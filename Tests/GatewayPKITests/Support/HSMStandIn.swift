import Crypto
import Foundation
import GatewayPKI
import SwiftASN1
import X509

/// A stand-in for an HSM key: swift-certificates' `CustomPrivateKey` over a P-256 key that, like a
/// real HSM, refuses to export itself. It counts signatures so a test can see they went through it.
struct HSMStandInKey: CustomPrivateKey {
    struct NotExportable: Error {}

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() { lock.withLock { value += 1 } }
        var count: Int { lock.withLock { value } }
    }

    let key: P256.Signing.PrivateKey
    let counter: Counter

    var publicKey: Certificate.PublicKey { Certificate.PublicKey(key.publicKey) }
    var defaultSignatureAlgorithm: Certificate.SignatureAlgorithm { .ecdsaWithSHA256 }
    var supportedSignatureAlgorithms: [Certificate.SignatureAlgorithm] { [.ecdsaWithSHA256] }

    func signSynchronously(bytes: some DataProtocol, signatureAlgorithm: Certificate.SignatureAlgorithm) throws -> Certificate.Signature {
        counter.increment()
        let signature = try key.signature(for: SHA256.hash(data: bytes))
        return try Certificate.Signature(
            signatureAlgorithm: .ecdsaWithSHA256, signatureBytes: ASN1BitString(bytes: ArraySlice(signature.derRepresentation)))
    }

    static var defaultPEMDiscriminator: String { "PRIVATE KEY" }
    func serialize(into coder: inout DER.Serializer) throws { throw NotExportable() }

    static func == (lhs: Self, rhs: Self) -> Bool { lhs.publicKey == rhs.publicKey }
    func hash(into hasher: inout Hasher) { hasher.combine(publicKey) }
}

/// A ``CertificateSigner`` backed by ``HSMStandInKey``: what an HSM integration would look like.
struct HSMStandInSigner: CertificateSigner {
    let certificate: Certificate
    let authorityID: String
    let privateKey: Certificate.PrivateKey
    var signatureAlgorithm: Certificate.SignatureAlgorithm { .ecdsaWithSHA256 }
}
