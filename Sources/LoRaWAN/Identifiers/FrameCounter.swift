/// Rebuilding the 32-bit frame counter from the 16 bits a data frame carries (LoRaWAN 1.1 §4.3.1.5).
///
/// Gatehouse keeps the **last accepted** 32-bit counter per device and rebuilds with
/// `full(fromLow16:lastAccepted:)`: the result is in the same 2^16 epoch as the last accepted value
/// when the low bits are not below it, else in the next epoch. This is the semantics of The Things
/// Network. We choose it because the reference is a fact that was stored (the last counter whose MIC
/// verified) rather than a derived expectation, and because a frame whose rebuilt counter equals the
/// last accepted one is exactly the retransmission case the Network Server must recognise. A device that
/// loses 2^16 or more frames in a row cannot be followed by any semantics: its MIC fails and it must rejoin.
public enum FrameCounter {
    /// The 32-bit counter for `low16`, given the last accepted 32-bit counter (`nil` before the first frame).
    @inlinable
    public static func full(fromLow16 low16: UInt16, lastAccepted: UInt32?) -> UInt32 {
        guard let last = lastAccepted else { return UInt32(low16) }
        let epoch = last & 0xFFFF_0000
        return UInt16(truncatingIfNeeded: last) <= low16 ? epoch | UInt32(low16) : (epoch &+ 0x1_0000) | UInt32(low16)
    }

    /// The ChirpStack/brocaar semantics, kept for interoperability (importing sessions from those
    /// systems, which store the next expected counter): a frame one below the expectation is a
    /// retransmission, anything else counts forward modulo 2^16.
    @inlinable
    public static func full(fromLow16 low16: UInt16, nextExpected: UInt32) -> UInt32 {
        let expectedLow = UInt16(truncatingIfNeeded: nextExpected)
        if low16 == expectedLow &- 1 { return nextExpected &- 1 }
        return nextExpected &+ UInt32(low16 &- expectedLow)
    }
}
