import Foundation
import LoRaWAN
import X509

/// Issues gateway certificates under one issuing CA, with a key Gatehouse generates or from the
/// gateway's own CSR. Every signature goes through the ``CertificateSigner``.
///
/// Everything about the issuer that does not change between certificates (its name, AKI extension,
/// validity, chain PEM) is computed once in `init`, so issuing costs one key generation (for server
/// keys), one signature and the encodings.
public struct GatewayCertificateIssuer: Sendable {
    public let signer: any CertificateSigner
    /// The root the chain ends in (the issuing CA itself when it is a self-signed imported CA).
    public let trustAnchor: Certificate

    let authorityKeyIdentifier: Certificate.Extension
    private let issuerNotBefore: Date
    private let issuerNotAfter: Date
    let chainPEM: String
    let trustAnchorPEM: String

    /// - Parameters:
    ///   - signer: the issuing CA.
    ///   - trustAnchor: the root of its chain, handed to operators as the trust anchor; pass the
    ///     issuing CA's own certificate when it has no root in Gatehouse.
    public init(signer: any CertificateSigner, trustAnchor: Certificate) throws(GatewayCertificateIssuanceError) {
        let issuer = signer.certificate
        do {
            // RFC 5280 §4.2.1.1: the AKI is the issuer's SKI; a CA without one (allowed for imported
            // CAs) gets the SHA-1 of its key, what the SKI would have been (§4.2.1.2 method 1).
            let keyIdentifier = try issuer.extensions.subjectKeyIdentifier ?? SubjectKeyIdentifier(hash: issuer.publicKey)
            authorityKeyIdentifier = try AuthorityKeyIdentifier(keyIdentifier: keyIdentifier.keyIdentifier).makeCertificateExtension()
            chainPEM = CertificateEncoding.pem(der: try CertificateEncoding.der(of: issuer))
            trustAnchorPEM = CertificateEncoding.pem(der: try CertificateEncoding.der(of: trustAnchor))
        } catch {
            throw .issuerUnusable(reason: String(describing: error))
        }
        self.signer = signer
        self.trustAnchor = trustAnchor
        issuerNotBefore = issuer.notValidBefore
        issuerNotAfter = issuer.notValidAfter
    }

    /// Issues a certificate for `gateway` with a key Gatehouse generates now: ECDSA P-256 by default,
    /// or RSA. The key is returned once, as PKCS #8 PEM, and kept nowhere.
    public func issueWithServerKey(
        for gateway: EUI64, keyType: GatewayKeyType = .p256, validityDays: Int = GatewayCertificateProfile.defaultValidityDays, now: Date
    ) throws(GatewayCertificateIssuanceError) -> GatewayCredentials {
        var generator = SystemRandomNumberGenerator()
        return try issueWithServerKey(for: gateway, keyType: keyType, validityDays: validityDays, now: now, using: &generator)
    }

    /// ``issueWithServerKey(for:keyType:validityDays:now:)`` with the serial number drawn from
    /// `generator` (the key always comes from the system CSPRNG).
    public func issueWithServerKey(
        for gateway: EUI64, keyType: GatewayKeyType, validityDays: Int, now: Date, using generator: inout some RandomNumberGenerator
    ) throws(GatewayCertificateIssuanceError) -> GatewayCredentials {
        try checkValidity(days: validityDays, now: now)
        let key: SoftwareKey
        do { key = try SoftwareKey.generate(keyType.softwareKeyKind) } catch {
            throw .cryptographicFailure("generating a \(keyType) key: \(error)")
        }
        let issued = try sign(
            publicKey: key.publicKey, keyAlgorithm: key.algorithm, gateway: gateway, keySource: .serverGenerated,
            validityDays: validityDays, now: now, using: &generator)
        return GatewayCredentials(certificate: issued, privateKey: key.pkcs8PEM)
    }

    /// Issues a certificate for `gateway` for the key in its CSR (PEM or DER), so the key never
    /// leaves the gateway. The CSR must pass ``GatewayCertificationRequest``'s checks; its subject
    /// and requested extensions are ignored in favour of ``GatewayCertificateProfile``.
    public func issue(
        for gateway: EUI64, certificationRequest: [UInt8], validityDays: Int = GatewayCertificateProfile.defaultValidityDays, now: Date
    ) throws(GatewayCertificateIssuanceError) -> IssuedGatewayCertificate {
        var generator = SystemRandomNumberGenerator()
        return try issue(for: gateway, certificationRequest: certificationRequest, validityDays: validityDays, now: now, using: &generator)
    }

