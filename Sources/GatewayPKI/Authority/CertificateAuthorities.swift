import Foundation
import X509

/// Creating, importing, trusting and retiring certificate authorities: pure functions from inputs
/// and `now` to `AuthorityRecord`s and signers, which the caller stores (with an audit event).
public enum CertificateAuthorities {}

/// A root CA and the issuing CA it signed, as `ca init` creates them.
public struct RootAndIssuingAuthorities: Sendable {
    /// The self-signed root (role `.root`), with its key; export it with
    /// ``CertificateAuthorities/exportRootPrivateKey(_:)`` to take the root offline.
    public let root: AuthorityRecord
    /// The intermediate that signs gateway certificates and CRLs (role `.issuing`), with its key.
    public let issuing: AuthorityRecord
    public let rootSigner: SoftwareCertificateSigner
    public let issuingSigner: SoftwareCertificateSigner
}

extension CertificateAuthorities {
    /// Creates a root CA and an issuing CA signed by it.
    ///
    /// - Root: subject `O=<organization>, CN=<commonName> Root CA`, self-signed, basicConstraints
    ///   cA with pathLen 1, keyCertSign and cRLSign, valid 20 years.
    /// - Issuing: `CN=<commonName> Gateway Issuing CA`, pathLen 0, the same key usage, valid 10 years.
    /// Both carry SKI and AKI, a 20-octet random serial and notBefore 5 minutes before `now`. Each
    /// record's id is the SHA-256 fingerprint of its certificate.
    public static func makeRootAndIssuing(
        commonName: String = "Gatehouse", organization: String? = nil, keyType: CertificateAuthorityKeyType = .p256, now: Date
    ) throws(CertificateAuthorityError) -> RootAndIssuingAuthorities {
        var generator = SystemRandomNumberGenerator()
        return try makeRootAndIssuing(commonName: commonName, organization: organization, keyType: keyType, now: now, using: &generator)
    }

    /// ``makeRootAndIssuing(commonName:organization:keyType:now:)`` with serial numbers drawn from
    /// `generator` (keys always come from the system CSPRNG).
    public static func makeRootAndIssuing(
        commonName: String, organization: String?, keyType: CertificateAuthorityKeyType, now: Date,
        using generator: inout some RandomNumberGenerator
    ) throws(CertificateAuthorityError) -> RootAndIssuingAuthorities {
        let baseName = try CertificateAuthorityProfile.checkedName(commonName, field: "commonName", maximumLength: 40)
        let organizationName = try organization.map { name throws(CertificateAuthorityError) in
            try CertificateAuthorityProfile.checkedName(name, field: "organization", maximumLength: 64)
        }
        do {
            let rootKey = try SoftwareKey.generate(keyType.softwareKeyKind)
            let issuingKey = try SoftwareKey.generate(keyType.softwareKeyKind)
            let rootName = try subjectName(commonName: "\(baseName) Root CA", organization: organizationName)
            let issuingName = try subjectName(commonName: "\(baseName) Gateway Issuing CA", organization: organizationName)
            let notBefore = now.addingTimeInterval(-CertificateAuthorityProfile.clockSkewAllowance)
            let rootIdentifier = SubjectKeyIdentifier(hash: rootKey.publicKey)

            let root = try Certificate(
                version: .v3, serialNumber: RandomSerialNumber.make(using: &generator), publicKey: rootKey.publicKey,
                notValidBefore: notBefore,
                notValidAfter: CertificateAuthorityProfile.adding(years: CertificateAuthorityProfile.rootValidityYears, to: now),
                issuer: rootName, subject: rootName, signatureAlgorithm: rootKey.signatureAlgorithm,
                extensions: try CertificateAuthorityProfile.extensions(
                    subjectKeyIdentifier: rootIdentifier, authorityKeyIdentifier: rootIdentifier.keyIdentifier,
                    maxPathLength: CertificateAuthorityProfile.rootMaxPathLength),
                issuerPrivateKey: rootKey.certificatePrivateKey)
            let issuing = try Certificate(
                version: .v3, serialNumber: RandomSerialNumber.make(using: &generator), publicKey: issuingKey.publicKey,
                notValidBefore: notBefore,
                notValidAfter: CertificateAuthorityProfile.adding(years: CertificateAuthorityProfile.issuingValidityYears, to: now),
                issuer: rootName, subject: issuingName, signatureAlgorithm: rootKey.signatureAlgorithm,
                extensions: try CertificateAuthorityProfile.extensions(
                    subjectKeyIdentifier: SubjectKeyIdentifier(hash: issuingKey.publicKey),
                    authorityKeyIdentifier: rootIdentifier.keyIdentifier,
                    maxPathLength: CertificateAuthorityProfile.issuingMaxPathLength),
                issuerPrivateKey: rootKey.certificatePrivateKey)

            let rootSigner = SoftwareCertificateSigner(key: rootKey, certificate: root, certificateDER: try CertificateEncoding.der(of: root))
            let issuingSigner = SoftwareCertificateSigner(
                key: issuingKey, certificate: issuing, certificateDER: try CertificateEncoding.der(of: issuing))
            return RootAndIssuingAuthorities(
                root: authorityRecord(role: .root, signer: rootSigner, key: rootKey, now: now),
                issuing: authorityRecord(role: .issuing, signer: issuingSigner, key: issuingKey, now: now),
                rootSigner: rootSigner, issuingSigner: issuingSigner)
        } catch let error as CertificateAuthorityError {
            throw error
        } catch {
            throw .cryptographicFailure(String(describing: error))
        }
    }

    static func subjectName(commonName: String, organization: String?) throws -> DistinguishedName {
        try DistinguishedName {
            if let organization { OrganizationName(organization) }
            CommonName(commonName)
        }
    }

    static func authorityRecord(role: AuthorityRole, signer: SoftwareCertificateSigner, key: SoftwareKey?, now: Date) -> AuthorityRecord {
        AuthorityRecord(
            id: signer.authorityID, role: role, certificateDER: signer.certificateDER,
            privateKey: key.map { PrivateKeyMaterial(pkcs8DER: $0.pkcs8DER) }, createdAt: now)
    }
}
