import X509

/// Signs CRLs for the CA that issues them (RFC 5280 §5.1.1.2-3).
///
/// The requirements are those of the authority's `CertificateSigner`, so a software key or an HSM
/// that signs certificates can sign CRLs with a one-line conformance.
public protocol CRLSigning {
    /// The issuing CA's certificate: its subject becomes the CRL issuer, its subject key identifier
    /// the CRL's authority key identifier, and its public key must verify the signature.
    var certificate: Certificate { get }

    /// Signs DER bytes (here: a `TBSCertList`) and says with which algorithm. ECDSA signatures are
    /// DER `Ecdsa-Sig-Value`s, RSA signatures the raw PKCS #1 v1.5 signature.
    func sign(_ tbsBytes: [UInt8]) throws -> (algorithm: Certificate.SignatureAlgorithm, signature: [UInt8])
}
