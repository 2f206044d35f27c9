import Foundation
import LoRaWAN
import SwiftASN1
import X509

/// One entry of a CRL's `revokedCertificates` list (RFC 5280 §5.1.2.6): the certificate's serial
/// number (`userCertificate`), its `revocationDate` and the `reasonCode` entry extension (§5.3.1).
public struct RevokedCertificate: Sendable, Hashable {
    /// RFC 5280 `userCertificate`: the serial number of the revoked certificate.
    public var serialNumber: Certificate.SerialNumber
    public var revocationDate: Date
    /// `unspecified` is written as no reasonCode at all, as RFC 5280 §5.3.1 recommends.
    public var reason: CRLReason

    public init(serialNumber: Certificate.SerialNumber, revocationDate: Date, reason: CRLReason) {
        self.serialNumber = serialNumber
        self.revocationDate = revocationDate
        self.reason = reason
    }

    /// An entry for a serial number written as hex (the form `CertificateRecord.serial` keeps);
    /// leading zero bytes are dropped, so `00ab` and `ab` name the same certificate.
    public init(serialHex: String, revocationDate: Date, reason: CRLReason) throws(CRLError) {
        guard !serialHex.isEmpty, let bytes = Hex.decode(serialHex.count % 2 == 0 ? serialHex : "0" + serialHex) else {
            throw .invalidSerialNumber(serialHex)
        }
        self.init(serialNumber: Certificate.SerialNumber(bytes: bytes), revocationDate: revocationDate, reason: reason)
    }

    /// The entry for a revoked certificate record; throws if the record is not revoked.
    public init(_ record: CertificateRecord) throws(CRLError) {
        guard let revocation = record.revocation else { throw .certificateNotRevoked(serial: record.serial) }
        try self.init(serialHex: record.serial, revocationDate: revocation.time, reason: revocation.reason)
    }

    /// This entry's DER as the CRL lists it; an unspecified reason is written as no reasonCode.
    /// - Throws: `CRLError.removeFromCRLInCompleteCRL`, `CRLError.dateOutOfRange`.
    func entryDER() throws -> [UInt8] {
        guard reason != .removeFromCRL else { throw CRLError.removeFromCRLInCompleteCRL(serial: serialHex) }
        let entry = TBSCertList.Entry(
            userCertificate: serialNumber, revocationDate: try CRLTime(revocationDate),
            crlEntryExtensions: reason == .unspecified ? [] : [try CRLExtensions.reasonCodeExtension(reason)])
        var coder = DER.Serializer()
        try coder.serialize(entry)
        return coder.serializedBytes
    }

    /// The serial number as lower-case hex without leading zero bytes (`"0"` for zero).
    public var serialHex: String {
        serialNumber.bytes.isEmpty ? "0" : Hex.encode(serialNumber.bytes)
    }
}
