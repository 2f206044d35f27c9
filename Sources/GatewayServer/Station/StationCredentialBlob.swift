import SwiftASN1
import X509

/// The credentials a CUPS response installs on a station (`cupsCred` or `tcCred`): the server trust
/// certificate, the gateway's client certificate and its private key, each DER, one after the other
/// (basics-station-protocol §2.2).
///
/// The station splits the blob by the ASN.1 length of each part and stores the parts as
/// `{cups,tc}.trust`, `.crt` and `.key`; its next request then reports `crc32(blob)`. So CUPS sends a
/// blob only when the request's CRC differs from ``crc32``, or the station would reinstall it forever.
///
/// Each part must be a single SEQUENCE whose length uses the short or the `0x82` form (the only ones
/// the station's splitter reads), the certificates must be X.509, and the whole blob must fit the
/// response's 16-bit length. It holds a private key, so it never prints its bytes.
public struct StationCredentialBlob: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The three parts, in blob order.
    public enum Part: String, Sendable, Hashable, CustomStringConvertible {
        case trust = "trust certificate"
        case certificate = "client certificate"
        case privateKey = "private key"

        public var description: String { rawValue }
    }

    /// The CUPS response carries the blob's length in 16 bits.
    public static let maximumLength = Int(UInt16.max)

    private let bytes: [UInt8]
    /// What the station will report as `cupsCredCrc`/`tcCredCrc` once it has installed this blob.
    public let crc32: UInt32

    /// The blob's length in bytes.
    public var count: Int { bytes.count }

    /// Joins DER parts, checking each one as the station will read it.
    ///
    /// - Parameters:
    ///   - trustDER: the one CA certificate the station trusts for the server it talks to.
    ///   - certificateDER: the gateway's certificate. The station stores one certificate, so the
    ///     server must hold any intermediate CA itself.
    ///   - privateKey: the gateway's key, already in a form the station can split off.
    public init(trustDER: [UInt8], certificateDER: [UInt8], privateKey: StationPrivateKey) throws(StationEncodingError) {
        for (part, der) in [(Part.trust, trustDER), (.certificate, certificateDER)] {
            try Self.checkSplittable(der, as: part)
            guard (try? Certificate(derEncoded: der)) != nil else {
                throw .invalidCredentialPart(part, reason: "it is not an X.509 certificate")
            }
        }
        let keyDER = privateKey.exportDER()
        try Self.checkSplittable(keyDER, as: .privateKey)
        let blob = trustDER + certificateDER + keyDER
        guard blob.count <= Self.maximumLength else {
            throw .credentialsTooLong(size: blob.count, limit: Self.maximumLength)
        }
        bytes = blob
        crc32 = CRC32.checksum(blob)
    }

    /// Joins PEM parts: exactly one `CERTIFICATE` block in each certificate text, and a private key
    /// that ``StationPrivateKey/init(pem:)`` reads.
    public init(trustPEM: String, certificatePEM: String, privateKeyPEM: String) throws(StationEncodingError) {
        try self.init(
            trustDER: try Self.singleCertificateDER(trustPEM, as: .trust),
            certificateDER: try Self.singleCertificateDER(certificatePEM, as: .certificate),
            privateKey: try StationPrivateKey(pem: privateKeyPEM))
    }

    /// The blob, for the CUPS response that delivers it.
    package func exportBytes() -> [UInt8] { bytes }

    public var description: String {
        "StationCredentialBlob(\(bytes.count) bytes, crc32 \(String(crc32, radix: 16, uppercase: true)), <redacted>)"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["count": bytes.count, "crc32": crc32], displayStyle: .struct) }

    /// Checks that `der` is exactly one SEQUENCE whose length the station's splitter reads correctly:
    /// `30 LL` with LL < 0x80, or `30 82 HH LL`.
    static func checkSplittable(_ der: [UInt8], as part: Part) throws(StationEncodingError) {
        guard der.count >= 2, der[0] == 0x30 else {
            throw .invalidCredentialPart(part, reason: "it does not start with an ASN.1 SEQUENCE")
        }
        let declared: Int
        switch der[1] {
        case 0x00..<0x80:
            declared = 2 + Int(der[1])
        case 0x82 where der.count >= 4:
            declared = 4 + (Int(der[2]) << 8 | Int(der[3]))
        default:
            throw .invalidCredentialPart(
                part, reason: "its length uses a form Basics Station cannot read (only short and 0x82 lengths work)")
        }
        guard declared == der.count else {
            throw .invalidCredentialPart(part, reason: "its SEQUENCE declares \(declared) bytes but \(der.count) were given")
        }
    }

    private static func singleCertificateDER(_ pem: String, as part: Part) throws(StationEncodingError) -> [UInt8] {
        guard let documents = try? PEMDocument.parseMultiple(pemString: pem) else {
            throw .invalidCredentialPart(part, reason: "the text is not PEM")
        }
        let certificates = documents.filter { $0.discriminator == "CERTIFICATE" }
        guard certificates.count == 1, let certificate = certificates.first else {
            throw .invalidCredentialPart(part, reason: "expected exactly one CERTIFICATE block, found \(certificates.count)")
        }
        return certificate.derBytes
    }
}
