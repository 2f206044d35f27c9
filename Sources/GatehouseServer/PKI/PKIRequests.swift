import Foundation
import GatewayPKI
import Hummingbird
import LoRaWAN

/// Request bodies of the Gateway PKI API. Every field is checked where it is turned into a domain value,
/// so a bad one is a 400 that names it.
struct RegisterGatewayRequest: Decodable {
    /// EUI-64 in any common form; or give `mac` (MAC-48, becomes an EUI-64 with FFFE inserted).
    var eui: String?
    var mac: String?
    var name: String
    var network: String?
    var location: LocationBody?
    var frequencyPlan: String

    struct LocationBody: Codable {
        var latitude: Double
        var longitude: Double
        var altitude: Double?
    }

    func gatewayEUI() throws -> EUI64 {
        switch (eui, mac) {
        case (let eui?, nil): return try parseEUI(eui, field: "eui")
        case (nil, let mac?):
            do { return try EUI64(parsingEUIOrMAC: mac) } catch { throw APIError.field("mac", "\(error)") }
        case (nil, nil): throw APIError.field("eui", "give the gateway's EUI-64 (or its MAC-48 as mac)")
        case (.some, .some): throw APIError.field("eui", "give eui or mac, not both")
        }
    }

    func gatewayLocation() throws -> GatewayLocation? {
        guard let location else { return nil }
        guard let value = GatewayLocation(latitude: location.latitude, longitude: location.longitude, altitude: location.altitude) else {
            throw APIError.field("location", "latitude must be within ±90 and longitude within ±180")
        }
        return value
    }

    func region() throws -> Region {
        guard let region = Region(frequencyPlan) else {
            throw APIError.field("frequencyPlan", "unknown plan '\(frequencyPlan.prefix(40))'; use one of \(Region.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return region
    }
}

struct IssueCertificateRequest: Decodable {
    /// `p256` (default), `rsa2048`, `rsa3072`, `rsa4096`; ignored with a CSR.
    var keyType: String?
    var validityDays: Int?
    /// The gateway's own CSR (PEM): the key never leaves the gateway.
    var csrPEM: String?
    /// `json` (default) or `basicstation` (a tar of cups.*/tc.* files).
    var format: String?
    var cupsURI: String?
    var tcURI: String?

    func gatewayKeyType() throws -> GatewayKeyType {
        guard let keyType else { return .p256 }
        guard let type = GatewayKeyType(name: keyType) else {
            throw APIError.field("keyType", "use one of \(GatewayKeyType.namesForHelp)")
        }
        return type
    }
}

struct RevokeCertificateRequest: Decodable {
    /// An RFC 5280 reason name (`keyCompromise`, `superseded`, ...) or code; default `unspecified`.
    var reason: String?

    func crlReason() throws -> CRLReason {
        guard let reason else { return .unspecified }
        guard let value = CRLReason(name: reason) else {
            throw APIError.field("reason", "use an RFC 5280 reason: \(CRLReason.allCases.map(\.description).joined(separator: ", "))")
        }
        return value
    }
}

struct InitializeAuthorityRequest: Decodable {
    var keyType: String?
    var commonName: String?
    var organization: String?

    func authorityKeyType() throws -> CertificateAuthorityKeyType {
        guard let keyType else { return .p256 }
        guard let type = CertificateAuthorityKeyType(name: keyType) else {
            throw APIError.field("keyType", "use one of \(CertificateAuthorityKeyType.namesForHelp)")
        }
        return type
    }
}

struct ImportAuthorityRequest: Decodable {
    var certificatePEM: String
    var privateKeyPEM: String
}

struct TrustVendorAuthorityRequest: Decodable {
    var certificatePEM: String
}

struct ExportRootKeyRequest: Decodable {
    /// Remove the key from Gatehouse after exporting it (offline root).
    var remove: Bool
}

func parseEUI(_ text: String, field: String) throws -> EUI64 {
    do { return try EUI64(parsing: text) } catch { throw APIError.field(field, "\(error)") }
}

extension APIError {
    /// A 400 naming the field and the reason.
    static func field(_ name: String, _ reason: String) -> APIError {
        APIError(status: .badRequest, code: .invalidField, message: "\(name): \(reason)")
    }
}

extension APIError.Code {
    static let invalidField = APIError.Code(rawValue: "invalid_field")
}
