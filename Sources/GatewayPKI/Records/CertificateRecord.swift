import Foundation
import LoRaWAN

/// A certificate Gatehouse issued to a gateway. Never holds a private key: a server-generated key is
/// returned once in the issuance response and forgotten.
public struct CertificateRecord: Sendable, Equatable {
    /// The serial number as lower-case hex (at least 16 random bytes).
    public var serial: String
    public var gatewayEUI: EUI64
    /// The `AuthorityRecord.id` of the CA that signed it.
    public var issuerID: String
    public var notBefore: Date
    public var notAfter: Date
    /// SHA-256 of the DER certificate, lower-case hex.
    public var fingerprintSHA256: String
    public var der: [UInt8]
    /// `P-256`, `P-384`, `RSA-2048`, ...
    public var keyAlgorithm: String
    public var keySource: CertificateKeySource
    public var issuedAt: Date
    public var revocation: CertificateRevocation?
    /// A credential CUPS delivered that the station has not yet shown it installed: valid, but it does
    /// not supersede the gateway's current certificate until confirmed (see ``StationDelivery``).
    public var delivery: StationDelivery?

    public init(
        serial: String, gatewayEUI: EUI64, issuerID: String, notBefore: Date, notAfter: Date, fingerprintSHA256: String,
        der: [UInt8], keyAlgorithm: String, keySource: CertificateKeySource, issuedAt: Date, revocation: CertificateRevocation? = nil,
        delivery: StationDelivery? = nil
    ) {
        self.serial = serial
        self.gatewayEUI = gatewayEUI
        self.issuerID = issuerID
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.fingerprintSHA256 = fingerprintSHA256
        self.der = der
        self.keyAlgorithm = keyAlgorithm
        self.keySource = keySource
        self.issuedAt = issuedAt
        self.revocation = revocation
        self.delivery = delivery
    }

    public var isRevoked: Bool { revocation != nil }

    /// Valid at `time`: inside its validity period and not revoked.
    public func isValid(at time: Date) -> Bool { !isRevoked && notBefore <= time && time <= notAfter }
}

/// Who made the key of a certificate.
public enum CertificateKeySource: String, Sendable, Codable, CaseIterable {
    /// Gatehouse generated the key and returned it once.
    case serverGenerated = "server"
    /// The gateway made the key and sent a CSR; the key never left it.
    case certificateSigningRequest = "csr"
}

/// A certificate CUPS sent to a station inside a credential blob and that the station has not yet
/// confirmed (its next request reports the blob's CRC, or it connects with the certificate).
///
/// Until then the gateway's previous certificate stays valid, so a station that fails to install
/// the blob is not locked out; a newer delivery revokes an unconfirmed one.
public struct StationDelivery: Sendable, Equatable {
    /// `crc32` of the credential blob: what the station reports as `cupsCredCrc`/`tcCredCrc` once installed.
    public var credentialsCRC: UInt32

    public init(credentialsCRC: UInt32) { self.credentialsCRC = credentialsCRC }
}

/// When and why a certificate was revoked.
public struct CertificateRevocation: Sendable, Equatable {
    public var time: Date
    public var reason: CRLReason

    public init(time: Date, reason: CRLReason) {
        self.time = time
        self.reason = reason
    }
}

/// RFC 5280 §5.3.1 CRLReason (value 7 is unused by the RFC).
public enum CRLReason: Int, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case unspecified = 0
    case keyCompromise = 1
    case caCompromise = 2
    case affiliationChanged = 3
    case superseded = 4
    case cessationOfOperation = 5
    case certificateHold = 6
    case removeFromCRL = 8
    case privilegeWithdrawn = 9
    case aaCompromise = 10

    /// The RFC's camelCase name, used in the API and CLI.
    public var description: String {
        switch self {
        case .unspecified: "unspecified"
        case .keyCompromise: "keyCompromise"
        case .caCompromise: "cACompromise"
        case .affiliationChanged: "affiliationChanged"
        case .superseded: "superseded"
        case .cessationOfOperation: "cessationOfOperation"
        case .certificateHold: "certificateHold"
        case .removeFromCRL: "removeFromCRL"
        case .privilegeWithdrawn: "privilegeWithdrawn"
        case .aaCompromise: "aACompromise"
        }
    }

    /// Parses the RFC name in any case, or the numeric code.
    public init?(name: String) {
        if let code = Int(name), let reason = CRLReason(rawValue: code) {
            self = reason
            return
        }
        guard let reason = Self.allCases.first(where: { $0.description.lowercased() == name.lowercased() }) else { return nil }
        self = reason
    }
}
