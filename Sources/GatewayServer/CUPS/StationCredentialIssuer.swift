import Foundation
import GatewayPKI
import LoRaWAN

/// Gives stations credentials through CUPS without a human (basics-station-protocol §2.2):
///
/// - a station that reports no LNS credentials (`tcCredCrc` = CRC of no files), or whose certificate
///   is within the renewal window of its expiry, gets a new certificate with a key Gatehouse makes
///   now, as both `cupsCred` and `tcCred` (one certificate serves both connections, as in our
///   bundles; delivering only `tcCred` would later revoke the certificate CUPS itself uses);
/// - the key exists only in that response; Gatehouse keeps the certificate and the blob's CRC;
/// - the station's next request (its CRCs equal the blob's, or it connects with the new certificate)
///   confirms it, and only then are older certificates revoked, so a station that fails to install
///   the blob keeps working with the old one;
/// - a delivery never confirmed is revoked when a newer one is made.
///
/// A request without CRCs (a person testing with curl) is never sent credentials: only a station,
/// which always reports its CRCs, can install them.
public struct StationCredentialIssuer: StationCredentialPlanner {
    /// `crc32` over twelve zero bytes: the CRC a station reports for a credential set with no files.
    public static let noCredentialsCRC = CRC32.checksum([UInt8](repeating: 0, count: 12))

    let pki: GatewayPKIService
    /// DER of the CA stations trust for this server (`cups.trust`, `tc.trust`).
    let serverTrustDER: [UInt8]
    let renewalWindow: TimeInterval
    let validityDays: Int
    let clock: @Sendable () -> Date

    public init(
        pki: GatewayPKIService, serverTrustDER: [UInt8], renewalDays: Int, validityDays: Int = GatewayCertificateProfile.defaultValidityDays,
        clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.pki = pki
        self.serverTrustDER = serverTrustDER
        self.renewalWindow = TimeInterval(renewalDays) * 86_400
        self.validityDays = validityDays
        self.clock = clock
    }

    public func credentials(for request: CUPSUpdateRequest, from gateway: GatewayIdentity) async throws -> StationCredentialDelivery? {
        if let pending = try await pki.awaitingConfirmation(of: gateway.eui), let delivery = pending.delivery {
            let reported = [request.cupsCredentialsCRC, request.tcCredentialsCRC]
            if gateway.serial == pending.serial || reported.contains(delivery.credentialsCRC) {
                // After the answer: confirming revokes the old certificate, possibly the one this
                // connection authenticated with, which would close it before the station hears back.
                let pki = pki
                return StationCredentialDelivery(cups: nil, tc: nil) {
                    try await pki.confirmDelivery(serial: pending.serial, actor: "cups")
                }
            }
        }
        guard let tcCRC = request.tcCredentialsCRC else { return nil }
        let lacksLNSCredentials = tcCRC == Self.noCredentialsCRC
        let renewalDue = gateway.notAfter.timeIntervalSince(clock()) < renewalWindow
        guard lacksLNSCredentials || renewalDue else { return nil }

        var blob: StationCredentialBlob?
        _ = try await pki.issueForDelivery(for: gateway.eui, validityDays: validityDays, actor: "cups") { credentials in
            let made = try StationCredentialBlob(
                trustDER: serverTrustDER, certificateDER: credentials.certificate.record.der,
                privateKey: try StationPrivateKey(pem: credentials.privateKey.exportPEM()))
            blob = made
            return made.crc32
        }
        guard let blob else { return nil }
        return StationCredentialDelivery(cups: blob, tc: blob)
    }
}
