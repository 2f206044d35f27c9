import Crypto
import Foundation
import SwiftASN1
import X509

/// Issues the self-signed certificate a fresh installation serves until an operator brings their own.
///
/// The certificate is what a developer's tools need to trust a server on their own machine:
/// an ECDSA P-256 key, the `serverAuth` extended key usage, and subject alternative names for
/// `localhost`, 127.0.0.1 and the machine's host name. 127.0.0.1 appears twice, as an IP address
/// (for browsers and curl) and as a DNS name, because LoRa Basics Station's mbedTLS compares only
/// DNS names. The validity of 825 days is the longest that Apple platforms accept for a server
/// certificate.
public enum DevelopmentCertificate {
    /// The subject common name, which says plainly what this certificate is.
    public static let commonName = "Gatehouse development server"
    /// How long a development certificate is valid.
    public static let validity: Duration = .seconds(825 * 24 * 60 * 60)
    /// How far before `now` validity starts, so a client whose clock is slightly behind still accepts it.
    static let clockSkewAllowance: TimeInterval = 5 * 60

    /// Creates a new key and a certificate for it, signed by itself.
    ///
    /// - Parameters:
    ///   - hostName: The machine's host name, added as a DNS name when it is a valid one.
    ///   - now: The start of the validity period (less a few minutes for clock skew).
    ///   - certificatePath: Where the certificate will be stored.
    ///   - privateKeyPath: Where the key will be stored.
    static func issue(
        hostName: String?,
        now: Date,
        certificatePath: String,
        privateKeyPath: String
    ) throws(TLSIdentityError) -> TLSIdentity {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        do {
            let name = try DistinguishedName { CommonName(commonName) }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectKeyIdentifier(hash: key.publicKey)
                SubjectAlternativeNames(subjectAlternativeNames(hostName: hostName))
            }
            let certificate = try Certificate(
                version: .v3,
                serialNumber: randomSerialNumber(),
                publicKey: key.publicKey,
                notValidBefore: now.addingTimeInterval(-clockSkewAllowance),
                notValidAfter: now.addingTimeInterval(TimeInterval(validity.components.seconds)),
                issuer: name,
                subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions,
                issuerPrivateKey: key
            )
            return try TLSIdentity(
                certificateChain: [certificate],
                privateKey: key,
                certificatePath: certificatePath,
                privateKeyPath: privateKeyPath
            )
        } catch let error as TLSIdentityError {
            throw error
        } catch {
            throw .cannotIssueDevelopmentCertificate(reason: String(describing: error))
        }
    }

    /// A random serial number that encodes as exactly 20 octets, the most RFC 5280 §4.1.2.2 allows.
    ///
    /// The top bit is cleared so the DER INTEGER needs no sign octet (which would make 21), and the
    /// next bit is set so no leading zero octet is dropped; that leaves 158 random bits.
    static func randomSerialNumber() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[0] = (bytes[0] & 0x3F) | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }

    /// The names a client may use to reach a server on this machine, without duplicates.
    static func subjectAlternativeNames(hostName: String?) -> [GeneralName] {
        var dnsNames = ["localhost", "127.0.0.1"]
        if let hostName = hostName?.lowercased(), isValidDNSName(hostName), !dnsNames.contains(hostName) {
            dnsNames.append(hostName)
        }
        return dnsNames.map(GeneralName.dnsName) + [.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))]
    }

    /// RFC 1123 host name syntax: dot-separated labels of letters, digits and inner hyphens.
    static func isValidDNSName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            (1...63).contains(label.utf8.count)
                && label.first != "-" && label.last != "-"
                && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        }
    }
}
