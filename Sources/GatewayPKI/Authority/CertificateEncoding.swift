import Crypto
import LoRaWAN
import SwiftASN1
import X509

/// The encodings Gatehouse stores and returns for a certificate: DER, PEM (RFC 7468 §5) and the
/// SHA-256 fingerprint that identifies it in records and audit events.
public enum CertificateEncoding {
    static func der(of certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }

    static func pem(der: [UInt8]) -> String {
        PEMText.encode(type: Certificate.defaultPEMDiscriminator, der: der)
    }

    /// SHA-256 of the DER certificate, lower-case hex: the form of `AuthorityRecord.id` and
    /// `CertificateRecord.fingerprintSHA256`.
    public static func fingerprintSHA256(der: [UInt8]) -> String {
        Hex.encode(SHA256.hash(data: der))
    }

    /// The serial number's INTEGER octets as lower-case hex, the form of `CertificateRecord.serial`
    /// and of the keys of ``RevocationState``.
    public static func serialHex(_ serial: Certificate.SerialNumber) -> String {
        Hex.encode(serial.bytes)
    }
}
