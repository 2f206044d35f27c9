import SwiftASN1
import X509

/// The signed part of a CRL, RFC 5280 §5.1.2:
///
/// ```
/// TBSCertList ::= SEQUENCE {
///     version                 Version OPTIONAL,   -- v2, written as INTEGER 1
///     signature               AlgorithmIdentifier,
///     issuer                  Name,
///     thisUpdate              Time,
///     nextUpdate              Time OPTIONAL,
///     revokedCertificates     SEQUENCE OF SEQUENCE {
///         userCertificate         CertificateSerialNumber,
///         revocationDate          Time,
///         crlEntryExtensions      Extensions OPTIONAL } OPTIONAL,
///     crlExtensions           [0] EXPLICIT Extensions OPTIONAL }
/// ```
struct TBSCertList: DERSerializable, Sendable {
    /// RFC 5280 §5.1.2.1: v2 (INTEGER 1), required because the CRL carries extensions.
    static let version = 1

    var signature: SignatureAlgorithmIdentifier
    /// The issuer's `Name`, copied byte for byte from the issuing certificate's subject
    /// (RFC 5280 §5.1.2.3), so name matching never depends on re-encoding.
    var issuerNameDER: ArraySlice<UInt8>
    var thisUpdate: CRLTime
    var nextUpdate: CRLTime
    /// Each entry's DER (see ``Entry``), encoded beforehand: a CRL's entries outlive it.
    var revokedCertificates: [[UInt8]]
    var crlExtensions: [Certificate.Extension]

    /// One `revokedCertificates` element: `SEQUENCE { userCertificate, revocationDate, crlEntryExtensions OPTIONAL }`.
    struct Entry: DERSerializable, Sendable {
        var userCertificate: Certificate.SerialNumber
        var revocationDate: CRLTime
        var crlEntryExtensions: [Certificate.Extension]

        func serialize(into coder: inout DER.Serializer) throws {
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(userCertificate.bytes)
                try coder.serialize(revocationDate)
                if !crlEntryExtensions.isEmpty {
                    try coder.serializeSequenceOf(crlEntryExtensions)
                }
            }
        }
    }

    func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(Self.version)
            try coder.serialize(signature)
            coder.serializeRawBytes(issuerNameDER)
            try coder.serialize(thisUpdate)
            try coder.serialize(nextUpdate)
            // RFC 5280 §5.1.2.6: with no revoked certificates the list is absent, not empty.
            if !revokedCertificates.isEmpty {
                coder.appendConstructedNode(identifier: .sequence) { coder in
                    for entry in revokedCertificates { coder.serializeRawBytes(entry) }
                }
            }
            if !crlExtensions.isEmpty {
                try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { coder in
                    try coder.serializeSequenceOf(crlExtensions)
                }
            }
        }
    }

    func derBytes() throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.serialize(self)
        return coder.serializedBytes
    }
}
