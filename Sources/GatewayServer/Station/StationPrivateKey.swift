import Crypto
import SwiftASN1
import _CryptoExtras

/// A gateway private key in a DER form Basics Station can take out of a CUPS credential blob.
///
/// The station splits the blob by reading each part's ASN.1 SEQUENCE length, and understands only the
/// short form (< 128 bytes) and the two-byte `0x82` form (basics-station-protocol §2.2). A PKCS #8
/// P-256 key, which is what swift-crypto's `derRepresentation` and `pemRepresentation` produce, is 138
/// bytes and so uses the one-byte `0x81` form the station misreads. EC keys are therefore delivered as
/// SEC 1 `ECPrivateKey` (RFC 5915), which mbedTLS reads as well:
/// - P-256: with curve and public key, 121 bytes, as `openssl ec -outform DER` writes it;
/// - P-384 and P-521: with the curve but without the public key (64 and 82 bytes), because with it
///   they would need the `0x81` form too; mbedTLS recomputes the public key from the private one.
/// RSA keys (2048 bits and more) already use the `0x82` form and are delivered as given (PKCS #1 or #8).
///
/// Never prints its bytes: `description` names the algorithm only and the mirror is empty.
public struct StationPrivateKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// What kind of key it is.
    public enum Algorithm: Sendable, Equatable, CustomStringConvertible {
        case p256, p384, p521
        case rsa(bits: Int)

        public var description: String {
            switch self {
            case .p256: "ECDSA P-256"
            case .p384: "ECDSA P-384"
            case .p521: "ECDSA P-521"
            case .rsa(let bits): "RSA-\(bits)"
            }
        }
    }

    public let algorithm: Algorithm
    private let der: [UInt8]

    /// The station-ready form of a P-256 key: SEC 1 DER, 121 bytes.
    public init(_ key: P256.Signing.PrivateKey) {
        algorithm = .p256
        der = Self.sec1DER(
            privateKey: Array(key.rawRepresentation), curve: .NamedCurves.secp256r1,
            publicKey: Array(key.publicKey.x963Representation))
    }

    /// Reads a PKCS #8, SEC 1 or PKCS #1 DER private key and converts it to the station-ready form.
    public init(der input: [UInt8]) throws(StationEncodingError) {
        if let key = try? P256.Signing.PrivateKey(derRepresentation: input) {
            algorithm = .p256
            der = Self.sec1DER(
                privateKey: Array(key.rawRepresentation), curve: .NamedCurves.secp256r1,
                publicKey: Array(key.publicKey.x963Representation))
        } else if let key = try? P384.Signing.PrivateKey(derRepresentation: input) {
            algorithm = .p384
            der = Self.sec1DER(privateKey: Array(key.rawRepresentation), curve: .NamedCurves.secp384r1)
        } else if let key = try? P521.Signing.PrivateKey(derRepresentation: input) {
            algorithm = .p521
            der = Self.sec1DER(privateKey: Array(key.rawRepresentation), curve: .NamedCurves.secp521r1)
        } else if let key = try? _RSA.Signing.PrivateKey(derRepresentation: input) {
            algorithm = .rsa(bits: key.keySizeInBits)
            der = input
        } else {
            throw .unsupportedPrivateKey(
                reason: "it is not an unencrypted ECDSA P-256/P-384/P-521 or RSA (2048 bits or more) key in PKCS #8, SEC 1 or PKCS #1 DER")
        }
        do {
            try StationCredentialBlob.checkSplittable(der, as: .privateKey)
        } catch {
            throw .unsupportedPrivateKey(reason: "its DER is \(der.count) bytes, a length Basics Station cannot split off")
        }
    }

    /// Reads the first private key block of PEM text (`PRIVATE KEY`, `EC PRIVATE KEY` or
    /// `RSA PRIVATE KEY`; other blocks such as `EC PARAMETERS` are skipped).
    public init(pem text: String) throws(StationEncodingError) {
        guard let documents = try? PEMDocument.parseMultiple(pemString: text) else {
            throw .unsupportedPrivateKey(reason: "the text is not PEM")
        }
        if documents.contains(where: { $0.discriminator == "ENCRYPTED PRIVATE KEY" }) {
            throw .unsupportedPrivateKey(reason: "it is encrypted; Gatehouse holds no passphrase for it")
        }
        let keyBlocks = ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"]
        guard let document = documents.first(where: { keyBlocks.contains($0.discriminator) }) else {
            throw .unsupportedPrivateKey(reason: "the PEM text holds no PRIVATE KEY block")
        }
        try self.init(der: document.derBytes)
    }

    /// The DER bytes, for the credential blob that delivers them.
    package func exportDER() -> [UInt8] { der }

    public var description: String { "StationPrivateKey(\(algorithm), <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// RFC 5915 §3: `ECPrivateKey ::= SEQUENCE { version INTEGER (1), privateKey OCTET STRING,
    /// parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }`.
    private static func sec1DER(privateKey: [UInt8], curve: ASN1ObjectIdentifier, publicKey: [UInt8]? = nil) -> [UInt8] {
        var serializer = DER.Serializer()
        // Serializing an integer, octets, an OID and a bit string into memory has no failure path in
        // SwiftASN1 (its `throws` serves types that validate themselves); an empty result would be
        // refused by the splittability check that follows every call.
        try? serializer.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try coder.serialize(ASN1OctetString(contentBytes: privateKey[...]))
            try coder.serialize(curve, explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific)
            if let publicKey {
                try coder.serialize(ASN1BitString(bytes: publicKey[...]), explicitlyTaggedWithTagNumber: 1, tagClass: .contextSpecific)
            }
        }
        return serializer.serializedBytes
    }
}