    /// ``issue(for:certificationRequest:validityDays:now:)`` for PEM text.
    public func issue(
        for gateway: EUI64, certificationRequestPEM: String, validityDays: Int = GatewayCertificateProfile.defaultValidityDays, now: Date
    ) throws(GatewayCertificateIssuanceError) -> IssuedGatewayCertificate {
        try issue(for: gateway, certificationRequest: Array(certificationRequestPEM.utf8), validityDays: validityDays, now: now)
    }

    /// ``issue(for:certificationRequest:validityDays:now:)`` with the serial number drawn from `generator`.
    public func issue(
        for gateway: EUI64, certificationRequest: [UInt8], validityDays: Int, now: Date, using generator: inout some RandomNumberGenerator
    ) throws(GatewayCertificateIssuanceError) -> IssuedGatewayCertificate {
        let request: GatewayCertificationRequest
        do { request = try GatewayCertificationRequest(certificationRequest, for: gateway) } catch {
            throw .invalidCertificationRequest(error)
        }
        try checkValidity(days: validityDays, now: now)
        return try sign(
            publicKey: request.publicKey, keyAlgorithm: request.keyAlgorithm, gateway: gateway,
            keySource: .certificateSigningRequest, validityDays: validityDays, now: now, using: &generator)
    }

    /// Refuses a validity outside the profile's range or beyond the issuer's own.
    func checkValidity(days: Int, now: Date) throws(GatewayCertificateIssuanceError) {
        guard GatewayCertificateProfile.validityDaysRange.contains(days) else { throw .invalidValidityDays(days) }
        guard issuerNotBefore <= now, now <= issuerNotAfter else {
            throw .issuerNotValid(at: now, issuerNotBefore: issuerNotBefore, issuerNotAfter: issuerNotAfter)
        }
        let notAfter = now.addingTimeInterval(Double(days) * 86_400)
        guard notAfter <= issuerNotAfter else { throw .validityExceedsIssuer(notAfter: notAfter, issuerNotAfter: issuerNotAfter) }
    }

    private func sign(
        publicKey: Certificate.PublicKey, keyAlgorithm: SubjectPublicKeyAlgorithm, gateway: EUI64, keySource: CertificateKeySource,
        validityDays: Int, now: Date, using generator: inout some RandomNumberGenerator
    ) throws(GatewayCertificateIssuanceError) -> IssuedGatewayCertificate {
        do {
            let certificate = try Certificate(
                version: .v3,
                serialNumber: RandomSerialNumber.make(using: &generator),
                publicKey: publicKey,
                notValidBefore: now.addingTimeInterval(-GatewayCertificateProfile.clockSkewAllowance),
                notValidAfter: now.addingTimeInterval(Double(validityDays) * 86_400),
                issuer: signer.certificate.subject,
                subject: try GatewayCertificateProfile.subject(for: gateway),
                signatureAlgorithm: signer.signatureAlgorithm,
                extensions: try GatewayCertificateProfile.extensions(
                    for: gateway, publicKey: publicKey, keyAlgorithm: keyAlgorithm, authorityKeyIdentifier: authorityKeyIdentifier),
                issuerPrivateKey: signer.privateKey)
            let der = try CertificateEncoding.der(of: certificate)
            let record = CertificateRecord(
                serial: CertificateEncoding.serialHex(certificate.serialNumber), gatewayEUI: gateway, issuerID: signer.authorityID,
                notBefore: certificate.notValidBefore, notAfter: certificate.notValidAfter,
                fingerprintSHA256: CertificateEncoding.fingerprintSHA256(der: der), der: der,
                keyAlgorithm: keyAlgorithm.description, keySource: keySource, issuedAt: now)
            return IssuedGatewayCertificate(
                record: record, certificate: certificate, certificatePEM: CertificateEncoding.pem(der: der),
                chainPEM: chainPEM, trustAnchorPEM: trustAnchorPEM)
        } catch let error as GatewayCertificateIssuanceError {
            throw error
        } catch {
            throw .cryptographicFailure(String(describing: error))
        }
    }
}
