import Crypto
import Foundation
@testable import GatewayPKI
import Testing

/// P-256 keys drawn by rejection sampling: only scalars in [1, n-1] are kept, and the keys work.
@Suite("P-256 private keys by rejection sampling")
struct P256PrivateKeySamplerTests {
    /// Hands out 64-bit words from a script, as big-endian chunks of 32-byte candidates.
    struct ScriptedBits: RandomNumberGenerator {
        var words: [UInt64]
        mutating func next() -> UInt64 { words.removeFirst() }
    }

    static func words(_ bytes: [UInt8]) -> [UInt64] {
        stride(from: 0, to: 32, by: 8).map { start in bytes[start..<start + 8].reduce(0) { $0 << 8 | UInt64($1) } }
    }

    static let nMinusOne: [UInt8] = {
        var bytes = P256PrivateKeySampler.order
        bytes[31] -= 1
        return bytes
    }()

    @Test("n, zero and all ones are drawn again; n-1 is kept as the key's scalar")
    func rejection() throws {
        let candidates: [[UInt8]] = [
            P256PrivateKeySampler.order, [UInt8](repeating: 0, count: 32), [UInt8](repeating: 0xFF, count: 32), Self.nMinusOne,
        ]
        var bits = ScriptedBits(words: candidates.flatMap(Self.words))
        let key = try P256PrivateKeySampler.privateKey(using: &bits)
        #expect(Array(key.rawRepresentation) == Self.nMinusOne)
        #expect(bits.words.isEmpty, "every rejected candidate was consumed, and no more")
    }

    @Test("keys from the system generator are distinct, sign and verify, and carry k·G as public key")
    func systemKeys() throws {
        var seen = Set<Data>()
        for _ in 0..<64 {
            let key = try P256PrivateKeySampler.privateKey()
            #expect(seen.insert(key.rawRepresentation).inserted)
            let recomputed = try P256.Signing.PrivateKey(rawRepresentation: key.rawRepresentation)
            #expect(recomputed.publicKey.x963Representation == key.publicKey.x963Representation)
            let message = Data("gatehouse".utf8)
            #expect(key.publicKey.isValidSignature(try key.signature(for: message), for: message))
        }
    }
}
