import Crypto
import Foundation
import LoRaWAN

/// How a webhook receiver knows a POST comes from Gatehouse and is fresh.
///
/// Each request carries two headers:
///
/// - `X-Gatehouse-Timestamp: <t>`: the Unix time in whole seconds when this attempt was signed (each
///   retry is signed anew).
/// - `X-Gatehouse-Signature: sha256=<hex>`: HMAC-SHA256, keyed with the UTF-8 of the application's
///   webhook secret, over the bytes `<t>.<body>`: the timestamp's decimal digits, one `.`, and the exact
///   body bytes as received (do not re-serialise the JSON). 64 lower-case hex digits.
///
/// Because the timestamp is inside the MAC, a receiver that refuses timestamps more than a few
/// minutes from its clock refuses a captured request replayed later. A receiver that must never act
/// twice also keeps the `X-Gatehouse-Delivery` ids it has seen for that window: delivery is at least
/// once, so a retry after a lost `2xx` repeats a delivery.
///
/// A verifier to copy into a Swift receiver (swift-crypto, or `import CryptoKit` on Apple platforms):
///
/// ```swift
/// import Crypto
/// import Foundation
///
/// /// Whether `body` was signed by Gatehouse with `secret` within `tolerance` seconds of `now`.
/// func isGenuineGatehouseWebhook(
///     body: Data, timestamp: String, signature: String, secret: String,
///     now: Date = Date(), tolerance: TimeInterval = 300
/// ) -> Bool {
///     guard let seconds = Int64(timestamp), abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance,
///           signature.hasPrefix("sha256="), signature.count == 7 + 64 else { return false }
///     var mac: [UInt8] = []
///     var digits = signature.dropFirst(7).makeIterator()
///     while let high = digits.next(), let low = digits.next() {
///         guard let byte = UInt8(String([high, low]), radix: 16) else { return false }
///         mac.append(byte)
///     }
///     var signed = Data(timestamp.utf8)
///     signed.append(UInt8(ascii: "."))
///     signed.append(body)
///     // Constant-time comparison.
///     return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: SymmetricKey(data: Data(secret.utf8)))
/// }
/// ```
///
/// From a shell: `printf '%s.%s' "$TIMESTAMP" "$BODY" | openssl dgst -sha256 -hmac "$SECRET"` prints
/// the hex after `sha256=`. In Python: `hmac.new(secret.encode(), ts.encode() + b"." + body,
/// hashlib.sha256).hexdigest()`, compared with `hmac.compare_digest`.
public enum WebhookSignature {
    public static let signatureHeader = "X-Gatehouse-Signature"
    public static let timestampHeader = "X-Gatehouse-Timestamp"
    /// How far a timestamp may be from the verifier's clock, either way, by default: five minutes.
    public static let defaultTolerance: TimeInterval = 300

    /// The `X-Gatehouse-Signature` value for `body` signed at `timestamp` (Unix seconds).
    public static func signature(body: some Collection<UInt8>, timestamp: Int64, secret: WebhookSecret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: signedBytes(body: body, timestamp: timestamp), using: secret.key)
        return "sha256=" + Hex.encode(mac)
    }

    /// Both headers for an attempt made at `time`.
    public static func headers(body: some Collection<UInt8>, secret: WebhookSecret, at time: Date) -> [(name: String, value: String)] {
        let timestamp = unixSeconds(time)
        return [
            (timestampHeader, String(timestamp)),
            (signatureHeader, signature(body: body, timestamp: timestamp, secret: secret)),
        ]
    }

    /// Checks a received request as a receiver should: the timestamp within `tolerance` of `now`, then
    /// the MAC, compared in constant time.
    public static func verify(
        body: some Collection<UInt8>, timestamp: String, signature: String, secret: WebhookSecret, now: Date,
        tolerance: TimeInterval = defaultTolerance
    ) throws(WebhookSignatureError) {
        guard !timestamp.isEmpty, timestamp.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let seconds = Int64(timestamp) else {
            throw .malformedTimestamp
        }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else { throw .stale }
        guard signature.hasPrefix("sha256="), let mac = Hex.decode(signature.dropFirst(7), count: SHA256.byteCount) else {
            throw .malformedSignature
        }
        // The MAC covers the timestamp's text as sent, so "0017..." and "17..." differ.
        let signed = Array(timestamp.utf8) + [UInt8(ascii: ".")] + Array(body)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: secret.key) else { throw .mismatch }
    }

    static func signedBytes(body: some Collection<UInt8>, timestamp: Int64) -> [UInt8] {
        Array(String(timestamp).utf8) + [UInt8(ascii: ".")] + Array(body)
    }

    static func unixSeconds(_ time: Date) -> Int64 { Int64(time.timeIntervalSince1970.rounded(.down)) }
}

/// Why a webhook request fails verification.
public enum WebhookSignatureError: Error, Hashable, Sendable, CustomStringConvertible {
    case malformedTimestamp
    case stale
    case malformedSignature
    case mismatch

    public var description: String {
        switch self {
        case .malformedTimestamp: "X-Gatehouse-Timestamp is not a Unix time in seconds"
        case .stale: "X-Gatehouse-Timestamp is too far from the current time (a replay, or a wrong clock)"
        case .malformedSignature: "X-Gatehouse-Signature is not sha256= and 64 hex digits"
        case .mismatch: "X-Gatehouse-Signature does not match the body and timestamp"
        }
    }
}
