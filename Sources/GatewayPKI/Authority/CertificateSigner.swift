import X509

/// The one place every signature of a certificate authority goes through.
///
/// Gatehouse signs two kinds of structure with a CA key: certificates, which swift-certificates
/// builds and signs itself through ``privateKey``, and CRLs, which it cannot build, so their encoder
/// hands the DER `TBSCertList` to ``sign(_:)``. A software key (``SoftwareCertificateSigner``) and an
/// HSM (a `Certificate.PrivateKey` wrapping a swift-certificates `CustomPrivateKey`) conform alike, so
/// replacing one with the other touches no caller.
public protocol CertificateSigner: CRLSigning, Sendable {
    /// The CA certificate whose key signs: its subject becomes the issuer of what it signs.
    var certificate: Certificate { get }

    /// The `AuthorityRecord.id` of this CA (SHA-256 fingerprint of ``certificate``, lower-case hex),
    /// recorded as the issuer of each certificate it signs.
    var authorityID: String { get }

    /// The key swift-certificates signs certificates with (`Certificate.init(... issuerPrivateKey:)`).
    /// An HSM signer returns a `Certificate.PrivateKey` wrapping its `CustomPrivateKey`.
    var privateKey: Certificate.PrivateKey { get }

    /// The algorithm this CA signs with: ecdsa-with-SHA256 for P-256, ecdsa-with-SHA384 for P-384,
    /// sha256WithRSAEncryption for RSA (RFC 5758 §3.2, RFC 4055 §5).
    var signatureAlgorithm: Certificate.SignatureAlgorithm { get }

    /// Signs DER bytes that swift-certificates cannot sign itself (a CRL's `TBSCertList`).
    ///
    /// - Returns: the algorithm to write in the structure's `signatureAlgorithm`, and the signature in
    ///   the form that algorithm defines for the BIT STRING: a DER `ECDSA-Sig-Value` (RFC 3279
    ///   §2.2.3) for ECDSA, the PKCS #1 v1.5 signature (RFC 8017 §8.2) for RSA.
    func sign(_ tbsBytes: [UInt8]) throws -> (algorithm: Certificate.SignatureAlgorithm, signature: [UInt8])
}

extension CertificateSigner {
    /// Signs with ``privateKey`` and ``signatureAlgorithm``. swift-certificates' `Signature` already
    /// holds the encoding the algorithm identifier expects (`rawRepresentation` is the DER
    /// `ECDSA-Sig-Value` for ECDSA and the raw PKCS #1 v1.5 block for RSA), so a software key and a
    /// `CustomPrivateKey` produce the same form.
    public func sign(_ tbsBytes: [UInt8]) throws -> (algorithm: Certificate.SignatureAlgorithm, signature: [UInt8]) {
        let signature = try privateKey.sign(bytes: tbsBytes, signatureAlgorithm: signatureAlgorithm)
        return (signatureAlgorithm, signature.rawRepresentation)
    }
}
