import Crypto

/// Makes P-256 private keys by rejection sampling (FIPS 186-5 §A.2.2): 256 bits from the system's
/// CSPRNG, kept when they are a scalar in [1, n-1], otherwise drawn again.
///
/// That is how BoringSSL makes the scalar too. swift-crypto's key generation then runs BoringSSL's
/// FIPS 140 pairwise-consistency self-test on every key (it recomputes the public key, signs and
/// verifies): more than three quarters of the cost of a key, and a third of a whole gateway
/// certificate issuance. That test guards a FIPS module against its own faults; it adds nothing to
/// the key, which here is the same uniform scalar with its public key computed once, k·G.
enum P256PrivateKeySampler {
    /// The order n of the P-256 base point, big-endian (SEC 2 §2.4.2).
    static let order: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
    ]

    static func privateKey() throws -> P256.Signing.PrivateKey {
        var generator = SystemRandomNumberGenerator()
        return try privateKey(using: &generator)
    }

    /// With the bits drawn from `generator` (tests script it; keys come from the system CSPRNG).
    static func privateKey(using generator: inout some RandomNumberGenerator) throws -> P256.Signing.PrivateKey {
        var scalar = [UInt8](repeating: 0, count: 32)
        defer { scalar.withUnsafeMutableBytes { _ = $0.initializeMemory(as: UInt8.self, repeating: 0) } }
        while true {
            for word in 0..<4 {
                let bits = generator.next().bigEndian
                withUnsafeBytes(of: bits) { bytes in
                    for index in 0..<8 { scalar[word * 8 + index] = bytes[index] }
                }
            }
            // Probability of drawing again: about 2^-32.
            guard scalar.lexicographicallyPrecedes(order), scalar.contains(where: { $0 != 0 }) else { continue }
            return try P256.Signing.PrivateKey(rawRepresentation: scalar)
        }
    }
}
