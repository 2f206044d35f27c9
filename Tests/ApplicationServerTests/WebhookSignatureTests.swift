import ApplicationServer
import Crypto
import Foundation
import Testing

@Suite("Webhook signatures")
struct WebhookSignatureTests {
    let body = Array(#"{"a":1}"#.utf8)

    @Test("HMAC-SHA256 over <timestamp>.<body> matches OpenSSL and Python")
    func knownAnswer() throws {
        // printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test_secret_0123456789
        #expect(WebhookSignature.signature(body: body, timestamp: 1_700_000_000, secret: Fixtures.secret)
            == "sha256=10fb0e5eb2c2204d471e7d252958fb5af663638b8d24fc8dc03090a74bcc366c")
        // hmac.new(secret, b"1714564800." + body, hashlib.sha256) over the documented uplink event.
        let event = try UplinkDecryption.decrypt(Fixtures.uplink(), session: Fixtures.session, applicationID: Fixtures.applicationID)
        let headers = WebhookSignature.headers(body: ApplicationEvent.uplink(event).jsonBytes, secret: Fixtures.secret, at: Fixtures.t0.addingTimeInterval(0.9))
        #expect(headers.map(\.name) == ["X-Gatehouse-Timestamp", "X-Gatehouse-Signature"])
        #expect(headers.map(\.value) == ["1714564800", "sha256=bd56ad852788e05d033a7aa4017b77d5ef019f921587e8bb0c4d2cb5abe10d23"])
    }

    @Test("a genuine request verifies; a changed body, timestamp, signature or secret does not")
    func verification() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_060)
        let signature = WebhookSignature.signature(body: body, timestamp: 1_700_000_000, secret: Fixtures.secret)
        try WebhookSignature.verify(body: body, timestamp: "1700000000", signature: signature, secret: Fixtures.secret, now: now)

        #expect(throws: WebhookSignatureError.mismatch) {
            try WebhookSignature.verify(body: Array(#"{"a":2}"#.utf8), timestamp: "1700000000", signature: signature, secret: Fixtures.secret, now: now)
        }
        #expect(throws: WebhookSignatureError.mismatch, "a captured signature does not cover a fresh timestamp") {
            try WebhookSignature.verify(body: body, timestamp: "1700000050", signature: signature, secret: Fixtures.secret, now: now)
        }
        #expect(throws: WebhookSignatureError.mismatch) {
            try WebhookSignature.verify(body: body, timestamp: "1700000000", signature: signature, secret: WebhookSecret("another secret of some length")!, now: now)
        }
        #expect(throws: WebhookSignatureError.mismatch, "the timestamp as sent is what is signed") {
            try WebhookSignature.verify(body: body, timestamp: "01700000000", signature: signature, secret: Fixtures.secret, now: now)
        }
        #expect(throws: WebhookSignatureError.malformedSignature) {
            try WebhookSignature.verify(body: body, timestamp: "1700000000", signature: "sha1=abcd", secret: Fixtures.secret, now: now)
        }
        #expect(throws: WebhookSignatureError.malformedSignature) {
            try WebhookSignature.verify(body: body, timestamp: "1700000000", signature: String(signature.dropLast(2)), secret: Fixtures.secret, now: now)
        }
        #expect(throws: WebhookSignatureError.malformedTimestamp) {
            try WebhookSignature.verify(body: body, timestamp: "-1700000000", signature: signature, secret: Fixtures.secret, now: now)
        }
    }

    @Test("a replay outside the tolerance is refused, in either direction")
    func staleness() throws {
        let signature = WebhookSignature.signature(body: body, timestamp: 1_700_000_000, secret: Fixtures.secret)
        for offset in [301.0, -301.0] {
            #expect(throws: WebhookSignatureError.stale) {
                try WebhookSignature.verify(
                    body: body, timestamp: "1700000000", signature: signature, secret: Fixtures.secret, now: Date(timeIntervalSince1970: 1_700_000_000 + offset))
            }
        }
        try WebhookSignature.verify(
            body: body, timestamp: "1700000000", signature: signature, secret: Fixtures.secret, now: Date(timeIntervalSince1970: 1_700_000_300))
    }

    @Test("the verifier in the documentation agrees with the module's")
    func documentedVerifier() {
        let signature = WebhookSignature.signature(body: body, timestamp: 1_700_000_000, secret: Fixtures.secret)
        let now = Date(timeIntervalSince1970: 1_700_000_010)
        #expect(isGenuineGatehouseWebhook(body: Data(body), timestamp: "1700000000", signature: signature, secret: Fixtures.secret.exportText(), now: now))
        #expect(!isGenuineGatehouseWebhook(body: Data(body + [0x20]), timestamp: "1700000000", signature: signature, secret: Fixtures.secret.exportText(), now: now))
        #expect(!isGenuineGatehouseWebhook(
            body: Data(body), timestamp: "1700000000", signature: signature, secret: Fixtures.secret.exportText(), now: now.addingTimeInterval(3600)))
    }

    @Test("a secret never prints, is long enough, and generated secrets differ")
    func secrets() {
        #expect(WebhookSecret("short") == nil)
        #expect("\(Fixtures.secret)" == "WebhookSecret(<redacted>)")
        #expect(String(reflecting: Fixtures.secret) == "WebhookSecret(<redacted>)")
        #expect(!"\(Fixtures.application)".contains("whsec"))
        let a = WebhookSecret.generate()
        let b = WebhookSecret.generate()
        #expect(a != b)
        #expect(a.exportText().hasPrefix("whsec_") && a.exportText().count == 70)
    }
}

// Copied verbatim from `WebhookSignature`'s documentation: the code receivers are told to copy.
/// Whether `body` was signed by Gatehouse with `secret` within `tolerance` seconds of `now`.
func isGenuineGatehouseWebhook(
    body: Data, timestamp: String, signature: String, secret: String,
    now: Date = Date(), tolerance: TimeInterval = 300
) -> Bool {
    guard let seconds = Int64(timestamp), abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance,
          signature.hasPrefix("sha256="), signature.count == 7 + 64 else { return false }
    var mac: [UInt8] = []
    var digits = signature.dropFirst(7).makeIterator()
    while let high = digits.next(), let low = digits.next() {
        guard let byte = UInt8(String([high, low]), radix: 16) else { return false }
        mac.append(byte)
    }
    var signed = Data(timestamp.utf8)
    signed.append(UInt8(ascii: "."))
    signed.append(body)
    // Constant-time comparison.
    return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: SymmetricKey(data: Data(secret.utf8)))
}
