import BackendInterfaces
import Foundation
import Testing

/// A small deterministic generator (SplitMix64), so a failing input can be reproduced from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// DESIGN invariant 8: hostile bodies yield a typed failure, never a crash, and cost time linear in
/// their size. A crash fails the whole test run; so does an error of a type the API does not declare
/// (typed throws make that a compile error, which is the point).
@Suite("Backend Interfaces decoders against hostile input")
struct DecoderFuzzTests {
    /// Feeds both decoders; returns whether the request decoder accepted the body.
    @discardableResult
    private func decodeBoth(_ body: [UInt8]) -> Bool {
        _ = try? BackendAnswer(decoding: body)
        do {
            let request = try BackendRequest(decoding: body)
            // Whatever is accepted must encode and read back to the same value.
            #expect(try BackendRequest(decoding: request.encoded()) == request)
            return true
        } catch {
            // An answerable failure always yields an answer that encodes and decodes.
            if let answer = error.answer { #expect((try? BackendAnswer(decoding: answer.encoded())) == answer) }
            _ = error.responseBody
            return false
        }
    }

    /// Bytes JSON is made of, so random strings get past the first character often.
    private static let alphabet = Array(#"{}[]:,"\ 0123456789-+.eEtrufalsnxX0aAfF"#.utf8) + [0x00, 0x0A, 0x7F, 0x80, 0xC3, 0xFF]

    @Test("random byte strings never crash the decoders")
    func randomBytes() {
        var random = SplitMix64(seed: 0x6761_7465_686F_7573)
        for _ in 0..<3000 {
            let count = Int.random(in: 0...300, using: &random)
            let jsonish = Bool.random(using: &random)
            let body = (0..<count).map { _ in
                jsonish ? Self.alphabet.randomElement(using: &random) ?? 0 : UInt8.random(in: 0...255, using: &random)
            }
            decodeBoth(body)
        }
    }

    @Test("random mutations of the worked examples never crash the decoders")
    func mutatedExamples() {
        var random = SplitMix64(seed: 0x4A6F_696E_5265_71)
        let seeds = [
            WorkedExamples.joinReq10, WorkedExamples.joinReq11, WorkedExamples.joinAns10, WorkedExamples.joinAns11,
            JSONBody.appSKeyReq.text, JSONBody.homeNSReq.text,
        ].map { Array($0.utf8) }
        var accepted = 0
        for iteration in 0..<4000 {
            var body = seeds[iteration % seeds.count]
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                mutate(&body, using: &random)
            }
            if decodeBoth(body) { accepted += 1 }
        }
        // Mutations that keep a valid request (a changed hex digit, say) must also occur.
        #expect(accepted > 0)
    }

    private func mutate(_ body: inout [UInt8], using random: inout SplitMix64) {
        guard !body.isEmpty else {
            body = [Self.alphabet.randomElement(using: &random) ?? 0]
            return
        }
        let position = Int.random(in: 0..<body.count, using: &random)
        switch Int.random(in: 0..<6, using: &random) {
        case 0: body[position] = UInt8.random(in: 0...255, using: &random)
        case 1: body[position] = Self.alphabet.randomElement(using: &random) ?? 0
        case 2: body.remove(at: position)
        case 3: body.insert(Self.alphabet.randomElement(using: &random) ?? 0, at: position)
        case 4:
            let end = min(body.count, position + Int.random(in: 1...40, using: &random))
            body.removeSubrange(position..<end)
        default:
            let end = min(body.count, position + Int.random(in: 1...40, using: &random))
            body.insert(contentsOf: body[position..<end], at: Int.random(in: 0...body.count, using: &random))
        }
    }

    /// A hostile body, printed by name only (some are 100 KB).
    struct Hostile: Sendable, CustomTestStringConvertible {
        var name: String
        var body: [UInt8]
        /// Some stress the parser with a valid request.
        var valid = false

        init(_ name: String, _ body: [UInt8], valid: Bool = false) {
            self.name = name
            self.body = body
            self.valid = valid
        }

        var testDescription: String { name }
    }

    static let hostile: [Hostile] = [
        Hostile("arrays nested 100,000 deep", Array(repeating: UInt8(ascii: "["), count: 100_000)),
        Hostile("objects nested 10,000 deep", Array(String(repeating: #"{"a":"#, count: 10_000).utf8)),
        Hostile("nesting just past the limit inside a request", Array(
            JSONBody.joinReq10.setting("Deep", String(repeating: "[", count: 40) + String(repeating: "]", count: 40)).text.utf8)),
        Hostile("a 30,000-digit TransactionID", JSONBody.joinReq10.setting("TransactionID", String(repeating: "9", count: 30_000)).bytes),
        Hostile("an exponent of 30,000 digits", JSONBody.joinReq10.setting("RxDelay", "1e" + String(repeating: "9", count: 30_000)).bytes),
        Hostile("an RxDelay of 1e-99999", JSONBody.joinReq10.setting("RxDelay", "1e-99999").bytes),
        Hostile("a string of 5,000 \\u escapes", JSONBody.joinReq10.setting("SenderID", "\"" + String(repeating: #"\u00e9"#, count: 5000) + "\"").bytes, valid: true),
        Hostile("a string of lone surrogates", Array(#"{"MessageType":"\udc00\ud800"}"#.utf8)),
        Hostile("overlong UTF-8", [UInt8](#"{"MessageType":""#.utf8) + [0xC0, 0x80] + [UInt8](#""}"#.utf8)),
        Hostile("UTF-16 text", Array(WorkedExamples.joinReq10.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })),
        Hostile("a NUL byte", [UInt8](#"{"MessageType":"JoinReq"}"#.utf8) + [0]),
        Hostile("an object with 3,000 members", Array(("{" + (0..<3000).map { "\"m\($0)\":\($0)" }.joined(separator: ",") + "}").utf8)),
        Hostile("3,000 copies of one member", Array(("{" + Array(repeating: #""DevEUI":"00""#, count: 3000).joined(separator: ",") + "}").utf8)),
        Hostile("an unterminated string", Array(#"{"MessageType":"JoinReq"#.utf8)),
        Hostile("a truncated escape", Array(#"{"MessageType":"\u12"#.utf8)),
        Hostile("wrong types everywhere", Array(#"{"ProtocolVersion":[],"MessageType":"JoinReq","SenderID":{},"ReceiverID":true,"TransactionID":null,"DevEUI":1}"#.utf8)),
    ]

    @Test("hostile bodies end in a typed failure (or, for a few, a valid request), never a crash", arguments: hostile)
    func hostileBodies(_ hostile: Hostile) {
        #expect(decodeBoth(hostile.body) == hostile.valid, "\(hostile.name)")
    }

    @Test("decoding time is linear: a 32 KiB body of many members decodes quickly")
    func linearTime() throws {
        var members = JSONBody.joinReq10
        var size = members.bytes.count
        for index in 0... {
            let member = (name: "u\(index)", value: #"[{"k":"v"}]"#)
            let extra = member.name.utf8.count + member.value.utf8.count + 4  // quotes, colon, comma
            guard size + extra <= BackendRequest.maximumBodySize else { break }
            members.members.append(member)
            size += extra
        }
        let body = members.bytes
        #expect(body.count > 30 * 1024 && body.count <= BackendRequest.maximumBodySize)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<20 { _ = try BackendRequest(decoding: body) }
        }
        // About a millisecond each in a debug build; a quadratic decoder would take seconds.
        #expect(elapsed < .seconds(5), "\(elapsed)")
    }
}
