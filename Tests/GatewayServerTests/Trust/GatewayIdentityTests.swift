import Crypto
import Foundation
import GatewayPKI
import GatewayServer
import LoRaWAN
import NIOSSL
import Testing
import X509

@Suite("Gateway identity from a client certificate")
struct GatewayIdentityTests {
    let pki: TrustPKI

    init() throws { pki = try TrustPKI() }

    @Test("a certificate Gatehouse issued names its gateway, serial and fingerprint in the PKI's forms")
    func issuedCertificate() throws {
        let credentials = try pki.issue()
        let identity = try GatewayIdentity(certificate: credentials.certificate)
        #expect(identity.eui == TrustPKI.gateway)
        #expect(identity.serial == credentials.serial)
        #expect(identity.fingerprintSHA256 == credentials.fingerprintSHA256)
        #expect(identity.notAfter == credentials.certificate.notValidAfter)
        #expect(identity.issuer.contains("CN=Trust Test Gateway Issuing CA"))
    }

    @Test("a handler reads the same identity from the NIOSSLCertificate of the connection")
    func fromPeerCertificate() throws {
        let credentials = try pki.issue()
        let peer = try NIOSSLCertificate(bytes: try TrustPKI.der(credentials.certificate), format: .der)
        #expect(try GatewayIdentity(peerCertificate: peer) == GatewayIdentity(certificate: credentials.certificate))
    }

    @Test("a lower-case EUI in the CN is read as the same gateway")
    func lowerCaseCommonName() throws {
        let leaf = try pki.craft(subject: try DistinguishedName { CommonName("0016c001ff10a235") })
        #expect(try GatewayIdentity(certificate: leaf).eui == TrustPKI.gateway)
    }

    @Test("without a CN, the urn:dev:mac: SAN names the gateway")
    func subjectAlternativeNameOnly() throws {
        let leaf = try pki.craft(
            subject: try DistinguishedName { OrganizationName("Vendor") },
            extensions: try TrustPKI.gatewayExtensions(sanURIs: ["urn:dev:mac:0016c001ff10a235"]))
        #expect(try GatewayIdentity(certificate: leaf).eui == TrustPKI.gateway)
    }

    @Test("a CN that is not an EUI is refused, even when the SAN names one", arguments: [
        "gateway-1", "0016-C001-FF10-A235", "0x0016C001FF10A2", "0016C001FF10A23", "0016C001FF10A2355", "0016C001FF10A23G",
    ])
    func commonNameNotEUI(commonName: String) throws {
        let leaf = try pki.craft(
            subject: try DistinguishedName { CommonName(commonName) },
            extensions: try TrustPKI.gatewayExtensions(sanURIs: ["urn:dev:mac:0016c001ff10a235"]))
        guard case .failure(.subjectNotEUI(let detail)) = GatewayIdentity.gatewayEUI(of: leaf) else {
            Issue.record("CN \(commonName) was not refused as subjectNotEUI")
            return
        }
        #expect(detail.contains("is not 16 hex digits"))
    }

    @Test("a CN and a SAN that name different gateways are refused")
    func commonNameAndSANDisagree() throws {
        let leaf = try pki.craft(
            subject: try TrustPKI.subject(), extensions: try TrustPKI.gatewayExtensions(sanURIs: ["urn:dev:mac:0016c001ff10ffff"]))
        #expect(throws: GatewayHandshakeRefusal.self) { try GatewayIdentity(certificate: leaf) }
    }

    @Test("a certificate naming no EUI at all is refused")
    func noName() throws {
        let leaf = try pki.craft(subject: try DistinguishedName { OrganizationName("Vendor") })
        #expect(GatewayIdentity.gatewayEUI(of: leaf) == .failure(.subjectNotEUI(detail: "no CN and no urn:dev:mac: SAN")))
    }

    @Test("a CN chosen by an attacker reaches the log quoted, printable and short")
    func hostileCommonName() throws {
        let hostile = "evil\n2026-01-01 info forged=\"yes\"" + String(repeating: "A", count: 200)
        let leaf = try pki.craft(subject: try DistinguishedName { CommonName(hostile) })
        let refusal = try #require(GatewayIdentity.gatewayEUI(of: leaf).trustFailure)
        #expect(!refusal.description.contains("\n"))
        #expect(!refusal.description.contains("\"yes\""))
        #expect(refusal.description.count < 200)
    }
}

extension Result {
    var trustFailure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
