import Foundation
import SwiftASN1
import X509

/// The credential files a LoRa Basics Station reads from its home directory
/// (reference: basics-station-protocol.md §1): `cups.uri`, `cups.trust`, `cups.crt`, `cups.key` for
/// CUPS and `tc.uri`, `tc.trust`, `tc.crt`, `tc.key` for the LNS, all PEM.
///
/// The `.trust` files hold the CA the station trusts for Gatehouse's servers; `.crt` and `.key`
/// the gateway's certificate (with any intermediates) and private key, for mutual TLS. A
/// certificate issued from the gateway's CSR has no key here: the bundle then has no `.key`
/// files and `missingKeyNotice` says so.
///
/// Nothing prints the key: `description` and the mirror list URIs and file names only.
public struct BasicsStationBundle: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let cupsURI: BasicsStationURI
    public let tcURI: BasicsStationURI
    private let serverTrustPEM: [UInt8]
    private let certificatePEM: [UInt8]
    private let privateKeyPEM: [UInt8]?

    /// Checks every part: URIs per the station's rules, PEM certificates, and a private key that
    /// belongs to the (first) certificate in `certificatePEM`.
    ///
    /// - Parameters:
    ///   - serverTrustPEM: the CA certificate(s) that sign Gatehouse's CUPS and LNS server certificates.
    ///   - certificatePEM: the gateway certificate, optionally followed by its intermediates.
    ///   - privateKeyPEM: the gateway's key, or `nil` when the gateway made it (CSR issuance).
    public init(
        cupsURI: String, tcURI: String, serverTrustPEM: String, certificatePEM: String, privateKeyPEM: String?
    ) throws(BasicsStationBundleError) {
        self.cupsURI = try BasicsStationURI(cupsURI, for: .cups)
        self.tcURI = try BasicsStationURI(tcURI, for: .tc)

        let trust: [(document: PEMDocument, certificate: Certificate)]
        do { trust = try Self.certificates(in: serverTrustPEM) } catch { throw .invalidServerTrust(reason: error.reason) }
        let chain: [(document: PEMDocument, certificate: Certificate)]
        do { chain = try Self.certificates(in: certificatePEM) } catch { throw .invalidCertificate(reason: error.reason) }
        self.serverTrustPEM = Self.pemFile(trust.map(\.document))
        self.certificatePEM = Self.pemFile(chain.map(\.document))

        if let privateKeyPEM {
            guard let documents = try? PEMDocument.parseMultiple(pemString: privateKeyPEM), documents.count == 1,
                let key = try? Certificate.PrivateKey(pemDocument: documents[0])
            else { throw .invalidPrivateKey }
            guard let leaf = chain.first, key.publicKey == leaf.certificate.publicKey else {
                throw .privateKeyDoesNotMatchCertificate
            }
            self.privateKeyPEM = Self.pemFile(documents)
        } else {
            self.privateKeyPEM = nil
        }
    }

    /// The bundle of a certificate Gatehouse just issued: `.crt` holds the gateway certificate followed
    /// by the issuing CA (mbedTLS presents the whole file as the client chain), `.key` the key it
    /// generated, or nothing for a CSR-issued certificate.
    public init(
        cupsURI: String, tcURI: String, serverTrustPEM: String, issued: IssuedGatewayCertificate, privateKey: PrivateKeyPEM?
    ) throws(BasicsStationBundleError) {
        try self.init(
            cupsURI: cupsURI, tcURI: tcURI, serverTrustPEM: serverTrustPEM,
            certificatePEM: Self.joined([issued.certificatePEM, issued.chainPEM]), privateKeyPEM: privateKey?.exportPEM())
    }

    /// Whether `cups.key` and `tc.key` are in the bundle.
    public var includesPrivateKey: Bool { privateKeyPEM != nil }

    /// For a bundle without keys, what the operator must do; `nil` when the keys are included.
    public var missingKeyNotice: String? {
        includesPrivateKey
            ? nil
            : """
            No cups.key or tc.key: the certificate was issued from the gateway's own CSR, so its private key \
            never left the gateway. Install that key as cups.key and tc.key next to these files.
            """
    }

    /// The files in the order a station's home directory lists them: CUPS credentials, LNS
    /// credentials, then the two URIs. Keys are mode 0600, everything else 0644.
    public func files() -> [File] {
        var files: [File] = []
        for service in [BasicsStationURI.Service.cups, .tc] {
            files.append(File(name: "\(service.rawValue).trust", contents: serverTrustPEM, secret: false))
            files.append(File(name: "\(service.rawValue).crt", contents: certificatePEM, secret: false))
            if let privateKeyPEM {
                files.append(File(name: "\(service.rawValue).key", contents: privateKeyPEM, secret: true))
            }
        }
        // The station trims the file's contents, so the newline is for people reading it.
        files.append(File(name: "cups.uri", contents: Array((cupsURI.text + "\n").utf8), secret: false))
        files.append(File(name: "tc.uri", contents: Array((tcURI.text + "\n").utf8), secret: false))
        return files
    }

    /// The files as a POSIX ustar archive, every file stamped `modifiedAt`.
    public func tarArchive(modifiedAt: Date) -> [UInt8] {
        USTARArchive.archive(files().map { ($0.name, $0.contents, $0.mode) }, modifiedAt: modifiedAt)
    }

    public var description: String {
        "BasicsStationBundle(cups: \(cupsURI), tc: \(tcURI), files: \(files().map(\.name).joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["cupsURI": cupsURI, "tcURI": tcURI, "includesPrivateKey": includesPrivateKey], displayStyle: .struct)
    }

    /// Why a PEM text is not a list of certificates.
    private struct PEMProblem: Error {
        var reason: String
    }

    /// The certificates of a PEM text, each with its PEM block (rewritten in canonical form later).
    private static func certificates(in pem: String) throws(PEMProblem) -> [(document: PEMDocument, certificate: Certificate)] {
        guard let documents = try? PEMDocument.parseMultiple(pemString: pem), !documents.isEmpty else {
            throw PEMProblem(reason: "no PEM block found")
        }
        var certificates: [(document: PEMDocument, certificate: Certificate)] = []
        for document in documents {
            guard document.discriminator == "CERTIFICATE" else {
                throw PEMProblem(reason: "found a \(document.discriminator) block where a CERTIFICATE was expected")
            }
            guard let certificate = try? Certificate(derEncoded: document.derBytes) else {
                throw PEMProblem(reason: "a CERTIFICATE block does not hold an X.509 certificate")
            }
            certificates.append((document, certificate))
        }
        return certificates
    }

    /// PEM texts one after the other, each ending in a newline.
    private static func joined(_ texts: [String]) -> String {
        texts.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined()
    }

    /// PEM blocks one after the other, each ending in a newline.
    private static func pemFile(_ documents: [PEMDocument]) -> [UInt8] {
        Array(documents.map { $0.pemString + "\n" }.joined().utf8)
    }
}
