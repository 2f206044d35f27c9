import Crypto
import GatewayServer
import SwiftASN1
import Testing
import _CryptoExtras

/// Keys and credential blobs in the forms Basics Station's splitter reads.
@Suite("Station credentials")
struct StationCredentialTests {
    @Test("swift-crypto's P-256 derRepresentation is 138-byte PKCS #8 with a 0x81 length the station misreads")
    func swiftCryptoForm() {
        let der = Array(P256.Signing.PrivateKey().derRepresentation)
        #expect(der.count == 138)
        #expect(Array(der.prefix(3)) == [0x30, 0x81, 0x87])
        #expect(throws: StationEncodingError.self) {
            try StationCredentialBlob(trustDER: der, certificateDER: der, privateKey: StationPrivateKey(P256.Signing.PrivateKey()))
        }
    }

    @Test("a P-256 key becomes 121-byte SEC 1 DER (short length) holding the same key")
    func p256() throws {
        let key = P256.Signing.PrivateKey()
        for input in [Array(key.derRepresentation), try sec1(of: key)] {
            let stationKey = try StationPrivateKey(der: input)
            let der = stationKey.exportDER()
            #expect(stationKey.algorithm == .p256)
            #expect(der.count == 121)
            #expect(Array(der.prefix(2)) == [0x30, 0x77])
            let back = try P256.Signing.PrivateKey(derRepresentation: der)
            #expect(back.rawRepresentation == key.rawRepresentation)
        }
        #expect(StationPrivateKey(key).exportDER() == (try StationPrivateKey(pem: key.pemRepresentation)).exportDER())
    }

    @Test("the SEC 1 form carries version 1, the key, the P-256 curve and the public key")
    func sec1Structure() throws {
        let key = P256.Signing.PrivateKey()
        let node = try DER.parse(StationPrivateKey(key).exportDER())
        guard case .constructed(let fields) = node.content else {
            Issue.record("not constructed")
            return
        }
        let elements = Array(fields)
        #expect(elements.count == 4)
        #expect(try Int(derEncoded: elements[0]) == 1)
        #expect(Array(try ASN1OctetString(derEncoded: elements[1]).bytes) == Array(key.rawRepresentation))
        #expect(elements[2].identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific))
        #expect(elements[3].identifier == ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific))
    }

    @Test("P-384 and P-521 keys drop the public key to keep a short length, and still load")
    func largerCurves() throws {
        let p384 = P384.Signing.PrivateKey()
        let der384 = try StationPrivateKey(der: Array(p384.derRepresentation)).exportDER()
        #expect(der384.count == 64)
        #expect(try P384.Signing.PrivateKey(derRepresentation: der384).rawRepresentation == p384.rawRepresentation)
        let p521 = P521.Signing.PrivateKey()
        let der521 = try StationPrivateKey(pem: p521.pemRepresentation).exportDER()
        #expect(der521.count == 82)
        #expect(try P521.Signing.PrivateKey(derRepresentation: der521).rawRepresentation == p521.rawRepresentation)
    }

    @Test("an RSA-2048 key is delivered as given, its 0x82 length being one the station reads")
    func rsa() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let input = Array(key.derRepresentation)
        let stationKey = try StationPrivateKey(der: input)
        #expect(stationKey.algorithm == .rsa(bits: 2048))
        #expect(stationKey.exportDER() == input)
        #expect(input[1] == 0x82)
    }

    @Test("keys that are not keys, encrypted keys and PEM without a key are typed errors without key bytes")
    func refusedKeys() {
        for der in [[], [0x30, 0x00], [UInt8](repeating: 0x41, count: 121)] as [[UInt8]] {
            #expect(throws: StationEncodingError.self) { try StationPrivateKey(der: der) }
        }
        let encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n"
        #expect(throws: StationEncodingError.unsupportedPrivateKey(reason: "it is encrypted; Gatehouse holds no passphrase for it")) {
            try StationPrivateKey(pem: encrypted)
        }
        #expect(throws: StationEncodingError.unsupportedPrivateKey(reason: "the PEM text holds no PRIVATE KEY block")) {
            try StationPrivateKey(pem: StationTestCredentials.pem([0x30, 0x00], "CERTIFICATE"))
        }
    }

    @Test("a blob is trust + certificate + key, its CRC is zlib's, and it never prints its bytes")
    func blob() throws {
        let issued = try StationTestCredentials.issue()
        let key = StationPrivateKey(issued.gatewayKey)
        let blob = try StationCredentialBlob(trustDER: issued.caDER, certificateDER: issued.gatewayDER, privateKey: key)
        #expect(blob.exportBytes() == issued.caDER + issued.gatewayDER + key.exportDER())
        #expect(blob.crc32 == CRC32.checksum(blob.exportBytes()))
        #expect(blob.count == issued.caDER.count + issued.gatewayDER.count + 121)
        let keyHex = key.exportDER().map { String($0, radix: 16) }.joined()
        for text in [String(describing: blob), String(reflecting: blob), "\(key)", String(reflecting: key)] {
            #expect(text.contains("redacted"))
            #expect(!text.contains(keyHex))
        }
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains(keyHex))
    }

    @Test("the PEM form needs exactly one certificate per part")
    func pemBlob() throws {
        let issued = try StationTestCredentials.issue()
        let caPEM = StationTestCredentials.pem(issued.caDER, "CERTIFICATE")
        let gatewayPEM = StationTestCredentials.pem(issued.gatewayDER, "CERTIFICATE")
        let blob = try StationCredentialBlob(trustPEM: caPEM, certificatePEM: gatewayPEM, privateKeyPEM: issued.gatewayKey.pemRepresentation)
        #expect(blob.exportBytes().prefix(issued.caDER.count) == issued.caDER[...])
        #expect(throws: StationEncodingError.invalidCredentialPart(.certificate, reason: "expected exactly one CERTIFICATE block, found 2")) {
            try StationCredentialBlob(trustPEM: caPEM, certificatePEM: gatewayPEM + caPEM, privateKeyPEM: issued.gatewayKey.pemRepresentation)
        }
    }

    @Test("parts that are not one SEQUENCE with a short or 0x82 length, or not certificates, are refused")
    func badParts() throws {
        let issued = try StationTestCredentials.issue()
        let key = StationPrivateKey(issued.gatewayKey)
        let cases: [([UInt8], StationCredentialBlob.Part)] = [
            ([], .trust),
            ([0x04, 0x00], .trust),
            (issued.caDER + [0x00], .trust),
            ([0x30, 0x81, 0x01, 0x00], .trust),
            ([0x30, 0x03, 0x02, 0x01, 0x01], .trust),  // a SEQUENCE, but not a certificate
        ]
        for (der, part) in cases {
            do {
                _ = try StationCredentialBlob(trustDER: der, certificateDER: issued.gatewayDER, privateKey: key)
                Issue.record("accepted a bad \(part)")
            } catch {
                guard case .invalidCredentialPart(let failed, _) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(failed == part)
            }
        }
    }

    private func sec1(of key: P256.Signing.PrivateKey) throws -> [UInt8] {
        // `openssl ec -outform DER` layout, built by hand to test that SEC 1 input is read too.
        var serializer = DER.Serializer()
        try serializer.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try coder.serialize(ASN1OctetString(contentBytes: ArraySlice(key.rawRepresentation)))
        }
        return serializer.serializedBytes
    }
}
