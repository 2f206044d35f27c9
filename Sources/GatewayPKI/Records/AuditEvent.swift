import Foundation
import LoRaWAN

/// One entry of the append-only audit log of CA and certificate events.
public struct AuditEvent: Sendable, Equatable {
    /// Assigned by storage; `nil` before the event is stored.
    public var id: Int64?
    public var time: Date
    /// Who did it: `apikey:<name>`, `cli`, `system` (automatic renewal), ...
    public var actor: String
    public var action: AuditAction
    public var gatewayEUI: EUI64?
    public var serial: String?
    public var fingerprintSHA256: String?
    /// A short sentence; never key material.
    public var detail: String

    public init(
        id: Int64? = nil, time: Date, actor: String, action: AuditAction, gatewayEUI: EUI64? = nil, serial: String? = nil,
        fingerprintSHA256: String? = nil, detail: String = ""
    ) {
        self.id = id
        self.time = time
        self.actor = actor
        self.action = action
        self.gatewayEUI = gatewayEUI
        self.serial = serial
        self.fingerprintSHA256 = fingerprintSHA256
        self.detail = detail
    }
}

public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case caCreated = "ca.created"
    case caImported = "ca.imported"
    case caRootKeyExported = "ca.root_key_exported"
    case caRootKeyRemoved = "ca.root_key_removed"
    case vendorCATrusted = "ca.vendor_trusted"
    case vendorCARemoved = "ca.vendor_removed"
    case gatewayRegistered = "gateway.registered"
    case gatewayDeleted = "gateway.deleted"
    case certificateIssued = "certificate.issued"
    case certificateRevoked = "certificate.revoked"
    case serverCertificateIssued = "server_certificate.issued"
    case backendClientCertificateIssued = "backend_client_certificate.issued"
    case certificateConfirmed = "certificate.confirmed"
    case crlGenerated = "crl.generated"
    case apiKeyCreated = "apikey.created"
    case apiKeyRevoked = "apikey.revoked"
}
