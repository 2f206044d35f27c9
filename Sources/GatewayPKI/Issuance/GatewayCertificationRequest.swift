import LoRaWAN
import SwiftASN1
import X509

/// A gateway's certificate signing request (PKCS #10, RFC 2986) that passed every check: the key is
/// of an accepted type, the signature verifies, and the subject's single commonName is the gateway's
/// EUI. Only its public key is used; the CA decides the subject and every extension.
public struct GatewayCertificationRequest: Sendable {
    public let publicKey: Certificate.PublicKey
    public let keyAlgorithm: SubjectPublicKeyAlgorithm
    /// The gateway EUI the request's commonName names (already equal to the expected one).
    public let gateway: EUI64

    /// Checks a CSR given as PEM text (`CERTIFICATE REQUEST`, or the older `NEW CERTIFICATE REQUEST`)
    /// or as DER bytes, for `gateway`. The commonName may write the EUI in any form `EUI64(parsing:)`
    /// reads (`0016C001FF10A235`, `00-16-C0-01-FF-10-A2-35`, `0016c001ff10a235`, ID6 ...); it is
    /// compared as an EUI, not as text.
    public init(_ bytes: [UInt8], for gateway: EUI64) throws(CertificationRequestError) {
        let der = try Self.derBytes(bytes)

        let algorithm: SubjectPublicKeyAlgorithm
        do { algorithm = try SubjectPublicKeyAlgorithm(subjectPublicKeyInfo: try DERStructure.certificationRequestSubjectPublicKeyInfo(der)) } catch {
            throw .malformed(reason: error.reason)
        }
        if let refusal = KeyAcceptancePolicy.refusal(of: algorithm) { throw CertificationRequestError(refusal) }

        let request: CertificateSigningRequest
        do { request = try CertificateSigningRequest(derEncoded: der) } catch {
            throw .malformed(reason: CertificationRequestError.quoted(String(describing: error)))
        }
        guard request.publicKey.isValidSignature(request.signature, for: request) else { throw .signatureInvalid }

        let commonNames = request.subject.flatMap { $0 }.filter { $0.type == .RDNAttributeType.commonName }
        guard let commonName = commonNames.first else { throw .missingCommonName }
        guard commonNames.count == 1 else { throw .severalCommonNames(count: commonNames.count) }
        guard let text = String(commonName.value) else { throw .commonNameNotAnEUI("(not a string)") }
        guard let found = try? EUI64(parsing: text) else { throw .commonNameNotAnEUI(CertificationRequestError.quoted(text)) }
        guard found == gateway else { throw .commonNameMismatch(expected: gateway, found: found) }

        self.publicKey = request.publicKey
        self.keyAlgorithm = algorithm
        self.gateway = gateway
    }

    /// PEM text is recognised by its `-----BEGIN` line; anything else is taken as DER.
    private static func derBytes(_ bytes: [UInt8]) throws(CertificationRequestError) -> [UInt8] {
        let begin = Array("-----BEGIN".utf8)
        let start = bytes.drop(while: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
        guard start.starts(with: begin) else { return bytes }
        let documents: [PEMDocument]
        do { documents = try PEMDocument.parseMultiple(pemString: String(decoding: bytes, as: UTF8.self)) } catch {
            throw .malformedPEM(reason: "the text is not PEM (RFC 7468)")
        }
        guard let request = documents.first(where: { ["CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST"].contains($0.discriminator) }) else {
            let found = CertificationRequestError.quoted(documents.map(\.discriminator).joined(separator: ", "))
            throw .malformedPEM(reason: "expected a CERTIFICATE REQUEST block, found \(found)")
        }
        return request.derBytes
    }
}
