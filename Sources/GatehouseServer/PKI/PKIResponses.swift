import Foundation
import GatewayPKI
import Hummingbird
import LoRaWAN
import SwiftASN1
import X509

/// Response bodies of the Gateway PKI API. None of them carries a key, except the one-time
/// `IssuedCertificateResponse.privateKeyPEM` of a server-generated key.
struct GatewayResponse: ResponseEncodable {
    var eui: String
    var name: String
    var network: String
    var location: RegisterGatewayRequest.LocationBody?
    var frequencyPlan: String
    var createdAt: Date

    init(_ record: GatewayRecord) {
        eui = record.eui.description
        name = record.name
        network = record.network
        location = record.location.map { .init(latitude: $0.latitude, longitude: $0.longitude, altitude: $0.altitude) }
        frequencyPlan = record.frequencyPlan.rawValue
        createdAt = record.createdAt
    }
}

struct GatewayListResponse: ResponseEncodable {
    var gateways: [GatewayResponse]
}

struct CertificateResponse: ResponseEncodable {
    var serial: String
    var gatewayEUI: String
    var issuerID: String
    var notBefore: Date
    var notAfter: Date
    var fingerprintSHA256: String
    var keyAlgorithm: String
    var keySource: String
    var issuedAt: Date
    var revoked: Bool
    var revokedAt: Date?
    var revocationReason: String?
    /// Delivered to the station by CUPS and not yet confirmed installed (the previous certificate stays valid until then).
    var awaitingStationConfirmation: Bool
    var certificatePEM: String

    init(_ record: CertificateRecord) {
        serial = record.serial
        gatewayEUI = record.gatewayEUI.description
        issuerID = record.issuerID
        notBefore = record.notBefore
        notAfter = record.notAfter
        fingerprintSHA256 = record.fingerprintSHA256
        keyAlgorithm = record.keyAlgorithm
        keySource = record.keySource.rawValue
        issuedAt = record.issuedAt
        revoked = record.isRevoked
        revokedAt = record.revocation?.time
        revocationReason = record.revocation?.reason.description
        awaitingStationConfirmation = record.delivery != nil
        certificatePEM = PEMDocument(type: "CERTIFICATE", derBytes: record.der).pemString
    }
}

struct CertificateListResponse: ResponseEncodable {
    var certificates: [CertificateResponse]
}

/// The one-time answer to an issuance: the only place a server-generated private key ever appears.
struct IssuedCertificateResponse: ResponseEncodable {
    var certificate: CertificateResponse
    var chainPEM: String
    var trustAnchorPEM: String
    var privateKeyPEM: String?
    var notice: String
}

struct AuthorityResponse: ResponseEncodable {
    var id: String
    var role: String
    var subject: String
    var notBefore: Date?
    var notAfter: Date?
    var hasPrivateKey: Bool
    var certificatePEM: String

    init(_ record: AuthorityRecord) {
        let certificate = try? Certificate(derEncoded: record.certificateDER)
        id = record.id
        role = record.role.rawValue
        subject = certificate.map { "\($0.subject)" } ?? ""
        notBefore = certificate?.notValidBefore
        notAfter = certificate?.notValidAfter
        hasPrivateKey = record.privateKey != nil
        certificatePEM = PEMDocument(type: "CERTIFICATE", derBytes: record.certificateDER).pemString
    }
}

struct AuthorityListResponse: ResponseEncodable {
    var authorities: [AuthorityResponse]
}

struct RootKeyResponse: ResponseEncodable {
    var privateKeyPEM: String
    var removed: Bool
    var notice: String
}

struct AuditEventResponse: ResponseEncodable {
    var id: Int64?
    var time: Date
    var actor: String
    var action: String
    var gatewayEUI: String?
    var serial: String?
    var fingerprintSHA256: String?
    var detail: String

    init(_ event: AuditEvent) {
        id = event.id
        time = event.time
        actor = event.actor
        action = event.action.rawValue
        gatewayEUI = event.gatewayEUI?.description
        serial = event.serial
        fingerprintSHA256 = event.fingerprintSHA256
        detail = event.detail
    }
}

struct AuditListResponse: ResponseEncodable {
    var events: [AuditEventResponse]
}
