import Foundation
import GatewayPKI
import LoRaWAN

/// Records for the repository tests. Times are whole seconds, so they survive the microsecond storage
/// exactly and records compare equal after a round trip.
enum Fixture {
    static let epoch = Date(timeIntervalSince1970: 1_750_000_000)

    static func time(_ seconds: Int) -> Date { epoch.addingTimeInterval(TimeInterval(seconds)) }

    static func eui(_ n: UInt64) -> EUI64 { EUI64(0x0016_C001_FF10_0000 + n) }

    static func gateway(_ n: UInt64, network: String = "north", located: Bool = true) -> GatewayRecord {
        GatewayRecord(
            eui: eui(n), name: "gateway \(n)", network: network,
            location: located ? GatewayLocation(latitude: 52.370216, longitude: 4.895168, altitude: 12.5) : nil,
            frequencyPlan: .eu868, createdAt: epoch
        )
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func certificate(
        gateway n: UInt64, issuedAt: Date, issuer: String = "issuer-1", notAfter: Date? = nil, serial: String? = nil
    ) -> CertificateRecord {
        CertificateRecord(
            serial: serial ?? hex(randomBytes(16)), gatewayEUI: eui(n), issuerID: issuer,
            notBefore: issuedAt, notAfter: notAfter ?? issuedAt.addingTimeInterval(365 * 86_400),
            fingerprintSHA256: hex(randomBytes(32)), der: randomBytes(300), keyAlgorithm: "P-256",
            keySource: .serverGenerated, issuedAt: issuedAt
        )
    }

    static func event(_ action: AuditAction, gateway n: UInt64? = nil, at time: Date = epoch, serial: String? = nil) -> AuditEvent {
        AuditEvent(time: time, actor: "cli", action: action, gatewayEUI: n.map(eui), serial: serial, detail: "\(action.rawValue) by a test")
    }

    /// A CA with a private key of random bytes (storage never parses it), so a dump can be searched for it.
    static func authority(_ id: String = "issuer-1", role: AuthorityRole = .issuing, key: [UInt8]? = randomBytes(138)) -> AuthorityRecord {
        AuthorityRecord(
            id: id, role: role, certificateDER: randomBytes(400), privateKey: key.map { PrivateKeyMaterial(pkcs8DER: $0) }, createdAt: epoch
        )
    }
}
