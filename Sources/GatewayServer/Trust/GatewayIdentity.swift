import Crypto
import Foundation
import GatewayPKI
import LoRaWAN
import NIOSSL
import SwiftASN1
import X509

/// Who an admitted gateway is, read from its leaf certificate: what the CUPS and LNS handlers
/// compare with the EUI a station claims in its messages (DESIGN.md invariant 4), and what the
/// connection registry keys on to close connections when the certificate is revoked (invariant 5).
public struct GatewayIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The gateway EUI from the CN (16 hex digits), or from a `urn:dev:mac:` SAN when there is no CN.
    public let eui: EUI64
    /// The certificate's serial number, lower-case hex without colons: the form of
    /// ``RevocationState`` and `CertificateRecord.serial`.
    public let serial: String
    /// SHA-256 of the DER certificate, lower-case hex: the form of `CertificateRecord.fingerprintSHA256`.
    public let fingerprintSHA256: String
    public let notAfter: Date
    /// The issuer's distinguished name, RFC 4514 text (`CN=Gatehouse Gateway Issuing CA`).
    public let issuer: String

    /// Reads the identity of a leaf certificate.
    /// - Throws: ``GatewayHandshakeRefusal/subjectNotEUI(detail:)`` when it names no single EUI,
    ///   ``GatewayHandshakeRefusal/malformedCertificate`` when it does not serialise.
    public init(certificate: Certificate) throws(GatewayHandshakeRefusal) {
        var serializer = DER.Serializer()
        do { try serializer.serialize(certificate) } catch { throw .malformedCertificate }
        try self.init(certificate: certificate, der: serializer.serializedBytes)
    }

    /// The identity of the leaf certificate a handler gets after the handshake
    /// (`channel.nioSSL_peerCertificate()`).
    public init(peerCertificate: NIOSSLCertificate) throws(GatewayHandshakeRefusal) {
        let der: [UInt8]
        let certificate: Certificate
        do {
            der = try peerCertificate.toDERBytes()
            certificate = try Certificate(derEncoded: der)
        } catch {
            throw .malformedCertificate
        }
        try self.init(certificate: certificate, der: der)
    }

    init(certificate: Certificate, der: [UInt8]) throws(GatewayHandshakeRefusal) {
        try self.init(certificate: certificate, leafDigest: SHA256.hash(data: der))
    }

    init(certificate: Certificate, leafDigest: SHA256Digest) throws(GatewayHandshakeRefusal) {
        self.init(eui: try Self.gatewayEUI(of: certificate).get(), certificate: certificate, leafDigest: leafDigest)
    }

    /// The identity of a leaf whose EUI and DER's SHA-256 are already known (the verifier's candidate has them).
    init(eui: EUI64, certificate: Certificate, leafDigest: SHA256Digest) {
        self.eui = eui
        serial = CertificateEncoding.serialHex(certificate.serialNumber)
        fingerprintSHA256 = Hex.encode(leafDigest)
        notAfter = certificate.notValidAfter
        issuer = certificate.issuer.description
    }

    public var description: String { "gateway \(eui) (certificate serial \(serial))" }

    /// The EUI a certificate names, following ``GatewayCertificateProfile``:
    ///
    /// - the CN, when present, must be exactly 16 hex digits (upper case is what Gatehouse issues;
    ///   lower case is accepted since vendors differ). A CN that is anything else is refused rather
    ///   than ignored: it names something, and that something is not a gateway.
    /// - without a CN, the SAN URI `urn:dev:mac:<16 hex digits>` (RFC 9039) names it.
    /// - several CNs, several different SAN EUIs, or a SAN EUI that differs from the CN are refused:
    ///   a certificate must name one gateway, unambiguously.
    public static func gatewayEUI(of certificate: Certificate) -> Result<EUI64, GatewayHandshakeRefusal> {
        let commonNames = certificate.subject.flatMap { $0 }.filter { $0.type == .RDNAttributeType.commonName }
        let sanEUIs: Set<EUI64>
        do {
            let names = try certificate.extensions.subjectAlternativeNames.map(Array.init) ?? []
            sanEUIs = Set(names.compactMap { name -> EUI64? in
                guard case .uniformResourceIdentifier(let uri) = name else { return nil }
                return GatewayCertificateProfile.gatewayEUI(fromSubjectAlternativeNameURI: uri)
            })
        } catch {
            return .failure(.malformedCertificate)
        }
        guard commonNames.count <= 1 else { return .failure(.subjectNotEUI(detail: "the subject has \(commonNames.count) CNs")) }
        guard let commonName = commonNames.first else {
            guard let eui = sanEUIs.first else { return .failure(.subjectNotEUI(detail: "no CN and no urn:dev:mac: SAN")) }
            guard sanEUIs.count == 1 else { return .failure(.subjectNotEUI(detail: "the SAN names \(sanEUIs.count) EUIs")) }
            return .success(eui)
        }
        guard let text = String(commonName.value), let eui = euiFromCommonName(text) else {
            return .failure(.subjectNotEUI(detail: "CN \(quoted(String(commonName.value) ?? "(not a text string)")) is not 16 hex digits"))
        }
        guard sanEUIs.allSatisfy({ $0 == eui }) else {
            return .failure(.subjectNotEUI(detail: "CN \(eui) and the urn:dev:mac: SAN name different EUIs"))
        }
        return .success(eui)
    }

    private static func euiFromCommonName(_ text: String) -> EUI64? {
        // Exactly 16 ASCII hex digits: Hex.decode alone would also take separators and a 0x prefix.
        let isHexDigit: (UInt8) -> Bool = { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
        guard text.utf8.count == 16, text.utf8.allSatisfy(isHexDigit), let bytes = Hex.decode(text, count: 8) else { return nil }
        return EUI64(bigEndianBytes: bytes)
    }

    /// A CN as it may appear in a log line: the peer chose it, so only printable ASCII, at most 64
    /// characters, in quotes.
    private static func quoted(_ text: String) -> String {
        let printable = text.unicodeScalars.prefix(64).map { (0x20..<0x7F).contains($0.value) && $0 != "\"" ? Character($0) : "?" }
        return "\"\(String(printable))\(text.unicodeScalars.count > 64 ? "..." : "")\""
    }
}
