import Crypto
import Foundation
import SwiftASN1
import X509

/// Certificates made for the credential tests: a CA and a gateway certificate it signed.
enum StationTestCredentials {
    struct Issued {
        let caDER: [UInt8]
        let gatewayDER: [UInt8]
        let gatewayKey: P256.Signing.PrivateKey
    }

    static func issue() throws -> Issued {
        let caKey = P256.Signing.PrivateKey()
        let gatewayKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("Gatehouse test CA") }
        let gatewayName = try DistinguishedName { CommonName("0016C001FF10A235") }
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let end = start.addingTimeInterval(86_400 * 365)
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(caKey.publicKey),
            notValidBefore: start, notValidAfter: end, issuer: caName, subject: caName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0)) },
            issuerPrivateKey: .init(caKey))
        let gateway = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(gatewayKey.publicKey),
            notValidBefore: start, notValidAfter: end, issuer: caName, subject: gatewayName,
            signatureAlgorithm: .ecdsaWithSHA256, extensions: Certificate.Extensions(), issuerPrivateKey: .init(caKey))
        return Issued(caDER: try der(ca), gatewayDER: try der(gateway), gatewayKey: gatewayKey)
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    static func pem(_ der: [UInt8], _ label: String) -> String {
        PEMDocument(type: label, derBytes: der).pemString
    }
}

/// A CUPS response read the way Basics Station 2.0.6 reads it (`cups.c`, `sys.c`), written
/// independently of Gatehouse's encoder.
struct StationSideCUPSReader {
    struct Credentials: Equatable {
        var trust: [UInt8]
        var certificate: [UInt8]
        var key: [UInt8]
    }

    var cupsURI: String?
    var tcURI: String?
    var cupsCredentials: [UInt8]?
    var tcCredentials: [UInt8]?
    var signatureLength: UInt32
    var updateLength: UInt32

    struct Malformed: Error {}

    init(_ body: [UInt8]) throws {
        var offset = 0
        func take(_ count: Int) throws -> [UInt8] {
            guard count >= 0, offset + count <= body.count else { throw Malformed() }
            defer { offset += count }
            return Array(body[offset..<offset + count])
        }
        func little(_ count: Int) throws -> UInt32 {
            try take(count).reversed().reduce(0) { $0 << 8 | UInt32($1) }
        }
        let cups = try take(Int(try little(1)))
        let tc = try take(Int(try little(1)))
        cupsURI = cups.isEmpty ? nil : String(decoding: cups, as: UTF8.self)
        tcURI = tc.isEmpty ? nil : String(decoding: tc, as: UTF8.self)
        let cupsCred = try take(Int(try little(2)))
        let tcCred = try take(Int(try little(2)))
        cupsCredentials = cupsCred.isEmpty ? nil : cupsCred
        tcCredentials = tcCred.isEmpty ? nil : tcCred
        signatureLength = try little(4)
        _ = try take(Int(signatureLength))
        updateLength = try little(4)
        _ = try take(Int(updateLength))
        guard offset == body.count else { throw Malformed() }
    }

    /// `sys_credComplete`: the length of a SEQUENCE is `p[1] + 2`, or with bit 7 set, `p[2] << 8 | p[3]` + 4.
    static func split(_ blob: [UInt8]) throws -> Credentials {
        func sequenceLength(at offset: Int) throws -> Int {
            guard offset + 4 <= blob.count, blob[offset] == 0x30 else { throw Malformed() }
            return blob[offset + 1] & 0x80 != 0 ? (Int(blob[offset + 2]) << 8 | Int(blob[offset + 3])) + 4 : Int(blob[offset + 1]) + 2
        }
        let trustLength = try sequenceLength(at: 0)
        let certificateLength = try sequenceLength(at: trustLength)
        let keyOffset = trustLength + certificateLength
        let keyLength = try sequenceLength(at: keyOffset)
        guard keyOffset + keyLength <= blob.count else { throw Malformed() }
        return Credentials(
            trust: Array(blob[0..<trustLength]), certificate: Array(blob[trustLength..<keyOffset]),
            key: Array(blob[keyOffset..<keyOffset + keyLength]))
    }
}
