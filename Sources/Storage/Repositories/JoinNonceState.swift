import JoinServer
import LoRaWAN

/// One device's nonce state during a batch of joins: read from its row under the transaction's lock,
/// then advanced in memory attempt by attempt, so the second attempt for a device in a batch sees the
/// first exactly as if it came in a later transaction. Only the final state is written back.
///
/// The rules (DESIGN.md invariant 6), in the order they are checked:
/// 1. a transferred device joins elsewhere: `.transferred`;
/// 2. a 1.0.0-1.0.3 DevNonce must never have been used by the device (1.0.3 §6.2.4): `.devNonceReused`;
/// 3. a 1.0.4/1.1 DevNonce must exceed the last accepted one (1.0.4 and 1.1 §6.2.5), and a rejoin
///    type 1's RJcount1 the last accepted RJcount1 (1.1 §6.2.4.2); none yet accepts anything:
///    `.nonceNotIncreasing(last:)`;
/// 4. a rejoin type 0 or 2 carries RJcount0, which the Network Server checks: nothing to check here;
/// 5. the JoinNonce is the last one plus one (the first is 1) and must fit 24 bits:
///    `.joinNonceExhausted`.
struct JoinNonceState: Sendable, Equatable {
    var transferred: Bool
    var lastDevNonce: UInt16?
    var lastRJCount1: UInt16?
    var lastJoinNonce: UInt32?
    /// The 1.0.x DevNonces this batch asks about that the device has used: found in
    /// `join_used_dev_nonces`, or accepted earlier in the batch.
    var usedDevNonces: Set<UInt16> = []

    /// Decides `nonce` and, when it is accepted, advances the state past it.
    mutating func decide(_ nonce: AttemptNonce) -> JoinAttemptOutcome {
        if transferred { return .transferred }
        switch nonce {
        case .devNonce(let devNonce, .neverReused):
            if usedDevNonces.contains(devNonce.rawValue) { return .devNonceReused }
        case .devNonce(let devNonce, .increasing):
            if let last = lastDevNonce, devNonce.rawValue <= last { return .nonceNotIncreasing(last: last) }
        case .rjCount1(let count):
            if let last = lastRJCount1, count.rawValue <= last { return .nonceNotIncreasing(last: last) }
        case .rjCount0:
            break
        }
        guard let joinNonce = JoinNonce((lastJoinNonce ?? 0) + 1) else { return .joinNonceExhausted }

        lastJoinNonce = joinNonce.rawValue
        switch nonce {
        case .devNonce(let devNonce, .neverReused): usedDevNonces.insert(devNonce.rawValue)
        case .devNonce(let devNonce, .increasing): lastDevNonce = devNonce.rawValue
        case .rjCount1(let count): lastRJCount1 = count.rawValue
        case .rjCount0: break
        }
        return .accepted(joinNonce)
    }
}
