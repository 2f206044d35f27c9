import LoRaWAN

/// The DevNonces a device sends, by the rule of its LoRaWAN version.
///
/// - LoRaWAN 1.0.0-1.0.3 devices draw DevNonce at random and a Join Server refuses a repeat, so the
///   sequence never hands out a value twice (1.0.3 §6.2.4).
/// - LoRaWAN 1.0.4 and 1.1 devices count DevNonce up from 0 and a Join Server refuses anything not
///   above the last one (1.0.4 §6.2.5, 1.1 §6.2.5). A real device keeps the counter in non-volatile
///   memory; a simulated one starts where it is told (`next`), so that a second run against the same
///   server can continue above the first.
///
/// The random draws use a seeded generator, so a test that fixes the seed sees fixed nonces.
public struct DevNonceSequence: Sendable, Equatable {
    public let rule: DevNonceRule
    /// The next counter value (increasing rule); 65,536 once exhausted.
    public private(set) var next: UInt32
    /// Values already drawn (random rule).
    public private(set) var used: Set<UInt16> = []
    private var random: SplitMix64

    public init(rule: DevNonceRule, next: UInt16 = 0, seed: UInt64? = nil) {
        self.rule = rule
        self.next = UInt32(next)
        var system = SystemRandomNumberGenerator()
        self.random = SplitMix64(seed: seed ?? system.next())
    }

    /// The next DevNonce, or `nil` when the rule has none left.
    public mutating func take() -> DevNonce? {
        switch rule {
        case .increasing:
            guard next <= UInt32(UInt16.max) else { return nil }
            defer { next += 1 }
            return DevNonce(UInt16(next))
        case .neverReused:
            guard used.count <= Int(UInt16.max) else { return nil }
            while true {
                let candidate = UInt16(truncatingIfNeeded: random.next())
                if used.insert(candidate).inserted { return DevNonce(candidate) }
            }
        }
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast generator with a seed, for reproducible draws.
struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
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
