public import X509
import SwiftASN1

/// A listener's certificate chain and the private key that matches its first certificate.
///
/// Loading checks what a TLS library would otherwise discover only at the first handshake, or
/// never: that both files are PEM, and that the key belongs to the certificate. The private key is
/// kept out of every description, debug description and mirror, so a stray `print` or `dump`
/// cannot leak it.
public struct TLSIdentity: Sendable {
    /// The server certificate first, then any intermediates, in the order they are sent to clients.
    public let certificateChain: [Certificate]
    /// The server certificate.
    public var certificate: Certificate { certificateChain[0] }
    /// The private key of ``certificate``; internal so that it cannot leave the module by accident.
    let privateKey: Certificate.PrivateKey
    /// Where the certificate chain is stored: the file clients should trust for a self-signed one.
    public let certificatePath: String
    /// Where the private key is stored.
    public let privateKeyPath: String

    /// Pairs a certificate chain with its private key, checking that they belong together.
    ///
    /// - Parameters:
    ///   - certificateChain: At least one certificate; the first is the server's.
    ///   - certificatePath: Where the chain is (or will be) stored; used in messages.
    ///   - privateKeyPath: Where the key is (or will be) stored; used in messages.
    /// - Throws: ``TLSIdentityError/privateKeyDoesNotMatchCertificate(certificatePath:privateKeyPath:)``.
    init(
        certificateChain: [Certificate],
        privateKey: Certificate.PrivateKey,
        certificatePath: String,
        privateKeyPath: String
    ) throws(TLSIdentityError) {
        guard let certificate = certificateChain.first else {
            throw .notPEMCertificate(path: certificatePath)
        }
        guard certificate.publicKey == privateKey.publicKey else {
            throw .privateKeyDoesNotMatchCertificate(certificatePath: certificatePath, privateKeyPath: privateKeyPath)
        }
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }

    /// Reads a PEM certificate chain and a PEM private key (PKCS #8, SEC 1 or PKCS #1) from disk.
    ///
    /// - Throws: ``TLSIdentityError`` when a file cannot be read, is not the expected PEM, or the
    ///   key does not match the certificate. No error carries any part of the key file.
    public static func load(certificatePath: String, privateKeyPath: String) throws(TLSIdentityError) -> TLSIdentity {
        let chain = try readCertificateChain(at: certificatePath)
        let key = try readPrivateKey(at: privateKeyPath)
        return try TLSIdentity(
            certificateChain: chain,
            privateKey: key,
            certificatePath: certificatePath,
            privateKeyPath: privateKeyPath
        )
    }

    private static func readCertificateChain(at path: String) throws(TLSIdentityError) -> [Certificate] {
        let text = try readText(at: path)
        // Only CERTIFICATE blocks count, so a combined file that also holds the key is accepted.
        guard
            let documents = try? PEMDocument.parseMultiple(pemString: text),
            let chain = try? documents.filter({ $0.discriminator == "CERTIFICATE" }).map(Certificate.init(pemDocument:)),
            !chain.isEmpty
        else {
            throw .notPEMCertificate(path: path)
        }
        return chain
    }

    private static func readPrivateKey(at path: String) throws(TLSIdentityError) -> Certificate.PrivateKey {
        let text = try readText(at: path)
        // The first key block counts, so `openssl ecparam -genkey` output (EC PARAMETERS first) is
        // accepted. The parser's own error is dropped on purpose: it may quote what it was parsing.
        let keyBlocks: Set = ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"]
        guard
            let documents = try? PEMDocument.parseMultiple(pemString: text),
            let document = documents.first(where: { keyBlocks.contains($0.discriminator) }),
            let key = try? Certificate.PrivateKey(pemDocument: document)
        else {
            throw .notPEMPrivateKey(path: path)
        }
        return key
    }

    private static func readText(at path: String) throws(TLSIdentityError) -> String {
        do {
            return String(decoding: try LocalFile.contents(of: path), as: UTF8.self)
        } catch {
            throw .unreadable(path: path, reason: error.reason)
        }
    }
}

extension TLSIdentity: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "TLSIdentity(subject: \(certificate.subject), serial: \(certificate.serialNumber), certificate: \(certificatePath), privateKey: <redacted>)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "certificateChain": certificateChain,
                "certificatePath": certificatePath,
                "privateKeyPath": privateKeyPath,
                "privateKey": "<redacted>",
            ]
        )
    }
}
