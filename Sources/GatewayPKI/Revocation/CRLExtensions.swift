import SwiftASN1
import X509

/// The CRL and CRL entry extensions Gatehouse writes and reads (RFC 5280 §5.2 and §5.3).
enum CRLExtensions {
    /// id-ce-authorityKeyIdentifier, RFC 5280 §5.2.1.
    static let authorityKeyIdentifier: ASN1ObjectIdentifier = [2, 5, 29, 35]
    /// id-ce-cRLNumber, RFC 5280 §5.2.3.
    static let cRLNumber: ASN1ObjectIdentifier = [2, 5, 29, 20]
    /// id-ce-cRLReasons, RFC 5280 §5.3.1.
    static let reasonCode: ASN1ObjectIdentifier = [2, 5, 29, 21]

    /// RFC 5280 §5.2.1: non-critical, keyIdentifier only (the issuer's subject key identifier).
    static func authorityKeyIdentifierExtension(keyIdentifier: ArraySlice<UInt8>) throws -> Certificate.Extension {
        try Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: keyIdentifier), critical: false)
    }

    /// RFC 5280 §5.2.3: `CRLNumber ::= INTEGER (0..MAX)`, non-critical.
    static func cRLNumberExtension(_ number: Int64) throws -> Certificate.Extension {
        var coder = DER.Serializer()
        try coder.serialize(number)
        return Certificate.Extension(oid: cRLNumber, critical: false, value: coder.serializedBytes[...])
    }

    /// RFC 5280 §5.3.1: `CRLReason ::= ENUMERATED`, non-critical.
    static func reasonCodeExtension(_ reason: CRLReason) throws -> Certificate.Extension {
        var coder = DER.Serializer()
        try reason.rawValue.serialize(into: &coder, withIdentifier: .enumerated)
        return Certificate.Extension(oid: reasonCode, critical: false, value: coder.serializedBytes[...])
    }

    static func cRLNumber(from value: ArraySlice<UInt8>) throws -> Int64 {
        let number = try Int64(derEncoded: value)
        guard number >= 0 else { throw ASN1Error.invalidASN1Object(reason: "negative cRLNumber") }
        return number
    }

    static func reason(from value: ArraySlice<UInt8>) throws -> CRLReason {
        let code = try Int(derEncoded: DER.parse(value), withIdentifier: .enumerated)
        guard let reason = CRLReason(rawValue: code) else {
            throw ASN1Error.invalidASN1Object(reason: "unknown reasonCode \(code)")
        }
        return reason
    }
}
