import Foundation

/// RFC 7468 PEM text for DER bytes: the label lines around base64 in 64-character lines.
///
/// SwiftASN1's `PEMDocument.pemString` produces the same text but walks the base64 `String` by index
/// to cut its lines, which costs more than the certificate's signature on the issuance path; Foundation's
/// line-breaking base64 encoder does it in one pass.
public enum PEMText {
    public static func encode(type: String, der: some DataProtocol) -> String {
        let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(type)-----\n\(body)\n-----END \(type)-----"
    }
}
