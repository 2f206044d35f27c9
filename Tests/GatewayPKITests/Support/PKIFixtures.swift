import Foundation
import GatewayPKI
import LoRaWAN
import SwiftASN1
import X509

/// Shared values and helpers for the Gateway PKI tests.
enum PKIFixtures {
    /// The EUI the issue text and Basics Station documentation use.
    static let gateway = EUI64(0x0016_C001_FF10_A235)

    /// A root and issuing CA, and an issuer for gateway certificates under them. Certificates must be
    /// valid for openssl, which reads the real clock, so tests issue at the real time.
    static func hierarchy(_ keyType: CertificateAuthorityKeyType = .p256) throws -> (RootAndIssuingAuthorities, GatewayCertificateIssuer) {
        let authorities = try CertificateAuthorities.makeRootAndIssuing(
            commonName: "Test", organization: "Gatehouse Tests", keyType: keyType, now: Date())
        let issuer = try GatewayCertificateIssuer(signer: authorities.issuingSigner, trustAnchor: authorities.rootSigner.certificate)
        return (authorities, issuer)
    }

    static func pem(of record: AuthorityRecord) -> String {
        PEMDocument(type: "CERTIFICATE", derBytes: record.certificateDER).pemString
    }

    /// Writes `root.pem` and `intermediate.pem` for `openssl verify`.
    static func writeChain(_ authorities: RootAndIssuingAuthorities, in directory: TemporaryDirectory) throws {
        try directory.write(pem(of: authorities.root), to: "root.pem")
        try directory.write(pem(of: authorities.issuing), to: "intermediate.pem")
    }

    /// The base64 lines of a PEM body: none of them may appear in any error, log or description.
    static func secretLines(ofPEM pem: String) -> [String] {
        pem.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("-----") && $0.count >= 16 }
    }

    /// Whether `text` contains any line of the PEM body `pem`.
    static func leaks(_ pem: String, into text: String) -> Bool {
        secretLines(ofPEM: pem).contains { text.contains($0) }
    }

    /// Every way a value can be turned into text by accident.
    static func renderings(of value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    /// Hex digits of `openssl x509 -serial` / `-fingerprint` output, lower-cased, colons removed.
    static func hexValue(afterEquals line: String) -> String {
        String(line.split(separator: "=").last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: ":", with: "").lowercased()
    }
}
